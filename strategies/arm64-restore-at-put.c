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

static int rap_load(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	struct fpb_a64_ctx *x = &fpb_a64(m)->x[c->id];

	(void)cpu;
	x->fp_enabled = false;
	x->fp_host = !c->need_load;
	return 0;
}

static int rap_entry(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	struct fpb_a64_ctx *x = &fpb_a64(m)->x[c->id];

	(void)cpu;
	if (c->need_load)
		x->fp_enabled = x->fp_host = false;
	x->fp_trap = !x->fp_enabled;
	return 0;
}

static int rap_trap(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	struct fpb_a64_ctx *x = &fpb_a64(m)->x[c->id];
	int r = 0;

	if (x->fp_host)
		r = fpb_a64_save_host(m, c);
	x->fp_host = false;
	if (!r)
		r = fpb_a64_load_guest(m, c, cpu);
	x->fp_enabled = true;
	x->fp_trap = false;
	return r;
}

static int rap_exit(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	(void)m;
	(void)c;
	(void)cpu;
	return 0;
}

static int rap_put(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	struct fpb_a64_ctx *x = &fpb_a64(m)->x[c->id];
	int r = 0;

	if (x->fp_enabled) {
		r = fpb_a64_save_and_flush(m, c, cpu);
		x->bound_guest = false;
		if (!r)		/* the host's registers back now, not at the return to user */
			r = fpb_a64_restore_current(m, c, cpu);
	}
	x->fp_enabled = x->fp_host = false;
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
		.vcpu_load	= rap_load,
		.vcpu_put	= rap_put,
		.vm_entry	= rap_entry,
		.vm_exit	= rap_exit,
		.get_xsave	= fpb_a64_get_regs,
		.set_xsave	= fpb_a64_set_regs,
		.guest_fp_trap	= rap_trap,
	},
};
