// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * backends/user.c - the x86 user-mode backend: runs the kernels' timed bodies on this thread and
 * executes the strategy primitives with the real instructions where ring 3 allows them.
 *
 * Ring-0-only primitives: XSAVES and XRSTORS run as XSAVEC and compacted XRSTOR stand-ins
 * (FPB_PRIM_STANDIN); XSETBV, IA32_XFD and IA32_XSS writes are only counted (FPB_PRIM_COUNTED).
 * Every op checks its feature first and validates buffers, so a CPU without a feature or a bad
 * buffer is an error code, never a fault.
 */
#include "config.h"
#include <sched.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "backend.h"
#include "counters.h"
#include "cpu.h"
#include "probe.h"
#include "timer.h"
#include "xstate.h"
#if defined(__x86_64__)
#include "x86-asm.h"
#include "fpb_nofp.h"	/* last: no vector registers in primitives that run between states */
#endif

#if defined(__x86_64__)

#define ARCH_REQ_XCOMP_PERM	0x1023	/* <asm/prctl.h>; not in every libc's headers */

struct user_priv {
	bool amx_permitted;	/* arch_prctl granted the AMX tile data component */
};

static int user_probe(const struct fpb_cpu *cpu, char *why, size_t len)
{
	if (!fpb_cpu_has(cpu, FPB_CPU_FXSR)) {
		snprintf(why, len, "no FXSR on this CPU");
		return -1;
	}
	return 0;
}

static int user_open(struct fpb_backend *be, char *why, size_t len)
{
	struct user_priv *p = calloc(1, sizeof(*p));

	if (!p) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	/* Ask for AMX tile data once, so XRSTOR of a tile image does not die of XFD. */
	if (be->cpu && (be->cpu->xcr0 & FPB_BIT(FPB_XF_TILEDATA)))
		p->amx_permitted = !syscall(SYS_arch_prctl, ARCH_REQ_XCOMP_PERM, FPB_XF_TILEDATA);
	be->priv = p;
	return 0;
}

static void user_close(struct fpb_backend *be)
{
	free(be->priv);
	be->priv = NULL;
}

static int user_kernel_supported(struct fpb_backend *be, const struct fpb_kernel *k,
				 char *why, size_t len)
{
	return fpb_kernel_fits(be, k, why, len);
}

/* Bytes one buffer needs: either format, for every component XCR0 (and IA32_XSS) enables. */
static size_t user_buf_size(const struct fpb_cpu *cpu)
{
	size_t s = FPB_XSAVE_EXT_OFFSET;

	if (cpu->xsave_size_xcr0 > s)
		s = cpu->xsave_size_xcr0;
	if (cpu->xsaves_size > s)
		s = cpu->xsaves_size;
	return FPB_ALIGN_UP(s, (size_t)64);
}

static int user_prepare(struct fpb_backend *be, const struct fpb_kernel *k, struct fpb_kctx *ctx,
			char *why, size_t len)
{
	struct user_priv *p = be->priv;
	/*
	 * cold: every op of a batch meets a buffer flushed before the batch, as long as the
	 * harness keeps 2N <= nbufs (FPB_KCTX_MAX_BUFS buffers in rotation).
	 */
	unsigned n = ctx->buffer.mode == FPB_BUF_ROTATE ? ctx->buffer.k :
		     ctx->buffer.mode == FPB_BUF_COLD ? FPB_KCTX_MAX_BUFS : 1;
	int ret;

	if (!ctx->cpu)
		ctx->cpu = be->cpu;
	if (user_kernel_supported(be, k, why, len))
		return -1;
	if (k->flags & FPB_K_USES_MASK) {
		ctx->rfbm &= ctx->cpu->xcr0;
		if ((ctx->rfbm & FPB_BIT(FPB_XF_TILEDATA)) && !(p && p->amx_permitted)) {
			snprintf(why, len, "AMX tile data refused by "
				 "arch_prctl(ARCH_REQ_XCOMP_PERM)");
			return -1;
		}
	}
	ret = fpb_backend_bufs_prepare(be, k, ctx, n, user_buf_size(ctx->cpu), why, len);
	if (ret)
		return ret;
	/* Set up and run one op under the probe: a refused instruction becomes a reason. */
	return fpb_backend_trial(k, ctx, why, len);
}

static void flush_buffers(const struct fpb_kctx *ctx)
{
	for (unsigned i = 0; i < ctx->nbufs; i++)
		for (size_t o = 0; o < ctx->buf_size; o += 64)
			fpb_x86_clflush((const char *)ctx->bufs[i] + o);
	fpb_x86_mfence();
}

