// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * machine.c - the simulated machine: contexts, CPUs, the events of scenarios, and the FPU core
 * helpers strategies are written with.  See machine.h.  Print-free, libc-free apart from fpb_env.h.
 */
#include "machine.h"
#include "xstate.h"
#include "fpb_nofp.h"

#define PKRU_BIT	FPB_BIT(FPB_XF_PKRU)
#define INIT_PKRU	0x55555554u	/* Linux's default: only key 0 accessible */

static const char *const ev_names[FPB_NR_EV_TYPES] = {
	[FPB_EV_SWITCH] = "switch", [FPB_EV_RETURN_TO_USER] = "return-to-user",
	[FPB_EV_USER_RUN] = "user-run", [FPB_EV_ENTER_KERNEL] = "enter-kernel",
	[FPB_EV_KERNEL_FPU] = "kernel-fpu", [FPB_EV_SIGNAL] = "signal",
	[FPB_EV_SIGRETURN] = "sigreturn", [FPB_EV_PTRACE_READ] = "ptrace-read",
	[FPB_EV_PTRACE_WRITE] = "ptrace-write", [FPB_EV_MIGRATE] = "migrate",
	[FPB_EV_USER_ACCESS] = "user-access", [FPB_EV_KVM_RUN_ENTER] = "kvm-run-enter",
	[FPB_EV_VM_ENTRY] = "vm-entry", [FPB_EV_GUEST_RUN] = "guest-run",
	[FPB_EV_VM_EXIT] = "vm-exit", [FPB_EV_KVM_RUN_EXIT] = "kvm-run-exit",
	[FPB_EV_KVM_GET_XSAVE] = "kvm-get-xsave", [FPB_EV_KVM_SET_XSAVE] = "kvm-set-xsave",
	[FPB_EV_GUEST_XFD_EXIT] = "guest-xfd-exit", [FPB_EV_AMX_FIRST_USE] = "amx-first-use",
};

const char *fpb_sim_event_name(unsigned type)
{
	return type < FPB_NR_EV_TYPES ? ev_names[type] : "?";
}

/* ---- raw (uncounted) register-file access: the simulated programs' work ---- */

static int raw_save(struct fpb_machine *m, void *buf)
{
	int r;

	fpb_sim_zero((char *)buf + FPB_XSAVE_HDR_OFFSET, FPB_XSAVE_HDR_SIZE);
	r = m->be->ops->save(m->be, FPB_OP_XSAVE, buf, m->lay.features);
	return r < 0 ? r : 0;
}

static int raw_restore_mask(struct fpb_machine *m, const void *buf, uint64_t mask)
{
	int r = m->be->ops->restore(m->be, FPB_OP_XRSTOR, buf, mask);

	return r < 0 ? r : 0;
}

static int raw_restore(struct fpb_machine *m, const void *buf)
{
	return raw_restore_mask(m, buf, m->lay.features);
}

/* Make cpu's registers the backend's: park the live CPU's in its shadow, load cpu's. */
static int enter_cpu(struct fpb_machine *m, unsigned cpu)
{
	struct fpb_sim_cpu *from = &m->cpu[m->live_cpu], *to = &m->cpu[cpu];
	const struct fpb_backend_ops *ops = m->be->ops;
	int r;

	if (cpu == m->live_cpu)
		return 0;
	/* Park and load the whole register file under the host's XCR0, then the CPU's own. */
	if (from->xcr0 != m->host_xcr0 && ops->xsetbv)
		ops->xsetbv(m->be, 0, m->host_xcr0);
	r = raw_save(m, from->shadow);
	if (r)
		return r;
	if (from->xss != to->xss && ops->write_xss)
		ops->write_xss(m->be, to->xss);
	if (from->xfd != to->xfd && m->has_xfd && ops->write_xfd)
		ops->write_xfd(m->be, to->xfd);
	m->live_cpu = cpu;
	r = raw_restore(m, to->shadow);
	if (!r && to->xcr0 != m->host_xcr0 && ops->xsetbv)
		ops->xsetbv(m->be, 0, to->xcr0);
	return r;
}

/* ---- FPU core helpers (counted) ---- */

uint64_t fpb_fpu_mask(const struct fpb_machine *m, bool with_pkru)
{
	return with_pkru ? m->lay.features : m->lay.features & ~PKRU_BIT;
}

int fpb_fpu_save(struct fpb_machine *m, struct fpb_fpstate *fps)
{
	/*
	 * The modelled components only, as the restores: supervisor ones (CET_U, PASID) are sized
	 * for but carried by neither, so that no save pays for state no restore brings back.
	 */
	int r = fpb_prim_save(m->be, m->save_op, fps->buf, fps->features & m->lay.features);

	return r < 0 ? r : 0;
}

int fpb_fpu_xfd_update(struct fpb_machine *m, unsigned cpu, const struct fpb_fpstate *fps)
{
	int r;

	if (!m->has_xfd || m->cpu[cpu].xfd == fps->xfd)
		return 0;
	r = fpb_prim_write_xfd(m->be, fps->xfd);
	if (r < 0)
		return r;
	m->cpu[cpu].xfd = fps->xfd;
	return 0;
}

