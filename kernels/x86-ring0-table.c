// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86-ring0-table.c - the ring-0 kernels' table entries (FPB_K_RING0).
 *
 * Their user-space side is only name, description, flags and a CPUID requirement check: the
 * bodies live in kmod/fpbench.ko and run through the kmod backend, which asks the module (it
 * detects from CPUID too, and reports traps).  Entries are generated from kmod/uapi.h's
 * FPB_KMOD_KERNELS list, so module and fpbench agree on names; kernels/x86-ring0.def lists the
 * same ids.
 */
#include "kernel.h"
#include "cpu.h"
#include "../kmod/uapi.h"

#define XSTATE	(FPB_K_ARCH_X86 | FPB_K_RING0 | FPB_K_USES_MASK | FPB_K_USES_STATE | \
		 FPB_K_USES_BUFFER)
#define SAVE	(XSTATE | FPB_K_SAVE | FPB_K_PER_OP_PREP)
#define MSR	(FPB_K_ARCH_X86 | FPB_K_RING0)

static bool need(const struct fpb_cpu *cpu, enum fpb_cpu_feature f, const char *what,
		 char *why, size_t len)
{
	if (fpb_cpu_has(cpu, f))
		return true;
	snprintf(why, len, "%s", what);
	return false;
}

static bool sup_xsave(const struct fpb_cpu *cpu, char *why, size_t len)
{
	return need(cpu, FPB_CPU_XSAVE, "no XSAVE (CPUID.1:ECX[26] clear)", why, len) &&
	       need(cpu, FPB_CPU_OSXSAVE, "XSAVE not enabled by the OS (CR4.OSXSAVE)", why, len);
}

static bool sup_xsaveopt(const struct fpb_cpu *cpu, char *why, size_t len)
{
	return sup_xsave(cpu, why, len) &&
	       need(cpu, FPB_CPU_XSAVEOPT, "no XSAVEOPT (CPUID.(EAX=0xD,ECX=1):EAX[0] clear)",
		    why, len);
}

static bool sup_xsavec(const struct fpb_cpu *cpu, char *why, size_t len)
{
	return sup_xsave(cpu, why, len) &&
	       need(cpu, FPB_CPU_XSAVEC, "no XSAVEC (CPUID.(EAX=0xD,ECX=1):EAX[1] clear)",
		    why, len);
}

static bool sup_xsaves(const struct fpb_cpu *cpu, char *why, size_t len)
{
	return sup_xsave(cpu, why, len) &&
	       need(cpu, FPB_CPU_XSAVES, "no XSAVES/IA32_XSS (CPUID.(EAX=0xD,ECX=1):EAX[3] clear)",
		    why, len);
}

static bool sup_xfd(const struct fpb_cpu *cpu, char *why, size_t len)
{
	return need(cpu, FPB_CPU_XFD, "no XFD (CPUID.(EAX=0xD,ECX=1):EAX[4] clear)", why, len);
}

/* Flags and requirement of each module kernel id. */
#define F_EMPTY			(FPB_K_ARCH_X86 | FPB_K_RING0 | FPB_K_EMPTY)
#define S_EMPTY			NULL
#define F_XSAVES		(SAVE | FPB_K_COMPACTED)
#define S_XSAVES		sup_xsaves
#define F_XRSTORS		(XSTATE | FPB_K_RESTORE | FPB_K_COMPACTED)
#define S_XRSTORS		sup_xsaves
#define F_XSAVES_XRSTORS	(SAVE | FPB_K_RESTORE | FPB_K_COMPACTED)
#define S_XSAVES_XRSTORS	sup_xsaves
#define F_XSAVES_XRSTORS_SUP	(SAVE | FPB_K_RESTORE | FPB_K_COMPACTED)
#define S_XSAVES_XRSTORS_SUP	sup_xsaves
#define F_XSAVE			SAVE
#define S_XSAVE			sup_xsave
#define F_XSAVEOPT		SAVE
#define S_XSAVEOPT		sup_xsaveopt
#define F_XSAVEC		(SAVE | FPB_K_COMPACTED)
#define S_XSAVEC		sup_xsavec
#define F_XRSTOR		(XSTATE | FPB_K_RESTORE)
#define S_XRSTOR		sup_xsave
#define F_XSETBV		MSR
#define S_XSETBV		sup_xsave
#define F_WRXFD_SAME		MSR
#define S_WRXFD_SAME		sup_xfd
#define F_WRXFD_CHANGED		MSR
#define S_WRXFD_CHANGED		sup_xfd
#define F_WRXFD_CACHED		MSR
#define S_WRXFD_CACHED		sup_xfd
#define F_RDXFD			MSR
#define S_RDXFD			sup_xfd
#define F_WRXSS			MSR
#define S_WRXSS			sup_xsaves
#define F_RDXFD_ERR		MSR
#define S_RDXFD_ERR		sup_xfd

#define FPB_R0_X_ENTRY(id, nm, ds)						\
	const struct fpb_kernel fpb_kernel_r0_##id = {				\
		.name		= nm,						\
		.desc		= ds,						\
		.flags		= F_##id,					\
		.supported	= S_##id,					\
	};
FPB_KMOD_KERNELS(FPB_R0_X_ENTRY)
