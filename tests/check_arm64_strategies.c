// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check_arm64_strategies.c - the arm64 guest policies (arm64-fp-owner, arm64-defer-host-restore,
 * arm64-restore-at-put) on the arm64 machine model: random event sequences with integrity checking and the primitive
 * counts each design implies.  Everywhere through an in-test FPSIMD/ZA/streaming-SVE register-file
 * emulator backend; on aarch64 also through the arm64 backend (the real registers, read back after
 * every event; streaming mode with SME).  Test-only mutants that the checker must
 * catch.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arm64-machine.h"
#include "policy.h"
#if defined(__aarch64__)
#include <sys/auxv.h>
#include "arm64.h"
#endif

#define SEED		20261123ULL
#define EMU_SEQS	10000
#define REAL_SEQS	500
#define SEQ_LEN		16
#define EMU_SVL		16
#define EMU_ZA		(EMU_SVL * EMU_SVL)

/* ---- an emulated FPSIMD + ZA + streaming SVE register file ---- */

struct emu {
	uint8_t v[FPB_A64_IMG_SIZE];
	uint8_t za[EMU_ZA];
	uint8_t z[1024];		/* streaming Z, P, FFR, FPSR/FPCR at EMU_SVL */
};

static int emu_save(struct fpb_backend *be, enum fpb_save_op op, void *buf, uint64_t rfbm)
{
	struct emu *e = be->priv;

	(void)rfbm;
	if (op == FPB_OP_FPSIMD_SAVE)
		memcpy(buf, e->v, 520);
	else if (op == FPB_OP_ZA_SAVE)
		memcpy(buf, e->za, EMU_ZA);
	else if (op == FPB_OP_SVE_SAVE)
		memcpy(buf, e->z, fpb_a64_ssve_size(EMU_SVL));
	else
		return -EOPNOTSUPP;
	return FPB_PRIM_DONE;
}

static int emu_restore(struct fpb_backend *be, enum fpb_restore_op op, const void *buf,
		       uint64_t rfbm)
{
	struct emu *e = be->priv;

	(void)rfbm;
	if (op == FPB_OP_FPSIMD_RESTORE)
		memcpy(e->v, buf, 520);
	else if (op == FPB_OP_ZA_RESTORE)
		memcpy(e->za, buf, EMU_ZA);
	else if (op == FPB_OP_SVE_RESTORE)
		memcpy(e->z, buf, fpb_a64_ssve_size(EMU_SVL));
	else
		return -EOPNOTSUPP;
	return FPB_PRIM_DONE;
}

static const struct fpb_backend_ops emu_ops = {
	.name = "a64emu", .summary = "test: emulated FPSIMD, ZA and streaming SVE registers",
	.save = emu_save, .restore = emu_restore,
};

static struct emu emu_regs;

static void emu_open(struct fpb_backend *be)
{
	memset(be, 0, sizeof(*be));
	memset(&emu_regs, 0, sizeof(emu_regs));
	be->ops = &emu_ops;
	be->priv = &emu_regs;
}

/*
 * The real backend where there is one (aarch64); ZA size 0 without SME; *svl the streaming
 * vector length when streaming mode can be modelled on it (SME), else 0.
 */
static bool real_open(struct fpb_backend *be, size_t *za, unsigned *svl)
{
	const struct fpb_backend_ops *ops = fpb_backend_find("arm64");

	memset(be, 0, sizeof(*be));
	*za = 0;
	*svl = 0;
	if (!ops)
		return false;
	be->ops = ops;
#if defined(__aarch64__)
	if (fpb_a64_has(FPB_A64_SME, NULL, 0))
		*za = fpb_a64_za_size(fpb_a64_sme_svl());
	if (*za)	/* the streaming save/restore needs SME only (FFR with FA64) */
		*svl = fpb_a64_sme_svl();
#endif
	return true;
}

/* FEAT_SME_FA64 on this CPU (HWCAP2 bit 30); false elsewhere. */
static bool real_fa64(void)
{
#if defined(__aarch64__)
	return (getauxval(AT_HWCAP2) & (1UL << 30)) != 0;
#else
	return false;
#endif
}

static void real_close(struct fpb_backend *be)
{
	if (be->ops && be->ops->close)
		be->ops->close(be);
}

/* ---- helpers ---- */

#define E(t, c, x)	{ .type = (t), .cpu = (c), .ctx = (x) }
#define EV(t, c, x)	E(FPB_EV_##t, c, x)

static const struct fpb_strategy *fp_owner(void)
{
	return fpb_strategy_find("arm64-fp-owner");
}

static const struct fpb_strategy *defer(void)
{
	return fpb_strategy_find("arm64-defer-host-restore");
}

static const struct fpb_strategy *restore_at_put(void)
{
	return fpb_strategy_find("arm64-restore-at-put");
}

/* The arm64 guest policies by index, for the loop tests. */
static const struct fpb_strategy *policy(int i)
{
	return i == 0 ? fp_owner() : i == 1 ? defer() : restore_at_put();
}

#define NPOLICIES	3

