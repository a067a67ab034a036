// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64-restore-at-put.c - the host restore at vcpu_put, as v3 of "KVM: arm64: Defer restoring
 * host VFP state to vcpu_put" proposed it (arm64-kvm-defer-host-vfp-restore-2018.txt), beside the
 * design merged later (arm64-defer-host-restore.c), which defers that restore further, to the
 * return to user mode.
 *   vcpu_load: FP_ENABLED clear; FP_HOST when the host's registers are live.
 *   before each entry: TIF_FOREIGN_FPSTATE (kernel NEON in a softirq, a preemption) clears both:
 *     the fix the thread asked for, since a softirq may use kernel-mode NEON at any time
 *     between vcpu_load and vcpu_put and the guest's registers are then gone.  The patch as
 *     posted trusted FP_ENABLED here (the test-only mutant restore-at-put-ignores-softirq).
 *   the guest's first FP use traps: save the host registers if FP_HOST, load the guest's, bound
 *     to the CPU so that kernel NEON saves them as the guest's.
 *   vcpu_put: with FP_ENABLED save the guest registers and restore the host's right away: a
 *     VMM that goes back to KVM_RUN without touching FP pays that restore for nothing, one that
 *     returns to user mode finds its registers loaded.
 * It predates SME: a host with ZA live or in streaming mode is n/a.
 */
#include "arm64-machine.h"
#include "fpb_nofp.h"

/* As the later design, but the host's registers come back at vcpu_put itself. */
static int rap_put(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	bool was_enabled = fpb_a64(m)->x[c->id].fp_enabled;
	int r = fpb_a64_flags_put(m, c, cpu);

	if (!r && was_enabled)	/* the host's registers back now, not at the return to user */
		r = fpb_a64_restore_current(m, c, cpu);
	return r;
}

const struct fpb_strategy fpb_strategy_arm64_restore_at_put = {
	.name		= "arm64-restore-at-put",
	.summary	= "arm64 KVM 2018 as posted: lazy guest restore on trap, host restored at "
			  "vcpu_put",
	.family		= FPB_FAMILY_GUEST,
	.flags		= FPB_STRAT_ARCH_ARM64,
	.version	= FPB_STRATEGY_OPS_VERSION,
	.model_rev	= 1,
	.source		= "arm64-kvm-defer-host-vfp-restore-2018 (v3 09/41, with the softirq fix)",
	.ops = {
		.vcpu_load	= fpb_a64_flags_load,
		.vcpu_put	= rap_put,
		.vm_entry	= fpb_a64_flags_entry,
		.vm_exit	= fpb_a64_flags_exit,
		.get_xsave	= fpb_a64_get_regs,
		.set_xsave	= fpb_a64_set_regs,
		.guest_fp_trap	= fpb_a64_flags_trap,
	},
};
