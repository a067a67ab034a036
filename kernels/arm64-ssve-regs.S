/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * arm64-ssve-regs.S - streaming SVE save and restore: Z0-Z31 and P0-P15 at the streaming vector
 * length SVL, FPSR and FPCR, and FFR only when asked (ffr != 0: FEAT_SME_FA64).  The image is
 * the SVE one of arm64-sve-regs.S at SVL (fpb_a64_sve_size() in arm64.h); without FFR its FFR
 * bytes are neither read nor written.
 *
 * Only instructions legal in streaming mode without FEAT_SME_FA64 (LDR/STR of Z and P, ADDVL,
 * ADDPL, DUP, PFALSE) plus, behind the ffr flag, RDFFR/WRFFR/SETFFR: so it needs SME, not SVE
 * (an SME CPU without SVE runs it), and PSTATE.SM set.  fpb_a64_ssve_save and _restore are
 * called and return in streaming mode (streaming-compatible in the AAPCS64 sense; their caller,
 * backends/arm64.c, checks SVCR.SM); fpb_a64_ssve_roundtrip enters and leaves streaming mode.
 * As for arm64-sve-regs.S, FFR goes through P0 and is written back before the P registers,
 * only monotonic FFR values round-trip, and d8-d15 are kept for C callers.
 */
#include "arm64-asm.h"

	.arch	armv9-a+sme

/* x9 = P area (32 x SVL in), x10 = FPSR/FPCR words (16-byte boundary after FFR) */
.macro	ssve_areas base
	addvl	x9, \base, #16
	addvl	x9, x9, #16
	addpl	x10, x9, #17
	add	x10, x10, #15
	and	x10, x10, #~15
.endm

/* Save to \base; FFR too when \ffr (a w register) is non-zero.  Uses x9-x11, P0 for FFR. */
.macro	ssve_save_raw base, ffr
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,\
		16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	str	z\n, [\base, #\n, mul vl]
	.endr
	ssve_areas \base
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	str	p\n, [x9, #\n, mul vl]
	.endr
	cbz	\ffr, 7f
	rdffr	p0.b
	str	p0, [x9, #16, mul vl]
	ldr	p0, [x9, #0, mul vl]
7:	mrs	x11, fpsr
	str	w11, [x10]
	mrs	x11, fpcr
	str	w11, [x10, #4]
.endm

/* Load from \base; FFR too when \ffr is non-zero.  FPCR written only when it changes. */
.macro	ssve_load_raw base, ffr
	ssve_areas \base
	cbz	\ffr, 7f
	ldr	p0, [x9, #16, mul vl]
	wrffr	p0.b
7:
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	ldr	p\n, [x9, #\n, mul vl]
	.endr
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,\
		16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ldr	z\n, [\base, #\n, mul vl]
	.endr
	ldr	w11, [x10]
	msr	fpsr, x11
	ldr	w11, [x10, #4]
	mrs	x12, fpcr
	cmp	x11, x12
	b.eq	8f
	msr	fpcr, x11
8:
.endm

/* void fpb_a64_ssve_save(void *buf, unsigned ffr): PSTATE.SM set */
FPB_A64_FUNC(fpb_a64_ssve_save)
	ssve_save_raw x0, w1
	ret
FPB_A64_END(fpb_a64_ssve_save)

/* void fpb_a64_ssve_restore(const void *buf, unsigned ffr): PSTATE.SM set; all but d8-d15 */
FPB_A64_FUNC(fpb_a64_ssve_restore)
	FPB_A64_PUSH_D8_15
	ssve_load_raw x0, w1
	FPB_A64_POP_D8_15
	ret
FPB_A64_END(fpb_a64_ssve_restore)

/*
 * void fpb_a64_ssve_roundtrip(const void *pattern, void *buf, void *out, unsigned ffr)
 * SMSTART SM; load pattern, save to buf, clobber Z, P (FFR when ffr) and FPSR, restore from buf,
 * save to out; SMSTOP SM.  FPCR is the caller's again on return.
 */
FPB_A64_FUNC(fpb_a64_ssve_roundtrip)
	FPB_A64_PUSH_D8_15
	mrs	x13, fpcr
	smstart	sm
	ssve_load_raw x0, w3
	ssve_save_raw x1, w3
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,\
		16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	dup	z\n\().b, #0x5a
	.endr
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	pfalse	p\n\().b
	.endr
	cbz	w3, 1f
	setffr
1:	msr	fpsr, xzr
	msr	fpcr, x13
	ssve_load_raw x1, w3
	ssve_save_raw x2, w3
	smstop	sm
	msr	fpcr, x13
	FPB_A64_POP_D8_15
	ret
FPB_A64_END(fpb_a64_ssve_roundtrip)

FPB_A64_NOTE_GNU_STACK
