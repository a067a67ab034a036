// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64-machine.c - the simulated arm64 machine: set-up, the events (arm64 Linux's fpsimd.c on the
 * host side, the guest policy's hooks for vCPU events), the integrity checker and the random event
 * generator.  See arm64-machine.h.
 */
#include "arm64-machine.h"
#include "fpb_nofp.h"
#if defined(__aarch64__) && !defined(__KERNEL__) && defined(__GNUC__) && !defined(__clang__)
#pragma GCC target("general-regs-only")
#pragma GCC optimize("no-tree-loop-distribute-patterns")
#endif

#define JUNK_OWNER	0xee
#define FPSR_OFF	512
#define FPCR_OFF	516

#if defined(__aarch64__) && !defined(__KERNEL__)
#define A64_REAL_SM	1
/* kernels/arm64-sm-regs.S */
void fpb_a64_sm_start(void);
void fpb_a64_sm_stop(void);
#else
#define A64_REAL_SM	0
#endif

static const char *const a64_ev_names[] = { "za-on", "za-off", "sm-on", "sm-off" };

const char *fpb_a64_event_name(unsigned type)
{
	if (type >= FPB_NR_EV_TYPES && type < FPB_A64_NR_EV_TYPES)
		return a64_ev_names[type - FPB_NR_EV_TYPES];
	return fpb_sim_event_name(type);
}

/* ---- images ---- */

static void put32(void *p, uint32_t v)
{
	uint8_t *b = p;

	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
	b[2] = (uint8_t)(v >> 16);
	b[3] = (uint8_t)(v >> 24);
}

/*
 * The FPSIMD image of (owner, guest, gen): distinct words in V0-V31; FPSR cumulative flags and
 * FPCR rounding/FZ/DN/AHP bits only (bits that read back as written).  gen 0 is all zero.
 */
static void img_write(void *buf, unsigned owner, unsigned guest, uint32_t gen)
{
	uint8_t *b = buf;
	uint32_t tag = (owner << 24) | (guest << 23) | ((gen & 0x7fff) << 8);
	static const uint32_t fpsr_flags[] = { 0x1, 0x2, 0x4, 0x8, 0x10, 0x80 };

	for (unsigned i = 0; i < FPB_A64_IMG_SIZE; i++)
		b[i] = 0;
	if (!gen)
		return;
	for (unsigned w = 0; w < 128; w++)
		put32(b + 4 * w, tag | w);
	put32(b + FPSR_OFF, fpsr_flags[(owner + gen) % 6]);
	put32(b + FPCR_OFF, ((owner * 3 + guest + gen) & 0x1f) << 22);
}

static void za_write(void *buf, size_t size, unsigned owner, uint32_t gen)
{
	uint8_t *b = buf;

	for (size_t i = 0; i < size; i++)
		b[i] = gen ? (uint8_t)(i * 7 + owner * 29 + gen * 13 + 1) : 0;
}

/*
 * The streaming image of (owner, gen) at am's SVL: distinct bytes in Z and P, FFR all ones (WRFFR
 * restores only monotonic predicates) when FA64 gives it, FPSR/FPCR as in img_write.
 */
static void ssve_write(const struct fpb_a64_machine *am, void *buf, unsigned owner, uint32_t gen)
{
	uint8_t *b = buf;
	size_t zp = (size_t)34 * am->svl, fp = am->ssve_size - 16;
	static const uint32_t fpsr_flags[] = { 0x1, 0x2, 0x4, 0x8, 0x10, 0x80 };

	for (size_t i = 0; i < am->ssve_size; i++)
		b[i] = 0;
	if (!gen)
		return;
	for (size_t i = 0; i < zp; i++)
		b[i] = (uint8_t)(i * 5 + owner * 31 + gen * 11 + 3);
	for (size_t i = zp; am->fa64 && i < zp + am->svl / 8; i++)
		b[i] = 0xff;
	put32(b + fp, fpsr_flags[(owner + gen + 3) % 6]);
	put32(b + fp + 4, ((owner * 5 + gen) & 0x1f) << 22);
}

/*
 * Byte i of the FPSIMD image is in V8-V15: the C-callable restores give the caller back d8-d15
 * (AAPCS64), and writing a D register zeroes the rest of its V register, so all of V8-V15 is the
 * caller's after a real restore.
 */
static bool callee_saved(size_t i)
{
	return i >= 8 * 16 && i < 16 * 16;
}

static int compare(struct fpb_a64_machine *am, const void *want, const void *got, size_t n,
		   bool fpsimd, char *why, size_t len)
{
	const uint8_t *a = want, *b = got;

	for (size_t i = 0; i < n; i++) {
		if (fpsimd && (i >= 520 || (am->mask_callee_saved && callee_saved(i))))
			continue;
		if (a[i] != b[i]) {
			fpb_snprintf(why, len, "byte %zu: want 0x%02x, got 0x%02x", i, a[i], b[i]);
			return -1;
		}
	}
	return 0;
}

