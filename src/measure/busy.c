// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * busy.c - busy-machine detection for the trials (see busy.h).  On a VM the other vCPU may be
 * this one's SMT sibling on the host: the guest cannot see that, but it sees the other CPUs'
 * busy time, and the steal time the host takes from this one.
 */
#include "config.h"

#include <math.h>
#include <sched.h>
#include <sys/resource.h>
#include <time.h>

#include "busy.h"

const char *fpb_busy_stat_path(void)
{
	const char *p = getenv("FPB_PROC_STAT");

	return p && *p ? p : "/proc/stat";
}

static long own_nivcsw(void)
{
	struct rusage ru;

	/* The whole process: helper threads of in-situ rows are switched too. */
	if (getrusage(RUSAGE_SELF, &ru))
		return -1;
	return ru.ru_nivcsw;
}

/* Parse the per-CPU lines: busy = user nice system irq softirq steal; all = those + idle iowait. */
static bool read_stat(struct fpb_busy_snap *s)
{
	FILE *f = fopen(fpb_busy_stat_path(), "r");
	char line[512];
	bool any = false;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v[8] = { 0 };
		int cpu, n;

		if (strncmp(line, "cpu", 3) || line[3] < '0' || line[3] > '9')
			continue;
		n = sscanf(line + 3, "%d %llu %llu %llu %llu %llu %llu %llu %llu", &cpu, &v[0], &v[1],
			   &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
		if (n < 5)
			continue;
		unsigned long long busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
		unsigned long long all = busy + v[3] + v[4];

		any = true;
		if (cpu == s->cpu) {
			s->self_steal = v[7];
			s->self_all = all;
		} else {
			s->other_busy += busy;
			s->other_all += all;
		}
	}
	fclose(f);
	return any;
}

void fpb_busy_take(struct fpb_busy_snap *s, double t, long (*nivcsw)(void))
{
	memset(s, 0, sizeof(*s));
	s->t = t;
	s->cpu = sched_getcpu();
	s->stat_ok = read_stat(s);
	s->nivcsw = nivcsw ? nivcsw() : own_nivcsw();
}

static double share(unsigned long long part_a, unsigned long long part_b,
		    unsigned long long all_a, unsigned long long all_b)
{
	if (all_b <= all_a || part_b < part_a)
		return NAN;
	return (double)(part_b - part_a) / (double)(all_b - all_a);
}

void fpb_busy_between(const struct fpb_busy_snap *a, const struct fpb_busy_snap *b,
		      struct fpb_trial *tr)
{
	double dur = b->t - a->t;

	tr->busy_other = tr->steal = NAN;
	tr->nivcsw = -1;
	tr->disturbed = false;
	if (a->stat_ok && b->stat_ok) {
		/* Ticks are 10 ms: a trial shorter than one tick reads 0/0 (NaN, unknown). */
		tr->busy_other = share(a->other_busy, b->other_busy, a->other_all, b->other_all);
		if (a->cpu == b->cpu)
			tr->steal = share(a->self_steal, b->self_steal, a->self_all, b->self_all);
	}
	if (a->nivcsw >= 0 && b->nivcsw >= a->nivcsw)
		tr->nivcsw = b->nivcsw - a->nivcsw;
	tr->disturbed = fpb_busy_judge(tr, dur, 0);
}

bool fpb_busy_judge(const struct fpb_trial *tr, double window_s, double typical_nivcsw)
{
	if (tr->busy_other > FPB_BUSY_OTHER_MAX || tr->steal > FPB_BUSY_STEAL_MAX)
		return true;
	return tr->nivcsw >= 0 &&
	       (double)tr->nivcsw > 2 + FPB_BUSY_NIVCSW_PER_S * (window_s > 0 ? window_s : 0) &&
	       (double)tr->nivcsw > 4 * typical_nivcsw;
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

bool fpb_busy_wait_quiet(double max_s, double *waited_s)
{
	double t0 = mono_s();
	struct timespec window = { 0, 250000000L };

	for (;;) {
		struct fpb_busy_snap a, b;
		struct fpb_trial tr;

		fpb_busy_take(&a, mono_s(), NULL);
		nanosleep(&window, NULL);
		fpb_busy_take(&b, mono_s(), NULL);
		fpb_busy_between(&a, &b, &tr);
		*waited_s = mono_s() - t0;
		/* Sleeping, this process is not switched involuntarily: the stat file decides. */
		if (!isnan(tr.busy_other) && tr.busy_other <= FPB_BUSY_OTHER_MAX &&
		    !(tr.steal > FPB_BUSY_STEAL_MAX))
			return true;
		if (*waited_s >= max_s)
			return false;
	}
}
