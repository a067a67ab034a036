// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check_stats.c - statistics on hand-computed samples: median, MAD, percentiles, the binomial
 * CI of the median, outliers, drift, Mann-Whitney U, and the N/2N differencing helper.
 */
#include <check.h>
#include <math.h>
#include "stats.h"
#include "verdict.h"

#define EPS 1e-9

#define ck_near(what, want, got) \
	ck_assert_msg(fabs((double)(got) - (double)(want)) < EPS, "%s: want %.9g, got %.9g", \
		      (what), (double)(want), (double)(got))

START_TEST(test_odd)
{
	/* sorted: 1 2 3 4 100; median 3; |dev| 2 1 0 1 97 -> MAD 1 */
	const double x[] = { 4, 1, 100, 3, 2 };
	struct fpb_stats st;

	ck_assert_int_eq(fpb_stats_compute(x, 5, 0.95, &st), 0);
	ck_assert_uint_eq(st.n, 5);
	ck_near("min", 1, st.min);
	ck_near("max", 100, st.max);
	ck_near("median", 3, st.median);
	ck_near("mean", 22, st.mean);
	ck_near("mad", 1, st.mad);
	/* p5: h = 0.2 -> 1 + 0.2 * (2 - 1); p95: h = 3.8 -> 4 + 0.8 * 96 */
	ck_near("p5", 1.2, st.p5);
	ck_near("p95", 80.8, st.p95);
	/* stddev: sum sq dev = 441+400+361+324+6084 = 7610; /4 = 1902.5 */
	ck_near("stddev", sqrt(1902.5), st.stddev);
	/* 100 is 97 from the median, more than 3 * 1.4826 * 1 */
	ck_assert_msg(st.outliers == 1, "outliers: want 1, got %zu", st.outliers);
	/* n = 5 is too small for a 95% rank interval: [min, max] */
	ck_near("ci_lo", 1, st.ci_lo);
	ck_near("ci_hi", 100, st.ci_hi);
	ck_near("ci_rel", (100 - 1) / 2.0 / 3, st.ci_rel);
	ck_near("ci_level", 0.95, st.ci_level);
}
END_TEST

START_TEST(test_even)
{
	const double x[] = { 10, 2, 8, 4, 6, 12 };
	struct fpb_stats st;

	ck_assert_int_eq(fpb_stats_compute(x, 6, 0.95, &st), 0);
	ck_near("median", 7, st.median);
	/* |dev| 5 3 1 1 3 5 -> sorted 1 1 3 3 5 5 -> 3 */
	ck_near("mad", 3, st.mad);
	/* p5: h = 0.25 -> 2 + 0.25 * 2 = 2.5; p95: h = 4.75 -> 10 + 0.75 * 2 = 11.5 */
	ck_near("p5", 2.5, st.p5);
	ck_near("p95", 11.5, st.p95);
	ck_assert_uint_eq(st.outliers, 0);
	/* first third (10, 2) median 6, last third (6, 12) median 9 -> +50% */
	ck_near("drift", 0.5, st.drift);
}
END_TEST

START_TEST(test_ci_ranks)
{
	/*
	 * n = 10, 95%: P(B <= 1) = 11/1024 <= 0.025 < P(B <= 2) = 56/1024, so k = 2 and the
	 * interval is [x_(2), x_(9)].  n = 20: P(B <= 5) = 0.0207, P(B <= 6) = 0.0577 -> k = 6,
	 * [x_(6), x_(15)].  n = 100: the textbook ranks are 40 and 61.
	 */
	double x[100];
	struct fpb_stats st;

	for (int i = 0; i < 100; i++)
		x[i] = (double)((i * 37) % 100 + 1);	/* 1..100 shuffled */
	for (int i = 0; i < 10; i++)
		x[i] = (double)((i * 3) % 10 + 1);	/* 1..10 shuffled */
	ck_assert_int_eq(fpb_stats_compute(x, 10, 0.95, &st), 0);
	ck_near("n=10 ci_lo", 2, st.ci_lo);
	ck_near("n=10 ci_hi", 9, st.ci_hi);
	ck_near("n=10 median", 5.5, st.median);

	for (int i = 0; i < 20; i++)
		x[i] = (double)((i * 7) % 20 + 1);
	ck_assert_int_eq(fpb_stats_compute(x, 20, 0.95, &st), 0);
	ck_near("n=20 ci_lo", 6, st.ci_lo);
	ck_near("n=20 ci_hi", 15, st.ci_hi);

	for (int i = 0; i < 100; i++)
		x[i] = (double)((i * 37) % 100 + 1);
	ck_assert_int_eq(fpb_stats_compute(x, 100, 0.95, &st), 0);
	ck_near("n=100 ci_lo", 40, st.ci_lo);
	ck_near("n=100 ci_hi", 61, st.ci_hi);
	ck_near("n=100 median", 50.5, st.median);
}
END_TEST

