/* SPDX-License-Identifier: GPL-2.0-or-later */
/* strategies-testlib.h - shared helpers of the strategy and integrity tests. */
#ifndef FPB_STRATEGIES_TESTLIB_H
#define FPB_STRATEGIES_TESTLIB_H

#include "machine.h"
#include "scenario.h"
#include "record.h"

extern struct fpb_strategy fpb_mutant_lazy_nomigrate, fpb_mutant_swap_ignore_need_load,
	fpb_mutant_eager_pkru_no_wrpkru, fpb_mutant_copy3_no_memcpy,
	fpb_mutant_eager_pkru_no_rdpkru, fpb_mutant_swap_no_guest_pkru_readback,
	fpb_mutant_swap_xfd_not_rearmed, fpb_mutant_lazy_ptrace_no_invalidate,
	fpb_mutant_eager_ptrace_no_invalidate,
	fpb_mutant_eager_stale_mxcsr;
void fpb_mutants_init(void);

/*
 * A synthetic CPU with Intel's standard offsets (Sapphire Rapids layout): x87..Hi16_ZMM, PKRU,
 * AMX when amx.  xsaves: compacted buffers; xfd: IA32_XFD present.
 */
void fpbt_cpu_synth(struct fpb_cpu *cpu, bool pkru, bool amx, bool xsaves, bool xfd);
/* The vendors whose behaviour (src/cpu/cpu-xsave-rules.c) the record backend takes in turn. */
extern const char *const fpbt_vendors[2];

/* A canned CPUID set of tests/cpuid/ (under $FPB_SRCDIR): 0, or -1 with why. */
int fpbt_cpu_canned(struct fpb_cpu *cpu, const char *file, char *why, size_t len);
/* This machine, through the native CPUID source. */
void fpbt_cpu_native(struct fpb_cpu *cpu);

/* Open a backend on cpu; returns 0 or -1 (why). */
int fpbt_open(struct fpb_backend *be, const struct fpb_backend_ops *ops, const struct fpb_cpu *cpu,
	      char *why, size_t len);
void fpbt_close(struct fpb_backend *be);

/*
 * Run nseq random sequences of len events from seed (sequence i uses seed + i) with checking.
 * Guest policies compose with the task policies in turn.  Returns 0, or -1 with the strategy,
 * seed, event and the checker's message in why.
 */
/* After a failing fpbt_random: the failing sequence's index + 1. */
extern unsigned fpbt_random_failed;
int fpbt_random(struct fpb_backend *be, const struct fpb_cpu *cpu, const struct fpb_strategy *s,
		unsigned nseq, unsigned len, uint64_t seed, char *why, size_t wlen);

/*
 * Kill rate: run random sequences of len events from seed (as fpbt_random) under mutant s until
 * the checker fails one; returns how many sequences that took, 0 when none of max did.
 */
unsigned fpbt_kill_rate(struct fpb_backend *be, const struct fpb_cpu *cpu,
			const struct fpb_strategy *s, unsigned max, unsigned len, uint64_t seed);

/* Run a scenario's prefix and ncycles cycles on m; 0 or -1 (m->why). */
int fpbt_scenario(struct fpb_machine *m, const struct fpb_scenario *s, unsigned ncycles);

#endif
