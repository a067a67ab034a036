// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86-sse-avx-transition.c - the SSE/AVX transition, measured on purpose: what a task that mixes
 * a legacy-SSE library with dirty AVX state pays at its next context switch.
 *
 * Per op: the upper halves of ymm0-15 written (VEX.256, so they are dirty), then xmm0-15 written
 * with legacy-SSE encodings (movdqa), then one XSAVE64 with RFBM = --mask into bufs[cur].  Its
 * companion (ctx->prep_only) does the same with VEX.128 writes to xmm0-15 (vmovdqa: no
 * transition), and the harness subtracts it round by round: the row is the extra cost of the
 * legacy-SSE writes with dirty upper halves, before and at the save.  Intel cores pay hundreds
 * of cycles there; a core without the penalty reads about 0.
 */
#include "x86-asm.h"
#include "cpu.h"
#include "xstate.h"

#define FLAGS	(FPB_K_ARCH_X86 | FPB_K_USES_MASK | FPB_K_USES_BUFFER | FPB_K_SAVE | \
		 FPB_K_PER_OP_PREP)

#define AVX_BIT		FPB_BIT(2)
#define SSE_BIT		FPB_BIT(1)

static bool supported(const struct fpb_cpu *cpu, char *why, size_t len)
{
	return fpb_x86_need_xsave(cpu, why, len) &&
	       fpb_x86_need_feature(cpu, FPB_CPU_AVX, "AVX", why, len);
}

static int setup(struct fpb_kctx *ctx, char *why, size_t len)
{
	if (!ctx->nbufs || ctx->buf_size < FPB_XSAVE_EXT_OFFSET) {
		snprintf(why, len, "no buffer of at least %d bytes", FPB_XSAVE_EXT_OFFSET);
		return -EINVAL;
	}
	for (unsigned i = 0; i < ctx->nbufs; i++)
		memset(ctx->bufs[i], 0, ctx->buf_size);
	/* Upper halves dirty through the legacy writes: AVX in use (the VEX companion zeroes them). */
	ctx->xinuse_check_mask = ctx->prep_only ? 0 : fpb_x86_check_bits(ctx->cpu, AVX_BIT);
	ctx->xinuse_expect = ctx->xinuse_check_mask;
	snprintf(ctx->note, sizeof(ctx->note), "per op: ymm0-15.hi dirtied, xmm0-15 written with "
		 "legacy-SSE encodings, XSAVE; minus the same with VEX-encoded xmm writes");
	return 0;
}

/* One asm block: n x (dirty the upper halves; write xmm0-15 with sse_bits; XSAVE), XINUSE after. */
#define RUN(args, sse_bits, op)						\
	__asm__ __volatile__(FPB_ASM_PREP_BATCH				\
			     FPB_ASM_LOOP_BEGIN				\
			     "mov $4, %%ecx\n\t"				\
			     "mov %c[o_pat](%[a]), %%rdi\n\t"		\
			     FPB_ASM_DIRTY					\
			     "mov $" sse_bits ", %%ecx\n\t"		\
			     "mov %c[o_pat](%[a]), %%rdi\n\t"		\
			     FPB_ASM_DIRTY					\
			     FPB_ASM_LOAD_RFBM				\
			     op						\
			     FPB_ASM_LOOP_END				\
			     FPB_ASM_XINUSE(o_xa)			\
			     : : [a] "r"(args), FPB_ASM_OFFSETS : FPB_ASM_CLOBBERS)

static void body(struct fpb_kctx *ctx, uint64_t n)
{
	struct fpb_x86_args a;

	memset(&a, 0, sizeof(a));
	a.rfbm = fpb_x86_rfbm(ctx, FLAGS);
	a.bufs = ctx->bufs;
	a.nbufs = ctx->nbufs ? ctx->nbufs : 1;
	a.cur = ctx->cur < a.nbufs ? ctx->cur : 0;
	a.n = n;
	a.pat = fpb_x86_pattern;
	a.xgetbv1 = fpb_cpu_has(ctx->cpu, FPB_CPU_XGETBV1);
	if (ctx->prep_only)
		RUN(&a, "0x40000002", "xsave64 (%%r11)\n\t");	/* SSE | FPB_X86_DIRTY_VEX_XMM */
	else
		RUN(&a, "0x2", "xsave64 (%%r11)\n\t");
	/* The check is made on what the legacy writes leave: xin_before is the batch's start. */
	a.xin_before = a.xin_after;
	fpb_x86_args_done(&a, ctx);
}

const struct fpb_kernel fpb_kernel_sse_avx_transition = {
	.name		= "sse-avx-transition",
	.desc		= "SSE/AVX transition: extra cost of XSAVE after legacy-SSE writes with dirty "
			  "YMM upper halves (minus VEX-encoded writes)",
	.flags		= FLAGS,
	.supported	= supported,
	.setup		= setup,
	.body		= body,
};
