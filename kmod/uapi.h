/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kmod/uapi.h - the ioctl ABI of /dev/fpbench, shared by kmod/fpbench.ko and fpbench.
 *
 * FPB_IOC_INFO describes the module and what it detected; FPB_IOC_RUN times batches of one
 * ring-0 kernel and returns the raw timestamps; FPB_IOC_STRATEGY runs a strategy built into the
 * module.  Every field is range-checked by the module: -EINVAL for bad values, -EFAULT for bad
 * pointers.  Sizes are fixed: no pointers-sized fields, only __u64 addresses.
 */
#ifndef FPB_KMOD_UAPI_H
#define FPB_KMOD_UAPI_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/ioctl.h>
#else
#include <linux/types.h>
#include <sys/ioctl.h>
#endif

#define FPB_KMOD_DEVICE		"/dev/fpbench"
#define FPB_KMOD_ABI		1	/* bump on any change below */

/*
 * Ring-0 kernels: X(id, name, kind, need, desc), the one list fpbench (kernels/x86-ring0-table.c,
 * kernels/registry.c) and the module (kmod/fpbench-kernels.c has the bodies) are built from.  Ids
 * are the array order: append only.  kind is what the kernel does with the extended state, which
 * fpbench turns into its kernel flags: EMPTY, SAVE, SAVE_C (compacted), RESTORE, RESTORE_C,
 * PAIR_C (compacted save+restore), MSR.  need is its CPUID requirement (FPB_KMOD_NEEDS).
 */
#define FPB_KMOD_KERNELS(X)							\
	X(EMPTY,	"ring0-empty",	EMPTY, NONE,	"nothing, in ring 0 (harness self-check)") \
	X(XSAVES,	"xsaves",	SAVE_C, XSAVES,	"XSAVES, compacted, user components") \
	X(XRSTORS,	"xrstors",	RESTORE_C, XSAVES, "XRSTORS from a buffer XSAVES wrote") \
	X(XSAVES_XRSTORS, "xsaves-xrstors", PAIR_C, XSAVES,				\
	  "XSAVES+XRSTORS pair without IA32_XSS components")				\
	X(XSAVES_XRSTORS_SUP, "xsaves-xrstors-sup", PAIR_C, XSAVES,			\
	  "XSAVES+XRSTORS pair with the IA32_XSS components")				\
	X(XSAVE,	"xsave-r0",	SAVE, XSAVE,	"XSAVE in ring 0 (compare with user mode)") \
	X(XSAVEOPT,	"xsaveopt-r0",	SAVE, XSAVEOPT,	"XSAVEOPT in ring 0")		\
	X(XSAVEC,	"xsavec-r0",	SAVE_C, XSAVEC,	"XSAVEC in ring 0")		\
	X(XRSTOR,	"xrstor-r0",	RESTORE, XSAVE,	"XRSTOR in ring 0 from a standard buffer") \
	X(XSETBV,	"xsetbv",	MSR, XSAVE,	"XSETBV(0) writing the current XCR0 back") \
	X(WRXFD_SAME,	"wrmsr-xfd-same", MSR, XFD,	"WRMSR IA32_XFD with the value it holds") \
	X(WRXFD_CHANGED, "wrmsr-xfd-changed", MSR, XFD,					\
	  "WRMSR IA32_XFD alternating an unused component")				\
	X(WRXFD_CACHED,	"wrmsr-xfd-cached", MSR, XFD,					\
	  "IA32_XFD write skipped: cached value matches")				\
	X(RDXFD,	"rdmsr-xfd",	MSR, XFD,	"RDMSR IA32_XFD")			\
	X(WRXSS,	"wrmsr-xss",	MSR, XSAVES,	"WRMSR IA32_XSS with its value (interrupts off)") \
	X(RDXFD_ERR,	"rdmsr-xfd-err", MSR, XFD,	"RDMSR IA32_XFD_ERR")

enum fpb_kmod_kernel {
#define FPB_KMOD_X_ENUM(id, name, kind, need, desc) FPB_KMOD_K_##id,
	FPB_KMOD_KERNELS(FPB_KMOD_X_ENUM)
#undef FPB_KMOD_X_ENUM
	FPB_KMOD_NR_KERNELS
};

