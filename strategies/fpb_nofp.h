/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fpb_nofp.h - include last in the strategies/ sources: the simulated machine keeps live register state in
 * the real register file between primitives (user backend), so its own code must not touch
 * vector registers (no SSE moves for struct copies, no vectorised loops, no loops turned into
 * libc memcpy/memset calls, which use AVX-512 here).  The kernel build already has -mno-sse.
 * On aarch64 too: GCC otherwise pairs adjacent counter increments into one Q-register add
 * (fpb_prim_copy's copies and bytes_copied), clobbering V0-V2 of a live FPSIMD state.
 */
#ifndef FPB_NOFP_H
#define FPB_NOFP_H
#if (defined(__x86_64__) || defined(__aarch64__)) && !defined(__KERNEL__) && defined(__GNUC__) && \
	!defined(__clang__)
#pragma GCC target("general-regs-only")
#pragma GCC optimize("no-tree-loop-distribute-patterns")
#endif
#endif /* FPB_NOFP_H */