START_TEST(test_ci_large)
{
	/* 100000 samples: must not overflow or underflow; interval around the middle. */
	size_t n = 100000;
	double *x = malloc(n * sizeof(*x));
	struct fpb_stats st;

	ck_assert_ptr_nonnull(x);
	for (size_t i = 0; i < n; i++)
		x[i] = (double)((i * 7919) % n);
	ck_assert_int_eq(fpb_stats_compute(x, n, 0.95, &st), 0);
	/* half-width about 1.96 * sqrt(n) / 2 = 310 ranks */
	ck_assert_msg(st.ci_lo > 49600 && st.ci_lo < 49750, "ci_lo: want ~49690, got %g", st.ci_lo);
	ck_assert_msg(st.ci_hi > 50250 && st.ci_hi < 50400, "ci_hi: want ~50310, got %g", st.ci_hi);
	free(x);
}
END_TEST

START_TEST(test_one)
{
	const double x[] = { 42.5 };
	struct fpb_stats st;

	ck_assert_int_eq(fpb_stats_compute(x, 1, 0.95, &st), 0);
	ck_near("median", 42.5, st.median);
	ck_near("p5", 42.5, st.p5);
	ck_near("p95", 42.5, st.p95);
	ck_near("stddev", 0, st.stddev);
	ck_near("mad", 0, st.mad);
	ck_near("ci_lo", 42.5, st.ci_lo);
	ck_near("ci_hi", 42.5, st.ci_hi);
	ck_near("drift", 0, st.drift);
	ck_assert_uint_eq(st.outliers, 0);
}
END_TEST

START_TEST(test_constant)
{
	double x[50];
	struct fpb_stats st;

	for (int i = 0; i < 50; i++)
		x[i] = 7;
	ck_assert_int_eq(fpb_stats_compute(x, 50, 0.95, &st), 0);
	ck_near("median", 7, st.median);
	ck_near("mad", 0, st.mad);
	ck_near("stddev", 0, st.stddev);
	ck_near("ci_rel", 0, st.ci_rel);
	ck_near("drift", 0, st.drift);
	ck_assert_uint_eq(st.outliers, 0);
}
END_TEST

START_TEST(test_zero_median)
{
	const double x[] = { -1, 0, 1 };
	struct fpb_stats st;

	ck_assert_int_eq(fpb_stats_compute(x, 3, 0.95, &st), 0);
	ck_near("median", 0, st.median);
	ck_near("ci_rel (median 0)", 0, st.ci_rel);
}
END_TEST

START_TEST(test_input_untouched)
{
	double x[] = { 3, 1, 2 };
	struct fpb_stats st;

	ck_assert_int_eq(fpb_stats_compute(x, 3, 0.95, &st), 0);
	ck_assert_msg(x[0] == 3 && x[1] == 1 && x[2] == 2, "input reordered: %g %g %g",
		      x[0], x[1], x[2]);
}
END_TEST

START_TEST(test_limits)
{
	struct fpb_stats st;
	double x = 1;

	ck_assert_int_eq(fpb_stats_compute(&x, 0, 0.95, &st), -EINVAL);
	ck_assert_int_eq(fpb_stats_compute(NULL, 3, 0.95, &st), -EINVAL);
	ck_near("median of nothing", 0, fpb_stats_median_sorted(&x, 0));
	ck_near("diff per op", 37, fpb_stats_diff_per_op(1000 + 37 * 100, 1000 + 37 * 200, 100));
}
END_TEST