/* Register conditions: the values of enum fpb_state (shared/kernel.h). */
enum { FPB_KMOD_STATE_INIT, FPB_KMOD_STATE_DIRTY, FPB_KMOD_STATE_UNMODIFIED, FPB_KMOD_NR_STATES };
/* Buffer conditions: the values of enum fpb_buffer_mode. */
enum { FPB_KMOD_BUF_SAME, FPB_KMOD_BUF_ROTATE, FPB_KMOD_BUF_COLD, FPB_KMOD_NR_BUF_MODES };

#define FPB_KMOD_MAX_BATCH	65536u	/* operations between two timestamps */
#define FPB_KMOD_MAX_REPEATS	4096u	/* batches per ioctl */
#define FPB_KMOD_MAX_BUFS	64u	/* rotate:K */
#define FPB_KMOD_REASON_LEN	128

/* One timed batch, as written to the user buffer (8-byte aligned array of these). */
struct fpb_kmod_sample {
	__u64 t_begin, t_end;	/* TSC: lfence;rdtsc ... rdtscp;lfence (or lfence;rdtsc;lfence) */
	__u32 cpu;		/* CPU the batch ran on (interrupts were off: never migrates) */
	__u32 flags;		/* FPB_KMOD_S_* */
};

enum {
	FPB_KMOD_S_STATE_MISMATCH = 1u << 0,	/* XINUSE did not match the condition */
	FPB_KMOD_S_OVERLONG	= 1u << 1,	/* the batch ran longer than ~1 ms */
};

/* Run flags (fpb_kmod_run.flags). */
enum {
	FPB_KMOD_F_PREP_ONLY	= 1u << 0,	/* the per-op condition preparation without the op */
	FPB_KMOD_F_ALL		= FPB_KMOD_F_PREP_ONLY,
};

/* Result status (fpb_kmod_run.status). */
enum {
	FPB_KMOD_OK		= 0,
	FPB_KMOD_SKIPPED	= 1,	/* cannot run here: reason says why (no batch was timed) */
	FPB_KMOD_TRAPPED	= 2,	/* an instruction trapped: trap, reason; samples up to it */
	FPB_KMOD_INTEGRITY	= 3,	/* FPB_KMOD_STRAT_CHECK: the integrity checker failed;
					 * reason has its message */
};

/* Result flags (fpb_kmod_run.rflags): how to label the row. */
enum {
	FPB_KMOD_R_VIRTUALISED	= 1u << 0,	/* the operation is a VM exit here */
	FPB_KMOD_R_PER_OP_PREP	= 1u << 1,	/* dirty prep ran before every op: subtract prep-only */
};

struct fpb_kmod_run {
	/* in */
	__u32 abi;		/* FPB_KMOD_ABI */
	__u32 kernel;		/* enum fpb_kmod_kernel */
	__u64 rfbm;		/* requested-feature bitmap; must be within XCR0 (| IA32_XSS for XSAVES) */
	__u32 state;		/* FPB_KMOD_STATE_* */
	__u32 buf_mode;		/* FPB_KMOD_BUF_* */
	__u32 nbufs;		/* rotate:K (1..FPB_KMOD_MAX_BUFS); 1 otherwise */
	__u32 flags;		/* FPB_KMOD_F_* */
	__u64 batch;		/* operations per batch, 1..FPB_KMOD_MAX_BATCH */
	__u32 repeats;		/* batches, 1..FPB_KMOD_MAX_REPEATS */
	__u32 reserved0;	/* must be 0 */
	__u64 samples;		/* user address of struct fpb_kmod_sample[repeats], 8-byte aligned */
	__u64 samples_len;	/* bytes at samples: at least repeats * sizeof(struct fpb_kmod_sample) */
	/* out */
	__u32 status;		/* FPB_KMOD_OK / SKIPPED / TRAPPED */
	__s32 trap;		/* trap number (6 #UD, 13 #GP, ...), -1 none */
	__u32 done;		/* batches written */
	__u32 rflags;		/* FPB_KMOD_R_* */
	__u64 rfbm_used;	/* the RFBM actually requested (e.g. | IA32_XSS for the -sup pair) */
	char reason[FPB_KMOD_REASON_LEN];	/* skip or trap reason, NUL-terminated */
};

