// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check_integrity.c - nothing lost: random event sequences through every strategy, on the record
 * backend (emulated registers) and on the user backend (the real register file, read back with a
 * save after every event); every scenario under every strategy it applies to; and one directed
 * sequence per test-only mutant, each of which the checker must catch.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include "strategies-testlib.h"

#define SEED		20261123ULL
#define RECORD_SEQS	10000
#define USER_SEQS	500
#define SEQ_LEN		32	/* events per random sequence */
#define KILL_SEQS	20000	/* sequences a mutant gets to survive the random generator */

/*
 * Under each vendor's behaviour (src/cpu/cpu-xsave-rules.c), half the sequences on a compacted-format
 * (XSAVES) CPU with AMX and XFD, half on a standard one.
 */
START_TEST(test_random_record)
{
	const struct fpb_strategy *s = fpb_strategies[_i];
	struct fpb_cpu cpu[2];
	char why[512];

	if (s->flags & FPB_STRAT_ARCH_ARM64)	/* tests/check_arm64_strategies.c */
		return;
	fpbt_cpu_synth(&cpu[0], true, true, true, true);
	fpbt_cpu_synth(&cpu[1], true, false, false, false);
	for (unsigned k = 0; k < 4; k++) {
		struct fpb_cpu *c = &cpu[k & 1];
		struct fpb_backend be;

		snprintf(c->vendor, sizeof(c->vendor), "%s", fpbt_vendors[k >> 1]);
		ck_assert_msg(!fpbt_open(&be, &fpb_backend_record, c, why, sizeof(why)),
			      "record backend: %s", why);
		ck_assert_msg(!fpbt_random(&be, c, s, RECORD_SEQS / 4, SEQ_LEN,
					   SEED + k * RECORD_SEQS, why, sizeof(why)),
			      "%s (record backend, %s behaviour, %s format): %s", s->name,
			      c->vendor, (k & 1) ? "standard" : "compacted", why);
		fpbt_close(&be);
	}
}
END_TEST

START_TEST(test_random_user)
{
	const struct fpb_strategy *s = fpb_strategies[_i];
	const struct fpb_backend_ops *found = fpb_backend_find("user");
	const struct fpb_backend_ops *user = found;
	struct fpb_backend be;
	struct fpb_cpu cpu;
	char why[512];

	if (s->flags & FPB_STRAT_ARCH_ARM64)	/* tests/check_arm64_strategies.c */
		return;
	fpbt_cpu_native(&cpu);
	if (!found || !fpb_cpu_has(&cpu, FPB_CPU_OSXSAVE)) {
		fprintf(stderr, "# user backend or XSAVE missing: real-register sequences skipped\n");
		return;
	}
	ck_assert_msg(!fpbt_open(&be, user, &cpu, why, sizeof(why)), "user backend: %s", why);
	ck_assert_msg(!fpbt_random(&be, &cpu, s, USER_SEQS, SEQ_LEN, SEED, why, sizeof(why)),
		      "%s (user backend, real registers): %s", s->name, why);
	fpbt_close(&be);
}
END_TEST

/* Every scenario under every strategy of its family, under each vendor: prefix + 3 cycles. */
START_TEST(test_scenarios_record)
{
	const struct fpb_strategy *s = fpb_strategies[_i / 2];
	struct fpb_cpu cpu;
	struct fpb_backend be;
	char why[256];

	if (s->flags & FPB_STRAT_ARCH_ARM64)	/* tests/check_arm64_strategies.c */
		return;
	fpbt_cpu_synth(&cpu, true, true, true, true);
	snprintf(cpu.vendor, sizeof(cpu.vendor), "%s", fpbt_vendors[_i % 2]);
	ck_assert(!fpbt_open(&be, &fpb_backend_record, &cpu, why, sizeof(why)));
	for (size_t i = 0; i < fpb_nr_scenarios; i++) {
		const struct fpb_scenario *sc = fpb_scenarios[i];
		const struct fpb_strategy *task = s->family == FPB_FAMILY_TASK ? s :
						  fpb_strategy_find(FPB_DEFAULT_TASK_POLICY);
		struct fpb_machine m;

		if (sc->family != s->family)
			continue;
		if ((sc->flags & FPB_SCN_NEEDS_XFD) && !(s->flags & FPB_STRAT_XFD))
			continue;
		ck_assert_msg(!fpb_machine_init(&m, &be, &cpu, task,
						s->family == FPB_FAMILY_GUEST ? s : NULL, &sc->cfg,
						why, sizeof(why)), "%s: %s", sc->name, why);
		m.check = true;
		ck_assert_msg(!fpbt_scenario(&m, sc, 3), "%s / %s (%s behaviour): %s", s->name,
			      sc->name, cpu.vendor, m.why);
		fpb_machine_fini(&m);
	}
	fpbt_close(&be);
}
END_TEST

