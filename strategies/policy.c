// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * policy.c - the building blocks of policy.h.  Each follows the kernel code the seed threads
 * discuss; the comments name the kernel function modelled.
 */
#include "policy.h"
#include "xstate.h"
#include "fpb_nofp.h"

static bool is_user(const struct fpb_sim_ctx *c)
{
	return !(c->flags & FPB_CTX_KTHREAD);
}

/* switch_fpu_prepare(): save unless the registers are not this task's (load pending). */
int fpb_pol_deferred_switch_out(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	int r;

	if (!is_user(c) || c->need_load)
		return 0;
	r = fpb_fpu_save(m, c->fps);
	c->last_cpu = (int)cpu;
	return r;
}

/* switch_fpu_finish(): only mark the load for the return to user mode. */
int fpb_pol_deferred_switch_in(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	(void)m;
	(void)cpu;
	if (is_user(c))
		c->need_load = true;
	return 0;
}

int fpb_pol_deferred_return(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu,
			    bool with_pkru, bool check_cpu)
{
	bool valid;
	int r = 0;

	if (!c->need_load)
		return 0;
	valid = m->cpu[cpu].owner == c && (!check_cpu || c->last_cpu == (int)cpu);
	if (!valid)
		r = fpb_fpu_restore(m, cpu, c->fps, fpb_fpu_mask(m, with_pkru));
	fpb_fpu_activate(m, c, cpu);
	return r;
}

/* kernel_fpu_begin(): save the task's registers once, then nobody owns them. */
int fpb_pol_deferred_kfpu_begin(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	int r = 0;

	if (is_user(c) && !c->need_load) {
		c->need_load = true;
		r = fpb_fpu_save(m, c->fps);
	}
	fpb_fpu_invalidate_cpu(m, cpu);
	return r;
}

/*
 * copy_fpstate_to_sigframe() then fpu__clear_user_states(): load the registers if a load is
 * pending, XSAVE them (standard format) into the frame, give the handler the init state.
 */
int fpb_pol_signal(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu, bool with_pkru)
{
	int r = fpb_task_return(m, c, cpu);

	if (r)
		return r;
	fpb_sim_zero((char *)c->sigframe + FPB_XSAVE_HDR_OFFSET, FPB_XSAVE_HDR_SIZE);
	r = fpb_prim_save(m->be, FPB_OP_XSAVE, c->sigframe, c->fps->features & m->lay.features);
	if (r < 0)
		return r;
	/* init_fpstate's registers under the task's own IA32_XFD (AMX stays enabled if it was) */
	r = fpb_fpu_xfd_update(m, cpu, c->fps);
	if (!r)
		r = fpb_prim_restore(m->be, m->restore_op, m->init_fps.buf,
				     fpb_fpu_mask(m, with_pkru) & ~FPB_BIT(FPB_XF_PKRU) &
				     m->lay.features);
	fpb_fpu_activate(m, c, cpu);
	return r < 0 ? r : 0;
}

/* __fpu_restore_sig() fast path: XRSTOR from the frame, fpregs_mark_activate(). */
int fpb_pol_sigreturn(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu, bool with_pkru)
{
	int r = fpb_fpu_xfd_update(m, cpu, c->fps);

	if (r)
		return r;
	r = fpb_prim_restore(m->be, FPB_OP_XRSTOR, c->sigframe, fpb_fpu_mask(m, with_pkru));
	if (r < 0)
		return r;
	fpb_fpu_activate(m, c, cpu);
	return 0;
}

/* xstateregs_get(): the stopped tracee's fpstate is current; convert it to the user ABI. */
int fpb_pol_ptrace_read(struct fpb_machine *m, struct fpb_sim_ctx *t, unsigned cpu)
{
	(void)cpu;
	return fpb_fpu_to_uabi(m, m->uabi, t->fps);
}

/*
 * xstateregs_set(): convert into the tracee's fpstate and invalidate its registers anywhere; the
 * PKRU written goes to thread.pkru too (copy_uabi_to_xstate(), Linux 5.14+), which is where an
 * eager-PKRU switch takes it from.
 */
int fpb_pol_ptrace_write(struct fpb_machine *m, struct fpb_sim_ctx *t, unsigned cpu)
{
	(void)cpu;
	t->last_cpu = -1;
	if (m->pkru_enabled)
		t->pkru = fpb_fpu_uabi_pkru(m, m->uabi);
	return fpb_fpu_from_uabi(m, t->fps, m->uabi);
}

