// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * backends/kmod.c - the ring-0 backend: timed batches run by kmod/fpbench.ko through the ioctls
 * of /dev/fpbench (kmod/uapi.h).  The module returns raw fenced timestamps per batch; the harness
 * does the statistics here in user space.  Batches are split so that no ring-0 batch runs longer
 * than ~1 ms with interrupts off (the module flags overlong ones; the chunk then halves).
 * Without the device: probe says "/dev/fpbench not found (load kmod/fpbench.ko)".
 */
#include "config.h"
#include <fcntl.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include "backend.h"
#include "cpu.h"
#include "result.h"
#include "kmod-client.h"
#include "strategy.h"

#define KMOD_CHUNK_START	4096u	/* ops per ring-0 batch to begin with */
#define KMOD_MAX_CHUNKS		FPB_KMOD_MAX_REPEATS

struct kmod_priv {
	int fd;
	struct fpb_kmod_info info;
	uint64_t chunk;			/* ops per ring-0 batch, adapted */
	struct fpb_kmod_sample *s;	/* KMOD_MAX_CHUNKS samples */
};

/* Per-context: the module's id for the kernel. */
struct kmod_kctx {
	unsigned id;
};

/* Module kernel id for a kernel name; -1 when the module has no such kernel. */
int fpb_kmod_kernel_id(const char *name)
{
#define KMOD_X_NAME(id, nm, kind, need, desc) nm,
	static const char *const names[] = { FPB_KMOD_KERNELS(KMOD_X_NAME) };
#undef KMOD_X_NAME

	for (size_t i = 0; i < FPB_ARRAY_SIZE(names); i++)
		if (!strcmp(names[i], name))
			return (int)i;
	return -1;
}

/* The message for an ioctl errno, one line. */
const char *fpb_kmod_strerror(int err)
{
	switch (err) {
	case EINVAL: return "the module rejected an argument (EINVAL)";
	case EFAULT: return "bad user buffer address (EFAULT)";
	case ENOTTY: return "unknown ioctl: module and fpbench disagree (ENOTTY)";
	case EPERM: case EACCES: return "permission denied: /dev/fpbench is root only";
	case ENOMEM: return "the module is out of memory (ENOMEM)";
	default: return strerror(err);
	}
}

/* Open the device and read its description; 0, or -1 with why. */
int fpb_kmod_open(int *fd, struct fpb_kmod_info *info, char *why, size_t len)
{
	struct stat st;

	if (stat(FPB_KMOD_DEVICE, &st)) {
		snprintf(why, len, "%s not found (load kmod/fpbench.ko)", FPB_KMOD_DEVICE);
		return -1;
	}
	*fd = open(FPB_KMOD_DEVICE, O_RDWR | O_CLOEXEC);
	if (*fd < 0) {
		snprintf(why, len, "cannot open %s: %s", FPB_KMOD_DEVICE,
			 fpb_kmod_strerror(errno));
		return -1;
	}
	memset(info, 0, sizeof(*info));
	if (ioctl(*fd, FPB_IOC_INFO, info)) {
		snprintf(why, len, "%s: FPB_IOC_INFO: %s", FPB_KMOD_DEVICE,
			 fpb_kmod_strerror(errno));
		close(*fd);
		*fd = -1;
		return -1;
	}
	if (info->abi != FPB_KMOD_ABI) {
		snprintf(why, len, "%s speaks ABI %u, fpbench ABI %u: rebuild the module",
			 FPB_KMOD_DEVICE, info->abi, FPB_KMOD_ABI);
		close(*fd);
		*fd = -1;
		return -1;
	}
	return 0;
}

static int kmod_probe(const struct fpb_cpu *cpu, char *why, size_t len)
{
	struct fpb_kmod_info info;
	int fd;

	(void)cpu;
	if (fpb_kmod_open(&fd, &info, why, len))
		return -1;
	close(fd);
	return 0;
}

