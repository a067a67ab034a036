/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * machine.h - the simulated machine the strategies run on.
 *
 * Contexts (tasks, kernel threads, vCPU threads) each own an fpstate {buffer, features, size, xfd};
 * every simulated CPU has a current context, an FPU owner pointer (fpu_fpregs_owner_ctx) and a
 * cached IA32_XFD.  The backend has one register file: it belongs to the simulated CPU last
 * entered; the other CPUs' registers are shadow buffers, swapped in with raw (uncounted)
 * primitives, as is the work the simulated programs do (a user program writing its registers, a
 * guest running, kernel code clobbering them).  Only strategy handlers use the counted
 * fpb_prim_*() wrappers, so the counts are the strategy's.
 *
 * Print-free and libc-free apart from fpb_env.h: the kernel module compiles it unchanged.
 */
#ifndef FPB_MACHINE_H
#define FPB_MACHINE_H

#include "fpb_env.h"
#include "backend.h"
#include "cpu.h"
#include "strategy.h"
#include "fpstate-config.h"

#define FPB_SIM_MAX_CPUS	2
#define FPB_SIM_MAX_CTX		8
#define FPB_SIM_MAX_COMP	20	/* components modelled: 0 .. FPB_XF_APX */

/*
 * The components a machine models and where they sit in the standard format (a cache of cpu's
 * leaf 0xD description).  Compacted layouts and every conversion come from shared/xstate.c.
 */
struct fpb_sim_layout {
	uint64_t features;			/* components modelled (user, within XCR0) */
	uint32_t size[FPB_SIM_MAX_COMP];
	uint32_t std_off[FPB_SIM_MAX_COMP];
	uint32_t std_size;			/* standard-format size for features */
	const struct fpb_cpu *cpu;		/* the description it was made from */
};

/* Offset of component i in a compacted buffer whose XCOMP_BV is xcomp (bit 63 ignored). */
uint32_t fpb_sim_compacted_offset(const struct fpb_sim_layout *l, uint64_t xcomp, unsigned i);
/* Fill l from cpu for features (masked to what cpu describes).  Returns 0 or -EINVAL. */
int fpb_sim_layout_init(struct fpb_sim_layout *l, const struct fpb_cpu *cpu, uint64_t features);

/* A register image for (owner, generation): distinct and valid.  gen 0 is the init state. */
struct fpb_sim_image {
	uint32_t owner;			/* context id, or FPB_SIM_JUNK for kernel clobbers */
	uint32_t guest;			/* 1: the guest's state of a vCPU */
	uint32_t gen;
	uint32_t pkru;			/* PKRU value the owner runs with */
	uint64_t features;		/* components in use (XSTATE_BV) when gen != 0 */
	uint64_t init_comps;		/* of those, back in their init state (a partial image) */
};

#define FPB_SIM_JUNK	0xee

/*
 * Write img into buf in the standard format: the legacy area valid (FCW 0x37f: exceptions masked,
 * MXCSR without reserved bits), PKRU leaving key 0 accessible.
 */
void fpb_sim_image_write(const struct fpb_sim_layout *l, void *buf, const struct fpb_sim_image *img);

/*
 * Register-safe memcpy/memset (no vector registers): the raw one is also the copy callback of
 * fpb_xstate_convert for uncounted conversions; counted ones go through fpb_prim_copy.
 */
int fpb_sim_copy_raw(void *arg, void *dst, const void *src, size_t n);
void fpb_sim_zero(void *p, size_t n);

/*
 * Compare the architectural state in got with want (each standard or compacted, by its header)
 * over components mask: a component whose XSTATE_BV bit is clear is in its init state (MXCSR as
 * fpb_xstate_mxcsr reads it: 0x1f80 in a compacted buffer without SSE); x87
 * FIP/FDP/FCS/FDS, MXCSR_MASK and reserved bytes are ignored.  Returns 0, or -1 with
 * "component +offset: want 0x.., got 0x.." in why.
 */
int fpb_sim_state_compare(const struct fpb_sim_layout *l, const void *want, const void *got,
			  uint64_t mask, char *why, size_t len);