struct directed {
	struct fpb_strategy *mutant;
	const char *base;
	const char *what;
	enum fpb_strategy_family fam;
	struct fpb_sim_event ev[32];
	size_t n;
	bool xfd;		/* needs a CPU with AMX and XFD */
	const char *vendor;	/* whose behaviour shows the loss (NULL: any) */
};

#define E(t, c, x)	{ .type = FPB_EV_##t, .cpu = (c), .ctx = (x) }

static struct directed directed[] = {
	{ &fpb_mutant_lazy_nomigrate, "lazy", "migrate away, another context runs there, migrate back",
	  FPB_FAMILY_TASK, {
		E(SWITCH, 0, 0), E(RETURN_TO_USER, 0, 0), E(USER_RUN, 0, 0), E(ENTER_KERNEL, 0, 0),
		E(SWITCH, 0, 3), E(MIGRATE, 1, 0), E(SWITCH, 1, 0), E(RETURN_TO_USER, 1, 0),
		E(USER_RUN, 1, 0), E(ENTER_KERNEL, 1, 0), E(SWITCH, 1, 5), E(MIGRATE, 1, 1),
		E(SWITCH, 1, 1), E(RETURN_TO_USER, 1, 0), E(USER_RUN, 1, 0), E(ENTER_KERNEL, 1, 0),
		E(MIGRATE, 0, 0), E(SWITCH, 0, 0), E(RETURN_TO_USER, 0, 0) }, 19, false, NULL },
	{ &fpb_mutant_swap_ignore_need_load, "swap", "KVM_RUN after kernel FPU use",
	  FPB_FAMILY_GUEST, {
		E(SWITCH, 0, 0), E(RETURN_TO_USER, 0, 0), E(USER_RUN, 0, 0), E(ENTER_KERNEL, 0, 0),
		E(KERNEL_FPU, 0, 0), E(KVM_RUN_ENTER, 0, 0), E(VM_ENTRY, 0, 0), E(GUEST_RUN, 0, 0),
		E(VM_EXIT, 0, 0), E(KVM_RUN_EXIT, 0, 0), E(RETURN_TO_USER, 0, 0) }, 11, false, NULL },
	{ &fpb_mutant_eager_pkru_no_wrpkru, "eager-pkru", "switch, then a user-memory access",
	  FPB_FAMILY_TASK, {
		E(SWITCH, 0, 0), E(RETURN_TO_USER, 0, 0), E(USER_RUN, 0, 0), E(ENTER_KERNEL, 0, 0),
		E(SWITCH, 0, 1), E(USER_ACCESS, 0, 0), E(RETURN_TO_USER, 0, 0) }, 7, false, NULL },
	{ &fpb_mutant_copy3_no_memcpy, "copy3", "KVM_RUN with the registers already saved",
	  FPB_FAMILY_GUEST, {
		E(SWITCH, 0, 0), E(RETURN_TO_USER, 0, 0), E(USER_RUN, 0, 0), E(ENTER_KERNEL, 0, 0),
		E(KERNEL_FPU, 0, 0), E(KVM_RUN_ENTER, 0, 0), E(VM_ENTRY, 0, 0), E(GUEST_RUN, 0, 0),
		E(VM_EXIT, 0, 0), E(KVM_RUN_EXIT, 0, 0), E(RETURN_TO_USER, 0, 0) }, 11, false, NULL },
	{ &fpb_mutant_eager_pkru_no_rdpkru, "eager-pkru",
	  "a task writes a new PKRU, is switched out and back", FPB_FAMILY_TASK, {
		E(SWITCH, 0, 0), E(RETURN_TO_USER, 0, 0), E(USER_RUN, 0, 0), E(ENTER_KERNEL, 0, 0),
		E(SWITCH, 0, 1), E(RETURN_TO_USER, 0, 0), E(ENTER_KERNEL, 0, 0), E(SWITCH, 0, 0),
		E(RETURN_TO_USER, 0, 0) }, 9, false, NULL },
	{ &fpb_mutant_swap_no_guest_pkru_readback, "swap",
	  "the guest writes a new PKRU, exits and enters again", FPB_FAMILY_GUEST, {
		E(SWITCH, 0, 0), E(RETURN_TO_USER, 0, 0), E(USER_RUN, 0, 0), E(ENTER_KERNEL, 0, 0),
		E(KVM_RUN_ENTER, 0, 0), E(VM_ENTRY, 0, 0), E(GUEST_RUN, 0, 0), E(VM_EXIT, 0, 0),
		E(VM_ENTRY, 0, 0) }, 9, false, NULL },
	{ &fpb_mutant_swap_xfd_not_rearmed, "swap",
	  "the guest enables AMX (XFD cleared), a later KVM_RUN returns", FPB_FAMILY_GUEST, {
		E(SWITCH, 0, 0), E(RETURN_TO_USER, 0, 0), E(ENTER_KERNEL, 0, 0),
		E(KVM_RUN_ENTER, 0, 0), E(VM_ENTRY, 0, 0), E(GUEST_XFD_EXIT, 0, 0),
		E(KVM_RUN_EXIT, 0, 0), E(KVM_RUN_ENTER, 0, 0), E(VM_ENTRY, 0, 0), E(VM_EXIT, 0, 0),
		E(KVM_RUN_EXIT, 0, 0) }, 11, true, NULL },
	{ &fpb_mutant_lazy_ptrace_no_invalidate, "lazy",
	  "a tracer writes a task whose registers its CPU still holds", FPB_FAMILY_TASK, {
		E(SWITCH, 0, 0), E(RETURN_TO_USER, 0, 0), E(USER_RUN, 0, 0), E(ENTER_KERNEL, 0, 0),
		E(SWITCH, 0, 3), E(PTRACE_WRITE, 0, 0), E(SWITCH, 0, 0), E(RETURN_TO_USER, 0, 0) },
	  8, false, NULL },
	/*
	 * The handler's init state is saved by XSAVES with XINUSE[1] = 0 where the vendor clears
	 * it (Intel): the fpstate's MXCSR field keeps the pre-signal value, which is not state.
	 */
	{ &fpb_mutant_eager_stale_mxcsr, "eager", "signal, switch away, ptrace read",
	  FPB_FAMILY_TASK, {
		E(SWITCH, 0, 0), E(RETURN_TO_USER, 0, 0), E(USER_RUN, 0, 0), E(ENTER_KERNEL, 0, 0),
		E(SIGNAL, 0, 0), E(SWITCH, 0, 1), E(PTRACE_READ, 0, 0) }, 7, false, "GenuineIntel" },
	{ &fpb_mutant_eager_ptrace_no_invalidate, "eager",
	  "a tracer writes a task whose registers its CPU still holds", FPB_FAMILY_TASK, {
		E(SWITCH, 0, 0), E(RETURN_TO_USER, 0, 0), E(USER_RUN, 0, 0), E(ENTER_KERNEL, 0, 0),
		E(SWITCH, 0, 3), E(PTRACE_WRITE, 0, 0), E(SWITCH, 0, 0), E(RETURN_TO_USER, 0, 0) },
	  8, false, NULL },
};

