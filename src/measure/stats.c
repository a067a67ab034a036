// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stats.c - print-free statistics over per-operation samples.
 *
 * Order statistics (median, MAD, percentiles), a distribution-free confidence interval of the
 * median from the binomial distribution of ranks, outliers, drift, a Mann-Whitney U test, and the two-level estimate of trials.
 * Shared with the kernel module: only fpb_env.h, and no libm (square root and exp are computed
 * here), so it builds wherever doubles are allowed.
 */
#include "fpb_env.h"
#include "stats.h"

/* Square root by Newton iteration after scaling into [0.25, 4); 0 for x <= 0. */
static double st_sqrt(double x)
{
	double r, prev, scale = 1;
	int i;

	if (!(x > 0))
		return 0;
	while (x >= 4) {
		x /= 4;
		scale *= 2;
	}
	while (x < 0.25) {
		x *= 4;
		scale /= 2;
	}
	r = 1;
	for (i = 0; i < 60; i++) {
		prev = r;
		r = (r + x / r) / 2;
		if (r == prev)
			break;
	}
	return r * scale;
}

/* e^x for x <= 0 (enough for the normal tail), by halving and a Taylor series. */
static double st_exp_neg(double x)
{
	double term = 1, sum = 1;
	unsigned halvings = 0, i;

	if (x < -745)
		return 0;
	while (x < -0.5) {
		x /= 2;
		halvings++;
	}
	for (i = 1; i < 30; i++) {
		term *= x / i;
		sum += term;
	}
	while (halvings--)
		sum *= sum;
	return sum;
}

/* Complementary error function for z >= 0 (Chebyshev fit, relative error < 1.2e-7). */
static double st_erfc(double z)
{
	double t = 1.0 / (1.0 + 0.5 * z);
	double p = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
		   t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
		   t * (-0.82215223 + t * 0.17087277))))))));

	return t * st_exp_neg(p);
}

