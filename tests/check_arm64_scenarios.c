// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check_arm64_scenarios.c - the arm64 vCPU scenarios the strategies suite times: every arm64
 * guest policy runs each one's prefix and cycles with integrity checking (and with its handlers
 * off, as the suite's prep-only companion), on an emulated FPSIMD, ZA and streaming SVE register
 * file; the primitive counts each cycle implies; on aarch64 with SME the SME scenarios on the
 * real registers too.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arm64-scenarios.h"
#if defined(__aarch64__)
#include <sys/auxv.h>
#include "arm64.h"
#endif

#define CYCLES	50
#define MAXEV	64
#define EMU_SVL	16
#define EMU_ZA	(EMU_SVL * EMU_SVL)

static uint8_t emu_v[FPB_A64_IMG_SIZE], emu_za[EMU_ZA], emu_z[1024];

static int emu_save(struct fpb_backend *be, enum fpb_save_op op, void *buf, uint64_t rfbm)
{
	(void)be;
	(void)rfbm;
	if (op == FPB_OP_FPSIMD_SAVE)
		memcpy(buf, emu_v, 520);
	else if (op == FPB_OP_ZA_SAVE)
		memcpy(buf, emu_za, EMU_ZA);
	else if (op == FPB_OP_SVE_SAVE)	/* streaming Z/P/FFR at EMU_SVL */
		memcpy(buf, emu_z, fpb_a64_ssve_size(EMU_SVL));
	else
		return -EOPNOTSUPP;
	return FPB_PRIM_DONE;
}

static int emu_restore(struct fpb_backend *be, enum fpb_restore_op op, const void *buf,
		       uint64_t rfbm)
{
	(void)be;
	(void)rfbm;
	if (op == FPB_OP_FPSIMD_RESTORE)
		memcpy(emu_v, buf, 520);
	else if (op == FPB_OP_ZA_RESTORE)
		memcpy(emu_za, buf, EMU_ZA);
	else if (op == FPB_OP_SVE_RESTORE)
		memcpy(emu_z, buf, fpb_a64_ssve_size(EMU_SVL));
	else
		return -EOPNOTSUPP;
	return FPB_PRIM_DONE;
}

static const struct fpb_backend_ops emu_ops = {
	.name = "a64emu", .summary = "test: emulated FPSIMD, ZA and streaming SVE registers",
	.save = emu_save, .restore = emu_restore,
};

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

/* What CYCLES cycles of a scenario did (sve: the streaming saves and restores among them). */
struct totals {
	uint64_t saves, restores, bytes_saved, bytes_restored;
	uint64_t sve_saves, sve_restores;
};

/* Run sc under st on be at streaming length svl, fa64 (handlers on, or off for prep). */
static struct totals run_on(struct fpb_backend *be, const struct fpb_strategy *st,
			    const struct fpb_a64_scenario *sc, unsigned svl, bool fa64, bool prep)
{
	struct fpb_a64_machine *am = calloc(1, sizeof(*am));
	struct fpb_sim_event pre[MAXEV], cyc[MAXEV];
	struct fpb_a64_config cfg;
	char why[FPB_REASON_LEN];
	size_t npre, ncyc, at;
	struct totals t;

	ck_assert_msg(am != NULL, "allocation");
	npre = sc->gen(sc, pre, MAXEV, false);
	ncyc = sc->gen(sc, cyc, MAXEV, true);
	ck_assert_msg(npre > 0 && npre <= MAXEV && ncyc > 0 && ncyc <= MAXEV,
		      "%s: prefix %zu, cycle %zu events: expected 1..%d", sc->name, npre, ncyc,
		      MAXEV);
	ck_assert_msg(!fpb_a64_scenario_config(sc, svl, fa64, &cfg, why, sizeof(why)),
		      "%s at SVL %u: config: %s", sc->name, svl, why);
	ck_assert_msg(!fpb_a64_machine_init(am, be, st, &cfg, why, sizeof(why)),
		      "%s on %s: init: %s", st->name, sc->name, why);
	am->base.check = true;
	am->base.prep_only = prep;
	ck_assert_msg(!fpb_a64_machine_run(am, pre, npre, &at), "%s on %s: prefix event %zu: %s",
		      st->name, sc->name, at, am->base.why);
	t = (struct totals){ nsaves(be), nrestores(be), am->bytes_saved, am->bytes_restored,
			     be->counts.save[FPB_OP_SVE_SAVE],
			     be->counts.restore[FPB_OP_SVE_RESTORE] };
	for (int i = 0; i < CYCLES; i++)
		ck_assert_msg(!fpb_a64_machine_run(am, cyc, ncyc, &at),
			      "%s on %s%s: cycle %d event %zu: %s", st->name, sc->name,
			      prep ? " (prep)" : "", i, at, am->base.why);
	t = (struct totals){ nsaves(be) - t.saves, nrestores(be) - t.restores,
			     am->bytes_saved - t.bytes_saved, am->bytes_restored - t.bytes_restored,
			     be->counts.save[FPB_OP_SVE_SAVE] - t.sve_saves,
			     be->counts.restore[FPB_OP_SVE_RESTORE] - t.sve_restores };
	fpb_a64_machine_fini(am);
	free(am);
	return t;
}