START_TEST(test_mw_separated)
{
	double a[20], b[20], p;

	for (int i = 0; i < 20; i++) {
		a[i] = 100 + i;
		b[i] = 200 + i;
	}
	p = fpb_stats_mann_whitney_p(a, 20, b, 20);
	/* U = 0: z = (200 - 0.5) / sqrt(20*20*41/12) = 5.397 -> p ~ 6.8e-8 */
	ck_assert_msg(p > 0 && p < 1e-6, "separated sets: want p < 1e-6, got %g", p);
	ck_assert_msg(fabs(p - fpb_stats_mann_whitney_p(b, 20, a, 20)) < 1e-12,
		      "p must be symmetric: %g vs %g", p, fpb_stats_mann_whitney_p(b, 20, a, 20));
	ck_assert_msg(fabs(p - 6.77e-8) < 0.1e-8, "separated sets: want p ~ 6.77e-8, got %g", p);
}
END_TEST

START_TEST(test_mw_identical)
{
	double a[15], p;

	for (int i = 0; i < 15; i++)
		a[i] = (double)(i % 5);
	p = fpb_stats_mann_whitney_p(a, 15, a, 15);
	ck_assert_msg(p > 0.99, "identical sets: want p ~ 1, got %g", p);
	/* all tied */
	for (int i = 0; i < 15; i++)
		a[i] = 3;
	ck_near("all tied", 1, fpb_stats_mann_whitney_p(a, 15, a, 15));
	ck_near("empty", 1, fpb_stats_mann_whitney_p(a, 0, a, 15));
}
END_TEST

START_TEST(test_mw_known)
{
	/* a = 1..5, b = 6..10 interleaved a bit: a = {1,2,3,4,7}, b = {5,6,8,9,10}: U_a = 2 */
	const double a[] = { 1, 2, 3, 4, 7 }, b[] = { 5, 6, 8, 9, 10 };
	/* mu = 12.5, sigma = sqrt(25 * 11 / 12) = 4.787; z = (10.5 - 0.5) / 4.787 = 2.089 */
	double p = fpb_stats_mann_whitney_p(a, 5, b, 5);

	ck_assert_msg(fabs(p - erfc(2.0889 / sqrt(2))) < 1e-3, "want p ~ %g, got %g",
		      erfc(2.0889 / sqrt(2)), p);
}
END_TEST

/* --- the verdict rule and the two-level estimate --- */

START_TEST(test_verdict_ties)
{
	struct fpb_estimate a = { 100, 99, 101, false }, b = a;
	struct fpb_change ch;

	/* Identical estimates: a tie never makes a winner. */
	fpb_verdict_change(&a, &b, 0, &ch);
	ck_assert_int_eq(ch.verdict, FPB_VERDICT_INDISTINGUISHABLE);
	ck_assert_msg(ch.rel == 0 && ch.lo < 0 && ch.hi > 0, "tie: %g [%g, %g]", ch.rel, ch.lo,
		      ch.hi);
	/* Equal centres, intervals of zero width: the change is exactly zero, still no winner. */
	a.lo = a.hi = b.lo = b.hi = 100;
	fpb_verdict_change(&a, &b, 0, &ch);
	ck_assert_int_eq(ch.verdict, FPB_VERDICT_INDISTINGUISHABLE);
}
END_TEST

START_TEST(test_verdict_overlap)
{
	struct fpb_estimate a = { 100, 98, 103, false }, b = { 102, 101, 104, false };
	struct fpb_estimate c = { 110, 108, 112, false };
	struct fpb_change ch;

	/* Overlapping intervals: indistinguishable, whichever centre is lower. */
	fpb_verdict_change(&a, &b, 0, &ch);
	ck_assert_int_eq(ch.verdict, FPB_VERDICT_INDISTINGUISHABLE);
	fpb_verdict_change(&b, &a, 0, &ch);
	ck_assert_int_eq(ch.verdict, FPB_VERDICT_INDISTINGUISHABLE);
	/* Apart: higher one way, lower the other; the floor can hold a real change back. */
	fpb_verdict_change(&a, &c, 0, &ch);
	ck_assert_int_eq(ch.verdict, FPB_VERDICT_HIGHER);
	fpb_verdict_change(&c, &a, 0, &ch);
	ck_assert_int_eq(ch.verdict, FPB_VERDICT_LOWER);
	fpb_verdict_change(&a, &c, 0.2, &ch);
	ck_assert_msg(ch.verdict == FPB_VERDICT_INDISTINGUISHABLE && ch.below_floor,
		      "10%% under a 20%% floor: %s", fpb_verdict_name(ch.verdict));
	/* The between-run term widens the interval: a 10% change within 20% spread is noise. */
	fpb_verdict_change_between(&a, &c, 0, 0.2, &ch);
	ck_assert_int_eq(ch.verdict, FPB_VERDICT_INDISTINGUISHABLE);
	/* Disturbed: inconclusive, never significant. */
	c.disturbed = true;
	fpb_verdict_change(&a, &c, 0, &ch);
	ck_assert_int_eq(ch.verdict, FPB_VERDICT_INCONCLUSIVE);
	ck_assert(!fpb_verdict_significant(ch.verdict));
}
END_TEST

