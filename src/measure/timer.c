// SPDX-License-Identifier: GPL-2.0-or-later
/* timer.c - the timer registry: what --timer= can name. */
#include "timer.h"

static struct fpb_timer *const timers[] = {
	&fpb_timer_tsc,
	&fpb_timer_clock,
	&fpb_timer_cycles,	/* src/timer-cycles.c: core-cycle counter through perf_event */
#if defined(__aarch64__)
	&fpb_timer_cntvct,	/* src/timer-cntvct.c (kernels/arm64.am) */
#endif
};

/* fpb_timer_find() - the timer called name ("tsc", "clock", "cycles"); NULL when unknown. */
struct fpb_timer *fpb_timer_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < FPB_ARRAY_SIZE(timers); i++)
		if (!strcmp(timers[i]->name, name))
			return timers[i];
	return NULL;
}
