// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * timer-cntvct.c - the arm64 "cntvct" timer: the generic timer's virtual count, CNTVCT_EL0.
 *
 * begin: isb; mrs cntvct_el0; isb   (earlier work done before the read, later work after it)
 * end:   isb; mrs cntvct_el0; isb   (the batch done before the read), then the CPU id.
 * The counter runs at CNTFRQ_EL0 (typically 1 GHz on Armv8.6+ parts, 25-100 MHz before, and
 * 62.5 MHz under qemu), far coarser than core cycles: batch, and difference N against 2N.
 * The unit is counter ticks; src/cpu/cpu-arm64.c puts CNTFRQ_EL0 into the machine description.
 */
#define _GNU_SOURCE
#include <sched.h>
#include "timer.h"

#if defined(__aarch64__)

static uint64_t cntvct_read(void)
{
	uint64_t v;

	__asm__ __volatile__("isb\n\tmrs %0, cntvct_el0\n\tisb" : "=r"(v) :: "memory");
	return v;
}

static uint64_t cntvct_begin(struct fpb_timer *t)
{
	return cntvct_read();
}

static uint64_t cntvct_end(struct fpb_timer *t, int *cpu)
{
	uint64_t v = cntvct_read();

	if (cpu)
		*cpu = sched_getcpu();
	return v;
}

/* CNTFRQ_EL0 in Hz (0 if the firmware left it unset). */
static uint64_t cntfrq(void)
{
	uint64_t f;

	__asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(f));
	return f;
}

static int cntvct_init(struct fpb_timer *t, const struct fpb_cpu *cpu, char *why, size_t len)
{
	if (!cntfrq()) {
		fpb_snprintf(why, len, "CNTFRQ_EL0 reads 0: the counter frequency is unknown");
		return -1;
	}
	return 0;
}

#else /* !__aarch64__ */

static uint64_t cntvct_begin(struct fpb_timer *t)
{
	return 0;
}

static uint64_t cntvct_end(struct fpb_timer *t, int *cpu)
{
	if (cpu)
		*cpu = -1;
	return 0;
}

static int cntvct_init(struct fpb_timer *t, const struct fpb_cpu *cpu, char *why, size_t len)
{
	fpb_snprintf(why, len, "CNTVCT_EL0 is arm64 only");
	return -1;
}

#endif

static void cntvct_fini(struct fpb_timer *t)
{
}

struct fpb_timer fpb_timer_cntvct = {
	.name	= "cntvct",
	.unit	= "cntvct-ticks",
	.init	= cntvct_init,
	.fini	= cntvct_fini,
	.begin	= cntvct_begin,
	.end	= cntvct_end,
	.ns_per_unit = fpb_timer_ns_per_counter_tick,
};