int fpb_fpu_restore(struct fpb_machine *m, unsigned cpu, const struct fpb_fpstate *fps,
		    uint64_t mask)
{
	int r = fpb_fpu_xfd_update(m, cpu, fps);

	if (r)
		return r;
	r = fpb_prim_restore(m->be, m->restore_op, fps->buf, mask & m->lay.features);
	return r < 0 ? r : 0;
}

bool fpb_fpu_regs_valid(const struct fpb_machine *m, const struct fpb_sim_ctx *c, unsigned cpu)
{
	return m->cpu[cpu].owner == c && c->last_cpu == (int)cpu;
}

void fpb_fpu_activate(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	m->cpu[cpu].owner = c;
	c->last_cpu = (int)cpu;
	c->need_load = false;
}

void fpb_fpu_invalidate_cpu(struct fpb_machine *m, unsigned cpu)
{
	m->cpu[cpu].owner = NULL;
}

/*
 * Without OSPKE (PKRU not in XCR0) the kernel never reaches RDPKRU or WRPKRU: x86_pkru_load()
 * and KVM's guest/host PKRU switch test the feature first.  So neither does the model: the
 * access is counted as skipped and only the simulated value moves.
 */
int fpb_fpu_rdpkru(struct fpb_machine *m, unsigned cpu, uint32_t *val)
{
	uint32_t v = 0;
	int r;

	if (!m->pkru_enabled) {
		fpb_prim_skipped(m->be);
		*val = m->cpu[cpu].pkru;
		return 0;
	}
	r = fpb_prim_rdpkru(m->be, &v);
	*val = r == FPB_PRIM_DONE ? v : m->cpu[cpu].pkru;
	return 0;
}

int fpb_fpu_wrpkru(struct fpb_machine *m, unsigned cpu, uint32_t val)
{
	int r;

	if (!m->pkru_enabled) {
		fpb_prim_skipped(m->be);
		m->cpu[cpu].pkru = val;
		return 0;
	}
	r = fpb_prim_wrpkru(m->be, val);
	if (r < 0)
		return r;
	if (r != FPB_PRIM_DONE)
		m->cpu[cpu].pkru = val;
	return 0;
}

