// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64-sve.c - SVE kernels: save and restore of Z0-Z31, P0-P15 and FFR (plus FPSR/FPCR) at one
 * vector length per row (ctx->vl, set by the backend through prctl(PR_SVE_SET_VL); --vl=).
 * The image is 34.125 x VL bytes (+16): 1.1 KiB at VL 32, 8.5 KiB at VL 256.
 */
#include "arm64.h"

static bool sve_supported(const struct fpb_cpu *cpu, char *why, size_t len)
{
	return fpb_a64_has(FPB_A64_SVE, why, len);
}

static void save_body(struct fpb_kctx *ctx, uint64_t n)
{
	if (ctx->prep_only)
		return;
	ctx->cur = fpb_a64_sve_save_loop(ctx->bufs, ctx->nbufs, ctx->cur, n);
}

/* Restore sources: the registers as they are now, at the row's VL (a valid, monotonic FFR). */
static int restore_setup(struct fpb_kctx *ctx, char *why, size_t len)
{
	for (unsigned i = 0; i < ctx->nbufs; i++)
		fpb_a64_sve_save(ctx->bufs[i]);
	return 0;
}

static void restore_body(struct fpb_kctx *ctx, uint64_t n)
{
	if (ctx->prep_only)
		return;
	ctx->cur = fpb_a64_sve_restore_loop(ctx->bufs, ctx->nbufs, ctx->cur, n);
}

const struct fpb_kernel fpb_kernel_sve_save = {
	.name		= "sve-save",
	.desc		= "arm64: store Z0-Z31, P0-P15, FFR (str, rdffr) and FPSR/FPCR, per vector length",
	.flags		= FPB_K_ARCH_ARM64 | FPB_K_USES_BUFFER | FPB_K_SAVE | FPB_K_USES_VL,
	.supported	= sve_supported,
	.body		= save_body,
};

const struct fpb_kernel fpb_kernel_sve_restore = {
	.name		= "sve-restore",
	.desc		= "arm64: load FFR (wrffr), P0-P15, Z0-Z31 and FPSR/FPCR, per vector length",
	.flags		= FPB_K_ARCH_ARM64 | FPB_K_USES_BUFFER | FPB_K_RESTORE | FPB_K_USES_VL,
	.supported	= sve_supported,
	.setup		= restore_setup,
	.body		= restore_body,
};
