// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * timer-tsc.c - the "tsc" timer: fenced time-stamp counter reads around a batch.
 *
 * begin: lfence; rdtsc (earlier instructions finish before the read).
 * end:   rdtscp; lfence, with the CPU id from TSC_AUX (ECX) so a migrated batch is caught.
 * Where RDTSCP is missing (CPUID 0x80000001 EDX bit 27 clear, as in some KVM guests) the end
 * read is lfence; rdtsc; lfence and the CPU id comes from RDPID when present, else from
 * sched_getcpu() (vDSO/rseq, no system call).  init picks the end function once.
 * TSC ticks are not core cycles: the frequency is in cpu->tsc_hz (tsc-freq.c).
 */
#include "config.h"
#include <sched.h>
#include "timer.h"
#include "cpu.h"

#if defined(__x86_64__)

/* Linux puts (node << 12) | cpu into TSC_AUX. */
#define TSC_AUX_CPU_MASK	0xfff

static uint64_t tsc_begin(struct fpb_timer *t)
{
	return fpb_rdtsc_begin();
}

static uint64_t tsc_end_rdtscp(struct fpb_timer *t, int *cpu)
{
	uint32_t lo, hi, aux;

	__asm__ __volatile__("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi), "=c"(aux) :: "memory");
	if (cpu)
		*cpu = (int)(aux & TSC_AUX_CPU_MASK);
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t tsc_fenced(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t tsc_end_rdpid(struct fpb_timer *t, int *cpu)
{
	uint64_t v = tsc_fenced(), aux;

	/* rdpid %rax */
	__asm__ __volatile__(".byte 0xf3, 0x0f, 0xc7, 0xf8" : "=a"(aux));
	if (cpu)
		*cpu = (int)(aux & TSC_AUX_CPU_MASK);
	return v;
}

static uint64_t tsc_end_getcpu(struct fpb_timer *t, int *cpu)
{
	uint64_t v = tsc_fenced();

	if (cpu)
		*cpu = sched_getcpu();
	return v;
}

/* Which end read this CPU allows (the TSC itself is architectural on x86-64). */
static int tsc_init(struct fpb_timer *t, const struct fpb_cpu *cpu, char *why, size_t len)
{
	const struct fpb_cpuid_source *src = &fpb_cpuid_native;
	struct fpb_cpuid_regs r;
	bool rdtscp = false, rdpid = false;

	if (!src->cpuid(src, 0x80000000, 0, &r) && r.eax >= 0x80000001 &&
	    !src->cpuid(src, 0x80000001, 0, &r))
		rdtscp = r.edx & (1u << 27);
	if (!src->cpuid(src, 0, 0, &r) && r.eax >= 7 && !src->cpuid(src, 7, 0, &r))
		rdpid = r.ecx & (1u << 22);

	if (rdtscp) {
		t->end = tsc_end_rdtscp;
		t->priv = (void *)"rdtscp";
	} else if (rdpid) {
		t->end = tsc_end_rdpid;
		t->priv = (void *)"rdtsc+rdpid";
	} else {
		t->end = tsc_end_getcpu;
		t->priv = (void *)"rdtsc+getcpu";
	}
	return 0;
}

#else /* !__x86_64__ */

static uint64_t tsc_begin(struct fpb_timer *t)
{
	return 0;
}

static uint64_t tsc_end_getcpu(struct fpb_timer *t, int *cpu)
{
	if (cpu)
		*cpu = -1;
	return 0;
}

static int tsc_init(struct fpb_timer *t, const struct fpb_cpu *cpu, char *why, size_t len)
{
	fpb_snprintf(why, len, "no time-stamp counter on this architecture (use --timer=clock)");
	return -1;
}

#endif

static void tsc_fini(struct fpb_timer *t)
{
}

/* Before init the end read is the one that works everywhere (no RDTSCP needed). */
struct fpb_timer fpb_timer_tsc = {
	.name	= "tsc",
	.unit	= "tsc-ticks",
	.init	= tsc_init,
	.fini	= tsc_fini,
	.begin	= tsc_begin,
	.end	= tsc_end_getcpu,
	.ns_per_unit = fpb_timer_ns_per_counter_tick,
};
