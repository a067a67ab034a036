/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * suite.h - the top-level sections of a run (kernels, strategies, insitu), as a table.
 * A suite appends rows to the result; the default run calls each suite's default_run with its
 * share of the 30 s budget.
 */
#ifndef FPB_SUITE_H
#define FPB_SUITE_H

#include "options.h"
#include "result.h"

struct fpb_session;	/* the run's shared state: cpu, backend, timer (src/session.h) */

struct fpb_suite {
	const char *name;		/* "kernels", "strategies", "insitu" */
	const char *summary;
	unsigned bit;			/* FPB_SUITE_* */
	double default_budget_s;	/* its share of the default run */
	/* Returns 0; rows carry their own skip reasons.  Negative: runtime failure. */
	int (*run)(struct fpb_session *s, const struct fpb_options *o, struct fpb_result *r);
	const char *unavailable_reason;	/* non-NULL: "not available yet" */
};

extern const struct fpb_suite *const fpb_suites[];
extern const size_t fpb_nr_suites;
const struct fpb_suite *fpb_suite_find(const char *name);

#endif /* FPB_SUITE_H */