static struct totals run_scenario(const struct fpb_strategy *st,
				  const struct fpb_a64_scenario *sc, bool prep)
{
	struct fpb_backend be = { .ops = &emu_ops };

	return run_on(&be, st, sc, EMU_SVL, true, prep);
}

START_TEST(test_run_all)
{
	unsigned n = 0;

	for (size_t i = 0; i < fpb_nr_strategies; i++) {
		const struct fpb_strategy *st = fpb_strategies[i];

		if (!(st->flags & FPB_STRAT_ARCH_ARM64))
			continue;
		n++;
		for (size_t j = 0; j < fpb_a64_nr_scenarios; j++) {
			const struct fpb_a64_scenario *sc = fpb_a64_scenarios[j];
			char why[FPB_REASON_LEN] = "";
			uint64_t full;

			if (!fpb_a64_scenario_applies(sc, st, why, sizeof(why))) {
				ck_assert_msg((sc->za || sc->sm) && !(st->flags & FPB_STRAT_SME) &&
					      strstr(why, "predates SME"),
					      "%s on %s: n/a only for an SME scenario without SME "
					      "support, got '%s'", st->name, sc->name, why);
				continue;
			}
			full = run_scenario(st, sc, false).saves;
			ck_assert_msg(run_scenario(st, sc, true).saves == 0,
				      "%s on %s (prep): expected no saves", st->name, sc->name);
			if (sc->za || sc->sm)	/* the eager flush at every vcpu_load */
				ck_assert_msg(full >= 2 * CYCLES, "%s on %s: saves expected >= %d, "
					      "got %llu", st->name, sc->name, 2 * CYCLES,
					      (unsigned long long)full);
			else if (!sc->guest_fp)
				ck_assert_msg(full == 0, "%s on %s: saves expected 0, got %llu",
					      st->name, sc->name, (unsigned long long)full);
			else
				ck_assert_msg(full >= CYCLES, "%s on %s: saves expected >= %d, got "
					      "%llu", st->name, sc->name, CYCLES,
					      (unsigned long long)full);
		}
	}
	ck_assert_msg(n == 3, "arm64 guest policies: expected 3, got %u", n);
}
END_TEST

/*
 * With the host's ZA live, fp_owner per KVM_RUN: vcpu_load saves FPSIMD + ZA (FREE), the guest's
 * first FP use restores its FPSIMD only, vcpu_put saves it, and the return to user restores the
 * host's FPSIMD + ZA; without guest FP only the flush and the restore.  Bytes: 528 per FPSIMD
 * image, SVL * SVL per ZA image.
 */
