// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * scenarios.c - the task and vCPU scenarios the strategies are driven through, as prefix +
 * repeating cycle generators.
 * Task machines: tasks 0..2 on cpu0, kernel thread 3, idle 4 (cpu0) and 5 (cpu1).  vCPU machines:
 * vCPU thread 0, task 1, kernel thread 2, idle 3 and 4.
 */
#include "scenario.h"
#include "xstate.h"
#include "arm64-scenarios.h"
#include "fpb_nofp.h"

#define T0	0
#define T1	1
#define KT	3
#define IDLE1	5
#define V0	0
#define VT1	1
#define VKT	2

struct gen {
	struct fpb_sim_event *ev;
	size_t n, max;
};

static void put(struct gen *g, unsigned type, unsigned cpu, unsigned ctx)
{
	if (g->n < g->max)
		g->ev[g->n] = (struct fpb_sim_event){ .type = (uint8_t)type, .cpu = (uint8_t)cpu,
						      .ctx = (uint8_t)ctx };
	g->n++;
}

/* Current task on cpu returns to user mode, (maybe) writes its registers, enters the kernel. */
static void user(struct gen *g, unsigned cpu, bool writes)
{
	put(g, FPB_EV_RETURN_TO_USER, cpu, 0);
	if (writes)
		put(g, FPB_EV_USER_RUN, cpu, 0);
	put(g, FPB_EV_ENTER_KERNEL, cpu, 0);
}

static size_t start_t0(struct gen *g, bool writes)
{
	put(g, FPB_EV_SWITCH, 0, T0);
	user(g, 0, writes);
	return g->n;
}

static size_t gen_pingpong(const struct fpb_scenario *s, struct fpb_sim_event *ev, size_t max,
			   bool cycle)
{
	struct gen g = { ev, 0, max };
	bool dirty = !s->cfg.clean_state && !(cycle && (s->flags & FPB_SCN_UNTOUCHED));

	if (!cycle)
		return start_t0(&g, dirty);
	put(&g, FPB_EV_SWITCH, 0, T1);
	if (s->flags & FPB_SCN_PKRU)
		put(&g, FPB_EV_USER_ACCESS, 0, 0);
	user(&g, 0, dirty);
	put(&g, FPB_EV_SWITCH, 0, T0);
	if (s->flags & FPB_SCN_PKRU)
		put(&g, FPB_EV_USER_ACCESS, 0, 0);
	user(&g, 0, dirty);
	return g.n;
}

static size_t gen_interrupt(const struct fpb_scenario *s, struct fpb_sim_event *ev, size_t max,
			    bool cycle)
{
	struct gen g = { ev, 0, max };

	if (!cycle)
		return start_t0(&g, true);
	put(&g, FPB_EV_SWITCH, 0, s->k);	/* the kernel thread or the idle task */
	put(&g, FPB_EV_SWITCH, 0, T0);
	user(&g, 0, true);
	return g.n;
}

static size_t gen_kernel_fpu(const struct fpb_scenario *s, struct fpb_sim_event *ev, size_t max,
			     bool cycle)
{
	struct gen g = { ev, 0, max };

	if (!cycle)
		return start_t0(&g, true);
	for (unsigned i = 0; i < s->k; i++)
		put(&g, FPB_EV_KERNEL_FPU, 0, 0);
	user(&g, 0, true);
	return g.n;
}

static size_t gen_signal(const struct fpb_scenario *s, struct fpb_sim_event *ev, size_t max,
			 bool cycle)
{
	struct gen g = { ev, 0, max };
	bool dirty = !s->cfg.clean_state;

	if (!cycle)
		return start_t0(&g, dirty);
	put(&g, FPB_EV_SIGNAL, 0, 0);
	user(&g, 0, dirty);		/* the handler runs */
	put(&g, FPB_EV_SIGRETURN, 0, 0);
	user(&g, 0, dirty);
	return g.n;
}

static size_t gen_ptrace(const struct fpb_scenario *s, struct fpb_sim_event *ev, size_t max,
			 bool cycle)
{
	struct gen g = { ev, 0, max };

	(void)s;
	if (!cycle)
		return start_t0(&g, true);	/* T0 traces the stopped T1 */
	put(&g, FPB_EV_PTRACE_READ, 0, T1);
	put(&g, FPB_EV_PTRACE_WRITE, 0, T1);
	return g.n;
}

