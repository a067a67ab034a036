// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * swap.c - fpu_swap_kvm_fpstate() (x86-kvm-fpu-swap-to-core-2021.txt, Linux 5.16+): one guest
 * fpstate {buffer, features, size, xfd} besides the task's.  Both directions: save the registers
 * into the current fpstate unless TIF_NEED_FPU_LOAD says they are saved already, swap the fpstate
 * pointer, write IA32_XFD only when it differs from the per-CPU cached value, restore (all but
 * PKRU).  No memcpy.  A guest's first use of an XFD-armed feature leaves the run loop with a
 * reallocation request; the swap back allocates the bigger guest fpstate, saves the guest state
 * into it and restores the host state from the existing one.
 */
#include "policy.h"
#include "xstate.h"
#include "fpb_nofp.h"

/* Replace the guest fpstate by a bigger one holding the guest's registers (or saved state). */
static int swap_realloc(struct fpb_machine *m, struct fpb_sim_ctx *c, bool save_regs)
{
	struct fpb_fpstate *old = &c->guest_fps, nfps;
	uint64_t feat = old->features | old->realloc_features;
	int r;

	fpb_sim_zero(&nfps, sizeof(nfps));
	r = fpb_fpu_fps_alloc(m, &nfps, feat, 0);	/* exactly the bigger size */
	if (r) {
		/* Allocation failed: keep the old fpstate; KVM would exit to user space. */
		old->realloc_request = false;
		return save_regs ? fpb_fpu_save(m, old) : 0;
	}
	nfps.is_guest = true;
	nfps.xfd = c->guest_xfd;
	if (save_regs) {
		r = fpb_fpu_save(m, &nfps);
	} else {
		/* Already saved in the old buffer (preempted inside the loop): carry it over. */
		fpb_fpu_to_uabi(m, m->uabi, old);
		r = fpb_fpu_from_uabi(m, &nfps, m->uabi);
	}
	fpb_fpu_fps_free(old);
	*old = nfps;
	return r;
}

int fpb_pol_swap_fpstate(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu, bool enter,
			 bool honour_need_load)
{
	bool save = !honour_need_load || !c->need_load;
	int r = 0;

	if (!enter && c->fps == &c->guest_fps && c->guest_fps.realloc_request)
		r = swap_realloc(m, c, save);
	else if (save)
		r = fpb_fpu_save(m, c->fps);
	if (r)
		return r;
	if (enter) {
		c->saved_fps = c->fps;
		c->fps = &c->guest_fps;
	} else {
		c->fps = c->saved_fps ? c->saved_fps : &c->task_fps;
		c->saved_fps = NULL;
	}
	/*
	 * The guest's PKRU is never restored from its buffer (vcpu->arch.pkru); the task's comes
	 * back with the rest when its task policy restores PKRU that way (lazy), since a
	 * preemption inside KVM_RUN may have left another task's PKRU in the register.
	 */
	r = fpb_fpu_restore(m, cpu, c->fps, fpb_fpu_mask(m, !enter && fpb_pol_pkru_in_restore(m)));
	fpb_fpu_activate(m, c, cpu);
	return r;
}

static int swap_load(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	int r = fpb_pol_guest_host_pkru_ready(m, c, cpu);

	return r ? r : fpb_pol_swap_fpstate(m, c, cpu, true, true);
}

static int swap_put(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	return fpb_pol_swap_fpstate(m, c, cpu, false, true);
}

static int swap_vm_entry(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	int r = c->need_load ? fpb_task_return(m, c, cpu) : 0;

	return r ? r : fpb_kvm_load_guest_xsave_state(m, c, cpu);
}

/* The intercepted XFD/XCR0 write: only a request, handled at the swap back. */
static int swap_realloc_request(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	(void)cpu;
	c->guest_fps.realloc_features = m->xfd_dynamic & ~c->guest_fps.features;
	c->guest_fps.realloc_request = c->guest_fps.realloc_features != 0;
	return 0;
}

const struct fpb_strategy fpb_strategy_swap = {
	.name		= "swap",
	.summary	= "KVM 5.16+: swap the fpstate pointer, XFD on change, no memcpy",
	.family		= FPB_FAMILY_GUEST,
	.flags		= FPB_STRAT_FPSTATE_SWAP | FPB_STRAT_XFD,
	.version	= FPB_STRATEGY_OPS_VERSION,
	/* 2: over lazy, PKRU: a pending load done before vcpu_load, PKRU restored at the swap back */
	.model_rev	= 2,
	.source		= "x86-kvm-fpu-swap-to-core-2021 (fpu_swap_kvm_fpstate)",
	.ops = {
		.vcpu_load	= swap_load,
		.vcpu_put	= swap_put,
		.vm_entry	= swap_vm_entry,
		.vm_exit	= fpb_kvm_load_host_xsave_state,
		.get_xsave	= fpb_kvm_get_xsave,
		.set_xsave	= fpb_kvm_set_xsave,
		.realloc	= swap_realloc_request,
	},
};