/*
 * Compare streaming images: Z, P, FFR (with FA64), FPSR/FPCR words.  With the real restores Z8-Z15
 * hold the caller's d8-d15 (a D write zeroes the rest of the Z register), as for FPSIMD.
 */
static int ssve_compare(struct fpb_a64_machine *am, const void *want, const void *got, char *why,
			size_t len)
{
	const uint8_t *a = want, *b = got;
	size_t zp = (size_t)34 * am->svl, fp = am->ssve_size - 16;

	for (size_t i = 0; i < am->ssve_size; i++) {
		if (i >= zp + (am->fa64 ? am->svl / 8 : 0) && (i < fp || i >= fp + 8))
			continue;
		if (am->mask_callee_saved && i >= (size_t)8 * am->svl && i < (size_t)16 * am->svl)
			continue;
		if (a[i] != b[i]) {
			fpb_snprintf(why, len, "streaming byte %zu: want 0x%02x, got 0x%02x", i,
				     a[i], b[i]);
			return -1;
		}
	}
	return 0;
}

/* ---- raw (uncounted) register access: the programs' work and the parking between events ---- */

static int raw_save(struct fpb_a64_machine *am, void *buf)
{
	int r = am->base.be->ops->save(am->base.be, FPB_OP_FPSIMD_SAVE, buf, 0);

	return r < 0 ? r : 0;
}

static int raw_restore(struct fpb_a64_machine *am, const void *buf)
{
	int r = am->base.be->ops->restore(am->base.be, FPB_OP_FPSIMD_RESTORE, buf, 0);

	return r < 0 ? r : 0;
}

static int raw_za(struct fpb_a64_machine *am, void *buf, bool save)
{
	struct fpb_backend *be = am->base.be;
	int r;

	if (!am->za_size)
		return 0;
	r = save ? be->ops->save(be, FPB_OP_ZA_SAVE, buf, 0) :
		   be->ops->restore(be, FPB_OP_ZA_RESTORE, buf, 0);
	return r < 0 ? r : 0;
}

/* The streaming register file (Z, P, FFR, FPSR, FPCR at SVL): only in streaming mode. */
static int raw_sve(struct fpb_a64_machine *am, void *buf, bool save)
{
	struct fpb_backend *be = am->base.be;
	int r = save ? be->ops->save(be, FPB_OP_SVE_SAVE, buf, 0) :
		       be->ops->restore(be, FPB_OP_SVE_RESTORE, buf, 0);

	return r < 0 ? r : 0;
}

/*
 * PSTATE.SM of cpu (whose registers are the backend's) to on: SMSTART SM / SMSTOP SM, which zero
 * Z, P and FFR.  The real instruction on the arm64 backend; elsewhere the machine zeroes the
 * emulated register files itself.
 */
static int sm_set(struct fpb_a64_machine *am, unsigned cpu, bool on)
{
	int r;

	am->acpu[cpu].sm = on;
#if A64_REAL_SM
	if (am->real_sm) {
		if (on)
			fpb_a64_sm_start();
		else
			fpb_a64_sm_stop();
		return 0;
	}
#endif
	r = raw_sve(am, am->ssve_zero, false);
	return r ? r : raw_restore(am, am->ssve_zero);
}

/* Make cpu's register file the backend's (at the start of an event). */
static int regs_load(struct fpb_a64_machine *am, unsigned cpu)
{
	int r;

	if (am->acpu[cpu].sm) {
		r = sm_set(am, cpu, true);
		r = r ? r : raw_sve(am, am->acpu[cpu].ssve_shadow, false);
	} else {
		r = raw_restore(am, am->acpu[cpu].shadow);
	}
	return r ? r : raw_za(am, am->acpu[cpu].za_shadow, false);
}

/* Park it (at the end of an event): the C code between events runs in non-streaming mode. */
static int regs_park(struct fpb_a64_machine *am, unsigned cpu)
{
	int r;

	if (am->acpu[cpu].sm) {
		r = raw_sve(am, am->acpu[cpu].ssve_shadow, true);
#if A64_REAL_SM
		if (am->real_sm)
			fpb_a64_sm_stop();	/* the model's PSTATE.SM stays set */
#endif
	} else {
		r = raw_save(am, am->acpu[cpu].shadow);
	}
	return r ? r : raw_za(am, am->acpu[cpu].za_shadow, true);
}

/* The image bytes one counted primitive moves. */
static size_t op_bytes(const struct fpb_a64_machine *am, bool za, bool sve)
{
	return za ? am->za_size : sve ? am->ssve_bytes : FPB_A64_IMG_SIZE;
}

/* ---- fpsimd.c helpers (counted) ---- */

static bool is_user(const struct fpb_sim_ctx *c)
{
	return !(c->flags & FPB_CTX_KTHREAD);
}

static int prim(int r)
{
	return r < 0 ? r : 0;
}

