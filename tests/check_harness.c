// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check_harness.c - the measuring loop against fake measurables on a virtual clock.
 *
 * A fake batch of n operations "takes" fixed + per_op * n timer units plus deterministic
 * pseudo-noise, and advances a virtual clock by that many nanoseconds, so the time budget is
 * checked without any real-time threshold.  The harness must recover per_op through N/2N
 * differencing, count dropped pairs, flag a drifting row, interleave rows with the N/2N order
 * alternating, honour the budget, and subtract a paired baseline.
 */
#include "config.h"
#include <check.h>
#include <math.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>
#include "harness.h"
#include "timer.h"
#include "cpu.h"
#include "verdict.h"

struct fake {
	int id;
	double fixed, per_op;
	double noise;		/* amplitude of the pseudo-noise, timer units per batch */
	double grow;		/* per-op cost grows by this fraction per call */
	unsigned drop_every;	/* every k-th call is flagged (FAULT), 0: never */
	unsigned burst_from, burst_to;	/* calls in [from, to) cost 25% more per op */
	unsigned migrate_every;	/* every k-th call ends on another CPU, 0: never */
	int fail_with;		/* batch returns this (negative errno) when non-zero */
	uint64_t ev_per_op;	/* fake counter: ev[0] = ev_per_op * n + 11 */
	unsigned spike_every;	/* every k-th call takes spike units more, 0: never */
	double spike;
	unsigned slow_from;	/* calls from this one on cost slow x fixed, 0: never */
	double slow;
	unsigned calls;
	uint32_t rng;
};

#define LOG_MAX 200000
static struct {
	int id;
	uint64_t n;
} call_log[LOG_MAX];
static size_t nlog;
static double vclock_ns;

static double virtual_now(void)
{
	return vclock_ns * 1e-9;
}

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

/*
 * A synthetic /proc/stat (FPB_PROC_STAT): every batch call adds a tick to each CPU, busy while
 * stat_busy_from <= calls < stat_busy_to (counted over all fakes), idle otherwise.  Every CPU
 * gets the same ticks, so "the other CPUs" read the same whichever CPU the test runs on.
 */
static char stat_path[64];
static unsigned long long stat_busy, stat_idle;
static unsigned stat_calls, stat_busy_from, stat_busy_to;

static void stat_tick(void)
{
	FILE *f;

	if (!stat_path[0])
		return;
	if (stat_calls >= stat_busy_from && stat_calls < stat_busy_to)
		stat_busy++;
	else
		stat_idle++;
	stat_calls++;
	f = fopen(stat_path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "cpu  %llu 0 0 %llu 0 0 0 0 0 0\n", 4 * stat_busy, 4 * stat_idle);
	for (int c = 0; c < 4; c++)
		fprintf(f, "cpu%d %llu 0 0 %llu 0 0 0 0 0 0\n", c, stat_busy, stat_idle);
	fputs("intr 0\n", f);
	fclose(f);
}

static long no_switches(void)
{
	return 0;
}

/* Involuntary switches: sw_per_call on every batch call, sw_burst more in [from, to). */
static long sw_count, sw_per_call, sw_burst;
static unsigned sw_from, sw_to;

static long fake_switches(void)
{
	return sw_count;
}

static void sw_tick(void)
{
	sw_count += sw_per_call;
	if (stat_calls >= sw_from && stat_calls < sw_to)
		sw_count += sw_burst;
}

static int fake_batch(void *arg, uint64_t n, struct fpb_sample *out)
{
	struct fake *f = arg;

	sw_tick();
	stat_tick();
	double noise = f->noise * (double)(lcg(&f->rng) % 1000) / 1000.0;
	double per_op = f->per_op * (1 + f->grow * f->calls);

	if (f->calls >= f->burst_from && f->calls < f->burst_to)
		per_op *= 1.25;
	double t;

	f->calls++;
	if (nlog < LOG_MAX) {
		call_log[nlog].id = f->id;
		call_log[nlog].n = n;
		nlog++;
	}
	if (f->fail_with)
		return f->fail_with;
	if (f->grow > 0)
		noise *= 1 + f->grow * f->calls * 20;
	t = f->fixed * (f->slow_from && f->calls >= f->slow_from ? f->slow : 1) +
	    per_op * (double)n + noise;
	if (f->spike_every && f->calls % f->spike_every == 0)
		t += f->spike;
	vclock_ns += t;
	memset(out, 0, sizeof(*out));
	out->t = (uint64_t)t;
	out->cpu = 1;
	if (f->drop_every && f->calls % f->drop_every == 0)
		out->flags |= FPB_SAMPLE_FAULT;
	if (f->migrate_every && f->calls % f->migrate_every == 0)
		out->cpu = 0;
	out->ev[0] = f->ev_per_op * n + 11;
	return 0;
}

static void opts(struct fpb_harness_opts *o)
{
	fpb_harness_default_opts(o);
	o->now_s = virtual_now;
	o->time_budget_s = 5.0;
	o->warmup_max_s = 0.2;
	o->max_repeats = 400;
	o->nivcsw = no_switches;
}

static void setup(void)
{
	nlog = 0;
	vclock_ns = 0;
	/* No busy machine unless a test writes its own stat file. */
	stat_path[0] = 0;
	stat_calls = 0;
	stat_busy = stat_idle = 0;
	stat_busy_from = stat_busy_to = 0;
	sw_count = sw_per_call = sw_burst = 0;
	sw_from = sw_to = 0;
	setenv("FPB_PROC_STAT", "/nonexistent/fpbench-stat", 1);
}

static void fake_init(struct fake *f, int id, double per_op)
{
	memset(f, 0, sizeof(*f));
	f->id = id;
	f->fixed = 1000;
	f->per_op = per_op;
	f->noise = 200;
	f->rng = 12345u + (uint32_t)id * 77u;
}

static void meas_init(struct fpb_measurable *m, struct fake *f, struct fpb_row *row)
{
	memset(m, 0, sizeof(*m));
	memset(row, 0, sizeof(*row));
	row->status = FPB_ROW_MEASURED;
	m->batch = fake_batch;
	m->arg = f;
	m->row = row;
}

