/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * arm64-machine.h - the simulated arm64 machine the arm64 guest policies (arm64-fp-owner.c,
 * arm64-defer-host-restore.c) run on.
 *
 * It wraps struct fpb_machine (first member, so a strategy hook's m converts with fpb_a64()) and
 * reuses its CPUs (curr, owner = fpsimd_last_state) and contexts (cpu, in_user, need_load =
 * TIF_FOREIGN_FPSTATE, vcpu_loaded, in_guest); the arm64 extras sit in struct fpb_a64_ctx and
 * struct fpb_a64_cpu.  Register images are FPSIMD (V0-V31, FPSR, FPCR: 528 bytes, Linux's
 * user_fpsimd_state) plus ZA when the host program turned it on (SME); they move only through the
 * backend's FPB_OP_FPSIMD_* and FPB_OP_ZA_* primitives.  The host side follows arm64 Linux's
 * fpsimd.c (fpsimd_thread_switch, fpsimd_restore_current_state, kernel_neon_begin) and is part of
 * every policy's cost; the guest policies add KVM's load/put, entry/exit and FP trap handling.
 *
 * Streaming SVE mode (SVCR.SM, SME): a host program that entered it (SMSTART SM) has, instead
 * of its FPSIMD image, a streaming image: Z0-Z31 and P0-P15 at the streaming vector length SVL,
 * FFR only with FEAT_SME_FA64, FPSR and FPCR (the SVE image layout of kernels/arm64.h at SVL).
 * fpsimd_save() stores it with the backend's FPB_OP_SVE_SAVE (in streaming mode the current VL
 * is SVL, as for Linux's sve_save_state()), flushing the CPU state leaves streaming mode
 * (SMSTOP SM zeroes Z, P and FFR), and the return to user enters it again (SMSTART SM) before
 * FPB_OP_SVE_RESTORE.  Each simulated CPU has its PSTATE.SM; on the arm64 backend the real
 * PSTATE.SM follows it during an event and is cleared while the CPU is parked, so the C code
 * around events always runs in non-streaming mode.  In streaming mode the arm64 backend's SVE
 * primitives move FFR only with FA64 (kernels/arm64-ssve-regs.S), so on real registers
 * cfg->fa64 must be the CPU's; SME is enough, SVE and FA64 are not needed.
 *
 * Between events the machine parks each simulated CPU's register file in its shadow (raw,
 * uncounted primitives): the C code around the events (tests, the C library) may use vector
 * registers on arm64.  Print-free and libc-free apart from fpb_env.h.
 */
#ifndef FPB_ARM64_MACHINE_H
#define FPB_ARM64_MACHINE_H

#include "machine.h"

#define FPB_A64_IMG_SIZE	528	/* V0-31, FPSR, FPCR, pad: kernels/arm64.h FPB_A64_FPSIMD_SIZE */

/* arm64-only events, numbered after the shared vocabulary (struct fpb_sim_event.type). */
enum {
	FPB_A64_EV_ZA_ON = FPB_NR_EV_TYPES,	/* cpu: current user program turns ZA on, writes it */
	FPB_A64_EV_ZA_OFF,			/* cpu: current user program turns ZA off */
	FPB_A64_EV_SM_ON,			/* cpu: SMSTART SM, the program writes Z/P */
	FPB_A64_EV_SM_OFF,			/* cpu: SMSTOP SM (Z/P lost), writes FPSIMD */
	FPB_A64_NR_EV_TYPES
};

/* Per-CPU owner of the FP registers while a vCPU is loaded (KVM's host_data fp_owner). */
enum fpb_a64_fp_owner {
	FPB_A64_FP_FREE,
	FPB_A64_FP_HOST_OWNED,
	FPB_A64_FP_GUEST_OWNED,
};

struct fpb_a64_ctx {
	void *host_buf;			/* thread.uw.fpsimd_state */
	void *guest_buf;		/* vcpu->arch.ctxt.fp_regs */
	void *za_buf;			/* thread.sme_state (ZA) */
	bool bound_guest;		/* the state bound to the CPU is the guest's (ctxsync) */
	bool za_live;			/* host SVCR.ZA set */
	bool fp_trap;			/* guest FP access traps at the next use (CPTR_EL2) */
	bool fp_enabled, fp_host;	/* 2018 design: KVM_ARM64_FP_ENABLED / FP_HOST */
	bool guest_used;		/* the guest used FP since this VM entry */
	uint32_t host_gen, guest_gen, za_gen;	/* the images each should hold */
	void *ssve_buf;			/* thread.sve_state while in streaming mode */
	bool sm_live;			/* host SVCR.SM: its state is the streaming image */
	uint32_t ssve_gen;		/* the streaming image it should hold */
};

struct fpb_a64_cpu {
	enum fpb_a64_fp_owner fp_owner;
	void *shadow;			/* register file between events */
	void *za_shadow;
	bool sm;			/* PSTATE.SM of this CPU */
	void *ssve_shadow;		/* its streaming register file between events */
};

