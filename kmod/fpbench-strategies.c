// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kmod/fpbench-strategies.c - the strategies of strategies/ (compiled unchanged into the module)
 * run over their scenarios through a ring-0 backend whose primitives are the real instructions:
 * XSAVES/XRSTORS (or XSAVE(OPT)/XRSTOR where XSAVES is absent, as Linux falls back), XSETBV,
 * WRMSR IA32_XFD / IA32_XSS, RDPKRU/WRPKRU.  FPB_IOC_STRATEGY: set the machine up (allocations,
 * primitives disarmed), then with the FPU owned: the scenario's prefix, and timed batches of whole
 * cycles with interrupts off.  XCR0, IA32_XSS, IA32_XFD and PKRU are put back after every batch.
 * The integrity checker (strategies/integrity.c) runs after every event with
 * FPB_KMOD_STRAT_CHECK (make kmod-check: the real registers, PKRU included where XCR0 has it);
 * timed runs leave it off.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include <linux/irqflags.h>
#include <asm/fpu/api.h>
#include <asm/msr-index.h>
#include <asm/cpufeature.h>
#include "fpbench-mod.h"
#include "fpbench-asm.h"
#include "cpu-xsave.h"
#include "machine.h"
#include "scenario.h"
#include "strategy.h"

#define FPB_R0_MAX_EVENTS	4096	/* prefix or cycle events generated */

struct r0be {
	bool armed;		/* primitives execute (FPU owned, interrupts off) */
	int trap;		/* first trap, FPB_R0_OK none */
};

static int r0_result(struct r0be *p, int t)
{
	if (t == FPB_R0_OK)
		return FPB_PRIM_DONE;
	if (p->trap == FPB_R0_OK)
		p->trap = t;
	return -EIO;
}

static int r0_save(struct fpb_backend *be, enum fpb_save_op op, void *buf, uint64_t rfbm)
{
	struct r0be *p = be->priv;

	if (!p->armed)
		return FPB_PRIM_DONE;
	switch (op) {
	case FPB_OP_FXSAVE:	return r0_result(p, fpb_r0_fxsave(buf));
	case FPB_OP_XSAVE:	return r0_result(p, fpb_r0_xsave(buf, rfbm));
	case FPB_OP_XSAVEOPT:	return r0_result(p, fpb_r0_xsaveopt(buf, rfbm));
	case FPB_OP_XSAVEC:	return r0_result(p, fpb_r0_xsavec(buf, rfbm));
	case FPB_OP_XSAVES:	return r0_result(p, fpb_r0_xsaves(buf, rfbm));
	default:		return -EOPNOTSUPP;
	}
}

static int r0_restore(struct fpb_backend *be, enum fpb_restore_op op, const void *buf,
		      uint64_t rfbm)
{
	struct r0be *p = be->priv;
	void *b = (void *)buf;

	if (!p->armed)
		return FPB_PRIM_DONE;
	switch (op) {
	case FPB_OP_FXRSTOR:	return r0_result(p, fpb_r0_fxrstor(b));
	case FPB_OP_XRSTOR:	return r0_result(p, fpb_r0_xrstor(b, rfbm));
	case FPB_OP_XRSTORS:	return r0_result(p, fpb_r0_xrstors(b, rfbm));
	default:		return -EOPNOTSUPP;
	}
}

static int r0_xsetbv(struct fpb_backend *be, uint32_t xcr, uint64_t val)
{
	struct r0be *p = be->priv;

	return p->armed ? r0_result(p, fpb_r0_xsetbv(xcr, val)) : FPB_PRIM_DONE;
}

static int r0_write_xfd(struct fpb_backend *be, uint64_t val)
{
	struct r0be *p = be->priv;

	if (!(fpb_r0_caps.features & FPB_KMOD_HAS_XFD))
		return FPB_PRIM_COUNTED;
	return p->armed ? r0_result(p, fpb_r0_wrmsr(MSR_IA32_XFD, val)) : FPB_PRIM_DONE;
}

