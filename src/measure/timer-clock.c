// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * timer-clock.c - the "clock" timer: CLOCK_MONOTONIC_RAW in nanoseconds.  Portable and coarse
 * (a vDSO call on each side of the batch): for machines without a usable TSC and for cross-checks.
 */
#include "config.h"
#include <time.h>
#include <sched.h>
#include "timer.h"

static uint64_t clock_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int clock_init(struct fpb_timer *t, const struct fpb_cpu *cpu, char *why, size_t len)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC_RAW, &ts)) {
		fpb_snprintf(why, len, "CLOCK_MONOTONIC_RAW is not available: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void clock_fini(struct fpb_timer *t)
{
}

static uint64_t clock_begin(struct fpb_timer *t)
{
	return clock_now();
}

static uint64_t clock_end(struct fpb_timer *t, int *cpu)
{
	uint64_t v = clock_now();

	if (cpu)
		*cpu = sched_getcpu();
	return v;
}

/* The clock counts nanoseconds. */
static double clock_ns_per_unit(const struct fpb_cpu *cpu)
{
	(void)cpu;
	return 1.0;
}

struct fpb_timer fpb_timer_clock = {
	.name	= "clock",
	.unit	= "ns",
	.init	= clock_init,
	.fini	= clock_fini,
	.begin	= clock_begin,
	.end	= clock_end,
	.ns_per_unit = clock_ns_per_unit,
};
