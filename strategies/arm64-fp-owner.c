// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64-fp-owner.c - KVM/arm64's guest FP switch with a per-CPU fp_owner (FREE, HOST_OWNED,
 * GUEST_OWNED; arm64-kvm-host-data-fp-owner-2024.txt, Linux 6.10).
 *   kvm_arch_vcpu_load_fp(): fp_owner = HOST_OWNED and nothing is saved; but when the host has
 *     SME streaming mode or ZA live, fp_owner = FREE and fpsimd_save_and_flush_cpu_state() saves
 *     everything (ZA included; in streaming mode Z/P at the streaming VL, FFR with FA64) eagerly
 *     and leaves streaming mode, because the trap handler saves only the FPSIMD registers.
 *   kvm_arch_vcpu_ctxflush_fp() before each entry: FREE when TIF_FOREIGN_FPSTATE (a kernel NEON
 *     user or a preemption took the registers); FP accesses trap unless GUEST_OWNED.
 *   kvm_hyp_handle_fpsimd(), the guest's first FP use: save the host registers only when
 *     HOST_OWNED, restore the guest's, fp_owner = GUEST_OWNED (bound to the CPU at ctxsync).
 *   kvm_arch_vcpu_put_fp(): when GUEST_OWNED save the guest registers and flush: the host's
 *     restore waits for the return to user (TIF_FOREIGN_FPSTATE).
 * A KVM_RUN whose guest never touches FP saves and restores nothing.
 */
#include "arm64-machine.h"
#include "fpb_nofp.h"

static enum fpb_a64_fp_owner *owner_of(struct fpb_machine *m, unsigned cpu)
{
	return &fpb_a64(m)->acpu[cpu].fp_owner;
}

static int fpo_load(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	*owner_of(m, cpu) = FPB_A64_FP_HOST_OWNED;
	/*
	 * read_sysreg_s(SYS_SVCR): SM is the CPU's (a task switched out in streaming mode leaves
	 * it set until the next flush or load), ZA is the task's in this model.
	 */
	if (fpb_a64(m)->acpu[cpu].sm || fpb_a64(m)->x[c->id].za_live) {
		*owner_of(m, cpu) = FPB_A64_FP_FREE;
		return fpb_a64_save_and_flush(m, c, cpu);
	}
	return 0;
}

static int fpo_entry(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	if (c->need_load)
		*owner_of(m, cpu) = FPB_A64_FP_FREE;
	fpb_a64(m)->x[c->id].fp_trap = *owner_of(m, cpu) != FPB_A64_FP_GUEST_OWNED;
	return 0;
}

static int fpo_trap(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	int r = 0;

	if (*owner_of(m, cpu) == FPB_A64_FP_HOST_OWNED)
		r = fpb_a64_save_host(m, c);
	if (!r)
		r = fpb_a64_load_guest(m, c, cpu);
	*owner_of(m, cpu) = FPB_A64_FP_GUEST_OWNED;
	fpb_a64(m)->x[c->id].fp_trap = false;
	return r;
}

static int fpo_exit(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	(void)m;
	(void)c;
	(void)cpu;	/* ctxsync: the guest state was bound to the CPU at the trap */
	return 0;
}

static int fpo_put(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	int r = 0;

	if (*owner_of(m, cpu) == FPB_A64_FP_GUEST_OWNED) {
		r = fpb_a64_save_and_flush(m, c, cpu);
		fpb_a64(m)->x[c->id].bound_guest = false;
	}
	*owner_of(m, cpu) = FPB_A64_FP_FREE;
	return r;
}

const struct fpb_strategy fpb_strategy_arm64_fp_owner = {
	.name		= "arm64-fp-owner",
	.summary	= "arm64 KVM: per-CPU fp_owner, trap on first guest FP use, eager flush for SME",
	.family		= FPB_FAMILY_GUEST,
	.flags		= FPB_STRAT_ARCH_ARM64 | FPB_STRAT_DEFERRED | FPB_STRAT_SME,
	.version	= FPB_STRATEGY_OPS_VERSION,
	.model_rev	= 1,
	.source		= "arm64-kvm-host-data-fp-owner-2024 (Linux 6.10 host_data fp_owner)",
	.ops = {
		.vcpu_load	= fpo_load,
		.vcpu_put	= fpo_put,
		.vm_entry	= fpo_entry,
		.vm_exit	= fpo_exit,
		.get_xsave	= fpb_a64_get_regs,
		.set_xsave	= fpb_a64_set_regs,
		.guest_fp_trap	= fpo_trap,
	},
};