static int kmod_open(struct fpb_backend *be, char *why, size_t len)
{
	struct kmod_priv *p = calloc(1, sizeof(*p));

	if (!p || !(p->s = calloc(KMOD_MAX_CHUNKS, sizeof(*p->s)))) {
		free(p);
		snprintf(why, len, "out of memory");
		return -1;
	}
	if (fpb_kmod_open(&p->fd, &p->info, why, len)) {
		free(p->s);
		free(p);
		return -1;
	}
	p->chunk = KMOD_CHUNK_START;
	be->priv = p;
	return 0;
}

static void kmod_close(struct fpb_backend *be)
{
	struct kmod_priv *p = be->priv;

	if (!p)
		return;
	if (p->fd >= 0)
		close(p->fd);
	free(p->s);
	free(p);
	be->priv = NULL;
}

/* Fill a request for kernel id under ctx's conditions (ctx may be NULL: defaults). */
static void fill_run(struct fpb_kmod_run *req, unsigned id, const struct fpb_kctx *ctx,
		     uint64_t xcr0)
{
	memset(req, 0, sizeof(*req));
	req->abi = FPB_KMOD_ABI;
	req->kernel = id;
	req->rfbm = ctx ? ctx->rfbm & xcr0 : xcr0;
	req->state = ctx ? (uint32_t)ctx->state : FPB_KMOD_STATE_DIRTY;
	req->buf_mode = ctx ? (uint32_t)ctx->buffer.mode : FPB_KMOD_BUF_SAME;
	req->nbufs = ctx && ctx->buffer.mode == FPB_BUF_ROTATE ? ctx->buffer.k : 1;
	req->flags = ctx && ctx->prep_only ? FPB_KMOD_F_PREP_ONLY : 0;
	req->batch = 1;
	req->repeats = 1;
}

static void describe_run(const struct kmod_priv *p, const struct fpb_kmod_run *req,
			 struct fpb_kctx *ctx)
{
	size_t n;

	if ((req->rflags & FPB_KMOD_R_VIRTUALISED) && !(ctx->row_flags & FPB_ROW_VIRTUALISED)) {
		ctx->row_flags |= FPB_ROW_VIRTUALISED;
		n = strlen(ctx->note);
		snprintf(ctx->note + n, sizeof(ctx->note) - n, "%svirtualised: a VM exit under %s",
			 n ? "; " : "", p->info.hypervisor[0] ? p->info.hypervisor : "a hypervisor");
	}
	if (fpb_kmod_emulated(&p->info) && !(ctx->row_flags & FPB_ROW_FUNCTIONAL_ONLY)) {
		ctx->row_flags |= FPB_ROW_FUNCTIONAL_ONLY;
		n = strlen(ctx->note);
		snprintf(ctx->note + n, sizeof(ctx->note) - n,
			 "%sfunctional only: emulator speed (qemu TCG)", n ? "; " : "");
	}
	if (req->status == FPB_KMOD_OK && req->reason[0] && !strstr(ctx->note, req->reason)) {
		n = strlen(ctx->note);
		snprintf(ctx->note + n, sizeof(ctx->note) - n, "%s%s", n ? "; " : "", req->reason);
	}
}

/* qemu TCG: figures are emulator speed. */
bool fpb_kmod_emulated(const struct fpb_kmod_info *info)
{
	return !strcmp(info->hypervisor, "TCGTCGTCGTCG");
}

