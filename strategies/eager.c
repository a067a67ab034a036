// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * eager.c - the baseline task policy: save the outgoing task and restore the incoming one at every
 * switch (x86 eager FPU before the deferred-restore work); kernel FPU use saves and restores
 * around itself; PKRU travels with the rest of the XSAVE state.
 */
#include "policy.h"
#include "fpb_nofp.h"

static int eager_switch_out(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	int r;

	if (c->flags & FPB_CTX_KTHREAD)
		return 0;
	r = fpb_fpu_save(m, c->fps);
	c->last_cpu = (int)cpu;
	return r;
}

static int eager_switch_in(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	int r;

	if (c->flags & FPB_CTX_KTHREAD)
		return 0;
	r = fpb_fpu_restore(m, cpu, c->fps, fpb_fpu_mask(m, true));
	fpb_fpu_activate(m, c, cpu);
	return r;
}

static int eager_kfpu_begin(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	int r = 0;

	if (!(c->flags & FPB_CTX_KTHREAD))
		r = fpb_fpu_save(m, c->fps);
	fpb_fpu_invalidate_cpu(m, cpu);
	return r;
}

static int eager_kfpu_end(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	return (c->flags & FPB_CTX_KTHREAD) ? 0 : eager_switch_in(m, c, cpu);
}

static int eager_signal(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	return fpb_pol_signal(m, c, cpu, true);
}

static int eager_sigreturn(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	return fpb_pol_sigreturn(m, c, cpu, true);
}

const struct fpb_strategy fpb_strategy_eager = {
	.name		= "eager",
	.summary	= "save outgoing, restore incoming at every switch (baseline)",
	.family		= FPB_FAMILY_TASK,
	.flags		= 0,
	.version	= FPB_STRATEGY_OPS_VERSION,
	.source		= "x86 eager FPU (Linux 4.x, before TIF_NEED_FPU_LOAD)",
	.ops = {
		.switch_out		= eager_switch_out,
		.switch_in		= eager_switch_in,
		.kernel_fpu_begin	= eager_kfpu_begin,
		.kernel_fpu_end		= eager_kfpu_end,
		.signal_deliver		= eager_signal,
		.sigreturn		= eager_sigreturn,
		.ptrace_read		= fpb_pol_ptrace_read,
		.ptrace_write		= fpb_pol_ptrace_write,
	},
};