/* A counted save of one image (FPSIMD or ZA) and its bytes; 0 or -errno. */
static int count_save(struct fpb_machine *m, enum fpb_save_op op, void *buf)
{
	struct fpb_a64_machine *am = fpb_a64(m);
	int r = prim(fpb_prim_save(m->be, op, buf, 0));

	if (!r)
		am->bytes_saved += op_bytes(am, op == FPB_OP_ZA_SAVE, op == FPB_OP_SVE_SAVE);
	return r;
}

static int count_restore(struct fpb_machine *m, enum fpb_restore_op op, const void *buf)
{
	struct fpb_a64_machine *am = fpb_a64(m);
	int r = prim(fpb_prim_restore(m->be, op, buf, 0));

	if (!r)
		am->bytes_restored += op_bytes(am, op == FPB_OP_ZA_RESTORE,
					       op == FPB_OP_SVE_RESTORE);
	return r;
}

int fpb_a64_task_save(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	struct fpb_a64_ctx *x = &fpb_a64(m)->x[c->id];
	int r;

	if (!is_user(c) || c->need_load || m->cpu[cpu].curr != c)
		return 0;
	if (x->bound_guest)
		return count_save(m, FPB_OP_FPSIMD_SAVE, x->guest_buf);
	if (x->sm_live)	/* streaming: Z/P (FFR with FA64) at SVL, sve_save_state() */
		r = count_save(m, FPB_OP_SVE_SAVE, x->ssve_buf);
	else
		r = count_save(m, FPB_OP_FPSIMD_SAVE, x->host_buf);
	if (!r && x->za_live)
		r = count_save(m, FPB_OP_ZA_SAVE, x->za_buf);
	return r;
}

int fpb_a64_save_and_flush(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	int r = fpb_a64_task_save(m, c, cpu);

	if (is_user(c))
		c->need_load = true;
	m->cpu[cpu].owner = NULL;
	/* fpsimd_flush_cpu_state(): SMSTOP, the CPU leaves streaming mode */
	if (!r && fpb_a64(m)->acpu[cpu].sm)
		r = sm_set(fpb_a64(m), cpu, false);
	return r;
}

int fpb_a64_save_host(struct fpb_machine *m, struct fpb_sim_ctx *c)
{
	return count_save(m, FPB_OP_FPSIMD_SAVE, fpb_a64(m)->x[c->id].host_buf);
}

int fpb_a64_load_guest(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	struct fpb_a64_ctx *x = &fpb_a64(m)->x[c->id];
	int r = count_restore(m, FPB_OP_FPSIMD_RESTORE, x->guest_buf);

	x->bound_guest = true;
	c->need_load = false;
	c->last_cpu = (int)cpu;
	m->cpu[cpu].owner = c;
	return r;
}

int fpb_a64_get_regs(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	struct fpb_a64_machine *am = fpb_a64(m);

	(void)cpu;	/* the backend's copy: counted in bytes_copied, no vector registers */
	return prim(fpb_prim_copy(m->be, am->uabi, am->x[c->id].guest_buf, FPB_A64_IMG_SIZE));
}

int fpb_a64_set_regs(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	struct fpb_a64_machine *am = fpb_a64(m);

	(void)cpu;
	return prim(fpb_prim_copy(m->be, am->x[c->id].guest_buf, am->uabi, FPB_A64_IMG_SIZE));
}

/* fpsimd_thread_switch(): save prev's state; next's is foreign unless still in this CPU. */
static int thread_switch(struct fpb_machine *m, struct fpb_sim_ctx *prev, struct fpb_sim_ctx *next,
			 unsigned cpu)
{
	/* prep-only: no save, as for kernel NEON (a preemption inside KVM_RUN is timed) */
	int r = m->prep_only ? 0 : fpb_a64_task_save(m, prev, cpu);

	if (is_user(next))
		next->need_load = !(m->cpu[cpu].owner == next && next->last_cpu == (int)cpu &&
				    !fpb_a64(m)->x[next->id].bound_guest);
	return r;
}

/* fpsimd_restore_current_state(): load the task's state if foreign, bind it. */
static int restore_current(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	struct fpb_a64_ctx *x = &fpb_a64(m)->x[c->id];
	int r = 0;

	if (!c->need_load)
		return 0;
	/* fpsimd_load_state(): SVCR first (SMSTART or SMSTOP SM when it changes), then the regs */
	if (fpb_a64(m)->acpu[cpu].sm != x->sm_live)
		r = sm_set(fpb_a64(m), cpu, x->sm_live);
	if (!r)
		r = x->sm_live ? count_restore(m, FPB_OP_SVE_RESTORE, x->ssve_buf) :
				 count_restore(m, FPB_OP_FPSIMD_RESTORE, x->host_buf);
	if (!r && x->za_live)
		r = count_restore(m, FPB_OP_ZA_RESTORE, x->za_buf);
	x->bound_guest = false;
	c->need_load = false;
	c->last_cpu = (int)cpu;
	m->cpu[cpu].owner = c;
	return r;
}

