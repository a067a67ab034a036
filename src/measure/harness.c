// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * harness.c - the measuring loop shared by every suite.
 *
 * 1. Batch size: per row, N such that a batch of N lasts about batch_target timer units (TSC
 *    steps here are ~26 ticks, so a batch must be thousands of ticks long).
 * 2. Rounds: every active row, in a random order, runs one batch of N and one of 2N (the N/2N
 *    order alternates from round to round), so bursts of machine noise spread over all rows instead of landing
 *    on one.  Per-op sample = (t(2N) - t(N)) / N: the fixed bracket overhead cancels.
 *    A pair with a migrated, state-mismatched or faulted batch is dropped and counted.
 * 3. Warm-up: steps of a few rounds until each row's median moves less than ~2% between steps
 *    (the first run here reads ~25% high), capped by warmup_max_s; those samples are discarded.
 * 4. Trials: the measurement comes in K trials per row (--trials; adaptive by default), spread
 *    over the suite's measuring time (a pause until each trial's nominal start, then a short
 *    re-warm), every trial a few rounds over the rows in a random order.  Noise on these VMs
 *    comes in bursts of seconds: pairs taken in one stretch share its burst and are not
 *    independent, trials taken at different moments are.  Rows whose trials disagree get more
 *    trials while the budget lasts.  Each trial notes whether the machine was busy (src/measure/busy.c):
 *    busy trials are left out when at least MIN_QUIET_TRIALS quiet ones, and at least half,
 *    exist; a row with no quiet trial is flagged disturbed.
 * 5. The estimate is two-level (trials; pairs within a trial): the median of the used trials'
 *    medians, with an interval from the variation between trials (fpb_stats_two_level), joined
 *    with the pooled pairs' interval; beside it the trial floor (fpb_stats_trial_floor: the
 *    lowest level two trials agree on), which no flag or verdict uses.  Unstable when that
 *    interval is still wide (the trials disagree), with too few pairs or trials; drifted when
 *    the last third of the trials moved from the first.  Differences under half a timer unit
 *    never count.  Noisy: single samples spread widely (scaled MAD > 3% of the median).
 * A pair is also dropped when either batch took longer than its best time so far plus the
 * larger of that time and half the batch target: an interrupt or preemption landed in it, and
 * one in the batch of N would make the per-op sample meaningless (hugely negative).
 * That filter must not turn noise into a failure: after REBASE_AFTER pairs in a row were
 * dropped by it, the best times are stale (the machine slowed down: an emulator, a busy host,
 * a lucky first batch) and restart from the current pair; and a row left without any sample
 * at the end is measured from the pairs the filter dropped, flagged unstable.  Preemption
 * hits an occasional batch and never that many in a row, so normal rows keep the protection.
 * Counts below (row->batches, row->dropped) are N/2N pairs.
 */
#include "config.h"
#include <math.h>
#include <time.h>
#include "harness.h"
#include "busy.h"
#include "stats.h"

#define WARM_ROUNDS	5		/* rounds per warm-up step */
#define WARM_MAX_STEPS	40
#define WARM_SETTLE	0.02		/* relative change of a row's median between steps */
#define ABS_FLOOR	0.25		/* timer units/op: changes below this are quantisation */
#define CI_ABS_TIGHT	0.05		/* a CI half-width this small (units/op) is tight */
#define UNSTABLE_ABS	0.5		/* and differences below this never flag a row */
#define NOISY_MAD_REL	0.03		/* scaled MAD above this share of the median: noisy */
#define MIN_TRIAL_PAIRS	8		/* kept pairs per row and trial at least */
#define MIN_QUIET_TRIALS 3		/* enough quiet trials to leave the busy ones out */
#define TRIAL_SPAN_S	3.0		/* default time the trials of a row set spread over */
#define SPAN_SHARE	0.6		/* and at most this share of the budget left */
#define REWARM_ROUNDS	2		/* discarded rounds after a pause between trials */
#define MAX_BATCH	(1ull << 24)
#define WARMUP_SHARE	0.3		/* warm-up may use at most this share of the budget */
#define MIN_STABLE_SAMPLES 5		/* fewer kept pairs: unstable, whatever the CI */
#define BUDGET_PAIRS	20		/* a given N must leave each row this many pairs */
#define PROBE_S		2e-3		/* a probe batch this long gives the cost of an op */
#define REBASE_AFTER	16		/* consecutive "interrupted" pairs: best times stale */
#define DROP_FLAGS	(FPB_SAMPLE_MIGRATED | FPB_SAMPLE_STATE_MISMATCH | FPB_SAMPLE_FAULT | \
			 FPB_SAMPLE_NO_COUNTS)

