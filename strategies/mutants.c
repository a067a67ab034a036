// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mutants.c - test-only broken strategies (compiled into tests only, never into fpbench): each
 * drops one thing its design needs, and a directed sequence must catch it.
 */
#include "policy.h"
#include "xstate.h"
#include "fpb_nofp.h"

extern const struct fpb_strategy fpb_strategy_lazy, fpb_strategy_eager_pkru, fpb_strategy_copy3,
	fpb_strategy_swap, fpb_strategy_eager;

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

/*
 * eager whose ptrace read copies the fpstate's MXCSR field into the user ABI whatever XSTATE_BV
 * says: the stale field XSAVES leaves when SSE is not in use (no gap filling with init values).
 */
static int mut_eager_ptrace_read(struct fpb_machine *m, struct fpb_sim_ctx *t, unsigned cpu)
{
	int r = fpb_pol_ptrace_read(m, t, cpu);

	if (!r)
		r = fpb_sim_copy_raw(NULL, (char *)m->uabi + FPB_MXCSR_OFFSET,
				     (const char *)t->fps->buf + FPB_MXCSR_OFFSET, 4);
	return r;
}

/* eager-pkru that writes PKRU at switch-in but never reads it at switch-out: thread.pkru stale. */
static int mut_epkru_switch_out(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	return fpb_pol_deferred_switch_out(m, c, cpu);
}

/* A VM exit that puts the host's PKRU back without reading the guest's (vcpu->arch.pkru stale). */
static int mut_exit_no_pkru_readback(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	return fpb_kvm_restore_host_xsave_state(m, c, cpu);
}

/*
 * swap whose way back restores the task's registers without xfd_update(): IA32_XFD stays the
 * guest's (AMX disarmed for a task without permission).
 */
static int mut_swap_put_no_xfd(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	int r;

	if (c->guest_fps.realloc_request)	/* the reallocation path is not what this drops */
		return fpb_pol_swap_fpstate(m, c, cpu, false, true);
	r = c->need_load ? 0 : fpb_fpu_save(m, c->fps);
	c->fps = c->saved_fps ? c->saved_fps : &c->task_fps;
	c->saved_fps = NULL;
	if (!r)
		r = fpb_prim_restore(m->be, m->restore_op, c->fps->buf,
				     fpb_fpu_mask(m, fpb_pol_pkru_in_restore(m)) & m->lay.features);
	fpb_fpu_activate(m, c, cpu);
	return r < 0 ? r : 0;
}

/* A ptrace write that converts into the tracee's fpstate but leaves its last_cpu valid. */
static int mut_ptrace_write_no_invalidate(struct fpb_machine *m, struct fpb_sim_ctx *t,
					  unsigned cpu)
{
	(void)cpu;
	if (m->pkru_enabled)
		t->pkru = fpb_fpu_uabi_pkru(m, m->uabi);
	return fpb_fpu_from_uabi(m, t->fps, m->uabi);
}

/* Built at first use: C cannot copy an ops table and override one hook in a constant. */
struct fpb_strategy fpb_mutant_lazy_nomigrate, fpb_mutant_swap_ignore_need_load,
	fpb_mutant_eager_pkru_no_wrpkru, fpb_mutant_copy3_no_memcpy,
	fpb_mutant_eager_pkru_no_rdpkru, fpb_mutant_swap_no_guest_pkru_readback,
	fpb_mutant_swap_xfd_not_rearmed, fpb_mutant_lazy_ptrace_no_invalidate,
	fpb_mutant_eager_ptrace_no_invalidate,
	fpb_mutant_eager_stale_mxcsr;

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

	fpb_mutant_eager_stale_mxcsr = fpb_strategy_eager;
	fpb_mutant_eager_stale_mxcsr.name = "eager-uabi-stale-mxcsr";
	fpb_mutant_eager_stale_mxcsr.ops.ptrace_read = mut_eager_ptrace_read;

	fpb_mutant_eager_stale_mxcsr.flags |= FPB_STRAT_TEST_ONLY;

	fpb_mutant_eager_pkru_no_rdpkru = fpb_strategy_eager_pkru;
	fpb_mutant_eager_pkru_no_rdpkru.name = "eager-pkru-no-rdpkru";
	fpb_mutant_eager_pkru_no_rdpkru.ops.switch_out = mut_epkru_switch_out;

	fpb_mutant_swap_no_guest_pkru_readback = fpb_strategy_swap;
	fpb_mutant_swap_no_guest_pkru_readback.name = "swap-no-guest-pkru-readback";
	fpb_mutant_swap_no_guest_pkru_readback.ops.vm_exit = mut_exit_no_pkru_readback;

	fpb_mutant_swap_xfd_not_rearmed = fpb_strategy_swap;
	fpb_mutant_swap_xfd_not_rearmed.name = "swap-xfd-not-rearmed";
	fpb_mutant_swap_xfd_not_rearmed.ops.vcpu_put = mut_swap_put_no_xfd;

	fpb_mutant_lazy_ptrace_no_invalidate = fpb_strategy_lazy;
	fpb_mutant_lazy_ptrace_no_invalidate.name = "lazy-ptrace-no-invalidate";
	fpb_mutant_lazy_ptrace_no_invalidate.ops.ptrace_write = mut_ptrace_write_no_invalidate;

	fpb_mutant_eager_ptrace_no_invalidate = fpb_strategy_eager;
	fpb_mutant_eager_ptrace_no_invalidate.name = "eager-ptrace-no-invalidate";
	fpb_mutant_eager_ptrace_no_invalidate.ops.ptrace_write = mut_ptrace_write_no_invalidate;

	fpb_mutant_eager_pkru_no_rdpkru.flags |= FPB_STRAT_TEST_ONLY;
	fpb_mutant_swap_no_guest_pkru_readback.flags |= FPB_STRAT_TEST_ONLY;
	fpb_mutant_swap_xfd_not_rearmed.flags |= FPB_STRAT_TEST_ONLY;
	fpb_mutant_lazy_ptrace_no_invalidate.flags |= FPB_STRAT_TEST_ONLY;
	fpb_mutant_eager_ptrace_no_invalidate.flags |= FPB_STRAT_TEST_ONLY;
	fpb_mutant_lazy_nomigrate.flags |= FPB_STRAT_TEST_ONLY;
	fpb_mutant_swap_ignore_need_load.flags |= FPB_STRAT_TEST_ONLY;
	fpb_mutant_eager_pkru_no_wrpkru.flags |= FPB_STRAT_TEST_ONLY;
	fpb_mutant_copy3_no_memcpy.flags |= FPB_STRAT_TEST_ONLY;
}
