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
int fpb_strategies_a64_run(struct fpb_session *s, const struct fpb_options *o,
			   const struct fpb_harness_opts *h, struct fpb_result *r);

#endif /* FPB_STRATEGIES_A64_H */