struct fpb_fpstate {
	void *buf;		/* the XSAVE buffer, 64-byte aligned */
	void *mem;		/* what fpb_alloc returned */
	size_t size;		/* bytes the format needs for features (the configuration's size) */
	size_t alloc;		/* bytes usable at buf */
	/*
	 * Components the buffer is for: a configuration's feature set (fpstate-config.h), limited
	 * to the modelled user components and the configuration's supervisor ones.  Saves use its
	 * modelled part as RFBM, as restores do; supervisor components are sized for but carried
	 * by neither, nor in XCOMP_BV (the model has no supervisor state, and XRSTORS of it would
	 * overwrite the host's CET registers).
	 */
	uint64_t features;
	uint64_t xfd;		/* IA32_XFD that goes with this buffer */
	bool is_guest;
	bool realloc_request;	/* guest: grow for realloc_features at the next switch */
	uint64_t realloc_features;
};

enum {
	FPB_CTX_KTHREAD	= 1u << 0,	/* no user FPU state (kernel thread, idle) */
	FPB_CTX_VCPU	= 1u << 1,	/* a vCPU thread of a VMM */
};

struct fpb_sim_ctx {
	unsigned id;
	unsigned flags;			/* FPB_CTX_* */
	const char *name;
	/* fpu */
	struct fpb_fpstate task_fps;	/* the task's own fpstate */
	struct fpb_fpstate *fps;	/* fpu->fpstate: task_fps, or the guest's while swapped */
	struct fpb_fpstate *saved_fps;	/* fpu->__task_fpstate while the guest's is in use */
	int last_cpu;			/* fpu->last_cpu, -1 invalid */
	bool need_load;			/* TIF_NEED_FPU_LOAD */
	uint32_t pkru;			/* thread.pkru */
	bool amx_permitted;		/* ARCH_REQ_XCOMP_PERM granted for the dynamic features */
	bool amx_enabled;		/* first use done: fpstate at max size, XFD disarmed for them */
	/* scheduling */
	int cpu;			/* CPU it runs on or is queued on */
	bool in_user;			/* running in user mode */
	/* vCPU (guest policies) */
	struct fpb_fpstate guest_fps;	/* swap: guest fpstate; copy3: vcpu->arch.guest_fpu */
	struct fpb_fpstate user_fpu;	/* copy3: vcpu->arch.user_fpu */
	bool vcpu_loaded;		/* inside KVM_RUN, guest FPU state switched in */
	bool in_guest;			/* between VM entry and VM exit */
	uint64_t guest_xcr0, guest_xss;
	uint32_t guest_pkru;		/* vcpu->arch.pkru */
	uint32_t host_pkru;		/* vcpu->arch.host_pkru: the host's, read before entry */
	uint64_t guest_xfd;		/* the guest's IA32_XFD */
	/* what the checker expects */
	struct fpb_sim_image user_img;	/* architectural user state */
	struct fpb_sim_image guest_img;	/* the guest's architectural state */
	struct fpb_sim_image sig_saved;	/* state saved in the signal frame while in a handler */
	bool in_handler;
	void *sigframe;			/* user memory: standard-format signal frame */
	void *exp[3];			/* checker's cache: user, guest, signal-frame images */
	struct fpb_sim_image exp_of[3];
};

struct fpb_sim_cpu {
	struct fpb_sim_ctx *curr;
	struct fpb_sim_ctx *owner;	/* fpu_fpregs_owner_ctx: whose state the registers hold */
	uint64_t xfd;			/* per-CPU cached IA32_XFD */
	uint64_t xcr0, xss;		/* as last written on this CPU */
	uint32_t pkru;			/* PKRU when the register is not real on this backend */
	uint32_t pkru_seen;		/* PKRU read at the last switch (eager-pkru) */
	void *shadow;			/* register file while another CPU's is live (standard) */
	struct fpb_sim_ctx *idle;
};

