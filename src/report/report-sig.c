// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report-sig.c - the report's verdicts, all through the one rule (src/report/verdict.c): the change of
 * B against A with a conservative interval from both rows' two-level intervals (trials; rows of
 * older results: blocks of their raw samples), widened by the between-run spread of other runs
 * of the same machine and revision, in ns when the machines' TSC rates differ.  Per-batch
 * samples of one run are correlated (bursts of seconds), so a rank test over them (the former
 * Mann-Whitney U) was over-confident; Holm over p-values stays for callers that have them.
 */
#include "config.h"

#include <math.h>

#include "report.h"
#include "verdict.h"

#define NR_BLOCKS	9	/* blocks of raw samples standing in for trials (schema < 3) */
#define MIN_BETWEEN_DF	2	/* degrees of freedom before other runs' spread counts */

/*
 * A row's estimate for the verdict rule: its median and interval; a row measured before trials
 * existed (schema < 3) has an interval of the median that treats correlated pairs as
 * independent, so NR_BLOCKS time blocks of its raw samples stand in for trials and their
 * between-block interval is joined to it.
 */
static void row_estimate(const struct fpb_row *r, struct fpb_estimate *e, bool *no_trials)
{
	e->centre = r->st.median;
	e->lo = r->st.ci_lo;
	e->hi = r->st.ci_hi;
	e->disturbed = r->flags & FPB_ROW_DISTURBED;
	*no_trials = !r->ntrials;
	if (r->ntrials || !r->raw || r->nraw < 2 * NR_BLOCKS)
		return;
	{
		double med[NR_BLOCKS], c, lo, hi, *t = malloc(r->nraw * sizeof(*t));

		if (!t)
			return;
		for (size_t k = 0; k < NR_BLOCKS; k++) {
			size_t from = r->nraw * k / NR_BLOCKS, to = r->nraw * (k + 1) / NR_BLOCKS;
			struct fpb_stats st;

			memcpy(t, r->raw + from, (to - from) * sizeof(*t));
			med[k] = fpb_stats_compute(t, to - from, 0.95, &st) ? NAN : st.median;
		}
		free(t);
		if (!fpb_stats_two_level(med, NR_BLOCKS, 0.95, &c, &lo, &hi) && isfinite(lo) &&
		    isfinite(hi)) {
			e->lo = fmin(e->lo, lo);
			e->hi = fmax(e->hi, hi);
		}
	}
}

/* The verdict of c from its stored estimates, the between-run term and floor. */
static void apply_rule(struct fpb_rcmp *c, double floor)
{
	struct fpb_estimate ea = { c->ea[0], c->ea[1], c->ea[2], c->dist_a };
	struct fpb_estimate eb = { c->eb[0], c->eb[1], c->eb[2], c->dist_b };
	struct fpb_change ch;

	fpb_verdict_change_between(&ea, &eb, floor, c->between, &ch);
	c->verdict = ch.verdict;
	c->tested = ch.verdict != FPB_VERDICT_NOT_COMPARED;
	c->significant = fpb_verdict_significant(ch.verdict);
	c->below_floor = ch.below_floor;
	c->rel = ch.rel;
	c->rel_lo = ch.lo;
	c->rel_hi = ch.hi;
	c->rel_hw = isnan(ch.lo) ? NAN : fmax(ch.rel - ch.lo, ch.hi - ch.rel);
	c->detectable = fpb_verdict_detectable(&ea, &eb, floor, c->between);
}

void fpb_report_compare_rows_ctx(const struct fpb_row *a, const struct fpb_row *b,
				 const struct fpb_rctx *x, struct fpb_rcmp *c)
{
	struct fpb_estimate ea, eb;
	bool nta, ntb;

	memset(c, 0, sizeof(*c));
	c->a = a;
	c->b = b;
	c->p = c->p_adj = NAN;
	c->rel = c->rel_hw = c->rel_lo = c->rel_hi = c->detectable = NAN;
	c->verdict = FPB_VERDICT_NOT_COMPARED;
	if (a->status != FPB_ROW_MEASURED || b->status != FPB_ROW_MEASURED)
		return;
	if (x && x->no_unit) {
		c->no_unit = true;
		return;
	}
	row_estimate(a, &ea, &nta);
	row_estimate(b, &eb, &ntb);
	c->no_trials = nta || ntb;
	if (x && x->to_ns) {
		/* TSC ticks of machines with different TSC rates are different units. */
		double ka = a->ns_per_unit, kb = b->ns_per_unit;

		if (!(ka > 0) || !(kb > 0)) {
			c->no_unit = true;
			return;
		}
		c->in_ns = true;
		ea.centre *= ka;
		ea.lo *= ka * (1 - x->unc_a);
		ea.hi *= ka * (1 + x->unc_a);
		eb.centre *= kb;
		eb.lo *= kb * (1 - x->unc_b);
		eb.hi *= kb * (1 + x->unc_b);
	}
	c->between = x && x->between > 0 ? x->between : 0;
	c->ea[0] = ea.centre, c->ea[1] = ea.lo, c->ea[2] = ea.hi;
	c->eb[0] = eb.centre, c->eb[1] = eb.lo, c->eb[2] = eb.hi;
	c->dist_a = ea.disturbed;
	c->dist_b = eb.disturbed;
	apply_rule(c, 0);
}