uint32_t fpb_fpu_uabi_pkru(const struct fpb_machine *m, const void *uabi)
{
	const struct fpb_xsave_hdr *h = (const void *)((const char *)uabi + FPB_XSAVE_HDR_OFFSET);
	const uint8_t *p = (const uint8_t *)uabi + m->lay.std_off[FPB_XF_PKRU];

	if (!m->pkru_enabled || !(h->xstate_bv & PKRU_BIT))
		return 0;	/* PKRU's init state */
	return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

void fpb_fpu_uabi_set_pkru(const struct fpb_machine *m, void *uabi, uint32_t pkru)
{
	struct fpb_xsave_hdr *h = (void *)((char *)uabi + FPB_XSAVE_HDR_OFFSET);
	uint8_t *p = (uint8_t *)uabi + m->lay.std_off[FPB_XF_PKRU];

	if (!m->pkru_enabled)
		return;
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(pkru >> (8 * i));
	h->xstate_bv |= PKRU_BIT;
}

static int prim_copy(void *arg, void *dst, const void *src, size_t n)
{
	int r = fpb_prim_copy(arg, dst, src, n);

	return r < 0 ? r : 0;
}

/*
 * XCOMP_BV of fps in the machine's format: 0 for standard buffers, else its modelled user
 * components (supervisor ones are sized for, not carried: see struct fpb_fpstate).
 */
static uint64_t fps_xcomp(const struct fpb_machine *m, const struct fpb_fpstate *fps)
{
	return m->compacted ? (fps->features & m->lay.features) | FPB_XCOMP_BV_COMPACTED : 0;
}

/* Convert src into dst (dst_len bytes, format by dst_xcomp) through copy: shared/xstate.c's. */
static int convert(struct fpb_machine *m, void *dst, size_t dst_len, uint64_t dst_xcomp,
		   const void *src, fpb_xstate_copy_fn copy, void *arg)
{
	return fpb_xstate_convert(m->cpuinfo, dst, dst_len, dst_xcomp, src, m->lay.features,
				  copy, arg, NULL, 0);
}

int fpb_fpu_to_uabi(struct fpb_machine *m, void *uabi, const struct fpb_fpstate *fps)
{
	return convert(m, uabi, m->uabi_size, 0, fps->buf, prim_copy, m->be);
}

int fpb_fpu_from_uabi(struct fpb_machine *m, struct fpb_fpstate *fps, const void *uabi)
{
	return convert(m, fps->buf, fps->alloc, fps_xcomp(m, fps), uabi, prim_copy, m->be);
}

int fpb_task_return(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	if (!m->task->ops.return_to_user)
		return 0;
	return m->task->ops.return_to_user(m, c, cpu);
}

/* ---- set-up ---- */

static uint32_t compacted_size(const struct fpb_machine *m, uint64_t features)
{
	uint32_t off[64];

	return fpb_xstate_compacted_layout(m->cpuinfo, features, off);
}

/*
 * At least alloc usable bytes after 64-byte alignment (*got says how many): a spare kept by
 * fpb_machine_reset (start zeroed) when one is big enough, else a new allocation.
 */
static void *raw_alloc(struct fpb_machine *m, size_t alloc, size_t *got)
{
	alloc = FPB_ALIGN_UP(alloc, (size_t)64);
	for (unsigned i = m->nspare; i-- > 0;) {
		void *mem = m->spare[i];

		if (m->spare_len[i] < alloc)
			continue;
		*got = m->spare_len[i];
		m->spare[i] = m->spare[--m->nspare];
		m->spare_len[i] = m->spare_len[m->nspare];
		fpb_sim_zero((void *)FPB_ALIGN_UP((uintptr_t)mem, (uintptr_t)64),
			     FPB_XSAVE_EXT_OFFSET);
		return mem;
	}
	*got = alloc;
	return fpb_alloc(alloc + 64);
}

static void spares_free(struct fpb_machine *m)
{
	while (m->nspare)
		fpb_free(m->spare[--m->nspare]);
}

int fpb_fpu_fps_alloc(struct fpb_machine *m, struct fpb_fpstate *fps, uint64_t features,
		      size_t alloc)
{
	fps->features = features & (m->lay.features | m->fcfg.supervisor);
	fps->size = fpb_fpstate_size(m->cpuinfo, fps->features, m->compacted);
	fps->mem = raw_alloc(m, alloc > fps->size ? alloc : fps->size, &fps->alloc);
	if (!fps->mem)
		return -ENOMEM;
	fps->buf = (void *)FPB_ALIGN_UP((uintptr_t)fps->mem, (uintptr_t)64);
	return 0;
}

void fpb_fpu_fps_free(struct fpb_fpstate *fps)
{
	if (fps->mem)
		fpb_free(fps->mem);
	fps->mem = fps->buf = NULL;
}

/* A buffer of at least len usable bytes in raw slot i (freed at fini), 64-byte aligned. */
static void *buf_alloc(struct fpb_machine *m, unsigned i, size_t len)
{
	m->mem[i] = raw_alloc(m, len, &m->mem_len[i]);
	return m->mem[i] ? (void *)FPB_ALIGN_UP((uintptr_t)m->mem[i], (uintptr_t)64) : NULL;
}

/* Write image img into fps (its own format).  0 or -EINVAL. */
static int fps_write_image(struct fpb_machine *m, struct fpb_fpstate *fps,
			   const struct fpb_sim_image *img)
{
	fpb_sim_image_write(&m->lay, m->work, img);
	return convert(m, fps->buf, fps->alloc, fps_xcomp(m, fps), m->work, fpb_sim_copy_raw,
		       NULL);
}

/* A configuration the machine can be made from?  0, or an error with why. */
static int setup_check(const struct fpb_backend *be, const struct fpb_strategy *task,
		       const struct fpb_strategy *guest, const struct fpb_machine_config *cfg,
		       char *why, size_t len)
{
	unsigned nctx = cfg->ntasks + cfg->nkthreads + cfg->ncpus;

	if (!task || task->family != FPB_FAMILY_TASK || (guest && guest->family != FPB_FAMILY_GUEST)
	    || !cfg->ncpus || cfg->ncpus > FPB_SIM_MAX_CPUS || nctx > FPB_SIM_MAX_CTX ||
	    cfg->nvcpus > cfg->ntasks || !be->ops->save || !be->ops->restore) {
		fpb_snprintf(why, len, "bad machine configuration");
		return -EINVAL;
	}
	if ((task->flags | (guest ? guest->flags : 0)) & FPB_STRAT_ARCH_ARM64) {
		/* The arm64 policies run on strategies/arm64-machine.c's machine. */
		fpb_snprintf(why, len, "arm64 policy: runs on the arm64 machine model "
			     "(tests/check_arm64_strategies), not timed by this suite yet");
		return -EOPNOTSUPP;
	}
	return 0;
}

/* Linux's XSAVE_INSN and XRSTOR choice; compacted buffers as fcfg says (XCOMPACTED). */
static void setup_xsave_ops(struct fpb_machine *m, const struct fpb_cpu *cpu)
{
	m->compacted = m->fcfg.compacted;
	if (fpb_cpu_has(cpu, FPB_CPU_XSAVES)) {
		m->save_op = FPB_OP_XSAVES;
		m->restore_op = FPB_OP_XRSTORS;
	} else if (m->compacted) {
		m->save_op = FPB_OP_XSAVEC;
		m->restore_op = FPB_OP_XRSTOR;
	} else {
		m->save_op = fpb_cpu_has(cpu, FPB_CPU_XSAVEOPT) ? FPB_OP_XSAVEOPT : FPB_OP_XSAVE;
		m->restore_op = FPB_OP_XRSTOR;
	}
}

/* The layout, the host's registers, the instructions and the sizes of every buffer. */
static void setup_layout(struct fpb_machine *m, const struct fpb_cpu *cpu,
			 const struct fpb_machine_config *cfg)
{
	uint64_t xcr0 = cpu->xcr0 ? cpu->xcr0 : 3;

	fpb_sim_layout_init(&m->lay, cpu, cfg->features ? cfg->features & xcr0 : xcr0);
	fpb_fpstate_cfg_compute(&m->fcfg, cpu);
	m->host_xcr0 = xcr0;
	m->host_xss = cpu->xss;
	m->pkru_enabled = (m->lay.features & PKRU_BIT) != 0;
	m->has_xfd = fpb_cpu_has(cpu, FPB_CPU_XFD);
	m->xfd_dynamic = m->fcfg.user_dynamic & m->lay.features;
	setup_xsave_ops(m, cpu);
	m->buf_size = FPB_ALIGN_UP((size_t)m->lay.std_size + 64, (size_t)64);
	if (m->compacted && compacted_size(m, m->lay.features) > m->buf_size)
		m->buf_size = FPB_ALIGN_UP(compacted_size(m, m->lay.features) + 64u, 64u);
	/* The user ABI: KVM_GET/SET_XSAVE and ptrace up to user max, signal frames default. */
	m->uabi_size = m->fcfg.user.max_size > m->lay.std_size ? m->fcfg.user.max_size :
		       m->lay.std_size;
	m->sigframe_size = cfg->task_amx_permission ? m->fcfg.user.max_size :
			   m->fcfg.user.default_size;
	m->ncpus = cfg->ncpus;
	m->nctx = cfg->ntasks + cfg->nkthreads + cfg->ncpus;
}

/* The machine's own buffers, the CPUs' shadows and the tasks' signal frames and expectations. */
static int setup_buffers(struct fpb_machine *m)
{
#define ALLOC(p, slot, len) do {					\
		(p) = buf_alloc(m, (slot), (len));				\
		if (!(p))							\
			return -ENOMEM;						\
	} while (0)
	ALLOC(m->scratch, 0, m->buf_size);
	ALLOC(m->uabi, 1, m->uabi_size);
	ALLOC(m->init_img, 2, m->buf_size);
	ALLOC(m->work, 3, m->buf_size);
	ALLOC(m->junk, 4, m->buf_size);
	for (unsigned c = 0; c < m->ncpus; c++)
		ALLOC(m->cpu[c].shadow, 5 + c, m->buf_size);
	for (unsigned i = 0; i < m->nctx; i++)
		if (i < m->cfg.ntasks) {
			unsigned base = 5 + FPB_SIM_MAX_CPUS + 4 * i;

			ALLOC(m->ctx[i].sigframe, base, m->sigframe_size);
			for (unsigned k = 0; k < 3; k++) {
				ALLOC(m->ctx[i].exp[k], base + 1 + k, m->buf_size);
				m->ctx[i].exp_of[k].owner = ~0u;
			}
		}
#undef ALLOC
	return 0;
}

