// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * suite-kernels.c - the kernels suite: one XSAVE-family instruction per row.
 *
 * Expands the selected kernels across masks x register states x buffer conditions (a kernel
 * that ignores a dimension gets one row for it), turns what cannot run here into "skipped"
 * rows with the reason, prepares the rest through the backend and times them all in one
 * interleaved fpb_harness_run().  Kernels that must re-prepare their condition before every
 * operation (FPB_K_PER_OP_PREP) are measured together with a prep-only companion, and their
 * figure is the per-round difference.  Rows with --buffer=cold run in a second harness run whose
 * N is capped so that both batches of a pair meet only flushed buffers (cold_batch()).
 * Default run: every user-mode kernel (with a ring-0 backend: the ring-0 kernels and the user-mode
 * ones it can run) at masks all, sse, avx; state dirty; buffer same.
 *
 * A core-clock reference (src/measure/clock-ref.c: a dependent chain of known latency) is timed in the
 * same rounds.  Its figure goes on every row as a metric, so a run-to-run shift of every row that
 * comes from the host changing the core clock (TSC ticks are not core cycles) can be told from
 * a real change; when the reference itself moves by more than CLOCK_MOVED_REL during the run,
 * every row is flagged unstable.  A reference implying an impossible core clock is neither
 * reported nor used: the rows say it failed.
 */
#include "config.h"
#include <stdarg.h>
#include "suite.h"
#include "session.h"
#include "harness.h"
#include "xstate.h"
#include "timer.h"
#include "counters.h"

#define KERNELS_DEFAULT_BUDGET_S	10.0	/* the kernels' share of the default run */

#define CLOCK_MOVED_REL		0.03	/* core-clock reference spread that flags the rows */
#define CLOCK_BLOCKS		5

static const char *const default_masks[] = { "all", "sse", "avx" };

struct clock_ref {
	struct fpb_timer *tm;
	double timer_hz;		/* timer units a second, 0 unknown (no plausibility check) */
	struct fpb_row row;		/* scratch: not in the result */
	unsigned scale;			/* an op is scale reference ops (a run with a small N) */
};

/* One op = scale x FPB_CLOCK_REF_CYCLES_PER_OP core cycles. */
static int clock_ref_batch(void *arg, uint64_t n, struct fpb_sample *out)
{
	struct clock_ref *c = arg;

	return fpb_clock_ref_batch(c->tm, n * c->scale, out);
}

