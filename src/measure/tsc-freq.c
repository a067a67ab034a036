// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tsc-freq.c - how fast the TSC ticks, and how we know: CPUID 0x15 (crystal ratio), CPUID 0x16
 * (base frequency), the hypervisor's leaf 0x40000010 (kHz), else ~50 ms of calibration against
 * CLOCK_MONOTONIC_RAW.  The source goes into the result next to the figure.
 */
#include "config.h"
#include <time.h>
#include "timer.h"
#include "cpu.h"

#define CALIBRATE_NS	50000000ull

#if defined(__x86_64__)
static uint64_t raw_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* One (clock, tsc) pair, the TSC read between two clock reads; returns the bracket width. */
static uint64_t sample_pair(uint64_t *ns, uint64_t *tsc)
{
	uint64_t a = raw_ns(), t = fpb_rdtsc_begin(), b = raw_ns();

	*ns = a + (b - a) / 2;
	*tsc = t;
	return b - a;
}

/* Best of a few pairs: the narrowest bracket. */
static void best_pair(uint64_t *ns, uint64_t *tsc)
{
	uint64_t w, best = UINT64_MAX, n, t;

	for (int i = 0; i < 5; i++) {
		w = sample_pair(&n, &t);
		if (w < best) {
			best = w;
			*ns = n;
			*tsc = t;
		}
	}
}

static uint64_t calibrate(void)
{
	uint64_t ns0, tsc0, ns1, tsc1;

	best_pair(&ns0, &tsc0);
	do
		best_pair(&ns1, &tsc1);
	while (ns1 - ns0 < CALIBRATE_NS);
	/* Round to the kHz: more digits would be noise. */
	return (uint64_t)((double)(tsc1 - tsc0) * 1e6 / (double)(ns1 - ns0) + 0.5) * 1000;
}
#endif

/*
 * fpb_timer_tsc_frequency() - fill cpu->tsc_hz (Hz, 0 unknown) and cpu->tsc_hz_source
 * ("cpuid-0x15", "cpuid-0x16", "hypervisor-0x40000010", "calibrated", "unknown").
 */
void fpb_timer_tsc_frequency(struct fpb_cpu *cpu)
{
	cpu->tsc_hz = 0;
	cpu->tsc_hz_source = "unknown";
#if defined(__x86_64__)
	const struct fpb_cpuid_source *src = &fpb_cpuid_native;
	struct fpb_cpuid_regs r;
	uint32_t max_leaf = 0;

	if (!src->cpuid(src, 0, 0, &r))
		max_leaf = r.eax;
	if (max_leaf >= 0x15 && !src->cpuid(src, 0x15, 0, &r) && r.eax && r.ebx && r.ecx) {
		cpu->tsc_hz = (uint64_t)r.ecx * r.ebx / r.eax;
		cpu->tsc_hz_source = "cpuid-0x15";
		return;
	}
	if (max_leaf >= 0x16 && !src->cpuid(src, 0x16, 0, &r) && (r.eax & 0xffff)) {
		cpu->tsc_hz = (uint64_t)(r.eax & 0xffff) * 1000000ull;
		cpu->tsc_hz_source = "cpuid-0x16";
		return;
	}
	if (max_leaf >= 1 && !src->cpuid(src, 1, 0, &r) && (r.ecx & (1u << 31)) &&
	    !src->cpuid(src, 0x40000000, 0, &r) && r.eax >= 0x40000010 && r.eax < 0x40010000 &&
	    !src->cpuid(src, 0x40000010, 0, &r) && r.eax) {
		cpu->tsc_hz = (uint64_t)r.eax * 1000ull;
		cpu->tsc_hz_source = "hypervisor-0x40000010";
		return;
	}
	cpu->tsc_hz = calibrate();
	cpu->tsc_hz_source = cpu->tsc_hz ? "calibrated" : "unknown";
#elif defined(__aarch64__)
	/* The arm64 timer (timer-cntvct.c) counts at CNTFRQ_EL0. */
	__asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(cpu->tsc_hz));
	cpu->tsc_hz_source = cpu->tsc_hz ? "cntfrq_el0" : "unknown";
#endif
}
