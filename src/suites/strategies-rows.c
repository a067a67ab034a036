// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * strategies-rows.c - what every strategies row shares, whichever machine runs it (see
 * strategies-rows.h): the x86 rows, the arm64 rows and the in-situ predictor's rows are built,
 * selected, scaled and counted here, so that the three agree on a row's identity and units.
 */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include "strategies-rows.h"
#include "options.h"
#include "timer.h"
#include "counters.h"
#include "strategy.h"

bool fpb_strategies_selected(const char *const *list, size_t n, const char *name)
{
	if (!n)
		return true;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], "all") || !strcmp(list[i], name))
			return true;
	return false;
}

bool fpb_strategies_family_view(const struct fpb_options *o)
{
	for (size_t i = 0; i < o->nstrategies; i++)
		if (!strcmp(o->strategies[i], "all"))
			return false;
	return o->nstrategies > 0;
}

bool fpb_strategies_wanted(const struct fpb_options *o, const struct fpb_strategy *st)
{
	if (!fpb_strategies_family_view(o))
		return fpb_strategies_selected(o->strategies, o->nstrategies, st->name);
	for (size_t i = 0; i < o->nstrategies; i++) {
		const struct fpb_strategy *n = fpb_strategy_find(o->strategies[i]);

		if (n && (n == st || fpb_strategy_rivals(n, st)))
			return true;
	}
	return false;
}

struct fpb_row *fpb_strategies_new_row(struct fpb_session *s, struct fpb_result *r,
				       const char *name, const char *scenario,
				       const char *mask_name, uint64_t mask, const char *state,
				       unsigned ntasks, const char *event)
{
	struct fpb_row *row = fpb_result_add_row(r);

	if (!row)
		return NULL;
	snprintf(row->suite, sizeof(row->suite), "strategies");
	snprintf(row->name, sizeof(row->name), "%s", name);
	snprintf(row->scenario, sizeof(row->scenario), "%s", scenario);
	snprintf(row->mask_name, sizeof(row->mask_name), "%s", mask_name);
	row->mask = mask;
	snprintf(row->state, sizeof(row->state), "%s", state);
	snprintf(row->buffer, sizeof(row->buffer), "rotate:%u", ntasks);
	snprintf(row->backend, sizeof(row->backend), "%s", s->backend.ops->name);
	snprintf(row->unit, sizeof(row->unit), "%s/%s", s->timer->unit, event);
	row->ns_per_unit = fpb_timer_ns_per_unit(s->timer, &s->cpu);
	row->status = FPB_ROW_MEASURED;
	/* Emulator speed: qemu user or TCG (the session sets run->emulation for both). */
	if (s->run && s->run->emulation[0])
		row->flags |= FPB_ROW_FUNCTIONAL_ONLY;
	return row;
}

/* The row's model revisions, in the order its name gives the strategies ("guest+task"). */
void fpb_strategies_row_model_rev(struct fpb_row *row, const struct fpb_strategy *st,
				  const struct fpb_strategy *task)
{
	if (st->family == FPB_FAMILY_GUEST && task)
		snprintf(row->model_rev, sizeof(row->model_rev), "%u+%u", st->model_rev,
			 task->model_rev);
	else
		snprintf(row->model_rev, sizeof(row->model_rev), "%u", st->model_rev);
}

void fpb_strategies_scale_stats(struct fpb_row *row, double k)
{
	fpb_row_scale(row, k);
	/* Counter events (--events) are per scenario cycle too: make them per event. */
	for (size_t i = 0; i < row->nmetrics; i++)
		if (!strcmp(row->metrics[i].unit, "per-op")) {
			row->metrics[i].value *= k;
			snprintf(row->metrics[i].unit, sizeof(row->metrics[i].unit), "per-event");
		}
}

void fpb_strategies_add_prim_counts(struct fpb_row *row, const struct fpb_prim_counts *a,
				    const struct fpb_prim_counts *b, double ev)
{
	uint64_t saves = 0, restores = 0;

	for (int i = 0; i < FPB_NR_SAVE_OPS; i++)
		saves += b->save[i] - a->save[i];
	for (int i = 0; i < FPB_NR_RESTORE_OPS; i++)
		restores += b->restore[i] - a->restore[i];
	fpb_row_add_metric(row, "saves", "per-event", saves / ev);
	fpb_row_add_metric(row, "restores", "per-event", restores / ev);
	fpb_row_add_metric(row, "bytes_copied", "bytes/event",
			   (b->bytes_copied - a->bytes_copied) / ev);
}

int fpb_strategies_timed(struct fpb_timer *tm, struct fpb_counters *c,
			 fpb_strategies_cycles_fn cycles, void *machine, const void *row,
			 uint64_t n, struct fpb_sample *out)
{
	uint64_t t0, t1;
	int cpu = -1, r;

	memset(out, 0, sizeof(*out));
	if (c)
		fpb_counters_start(c);
	t0 = tm->begin(tm);
	r = cycles(machine, row, n);
	t1 = tm->end(tm, &cpu);
	if (c)
		fpb_counters_read(c, out);
	out->t = t1 - t0;
	out->cpu = cpu;
	return r;
}
