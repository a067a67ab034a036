/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kmod/fpbench-asm.h - the privileged instructions, each under an exception-table fixup.
 *
 * Every helper returns FPB_R0_OK (-1) when the instruction retired, or the trap number it raised
 * (6 #UD, 13 #GP, ...): EX_TYPE_FAULT puts the trap number in eax and resumes after the
 * instruction, so a missing feature becomes a skip reason, never an oops.  No xmm register is
 * ever listed as a clobber: the kernel is built without SSE and owns the FPU through
 * kernel_fpu_begin() while these run.
 */
#ifndef FPB_KMOD_ASM_H
#define FPB_KMOD_ASM_H

#include <linux/types.h>
#include <asm/page.h>
#include <asm/asm.h>
#include <asm/extable_fixup_types.h>
#include <asm/fpu/types.h>

#define FPB_R0_OK	(-1)

/* Instruction with eax = low word of its operand and edx = high word; ecx = index. */
#define FPB_R0_EDXEAX(insn, buf, val, idx)					\
({										\
	int __ax = (u32)(val);							\
	asm volatile("1: " insn "\n\t"						\
		     "mov $-1, %%eax\n"						\
		     "2:\n"							\
		     _ASM_EXTABLE_TYPE(1b, 2b, EX_TYPE_FAULT)			\
		     : "+a"(__ax)						\
		     : "D"(buf), "d"((u32)((u64)(val) >> 32)), "c"(idx)		\
		     : "memory");						\
	__ax;									\
})

static __always_inline int fpb_r0_xsave(void *b, u64 m)    { return FPB_R0_EDXEAX("xsave64 (%%rdi)", b, m, 0); }
static __always_inline int fpb_r0_xsaveopt(void *b, u64 m) { return FPB_R0_EDXEAX("xsaveopt64 (%%rdi)", b, m, 0); }
static __always_inline int fpb_r0_xsavec(void *b, u64 m)   { return FPB_R0_EDXEAX("xsavec64 (%%rdi)", b, m, 0); }
static __always_inline int fpb_r0_xsaves(void *b, u64 m)   { return FPB_R0_EDXEAX("xsaves64 (%%rdi)", b, m, 0); }
static __always_inline int fpb_r0_xrstor(void *b, u64 m)   { return FPB_R0_EDXEAX("xrstor64 (%%rdi)", b, m, 0); }
static __always_inline int fpb_r0_xrstors(void *b, u64 m)  { return FPB_R0_EDXEAX("xrstors64 (%%rdi)", b, m, 0); }
static __always_inline int fpb_r0_fxsave(void *b)          { return FPB_R0_EDXEAX("fxsave64 (%%rdi)", b, 0, 0); }
static __always_inline int fpb_r0_fxrstor(void *b)         { return FPB_R0_EDXEAX("fxrstor64 (%%rdi)", b, 0, 0); }
static __always_inline int fpb_r0_xsetbv(u32 xcr, u64 v)   { return FPB_R0_EDXEAX("xsetbv", NULL, v, xcr); }
static __always_inline int fpb_r0_wrmsr(u32 msr, u64 v)    { return FPB_R0_EDXEAX("wrmsr", NULL, v, msr); }

/* RDMSR: ecx becomes -1 when it retired, otherwise eax holds the trap number. */
static __always_inline int fpb_r0_rdmsr(u32 msr, u64 *v)
{
	u32 lo, hi = 0;
	int cx = msr;

	asm volatile("1: rdmsr\n\t"
		     "mov $-1, %%ecx\n"
		     "2:\n"
		     _ASM_EXTABLE_TYPE(1b, 2b, EX_TYPE_FAULT)
		     : "=a"(lo), "+d"(hi), "+c"(cx) : : "memory");
	if (cx != -1)
		return (int)lo;
	*v = ((u64)hi << 32) | lo;
	return FPB_R0_OK;
}

/* XGETBV: the same convention. */
static __always_inline int fpb_r0_xgetbv(u32 xcr, u64 *v)
{
	u32 lo, hi = 0;
	int cx = xcr;

	asm volatile("1: xgetbv\n\t"
		     "mov $-1, %%ecx\n"
		     "2:\n"
		     _ASM_EXTABLE_TYPE(1b, 2b, EX_TYPE_FAULT)
		     : "=a"(lo), "+d"(hi), "+c"(cx) : : "memory");
	if (cx != -1)
		return (int)lo;
	*v = ((u64)hi << 32) | lo;
	return FPB_R0_OK;
}

/* Fenced timestamps around a batch. */
static __always_inline u64 fpb_r0_ts_begin(void)
{
	u32 lo, hi;

	asm volatile("lfence\n\trdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((u64)hi << 32) | lo;
}

static __always_inline u64 fpb_r0_ts_end(bool rdtscp)
{
	u32 lo, hi, aux;

	if (rdtscp)
		asm volatile("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi), "=c"(aux) : : "memory");
	else
		asm volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) : : "memory");
	return ((u64)hi << 32) | lo;
}

/*
 * Not a component: write xmm1 with a VEX encoding.  A legacy-SSE write while upper halves of
 * YMM/ZMM registers are dirty (the SSE/AVX transition) costs hundreds of cycles on Intel cores at
 * the next XSAVE*; set wherever the CPU has AVX, so no condition creates it.
 */
#define FPB_R0_DIRTY_VEX	(1ULL << 62)

/*
 * Write one register of every component in mask (a "dirty" condition).  Only components
 * enabled in XCR0 may be passed (the caller masks).
 */
static __always_inline void fpb_r0_dirty(u64 mask)
{
	if (mask & XFEATURE_MASK_FP)
		asm volatile("fldz\n\tfstp %%st(0)" : : : "memory");
	if ((mask & XFEATURE_MASK_SSE) && (mask & FPB_R0_DIRTY_VEX))
		asm volatile("vpcmpeqd %%xmm1, %%xmm1, %%xmm1" : : : "memory");
	else if (mask & XFEATURE_MASK_SSE)
		asm volatile("pcmpeqd %%xmm1, %%xmm1" : : : "memory");
	if (mask & XFEATURE_MASK_YMM)
		asm volatile("vpcmpeqd %%ymm2, %%ymm2, %%ymm2" : : : "memory");
	if (mask & XFEATURE_MASK_OPMASK)
		asm volatile("kxnorw %%k1, %%k1, %%k1" : : : "memory");
	if (mask & XFEATURE_MASK_ZMM_Hi256)
		asm volatile("vpternlogd $0xff, %%zmm3, %%zmm3, %%zmm3" : : : "memory");
	if (mask & XFEATURE_MASK_Hi16_ZMM)
		asm volatile("vpternlogd $0xff, %%zmm17, %%zmm17, %%zmm17" : : : "memory");
}

#define FPB_R0_DIRTY_MASK	(XFEATURE_MASK_FP | XFEATURE_MASK_SSE | XFEATURE_MASK_YMM |	\
				 XFEATURE_MASK_OPMASK | XFEATURE_MASK_ZMM_Hi256 |		\
				 XFEATURE_MASK_Hi16_ZMM)
/* Components whose XINUSE bit reliably follows the condition. */
#define FPB_R0_XINUSE_MASK	(XFEATURE_MASK_YMM | XFEATURE_MASK_OPMASK |			\
				 XFEATURE_MASK_ZMM_Hi256 | XFEATURE_MASK_Hi16_ZMM)

#endif /* FPB_KMOD_ASM_H */
