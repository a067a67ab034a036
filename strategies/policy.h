/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * policy.h - building blocks the strategy files (and the test-only mutants) compose: the pieces of
 * the kernel's fpu/core.c, signal.c, regset.c and KVM's xsave-state switch, each following one of
 * the seed threads.  All hardware access is through the counted fpb_prim_*() wrappers.
 */
#ifndef FPB_POLICY_H
#define FPB_POLICY_H

#include "machine.h"

/* Deferred restore (x86-lazy-fpu-restore-rfc-2016, Linux 5.2+). */
int fpb_pol_deferred_switch_out(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu);
int fpb_pol_deferred_switch_in(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu);
/*
 * switch_fpu_return(): when a load is pending, restore unless fpregs_state_valid() (owner is c and
 * c->last_cpu is cpu; check_cpu false drops the last_cpu test, for the mutant), then activate.
 */
int fpb_pol_deferred_return(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu,
			    bool with_pkru, bool check_cpu);
int fpb_pol_deferred_kfpu_begin(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu);

/* Signal frame: bring the registers in (through the task policy), XSAVE them, load init. */
int fpb_pol_signal(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu, bool with_pkru);
/* rt_sigreturn fast path: XRSTOR straight from the frame, then the registers are c's. */
int fpb_pol_sigreturn(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu, bool with_pkru);
int fpb_pol_ptrace_read(struct fpb_machine *m, struct fpb_sim_ctx *t, unsigned cpu);
/* Writes the stopped task's fpstate from the user ABI and invalidates (last_cpu = -1). */
int fpb_pol_ptrace_write(struct fpb_machine *m, struct fpb_sim_ctx *t, unsigned cpu);

/* Eager PKRU (Linux 5.14+ x86_pkru_load): read at switch out, write at switch in on change. */
int fpb_pol_pkru_read(struct fpb_machine *m, struct fpb_sim_ctx *prev, unsigned cpu);
int fpb_pol_pkru_write(struct fpb_machine *m, struct fpb_sim_ctx *next, unsigned cpu);

/* KVM's guest/host xsave-state switch around each VM entry and exit (XCR0, IA32_XSS, PKRU). */
int fpb_kvm_load_guest_xsave_state(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu);
int fpb_kvm_load_host_xsave_state(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu);
/* Its second half: the host's PKRU, XCR0 and IA32_XSS back, without reading the guest's PKRU. */
int fpb_kvm_restore_host_xsave_state(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu);
/*
 * Before vcpu_load under a task policy that restores PKRU with the rest (lazy): while a load is
 * pending the host's PKRU is only in the task's buffer, and KVM reads the register (host_pkru)
 * before entry, so the registers come back first, as for a user-memory access.  A no-op under
 * eager-pkru, which keeps the task's PKRU in the register at every switch.
 */
int fpb_pol_guest_host_pkru_ready(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu);
/* KVM_GET_XSAVE / KVM_SET_XSAVE: the guest buffer to and from the user ABI. */
int fpb_kvm_get_xsave(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu);
int fpb_kvm_set_xsave(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu);

/* copy3's kvm_save_current_fpu(): memcpy from the task buffer when a load is pending, else save. */
int fpb_pol_copy3_save_current(struct fpb_machine *m, struct fpb_sim_ctx *c,
			       struct fpb_fpstate *dst, bool memcpy_when_pending);
/* copy3 at vcpu load: the task's XFD to user_fpu, the guest's to the task buffer. */
void fpb_pol_copy3_xfd_load(struct fpb_sim_ctx *c);
/* swap's fpu_swap_kvm_fpstate(); honour_need_load false is the test-only mutant. */
int fpb_pol_swap_fpstate(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu, bool enter,
			 bool honour_need_load);

/* Does the composed task policy restore PKRU with the rest of the state? */
static inline bool fpb_pol_pkru_in_restore(const struct fpb_machine *m)
{
	return !(m->task->flags & FPB_STRAT_PKRU_EAGER);
}

#endif /* FPB_POLICY_H */
