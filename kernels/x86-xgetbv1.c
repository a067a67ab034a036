// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86-xgetbv1.c - XGETBV(1): read XINUSE (XCR0 & components not in their init state).
 *
 * Per op: mov $1,ecx; xgetbv.  No mask, state or buffer.
 */
#include "x86-asm.h"
#include "cpu.h"

static bool supported(const struct fpb_cpu *cpu, char *why, size_t len)
{
	return fpb_x86_need_feature(cpu, FPB_CPU_XGETBV1, "XGETBV1", why, len);
}

static void body(struct fpb_kctx *ctx, uint64_t n)
{
	__asm__ __volatile__("test %0, %0\n\t"
			     "jz 2f\n"
			     ".p2align 4\n"
			     "1:\n\t"
			     "mov $1, %%ecx\n\t"
			     "xgetbv\n\t"
			     "dec %0\n\t"
			     "jnz 1b\n"
			     "2:"
			     : "+r"(n) : : "rax", "rcx", "rdx", "cc");
}

const struct fpb_kernel fpb_kernel_xgetbv1 = {
	.name		= "xgetbv1",
	.desc		= "XGETBV(1): read XINUSE (components not in their init state)",
	.flags		= FPB_K_ARCH_X86,
	.supported	= supported,
	.body		= body,
};