START_TEST(test_recovers_per_op)
{
	struct fpb_harness_opts o;
	struct fpb_measurable m;
	struct fpb_row row;
	struct fake f;

	opts(&o);
	fake_init(&f, 0, 37);
	meas_init(&m, &f, &row);
	ck_assert_int_eq(fpb_harness_run(&o, &m, 1), 0);
	ck_assert_msg(row.status == FPB_ROW_MEASURED, "status: want measured, got %d (%s)",
		      row.status, row.reason);
	ck_assert_msg(fabs(row.st.median - 37) < 0.5, "median: want 37 +- 0.5, got %g",
		      row.st.median);
	ck_assert_msg(row.st.ci_lo <= 37.5 && row.st.ci_hi >= 36.5, "CI [%g, %g] misses 37",
		      row.st.ci_lo, row.st.ci_hi);
	/* batch of N lasts ~batch_target (20000): N = 20000 * 128 / (1000 + 37 * 128 + noise) */
	ck_assert_msg(row.batch > 300 && row.batch < 600, "N: want ~450, got %llu",
		      (unsigned long long)row.batch);
	ck_assert_msg(row.batches >= o.min_repeats, "pairs: want >= %u, got %zu", o.min_repeats,
		      row.batches);
	ck_assert_uint_eq(row.dropped, 0);
	ck_assert_msg(row.nraw == row.batches, "raw: want %zu, got %zu", row.batches, row.nraw);
	ck_assert_msg(!(row.flags & (FPB_ROW_UNSTABLE | FPB_ROW_DRIFTED)), "flags: want none, got %#x",
		      row.flags);
	free(row.raw);
}
END_TEST

START_TEST(test_fixed_batch_and_events)
{
	static const char *const names[] = { "fake-events" };
	struct fpb_harness_opts o;
	struct fpb_measurable m;
	struct fpb_row row;
	struct fake f;

	opts(&o);
	o.batch = 1000;
	fake_init(&f, 0, 12.5);
	f.ev_per_op = 3;
	meas_init(&m, &f, &row);
	m.nevents = 1;
	m.event_names = names;
	ck_assert_int_eq(fpb_harness_run(&o, &m, 1), 0);
	ck_assert_uint_eq(row.batch, 1000);
	ck_assert_msg(fabs(row.st.median - 12.5) < 0.3, "median: want 12.5, got %g", row.st.median);
	ck_assert_uint_eq(row.nmetrics, 1);
	ck_assert_str_eq(row.metrics[0].name, "fake-events");
	ck_assert_msg(fabs(row.metrics[0].value - 3) < 1e-9, "event per op: want 3, got %g",
		      row.metrics[0].value);
	free(row.raw);
}
END_TEST

START_TEST(test_dropped)
{
	struct fpb_harness_opts o;
	struct fpb_measurable m[2];
	struct fpb_row row[2];
	struct fake f[2];

	opts(&o);
	fake_init(&f[0], 0, 37);
	fake_init(&f[1], 1, 37);
	f[1].drop_every = 7;
	f[1].migrate_every = 11;
	meas_init(&m[0], &f[0], &row[0]);
	meas_init(&m[1], &f[1], &row[1]);
	ck_assert_int_eq(fpb_harness_run(&o, m, 2), 0);
	ck_assert_msg(row[0].dropped == 0, "clean row dropped %zu pairs", row[0].dropped);
	ck_assert_msg(row[1].dropped > 0, "flagged row: want dropped > 0, got 0");
	/* one pair is two calls; warm-up and N selection calls come on top */
	ck_assert_msg(2 * (row[1].batches + row[1].dropped) <= f[1].calls,
		      "pairs kept %zu + dropped %zu exceed calls %u / 2", row[1].batches,
		      row[1].dropped, f[1].calls);
	ck_assert_msg(fabs(row[1].st.median - 37) < 0.5, "median with drops: want 37, got %g",
		      row[1].st.median);
	free(row[0].raw);
	free(row[1].raw);
}
END_TEST

START_TEST(test_all_dropped)
{
	struct fpb_harness_opts o;
	struct fpb_measurable m;
	struct fpb_row row;
	struct fake f;

	opts(&o);
	o.max_repeats = 20;
	fake_init(&f, 0, 37);
	f.drop_every = 1;
	meas_init(&m, &f, &row);
	ck_assert_int_eq(fpb_harness_run(&o, &m, 1), -EIO);
	ck_assert_msg(row.status == FPB_ROW_FAILED, "status: want failed, got %d", row.status);
	ck_assert_msg(strstr(row.reason, "dropped") != NULL, "reason: want 'dropped', got '%s'",
		      row.reason);
	free(row.raw);
}
END_TEST

/* ~0 cost per op: batch time constant plus rare huge spikes (a ring-0 empty kernel under TCG). */
static void zero_cost_init(struct fake *f, struct fpb_measurable *m, struct fpb_row *row)
{
	fake_init(f, 0, 0);
	f->fixed = 15000;
	f->noise = 0;
	f->spike_every = 97;
	f->spike = 5e6;
	meas_init(m, f, row);
}

START_TEST(test_zero_cost_spikes)
{
	struct fpb_harness_opts o;
	struct fpb_measurable m;
	struct fpb_row row;
	struct fake f;

	opts(&o);
	zero_cost_init(&f, &m, &row);
	ck_assert_int_eq(fpb_harness_run(&o, &m, 1), 0);
	ck_assert_msg(row.status == FPB_ROW_MEASURED, "spikes: want measured, got %d (%s)",
		      row.status, row.reason);
	ck_assert_msg(row.st.median > -0.5 && row.st.median < 0.5,
		      "spikes: want median ~0 units/op, got %g", row.st.median);
	ck_assert_msg(row.dropped > 0, "spikes: want the spiked pairs dropped, got 0 dropped");
	ck_assert_msg(row.st.min > -0.5 && row.st.max < 0.5,
		      "spikes: want no spiked sample kept, got min %g max %g", row.st.min,
		      row.st.max);
	free(row.raw);
}
END_TEST