static uint64_t nsaves(const struct fpb_backend *be)
{
	uint64_t n = 0;

	for (int i = 0; i < FPB_NR_SAVE_OPS; i++)
		n += be->counts.save[i];
	return n;
}

static uint64_t nrestores(const struct fpb_backend *be)
{
	uint64_t n = 0;

	for (int i = 0; i < FPB_NR_RESTORE_OPS; i++)
		n += be->counts.restore[i];
	return n;
}

static void init_machine(struct fpb_a64_machine *am, struct fpb_backend *be,
			 const struct fpb_strategy *s, unsigned ncpus, size_t za, unsigned svl)
{
	struct fpb_a64_config cfg = { .ncpus = ncpus, .ntasks = 3, .nvcpus = 2, .za_size = za,
				      .svl = svl, .fa64 = (be->ops->flags & FPB_BE_REAL) ?
							  real_fa64() : true };
	char why[FPB_REASON_LEN];

	ck_assert_msg(s != NULL, "strategy not registered");
	ck_assert_msg(!fpb_a64_machine_init(am, be, s, &cfg, why, sizeof(why)), "%s: init: %s",
		      s->name, why);
	am->base.check = true;
}

static void run(struct fpb_a64_machine *am, const struct fpb_sim_event *ev, size_t n)
{
	size_t at;

	ck_assert_msg(!fpb_a64_machine_run(am, ev, n, &at), "%s: event %zu: %s",
		      am->base.guest->name, at, am->base.why);
}

/* SM_ON events the random sequences ran (streaming mode was exercised). */
static unsigned long sm_ons;

/*
 * Random sequences; returns 0 or -1 with why naming strategy, seed and failure.  With an svl,
 * fp_owner's sequences switch streaming mode too (FA64 as the CPU has it on real registers,
 * alternating on the emulator).
 */
static int random_seqs(struct fpb_backend *be, const struct fpb_strategy *s, unsigned nseq,
		       size_t za, unsigned svl, char *why, size_t len)
{
	static struct fpb_a64_machine am;
	bool sme_ok = (za || svl) && !strcmp(s->name, "arm64-fp-owner");

	for (unsigned i = 0; i < nseq; i++) {
		uint64_t rng = SEED + i;
		struct fpb_a64_config cfg = { .ncpus = 1 + i % 2, .ntasks = 2 + i % 3,
					      .nvcpus = 1 + i % 2, .za_size = za,
					      .svl = sme_ok ? svl : 0,
					      .fa64 = (be->ops->flags & FPB_BE_REAL) ?
						      real_fa64() : (i & 4) != 0 };

		if (fpb_a64_machine_init(&am, be, s, &cfg, why, len))
			return -1;
		am.base.check = true;
		for (unsigned k = 0; k < SEQ_LEN; k++) {
			struct fpb_sim_event ev;

			fpb_a64_random_event(&am, &rng, sme_ok, &ev);
			sm_ons += ev.type == FPB_A64_EV_SM_ON;
			if (fpb_a64_machine_step(&am, &ev)) {
				snprintf(why, len, "%s seed %llu event %u (%s cpu%u ctx%u): %s",
					 s->name, (unsigned long long)(SEED + i), k,
					 fpb_a64_event_name(ev.type), ev.cpu, ev.ctx, am.base.why);
				fpb_a64_machine_fini(&am);
				return -1;
			}
		}
		fpb_a64_machine_fini(&am);
	}
	return 0;
}

/* ---- core ---- */

START_TEST(test_registry)
{
	const struct fpb_strategy *s[NPOLICIES] = { fp_owner(), defer(), restore_at_put() };
	char why[FPB_REASON_LEN];

	for (int i = 0; i < NPOLICIES; i++) {
		ck_assert_msg(s[i] != NULL, "arm64 strategy %d not registered", i);
		ck_assert_msg(s[i]->flags & FPB_STRAT_ARCH_ARM64, "%s: no FPB_STRAT_ARCH_ARM64",
			      s[i]->name);
		ck_assert_msg(!fpb_strategy_check(s[i], why, sizeof(why)), "%s: %s", s[i]->name,
			      why);
		ck_assert_msg(s[i]->ops.guest_fp_trap != NULL, "%s: no trap handler", s[i]->name);
	}
}
END_TEST

/* The x86 machine refuses them with a reason (the suite turns it into a skipped row). */
START_TEST(test_x86_machine_refuses)
{
	struct fpb_machine *m = calloc(1, sizeof(*m));
	struct fpb_machine_config cfg = { .ncpus = 1, .ntasks = 2, .nvcpus = 1 };
	struct fpb_cpu cpu;
	struct fpb_backend be;
	char why[FPB_REASON_LEN] = "";

	memset(&cpu, 0, sizeof(cpu));
	emu_open(&be);
	ck_assert_int_eq(fpb_machine_init(m, &be, &cpu, fpb_strategy_find(FPB_DEFAULT_TASK_POLICY),
					  fp_owner(), &cfg, why, sizeof(why)), -EOPNOTSUPP);
	ck_assert_msg(strstr(why, "arm64") != NULL, "reason does not say arm64: %s", why);
	free(m);
}
END_TEST

