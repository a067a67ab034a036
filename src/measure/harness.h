/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness.h - the measuring harness: pinning, warm-up, N/2N differencing, interleaved repeats,
 * statistics and the stability verdict.  Anything that can time a batch of n operations is a
 * struct fpb_measurable; kernels, strategies and in-situ rows all go through fpb_harness_run().
 */
#ifndef FPB_HARNESS_H
#define FPB_HARNESS_H

#include "fpb_env.h"
#include "backend.h"
#include "result.h"

struct fpb_harness_opts {
	uint64_t batch;		/* N; 0: choose so that a batch lasts ~batch_target_ticks */
	uint64_t batch_target;	/* timer units a batch of N should last when batch == 0 */
	unsigned min_repeats;	/* N/2N pairs per row at least */
	unsigned max_repeats;	/* --repeat: at most */
	double time_budget_s;	/* --time-budget for the whole set of rows */
	double target_ci_rel;	/* stop when the CI of the median is this tight (e.g. 0.01) */
	double unstable_ci_rel;	/* flag unstable above this */
	double unstable_drift;	/* flag unstable when the median drifts more than this */
	double warmup_max_s;	/* warm-up cap */
	double ci_level;	/* 0.95 */
	bool progress;		/* a progress line on stderr */
	/*
	 * --trials: every row's pairs come in this many trials spread over trial_span_s (or a
	 * share of the budget, whichever is shorter), interleaved with the other rows in a random
	 * order.  0: adaptive (FPB_TRIALS_DEFAULT, more for rows whose trials disagree, up to
	 * FPB_MAX_TRIALS - 1, within the budget).
	 */
	unsigned trials;
	double trial_span_s;
	/* Involuntary context switches so far; NULL: getrusage (tests inject one). */
	long (*nivcsw)(void);
	/* Seconds on a monotonic clock for the budget; NULL: CLOCK_MONOTONIC (tests inject one). */
	double (*now_s)(void);
};

#define FPB_TRIALS_DEFAULT	9	/* trials per row before the adaptive ones */

void fpb_harness_default_opts(struct fpb_harness_opts *o);

/* One thing the harness can time. */
struct fpb_measurable {
	/* Run one batch of n operations and fill *out (t in timer units, flags).  0 or -errno. */
	int (*batch)(void *arg, uint64_t n, struct fpb_sample *out);
	void *arg;
	struct fpb_row *row;	/* where the statistics go; status preset to MEASURED */
	unsigned nevents;	/* counter values in fpb_sample.ev to turn into per-op metrics */
	const char *const *event_names;
	/*
	 * Paired baseline (another element of the same array), or NULL.  When set, this row's
	 * samples are its per-op figure minus the baseline's from the same round (both valid),
	 * e.g. a kernel minus its prep-only companion, dirty minus clean.  Same N for both.
	 */
	struct fpb_measurable *minus;
	/*
	 * Another element that must run before this one within a round (rounds are in a random
	 * order), or NULL: e.g. a row replaying that row's batches.  It must have no `after`.
	 */
	struct fpb_measurable *after;
	/*
	 * The row is the difference of two measured conditions of the same work (dirty minus
	 * clean): interference moves it either way, so it gets no trial floor.
	 */
	bool difference;
};

/*
 * Time every measurable, rows interleaved round by round: warm up until the figures settle, then
 * take each row's N/2N pairs in trials spread over the measuring time (more trials for rows whose
 * trials disagree, within the budget); fill each row's stats, trials, raw samples and flags.  Returns 0, or -errno when nothing could be measured at all.
 */
int fpb_harness_run(const struct fpb_harness_opts *o, struct fpb_measurable *m, size_t nm);

/* Pin the calling thread to cpu (-1: the last online CPU).  Fills run->cpu, smt_sibling_busy. */
int fpb_harness_pin(int cpu, struct fpb_runinfo *run, char *why, size_t len);

/* Fill clocksource, governor, boost, timestamp and the rusage baseline of run. */
void fpb_sysinfo_fill(struct fpb_runinfo *run);
/* At the end of a run: context switches and migrations since fpb_sysinfo_fill, duration. */
void fpb_sysinfo_finish(struct fpb_runinfo *run);

#endif /* FPB_HARNESS_H */