/* Ask the module whether kernel k runs here (one batch of one op under default conditions). */
static int kmod_kernel_supported(struct fpb_backend *be, const struct fpb_kernel *k, char *why,
				 size_t len)
{
	struct kmod_priv *p = be->priv;
	struct fpb_kmod_run req;
	int id;

	if (fpb_kernel_fits(be, k, why, len))
		return -1;
	id = fpb_kmod_kernel_id(k->name);
	if (id < 0 || (unsigned)id >= p->info.nr_kernels) {
		snprintf(why, len, "the loaded module has no kernel '%s': rebuild kmod/fpbench.ko",
			 k->name);
		return -1;
	}
	fill_run(&req, (unsigned)id, NULL, p->info.xcr0);
	req.samples = (uint64_t)(uintptr_t)p->s;
	req.samples_len = sizeof(*p->s);
	if (ioctl(p->fd, FPB_IOC_RUN, &req)) {
		snprintf(why, len, "%s", fpb_kmod_strerror(errno));
		return -1;
	}
	if (req.status == FPB_KMOD_SKIPPED) {
		snprintf(why, len, "%s", req.reason[0] ? req.reason : "the module cannot run it");
		return -1;
	}
	if (req.status == FPB_KMOD_TRAPPED) {
		snprintf(why, len, "%s", req.reason);
		return -1;
	}
	return 0;
}

static int kmod_prepare(struct fpb_backend *be, const struct fpb_kernel *k, struct fpb_kctx *ctx,
			char *why, size_t len)
{
	struct kmod_kctx *kc;
	int id = fpb_kmod_kernel_id(k->name);

	(void)be;
	if (id < 0) {
		snprintf(why, len, "not a ring-0 kernel");
		return -1;
	}
	if (ctx->buffer.mode == FPB_BUF_ROTATE &&
	    (ctx->buffer.k < 1 || ctx->buffer.k > FPB_KMOD_MAX_BUFS)) {
		snprintf(why, len, "rotate:%u: the module keeps 1..%u buffers", ctx->buffer.k,
			 FPB_KMOD_MAX_BUFS);
		return -1;
	}
	kc = calloc(1, sizeof(*kc));
	if (!kc) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	kc->id = (unsigned)id;
	ctx->priv = kc;
	ctx->nbufs = 0;		/* the buffers live in the module */
	return 0;
}

static void kmod_release(struct fpb_backend *be, const struct fpb_kernel *k, struct fpb_kctx *ctx)
{
	(void)be;
	(void)k;
	free(ctx->priv);
	ctx->priv = NULL;
}

/* One ioctl of reps batches of b ops; adds the ticks to *t.  0 or -errno. */
static int kmod_ioctl_batches(struct kmod_priv *p, struct fpb_kmod_run *req, uint64_t b,
			      uint32_t reps, uint64_t *t, struct fpb_sample *out)
{
	req->batch = b;
	req->repeats = reps;
	req->samples = (uint64_t)(uintptr_t)p->s;
	req->samples_len = (uint64_t)reps * sizeof(*p->s);
	if (ioctl(p->fd, FPB_IOC_RUN, req))
		return -errno;
	if (req->status != FPB_KMOD_OK) {
		out->flags |= FPB_SAMPLE_FAULT;
		return req->status == FPB_KMOD_SKIPPED ? -EOPNOTSUPP : -EIO;
	}
	for (uint32_t i = 0; i < req->done; i++) {
		const struct fpb_kmod_sample *s = &p->s[i];

		*t += s->t_end - s->t_begin;
		if (s->flags & FPB_KMOD_S_STATE_MISMATCH)
			out->flags |= FPB_SAMPLE_STATE_MISMATCH;
		if ((s->flags & FPB_KMOD_S_OVERLONG) && p->chunk > 1)
			p->chunk /= 2;
		if (out->cpu >= 0 && out->cpu != (int)s->cpu)
			out->flags |= FPB_SAMPLE_MIGRATED;
		out->cpu = (int)s->cpu;
	}
	return 0;
}