static int user_run_batch(struct fpb_backend *be, const struct fpb_kernel *k, struct fpb_kctx *ctx,
			  uint64_t n, struct fpb_sample *out)
{
	uint64_t mask = ctx->xinuse_check_mask;
	int ret;

	ctx->xinuse_valid = false;
	ret = fpb_backend_time_batch(be, k, ctx, n, flush_buffers, out);
	if (ret)
		return ret;
	if (ctx->xinuse_valid && mask) {
		bool restore_only = (k->flags & FPB_K_RESTORE) && !(k->flags & FPB_K_SAVE);

		/* Restore kernels: the condition is what the restore left, so only "after". */
		if ((ctx->xinuse_after & mask) != (ctx->xinuse_expect & mask) ||
		    (!restore_only && (ctx->xinuse_before & mask) != (ctx->xinuse_expect & mask)))
			out->flags |= FPB_SAMPLE_STATE_MISMATCH;
	}
	return 0;
}

/* ---- primitives ---- */

static bool aligned(const void *p, uintptr_t a)
{
	return !((uintptr_t)p & (a - 1));
}

static int user_save(struct fpb_backend *be, enum fpb_save_op op, void *buf, uint64_t rfbm)
{
	const struct fpb_cpu *cpu = be->cpu;

	if (!buf || !aligned(buf, op == FPB_OP_FXSAVE ? 16 : 64))
		return -EINVAL;
	switch (op) {
	case FPB_OP_FXSAVE:
		if (!fpb_cpu_has(cpu, FPB_CPU_FXSR))
			return -EOPNOTSUPP;
		fpb_x86_fxsave64(buf);
		return FPB_PRIM_DONE;
	case FPB_OP_XSAVE:
		if (!fpb_cpu_has(cpu, FPB_CPU_OSXSAVE))
			return -EOPNOTSUPP;
		fpb_x86_xsave(buf, rfbm);
		return FPB_PRIM_DONE;
	case FPB_OP_XSAVEOPT:
		if (!fpb_cpu_has(cpu, FPB_CPU_OSXSAVE) || !fpb_cpu_has(cpu, FPB_CPU_XSAVEOPT))
			return -EOPNOTSUPP;
		fpb_x86_xsaveopt(buf, rfbm);
		return FPB_PRIM_DONE;
	case FPB_OP_XSAVEC:
	case FPB_OP_XSAVES:
		if (!fpb_cpu_has(cpu, FPB_CPU_OSXSAVE) || !fpb_cpu_has(cpu, FPB_CPU_XSAVEC))
			return -EOPNOTSUPP;
		/*
		 * XSAVES is ring 0: XSAVEC writes the same compacted user components, with the
		 * same init optimisation (with XINUSE[1] = XINUSE[2] = 0 the MXCSR field may be
		 * left stale: readers take MXCSR through fpb_xstate_mxcsr).
		 */
		fpb_x86_xsavec(buf, rfbm & cpu->xcr0);
		return op == FPB_OP_XSAVES ? FPB_PRIM_STANDIN : FPB_PRIM_DONE;
	default:
		return -EOPNOTSUPP;
	}
}

/* Would XRSTOR of buf with rfbm fault?  0 when it is safe, -EINVAL otherwise. */
static int check_xrstor(const struct fpb_cpu *cpu, const void *buf, uint64_t rfbm, bool compacted)
{
	const struct fpb_xsave_hdr *h = (const void *)((const char *)buf + FPB_XSAVE_HDR_OFFSET);
	uint32_t mxcsr;

	for (unsigned i = 0; i < 6; i++)
		if (h->reserved[i])
			return -EINVAL;
	if (compacted) {
		if (!(h->xcomp_bv & FPB_XCOMP_BV_COMPACTED) || !fpb_cpu_has(cpu, FPB_CPU_XSAVEC))
			return -EINVAL;
		if ((h->xcomp_bv & ~FPB_XCOMP_BV_COMPACTED) & ~cpu->xcr0)
			return -EINVAL;
		if (h->xstate_bv & ~h->xcomp_bv)
			return -EINVAL;
	} else {
		if (h->xcomp_bv & FPB_XCOMP_BV_COMPACTED)
			return check_xrstor(cpu, buf, rfbm, true);
		if (h->xcomp_bv || (h->xstate_bv & ~cpu->xcr0))
			return -EINVAL;
	}
	memcpy(&mxcsr, (const char *)buf + FPB_MXCSR_OFFSET, sizeof(mxcsr));
	if ((rfbm & cpu->xcr0 & (FPB_BIT(FPB_XF_SSE) | FPB_BIT(FPB_XF_AVX))) && (mxcsr >> 16))
		return -EINVAL;
	return 0;
}