int fpb_a64_restore_current(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	return restore_current(m, c, cpu);
}

/* ---- set-up ---- */

static void *alloc_buf(struct fpb_a64_machine *am, size_t size)
{
	void *p;

	if (am->nmem >= FPB_ARRAY_SIZE(am->mem))
		return NULL;
	p = fpb_alloc(FPB_ALIGN_UP(size ? size : 16, (size_t)64) + 64);
	if (!p)
		return NULL;
	am->mem[am->nmem++] = p;
	return (void *)FPB_ALIGN_UP((uintptr_t)p, (uintptr_t)64);
}

int fpb_a64_machine_init(struct fpb_a64_machine *am, struct fpb_backend *be,
			 const struct fpb_strategy *guest, const struct fpb_a64_config *cfg,
			 char *why, size_t len)
{
	struct fpb_machine *m = &am->base;
	unsigned nctx = cfg->ntasks + cfg->ncpus;
	size_t zs = cfg->za_size;

	for (size_t i = 0; i < sizeof(*am); i++)
		((volatile uint8_t *)am)[i] = 0;
	if (!guest || guest->family != FPB_FAMILY_GUEST || !(guest->flags & FPB_STRAT_ARCH_ARM64) ||
	    !cfg->ncpus || cfg->ncpus > FPB_SIM_MAX_CPUS || nctx > FPB_SIM_MAX_CTX ||
	    cfg->nvcpus > cfg->ntasks || !be->ops->save || !be->ops->restore) {
		fpb_snprintf(why, len, "bad arm64 machine configuration");
		return -EINVAL;
	}
	m->be = be;
	m->guest = guest;
	m->ncpus = cfg->ncpus;
	m->nctx = nctx;
	am->za_size = zs;
	am->mask_callee_saved = (be->ops->flags & FPB_BE_REAL) != 0;
	am->real_sm = (be->ops->flags & FPB_BE_REAL) != 0;
	am->svl = cfg->svl;
	am->fa64 = cfg->fa64;
	if (am->svl) {
		if (am->svl % 16 || am->svl > 256) {
			fpb_snprintf(why, len, "bad streaming vector length %u bytes", am->svl);
			return -EINVAL;
		}
		/*
		 * Real registers: the arm64 backend's streaming save/restore moves FFR only
		 * with FA64, so cfg->fa64 must be the CPU's HWCAP2_SME_FA64.
		 */
		if (am->real_sm && !A64_REAL_SM) {
			fpb_snprintf(why, len, "streaming mode on real registers needs an aarch64 "
				     "build");
			return -EOPNOTSUPP;
		}
		am->ssve_size = fpb_a64_ssve_size(am->svl);
		am->ssve_bytes = fpb_a64_ssve_bytes(am->svl, am->fa64);
	}
	if (!(am->scratch = alloc_buf(am, FPB_A64_IMG_SIZE)) ||
	    !(am->za_scratch = alloc_buf(am, zs)) || !(am->junk = alloc_buf(am, FPB_A64_IMG_SIZE)) ||
	    !(am->work = alloc_buf(am, zs > FPB_A64_IMG_SIZE ? zs : FPB_A64_IMG_SIZE)) ||
	    !(am->uabi = alloc_buf(am, FPB_A64_IMG_SIZE)))
		goto nomem;
	if (am->svl && (!(am->ssve_zero = alloc_buf(am, am->ssve_size)) ||
			!(am->work = alloc_buf(am, am->ssve_size > zs ? am->ssve_size : zs))))
		goto nomem;
	if (am->ssve_zero)
		ssve_write(am, am->ssve_zero, 0, 0);
	img_write(am->junk, JUNK_OWNER, 0, 1);
	for (unsigned i = 0; i < m->ncpus; i++) {
		if (!(am->acpu[i].shadow = alloc_buf(am, FPB_A64_IMG_SIZE)) ||
		    !(am->acpu[i].za_shadow = alloc_buf(am, zs)))
			goto nomem;
		if (am->svl && !(am->acpu[i].ssve_shadow = alloc_buf(am, am->ssve_size)))
			goto nomem;
		m->cpu[i].idle = &m->ctx[cfg->ntasks + i];
		m->cpu[i].curr = m->cpu[i].idle;
	}
	for (unsigned i = 0; i < nctx; i++) {
		struct fpb_sim_ctx *c = &m->ctx[i];
		struct fpb_a64_ctx *x = &am->x[i];

		c->id = i;
		c->last_cpu = -1;
		if (i >= cfg->ntasks) {
			c->flags = FPB_CTX_KTHREAD;
			c->name = "idle";
			c->cpu = (int)(i - cfg->ntasks);
			continue;
		}
		c->flags = i < cfg->nvcpus ? FPB_CTX_VCPU : 0;
		c->name = i < cfg->nvcpus ? "vcpu" : "task";
		c->need_load = true;
		if (!(x->host_buf = alloc_buf(am, FPB_A64_IMG_SIZE)) ||
		    !(x->guest_buf = alloc_buf(am, FPB_A64_IMG_SIZE)) ||
		    !(x->za_buf = alloc_buf(am, zs)))
			goto nomem;
		if (am->svl && !(x->ssve_buf = alloc_buf(am, am->ssve_size)))
			goto nomem;
		x->host_gen = 1;
		img_write(x->host_buf, i, 0, 1);
		if (c->flags & FPB_CTX_VCPU) {
			x->guest_gen = 1;
			img_write(x->guest_buf, i, 1, 1);
		}
	}
	return 0;
nomem:
	fpb_snprintf(why, len, "out of memory");
	fpb_a64_machine_fini(am);
	return -ENOMEM;
}

