// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * scenario-random.c - random valid event sequences for the integrity tests: each call looks at the
 * machine's state and picks one event whose preconditions hold.
 */
#include "scenario.h"
#include "fpb_nofp.h"

static uint64_t next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static unsigned pick(uint64_t *rng, unsigned n)
{
	return (unsigned)(next(rng) % n);
}

static bool stopped(const struct fpb_machine *m, const struct fpb_sim_ctx *c)
{
	for (unsigned i = 0; i < m->ncpus; i++)
		if (m->cpu[i].curr == c)
			return false;
	return true;
}

/* A context id satisfying want(), or -1. */
static int pick_ctx(const struct fpb_machine *m, uint64_t *rng, unsigned cpu,
		    bool (*want)(const struct fpb_machine *, const struct fpb_sim_ctx *, unsigned))
{
	unsigned start = pick(rng, m->nctx);

	for (unsigned k = 0; k < m->nctx; k++) {
		const struct fpb_sim_ctx *c = &m->ctx[(start + k) % m->nctx];

		if (want(m, c, cpu))
			return (int)c->id;
	}
	return -1;
}

static bool runnable(const struct fpb_machine *m, const struct fpb_sim_ctx *c, unsigned cpu)
{
	return c->cpu == (int)cpu && stopped(m, c);
}

static bool tracee(const struct fpb_machine *m, const struct fpb_sim_ctx *c, unsigned cpu)
{
	(void)cpu;
	return !(c->flags & FPB_CTX_KTHREAD) && stopped(m, c) && !c->vcpu_loaded;
}

static bool movable(const struct fpb_machine *m, const struct fpb_sim_ctx *c, unsigned cpu)
{
	return !(c->flags & FPB_CTX_KTHREAD) && stopped(m, c) && c->cpu != (int)cpu;
}

static bool idle_vcpu(const struct fpb_machine *m, const struct fpb_sim_ctx *c, unsigned cpu)
{
	(void)m;
	(void)cpu;
	return (c->flags & FPB_CTX_VCPU) && !c->vcpu_loaded;
}

/*
 * Where the kernel may be interrupted with its bottom halves and preemption enabled (the
 * handlers themselves run under fpregs_lock(), so nothing lands inside one): the gaps between
 * them, named by the kernel functions on either side.
 */
const char *const fpb_scenario_injection_points[] = {
	"switch_fpu_prepare() saved, switch_fpu_return() not yet restored (load pending)",
	"syscall or interrupt entry with the registers live, before any switch-out",
	"vcpu_load() done, VM entry or vcpu_put() not yet (inside KVM_RUN, outside guest mode)",
	"signal frame written or handler left, handler or rt_sigreturn not yet run",
};
const size_t fpb_scenario_nr_injection_points = FPB_ARRAY_SIZE(fpb_scenario_injection_points);

int fpb_scenario_injection_point(const struct fpb_machine *m, unsigned cpu)
{
	const struct fpb_sim_ctx *c = m->cpu[cpu].curr;

	if ((c->flags & FPB_CTX_KTHREAD) || c->in_user || c->in_guest)
		return -1;
	if (c->vcpu_loaded)
		return 2;
	if (c->in_handler)
		return 3;
	return c->need_load ? 0 : 1;
}

/* A preemption (a switch to another runnable context) or a softirq's kernel FPU use on cpu. */
static bool inject(const struct fpb_machine *m, uint64_t *rng, unsigned cpu,
		   struct fpb_sim_event *ev);