/* What the module found (FPB_IOC_INFO). */
struct fpb_kmod_info {
	__u32 abi;		/* FPB_KMOD_ABI of the module */
	__u32 nr_kernels;	/* FPB_KMOD_NR_KERNELS */
	__u64 xcr0, xss;	/* XCR0 and IA32_XSS as the kernel set them (xss 0 when unreadable) */
	__u64 xfd;		/* IA32_XFD on this CPU, 0 without XFD */
	__u32 features;		/* FPB_KMOD_HAS_* */
	__u32 std_size;		/* XSAVE standard size for XCR0 (CPUID 0xD.0 EBX) */
	__u32 compacted_size;	/* XSAVES size for XCR0 | IA32_XSS (CPUID 0xD.1 EBX) */
	__u32 tsc_khz;		/* the kernel's TSC frequency, 0 unknown */
	__u32 nr_strategies;	/* strategies built into the module (0: none) */
	__u32 reserved;
	char hypervisor[16];	/* CPUID 0x40000000 signature, "" without the hypervisor bit */
	char strategies_reason[FPB_KMOD_REASON_LEN];	/* why nr_strategies is 0 */
};

enum {
	FPB_KMOD_HAS_XSAVE	= 1u << 0,
	FPB_KMOD_HAS_XSAVEOPT	= 1u << 1,
	FPB_KMOD_HAS_XSAVEC	= 1u << 2,
	FPB_KMOD_HAS_XSAVES	= 1u << 3,	/* XSAVES/XRSTORS and IA32_XSS */
	FPB_KMOD_HAS_XFD	= 1u << 4,
	FPB_KMOD_HAS_XGETBV1	= 1u << 5,
	FPB_KMOD_HAS_RDTSCP	= 1u << 6,
	FPB_KMOD_HAS_HYPERVISOR	= 1u << 7,
};

/*
 * CPUID requirements of the ring-0 kernels: X(need, feature, base, why).  A kernel needing `need`
 * runs only where the FPB_KMOD_HAS_* bit `feature` is set and `base` is met; why is the reason of
 * the skip.  fpbench (from its own CPUID detection) and the module (from fpb_kmod_info.features)
 * both ask fpb_kmod_need_missing(), so the checks and their reasons are written once.
 */
#define FPB_KMOD_NEEDS(X)							\
	X(NONE,		0,			NONE,	"")			\
	X(XSAVE,	FPB_KMOD_HAS_XSAVE,	NONE,					\
	  "no XSAVE enabled (CPUID.1:ECX.XSAVE/OSXSAVE)")				\
	X(XSAVEOPT,	FPB_KMOD_HAS_XSAVEOPT,	XSAVE,					\
	  "no XSAVEOPT (CPUID.(EAX=0xD,ECX=1):EAX[0] clear)")				\
	X(XSAVEC,	FPB_KMOD_HAS_XSAVEC,	XSAVE,					\
	  "no XSAVEC (CPUID.(EAX=0xD,ECX=1):EAX[1] clear)")				\
	X(XSAVES,	FPB_KMOD_HAS_XSAVES,	XSAVE,					\
	  "no XSAVES/IA32_XSS (CPUID.(EAX=0xD,ECX=1):EAX[3] clear)")			\
	X(XFD,		FPB_KMOD_HAS_XFD,	NONE,					\
	  "no XFD (CPUID.(EAX=0xD,ECX=1):EAX[4] clear)")

enum fpb_kmod_need {
#define FPB_KMOD_X_NEED_ENUM(need, feature, base, why) FPB_KMOD_NEED_##need,
	FPB_KMOD_NEEDS(FPB_KMOD_X_NEED_ENUM)
#undef FPB_KMOD_X_NEED_ENUM
	FPB_KMOD_NR_NEEDS
};

/* The requirement of ring-0 kernel id. */
static inline enum fpb_kmod_need fpb_kmod_kernel_need(unsigned id)
{
#define FPB_KMOD_X_KERNEL_NEED(kid, name, kind, need, desc) FPB_KMOD_NEED_##need,
	static const unsigned char needs[] = { FPB_KMOD_KERNELS(FPB_KMOD_X_KERNEL_NEED) };
#undef FPB_KMOD_X_KERNEL_NEED

	return id < FPB_KMOD_NR_KERNELS ? (enum fpb_kmod_need)needs[id] : FPB_KMOD_NEED_NONE;
}

