// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86-empty.c - the empty kernel: does nothing, whatever n is.
 *
 * The harness self-check: after N/2N differencing it must read 0 +- 1 tick per op.  A larger
 * figure means the differencing or the timer is broken, not that nothing costs something.
 */
#include "kernel.h"

static void body(struct fpb_kctx *ctx, uint64_t n)
{
	__asm__ __volatile__("" : : "r"(n) : "memory");
}

const struct fpb_kernel fpb_kernel_empty = {
	.name		= "empty",
	.desc		= "does nothing: harness self-check (must read 0 +- 1 tick/op)",
	.flags		= FPB_K_EMPTY,
	.body		= body,
};
