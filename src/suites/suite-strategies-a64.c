// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * suite-strategies-a64.c - the strategies suite's arm64 rows: each arm64 guest policy
 * (arm64-fp-owner, arm64-defer-host-restore) over each arm64 vCPU scenario, on the arm64
 * machine model (strategies/arm64-machine.h) driven through the session's backend, timed as the
 * x86 rows are: a batch is n scenario cycles between the timer's begin and end, a prep-only
 * companion (every policy handler off) times the programs' own work and the harness subtracts
 * it round by round; figures per event (KVM_RUN) with the primitive counts as metrics.  The
 * machine parks each simulated CPU's registers between events, so no parking is needed between
 * batches.  Only an aarch64 build has the FPSIMD primitives: elsewhere the rows are skipped.
 * The ZA scenarios (the VMM's SME ZA live across KVM_RUN) size ZA from the thread's streaming
 * vector length, are skipped without SME (HWCAP2_SME) and n/a for a policy without
 * FPB_STRAT_SME.  The streaming-mode scenarios (the VMM in streaming SVE mode across KVM_RUN)
 * likewise: SME is enough (the backend's streaming save/restore moves Z/P at SVL, FFR only with
 * FEAT_SME_FA64, and needs no SVE); their prep-only companion follows the same PSTATE.SM path,
 * so SMSTART/SMSTOP cancel out and the figure is the policy's work.  Metrics: saves, restores
 * and the bytes saved, restored (register images) and copied (KVM_GET/SET_ONE_REG) per event.
 */
#include "config.h"
#if defined(__aarch64__)
#include <sys/auxv.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "strategies-a64.h"
#include "strategies-rows.h"
#include "timer.h"
#include "counters.h"
#include "strategy.h"
#include "arm64-scenarios.h"
#if defined(__aarch64__)
#include "arm64.h"
#endif

#define A64_MAX_CYCLE	64
#define A64_COUNT_CYCLES 16	/* untimed cycles the primitive counts come from */

struct a64row {
	struct fpb_a64_machine m, prep;
	const struct fpb_a64_scenario *sc;
	struct fpb_a64_config cfg;	/* sc's, with the ZA size of this CPU */
	struct fpb_sim_event cycle[A64_MAX_CYCLE];
	size_t ncycle;
	struct fpb_timer *tm;
	struct fpb_backend *be;
	size_t row;
	struct fpb_row prep_row;
	bool ready;
};

static int a64_cycles(struct fpb_a64_machine *am, const struct a64row *ar, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		int r = fpb_a64_machine_run(am, ar->cycle, ar->ncycle, NULL);

		if (r)
			return r;
	}
	return 0;
}

static int a64_timed_cycles(void *machine, const void *row, uint64_t n)
{
	return a64_cycles(machine, row, n);
}

/* The machine parks its simulated CPUs' registers itself: nothing to load or park here. */
static int a64_batch(struct a64row *ar, struct fpb_a64_machine *am, uint64_t n,
		     struct fpb_sample *out)
{
	int r = fpb_strategies_timed(ar->tm, ar->be->counters, a64_timed_cycles, am, ar, n, out);

	return r < 0 ? r : 0;
}

static int a64_full_batch(void *arg, uint64_t n, struct fpb_sample *out)
{
	struct a64row *ar = arg;

	return a64_batch(ar, &ar->m, n, out);
}

static int a64_prep_batch(void *arg, uint64_t n, struct fpb_sample *out)
{
	struct a64row *ar = arg;

	return a64_batch(ar, &ar->prep, n, out);
}

static struct fpb_row *a64_new_row(struct fpb_session *s, struct fpb_result *r,
				   const struct fpb_strategy *st, const struct fpb_a64_scenario *sc)
{
	static const char *const state[2][2] = { { "fpsimd", "fpsimd+za" },
						 { "streaming", "streaming+za" } };

	struct fpb_row *row = fpb_strategies_new_row(s, r, st->name, sc->name,
						     state[sc->sm][sc->za], 0, "dirty",
						     sc->cfg.ntasks, sc->event);

	if (row)
		fpb_strategies_row_model_rev(row, st, NULL);
	return row;
}