static double st_fabs(double x)
{
	return x < 0 ? -x : x;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median of a sorted array (mean of the two middle values when n is even); 0 for n == 0. */
double fpb_stats_median_sorted(const double *x, size_t n)
{
	if (!n)
		return 0;
	if (n & 1)
		return x[n / 2];
	return (x[n / 2 - 1] + x[n / 2]) / 2;
}

/* Percentile p (0..1) of a sorted array, linear interpolation between closest ranks. */
static double percentile_sorted(const double *x, size_t n, double p)
{
	double h = p * (double)(n - 1);
	size_t lo = (size_t)h;

	if (lo + 1 >= n)
		return x[n - 1];
	return x[lo] + (h - (double)lo) * (x[lo + 1] - x[lo]);
}

/* Median of an unsorted slice, using scratch (n doubles). */
static double median_of(const double *x, size_t n, double *scratch)
{
	memcpy(scratch, x, n * sizeof(*x));
	fpb_sort(scratch, n, sizeof(*scratch), cmp_double);
	return fpb_stats_median_sorted(scratch, n);
}

/*
 * Ranks of the distribution-free CI of the median: the largest k (1-based) with
 * P(B <= k - 1) <= (1 - level) / 2 for B ~ Binomial(n, 1/2); the interval is
 * [x_(k), x_(n-k+1)].  Returns 0 when no k qualifies (n too small): use [min, max].
 * The binomial weights are built down from the mode, so nothing overflows for large n.
 * w (n / 2 + 1 doubles) is scratch.
 */
static size_t ci_rank(size_t n, double level, double *w)
{
	size_t h = n / 2, k;
	double total, cum, alpha2 = (1 - level) / 2;

	w[h] = 1;
	for (k = h; k > 0; k--)
		w[k - 1] = w[k] * (double)k / (double)(n - k + 1);
	/* Symmetric: total = 2 * sum(w[0..h]) minus the centre term when n is even. */
	total = 0;
	for (k = 0; k <= h; k++)
		total += w[k];
	total = 2 * total - ((n & 1) ? 0 : w[h]);

	cum = 0;
	for (k = 0; k < h; k++) {
		/* cum = P(B <= k - 1) before adding w[k]; rank k + 1 uses P(B <= k). */
		if ((cum + w[k]) / total > alpha2)
			break;
		cum += w[k];
	}
	return k;	/* ranks 1..k qualified; 0 means none */
}

/*
 * fpb_stats_compute() - statistics of x[0..n) in time order (x is not modified).
 * Returns 0, -EINVAL for n == 0 or a NULL argument, -ENOMEM when scratch memory is short.
 */
int fpb_stats_compute(const double *x, size_t n, double ci_level, struct fpb_stats *out)
{
	double *s, *dev, sum = 0, var = 0, thr;
	size_t i, k, third;

	if (!x || !out || !n)
		return -EINVAL;
	if (!(ci_level > 0 && ci_level < 1))
		ci_level = 0.95;
	s = fpb_alloc(2 * n * sizeof(*s) + (n / 2 + 1) * sizeof(*s));
	if (!s)
		return -ENOMEM;
	dev = s + n;

	memset(out, 0, sizeof(*out));
	out->n = n;
	out->ci_level = ci_level;
	memcpy(s, x, n * sizeof(*x));
	fpb_sort(s, n, sizeof(*s), cmp_double);

	out->min = s[0];
	out->max = s[n - 1];
	out->median = fpb_stats_median_sorted(s, n);
	for (i = 0; i < n; i++)
		sum += s[i];
	out->mean = sum / (double)n;
	for (i = 0; i < n; i++)
		var += (s[i] - out->mean) * (s[i] - out->mean);
	out->stddev = n > 1 ? st_sqrt(var / (double)(n - 1)) : 0;
	out->p5 = percentile_sorted(s, n, 0.05);
	out->p95 = percentile_sorted(s, n, 0.95);

	for (i = 0; i < n; i++)
		dev[i] = st_fabs(s[i] - out->median);
	fpb_sort(dev, n, sizeof(*dev), cmp_double);
	out->mad = fpb_stats_median_sorted(dev, n);

	k = ci_rank(n, ci_level, dev + n);
	if (k) {
		out->ci_lo = s[k - 1];
		out->ci_hi = s[n - k];
	} else {
		out->ci_lo = s[0];
		out->ci_hi = s[n - 1];
	}
	out->ci_rel = out->median != 0 ?
		(out->ci_hi - out->ci_lo) / 2 / st_fabs(out->median) : 0;

	thr = 3 * 1.4826 * out->mad;
	for (i = 0; i < n; i++)
		if (st_fabs(s[i] - out->median) > thr)
			out->outliers++;

	third = n / 3;
	if (third) {
		double first = median_of(x, third, dev);
		double last = median_of(x + n - third, third, dev);

		if (first != 0)
			out->drift = (last - first) / st_fabs(first);
		else
			out->drift = last != 0 ? (last > 0 ? 1 : -1) : 0;
	}
	fpb_free(s);
	return 0;
}

struct mw_item {
	double v;
	int group;
};

static int cmp_item(const void *a, const void *b)
{
	return cmp_double(&((const struct mw_item *)a)->v, &((const struct mw_item *)b)->v);
}

/*
 * fpb_stats_mann_whitney_p() - two-sided p-value of the Mann-Whitney U test that a and b come
 * from the same distribution (normal approximation, tie and continuity corrections).
 * Returns 1 when either set is empty or every value is tied, -1 on allocation failure.
 */
double fpb_stats_mann_whitney_p(const double *a, size_t na, const double *b, size_t nb)
{
	struct mw_item *it;
	size_t n = na + nb, i, j;
	double r1 = 0, ties = 0, u, mu, sigma2, z;

	if (!na || !nb || !a || !b)
		return 1;
	it = fpb_alloc(n * sizeof(*it));
	if (!it)
		return -1;
	for (i = 0; i < na; i++)
		it[i] = (struct mw_item){ a[i], 0 };
	for (i = 0; i < nb; i++)
		it[na + i] = (struct mw_item){ b[i], 1 };
	fpb_sort(it, n, sizeof(*it), cmp_item);

	for (i = 0; i < n; i = j) {
		double rank, t;

		for (j = i + 1; j < n && it[j].v == it[i].v; j++)
			;
		/* Ranks i+1..j share their average. */
		rank = ((double)(i + 1) + (double)j) / 2;
		t = (double)(j - i);
		ties += t * t * t - t;
		for (size_t q = i; q < j; q++)
			if (!it[q].group)
				r1 += rank;
	}
	fpb_free(it);

	u = r1 - (double)na * (double)(na + 1) / 2;
	mu = (double)na * (double)nb / 2;
	sigma2 = (double)na * (double)nb / 12 *
		 ((double)(n + 1) - ties / ((double)n * (double)(n - 1)));
	if (!(sigma2 > 0))
		return 1;
	z = st_fabs(u - mu) - 0.5;
	if (z <= 0)
		return 1;
	z /= st_sqrt(sigma2);
	/* Two-sided: 2 * (1 - Phi(z)) = erfc(z / sqrt(2)). */
	z = st_erfc(z / 1.4142135623730951);
	return z > 1 ? 1 : z;
}

/* Two-sided 97.5% Student t quantiles for 1..5 degrees of freedom (only small trial counts). */
static const double t975[] = { 12.706, 4.303, 3.182, 2.776, 2.571 };

/*
 * fpb_stats_two_level() - the estimate of a row measured in k trials (two levels: trials, and
 * pairs within a trial), from its trials' medians m[0..k) (not modified): the centre is their
 * median; the interval is the distribution-free interval of that median over the trials when k
 * allows one at ci_level (k >= 6 at 95%), else a Student t interval of the trial medians' mean
 * (stated at 95%), widened to hold the centre.  The variation between trials is what bursts of
 * machine noise make: pairs within a trial share their moment and are not independent, so
 * only the trials carry it.  Returns 0, -EINVAL for k == 0, -ENOMEM.
 */
int fpb_stats_two_level(const double *m, size_t k, double ci_level, double *centre, double *lo,
			double *hi)
{
	double *s;
	size_t r;

	if (!m || !k || !centre || !lo || !hi)
		return -EINVAL;
	if (!(ci_level > 0 && ci_level < 1))
		ci_level = 0.95;
	s = fpb_alloc((k + k / 2 + 1) * sizeof(*s));
	if (!s)
		return -ENOMEM;
	memcpy(s, m, k * sizeof(*s));
	fpb_sort(s, k, sizeof(*s), cmp_double);
	*centre = fpb_stats_median_sorted(s, k);
	r = ci_rank(k, ci_level, s + k);
	if (r) {
		*lo = s[r - 1];
		*hi = s[k - r];
	} else if (k == 1) {
		*lo = *hi = s[0];
	} else {
		double mean = 0, var = 0, half;

		for (size_t i = 0; i < k; i++)
			mean += s[i];
		mean /= (double)k;
		for (size_t i = 0; i < k; i++)
			var += (s[i] - mean) * (s[i] - mean);
		half = t975[k - 2 < 5 ? k - 2 : 4] * st_sqrt(var / (double)(k - 1) / (double)k);
		*lo = mean - half;
		*hi = mean + half;
	}
	if (*lo > *centre)
		*lo = *centre;
	if (*hi < *centre)
		*hi = *centre;
	fpb_free(s);
	return 0;
}

/*
 * fpb_stats_trial_floor() - a low estimate of a row's undisturbed cost from its k trials'
 * medians m[0..k).  Interference that a guest cannot see (a busy SMT sibling on the host, for
 * one) only ever adds time, and comes and goes for seconds: a row's trials then sit at the
 * undisturbed level or above it, and their median wanders with the share of slow trials while
 * the lowest level stays put.  The floor is that level: the lowest trial median that another
 * trial confirms, i.e. one within TRIAL_FLOOR_REL of it (or TRIAL_FLOOR_ABS timer units, the
 * quantisation of small figures); its value is the median of every trial in that band, its
 * range [lowest, highest] of them.  One freak low trial (a timer glitch, a differencing
 * artefact) stays alone in its band and is passed over; two agreeing ones would make it, the
 * price of needing only two.  A plain low quantile was not taken: over 9-16 trials it is one
 * or two order statistics, as easily moved by a single freak value as the minimum.  The band's
 * range is not a confidence interval: a floor is not the centre of any distribution.  Fewer than
 * FLOOR_MIN_TRIALS trials: no floor (two trials cannot tell a floor from a freak).
 */
#define TRIAL_FLOOR_REL		0.02
#define TRIAL_FLOOR_ABS		0.5
#define FLOOR_MIN_TRIALS	3

int fpb_stats_trial_floor(const double *m, size_t k, double *value, double *lo, double *hi)
{
	double *s;
	int ret = 0;

	if (!m || !value || !lo || !hi)
		return -EINVAL;
	if (k < FLOOR_MIN_TRIALS)
		return 0;
	s = fpb_alloc(k * sizeof(*s));
	if (!s)
		return -ENOMEM;
	memcpy(s, m, k * sizeof(*s));
	fpb_sort(s, k, sizeof(*s), cmp_double);
	for (size_t i = 0; i + 1 < k && !ret; i++) {
		double tol = TRIAL_FLOOR_REL * st_fabs(s[i]), top;
		size_t j = i + 1;

		if (tol < TRIAL_FLOOR_ABS)
			tol = TRIAL_FLOOR_ABS;
		top = s[i] + tol;
		while (j < k && s[j] <= top)
			j++;
		if (j - i < 2)
			continue;	/* nothing confirms s[i] */
		*value = fpb_stats_median_sorted(s + i, j - i);
		*lo = s[i];
		*hi = s[j - 1];
		ret = (int)(j - i);
	}
	fpb_free(s);
	return ret;
}