START_TEST(test_zero_cost_slowdown)
{
	struct fpb_harness_opts o;
	struct fpb_measurable m;
	struct fpb_row row;
	struct fake f;

	/* The first batches were lucky (4x faster): the filter's best time goes stale. */
	opts(&o);
	o.max_repeats = 40;
	zero_cost_init(&f, &m, &row);
	f.slow_from = 8;
	f.slow = 4;
	ck_assert_int_eq(fpb_harness_run(&o, &m, 1), 0);
	ck_assert_msg(row.status == FPB_ROW_MEASURED, "slowdown: want measured, got %d (%s)",
		      row.status, row.reason);
	ck_assert_msg(row.batches >= 20, "slowdown: want >= 20 pairs kept, got %zu (%zu dropped)",
		      (size_t)row.batches, (size_t)row.dropped);
	ck_assert_msg(row.st.median > -0.5 && row.st.median < 0.5,
		      "slowdown: want median ~0 units/op, got %g", row.st.median);
	free(row.raw);

	/* A budget too short to rebase: every pair dropped by the filter is noise, not a failure. */
	opts(&o);
	o.time_budget_s = 1.5e-3;
	zero_cost_init(&f, &m, &row);
	f.slow_from = 8;
	f.slow = 4;
	f.spike_every = 0;
	ck_assert_int_eq(fpb_harness_run(&o, &m, 1), 0);
	ck_assert_msg(row.status == FPB_ROW_MEASURED, "short run: want measured, got %d (%s)",
		      row.status, row.reason);
	ck_assert_msg(row.flags & FPB_ROW_UNSTABLE, "short run: want unstable, got flags %#x",
		      row.flags);
	ck_assert_msg(row.batches > 0 && row.st.median > -0.5 && row.st.median < 0.5,
		      "short run: want samples at ~0 units/op, got %zu at median %g",
		      (size_t)row.batches, row.st.median);
	free(row.raw);
}
END_TEST

START_TEST(test_batch_error)
{
	struct fpb_harness_opts o;
	struct fpb_measurable m[2];
	struct fpb_row row[2];
	struct fake f[2];

	opts(&o);
	fake_init(&f[0], 0, 37);
	fake_init(&f[1], 1, 37);
	f[1].fail_with = -EIO;
	meas_init(&m[0], &f[0], &row[0]);
	meas_init(&m[1], &f[1], &row[1]);
	ck_assert_int_eq(fpb_harness_run(&o, m, 2), 0);
	ck_assert_int_eq(row[0].status, FPB_ROW_MEASURED);
	ck_assert_msg(row[1].status == FPB_ROW_FAILED, "failing row: want failed, got %d",
		      row[1].status);
	ck_assert_msg(row[1].reason[0], "failing row: want a reason, got none");
	free(row[0].raw);
	free(row[1].raw);
}
END_TEST

START_TEST(test_drift)
{
	struct fpb_harness_opts o;
	struct fpb_measurable m;
	struct fpb_row row;
	struct fake f;

	opts(&o);
	o.target_ci_rel = 0;	/* never satisfied: run to max_repeats */
	o.max_repeats = 300;
	fake_init(&f, 0, 37);
	f.grow = 0.001;		/* cost and noise grow with every call */
	meas_init(&m, &f, &row);
	ck_assert_int_eq(fpb_harness_run(&o, &m, 1), 0);
	ck_assert_msg(row.batches >= o.min_repeats && row.batches <= 300, "pairs: got %zu",
		      row.batches);
	ck_assert_msg(row.flags & FPB_ROW_DRIFTED, "flags: want drifted, got %#x (drift %g)",
		      row.flags, row.st.drift);
	ck_assert_msg(row.flags & FPB_ROW_UNSTABLE, "flags: want unstable, got %#x", row.flags);
	ck_assert_msg(row.st.drift > 0.05, "drift: want > 5%%, got %g", row.st.drift);
	free(row.raw);
}
END_TEST

START_TEST(test_burst)
{
	struct fpb_harness_opts o;
	struct fpb_measurable m;
	struct fpb_row row;
	struct fake f;

	opts(&o);
	o.batch = 500;
	o.target_ci_rel = 0;
	o.min_repeats = o.max_repeats = 500;
	fake_init(&f, 0, 37);
	/* a burst in the middle of the measurement: no trend, but blocks disagree */
	f.burst_from = 500;
	f.burst_to = 700;
	meas_init(&m, &f, &row);
	ck_assert_int_eq(fpb_harness_run(&o, &m, 1), 0);
	ck_assert_msg(row.flags & FPB_ROW_UNSTABLE, "burst: want unstable, got flags %#x",
		      row.flags);
	ck_assert_msg(!(row.flags & FPB_ROW_DRIFTED), "burst: want no drift, got flags %#x",
		      row.flags);
	free(row.raw);
}
END_TEST

START_TEST(test_noisy)
{
	struct fpb_harness_opts o;
	struct fpb_measurable m;
	struct fpb_row row;
	struct fake f;

	opts(&o);
	o.batch = 100;
	o.target_ci_rel = 0;
	o.min_repeats = o.max_repeats = 400;
	fake_init(&f, 0, 37);
	f.noise = 2000;		/* +-20 units/op spread: busy machine */
	meas_init(&m, &f, &row);
	ck_assert_int_eq(fpb_harness_run(&o, &m, 1), 0);
	/* Spread single samples are noisy; the median's interval still holds the true cost. */
	ck_assert_msg(row.flags & FPB_ROW_NOISY, "noisy: want noisy, got flags %#x (mad %g)",
		      row.flags, row.st.mad);
	ck_assert_msg(row.st.ci_lo <= 37 && row.st.ci_hi >= 37, "noisy: CI [%g, %g] misses 37",
		      row.st.ci_lo, row.st.ci_hi);
	free(row.raw);
}
END_TEST

