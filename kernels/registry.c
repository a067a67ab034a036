// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kernels/registry.c - every kernel, from the per-architecture X-macro lists.
 * Adding an x86 kernel that differs from another only in its instructions, flags or requirement:
 * one XSTATE or REG row in x86-user.def.  Any other kernel: a kernels/<arch>-<name>.c file ending
 * in `const struct fpb_kernel fpb_kernel_<id>`, one X(<id>) (OWN(<id>) for x86 user) line in the
 * right .def file (ring 0: a row of FPB_KMOD_KERNELS in kmod/uapi.h and the body in the module), one line in its .am fragment.
 */
#include "kernel.h"

#define FPB_X_DECL(id) extern const struct fpb_kernel fpb_kernel_##id;
#define FPB_X_ENTRY(id) &fpb_kernel_##id,
/* A table row of x86-user.def: only its id matters here. */
#define FPB_X_DECL_ROW(id, ...) FPB_X_DECL(id)
#define FPB_X_ENTRY_ROW(id, ...) FPB_X_ENTRY(id)
/* A ring-0 kernel of kmod/uapi.h: fpb_kernel_r0_<id>. */
#define FPB_X_DECL_R0(id, ...) FPB_X_DECL(r0_##id)
#define FPB_X_ENTRY_R0(id, ...) FPB_X_ENTRY(r0_##id)

#if defined(__x86_64__)
#include "x86-user.def"
#include "../kmod/uapi.h"
FPB_KERNELS_X86_USER(FPB_X_DECL_ROW, FPB_X_DECL_ROW, FPB_X_DECL)
FPB_KMOD_KERNELS(FPB_X_DECL_R0)
#elif defined(__aarch64__)
#include "arm64.def"
FPB_KERNELS_ARM64(FPB_X_DECL)
#endif

const struct fpb_kernel *const fpb_kernels[] = {
#if defined(__x86_64__)
	FPB_KERNELS_X86_USER(FPB_X_ENTRY_ROW, FPB_X_ENTRY_ROW, FPB_X_ENTRY)
	FPB_KMOD_KERNELS(FPB_X_ENTRY_R0)
#elif defined(__aarch64__)
	FPB_KERNELS_ARM64(FPB_X_ENTRY)
#endif
	NULL
};

const size_t fpb_nr_kernels = FPB_ARRAY_SIZE(fpb_kernels) - 1;

const struct fpb_kernel *fpb_kernel_find(const char *name)
{
	for (size_t i = 0; i < fpb_nr_kernels; i++)
		if (!strcmp(fpb_kernels[i]->name, name))
			return fpb_kernels[i];
	return NULL;
}
