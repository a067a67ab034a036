// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * backends/arm64.c - the arm64 user-mode backend: runs the arm64 kernels' timed bodies between
 * CNTVCT_EL0 reads (the session's timer, "cntvct" by default) and gives the strategies FPSIMD,
 * SVE and ZA save/restore as primitives (FPB_OP_FPSIMD_*, FPB_OP_SVE_*, FPB_OP_ZA_*).
 *
 * Vector lengths: an FPB_K_USES_VL kernel runs at ctx->vl (0: the thread's current one), set
 * with prctl before its setup and again before any batch if an interleaved row changed it; the
 * prctl is outside the timed region.  --buffer=cold cleans and invalidates every line of the
 * buffers (DC CIVAC, allowed at EL0 on Linux) before the batch.  The x86-only primitives
 * (XSETBV, IA32_XFD, IA32_XSS, PKRU) are absent: the wrappers count them or answer EOPNOTSUPP.
 *
 * Streaming SVE mode (PSTATE.SM set, SME): FPB_OP_SVE_SAVE/RESTORE move the streaming register
 * file instead (kernels/arm64-ssve-regs.S: Z, P at the streaming vector length, FPSR, FPCR, FFR
 * only with FEAT_SME_FA64, as Linux's sve_save_state() with save_ffr), which needs SME but not
 * SVE; RDFFR/WRFFR are illegal in streaming mode without FA64.
 * aarch64 builds only (backends/backends.def).
 */
#include "config.h"
#include <sched.h>
#include <sys/auxv.h>
#include "backend.h"
#include "counters.h"
#include "cpu.h"
#include "probe.h"
#include "timer.h"
#include "arm64.h"

static int a64_probe(const struct fpb_cpu *cpu, char *why, size_t len)
{
	return fpb_a64_has(FPB_A64_FPSIMD, why, len) ? 0 : -1;
}

#ifndef HWCAP2_SME_FA64
#define HWCAP2_SME_FA64	(1UL << 30)
#endif

/* Is the CPU in streaming SVE mode (SME and SVCR.SM set)? */
static bool a64_streaming(void)
{
	return fpb_a64_has(FPB_A64_SME, NULL, 0) && (fpb_a64_svcr() & FPB_A64_SVCR_SM);
}

/* FEAT_SME_FA64: FFR (and the full SVE instruction set) in streaming mode; 1 or 0. */
static unsigned a64_fa64(void)
{
	return (getauxval(AT_HWCAP2) & HWCAP2_SME_FA64) != 0;
}

/* Leave nothing switched on behind us: ZA off (SMSTOP ZA) if a primitive turned it on. */
static void a64_close(struct fpb_backend *be)
{
	if (fpb_a64_has(FPB_A64_SME, NULL, 0) && (fpb_a64_svcr() & FPB_A64_SVCR_ZA))
		fpb_a64_za_off();
}

static int a64_kernel_supported(struct fpb_backend *be, const struct fpb_kernel *k,
				char *why, size_t len)
{
	return fpb_kernel_fits(be, k, why, len);
}

/* Put kernel k's vector length in force; 0, or -1 with why. */
static int a64_apply_vl(const struct fpb_kernel *k, struct fpb_kctx *ctx, char *why, size_t len)
{
	enum fpb_a64_kind kind = fpb_a64_kernel_kind(k);

	if (!(k->flags & FPB_K_USES_VL))
		return 0;
	if (!ctx->vl)
		ctx->vl = fpb_a64_vl_get(kind);
	if (fpb_a64_vl_set(kind, ctx->vl)) {
		snprintf(why, len, "%s vector length %u bytes not offered here",
			 kind == FPB_A64_SME ? "streaming" : "SVE", ctx->vl);
		return -1;
	}
	return 0;
}

static int a64_prepare(struct fpb_backend *be, const struct fpb_kernel *k, struct fpb_kctx *ctx,
		       char *why, size_t len)
{
	unsigned n = ctx->buffer.mode == FPB_BUF_ROTATE ? ctx->buffer.k : 1;
	int ret;

	if (!ctx->cpu)
		ctx->cpu = be->cpu;
	if (a64_kernel_supported(be, k, why, len) || a64_apply_vl(k, ctx, why, len))
		return -1;
	ret = fpb_backend_bufs_prepare(be, k, ctx, n, fpb_a64_kernel_buf_size(k, ctx->vl), why,
				       len);
	if (ret)
		return ret;
	/* Set up and run one op under the probe: an instruction the OS refuses is a reason. */
	return fpb_backend_trial(k, ctx, why, len);
}

/* Clean and invalidate every line of the buffers to the point of coherency. */
static void flush_buffers(const struct fpb_kctx *ctx)
{
	for (unsigned i = 0; i < ctx->nbufs; i++)
		for (size_t o = 0; o < ctx->buf_size; o += 64)
			__asm__ __volatile__("dc civac, %0" : : "r"((const char *)ctx->bufs[i] + o)
					     : "memory");
	__asm__ __volatile__("dsb ish" ::: "memory");
}

static int a64_run_batch(struct fpb_backend *be, const struct fpb_kernel *k, struct fpb_kctx *ctx,
			 uint64_t n, struct fpb_sample *out)
{
	if ((k->flags & FPB_K_USES_VL) &&
	    fpb_a64_vl_set(fpb_a64_kernel_kind(k), ctx->vl)) {
		memset(out, 0, sizeof(*out));
		return -EINVAL;
	}
	return fpb_backend_time_batch(be, k, ctx, n, flush_buffers, out);
}

/*
 * ---- primitives: one register file each, at the thread's current vector length (the
 * streaming one in streaming mode) ----
 */

static int a64_save(struct fpb_backend *be, enum fpb_save_op op, void *buf, uint64_t rfbm)
{
	if (!buf)
		return -EINVAL;
	switch (op) {
	case FPB_OP_FPSIMD_SAVE:
		fpb_a64_fpsimd_save(buf);
		return FPB_PRIM_DONE;
	case FPB_OP_SVE_SAVE:
		if (a64_streaming()) {
			fpb_a64_ssve_save(buf, a64_fa64());
			return FPB_PRIM_DONE;
		}
		if (!fpb_a64_has(FPB_A64_SVE, NULL, 0))
			return -EOPNOTSUPP;
		fpb_a64_sve_save(buf);
		return FPB_PRIM_DONE;
	case FPB_OP_ZA_SAVE:
		if (!fpb_a64_has(FPB_A64_SME, NULL, 0))
			return -EOPNOTSUPP;
		/* ZA off means ZA is architecturally zero when next turned on. */
		if (fpb_a64_svcr() & FPB_A64_SVCR_ZA)
			fpb_a64_za_save(buf);
		else
			memset(buf, 0, fpb_a64_za_size(fpb_a64_sme_svl()));
		return FPB_PRIM_DONE;
	default:
		return -EOPNOTSUPP;	/* x86 instructions */
	}
}

static int a64_restore(struct fpb_backend *be, enum fpb_restore_op op, const void *buf,
		       uint64_t rfbm)
{
	if (!buf)
		return -EINVAL;
	switch (op) {
	case FPB_OP_FPSIMD_RESTORE:
		fpb_a64_fpsimd_restore(buf);
		return FPB_PRIM_DONE;
	case FPB_OP_SVE_RESTORE:
		if (a64_streaming()) {
			fpb_a64_ssve_restore(buf, a64_fa64());
			return FPB_PRIM_DONE;
		}
		if (!fpb_a64_has(FPB_A64_SVE, NULL, 0))
			return -EOPNOTSUPP;
		fpb_a64_sve_restore(buf);
		return FPB_PRIM_DONE;
	case FPB_OP_ZA_RESTORE:
		if (!fpb_a64_has(FPB_A64_SME, NULL, 0))
			return -EOPNOTSUPP;
		fpb_a64_za_restore(buf);
		return FPB_PRIM_DONE;
	default:
		return -EOPNOTSUPP;
	}
}

/*
 * Copy with general registers only (8 bytes a step, then bytes), as the kernel's copy of a
 * register image does: libc's memcpy uses the Q registers and would clobber the live register
 * file a strategy is switching.  fpb_prim_copy() counts the bytes.
 */
static int a64_copy(struct fpb_backend *be, void *dst, const void *src, size_t n)
{
	uint64_t t;

	__asm__ __volatile__(
		"1:	cmp	%[n], #8\n"
		"	b.lo	2f\n"
		"	ldr	%[t], [%[s]], #8\n"
		"	str	%[t], [%[d]], #8\n"
		"	sub	%[n], %[n], #8\n"
		"	b	1b\n"
		"2:	cbz	%[n], 3f\n"
		"	ldrb	%w[t], [%[s]], #1\n"
		"	strb	%w[t], [%[d]], #1\n"
		"	sub	%[n], %[n], #1\n"
		"	b	2b\n"
		"3:\n"
		: [d] "+r"(dst), [s] "+r"(src), [n] "+r"(n), [t] "=&r"(t) : : "memory", "cc");
	return FPB_PRIM_DONE;
}

const struct fpb_backend_ops fpb_backend_arm64 = {
	.name			= "arm64",
	.summary		= "arm64 user mode: FPSIMD, SVE and SME save/restore, CNTVCT_EL0 timing",
	.flags			= FPB_BE_REAL | FPB_BE_TIMES,
	.probe			= a64_probe,
	.close			= a64_close,
	.kernel_supported	= a64_kernel_supported,
	.prepare		= a64_prepare,
	.release		= fpb_backend_release,
	.run_batch		= a64_run_batch,
	.save			= a64_save,
	.restore		= a64_restore,
	.copy			= a64_copy,
};
