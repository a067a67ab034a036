// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report-sig.c - significance of the report's differences: a Mann-Whitney U test on the raw
 * per-batch samples of the two rows, Holm's step-down correction over every comparison of one
 * table (family-wise alpha 0.01), and the size of the difference with its interval.
 */
#include "config.h"

#include <math.h>

#include "report.h"

/*
 * The change of b against a with a conservative interval.  A percent of a reference that may be
 * zero or negative means nothing, so rel is defined only when a's whole interval is above zero.
 * The interval is the range of y / x - 1 over every x in a's interval and every y in b's; with
 * x > 0 the extremes sit at the corners of that box.  It holds whenever both intervals hold, so
 * its coverage is at least 1 - (1 - level_a) - (1 - level_b) (the union bound: 90% for two 95%
 * intervals), whatever the dependence between the runs, and it is wider than the usual
 * first-order propagation of the two relative half-widths.
 */
static void fpb_report_change(const struct fpb_row *a, const struct fpb_row *b,
			      struct fpb_rcmp *c)
{
	double ma = a->st.median, mb = b->st.median;
	double xs[2] = { a->st.ci_lo, a->st.ci_hi }, ys[2] = { b->st.ci_lo, b->st.ci_hi };
	double lo = INFINITY, hi = -INFINITY;

	if (!isfinite(ma) || !isfinite(mb) || !(ma > 0) || !(xs[0] > 0))
		return;
	c->rel = mb / ma - 1;
	if (!isfinite(xs[1]) || !isfinite(ys[0]) || !isfinite(ys[1]) || xs[1] < xs[0] ||
	    ys[1] < ys[0])
		return;
	for (size_t i = 0; i < 2; i++)
		for (size_t j = 0; j < 2; j++) {
			lo = fmin(lo, ys[j] / xs[i] - 1);
			hi = fmax(hi, ys[j] / xs[i] - 1);
		}
	/* A median outside its own interval would leave the point outside: widen to hold it. */
	c->rel_lo = fmin(lo, c->rel);
	c->rel_hi = fmax(hi, c->rel);
	c->rel_hw = fmax(c->rel - c->rel_lo, c->rel_hi - c->rel);
}

void fpb_report_compare_rows(const struct fpb_row *a, const struct fpb_row *b,
			     struct fpb_rcmp *c)
{
	memset(c, 0, sizeof(*c));
	c->a = a;
	c->b = b;
	c->p = c->p_adj = NAN;
	c->rel = c->rel_hw = c->rel_lo = c->rel_hi = NAN;
	if (a->status != FPB_ROW_MEASURED || b->status != FPB_ROW_MEASURED)
		return;
	fpb_report_change(a, b, c);
	if (a->nraw < 2 || b->nraw < 2 || !a->raw || !b->raw)
		return;
	c->p = fpb_stats_mann_whitney_p(a->raw, a->nraw, b->raw, b->nraw);
	if (c->p < 0 || isnan(c->p)) {
		c->p = NAN;
		return;
	}
	c->tested = true;
	c->p_adj = c->p;
}

struct fpb_holm_item {
	double p;
	size_t i;
};

static int fpb_holm_cmp(const void *x, const void *y)
{
	const struct fpb_holm_item *a = x, *b = y;

	return a->p < b->p ? -1 : a->p > b->p ? 1 : (a->i > b->i) - (a->i < b->i);
}

/* Holm: the k-th smallest of m p-values times (m - k), made monotone, capped at 1. */
void fpb_report_holm_p(const double *p, size_t n, double *adj)
{
	struct fpb_holm_item *it = calloc(n ? n : 1, sizeof(*it));
	size_t m = 0;
	double run = 0;

	if (!it) {	/* no memory: Bonferroni, which is never less conservative */
		for (size_t i = 0; i < n; i++)
			m += !isnan(p[i]);
		for (size_t i = 0; i < n; i++)
			adj[i] = isnan(p[i]) ? NAN : fmin(1, p[i] * (double)m);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (!isnan(p[i]))
			it[m++] = (struct fpb_holm_item){ p[i], i };
	qsort(it, m, sizeof(*it), fpb_holm_cmp);
	for (size_t i = 0; i < n; i++)
		if (isnan(p[i]))
			adj[i] = NAN;
	for (size_t k = 0; k < m; k++) {
		double v = fmin(1, it[k].p * (double)(m - k));

		run = fmax(run, v);
		adj[it[k].i] = run;
	}
	free(it);
}

void fpb_report_holm(struct fpb_rcmp *c, size_t n, double alpha)
{
	double *p = calloc(n ? n : 1, sizeof(*p));

	if (!p) {
		for (size_t i = 0; i < n; i++) {
			c[i].p_adj = c[i].tested ? 1 : NAN;
			c[i].significant = false;
		}
		return;
	}
	for (size_t i = 0; i < n; i++)
		p[i] = c[i].tested ? c[i].p : NAN;
	fpb_report_holm_p(p, n, p);
	for (size_t i = 0; i < n; i++) {
		c[i].p_adj = p[i];
		c[i].significant = c[i].tested && p[i] < alpha;
	}
	free(p);
}

void fpb_report_floor(struct fpb_rcmp *c, size_t n, double floor)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].significant && !isnan(c[i].rel) && fabs(c[i].rel) < floor) {
			c[i].significant = false;
			c[i].below_floor = true;
		}
}

size_t fpb_report_ntested(const struct fpb_rcmp *c, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += c[i].tested;
	return k;
}

void fpb_report_verdict(const struct fpb_rcmp *c, char *buf, size_t len)
{
	if (!c->a || !c->b || c->a->status != FPB_ROW_MEASURED ||
	    c->b->status != FPB_ROW_MEASURED) {
		snprintf(buf, len, "not compared (not measured in both)");
		return;
	}
	if (c->model_changed) {
		char ra[sizeof(c->a->model_rev)], rb[sizeof(c->b->model_rev)];

		fpb_report_model_rev(c->a, ra, sizeof(ra));
		fpb_report_model_rev(c->b, rb, sizeof(rb));
		snprintf(buf, len, "model changed (revision %s -> %s): no verdict", ra, rb);
		return;
	}
	if (!c->tested) {
		snprintf(buf, len, "not tested (no raw samples)");
		return;
	}
	if (c->below_floor) {
		snprintf(buf, len, "no significant change (%+.1f%%: below the noise floor)",
			 c->rel * 100);
		return;
	}
	if (!c->significant) {
		snprintf(buf, len, "no significant change");
		return;
	}
	if (isnan(c->rel)) {
		snprintf(buf, len, "significant change, no percent (the reference's interval "
			 "is not above 0)");
		return;
	}
	if (c->rel == 0) {
		snprintf(buf, len, "distributions differ, medians equal");
		return;
	}
	if (isnan(c->rel_hw))
		snprintf(buf, len, "%.1f%% %s", fabs(c->rel) * 100, c->rel > 0 ? "slower" : "faster");
	else
		snprintf(buf, len, "%.1f%% %s +- %.1f%%", fabs(c->rel) * 100,
			 c->rel > 0 ? "slower" : "faster", c->rel_hw * 100);
}
