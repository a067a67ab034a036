// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * timer-cycles.c - the "cycles" timer: the core-cycle counter of the measuring thread through
 * perf_event (read with rdpmc when the kernel allows it, else read()), unit core cycles.  With no
 * PMU (every VM here) init fails with one line saying so and the run keeps the TSC.
 */
#include "config.h"

#include <linux/perf_event.h>
#include <sched.h>
#include <time.h>

#include "timer.h"
#include "perf-group.h"

struct fpb_cycles {
	struct fpb_perf_set set;
	struct fpb_perf_snap begin;
};

static void fpb_cycles_desc(struct fpb_perf_desc *d)
{
	memset(d, 0, sizeof(*d));
	fpb_snprintf(d->name, sizeof(d->name), "cycles");
	d->type = PERF_TYPE_HARDWARE;
	d->config = PERF_COUNT_HW_CPU_CYCLES;
	d->exclude_hv = true;
}

static int fpb_cycles_open(struct fpb_cycles *c, char *why, size_t len)
{
	struct fpb_perf_desc d;

	fpb_cycles_desc(&d);
	if (fpb_perf_set_open(&c->set, &d, 1, NULL, 0) == 1)
		return 0;
	fpb_snprintf(why, len, "no core-cycle counter: perf_event_open(cycles): %s; %s",
		     fpb_perf_state_name(&c->set.ev[0]),
		     c->set.ev[0].state == FPB_PERF_EV_UNAVAILABLE ?
		     "hardware counters unavailable in this VM (use --timer=tsc)" :
		     "lower kernel.perf_event_paranoid or use --timer=tsc");
	fpb_perf_set_close(&c->set);
	return -1;
}

static int fpb_cycles_init(struct fpb_timer *t, const struct fpb_cpu *cpu, char *why, size_t len)
{
	struct fpb_cycles *c = fpb_alloc(sizeof(*c));

	(void)cpu;
	if (!c) {
		fpb_snprintf(why, len, "out of memory");
		return -1;
	}
	if (fpb_cycles_open(c, why, len)) {
		fpb_free(c);
		return -1;
	}
	t->priv = c;
	return 0;
}

static void fpb_cycles_fini(struct fpb_timer *t)
{
	struct fpb_cycles *c = t->priv;

	if (!c)
		return;
	fpb_perf_set_close(&c->set);
	fpb_free(c);
	t->priv = NULL;
}

static inline void fpb_cycles_fence(void)
{
#if defined(__x86_64__)
	__asm__ __volatile__("lfence" ::: "memory");
#else
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

static uint64_t fpb_cycles_begin(struct fpb_timer *t)
{
	struct fpb_cycles *c = t->priv;

	fpb_cycles_fence();
	if (fpb_perf_set_read(&c->set, &c->begin))
		return 0;
	fpb_cycles_fence();
	return c->begin.count[0];
}

/* The end read returns begin + the batch's count scaled by enabled/running, if multiplexed. */
static uint64_t fpb_cycles_end(struct fpb_timer *t, int *cpu)
{
	struct fpb_cycles *c = t->priv;
	struct fpb_perf_snap end;
	uint64_t delta = 0;

	fpb_cycles_fence();
	if (fpb_perf_set_read(&c->set, &end) == 0)
		fpb_perf_delta(&c->set, &c->begin, &end, &delta, NULL);
	fpb_cycles_fence();
	if (cpu)
		*cpu = sched_getcpu();
	return c->begin.count[0] + delta;
}

struct fpb_timer fpb_timer_cycles = {
	.name	= "cycles",
	.unit	= "core-cycles",
	.init	= fpb_cycles_init,
	.fini	= fpb_cycles_fini,
	.begin	= fpb_cycles_begin,
	.end	= fpb_cycles_end,
};

#if defined(__x86_64__)
static double fpb_cycles_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
#endif

/* TSC ticks per core cycle over a ~20 ms busy loop (timer.h). */
int fpb_timer_cycles_tsc_ratio(double *ratio, char *why, size_t len)
{
#if defined(__x86_64__)
	struct fpb_cycles c;
	struct fpb_perf_snap a, b;
	uint64_t t0, t1, cyc = 0;
	double until;

	if (fpb_cycles_open(&c, why, len))
		return -1;
	until = fpb_cycles_now_s() + 0.02;
	t0 = fpb_rdtsc_begin();
	if (fpb_perf_set_read(&c.set, &a))
		goto fail;
	while (fpb_cycles_now_s() < until)
		;
	t1 = fpb_rdtsc_begin();
	if (fpb_perf_set_read(&c.set, &b))
		goto fail;
	fpb_perf_delta(&c.set, &a, &b, &cyc, NULL);
	fpb_perf_set_close(&c.set);
	if (!cyc) {
		fpb_snprintf(why, len, "the core-cycle counter did not advance");
		return -1;
	}
	*ratio = (double)(t1 - t0) / (double)cyc;
	return 0;
fail:
	fpb_perf_set_close(&c.set);
	fpb_snprintf(why, len, "reading the core-cycle counter failed");
	return -1;
#else
	(void)ratio;
	fpb_snprintf(why, len, "no TSC on this architecture");
	return -1;
#endif
}
