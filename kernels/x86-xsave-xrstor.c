// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86-xsave-xrstor.c - the XSAVE + XRSTOR pair.
 *
 * Per op: XSAVE64 into bufs[cur] then XRSTOR64 from it, RFBM = --mask.  The condition is
 * prepared once per batch as for xsave; after the first pair the registers are "restored from this
 * buffer", which is what a switch back to the same task sees.
 */
#include "x86-asm.h"
#include "cpu.h"

#define FLAGS	(FPB_K_ARCH_X86 | FPB_K_USES_MASK | FPB_K_USES_STATE | FPB_K_USES_BUFFER | \
		 FPB_K_SAVE | FPB_K_RESTORE)

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
	FPB_ASM_RUN(&a, "xsave64 (%%r11)\n\t"
		     "xrstor64 (%%r11)\n\t");
	fpb_x86_args_done(&a, ctx);
}

const struct fpb_kernel fpb_kernel_xsave_xrstor = {
	.name		= "xsave-xrstor",
	.desc		= "XSAVE then XRSTOR of the same buffer (the save+restore pair of a switch)",
	.flags		= FLAGS,
	.supported	= supported,
	.setup		= setup,
	.body		= body,
};
