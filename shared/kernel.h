/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kernel.h - one timed primitive per table entry (kernels/), and the conditions it runs under.
 *
 * The vocabulary of register conditions (init, dirty, unmodified) and buffer conditions (same,
 * rotate:K, cold) is used everywhere in fpbench.
 */
#ifndef FPB_KERNEL_H
#define FPB_KERNEL_H

#include "fpb_env.h"

struct fpb_cpu;

enum fpb_state {
	FPB_STATE_INIT,		/* requested components in their init state (XSTATE_BV bit clear) */
	FPB_STATE_DIRTY,	/* components written before every operation */
	FPB_STATE_UNMODIFIED,	/* in use, but unchanged since the last save/restore of this buffer */
	FPB_NR_STATES
};

enum fpb_buffer_mode {
	FPB_BUF_SAME,		/* one buffer */
	FPB_BUF_ROTATE,		/* K buffers in turn, as a context switch does */
	FPB_BUF_COLD,		/* buffers flushed from the cache before each batch */
	FPB_NR_BUFFER_MODES
};

struct fpb_buffer_spec {
	enum fpb_buffer_mode mode;
	unsigned k;		/* rotate:K; 1 otherwise */
};

const char *fpb_state_name(enum fpb_state s);
int fpb_state_parse(const char *s, enum fpb_state *out);
/* "same", "rotate:4", "cold"; returns 0 or -EINVAL. */
int fpb_buffer_parse(const char *s, struct fpb_buffer_spec *out);
void fpb_buffer_name(const struct fpb_buffer_spec *b, char *buf, size_t len);

#define FPB_KCTX_MAX_BUFS	64

/* What a kernel's body works with; set up by the backend, which owns the buffers. */
struct fpb_kctx {
	const struct fpb_cpu *cpu;
	uint64_t rfbm;			/* requested-feature bitmap (EDX:EAX of XSAVE*), within XCR0 */
	enum fpb_state state;
	struct fpb_buffer_spec buffer;
	void *bufs[FPB_KCTX_MAX_BUFS];	/* 64-byte aligned, NUMA-local, locked */
	unsigned nbufs;
	size_t buf_size;
	unsigned cur;			/* rotation cursor, advanced by the body */
	/* XINUSE (XGETBV(1)) read by the body after preparing its condition and after the ops. */
	uint64_t xinuse_before, xinuse_after;
	bool xinuse_valid;
	/* Components whose XINUSE bit must match the condition; 0: no check. */
	uint64_t xinuse_check_mask;
	uint64_t xinuse_expect;		/* expected XINUSE bits within xinuse_check_mask */
	void *priv;			/* the kernel's own state, from setup */
	char note[FPB_REASON_LEN];	/* observation for the output, e.g. XSAVEOPT optimisation */
	/*
	 * Run the body without the measured operation (only the per-operation condition
	 * preparation): the harness measures this companion and subtracts it, paired round by
	 * round, for kernels that must re-prepare their condition before every operation.
	 */
	bool prep_only;
	/* arm64, FPB_K_USES_VL kernels: vector length in bytes (SVE VL or SME SVL); 0: current. */
	unsigned vl;
	/* FPB_ROW_* labels the backend asks for (kmod: VIRTUALISED, FUNCTIONAL_ONLY); OR'ed in. */
	unsigned row_flags;
};

/* Kernel flags: one bit each. */
enum {
	FPB_K_ARCH_X86	= 1u << 0,	/* x86-64 only */
	FPB_K_ARCH_ARM64 = 1u << 1,	/* arm64 only */
	FPB_K_RING0	= 1u << 2,	/* runs only through a ring-0 backend (kmod) */
	FPB_K_USES_MASK	= 1u << 3,	/* takes --mask (RFBM) */
	FPB_K_USES_STATE = 1u << 4,	/* takes --state */
	FPB_K_USES_BUFFER = 1u << 5,	/* takes --buffer */
	FPB_K_SAVE	= 1u << 6,	/* writes a buffer */
	FPB_K_RESTORE	= 1u << 7,	/* reads a buffer */
	FPB_K_COMPACTED	= 1u << 8,	/* buffer in the compacted format */
	FPB_K_EMPTY	= 1u << 9,	/* does nothing: harness self-check */
	FPB_K_PER_OP_PREP = 1u << 10,	/* prepares its condition before every op: subtract prep_only */
	FPB_K_USES_VL	= 1u << 11,	/* arm64: one row per vector length (ctx->vl, --vl) */
};

struct fpb_kernel {
	const char *name;		/* "xsave", "xrstor-compacted", ... */
	const char *desc;		/* one line for --list and the man page */
	unsigned flags;
	const char *unimplemented_reason;	/* non-NULL: compiled out, skipped with this reason */
	/* Can it run on this CPU (user mode)?  NULL: always.  Fill why (plain: the row says "skipped") when not. */
	bool (*supported)(const struct fpb_cpu *cpu, char *why, size_t len);
	/* Prepare buffers for the condition (e.g. restore kernels save a source image).  May be NULL. */
	int (*setup)(struct fpb_kctx *ctx, char *why, size_t len);
	/* The timed part: prepare the condition and run n operations, in one asm block. */
	void (*body)(struct fpb_kctx *ctx, uint64_t n);
	void (*teardown)(struct fpb_kctx *ctx);
};

/* The registry (kernels/registry.c): every kernel of every architecture, in --list order. */
extern const struct fpb_kernel *const fpb_kernels[];
extern const size_t fpb_nr_kernels;

/* Look up by name; NULL when unknown. */
const struct fpb_kernel *fpb_kernel_find(const char *name);

#define FPB_KERNEL_MAX_VLS	16	/* arm64 vector lengths: 16..256 bytes in steps of 16 */

/*
 * Vector lengths (bytes) an FPB_K_USES_VL kernel runs at here, ascending: only want (--vl) when
 * want != 0 and offered, else every length the system offers.  Returns the count (at most max);
 * 0 when the kernel takes no vector length or the extension is absent (kernels/arm64-vl.c).
 */
size_t fpb_kernel_vls(const struct fpb_kernel *k, unsigned want, unsigned *out, size_t max);

#endif /* FPB_KERNEL_H */