void fpb_a64_machine_fini(struct fpb_a64_machine *am)
{
	while (am->nmem) {
		fpb_free(am->mem[--am->nmem]);
		am->mem[am->nmem] = NULL;
	}
}

/* ---- events ---- */

#define HOOK(h, c, cpu)							\
	((m->prep_only || !m->guest->ops.h) ? 0 : m->guest->ops.h(m, (c), (cpu)))

static bool is_stopped(const struct fpb_machine *m, const struct fpb_sim_ctx *c)
{
	for (unsigned i = 0; i < m->ncpus; i++)
		if (m->cpu[i].curr == c)
			return false;
	return true;
}

static int bad(struct fpb_a64_machine *am, const struct fpb_sim_event *ev, const char *what)
{
	fpb_snprintf(am->base.why, sizeof(am->base.why), "event %lu (%s): %s", am->base.events,
		     fpb_a64_event_name(ev->type), what);
	return -EINVAL;
}

/* A program writes the next generation of its image into the registers. */
static int program_writes(struct fpb_a64_machine *am, unsigned owner, unsigned guest,
			  uint32_t *gen)
{
	if (++*gen == 0)
		*gen = 1;
	img_write(am->work, owner, guest, *gen);
	return raw_restore(am, am->work);
}

/* A program in streaming mode writes the next generation of its streaming image. */
static int program_writes_ssve(struct fpb_a64_machine *am, unsigned owner, uint32_t *gen)
{
	if (++*gen == 0)
		*gen = 1;
	ssve_write(am, am->work, owner, *gen);
	return raw_sve(am, am->work, false);
}

/* The guest touches FP: a trap first when the policy left traps on; it must then see its own. */
static int guest_fp_use(struct fpb_a64_machine *am, struct fpb_sim_ctx *c, unsigned cpu)
{
	struct fpb_machine *m = &am->base;
	struct fpb_a64_ctx *x = &am->x[c->id];
	char d[48];
	int r = 0;

	if (x->fp_trap) {
		r = HOOK(guest_fp_trap, c, cpu);
		if (r)
			return r;
	}
	if (m->check && !m->prep_only && !x->guest_used) {
		r = raw_save(am, am->scratch);
		if (r)
			return r;
		img_write(am->work, c->id, 1, x->guest_gen);
		if (compare(am, am->work, am->scratch, FPB_A64_IMG_SIZE, true, d, sizeof(d))) {
			fpb_snprintf(m->why, sizeof(m->why), "%s: event %lu (guest-run cpu%u): "
				     "ctx %u's guest sees other registers: %.40s", m->guest->name,
				     m->events, cpu, c->id, d);
			return -EPROTO;
		}
	}
	x->guest_used = true;
	return program_writes(am, c->id, 1, &x->guest_gen);
}