/* Timer units a second: the TSC's (and CNTVCT's) rate, 1e9 for ns, 0 when not a clock rate. */
static double timer_hz(const struct fpb_session *s)
{
	if (!strcmp(s->timer->unit, "ns"))
		return 1e9;
	if (!strcmp(s->timer->name, "tsc") || !strcmp(s->timer->name, "cntvct"))
		return (double)s->cpu.tsc_hz;
	return 0;
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Relative spread of the medians of consecutive blocks of the reference's samples. */
static double clock_ref_spread(const struct fpb_row *row)
{
	double lo = 0, hi = 0, *t;
	size_t n = row->nraw;

	if (n < 5 * CLOCK_BLOCKS || !row->st.median)
		return 0;
	t = malloc(n * sizeof(*t));
	if (!t)
		return 0;
	for (size_t b = 0; b < CLOCK_BLOCKS; b++) {
		size_t from = n * b / CLOCK_BLOCKS, to = n * (b + 1) / CLOCK_BLOCKS;
		double med;

		memcpy(t, row->raw + from, (to - from) * sizeof(*t));
		qsort(t, to - from, sizeof(*t), cmp_dbl);
		med = fpb_stats_median_sorted(t, to - from);
		lo = b ? (med < lo ? med : lo) : med;
		hi = b ? (med > hi ? med : hi) : med;
	}
	free(t);
	return (hi - lo) / row->st.median;
}

/* One timed row and what its batches need. */
struct krow {
	const struct fpb_kernel *k;
	struct fpb_backend *be;
	struct fpb_kctx ctx;
	bool prepared;
	size_t row;			/* index into the result's rows (they may move) */
	struct krow *prep;		/* prep-only companion, or NULL */
	struct fpb_row scratch;		/* the companion's own figures (not in the result) */
	bool is_prep;
};

static int kernel_batch(void *arg, uint64_t n, struct fpb_sample *out)
{
	struct krow *kr = arg;

	return kr->be->ops->run_batch(kr->be, kr->k, &kr->ctx, n, out);
}

/*
 * In the default selection?  This build's architecture only; with a user backend the user-mode
 * kernels, with a ring-0 one (kmod) the ring-0 kernels and the others it says it can run.
 */
static bool default_kernel(struct fpb_session *s, const struct fpb_kernel *k)
{
	char why[FPB_REASON_LEN];

#if defined(__x86_64__)
	if (k->flags & FPB_K_ARCH_ARM64)
		return false;
#elif defined(__aarch64__)
	if (k->flags & FPB_K_ARCH_X86)
		return false;
#else
	return false;
#endif
	if (!(s->backend.ops->flags & FPB_BE_RING0))
		return !(k->flags & FPB_K_RING0);
	if (k->flags & FPB_K_RING0)
		return true;
	return s->backend.ops->kernel_supported &&
	       !s->backend.ops->kernel_supported(&s->backend, k, why, sizeof(why));
}

/* Can k run at all here?  false with why filled. */
static bool kernel_runnable(struct fpb_session *s, const struct fpb_kernel *k, char *why,
			    size_t len)
{
	why[0] = 0;
	if (k->unimplemented_reason) {
		snprintf(why, len, "%s", k->unimplemented_reason);
		return false;
	}
	if (k->supported && !k->supported(&s->cpu, why, len)) {
		if (!why[0])
			snprintf(why, len, "not supported by this CPU");
		return false;
	}
	if (s->backend.ops->kernel_supported &&
	    s->backend.ops->kernel_supported(&s->backend, k, why, len)) {
		if (!why[0])
			snprintf(why, len, "backend %s cannot run it", s->backend.ops->name);
		return false;
	}
	if (!s->backend.ops->run_batch || !(s->backend.ops->flags & FPB_BE_TIMES)) {
		snprintf(why, len, "backend %s cannot time batches", s->backend.ops->name);
		return false;
	}
	return true;
}

static struct fpb_row *new_row(struct fpb_result *r, struct fpb_session *s,
			       const struct fpb_kernel *k, size_t *idx)
{
	struct fpb_row *row = fpb_result_add_row(r);

	if (!row)
		return NULL;
	*idx = (size_t)(row - r->rows);
	snprintf(row->suite, sizeof(row->suite), "kernels");
	snprintf(row->name, sizeof(row->name), "%s", k->name);
	snprintf(row->backend, sizeof(row->backend), "%s", s->backend.ops->name);
	snprintf(row->unit, sizeof(row->unit), "%s/op", s->timer->unit);
	row->ns_per_unit = fpb_timer_ns_per_unit(s->timer, &s->cpu);
	row->status = FPB_ROW_MEASURED;
	if (s->run && s->run->emulation[0])
		row->flags |= FPB_ROW_FUNCTIONAL_ONLY;	/* emulator speed (qemu) */
	return row;
}

/* Effective mask for a --mask item; warns once per item about bits outside XCR0. */
static int effective_mask(const struct fpb_cpu *cpu, const char *name, uint64_t *out,
			  bool *warned)
{
	char why[FPB_REASON_LEN] = "", eff[32];
	uint64_t m;

	if (fpb_xstate_parse_mask(name, cpu->xcr0, &m, why, sizeof(why))) {
		fprintf(stderr, "fpbench: --mask=%s: %s\n", name, why[0] ? why : "bad mask");
		return -EINVAL;
	}
	if ((m & ~cpu->xcr0) && !*warned) {
		if (m & cpu->xcr0)
			fpb_xstate_mask_name(m & cpu->xcr0, cpu->xcr0, eff, sizeof(eff));
		else
			snprintf(eff, sizeof(eff), "none: skipped");
		fprintf(stderr, "fpbench: warning: --mask=%s has bits 0x%llx outside XCR0 0x%llx; "
			"effective mask 0x%llx (%s)\n", name,
			(unsigned long long)(m & ~cpu->xcr0), (unsigned long long)cpu->xcr0,
			(unsigned long long)(m & cpu->xcr0), eff);
		*warned = true;
	}
	*out = m & cpu->xcr0;
	return 0;
}

/* Prepare a context through the backend; false with the reason in the row. */
static bool prepare(struct krow *kr, struct fpb_row *row)
{
	char why[FPB_REASON_LEN] = "";

	if (kr->be->ops->prepare && kr->be->ops->prepare(kr->be, kr->k, &kr->ctx, why,
							 sizeof(why))) {
		row->status = FPB_ROW_FAILED;
		snprintf(row->reason, sizeof(row->reason), "%sprepare: %s",
			 kr->is_prep ? "prep-only companion: " : "", why[0] ? why : "failed");
		return false;
	}
	kr->prepared = true;
	return true;
}

static void release(struct krow *kr)
{
	if (kr->prepared && kr->be->ops->release)
		kr->be->ops->release(kr->be, kr->k, &kr->ctx);
	kr->prepared = false;
	free(kr->scratch.raw);
	kr->scratch.raw = NULL;
}

/* Rows one kernel can produce (upper bound, counting a companion for each). */
static size_t rows_for(const struct fpb_kernel *k, size_t nm, size_t ns, size_t nb)
{
	size_t n = 1;

	if (k->flags & FPB_K_USES_MASK)
		n *= nm;
	if (k->flags & FPB_K_USES_STATE)
		n *= ns;
	if (k->flags & FPB_K_USES_BUFFER)
		n *= nb;
	if (k->flags & FPB_K_USES_VL)
		n *= FPB_KERNEL_MAX_VLS;
	return (k->flags & FPB_K_PER_OP_PREP) ? 2 * n : n;
}

struct plan {
	const char *const *masks;
	size_t nmasks;
	const enum fpb_state *states;
	size_t nstates;
	const struct fpb_buffer_spec *bufs;
	size_t nbufs;
	unsigned vl;			/* arm64 --vl, 0: every vector length offered */
};

/* x's companion in kr[*nk]: same conditions, only the per-op preparation (dropped with x). */
static void add_prep_companion(struct krow *x, struct fpb_row *row, struct krow *kr, size_t *nk)
{
	struct krow *c = &kr[*nk];

	*c = *x;
	memset(&c->ctx, 0, sizeof(c->ctx));
	c->ctx.cpu = x->ctx.cpu;
	c->ctx.rfbm = x->ctx.rfbm;
	c->ctx.state = x->ctx.state;
	c->ctx.buffer = x->ctx.buffer;
	c->ctx.vl = x->ctx.vl;
	c->ctx.prep_only = true;
	c->prepared = false;
	c->is_prep = true;
	c->prep = NULL;
	memset(&c->scratch, 0, sizeof(c->scratch));
	if (!prepare(c, row)) {
		release(c);
		release(x);
		(*nk)--;
		return;
	}
	x->prep = c;
	(*nk)++;
}

/*
 * k's row under mask (arm64: vector length vl), state p->states[is] and buffer p->bufs[ib], as
 * far as k uses them; when it prepares, its timed krow (and companion) go to kr[*nk].
 */
static int add_condition_row(struct fpb_session *s, const struct fpb_kernel *k,
			     const struct plan *p, struct fpb_result *r, struct krow *kr,
			     size_t *nk, uint64_t mask, unsigned vl, size_t is, size_t ib)
{
	struct krow *x = &kr[*nk];
	struct fpb_row *row;
	size_t idx;

	row = new_row(r, s, k, &idx);
	if (!row)
		return -ENOMEM;
	if (k->flags & FPB_K_USES_MASK) {
		row->mask = mask;
		fpb_xstate_mask_name(mask, s->cpu.xcr0, row->mask_name, sizeof(row->mask_name));
	}
	if (k->flags & FPB_K_USES_VL) {
		row->mask = vl;
		snprintf(row->mask_name, sizeof(row->mask_name), "vl%u", vl);
	}
	memset(x, 0, sizeof(*x));
	x->ctx.vl = vl;
	x->k = k;
	x->be = &s->backend;
	x->row = idx;
	x->ctx.cpu = &s->cpu;
	x->ctx.rfbm = mask;
	x->ctx.state = (k->flags & FPB_K_USES_STATE) ? p->states[is] : FPB_STATE_DIRTY;
	x->ctx.buffer = (k->flags & FPB_K_USES_BUFFER) ? p->bufs[ib] :
		(struct fpb_buffer_spec){ FPB_BUF_SAME, 1 };
	if (k->flags & FPB_K_USES_STATE)
		snprintf(row->state, sizeof(row->state), "%s", fpb_state_name(x->ctx.state));
	if (k->flags & FPB_K_USES_BUFFER)
		fpb_buffer_name(&x->ctx.buffer, row->buffer, sizeof(row->buffer));
	if (!prepare(x, row)) {
		release(x);
		return 0;
	}
	(*nk)++;
	if (k->flags & FPB_K_PER_OP_PREP)
		add_prep_companion(x, row, kr, nk);
	return 0;
}

/*
 * k's rows for its im-th mask (arm64: vector length vl): one skipped row when the mask has no
 * component enabled, else a row for every state and buffer k uses.
 */
static int expand_mask(struct fpb_session *s, const struct fpb_kernel *k, const struct plan *p,
		       struct fpb_result *r, struct krow *kr, size_t *nk, bool *mask_warned,
		       size_t im, unsigned vl)
{
	size_t nst = (k->flags & FPB_K_USES_STATE) ? p->nstates : 1;
	size_t nb = (k->flags & FPB_K_USES_BUFFER) ? p->nbufs : 1;
	uint64_t mask = s->cpu.xcr0;
	int ret = 0;

	if ((k->flags & FPB_K_USES_MASK) &&
	    effective_mask(&s->cpu, p->masks[im], &mask, &mask_warned[im]))
		return -EINVAL;
	if ((k->flags & FPB_K_USES_MASK) && !mask) {
		/* One row for the mask, whatever the states and buffers. */
		size_t idx;
		struct fpb_row *row = new_row(r, s, k, &idx);

		if (!row)
			return -ENOMEM;
		snprintf(row->mask_name, sizeof(row->mask_name), "%s", p->masks[im]);
		fpb_row_skip(row, "mask %s has no component enabled in XCR0 0x%llx",
			     p->masks[im], (unsigned long long)s->cpu.xcr0);
		return 0;
	}
	for (size_t is = 0; is < nst && !ret; is++)
		for (size_t ib = 0; ib < nb && !ret; ib++)
			ret = add_condition_row(s, k, p, r, kr, nk, mask, vl, is, ib);
	return ret;
}

/* Add k's rows to r and its timed rows to kr[*nk]. */
static int expand_kernel(struct fpb_session *s, const struct fpb_kernel *k, const struct plan *p,
			 struct fpb_result *r, struct krow *kr, size_t *nk, bool *mask_warned)
{
	char why[FPB_REASON_LEN];
	size_t nm = (k->flags & FPB_K_USES_MASK) ? p->nmasks : 1;
	unsigned vls[FPB_KERNEL_MAX_VLS] = { 0 };
	struct fpb_row *row;
	size_t idx;
	int ret = 0;

	if (k->flags & FPB_K_USES_VL) {
		/* arm64: one row per vector length in place of masks (kernels/arm64-vl.c) */
		nm = fpb_kernel_vls(k, p->vl, vls, FPB_KERNEL_MAX_VLS);
		if (!nm && p->vl && kernel_runnable(s, k, why, sizeof(why))) {
			row = new_row(r, s, k, &idx);
			if (!row)
				return -ENOMEM;
			fpb_row_skip(row, "vector length %u bytes not offered here", p->vl);
			return 0;
		}
	}
	if (!kernel_runnable(s, k, why, sizeof(why))) {
		/* One row for the kernel, whatever the conditions asked. */
		row = new_row(r, s, k, &idx);
		if (!row)
			return -ENOMEM;
		fpb_row_skip(row, "%s", why);
		return 0;
	}
	for (size_t im = 0; im < nm && !ret; im++)
		ret = expand_mask(s, k, p, r, kr, nk, mask_warned, im,
				  (k->flags & FPB_K_USES_VL) ? vls[im] : 0);
	return ret;
}

/*
 * note = the kernel's own observation, then the suite's remarks, all within the row's note: the
 * kernel's text is cut (marked "...") to leave the remarks room when both do not fit.
 */
static size_t note_put(char *dst, size_t size, size_t l, const char *src, size_t n)
{
	if (l + n >= size)
		n = size - 1 - l;
	memcpy(dst + l, src, n);
	dst[l + n] = '\0';
	return l + n;
}

static void compose_note(char *note, size_t size, const char *kernel, const char *suite)
{
	size_t lk = strlen(kernel), ls = strlen(suite), keep = lk, l;

	if (lk && ls && lk + 2 + ls >= size && size > ls + 5 + 16)
		keep = size - 1 - ls - 5;	/* room for "...; " and the remarks */
	l = note_put(note, size, 0, kernel, keep);
	if (keep < lk)
		l = note_put(note, size, l, "...", 3);
	if (lk && ls)
		l = note_put(note, size, l, "; ", 2);
	note_put(note, size, l, suite, ls);
}

/* Append "; " and a remark to buf (size bytes). */
static void remark(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void remark(char *buf, size_t size, const char *fmt, ...)
{
	size_t l = strlen(buf);
	va_list ap;

	if (l && l + 2 < size)
		l += (size_t)snprintf(buf + l, size - l, "; ");
	va_start(ap, fmt);
	if (l < size)
		vsnprintf(buf + l, size - l, fmt, ap);
	va_end(ap);
}

/*
 * After the run: the kernel's note, then how the figure was formed (prep-only companion
 * subtracted, N capped for cold buffers) and whether the core clock moved.  n_cap is the N a
 * cold row was capped at (0: not capped).
 */
static void annotate(struct fpb_result *r, struct krow *x, const struct clock_ref *ref,
		     uint64_t n_cap)
{
	struct fpb_row *row = &r->rows[x->row];
	char suite[FPB_REASON_LEN] = "", unit[24];

	row->flags |= x->ctx.row_flags;	/* the backend's: virtualised, functional only */
	if (x->prep && row->status == FPB_ROW_MEASURED) {
		if (x->prep->scratch.status == FPB_ROW_MEASURED)
			remark(suite, sizeof(suite), "minus prep-only %.1f/op",
			       x->prep->scratch.st.median);
		else
			remark(suite, sizeof(suite), "minus prep-only");
	}
	if (n_cap && row->status == FPB_ROW_MEASURED)
		remark(suite, sizeof(suite), "N capped at %llu (2N <= %u cold bufs)",
		       (unsigned long long)n_cap, x->ctx.nbufs);
	if (row->status == FPB_ROW_MEASURED && ref->row.status == FPB_ROW_MEASURED) {
		double moved = clock_ref_spread(&ref->row), ghz;
		double per_cycle = ref->row.st.median / FPB_CLOCK_REF_CYCLES_PER_OP / ref->scale;
		char failed[FPB_REASON_LEN];

		if (fpb_clock_ref_check(per_cycle, ref->timer_hz, &ghz, failed, sizeof(failed))) {
			remark(suite, sizeof(suite), "%s", failed);
			compose_note(row->note, sizeof(row->note), x->ctx.note, suite);
			return;
		}
		snprintf(unit, sizeof(unit), "%.14s/cycle",
			 ref->row.unit[0] ? ref->row.unit : "units");
		fpb_row_add_metric(row, "core_clock_ref", unit, per_cycle);
		/* A figure of 0 (the empty kernel) does not scale with the clock. */
		if (moved > CLOCK_MOVED_REL && (row->st.median > 0.5 || row->st.median < -0.5)) {
			row->flags |= FPB_ROW_UNSTABLE;
			remark(suite, sizeof(suite), "core clock moved %.0f%%", 100 * moved);
		}
	}
	compose_note(row->note, sizeof(row->note), x->ctx.note, suite);
}

static bool cold_row(const struct krow *x)
{
	return x->ctx.buffer.mode == FPB_BUF_COLD;
}

/*
 * The measurables of kr[]'s cold (or other) rows, each companion right after its row as in
 * kr[], then the clock reference.  Returns how many (0 when no row is of the kind).
 */
static size_t measurables(struct fpb_result *r, struct krow *kr, size_t nk, bool cold,
			  struct fpb_measurable *m, struct clock_ref *ref)
{
	size_t n = 0;

	for (size_t i = 0; i < nk; i++) {
		if (cold_row(&kr[i]) != cold)
			continue;
		m[n].batch = kernel_batch;
		m[n].arg = &kr[i];
		if (kr[i].is_prep) {
			kr[i].scratch = r->rows[kr[i].row];
			kr[i].scratch.raw = NULL;
			kr[i].scratch.nraw = 0;
			kr[i].scratch.status = FPB_ROW_MEASURED;
			m[n].row = &kr[i].scratch;
			if (n && i && kr[i - 1].prep == &kr[i])
				m[n - 1].minus = &m[n];
		} else {
			m[n].row = &r->rows[kr[i].row];
		}
		n++;
	}
	if (!n)
		return 0;
	ref->row.status = FPB_ROW_MEASURED;
	snprintf(ref->row.unit, sizeof(ref->row.unit), "%s", ref->tm->unit);
	m[n].batch = clock_ref_batch;
	m[n].arg = ref;
	m[n].row = &ref->row;
	return n + 1;
}

/*
 * N for the cold rows: the user backend flushes its buffers before each batch and the ops of a
 * batch take them in turn, so only 2N <= nbufs keeps every op of both batches cold (N/2N
 * differencing would otherwise cancel the cold first ops).  --batch lowers it further.
 */
static uint64_t cold_batch(const struct krow *kr, size_t nk, uint64_t asked)
{
	uint64_t n = FPB_KCTX_MAX_BUFS / 2;

	for (size_t i = 0; i < nk; i++)
		if (cold_row(&kr[i]) && kr[i].ctx.nbufs / 2 < n)
			n = kr[i].ctx.nbufs / 2;
	if (asked && asked < n)
		n = asked;
	return n ? n : 1;
}

static int kernels_run(struct fpb_session *s, const struct fpb_options *o, struct fpb_result *r)
{
	static const struct fpb_buffer_spec same = { FPB_BUF_SAME, 1 };
	static const enum fpb_state dirty = FPB_STATE_DIRTY;
	const struct fpb_kernel *sel[256];
	size_t nsel = 0, cap = 0, nk = 0;
	struct fpb_harness_opts h = o->h;
	struct fpb_measurable *m = NULL;
	struct krow *kr = NULL;
	bool *mask_warned = NULL;
	struct fpb_harness_opts hc;
	struct clock_ref ref, ref_cold;
	size_t nwarm, ncold;
	struct plan p;
	int ret = 0;

	if (!s || !s->backend.ops || !s->timer)
		return -EINVAL;
	p.masks = o->nmasks ? (const char *const *)o->masks : default_masks;
	p.nmasks = o->nmasks ? o->nmasks : FPB_ARRAY_SIZE(default_masks);
	p.states = o->nstates ? o->states : &dirty;
	p.nstates = o->nstates ? o->nstates : 1;
	p.bufs = o->nbuffers ? o->buffers : &same;
	p.nbufs = o->nbuffers ? o->nbuffers : 1;
	p.vl = o->vl;

	if (o->nkernels) {
		for (size_t i = 0; i < o->nkernels && nsel < FPB_ARRAY_SIZE(sel); i++) {
			const struct fpb_kernel *k = fpb_kernel_find(o->kernels[i]);

			if (!k) {
				fprintf(stderr, "fpbench: --kernel: unknown kernel '%s'\n",
					o->kernels[i]);
				return -EINVAL;
			}
			sel[nsel++] = k;
		}
	} else {
		for (size_t i = 0; i < fpb_nr_kernels && nsel < FPB_ARRAY_SIZE(sel); i++)
			if (default_kernel(s, fpb_kernels[i]))
				sel[nsel++] = fpb_kernels[i];
	}
	for (size_t i = 0; i < nsel; i++)
		cap += rows_for(sel[i], p.nmasks, p.nstates, p.nbufs);

	kr = calloc(cap ? cap : 1, sizeof(*kr));
	mask_warned = calloc(p.nmasks, sizeof(*mask_warned));
	if (!kr || !mask_warned) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < nsel && !ret; i++)
		ret = expand_kernel(s, sel[i], &p, r, kr, &nk, mask_warned);
	if (ret || !nk)
		goto out;

	/* Cold rows run on their own, with N capped; the budget is shared by row count. */
	m = calloc(nk + 2, sizeof(*m));
	if (!m) {
		ret = -ENOMEM;
		goto out;
	}
	memset(&ref, 0, sizeof(ref));
	memset(&ref_cold, 0, sizeof(ref_cold));
	ref.tm = ref_cold.tm = s->timer;
	ref.timer_hz = ref_cold.timer_hz = timer_hz(s);
	ref.scale = 1;
	nwarm = measurables(r, kr, nk, false, m, &ref);
	ncold = measurables(r, kr, nk, true, m + nwarm, &ref_cold);
	/* --events: the kernel rows and their companions count them (not the clock references). */
	for (size_t i = 0; s->backend.counters && i < nwarm + ncold; i++)
		if (m[i].batch == kernel_batch) {
			m[i].nevents = (unsigned)s->backend.counters->nnames;
			m[i].event_names = s->backend.counters->names;
		}
	hc = h;
	hc.batch = cold_batch(kr, nk, h.batch);
	/* The reference's batches of N must still last about a batch target. */
	ref_cold.scale = (unsigned)((h.batch_target ? h.batch_target : 20000) /
				    (hc.batch * FPB_CLOCK_REF_CYCLES_PER_OP) + 1);

	if (o->default_run && h.time_budget_s > KERNELS_DEFAULT_BUDGET_S)
		h.time_budget_s = KERNELS_DEFAULT_BUDGET_S;
	if (nwarm && ncold) {
		hc.time_budget_s = h.time_budget_s * (double)(ncold - 1) / (double)(nk);
		h.time_budget_s -= hc.time_budget_s;
	} else {
		hc.time_budget_s = h.time_budget_s;
	}
	/* Rows carry their own failures. */
	if (nwarm)
		(void)fpb_harness_run(&h, m, nwarm);
	if (ncold)
		(void)fpb_harness_run(&hc, m + nwarm, ncold);

	if (nwarm && ref.row.status == FPB_ROW_MEASURED) {
		double ghz;
		char why[FPB_REASON_LEN];

		if (fpb_clock_ref_check(ref.row.st.median / FPB_CLOCK_REF_CYCLES_PER_OP, ref.timer_hz,
					&ghz, why, sizeof(why)))
			fprintf(stderr, "fpbench: warning: %s\n", why);
	}
	for (size_t i = 0; i < nk; i++)
		if (!kr[i].is_prep)
			annotate(r, &kr[i], cold_row(&kr[i]) ? &ref_cold : &ref,
				 cold_row(&kr[i]) ? hc.batch : 0);
	free(ref.row.raw);
	free(ref_cold.row.raw);
out:
	for (size_t i = 0; i < nk; i++)
		release(&kr[i]);
	free(m);
	free(kr);
	free(mask_warned);
	return ret;
}

const struct fpb_suite fpb_suite_kernels = {
	.version		= FPB_SUITE_VERSION,
	.name			= "kernels",
	.summary		= "one XSAVE-family instruction per row",
	.run			= kernels_run,
};