/* Event types, the vocabulary of scenarios. */
enum fpb_sim_ev_type {
	FPB_EV_SWITCH,		/* cpu: current -> ctx */
	FPB_EV_RETURN_TO_USER,	/* cpu: current goes to user mode */
	FPB_EV_USER_RUN,	/* cpu: current user program writes its registers */
	FPB_EV_ENTER_KERNEL,	/* cpu: syscall or interrupt */
	FPB_EV_KERNEL_FPU,	/* cpu: kernel_fpu_begin, kernel code clobbers, kernel_fpu_end */
	FPB_EV_SIGNAL,		/* cpu: deliver a signal to current */
	FPB_EV_SIGRETURN,	/* cpu: current returns from its handler (rt_sigreturn) */
	FPB_EV_PTRACE_READ,	/* ctx (stopped) read by a tracer */
	FPB_EV_PTRACE_WRITE,	/* ctx (stopped) written by a tracer */
	FPB_EV_MIGRATE,		/* ctx (stopped) moves to cpu */
	FPB_EV_USER_ACCESS,	/* cpu: kernel copies to/from current's user memory */
	FPB_EV_KVM_RUN_ENTER,	/* cpu: current (vCPU thread) enters KVM_RUN */
	FPB_EV_VM_ENTRY,	/* cpu: VM entry */
	FPB_EV_GUEST_RUN,	/* cpu: the guest writes its registers */
	FPB_EV_VM_EXIT,		/* cpu: VM exit handled in the kernel */
	FPB_EV_KVM_RUN_EXIT,	/* cpu: KVM_RUN returns towards user space */
	FPB_EV_KVM_GET_XSAVE,	/* ctx (vCPU, not in KVM_RUN) */
	FPB_EV_KVM_SET_XSAVE,	/* ctx (vCPU, not in KVM_RUN) */
	FPB_EV_GUEST_XFD_EXIT,	/* cpu: guest enabled an XFD-armed feature: exit, realloc request */
	FPB_EV_AMX_FIRST_USE,	/* cpu: current user program touches XFD-armed AMX: #NM */
	FPB_NR_EV_TYPES
};

struct fpb_sim_event {
	uint8_t type;		/* enum fpb_sim_ev_type */
	uint8_t cpu;
	uint8_t ctx;		/* context id for SWITCH/PTRACE/MIGRATE/KVM_*_XSAVE */
};

const char *fpb_sim_event_name(unsigned type);

/* How the machine is set up. */
struct fpb_machine_config {
	unsigned ncpus;			/* 1 .. FPB_SIM_MAX_CPUS */
	unsigned ntasks;		/* user tasks (ids 0..), the first nvcpus of them vCPU threads */
	unsigned nvcpus;
	unsigned nkthreads;		/* kernel threads after the tasks */
	uint64_t features;		/* 0: everything modelled within XCR0 */
	bool guest_xcr0_differs;	/* guest runs with a smaller XCR0 (and another IA32_XSS) */
	bool guest_pkru_differs;
	bool guest_xfd_armed;		/* guest starts with AMX armed in XFD and a small buffer */
	bool clean_state;		/* tasks start in the init state (never used the FPU) */
	bool guest_clean_state;		/* guests start in the init state (never use the FPU) */
	/*
	 * Every new image (a program or the guest writing its registers, a ptrace write,
	 * KVM_SET_XSAVE) carries a new PKRU too, where PKRU is real state.  Off in the timed
	 * scenarios, so that each task keeps one PKRU and the counts stay comparable.
	 */
	bool pkru_changes;
	/*
	 * New images leave some components in their init state (XSTATE_BV bits clear), in turn:
	 * none, AVX-512, x87 and the opmask registers, x87 and AVX-512.
	 */
	bool partial_images;
	/*
	 * User tasks (not vCPU threads) with an even id hold AMX permission
	 * (arch_prctl(ARCH_REQ_XCOMP_PERM)); the odd ones do not (their first use gets SIGILL).
	 */
	bool task_amx_permission;
};

