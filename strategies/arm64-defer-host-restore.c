// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64-defer-host-restore.c - KVM/arm64's guest FP switch of 2018 (arm64-kvm-defer-host-vfp-
 * restore-2018.txt and the series that followed it in Linux 4.18): per-vCPU flags instead of a
 * per-CPU owner.
 *   vcpu_load: FP_ENABLED clear; FP_HOST set when the host's registers are live (no
 *     TIF_FOREIGN_FPSTATE), i.e. they must be saved before the guest may use FP.
 *   before each entry: TIF_FOREIGN_FPSTATE (kernel NEON, preemption) clears both flags.
 *   the guest's first FP use traps: save the host registers if FP_HOST, restore the guest's,
 *     FP_ENABLED; the guest state is then bound to the CPU.
 *   vcpu_put: with FP_ENABLED save the guest registers and flush the CPU's state; the host
 *     restore is deferred to the return to user (TIF_FOREIGN_FPSTATE), never done at vcpu_put.
 * It predates SME: a host with ZA live or in streaming mode is outside its design (the scenarios
 * mark it n/a).
 */
#include "arm64-machine.h"
#include "fpb_nofp.h"

/* The FP_ENABLED/FP_HOST handlers, shared with arm64-restore-at-put.c (arm64-machine.h). */

int fpb_a64_flags_load(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	struct fpb_a64_ctx *x = &fpb_a64(m)->x[c->id];

	(void)cpu;
	x->fp_enabled = false;
	x->fp_host = !c->need_load;
	return 0;
}

int fpb_a64_flags_entry(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	struct fpb_a64_ctx *x = &fpb_a64(m)->x[c->id];

	(void)cpu;
	if (c->need_load)
		x->fp_enabled = x->fp_host = false;
	x->fp_trap = !x->fp_enabled;
	return 0;
}

int fpb_a64_flags_trap(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
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

int fpb_a64_flags_exit(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	(void)m;
	(void)c;
	(void)cpu;
	return 0;
}

int fpb_a64_flags_put(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	struct fpb_a64_ctx *x = &fpb_a64(m)->x[c->id];
	int r = 0;

	if (x->fp_enabled) {
		r = fpb_a64_save_and_flush(m, c, cpu);
		x->bound_guest = false;
	}
	x->fp_enabled = x->fp_host = false;
	return r;
}

const struct fpb_strategy fpb_strategy_arm64_defer_host_restore = {
	.name		= "arm64-defer-host-restore",
	.summary	= "arm64 KVM 2018: lazy guest restore on trap, host restore deferred to user",
	.family		= FPB_FAMILY_GUEST,
	.flags		= FPB_STRAT_ARCH_ARM64 | FPB_STRAT_DEFERRED,
	.version	= FPB_STRATEGY_OPS_VERSION,
	.model_rev	= 1,
	.source		= "arm64-kvm-defer-host-vfp-restore-2018 (Linux 4.18 FP_ENABLED/FP_HOST)",
	.ops = {
		.vcpu_load	= fpb_a64_flags_load,
		.vcpu_put	= fpb_a64_flags_put,
		.vm_entry	= fpb_a64_flags_entry,
		.vm_exit	= fpb_a64_flags_exit,
		.get_xsave	= fpb_a64_get_regs,
		.set_xsave	= fpb_a64_set_regs,
		.guest_fp_trap	= fpb_a64_flags_trap,
	},
};