static int do_event(struct fpb_a64_machine *am, const struct fpb_sim_event *ev)
{
	struct fpb_machine *m = &am->base;
	unsigned cpu = ev->cpu;
	struct fpb_sim_ctx *c = m->cpu[cpu].curr, *t = ev->ctx < m->nctx ? &m->ctx[ev->ctx] : NULL;
	struct fpb_a64_ctx *x = &am->x[c->id];
	int r = 0;

	switch (ev->type) {
	case FPB_EV_SWITCH:
		if (!t || t == c || !is_stopped(m, t) || t->cpu != (int)cpu || c->in_guest)
			return bad(am, ev, "next task not runnable here");
		c->in_user = false;
		/*
		 * A vCPU thread preempted inside KVM_RUN: the preempt notifiers put the vCPU
		 * before the switch (kvm_sched_out) and load it again, on whatever CPU it resumes
		 * on, after the switch back (kvm_sched_in).
		 */
		if (c->vcpu_loaded)
			r = HOOK(vcpu_put, c, cpu);
		if (!r)
			r = thread_switch(m, c, t, cpu);
		m->cpu[cpu].curr = t;
		if (!r && t->vcpu_loaded)
			r = HOOK(vcpu_load, t, cpu);
		break;
	case FPB_EV_RETURN_TO_USER:
		if (!is_user(c) || c->in_user || c->vcpu_loaded)
			return bad(am, ev, "current cannot return to user mode");
		r = restore_current(m, c, cpu);
		/* prep-only: PSTATE.SM follows the full machine's path (see KVM_RUN_ENTER) */
		if (!r && m->prep_only && x->sm_live && !am->acpu[cpu].sm)
			r = sm_set(am, cpu, true);
		c->in_user = true;
		break;
	case FPB_EV_USER_RUN:
		if (!c->in_user)
			return bad(am, ev, "current is not in user mode");
		r = x->sm_live ? program_writes_ssve(am, c->id, &x->ssve_gen) :
				 program_writes(am, c->id, 0, &x->host_gen);
		break;
	case FPB_A64_EV_SM_ON:
	case FPB_A64_EV_SM_OFF:
		if (!c->in_user || !am->svl || x->sm_live == (ev->type == FPB_A64_EV_SM_ON))
			return bad(am, ev, "no user program with SME that can switch streaming "
				   "mode here");
		/* SMSTART / SMSTOP SM: the registers are zeroed, the program writes its new ones */
		x->sm_live = ev->type == FPB_A64_EV_SM_ON;
		r = sm_set(am, cpu, x->sm_live);
		if (!r)
			r = x->sm_live ? program_writes_ssve(am, c->id, &x->ssve_gen) :
					 program_writes(am, c->id, 0, &x->host_gen);
		break;
	case FPB_A64_EV_ZA_ON:
	case FPB_A64_EV_ZA_OFF:
		if (!c->in_user || !am->za_size)
			return bad(am, ev, "no user program with SME here");
		x->za_live = ev->type == FPB_A64_EV_ZA_ON;
		if (x->za_live && ++x->za_gen == 0)
			x->za_gen = 1;
		za_write(am->work, am->za_size, c->id, x->za_live ? x->za_gen : 0);
		r = raw_za(am, am->work, false);
		break;
	case FPB_EV_ENTER_KERNEL:
		c->in_user = false;
		break;
	case FPB_EV_KERNEL_FPU:
		/* kernel_neon_begin(): save the bound state, registers foreign; NEON code clobbers. */
		if (c->in_user || c->in_guest)
			return bad(am, ev, "kernel FPU use from user or guest mode");
		r = m->prep_only ? 0 : fpb_a64_save_and_flush(m, c, cpu);
		if (!r)
			r = raw_restore(am, am->junk);
		break;
	case FPB_EV_MIGRATE:
		/* a vCPU thread preempted inside KVM_RUN migrates too (its vCPU is put) */
		if (!t || !is_user(t) || !is_stopped(m, t))
			return bad(am, ev, "only a stopped task migrates");
		t->cpu = (int)cpu;
		break;
	case FPB_EV_KVM_RUN_ENTER:
		if (!(c->flags & FPB_CTX_VCPU) || c->in_user || c->vcpu_loaded)
			return bad(am, ev, "current is not a vCPU thread in the kernel");
		r = HOOK(vcpu_load, c, cpu);
		/*
		 * prep-only: the policy's flush did not run, but the CPU leaves streaming mode as
		 * in the full machine, so both park the same register files event by event (the
		 * SMSTART/SMSTOP themselves then cancel out of the timed difference).
		 */
		if (!r && m->prep_only && am->acpu[cpu].sm && (m->guest->flags & FPB_STRAT_SME))
			r = sm_set(am, cpu, false);
		c->vcpu_loaded = true;
		break;
	case FPB_EV_VM_ENTRY:
		if (!c->vcpu_loaded || c->in_guest)
			return bad(am, ev, "not inside KVM_RUN");
		r = HOOK(vm_entry, c, cpu);
		c->in_guest = true;
		x->guest_used = false;
		break;
	case FPB_EV_GUEST_RUN:
		if (!c->in_guest)
			return bad(am, ev, "not in guest mode");
		r = guest_fp_use(am, c, cpu);
		break;
	case FPB_EV_VM_EXIT:
		if (!c->in_guest)
			return bad(am, ev, "not in guest mode");
		r = HOOK(vm_exit, c, cpu);
		c->in_guest = false;
		break;
	case FPB_EV_KVM_RUN_EXIT:
		if (!c->vcpu_loaded || c->in_guest)
			return bad(am, ev, "not inside KVM_RUN");
		r = HOOK(vcpu_put, c, cpu);
		c->vcpu_loaded = false;
		break;
	case FPB_EV_KVM_GET_XSAVE:
	case FPB_EV_KVM_SET_XSAVE:
		if (!t || !(t->flags & FPB_CTX_VCPU) || t->vcpu_loaded || c->in_user)
			return bad(am, ev, "no vCPU outside KVM_RUN");
		if (ev->type == FPB_EV_KVM_GET_XSAVE) {
			r = HOOK(get_xsave, t, cpu);
			break;
		}
		if (++am->x[t->id].guest_gen == 0)
			am->x[t->id].guest_gen = 1;
		img_write(am->uabi, t->id, 1, am->x[t->id].guest_gen);
		r = HOOK(set_xsave, t, cpu);
		break;
	default:
		return bad(am, ev, "event not modelled on arm64");
	}
	return r;
}