static int r0_write_xss(struct fpb_backend *be, uint64_t val)
{
	struct r0be *p = be->priv;

	if (!(fpb_r0_caps.features & FPB_KMOD_HAS_XSAVES))
		return FPB_PRIM_COUNTED;
	return p->armed ? r0_result(p, fpb_r0_wrmsr(MSR_IA32_XSS, val)) : FPB_PRIM_DONE;
}

static int r0_rdpkru(struct fpb_backend *be, uint32_t *val)
{
	struct r0be *p = be->priv;
	uint32_t v = 0;

	if (!boot_cpu_has(X86_FEATURE_OSPKE))
		return -EOPNOTSUPP;
	if (p->armed)
		asm volatile("rdpkru" : "=a"(v) : "c"(0) : "edx");
	*val = v;
	return FPB_PRIM_DONE;
}

static int r0_wrpkru(struct fpb_backend *be, uint32_t val)
{
	struct r0be *p = be->priv;

	if (!boot_cpu_has(X86_FEATURE_OSPKE))
		return FPB_PRIM_COUNTED;
	if (p->armed)
		asm volatile("wrpkru" : : "a"(val), "c"(0), "d"(0) : "memory");
	return FPB_PRIM_DONE;
}

static const struct fpb_backend_ops fpb_r0_backend = {
	.name		= "kmod",
	.summary	= "ring 0 inside fpbench.ko",
	.flags		= FPB_BE_RING0 | FPB_BE_REAL | FPB_BE_TIMES,
	.save		= r0_save,
	.restore	= r0_restore,
	.xsetbv		= r0_xsetbv,
	.write_xfd	= r0_write_xfd,
	.write_xss	= r0_write_xss,
	.rdpkru		= r0_rdpkru,
	.wrpkru		= r0_wrpkru,
};

/* CPUID in ring 0, for the leaf-0xD parsing the module shares with the tool. */
static int r0_cpuid(const struct fpb_cpuid_source *src, uint32_t leaf, uint32_t subleaf,
		    struct fpb_cpuid_regs *out)
{
	unsigned int a, b, c, d;

	cpuid_count(leaf, subleaf, &a, &b, &c, &d);
	*out = (struct fpb_cpuid_regs){ a, b, c, d };
	return 0;
}

static const struct fpb_cpuid_source r0_cpuid_source = {
	.name	= "ring0",
	.cpuid	= r0_cpuid,
};

/* The CPU description the machine and the layouts need, from CPUID in ring 0. */
static void r0_cpu_fill(struct fpb_cpu *cpu)
{
	const struct fpb_r0_caps *k = &fpb_r0_caps;

	memset(cpu, 0, sizeof(*cpu));
	if (!(k->features & FPB_KMOD_HAS_XSAVE))
		return;
	cpu->features = FPB_BIT(FPB_CPU_FXSR) | FPB_BIT(FPB_CPU_XSAVE) | FPB_BIT(FPB_CPU_OSXSAVE);
	if (k->features & FPB_KMOD_HAS_XSAVEOPT)
		cpu->features |= FPB_BIT(FPB_CPU_XSAVEOPT);
	if (k->features & FPB_KMOD_HAS_XSAVEC)
		cpu->features |= FPB_BIT(FPB_CPU_XSAVEC);
	if (k->features & FPB_KMOD_HAS_XSAVES)
		cpu->features |= FPB_BIT(FPB_CPU_XSAVES);
	if (k->features & FPB_KMOD_HAS_XFD)
		cpu->features |= FPB_BIT(FPB_CPU_XFD);
	if (k->features & FPB_KMOD_HAS_XGETBV1)
		cpu->features |= FPB_BIT(FPB_CPU_XGETBV1);
	if (boot_cpu_has(X86_FEATURE_PKU))
		cpu->features |= FPB_BIT(FPB_CPU_PKU);
	if (boot_cpu_has(X86_FEATURE_OSPKE))
		cpu->features |= FPB_BIT(FPB_CPU_OSPKE);
	cpu->xcr0 = k->xcr0;
	cpu->xss = k->xss;
	cpu->xss_known = true;
	fpb_cpu_xsave_describe(cpu, &r0_cpuid_source);
}

