/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * busy.h - is the machine busy?  The other CPUs' busy time and this CPU's steal time from
 * /proc/stat (FPB_PROC_STAT names another file, for tests), and the run's involuntary context
 * switches, between two snapshots.  A trial taken while the machine was busy is "disturbed".
 */
#ifndef FPB_BUSY_H
#define FPB_BUSY_H

#include "result.h"

#define FPB_BUSY_OTHER_MAX	0.7	/* other CPUs busier than this: disturbed */
#define FPB_BUSY_STEAL_MAX	0.05	/* this CPU's steal share above this: disturbed */
#define FPB_BUSY_NIVCSW_PER_S	20.0	/* involuntary switches per second above 2 + this */

struct fpb_busy_snap {
	bool stat_ok;			/* the stat file was read */
	int cpu;			/* the CPU this thread ran on */
	unsigned long long other_busy, other_all, self_steal, self_all;	/* clock ticks */
	long nivcsw;			/* -1 unknown */
	double t;			/* seconds, the caller's clock */
};

/* The stat file: $FPB_PROC_STAT when set and non-empty, else /proc/stat. */
const char *fpb_busy_stat_path(void);
/* Take a snapshot at time t (nivcsw from the given function, or getrusage when NULL). */
void fpb_busy_take(struct fpb_busy_snap *s, double t, long (*nivcsw)(void));
/* Fill the busy fields of tr (busy_other, steal, nivcsw, disturbed) from a to b. */
void fpb_busy_between(const struct fpb_busy_snap *a, const struct fpb_busy_snap *b,
		      struct fpb_trial *tr);
/*
 * Judge a trial again once the row set's typical involuntary switches per trial are known:
 * workloads that switch by design (two threads ping-ponging on one CPU) are not a busy machine,
 * so switches count only beyond 2 + FPB_BUSY_NIVCSW_PER_S a second AND 4 times that typical
 * figure.  window_s: the seconds the trial's snapshots spanned.
 */
bool fpb_busy_judge(const struct fpb_trial *tr, double window_s, double typical_nivcsw);
/*
 * Wait until the other CPUs are quiet over a 0.25 s window, for at most max_s seconds.
 * Returns true when quiet; *waited_s says how long it took.
 */
bool fpb_busy_wait_quiet(double max_s, double *waited_s);

#endif
