// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64-scenarios.c - vCPU scenarios for the arm64 guest policies.  One vCPU thread (task 0) on
 * one CPU; the prefix brings it into the kernel ready for KVM_RUN, and each cycle is one whole
 * KVM_RUN: vcpu_load, some VM entries and exits (with or without guest FP use, which traps
 * under both designs), vcpu_put, and the return to user mode (where the deferred host restore
 * lands), optionally followed by the VMM's own FP use.  The SME scenarios keep the VMM's ZA live
 * or its streaming mode on across KVM_RUN.  Libc-free apart from fpb_env.h.
 */
#include "arm64-scenarios.h"

static size_t put(struct fpb_sim_event *ev, size_t max, size_t n, unsigned type)
{
	if (n < max)
		ev[n] = (struct fpb_sim_event){ .type = (uint8_t)type, .cpu = 0, .ctx = 0 };
	return n + 1;
}

static size_t gen_kvm_run(const struct fpb_a64_scenario *s, struct fpb_sim_event *ev, size_t max,
			  bool cycle)
{
	size_t n = 0;

	if (!cycle) {
		n = put(ev, max, n, FPB_EV_SWITCH);
		n = put(ev, max, n, FPB_EV_RETURN_TO_USER);
		n = put(ev, max, n, FPB_EV_USER_RUN);
		if (s->sm)	/* SMSTART SM and write Z/P; the VMM stays in streaming mode */
			n = put(ev, max, n, FPB_A64_EV_SM_ON);
		if (s->za)	/* SMSTART ZA and write it; it stays on from here */
			n = put(ev, max, n, FPB_A64_EV_ZA_ON);
		return put(ev, max, n, FPB_EV_ENTER_KERNEL);
	}
	n = put(ev, max, n, FPB_EV_KVM_RUN_ENTER);
	for (unsigned i = 0; i < s->entries; i++) {
		n = put(ev, max, n, FPB_EV_VM_ENTRY);
		if (s->guest_fp)
			n = put(ev, max, n, FPB_EV_GUEST_RUN);
		n = put(ev, max, n, FPB_EV_VM_EXIT);
	}
	n = put(ev, max, n, FPB_EV_KVM_RUN_EXIT);
	n = put(ev, max, n, FPB_EV_RETURN_TO_USER);
	if (s->user_fp)
		n = put(ev, max, n, FPB_EV_USER_RUN);
	return put(ev, max, n, FPB_EV_ENTER_KERNEL);
}

static size_t put_on(struct fpb_sim_event *ev, size_t max, size_t n, unsigned type, unsigned cpu,
		     unsigned ctx)
{
	if (n < max)
		ev[n] = (struct fpb_sim_event){ .type = (uint8_t)type, .cpu = (uint8_t)cpu,
						.ctx = (uint8_t)ctx };
	return n + 1;
}

/* One VM entry on cpu with guest FP use and its exit. */
static size_t entry_on(struct fpb_sim_event *ev, size_t max, size_t n, unsigned cpu)
{
	n = put_on(ev, max, n, FPB_EV_VM_ENTRY, cpu, 0);
	n = put_on(ev, max, n, FPB_EV_GUEST_RUN, cpu, 0);
	return put_on(ev, max, n, FPB_EV_VM_EXIT, cpu, 0);
}

/*
 * Interruptions inside one KVM_RUN of two entries with guest FP, between the first exit and the
 * second entry (the kernel's view: the vCPU thread is in the run loop, preemptible):
 *   softirq: kernel-mode NEON in a softirq (the 2018 thread's bug: the guest's registers go);
 *   preempted: another task runs on the CPU (the preempt notifiers put and load the vCPU);
 *   migrated: the vCPU thread is preempted and resumes on the other CPU (why fp_owner is per
 *     CPU: arm64-kvm-host-data-fp-owner-2024.txt), and comes back after the KVM_RUN.
 * Task 0 is the vCPU thread, task 1 the other task; idle tasks follow.
 */