START_TEST(test_random_emu)
{
	const struct fpb_strategy *s = policy(_i);
	struct fpb_backend be;
	char why[512];

	emu_open(&be);
	sm_ons = 0;
	ck_assert_msg(!random_seqs(&be, s, EMU_SEQS, EMU_ZA, EMU_SVL, why, sizeof(why)),
		      "emulated registers: %s", why);
	ck_assert_msg(nsaves(&be) > 0 && nrestores(&be) > 0, "%s: no primitive ran", s->name);
	if (!_i)
		ck_assert_msg(sm_ons > EMU_SEQS / 10 && be.counts.save[FPB_OP_SVE_SAVE] > 0 &&
			      be.counts.restore[FPB_OP_SVE_RESTORE] > 0,
			      "%s: streaming mode barely exercised: %lu SM_ON, %llu streaming "
			      "saves, %llu restores", s->name, sm_ons,
			      (unsigned long long)be.counts.save[FPB_OP_SVE_SAVE],
			      (unsigned long long)be.counts.restore[FPB_OP_SVE_RESTORE]);
}
END_TEST

START_TEST(test_random_real)
{
	const struct fpb_strategy *s = policy(_i);
	struct fpb_backend be;
	size_t za;
	unsigned svl;
	char why[512];

	if (!real_open(&be, &za, &svl)) {
		fprintf(stderr, "# no arm64 backend in this build: real-register sequences skipped\n");
		return;
	}
	sm_ons = 0;
	ck_assert_msg(!random_seqs(&be, s, REAL_SEQS, za, svl, why, sizeof(why)),
		      "real registers: %s", why);
	if (svl && !_i) {
		ck_assert_msg(sm_ons > 0 && be.counts.save[FPB_OP_SVE_SAVE] > 0,
			      "%s: streaming mode not exercised on real registers", s->name);
		fprintf(stderr, "# real registers, SVL %u: %lu streaming-mode entries, %llu "
			"streaming saves, %llu restores, integrity held\n", svl, sm_ons,
			(unsigned long long)be.counts.save[FPB_OP_SVE_SAVE],
			(unsigned long long)be.counts.restore[FPB_OP_SVE_RESTORE]);
	}
	real_close(&be);
}
END_TEST

/* ---- counts (emulator and, on aarch64, real registers) ---- */

static const struct fpb_sim_event to_user[] = {
	EV(SWITCH, 0, 0), EV(RETURN_TO_USER, 0, 0), EV(USER_RUN, 0, 0), EV(ENTER_KERNEL, 0, 0),
};

struct phase_counts {
	uint64_t saves, restores;
	uint64_t bytes_saved, bytes_restored, bytes_copied;
};

static struct phase_counts phase(struct fpb_a64_machine *am, const struct fpb_sim_event *ev,
				 size_t n)
{
	struct fpb_backend *be = am->base.be;
	uint64_t s0 = nsaves(be), r0 = nrestores(be), bs = am->bytes_saved;
	uint64_t br = am->bytes_restored, bc = be->counts.bytes_copied;

	run(am, ev, n);
	return (struct phase_counts){ nsaves(be) - s0, nrestores(be) - r0, am->bytes_saved - bs,
				      am->bytes_restored - br, be->counts.bytes_copied - bc };
}

#define EXPECT(p, s, r, what)							\
	ck_assert_msg((p).saves == (s) && (p).restores == (r),			\
		      "%s: %s: want %d saves %d restores, got %llu, %llu",	\
		      am.base.guest->name, what, s, r,				\
		      (unsigned long long)(p).saves, (unsigned long long)(p).restores)

/* The bytes the same phase moved: saved, restored (images) and copied (fpb_prim_copy). */
#define EXPECT_BYTES(p, s, r, c, what)						\
	ck_assert_msg((p).bytes_saved == (s) && (p).bytes_restored == (r) &&	\
		      (p).bytes_copied == (c),					\
		      "%s: %s: want %zu bytes saved, %zu restored, %zu copied, got %llu, " \
		      "%llu, %llu", am.base.guest->name, what, (size_t)(s), (size_t)(r),	\
		      (size_t)(c), (unsigned long long)(p).bytes_saved,		\
		      (unsigned long long)(p).bytes_restored,			\
		      (unsigned long long)(p).bytes_copied)