struct fpb_a64_machine {
	struct fpb_machine base;	/* first: strategy hooks get &base */
	struct fpb_a64_ctx x[FPB_SIM_MAX_CTX];
	struct fpb_a64_cpu acpu[FPB_SIM_MAX_CPUS];
	size_t za_size;			/* 0: no SME (no ZA events) */
	bool mask_callee_saved;		/* ignore V8-V15 (C-callable restores keep d8-d15) */
	void *scratch, *za_scratch, *junk, *work, *uabi;
	void *mem[5 * FPB_SIM_MAX_CTX + 3 * FPB_SIM_MAX_CPUS + 8];
	unsigned nmem;
	/*
	 * Image bytes the counted primitives moved (FPSIMD 528, ZA SVL * SVL each), beside the
	 * backend's save/restore counts; KVM_GET/SET_ONE_REG copies are the backend's
	 * bytes_copied (fpb_prim_copy).  Parking between events is not counted.
	 */
	uint64_t bytes_saved, bytes_restored;
	unsigned svl;			/* streaming vector length (bytes); 0: no SM */
	bool fa64;			/* FEAT_SME_FA64: FFR exists in streaming mode */
	bool real_sm;			/* PSTATE.SM is the real one (arm64 backend) */
	size_t ssve_size;		/* streaming image buffer bytes (layout above) */
	size_t ssve_bytes;		/* register bytes a streaming save/restore moves */
	void *ssve_zero;
};

/* The arm64 machine behind a strategy hook's m. */
static inline struct fpb_a64_machine *fpb_a64(struct fpb_machine *m)
{
	return (struct fpb_a64_machine *)m;
}

struct fpb_a64_config {
	unsigned ncpus;			/* 1 .. FPB_SIM_MAX_CPUS */
	unsigned ntasks;		/* user tasks, the first nvcpus of them vCPU threads */
	unsigned nvcpus;
	size_t za_size;			/* ZA image bytes (SVL * SVL), 0 without SME */
	unsigned svl;			/* streaming VL (bytes) for SM events; 0: none */
	bool fa64;			/* FEAT_SME_FA64 (HWCAP2_SME_FA64) */
};

/* Streaming image bytes at svl: Z, P, FFR, then FPSR/FPCR at the next 16-byte boundary. */
static inline size_t fpb_a64_ssve_size(unsigned svl)
{
	return FPB_ALIGN_UP((size_t)34 * svl + svl / 8, (size_t)16) + 16;
}

/* Register bytes one streaming save or restore moves: Z, P, FFR with FA64, FPSR and FPCR. */
static inline size_t fpb_a64_ssve_bytes(unsigned svl, bool fa64)
{
	return (size_t)34 * svl + (fa64 ? svl / 8 : 0) + 8;
}

/*
 * Set up am for guest policy guest (an FPB_STRAT_ARCH_ARM64 table) on backend be: tasks with
 * distinct host and guest images in their buffers, each CPU idle.  Returns 0, or -errno with why.
 */
int fpb_a64_machine_init(struct fpb_a64_machine *am, struct fpb_backend *be,
			 const struct fpb_strategy *guest, const struct fpb_a64_config *cfg,
			 char *why, size_t len);
void fpb_a64_machine_fini(struct fpb_a64_machine *am);

/* Run one event; with base.check, verify integrity after it.  0, -errno or -EPROTO (base.why). */
int fpb_a64_machine_step(struct fpb_a64_machine *am, const struct fpb_sim_event *ev);
/* Run n events; *failed_at is the failing index + 1 (0 when all ran). */
int fpb_a64_machine_run(struct fpb_a64_machine *am, const struct fpb_sim_event *ev, size_t n,
			size_t *failed_at);

/* Nothing lost: each context's host, guest and ZA state where the design says.  0 / -EPROTO. */
int fpb_a64_integrity_check(struct fpb_a64_machine *am, char *why, size_t len);

/*
 * Random testing: one valid event for am's state (xorshift64 *rng); with sme_ok, ZA events (when
 * am has ZA) and streaming-mode events (when am has an SVL).
 */
void fpb_a64_random_event(const struct fpb_a64_machine *am, uint64_t *rng, bool sme_ok,
			  struct fpb_sim_event *ev);

const char *fpb_a64_event_name(unsigned type);

/* ---- fpsimd.c helpers the policies are written with (counted primitives) ---- */

/* fpsimd_save(): the state bound to cpu into its buffer, unless TIF_FOREIGN_FPSTATE. */
int fpb_a64_task_save(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu);
/* fpsimd_save_and_flush_cpu_state(): save, then the registers belong to nobody. */
int fpb_a64_save_and_flush(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu);
/* Save only the host's FPSIMD registers (the hyp trap handler's __fpsimd_save_state). */
int fpb_a64_save_host(struct fpb_machine *m, struct fpb_sim_ctx *c);
/* Load the guest's registers and bind them to cpu (fp regs now the guest's, no foreign state). */
int fpb_a64_load_guest(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu);
/* fpsimd_restore_current_state(): the task's state back into the registers when foreign. */
int fpb_a64_restore_current(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu);
/* KVM_GET_ONE_REG / KVM_SET_ONE_REG of the whole FP file: guest buffer <-> user ABI copy. */
int fpb_a64_get_regs(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu);
int fpb_a64_set_regs(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu);
/*
 * The 2018 design's per-vCPU FP_ENABLED/FP_HOST handlers (arm64-defer-host-restore.c): load,
 * entry (TIF_FOREIGN_FPSTATE clears both), the guest's FP trap (host saved if FP_HOST, guest
 * loaded), exit (nothing), put (guest saved and the CPU flushed; the host restore deferred).
 */
int fpb_a64_flags_load(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu);
int fpb_a64_flags_entry(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu);
int fpb_a64_flags_trap(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu);
int fpb_a64_flags_exit(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu);
int fpb_a64_flags_put(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu);

#endif /* FPB_ARM64_MACHINE_H */
