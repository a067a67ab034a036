// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * eager.c - the baseline task policies: save the outgoing task at every switch and restore the
 * incoming one in switch_fpu_finish(), before any return to user mode; kernel FPU use saves and
 * restores around itself; PKRU travels with the rest of the XSAVE state.
 *
 * eager is x86 eager FPU as the 2016 RFC's diff quotes it (x86-lazy-fpu-restore-rfc-2016.txt,
 * Linux 4.x): the restore at switch-in is skipped when fpu_want_lazy_restore() says the
 * registers still hold the incoming context (the CPU's owner is it and its last_cpu is this CPU).
 * A kernel thread leaves the owner alone ("But leave fpu_fpregs_owner_ctx!"), so a task coming
 * back after a kernel thread or idle restores nothing.  eager-always drops that check: every
 * switch-in restores, as x86's FPU preload did before fpu_lazy_restore() (before Linux 3.3): a
 * reference point, and the model eager had at revision 1.
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

/* switch_fpu_finish(): restore unless (when trust_owner) the registers are still c's. */
static int eager_load(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu,
		      bool trust_owner)
{
	int r = 0;

	if (c->flags & FPB_CTX_KTHREAD)
		return 0;
	if (!trust_owner || !fpb_fpu_regs_valid(m, c, cpu))
		r = fpb_fpu_restore(m, cpu, c->fps, fpb_fpu_mask(m, true));
	fpb_fpu_activate(m, c, cpu);
	return r;
}

static int eager_switch_in(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	return eager_load(m, c, cpu, true);
}

static int eager_always_switch_in(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	return eager_load(m, c, cpu, false);
}

static int eager_kfpu_begin(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	int r = 0;

	if (!(c->flags & FPB_CTX_KTHREAD))
		r = fpb_fpu_save(m, c->fps);
	fpb_fpu_invalidate_cpu(m, cpu);
	return r;
}

/* kernel_fpu_end(): the kernel clobbered the registers, so the task's come back every time. */
static int eager_kfpu_end(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	return eager_load(m, c, cpu, false);
}

static int eager_signal(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	return fpb_pol_signal(m, c, cpu, true);
}

static int eager_sigreturn(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	return fpb_pol_sigreturn(m, c, cpu, true);
}

#define EAGER_OPS(switch_in_hook) {					\
		.switch_out		= eager_switch_out,			\
		.switch_in		= switch_in_hook,			\
		.kernel_fpu_begin	= eager_kfpu_begin,			\
		.kernel_fpu_end		= eager_kfpu_end,			\
		.signal_deliver		= eager_signal,				\
		.sigreturn		= eager_sigreturn,			\
		.ptrace_read		= fpb_pol_ptrace_read,			\
		.ptrace_write		= fpb_pol_ptrace_write,			\
	}

const struct fpb_strategy fpb_strategy_eager = {
	.name		= "eager",
	.summary	= "save outgoing at every switch, restore incoming unless still loaded",
	.family		= FPB_FAMILY_TASK,
	.flags		= 0,
	.version	= FPB_STRATEGY_OPS_VERSION,
	/* 2: the fpu_want_lazy_restore() skip (revision 1 restored at every switch-in) */
	.model_rev	= 2,
	.source		= "x86 eager FPU with fpu_want_lazy_restore (Linux 4.x, quoted in "
			  "x86-lazy-fpu-restore-rfc-2016)",
	.ops		= EAGER_OPS(eager_switch_in),
};

const struct fpb_strategy fpb_strategy_eager_always = {
	.name		= "eager-always",
	.summary	= "save outgoing and restore incoming at every switch (no owner check)",
	.family		= FPB_FAMILY_TASK,
	.flags		= 0,
	.version	= FPB_STRATEGY_OPS_VERSION,
	.model_rev	= 1,
	.source		= "x86 FPU preload before fpu_lazy_restore (Linux < 3.3)",
	.ops		= EAGER_OPS(eager_always_switch_in),
};
