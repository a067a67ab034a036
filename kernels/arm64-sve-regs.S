/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * arm64-sve-regs.S - SVE save and restore at the current vector length VL (bytes): Z0-Z31, P0-P15,
 * FFR, FPSR and FPCR.  Image layout (fpb_a64_sve_size() in arm64.h):
 *   Z0-Z31 at 0 (32 x VL), P0-P15 at 32*VL (16 x VL/8), FFR at 34*VL (VL/8),
 *   FPSR and FPCR as 32-bit words at the next 16-byte boundary.
 * Like Linux's sve_save_state, FFR goes through P0 (RDFFR, then P0 is reloaded) and is written
 * back with WRFFR before the P registers are loaded.  WRFFR needs a monotonic predicate (ones,
 * then zeros): only such FFR values round-trip.  Non-streaming mode only.
 * d8-d15 (low halves of Z8-Z15) are kept for C callers as in arm64-fpsimd-regs.S.
 */
#include "arm64-asm.h"

	.arch	armv8.2-a+sve

/* x9 = P area of the image at \base */
.macro	sve_parea base
	addvl	x9, \base, #16
	addvl	x9, x9, #16
.endm

/* x10 = FPSR/FPCR words of the image (x9 must hold the P area) */
.macro	sve_fpregs
	addpl	x10, x9, #17
	add	x10, x10, #15
	and	x10, x10, #~15
.endm