static size_t gen_migrate(const struct fpb_scenario *s, struct fpb_sim_event *ev, size_t max,
			  bool cycle)
{
	struct gen g = { ev, 0, max };

	(void)s;
	if (!cycle)
		return start_t0(&g, true);
	put(&g, FPB_EV_SWITCH, 0, KT);
	put(&g, FPB_EV_MIGRATE, 1, T0);
	put(&g, FPB_EV_SWITCH, 1, T0);
	user(&g, 1, true);
	put(&g, FPB_EV_SWITCH, 1, IDLE1);
	put(&g, FPB_EV_MIGRATE, 0, T0);
	put(&g, FPB_EV_SWITCH, 0, T0);
	user(&g, 0, true);
	return g.n;
}

/*
 * A task spinning in the kernel (a long syscall copying to user memory) is preempted by a user
 * task and resumes, still in the kernel: it never returns to user mode in the cycle.  The 2016
 * RFC's counter > 5 discussion: a deferred restore defers nothing here when the kernel touches
 * user memory under PKRU (the registers come back for PKRU's sake), eager restores at the
 * switch-in, eager-pkru writes PKRU alone.
 */
static size_t gen_kernel_spin(const struct fpb_scenario *s, struct fpb_sim_event *ev, size_t max,
			      bool cycle)
{
	struct gen g = { ev, 0, max };

	(void)s;
	if (!cycle)
		return start_t0(&g, true);
	put(&g, FPB_EV_SWITCH, 0, T1);
	user(&g, 0, true);
	put(&g, FPB_EV_SWITCH, 0, T0);
	put(&g, FPB_EV_USER_ACCESS, 0, 0);	/* copy_to_user, then it spins on */
	return g.n;
}

/*
 * A signal arrives for a task that was preempted in the kernel: its registers were saved and
 * another task ran, so the frame is written with a load pending (copy_fpstate_to_sigframe()
 * loads them first under a deferred restore).
 */
static size_t gen_signal_preempted(const struct fpb_scenario *s, struct fpb_sim_event *ev,
				   size_t max, bool cycle)
{
	struct gen g = { ev, 0, max };

	(void)s;
	if (!cycle)
		return start_t0(&g, true);
	put(&g, FPB_EV_SWITCH, 0, T1);
	user(&g, 0, true);
	put(&g, FPB_EV_SWITCH, 0, T0);
	put(&g, FPB_EV_SIGNAL, 0, 0);
	user(&g, 0, true);		/* the handler runs */
	put(&g, FPB_EV_SIGRETURN, 0, 0);
	user(&g, 0, true);
	return g.n;
}

static size_t start_v0(struct gen *g)
{
	put(g, FPB_EV_SWITCH, 0, V0);
	user(g, 0, true);
	return g->n;
}

/* A KVM_RUN with exits; a guest whose state stays clean never writes its registers. */
static void kvm_run_guest(struct gen *g, unsigned exits, bool guest_writes)
{
	put(g, FPB_EV_KVM_RUN_ENTER, 0, 0);
	for (unsigned i = 0; i < exits; i++) {
		put(g, FPB_EV_VM_ENTRY, 0, 0);
		if (guest_writes)
			put(g, FPB_EV_GUEST_RUN, 0, 0);
		put(g, FPB_EV_VM_EXIT, 0, 0);
	}
	put(g, FPB_EV_KVM_RUN_EXIT, 0, 0);
}

static void kvm_run(struct gen *g, unsigned exits)
{
	kvm_run_guest(g, exits, true);
}

static size_t gen_kvm_run(const struct fpb_scenario *s, struct fpb_sim_event *ev, size_t max,
			  bool cycle)
{
	struct gen g = { ev, 0, max };

	if (!cycle)
		return start_v0(&g);
	kvm_run_guest(&g, s->k, !s->cfg.guest_clean_state);
	user(&g, 0, false);		/* the VMM returns to user space and comes back */
	return g.n;
}

