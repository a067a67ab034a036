// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * eager-pkru.c - deferred restore for everything but PKRU, which is read at every switch and
 * written (WRPKRU) when the incoming task's differs, because the kernel's own accesses to user
 * memory obey PKRU (Linux 5.14+, x86_pkru_load(); the default under guest policies).
 */
#include "policy.h"
#include "fpb_nofp.h"

static int epkru_switch_out(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	int r = fpb_pol_deferred_switch_out(m, c, cpu);

	return r ? r : fpb_pol_pkru_read(m, c, cpu);
}

static int epkru_switch_in(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	int r = fpb_pol_pkru_write(m, c, cpu);

	return r ? r : fpb_pol_deferred_switch_in(m, c, cpu);
}

static int epkru_return(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	return fpb_pol_deferred_return(m, c, cpu, false, true);
}

static int epkru_signal(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	return fpb_pol_signal(m, c, cpu, false);
}

static int epkru_sigreturn(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	/* the frame's PKRU comes back with the rest (restore_fpregs_from_user()) */
	return fpb_pol_sigreturn(m, c, cpu, true);
}

const struct fpb_strategy fpb_strategy_eager_pkru = {
	.name		= "eager-pkru",
	.summary	= "deferred restore, PKRU switched eagerly (Linux default)",
	.family		= FPB_FAMILY_TASK,
	.flags		= FPB_STRAT_DEFERRED | FPB_STRAT_PKRU_EAGER,
	.version	= FPB_STRATEGY_OPS_VERSION,
	/* 2: sigreturn restores the frame's PKRU (revision 1 left the handler's) */
	.model_rev	= 2,
	.source		= "Linux 5.14+ (x86_pkru_load, TIF_NEED_FPU_LOAD)",
	.ops = {
		.switch_out		= epkru_switch_out,
		.switch_in		= epkru_switch_in,
		.return_to_user		= epkru_return,
		.kernel_fpu_begin	= fpb_pol_deferred_kfpu_begin,
		.signal_deliver		= epkru_signal,
		.sigreturn		= epkru_sigreturn,
		.ptrace_read		= fpb_pol_ptrace_read,
		.ptrace_write		= fpb_pol_ptrace_write,
	},
};