/* What kernel code leaves in the registers: every component but the XFD-armed ones dirty. */
static struct fpb_sim_image junk_image(const struct fpb_machine *m)
{
	return (struct fpb_sim_image){ .owner = FPB_SIM_JUNK, .gen = 1, .pkru = INIT_PKRU,
				       .features = m->lay.features & ~m->xfd_dynamic };
}

/* The init image, the junk image and init_fps (the init image in the buffers' format). */
static int setup_images(struct fpb_machine *m, uint64_t tfeat)
{
	struct fpb_sim_image init = { .gen = 0, .pkru = INIT_PKRU };
	struct fpb_sim_image junk = junk_image(m);

	fpb_sim_image_write(&m->lay, m->init_img, &init);
	fpb_sim_image_write(&m->lay, m->junk, &junk);
	if (fpb_fpu_fps_alloc(m, &m->init_fps, tfeat, 0))
		return -ENOMEM;
	m->init_fps.xfd = m->xfd_dynamic;
	if (convert(m, m->init_fps.buf, m->init_fps.alloc, fps_xcomp(m, &m->init_fps),
		    m->init_img, fpb_sim_copy_raw, NULL))
		return -EINVAL;
	return 0;
}

/* Context i >= ntasks: a kernel thread (queued on CPU 0) or CPU i's idle thread. */
static void setup_kthread(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned i)
{
	const struct fpb_machine_config *cfg = &m->cfg;

	c->flags = FPB_CTX_KTHREAD;
	c->name = i >= cfg->ntasks + cfg->nkthreads ? "idle" : "kthread";
	c->cpu = i >= cfg->ntasks + cfg->nkthreads ? (int)(i - cfg->ntasks - cfg->nkthreads) : 0;
	c->need_load = false;
	c->fps = &c->task_fps;
}

/* A vCPU thread's guest side: its control registers, guest fpstate and copy3's user_fpu. */
static int setup_vcpu(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned i, uint64_t tfeat,
		      uint64_t gfeat)
{
	const struct fpb_machine_config *cfg = &m->cfg;
	struct fpb_sim_image junk = junk_image(m);

	c->guest_xcr0 = cfg->guest_xcr0_differs ? m->host_xcr0 & ~FPB_XMASK_AVX512 : m->host_xcr0;
	c->guest_xss = cfg->guest_xcr0_differs ? m->host_xss ^ FPB_BIT(FPB_XF_CET_U) :
		       m->host_xss;
	c->guest_pkru = cfg->guest_pkru_differs ? 0 : c->pkru;
	c->guest_xfd = cfg->guest_xfd_armed ? m->xfd_dynamic : 0;
	/*
	 * copy3's user_fpu holds the task's state in the kernel's format (memcpy of the
	 * task fpstate, XRSTORS): a task fpstate's size, not the user ABI's.
	 */
	if (fpb_fpu_fps_alloc(m, &c->guest_fps, gfeat, 0) ||
	    fpb_fpu_fps_alloc(m, &c->user_fpu, tfeat, 0))
		return -ENOMEM;
	c->guest_fps.is_guest = true;
	c->guest_fps.xfd = c->guest_xfd;
	c->guest_img = (struct fpb_sim_image){ .owner = i, .guest = 1,
					       .gen = cfg->guest_clean_state ? 0 : 1,
					       .pkru = c->guest_pkru,
					       .features = gfeat & m->lay.features &
							   c->guest_xcr0 };
	if (fps_write_image(m, &c->guest_fps, &c->guest_img) ||
	    fps_write_image(m, &c->user_fpu, &junk))
		return -EINVAL;
	return 0;
}