int fpb_a64_machine_step(struct fpb_a64_machine *am, const struct fpb_sim_event *ev)
{
	struct fpb_machine *m = &am->base;
	int r, p;

	if (ev->cpu >= m->ncpus || ev->type >= FPB_A64_NR_EV_TYPES)
		return bad(am, ev, "bad event");
	r = regs_load(am, ev->cpu);
	if (r)
		return r;
	r = do_event(am, ev);
	p = regs_park(am, ev->cpu);
	m->events++;
	if (r == -EINVAL || r == -EPROTO)
		return r;
	if (r || p) {
		fpb_snprintf(m->why, sizeof(m->why), "event %lu (%s): a primitive failed (%d)",
			     m->events - 1, fpb_a64_event_name(ev->type), r ? r : p);
		return r ? r : p;
	}
	if (m->check && !m->prep_only) {
		char why[FPB_REASON_LEN - 40];

		if (fpb_a64_integrity_check(am, why, sizeof(why))) {
			fpb_snprintf(m->why, sizeof(m->why), "%s: event %lu (%s cpu%u): %s",
				     m->guest->name, m->events - 1, fpb_a64_event_name(ev->type),
				     ev->cpu, why);
			return -EPROTO;
		}
	}
	return 0;
}

static int a64_step(struct fpb_machine *m, const struct fpb_sim_event *ev)
{
	return fpb_a64_machine_step(fpb_a64(m), ev);
}

int fpb_a64_machine_run(struct fpb_a64_machine *am, const struct fpb_sim_event *ev, size_t n,
			size_t *failed_at)
{
	return fpb_machine_run_steps(&am->base, a64_step, ev, n, failed_at);
}

/* ---- the checker ---- */

static int lost(char *why, size_t len, const struct fpb_sim_ctx *c, const char *state,
		const char *where, const char *detail)
{
	fpb_snprintf(why, len, "ctx %u (%s) lost its %s state in %s: %s", c->id, c->name, state,
		     where, detail);
	return -EPROTO;
}

/*
 * Where a state lives follows fpsimd.c's binding, not the policy under test: the registers of a
 * context's CPU hold the state bound there (host, or guest after a trap) while it is current and
 * not foreign (TIF_FOREIGN_FPSTATE clear); every other state is in its buffer.  In user mode the
 * host state must be in the registers.  A host in streaming mode has its streaming image instead
 * of the FPSIMD one, and its registers count only while the CPU is in streaming mode (PSTATE.SM);
 * in user mode PSTATE.SM must be the program's SVCR.SM, and no guest runs in streaming mode.
 */
int fpb_a64_integrity_check(struct fpb_a64_machine *am, char *why, size_t len)
{
	struct fpb_machine *m = &am->base;
	char d[FPB_REASON_LEN];

	for (unsigned i = 0; i < m->ncpus; i++)
		if (am->acpu[i].sm && m->cpu[i].curr->in_guest) {
			fpb_snprintf(why, len, "cpu%u runs ctx %u's guest in streaming mode (the "
				     "host's SVCR.SM still set)", i, m->cpu[i].curr->id);
			return -EPROTO;
		}
	for (unsigned i = 0; i < m->nctx; i++) {
		struct fpb_sim_ctx *c = &m->ctx[i];
		struct fpb_a64_ctx *x = &am->x[i];
		struct fpb_a64_cpu *pc;
		bool live;

		if (!is_user(c))
			continue;
		pc = &am->acpu[c->cpu];
		live = m->cpu[c->cpu].curr == c && !c->need_load;
		if (c->in_user && (!live || x->bound_guest))
			return lost(why, len, c, "host", "user mode", "registers not loaded");
		if (live && !x->bound_guest && pc->sm != x->sm_live)
			return lost(why, len, c, "host", "the registers", x->sm_live ?
				    "PSTATE.SM clear, its SVCR.SM set" :
				    "PSTATE.SM set, its SVCR.SM clear");
		if (x->sm_live) {
			bool in_regs = live && !x->bound_guest;

			ssve_write(am, am->work, i, x->ssve_gen);
			if (ssve_compare(am, am->work, in_regs ? pc->ssve_shadow : x->ssve_buf, d,
					 sizeof(d)))
				return lost(why, len, c, "streaming", in_regs ? "the registers" :
					    "its sve_state", d);
		} else {
			img_write(am->work, i, 0, x->host_gen);
			if (compare(am, am->work, live && !x->bound_guest ? pc->shadow :
				    x->host_buf, FPB_A64_IMG_SIZE, true, d, sizeof(d)))
				return lost(why, len, c, "host", live && !x->bound_guest ?
					    "the registers" : "its fpsimd_state", d);
		}
		if (c->flags & FPB_CTX_VCPU) {
			img_write(am->work, i, 1, x->guest_gen);
			if (compare(am, am->work, live && x->bound_guest ? pc->shadow : x->guest_buf,
				    FPB_A64_IMG_SIZE, true, d, sizeof(d)))
				return lost(why, len, c, "guest", live && x->bound_guest ?
					    "the registers" : "the vCPU fp_regs", d);
		}
		if (am->za_size && x->za_live) {
			bool in_regs = live && !x->bound_guest;

			za_write(am->work, am->za_size, i, x->za_gen);
			if (compare(am, am->work, in_regs ? pc->za_shadow : x->za_buf, am->za_size,
				    false, d, sizeof(d)))
				return lost(why, len, c, "ZA", in_regs ? "the registers" :
					    "its sme_state", d);
		}
	}
	return 0;
}