static const struct fpb_strategy *r0_strategy(unsigned idx)
{
	size_t i, n = 0;

	for (i = 0; i < fpb_nr_strategies; i++) {
		const struct fpb_strategy *s = fpb_strategies[i];

		if (s->flags & (FPB_STRAT_ARCH_ARM64 | FPB_STRAT_TEST_ONLY))
			continue;
		if (n++ == idx)
			return s;
	}
	return NULL;
}

/* Strategies built into the module (x86 ones from the registry). */
unsigned fpb_r0_nr_strategies(void)
{
	unsigned n = 0;

	while (r0_strategy(n))
		n++;
	return n;
}

const char *fpb_r0_strategies_reason(void)
{
	return "";
}

/* Host register values put back after every batch. */
struct r0_host {
	u64 xcr0, xss, xfd;
	u32 pkru;
};

static void host_save(struct r0_host *h)
{
	h->xcr0 = fpb_r0_caps.xcr0;
	fpb_r0_xgetbv(0, &h->xcr0);
	if (fpb_r0_caps.features & FPB_KMOD_HAS_XSAVES)
		fpb_r0_rdmsr(MSR_IA32_XSS, &h->xss);
	if (fpb_r0_caps.features & FPB_KMOD_HAS_XFD)
		fpb_r0_rdmsr(MSR_IA32_XFD, &h->xfd);
	h->pkru = 0;
	if (boot_cpu_has(X86_FEATURE_OSPKE))
		asm volatile("rdpkru" : "=a"(h->pkru) : "c"(0) : "edx");
}

static void host_restore(const struct r0_host *h)
{
	u64 v;

	if (fpb_r0_xgetbv(0, &v) == FPB_R0_OK && v != h->xcr0)
		fpb_r0_xsetbv(0, h->xcr0);
	if (fpb_r0_caps.features & FPB_KMOD_HAS_XSAVES)
		fpb_r0_wrmsr(MSR_IA32_XSS, h->xss);
	if (fpb_r0_caps.features & FPB_KMOD_HAS_XFD)
		fpb_r0_wrmsr(MSR_IA32_XFD, h->xfd);
	if (boot_cpu_has(X86_FEATURE_OSPKE))
		asm volatile("wrpkru" : : "a"(h->pkru), "c"(0), "d"(0) : "memory");
}

/*
 * A checked run keeps the live CPU's register file across the kernel_fpu_begin() sections of
 * its batches (the section between them clobbers it: kernel_fpu_begin() loads the default
 * MXCSR, the task's own state may come back): parked at the end of a section under the host's
 * XCR0 (a cycle never ends in guest mode), reloaded at the start of the next.
 */
static void machine_park(struct fpb_machine *m, bool park)
{
	void *buf = m->cpu[m->live_cpu].shadow;

	if (!m->check)
		return;
	if (park) {
		memset((char *)buf + 512, 0, 64);
		fpb_r0_xsave(buf, m->lay.features);
	} else {
		fpb_r0_xrstor(buf, m->lay.features);
	}
}

/* The machine's belief about the live CPU's control registers, applied before a batch. */
static void machine_apply(struct fpb_machine *m)
{
	const struct fpb_sim_cpu *pc = &m->cpu[m->live_cpu];

	if (pc->xcr0 != fpb_r0_caps.xcr0)
		fpb_r0_xsetbv(0, pc->xcr0);
	if (fpb_r0_caps.features & FPB_KMOD_HAS_XSAVES)
		fpb_r0_wrmsr(MSR_IA32_XSS, pc->xss);
	if (m->has_xfd)
		fpb_r0_wrmsr(MSR_IA32_XFD, pc->xfd);
}