START_TEST(test_empty_is_zero)
{
	struct fpb_harness_opts o;
	struct fpb_measurable m;
	struct fpb_row row;
	struct fake f;

	opts(&o);
	fake_init(&f, 0, 0);
	meas_init(&m, &f, &row);
	ck_assert_int_eq(fpb_harness_run(&o, &m, 1), 0);
	ck_assert_msg(fabs(row.st.median) < 0.01, "empty: want 0, got %g", row.st.median);
	ck_assert_msg(!(row.flags & FPB_ROW_UNSTABLE), "empty row flagged unstable (%#x)",
		      row.flags);
	free(row.raw);
}
END_TEST

START_TEST(test_interleaving)
{
	struct fpb_harness_opts o;
	struct fpb_measurable m[3];
	struct fpb_row row[3];
	struct fake f[3];
	size_t rounds, probes;
	bool shuffled = false;

	opts(&o);
	o.batch = 100;
	o.target_ci_rel = 0;
	o.min_repeats = o.max_repeats = 20;
	for (int i = 0; i < 3; i++) {
		fake_init(&f[i], i, 10 + i);
		meas_init(&m[i], &f[i], &row[i]);
	}
	ck_assert_int_eq(fpb_harness_run(&o, m, 3), 0);
	/* First the probes that check the given N against the budget: n = 1, 2, .. 64 a row. */
	for (probes = 0; probes < nlog && call_log[probes].n < 100; probes++)
		;
	ck_assert_msg(probes == 3 * 7, "probes: want 3 rows x 7 (n = 1..64), got %zu", probes);
	ck_assert_msg((nlog - probes) % 6 == 0, "calls: want a multiple of 6 (3 rows x 2), got %zu",
		      nlog - probes);
	rounds = (nlog - probes) / 6;
	ck_assert_msg(rounds >= 20, "rounds: want >= 20, got %zu", rounds);
	for (size_t r = 0; r < rounds; r++) {
		/* within a round: every row once, a pair in the round's N/2N order */
		uint64_t first = (r % 2 == 0) ? 100 : 200;
		unsigned seen = 0;

		for (int i = 0; i < 3; i++) {
			size_t k = probes + r * 6 + (size_t)i * 2;

			ck_assert_msg(call_log[k].id == call_log[k + 1].id,
				      "round %zu slot %d: want one row twice, got %d, %d", r, i,
				      call_log[k].id, call_log[k + 1].id);
			seen |= 1u << call_log[k].id;
			ck_assert_msg(call_log[k].n == first && call_log[k + 1].n == 300 - first,
				      "round %zu slot %d: want n %llu then %llu, got %llu then %llu",
				      r, i, (unsigned long long)first,
				      (unsigned long long)(300 - first),
				      (unsigned long long)call_log[k].n,
				      (unsigned long long)call_log[k + 1].n);
		}
		ck_assert_msg(seen == 7, "round %zu: want rows 0, 1, 2 once each, got mask %#x", r,
			      seen);
		/* the order is random: some round does not start with row 0 */
		if (call_log[probes + r * 6].id != 0)
			shuffled = true;
	}
	ck_assert_msg(shuffled, "rounds: every one in registry order, want a random order");
	for (int i = 0; i < 3; i++) {
		ck_assert_msg(row[i].batches >= 20, "row %d: pairs %zu", i, row[i].batches);
		ck_assert_msg(fabs(row[i].st.median - (10 + i)) < 1.5, "row %d: want %d, got %g", i,
			      10 + i, row[i].st.median);
		free(row[i].raw);
	}
}
END_TEST

START_TEST(test_budget)
{
	struct fpb_harness_opts o;
	struct fpb_measurable m[2];
	struct fpb_row row[2];
	struct fake f[2];
	/* one round: two rows x (N + 2N) with N = 1000: about 2 * (2000 + 37 * 3000 + 400) ns */
	double round_s = 2 * (2 * 1000 + 37.0 * 3000 + 400) * 1e-9;

	opts(&o);
	o.batch = 1000;
	o.target_ci_rel = 0;
	o.max_repeats = 1000000;
	o.time_budget_s = 0.05;
	for (int i = 0; i < 2; i++) {
		fake_init(&f[i], i, 37);
		meas_init(&m[i], &f[i], &row[i]);
	}
	ck_assert_int_eq(fpb_harness_run(&o, m, 2), 0);
	ck_assert_msg(virtual_now() <= o.time_budget_s + round_s,
		      "budget: want stop by %g s, stopped at %g s", o.time_budget_s + round_s,
		      virtual_now());
	for (int i = 0; i < 2; i++) {
		ck_assert_msg(row[i].batches > 0 && row[i].batches < 1000,
			      "row %d pairs: want 1..999 within the budget, got %zu", i,
			      row[i].batches);
		free(row[i].raw);
	}
}
END_TEST

/*
 * A given N far larger than the budget allows (--batch=100000000 --time-budget=1, also with
 * --repeat=1): N is capped, the run ends within a small multiple of the budget on the virtual
 * clock (a batch of 1e8 ops at 37 ns would take 3.7 s, a pair 11 s), and the rows record the N
 * actually used.
 */
START_TEST(test_budget_bounds_batch)
{
	struct fpb_harness_opts o;
	struct fpb_measurable m[2];
	struct fpb_row row[2];
	struct fake f[2];

	for (int repeat = 0; repeat < 2; repeat++) {
		nlog = 0;
		vclock_ns = 0;
		opts(&o);
		o.batch = 100000000;
		o.time_budget_s = 1;
		o.warmup_max_s = 1;
		if (repeat)
			o.min_repeats = o.max_repeats = 1;
		for (int i = 0; i < 2; i++) {
			fake_init(&f[i], i, 37);
			meas_init(&m[i], &f[i], &row[i]);
		}
		ck_assert_int_eq(fpb_harness_run(&o, m, 2), 0);
		ck_assert_msg(virtual_now() <= 2 * o.time_budget_s, "--batch=1e8 --time-budget=1%s:"
			      " want done within 2 s, took %g s", repeat ? " --repeat=1" : "",
			      virtual_now());
		for (int i = 0; i < 2; i++) {
			ck_assert_msg(row[i].batch >= 1 && row[i].batch < o.batch,
				      "row %d: expected a capped N recorded, got %llu", i,
				      (unsigned long long)row[i].batch);
			ck_assert_msg(row[i].batches >= 1, "row %d: expected pairs", i);
			free(row[i].raw);
		}
	}
	/* A small given N is kept as it is. */
	nlog = 0;
	vclock_ns = 0;
	opts(&o);
	o.batch = 1000;
	fake_init(&f[0], 0, 37);
	meas_init(&m[0], &f[0], &row[0]);
	ck_assert_int_eq(fpb_harness_run(&o, m, 1), 0);
	ck_assert_uint_eq(row[0].batch, 1000);
	free(row[0].raw);
}
END_TEST