START_TEST(test_za_counts)
{
	static const struct { const char *name; unsigned s, r; size_t bs, br; } want[] = {
		{ "a64-kvm-run-za", 3, 3, 2 * FPB_A64_IMG_SIZE + EMU_ZA,
		  2 * FPB_A64_IMG_SIZE + EMU_ZA },
		{ "a64-kvm-run-za-nofp", 2, 2, FPB_A64_IMG_SIZE + EMU_ZA,
		  FPB_A64_IMG_SIZE + EMU_ZA },
		{ "a64-kvm-run-fp", 2, 2, 2 * FPB_A64_IMG_SIZE, 2 * FPB_A64_IMG_SIZE },
		{ "a64-kvm-run-nofp", 0, 0, 0, 0 },
	};
	const struct fpb_strategy *st = fpb_strategy_find("arm64-fp-owner");

	ck_assert_msg(st && (st->flags & FPB_STRAT_SME), "arm64-fp-owner: expected FPB_STRAT_SME");
	for (size_t i = 0; i < FPB_ARRAY_SIZE(want); i++) {
		const struct fpb_a64_scenario *sc = fpb_a64_scenario_find(want[i].name);
		struct totals t;

		ck_assert_msg(sc, "scenario %s: expected registered", want[i].name);
		t = run_scenario(st, sc, false);
		ck_assert_msg(t.saves == want[i].s * CYCLES && t.restores == want[i].r * CYCLES,
			      "%s: per KVM_RUN expected %u saves %u restores, got %.2f %.2f",
			      sc->name, want[i].s, want[i].r, (double)t.saves / CYCLES,
			      (double)t.restores / CYCLES);
		ck_assert_msg(t.bytes_saved == want[i].bs * CYCLES &&
			      t.bytes_restored == want[i].br * CYCLES,
			      "%s: per KVM_RUN expected %zu bytes saved %zu restored, got %.1f %.1f",
			      sc->name, want[i].bs, want[i].br, (double)t.bytes_saved / CYCLES,
			      (double)t.bytes_restored / CYCLES);
	}
}
END_TEST

/* On aarch64 with SME: the ZA scenarios on the real registers, integrity checked. */
START_TEST(test_za_real)
{
#if defined(__aarch64__)
	const struct fpb_backend_ops *ops = fpb_backend_find("arm64");
	const struct fpb_strategy *st = fpb_strategy_find("arm64-fp-owner");
	struct fpb_backend be;
	unsigned svl;
	char why[FPB_REASON_LEN] = "";

	if (!ops || !fpb_a64_has(FPB_A64_SME, why, sizeof(why))) {
		fprintf(stderr, "# ZA scenarios on real registers skipped: %s\n",
			ops ? why : "no arm64 backend");
		return;
	}
	svl = fpb_a64_vl_get(FPB_A64_SME);
	for (size_t i = 0; i < fpb_a64_nr_scenarios; i++) {
		const struct fpb_a64_scenario *sc = fpb_a64_scenarios[i];
		struct totals t;

		if (!sc->za || sc->sm)
			continue;
		memset(&be, 0, sizeof(be));
		be.ops = ops;
		t = run_on(&be, st, sc, svl, false, false);
		ck_assert_msg(t.bytes_saved >= (uint64_t)CYCLES * svl * svl,
			      "%s at SVL %u: expected ZA saved every KVM_RUN, got %llu bytes",
			      sc->name, svl, (unsigned long long)t.bytes_saved);
		(void)run_on(&be, st, sc, svl, false, true);
		if (ops->close)
			ops->close(&be);
	}
#endif
}
END_TEST

/*
 * With the VMM in streaming mode, fp_owner per KVM_RUN: vcpu_load saves its streaming Z/P (FFR
 * with FA64, FPSR/FPCR) at SVL, plus ZA for -sm-za, and leaves streaming mode (FREE); the guest's
 * first FP use restores its FPSIMD, vcpu_put saves it; the return to user re-enters streaming
 * mode and restores the streaming image (and ZA).  Exact counts and bytes on be at svl.
 */