/* Context i < ntasks: a user task (the first nvcpus of them vCPU threads) with its fpstate. */
static int setup_task(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned i, uint64_t tfeat,
		      uint64_t gfeat)
{
	const struct fpb_machine_config *cfg = &m->cfg;

	c->name = i < cfg->nvcpus ? "vcpu" : "task";
	c->flags = i < cfg->nvcpus ? FPB_CTX_VCPU : 0;
	c->amx_permitted = cfg->task_amx_permission && i >= cfg->nvcpus && !(i & 1);
	c->cpu = 0;
	c->pkru = INIT_PKRU ^ (i << 2);	/* distinct, key 0 accessible */
	if (fpb_fpu_fps_alloc(m, &c->task_fps, tfeat, 0))
		return -ENOMEM;
	c->task_fps.xfd = m->xfd_dynamic;	/* no AMX permission: armed */
	c->fps = &c->task_fps;
	c->user_img = (struct fpb_sim_image){ .owner = i, .gen = cfg->clean_state ? 0 : 1,
					      .pkru = c->pkru,
					      .features = tfeat & m->lay.features };
	if (fps_write_image(m, &c->task_fps, &c->user_img))
		return -EINVAL;
	if (!(c->flags & FPB_CTX_VCPU))
		return 0;
	return setup_vcpu(m, c, i, tfeat, gfeat);
}

/* Every context, fresh from fork: TIF_NEED_FPU_LOAD set (kernel threads have no user state). */
static int setup_contexts(struct fpb_machine *m)
{
	/* Tasks (no AMX permission: dynamic features armed) and guests start at their defaults. */
	uint64_t tfeat = m->fcfg.kernel.default_features, gfeat = m->fcfg.guest.default_features;
	int r = setup_images(m, tfeat);

	for (unsigned i = 0; !r && i < m->nctx; i++) {
		struct fpb_sim_ctx *c = &m->ctx[i];

		c->id = i;
		c->last_cpu = -1;
		c->need_load = true;
		c->pkru = INIT_PKRU;
		if (i >= m->cfg.ntasks)
			setup_kthread(m, c, i);
		else
			r = setup_task(m, c, i, tfeat, gfeat);
	}
	return r;
}

/* Every CPU idle, in the host's registers, its shadow the init image. */
static void setup_cpus(struct fpb_machine *m)
{
	for (unsigned cp = 0; cp < m->ncpus; cp++) {
		struct fpb_sim_cpu *pc = &m->cpu[cp];

		pc->idle = &m->ctx[m->cfg.ntasks + m->cfg.nkthreads + cp];
		pc->curr = pc->idle;
		pc->xcr0 = m->host_xcr0;
		pc->xss = m->host_xss;
		pc->xfd = m->xfd_dynamic;
		pc->pkru = INIT_PKRU;
		pc->pkru_seen = INIT_PKRU;
		fpb_sim_copy_raw(NULL, pc->shadow, m->init_img, m->lay.std_size);
	}
	m->live_cpu = 0;
}

/* Put the backend in the host's registers and the init image.  0 or -EIO. */
static int setup_backend(struct fpb_machine *m, struct fpb_backend *be)
{
	/* A backend reused from an earlier machine may still hold a guest's XCR0, XSS or XFD. */
	if (be->ops->xsetbv)
		be->ops->xsetbv(be, 0, m->host_xcr0);
	if (be->ops->write_xss)
		be->ops->write_xss(be, m->host_xss);
	if (m->has_xfd && be->ops->write_xfd)
		be->ops->write_xfd(be, m->cpu[0].xfd);
	return raw_restore(m, m->init_img) ? -EIO : 0;
}

/* fpb_machine_init on a zeroed m (but for spares). */
static int machine_setup(struct fpb_machine *m, struct fpb_backend *be, const struct fpb_cpu *cpu,
			 const struct fpb_strategy *task, const struct fpb_strategy *guest,
			 const struct fpb_machine_config *cfg, char *why, size_t len)
{
	int r = setup_check(be, task, guest, cfg, why, len);

	if (r)
		return r;
	m->be = be;
	m->cpuinfo = cpu;
	m->task = task;
	m->guest = guest;
	m->cfg = *cfg;
	setup_layout(m, cpu, cfg);
	r = setup_buffers(m);
	if (!r)
		r = setup_contexts(m);
	if (!r) {
		setup_cpus(m);
		r = setup_backend(m, be);
	}
	if (r == -ENOMEM)
		fpb_snprintf(why, len, "out of memory");
	else if (r == -EINVAL)
		fpb_snprintf(why, len, "cannot convert a register image to the buffers' format");
	else if (r)
		fpb_snprintf(why, len, "backend %s cannot restore a standard XSAVE image",
			     be->ops->name);
	if (r) {
		fpb_machine_fini(m);
		return r;
	}
	spares_free(m);
	return 0;
}