/* Run n ops as ring-0 batches of at most p->chunk ops; the sample is their summed ticks. */
static int kmod_run_batch(struct fpb_backend *be, const struct fpb_kernel *k, struct fpb_kctx *ctx,
			  uint64_t n, struct fpb_sample *out)
{
	struct kmod_priv *p = be->priv;
	struct kmod_kctx *kc = ctx->priv;
	struct fpb_kmod_run req;
	uint64_t t = 0, chunk = p->chunk, q, rem;
	int ret;

	(void)k;
	memset(out, 0, sizeof(*out));
	out->cpu = -1;
	if (!kc || !n)
		return -EINVAL;
	fill_run(&req, kc->id, ctx, p->info.xcr0);
	q = n / chunk;
	rem = n % chunk;
	while (q) {
		uint32_t reps = q > KMOD_MAX_CHUNKS ? KMOD_MAX_CHUNKS : (uint32_t)q;

		ret = kmod_ioctl_batches(p, &req, chunk, reps, &t, out);
		if (ret)
			goto fail;
		q -= reps;
	}
	if (rem) {
		ret = kmod_ioctl_batches(p, &req, rem, 1, &t, out);
		if (ret)
			goto fail;
	}
	out->t = t;
	describe_run(p, &req, ctx);
	return 0;
fail:
	if (req.reason[0])
		snprintf(ctx->note, sizeof(ctx->note), "%s", req.reason);
	return ret;
}

/* FPB_IOC_STRATEGY with flags (FPB_KMOD_STRAT_*); 0 or negative errno. */
static int strategy_ioctl(int fd, unsigned idx, const char *scenario, uint64_t events,
			  unsigned reps, uint32_t flags, struct fpb_kmod_strategy *req,
			  uint64_t *ticks)
{
	struct fpb_kmod_sample s[FPB_KMOD_MAX_STRATEGY_REPEATS];

	memset(req, 0, sizeof(*req));
	req->abi = FPB_KMOD_ABI;
	req->index = idx;
	if (scenario)
		snprintf(req->scenario, sizeof(req->scenario), "%s", scenario);
	req->events = events;
	req->repeats = reps;
	req->flags = flags;
	req->samples = (uint64_t)(uintptr_t)s;
	req->samples_len = sizeof(s);
	if (reps > FPB_KMOD_MAX_STRATEGY_REPEATS)
		return -EINVAL;
	if (ioctl(fd, FPB_IOC_STRATEGY, req))
		return -errno;
	for (unsigned i = 0; i < req->done; i++)
		ticks[i] = s[i].t_end - s[i].t_begin;
	return 0;
}

/* Run a strategy built into the module; see kmod-client.h. */
int fpb_kmod_strategy_run(int fd, unsigned idx, const char *scenario, uint64_t events,
			  unsigned reps, struct fpb_kmod_strategy *req, uint64_t *ticks)
{
	return strategy_ioctl(fd, idx, scenario, events, reps, 0, req, ticks);
}

int fpb_kmod_strategy_check(int fd, unsigned idx, const char *scenario, uint64_t events,
			    struct fpb_kmod_strategy *req)
{
	uint64_t ticks[1];

	return strategy_ioctl(fd, idx, scenario, events, 1, FPB_KMOD_STRAT_CHECK, req, ticks);
}

/* The module's primitive totals, added to the backend's counts (no per-instruction split). */
static void add_strategy_counts(struct fpb_backend *be, const struct fpb_kmod_strategy *req)
{
	struct fpb_prim_counts *c = &be->counts;

	c->save[FPB_OP_FXSAVE] += req->counts[FPB_KMOD_C_SAVES];
	c->restore[FPB_OP_FXRSTOR] += req->counts[FPB_KMOD_C_RESTORES];
	c->copies += req->counts[FPB_KMOD_C_COPIES];
	c->bytes_copied += req->counts[FPB_KMOD_C_BYTES_COPIED];
	c->xsetbv += req->counts[FPB_KMOD_C_XSETBV];
	c->xfd_writes += req->counts[FPB_KMOD_C_XFD_WRITES];
	c->xss_writes += req->counts[FPB_KMOD_C_XSS_WRITES];
	c->pkru_reads += req->counts[FPB_KMOD_C_PKRU_READS];
	c->pkru_writes += req->counts[FPB_KMOD_C_PKRU_WRITES];
}