static void sm_counts_on(struct fpb_backend *be, unsigned svl, bool fa64)
{
	const struct fpb_strategy *st = fpb_strategy_find("arm64-fp-owner");
	size_t ss = (size_t)34 * svl + (fa64 ? svl / 8 : 0) + 8, za = (size_t)svl * svl;
	const struct { const char *name; unsigned s, r; size_t bs, br; } want[] = {
		{ "a64-kvm-run-sm", 2, 2, FPB_A64_IMG_SIZE + ss, FPB_A64_IMG_SIZE + ss },
		{ "a64-kvm-run-sm-za", 3, 3, FPB_A64_IMG_SIZE + ss + za,
		  FPB_A64_IMG_SIZE + ss + za },
	};

	ck_assert_msg(fpb_a64_ssve_bytes(svl, fa64) == ss, "streaming bytes at SVL %u FA64 %d: "
		      "expected %zu, got %zu", svl, fa64, ss, fpb_a64_ssve_bytes(svl, fa64));
	for (size_t i = 0; i < FPB_ARRAY_SIZE(want); i++) {
		const struct fpb_a64_scenario *sc = fpb_a64_scenario_find(want[i].name);
		struct totals t;

		ck_assert_msg(sc && sc->sm, "scenario %s: expected registered, streaming",
			      want[i].name);
		t = run_on(be, st, sc, svl, fa64, false);
		ck_assert_msg(t.saves == want[i].s * CYCLES && t.restores == want[i].r * CYCLES,
			      "%s at SVL %u: per KVM_RUN expected %u saves %u restores, got %.2f "
			      "%.2f", sc->name, svl, want[i].s, want[i].r, (double)t.saves / CYCLES,
			      (double)t.restores / CYCLES);
		ck_assert_msg(t.sve_saves == CYCLES && t.sve_restores == CYCLES,
			      "%s at SVL %u: per KVM_RUN expected 1 streaming save and restore, "
			      "got %.2f %.2f", sc->name, svl, (double)t.sve_saves / CYCLES,
			      (double)t.sve_restores / CYCLES);
		ck_assert_msg(t.bytes_saved == want[i].bs * CYCLES &&
			      t.bytes_restored == want[i].br * CYCLES,
			      "%s at SVL %u FA64 %d: per KVM_RUN expected %zu bytes saved %zu "
			      "restored, got %.1f %.1f", sc->name, svl, fa64, want[i].bs,
			      want[i].br, (double)t.bytes_saved / CYCLES,
			      (double)t.bytes_restored / CYCLES);
		t = run_on(be, st, sc, svl, fa64, true);
		ck_assert_msg(t.saves == 0 && t.restores == 0, "%s (prep): expected no saves or "
			      "restores, got %llu %llu", sc->name, (unsigned long long)t.saves,
			      (unsigned long long)t.restores);
	}
}

START_TEST(test_sm_counts)
{
	struct fpb_backend be = { .ops = &emu_ops };

	sm_counts_on(&be, EMU_SVL, true);
	memset(&be, 0, sizeof(be));
	be.ops = &emu_ops;
	sm_counts_on(&be, EMU_SVL, false);
}
END_TEST

/*
 * On aarch64 with SME (SVE and FEAT_SME_FA64 not needed): the streaming scenarios on the real
 * registers, FFR moved and checked only when HWCAP2_SME_FA64 says FA64 is there.
 */
START_TEST(test_sm_real)
{
#if defined(__aarch64__)
	const struct fpb_backend_ops *ops = fpb_backend_find("arm64");
	bool fa64 = (getauxval(AT_HWCAP2) & (1UL << 30)) != 0;
	struct fpb_backend be;
	char why[FPB_REASON_LEN] = "";

	if (!ops || !fpb_a64_has(FPB_A64_SME, why, sizeof(why))) {
		fprintf(stderr, "# streaming scenarios on real registers skipped: %s\n",
			!ops ? "no arm64 backend" : why);
		return;
	}
	memset(&be, 0, sizeof(be));
	be.ops = ops;
	sm_counts_on(&be, fpb_a64_vl_get(FPB_A64_SME), fa64);
	fprintf(stderr, "# streaming scenarios on real registers at SVL %u, %s: counts as "
		"modelled\n", fpb_a64_vl_get(FPB_A64_SME),
		fa64 ? "FEAT_SME_FA64 (FFR moved)" : "no FEAT_SME_FA64 (no FFR)");
	if (ops->close)
		ops->close(&be);
#endif
}
END_TEST

/*
 * Streaming mode on real registers: off aarch64 the machine refuses it with a reason; on aarch64
 * it no longer needs FA64 (nor SVE): set-up succeeds with fa64 false.
 */
START_TEST(test_sm_real_without_fa64)
{
	const struct fpb_backend_ops real = { .name = "fake-real", .flags = FPB_BE_REAL,
					      .save = emu_save, .restore = emu_restore };
	struct fpb_backend be = { .ops = &real };
	struct fpb_a64_config cfg = { .ncpus = 1, .ntasks = 1, .nvcpus = 1, .svl = 16 };
	struct fpb_a64_machine *am = calloc(1, sizeof(*am));
	char why[FPB_REASON_LEN] = "";

	int r;

	ck_assert_msg(am != NULL, "allocation");
	r = fpb_a64_machine_init(am, &be, fpb_strategy_find("arm64-fp-owner"), &cfg, why,
				 sizeof(why));
#if defined(__aarch64__)
	ck_assert_msg(r == 0, "streaming mode on real registers without FA64: expected set-up, "
		      "got %d '%s'", r, why);
	ck_assert_msg(am->ssve_bytes == fpb_a64_ssve_bytes(16, false) && !am->fa64,
		      "without FA64: expected %zu streaming bytes (no FFR), got %zu",
		      fpb_a64_ssve_bytes(16, false), am->ssve_bytes);
	fpb_a64_machine_fini(am);
#else
	ck_assert_msg(r == -EOPNOTSUPP && strstr(why, "aarch64"),
		      "streaming mode on real registers off aarch64: expected -EOPNOTSUPP "
		      "naming aarch64, got %d '%s'", r, why);
#endif
	free(am);
}
END_TEST