static const struct fpb_scenario *r0_scenario(const struct fpb_strategy *st, const char *name,
					      const struct fpb_cpu *cpu, char *why, size_t len)
{
	size_t i;

	if (name[0]) {
		const struct fpb_scenario *s = fpb_scenario_find(name);

		if (!s) {
			snprintf(why, len, "unknown scenario '%s'", name);
			return NULL;
		}
		if (s->family != st->family || (s->flags & FPB_SCN_ONE_SHOT)) {
			snprintf(why, len, "scenario '%s' does not time a %s policy", name,
				 fpb_strategy_family_name(st->family));
			return NULL;
		}
		return fpb_scenario_supported(s, cpu, why, len) ? NULL : s;
	}
	for (i = 0; i < fpb_nr_scenarios; i++) {
		const struct fpb_scenario *s = fpb_scenarios[i];

		if (s->family == st->family && !(s->flags & FPB_SCN_ONE_SHOT) &&
		    !fpb_scenario_supported(s, cpu, why, len))
			return s;
	}
	if (!why[0])
		snprintf(why, len, "no timed scenario for a %s policy runs here",
			 fpb_strategy_family_name(st->family));
	return NULL;
}

struct r0_run {
	struct fpb_cpu cpu;
	struct fpb_backend be;
	struct r0be p;
	struct fpb_machine m;
	struct fpb_sim_event ev[FPB_R0_MAX_EVENTS];
	struct fpb_kmod_sample s[FPB_KMOD_MAX_STRATEGY_REPEATS];
};

static void skip(struct fpb_kmod_strategy *req, const char *why)
{
	req->status = FPB_KMOD_SKIPPED;
	strscpy(req->reason, why[0] ? why : "cannot run here", sizeof(req->reason));
}

/* A request the module can take?  0, -EINVAL or -EFAULT. */
static long r0_req_check(const struct fpb_kmod_strategy *req)
{
	if (req->abi != FPB_KMOD_ABI || (req->flags & ~FPB_KMOD_STRAT_ALL))
		return -EINVAL;
	if (req->index >= fpb_r0_nr_strategies())
		return -EINVAL;
	if (req->events < 1 || req->events > FPB_KMOD_MAX_BATCH)
		return -EINVAL;
	if (req->repeats < 1 || req->repeats > FPB_KMOD_MAX_STRATEGY_REPEATS)
		return -EINVAL;
	if (!req->samples || (req->samples & 7) ||
	    req->samples_len < (u64)req->repeats * sizeof(struct fpb_kmod_sample))
		return -EINVAL;
	if (memchr(req->scenario, 0, sizeof(req->scenario)) == NULL)
		return -EINVAL;
	if (!access_ok(u64_to_user_ptr(req->samples), req->samples_len))
		return -EFAULT;
	return 0;
}

static void r0_req_reset(struct fpb_kmod_strategy *req)
{
	req->status = FPB_KMOD_OK;
	req->trap = -1;
	req->done = 0;
	req->rflags = 0;
	memset(req->reason, 0, sizeof(req->reason));
	memset(req->counts, 0, sizeof(req->counts));
}

/*
 * x's backend and machine for st over sc (allocations here, with the primitives disarmed: no FPU
 * ownership yet).  0, or non-zero with why.
 */
static int r0_machine_init(struct r0_run *x, const struct fpb_strategy *st,
			   const struct fpb_scenario *sc, u32 flags, char *why, size_t len)
{
	const struct fpb_strategy *task;
	struct fpb_machine_config cfg;
	int r;

	task = st->family == FPB_FAMILY_TASK ? st : fpb_strategy_find(FPB_DEFAULT_TASK_POLICY);
	if (!task) {
		strscpy(why, "the default task policy is not built in", len);
		return -ENOENT;
	}
	x->p.trap = FPB_R0_OK;
	x->be.ops = &fpb_r0_backend;
	x->be.cpu = &x->cpu;
	x->be.numa_node = -1;
	x->be.priv = &x->p;
	cfg = sc->cfg;
	if (flags & FPB_KMOD_STRAT_CHECK) {	/* as the random tests' machines */
		cfg.pkru_changes = true;
		cfg.partial_images = true;
	}
	r = fpb_machine_init(&x->m, &x->be, &x->cpu, task,
			     st->family == FPB_FAMILY_GUEST ? st : NULL, &cfg, why, len);
	if (r)
		return r;
	x->m.prep_only = flags & FPB_KMOD_STRAT_PREP_ONLY;
	x->m.check = flags & FPB_KMOD_STRAT_CHECK;
	return 0;
}