static size_t gen_interrupted(const struct fpb_a64_scenario *s, struct fpb_sim_event *ev,
			      size_t max, bool cycle)
{
	unsigned nt = s->cfg.ntasks, on = 0;
	size_t n = 0;

	if (!cycle)
		return gen_kvm_run(s, ev, max, false);
	n = put_on(ev, max, n, FPB_EV_KVM_RUN_ENTER, 0, 0);
	n = entry_on(ev, max, n, 0);
	switch (s->interrupt) {
	case FPB_A64_INT_SOFTIRQ:
		n = put_on(ev, max, n, FPB_EV_KERNEL_FPU, 0, 0);
		break;
	case FPB_A64_INT_PREEMPT:	/* task 1 runs its program */
		n = put_on(ev, max, n, FPB_EV_SWITCH, 0, 1);
		n = put_on(ev, max, n, FPB_EV_RETURN_TO_USER, 0, 0);
		n = put_on(ev, max, n, FPB_EV_USER_RUN, 0, 0);
		n = put_on(ev, max, n, FPB_EV_ENTER_KERNEL, 0, 0);
		n = put_on(ev, max, n, FPB_EV_SWITCH, 0, 0);
		break;
	default:			/* to cpu1; back after the KVM_RUN */
		n = put_on(ev, max, n, FPB_EV_SWITCH, 0, nt);
		n = put_on(ev, max, n, FPB_EV_MIGRATE, 1, 0);
		n = put_on(ev, max, n, FPB_EV_SWITCH, 1, 0);
		on = 1;
		break;
	}
	n = entry_on(ev, max, n, on);
	n = put_on(ev, max, n, FPB_EV_KVM_RUN_EXIT, on, 0);
	n = put_on(ev, max, n, FPB_EV_RETURN_TO_USER, on, 0);
	n = put_on(ev, max, n, FPB_EV_ENTER_KERNEL, on, 0);
	if (on) {
		n = put_on(ev, max, n, FPB_EV_SWITCH, 1, nt + 1);
		n = put_on(ev, max, n, FPB_EV_MIGRATE, 0, 0);
		n = put_on(ev, max, n, FPB_EV_SWITCH, 0, 0);
	}
	return n;
}

#define A64_INTERRUPTED(n, nm, sum, kind, cpus, tasks)				\
	static const struct fpb_a64_scenario a64_##n = {				\
		.name = nm, .summary = sum, .event = "KVM_RUN",			\
		.events_per_cycle = 1, .gen = gen_interrupted, .entries = 2,		\
		.interrupt = (kind), .guest_fp = true,					\
		.cfg = { .ncpus = (cpus), .ntasks = (tasks), .nvcpus = 1 },		\
	}

A64_INTERRUPTED(kvm_run_softirq, "a64-kvm-run-softirq",
		"KVM_RUN of 2 entries with guest FP, kernel-mode NEON in a softirq between them",
		FPB_A64_INT_SOFTIRQ, 1, 1);
A64_INTERRUPTED(kvm_run_preempted, "a64-kvm-run-preempted",
		"KVM_RUN of 2 entries with guest FP, the vCPU thread preempted between them",
		FPB_A64_INT_PREEMPT, 1, 2);
A64_INTERRUPTED(kvm_run_migrated, "a64-kvm-run-migrated",
		"KVM_RUN of 2 entries with guest FP, the vCPU thread migrated to another CPU "
		"between them", FPB_A64_INT_MIGRATE, 2, 1);

#define A64_KVM_RUN(n, nm, sum, e, gfp, ufp, zal, sml)				\
	static const struct fpb_a64_scenario a64_##n = {				\
		.name = nm, .summary = sum, .event = "KVM_RUN",			\
		.events_per_cycle = 1, .gen = gen_kvm_run, .entries = (e),		\
		.guest_fp = (gfp), .user_fp = (ufp), .za = (zal), .sm = (sml),		\
		.cfg = { .ncpus = 1, .ntasks = 1, .nvcpus = 1, .za_size = 0 },		\
	}

A64_KVM_RUN(kvm_run_nofp, "a64-kvm-run-nofp", "KVM_RUN of 10 entries, the guest never touches FP",
	    10, false, false, false, false);
