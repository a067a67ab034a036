// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86-table.c - the x86 user-mode kernels that differ only in their instructions, flags and
 * requirement: one `struct fpb_kernel` per XSTATE or REG row of kernels/x86-user.def.
 *
 * Each row expands to its own body function with the row's instructions as a literal in one asm
 * block, so the timed loop is the same code a hand-written file would hold: no C, no indirect
 * call and no branch on the kernel between preparing a condition and measuring.
 *
 * XSTATE rows: per op one pass of the row's instructions on bufs[cur] (cur advancing for
 * rotate:K), the condition prepared once per batch inside the same asm block (init = XRSTOR of an
 * init header, dirty = the registers of every requested component written, unmodified = XRSTOR of
 * the buffer).  XSAVE writes every requested component whether in use or not, XSAVEC applies the
 * init optimisation, XRSTOR's condition is the image setup saved (its XSTATE_BV).
 */
#include "x86-asm.h"
#include "cpu.h"
#include "x86-user.def"

#if defined(__x86_64__)

/* Requirement checks a row names (need_<needs>). */
static bool need_xsave(const struct fpb_cpu *cpu, char *why, size_t len)
{
	return fpb_x86_need_xsave(cpu, why, len);
}

static bool need_xsavec(const struct fpb_cpu *cpu, char *why, size_t len)
{
	return fpb_x86_need_feature(cpu, FPB_CPU_XSAVEC, "XSAVEC", why, len);
}

static bool need_fxsr(const struct fpb_cpu *cpu, char *why, size_t len)
{
	return fpb_x86_need_feature(cpu, FPB_CPU_FXSR, "FXSR", why, len);
}

static bool need_xgetbv1(const struct fpb_cpu *cpu, char *why, size_t len)
{
	return fpb_x86_need_feature(cpu, FPB_CPU_XGETBV1, "XGETBV1", why, len);
}

static bool need_pku(const struct fpb_cpu *cpu, char *why, size_t len)
{
	if (!fpb_cpu_has(cpu, FPB_CPU_PKU) || !fpb_cpu_has(cpu, FPB_CPU_OSPKE)) {
		snprintf(why, len, "no PKU/OSPKE on this CPU");
		return false;
	}
	return true;
}

#define XSTATE_FLAGS(extra)	(FPB_K_ARCH_X86 | FPB_K_USES_STATE | FPB_K_USES_BUFFER | (extra))

#define FPB_X86_XSTATE_ROW(id, nm, insns, extra, needs, ds)			\
	static int setup_##id(struct fpb_kctx *ctx, char *why, size_t len)	\
	{									\
		return fpb_x86_setup(ctx, XSTATE_FLAGS(extra), why, len);	\
	}									\
	static void body_##id(struct fpb_kctx *ctx, uint64_t n)		\
	{									\
		struct fpb_x86_args a;						\
										\
		fpb_x86_args_fill(&a, ctx, n, XSTATE_FLAGS(extra));		\
		FPB_ASM_RUN(&a, insns);						\
		fpb_x86_args_done(&a, ctx);					\
	}									\
	const struct fpb_kernel fpb_kernel_##id = {				\
		.name		= nm,						\
		.desc		= ds,						\
		.flags		= XSTATE_FLAGS(extra),				\
		.supported	= need_##needs,					\
		.setup		= setup_##id,					\
		.body		= body_##id,					\
	};

#define FPB_X86_REG_ROW(id, nm, before, insns, needs, ds)			\
	static void body_##id(struct fpb_kctx *ctx, uint64_t n)		\
	{									\
		(void)ctx;							\
		__asm__ __volatile__(before					\
				     "test %0, %0\n\t"				\
				     "jz 2f\n"					\
				     ".p2align 4\n"				\
				     "1:\n\t"					\
				     insns					\
				     "dec %0\n\t"				\
				     "jnz 1b\n"					\
				     "2:"					\
				     : "+r"(n) : : "rax", "rcx", "rdx", "cc", "memory"); \
	}									\
	const struct fpb_kernel fpb_kernel_##id = {				\
		.name		= nm,						\
		.desc		= ds,						\
		.flags		= FPB_K_ARCH_X86,				\
		.supported	= need_##needs,					\
		.body		= body_##id,					\
	};

#define FPB_X86_OWN_ROW(id)

FPB_KERNELS_X86_USER(FPB_X86_XSTATE_ROW, FPB_X86_REG_ROW, FPB_X86_OWN_ROW)

#endif /* __x86_64__ */