void fpb_report_compare_rows(const struct fpb_row *a, const struct fpb_row *b,
			     struct fpb_rcmp *c)
{
	fpb_report_compare_rows_ctx(a, b, NULL, c);
}

double fpb_report_tsc_uncertainty(const char *source)
{
	if (!source)
		return 0.01;
	/* Nominal rates in Hz or kHz from CPUID or the hypervisor: exact as far as they go. */
	if (!strcmp(source, "cpuid-0x15") || !strcmp(source, "hypervisor-0x40000010") ||
	    !strcmp(source, "cntfrq_el0"))
		return 0.0001;
	/* ~50 ms against CLOCK_MONOTONIC. */
	if (!strcmp(source, "calibrated"))
		return 0.002;
	/* The base frequency in MHz, which the TSC need not match exactly. */
	return 0.01;
}

void fpb_report_ctx(const struct fpb_rset *set, size_t ia, size_t ib, struct fpb_rctx *x)
{
	const struct fpb_result *a = &set->in[ia].res, *b = &set->in[ib].res;
	bool ticks = strstr(a->run.unit, "tsc") || strstr(b->run.unit, "tsc") ||
		!a->run.unit[0] || !b->run.unit[0];

	memset(x, 0, sizeof(*x));
	if (set->in[ia].machine == set->in[ib].machine && !strcmp(a->run.unit, b->run.unit))
		return;		/* one machine, one unit */
	if (!ticks && !strcmp(a->run.unit, b->run.unit))
		return;		/* core cycles (or ns) on both: one unit across machines */
	if (ticks && a->cpu.tsc_hz && a->cpu.tsc_hz == b->cpu.tsc_hz &&
	    !strcmp(a->run.unit, b->run.unit))
		return;		/* the same TSC rate */
	x->to_ns = true;
	x->unc_a = fpb_report_tsc_uncertainty(a->cpu.tsc_hz_source);
	x->unc_b = fpb_report_tsc_uncertainty(b->cpu.tsc_hz_source);
	if (!a->cpu.tsc_hz || !b->cpu.tsc_hz)
		x->no_unit = true;
}

/*
 * Pooled within-revision spread of log(median) of the row over the inputs of ia's machine whose
 * revision is ia's or ib's, leaving ia and ib out.  The change between two runs varies by
 * sqrt(2) times one run's spread; two of those (about 95%) widen the change's interval.
 */
double fpb_report_between(const struct fpb_rset *set, const char *key, size_t ia, size_t ib)
{
	const char *rev[2] = { set->in[ia].res.run.git_revision, set->in[ib].res.run.git_revision };
	double ss = 0;
	size_t df = 0;

	for (int g = 0; g < (strcmp(rev[0], rev[1]) ? 2 : 1); g++) {
		double sum = 0, sq = 0;
		size_t n = 0;

		if (!rev[g][0])
			continue;
		for (size_t i = 0; i < set->n; i++) {
			const struct fpb_row *r;

			if (i == ia || i == ib || set->in[i].machine != set->in[ia].machine ||
			    strcmp(set->in[i].res.run.git_revision, rev[g]))
				continue;
			r = fpb_report_find_row(&set->in[i].res, key);
			if (!r || r->status != FPB_ROW_MEASURED || !(r->st.median > 0))
				continue;
			sum += log(r->st.median);
			sq += log(r->st.median) * log(r->st.median);
			n++;
		}
		if (n >= 2) {
			ss += sq - sum * sum / (double)n;
			df += n - 1;
		}
	}
	if (df < MIN_BETWEEN_DF)
		return 0;
	return 2 * sqrt(2 * fmax(ss, 0) / (double)df);
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
	/* Comparisons without a p-value (the verdict rule's) keep their verdict. */
	for (size_t i = 0; i < n; i++) {
		if (isnan(c[i].p))
			continue;
		c[i].p_adj = p[i];
		c[i].significant = c[i].tested && p[i] < alpha;
	}
	free(p);
}

void fpb_report_floor(struct fpb_rcmp *c, size_t n, double floor)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].tested)
			apply_rule(&c[i], floor);
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
	if (c->no_unit) {
		snprintf(buf, len, "not compared (no common unit: a TSC frequency is unknown)");
		return;
	}
	if (c->verdict == FPB_VERDICT_INCONCLUSIVE) {
		snprintf(buf, len, "%s", fpb_verdict_name(FPB_VERDICT_INCONCLUSIVE));
		return;
	}
	if (!c->tested) {
		snprintf(buf, len, "not compared (the reference's interval is not above 0)");
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
