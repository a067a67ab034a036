/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * backend.h - the backend seam.
 *
 * A backend runs timed batches of a kernel and offers the primitives a strategy is built from.
 * user (x86 user mode), record (tests: logs every primitive), later kmod (ring 0) and arm64 only
 * add tables here; strategies/ and the harness never execute an instruction themselves.
 * Strategies call the fpb_prim_*() wrappers below, which count every primitive.
 */
#ifndef FPB_BACKEND_H
#define FPB_BACKEND_H

#include "fpb_env.h"
#include "kernel.h"

struct fpb_cpu;
struct fpb_timer;
struct fpb_backend;
struct fpb_counters;

#define FPB_MAX_EVENTS	8	/* counter values carried with a sample (counters.h) */

/* One timed batch. */
struct fpb_sample {
	uint64_t t;			/* timer units for the whole batch */
	int cpu;			/* CPU id at the end read, -1 unknown */
	uint32_t flags;			/* FPB_SAMPLE_* */
	uint64_t ev[FPB_MAX_EVENTS];	/* counter deltas for the batch, when counters are on */
};

enum {
	FPB_SAMPLE_MIGRATED	= 1u << 0,	/* CPU id changed during the batch: discard */
	FPB_SAMPLE_STATE_MISMATCH = 1u << 1,	/* XINUSE did not match the condition: discard */
	FPB_SAMPLE_FAULT	= 1u << 2,	/* the body trapped */
	FPB_SAMPLE_NO_COUNTS	= 1u << 3,	/* counters multiplexed out for the whole batch: drop */
};

enum fpb_save_op {
	FPB_OP_FXSAVE, FPB_OP_XSAVE, FPB_OP_XSAVEOPT, FPB_OP_XSAVEC, FPB_OP_XSAVES,
	/* arm64 (backends/arm64.c): V0-31+FPSR/FPCR; Z0-31, P0-15, FFR at the current VL; ZA. */
	FPB_OP_FPSIMD_SAVE, FPB_OP_SVE_SAVE, FPB_OP_ZA_SAVE,
	FPB_NR_SAVE_OPS
};

enum fpb_restore_op {
	FPB_OP_FXRSTOR, FPB_OP_XRSTOR, FPB_OP_XRSTORS,
	FPB_OP_FPSIMD_RESTORE, FPB_OP_SVE_RESTORE, FPB_OP_ZA_RESTORE,	/* arm64 */
	FPB_NR_RESTORE_OPS
};

const char *fpb_save_op_name(enum fpb_save_op op);
const char *fpb_restore_op_name(enum fpb_restore_op op);

/* What a primitive call did. */
enum {
	FPB_PRIM_DONE	 = 0,	/* executed for real */
	FPB_PRIM_STANDIN = 1,	/* executed through a faithful stand-in (XSAVES -> XSAVEC, ...) */
	FPB_PRIM_COUNTED = 2,	/* counted but not executed (needs ring 0 or a missing feature) */
};

/* Primitive counts, kept by the fpb_prim_*() wrappers. */
struct fpb_prim_counts {
	uint64_t save[FPB_NR_SAVE_OPS];
	uint64_t restore[FPB_NR_RESTORE_OPS];
	uint64_t copies, bytes_copied;
	uint64_t xsetbv, xfd_writes, xss_writes, pkru_reads, pkru_writes;
	uint64_t standins, counted_only;
	/*
	 * Primitives the kernel skips on this CPU, so neither executed nor timed here: RDPKRU and
	 * WRPKRU without OSPKE (PKRU not in XCR0).  Counted by fpb_prim_skipped().
	 */
	uint64_t skipped;
};

enum {
	FPB_BE_RING0	= 1u << 0,	/* privileged primitives are real */
	FPB_BE_REAL	= 1u << 1,	/* touches real registers (not a recorder) */
	FPB_BE_TIMES	= 1u << 2,	/* can run timed batches */
};

struct fpb_backend_ops {
	const char *name;
	const char *summary;
	unsigned flags;
	/* Can this backend be used here?  0, or -1 with a reason ("/dev/fpbench not found"). */
	int (*probe)(const struct fpb_cpu *cpu, char *why, size_t len);
	int (*open)(struct fpb_backend *be, char *why, size_t len);
	void (*close)(struct fpb_backend *be);

	/*
	 * Measurement.  May this backend run kernel k here?  0, or -1 with the reason, plain text
	 * (the row's status says "skipped"; the writers add the word).
	 */
	int (*kernel_supported)(struct fpb_backend *be, const struct fpb_kernel *k,
				char *why, size_t len);
	/* Allocate ctx->bufs for kernel k under ctx's conditions (NUMA-local, aligned, locked). */
	int (*prepare)(struct fpb_backend *be, const struct fpb_kernel *k, struct fpb_kctx *ctx,
		       char *why, size_t len);
	void (*release)(struct fpb_backend *be, const struct fpb_kernel *k, struct fpb_kctx *ctx);
	/* Run one timed batch of n operations; fill *out.  0, or negative errno. */
	int (*run_batch)(struct fpb_backend *be, const struct fpb_kernel *k, struct fpb_kctx *ctx,
			 uint64_t n, struct fpb_sample *out);

