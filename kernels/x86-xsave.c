// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86-xsave.c - XSAVE in the standard format.
 *
 * Per op: one XSAVE64 with RFBM = --mask into bufs[cur] (cur advancing for rotate:K).  The
 * condition is prepared once per batch inside the same asm block: init = XRSTOR of an init header,
 * dirty = the registers of every requested component written, unmodified = XRSTOR of the buffer.
 * XSAVE writes every requested component whether in use or not (XSTATE_BV records which were):
 * neither the init nor the modified optimisation applies.
 */
#include "x86-asm.h"
#include "cpu.h"

#define FLAGS	(FPB_K_ARCH_X86 | FPB_K_USES_MASK | FPB_K_USES_STATE | FPB_K_USES_BUFFER | \
		 FPB_K_SAVE)

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
	FPB_ASM_RUN(&a, "xsave64 (%%r11)\n\t");
	fpb_x86_args_done(&a, ctx);
}

const struct fpb_kernel fpb_kernel_xsave = {
	.name		= "xsave",
	.desc		= "XSAVE of the masked components (standard format; writes every one, no optimisation)",
	.flags		= FLAGS,
	.supported	= supported,
	.setup		= setup,
	.body		= body,
};