START_TEST(test_minus)
{
	struct fpb_harness_opts o;
	struct fpb_measurable m[2];
	struct fpb_row row[2];
	struct fake f[2];

	opts(&o);
	fake_init(&f[0], 0, 50);	/* kernel with its per-op preparation */
	fake_init(&f[1], 1, 13);	/* preparation only */
	meas_init(&m[0], &f[0], &row[0]);
	meas_init(&m[1], &f[1], &row[1]);
	m[0].minus = &m[1];
	ck_assert_int_eq(fpb_harness_run(&o, m, 2), 0);
	ck_assert_msg(fabs(row[0].st.median - 37) < 0.5, "paired difference: want 37, got %g",
		      row[0].st.median);
	ck_assert_msg(fabs(row[1].st.median - 13) < 0.5, "baseline: want 13, got %g",
		      row[1].st.median);
	ck_assert_msg(row[0].batch == row[1].batch, "baseline N %llu != row N %llu",
		      (unsigned long long)row[1].batch, (unsigned long long)row[0].batch);
	ck_assert_msg(row[1].batches >= row[0].batches, "baseline stopped early: %zu < %zu",
		      row[1].batches, row[0].batches);
	free(row[0].raw);
	free(row[1].raw);
}
END_TEST

static void est_of(const struct fpb_row *row, struct fpb_estimate *e)
{
	e->centre = row->st.median;
	e->lo = row->st.ci_lo;
	e->hi = row->st.ci_hi;
	e->disturbed = row->flags & FPB_ROW_DISTURBED;
}

/* One row of 450 pairs (N = 500) in 9 trials; cost 25% higher over calls [from, to). */
static void burst_run(struct fpb_row *row, unsigned from, unsigned to, unsigned *calls)
{
	struct fpb_harness_opts o;
	struct fpb_measurable m;
	struct fake f;

	opts(&o);
	o.batch = 500;
	o.trials = 9;
	o.min_repeats = o.max_repeats = 450;
	fake_init(&f, 0, 37);
	f.burst_from = from;
	f.burst_to = to;
	meas_init(&m, &f, row);
	ck_assert_int_eq(fpb_harness_run(&o, &m, 1), 0);
	ck_assert_int_eq(row->status, FPB_ROW_MEASURED);
	if (calls)
		*calls = f.calls;
}

START_TEST(test_trials_recorded)
{
	struct fpb_row row;
	size_t sum = 0;

	burst_run(&row, 0, 0, NULL);
	ck_assert_uint_eq(row.ntrials, 9);
	for (unsigned i = 0; i < row.ntrials; i++) {
		const struct fpb_trial *t = &row.trials[i];

		ck_assert_msg(t->first == sum, "trial %u: first %zu, want %zu", i, t->first, sum);
		ck_assert_msg(t->n == 50, "trial %u: %zu pairs, want 50", i, t->n);
		ck_assert_msg(t->used && !t->disturbed, "trial %u: want used and quiet", i);
		ck_assert_msg(fabs(t->median - 37) < 0.5, "trial %u: median %g", i, t->median);
		ck_assert_msg(!i || t->start_s >= row.trials[i - 1].end_s, "trial %u: out of order", i);
		sum += t->n;
	}
	ck_assert_uint_eq(sum, row.nraw);
	free(row.raw);
}
END_TEST

/*
 * A burst covering 30% of the row's measuring time moves the estimate no further than its
 * stated interval: the clean cost stays inside the burst run's interval, and the burst run's
 * figure inside the clean run's.
 */
START_TEST(test_burst_estimate_holds)
{
	struct fpb_row clean, burst;
	unsigned calls, warm;

	burst_run(&clean, 0, 0, &calls);
	warm = calls - 2 * 450;		/* N/2N pairs measured; the rest warmed up */
	burst_run(&burst, warm + 2 * 150, warm + 2 * 285, NULL);
	ck_assert_msg(burst.st.ci_lo <= 37 && burst.st.ci_hi >= 37,
		      "burst run: interval [%g, %g] misses 37", burst.st.ci_lo, burst.st.ci_hi);
	ck_assert_msg(burst.st.median >= clean.st.ci_lo && burst.st.median <= clean.st.ci_hi,
		      "burst run: %g outside the clean interval [%g, %g]", burst.st.median,
		      clean.st.ci_lo, clean.st.ci_hi);
	free(clean.raw);
	free(burst.raw);
}
END_TEST

/* Two runs with bursts at different moments are not different; a 5% scaled copy is. */
START_TEST(test_burst_runs_verdict)
{
	struct fpb_row a, b, clean;
	struct fpb_estimate ea, eb, ec, es;
	struct fpb_change ch;
	unsigned calls, warm;

	burst_run(&clean, 0, 0, &calls);
	warm = calls - 2 * 450;
	burst_run(&a, warm + 2 * 50, warm + 2 * 150, NULL);
	burst_run(&b, warm + 2 * 300, warm + 2 * 420, NULL);
	est_of(&a, &ea);
	est_of(&b, &eb);
	fpb_verdict_change(&ea, &eb, 0, &ch);
	ck_assert_msg(!fpb_verdict_significant(ch.verdict), "burst runs called %s (%+.2f%%)",
		      fpb_verdict_name(ch.verdict), ch.rel * 100);
	est_of(&clean, &ec);
	fpb_row_scale(&clean, 1.05);
	est_of(&clean, &es);
	fpb_verdict_change(&ec, &es, 0.03, &ch);
	ck_assert_msg(ch.verdict == FPB_VERDICT_HIGHER, "scaled copy: %s (%+.2f%% [%g, %g])",
		      fpb_verdict_name(ch.verdict), ch.rel * 100, ch.lo, ch.hi);
	free(a.raw);
	free(b.raw);
	free(clean.raw);
}
END_TEST