struct fpb_machine {
	struct fpb_backend *be;
	const struct fpb_cpu *cpuinfo;
	const struct fpb_strategy *task;	/* task policy */
	const struct fpb_strategy *guest;	/* guest policy, NULL for task scenarios */
	struct fpb_machine_config cfg;
	struct fpb_sim_layout lay;
	bool compacted;				/* buffers in the compacted format (XSAVES or XSAVEC) */
	enum fpb_save_op save_op;
	enum fpb_restore_op restore_op;
	uint64_t host_xcr0, host_xss;
	bool pkru_enabled;			/* PKRU is in XCR0: the register is real state */
	bool has_xfd;
	uint64_t xfd_dynamic;			/* XFD-capable components (AMX) */
	unsigned ncpus, nctx;
	struct fpb_sim_cpu cpu[FPB_SIM_MAX_CPUS];
	struct fpb_sim_ctx ctx[FPB_SIM_MAX_CTX];
	unsigned live_cpu;			/* whose registers the backend holds */
	void *scratch;				/* checker: register read-back */
	void *uabi;				/* user-ABI (standard) buffer: ptrace, KVM_GET/SET_XSAVE */
	void *init_img;				/* init state image (standard) */
	void *work;				/* image staging (standard) */
	struct fpb_fpstate init_fps;		/* init_fpstate, in the buffers' format */
	void *junk;				/* what kernel FPU users leave in the registers */
	size_t buf_size;			/* allocation size of each model buffer (standard) */
	void *mem[FPB_SIM_MAX_CPUS + 4 * FPB_SIM_MAX_CTX + 8];	/* raw allocations */
	size_t mem_len[FPB_SIM_MAX_CPUS + 4 * FPB_SIM_MAX_CTX + 8];	/* their usable bytes */
	bool prep_only;				/* run the programs' work only: no strategy handlers */
	bool check;				/* run the integrity checker after every event */
	unsigned long events;			/* events run */
	int last_error;
	char why[FPB_REASON_LEN];		/* the first failure */
	/*
	 * The kernel's FPU configurations for cpu: task fpstates (and init_fps, copy3's user_fpu)
	 * are kernel-default sized, the guest fpstate guest-default sized (max after an XFD
	 * reallocation), the user-ABI buffer user-max and signal frames user-default sized.
	 */
	struct fpb_fpstate_cfgs fcfg;
	size_t uabi_size;			/* bytes usable at uabi */
	size_t sigframe_size;			/* bytes usable at each ctx's sigframe */
	/*
	 * fpb_machine_reset: allocations kept for the next set-up (usable bytes in spare_len).
	 * Last: a reset zeroes everything before them.
	 */
	unsigned nspare;
	void *spare[FPB_SIM_MAX_CPUS + 7 * FPB_SIM_MAX_CTX + 9];
	size_t spare_len[FPB_SIM_MAX_CPUS + 7 * FPB_SIM_MAX_CTX + 9];
};

/*
 * Set up m for task policy task (and guest policy guest, or NULL) on backend be.  Buffers come from
 * fpb_alloc (64-byte aligned inside).  Returns 0, or -errno with a reason in why.
 */
int fpb_machine_init(struct fpb_machine *m, struct fpb_backend *be, const struct fpb_cpu *cpu,
		     const struct fpb_strategy *task, const struct fpb_strategy *guest,
		     const struct fpb_machine_config *cfg, char *why, size_t len);
void fpb_machine_fini(struct fpb_machine *m);

/*
 * Set an initialised m up again on its backend and CPU, as fpb_machine_init would, for task,
 * guest and cfg, reusing its buffers (legacy area and header zeroed, so that stale contents read
 * as no state) rather than allocating: for running many short sequences.  Returns what
 * fpb_machine_init returns; on failure m is finalised.
 */
int fpb_machine_reset(struct fpb_machine *m, const struct fpb_strategy *task,
		      const struct fpb_strategy *guest, const struct fpb_machine_config *cfg,
		      char *why, size_t len);

/* Run one event; with m->check, verify integrity after it.  0, or -errno / -EPROTO (why in m). */
int fpb_machine_step(struct fpb_machine *m, const struct fpb_sim_event *ev);

/* Run n events; stops at the first failure and returns its index + 1 in *failed_at.  0/-errno. */
int fpb_machine_run(struct fpb_machine *m, const struct fpb_sim_event *ev, size_t n,
		    size_t *failed_at);

/*
 * The run loop both machines share (the x86 one and the arm64 one, whose step takes the
 * struct fpb_machine it starts with): n events through step, stopping at the first failure,
 * which is kept in m->last_error and whose index + 1 goes to *failed_at.  0/-errno.
 */
