// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * strategies-predict.c - the strategies side's prediction for the in-situ suite's
 * model-vs-reality rows: one strategy's per-event cost under one scenario minus under another,
 * paired per round, timed on the same machines (strategies-srow.h) as the strategies suite's
 * rows.  The in-situ suite asks through strategies-predict.h and never calls into a suite.
 */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "strategies-predict.h"
#include "strategies-srow.h"
#include "strategies-rows.h"
#include "timer.h"
#include "strategy.h"

/* Timer units a prediction's batch of N lasts: long enough that the TSC's steps vanish. */
#define PREDICT_BATCH_TARGET		60000ull

struct pred {
	struct srow sr[2];		/* a, b */
	struct fpb_row base_row;	/* scratch row of b's measurable */
};

/* One batch: full's machine, then the other row's programs alone, each timed on its own. */
static int pred_batch(struct srow *full, struct srow *prep, uint64_t n, struct fpb_sample *out)
{
	struct fpb_sample x;
	int r = fpb_srow_batch(full, &full->m, full->stash_m, n, out);

	if (r)
		return r;
	r = fpb_srow_batch(prep, &prep->prep, prep->stash_prep, n, &x);
	if (r)
		return r;
	out->t += x.t;
	if (x.cpu != out->cpu)
		out->flags |= FPB_SAMPLE_MIGRATED;
	return 0;
}

/* a + b's work, and b + a's work: their difference is (a - a's work) - (b - b's work). */
static int pred_a_batch(void *arg, uint64_t n, struct fpb_sample *out)
{
	struct pred *p = arg;

	return pred_batch(&p->sr[0], &p->sr[1], n, out);
}

static int pred_b_batch(void *arg, uint64_t n, struct fpb_sample *out)
{
	struct pred *p = arg;

	return pred_batch(&p->sr[1], &p->sr[0], n, out);
}

/* May strategy st run scenario sc here?  0, or -1 with why. */
static int pred_check(struct fpb_session *s, const struct fpb_strategy *st,
		      const struct fpb_scenario *sc, char *why, size_t len)
{
	if (sc->family != st->family) {
		snprintf(why, len, "%s is a %s policy, %s a %s scenario", st->name,
			 fpb_strategy_family_name(st->family), sc->name,
			 sc->family == FPB_FAMILY_TASK ? "task" : "vCPU");
		return -1;
	}
	if ((sc->flags & FPB_SCN_NEEDS_XFD) && !(st->flags & FPB_STRAT_XFD)) {
		snprintf(why, len, "%s predates XFD and AMX", st->name);
		return -1;
	}
	if (fpb_scenario_supported(sc, &s->cpu, why, len))
		return -1;
	if (sc->flags & FPB_SCN_ONE_SHOT) {
		snprintf(why, len, "%s is a one-shot event, not timed", sc->name);
		return -1;
	}
	return 0;
}

/*
 * fpb_strategies_predict() - see strategies-predict.h.  Two measurables, each timing one
 * scenario's machine and then the other scenario's programs alone (the prep-only companion):
 * the harness subtracts the second from the first round by round, which leaves
 * (a - a's programs) - (b - b's programs) per cycle; both scenarios count the same events.
 */