/* x86_pkru_load(), first half: remember the outgoing task's PKRU. */
int fpb_pol_pkru_read(struct fpb_machine *m, struct fpb_sim_ctx *prev, unsigned cpu)
{
	uint32_t v;
	int r = fpb_fpu_rdpkru(m, cpu, &v);

	if (r)
		return r;
	prev->pkru = v;
	m->cpu[cpu].pkru_seen = v;
	return 0;
}

/* x86_pkru_load(), second half: WRPKRU only when the value changes. */
int fpb_pol_pkru_write(struct fpb_machine *m, struct fpb_sim_ctx *next, unsigned cpu)
{
	if (next->pkru == m->cpu[cpu].pkru_seen)
		return 0;
	m->cpu[cpu].pkru_seen = next->pkru;
	return fpb_fpu_wrpkru(m, cpu, next->pkru);
}

/*
 * kvm_load_guest_xsave_state(): XCR0, IA32_XSS and PKRU of the guest, each only if different;
 * the host's PKRU is read first (vcpu->arch.host_pkru) for the way back.
 */
int fpb_kvm_load_guest_xsave_state(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	int r = fpb_fpu_rdpkru(m, cpu, &c->host_pkru);

	if (c->guest_xcr0 != m->host_xcr0) {
		r = fpb_prim_xsetbv(m->be, 0, c->guest_xcr0);
		m->cpu[cpu].xcr0 = c->guest_xcr0;
	}
	if (r >= 0 && c->guest_xss != m->host_xss) {
		r = fpb_prim_write_xss(m->be, c->guest_xss);
		m->cpu[cpu].xss = c->guest_xss;
	}
	if (r >= 0 && c->guest_pkru != c->host_pkru)
		r = fpb_fpu_wrpkru(m, cpu, c->guest_pkru);
	return r < 0 ? r : 0;
}

/* kvm_load_host_xsave_state(): read the guest's PKRU back, then put the host's values back. */
int fpb_kvm_load_host_xsave_state(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	int r = fpb_fpu_rdpkru(m, cpu, &c->guest_pkru);

	return r ? r : fpb_kvm_restore_host_xsave_state(m, c, cpu);
}

int fpb_kvm_restore_host_xsave_state(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	int r = 0;

	if (c->guest_pkru != c->host_pkru)
		r = fpb_fpu_wrpkru(m, cpu, c->host_pkru);
	if (!r && c->guest_xcr0 != m->host_xcr0) {
		r = fpb_prim_xsetbv(m->be, 0, m->host_xcr0);
		m->cpu[cpu].xcr0 = m->host_xcr0;
	}
	if (r >= 0 && c->guest_xss != m->host_xss) {
		r = fpb_prim_write_xss(m->be, m->host_xss);
		m->cpu[cpu].xss = m->host_xss;
	}
	return r < 0 ? r : 0;
}

/* The guest's PKRU travels in vcpu->arch.pkru, not in the guest buffer (never restored from it). */
int fpb_pol_xfd_first_use(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	struct fpb_fpstate nfps;
	int r;

	/*
	 * XFD_ERR (RDMSR, then WRMSR 0) has no backend primitive: not counted.  The feature the
	 * #NM was for is every armed dynamic one here (AMX tile data).
	 */
	if (!c->amx_permitted)
		return -EPERM;
	/* fpstate_realloc(): the current state into the registers first */
	r = c->need_load ? fpb_task_return(m, c, cpu) : 0;
	if (r)
		return r;
	fpb_sim_zero(&nfps, sizeof(nfps));
	r = fpb_fpu_fps_alloc(m, &nfps, m->fcfg.kernel.max_features, 0);
	if (r)
		return r;
	nfps.xfd = c->task_fps.xfd & ~m->xfd_dynamic;
	fpb_fpu_fps_free(&c->task_fps);
	c->task_fps = nfps;
	c->fps = &c->task_fps;
	c->amx_enabled = true;
	/* The registers stay c's: nothing to restore, only IA32_XFD. */
	return fpb_fpu_xfd_update(m, cpu, c->fps);
}

int fpb_pol_guest_host_pkru_ready(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	if (!c->need_load || !m->pkru_enabled || !fpb_pol_pkru_in_restore(m))
		return 0;
	return fpb_task_return(m, c, cpu);
}

int fpb_kvm_get_xsave(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	int r;

	(void)cpu;
	r = fpb_fpu_to_uabi(m, m->uabi, &c->guest_fps);
	if (!r)
		fpb_fpu_uabi_set_pkru(m, m->uabi, c->guest_pkru);
	return r;
}

int fpb_kvm_set_xsave(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	(void)cpu;
	if (m->pkru_enabled)
		c->guest_pkru = fpb_fpu_uabi_pkru(m, m->uabi);
	return fpb_fpu_from_uabi(m, &c->guest_fps, m->uabi);
}