void fpb_scenario_random_event(const struct fpb_machine *m, uint64_t *rng,
			       struct fpb_sim_event *ev)
{
	{
		unsigned cpu = pick(rng, m->ncpus);

		if (fpb_scenario_injection_point(m, cpu) >= 0 && pick(rng, 2) &&
		    inject(m, rng, cpu, ev))
			return;
	}
	for (unsigned tries = 0; tries < 64; tries++) {
		unsigned cpu = pick(rng, m->ncpus);
		const struct fpb_sim_ctx *c = m->cpu[cpu].curr;
		bool user = !(c->flags & FPB_CTX_KTHREAD);
		unsigned type = pick(rng, FPB_NR_EV_TYPES);
		int t = 0;

		/* Inside KVM_RUN, mostly run the loop. */
		if (c->vcpu_loaded && pick(rng, 4))
			type = c->in_guest ? (pick(rng, 3) ? (pick(rng, 2) ? FPB_EV_GUEST_RUN :
							     FPB_EV_VM_EXIT) :
					      FPB_EV_GUEST_XFD_EXIT) :
			       pick(rng, 3) ? FPB_EV_VM_ENTRY : FPB_EV_KVM_RUN_EXIT;
		switch (type) {
		case FPB_EV_SWITCH:
			if (c->in_guest)
				continue;
			t = pick_ctx(m, rng, cpu, runnable);
			break;
		case FPB_EV_RETURN_TO_USER:
			if (!user || c->in_user || c->vcpu_loaded)
				continue;
			break;
		case FPB_EV_USER_RUN:
		case FPB_EV_ENTER_KERNEL:
			if (!c->in_user)
				continue;
			break;
		case FPB_EV_KERNEL_FPU:
			if (c->in_user || c->in_guest)
				continue;
			break;
		case FPB_EV_SIGNAL:
			if (!user || c->in_user || c->in_handler || c->vcpu_loaded)
				continue;
			break;
		case FPB_EV_SIGRETURN:
			if (!c->in_handler || c->in_user || c->vcpu_loaded)
				continue;
			break;
		case FPB_EV_PTRACE_READ:
		case FPB_EV_PTRACE_WRITE:
			if (c->in_user)
				continue;
			t = pick_ctx(m, rng, cpu, tracee);
			break;
		case FPB_EV_MIGRATE:
			t = pick_ctx(m, rng, cpu, movable);
			break;
		case FPB_EV_USER_ACCESS:
			if (!user || c->in_user || c->in_guest)
				continue;
			break;
		case FPB_EV_KVM_RUN_ENTER:
			if (!m->guest || !(c->flags & FPB_CTX_VCPU) || c->in_user || c->vcpu_loaded)
				continue;
			break;
		case FPB_EV_VM_ENTRY:
		case FPB_EV_KVM_RUN_EXIT:
			if (!c->vcpu_loaded || c->in_guest)
				continue;
			break;
		case FPB_EV_GUEST_RUN:
		case FPB_EV_VM_EXIT:
			if (!c->in_guest)
				continue;
			break;
		case FPB_EV_GUEST_XFD_EXIT:
			if (!c->in_guest || !c->guest_xfd || !m->guest->ops.realloc)
				continue;
			break;
		case FPB_EV_AMX_FIRST_USE:
			if (!c->in_user || (c->flags & FPB_CTX_VCPU) || !m->has_xfd ||
			    !(c->task_fps.xfd & m->xfd_dynamic))
				continue;
			break;
		case FPB_EV_KVM_GET_XSAVE:
		case FPB_EV_KVM_SET_XSAVE:
			if (!m->guest || c->in_user)
				continue;
			t = pick_ctx(m, rng, cpu, idle_vcpu);
			break;
		default:
			continue;
		}
		if (t < 0)
			continue;
		*ev = (struct fpb_sim_event){ .type = (uint8_t)type, .cpu = (uint8_t)cpu,
					      .ctx = (uint8_t)t };
		return;
	}
	/* Nothing else fits: let cpu0's task enter the kernel (always valid). */
	*ev = (struct fpb_sim_event){ .type = FPB_EV_ENTER_KERNEL };
}

static bool inject(const struct fpb_machine *m, uint64_t *rng, unsigned cpu,
		   struct fpb_sim_event *ev)
{
	int t = pick(rng, 2) ? pick_ctx(m, rng, cpu, runnable) : -1;

	*ev = (struct fpb_sim_event){ .type = t >= 0 ? FPB_EV_SWITCH : FPB_EV_KERNEL_FPU,
				      .cpu = (uint8_t)cpu, .ctx = (uint8_t)(t >= 0 ? t : 0) };
	return true;
}

void fpb_scenario_random_config(enum fpb_strategy_family fam, const struct fpb_machine *hint,
				struct fpb_machine_config *cfg)
{
	(void)hint;
	fpb_sim_zero(cfg, sizeof(*cfg));
	cfg->ncpus = 2;
	cfg->nkthreads = 1;
	cfg->pkru_changes = true;
	cfg->partial_images = true;
	cfg->task_amx_permission = true;
	if (fam == FPB_FAMILY_TASK) {
		cfg->ntasks = 3;
	} else {
		cfg->ntasks = 2;
		cfg->nvcpus = 1;
		cfg->guest_pkru_differs = true;
		cfg->guest_xcr0_differs = true;
		cfg->guest_xfd_armed = true;
	}
}