/* Both machines, the prefix and one untimed cycle.  0, or -1 with the row marked. */
static int a64_prepare(struct fpb_session *s, struct a64row *ar, const struct fpb_strategy *st,
		       struct fpb_row *row)
{
	struct fpb_sim_event pre[A64_MAX_CYCLE];
	char why[FPB_REASON_LEN];
	size_t n;

	ar->ncycle = ar->sc->gen(ar->sc, ar->cycle, A64_MAX_CYCLE, true);
	n = ar->sc->gen(ar->sc, pre, A64_MAX_CYCLE, false);
	if (ar->ncycle > A64_MAX_CYCLE || n > A64_MAX_CYCLE) {
		fpb_row_skip(row, "scenario longer than %d events", A64_MAX_CYCLE);
		return -1;
	}
	if (fpb_a64_machine_init(&ar->m, &s->backend, st, &ar->cfg, why, sizeof(why))) {
		fpb_row_skip(row, "%s", why);
		return -1;
	}
	if (fpb_a64_machine_init(&ar->prep, &s->backend, st, &ar->cfg, why, sizeof(why))) {
		fpb_a64_machine_fini(&ar->m);
		fpb_row_skip(row, "%s", why);
		return -1;
	}
	ar->prep.base.prep_only = true;
	ar->ready = true;
	if (fpb_a64_machine_run(&ar->prep, pre, n, NULL) ||
	    fpb_a64_machine_run(&ar->m, pre, n, NULL) || a64_cycles(&ar->m, ar, 1) ||
	    a64_cycles(&ar->prep, ar, 1)) {
		row->status = FPB_ROW_FAILED;
		snprintf(row->reason, sizeof(row->reason), "%s", ar->m.base.why[0] ?
			 ar->m.base.why : ar->prep.base.why[0] ? ar->prep.base.why :
			 "the scenario does not run");
		return -1;
	}
	return 0;
}

static void a64_fini(struct a64row *ar)
{
	if (ar->ready) {
		fpb_a64_machine_fini(&ar->m);
		fpb_a64_machine_fini(&ar->prep);
	}
	ar->ready = false;
	free(ar->prep_row.raw);
	ar->prep_row.raw = NULL;
}

/* The thread's SME streaming vector length (bytes); 0 without SME or off aarch64. */
static unsigned a64_svl(void)
{
#if defined(__aarch64__)
	if (fpb_a64_has(FPB_A64_SME, NULL, 0))
		return fpb_a64_vl_get(FPB_A64_SME);
#endif
	return 0;
}

/* FEAT_SME_FA64 (HWCAP2_SME_FA64): FFR and every instruction legal in streaming mode. */
static bool a64_fa64(void)
{
#if defined(__aarch64__)
	return (getauxval(AT_HWCAP2) & (1UL << 30)) != 0;
#else
	return false;
#endif
}

/* Primitive counts per event over A64_COUNT_CYCLES untimed cycles. */
static void a64_counts(struct fpb_session *s, struct a64row *ar, struct fpb_row *row)
{
	struct fpb_prim_counts a = s->backend.counts, b;
	double ev = (double)A64_COUNT_CYCLES * ar->sc->events_per_cycle;
	uint64_t saved = ar->m.bytes_saved;
	uint64_t restored = ar->m.bytes_restored;

	if (a64_cycles(&ar->m, ar, A64_COUNT_CYCLES))
		return;
	b = s->backend.counts;
	saved = ar->m.bytes_saved - saved;
	restored = ar->m.bytes_restored - restored;
	fpb_strategies_add_prim_counts(row, &a, &b, ev);
	fpb_row_add_metric(row, "bytes_saved", "bytes/event", saved / ev);
	fpb_row_add_metric(row, "bytes_restored", "bytes/event", restored / ev);
}

