/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * arm64-sm-regs.S - enter and leave streaming SVE mode for the arm64 machine model
 * (strategies/arm64-machine.c), which keeps a simulated CPU's PSTATE.SM in the real one during
 * an event.  SMSTART SM and SMSTOP SM each set Z, P and FFR to zero (and FPSR to its reset
 * value); ZA is left alone.  fpb_a64_sm_start returns in streaming mode, against the AAPCS64
 * rule for ordinary functions: its only caller runs general-register-only C until it calls
 * fpb_a64_sm_stop, and the backend's SVE primitives in between take the streaming path
 * (arm64-ssve-regs.S: no FFR without FEAT_SME_FA64).
 */
#include "arm64-asm.h"

	.arch	armv9-a+sme

/* void fpb_a64_sm_start(void): SMSTART SM */
FPB_A64_FUNC(fpb_a64_sm_start)
	smstart	sm
	ret
FPB_A64_END(fpb_a64_sm_start)

/* void fpb_a64_sm_stop(void): SMSTOP SM */
FPB_A64_FUNC(fpb_a64_sm_stop)
	smstop	sm
	ret
FPB_A64_END(fpb_a64_sm_stop)

FPB_A64_NOTE_GNU_STACK