static void counts_on(struct fpb_backend *be, size_t za, unsigned svl)
{
	static const struct fpb_sim_event no_fp[] = {
		EV(KVM_RUN_ENTER, 0, 0), EV(VM_ENTRY, 0, 0), EV(VM_EXIT, 0, 0),
		EV(VM_ENTRY, 0, 0), EV(VM_EXIT, 0, 0), EV(KVM_RUN_EXIT, 0, 0),
		EV(RETURN_TO_USER, 0, 0), EV(ENTER_KERNEL, 0, 0),
	};
	static const struct fpb_sim_event load_trap[] = {
		EV(KVM_RUN_ENTER, 0, 0), EV(VM_ENTRY, 0, 0), EV(GUEST_RUN, 0, 0),
	};
	static const struct fpb_sim_event more_exits[] = {
		EV(VM_EXIT, 0, 0), EV(VM_ENTRY, 0, 0), EV(GUEST_RUN, 0, 0), EV(VM_EXIT, 0, 0),
	};
	static const struct fpb_sim_event put[] = { EV(KVM_RUN_EXIT, 0, 0) };
	static const struct fpb_sim_event ret[] = { EV(RETURN_TO_USER, 0, 0) };
	static const struct fpb_sim_event kfpu[] = { EV(ENTER_KERNEL, 0, 0), EV(KERNEL_FPU, 0, 0) };
	static const struct fpb_sim_event za_on[] = {
		E(FPB_A64_EV_ZA_ON, 0, 0), EV(ENTER_KERNEL, 0, 0),
	};
	static const struct fpb_sim_event load[] = { EV(KVM_RUN_ENTER, 0, 0) };
	static const struct fpb_sim_event sm_on[] = {
		E(FPB_A64_EV_SM_ON, 0, 0), EV(ENTER_KERNEL, 0, 0),
	};
	static struct fpb_a64_machine am;

	for (int k = 0; k < 2; k++) {
		const struct fpb_strategy *s = k ? defer() : fp_owner();
		struct phase_counts p;

		/* A KVM_RUN whose guest never uses FP saves and restores nothing. */
		init_machine(&am, be, s, 1, za, 0);
		run(&am, to_user, FPB_ARRAY_SIZE(to_user));
		p = phase(&am, no_fp, FPB_ARRAY_SIZE(no_fp));
		EXPECT(p, 0, 0, "KVM_RUN without guest FP use");
		EXPECT_BYTES(p, 0, 0, 0, "KVM_RUN without guest FP use");

		/* First FP use: host saved (its registers were live), guest restored. */
		p = phase(&am, load_trap, FPB_ARRAY_SIZE(load_trap));
		EXPECT(p, 1, 1, "first guest FP use with the host's registers live");
		EXPECT_BYTES(p, FPB_A64_IMG_SIZE, FPB_A64_IMG_SIZE, 0, "first guest FP use");
		p = phase(&am, more_exits, FPB_ARRAY_SIZE(more_exits));
		EXPECT(p, 0, 0, "exits and entries once the guest owns the registers");
		p = phase(&am, put, 1);
		EXPECT(p, 1, 0, "vcpu_put (guest saved, host restore deferred)");
		EXPECT_BYTES(p, FPB_A64_IMG_SIZE, 0, 0, "vcpu_put");
		p = phase(&am, ret, 1);
		EXPECT(p, 0, 1, "return to user (the deferred host restore)");
		EXPECT_BYTES(p, 0, FPB_A64_IMG_SIZE, 0, "return to user");
		fpb_a64_machine_fini(&am);

		/* Registers already foreign (kernel NEON): the trap saves no host state. */
		init_machine(&am, be, s, 1, za, 0);
		run(&am, to_user, FPB_ARRAY_SIZE(to_user));
		run(&am, kfpu, FPB_ARRAY_SIZE(kfpu));
		p = phase(&am, load_trap, FPB_ARRAY_SIZE(load_trap));
		EXPECT(p, 0, 1, "first guest FP use with fp_owner FREE");
		fpb_a64_machine_fini(&am);
	}
	if (!za)
		return;
	/* fp_owner: a host with ZA live is saved and flushed eagerly at vcpu_load. */
	init_machine(&am, be, fp_owner(), 1, za, 0);
	run(&am, to_user, 3);
	{
		struct phase_counts p;

		run(&am, za_on, FPB_ARRAY_SIZE(za_on));
		p = phase(&am, load, 1);
		EXPECT(p, 2, 0, "vcpu_load with ZA live (FPSIMD + ZA)");
		EXPECT_BYTES(p, FPB_A64_IMG_SIZE + za, 0, 0, "vcpu_load with ZA live");
		p = phase(&am, load_trap + 1, 2);
		EXPECT(p, 0, 1, "first guest FP use after the eager flush");
		p = phase(&am, more_exits, 1);
		p = phase(&am, put, 1);
		EXPECT(p, 1, 0, "vcpu_put");
		p = phase(&am, ret, 1);
		EXPECT(p, 0, 2, "return to user (FPSIMD + ZA)");
		EXPECT_BYTES(p, 0, FPB_A64_IMG_SIZE + za, 0, "return to user with ZA live");
	}
	fpb_a64_machine_fini(&am);
	if (!svl)
		return;
	/*
	 * fp_owner: a host in streaming mode is saved (Z/P/FFR/FPSR/FPCR at SVL) and flushed
	 * (SMSTOP) eagerly at vcpu_load; the return to user re-enters streaming mode and restores.
	 */
	init_machine(&am, be, fp_owner(), 1, za, svl);
	run(&am, to_user, 3);
	{
		size_t ss = fpb_a64_ssve_bytes(svl, be->ops->flags & FPB_BE_REAL ?
					       real_fa64() : true);
		struct phase_counts p;
		uint64_t sv = be->counts.save[FPB_OP_SVE_SAVE];
		uint64_t rv = be->counts.restore[FPB_OP_SVE_RESTORE];

		run(&am, sm_on, FPB_ARRAY_SIZE(sm_on));
		p = phase(&am, load, 1);
		EXPECT(p, 1, 0, "vcpu_load in streaming mode");
		EXPECT_BYTES(p, ss, 0, 0, "vcpu_load in streaming mode");
		ck_assert_msg(!am.acpu[0].sm && am.acpu[0].fp_owner == FPB_A64_FP_FREE,
			      "vcpu_load in streaming mode: want PSTATE.SM clear and fp_owner "
			      "FREE, got %d, %d", am.acpu[0].sm, (int)am.acpu[0].fp_owner);
		p = phase(&am, load_trap + 1, 2);
		EXPECT(p, 0, 1, "first guest FP use after the streaming flush");
		EXPECT_BYTES(p, 0, FPB_A64_IMG_SIZE, 0, "first guest FP use after the flush");
		p = phase(&am, more_exits, 1);
		p = phase(&am, put, 1);
		EXPECT(p, 1, 0, "vcpu_put");
		p = phase(&am, ret, 1);
		EXPECT(p, 0, 1, "return to user (streaming image)");
		EXPECT_BYTES(p, 0, ss, 0, "return to user in streaming mode");
		ck_assert_msg(am.acpu[0].sm, "return to user: want PSTATE.SM set again");
		ck_assert_msg(be->counts.save[FPB_OP_SVE_SAVE] - sv == 1 &&
			      be->counts.restore[FPB_OP_SVE_RESTORE] - rv == 1,
			      "streaming KVM_RUN: want 1 SVE save and 1 SVE restore, got %llu, "
			      "%llu",
			      (unsigned long long)(be->counts.save[FPB_OP_SVE_SAVE] - sv),
			      (unsigned long long)(be->counts.restore[FPB_OP_SVE_RESTORE] - rv));
	}
	fpb_a64_machine_fini(&am);
}

