/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * strategies-a64.h - the strategies suite's arm64 rows (src/suites/suite-strategies-a64.c).
 */
#ifndef FPB_STRATEGIES_A64_H
#define FPB_STRATEGIES_A64_H

#include "session.h"
#include "options.h"
#include "harness.h"
#include "result.h"

/*
 * Add and time one row per arm64 guest policy x arm64 scenario (strategies/arm64-scenarios.h)
 * selected by o, with harness options h; elsewhere than aarch64 the rows are skipped with a
 * reason.  Returns 0 or -ENOMEM.
 */
/* Shared with src/suites/suite-strategies.c, which defines them. */

/* Is name in list ("all" matches everything; an empty list selects everything)? */
bool fpb_strategies_selected(const char *const *list, size_t n, const char *name);

/*
 * Does the run take strategy st?  Strategies named one by one bring their rivals
 * (fpb_strategy_rivals: the family view); otherwise as fpb_strategies_selected.
 */
struct fpb_options;
struct fpb_strategy;
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
struct fpb_strategy;
void fpb_strategies_row_model_rev(struct fpb_row *row, const struct fpb_strategy *st,
				  const struct fpb_strategy *task);

int fpb_strategies_a64_run(struct fpb_session *s, const struct fpb_options *o,
			   const struct fpb_harness_opts *h, struct fpb_result *r);

#endif /* FPB_STRATEGIES_A64_H */