int fpb_strategies_a64_run(struct fpb_session *s, const struct fpb_options *o,
			   const struct fpb_harness_opts *h, struct fpb_result *r)
{
	size_t nmax = fpb_nr_strategies * fpb_a64_nr_scenarios, nar = 0, nm = 0;
	struct fpb_measurable *m = NULL;
	struct a64row *ar = NULL;
	int ret = 0;

#if !defined(__aarch64__)
	if (o->default_run)
		return 0;	/* the default run shows what this machine can time */
#endif
	ar = calloc(nmax, sizeof(*ar));
	m = calloc(2 * nmax, sizeof(*m));
	if (!ar || !m) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t si = 0; si < fpb_nr_strategies; si++) {
		const struct fpb_strategy *st = fpb_strategies[si];

		if (!(st->flags & FPB_STRAT_ARCH_ARM64) || !fpb_strategies_wanted(o, st))
			continue;
		for (size_t ci = 0; ci < fpb_a64_nr_scenarios; ci++) {
			const struct fpb_a64_scenario *sc = fpb_a64_scenarios[ci];
			struct fpb_row *row;

			if (!fpb_strategies_selected(o->scenarios, o->nscenarios, sc->name))
				continue;
			row = a64_new_row(s, r, st, sc);
			if (!row) {
				ret = -ENOMEM;
				goto out;
			}
			if (!fpb_a64_scenario_applies(sc, st, row->reason, sizeof(row->reason))) {
				row->status = FPB_ROW_NA;
				continue;
			}
#if !defined(__aarch64__)
			fpb_row_skip(row, "arm64 policy and scenario: needs an aarch64 build "
				     "(arm64 backend)");
			continue;
#endif
			if (!(s->backend.ops->flags & FPB_BE_TIMES) || !s->backend.ops->save) {
				fpb_row_skip(row, "backend %s cannot time", s->backend.ops->name);
				continue;
			}
			if (fpb_a64_scenario_config(sc, a64_svl(), a64_fa64(), &ar[nar].cfg,
						    row->reason, sizeof(row->reason))) {
				row->status = FPB_ROW_SKIPPED;
				continue;
			}
			ar[nar].sc = sc;
			ar[nar].tm = s->timer;
			ar[nar].be = &s->backend;
			ar[nar].row = (size_t)(row - r->rows);
			if (a64_prepare(s, &ar[nar], st, row) == 0)
				nar++;
			else
				a64_fini(&ar[nar]);
		}
	}
	/* Rows are final now: point the measurables at them. */
	for (size_t i = 0; i < nar; i++) {
		ar[i].prep_row.status = FPB_ROW_MEASURED;
		snprintf(ar[i].prep_row.unit, sizeof(ar[i].prep_row.unit), "%s", s->timer->unit);
		m[nm] = (struct fpb_measurable){ .batch = a64_full_batch, .arg = &ar[i],
						 .row = &r->rows[ar[i].row], .minus = &m[nm + 1] };
		m[nm + 1] = (struct fpb_measurable){ .batch = a64_prep_batch, .arg = &ar[i],
						     .row = &ar[i].prep_row };
		for (size_t k = 0; s->backend.counters && k < 2; k++) {
			m[nm + k].nevents = (unsigned)s->backend.counters->nnames;
			m[nm + k].event_names = s->backend.counters->names;
		}
		nm += 2;
	}
	if (nm)
		(void)fpb_harness_run(h, m, nm);	/* rows carry their own failures */
	for (size_t i = 0; i < nar; i++) {
		struct fpb_row *row = &r->rows[ar[i].row];

		if (row->status != FPB_ROW_MEASURED)
			continue;
		fpb_strategies_scale_stats(row, 1.0 / ar[i].sc->events_per_cycle);
		a64_counts(s, &ar[i], row);
	}
out:
	for (size_t i = 0; i < nar; i++)
		a64_fini(&ar[i]);
	free(m);
	free(ar);
	return ret;
}
