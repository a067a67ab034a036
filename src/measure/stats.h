/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stats.h - print-free statistics over per-operation samples (shared with the kernel module's
 * user-space side and the report).
 */
#ifndef FPB_STATS_H
#define FPB_STATS_H

#include "fpb_env.h"

struct fpb_stats {
	size_t n;		/* samples used */
	double min, max, median, mean, stddev, mad;	/* mad: median absolute deviation (raw) */
	double p5, p95;
	double ci_lo, ci_hi;	/* confidence interval of the median */
	double ci_level;	/* e.g. 0.95 */
	double ci_rel;		/* (ci_hi - ci_lo) / 2 / |median|, 0 when median is 0 */
	size_t outliers;	/* beyond median +- 3 * 1.4826 * MAD */
	double drift;		/* relative change of median between first and last third */
	/*
	 * Trial floor: the lowest level the trials' medians reach and repeat (fpb_stats_trial_floor),
	 * beside the median, never instead of it; floor_lo/floor_hi: the range of the trials that
	 * make it (not a confidence interval).  floor_trials == 0: none (fewer than 3 trials, no
	 * trials, or no two trials agree at the low end).
	 */
	double floor, floor_lo, floor_hi;
	size_t floor_trials;
};

/*
 * Compute the statistics of x[0..n) (the array is sorted in place).  The CI of the median uses
 * order statistics (binomial, distribution-free) at level ci_level.  Returns 0, -EINVAL for n == 0.
 * Drift needs the samples in time order, so pass them unsorted: fpb_stats_compute copies first.
 */
int fpb_stats_compute(const double *x, size_t n, double ci_level, struct fpb_stats *out);

/*
 * N/2N differencing: per-operation cost from a batch of n ops taking t1 and a batch of 2n taking
 * t2 in the same timer units.  Fixed harness overhead cancels.
 */
static inline double fpb_stats_diff_per_op(double t1, double t2, uint64_t n)
{
	return (t2 - t1) / (double)n;
}

/* Median of a sorted array. */
double fpb_stats_median_sorted(const double *x, size_t n);

/*
 * Two-level estimate from k trials' medians: their median, and an interval from the variation
 * between trials (order statistics when k allows, else Student t).  0, -EINVAL, -ENOMEM.
 */
int fpb_stats_two_level(const double *m, size_t k, double ci_level, double *centre, double *lo,
			double *hi);

/*
 * Trial floor of k trials' medians m[0..k) (not modified): see stats.c.  Returns the number of
 * trials that make it (>= 2; *value, *lo, *hi set), 0 when there is none, -EINVAL, -ENOMEM.
 */
int fpb_stats_trial_floor(const double *m, size_t k, double *value, double *lo, double *hi);

/* Mann-Whitney U two-sided p-value (normal approximation with tie correction). */
double fpb_stats_mann_whitney_p(const double *a, size_t na, const double *b, size_t nb);

#endif /* FPB_STATS_H */