/* NULL when features (FPB_KMOD_HAS_* bits) meet need, else why not. */
static inline const char *fpb_kmod_need_missing(enum fpb_kmod_need need, __u32 features)
{
#define FPB_KMOD_X_NEED_ROW(n, feature, base, why) { feature, FPB_KMOD_NEED_##base, why },
	static const struct {
		__u32 feature;
		unsigned char base;
		const char *why;
	} rows[] = { FPB_KMOD_NEEDS(FPB_KMOD_X_NEED_ROW) };
#undef FPB_KMOD_X_NEED_ROW
	const char *why;

	if (need <= FPB_KMOD_NEED_NONE || need >= FPB_KMOD_NR_NEEDS)
		return 0;
	why = fpb_kmod_need_missing((enum fpb_kmod_need)rows[need].base, features);
	if (why)
		return why;
	return (features & rows[need].feature) ? 0 : rows[need].why;
}

/* A strategy built into the module, run over one scenario (FPB_IOC_STRATEGY). */
struct fpb_kmod_strategy {
	/* in */
	__u32 abi;
	__u32 index;		/* 0..nr_strategies-1 */
	char scenario[48];	/* in/out: scenario name, NUL-terminated; "": the first timed
				 * scenario of the strategy's family that runs here */
	__u64 rfbm;
	__u64 events;		/* events (switches) per batch, 1..FPB_KMOD_MAX_BATCH */
	__u32 repeats;		/* 1..FPB_KMOD_MAX_STRATEGY_REPEATS */
	__u32 flags;		/* FPB_KMOD_STRAT_*; other bits must be 0 */
	__u64 samples, samples_len;	/* as in fpb_kmod_run */
	/* in/out */
	char name[48];		/* out: the strategy's name */
	/* out */
	__u32 status;
	__s32 trap;
	__u32 done;
	__u32 rflags;
	__u64 counts[16];	/* primitive counts per batch set (saves, restores, xsetbv, ...) */
	char reason[FPB_KMOD_REASON_LEN];
};

/* fpb_kmod_strategy.flags */
enum {
	/* The scenario's programs alone, every strategy handler off: the companion user space
	 * subtracts so that a row is the strategy's cost alone. */
	FPB_KMOD_STRAT_PREP_ONLY	= 1u << 0,
	/* The integrity checker (strategies/integrity.c) after every event, on machines whose
	 * images change PKRU and leave components in init: a correctness run on the real
	 * registers, its times are not figures. */
	FPB_KMOD_STRAT_CHECK		= 1u << 1,
};
#define FPB_KMOD_STRAT_ALL		(FPB_KMOD_STRAT_PREP_ONLY | FPB_KMOD_STRAT_CHECK)

/* fpb_kmod_strategy.counts[]: totals over the timed batches (divide by done * events). */
enum {
	FPB_KMOD_C_EVENTS,	/* events per batch (whole cycles of the scenario) */
	FPB_KMOD_C_SAVES, FPB_KMOD_C_RESTORES, FPB_KMOD_C_COPIES, FPB_KMOD_C_BYTES_COPIED,
	FPB_KMOD_C_XSETBV, FPB_KMOD_C_XFD_WRITES, FPB_KMOD_C_XSS_WRITES,
	FPB_KMOD_C_PKRU_READS, FPB_KMOD_C_PKRU_WRITES,
	FPB_KMOD_NR_COUNTS
};
#define FPB_KMOD_MAX_STRATEGY_REPEATS	64u	/* preemption stays off for a whole strategy run */

#define FPB_IOC_MAGIC		0xfb
#define FPB_IOC_INFO		_IOR(FPB_IOC_MAGIC, 1, struct fpb_kmod_info)
#define FPB_IOC_RUN		_IOWR(FPB_IOC_MAGIC, 2, struct fpb_kmod_run)
#define FPB_IOC_STRATEGY	_IOWR(FPB_IOC_MAGIC, 3, struct fpb_kmod_strategy)

#endif /* FPB_KMOD_UAPI_H */