static size_t gen_kvm_user_exit(const struct fpb_scenario *s, struct fpb_sim_event *ev,
				size_t max, bool cycle)
{
	struct gen g = { ev, 0, max };

	if (!cycle)
		return start_v0(&g);
	kvm_run_guest(&g, 1, !s->cfg.guest_clean_state);
	user(&g, 0, true);		/* the VMM emulates the exit in user space */
	return g.n;
}

static size_t gen_kvm_need_load(const struct fpb_scenario *s, struct fpb_sim_event *ev,
				size_t max, bool cycle)
{
	struct gen g = { ev, 0, max };

	(void)s;
	if (!cycle)
		return start_v0(&g);
	put(&g, FPB_EV_KERNEL_FPU, 0, 0);	/* registers saved on the way: need-load set */
	kvm_run(&g, 1);
	user(&g, 0, true);
	return g.n;
}

/*
 * A load still pending at vcpu_put: after the last exit a softirq used the kernel FPU, so the
 * registers were saved into the current fpstate (TIF_NEED_FPU_LOAD) before KVM_RUN returns.
 * copy3's put-side kvm_save_current_fpu() then copies the task buffer into guest_fpu; swap only
 * swaps the pointer back.
 */
static size_t gen_kvm_put_pending(const struct fpb_scenario *s, struct fpb_sim_event *ev,
				  size_t max, bool cycle)
{
	struct gen g = { ev, 0, max };

	(void)s;
	if (!cycle)
		return start_v0(&g);
	put(&g, FPB_EV_KVM_RUN_ENTER, 0, 0);
	put(&g, FPB_EV_VM_ENTRY, 0, 0);
	put(&g, FPB_EV_GUEST_RUN, 0, 0);
	put(&g, FPB_EV_VM_EXIT, 0, 0);
	put(&g, FPB_EV_KERNEL_FPU, 0, 0);	/* softirq crypto after the exit */
	put(&g, FPB_EV_KVM_RUN_EXIT, 0, 0);
	user(&g, 0, true);
	return g.n;
}

/*
 * The vCPU thread is preempted inside KVM_RUN (between two exits) by a user task and resumes
 * there: the switch saves whatever the registers hold (the guest's, under both designs) and the
 * next VM entry loads it back.
 */
static size_t gen_kvm_preempt(const struct fpb_scenario *s, struct fpb_sim_event *ev, size_t max,
			      bool cycle)
{
	struct gen g = { ev, 0, max };

	(void)s;
	if (!cycle)
		return start_v0(&g);
	put(&g, FPB_EV_KVM_RUN_ENTER, 0, 0);
	put(&g, FPB_EV_VM_ENTRY, 0, 0);
	put(&g, FPB_EV_GUEST_RUN, 0, 0);
	put(&g, FPB_EV_VM_EXIT, 0, 0);
	put(&g, FPB_EV_SWITCH, 0, VT1);
	user(&g, 0, true);
	put(&g, FPB_EV_SWITCH, 0, V0);
	put(&g, FPB_EV_VM_ENTRY, 0, 0);
	put(&g, FPB_EV_GUEST_RUN, 0, 0);
	put(&g, FPB_EV_VM_EXIT, 0, 0);
	put(&g, FPB_EV_KVM_RUN_EXIT, 0, 0);
	user(&g, 0, false);
	return g.n;
}

static size_t gen_kvm_xsave_ioctl(const struct fpb_scenario *s, struct fpb_sim_event *ev,
				  size_t max, bool cycle)
{
	struct gen g = { ev, 0, max };

	(void)s;
	if (!cycle)
		return start_v0(&g);
	put(&g, FPB_EV_KVM_GET_XSAVE, 0, V0);
	put(&g, FPB_EV_KVM_SET_XSAVE, 0, V0);
	return g.n;
}

static size_t gen_kvm_realloc(const struct fpb_scenario *s, struct fpb_sim_event *ev, size_t max,
			      bool cycle)
{
	struct gen g = { ev, 0, max };

	(void)s;
	if (cycle)
		return 0;
	start_v0(&g);
	put(&g, FPB_EV_KVM_RUN_ENTER, 0, 0);
	put(&g, FPB_EV_VM_ENTRY, 0, 0);
	put(&g, FPB_EV_GUEST_RUN, 0, 0);
	put(&g, FPB_EV_GUEST_XFD_EXIT, 0, 0);
	put(&g, FPB_EV_KVM_RUN_EXIT, 0, 0);
	kvm_run(&g, 2);			/* the guest now uses AMX */
	user(&g, 0, true);
	return g.n;
}

