// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * suite-insitu.c - the insitu suite: what the running kernel really pays for extended state.
 *
 * Context switch, signal, KVM exits, AMX first use and arm64 getpid with SVE (src/insitu-*.c,
 * one measurement a file), then the strategies' predictions for the same differences beside
 * them (model vs reality).  The default run gives it at most INSITU_DEFAULT_BUDGET_S.
 */
#include "config.h"
#include "suite.h"
#include "session.h"
#include "insitu.h"

#define INSITU_DEFAULT_BUDGET_S	8.5	/* its share of the default run (at most 10 s) */

static int insitu_run(struct fpb_session *s, const struct fpb_options *o, struct fpb_result *r)
{
	struct fpb_insitu in;
	double budget;

	if (!s || !s->timer || !r)
		return -EINVAL;
	fpb_insitu_init(&in, s, o, r);
	budget = o->h.time_budget_s > 0 ? o->h.time_budget_s : 10.0;
	if (o->default_run && budget > INSITU_DEFAULT_BUDGET_S)
		budget = INSITU_DEFAULT_BUDGET_S;
	return fpb_insitu_run_all(&in, budget);
}

const struct fpb_suite fpb_suite_insitu = {
	.version		= FPB_SUITE_VERSION,
	.name			= "insitu",
	.summary		= "what the running kernel pays, from user space and /dev/kvm",
	.run			= insitu_run,
};