/* ---- random events ---- */

static uint64_t next_rand(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

void fpb_a64_random_event(const struct fpb_a64_machine *am, uint64_t *rng, bool sme_ok,
			  struct fpb_sim_event *ev)
{
	const struct fpb_machine *m = &am->base;
	unsigned cpu = (unsigned)(next_rand(rng) % m->ncpus);
	const struct fpb_sim_ctx *c = m->cpu[cpu].curr;
	uint8_t cand[16];
	unsigned n = 0;

	ev->cpu = (uint8_t)cpu;
	ev->ctx = 0;
	if (c->in_guest) {
		cand[n++] = FPB_EV_GUEST_RUN;
		cand[n++] = FPB_EV_GUEST_RUN;
		cand[n++] = FPB_EV_VM_EXIT;
	} else if (c->vcpu_loaded) {
		cand[n++] = FPB_EV_VM_ENTRY;
		cand[n++] = FPB_EV_VM_ENTRY;
		cand[n++] = FPB_EV_KVM_RUN_EXIT;
		cand[n++] = FPB_EV_KERNEL_FPU;
		cand[n++] = FPB_EV_SWITCH;	/* preempted inside KVM_RUN */
		cand[n++] = FPB_EV_MIGRATE;
	} else if (c->in_user) {
		cand[n++] = FPB_EV_USER_RUN;
		cand[n++] = FPB_EV_ENTER_KERNEL;
		cand[n++] = FPB_EV_ENTER_KERNEL;
		if (sme_ok && am->za_size)
			cand[n++] = am->x[c->id].za_live ? FPB_A64_EV_ZA_OFF : FPB_A64_EV_ZA_ON;
		if (sme_ok && am->svl)
			cand[n++] = am->x[c->id].sm_live ? FPB_A64_EV_SM_OFF : FPB_A64_EV_SM_ON;
	} else {
		cand[n++] = FPB_EV_SWITCH;
		cand[n++] = FPB_EV_KERNEL_FPU;
		cand[n++] = FPB_EV_MIGRATE;
		if (is_user(c)) {
			cand[n++] = FPB_EV_RETURN_TO_USER;
			cand[n++] = FPB_EV_RETURN_TO_USER;
		}
		if (c->flags & FPB_CTX_VCPU) {
			cand[n++] = FPB_EV_KVM_RUN_ENTER;
			cand[n++] = FPB_EV_KVM_RUN_ENTER;
			cand[n++] = FPB_EV_KVM_GET_XSAVE;
			cand[n++] = FPB_EV_KVM_SET_XSAVE;
		}
	}
	ev->type = cand[next_rand(rng) % n];
	if (ev->type == FPB_EV_SWITCH || ev->type == FPB_EV_MIGRATE ||
	    ev->type == FPB_EV_KVM_GET_XSAVE || ev->type == FPB_EV_KVM_SET_XSAVE) {
		/* A stopped context: for SWITCH one queued on this CPU. */
		unsigned pick[FPB_SIM_MAX_CTX], k = 0;

		for (unsigned i = 0; i < m->nctx; i++) {
			const struct fpb_sim_ctx *t = &m->ctx[i];

			/* preempted inside KVM_RUN: it may resume or move, not take ioctls */
			if (!is_stopped(m, t) || (t->vcpu_loaded && ev->type != FPB_EV_SWITCH &&
						  ev->type != FPB_EV_MIGRATE))
				continue;
			if (ev->type == FPB_EV_SWITCH && t->cpu != (int)cpu)
				continue;
			if (ev->type == FPB_EV_MIGRATE && !is_user(t))
				continue;
			if ((ev->type == FPB_EV_KVM_GET_XSAVE || ev->type == FPB_EV_KVM_SET_XSAVE) &&
			    !(t->flags & FPB_CTX_VCPU))
				continue;
			pick[k++] = i;
		}
		if (!k) {
			ev->type = FPB_EV_KERNEL_FPU;
			return;
		}
		ev->ctx = (uint8_t)pick[next_rand(rng) % k];
	}
}