/*
 * A task's first use of AMX (XFD armed): the #NM, the permission check, the fpstate reallocated
 * at the max size, XFD disarmed; then the task runs with AMX state through switches.  Task 0
 * holds the permission, task 1 does not (its first use gets SIGILL and changes nothing).
 */
static size_t gen_amx_first_use(const struct fpb_scenario *s, struct fpb_sim_event *ev,
				size_t max, bool cycle)
{
	struct gen g = { ev, 0, max };

	(void)s;
	if (cycle)
		return 0;
	put(&g, FPB_EV_SWITCH, 0, T1);
	put(&g, FPB_EV_RETURN_TO_USER, 0, 0);
	put(&g, FPB_EV_AMX_FIRST_USE, 0, 0);	/* no permission */
	put(&g, FPB_EV_SWITCH, 0, T0);
	put(&g, FPB_EV_RETURN_TO_USER, 0, 0);
	put(&g, FPB_EV_USER_RUN, 0, 0);
	put(&g, FPB_EV_AMX_FIRST_USE, 0, 0);
	user(&g, 0, true);			/* writes its tiles too */
	put(&g, FPB_EV_SWITCH, 0, T1);
	user(&g, 0, true);
	put(&g, FPB_EV_SIGNAL, 0, 0);
	user(&g, 0, true);
	put(&g, FPB_EV_SIGRETURN, 0, 0);
	put(&g, FPB_EV_SWITCH, 0, T0);
	user(&g, 0, true);
	return g.n;
}

#define TASK_CFG(...)	{ .ncpus = 2, .ntasks = 3, .nkthreads = 1, __VA_ARGS__ }
#define VCPU_CFG(...)	{ .ncpus = 2, .ntasks = 2, .nvcpus = 1, .nkthreads = 1, \
			  .guest_pkru_differs = true, __VA_ARGS__ }

#define SCN(id, nm, fam, evn, per, fl, kk, gn, sum, ...)			\
	static const struct fpb_scenario scn_##id = {				\
		.name = nm, .summary = sum, .family = fam, .event = evn,	\
		.events_per_cycle = per, .flags = fl, .k = kk, .gen = gn,	\
		.cfg = __VA_ARGS__ };

SCN(pingpong_dirty, "pingpong-dirty", FPB_FAMILY_TASK, "switch", 2, 0, 0, gen_pingpong,
    "two tasks with dirty AVX-512 state switch on one CPU", TASK_CFG())
SCN(pingpong_clean, "pingpong-clean", FPB_FAMILY_TASK, "switch", 2, 0, 0, gen_pingpong,
    "two tasks in the init state (never used the FPU) switch", TASK_CFG(.clean_state = true))
/*
 * XSAVES realism: a program that does not touch its registers between switches leaves XSAVEOPT's
 * and XSAVES's modified optimisation something to skip (the programs of the other scenarios
 * write theirs with an XRSTOR from a staging buffer, which defeats it); a partial image leaves
 * AVX-512, x87 or the opmask registers in their init state (the init optimisation, XSTATE_BV).
 */
SCN(pingpong_untouched, "pingpong-untouched", FPB_FAMILY_TASK, "switch", 2, FPB_SCN_UNTOUCHED, 0,
    gen_pingpong, "two tasks with dirty state switch; their programs leave the registers alone",
    TASK_CFG())
SCN(pingpong_partial, "pingpong-partial", FPB_FAMILY_TASK, "switch", 2, 0, 0, gen_pingpong,
    "two tasks switch; each write leaves some components (AVX-512, x87, opmask) in init",
    TASK_CFG(.partial_images = true))
SCN(kthread, "kthread-interrupt", FPB_FAMILY_TASK, "interruption", 1, 0, KT, gen_interrupt,
    "a kernel thread runs, the same task comes back", TASK_CFG())
