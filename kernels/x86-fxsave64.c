// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86-fxsave64.c - FXSAVE64 into a 512-byte buffer.
 *
 * Per op: one FXSAVE64 of x87 + SSE (MXCSR, xmm0-15) into bufs[cur]; no mask, no optimisation.
 * The condition (x87/xmm init, written, or restored) is prepared once per batch with XSAVE-family
 * instructions, hence the XSAVE requirement.
 */
#include "x86-asm.h"
#include "cpu.h"

#define FLAGS	(FPB_K_ARCH_X86 | FPB_K_USES_STATE | FPB_K_USES_BUFFER | FPB_K_SAVE)

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
	FPB_ASM_RUN(&a, "fxsave64 (%%r11)\n\t");
	fpb_x86_args_done(&a, ctx);
}

const struct fpb_kernel fpb_kernel_fxsave64 = {
	.name		= "fxsave64",
	.desc		= "FXSAVE64 of the x87 and SSE state into a 512-byte buffer",
	.flags		= FLAGS,
	.supported	= supported,
	.setup		= setup,
	.body		= body,
};