static int run_directed(const struct directed *d, const struct fpb_strategy *s, const char *vendor,
			char *why, size_t len)
{
	struct fpb_machine_config cfg;
	struct fpb_cpu cpu;
	struct fpb_backend be;
	struct fpb_machine m;
	int r;

	fpbt_cpu_synth(&cpu, true, d->xfd, true, d->xfd);
	snprintf(cpu.vendor, sizeof(cpu.vendor), "%s", vendor);
	ck_assert(!fpbt_open(&be, &fpb_backend_record, &cpu, why, len));
	fpb_scenario_random_config(d->fam, NULL, &cfg);
	cfg.guest_xfd_armed = d->xfd;
	ck_assert(!fpb_machine_init(&m, &be, &cpu,
				    d->fam == FPB_FAMILY_TASK ? s : fpb_strategy_find("eager-pkru"),
				    d->fam == FPB_FAMILY_GUEST ? s : NULL, &cfg, why, len));
	m.check = true;
	r = fpb_machine_run(&m, d->ev, d->n, NULL);
	snprintf(why, len, "%s", m.why);
	fpb_machine_fini(&m);
	fpbt_close(&be);
	return r;
}

START_TEST(test_mutant_caught)
{
	const struct directed *d = &directed[_i];
	char why[256];

	fpb_mutants_init();
	for (unsigned v = 0; v < FPB_ARRAY_SIZE(fpbt_vendors); v++) {
		const char *vendor = fpbt_vendors[v];
		bool must = !d->vendor || !strcmp(d->vendor, vendor);
		int r;

		ck_assert_msg(!run_directed(d, fpb_strategy_find(d->base), vendor, why,
					    sizeof(why)),
			      "%s: the correct strategy fails the directed sequence (%s, %s "
			      "behaviour): %s", d->base, d->what, vendor, why);
		r = run_directed(d, d->mutant, vendor, why, sizeof(why));
		ck_assert_msg(r == -EPROTO || (!must && !r),
			      "mutant %s: not caught by the checker (%s, %s behaviour): %d",
			      d->mutant->name, d->what, vendor, r);
		if (r)
			fprintf(stderr, "# mutant %s caught (%s behaviour): %s\n", d->mutant->name,
				vendor, why);
		else
			fprintf(stderr, "# mutant %s not visible under %s behaviour (expected)\n",
				d->mutant->name, vendor);
	}
}
END_TEST