SCN(idle, "idle", FPB_FAMILY_TASK, "idle", 1, 0, 4, gen_interrupt,
    "the CPU goes briefly idle, the same task comes back", TASK_CFG())
SCN(kfpu, "kernel-fpu", FPB_FAMILY_TASK, "kernel-fpu-use", 4, 0, 4, gen_kernel_fpu,
    "kernel FPU use four times before one return to user (softirq crypto)", TASK_CFG())
SCN(signal, "signal", FPB_FAMILY_TASK, "signal", 1, 0, 0, gen_signal,
    "signal delivery, handler, sigreturn", TASK_CFG())
SCN(signal_clean, "signal-clean", FPB_FAMILY_TASK, "signal", 1, 0, 0, gen_signal,
    "signal delivery, handler, sigreturn; the task's state stays in the init state",
    TASK_CFG(.clean_state = true))
SCN(ptrace, "ptrace", FPB_FAMILY_TASK, "ptrace-access", 2, 0, 0, gen_ptrace,
    "a tracer reads and writes a stopped task's state", TASK_CFG())
SCN(migrate, "migrate", FPB_FAMILY_TASK, "migration", 2, 0, 0, gen_migrate,
    "a task migrates to the other CPU and back", TASK_CFG())
SCN(uaccess, "user-access", FPB_FAMILY_TASK, "switch", 2, FPB_SCN_PKRU, 0, gen_pingpong,
    "switch then kernel access to user memory (PKRU must be the task's)", TASK_CFG())
SCN(kspin, "kernel-spin", FPB_FAMILY_TASK, "preemption", 1, FPB_SCN_PKRU, 0, gen_kernel_spin,
    "a task spinning in the kernel (copying to user memory) is preempted by a user task and "
    "resumes in the kernel", TASK_CFG())
SCN(sigpre, "signal-preempted", FPB_FAMILY_TASK, "signal", 1, 0, 0, gen_signal_preempted,
    "a signal to a task preempted in the kernel (its registers saved, another task ran)",
    TASK_CFG())
SCN(amxfirst, "amx-first-use", FPB_FAMILY_TASK, "first-use", 1,
    FPB_SCN_TASK_XFD | FPB_SCN_ONE_SHOT, 0, gen_amx_first_use,
    "a task's first use of XFD-armed AMX: #NM, permission, fpstate reallocation, XFD disarmed",
    TASK_CFG(.task_amx_permission = true))
SCN(kvm1, "kvm-run-1", FPB_FAMILY_GUEST, "kvm-run", 1, 0, 1, gen_kvm_run,
    "KVM_RUN with 1 exit handled in the kernel", VCPU_CFG())
SCN(kvm10, "kvm-run-10", FPB_FAMILY_GUEST, "kvm-run", 1, 0, 10, gen_kvm_run,
    "KVM_RUN with 10 exits handled in the kernel", VCPU_CFG())
SCN(kvm100, "kvm-run-100", FPB_FAMILY_GUEST, "kvm-run", 1, 0, 100, gen_kvm_run,
    "KVM_RUN with 100 exits handled in the kernel", VCPU_CFG())
SCN(kvm100c, "kvm-run-100-clean", FPB_FAMILY_GUEST, "kvm-run", 1, 0, 100, gen_kvm_run,
    "kvm-run-100 with the guest's state in the init state (the guest never uses its FPU)",
    VCPU_CFG(.guest_clean_state = true))
SCN(kvm10x, "kvm-run-10-xcr0", FPB_FAMILY_GUEST, "kvm-run", 1, 0, 10, gen_kvm_run,
    "KVM_RUN, 10 exits, guest XCR0 and IA32_XSS differ from the host's",
    VCPU_CFG(.guest_xcr0_differs = true))
SCN(kvmuser, "kvm-exit-to-user", FPB_FAMILY_GUEST, "kvm-run", 1, 0, 1, gen_kvm_user_exit,
    "each exit goes to user space: a full KVM_RUN round trip", VCPU_CFG())
SCN(kvmuserc, "kvm-exit-to-user-clean", FPB_FAMILY_GUEST, "kvm-run", 1, 0, 1, gen_kvm_user_exit,
    "kvm-exit-to-user with the guest's state in the init state (the guest never uses its FPU)",
    VCPU_CFG(.guest_clean_state = true))
