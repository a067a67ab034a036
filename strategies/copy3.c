// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * copy3.c - KVM's guest FPU switch before Linux 5.16: three buffers (the task's fpstate, the
 * vCPU's user_fpu and guest_fpu).  kvm_load_guest_fpu(): if the task's registers are already
 * saved (TIF_NEED_FPU_LOAD) memcpy the task buffer into user_fpu, else save the registers into
 * user_fpu; restore guest_fpu (all but PKRU); the registers now count as the task's
 * (fpregs_mark_activate), so a preemption saves the guest state into the task buffer.
 * kvm_put_guest_fpu(): the same save into guest_fpu, restore user_fpu.  The user-ABI conversion
 * happens only in KVM_GET_XSAVE / KVM_SET_XSAVE.
 *
 * IA32_XFD: copy3 predates AMX, so it has no guest reallocation (an XFD-armed guest feature is
 * n/a).  Its buffers carry an XFD value as the fpstates of KVM did before the swap (5.16):
 * user_fpu takes the task's XFD with the task's state at load and gives it back at put, and
 * while the registers count as the task's the task buffer stands for the guest's state and
 * carries the guest's XFD.  IA32_XFD is written through the per-CPU cache, so a KVM_RUN whose
 * guest runs with the task's XFD writes it not at all.
 */
#include "policy.h"
#include "fpb_nofp.h"

int fpb_pol_copy3_save_current(struct fpb_machine *m, struct fpb_sim_ctx *c,
			       struct fpb_fpstate *dst, bool memcpy_when_pending)
{
	int r;

	if (!c->need_load)
		return fpb_fpu_save(m, dst);
	if (!memcpy_when_pending)
		return 0;
	r = fpb_prim_copy(m->be, dst->buf, c->task_fps.buf, c->task_fps.size);
	return r < 0 ? r : 0;
}

/* The task's XFD moves with its state into user_fpu; the task buffer takes the guest's. */
void fpb_pol_copy3_xfd_load(struct fpb_sim_ctx *c)
{
	c->user_fpu.xfd = c->task_fps.xfd;
	c->task_fps.xfd = c->guest_fps.xfd;
}

static int copy3_load(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	int r = fpb_pol_guest_host_pkru_ready(m, c, cpu);

	if (!r)
		r = fpb_pol_copy3_save_current(m, c, &c->user_fpu, true);
	fpb_pol_copy3_xfd_load(c);
	if (!r)
		r = fpb_fpu_restore(m, cpu, &c->guest_fps, fpb_fpu_mask(m, false));
	fpb_fpu_activate(m, c, cpu);
	return r;
}

static int copy3_put(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	int r = fpb_pol_copy3_save_current(m, c, &c->guest_fps, true);

	c->task_fps.xfd = c->user_fpu.xfd;
	if (!r)
		r = fpb_fpu_restore(m, cpu, &c->user_fpu,
				    fpb_fpu_mask(m, fpb_pol_pkru_in_restore(m)));
	fpb_fpu_activate(m, c, cpu);
	return r;
}

/* vcpu_enter_guest(): a pending load first (switch_fpu_return), then the xsave-state switch. */
static int copy3_vm_entry(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	int r = c->need_load ? fpb_task_return(m, c, cpu) : 0;

	return r ? r : fpb_kvm_load_guest_xsave_state(m, c, cpu);
}

const struct fpb_strategy fpb_strategy_copy3 = {
	.name		= "copy3",
	.summary	= "KVM before 5.16: task fpstate, user_fpu, guest_fpu; memcpy when saved",
	.family		= FPB_FAMILY_GUEST,
	.flags		= FPB_STRAT_THREE_BUFFERS,
	.version	= FPB_STRATEGY_OPS_VERSION,
	/*
	 * 2: XFD carried in user_fpu (revision 1 restored user_fpu with XFD 0: host disarmed);
	 * over lazy, a pending load is done before vcpu_load (the host's PKRU)
	 */
	.model_rev	= 2,
	.source		= "KVM kvm_load_guest_fpu/kvm_put_guest_fpu (Linux 5.2-5.15)",
	.ops = {
		.vcpu_load	= copy3_load,
		.vcpu_put	= copy3_put,
		.vm_entry	= copy3_vm_entry,
		.vm_exit	= fpb_kvm_load_host_xsave_state,
		.get_xsave	= fpb_kvm_get_xsave,
		.set_xsave	= fpb_kvm_set_xsave,
	},
};