START_TEST(test_counts_emu)
{
	struct fpb_backend be;

	emu_open(&be);
	counts_on(&be, EMU_ZA, EMU_SVL);
}
END_TEST

START_TEST(test_counts_real)
{
	struct fpb_backend be;
	size_t za;
	unsigned svl;

	if (!real_open(&be, &za, &svl)) {
		fprintf(stderr, "# no arm64 backend in this build: real-register counts skipped\n");
		return;
	}
	counts_on(&be, za, svl);
	real_close(&be);
}
END_TEST

/*
 * KVM_GET_ONE_REG / KVM_SET_ONE_REG of the FP file copy one image each through the backend's
 * copy (bytes_copied, as x86's copy3 counts its memcpy), save and restore nothing, and leave
 * the live registers alone (integrity checked after every event; real registers on aarch64).
 */
static void copies_on(struct fpb_backend *be, size_t za)
{
	static const struct fpb_sim_event get[] = { EV(KVM_GET_XSAVE, 0, 1) };
	static const struct fpb_sim_event set[] = { EV(KVM_SET_XSAVE, 0, 1) };
	static const struct fpb_sim_event guest_run[] = {
		EV(SWITCH, 0, 1), EV(RETURN_TO_USER, 0, 0), EV(ENTER_KERNEL, 0, 0),
		EV(KVM_RUN_ENTER, 0, 0), EV(VM_ENTRY, 0, 0), EV(GUEST_RUN, 0, 0),
		EV(VM_EXIT, 0, 0), EV(KVM_RUN_EXIT, 0, 0),
	};
	static struct fpb_a64_machine am;

	for (int k = 0; k < 2; k++) {
		struct phase_counts p;
		uint64_t c0 = be->counts.copies;

		init_machine(&am, be, k ? defer() : fp_owner(), 1, za, 0);
		run(&am, to_user, FPB_ARRAY_SIZE(to_user));	/* task 0 in the kernel, live */
		p = phase(&am, get, 1);
		EXPECT(p, 0, 0, "KVM_GET_ONE_REG");
		EXPECT_BYTES(p, 0, 0, FPB_A64_IMG_SIZE, "KVM_GET_ONE_REG");
		p = phase(&am, set, 1);
		EXPECT(p, 0, 0, "KVM_SET_ONE_REG");
		EXPECT_BYTES(p, 0, 0, FPB_A64_IMG_SIZE, "KVM_SET_ONE_REG");
		ck_assert_msg(be->counts.copies - c0 == 2, "%s: copies: want 2, got %llu",
			      am.base.guest->name, (unsigned long long)(be->counts.copies - c0));
		/* vCPU 1 then runs and sees the image KVM_SET_ONE_REG wrote. */
		run(&am, guest_run, FPB_ARRAY_SIZE(guest_run));
		fpb_a64_machine_fini(&am);
	}
}

