// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fpstate-config.c - fpu_kernel_cfg, fpu_user_cfg and fpu_guest_cfg from a CPU description, as
 * x86-guest-fpstate-config-2023.txt summarises them (Maxim Levitsky's reply to the guest fpstate
 * patch of the CET series).  See fpstate-config.h.
 *
 * Feature classes, all restricted to components CPUID leaf 0xD describes:
 *   user          XCR0 (x87 and SSE always);
 *   supervisor    IA32_XSS less the independent features; only with XSAVES, the one
 *                 instruction that saves them (without it Linux uses no supervisor state);
 *   independent   arch LBR (bit 15): enabled in IA32_XSS, saved by perf on its own, never in an
 *                 fpstate;
 *   guest-only    CET_S (bit 12, "kernel dynamic" in the thread): the host kernel has no use
 *                 for it, a guest's supervisor shadow stack state does;
 *   user dynamic  user components XFD can arm (CPUID.(0xD,i):ECX bit 2; AMX tile data), only
 *                 when the CPU has XFD: Linux enables them on request (arch_prctl) only.
 * When IA32_XSS was not read, it is taken as Linux sets it: the supported bits among PASID,
 * CET_U, CET_S and LBR.  Buffers are compacted with XSAVES or XSAVEC (Linux >= 5.19,
 * X86_FEATURE_XCOMPACTED, "x86/fpu/xsave: Support XSAVEC in the kernel"), standard otherwise.
 *
 * Print-free, libc-free apart from fpb_env.h.
 */
#include "fpstate-config.h"
#include "cpu.h"
#include "xstate.h"
#include "fpb_nofp.h"

#define LEGACY_HDR	576u	/* legacy region + XSAVE header */

/* Supervisor components Linux enables in IA32_XSS (XFEATURE_MASK_SUPERVISOR_SUPPORTED + LBR). */
#define LINUX_XSS	(FPB_BIT(FPB_XF_PASID) | FPB_BIT(FPB_XF_CET_U) | \
			 FPB_BIT(FPB_XF_CET_S) | FPB_BIT(FPB_XF_LBR))

/* Components 2..62 leaf 0xD describes, user or supervisor. */
static uint64_t described(const struct fpb_cpu *cpu, bool supervisor)
{
	uint64_t m = 0;

	for (unsigned i = 2; i < FPB_XSTATE_MAX - 1; i++)
		if (cpu->comp[i].present && cpu->comp[i].size &&
		    cpu->comp[i].supervisor == supervisor)
			m |= FPB_BIT(i);
	return m;
}

uint32_t fpb_fpstate_size(const struct fpb_cpu *cpu, uint64_t features, bool compacted)
{
	uint32_t off = LEGACY_HDR, end = LEGACY_HDR;

	for (unsigned i = 2; i < FPB_XSTATE_MAX - 1; i++) {
		const struct fpb_xcomp *c = &cpu->comp[i];

		if (!(features & FPB_BIT(i)) || !c->present)
			continue;
		if (compacted) {
			if (c->align64)
				off = FPB_ALIGN_UP(off, 64u);
			off += c->size;
			end = off;
		} else if (!c->supervisor && c->std_offset + c->size > end) {
			end = c->std_offset + c->size;	/* supervisor state has no standard place */
		}
	}
	return end;
}

/* Fill the default half of c from its max half. */
static void cfg_fill(struct fpb_fpu_cfg *c, const struct fpb_cpu *cpu, uint64_t max,
		     uint64_t dynamic, bool compacted)
{
	c->max_features = max;
	c->default_features = max & ~dynamic;
	c->max_size = fpb_fpstate_size(cpu, c->max_features, compacted);
	c->default_size = fpb_fpstate_size(cpu, c->default_features, compacted);
}

void fpb_fpstate_cfg_compute(struct fpb_fpstate_cfgs *cfg, const struct fpb_cpu *cpu)
{
	uint64_t legacy = FPB_BIT(FPB_XF_X87) | FPB_BIT(FPB_XF_SSE);
	uint64_t xcr0 = cpu->xcr0 ? cpu->xcr0 : legacy;
	uint64_t user = (xcr0 & described(cpu, false)) | legacy;
	uint64_t sup = 0;

	for (unsigned i = 0; i < sizeof(*cfg); i++)
		((uint8_t *)cfg)[i] = 0;
	cfg->compacted = fpb_cpu_has(cpu, FPB_CPU_XSAVES) || fpb_cpu_has(cpu, FPB_CPU_XSAVEC);
	if (fpb_cpu_has(cpu, FPB_CPU_XSAVES)) {
		cfg->xss = cpu->xss_known ? cpu->xss : cpu->xss_supported & LINUX_XSS;
		cfg->xss_inferred = !cpu->xss_known;
		sup = cfg->xss & described(cpu, true);
	}
	cfg->independent = sup & FPB_BIT(FPB_XF_LBR);
	sup &= ~cfg->independent;
	cfg->supervisor = sup;
	cfg->guest_only = sup & FPB_BIT(FPB_XF_CET_S);
	if (fpb_cpu_has(cpu, FPB_CPU_XFD))
		for (unsigned i = 2; i < FPB_XSTATE_MAX - 1; i++)
			if ((user & FPB_BIT(i)) && cpu->comp[i].xfd_capable)
				cfg->user_dynamic |= FPB_BIT(i);

	cfg_fill(&cfg->kernel, cpu, user | (sup & ~cfg->guest_only), cfg->user_dynamic,
		 cfg->compacted);
	cfg_fill(&cfg->user, cpu, user, cfg->user_dynamic, false);
	cfg_fill(&cfg->guest, cpu, user | sup, cfg->user_dynamic, cfg->compacted);
}