/*
 * A host that is slow for most of the run (6 of 9 trials 25% dearer, as this VM's xsave reads
 * with its host busy): the median stays the median of the trial medians, the trial floor finds
 * the undisturbed cost beside it; two trials, or a difference row, give no floor.
 */
START_TEST(test_trial_floor_recorded)
{
	struct fpb_row row;
	struct fpb_harness_opts o;
	struct fpb_measurable m;
	struct fake f;
	double med[FPB_MAX_TRIALS], c, lo, hi;
	unsigned calls, warm;
	size_t k = 0;

	burst_run(&row, 0, 0, &calls);
	ck_assert_msg(row.st.floor_trials >= 2 && fabs(row.st.floor - 37) < 0.5,
		      "quiet: floor %g of %zu trials", row.st.floor, row.st.floor_trials);
	free(row.raw);
	warm = calls - 2 * 450;
	burst_run(&row, warm + 2 * 150, warm + 2 * 450, NULL);
	ck_assert_uint_eq(row.ntrials, 9);
	for (unsigned i = 0; i < row.ntrials; i++)
		if (row.trials[i].used)
			med[k++] = row.trials[i].median;
	ck_assert_int_eq(fpb_stats_two_level(med, k, 0.95, &c, &lo, &hi), 0);
	ck_assert_msg(row.st.median == c && fabs(c - 37 * 1.25) < 0.5,
		      "median %g, want the trials' %g", row.st.median, c);
	ck_assert_msg(row.st.floor_trials == 3 && fabs(row.st.floor - 37) < 0.5 &&
		      row.st.floor_lo <= row.st.floor && row.st.floor <= row.st.floor_hi,
		      "bimodal: floor %g [%g, %g] of %zu trials", row.st.floor, row.st.floor_lo,
		      row.st.floor_hi, row.st.floor_trials);
	free(row.raw);

	opts(&o);
	o.batch = 500;
	o.trials = 2;
	o.min_repeats = o.max_repeats = 100;
	fake_init(&f, 0, 37);
	meas_init(&m, &f, &row);
	ck_assert_int_eq(fpb_harness_run(&o, &m, 1), 0);
	ck_assert_uint_eq(row.ntrials, 2);
	ck_assert_msg(row.st.floor_trials == 0, "2 trials: want no floor, got %g of %zu",
		      row.st.floor, row.st.floor_trials);
	free(row.raw);

	/* A difference of two conditions: none either, however many trials. */
	o.trials = 9;
	o.min_repeats = o.max_repeats = 450;
	fake_init(&f, 0, 37);
	meas_init(&m, &f, &row);
	m.difference = true;
	ck_assert_int_eq(fpb_harness_run(&o, &m, 1), 0);
	ck_assert_uint_eq(row.ntrials, 9);
	ck_assert_msg(row.st.floor_trials == 0, "difference row: want no floor, got %g",
		      row.st.floor);
	free(row.raw);
}
END_TEST

/* A synthetic /proc/stat busy during some trials: those are marked and left out. */
START_TEST(test_busy_trials_marked)
{
	struct fpb_row row;
	unsigned calls, warm, busy = 0;

	burst_run(&row, 0, 0, &calls);
	free(row.raw);
	warm = calls - 2 * 450;
	snprintf(stat_path, sizeof(stat_path), "/tmp/fpb-stat-%d", (int)getpid());
	setenv("FPB_PROC_STAT", stat_path, 1);
	/* busy through trials 3 and 4 (100 pairs from pair 150), burst cost there too */
	stat_busy_from = warm + 2 * 150;
	stat_busy_to = warm + 2 * 250;
	burst_run(&row, warm + 2 * 150, warm + 2 * 250, NULL);
	ck_assert_uint_eq(row.ntrials, 9);
	for (unsigned i = 0; i < row.ntrials; i++) {
		bool want = i == 3 || i == 4;

		ck_assert_msg(row.trials[i].disturbed == want,
			      "trial %u: disturbed %d, want %d (busy %g)", i,
			      row.trials[i].disturbed, want, row.trials[i].busy_other);
		ck_assert_msg(row.trials[i].used == !want, "trial %u: used %d", i,
			      row.trials[i].used);
		busy += row.trials[i].disturbed;
	}
	ck_assert_uint_eq(busy, 2);
	ck_assert_msg(!(row.flags & FPB_ROW_DISTURBED), "row flagged disturbed");
	/* the busy trials' burst is left out: the interval stays tight around 37 */
	ck_assert_msg(row.st.ci_lo <= 37 && row.st.ci_hi >= 37 && row.st.ci_hi < 38,
		      "interval [%g, %g]", row.st.ci_lo, row.st.ci_hi);
	free(row.raw);

	/* busy all along: every trial used, the row disturbed, its comparisons inconclusive */
	stat_calls = 0;
	stat_busy_from = 0;
	stat_busy_to = ~0u;
	burst_run(&row, 0, 0, NULL);
	ck_assert_msg(row.flags & FPB_ROW_DISTURBED, "all busy: want disturbed, got %#x",
		      row.flags);
	for (unsigned i = 0; i < row.ntrials; i++)
		ck_assert_msg(row.trials[i].disturbed && row.trials[i].used, "trial %u", i);
	{
		struct fpb_estimate e, q = { 37, 36.9, 37.1, false };
		struct fpb_change ch;

		est_of(&row, &e);
		fpb_verdict_change(&q, &e, 0, &ch);
		ck_assert_int_eq(ch.verdict, FPB_VERDICT_INCONCLUSIVE);
	}
	free(row.raw);
	unlink(stat_path);
}
END_TEST