/* The scenario's prefix, then the registers the machine expects, in one FPU section. */
static int r0_run_prefix(struct r0_run *x, const struct fpb_scenario *sc, size_t *failed)
{
	struct r0_host host;
	unsigned long irqf;
	size_t npre = sc->gen(sc, x->ev + 0, FPB_R0_MAX_EVENTS, false);
	int r;

	kernel_fpu_begin();
	local_irq_save(irqf);
	host_save(&host);
	x->p.armed = true;
	r = fpb_r0_xrstor(x->m.init_img, x->m.lay.features) == FPB_R0_OK ? 0 : -EIO;
	if (!r && npre)
		r = fpb_machine_run(&x->m, x->ev, min_t(size_t, npre, FPB_R0_MAX_EVENTS), failed);
	machine_park(&x->m, true);
	x->p.armed = false;
	host_restore(&host);
	local_irq_restore(irqf);
	kernel_fpu_end();
	return r;
}

/* req->repeats timed batches of cycles whole cycles (ncyc events each in x->ev), samples in x->s. */
static int r0_run_batches(struct r0_run *x, struct fpb_kmod_strategy *req, size_t cycles,
			  size_t ncyc, size_t *failed)
{
	bool rdtscp = fpb_r0_caps.features & FPB_KMOD_HAS_RDTSCP;
	struct r0_host host;
	unsigned long irqf;
	int r = 0;
	u32 i;

	for (i = 0; i < req->repeats && !r; i++) {
		size_t c;
		u64 t0, t1;

		kernel_fpu_begin();
		local_irq_save(irqf);
		host_save(&host);
		machine_apply(&x->m);
		machine_park(&x->m, false);
		x->p.armed = true;
		t0 = fpb_r0_ts_begin();
		for (c = 0; c < cycles && !r; c++)
			r = fpb_machine_run(&x->m, x->ev, ncyc, failed);
		t1 = fpb_r0_ts_end(rdtscp);
		machine_park(&x->m, true);
		x->p.armed = false;
		host_restore(&host);
		local_irq_restore(irqf);
		kernel_fpu_end();
		x->s[i].t_begin = t0;
		x->s[i].t_end = t1;
		x->s[i].cpu = smp_processor_id();
		if (!r)
			req->done++;
		cond_resched();
	}
	return r;
}

/* Why the run stopped (r non-zero): a trap in a primitive, the integrity checker, the machine. */
static void r0_stopped(struct fpb_kmod_strategy *req, const struct r0_run *x, int r,
		       size_t failed)
{
	req->status = x->p.trap != FPB_R0_OK ? FPB_KMOD_TRAPPED :
		      r == -EPROTO ? FPB_KMOD_INTEGRITY : FPB_KMOD_SKIPPED;
	req->trap = x->p.trap != FPB_R0_OK ? x->p.trap : -1;
	if (x->p.trap != FPB_R0_OK)
		snprintf(req->reason, sizeof(req->reason), "trap %d in a primitive at event %zu",
			 x->p.trap, failed);
	else
		snprintf(req->reason, sizeof(req->reason), "%s",
			 x->m.why[0] ? x->m.why : "the machine stopped");
}

