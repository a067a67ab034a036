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
 * aarch64 builds only (backends/backends.def).
 */
#include "config.h"
#include <sched.h>
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

/* Leave nothing switched on behind us: ZA off (SMSTOP ZA) if a primitive turned it on. */
static void a64_close(struct fpb_backend *be)
{
	if (fpb_a64_has(FPB_A64_SME, NULL, 0) && (fpb_a64_svcr() & FPB_A64_SVCR_ZA))
		fpb_a64_za_off();
}

static int a64_kernel_supported(struct fpb_backend *be, const struct fpb_kernel *k,
				char *why, size_t len)
{
	if (k->flags & FPB_K_RING0) {
		snprintf(why, len, "skipped: needs ring 0 (x86 kernel module only)");
		return -1;
	}
	if ((k->flags & FPB_K_ARCH_X86) || !(k->flags & (FPB_K_ARCH_ARM64 | FPB_K_EMPTY))) {
		snprintf(why, len, "skipped: x86 kernel; this is arm64");
		return -1;
	}
	if (k->unimplemented_reason) {
		snprintf(why, len, "skipped: %s", k->unimplemented_reason);
		return -1;
	}
	if (!k->body) {
		snprintf(why, len, "skipped: kernel has no body");
		return -1;
	}
	if (k->supported && !k->supported(be->cpu, why, len)) {
		char r[FPB_REASON_LEN];

		snprintf(r, sizeof(r), "skipped: %s", why[0] ? why : "not supported on this CPU");
		snprintf(why, len, "%s", r);
		return -1;
	}
	return 0;
}

static void free_bufs(struct fpb_kctx *ctx)
{
	for (unsigned i = 0; i < ctx->nbufs; i++) {
		fpb_buf_free(ctx->bufs[i], ctx->buf_size);
		ctx->bufs[i] = NULL;
	}
	ctx->nbufs = 0;
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
		snprintf(why, len, "skipped: %s vector length %u bytes not offered here",
			 kind == FPB_A64_SME ? "streaming" : "SVE", ctx->vl);
		return -1;
	}
	return 0;
}

struct trial {
	const struct fpb_kernel *k;
	struct fpb_kctx *ctx;
	char *why;
	size_t len;
	int ret;
};

static void trial_setup(void *arg)
{
	struct trial *t = arg;

	t->ret = t->k->setup ? t->k->setup(t->ctx, t->why, t->len) : 0;
}

static void trial_body(void *arg)
{
	struct trial *t = arg;

	t->k->body(t->ctx, 1);
}

static int a64_prepare(struct fpb_backend *be, const struct fpb_kernel *k, struct fpb_kctx *ctx,
		       char *why, size_t len)
{
	struct trial t = { .k = k, .ctx = ctx, .why = why, .len = len };
	char what[64];

	if (!ctx->cpu)
		ctx->cpu = be->cpu;
	if (a64_kernel_supported(be, k, why, len) || a64_apply_vl(k, ctx, why, len))
		return -1;
	ctx->nbufs = 0;
	ctx->cur = 0;
	ctx->buf_size = 0;
	if (k->flags & FPB_K_USES_BUFFER) {
		unsigned n = ctx->buffer.mode == FPB_BUF_ROTATE ? ctx->buffer.k : 1;

		if (n < 1 || n > FPB_KCTX_MAX_BUFS) {
			snprintf(why, len, "rotate:%u out of range (1..%d)", n, FPB_KCTX_MAX_BUFS);
			return -EINVAL;
		}
		ctx->buf_size = FPB_ALIGN_UP(fpb_a64_kernel_buf_size(k, ctx->vl), (size_t)64);
		for (unsigned i = 0; i < n; i++) {
			ctx->bufs[i] = fpb_buf_alloc(ctx->buf_size, be->numa_node);
			if (!ctx->bufs[i]) {
				free_bufs(ctx);
				snprintf(why, len, "out of memory for %u buffers of %zu bytes", n,
					 ctx->buf_size);
				return -ENOMEM;
			}
			ctx->nbufs = i + 1;
		}
	}
	/* Set up and run one op under the probe: an instruction the OS refuses is a reason. */
	snprintf(what, sizeof(what), "%s setup", k->name);
	if (fpb_probe_run(trial_setup, &t, what, why, len))
		goto skip;
	if (t.ret) {
		free_bufs(ctx);
		return t.ret < 0 ? t.ret : -1;
	}
	snprintf(what, sizeof(what), "%s", k->name);
	if (fpb_probe_run(trial_body, &t, what, why, len))
		goto skip;
	return 0;
skip:
	{
		char r[FPB_REASON_LEN];

		snprintf(r, sizeof(r), "skipped: %s", why);
		snprintf(why, len, "%s", r);
	}
	free_bufs(ctx);
	return -1;
}

static void a64_release(struct fpb_backend *be, const struct fpb_kernel *k, struct fpb_kctx *ctx)
{
	if (k->teardown)
		k->teardown(ctx);
	free_bufs(ctx);
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
	struct fpb_timer *tm = be->timer;
	uint64_t t0, t1;
	int cpu0, cpu1 = -1;

	if (!tm)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if ((k->flags & FPB_K_USES_VL) &&
	    fpb_a64_vl_set(fpb_a64_kernel_kind(k), ctx->vl))
		return -EINVAL;
	cpu0 = sched_getcpu();
	if (ctx->buffer.mode == FPB_BUF_COLD && ctx->nbufs)
		flush_buffers(ctx);
	if (be->counters)
		fpb_counters_start(be->counters);
	t0 = tm->begin(tm);
	k->body(ctx, n);
	t1 = tm->end(tm, &cpu1);
	if (be->counters)
		fpb_counters_read(be->counters, out);
	if (cpu1 < 0)
		cpu1 = sched_getcpu();
	out->t = t1 - t0;
	out->cpu = cpu1;
	if (cpu0 >= 0 && cpu1 >= 0 && cpu0 != cpu1)
		out->flags |= FPB_SAMPLE_MIGRATED;
	return 0;
}

/* ---- primitives: one register file each, at the thread's current vector length ---- */

static int a64_save(struct fpb_backend *be, enum fpb_save_op op, void *buf, uint64_t rfbm)
{
	if (!buf)
		return -EINVAL;
	switch (op) {
	case FPB_OP_FPSIMD_SAVE:
		fpb_a64_fpsimd_save(buf);
		return FPB_PRIM_DONE;
	case FPB_OP_SVE_SAVE:
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

static int a64_copy(struct fpb_backend *be, void *dst, const void *src, size_t n)
{
	memcpy(dst, src, n);
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
	.release		= a64_release,
	.run_batch		= a64_run_batch,
	.save			= a64_save,
	.restore		= a64_restore,
	.copy			= a64_copy,
};
