// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * naive-xsave.c - the naive way to time XSAVE and XRSTOR, for scripts/naive-compare.sh: one
 * loop of N operations between two plain RDTSC reads, divided by N.  No fencing, no warm-up
 * control, no differencing, no condition check: what fpbench's harness is meant to improve on.
 * The registers of every enabled component (xmm, ymm upper, k0-7, zmm) are written once before
 * the loops, so the state is "dirty" as in `fpbench --state=dirty --mask=all`.
 *
 * Usage: naive-xsave [N [CPU]]   (default N = 200000, CPU = the last online)
 */
#include "config.h"
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cpuid.h>

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static const uint64_t pat[8] __attribute__((aligned(64))) = {
	0x1122334455667788ull, 0x99aabbccddeeff11ull, 0x2233445566778899ull, 0xaabbccddeeff1122ull,
	0x3344556677889900ull, 0xbbccddeeff112233ull, 0x4455667788990011ull, 0xccddeeff11223344ull,
};

/* Write xmm0-15 always, ymm uppers with AVX, k0-7 and zmm0-31 with AVX-512 enabled in XCR0. */
static void dirty(uint64_t xcr0)
{
	__asm__ __volatile__("movdqa (%0), %%xmm0\n\tmovdqa (%0), %%xmm7\n\tmovdqa (%0), %%xmm15"
			     :: "r"(pat) : "xmm0", "xmm7", "xmm15");
	if (xcr0 & 0x4)
		__asm__ __volatile__("vinsertf128 $1, (%0), %%ymm0, %%ymm0\n\t"
				     "vinsertf128 $1, (%0), %%ymm7, %%ymm7\n\t"
				     "vinsertf128 $1, (%0), %%ymm15, %%ymm15"
				     :: "r"(pat) : "xmm0", "xmm7", "xmm15");
	if ((xcr0 & 0xe0) == 0xe0)
		__asm__ __volatile__("kmovw (%0), %%k1\n\t"
				     "vmovdqa64 (%0), %%zmm0\n\tvmovdqa64 (%0), %%zmm15\n\t"
				     "vmovdqa64 (%0), %%zmm16\n\tvmovdqa64 (%0), %%zmm31"
				     :: "r"(pat) : "xmm0", "xmm15");
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	unsigned eax, ebx, ecx, edx, n = 200000;
	double xs[5], xr[5];
	uint32_t lo, hi;
	uint64_t xcr0;
	void *buf;
	int cpu = (int)sysconf(_SC_NPROCESSORS_ONLN) - 1;

	if (argc > 1)
		n = (unsigned)strtoul(argv[1], NULL, 0);
	if (argc > 2)
		cpu = atoi(argv[2]);
	if (!n) {
		fprintf(stderr, "naive-xsave: N must be a positive number\n");
		return 2;
	}
	if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & (1u << 27))) {
		printf("naive xsave: skipped: no OSXSAVE\n");
		return 77;
	}
	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	__asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	xcr0 = ((uint64_t)hi << 32) | lo;
	__cpuid_count(0xd, 0, eax, ebx, ecx, edx);
	if (posix_memalign(&buf, 64, ebx < 4096 ? 4096 : ebx))
		return 1;
	memset(buf, 0, ebx < 4096 ? 4096 : ebx);

	dirty(xcr0);
	for (int r = 0; r < 5; r++) {
		uint64_t t0, t1;

		t0 = rdtsc();
		for (unsigned i = 0; i < n; i++)
			__asm__ __volatile__("xsave64 (%0)" :: "r"(buf), "a"(lo), "d"(hi) : "memory");
		t1 = rdtsc();
		xs[r] = (double)(t1 - t0) / n;
		t0 = rdtsc();
		for (unsigned i = 0; i < n; i++)
			__asm__ __volatile__("xrstor64 (%0)" :: "r"(buf), "a"(lo), "d"(hi)
					     : "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4",
					     "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11",
					     "xmm12", "xmm13", "xmm14", "xmm15");
		t1 = rdtsc();
		xr[r] = (double)(t1 - t0) / n;
	}
	qsort(xs, 5, sizeof(xs[0]), cmp);
	qsort(xr, 5, sizeof(xr[0]), cmp);
	printf("naive xsave  mask=0x%llx: median %.1f  min %.1f tsc-ticks/op (5 loops of %u)\n",
	       (unsigned long long)xcr0, xs[2], xs[0], n);
	printf("naive xrstor mask=0x%llx: median %.1f  min %.1f tsc-ticks/op (5 loops of %u)\n",
	       (unsigned long long)xcr0, xr[2], xr[0], n);
	free(buf);
	return 0;
}