SCN(kvmload, "kvm-run-need-load", FPB_FAMILY_GUEST, "kvm-run", 1, 0, 1, gen_kvm_need_load,
    "KVM_RUN entered with the thread's registers already saved", VCPU_CFG())
SCN(kvmputpend, "kvm-put-pending", FPB_FAMILY_GUEST, "kvm-run", 1, 0, 1, gen_kvm_put_pending,
    "softirq kernel FPU use after the last exit: the load is still pending at vcpu_put",
    VCPU_CFG())
SCN(kvmpreempt, "kvm-run-preempted", FPB_FAMILY_GUEST, "kvm-run", 1, 0, 2, gen_kvm_preempt,
    "the vCPU thread is preempted by a user task between two exits of one KVM_RUN",
    VCPU_CFG())
SCN(kvmxsave, "kvm-get-set-xsave", FPB_FAMILY_GUEST, "ioctl", 2, 0, 0, gen_kvm_xsave_ioctl,
    "KVM_GET_XSAVE and KVM_SET_XSAVE (user-ABI conversion)", VCPU_CFG())
SCN(kvmrealloc, "kvm-xfd-realloc", FPB_FAMILY_GUEST, "realloc", 1,
    FPB_SCN_NEEDS_XFD | FPB_SCN_ONE_SHOT, 0, gen_kvm_realloc,
    "the guest's first use of an XFD-armed feature (AMX): buffer reallocation",
    VCPU_CFG(.guest_xfd_armed = true))

const struct fpb_scenario *const fpb_scenarios[] = {
	&scn_pingpong_dirty, &scn_pingpong_clean, &scn_kthread, &scn_idle, &scn_kfpu,
	&scn_signal, &scn_ptrace, &scn_migrate, &scn_uaccess,
	&scn_kvm1, &scn_kvm10, &scn_kvm100, &scn_kvm10x, &scn_kvmuser, &scn_kvmload,
	&scn_kvmxsave, &scn_kvmrealloc,
	&scn_signal_clean, &scn_kvmuserc, &scn_kvm100c,
	&scn_kspin, &scn_sigpre, &scn_kvmputpend, &scn_kvmpreempt, &scn_amxfirst,
	&scn_pingpong_untouched, &scn_pingpong_partial,
	NULL
};

const size_t fpb_nr_scenarios = FPB_ARRAY_SIZE(fpb_scenarios) - 1;

const struct fpb_scenario *fpb_scenario_find(const char *name)
{
	for (size_t i = 0; i < fpb_nr_scenarios; i++)
		if (!strcmp(fpb_scenarios[i]->name, name))
			return fpb_scenarios[i];
	return NULL;
}

int fpb_scenario_validate(const char *name, char *why, size_t len)
{
	size_t off;

	if (name && (!strcmp(name, "all") || fpb_scenario_find(name) ||
		     fpb_a64_scenario_find(name)))
		return 0;
	/* Straight into why: the list is as long as the registry, why as long as the caller made it. */
	off = fpb_snprintf(why, len, "unknown scenario '%s' (valid: all", name ? name : "");
	for (size_t i = 0; i < fpb_nr_scenarios && off < len; i++)
		off += fpb_snprintf(why + off, len - off, ", %s", fpb_scenarios[i]->name);
	if (off < len)
		fpb_snprintf(why + off, len - off, ")");
	return -EINVAL;
}

int fpb_scenario_supported(const struct fpb_scenario *s, const struct fpb_cpu *cpu, char *why,
			   size_t len)
{
	if ((s->flags & (FPB_SCN_NEEDS_XFD | FPB_SCN_TASK_XFD)) &&
	    (!fpb_cpu_has(cpu, FPB_CPU_XFD) || !(cpu->xcr0 & FPB_BIT(FPB_XF_TILEDATA)))) {
		fpb_snprintf(why, len, "needs AMX with XFD (this CPU has %s)",
			     fpb_cpu_has(cpu, FPB_CPU_XFD) ? "no AMX" : "no XFD");
		return -1;
	}
	return 0;
}
