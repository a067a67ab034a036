/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cpuid-native.c - the native CPUID/XGETBV source: the instructions themselves.
 *
 * Leaves above the range's maximum (leaf 0, 0x40000000, 0x80000000) answer -1 rather than the
 * highest basic leaf's data that Intel parts return for them.  XGETBV(0) needs OSXSAVE and
 * XGETBV(1) needs CPUID.(0xD,1):EAX[2]; without them the source answers -1 instead of faulting.
 */
#include "cpu.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <string.h>

static inline void raw_cpuid(uint32_t leaf, uint32_t sub, struct fpb_cpuid_regs *r)
{
	__cpuid_count(leaf, sub, r->eax, r->ebx, r->ecx, r->edx);
}

static inline uint64_t raw_xgetbv(uint32_t xcr)
{
	uint32_t lo, hi;

	__asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(xcr));
	return ((uint64_t)hi << 32) | lo;
}

/* Highest leaf of the range leaf belongs to (0, 0x40000000 or 0x80000000); 0 when absent. */
static uint32_t range_max(uint32_t leaf)
{
	struct fpb_cpuid_regs r;
	uint32_t base = leaf & 0xc0000000u;

	if (base != 0 && base != 0x40000000u && base != 0x80000000u)
		return 0;
	if (base == 0x40000000u) {
		/* Only a hypervisor defines this range (CPUID.1:ECX[31]). */
		raw_cpuid(1, 0, &r);
		if (!(r.ecx & (1u << 31)))
			return 0;
		raw_cpuid(base, 0, &r);
		/* Some hypervisors report 0 here; the signature leaf itself still exists. */
		return r.eax < base ? base : r.eax;
	}
	raw_cpuid(base, 0, &r);
	return r.eax;
}

static int native_cpuid(const struct fpb_cpuid_source *src, uint32_t leaf, uint32_t subleaf,
			struct fpb_cpuid_regs *out)
{
	(void)src;
	/* Leaf 0 and 0x80000000 always answer; everything else must be within its range. */
	if (leaf != 0 && leaf != 0x80000000u && leaf > range_max(leaf))
		return -1;
	raw_cpuid(leaf, subleaf, out);
	return 0;
}

/* 0 unknown, 1 usable, -1 not usable; benign races: every thread computes the same answer. */
static int xgetbv_ok[2];

static bool xgetbv_usable(uint32_t xcr)
{
	struct fpb_cpuid_regs r;
	bool ok;

	if (xcr > 1)
		return false;
	if (__atomic_load_n(&xgetbv_ok[xcr], __ATOMIC_RELAXED))
		return __atomic_load_n(&xgetbv_ok[xcr], __ATOMIC_RELAXED) > 0;
	raw_cpuid(0, 0, &r);
	if (r.eax < 0xd) {
		ok = false;
	} else {
		raw_cpuid(1, 0, &r);
		ok = r.ecx & (1u << 27);		/* OSXSAVE */
		if (ok && xcr == 1) {
			raw_cpuid(0xd, 1, &r);
			ok = r.eax & (1u << 2);		/* XGETBV with ECX = 1 */
		}
	}
	__atomic_store_n(&xgetbv_ok[xcr], ok ? 1 : -1, __ATOMIC_RELAXED);
	return ok;
}

static int native_xgetbv(const struct fpb_cpuid_source *src, uint32_t xcr, uint64_t *out)
{
	(void)src;
	if (!xgetbv_usable(xcr))
		return -1;
	*out = raw_xgetbv(xcr);
	return 0;
}

/* XINUSE through XGETBV(1); returns false (and *out = 0) when XGETBV1 is missing. */
bool fpb_cpu_xinuse(uint64_t *out)
{
	if (!xgetbv_usable(1)) {
		*out = 0;
		return false;
	}
	*out = raw_xgetbv(1);
	return true;
}

#if defined(__x86_64__)
uint64_t fpb_cpu_xinuse_untracked_probe(uint64_t xcr0)
{
	/* x87, SSE, AVX, opmask, ZMM_Hi256, Hi16_ZMM: what fpbench's clean conditions put to init. */
	const uint64_t comps = 0xe7;
	static uint8_t hdr[576] __attribute__((aligned(64)));
	uint64_t rfbm = xcr0 & comps, xin;
	uint32_t lo, hi;

	if (!xgetbv_usable(1) || !rfbm)
		return 0;
	memset(hdr, 0, sizeof(hdr));
	hdr[24] = 0x80;			/* MXCSR 0x1f80: exceptions stay masked */
	hdr[25] = 0x1f;
	/* One block: no compiler-generated vector code between the XRSTOR and the XGETBV. */
	__asm__ __volatile__("xrstor64 %[buf]\n\t"
			     "mov $1, %%ecx\n\t"
			     "xgetbv"
			     : "=a"(lo), "=d"(hi)
			     : [buf] "m"(*(uint8_t (*)[576])hdr), "a"((uint32_t)rfbm),
			       "d"((uint32_t)(rfbm >> 32))
			     : "rcx", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5",
			       "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13",
			       "xmm14", "xmm15");
	xin = ((uint64_t)hi << 32) | lo;
	return xin & rfbm & ~(uint64_t)0x2;
}
#else
uint64_t fpb_cpu_xinuse_untracked_probe(uint64_t xcr0)
{
	(void)xcr0;
	return 0;
}
#endif

#else /* not x86: no CPUID at all */

static int native_cpuid(const struct fpb_cpuid_source *src, uint32_t leaf, uint32_t subleaf,
			struct fpb_cpuid_regs *out)
{
	(void)src; (void)leaf; (void)subleaf; (void)out;
	return -1;
}

static int native_xgetbv(const struct fpb_cpuid_source *src, uint32_t xcr, uint64_t *out)
{
	(void)src; (void)xcr; (void)out;
	return -1;
}

bool fpb_cpu_xinuse(uint64_t *out)
{
	*out = 0;
	return false;
}

uint64_t fpb_cpu_xinuse_untracked_probe(uint64_t xcr0)
{
	(void)xcr0;
	return 0;
}
#endif

const struct fpb_cpuid_source fpb_cpuid_native = {
	.name	= "native",
	.cpuid	= native_cpuid,
	.xgetbv	= native_xgetbv,
};