int fpb_machine_init(struct fpb_machine *m, struct fpb_backend *be, const struct fpb_cpu *cpu,
		     const struct fpb_strategy *task, const struct fpb_strategy *guest,
		     const struct fpb_machine_config *cfg, char *why, size_t len)
{
	fpb_sim_zero(m, sizeof(*m));
	return machine_setup(m, be, cpu, task, guest, cfg, why, len);
}

/* Move an allocation of len usable bytes into the spares (fpb_machine_reset). */
static void keep_spare(struct fpb_machine *m, void **mem, size_t len)
{
	if (*mem && m->nspare < FPB_ARRAY_SIZE(m->spare)) {
		m->spare_len[m->nspare] = len;
		m->spare[m->nspare++] = *mem;
	} else if (*mem) {
		fpb_free(*mem);
	}
	*mem = NULL;
}

int fpb_machine_reset(struct fpb_machine *m, const struct fpb_strategy *task,
		      const struct fpb_strategy *guest, const struct fpb_machine_config *cfg,
		      char *why, size_t len)
{
	struct fpb_backend *be = m->be;
	const struct fpb_cpu *cpu = m->cpuinfo;

	for (unsigned i = 0; i < FPB_ARRAY_SIZE(m->mem); i++)
		keep_spare(m, &m->mem[i], m->mem_len[i]);
	keep_spare(m, &m->init_fps.mem, m->init_fps.alloc);
	for (unsigned i = 0; i < FPB_SIM_MAX_CTX; i++) {
		keep_spare(m, &m->ctx[i].task_fps.mem, m->ctx[i].task_fps.alloc);
		keep_spare(m, &m->ctx[i].guest_fps.mem, m->ctx[i].guest_fps.alloc);
		keep_spare(m, &m->ctx[i].user_fpu.mem, m->ctx[i].user_fpu.alloc);
	}
	/* Everything but the spares, which sit last. */
	fpb_sim_zero(m, offsetof(struct fpb_machine, nspare));
	return machine_setup(m, be, cpu, task, guest, cfg, why, len);
}

void fpb_machine_fini(struct fpb_machine *m)
{
	spares_free(m);
	for (unsigned i = 0; i < FPB_ARRAY_SIZE(m->mem); i++) {
		if (m->mem[i])
			fpb_free(m->mem[i]);
		m->mem[i] = NULL;
	}
	fpb_fpu_fps_free(&m->init_fps);
	for (unsigned i = 0; i < FPB_SIM_MAX_CTX; i++) {
		fpb_fpu_fps_free(&m->ctx[i].task_fps);
		fpb_fpu_fps_free(&m->ctx[i].guest_fps);
		fpb_fpu_fps_free(&m->ctx[i].user_fpu);
	}
}

/* ---- events ---- */

#define HOOK(s, h, c, cpu)						\
	((m->prep_only || !(s) || !(s)->ops.h) ? 0 : (s)->ops.h(m, (c), (cpu)))

static bool is_user(const struct fpb_sim_ctx *c)
{
	return !(c->flags & FPB_CTX_KTHREAD);
}

static bool is_stopped(const struct fpb_machine *m, const struct fpb_sim_ctx *c)
{
	for (unsigned i = 0; i < m->ncpus; i++)
		if (m->cpu[i].curr == c)
			return false;
	return true;
}

static int bad(struct fpb_machine *m, const struct fpb_sim_event *ev, const char *what)
{
	fpb_snprintf(m->why, sizeof(m->why), "event %lu (%s): %s", m->events,
		     fpb_sim_event_name(ev->type), what);
	return -EINVAL;
}

/* Step img to its next generation (never 0, the init state) and write it into buf. */
static void next_image(struct fpb_machine *m, struct fpb_sim_image *img, void *buf)
{
	if (++img->gen == 0)
		img->gen = 1;
	/* A new PKRU with it: bits 10-15 follow the generation, key 0 stays accessible. */
	if (m->cfg.pkru_changes && m->pkru_enabled)
		img->pkru = (img->pkru & ~0xfc00u) | ((img->gen & 0x3fu) << 10);
	{
		/*
		 * SSE and AVX stay in use together: where only one of them is, implementations
		 * disagree on MXCSR (qemu's TCG drops it with AVX, AMD keeps it with SSE).
		 */
		static const uint64_t back_to_init[4] = {
			0, FPB_XMASK_AVX512, FPB_BIT(FPB_XF_X87) | FPB_BIT(FPB_XF_OPMASK),
			FPB_BIT(FPB_XF_X87) | FPB_XMASK_AVX512,
		};

		/* a program writes every component it uses, but for a partial image */
		img->init_comps = m->cfg.partial_images ? back_to_init[img->gen % 4] : 0;
	}
	fpb_sim_image_write(&m->lay, buf, img);
}

/* Load the next generation of an image into the registers (a program writing its registers). */
static int program_writes(struct fpb_machine *m, struct fpb_sim_image *img)
{
	next_image(m, img, m->work);
	return raw_restore(m, m->work);
}

