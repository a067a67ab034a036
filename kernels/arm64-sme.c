// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64-sme.c - SME kernels, one row per streaming vector length (ctx->vl = SVL, set through
 * prctl(PR_SME_SET_VL)): streaming-mode entry and exit, and ZA save and restore.
 * The ZA loops turn ZA on before and off after their n operations: that fixed cost is part of
 * the batch, not of an operation, and N/2N differencing removes it.
 */
#include "arm64.h"

static bool sme_supported(const struct fpb_cpu *cpu, char *why, size_t len)
{
	return fpb_a64_has(FPB_A64_SME, why, len);
}

static void streaming_body(struct fpb_kctx *ctx, uint64_t n)
{
	if (ctx->prep_only)
		return;
	fpb_a64_sme_streaming_loop(n);
}

/* ZA images with a recognisable, never-zero pattern. */
static int za_setup(struct fpb_kctx *ctx, char *why, size_t len)
{
	for (unsigned i = 0; i < ctx->nbufs; i++) {
		unsigned char *p = ctx->bufs[i];

		for (size_t j = 0; j < ctx->buf_size; j++)
			p[j] = (unsigned char)(0x11 + 7 * j + i);
	}
	return 0;
}

static void za_save_body(struct fpb_kctx *ctx, uint64_t n)
{
	if (ctx->prep_only)
		return;
	ctx->cur = fpb_a64_za_save_loop(ctx->bufs, ctx->nbufs, ctx->cur, n, ctx->bufs[0]);
}

static void za_restore_body(struct fpb_kctx *ctx, uint64_t n)
{
	if (ctx->prep_only)
		return;
	ctx->cur = fpb_a64_za_restore_loop(ctx->bufs, ctx->nbufs, ctx->cur, n);
}

const struct fpb_kernel fpb_kernel_sme_streaming = {
	.name		= "sme-streaming",
	.desc		= "arm64: enter and leave streaming mode (smstart sm; smstop sm), per SVL",
	.flags		= FPB_K_ARCH_ARM64 | FPB_K_USES_VL,
	.supported	= sme_supported,
	.body		= streaming_body,
};

const struct fpb_kernel fpb_kernel_za_save = {
	.name		= "za-save",
	.desc		= "arm64: store ZA, SVL slices of SVL bytes (str za[w12, 0]), per SVL",
	.flags		= FPB_K_ARCH_ARM64 | FPB_K_USES_BUFFER | FPB_K_SAVE | FPB_K_USES_VL,
	.supported	= sme_supported,
	.setup		= za_setup,
	.body		= za_save_body,
};

const struct fpb_kernel fpb_kernel_za_restore = {
	.name		= "za-restore",
	.desc		= "arm64: load ZA, SVL slices of SVL bytes (ldr za[w12, 0]), per SVL",
	.flags		= FPB_K_ARCH_ARM64 | FPB_K_USES_BUFFER | FPB_K_RESTORE | FPB_K_USES_VL,
	.supported	= sme_supported,
	.setup		= za_setup,
	.body		= za_restore_body,
};