START_TEST(test_verdict_detectable)
{
	struct fpb_estimate a = { 100, 99, 101, false };
	struct fpb_change ch;
	double d = fpb_verdict_detectable(&a, &a, 0, 0);

	/* +-1% on both sides: about 2% either way. */
	ck_assert_msg(d > 0.019 && d < 0.021, "detectable %g", d);
	/* Just above it is found, just below it is not. */
	for (int k = -1; k <= 1; k += 2) {
		struct fpb_estimate b = { 100 * (1 + k * (d + 0.001)), 0, 0, false };

		b.lo = b.centre * 0.99;
		b.hi = b.centre * 1.01;
		fpb_verdict_change(&a, &b, 0, &ch);
		ck_assert_msg(fpb_verdict_significant(ch.verdict), "%+d: %s", k,
			      fpb_verdict_name(ch.verdict));
		b.centre = 100 * (1 + k * (d - 0.002));
		b.lo = b.centre * 0.99;
		b.hi = b.centre * 1.01;
		fpb_verdict_change(&a, &b, 0, &ch);
		ck_assert_msg(!fpb_verdict_significant(ch.verdict), "%+d below: %s", k,
			      fpb_verdict_name(ch.verdict));
	}
	ck_assert(fpb_verdict_detectable(&a, &a, 0.03, 0) == 0.03);
	ck_assert(fpb_verdict_detectable(&a, &a, 0, 0.05) > d + 0.045);
	a.disturbed = true;
	ck_assert(isnan(fpb_verdict_detectable(&a, &a, 0, 0)));
}
END_TEST

START_TEST(test_two_level)
{
	/* Nine trials, three of them in a burst: the centre stays with the quiet six. */
	const double m[] = { 100, 101, 140, 99, 141, 100, 139, 102, 100 };
	const double few[] = { 100, 104, 102 };
	double c, lo, hi;

	ck_assert_int_eq(fpb_stats_two_level(m, 9, 0.95, &c, &lo, &hi), 0);
	ck_assert_msg(c >= 99 && c <= 102, "centre %g", c);
	ck_assert_msg(lo <= 100 && hi >= 139, "interval [%g, %g]: ranks 2 and 8 of 9", lo, hi);
	/* Three trials: a Student t interval around their mean, holding the median. */
	ck_assert_int_eq(fpb_stats_two_level(few, 3, 0.95, &c, &lo, &hi), 0);
	ck_assert_msg(c == 102 && lo < 97.1 && hi > 106.9, "3 trials: %g [%g, %g]", c, lo, hi);
	ck_assert_int_eq(fpb_stats_two_level(few, 0, 0.95, &c, &lo, &hi), -EINVAL);
}
END_TEST

/*
 * The trial floor: bimodal trials (a host that flips between an undisturbed and a slow state)
 * give the undisturbed level, while the median stays the median of all trials; one freak low
 * trial, alone in its band, does not make a floor; fewer than 3 trials give none.
 */
