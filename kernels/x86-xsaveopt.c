// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86-xsaveopt.c - XSAVEOPT in the standard format, with its init and modified optimisations.
 *
 * Per op: one XSAVEOPT64 with RFBM = --mask into bufs[cur].  XSAVEOPT may skip a component that is
 * in its init state (init optimisation) or unmodified since the last XRSTOR from the same buffer
 * (modified optimisation), so the condition is re-prepared where it would otherwise decay:
 *   init        XRSTOR of an init header once per batch (nothing modifies it afterwards);
 *   dirty       XRSTOR from bufs[cur] once per batch (the tracking points at the buffer), then the
 *               registers of every requested component written before EVERY op;
 *   unmodified  XRSTOR from bufs[cur] once per batch; with rotate:K, XRSTOR from bufs[cur] before
 *               every op instead (each save goes to the buffer last restored).
 * The per-op preparation is measured on its own (ctx->prep_only) and subtracted by the harness.
 * Whether the modified optimisation shows on this CPU is observed in setup and put in the note.
 */
#include "x86-asm.h"
#include "cpu.h"

#define FLAGS	(FPB_K_ARCH_X86 | FPB_K_USES_MASK | FPB_K_USES_STATE | FPB_K_USES_BUFFER | \
		 FPB_K_SAVE | FPB_K_PER_OP_PREP)

static bool supported(const struct fpb_cpu *cpu, char *why, size_t len)
{
	return fpb_x86_need_feature(cpu, FPB_CPU_XSAVEOPT, "XSAVEOPT", why, len);
}

static int setup(struct fpb_kctx *ctx, char *why, size_t len)
{
	size_t size = FPB_ALIGN_UP((size_t)ctx->cpu->xsave_size_xcr0, 64);
	char obs[FPB_REASON_LEN], cond[FPB_REASON_LEN];
	void *scratch;
	size_t l;
	int ret;

	ret = fpb_x86_setup(ctx, FLAGS, why, len);
	if (ret)
		return ret;
	if (ctx->state == FPB_STATE_UNMODIFIED && ctx->nbufs > 1)
		snprintf(ctx->note, sizeof(ctx->note),
			 "unmodified: XRSTOR from bufs[cur] before every op");
	if (size < 1024)
		size = 1024;
	scratch = aligned_alloc(64, size);
	if (!scratch) {
		snprintf(why, len, "out of memory");
		return -ENOMEM;
	}
	fpb_x86_xsaveopt_observe(ctx->cpu, scratch, size, fpb_x86_rfbm(ctx, FLAGS), obs,
				 sizeof(obs));
	free(scratch);
	/* The observation first: it is what the row must show. */
	memcpy(cond, ctx->note, sizeof(cond));
	memcpy(ctx->note, obs, sizeof(ctx->note));
	ctx->note[sizeof(ctx->note) - 1] = '\0';
	l = strlen(ctx->note);
	for (const char *c = "; "; *c && l + 1 < sizeof(ctx->note); c++)
		ctx->note[l++] = *c;
	for (size_t i = 0; cond[i] && l + 1 < sizeof(ctx->note); i++)
		ctx->note[l++] = cond[i];
	ctx->note[l] = '\0';
	return 0;
}

/* One asm block: batch preparation, n x (prep; op), XINUSE after. */
#define RUN(args, prep, op)						\
	__asm__ __volatile__(FPB_ASM_PREP_BATCH				\
			     FPB_ASM_LOOP_BEGIN				\
			     prep					\
			     op						\
			     FPB_ASM_LOOP_END				\
			     FPB_ASM_XINUSE(o_xa)			\
			     : : [a] "r"(args), FPB_ASM_OFFSETS : FPB_ASM_CLOBBERS)

#define OP	"xsaveopt64 (%%r11)\n\t"

static void body(struct fpb_kctx *ctx, uint64_t n)
{
	struct fpb_x86_args a;

	fpb_x86_args_fill(&a, ctx, n, FLAGS);
	if (ctx->state == FPB_STATE_DIRTY) {
		a.src = ctx->bufs[a.cur];
		if (ctx->prep_only)
			RUN(&a, FPB_ASM_DIRTY_ARGS FPB_ASM_LOAD_RFBM, "");
		else
			RUN(&a, FPB_ASM_DIRTY_ARGS FPB_ASM_LOAD_RFBM, OP);
	} else if (ctx->state == FPB_STATE_UNMODIFIED && a.nbufs > 1) {
		if (ctx->prep_only)
			RUN(&a, "xrstor64 (%%r11)\n\t", "");
		else
			RUN(&a, "xrstor64 (%%r11)\n\t", OP);
	} else {
		if (ctx->prep_only)
			RUN(&a, "", "");
		else
			RUN(&a, "", OP);
	}
	fpb_x86_args_done(&a, ctx);
}

const struct fpb_kernel fpb_kernel_xsaveopt = {
	.name		= "xsaveopt",
	.desc		= "XSAVEOPT of the masked components (standard format; init and modified "
			  "optimisations)",
	.flags		= FLAGS,
	.supported	= supported,
	.setup		= setup,
	.body		= body,
};