START_TEST(test_copies_emu)
{
	struct fpb_backend be;

	emu_open(&be);
	copies_on(&be, EMU_ZA);
}
END_TEST

START_TEST(test_copies_real)
{
	struct fpb_backend be;
	size_t za;
	unsigned svl;

	if (!real_open(&be, &za, &svl)) {
		fprintf(stderr, "# no arm64 backend in this build: real-register copies skipped\n");
		return;
	}
	copies_on(&be, za);
	real_close(&be);
}
END_TEST

/* ---- mutants the checker must catch ---- */

static int mut_trap_always_saves(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	int r = fpb_a64_save_host(m, c);	/* ignores fp_owner FREE */

	fpb_a64(m)->acpu[cpu].fp_owner = FPB_A64_FP_GUEST_OWNED;
	fpb_a64(m)->x[c->id].fp_trap = false;
	return r ? r : fpb_a64_load_guest(m, c, cpu);
}

static int mut_put_no_save(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	c->need_load = true;	/* flushes without saving the guest */
	m->cpu[cpu].owner = NULL;
	fpb_a64(m)->x[c->id].bound_guest = false;
	fpb_a64(m)->acpu[cpu].fp_owner = FPB_A64_FP_FREE;
	return 0;
}

static int mut_load_no_za_flush(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	(void)c;
	fpb_a64(m)->acpu[cpu].fp_owner = FPB_A64_FP_HOST_OWNED;
	return 0;
}

/* fp_owner's vcpu_load that checks SVCR.ZA but forgets SVCR.SM: no flush in streaming mode. */
static int mut_load_no_sm_flush(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	fpb_a64(m)->acpu[cpu].fp_owner = FPB_A64_FP_HOST_OWNED;
	if (fpb_a64(m)->x[c->id].za_live) {
		fpb_a64(m)->acpu[cpu].fp_owner = FPB_A64_FP_FREE;
		return fpb_a64_save_and_flush(m, c, cpu);
	}
	return 0;
}

START_TEST(test_mutants)
{
	static const struct fpb_sim_event free_trap[] = {
		EV(SWITCH, 0, 0), EV(RETURN_TO_USER, 0, 0), EV(USER_RUN, 0, 0),
		EV(ENTER_KERNEL, 0, 0), EV(KERNEL_FPU, 0, 0), EV(KVM_RUN_ENTER, 0, 0),
		EV(VM_ENTRY, 0, 0), EV(GUEST_RUN, 0, 0), EV(VM_EXIT, 0, 0), EV(KVM_RUN_EXIT, 0, 0),
		EV(RETURN_TO_USER, 0, 0),
	};
	static const struct fpb_sim_event za_run[] = {
		EV(SWITCH, 0, 0), EV(RETURN_TO_USER, 0, 0), E(FPB_A64_EV_ZA_ON, 0, 0),
		EV(ENTER_KERNEL, 0, 0), EV(KVM_RUN_ENTER, 0, 0), EV(VM_ENTRY, 0, 0),
		EV(GUEST_RUN, 0, 0), EV(VM_EXIT, 0, 0), EV(KVM_RUN_EXIT, 0, 0),
		EV(RETURN_TO_USER, 0, 0),
	};
	static const struct fpb_sim_event sm_run[] = {
		EV(SWITCH, 0, 0), EV(RETURN_TO_USER, 0, 0), E(FPB_A64_EV_SM_ON, 0, 0),
		EV(ENTER_KERNEL, 0, 0), EV(KVM_RUN_ENTER, 0, 0), EV(VM_ENTRY, 0, 0),
		EV(GUEST_RUN, 0, 0), EV(VM_EXIT, 0, 0), EV(KVM_RUN_EXIT, 0, 0),
		EV(RETURN_TO_USER, 0, 0),
	};
	static struct fpb_a64_machine am;
	struct fpb_strategy mut[4];
	const struct fpb_sim_event *seq[4] = { free_trap, free_trap, za_run, sm_run };
	size_t len[4] = { FPB_ARRAY_SIZE(free_trap), FPB_ARRAY_SIZE(free_trap),
			  FPB_ARRAY_SIZE(za_run), FPB_ARRAY_SIZE(sm_run) };
	const char *what[4] = { "trap saves the host although fp_owner is FREE",
				"vcpu_put flushes without saving the guest",
				"vcpu_load without the eager flush while ZA is live",
				"vcpu_load without the eager flush in streaming mode (SVCR.SM)" };
	struct fpb_backend be;

	for (int i = 0; i < 4; i++) {
		mut[i] = *fp_owner();
		mut[i].flags |= FPB_STRAT_TEST_ONLY;
	}
	mut[0].ops.guest_fp_trap = mut_trap_always_saves;
	mut[1].ops.vcpu_put = mut_put_no_save;
	mut[2].ops.vcpu_load = mut_load_no_za_flush;
	mut[3].ops.vcpu_load = mut_load_no_sm_flush;
	emu_open(&be);
	for (int i = 0; i < 4; i++) {
		size_t at;

		/* The real design passes the same sequence. */
		init_machine(&am, &be, fp_owner(), 1, EMU_ZA, EMU_SVL);
		run(&am, seq[i], len[i]);
		fpb_a64_machine_fini(&am);
		init_machine(&am, &be, &mut[i], 1, EMU_ZA, EMU_SVL);
		ck_assert_msg(fpb_a64_machine_run(&am, seq[i], len[i], &at) == -EPROTO,
			      "mutant not caught: %s (ran %zu events: %s)", what[i], at,
			      am.base.why);
		if (i == 3)
			ck_assert_msg(strstr(am.base.why, "streaming"), "mutant %s: want a reason "
				      "naming streaming mode, got '%s'", what[i], am.base.why);
		fpb_a64_machine_fini(&am);
	}
}
END_TEST

