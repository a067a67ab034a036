/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * strategies-rows.h - what every strategies row shares, whichever machine runs it (the x86
 * machine in src/suites/suite-strategies.c, the arm64 one in suite-strategies-a64.c, the
 * in-situ predictor in strategies-predict.c): which strategies and scenarios a run takes, the
 * row's identity and unit, the per-cycle to per-event scaling and the primitive counts.
 */
#ifndef FPB_STRATEGIES_ROWS_H
#define FPB_STRATEGIES_ROWS_H

#include "fpb_env.h"
#include "session.h"
#include "result.h"
#include "backend.h"

struct fpb_options;
struct fpb_strategy;

/* Is name in list ("all" matches everything; an empty list selects everything)? */
bool fpb_strategies_selected(const char *const *list, size_t n, const char *name);

/* Strategies named one by one ("all" is not): the run is the family view of those. */
bool fpb_strategies_family_view(const struct fpb_options *o);

/*
 * Does the run take strategy st?  Strategies named one by one bring their rivals
 * (fpb_strategy_rivals: the family view); otherwise as fpb_strategies_selected.
 */
bool fpb_strategies_wanted(const struct fpb_options *o, const struct fpb_strategy *st);

/*
 * Append a strategies row for strategy name over scenario (mask, state, ntasks contexts, event
 * unit), with the session's backend, unit and ns conversion; NULL on allocation failure.
 */
struct fpb_row *fpb_strategies_new_row(struct fpb_session *s, struct fpb_result *r,
				       const char *name, const char *scenario,
				       const char *mask_name, uint64_t mask, const char *state,
				       unsigned ntasks, const char *event);

/* Fill row->model_rev from st's model revision (and task's, after it, for a guest policy). */
void fpb_strategies_row_model_rev(struct fpb_row *row, const struct fpb_strategy *st,
				  const struct fpb_strategy *task);

/*
 * Scale the row's statistics by k (per operation to per scenario event); counter events
 * (--events, "per-op") are per operation too and become "per-event".
 */
void fpb_strategies_scale_stats(struct fpb_row *row, double k);

/*
 * The metrics every machine's rows carry: saves, restores and bytes copied per event between
 * the backend's counts a (before) and b (after) over ev scenario events.
 */
void fpb_strategies_add_prim_counts(struct fpb_row *row, const struct fpb_prim_counts *a,
				    const struct fpb_prim_counts *b, double ev);

/*
 * One timed batch, the same for every machine: the counters started, the timer's begin,
 * cycles(machine, row, n), the timer's end, the counters read (c may be NULL); out gets the
 * time, the CPU and the counts.  Returns what cycles returned.
 */
struct fpb_timer;
struct fpb_counters;
typedef int (*fpb_strategies_cycles_fn)(void *machine, const void *row, uint64_t n);
int fpb_strategies_timed(struct fpb_timer *tm, struct fpb_counters *c,
			 fpb_strategies_cycles_fn cycles, void *machine, const void *row,
			 uint64_t n, struct fpb_sample *out);

#endif /* FPB_STRATEGIES_ROWS_H */
