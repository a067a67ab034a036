/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * strategies-predict.h - the strategies side's prediction of a difference between two
 * scenarios, for the in-situ suite's model-vs-reality rows (src/suites/strategies-predict.c,
 * on the machines the strategies suite's rows use: strategies-srow.h).
 */
#ifndef FPB_STRATEGIES_PREDICT_H
#define FPB_STRATEGIES_PREDICT_H

#include "fpb_env.h"

struct fpb_session;
struct fpb_row;

/*
 * fpb_strategies_predict() - the per-event cost of strategy under scenario_a minus that under
 * scenario_b, each less its programs' own work, paired per round through the harness on the
 * session's backend within budget_s.  A guest policy runs on FPB_DEFAULT_TASK_POLICY.  Fills
 * row (status measured, stats in the session timer's unit per scenario event, unit, backend,
 * note).  Returns 0, or -1 with a one-line reason in why (unknown name, a pair that does not
 * apply, a backend that cannot time, nothing measured).
 */
int fpb_strategies_predict(struct fpb_session *s, const char *strategy, const char *scenario_a,
			   const char *scenario_b, double budget_s, struct fpb_row *row,
			   char *why, size_t len);

#endif /* FPB_STRATEGIES_PREDICT_H */