/* Switches the workload makes by itself are not a busy machine; a burst of them is. */
START_TEST(test_switches_judged)
{
	struct fpb_harness_opts o;
	struct fpb_measurable m;
	struct fpb_row row;
	struct fake f;
	unsigned busy = 0;

	opts(&o);
	o.nivcsw = fake_switches;
	o.batch = 500;
	o.trials = 9;
	o.min_repeats = o.max_repeats = 450;
	fake_init(&f, 0, 37);
	meas_init(&m, &f, &row);
	/* stat_calls counts batch calls only when a stat file is written: count them here */
	snprintf(stat_path, sizeof(stat_path), "/tmp/fpb-sw-%d", (int)getpid());
	setenv("FPB_PROC_STAT", stat_path, 1);
	sw_per_call = 100;		/* a ping-pong: thousands a trial, every trial */
	ck_assert_int_eq(fpb_harness_run(&o, &m, 1), 0);
	for (unsigned i = 0; i < row.ntrials; i++)
		busy += row.trials[i].disturbed;
	ck_assert_msg(busy == 0, "a workload's own switches: %u trials disturbed", busy);
	free(row.raw);

	/* quiet, then a burst of switches in the middle of the measurement */
	stat_calls = 0;
	sw_per_call = 0;
	sw_burst = 50;
	sw_from = f.calls - 2 * 450 + 2 * 200;
	sw_to = sw_from + 2 * 50;
	fake_init(&f, 0, 37);
	meas_init(&m, &f, &row);
	ck_assert_int_eq(fpb_harness_run(&o, &m, 1), 0);
	busy = 0;
	for (unsigned i = 0; i < row.ntrials; i++)
		busy += row.trials[i].disturbed;
	ck_assert_msg(busy >= 1 && busy <= 2 && row.trials[4].disturbed,
		      "a burst of switches in trial 4: %u disturbed (trial 4: %d)", busy,
		      row.trials[4].disturbed);
	free(row.raw);
	unlink(stat_path);
}
END_TEST

START_TEST(test_limits)
{
	struct fpb_harness_opts o;

	opts(&o);
	ck_assert_int_eq(fpb_harness_run(&o, NULL, 0), 0);
	ck_assert_int_eq(fpb_harness_run(&o, NULL, 1), -EINVAL);
	fpb_harness_default_opts(&o);
	ck_assert_msg(o.batch_target > 0 && o.max_repeats >= o.min_repeats &&
		      o.ci_level > 0 && o.ci_level < 1 && o.now_s == NULL,
		      "defaults are inconsistent");
}
END_TEST

/*
 * The core-clock reference's plausibility check on canned readings: the Intel guest's add chain
 * (0.1921 TSC ticks a cycle at 2.3 GHz: a 12 GHz core) is refused, a 4 GHz reading kept, a
 * 0.46 GHz one refused, and a timer of unknown rate leaves nothing to check.
 */
