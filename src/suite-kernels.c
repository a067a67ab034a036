// SPDX-License-Identifier: GPL-2.0-or-later
/* suite-kernels.c - the kernels suite (placeholder until it lands). */
#include "suite.h"

const struct fpb_suite fpb_suite_kernels = {
	.name			= "kernels",
	.summary		= "one XSAVE-family instruction per row",
	.bit			= FPB_SUITE_KERNELS,
	.default_budget_s	= 10.0,
	.run			= NULL,
	.unavailable_reason	= "not available yet",
};
