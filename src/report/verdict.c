// SPDX-License-Identifier: GPL-2.0-or-later
/* verdict.c - the one verdict rule (see verdict.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "verdict.h"
#include "result.h"

void fpb_verdict_change(const struct fpb_estimate *a, const struct fpb_estimate *b, double floor,
			struct fpb_change *out)
{
	fpb_verdict_change_between(a, b, floor, 0, out);
}

void fpb_verdict_change_between(const struct fpb_estimate *a, const struct fpb_estimate *b,
				double floor, double between, struct fpb_change *out)
{
	double xs[2] = { a->lo, a->hi }, ys[2] = { b->lo, b->hi };
	double lo = INFINITY, hi = -INFINITY;

	out->verdict = FPB_VERDICT_NOT_COMPARED;
	out->rel = out->lo = out->hi = NAN;
	out->below_floor = false;
	/* A percent of a reference that may be zero or negative means nothing. */
	if (!isfinite(a->centre) || !isfinite(b->centre) || !(a->centre > 0) || !(xs[0] > 0) ||
	    !isfinite(xs[1]) || !isfinite(ys[0]) || !isfinite(ys[1]) || xs[1] < xs[0] ||
	    ys[1] < ys[0])
		return;
	out->rel = b->centre / a->centre - 1;
	/* With x > 0 the extremes of y/x - 1 over the box sit at its corners. */
	for (size_t i = 0; i < 2; i++)
		for (size_t j = 0; j < 2; j++) {
			lo = fmin(lo, ys[j] / xs[i] - 1);
			hi = fmax(hi, ys[j] / xs[i] - 1);
		}
	/* A centre outside its own interval would leave the point outside: widen to hold it. */
	out->lo = fmin(lo, out->rel);
	out->hi = fmax(hi, out->rel);
	if (between > 0) {
		out->lo -= between;
		out->hi += between;
	}
	if (a->disturbed || b->disturbed) {
		out->verdict = FPB_VERDICT_INCONCLUSIVE;
		return;
	}
	out->verdict = FPB_VERDICT_INDISTINGUISHABLE;
	if (!(out->lo > 0) && !(out->hi < 0))
		return;
	if (fabs(out->rel) < floor) {
		out->below_floor = true;
		return;
	}
	out->verdict = out->rel > 0 ? FPB_VERDICT_HIGHER : FPB_VERDICT_LOWER;
}

double fpb_verdict_detectable(const struct fpb_estimate *a, const struct fpb_estimate *b,
			      double floor, double between)
{
	double ah, al, bh, bl, up, down;

	/* Disturbed: no change would be called (inconclusive), so none is detectable. */
	if (!(a->centre > 0) || !(a->lo > 0) || !(b->centre > 0) || !(b->lo > 0) ||
	    !isfinite(a->hi) || !isfinite(b->hi) || a->disturbed || b->disturbed)
		return NAN;
	if (between < 0)
		between = 0;
	/* Each bound relative to its centre; B's shape moves with B's centre. */
	ah = fmax(a->hi, a->centre) / a->centre;
	al = fmin(a->lo, a->centre) / a->centre;
	bh = fmax(b->hi, b->centre) / b->centre;
	bl = fmin(b->lo, b->centre) / b->centre;
	/* Up by d: (1 + d) * bl / ah - 1 - between > 0.  Down by d: (1 - d) * bh / al - 1 + between < 0. */
	up = (1 + between) * ah / bl - 1;
	down = 1 - (1 - between) * al / bh;
	return fmax(floor, fmax(up, down));
}

const char *fpb_verdict_name(enum fpb_verdict v)
{
	switch (v) {
	case FPB_VERDICT_INDISTINGUISHABLE: return "indistinguishable";
	case FPB_VERDICT_LOWER: return "lower";
	case FPB_VERDICT_HIGHER: return "higher";
	case FPB_VERDICT_INCONCLUSIVE: return "inconclusive (disturbed)";
	case FPB_VERDICT_NOT_COMPARED: break;
	}
	return "not compared";
}

static bool rankable(const struct fpb_estimate *e)
{
	return isfinite(e->centre) && e->centre > 0;
}

void fpb_verdict_rank(const struct fpb_estimate *e, size_t n, double floor,
		      struct fpb_ranking *out, struct fpb_change *chg)
{
	struct fpb_change c;

	out->lowest = out->winner = out->next = out->rival = -1;
	out->ranked = 0;
	for (size_t i = 0; i < n; i++) {
		if (chg)
			chg[i] = (struct fpb_change){ .verdict = FPB_VERDICT_NOT_COMPARED, .rel = NAN,
						      .lo = NAN, .hi = NAN };
		if (!rankable(&e[i]))
			continue;
		out->ranked++;
		/* Strictly lower: among equal centres the first is "lowest", and wins nothing. */
		if (out->lowest < 0 || e[i].centre < e[out->lowest].centre)
			out->lowest = (int)i;
	}
	if (out->ranked < 2) {
		out->lowest = -1;
		return;
	}
	out->winner = out->lowest;
	for (size_t i = 0; i < n; i++) {
		if ((int)i == out->lowest || !rankable(&e[i]))
			continue;
		fpb_verdict_change(&e[out->lowest], &e[i], floor, &c);
		if (chg)
			chg[i] = c;
		if (out->next < 0 || e[i].centre < e[out->next].centre)
			out->next = (int)i;
		if (c.verdict == FPB_VERDICT_HIGHER)
			continue;
		out->winner = -1;
		if (out->rival < 0 || e[i].centre < e[out->rival].centre)
			out->rival = (int)i;
	}
}

void fpb_verdict_row_estimate(const struct fpb_row *row, struct fpb_estimate *e)
{
	e->centre = e->lo = e->hi = NAN;
	e->disturbed = false;
	if (row->status != FPB_ROW_MEASURED)
		return;
	e->centre = row->st.median;
	e->lo = row->st.ci_lo;
	e->hi = row->st.ci_hi;
	e->disturbed = (row->flags & FPB_ROW_DISTURBED) != 0;
}

void fpb_verdict_describe(const struct fpb_change *c, const char *a_name, double floor, char *buf,
			  size_t len)
{
	char fig[64] = "";

	if (!isnan(c->rel))
		snprintf(fig, sizeof(fig), "%+.1f%% [%+.1f%%, %+.1f%%]", c->rel * 100, c->lo * 100,
			 c->hi * 100);
	switch (c->verdict) {
	case FPB_VERDICT_LOWER:
	case FPB_VERDICT_HIGHER:
		snprintf(buf, len, "%s than %s: %s", fpb_verdict_name(c->verdict), a_name, fig);
		return;
	case FPB_VERDICT_INDISTINGUISHABLE:
		if (c->below_floor)
			snprintf(buf, len, "indistinguishable from %s: %s (under the %.0f%% floor)",
				 a_name, fig, floor * 100);
		else
			snprintf(buf, len, "indistinguishable from %s: %s", a_name, fig);
		return;
	case FPB_VERDICT_INCONCLUSIVE:
		snprintf(buf, len, "inconclusive against %s (disturbed): %s", a_name, fig);
		return;
	case FPB_VERDICT_NOT_COMPARED:
		break;
	}
	snprintf(buf, len, "not compared with %s (no interval above zero)", a_name);
}