static int xfd_exit(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	int r = HOOK(m->guest, vm_exit, c, cpu);

	c->in_guest = false;
	if (r)
		return r;
	c->guest_xfd = 0;	/* the guest cleared XFD for the feature it now uses */
	return HOOK(m->guest, realloc, c, cpu);
}

/* #NM on an XFD-armed AMX touch from user mode: the first-use path, or SIGILL without permission. */
static int amx_first_use(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu)
{
	int r;

	c->in_user = false;	/* #NM: into the kernel */
	r = fpb_pol_xfd_first_use(m, c, cpu);
	if (r == -EPERM)	/* no permission: SIGILL, the state stays as it was */
		return 0;
	if (!r) {	/* AMX in use from now on, its tiles in init until written */
		c->user_img.features |= m->xfd_dynamic & m->lay.features;
		c->user_img.init_comps |= m->xfd_dynamic;
	}
	return r;
}

/*
 * The event types of KVM's vCPU threads on cpu, c current, t the event's target.  Returns
 * bad()'s error for an event that cannot happen here, else 0 with the hooks' result in *r.
 */
static int guest_event(struct fpb_machine *m, const struct fpb_sim_event *ev, unsigned cpu,
		       struct fpb_sim_ctx *c, struct fpb_sim_ctx *t, int *r)
{
	switch (ev->type) {
	case FPB_EV_KVM_RUN_ENTER:
		if (!m->guest || !(c->flags & FPB_CTX_VCPU) || c->in_user || c->vcpu_loaded)
			return bad(m, ev, "current is not a vCPU thread in the kernel");
		*r = HOOK(m->guest, vcpu_load, c, cpu);
		c->vcpu_loaded = true;
		break;
	case FPB_EV_VM_ENTRY:
		if (!c->vcpu_loaded || c->in_guest)
			return bad(m, ev, "not inside KVM_RUN");
		*r = HOOK(m->guest, vm_entry, c, cpu);
		c->in_guest = true;
		break;
	case FPB_EV_GUEST_RUN:
		if (!c->in_guest)
			return bad(m, ev, "not in guest mode");
		c->guest_img.features = c->fps->features & c->guest_xcr0 & ~c->guest_xfd;
		*r = program_writes(m, &c->guest_img);
		break;
	case FPB_EV_VM_EXIT:
		if (!c->in_guest)
			return bad(m, ev, "not in guest mode");
		*r = HOOK(m->guest, vm_exit, c, cpu);
		c->in_guest = false;
		break;
	case FPB_EV_GUEST_XFD_EXIT:
		if (!c->in_guest || !c->guest_xfd)
			return bad(m, ev, "no XFD-armed feature to enable");
		*r = xfd_exit(m, c, cpu);
		break;
	case FPB_EV_KVM_RUN_EXIT:
		if (!c->vcpu_loaded || c->in_guest)
			return bad(m, ev, "not inside KVM_RUN");
		*r = HOOK(m->guest, vcpu_put, c, cpu);
		c->vcpu_loaded = false;
		break;
	case FPB_EV_KVM_GET_XSAVE:
	case FPB_EV_KVM_SET_XSAVE:
		if (!m->guest || !t || !(t->flags & FPB_CTX_VCPU) || t->vcpu_loaded || c->in_user)
			return bad(m, ev, "no vCPU outside KVM_RUN");
		if (ev->type == FPB_EV_KVM_GET_XSAVE) {
			*r = HOOK(m->guest, get_xsave, t, cpu);
			break;
		}
		next_image(m, &t->guest_img, m->uabi);
		*r = HOOK(m->guest, set_xsave, t, cpu);
		break;
	default:
		break;
	}
	return 0;
}

/* Signals and ptrace: guest_event's contract. */
static int signal_ptrace_event(struct fpb_machine *m, const struct fpb_sim_event *ev,
			       unsigned cpu, struct fpb_sim_ctx *c, struct fpb_sim_ctx *t, int *r)
{
	switch (ev->type) {
	case FPB_EV_SIGNAL:
		if (!is_user(c) || c->in_user || c->in_handler || c->vcpu_loaded)
			return bad(m, ev, "no signal can be delivered here");
		*r = HOOK(m->task, signal_deliver, c, cpu);
		c->sig_saved = c->user_img;
		c->user_img.gen = 0;
		c->in_handler = true;
		break;
	case FPB_EV_SIGRETURN:
		if (!c->in_handler || c->in_user)
			return bad(m, ev, "not returning from a handler");
		*r = HOOK(m->task, sigreturn, c, cpu);
		c->user_img = c->sig_saved;
		c->in_handler = false;
		break;
	case FPB_EV_PTRACE_READ:
	case FPB_EV_PTRACE_WRITE:
		if (!t || !is_user(t) || !is_stopped(m, t) || t->vcpu_loaded || c->in_user)
			return bad(m, ev, "tracee is not stopped");
		if (ev->type == FPB_EV_PTRACE_READ) {
			*r = HOOK(m->task, ptrace_read, t, cpu);
			break;
		}
		next_image(m, &t->user_img, m->uabi);
		*r = HOOK(m->task, ptrace_write, t, cpu);
		break;
	default:
		return guest_event(m, ev, cpu, c, t, r);
	}
	return 0;
}