/* Without SME a ZA scenario cannot be configured, and says why (a skipped row). */
START_TEST(test_za_skip)
{
	struct fpb_a64_config cfg;
	char why[FPB_REASON_LEN] = "";

	for (size_t i = 0; i < fpb_a64_nr_scenarios; i++) {
		const struct fpb_a64_scenario *sc = fpb_a64_scenarios[i];
		int r = fpb_a64_scenario_config(sc, 0, true, &cfg, why, sizeof(why));

		if (sc->za || sc->sm)
			ck_assert_msg(r == -1 && strstr(why, "HWCAP2_SME"),
				      "%s without SME: expected -1 naming HWCAP2_SME, got %d '%s'",
				      sc->name, r, why);
		else
			ck_assert_msg(r == 0 && cfg.za_size == 0 && cfg.svl == 0,
				      "%s without SME: expected 0, no ZA, no SVL, got %d, %zu, %u",
				      sc->name, r, cfg.za_size, cfg.svl);
	}
	ck_assert_msg(!fpb_a64_scenario_config(fpb_a64_scenario_find("a64-kvm-run-za"), 32, true,
					       &cfg, why, sizeof(why)) && cfg.za_size == 1024 &&
		      cfg.svl == 0, "a64-kvm-run-za at SVL 32: expected ZA 1024 bytes, no SVL, got "
		      "%zu, %u", cfg.za_size, cfg.svl);
	ck_assert_msg(!fpb_a64_scenario_config(fpb_a64_scenario_find("a64-kvm-run-sm"), 32, false,
					       &cfg, why, sizeof(why)) && cfg.za_size == 0 &&
		      cfg.svl == 32 && !cfg.fa64, "a64-kvm-run-sm at SVL 32 without FA64: expected "
		      "no ZA, SVL 32, no FA64, got %zu, %u, %d", cfg.za_size, cfg.svl, cfg.fa64);
	ck_assert_msg(!fpb_a64_scenario_config(fpb_a64_scenario_find("a64-kvm-run-sm-za"), 64, true,
					       &cfg, why, sizeof(why)) && cfg.za_size == 4096 &&
		      cfg.svl == 64 && cfg.fa64, "a64-kvm-run-sm-za at SVL 64: expected ZA 4096, "
		      "SVL 64, FA64, got %zu, %u, %d", cfg.za_size, cfg.svl, cfg.fa64);
}
END_TEST

/* Is w in s as a whole roff word (not the start of a longer name such as w\-nofp)? */
static bool word_in(const char *s, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = s; (p = strstr(p, w)); p++) {
		char before = p == s ? ' ' : p[-1], after = p[n];

		if (before != '-' && before != '\\' && after != '\\' && after != '-' &&
		    !(after >= 'a' && after <= 'z') && !(after >= '0' && after <= '9'))
			return true;
	}
	return false;
}

/* Every arm64 scenario is named in the manual's SCENARIOS section. */
START_TEST(test_man_names)
{
	const char *src = getenv("FPB_SRCDIR");
	char path[1024], *text, *sect;
	FILE *f;
	long len;

	snprintf(path, sizeof(path), "%s/man/fpbench.1", src ? src : "..");
	f = fopen(path, "r");
	ck_assert_msg(f, "%s: expected readable", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)len + 1);
	ck_assert_msg(text && fread(text, 1, (size_t)len, f) == (size_t)len, "%s: read", path);
	fclose(f);
	sect = strstr(text, ".SH SCENARIOS");
	ck_assert_msg(sect, "%s: expected a SCENARIOS section", path);
	if (strstr(sect + 1, "\n.SH "))
		strstr(sect + 1, "\n.SH ")[0] = '\0';
	for (size_t i = 0; i < fpb_a64_nr_scenarios; i++) {
		char roff[96], *o = roff;

		/* man pages escape '-' as "\-" */
		for (const char *p = fpb_a64_scenarios[i]->name; *p && o < roff + 90; p++) {
			if (*p == '-')
				*o++ = '\\';
			*o++ = *p;
		}
		*o = '\0';
		ck_assert_msg(word_in(sect, roff), "man SCENARIOS: expected '%s', not found",
			      fpb_a64_scenarios[i]->name);
	}
	free(text);
}
END_TEST