/*
 * The entry check on TIF_FOREIGN_FPSTATE and the put, in each design.  A softirq's kernel-mode
 * NEON between two entries of one KVM_RUN takes the guest's registers (the 2018 thread's bug):
 * a policy that trusts its owner state at entry runs the guest on the softirq's registers.
 */
static int mut_fpo_entry_ignores_foreign(struct fpb_machine *m, struct fpb_sim_ctx *c,
					 unsigned cpu)
{
	fpb_a64(m)->x[c->id].fp_trap = fpb_a64(m)->acpu[cpu].fp_owner != FPB_A64_FP_GUEST_OWNED;
	return 0;
}

/* The 2018 patch as posted: FP_ENABLED trusted at entry, whatever a softirq did since. */
static int mut_flags_entry_ignores_softirq(struct fpb_machine *m, struct fpb_sim_ctx *c,
					   unsigned cpu)
{
	struct fpb_a64_ctx *x = &fpb_a64(m)->x[c->id];

	(void)cpu;
	x->fp_trap = !x->fp_enabled;
	return 0;
}

/* defer-host-restore whose vcpu_put forgets the guest: still bound, the host never reloaded. */
static int mut_dhr_no_put(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	(void)m;
	(void)c;
	(void)cpu;
	return 0;
}

struct a64_mutant {
	const char *name;		/* as the mutant tables in HACKING.md name it */
	const char *base;
	const char *what;		/* the directed sequence */
	int (*entry)(struct fpb_machine *, struct fpb_sim_ctx *, unsigned);
	int (*put)(struct fpb_machine *, struct fpb_sim_ctx *, unsigned);
};

static const struct a64_mutant a64_mutants[] = {
	{ "fp-owner-entry-ignores-foreign", "arm64-fp-owner",
	  "softirq NEON between two entries", mut_fpo_entry_ignores_foreign, NULL },
	{ "restore-at-put-ignores-softirq", "arm64-restore-at-put",
	  "softirq NEON between two entries", mut_flags_entry_ignores_softirq, NULL },
	{ "defer-host-restore-no-put", "arm64-defer-host-restore",
	  "KVM_RUN with guest FP, then the return to user", NULL, mut_dhr_no_put },
};

static void a64_mutant_build(const struct a64_mutant *mu, struct fpb_strategy *s)
{
	*s = *fpb_strategy_find(mu->base);
	s->name = mu->name;
	s->flags |= FPB_STRAT_TEST_ONLY;
	if (mu->entry)
		s->ops.vm_entry = mu->entry;
	if (mu->put)
		s->ops.vcpu_put = mu->put;
}

START_TEST(test_mutants_entry_put)
{
	static const struct fpb_sim_event softirq[] = {
		EV(SWITCH, 0, 0), EV(RETURN_TO_USER, 0, 0), EV(USER_RUN, 0, 0),
		EV(ENTER_KERNEL, 0, 0), EV(KVM_RUN_ENTER, 0, 0), EV(VM_ENTRY, 0, 0),
		EV(GUEST_RUN, 0, 0), EV(VM_EXIT, 0, 0), EV(KERNEL_FPU, 0, 0), EV(VM_ENTRY, 0, 0),
		EV(GUEST_RUN, 0, 0), EV(VM_EXIT, 0, 0), EV(KVM_RUN_EXIT, 0, 0),
		EV(RETURN_TO_USER, 0, 0),
	};
	static const struct fpb_sim_event plain[] = {
		EV(SWITCH, 0, 0), EV(RETURN_TO_USER, 0, 0), EV(USER_RUN, 0, 0),
		EV(ENTER_KERNEL, 0, 0), EV(KVM_RUN_ENTER, 0, 0), EV(VM_ENTRY, 0, 0),
		EV(GUEST_RUN, 0, 0), EV(VM_EXIT, 0, 0), EV(KVM_RUN_EXIT, 0, 0),
		EV(RETURN_TO_USER, 0, 0),
	};
	static struct fpb_a64_machine am;
	const struct a64_mutant *mu = &a64_mutants[_i];
	const struct fpb_sim_event *seq = mu->put ? plain : softirq;
	size_t len = mu->put ? FPB_ARRAY_SIZE(plain) : FPB_ARRAY_SIZE(softirq), at;
	struct fpb_strategy mut;
	struct fpb_backend be;

	a64_mutant_build(mu, &mut);
	emu_open(&be);
	init_machine(&am, &be, fpb_strategy_find(mu->base), 1, 0, 0);
	run(&am, seq, len);
	fpb_a64_machine_fini(&am);
	init_machine(&am, &be, &mut, 1, 0, 0);
	ck_assert_msg(fpb_a64_machine_run(&am, seq, len, &at) == -EPROTO,
		      "mutant %s not caught (%s; ran %zu events: %s)", mu->name, mu->what, at,
		      am.base.why);
	fprintf(stderr, "# mutant %s caught by the directed sequence (%s): %s\n", mu->name,
		mu->what, am.base.why);
	fpb_a64_machine_fini(&am);
}
END_TEST

