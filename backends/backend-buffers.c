// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * backend-buffers.c - what the user-space backends (backends/user.c, backends/arm64.c) share
 * around a kernel's body: the buffer set of a struct fpb_kctx, the trial run under the probe
 * that turns a refused instruction into a skip reason, and the fenced, counted timed batch.
 */
#include "config.h"
#include <sched.h>
#include "backend.h"
#include "counters.h"
#include "probe.h"
#include "timer.h"

/* fpb_backend_bufs_free() - free ctx's buffers; nbufs becomes 0. */
void fpb_backend_bufs_free(struct fpb_kctx *ctx)
{
	for (unsigned i = 0; i < ctx->nbufs; i++) {
		fpb_buf_free(ctx->bufs[i], ctx->buf_size);
		ctx->bufs[i] = NULL;
	}
	ctx->nbufs = 0;
}

/*
 * fpb_backend_bufs_prepare() - reset ctx's buffer set and, when k takes --buffer, allocate n
 * buffers of size bytes (rounded up to 64) on be's NUMA node.  Returns 0, -EINVAL (n outside
 * 1..FPB_KCTX_MAX_BUFS) or -ENOMEM, with why.
 */
int fpb_backend_bufs_prepare(struct fpb_backend *be, const struct fpb_kernel *k,
			     struct fpb_kctx *ctx, unsigned n, size_t size, char *why, size_t len)
{
	ctx->nbufs = 0;
	ctx->cur = 0;
	ctx->buf_size = 0;
	if (!(k->flags & FPB_K_USES_BUFFER))
		return 0;
	if (n < 1 || n > FPB_KCTX_MAX_BUFS) {
		snprintf(why, len, "rotate:%u out of range (1..%d)", n, FPB_KCTX_MAX_BUFS);
		return -EINVAL;
	}
	ctx->buf_size = FPB_ALIGN_UP(size, (size_t)64);
	for (unsigned i = 0; i < n; i++) {
		ctx->bufs[i] = fpb_buf_alloc(ctx->buf_size, be->numa_node);
		if (!ctx->bufs[i]) {
			fpb_backend_bufs_free(ctx);
			snprintf(why, len, "out of memory for %u buffers of %zu bytes", n,
				 ctx->buf_size);
			return -ENOMEM;
		}
		ctx->nbufs = i + 1;
	}
	return 0;
}

/*
 * fpb_backend_release() - the release op of a user-space backend: k's teardown, then free
 * ctx's buffers.
 */
void fpb_backend_release(struct fpb_backend *be, const struct fpb_kernel *k, struct fpb_kctx *ctx)
{
	if (k->teardown)
		k->teardown(ctx);
	fpb_backend_bufs_free(ctx);
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

/*
 * fpb_backend_trial() - run k's setup and one operation of its body under the probe, so an
 * instruction the OS refuses becomes a reason.  Returns 0; setup's error; or -1 with why
 * (the probe's reason).  On failure ctx's buffers are freed.
 */
int fpb_backend_trial(const struct fpb_kernel *k, struct fpb_kctx *ctx, char *why, size_t len)
{
	struct trial t = { .k = k, .ctx = ctx, .why = why, .len = len };
	char what[64];

	snprintf(what, sizeof(what), "%s setup", k->name);
	if (fpb_probe_run(trial_setup, &t, what, why, len))
		goto skip;
	if (t.ret) {
		fpb_backend_bufs_free(ctx);
		return t.ret < 0 ? t.ret : -1;
	}
	snprintf(what, sizeof(what), "%s", k->name);
	if (fpb_probe_run(trial_body, &t, what, why, len))
		goto skip;
	return 0;
skip:
	fpb_backend_bufs_free(ctx);
	return -1;
}

/*
 * fpb_backend_time_batch() - one timed batch of n operations of k between be's timer reads,
 * with be's counters around it; flush (may be NULL) runs first when --buffer=cold.  Fills *out
 * (timer units, CPU, FPB_SAMPLE_MIGRATED).  Returns 0, or -EINVAL without a timer.
 */
int fpb_backend_time_batch(struct fpb_backend *be, const struct fpb_kernel *k,
			   struct fpb_kctx *ctx, uint64_t n,
			   void (*flush)(const struct fpb_kctx *ctx), struct fpb_sample *out)
{
	struct fpb_timer *tm = be->timer;
	uint64_t t0, t1;
	int cpu0, cpu1 = -1;

	if (!tm)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	cpu0 = sched_getcpu();
	if (flush && ctx->buffer.mode == FPB_BUF_COLD && ctx->nbufs)
		flush(ctx);
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
