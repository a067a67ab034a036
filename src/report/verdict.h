/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * verdict.h - the one rule that turns two estimates into a verdict, used wherever fpbench says
 * that one figure is lower than another: the strategies table's winner, the headline family
 * comparison, the report's strategy matrix and its run-to-run changes, report.json and the CI gate.
 *
 * An estimate is a centre with an interval (its lo/hi bounds at the estimate's own confidence).
 * The change of B against A is B/A - 1 with a conservative interval: the range of y/x - 1 over x in
 * A's interval and y in B's.  A change is significant only when that interval excludes zero and
 * the change is at least the floor (the smallest change worth calling one); an estimate marked
 * disturbed makes the comparison inconclusive, never significant.  Ties and overlapping
 * intervals never make a winner.
 */
#ifndef FPB_VERDICT_H
#define FPB_VERDICT_H

#include <stdbool.h>
#include <stddef.h>

struct fpb_estimate {
	double centre;		/* the estimate (a median) */
	double lo, hi;		/* its interval; NaN when unknown */
	bool disturbed;		/* taken while the machine was busy, with no quiet trials */
};

enum fpb_verdict {
	FPB_VERDICT_NOT_COMPARED,	/* an estimate missing, or A's interval not above zero */
	FPB_VERDICT_INDISTINGUISHABLE,	/* interval holds zero, or the change is under the floor */
	FPB_VERDICT_LOWER,		/* B significantly lower (faster) than A */
	FPB_VERDICT_HIGHER,		/* B significantly higher (slower) than A */
	FPB_VERDICT_INCONCLUSIVE,	/* one side disturbed: no verdict */
};

struct fpb_change {
	enum fpb_verdict verdict;
	double rel;		/* B/A - 1; NaN when not compared */
	double lo, hi;		/* its conservative interval */
	bool below_floor;	/* interval excludes zero but |rel| < floor */
};

/* B against A, with floor the smallest relative change that counts (0: any). */
void fpb_verdict_change(const struct fpb_estimate *a, const struct fpb_estimate *b, double floor,
			struct fpb_change *out);
/*
 * The same rule across runs: between is the relative variation between runs that neither
 * estimate's interval holds (from other runs of the same machine and revision; 0: none known).
 * The change's interval is widened by it on both sides before the rule applies.
 */
void fpb_verdict_change_between(const struct fpb_estimate *a, const struct fpb_estimate *b,
				double floor, double between, struct fpb_change *out);
/*
 * The smallest relative change (either direction) this rule would call significant between a
 * and an estimate shaped like b (same relative interval), with floor and between as above;
 * NaN when not comparable or when either is disturbed (then nothing is detectable).
 */
double fpb_verdict_detectable(const struct fpb_estimate *a, const struct fpb_estimate *b,
			      double floor, double between);
/* Short name: "not compared", "indistinguishable", "lower", "higher", "inconclusive (disturbed)". */
const char *fpb_verdict_name(enum fpb_verdict v);
/* True when the verdict says B differs from A. */
static inline bool fpb_verdict_significant(enum fpb_verdict v)
{
	return v == FPB_VERDICT_LOWER || v == FPB_VERDICT_HIGHER;
}

/*
 * Rivals measured in one run (strategies of one scenario, timed interleaved round by round): a
 * difference under this is not worth naming a winner for.
 */
#define FPB_VERDICT_RIVAL_FLOOR	0.02

/*
 * Who wins among n rivals.  The lowest centre wins only when every other estimate is
 * significantly higher than it (so also the next lowest); otherwise there is no winner and the
 * lowest is "indistinguishable from" the rival with the lowest centre that is not significantly
 * higher (or "inconclusive" when that comparison is).  Estimates whose centre is not above zero
 * take no part.  Equal centres are never significant, so the order of the rivals decides
 * nothing.
 */
struct fpb_ranking {
	int lowest;		/* index of the lowest centre; -1 when fewer than two take part */
	int winner;		/* lowest when it wins, else -1 */
	int next;		/* the second lowest centre; -1 when fewer than two take part */
	int rival;		/* no winner: the one the lowest cannot be told from; else -1 */
	size_t ranked;		/* estimates taking part */
};
/* chg[i] (n entries, may be NULL): estimate i against the lowest (NOT_COMPARED for itself). */
void fpb_verdict_rank(const struct fpb_estimate *e, size_t n, double floor,
		      struct fpb_ranking *out, struct fpb_change *chg);

/*
 * B against A in words, naming A: "higher than copy3: +5.4% [+2.0%, +9.0%]",
 * "indistinguishable from copy3: +0.8% [-1.5%, +3.1%]", with " (under the 2% floor)" when the
 * interval excludes zero but the change is too small to count.
 */
void fpb_verdict_describe(const struct fpb_change *c, const char *a_name, double floor, char *buf,
			  size_t len);

struct fpb_row;
/* The estimate of a measured row: its median and the interval of the median. */
void fpb_verdict_row_estimate(const struct fpb_row *row, struct fpb_estimate *e);

#endif