/* The backend's primitive counts into req, and whether they were VM exits. */
static void r0_counts(struct fpb_kmod_strategy *req, const struct r0_run *x)
{
	u32 i;

	req->counts[FPB_KMOD_C_SAVES] = 0;
	for (i = 0; i < FPB_NR_SAVE_OPS; i++)
		req->counts[FPB_KMOD_C_SAVES] += x->be.counts.save[i];
	for (i = 0; i < FPB_NR_RESTORE_OPS; i++)
		req->counts[FPB_KMOD_C_RESTORES] += x->be.counts.restore[i];
	req->counts[FPB_KMOD_C_COPIES] = x->be.counts.copies;
	req->counts[FPB_KMOD_C_BYTES_COPIED] = x->be.counts.bytes_copied;
	req->counts[FPB_KMOD_C_XSETBV] = x->be.counts.xsetbv;
	req->counts[FPB_KMOD_C_XFD_WRITES] = x->be.counts.xfd_writes;
	req->counts[FPB_KMOD_C_XSS_WRITES] = x->be.counts.xss_writes;
	req->counts[FPB_KMOD_C_PKRU_READS] = x->be.counts.pkru_reads;
	req->counts[FPB_KMOD_C_PKRU_WRITES] = x->be.counts.pkru_writes;
	/* Under a hypervisor XSETBV and these WRMSRs are VM exits. */
	if ((fpb_r0_caps.features & FPB_KMOD_HAS_HYPERVISOR) &&
	    (x->be.counts.xsetbv || x->be.counts.xfd_writes || x->be.counts.xss_writes))
		req->rflags |= FPB_KMOD_R_VIRTUALISED;
}

/* FPB_IOC_STRATEGY: validate, set up, run the prefix and the timed batches. */
long fpb_r0_strategy(struct fpb_kmod_strategy *req)
{
	const struct fpb_strategy *st;
	const struct fpb_scenario *sc;
	struct r0_run *x;
	size_t ncyc, failed = 0, cycles;
	char why[FPB_KMOD_REASON_LEN] = "";
	long ret = r0_req_check(req);
	int r;

	if (ret)
		return ret;
	r0_req_reset(req);
	st = r0_strategy(req->index);
	strscpy(req->name, st->name, sizeof(req->name));
	if (!(fpb_r0_caps.features & FPB_KMOD_HAS_XSAVE)) {
		skip(req, "no XSAVE enabled");
		return 0;
	}
	x = kvzalloc(sizeof(*x), GFP_KERNEL);
	if (!x)
		return -ENOMEM;
	r0_cpu_fill(&x->cpu);
	sc = r0_scenario(st, req->scenario, &x->cpu, why, sizeof(why));
	if (!sc) {
		skip(req, why);
		goto out;
	}
	strscpy(req->scenario, sc->name, sizeof(req->scenario));
	if (r0_machine_init(x, st, sc, req->flags, why, sizeof(why))) {
		skip(req, why);
		goto out;
	}
	ncyc = sc->gen(sc, x->ev, FPB_R0_MAX_EVENTS, true);
	if (!ncyc || ncyc > FPB_R0_MAX_EVENTS) {
		skip(req, "the scenario has no repeating cycle");
		goto fini;
	}
	cycles = max_t(size_t, 1, req->events / ncyc);
	if (cycles * ncyc > FPB_KMOD_MAX_BATCH)
		cycles = FPB_KMOD_MAX_BATCH / ncyc;
	req->counts[FPB_KMOD_C_EVENTS] = cycles * ncyc;

	r = r0_run_prefix(x, sc, &failed);
	ncyc = sc->gen(sc, x->ev, FPB_R0_MAX_EVENTS, true);
	memset(&x->be.counts, 0, sizeof(x->be.counts));
	if (!r)
		r = r0_run_batches(x, req, cycles, ncyc, &failed);
	if (r)
		r0_stopped(req, x, r, failed);
	r0_counts(req, x);
	if (req->done && copy_to_user(u64_to_user_ptr(req->samples), x->s,
				      (size_t)req->done * sizeof(x->s[0])))
		ret = -EFAULT;
fini:
	fpb_machine_fini(&x->m);
out:
	kvfree(x);
	return ret;
}