typedef int (*fpb_machine_step_fn)(struct fpb_machine *m, const struct fpb_sim_event *ev);
int fpb_machine_run_steps(struct fpb_machine *m, fpb_machine_step_fn step,
			  const struct fpb_sim_event *ev, size_t n, size_t *failed_at);

/*
 * The integrity checker: after event ev, every context's state is where the design says and is
 * exactly its own (registers of the running context read back with a save into a scratch
 * buffer); PKRU is the current task's at user-memory access.  0, or -EPROTO with why.
 */
int fpb_integrity_check(struct fpb_machine *m, const struct fpb_sim_event *ev, char *why,
			size_t len);

/*
 * FPU core helpers the strategies are written with (the kernel's fpu/core.c vocabulary).  All
 * hardware access goes through the counted fpb_prim_*() wrappers.
 */
int fpb_fpu_save(struct fpb_machine *m, struct fpb_fpstate *fps);
int fpb_fpu_restore(struct fpb_machine *m, unsigned cpu, const struct fpb_fpstate *fps,
		    uint64_t mask);
/* fpregs_state_valid(): owner == c && c->last_cpu == cpu. */
bool fpb_fpu_regs_valid(const struct fpb_machine *m, const struct fpb_sim_ctx *c, unsigned cpu);
/* fpregs_activate(): owner = c, last_cpu = cpu, need_load cleared. */
void fpb_fpu_activate(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu);
/* __cpu_invalidate_fpregs_state(): owner = NULL. */
void fpb_fpu_invalidate_cpu(struct fpb_machine *m, unsigned cpu);
/* xfd_update_state(): write IA32_XFD only when fps->xfd differs from the per-CPU cache. */
int fpb_fpu_xfd_update(struct fpb_machine *m, unsigned cpu, const struct fpb_fpstate *fps);
/* RDPKRU (the real register when the backend has it, else the simulated one). */
int fpb_fpu_rdpkru(struct fpb_machine *m, unsigned cpu, uint32_t *val);
int fpb_fpu_wrpkru(struct fpb_machine *m, unsigned cpu, uint32_t val);
/* Copy an fpstate (compacted or standard) into the user-ABI standard format and back. */
int fpb_fpu_to_uabi(struct fpb_machine *m, void *uabi, const struct fpb_fpstate *fps);
int fpb_fpu_from_uabi(struct fpb_machine *m, struct fpb_fpstate *fps, const void *uabi);
/* PKRU in a standard-format (user-ABI) image: read (init value when not in use) and write. */
uint32_t fpb_fpu_uabi_pkru(const struct fpb_machine *m, const void *uabi);
void fpb_fpu_uabi_set_pkru(const struct fpb_machine *m, void *uabi, uint32_t pkru);
/* Restore mask for a task's state: everything, or all but PKRU. */
uint64_t fpb_fpu_mask(const struct fpb_machine *m, bool with_pkru);

/*
 * Allocate an fpstate buffer (64-byte aligned) for features (a configuration's set, e.g.
 * m->fcfg.guest.default_features): size is what the machine's format needs for them, the
 * allocation at least alloc bytes (0: just the size).  0 or -ENOMEM.
 */
int fpb_fpu_fps_alloc(struct fpb_machine *m, struct fpb_fpstate *fps, uint64_t features,
		      size_t alloc);
void fpb_fpu_fps_free(struct fpb_fpstate *fps);

/*
 * The #NM of a user task touching an XFD-armed feature (handle_xfd_event() and
 * xfd_enable_feature(), Linux 5.16+; strategies/policy.c): XFD_ERR read and cleared; without
 * permission -EPERM (the kernel sends SIGILL); with it, the registers are made current (a pending
 * load done), the fpstate reallocated at the kernel's max size (header only: the state is in the
 * registers), XFD disarmed for the feature and written.  0 or -errno.
 */
int fpb_pol_xfd_first_use(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu);

/* Task-policy entry the guest policies call before VM entry (switch_fpu_return). */
int fpb_task_return(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu);

#endif /* FPB_MACHINE_H */
