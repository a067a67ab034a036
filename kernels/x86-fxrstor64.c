// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86-fxrstor64.c - FXRSTOR64 from a 512-byte buffer.
 *
 * Per op: one FXRSTOR64 of x87 + SSE from bufs[cur], an image saved in setup under the condition
 * (the legacy area of an XSAVE image is the FXSAVE64 format).
 */
#include "x86-asm.h"
#include "cpu.h"

#define FLAGS	(FPB_K_ARCH_X86 | FPB_K_USES_STATE | FPB_K_USES_BUFFER | FPB_K_RESTORE)

static bool supported(const struct fpb_cpu *cpu, char *why, size_t len)
{
	return fpb_x86_need_feature(cpu, FPB_CPU_FXSR, "FXSR", why, len) &&
	       fpb_x86_need_xsave(cpu, why, len);
}

static int setup(struct fpb_kctx *ctx, char *why, size_t len)
{
	return fpb_x86_setup(ctx, FLAGS, why, len);
}

static void body(struct fpb_kctx *ctx, uint64_t n)
{
	struct fpb_x86_args a;

	fpb_x86_args_fill(&a, ctx, n, FLAGS);
	FPB_ASM_RUN(&a, "fxrstor64 (%%r11)\n\t");
	fpb_x86_args_done(&a, ctx);
}

const struct fpb_kernel fpb_kernel_fxrstor64 = {
	.name		= "fxrstor64",
	.desc		= "FXRSTOR64 of the x87 and SSE state from a 512-byte buffer",
	.flags		= FLAGS,
	.supported	= supported,
	.setup		= setup,
	.body		= body,
};