A64_KVM_RUN(kvm_run_fp, "a64-kvm-run-fp",
	    "KVM_RUN of 10 entries, the guest uses FP (first use traps)", 10, true,
	    false, false, false);
A64_KVM_RUN(put_return_user, "a64-put-return-user",
	    "KVM_RUN of 1 entry with guest FP, vcpu_put, return to a VMM "
	    "that uses FP", 1, true, true, false, false);
/*
 * The VMM keeps ZA live (SVCR.ZA) across KVM_RUN: fp_owner saves FPSIMD and ZA eagerly at
 * vcpu_load (the trap handler cannot save ZA) and the return to user restores both, whether or
 * not the guest touches FP.  Needs SME (HWCAP2_SME); ZA is SVL * SVL bytes at the thread's SVL.
 */
A64_KVM_RUN(kvm_run_za, "a64-kvm-run-za",
	    "KVM_RUN of 10 entries with the guest using FP while the host's SME ZA is live",
	    10, true, false, true, false);
A64_KVM_RUN(kvm_run_za_nofp, "a64-kvm-run-za-nofp",
	    "KVM_RUN of 10 entries, no guest FP, while the host's SME ZA is live", 10, false,
	    false, true, false);
/*
 * The VMM stays in streaming SVE mode (SVCR.SM) across KVM_RUN: fp_owner saves its Z/P registers
 * at the streaming vector length (FFR only with FEAT_SME_FA64) eagerly at vcpu_load and leaves
 * streaming mode; the return to user re-enters it and restores them.  With ZA live as well
 * (-sm-za) the flush and the restore move ZA too.  Needs SME.
 */
A64_KVM_RUN(kvm_run_sm, "a64-kvm-run-sm",
	    "KVM_RUN of 10 entries with the guest using FP while the VMM is in streaming mode",
	    10, true, false, false, true);
A64_KVM_RUN(kvm_run_sm_za, "a64-kvm-run-sm-za",
	    "KVM_RUN of 10 entries with guest FP while the VMM is in streaming mode with ZA live",
	    10, true, false, true, true);

const struct fpb_a64_scenario *const fpb_a64_scenarios[] = {
	&a64_kvm_run_nofp, &a64_kvm_run_fp, &a64_put_return_user, &a64_kvm_run_za,
	&a64_kvm_run_za_nofp, &a64_kvm_run_sm, &a64_kvm_run_sm_za,
	&a64_kvm_run_softirq, &a64_kvm_run_preempted, &a64_kvm_run_migrated,
};
const size_t fpb_a64_nr_scenarios = FPB_ARRAY_SIZE(fpb_a64_scenarios);

int fpb_a64_scenario_config(const struct fpb_a64_scenario *s, unsigned svl, bool fa64,
			    struct fpb_a64_config *cfg, char *why, size_t len)
{
	*cfg = s->cfg;
	if (!s->za && !s->sm)
		return 0;
	if (!svl) {
		fpb_snprintf(why, len, "needs SME's %s: no SME on this CPU (HWCAP2_SME clear)",
			     s->sm ? "streaming mode" : "ZA");
		return -1;
	}
	if (s->za)
		cfg->za_size = (size_t)svl * svl;
	if (s->sm) {
		cfg->svl = svl;
		cfg->fa64 = fa64;
	}
	return 0;
}

bool fpb_a64_scenario_applies(const struct fpb_a64_scenario *s, const struct fpb_strategy *st,
			      char *why, size_t len)
{
	if ((s->za || s->sm) && !(st->flags & FPB_STRAT_SME)) {
		fpb_snprintf(why, len, "%s predates SME (host %s at vcpu_load)", st->name,
			     s->sm ? "in streaming mode" : "ZA live");
		return false;
	}
	return true;
}

const struct fpb_a64_scenario *fpb_a64_scenario_find(const char *name)
{
	for (size_t i = 0; name && i < fpb_a64_nr_scenarios; i++) {
		const char *a = fpb_a64_scenarios[i]->name, *b = name;

		while (*a && *a == *b)
			a++, b++;
		if (*a == *b)
			return fpb_a64_scenarios[i];
	}
	return NULL;
}