/* The strategy built into the module, by name, once with flags; see backend.h. */
static int run_strategy_flags(struct fpb_backend *be, const char *strategy, const char *scenario,
			      uint64_t n, uint32_t flags, struct fpb_sample *out,
			      uint64_t *events, char *why, size_t len)
{
	struct kmod_priv *p = be->priv;
	struct fpb_kmod_strategy req;
	uint64_t t = 0;

	memset(out, 0, sizeof(*out));
	out->cpu = -1;
	*events = 0;
	n = n ? n : 1;
	if (!p->info.nr_strategies) {
		snprintf(why, len, "%s", p->info.strategies_reason[0] ?
			 p->info.strategies_reason : "strategies not built into this module");
		return -1;
	}
	/* The module's index: the registry order without arm64 and test-only tables (same sources). */
	for (size_t i = 0, idx = 0; i < fpb_nr_strategies; i++) {
		const struct fpb_strategy *st = fpb_strategies[i];
		int ret;

		if (st->flags & (FPB_STRAT_ARCH_ARM64 | FPB_STRAT_TEST_ONLY))
			continue;
		if (strcmp(st->name, strategy)) {
			idx++;
			continue;
		}
		if (idx >= p->info.nr_strategies)
			break;
		/* Batches above the module's limit run as several calls of whole cycles. */
		do {
			uint64_t ask = n - *events > FPB_KMOD_MAX_BATCH ? FPB_KMOD_MAX_BATCH :
				       n - *events;

			ret = strategy_ioctl(p->fd, (unsigned)idx, scenario, ask ? ask : 1, 1, flags,
					     &req, &t);
			if (ret) {
				snprintf(why, len, "%s", fpb_kmod_strerror(-ret));
				return -1;
			}
			if (strcmp(req.name, strategy)) {
				snprintf(why, len,
					 "the module's strategy %zu is '%s', not '%s': rebuild it",
					 idx, req.name, strategy);
				return -1;
			}
			if (req.status != FPB_KMOD_OK || !req.done ||
			    !req.counts[FPB_KMOD_C_EVENTS]) {
				snprintf(why, len, "%s", req.reason[0] ? req.reason :
					 "the module cannot run it");
				return -1;
			}
			add_strategy_counts(be, &req);
			out->t += t;
			*events += req.counts[FPB_KMOD_C_EVENTS];
		} while (*events < n);
		return 0;
	}
	snprintf(why, len, "strategy '%s' is not built into this module", strategy);
	return -1;
}

/* backend op run_strategy: see backend.h. */
static int kmod_run_strategy(struct fpb_backend *be, const char *strategy, const char *scenario,
			     uint64_t n, struct fpb_sample *out, uint64_t *events, char *why,
			     size_t len)
{
	return run_strategy_flags(be, strategy, scenario, n, 0, out, events, why, len);
}

/* backend op run_strategy_prep: the scenario's programs alone; see backend.h. */
static int kmod_run_strategy_prep(struct fpb_backend *be, const char *strategy,
				  const char *scenario, uint64_t n, struct fpb_sample *out,
				  uint64_t *events, char *why, size_t len)
{
	return run_strategy_flags(be, strategy, scenario, n, FPB_KMOD_STRAT_PREP_ONLY, out, events,
				  why, len);
}

/* The module cannot run a lone primitive meaningfully from user space: strategies run inside it. */
const struct fpb_backend_ops fpb_backend_kmod = {
	.name			= "kmod",
	.summary		= "ring 0 through kmod/fpbench.ko (/dev/fpbench): XSAVES, XRSTORS, "
				  "XSETBV, IA32_XFD/IA32_XSS writes",
	.flags			= FPB_BE_RING0 | FPB_BE_REAL | FPB_BE_TIMES,
	.probe			= kmod_probe,
	.open			= kmod_open,
	.close			= kmod_close,
	.kernel_supported	= kmod_kernel_supported,
	.prepare		= kmod_prepare,
	.release		= kmod_release,
	.run_batch		= kmod_run_batch,
	.run_strategy		= kmod_run_strategy,
	.run_strategy_prep	= kmod_run_strategy_prep,
};