struct hrow {
	struct fpb_measurable *m;
	struct hrow *base;		/* m->minus, resolved */
	size_t after;			/* index of m->after, or SIZE_MAX */
	uint64_t n;
	double *s, *ev;			/* kept per-op samples (time order), nevents per sample */
	size_t ns, cap;
	size_t dropped, attempts;
	bool done, failed, is_base;
	bool want;			/* takes part in the current trial */
	bool tran;			/* ran in the current trial */
	size_t tfirst, tatt;		/* ns and attempts when the current trial began */
	struct fpb_trial tr[FPB_MAX_TRIALS];
	double win[FPB_MAX_TRIALS];	/* seconds each trial's busy snapshots spanned */
	unsigned ntr;
	/* this round */
	bool ran, ok;
	double val, rev[FPB_MAX_EVENTS];
	double ta, tb;			/* t(N), t(2N) of this round's pair */
	double best_a, best_b;		/* their minimum over the valid pairs (0: none yet) */
	bool suspect;			/* this round's pair only failed the interrupt filter */
	unsigned nint;			/* consecutive pairs the interrupt filter dropped */
	double *sus;			/* their per-op samples (measurement), the last resort */
	size_t nsus, capsus;
	/* warm-up step */
	double w[WARM_ROUNDS];
	size_t nw;
	double prev_med;
	bool have_prev, settled;
};

struct hctx {
	const struct fpb_harness_opts *o;
	struct hrow *r;
	size_t nr;
	unsigned long round;		/* rounds run so far (warm-up included): alternation */
	double t0, budget;
	double tm0;			/* when the trials began */
	double last_progress;
	bool measuring;
	size_t *order;			/* this round's row order (shuffled) */
	uint64_t rng;
};

static double mono_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now_s(const struct hctx *c)
{
	return c->o->now_s ? c->o->now_s() : mono_now_s();
}

