/* SPDX-License-Identifier: GPL-2.0-or-later */
/* strategies-testlib.h - shared helpers of the strategy and integrity tests. */
#ifndef FPB_STRATEGIES_TESTLIB_H
#define FPB_STRATEGIES_TESTLIB_H

#include "machine.h"
#include "scenario.h"
#include "record.h"

extern struct fpb_strategy fpb_mutant_lazy_nomigrate, fpb_mutant_swap_ignore_need_load,
	fpb_mutant_eager_pkru_no_wrpkru, fpb_mutant_copy3_no_memcpy;
void fpb_mutants_init(void);

/*
 * A synthetic CPU with Intel's standard offsets (Sapphire Rapids layout): x87..Hi16_ZMM, PKRU,
 * AMX when amx.  xsaves: compacted buffers; xfd: IA32_XFD present.
 */
void fpbt_cpu_synth(struct fpb_cpu *cpu, bool pkru, bool amx, bool xsaves, bool xfd);
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
int fpbt_random(struct fpb_backend *be, const struct fpb_cpu *cpu, const struct fpb_strategy *s,
		unsigned nseq, unsigned len, uint64_t seed, char *why, size_t wlen);

/* Run a scenario's prefix and ncycles cycles on m; 0 or -1 (m->why). */
int fpbt_scenario(struct fpb_machine *m, const struct fpb_scenario *s, unsigned ncycles);

#endif