/* The task-side event types (signals, ptrace and KVM's passed on): guest_event's contract. */
static int task_event(struct fpb_machine *m, const struct fpb_sim_event *ev, unsigned cpu,
		      struct fpb_sim_ctx *c, struct fpb_sim_ctx *t, int *r)
{
	switch (ev->type) {
	case FPB_EV_SWITCH:
		if (!t || t == c || !is_stopped(m, t) || t->cpu != (int)cpu || c->in_guest)
			return bad(m, ev, "next task not runnable here");
		c->in_user = false;
		*r = HOOK(m->task, switch_out, c, cpu);
		m->cpu[cpu].curr = t;
		if (!*r)
			*r = HOOK(m->task, switch_in, t, cpu);
		break;
	case FPB_EV_RETURN_TO_USER:
		if (!is_user(c) || c->in_user || c->vcpu_loaded)
			return bad(m, ev, "current cannot return to user mode");
		*r = HOOK(m->task, return_to_user, c, cpu);
		c->in_user = true;
		break;
	case FPB_EV_USER_RUN:
		if (!c->in_user)
			return bad(m, ev, "current is not in user mode");
		*r = program_writes(m, &c->user_img);
		break;
	case FPB_EV_ENTER_KERNEL:
		c->in_user = false;
		break;
	case FPB_EV_KERNEL_FPU:
		if (c->in_user || c->in_guest)
			return bad(m, ev, "kernel FPU use from user or guest mode");
		*r = HOOK(m->task, kernel_fpu_begin, c, cpu);
		if (!*r)	/* kernel code clobbers vector registers, never PKRU */
			*r = raw_restore_mask(m, m->junk, m->lay.features & ~PKRU_BIT);
		if (!*r)
			*r = HOOK(m->task, kernel_fpu_end, c, cpu);
		break;
	case FPB_EV_MIGRATE:
		if (!t || !is_user(t) || !is_stopped(m, t))
			return bad(m, ev, "only a stopped task migrates");
		t->cpu = (int)cpu;
		*r = HOOK(m->task, migrate, t, cpu);
		break;
	case FPB_EV_USER_ACCESS:
		if (!is_user(c) || c->in_user || c->in_guest)
			return bad(m, ev, "user access outside a task's kernel mode");
		*r = HOOK(m->task, user_access, c, cpu);
		break;
	case FPB_EV_AMX_FIRST_USE:
		if (!c->in_user || (c->flags & FPB_CTX_VCPU) || !m->has_xfd || !m->xfd_dynamic ||
		    !(c->task_fps.xfd & m->xfd_dynamic))
			return bad(m, ev, "no user program with XFD-armed AMX to touch");
		*r = amx_first_use(m, c, cpu);
		break;
	default:
		return signal_ptrace_event(m, ev, cpu, c, t, r);
	}
	return 0;
}

/* After an event: count it, say which failed, and run the integrity checker when asked. */
static int event_done(struct fpb_machine *m, const struct fpb_sim_event *ev, int r)
{
	m->events++;
	if (r) {
		fpb_snprintf(m->why, sizeof(m->why), "event %lu (%s): a primitive failed (%d)",
			     m->events - 1, fpb_sim_event_name(ev->type), r);
		return r;
	}
	if (m->check && !m->prep_only) {
		char why[FPB_REASON_LEN - 40];

		if (fpb_integrity_check(m, ev, why, sizeof(why))) {
			fpb_snprintf(m->why, sizeof(m->why), "%s%s%s: event %lu (%s cpu%u): %s",
				     m->guest ? m->guest->name : "", m->guest ? "+" : "",
				     m->task->name, m->events - 1, fpb_sim_event_name(ev->type),
				     (unsigned)ev->cpu, why);
			return -EPROTO;
		}
	}
	return 0;
}

int fpb_machine_step(struct fpb_machine *m, const struct fpb_sim_event *ev)
{
	unsigned cpu = ev->cpu;
	struct fpb_sim_ctx *c, *t;
	int r, invalid;

	if (cpu >= m->ncpus || ev->type >= FPB_NR_EV_TYPES)
		return bad(m, ev, "bad event");
	c = m->cpu[cpu].curr;
	t = ev->ctx < m->nctx ? &m->ctx[ev->ctx] : NULL;
	r = enter_cpu(m, cpu);
	if (r)
		return r;
	invalid = task_event(m, ev, cpu, c, t, &r);
	if (invalid)
		return invalid;
	return event_done(m, ev, r);
}

int fpb_machine_run_steps(struct fpb_machine *m, fpb_machine_step_fn step,
			  const struct fpb_sim_event *ev, size_t n, size_t *failed_at)
{
	for (size_t i = 0; i < n; i++) {
		int r = step(m, &ev[i]);

		if (r) {
			if (failed_at)
				*failed_at = i + 1;
			m->last_error = r;
			return r;
		}
	}
	if (failed_at)
		*failed_at = 0;
	return 0;
}

int fpb_machine_run(struct fpb_machine *m, const struct fpb_sim_event *ev, size_t n,
		    size_t *failed_at)
{
	return fpb_machine_run_steps(m, fpb_machine_step, ev, n, failed_at);
}
