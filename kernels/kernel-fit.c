// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kernel-fit.c - the one check of a kernel's needs against a backend's abilities, which every
 * backend's kernel_supported() starts with: a ring-0 kernel needs a ring-0 backend and a ring-0
 * backend runs only ring-0 kernels, a kernel runs only on its architecture, a compiled-out
 * kernel or one without a body cannot run, and a backend that runs the body here needs the
 * kernel's CPU requirement met (a ring-0 backend leaves that to its module).
 */
#include "backend.h"
#include "kernel.h"

#if defined(__aarch64__)
#define RING0_HINT	"x86 kernel module only"
#define WRONG_ARCH	"x86 kernel; this is arm64"
#else
#define RING0_HINT	"load kmod/fpbench.ko and use --backend=kmod"
#define WRONG_ARCH	"arm64 kernel; this is x86-64"
#endif

/* Not for this build's architecture? */
static bool wrong_arch(const struct fpb_kernel *k)
{
#if defined(__aarch64__)
	return (k->flags & FPB_K_ARCH_X86) || !(k->flags & (FPB_K_ARCH_ARM64 | FPB_K_EMPTY));
#else
	return k->flags & FPB_K_ARCH_ARM64;
#endif
}

int fpb_kernel_fits(const struct fpb_backend *be, const struct fpb_kernel *k, char *why,
		    size_t len)
{
	bool ring0_backend = be->ops->flags & FPB_BE_RING0;

	if (ring0_backend) {
		if (!(k->flags & FPB_K_RING0)) {
			snprintf(why, len, "not a ring-0 kernel: run it with --backend=user");
			return -1;
		}
		return 0;
	}
	if (k->flags & FPB_K_RING0) {
		snprintf(why, len, "needs ring 0 (%s)", RING0_HINT);
		return -1;
	}
	if (wrong_arch(k)) {
		snprintf(why, len, "%s", WRONG_ARCH);
		return -1;
	}
	if (k->unimplemented_reason) {
		snprintf(why, len, "%s", k->unimplemented_reason);
		return -1;
	}
	if (!k->body) {
		snprintf(why, len, "kernel has no body");
		return -1;
	}
	why[0] = '\0';
	if (k->supported && !k->supported(be->cpu, why, len)) {
		if (!why[0])
			snprintf(why, len, "not supported on this CPU");
		return -1;
	}
	return 0;
}
