// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86-ring0-table.c - the ring-0 kernels' table entries (FPB_K_RING0).
 *
 * Their user-space side is only name, description, flags and a CPUID requirement check: the
 * bodies live in kmod/fpbench.ko and run through the kmod backend, which asks the module (it
 * detects from CPUID too, and reports traps).  Entries are generated from kmod/uapi.h's
 * FPB_KMOD_KERNELS list, so module and fpbench agree on names, and the requirement is the same
 * fpb_kmod_need_missing() check the module makes.
 */
#include "kernel.h"
#include "cpu.h"
#include "../kmod/uapi.h"

#define XSTATE	(FPB_K_ARCH_X86 | FPB_K_RING0 | FPB_K_USES_MASK | FPB_K_USES_STATE | \
		 FPB_K_USES_BUFFER)
#define SAVE	(XSTATE | FPB_K_SAVE | FPB_K_PER_OP_PREP)

/* Flags of each kind of FPB_KMOD_KERNELS row. */
#define KIND_EMPTY	(FPB_K_ARCH_X86 | FPB_K_RING0 | FPB_K_EMPTY)
#define KIND_SAVE	SAVE
#define KIND_SAVE_C	(SAVE | FPB_K_COMPACTED)
#define KIND_RESTORE	(XSTATE | FPB_K_RESTORE)
#define KIND_RESTORE_C	(XSTATE | FPB_K_RESTORE | FPB_K_COMPACTED)
#define KIND_PAIR_C	(SAVE | FPB_K_RESTORE | FPB_K_COMPACTED)
#define KIND_MSR	(FPB_K_ARCH_X86 | FPB_K_RING0)

/* This CPU as the module's FPB_KMOD_HAS_* bits, for the requirement check they share. */
static __u32 kmod_features(const struct fpb_cpu *cpu)
{
	__u32 f = 0;

	if (fpb_cpu_has(cpu, FPB_CPU_XSAVE) && fpb_cpu_has(cpu, FPB_CPU_OSXSAVE))
		f |= FPB_KMOD_HAS_XSAVE;
	if (fpb_cpu_has(cpu, FPB_CPU_XSAVEOPT))
		f |= FPB_KMOD_HAS_XSAVEOPT;
	if (fpb_cpu_has(cpu, FPB_CPU_XSAVEC))
		f |= FPB_KMOD_HAS_XSAVEC;
	if (fpb_cpu_has(cpu, FPB_CPU_XSAVES))
		f |= FPB_KMOD_HAS_XSAVES;
	if (fpb_cpu_has(cpu, FPB_CPU_XFD))
		f |= FPB_KMOD_HAS_XFD;
	return f;
}

static bool need_met(enum fpb_kmod_need need, const struct fpb_cpu *cpu, char *why, size_t len)
{
	const char *missing = fpb_kmod_need_missing(need, kmod_features(cpu));

	if (!missing)
		return true;
	snprintf(why, len, "%s", missing);
	return false;
}

/* One supported() per requirement: sup_<need>. */
#define FPB_R0_X_SUP(need, feature, base, msg)					\
	static bool sup_##need(const struct fpb_cpu *cpu, char *why, size_t len)	\
	{									\
		return need_met(FPB_KMOD_NEED_##need, cpu, why, len);		\
	}
FPB_KMOD_NEEDS(FPB_R0_X_SUP)

#define FPB_R0_X_ENTRY(id, nm, kind, need, ds)					\
	const struct fpb_kernel fpb_kernel_r0_##id = {				\
		.name		= nm,						\
		.desc		= ds,						\
		.flags		= KIND_##kind,					\
		.supported	= FPB_KMOD_NEED_##need == FPB_KMOD_NEED_NONE ? NULL : sup_##need, \
	};
FPB_KMOD_KERNELS(FPB_R0_X_ENTRY)