START_TEST(test_trial_floor)
{
	/* 134 x3 and 160-185 x6, shuffled, as this host's xsave rows read. */
	const double bimodal[] = { 172, 183, 162, 134.2, 171, 134.1, 134.3, 166, 185 };
	double m[9], c, lo, hi, f, flo, fhi, c0;

	memcpy(m, bimodal, sizeof(m));
	ck_assert_int_eq(fpb_stats_two_level(m, 9, 0.95, &c0, &lo, &hi), 0);
	ck_assert_int_eq(fpb_stats_trial_floor(m, 9, &f, &flo, &fhi), 3);
	ck_assert_msg(f == 134.2 && flo == 134.1 && fhi == 134.3, "bimodal: floor %g [%g, %g]",
		      f, flo, fhi);
	ck_assert_msg(!memcmp(m, bimodal, sizeof(m)), "the trial medians were modified");
	ck_assert_int_eq(fpb_stats_two_level(m, 9, 0.95, &c, &lo, &hi), 0);
	ck_assert_msg(c == 166 && c == c0, "median of the trials: %g, want 166", c);

	/* One freak low trial does not set the floor: nothing within 2% confirms it. */
	{
		const double freak[] = { 172, 101, 162, 134.2, 171, 134.1, 134.3, 166, 185 };

		ck_assert_int_eq(fpb_stats_trial_floor(freak, 9, &f, &flo, &fhi), 3);
		ck_assert_msg(f == 134.2, "freak low trial: floor %g, want 134.2", f);
	}
	/* Nor do two low trials that disagree with each other. */
	{
		const double two[] = { 120, 100, 134.2, 134.5, 171, 166 };

		ck_assert_int_eq(fpb_stats_trial_floor(two, 6, &f, &flo, &fhi), 2);
		ck_assert_msg(fabs(f - 134.35) < 1e-9 && flo == 134.2 && fhi == 134.5,
			      "floor %g [%g, %g]", f, flo, fhi);
	}
	/* Unimodal trials: the floor is the band of the lowest ones, near the median. */
	{
		const double one[] = { 100.4, 100.1, 101.9, 100.8, 103.5 };

		ck_assert_int_eq(fpb_stats_trial_floor(one, 5, &f, &flo, &fhi), 4);
		ck_assert_msg(fabs(f - 100.6) < 1e-9 && flo == 100.1 && fhi == 101.9,
			      "unimodal: floor %g [%g, %g]", f, flo, fhi);
	}
	/* Small figures: half a timer unit confirms (2% of 0.1 is below quantisation). */
	{
		const double small[] = { 0.4, 5, 0.1, 6 };

		ck_assert_int_eq(fpb_stats_trial_floor(small, 4, &f, &flo, &fhi), 2);
		ck_assert_msg(fabs(f - 0.25) < 1e-9, "small figures: floor %g", f);
	}
	/* No two trials agree: no floor. */
	{
		const double apart[] = { 100, 110, 121, 133 };

		ck_assert_int_eq(fpb_stats_trial_floor(apart, 4, &f, &flo, &fhi), 0);
	}
	/* Fewer than 3 trials: none, even when they agree. */
	ck_assert_int_eq(fpb_stats_trial_floor(bimodal + 3, 2, &f, &flo, &fhi), 0);
	ck_assert_int_eq(fpb_stats_trial_floor(bimodal, 1, &f, &flo, &fhi), 0);
	ck_assert_int_eq(fpb_stats_trial_floor(bimodal, 0, &f, &flo, &fhi), 0);
	ck_assert_int_eq(fpb_stats_trial_floor(NULL, 3, &f, &flo, &fhi), -EINVAL);
}
END_TEST

static Suite *stats_suite(void)
{
	Suite *s = suite_create("stats");
	TCase *core = tcase_create("core"), *limits = tcase_create("limits");
	TCase *mw = tcase_create("mann-whitney");

	tcase_add_test(core, test_odd);
	tcase_add_test(core, test_even);
	tcase_add_test(core, test_ci_ranks);
	tcase_add_test(core, test_ci_large);
	tcase_add_test(core, test_input_untouched);
	tcase_add_test(core, test_verdict_ties);
	tcase_add_test(core, test_verdict_overlap);
	tcase_add_test(core, test_verdict_detectable);
	tcase_add_test(core, test_two_level);
	tcase_add_test(core, test_trial_floor);
	tcase_add_test(limits, test_one);
	tcase_add_test(limits, test_constant);
	tcase_add_test(limits, test_zero_median);
	tcase_add_test(limits, test_limits);
	tcase_add_test(mw, test_mw_separated);
	tcase_add_test(mw, test_mw_identical);
	tcase_add_test(mw, test_mw_known);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	suite_add_tcase(s, mw);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(stats_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
