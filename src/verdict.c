// SPDX-License-Identifier: GPL-2.0-or-later
/* verdict.c - the one verdict rule (see verdict.h). */
#include "config.h"

#include <math.h>

#include "verdict.h"

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
