/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * timer.h - the timer abstraction: what a timed batch is measured with.
 *
 * "tsc" (lfence;rdtsc ... rdtscp;lfence, or lfence;rdtsc;lfence where RDTSCP is missing),
 * "clock" (CLOCK_MONOTONIC_RAW, ns), "cycles" (the core-cycle counter through perf_event) and, on
 * arm64, "cntvct".  Kernels never read a timer themselves: the backend brackets their timed body.
 */
#ifndef FPB_TIMER_H
#define FPB_TIMER_H

#include "fpb_env.h"

struct fpb_cpu;

struct fpb_timer {
	const char *name;	/* "tsc", "clock", "cycles" */
	const char *unit;	/* "tsc-ticks", "ns", "core-cycles" */
	/* Prepare; returns 0, or -1 with a reason (e.g. no PMU for "cycles"). */
	int (*init)(struct fpb_timer *t, const struct fpb_cpu *cpu, char *why, size_t len);
	void (*fini)(struct fpb_timer *t);
	/* Serialising read before a batch. */
	uint64_t (*begin)(struct fpb_timer *t);
	/* Serialising read after a batch; *cpu gets the CPU id the read ran on, or -1 if unknown. */
	uint64_t (*end)(struct fpb_timer *t, int *cpu);
	/*
	 * Nanoseconds per unit on cpu; NULL, or 0 returned, when a unit is no fixed time (core
	 * cycles) or the rate is unknown.  Every row's ns_per_unit comes from here.
	 */
	double (*ns_per_unit)(const struct fpb_cpu *cpu);
	void *priv;
};

/* t's nanoseconds per unit on cpu (0: none; see ns_per_unit above). */
double fpb_timer_ns_per_unit(const struct fpb_timer *t, const struct fpb_cpu *cpu);
/* For timers counting at cpu->tsc_hz (the TSC, arm64's CNTVCT at CNTFRQ): 0 when unknown. */
double fpb_timer_ns_per_counter_tick(const struct fpb_cpu *cpu);

extern struct fpb_timer fpb_timer_tsc;
extern struct fpb_timer fpb_timer_clock;
extern struct fpb_timer fpb_timer_cntvct;	/* src/measure/timer-cntvct.c: arm64 CNTVCT_EL0, isb-ordered */
extern struct fpb_timer fpb_timer_cycles;	/* src/measure/timer-cycles.c: core cycles via perf_event */

/*
 * TSC ticks per core cycle, measured over a short busy loop with both counters (src/
 * timer-cycles.c).  0 with *ratio set, or -1 with why (no PMU, no TSC).
 */
int fpb_timer_cycles_tsc_ratio(double *ratio, char *why, size_t len);

/*
 * The core-clock reference (src/measure/clock-ref.c).  One op of fpb_clock_ref_batch is a dependent
 * chain of FPB_CLOCK_REF_CYCLES_PER_OP core cycles whatever the core (dependent 64-bit IMULs on
 * x86-64, register ADDs on arm64); n ops timed with tm into out->t.
 */
#if defined(__x86_64__)
#define FPB_CLOCK_REF_CYCLES_PER_OP	24	/* 8 IMUL r64, r64 of 3 cycles */
#else
#define FPB_CLOCK_REF_CYCLES_PER_OP	8	/* 8 ADD of 1 cycle */
#endif
#define FPB_CLOCK_REF_MIN_GHZ		0.5	/* a core clock outside these is a failed reference */
#define FPB_CLOCK_REF_MAX_GHZ		7.0
struct fpb_sample;
int fpb_clock_ref_batch(struct fpb_timer *tm, uint64_t n, struct fpb_sample *out);
/*
 * Is a reading of units_per_cycle (timer units per core cycle) with a timer of timer_hz units a
 * second physically possible?  0 (*ghz the implied core clock, 0 when timer_hz is unknown and
 * nothing could be checked), or -1 with why: the reference failed and must not be reported or
 * used.
 */
int fpb_clock_ref_check(double units_per_cycle, double timer_hz, double *ghz, char *why,
			size_t len);

/* Every timer this build has (src/measure/timer.c), what --timer= can name. */
extern struct fpb_timer *const fpb_timers[];
extern const size_t fpb_nr_timers;

/* Look up a timer by name; NULL when unknown. */
struct fpb_timer *fpb_timer_find(const char *name);

/*
 * TSC frequency: CPUID 0x15/0x16, hypervisor leaf 0x40000010, else calibrated against
 * CLOCK_MONOTONIC_RAW.  Fills cpu->tsc_hz and cpu->tsc_hz_source.
 */
void fpb_timer_tsc_frequency(struct fpb_cpu *cpu);

/* Inline fenced TSC reads for code that must not call through a pointer (in-situ loops). */
static inline uint64_t fpb_rdtsc_begin(void)
{
#if defined(__x86_64__)
	uint32_t lo, hi;

	__asm__ __volatile__("lfence\n\trdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
#else
	return 0;
#endif
}

#endif /* FPB_TIMER_H */