int fpb_strategies_predict(struct fpb_session *s, const char *strategy, const char *scenario_a,
			   const char *scenario_b, double budget_s, struct fpb_row *row,
			   char *why, size_t len)
{
	const struct fpb_strategy *st = strategy ? fpb_strategy_find(strategy) : NULL;
	const struct fpb_strategy *task = fpb_strategy_find(FPB_DEFAULT_TASK_POLICY);
	const char *names[2] = { scenario_a, scenario_b };
	const struct fpb_scenario *sc[2];
	struct fpb_harness_opts h;
	struct fpb_measurable m[2];
	struct pred *p;
	int ret = -1;

	if (!s || !row || !s->timer || !s->backend.ops) {
		snprintf(why, len, "no session backend to run the strategy on");
		return -1;
	}
	if (!st || !task) {
		snprintf(why, len, "unknown strategy '%s'", strategy ? strategy : "");
		return -1;
	}
	for (int i = 0; i < 2; i++) {
		sc[i] = names[i] ? fpb_scenario_find(names[i]) : NULL;
		if (!sc[i]) {
			snprintf(why, len, "unknown scenario '%s'", names[i] ? names[i] : "");
			return -1;
		}
		if (pred_check(s, st, sc[i], why, len))
			return -1;
	}
	if (sc[0]->events_per_cycle != sc[1]->events_per_cycle ||
	    strcmp(sc[0]->event, sc[1]->event)) {
		snprintf(why, len, "%s and %s count different events", sc[0]->name, sc[1]->name);
		return -1;
	}
	if (!(s->backend.ops->flags & FPB_BE_TIMES)) {
		snprintf(why, len, "backend %s cannot time", s->backend.ops->name);
		return -1;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(why, len, "out of memory");
		return -1;
	}

	snprintf(row->suite, sizeof(row->suite), "strategies");
	if (st->family == FPB_FAMILY_GUEST)
		snprintf(row->name, sizeof(row->name), "%s+%s", st->name, task->name);
	else
		snprintf(row->name, sizeof(row->name), "%s", st->name);
	fpb_strategies_row_model_rev(row, st, task);
	snprintf(row->scenario, sizeof(row->scenario), "%s-minus-%s", sc[0]->name, sc[1]->name);
	snprintf(row->mask_name, sizeof(row->mask_name), "all");
	row->mask = s->cpu.xcr0;
	snprintf(row->state, sizeof(row->state), "dirty");
	snprintf(row->backend, sizeof(row->backend), "%s", s->backend.ops->name);
	snprintf(row->unit, sizeof(row->unit), "%s/%s", s->timer->unit, sc[0]->event);
	row->ns_per_unit = fpb_timer_ns_per_unit(s->timer, &s->cpu);
	row->status = FPB_ROW_MEASURED;
	if (s->run && s->run->emulation[0])
		row->flags |= FPB_ROW_FUNCTIONAL_ONLY;

	for (int i = 0; i < 2; i++) {
		p->sr[i].sc = sc[i];
		p->sr[i].tm = s->timer;
		p->sr[i].be = &s->backend;
		if (fpb_srow_prepare(s, &p->sr[i], st->family == FPB_FAMILY_TASK ? st : task,
				     st->family == FPB_FAMILY_GUEST ? st : NULL, row)) {
			snprintf(why, len, "%s: %s", sc[i]->name, row->reason);
			goto out;
		}
	}
	p->base_row.status = FPB_ROW_MEASURED;
	snprintf(p->base_row.unit, sizeof(p->base_row.unit), "%s", s->timer->unit);
	m[0] = (struct fpb_measurable){ .batch = pred_a_batch, .arg = p, .row = row,
					.minus = &m[1] };
	m[1] = (struct fpb_measurable){ .batch = pred_b_batch, .arg = p, .row = &p->base_row };
	fpb_harness_default_opts(&h);
	h.time_budget_s = budget_s > 0 ? budget_s : 0.5;
	h.batch_target = PREDICT_BATCH_TARGET;
	if (fpb_harness_run(&h, m, 2) || row->status != FPB_ROW_MEASURED) {
		snprintf(why, len, "%s", row->reason[0] ? row->reason : "nothing measured");
		goto out;
	}
	fpb_strategies_scale_stats(row, 1.0 / sc[0]->events_per_cycle);
	snprintf(row->note, sizeof(row->note), "(%s - its programs) - (%s - its programs), "
		 "paired per round", sc[0]->name, sc[1]->name);
	ret = 0;
out:
	for (int i = 0; i < 2; i++)
		fpb_srow_fini(&p->sr[i]);
	free(p->base_row.raw);
	free(p);
	return ret;
}
