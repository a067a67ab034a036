// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kmod/fpbench-strategies-none.c - the module built without strategies: FPB_IOC_STRATEGY answers
 * "skipped" with the reason, and FPB_IOC_INFO reports none.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include "fpbench-mod.h"

static const char fpb_no_strategies[] = "strategies not built into this module";

unsigned fpb_r0_nr_strategies(void)
{
	return 0;
}

const char *fpb_r0_strategies_reason(void)
{
	return fpb_no_strategies;
}

long fpb_r0_strategy(struct fpb_kmod_strategy *req)
{
	if (req->abi != FPB_KMOD_ABI || (req->flags & ~FPB_KMOD_STRAT_ALL))
		return -EINVAL;
	memset(req->reason, 0, sizeof(req->reason));
	req->status = FPB_KMOD_SKIPPED;
	req->trap = -1;
	req->done = 0;
	strscpy(req->reason, fpb_no_strategies, sizeof(req->reason));
	return 0;
}
