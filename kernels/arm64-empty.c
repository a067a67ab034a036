// SPDX-License-Identifier: GPL-2.0-or-later
/* arm64-empty.c - the empty kernel on arm64: the harness self-check (0 +- 1 tick after N/2N). */
#include "kernel.h"

static void body(struct fpb_kctx *ctx, uint64_t n)
{
	__asm__ __volatile__("" : : "r"(n) : "memory");
}

const struct fpb_kernel fpb_kernel_arm64_empty = {
	.name		= "empty",
	.desc		= "does nothing: harness self-check (must read 0 +- 1 tick/op)",
	.flags		= FPB_K_EMPTY | FPB_K_ARCH_ARM64,
	.body		= body,
};
