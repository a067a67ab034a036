// SPDX-License-Identifier: GPL-2.0-or-later
/* timer.c - the timer registry: what --timer= can name. */
#include "timer.h"
#include "cpu.h"

/* In --list order; the first is the default on x86-64 (cntvct is arm64's, src/cli/options.c). */
struct fpb_timer *const fpb_timers[] = {
	&fpb_timer_tsc,
	&fpb_timer_clock,
	&fpb_timer_cycles,	/* src/measure/timer-cycles.c: core-cycle counter through perf_event */
#if defined(__aarch64__)
	&fpb_timer_cntvct,	/* src/measure/timer-cntvct.c (kernels/arm64.am) */
#endif
};

const size_t fpb_nr_timers = FPB_ARRAY_SIZE(fpb_timers);

/* fpb_timer_find() - the timer called name ("tsc", "clock", "cycles"); NULL when unknown. */
struct fpb_timer *fpb_timer_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < fpb_nr_timers; i++)
		if (!strcmp(fpb_timers[i]->name, name))
			return fpb_timers[i];
	return NULL;
}

double fpb_timer_ns_per_unit(const struct fpb_timer *t, const struct fpb_cpu *cpu)
{
	return t && t->ns_per_unit ? t->ns_per_unit(cpu) : 0;
}

double fpb_timer_ns_per_counter_tick(const struct fpb_cpu *cpu)
{
	return cpu->tsc_hz ? 1e9 / (double)cpu->tsc_hz : 0;
}
