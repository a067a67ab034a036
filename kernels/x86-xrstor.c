// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86-xrstor.c - XRSTOR from a standard-format buffer.
 *
 * Per op: one XRSTOR64 with RFBM = --mask from bufs[cur].  The condition is the image setup
 * saved: init = XSTATE_BV of the requested components clear (they are initialised, not loaded),
 * dirty/unmodified = saved after writing every requested component (all loaded from memory).
 */
#include "x86-asm.h"
#include "cpu.h"

#define FLAGS	(FPB_K_ARCH_X86 | FPB_K_USES_MASK | FPB_K_USES_STATE | FPB_K_USES_BUFFER | \
		 FPB_K_RESTORE)

static bool supported(const struct fpb_cpu *cpu, char *why, size_t len)
{
	return fpb_x86_need_xsave(cpu, why, len);
}

static int setup(struct fpb_kctx *ctx, char *why, size_t len)
{
	return fpb_x86_setup(ctx, FLAGS, why, len);
}

static void body(struct fpb_kctx *ctx, uint64_t n)
{
	struct fpb_x86_args a;

	fpb_x86_args_fill(&a, ctx, n, FLAGS);
	FPB_ASM_RUN(&a, "xrstor64 (%%r11)\n\t");
	fpb_x86_args_done(&a, ctx);
}

const struct fpb_kernel fpb_kernel_xrstor = {
	.name		= "xrstor",
	.desc		= "XRSTOR from a standard-format buffer (condition: its XSTATE_BV)",
	.flags		= FLAGS,
	.supported	= supported,
	.setup		= setup,
	.body		= body,
};
