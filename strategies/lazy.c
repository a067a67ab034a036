// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lazy.c - deferred restore (x86-lazy-fpu-restore-rfc-2016.txt; Linux 5.2's TIF_NEED_FPU_LOAD):
 * save at switch, restore at the return to user mode, skipped while the per-CPU owner is this
 * context and its last_cpu is this CPU.  Kernel FPU use (owner cleared), a ptrace write
 * (last_cpu = -1), migration (last_cpu differs) and first use (last_cpu = -1) invalidate it.
 * PKRU is part of the deferred state, so a kernel access to user memory before the return has to
 * load the registers first (the thread's objection answered the expensive way).
 */
#include "policy.h"
#include "fpb_nofp.h"

static int lazy_return(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	return fpb_pol_deferred_return(m, c, cpu, true, true);
}

static int lazy_user_access(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	if (!m->pkru_enabled)
		return 0;
	return fpb_pol_deferred_return(m, c, cpu, true, true);
}

static int lazy_signal(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	return fpb_pol_signal(m, c, cpu, true);
}

static int lazy_sigreturn(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	return fpb_pol_sigreturn(m, c, cpu, true);
}

const struct fpb_strategy fpb_strategy_lazy = {
	.name		= "lazy",
	.summary	= "save at switch, restore at return to user unless still loaded",
	.family		= FPB_FAMILY_TASK,
	.flags		= FPB_STRAT_DEFERRED,
	.version	= FPB_STRATEGY_OPS_VERSION,
	.model_rev	= 1,
	.source		= "x86-lazy-fpu-restore-rfc-2016 (Linux 5.2 deferred restore)",
	.ops = {
		.switch_out		= fpb_pol_deferred_switch_out,
		.switch_in		= fpb_pol_deferred_switch_in,
		.return_to_user		= lazy_return,
		.kernel_fpu_begin	= fpb_pol_deferred_kfpu_begin,
		.signal_deliver		= lazy_signal,
		.sigreturn		= lazy_sigreturn,
		.ptrace_read		= fpb_pol_ptrace_read,
		.ptrace_write		= fpb_pol_ptrace_write,
		.user_access		= lazy_user_access,
	},
};
