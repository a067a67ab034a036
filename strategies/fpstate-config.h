/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fpstate-config.h - the kernel's three FPU configurations (x86-guest-fpstate-config-2023.txt):
 * fpu_kernel_cfg, fpu_user_cfg and fpu_guest_cfg, each a pair of default and max feature sets
 * with the buffer size each needs, computed from a struct fpb_cpu.
 *
 *   kernel: user features (XCR0) + supervisor features (IA32_XSS) but the guest-only ones
 *           (CET_S) and the independent ones (arch LBR); compacted with XSAVES or XSAVEC;
 *   user:   user features only, standard format: the UABI (signal frame, ptrace, KVM_GET_XSAVE);
 *   guest:  the kernel's plus the guest-only supervisor features; compacted as the kernel's.
 * The default sets leave out the user dynamic features (XFD-armed, AMX tile data): a buffer
 * grows to max when its owner is given one.
 *
 * Print-free and libc-free apart from fpb_env.h: the kernel module builds it too.
 */
#ifndef FPB_FPSTATE_CONFIG_H
#define FPB_FPSTATE_CONFIG_H

#include "fpb_env.h"

struct fpb_cpu;

/* One configuration: struct fpu_state_config. */
struct fpb_fpu_cfg {
	uint64_t max_features;		/* everything a buffer of this kind may hold */
	uint64_t default_features;	/* max without the user dynamic features */
	uint32_t max_size;		/* bytes, in the configuration's format */
	uint32_t default_size;
};

struct fpb_fpstate_cfgs {
	struct fpb_fpu_cfg kernel, user, guest;
	bool compacted;			/* kernel and guest buffers compacted (XSAVES or XSAVEC) */
	uint64_t xss;			/* IA32_XSS the configurations assume */
	bool xss_inferred;		/* xss not read: what Linux would enable (see the .c) */
	uint64_t supervisor;		/* supervisor features in fpstates (xss less independent) */
	uint64_t user_dynamic;		/* XFD-capable user features: only in max */
	uint64_t guest_only;		/* supervisor features only guests get (CET_S) */
	uint64_t independent;		/* in IA32_XSS, never in an fpstate (arch LBR) */
};

/*
 * Size of a buffer holding features in the compacted (XSAVES) or standard format, as the
 * kernel's xstate_calculate_size(): the end of the topmost component; in the compacted format
 * components follow each other from byte 576, a component whose CPUID.(0xD,i):ECX bit 1 is set
 * starting on a 64-byte boundary.  At least 576 (legacy area + header).  Bytes.
 */
uint32_t fpb_fpstate_size(const struct fpb_cpu *cpu, uint64_t features, bool compacted);

/*
 * Compute the three configurations from cpu: XCR0 (3 when unknown), IA32_XSS when cpu->xss_known
 * (else inferred), the CPUID 0xD sub-leaves and XFD.  Never fails.
 */
void fpb_fpstate_cfg_compute(struct fpb_fpstate_cfgs *cfg, const struct fpb_cpu *cpu);

#endif /* FPB_FPSTATE_CONFIG_H */