START_TEST(test_clock_ref_check)
{
	static const struct { double per_cycle, hz; int ret; double ghz; } t[] = {
		{ 0.1921, 2.3e9, -1, 11.97 }, { 0.5750, 2.3e9, 0, 4.0 }, { 0.25, 1e9, 0, 4.0 },
		{ 5.0, 2.3e9, -1, 0.46 }, { 0.3, 0, 0, 0 }, { 0, 2.3e9, -1, 0 },
		{ 0.39, 2.8e9, -1, 7.18 }, { 0.4, 2.4e9, 0, 6.0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char why[FPB_REASON_LEN] = "";
		double ghz = -1;
		int r = fpb_clock_ref_check(t[i].per_cycle, t[i].hz, &ghz, why, sizeof(why));

		ck_assert_msg(r == t[i].ret, "reading %g at %g Hz: got %d (%s), want %d",
			      t[i].per_cycle, t[i].hz, r, why, t[i].ret);
		ck_assert_msg(ghz > t[i].ghz - 0.01 && ghz < t[i].ghz + 0.01,
			      "reading %g at %g Hz: %g GHz, want %g", t[i].per_cycle, t[i].hz, ghz,
			      t[i].ghz);
		if (r)
			ck_assert_msg(strstr(why, "failed") && !strchr(why, '\n'),
				      "reason: '%s'", why);
	}
}
END_TEST

START_TEST(test_timers)
{
	struct fpb_cpu cpu;
	char why[FPB_REASON_LEN] = "";
	struct fpb_timer *t;
	uint64_t a, b;
	int id = -2;

	memset(&cpu, 0, sizeof(cpu));
	ck_assert_ptr_eq(fpb_timer_find("tsc"), &fpb_timer_tsc);
	ck_assert_ptr_eq(fpb_timer_find("clock"), &fpb_timer_clock);
	ck_assert_ptr_null(fpb_timer_find("sundial"));
	ck_assert_ptr_null(fpb_timer_find(NULL));

	t = &fpb_timer_clock;
	ck_assert_int_eq(t->init(t, &cpu, why, sizeof(why)), 0);
	a = t->begin(t);
	b = t->end(t, &id);
	ck_assert_msg(b >= a, "clock: end %llu before begin %llu", (unsigned long long)b,
		      (unsigned long long)a);
	ck_assert_msg(id >= 0, "clock: want a CPU id, got %d", id);
	ck_assert_str_eq(t->unit, "ns");
#if defined(__x86_64__)
	t = &fpb_timer_tsc;
	ck_assert_int_eq(t->init(t, &cpu, why, sizeof(why)), 0);
	id = -2;
	a = t->begin(t);
	b = t->end(t, &id);
	ck_assert_msg(b >= a, "tsc: end %llu before begin %llu", (unsigned long long)b,
		      (unsigned long long)a);
	/* RDTSCP's TSC_AUX, RDPID or getcpu: whichever this CPU has, the id is the CPU's */
	ck_assert_msg(id == sched_getcpu(), "tsc: CPU id %d, sched_getcpu %d", id, sched_getcpu());
	t->fini(t);
#endif
}
END_TEST

START_TEST(test_tsc_frequency)
{
	struct fpb_cpu cpu;

	memset(&cpu, 0, sizeof(cpu));
	fpb_timer_tsc_frequency(&cpu);
	ck_assert_ptr_nonnull(cpu.tsc_hz_source);
#if defined(__x86_64__)
	ck_assert_msg(cpu.tsc_hz > 0, "tsc_hz: want > 0 (source %s)", cpu.tsc_hz_source);
	ck_assert_msg(!strcmp(cpu.tsc_hz_source, "cpuid-0x15") ||
		      !strcmp(cpu.tsc_hz_source, "cpuid-0x16") ||
		      !strcmp(cpu.tsc_hz_source, "hypervisor-0x40000010") ||
		      !strcmp(cpu.tsc_hz_source, "calibrated"),
		      "tsc_hz_source: unexpected '%s'", cpu.tsc_hz_source);
#elif defined(__aarch64__)
	ck_assert_str_eq(cpu.tsc_hz_source, "cntfrq_el0");	/* the CNTVCT_EL0 timer's rate */
#else
	ck_assert_str_eq(cpu.tsc_hz_source, "unknown");
#endif
}
END_TEST

START_TEST(test_bufalloc)
{
	static const size_t sizes[] = { 1, 64, 2432, 11008, 65536 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		for (int node = -1; node <= 0; node++) {
			unsigned char *p = fpb_buf_alloc(sizes[i], node);

			ck_assert_msg(p != NULL, "alloc %zu on node %d failed", sizes[i], node);
			ck_assert_msg(((uintptr_t)p & 63) == 0, "alloc %zu: %p not 64-byte aligned",
				      sizes[i], (void *)p);
			for (size_t k = 0; k < sizes[i]; k++)
				ck_assert_msg(!p[k], "alloc %zu: byte %zu not zero", sizes[i], k);
			memset(p, 0xa5, sizes[i]);
			fpb_buf_free(p, sizes[i]);
		}
	}
	fpb_buf_free(NULL, 0);
}
END_TEST

START_TEST(test_pin_and_sysinfo)
{
	struct fpb_runinfo run;
	char why[FPB_REASON_LEN] = "";
	cpu_set_t saved;

	memset(&run, 0, sizeof(run));
	ck_assert_int_eq(sched_getaffinity(0, sizeof(saved), &saved), 0);
	ck_assert_msg(fpb_harness_pin(-1, &run, why, sizeof(why)) == 0, "pin default: %s", why);
	ck_assert_msg(run.cpu >= 0 && CPU_ISSET(run.cpu, &saved), "pinned to %d, not allowed",
		      run.cpu);
	ck_assert_msg(sched_getcpu() == run.cpu, "running on %d, pinned to %d", sched_getcpu(),
		      run.cpu);
	why[0] = 0;
	ck_assert_int_eq(fpb_harness_pin(CPU_SETSIZE - 1, &run, why, sizeof(why)), -1);
	ck_assert_msg(why[0], "pin to a missing CPU: want a reason");
	sched_setaffinity(0, sizeof(saved), &saved);

	fpb_sysinfo_fill(&run);
	ck_assert_msg(strlen(run.timestamp) == 20 && run.timestamp[10] == 'T' &&
		      run.timestamp[19] == 'Z', "timestamp: want YYYY-MM-DDTHH:MM:SSZ, got '%s'",
		      run.timestamp);
	ck_assert_msg(!strcmp(run.boost, "") || !strcmp(run.boost, "on") ||
		      !strcmp(run.boost, "off"), "boost: unexpected '%s'", run.boost);
	fpb_sysinfo_finish(&run);
	ck_assert_msg(run.duration_s >= 0, "duration: want >= 0, got %g", run.duration_s);
	ck_assert_msg(run.ctx_switches_voluntary >= 0 && run.ctx_switches_involuntary >= 0,
		      "context switches: want counts, got %ld/%ld", run.ctx_switches_voluntary,
		      run.ctx_switches_involuntary);
	ck_assert_msg(run.migrations >= -1, "migrations: got %ld", run.migrations);
}
END_TEST

static Suite *harness_suite(void)
{
	Suite *s = suite_create("harness");
	TCase *core = tcase_create("core"), *limits = tcase_create("limits");
	TCase *sys = tcase_create("system");

	tcase_add_checked_fixture(core, setup, NULL);
	tcase_add_checked_fixture(limits, setup, NULL);
	/* The synthetic /proc/stat is rewritten on every batch: slow when the machine is loaded. */
	tcase_set_timeout(core, 60);
	tcase_add_test(core, test_recovers_per_op);
	tcase_add_test(core, test_fixed_batch_and_events);
	tcase_add_test(core, test_dropped);
	tcase_add_test(core, test_drift);
	tcase_add_test(core, test_interleaving);
	tcase_add_test(core, test_budget);
	tcase_add_test(core, test_budget_bounds_batch);
	tcase_add_test(core, test_minus);
	tcase_add_test(core, test_empty_is_zero);
	tcase_add_test(core, test_burst);
	tcase_add_test(core, test_noisy);
	tcase_add_test(core, test_trials_recorded);
	tcase_add_test(core, test_burst_estimate_holds);
	tcase_add_test(core, test_burst_runs_verdict);
	tcase_add_test(core, test_busy_trials_marked);
	tcase_add_test(core, test_trial_floor_recorded);
	tcase_add_test(core, test_switches_judged);
	tcase_add_test(limits, test_all_dropped);
	tcase_add_test(limits, test_batch_error);
	tcase_add_test(limits, test_zero_cost_spikes);
	tcase_add_test(limits, test_zero_cost_slowdown);
	tcase_add_test(limits, test_limits);
	tcase_add_test(limits, test_clock_ref_check);
	tcase_add_test(sys, test_timers);
	tcase_add_test(sys, test_tsc_frequency);
	tcase_add_test(sys, test_bufalloc);
	tcase_add_test(sys, test_pin_and_sysinfo);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	suite_add_tcase(s, sys);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(harness_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
