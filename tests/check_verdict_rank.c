// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check_verdict_rank.c - the winner among rivals by the verdict rule: ties, overlapping
 * intervals, a floor and disturbed estimates never make a winner; a clear gap does, whatever the
 * order of the rivals.
 */
#include <check.h>
#include <math.h>
#include <string.h>
#include "verdict.h"

#define E(c, l, h) ((struct fpb_estimate){ .centre = (c), .lo = (l), .hi = (h) })

START_TEST(test_clear_winner_any_order)
{
	struct fpb_estimate e[3] = { E(200, 195, 205), E(100, 98, 102), E(150, 148, 152) };
	struct fpb_change chg[3];
	struct fpb_ranking rk;

	fpb_verdict_rank(e, 3, FPB_VERDICT_RIVAL_FLOOR, &rk, chg);
	ck_assert_int_eq(rk.lowest, 1);
	ck_assert_int_eq(rk.winner, 1);
	ck_assert_int_eq(rk.next, 2);
	ck_assert_int_eq(rk.rival, -1);
	ck_assert_int_eq(chg[0].verdict, FPB_VERDICT_HIGHER);
	ck_assert_int_eq(chg[2].verdict, FPB_VERDICT_HIGHER);
	ck_assert_int_eq(chg[1].verdict, FPB_VERDICT_NOT_COMPARED);
}
END_TEST

/* Identical medians: no winner, and swapping the rivals changes nothing but the indices. */
START_TEST(test_tie_never_wins)
{
	struct fpb_estimate e[2] = { E(100, 99.9, 100.1), E(100, 99.9, 100.1) };
	struct fpb_ranking rk;

	fpb_verdict_rank(e, 2, 0, &rk, NULL);
	ck_assert_int_eq(rk.winner, -1);
	ck_assert_int_eq(rk.lowest, 0);
	ck_assert_int_eq(rk.rival, 1);
}
END_TEST

/* Overlapping intervals: the lower median does not win. */
START_TEST(test_overlap_never_wins)
{
	struct fpb_estimate e[2] = { E(110, 100, 120), E(105, 95, 112) };
	struct fpb_change chg[2];
	struct fpb_ranking rk;
	char v[160];

	fpb_verdict_rank(e, 2, 0, &rk, chg);
	ck_assert_int_eq(rk.lowest, 1);
	ck_assert_int_eq(rk.winner, -1);
	ck_assert_int_eq(rk.rival, 0);
	ck_assert_int_eq(chg[0].verdict, FPB_VERDICT_INDISTINGUISHABLE);
	fpb_verdict_describe(&chg[0], "b", 0, v, sizeof(v));
	ck_assert_msg(!strncmp(v, "indistinguishable from b: +4.8%", 31), "got '%s'", v);
}
END_TEST

/* Beaten the next clearly but overlapping a third with a wide interval: still no winner. */
START_TEST(test_must_beat_every_rival)
{
	struct fpb_estimate e[3] = { E(100, 99, 101), E(110, 109, 111), E(130, 90, 200) };
	struct fpb_ranking rk;

	fpb_verdict_rank(e, 3, 0, &rk, NULL);
	ck_assert_int_eq(rk.winner, -1);
	ck_assert_int_eq(rk.next, 1);
	ck_assert_int_eq(rk.rival, 2);
}
END_TEST

/* Separated intervals but a change under the floor: no winner. */
START_TEST(test_floor)
{
	struct fpb_estimate e[2] = { E(100, 99.9, 100.1), E(101, 100.9, 101.1) };
	struct fpb_change chg[2];
	struct fpb_ranking rk;

	fpb_verdict_rank(e, 2, FPB_VERDICT_RIVAL_FLOOR, &rk, chg);
	ck_assert_int_eq(rk.winner, -1);
	ck_assert(chg[1].below_floor);
	fpb_verdict_rank(e, 2, 0, &rk, chg);
	ck_assert_int_eq(rk.winner, 0);
}
END_TEST

/* A disturbed rival makes the comparison inconclusive: no winner. */
START_TEST(test_disturbed)
{
	struct fpb_estimate e[2] = { E(100, 99, 101), E(200, 198, 202) };
	struct fpb_change chg[2];
	struct fpb_ranking rk;

	e[1].disturbed = true;
	fpb_verdict_rank(e, 2, 0, &rk, chg);
	ck_assert_int_eq(rk.winner, -1);
	ck_assert_int_eq(chg[1].verdict, FPB_VERDICT_INCONCLUSIVE);
}
END_TEST

/* Medians at or below zero and lone estimates take no part. */
START_TEST(test_not_ranked)
{
	struct fpb_estimate e[3] = { E(-5, -10, 1), E(100, 99, 101), E(NAN, NAN, NAN) };
	struct fpb_ranking rk;

	fpb_verdict_rank(e, 3, 0, &rk, NULL);
	ck_assert_uint_eq(rk.ranked, 1);
	ck_assert_int_eq(rk.lowest, -1);
	ck_assert_int_eq(rk.winner, -1);
}
END_TEST

static Suite *rank_suite(void)
{
	Suite *s = suite_create("verdict-rank");
	TCase *tc = tcase_create("rank");

	tcase_add_test(tc, test_clear_winner_any_order);
	tcase_add_test(tc, test_tie_never_wins);
	tcase_add_test(tc, test_overlap_never_wins);
	tcase_add_test(tc, test_must_beat_every_rival);
	tcase_add_test(tc, test_floor);
	tcase_add_test(tc, test_disturbed);
	tcase_add_test(tc, test_not_ranked);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rank_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
