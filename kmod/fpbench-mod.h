/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kmod/fpbench-mod.h - the module's internal interfaces: the ring-0 kernel table and the runner. */
#ifndef FPB_KMOD_MOD_H
#define FPB_KMOD_MOD_H

#include <linux/types.h>
#include "uapi.h"

/* What the module detected once at load time (CPUID, XCR0, IA32_XSS, IA32_XFD). */
struct fpb_r0_caps {
	u32 features;		/* FPB_KMOD_HAS_* */
	u64 xcr0, xss, xfd;
	u64 xfd_capable;	/* components XFD can arm (CPUID 0xD.i ECX bit 2) */
	u32 std_size, std_size_max, compacted_size;
	char hypervisor[16];
};

extern struct fpb_r0_caps fpb_r0_caps;

/* A run in progress: conditions and kernel-owned buffers. */
struct fpb_r0ctx {
	const struct fpb_kmod_run *req;
	u64 rfbm;		/* user components requested (within XCR0) */
	u64 rfbm_sup;		/* rfbm | IA32_XSS for the -sup pair */
	u64 dirty;		/* components written before every op (dirty) or once (unmodified) */
	bool per_op_prep, prep_only;
	void *bufs[FPB_KMOD_MAX_BUFS];
	void *raw[FPB_KMOD_MAX_BUFS];
	void *raw_init;
	void *initbuf;		/* zeroed standard image: XRSTOR from it inits the components */
	unsigned nbufs, cur;
	size_t buf_size;
	u64 xfd_orig, xfd_alt, xfd_cached;
	bool xinuse_untracked;	/* XGETBV(1) ignores the condition (emulators) */
};

#define FPB_R0_SKIP_SETUP	(-2)	/* setup: cannot run here; reason in fpb_r0_setup_why */

/* One ring-0 kernel's body and requirements. */
struct fpb_r0kernel {
	unsigned flags;		/* FPB_R0K_* */
	/* Beyond its CPUID need (uapi.h): 0 when it can run here; -1 with the reason. */
	int (*check)(struct fpb_r0ctx *c, char *why, size_t len);
	/* With the FPU owned and interrupts off: source images, MSR values.  FPB_R0_OK or trap. */
	int (*setup)(struct fpb_r0ctx *c);
	/* n operations; FPB_R0_OK or the trap number. */
	int (*body)(struct fpb_r0ctx *c, u64 n);
	/* With interrupts off: put back every MSR/XCR the kernel touched. */
	void (*restore)(struct fpb_r0ctx *c);
};

enum {
	FPB_R0K_SAVE	  = 1u << 0,	/* the condition is the register state before each op */
	FPB_R0K_RESTORE	  = 1u << 1,	/* the condition is the buffer's XSTATE_BV */
	FPB_R0K_VMEXIT	  = 1u << 2,	/* a VM exit under a hypervisor */
	FPB_R0K_XSTATE	  = 1u << 3,	/* needs the XSAVE buffers */
};

extern char fpb_r0_setup_why[FPB_KMOD_REASON_LEN];
extern const struct fpb_r0kernel fpb_r0_kernels[FPB_KMOD_NR_KERNELS];

/* Detect fpb_r0_caps (module init). */
void fpb_r0_detect(void);
/* Validate and run req; fills the out fields; samples go to the user after kernel_fpu_end(). */
long fpb_r0_run(struct fpb_kmod_run *req);
/* Strategies built into the module (0 when none), and the ioctl that runs one. */
unsigned fpb_r0_nr_strategies(void);
const char *fpb_r0_strategies_reason(void);
long fpb_r0_strategy(struct fpb_kmod_strategy *req);

#endif /* FPB_KMOD_MOD_H */
