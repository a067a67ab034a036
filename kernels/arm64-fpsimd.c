// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64-fpsimd.c - FPSIMD kernels: save and restore of V0-V31 (stp/ldp of Q registers) with
 * FPSR and FPCR, the state Linux keeps in struct user_fpsimd_state.  arm64 has no init or
 * modified optimisation for these stores, so --state does not apply; --buffer does.
 */
#include "arm64.h"

static bool fpsimd_supported(const struct fpb_cpu *cpu, char *why, size_t len)
{
	return fpb_a64_has(FPB_A64_FPSIMD, why, len);
}

static void save_body(struct fpb_kctx *ctx, uint64_t n)
{
	if (ctx->prep_only)
		return;
	ctx->cur = fpb_a64_fpsimd_save_loop(ctx->bufs, ctx->nbufs, ctx->cur, n);
}

/* Restore sources: a real image (the registers as they are now) in every buffer. */
static int restore_setup(struct fpb_kctx *ctx, char *why, size_t len)
{
	for (unsigned i = 0; i < ctx->nbufs; i++)
		fpb_a64_fpsimd_save(ctx->bufs[i]);
	return 0;
}

static void restore_body(struct fpb_kctx *ctx, uint64_t n)
{
	if (ctx->prep_only)
		return;
	ctx->cur = fpb_a64_fpsimd_restore_loop(ctx->bufs, ctx->nbufs, ctx->cur, n);
}

const struct fpb_kernel fpb_kernel_fpsimd_save = {
	.name		= "fpsimd-save",
	.desc		= "arm64: store V0-V31 (16 x stp q) and FPSR/FPCR, 528 bytes",
	.flags		= FPB_K_ARCH_ARM64 | FPB_K_USES_BUFFER | FPB_K_SAVE,
	.supported	= fpsimd_supported,
	.body		= save_body,
};

const struct fpb_kernel fpb_kernel_fpsimd_restore = {
	.name		= "fpsimd-restore",
	.desc		= "arm64: load V0-V31 (16 x ldp q) and FPSR/FPCR (FPCR written if changed)",
	.flags		= FPB_K_ARCH_ARM64 | FPB_K_USES_BUFFER | FPB_K_RESTORE,
	.supported	= fpsimd_supported,
	.setup		= restore_setup,
	.body		= restore_body,
};