START_TEST(test_find)
{
	ck_assert_msg(fpb_a64_nr_scenarios >= 3, "scenarios: expected >= 3, got %zu",
		      fpb_a64_nr_scenarios);
	for (size_t i = 0; i < fpb_a64_nr_scenarios; i++) {
		ck_assert_ptr_eq(fpb_a64_scenario_find(fpb_a64_scenarios[i]->name),
				 fpb_a64_scenarios[i]);
		ck_assert_msg(fpb_a64_scenarios[i]->events_per_cycle > 0, "%s: events per cycle",
			      fpb_a64_scenarios[i]->name);
	}
	ck_assert_ptr_null(fpb_a64_scenario_find("a64-kvm-run"));
	ck_assert_ptr_null(fpb_a64_scenario_find(NULL));
	ck_assert_ptr_null(fpb_a64_scenario_find("kvm-run-10"));
}
END_TEST

/*
 * The interrupted KVM_RUNs, per cycle.  fp_owner and the merged 2018 design flush the guest at
 * the preemption (its put) and leave the host's restore to the return to user; the 2018 patch as
 * posted restores the host at that put, and the switch right after saves it again: one save and
 * one restore more.  Uninterrupted, and with softirq NEON (no put), the three cost the same.
 */
START_TEST(test_interrupted_counts)
{
	static const struct { const char *scn; unsigned saves[3], restores[3]; } want[] = {
		{ "a64-kvm-run-fp",	   { 2, 2, 2 }, { 2, 2, 2 } },
		{ "a64-kvm-run-softirq",   { 3, 3, 3 }, { 3, 3, 3 } },
		{ "a64-kvm-run-preempted", { 4, 4, 5 }, { 4, 4, 5 } },
		{ "a64-kvm-run-migrated",  { 3, 3, 4 }, { 3, 3, 4 } },
	};
	static const char *const pol[3] = { "arm64-fp-owner", "arm64-defer-host-restore",
					     "arm64-restore-at-put" };

	for (size_t i = 0; i < FPB_ARRAY_SIZE(want); i++)
		for (int p = 0; p < 3; p++) {
			struct totals t = run_scenario(fpb_strategy_find(pol[p]),
						       fpb_a64_scenario_find(want[i].scn), false);

			/* the first cycle may pay one save or restore of warming up */
			ck_assert_msg(t.saves - (uint64_t)want[i].saves[p] * CYCLES <= 1 &&
				      t.restores - (uint64_t)want[i].restores[p] * CYCLES <= 1,
				      "%s on %s: %llu saves, %llu restores in %d cycles, want %u "
				      "and %u per cycle", pol[p], want[i].scn,
				      (unsigned long long)t.saves, (unsigned long long)t.restores,
				      CYCLES, want[i].saves[p],
				      want[i].restores[p]);
		}
}
END_TEST

static Suite *arm64_scenarios_suite(void)
{
	Suite *s = suite_create("arm64_scenarios");
	TCase *core = tcase_create("core"), *limits = tcase_create("limits");
	TCase *skip = tcase_create("skip");

	tcase_set_timeout(core, 120);
	tcase_add_test(core, test_run_all);
	tcase_add_test(core, test_za_counts);
	tcase_add_test(core, test_interrupted_counts);
	tcase_add_test(core, test_za_real);
	tcase_add_test(core, test_sm_counts);
	tcase_add_test(core, test_sm_real);
	tcase_add_test(skip, test_sm_real_without_fa64);
	tcase_add_test(limits, test_find);
	tcase_add_test(limits, test_man_names);
	tcase_add_test(skip, test_za_skip);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	suite_add_tcase(s, skip);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(arm64_scenarios_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