static int user_restore(struct fpb_backend *be, enum fpb_restore_op op, const void *buf,
			uint64_t rfbm)
{
	const struct fpb_cpu *cpu = be->cpu;
	uint32_t mxcsr;

	if (!buf || !aligned(buf, op == FPB_OP_FXRSTOR ? 16 : 64))
		return -EINVAL;
	switch (op) {
	case FPB_OP_FXRSTOR:
		if (!fpb_cpu_has(cpu, FPB_CPU_FXSR))
			return -EOPNOTSUPP;
		memcpy(&mxcsr, (const char *)buf + FPB_MXCSR_OFFSET, sizeof(mxcsr));
		if (mxcsr >> 16)
			return -EINVAL;
		fpb_x86_fxrstor64(buf);
		return FPB_PRIM_DONE;
	case FPB_OP_XRSTOR:
		if (!fpb_cpu_has(cpu, FPB_CPU_OSXSAVE))
			return -EOPNOTSUPP;
		if (check_xrstor(cpu, buf, rfbm, false))
			return -EINVAL;
		fpb_x86_xrstor(buf, rfbm);
		return FPB_PRIM_DONE;
	case FPB_OP_XRSTORS:
		/* XRSTORS is ring 0: a compacted XRSTOR loads the same user components. */
		if (!fpb_cpu_has(cpu, FPB_CPU_OSXSAVE) || !fpb_cpu_has(cpu, FPB_CPU_XSAVEC))
			return -EOPNOTSUPP;
		if (check_xrstor(cpu, buf, rfbm, true))
			return -EINVAL;
		fpb_x86_xrstor(buf, rfbm & cpu->xcr0);
		return FPB_PRIM_STANDIN;
	default:
		return -EOPNOTSUPP;
	}
}

/*
 * Copy as the kernel does (rep movsb, general registers only): libc's memcpy may use AVX-512
 * registers and would clobber the live register file a strategy is switching.
 */
static int user_copy(struct fpb_backend *be, void *dst, const void *src, size_t n)
{
#if defined(__x86_64__)
	__asm__ __volatile__("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
#else
	memcpy(dst, src, n);
#endif
	return FPB_PRIM_DONE;
}

static int user_xsetbv(struct fpb_backend *be, uint32_t xcr, uint64_t val)
{
	return FPB_PRIM_COUNTED;	/* ring 0 only */
}

static int user_write_xfd(struct fpb_backend *be, uint64_t val)
{
	return FPB_PRIM_COUNTED;	/* WRMSR: ring 0 only */
}

static int user_write_xss(struct fpb_backend *be, uint64_t val)
{
	return FPB_PRIM_COUNTED;	/* WRMSR: ring 0 only */
}

static int user_rdpkru(struct fpb_backend *be, uint32_t *val)
{
	if (!fpb_cpu_has(be->cpu, FPB_CPU_OSPKE))
		return -EOPNOTSUPP;
	*val = fpb_x86_rdpkru();
	return FPB_PRIM_DONE;
}

static int user_wrpkru(struct fpb_backend *be, uint32_t val)
{
	if (!fpb_cpu_has(be->cpu, FPB_CPU_OSPKE))
		return FPB_PRIM_COUNTED;
	fpb_x86_wrpkru(val);
	return FPB_PRIM_DONE;
}

const struct fpb_backend_ops fpb_backend_user = {
	.name			= "user",
	.summary		= "x86 user mode: real instructions; XSAVES/XRSTORS through stand-ins, "
				  "XSETBV/XFD/XSS counted only",
	.flags			= FPB_BE_REAL | FPB_BE_TIMES,
	.probe			= user_probe,
	.open			= user_open,
	.close			= user_close,
	.kernel_supported	= user_kernel_supported,
	.prepare		= user_prepare,
	.release		= fpb_backend_release,
	.run_batch		= user_run_batch,
	.save			= user_save,
	.restore		= user_restore,
	.copy			= user_copy,
	.xsetbv			= user_xsetbv,
	.write_xfd		= user_write_xfd,
	.write_xss		= user_write_xss,
	.rdpkru			= user_rdpkru,
	.wrpkru			= user_wrpkru,
};

#else /* !__x86_64__ */

static int user_probe(const struct fpb_cpu *cpu, char *why, size_t len)
{
	snprintf(why, len, "the user backend runs x86-64 instructions; this is not x86-64");
	return -1;
}

const struct fpb_backend_ops fpb_backend_user = {
	.name		= "user",
	.summary	= "x86 user mode (x86-64 only)",
	.flags		= 0,
	.probe		= user_probe,
};

#endif