	/* Primitives (return FPB_PRIM_* or negative errno).  Strategies use fpb_prim_*(). */
	int (*save)(struct fpb_backend *be, enum fpb_save_op op, void *buf, uint64_t rfbm);
	int (*restore)(struct fpb_backend *be, enum fpb_restore_op op, const void *buf,
		       uint64_t rfbm);
	int (*copy)(struct fpb_backend *be, void *dst, const void *src, size_t n);
	int (*xsetbv)(struct fpb_backend *be, uint32_t xcr, uint64_t val);
	int (*write_xfd)(struct fpb_backend *be, uint64_t val);
	int (*write_xss)(struct fpb_backend *be, uint64_t val);
	int (*rdpkru)(struct fpb_backend *be, uint32_t *val);
	int (*wrpkru)(struct fpb_backend *be, uint32_t val);

	/*
	 * Ring-0 backends (kmod): run strategy `strategy` (task or guest policy name) over scenario
	 * (NULL: the first timed one of its family) where it lives, about n events in one timed batch;
	 * out->t is the whole batch, *events the events it ran.  0, or -1 with why (a skip reason).
	 * NULL: strategies run in this process through the primitives above.
	 */
	int (*run_strategy)(struct fpb_backend *be, const char *strategy, const char *scenario,
			    uint64_t n, struct fpb_sample *out, uint64_t *events, char *why,
			    size_t len);
	/*
	 * As run_strategy, with every strategy handler off: the scenario's programs alone (the
	 * companion the strategies suite subtracts).  NULL: rows include the programs' work.
	 * Both add the primitives they ran (totals: under the first save/restore op) to be->counts.
	 */
	int (*run_strategy_prep)(struct fpb_backend *be, const char *strategy,
				 const char *scenario, uint64_t n, struct fpb_sample *out,
				 uint64_t *events, char *why, size_t len);
};

struct fpb_backend {
	const struct fpb_backend_ops *ops;
	const struct fpb_cpu *cpu;
	struct fpb_timer *timer;
	struct fpb_prim_counts counts;
	int numa_node;			/* -1: no NUMA placement */
	void *priv;
	struct fpb_counters *counters;	/* NULL, or read around every run_batch body (counters.h) */
	/*
	 * No-op primitives: the fpb_prim_*() wrappers count and return FPB_PRIM_COUNTED without
	 * calling the backend (no copy either).  The strategies suite's no-op companion runs a
	 * machine on a copy of the session's backend with this set: the same scenario and handlers,
	 * so the row minus it is the primitives' cost alone.
	 */
	bool noop;
};

/*
 * The one check of kernel k's needs against be's abilities (ring 0, architecture, a body, the
 * CPU requirement where be runs the body itself): 0, or -1 with the reason.  Every backend's
 * kernel_supported() starts with it.
 */
int fpb_kernel_fits(const struct fpb_backend *be, const struct fpb_kernel *k, char *why,
		    size_t len);

/* The registry (backends/registry.c). */
extern const struct fpb_backend_ops *const fpb_backends[];
extern const size_t fpb_nr_backends;
const struct fpb_backend_ops *fpb_backend_find(const char *name);

/* Counting wrappers: every strategy primitive goes through these. */
int fpb_prim_save(struct fpb_backend *be, enum fpb_save_op op, void *buf, uint64_t rfbm);
int fpb_prim_restore(struct fpb_backend *be, enum fpb_restore_op op, const void *buf,
		     uint64_t rfbm);
int fpb_prim_copy(struct fpb_backend *be, void *dst, const void *src, size_t n);
int fpb_prim_xsetbv(struct fpb_backend *be, uint32_t xcr, uint64_t val);
int fpb_prim_write_xfd(struct fpb_backend *be, uint64_t val);
int fpb_prim_write_xss(struct fpb_backend *be, uint64_t val);
int fpb_prim_rdpkru(struct fpb_backend *be, uint32_t *val);
int fpb_prim_wrpkru(struct fpb_backend *be, uint32_t val);
/* A primitive the kernel would skip on this CPU was skipped (see fpb_prim_counts.skipped). */
void fpb_prim_skipped(struct fpb_backend *be);

/* Aligned, NUMA-local, locked buffer allocation shared by the backends (user space only). */
void *fpb_buf_alloc(size_t size, int numa_node);
void fpb_buf_free(void *p, size_t size);

/* What the user-space backends share around a kernel's body (backends/backend-buffers.c). */
int fpb_backend_bufs_prepare(struct fpb_backend *be, const struct fpb_kernel *k,
			     struct fpb_kctx *ctx, unsigned n, size_t size, char *why, size_t len);
void fpb_backend_bufs_free(struct fpb_kctx *ctx);
void fpb_backend_release(struct fpb_backend *be, const struct fpb_kernel *k, struct fpb_kctx *ctx);
int fpb_backend_trial(const struct fpb_kernel *k, struct fpb_kctx *ctx, char *why, size_t len);
int fpb_backend_time_batch(struct fpb_backend *be, const struct fpb_kernel *k,
			   struct fpb_kctx *ctx, uint64_t n,
			   void (*flush)(const struct fpb_kctx *ctx), struct fpb_sample *out);

#endif /* FPB_BACKEND_H */
