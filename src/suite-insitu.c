// SPDX-License-Identifier: GPL-2.0-or-later
/* suite-insitu.c - the insitu suite (placeholder until it lands). */
#include "suite.h"

const struct fpb_suite fpb_suite_insitu = {
	.name			= "insitu",
	.summary		= "what the running kernel pays, from user space and /dev/kvm",
	.bit			= FPB_SUITE_INSITU,
	.default_budget_s	= 10.0,
	.run			= NULL,
	.unavailable_reason	= "not available yet",
};
