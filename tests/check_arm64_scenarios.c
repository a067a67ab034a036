// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check_arm64_scenarios.c - the arm64 vCPU scenarios the strategies suite times: every arm64
 * guest policy runs each one's prefix and cycles with integrity checking (and with its handlers
 * off, as the suite's prep-only companion), on an emulated FPSIMD register file; the primitive
 * counts each cycle implies.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "arm64-scenarios.h"

#define CYCLES	50
#define MAXEV	64

static uint8_t emu_v[FPB_A64_IMG_SIZE];

static int emu_save(struct fpb_backend *be, enum fpb_save_op op, void *buf, uint64_t rfbm)
{
	(void)be;
	(void)rfbm;
	if (op != FPB_OP_FPSIMD_SAVE)
		return -EOPNOTSUPP;
	memcpy(buf, emu_v, 520);
	return FPB_PRIM_DONE;
}

static int emu_restore(struct fpb_backend *be, enum fpb_restore_op op, const void *buf,
		       uint64_t rfbm)
{
	(void)be;
	(void)rfbm;
	if (op != FPB_OP_FPSIMD_RESTORE)
		return -EOPNOTSUPP;
	memcpy(emu_v, buf, 520);
	return FPB_PRIM_DONE;
}

static const struct fpb_backend_ops emu_ops = {
	.name = "a64emu", .summary = "test: emulated FPSIMD registers",
	.save = emu_save, .restore = emu_restore,
};

static uint64_t nsaves(const struct fpb_backend *be)
{
	uint64_t n = 0;

	for (int i = 0; i < FPB_NR_SAVE_OPS; i++)
		n += be->counts.save[i];
	return n;
}

/* Run sc under st (handlers on, or off for prep); the saves of CYCLES cycles. */
static uint64_t run_scenario(const struct fpb_strategy *st, const struct fpb_a64_scenario *sc,
			     bool prep)
{
	struct fpb_a64_machine *am = calloc(1, sizeof(*am));
	struct fpb_sim_event pre[MAXEV], cyc[MAXEV];
	struct fpb_backend be = { .ops = &emu_ops };
	char why[FPB_REASON_LEN];
	size_t npre, ncyc, at;
	uint64_t s0;

	ck_assert_msg(am != NULL, "allocation");
	npre = sc->gen(sc, pre, MAXEV, false);
	ncyc = sc->gen(sc, cyc, MAXEV, true);
	ck_assert_msg(npre > 0 && npre <= MAXEV && ncyc > 0 && ncyc <= MAXEV,
		      "%s: prefix %zu, cycle %zu events: expected 1..%d", sc->name, npre, ncyc,
		      MAXEV);
	ck_assert_msg(!fpb_a64_machine_init(am, &be, st, &sc->cfg, why, sizeof(why)),
		      "%s on %s: init: %s", st->name, sc->name, why);
	am->base.check = true;
	am->base.prep_only = prep;
	ck_assert_msg(!fpb_a64_machine_run(am, pre, npre, &at), "%s on %s: prefix event %zu: %s",
		      st->name, sc->name, at, am->base.why);
	s0 = nsaves(&be);
	for (int i = 0; i < CYCLES; i++)
		ck_assert_msg(!fpb_a64_machine_run(am, cyc, ncyc, &at),
			      "%s on %s%s: cycle %d event %zu: %s", st->name, sc->name,
			      prep ? " (prep)" : "", i, at, am->base.why);
	s0 = nsaves(&be) - s0;
	fpb_a64_machine_fini(am);
	free(am);
	return s0;
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
			uint64_t full = run_scenario(st, sc, false);

			(void)run_scenario(st, sc, true);
			if (!sc->guest_fp)
				ck_assert_msg(full == 0, "%s on %s: saves expected 0, got %llu",
					      st->name, sc->name, (unsigned long long)full);
			else
				ck_assert_msg(full >= CYCLES, "%s on %s: saves expected >= %d, got "
					      "%llu", st->name, sc->name, CYCLES,
					      (unsigned long long)full);
		}
	}
	ck_assert_msg(n == 2, "arm64 guest policies: expected 2, got %u", n);
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

static Suite *arm64_scenarios_suite(void)
{
	Suite *s = suite_create("arm64_scenarios");
	TCase *core = tcase_create("core"), *limits = tcase_create("limits");

	tcase_set_timeout(core, 120);
	tcase_add_test(core, test_run_all);
	tcase_add_test(limits, test_find);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
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
