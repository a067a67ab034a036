// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mutants.c - test-only broken strategies (compiled into tests only, never into fpbench): each
 * drops one thing its design needs, and a directed sequence must catch it.
 */
#include "policy.h"
#include "fpb_nofp.h"

extern const struct fpb_strategy fpb_strategy_lazy, fpb_strategy_eager_pkru, fpb_strategy_copy3,
	fpb_strategy_swap;

/* lazy without invalidation on migration: trusts the owner pointer, ignores last_cpu. */
static int mut_lazy_return(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	return fpb_pol_deferred_return(m, c, cpu, true, false);
}

/* swap that saves the registers even when TIF_NEED_FPU_LOAD says they are not the task's. */
static int mut_swap_load(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	int r = fpb_pol_guest_host_pkru_ready(m, c, cpu);

	return r ? r : fpb_pol_swap_fpstate(m, c, cpu, true, false);
}

static int mut_swap_put(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	return fpb_pol_swap_fpstate(m, c, cpu, false, false);
}

/* eager-pkru that reads PKRU at switch but never writes it. */
static int mut_epkru_switch_in(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	return fpb_pol_deferred_switch_in(m, c, cpu);
}

/* copy3 that skips the memcpy when the task's registers are already saved. */
static int mut_copy3_load(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	int r = fpb_pol_guest_host_pkru_ready(m, c, cpu);

	if (!r)
		r = fpb_pol_copy3_save_current(m, c, &c->user_fpu, false);
	fpb_pol_copy3_xfd_load(c);
	if (!r)
		r = fpb_fpu_restore(m, cpu, &c->guest_fps, fpb_fpu_mask(m, false));
	fpb_fpu_activate(m, c, cpu);
	return r;
}


/* Built at first use: C cannot copy an ops table and override one hook in a constant. */
struct fpb_strategy fpb_mutant_lazy_nomigrate, fpb_mutant_swap_ignore_need_load,
	fpb_mutant_eager_pkru_no_wrpkru, fpb_mutant_copy3_no_memcpy;

void fpb_mutants_init(void);
void fpb_mutants_init(void)
{
	fpb_mutant_lazy_nomigrate = fpb_strategy_lazy;
	fpb_mutant_lazy_nomigrate.name = "lazy-no-migrate-invalidation";
	fpb_mutant_lazy_nomigrate.ops.return_to_user = mut_lazy_return;
	fpb_mutant_lazy_nomigrate.ops.user_access = NULL;

	fpb_mutant_swap_ignore_need_load = fpb_strategy_swap;
	fpb_mutant_swap_ignore_need_load.name = "swap-ignores-need-load";
	fpb_mutant_swap_ignore_need_load.ops.vcpu_load = mut_swap_load;
	fpb_mutant_swap_ignore_need_load.ops.vcpu_put = mut_swap_put;

	fpb_mutant_eager_pkru_no_wrpkru = fpb_strategy_eager_pkru;
	fpb_mutant_eager_pkru_no_wrpkru.name = "eager-pkru-no-wrpkru";
	fpb_mutant_eager_pkru_no_wrpkru.ops.switch_in = mut_epkru_switch_in;

	fpb_mutant_copy3_no_memcpy = fpb_strategy_copy3;
	fpb_mutant_copy3_no_memcpy.name = "copy3-no-memcpy";
	fpb_mutant_copy3_no_memcpy.ops.vcpu_load = mut_copy3_load;

	fpb_mutant_lazy_nomigrate.flags |= FPB_STRAT_TEST_ONLY;
	fpb_mutant_swap_ignore_need_load.flags |= FPB_STRAT_TEST_ONLY;
	fpb_mutant_eager_pkru_no_wrpkru.flags |= FPB_STRAT_TEST_ONLY;
	fpb_mutant_copy3_no_memcpy.flags |= FPB_STRAT_TEST_ONLY;
}