static double dabs(double x)
{
	return x < 0 ? -x : x;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median of x[0..n) without touching x; 0 for n == 0 or no memory. */
static double median_copy(const double *x, size_t n)
{
	double *t, m;

	if (!n)
		return 0;
	t = malloc(n * sizeof(*t));
	if (!t)
		return 0;
	memcpy(t, x, n * sizeof(*t));
	qsort(t, n, sizeof(*t), cmp_d);
	m = fpb_stats_median_sorted(t, n);
	free(t);
	return m;
}

/*
 * fpb_harness_default_opts() - defaults sized for the default run on a noisy 2-core VM:
 * batches of ~20000 timer units, 200..2000 pairs a row, CI target 1%, unstable above 5% CI
 * or 5% drift, warm-up at most 1 s, budget 10 s, 95% intervals.
 */
void fpb_harness_default_opts(struct fpb_harness_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->batch = 0;
	o->batch_target = 20000;
	o->min_repeats = 200;
	o->max_repeats = 2000;
	o->time_budget_s = 10.0;
	o->target_ci_rel = 0.01;
	o->unstable_ci_rel = 0.05;
	o->unstable_drift = 0.05;
	o->warmup_max_s = 1.0;
	o->ci_level = 0.95;
	o->progress = false;
	o->now_s = NULL;
	o->trials = 0;
	o->trial_span_s = TRIAL_SPAN_S;
	o->nivcsw = NULL;
}

static void row_fail(struct hrow *h, const char *what, int err)
{
	struct fpb_row *row = h->m->row;

	h->failed = true;
	if (row && row->status == FPB_ROW_MEASURED) {
		row->status = FPB_ROW_FAILED;
		snprintf(row->reason, sizeof(row->reason), "%s: %s", what, strerror(err));
	}
}

/* A base row runs while any row subtracting it runs. */
static bool active(const struct hctx *c, const struct hrow *h)
{
	if (h->failed)
		return false;
	if (!h->is_base)
		return !h->done;
	for (size_t i = 0; i < c->nr; i++)
		if (c->r[i].base == h && !c->r[i].failed && !c->r[i].done)
			return true;
	return false;
}

/* Pick N: double n until a batch lasts a quarter of the target, then scale. */
static void choose_n(const struct hctx *c, struct hrow *h)
{
	uint64_t target = c->o->batch_target ? c->o->batch_target : 20000;
	uint64_t n = 1, t = 0;
	struct fpb_sample s;
	int ret;

	for (;;) {
		t = UINT64_MAX;
		for (int i = 0; i < 3; i++) {
			memset(&s, 0, sizeof(s));
			ret = h->m->batch(h->m->arg, n, &s);
			if (ret < 0) {
				row_fail(h, "batch failed", -ret);
				return;
			}
			if (s.t < t)
				t = s.t;
		}
		if (t >= target / 4 || n >= MAX_BATCH)
			break;
		n *= 2;
	}
	if (t)
		n = (uint64_t)((double)n * (double)target / (double)t);
	h->n = n < 1 ? 1 : n > MAX_BATCH ? MAX_BATCH : n;
}

/* Did a batch of time t, whose best so far is best, take an interrupt? */
static bool interrupted(const struct hctx *c, double t, double best)
{
	double target = (double)(c->o->batch_target ? c->o->batch_target : 20000);

	return t > best + (best > target / 2 ? best : target / 2);
}

/* One N/2N pair; sets h->ok and h->val (per op) and h->rev. */
static void run_pair(struct hctx *c, struct hrow *h, bool flip)
{
	struct fpb_sample a, b;
	int ra, rb;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	if (!flip) {
		ra = h->m->batch(h->m->arg, h->n, &a);
		rb = ra < 0 ? 0 : h->m->batch(h->m->arg, 2 * h->n, &b);
	} else {
		rb = h->m->batch(h->m->arg, 2 * h->n, &b);
		ra = rb < 0 ? 0 : h->m->batch(h->m->arg, h->n, &a);
	}
	h->ok = false;
	h->suspect = false;
	if (ra < 0 || rb < 0) {
		row_fail(h, "batch failed", ra < 0 ? -ra : -rb);
		return;
	}
	if (c->measuring)
		h->attempts++;
	if (((a.flags | b.flags) & DROP_FLAGS) || (a.cpu >= 0 && b.cpu >= 0 && a.cpu != b.cpu))
		return;
	h->ta = (double)a.t;
	h->tb = (double)b.t;
	if (!h->best_a || h->ta < h->best_a)
		h->best_a = h->ta;
	if (!h->best_b || h->tb < h->best_b)
		h->best_b = h->tb;
	h->val = (h->tb - h->ta) / (double)h->n;
	if (interrupted(c, h->ta, h->best_a) || interrupted(c, h->tb, h->best_b)) {
		h->suspect = true;
		if (++h->nint >= REBASE_AFTER) {
			h->best_a = h->ta;
			h->best_b = h->tb;
			h->nint = 0;
		}
		return;
	}
	h->nint = 0;
	h->ok = true;
	for (unsigned e = 0; e < h->m->nevents && e < FPB_MAX_EVENTS; e++)
		h->rev[e] = ((double)b.ev[e] - (double)a.ev[e]) / (double)h->n;
}

/* A pair only the interrupt filter dropped: keep its sample aside (finish_row's last resort). */
static void keep_suspect(struct hrow *h)
{
	double v;

	if (!h->suspect || (h->base && !h->base->ok && !h->base->suspect))
		return;
	v = h->val - (h->base ? h->base->val : 0);
	if (h->nsus == h->capsus) {
		size_t cap = h->capsus ? 2 * h->capsus : 16;
		double *s = realloc(h->sus, cap * sizeof(*s));

		if (!s)
			return;
		h->sus = s;
		h->capsus = cap;
	}
	h->sus[h->nsus++] = v;
}

static int keep_sample(struct hrow *h, double v, const double *ev)
{
	unsigned ne = h->m->nevents < FPB_MAX_EVENTS ? h->m->nevents : FPB_MAX_EVENTS;

	if (h->ns == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 64;
		double *s = realloc(h->s, cap * sizeof(*s));

		if (!s)
			return -ENOMEM;
		h->s = s;
		if (ne) {
			double *e = realloc(h->ev, cap * ne * sizeof(*e));

			if (!e)
				return -ENOMEM;
			h->ev = e;
		}
		h->cap = cap;
	}
	h->s[h->ns] = v;
	for (unsigned e = 0; e < ne; e++)
		h->ev[h->ns * ne + e] = ev[e];
	h->ns++;
	return 0;
}

/* The sample a row keeps from this round: its own, or its own minus its base's. */
static bool round_value(const struct hrow *h, double *v, double *ev)
{
	if (!h->ok || (h->base && !h->base->ok))
		return false;
	*v = h->val - (h->base ? h->base->val : 0);
	for (unsigned e = 0; e < h->m->nevents && e < FPB_MAX_EVENTS; e++)
		ev[e] = h->rev[e] - (h->base && e < h->base->m->nevents ? h->base->rev[e] : 0);
	return true;
}

static void progress(struct hctx *c, bool force)
{
	size_t done = 0, samples = 0;
	double t = now_s(c);

	if (!c->o->progress || (!force && t - c->last_progress < 0.2))
		return;
	c->last_progress = t;
	for (size_t i = 0; i < c->nr; i++) {
		done += c->r[i].done || c->r[i].failed;
		samples += c->r[i].ns;
	}
	fprintf(stderr, "\rfpbench: %s %zu/%zu rows done, %zu samples, %.1f/%.1f s   ",
		c->measuring ? "measuring" : "warming up", done, c->nr, samples, t - c->t0,
		c->budget);
	fflush(stderr);
}

/* xorshift64*: a fixed seed, so that a run's order is reproducible in tests. */
static uint64_t next_rand(struct hctx *c)
{
	c->rng ^= c->rng >> 12;
	c->rng ^= c->rng << 25;
	c->rng ^= c->rng >> 27;
	return c->rng * 0x2545f4914f6cdd1dull;
}

/* One interleaved round over the active rows, in a random order; returns how many rows ran. */
static size_t run_round(struct hctx *c)
{
	bool flip = c->round & 1;
	size_t ran = 0;

	for (size_t i = c->nr; i > 1; i--) {
		size_t j = (size_t)(next_rand(c) % i), t = c->order[i - 1];

		c->order[i - 1] = c->order[j];
		c->order[j] = t;
	}
	/* A row that must follow another swaps places with it when it came first. */
	for (size_t i = 0; i < c->nr; i++) {
		size_t a = c->r[c->order[i]].after;

		for (size_t j = i + 1; a != SIZE_MAX && j < c->nr; j++)
			if (c->order[j] == a) {
				c->order[j] = c->order[i];
				c->order[i] = a;
				break;
			}
	}
	for (size_t i = 0; i < c->nr; i++) {
		struct hrow *h = &c->r[c->order[i]];

		h->ok = false;
		h->ran = active(c, h);
		if (!h->ran)
			continue;
		run_pair(c, h, flip);
		h->tran = true;
		ran++;
	}
	/* An empty round (a trial's end) does not count: the N/2N order keeps alternating. */
	c->round += ran > 0;
	return ran;
}

static bool over_budget(const struct hctx *c)
{
	return c->budget > 0 && now_s(c) - c->t0 >= c->budget;
}

static void warm_up(struct hctx *c)
{
	double cap = c->o->warmup_max_s;
	double share = c->budget > 0 ? c->budget * WARMUP_SHARE : cap;
	double start = now_s(c);

	if (share < cap)
		cap = share;
	for (int step = 0; step < WARM_MAX_STEPS; step++) {
		bool all = true;

		for (size_t i = 0; i < c->nr; i++)
			c->r[i].nw = 0;
		for (int k = 0; k < WARM_ROUNDS; k++) {
			if (!run_round(c))
				return;
			for (size_t i = 0; i < c->nr; i++) {
				struct hrow *h = &c->r[i];

				/* Settling is judged on each row's own figure, base or not. */
				if (h->ran && h->ok && h->nw < WARM_ROUNDS)
					h->w[h->nw++] = h->val;
			}
			progress(c, false);
		}
		for (size_t i = 0; i < c->nr; i++) {
			struct hrow *h = &c->r[i];
			double med;

			if (h->failed || !h->nw)
				continue;
			med = median_copy(h->w, h->nw);
			h->settled = h->have_prev && dabs(med - h->prev_med) <=
				(WARM_SETTLE * dabs(h->prev_med) > ABS_FLOOR ?
				 WARM_SETTLE * dabs(h->prev_med) : ABS_FLOOR);
			h->prev_med = med;
			h->have_prev = true;
			if (!h->settled)
				all = false;
		}
		if (all && step >= 1)
			return;
		if (cap >= 0 && now_s(c) - start >= cap)
			return;
	}
}

/* Median of a trial's samples (NaN for none). */
static double trial_median(const struct hrow *h, const struct fpb_trial *t)
{
	return t->n ? median_copy(h->s + t->first, t->n) : NAN;
}

/*
 * The trials the estimate uses: the quiet ones when there are enough (MIN_QUIET_TRIALS and at
 * least half), else every trial with samples.  Marks them used, copies their medians into med; returns how many, and the number
 * of quiet ones in *nquiet.
 */
static size_t select_trials(struct hrow *h, double *med, size_t *nquiet)
{
	size_t k = 0, q = 0, all = 0;
	bool quiet_only;

	for (unsigned i = 0; i < h->ntr; i++) {
		q += h->tr[i].n && !h->tr[i].disturbed;
		all += h->tr[i].n > 0;
	}
	/*
	 * A few quiet trials are often neighbours in time (the moment the machine calmed down) and
	 * would agree too well: the busy ones are left out only when the quiet ones are enough and
	 * at least half.
	 */
	quiet_only = q >= MIN_QUIET_TRIALS && 2 * q >= all;
	for (unsigned i = 0; i < h->ntr; i++) {
		struct fpb_trial *t = &h->tr[i];

		t->used = t->n && (!quiet_only || !t->disturbed);
		if (t->used)
			med[k++] = t->median;
	}
	*nquiet = q;
	return k;
}

/* Do the trials of a row disagree (the between-trial interval is not yet tight)? */
static bool disagree(const struct hctx *c, struct hrow *h)
{
	double med[FPB_MAX_TRIALS], centre, lo, hi, half;
	size_t nq, k = select_trials(h, med, &nq);

	if (k < 2 || fpb_stats_two_level(med, k, c->o->ci_level, &centre, &lo, &hi))
		return false;
	half = (hi - lo) / 2;
	return c->o->target_ci_rel > 0 && half > c->o->target_ci_rel * dabs(centre) &&
	       half > CI_ABS_TIGHT;
}

/* Pause until a trial's nominal start (not under a test's virtual clock); true when paused. */
static bool wait_until(struct hctx *c, double t)
{
	double d = t - now_s(c);
	struct timespec ts;

	if (c->o->now_s || d < 0.001)
		return false;
	ts.tv_sec = (time_t)d;
	ts.tv_nsec = (long)((d - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
	return true;
}

/* Kept pairs per row and trial: min_repeats over k0 trials, within max_repeats and the raw cap. */
static size_t trial_quota(const struct hctx *c, unsigned k0, unsigned kmax)
{
	size_t minr = c->o->min_repeats ? c->o->min_repeats : 1;
	size_t maxr = c->o->max_repeats ? c->o->max_repeats : 1;
	size_t q = (minr + k0 - 1) / k0;

	if (q < MIN_TRIAL_PAIRS)
		q = MIN_TRIAL_PAIRS;
	if (q * k0 > maxr)
		q = maxr / k0;
	if (q * kmax > FPB_MAX_RAW_SAMPLES)
		q = FPB_MAX_RAW_SAMPLES / kmax;
	return q ? q : 1;
}

/*
 * One trial: rounds over the rows that want it until each has q pairs; then its record.  The
 * machine's busy time is judged from *a, taken before the pause that led to the trial: /proc/stat
 * counts in 10 ms ticks, and a trial alone is often shorter than one.
 */
static void run_trial(struct hctx *c, size_t q, bool rewarm, const struct fpb_busy_snap *a)
{
	const struct fpb_harness_opts *o = c->o;
	size_t maxr = o->max_repeats ? o->max_repeats : 1;
	struct fpb_busy_snap b;
	double start;

	for (size_t i = 0; i < c->nr; i++)
		c->r[i].done = !c->r[i].want;
	/* After a pause the caches and the host's view of this vCPU are cold again. */
	c->measuring = false;
	for (int k = 0; rewarm && k < REWARM_ROUNDS; k++)
		run_round(c);
	for (size_t i = 0; i < c->nr; i++) {
		c->r[i].tfirst = c->r[i].ns;
		c->r[i].tatt = c->r[i].attempts;
		c->r[i].tran = false;
	}
	start = now_s(c);
	c->measuring = true;
	while (run_round(c)) {
		for (size_t i = 0; i < c->nr; i++) {
			struct hrow *h = &c->r[i];
			double v, ev[FPB_MAX_EVENTS];

			if (!h->ran || h->failed)
				continue;
			if (round_value(h, &v, ev)) {
				if (keep_sample(h, v, ev) < 0) {
					row_fail(h, "keeping samples", ENOMEM);
					continue;
				}
			} else {
				h->dropped++;
				keep_suspect(h);
			}
			if (!h->is_base && (h->ns - h->tfirst >= q || h->ns >= maxr ||
					    h->attempts - h->tatt >= 4 * q + 16))
				h->done = true;
		}
		progress(c, false);
		if (over_budget(c))
			break;
	}
	fpb_busy_take(&b, now_s(c), o->nivcsw);
	for (size_t i = 0; i < c->nr; i++) {
		struct hrow *h = &c->r[i];
		struct fpb_trial *t;

		if (!h->tran || h->failed || h->ntr >= FPB_MAX_TRIALS)
			continue;
		t = &h->tr[h->ntr++];
		memset(t, 0, sizeof(*t));
		t->start_s = start - c->tm0;
		t->end_s = b.t - c->tm0;
		t->first = h->tfirst;
		t->n = h->ns - h->tfirst;
		t->median = trial_median(h, t);
		fpb_busy_between(a, &b, t);
		h->win[h->ntr - 1] = b.t - a->t;
	}
}

/*
 * Involuntary switches judged against the row set's own: the median over its trials is what its
 * workload makes by itself (e.g. a futex ping-pong), not a busy machine.
 */
static void rejudge_switches(struct hctx *c)
{
	double v[FPB_MAX_TRIALS], typical;
	size_t n = 0;

	/* Every row of a trial shares its switch count: one row with the most trials will do. */
	for (size_t i = 0; i < c->nr; i++) {
		struct hrow *h = &c->r[i];

		if (h->ntr > n) {
			n = 0;
			for (unsigned k = 0; k < h->ntr; k++)
				if (h->tr[k].nivcsw >= 0)
					v[n++] = (double)h->tr[k].nivcsw;
		}
	}
	typical = median_copy(v, n);
	for (size_t i = 0; i < c->nr; i++)
		for (unsigned k = 0; k < c->r[i].ntr; k++)
			c->r[i].tr[k].disturbed = fpb_busy_judge(&c->r[i].tr[k], c->r[i].win[k],
								 typical);
}

/*
 * The trials: k0 spread evenly over the span, then (adaptive) more for rows whose trials
 * disagree while the budget lasts.
 */
static void measure(struct hctx *c)
{
	const struct fpb_harness_opts *o = c->o;
	unsigned k0 = o->trials ? (o->trials < FPB_MAX_TRIALS ? o->trials : FPB_MAX_TRIALS) :
		FPB_TRIALS_DEFAULT;
	unsigned kmax = o->trials ? k0 : FPB_MAX_TRIALS;
	size_t maxr = o->max_repeats ? o->max_repeats : 1;
	size_t q;
	double span = o->trial_span_s > 0 ? o->trial_span_s : 0, gap, last = 0;

	/* --repeat below MIN_TRIAL_PAIRS per trial: fewer trials, each still of some pairs. */
	if (maxr / k0 < MIN_TRIAL_PAIRS)
		k0 = maxr / MIN_TRIAL_PAIRS ? (unsigned)(maxr / MIN_TRIAL_PAIRS) : 1;
	if (o->trials)
		kmax = k0;
	q = trial_quota(c, k0, kmax);
	c->tm0 = now_s(c);
	if (c->budget > 0 && span > SPAN_SHARE * (c->budget - (c->tm0 - c->t0)))
		span = SPAN_SHARE * (c->budget - (c->tm0 - c->t0));
	gap = span > 0 ? span / k0 : 0;
	for (unsigned k = 0; k < kmax; k++) {
		bool any = false, paused;
		struct fpb_busy_snap snap;
		double t;

		if (k && over_budget(c))
			break;
		/* An extra trial only when it fits in what is left of the budget. */
		if (k >= k0 && c->budget > 0 && c->tm0 + k * gap + last > c->t0 + c->budget)
			break;
		for (size_t i = 0; i < c->nr; i++) {
			struct hrow *h = &c->r[i];

			h->want = !h->failed && !h->is_base && h->ns < maxr &&
				h->ntr < FPB_MAX_TRIALS && (k < k0 || disagree(c, h));
			any |= h->want;
		}
		if (!any)
			break;
		fpb_busy_take(&snap, now_s(c), o->nivcsw);
		paused = wait_until(c, c->tm0 + k * gap);
		t = now_s(c);
		run_trial(c, q, paused, &snap);
		last = now_s(c) - t;
		rejudge_switches(c);
	}
}

/* Median of the first and the last third of x[0..n) (time order). */
static void thirds(const double *x, size_t n, double *first, double *last)
{
	size_t third = n / 3;

	*first = median_copy(x, third);
	*last = median_copy(x + n - third, third);
}

/*
 * The two-level estimate of a row from its used trials: the statistics of their pooled pairs
 * (spread, minimum, MAD), with the median replaced by the median of the trial medians and the
 * interval by the between-trial interval joined with the pooled one.  Sets *k to the number of
 * trials used and copies their medians (time order) into med.  Returns 0 or -ENOMEM.
 */
static int trial_estimate(struct hctx *c, struct hrow *h, struct fpb_row *row, double *med,
			  size_t *k)
{
	double *pool, centre, lo, hi;
	size_t np = 0, nq;
	int ret;

	*k = select_trials(h, med, &nq);
	if (h->ntr && !nq)
		row->flags |= FPB_ROW_DISTURBED;
	pool = malloc((h->ns ? h->ns : 1) * sizeof(*pool));
	if (!pool)
		return -ENOMEM;
	for (unsigned i = 0; i < h->ntr; i++)
		if (h->tr[i].used) {
			memcpy(pool + np, h->s + h->tr[i].first, h->tr[i].n * sizeof(*pool));
			np += h->tr[i].n;
		}
	ret = fpb_stats_compute(pool, np, c->o->ci_level, &row->st);
	free(pool);
	if (ret < 0)
		return ret;
	if (fpb_stats_two_level(med, *k, c->o->ci_level, &centre, &lo, &hi))
		return -ENOMEM;
	row->st.median = centre;
	row->st.ci_lo = fmin(row->st.ci_lo, lo);
	row->st.ci_hi = fmax(row->st.ci_hi, hi);
	row->st.ci_rel = centre != 0 ? (row->st.ci_hi - row->st.ci_lo) / 2 / dabs(centre) : 0;
	/*
	 * Beside the median, from the same used trials; nothing decides on it.  A difference of
	 * two conditions has none: interference that only adds time to each can move their
	 * difference either way, so its lowest level is no undisturbed cost.
	 */
	ret = h->m->difference ? 0 :
		fpb_stats_trial_floor(med, *k, &row->st.floor, &row->st.floor_lo, &row->st.floor_hi);
	if (ret < 0)
		return ret;
	row->st.floor_trials = (size_t)ret;
	memcpy(row->trials, h->tr, h->ntr * sizeof(*h->tr));
	row->ntrials = h->ntr;
	return 0;
}

static void finish_row(struct hctx *c, struct hrow *h)
{
	const struct fpb_harness_opts *o = c->o;
	struct fpb_row *row = h->m->row;
	unsigned ne = h->m->nevents < FPB_MAX_EVENTS ? h->m->nevents : FPB_MAX_EVENTS;
	double half, first, last, *tmp, med[FPB_MAX_TRIALS];
	size_t k = 0;
	int ret;

	if (!row || row->status != FPB_ROW_MEASURED)
		return;
	row->batch = h->n;
	if (!h->ns && h->nsus) {
		/* Every kept pair failed only the interrupt filter: noise, not a failure. */
		free(h->s);
		h->s = h->sus;
		h->ns = h->nsus;
		h->sus = NULL;
		h->nsus = 0;
		h->dropped -= h->ns;
		ne = 0;		/* no counter samples were kept for them */
		row->flags |= FPB_ROW_UNSTABLE;
		h->ntr = 0;	/* and they belong to no trial */
	}
	row->batches = h->ns;
	row->dropped = h->dropped;
	if (!h->ns) {
		row->status = FPB_ROW_FAILED;
		if (h->dropped)
			snprintf(row->reason, sizeof(row->reason),
				 "no valid sample: all %zu N/2N pairs dropped (migration, state mismatch or fault)",
				 h->dropped);
		else
			snprintf(row->reason, sizeof(row->reason),
				 "no sample before the time budget ran out");
		return;
	}
	ret = h->ntr ? trial_estimate(c, h, row, med, &k) :
		fpb_stats_compute(h->s, h->ns, o->ci_level, &row->st);
	if (ret < 0) {
		row->status = FPB_ROW_FAILED;
		snprintf(row->reason, sizeof(row->reason), "statistics: out of memory");
		return;
	}
	fpb_row_set_raw(row, h->s, h->ns);

	half = (row->st.ci_hi - row->st.ci_lo) / 2;
	if (half > o->unstable_ci_rel * dabs(row->st.median) && half > UNSTABLE_ABS)
		row->flags |= FPB_ROW_UNSTABLE;
	/* Too few pairs for the CI to mean anything (a short budget over slow batches). */
	if (h->ns < MIN_STABLE_SAMPLES || (h->ntr && k < 2))
		row->flags |= FPB_ROW_UNSTABLE;
	/*
	 * Widely spread single samples: said, but not "unstable" by itself; the interval of the
	 * median (above) and the block and drift checks (below) decide whether the figure holds.
	 */
	if (1.4826 * row->st.mad > NOISY_MAD_REL * dabs(row->st.median) &&
	    1.4826 * row->st.mad > UNSTABLE_ABS)
		row->flags |= FPB_ROW_NOISY;
	/* The trials are the time blocks: drift is their last third against their first. */
	if (k >= 3)
		thirds(med, k, &first, &last);
	else if (h->ns >= 9)
		thirds(h->s, h->ns, &first, &last);
	if ((k >= 3 || h->ns >= 9) && dabs(last - first) > o->unstable_drift * dabs(first) &&
	    dabs(last - first) > UNSTABLE_ABS)
		row->flags |= FPB_ROW_DRIFTED | FPB_ROW_UNSTABLE;

	tmp = ne ? malloc(h->ns * sizeof(*tmp)) : NULL;
	for (unsigned e = 0; tmp && e < ne; e++) {
		for (size_t i = 0; i < h->ns; i++)
			tmp[i] = h->ev[i * ne + e];
		fpb_row_add_metric(row, h->m->event_names && h->m->event_names[e] ?
				   h->m->event_names[e] : "event", "per-op", median_copy(tmp, h->ns));
	}
	free(tmp);
}

/*
 * fpb_harness_run() - time the nm measurables of m, rows interleaved, and fill their rows.
 * Returns 0 when at least one row got figures (rows carry their own failures), -EINVAL for
 * bad arguments, -ENOMEM, or -EIO when nothing at all could be measured.
 */
/*
 * A given N (--batch) bounded by the budget: batches of n = 1, 2, 4, ... (at most want) are
 * timed on the budget's clock until one lasts PROBE_S; from its cost per operation, N is capped
 * so that a pair (N and 2N operations) leaves every one of nrows rows BUDGET_PAIRS pairs within
 * the budget.  Without this, --batch=100000000 made single batches of minutes and a run of hours
 * whatever --time-budget said.  Returns N to use (want, or less), 0 when the row failed.
 */
static uint64_t fit_batch(struct hctx *c, struct hrow *h, uint64_t want, size_t nrows)
{
	double per_pair = c->budget / ((double)nrows * BUDGET_PAIRS), dt = 0, max;
	struct fpb_sample s;
	uint64_t n = 1;
	int ret;

	if (c->budget <= 0)
		return want;
	for (;;) {
		double t0 = now_s(c);

		memset(&s, 0, sizeof(s));
		ret = h->m->batch(h->m->arg, n, &s);
		if (ret < 0) {
			row_fail(h, "batch failed", -ret);
			return 0;
		}
		dt = now_s(c) - t0;
		if (dt >= PROBE_S || 2 * n > want || 3 * dt > per_pair)
			break;
		n *= 2;
	}
	if (dt <= 0)
		return want;
	max = per_pair / (3 * dt / (double)n);
	if ((double)want <= max)
		return want;
	return max < 1 ? 1 : (uint64_t)max;
}

int fpb_harness_run(const struct fpb_harness_opts *o, struct fpb_measurable *m, size_t nm)
{
	struct fpb_harness_opts defaults;
	struct hctx c;
	size_t measured = 0, nrun = 0;
	uint64_t capped = 0;

	if (!nm)
		return 0;
	if (!m)
		return -EINVAL;
	if (!o) {
		fpb_harness_default_opts(&defaults);
		o = &defaults;
	}
	memset(&c, 0, sizeof(c));
	c.o = o;
	c.nr = nm;
	c.budget = o->time_budget_s;
	c.r = calloc(nm, sizeof(*c.r));
	c.order = calloc(nm, sizeof(*c.order));
	if (!c.r || !c.order) {
		free(c.r);
		free(c.order);
		return -ENOMEM;
	}
	for (size_t i = 0; i < nm; i++)
		c.order[i] = i;
	c.rng = 0x9e3779b97f4a7c15ull;
	c.t0 = now_s(&c);
	c.last_progress = c.t0;

	for (size_t i = 0; i < nm; i++) {
		struct hrow *h = &c.r[i];

		h->m = &m[i];
		h->after = m[i].after && m[i].after >= m && m[i].after < m + nm &&
			m[i].after != &m[i] ? (size_t)(m[i].after - m) : SIZE_MAX;
		if (!m[i].batch || (m[i].row && m[i].row->status != FPB_ROW_MEASURED))
			h->failed = true;
		if (m[i].minus && m[i].minus >= m && m[i].minus < m + nm && m[i].minus != &m[i]) {
			h->base = &c.r[m[i].minus - m];
			h->base->is_base = true;
		}
	}
	/*
	 * N: the given one (capped to what the budget allows), else chosen per row; a base row
	 * shares its first user's N.
	 */
	for (size_t i = 0; i < nm; i++)
		nrun += !c.r[i].failed;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < nm; i++) {
			struct hrow *h = &c.r[i];

			if (h->failed || (pass == 0 ? h->is_base : h->n != 0))
				continue;
			if (o->batch) {
				h->n = fit_batch(&c, h, o->batch, nrun);
				if (h->n && h->n < o->batch)
					capped = capped > h->n ? capped : h->n;
			} else {
				choose_n(&c, h);
			}
			if (pass == 0 && h->base && !h->base->n)
				h->base->n = h->n;
		}
	}
	if (capped)
		fprintf(stderr, "fpbench: --batch=%llu capped to %llu operations or fewer: a "
			"larger batch does not fit %d pairs of each of %zu rows in the "
			"time budget of %g s\n", (unsigned long long)o->batch,
			(unsigned long long)capped, BUDGET_PAIRS, nrun, c.budget);

	progress(&c, true);
	warm_up(&c);
	measure(&c);

	for (size_t i = 0; i < nm; i++) {
		finish_row(&c, &c.r[i]);
		if (c.r[i].ns)
			measured++;
		free(c.r[i].s);
		free(c.r[i].sus);
		free(c.r[i].ev);
	}
	if (o->progress)
		fprintf(stderr, "\r%78s\r", "");
	free(c.r);
	free(c.order);
	return measured ? 0 : -EIO;
}
