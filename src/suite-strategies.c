// SPDX-License-Identifier: GPL-2.0-or-later
/* suite-strategies.c - the strategies suite (placeholder until it lands). */
#include "suite.h"

const struct fpb_suite fpb_suite_strategies = {
	.name			= "strategies",
	.summary		= "FPU context-switch strategies per event",
	.bit			= FPB_SUITE_STRATEGIES,
	.default_budget_s	= 10.0,
	.run			= NULL,
	.unavailable_reason	= "not available yet",
};