.macro	sve_save_raw base
	str	z0, [\base, #0, mul vl]
	str	z1, [\base, #1, mul vl]
	str	z2, [\base, #2, mul vl]
	str	z3, [\base, #3, mul vl]
	str	z4, [\base, #4, mul vl]
	str	z5, [\base, #5, mul vl]
	str	z6, [\base, #6, mul vl]
	str	z7, [\base, #7, mul vl]
	str	z8, [\base, #8, mul vl]
	str	z9, [\base, #9, mul vl]
	str	z10, [\base, #10, mul vl]
	str	z11, [\base, #11, mul vl]
	str	z12, [\base, #12, mul vl]
	str	z13, [\base, #13, mul vl]
	str	z14, [\base, #14, mul vl]
	str	z15, [\base, #15, mul vl]
	str	z16, [\base, #16, mul vl]
	str	z17, [\base, #17, mul vl]
	str	z18, [\base, #18, mul vl]
	str	z19, [\base, #19, mul vl]
	str	z20, [\base, #20, mul vl]
	str	z21, [\base, #21, mul vl]
	str	z22, [\base, #22, mul vl]
	str	z23, [\base, #23, mul vl]
	str	z24, [\base, #24, mul vl]
	str	z25, [\base, #25, mul vl]
	str	z26, [\base, #26, mul vl]
	str	z27, [\base, #27, mul vl]
	str	z28, [\base, #28, mul vl]
	str	z29, [\base, #29, mul vl]
	str	z30, [\base, #30, mul vl]
	str	z31, [\base, #31, mul vl]
	sve_parea \base
	str	p0, [x9, #0, mul vl]
	str	p1, [x9, #1, mul vl]
	str	p2, [x9, #2, mul vl]
	str	p3, [x9, #3, mul vl]
	str	p4, [x9, #4, mul vl]
	str	p5, [x9, #5, mul vl]
	str	p6, [x9, #6, mul vl]
	str	p7, [x9, #7, mul vl]
	str	p8, [x9, #8, mul vl]
	str	p9, [x9, #9, mul vl]
	str	p10, [x9, #10, mul vl]
	str	p11, [x9, #11, mul vl]
	str	p12, [x9, #12, mul vl]
	str	p13, [x9, #13, mul vl]
	str	p14, [x9, #14, mul vl]
	str	p15, [x9, #15, mul vl]
	rdffr	p0.b
	str	p0, [x9, #16, mul vl]
	ldr	p0, [x9, #0, mul vl]
	sve_fpregs
	mrs	x11, fpsr
	str	w11, [x10]
	mrs	x11, fpcr
	str	w11, [x10, #4]
.endm

.macro	sve_load_raw base
	sve_parea \base
	ldr	p0, [x9, #16, mul vl]
	wrffr	p0.b
	ldr	p0, [x9, #0, mul vl]
	ldr	p1, [x9, #1, mul vl]
	ldr	p2, [x9, #2, mul vl]
	ldr	p3, [x9, #3, mul vl]
	ldr	p4, [x9, #4, mul vl]
	ldr	p5, [x9, #5, mul vl]
	ldr	p6, [x9, #6, mul vl]
	ldr	p7, [x9, #7, mul vl]
	ldr	p8, [x9, #8, mul vl]
	ldr	p9, [x9, #9, mul vl]
	ldr	p10, [x9, #10, mul vl]
	ldr	p11, [x9, #11, mul vl]
	ldr	p12, [x9, #12, mul vl]
	ldr	p13, [x9, #13, mul vl]
	ldr	p14, [x9, #14, mul vl]
	ldr	p15, [x9, #15, mul vl]
	ldr	z0, [\base, #0, mul vl]
	ldr	z1, [\base, #1, mul vl]
	ldr	z2, [\base, #2, mul vl]
	ldr	z3, [\base, #3, mul vl]
	ldr	z4, [\base, #4, mul vl]
	ldr	z5, [\base, #5, mul vl]
	ldr	z6, [\base, #6, mul vl]
	ldr	z7, [\base, #7, mul vl]
	ldr	z8, [\base, #8, mul vl]
	ldr	z9, [\base, #9, mul vl]
	ldr	z10, [\base, #10, mul vl]
	ldr	z11, [\base, #11, mul vl]
	ldr	z12, [\base, #12, mul vl]
	ldr	z13, [\base, #13, mul vl]
	ldr	z14, [\base, #14, mul vl]
	ldr	z15, [\base, #15, mul vl]
	ldr	z16, [\base, #16, mul vl]
	ldr	z17, [\base, #17, mul vl]
	ldr	z18, [\base, #18, mul vl]
	ldr	z19, [\base, #19, mul vl]
	ldr	z20, [\base, #20, mul vl]
	ldr	z21, [\base, #21, mul vl]
	ldr	z22, [\base, #22, mul vl]
	ldr	z23, [\base, #23, mul vl]
	ldr	z24, [\base, #24, mul vl]
	ldr	z25, [\base, #25, mul vl]
	ldr	z26, [\base, #26, mul vl]
	ldr	z27, [\base, #27, mul vl]
	ldr	z28, [\base, #28, mul vl]
	ldr	z29, [\base, #29, mul vl]
	ldr	z30, [\base, #30, mul vl]
	ldr	z31, [\base, #31, mul vl]
	sve_fpregs
	ldr	w11, [x10]
	msr	fpsr, x11
	ldr	w11, [x10, #4]
	mrs	x12, fpcr
	cmp	x11, x12
	b.eq	9f
	msr	fpcr, x11
9:
.endm

.macro	sve_clobber
	dup	z0.b, #0x5a
	dup	z1.b, #0x5a
	dup	z2.b, #0x5a
	dup	z3.b, #0x5a
	dup	z4.b, #0x5a
	dup	z5.b, #0x5a
	dup	z6.b, #0x5a
	dup	z7.b, #0x5a
	dup	z8.b, #0x5a
	dup	z9.b, #0x5a
	dup	z10.b, #0x5a
	dup	z11.b, #0x5a
	dup	z12.b, #0x5a
	dup	z13.b, #0x5a
	dup	z14.b, #0x5a
	dup	z15.b, #0x5a
	dup	z16.b, #0x5a
	dup	z17.b, #0x5a
	dup	z18.b, #0x5a
	dup	z19.b, #0x5a
	dup	z20.b, #0x5a
	dup	z21.b, #0x5a
	dup	z22.b, #0x5a
	dup	z23.b, #0x5a
	dup	z24.b, #0x5a
	dup	z25.b, #0x5a
	dup	z26.b, #0x5a
	dup	z27.b, #0x5a
	dup	z28.b, #0x5a
	dup	z29.b, #0x5a
	dup	z30.b, #0x5a
	dup	z31.b, #0x5a
	pfalse	p0.b
	pfalse	p1.b
	pfalse	p2.b
	pfalse	p3.b
	pfalse	p4.b
	pfalse	p5.b
	pfalse	p6.b
	pfalse	p7.b
	pfalse	p8.b
	pfalse	p9.b
	pfalse	p10.b
	pfalse	p11.b
	pfalse	p12.b
	pfalse	p13.b
	pfalse	p14.b
	pfalse	p15.b
	setffr
	msr	fpsr, xzr
.endm

/* unsigned fpb_a64_sve_vl(void): the current SVE vector length in bytes (RDVL) */
FPB_A64_FUNC(fpb_a64_sve_vl)
	rdvl	x0, #1
	ret
FPB_A64_END(fpb_a64_sve_vl)

/* void fpb_a64_sve_save(void *buf) */
FPB_A64_FUNC(fpb_a64_sve_save)
	sve_save_raw x0
	ret
FPB_A64_END(fpb_a64_sve_save)

/* void fpb_a64_sve_restore(const void *buf): all but d8-d15 (callee-saved) */
FPB_A64_FUNC(fpb_a64_sve_restore)
	FPB_A64_PUSH_D8_15
	sve_load_raw x0
	FPB_A64_POP_D8_15
	ret
FPB_A64_END(fpb_a64_sve_restore)

/* uint64_t fpb_a64_sve_save_loop(void *const *bufs, uint64_t nbufs, uint64_t cur, uint64_t n) */
FPB_A64_FUNC(fpb_a64_sve_save_loop)
	cbz	x3, 2f
1:	ldr	x4, [x0, x2, lsl #3]
	sve_save_raw x4
	add	x2, x2, #1
	cmp	x2, x1
	csel	x2, xzr, x2, eq
	subs	x3, x3, #1
	b.ne	1b
2:	mov	x0, x2
	ret
FPB_A64_END(fpb_a64_sve_save_loop)

/* uint64_t fpb_a64_sve_restore_loop(const void *const *bufs, nbufs, cur, n) */
FPB_A64_FUNC(fpb_a64_sve_restore_loop)
	FPB_A64_PUSH_D8_15
	cbz	x3, 2f
1:	ldr	x4, [x0, x2, lsl #3]
	sve_load_raw x4
	add	x2, x2, #1
	cmp	x2, x1
	csel	x2, xzr, x2, eq
	subs	x3, x3, #1
	b.ne	1b
2:	mov	x0, x2
	FPB_A64_POP_D8_15
	ret
FPB_A64_END(fpb_a64_sve_restore_loop)

/*
 * void fpb_a64_sve_roundtrip(const void *pattern, void *buf, void *out)
 * Load pattern, save to buf, clobber Z, P, FFR and FPSR, restore from buf, save to out.
 */
FPB_A64_FUNC(fpb_a64_sve_roundtrip)
	FPB_A64_PUSH_D8_15
	mrs	x13, fpcr
	sve_load_raw x0
	sve_save_raw x1
	sve_clobber
	msr	fpcr, x13
	sve_load_raw x1
	sve_save_raw x2
	msr	fpcr, x13
	FPB_A64_POP_D8_15
	ret
FPB_A64_END(fpb_a64_sve_roundtrip)

FPB_A64_NOTE_GNU_STACK