/*
 * The random generator catches each of them too: sequences from SEED until the first failure
 * (the kill rate HACKING.md tabulates: one mutant caught within how many sequences).
 */
START_TEST(test_mutants_random)
{
	const struct a64_mutant *mu = &a64_mutants[_i];
	static struct fpb_a64_machine am;
	struct fpb_strategy mut;
	struct fpb_backend be;
	unsigned seqs = 0;
	bool caught = false;

	a64_mutant_build(mu, &mut);
	emu_open(&be);
	for (unsigned i = 0; i < EMU_SEQS && !caught; i++) {
		uint64_t rng = SEED + i;
		struct fpb_a64_config cfg = { .ncpus = 1 + i % 2, .ntasks = 2 + i % 3,
					      .nvcpus = 1 + i % 2 };
		char why[FPB_REASON_LEN];

		ck_assert_msg(!fpb_a64_machine_init(&am, &be, &mut, &cfg, why, sizeof(why)), "%s",
			      why);
		am.base.check = true;
		seqs++;
		for (unsigned k = 0; k < 2 * SEQ_LEN && !caught; k++) {
			struct fpb_sim_event ev;

			fpb_a64_random_event(&am, &rng, false, &ev);
			caught = fpb_a64_machine_step(&am, &ev) == -EPROTO;
		}
		fpb_a64_machine_fini(&am);
	}
	ck_assert_msg(caught, "mutant %s: not caught by %u random sequences of %d events",
		      mu->name, seqs, 2 * SEQ_LEN);
	fprintf(stderr, "# kill rate: mutant %s caught by random sequence %u (of %d events)\n",
		mu->name, seqs, 2 * SEQ_LEN);
}
END_TEST

/* ---- limits ---- */

START_TEST(test_bad_events)
{
	static struct fpb_a64_machine am;
	const struct fpb_sim_event bad[] = {
		EV(GUEST_RUN, 0, 0), EV(KVM_RUN_EXIT, 0, 0), EV(SWITCH, 0, 9), EV(USER_RUN, 0, 0),
		EV(SIGNAL, 0, 0), E(FPB_A64_EV_ZA_ON, 0, 0), EV(SWITCH, 3, 0), E(200, 0, 0),
	};
	struct fpb_a64_config cfg = { .ncpus = 3, .ntasks = 1 };
	struct fpb_backend be;
	char why[FPB_REASON_LEN];

	emu_open(&be);
	ck_assert_int_eq(fpb_a64_machine_init(&am, &be, fp_owner(), &cfg, why, sizeof(why)),
			 -EINVAL);
	ck_assert_int_eq(fpb_a64_machine_init(&am, &be, fpb_strategy_find("swap"), &cfg, why,
					      sizeof(why)), -EINVAL);
	init_machine(&am, &be, fp_owner(), 1, 0, 0);
	for (size_t i = 0; i < FPB_ARRAY_SIZE(bad); i++) {
		am.base.why[0] = '\0';
		ck_assert_msg(fpb_a64_machine_step(&am, &bad[i]) == -EINVAL,
			      "bad event %zu (%s) accepted", i, fpb_a64_event_name(bad[i].type));
		ck_assert_msg(am.base.why[0], "bad event %zu: no reason", i);
	}
	fpb_a64_machine_fini(&am);
}
END_TEST

static Suite *arm64_strategies_suite(void)
{
	Suite *s = suite_create("arm64_strategies");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_registry);
	tcase_add_test(tc, test_x86_machine_refuses);
	tcase_add_loop_test(tc, test_random_emu, 0, NPOLICIES);
	tcase_add_test(tc, test_counts_emu);
	tcase_add_test(tc, test_copies_emu);
	tcase_add_test(tc, test_mutants);
	tcase_add_loop_test(tc, test_mutants_entry_put, 0, (int)FPB_ARRAY_SIZE(a64_mutants));
	tcase_add_loop_test(tc, test_mutants_random, 0, (int)FPB_ARRAY_SIZE(a64_mutants));
	suite_add_tcase(s, tc);
	tc = tcase_create("real");
	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, test_random_real, 0, NPOLICIES);
	tcase_add_test(tc, test_counts_real);
	tcase_add_test(tc, test_copies_real);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_test(tc, test_bad_events);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(arm64_strategies_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