/*
 * The random generator catches every mutant too, on the AMX + XFD CPU: the kill rate is the
 * number of sequences (SEQ_LEN events each) up to the first one the checker fails (HACKING.md
 * tabulates it).  A mutant that only its directed sequence catches is a gap.
 */
START_TEST(test_mutant_random)
{
	const struct directed *d = &directed[_i];
	struct fpb_backend be;
	struct fpb_cpu cpu;
	char why[256];
	unsigned n;

	fpb_mutants_init();
	fpbt_cpu_synth(&cpu, true, true, true, true);
	if (d->vendor)	/* the loss shows under this vendor's behaviour only */
		snprintf(cpu.vendor, sizeof(cpu.vendor), "%s", d->vendor);
	ck_assert(!fpbt_open(&be, &fpb_backend_record, &cpu, why, sizeof(why)));
	n = fpbt_kill_rate(&be, &cpu, d->mutant, KILL_SEQS, SEQ_LEN, SEED);
	fpbt_close(&be);
	ck_assert_msg(n, "mutant %s: not caught by %d random sequences of %d events", d->mutant->name,
		      KILL_SEQS, SEQ_LEN);
	fprintf(stderr, "# kill rate: mutant %s caught by random sequence %u (of %d events)\n",
		d->mutant->name, n, SEQ_LEN);
}
END_TEST

/*
 * The random sequences do land preemptions and softirq kernel FPU use at every named injection
 * point (strategies/scenario-random.c; HACKING.md lists them), under both families.
 */
START_TEST(test_injection_points)
{
	unsigned hits[8][2] = { { 0 } };
	struct fpb_machine *m = calloc(1, sizeof(*m));
	struct fpb_backend be;
	struct fpb_cpu cpu;
	char why[256];

	ck_assert(fpb_scenario_nr_injection_points <= 8);
	fpbt_cpu_synth(&cpu, true, true, true, true);
	ck_assert(!fpbt_open(&be, &fpb_backend_record, &cpu, why, sizeof(why)));
	for (unsigned q = 0; q < 400; q++) {
		enum fpb_strategy_family fam = q & 1 ? FPB_FAMILY_GUEST : FPB_FAMILY_TASK;
		uint64_t rng = (SEED + q) * 0x9e3779b97f4a7c15ULL | 1;
		struct fpb_machine_config cfg;

		fpb_scenario_random_config(fam, NULL, &cfg);
		ck_assert_msg(!fpb_machine_init(m, &be, &cpu, fpb_strategy_find("eager-pkru"),
						fam == FPB_FAMILY_GUEST ? fpb_strategy_find("swap") :
						NULL, &cfg, why, sizeof(why)), "%s", why);
		m->check = true;
		for (unsigned e = 0; e < SEQ_LEN; e++) {
			struct fpb_sim_event ev;
			int at;

			fpb_scenario_random_event(m, &rng, &ev);
			at = fpb_scenario_injection_point(m, ev.cpu);
			if (at >= 0 && (ev.type == FPB_EV_SWITCH || ev.type == FPB_EV_KERNEL_FPU))
				hits[at][ev.type == FPB_EV_SWITCH]++;
			ck_assert_msg(!fpb_machine_step(m, &ev), "%s", m->why);
		}
		fpb_machine_fini(m);
	}
	fpbt_close(&be);
	free(m);
	for (size_t i = 0; i < fpb_scenario_nr_injection_points; i++) {
		ck_assert_msg(hits[i][0] && hits[i][1], "injection point '%s': %u softirq kernel FPU "
			      "uses, %u preemptions, want both", fpb_scenario_injection_points[i],
			      hits[i][0], hits[i][1]);
		fprintf(stderr, "# injection point '%s': %u softirq, %u preemptions\n",
			fpb_scenario_injection_points[i], hits[i][0], hits[i][1]);
	}
}
END_TEST

static Suite *integrity_suite(void)
{
	Suite *s = suite_create("integrity");
	TCase *tc = tcase_create("record");

	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, test_random_record, 0, (int)fpb_nr_strategies);
	tcase_add_loop_test(tc, test_scenarios_record, 0, (int)fpb_nr_strategies);
	tcase_add_test(tc, test_injection_points);
	suite_add_tcase(s, tc);
	tc = tcase_create("user");
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, test_random_user, 0, (int)fpb_nr_strategies);
	suite_add_tcase(s, tc);
	tc = tcase_create("mutants");
	tcase_add_loop_test(tc, test_mutant_caught, 0, (int)(sizeof(directed) / sizeof(directed[0])));
	tcase_add_loop_test(tc, test_mutant_random, 0, (int)(sizeof(directed) / sizeof(directed[0])));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(integrity_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
