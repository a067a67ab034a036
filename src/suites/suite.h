/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * suite.h - the top-level sections of a run (kernels, strategies, insitu), as a table.
 * A suite appends rows to the result; in the default run each one caps its own time so that the
 * run stays under 30 s.
 */
#ifndef FPB_SUITE_H
#define FPB_SUITE_H

#include "options.h"
#include "result.h"

struct fpb_session;	/* the run's shared state: cpu, backend, timer (src/cli/session.h) */

/* Bumped when struct fpb_suite changes meaning, so a stale table fails fpb_suite_check. */
#define FPB_SUITE_VERSION	1

/* One suite; the registry is src/suites/suites.def, whose order is the run order and the bit order. */
struct fpb_suite {
	unsigned version;		/* FPB_SUITE_VERSION */
	const char *name;		/* the --suite name, "kernels", ... */
	const char *summary;
	/*
	 * Returns 0; rows carry their own skip reasons.  Negative: runtime failure.  NULL: the
	 * suite is listed but not available yet.  In the default run a suite caps its own time.
	 */
	int (*run)(struct fpb_session *s, const struct fpb_options *o, struct fpb_result *r);
};

extern const struct fpb_suite *const fpb_suites[];
extern const size_t fpb_nr_suites;
const struct fpb_suite *fpb_suite_find(const char *name);
/* Index of the suite called name in fpb_suites[] (its bit in fpb_options.suites); -1 when unknown. */
int fpb_suite_index(const char *name);
/* Check a suite's table: version, name, summary.  0, or -EINVAL with why. */
int fpb_suite_check(const struct fpb_suite *s, char *why, size_t len);

#endif /* FPB_SUITE_H */
