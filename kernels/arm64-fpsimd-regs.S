/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * arm64-fpsimd-regs.S - FPSIMD save and restore: V0-V31 through stp/ldp of Q registers, plus FPSR
 * and FPCR, into a 528-byte image laid out like Linux's struct user_fpsimd_state
 * (32 x 16 bytes of V, then FPSR and FPCR as 32-bit words).
 *
 * The raw macros move every register.  The C-callable restore keeps d8-d15 (the low halves of
 * V8-V15 are callee-saved in AAPCS64), so from C the image's d8-d15 are not visible afterwards;
 * the loops and the round trip run entirely here and move all 32 registers.
 * FPCR is written only when it changes, as Linux does: the write can be costly.
 */
#include "arm64-asm.h"

	.arch	armv8-a

.macro	fpsimd_save_raw base
	stp	q0, q1, [\base, #0]
	stp	q2, q3, [\base, #32]
	stp	q4, q5, [\base, #64]
	stp	q6, q7, [\base, #96]
	stp	q8, q9, [\base, #128]
	stp	q10, q11, [\base, #160]
	stp	q12, q13, [\base, #192]
	stp	q14, q15, [\base, #224]
	stp	q16, q17, [\base, #256]
	stp	q18, q19, [\base, #288]
	stp	q20, q21, [\base, #320]
	stp	q22, q23, [\base, #352]
	stp	q24, q25, [\base, #384]
	stp	q26, q27, [\base, #416]
	stp	q28, q29, [\base, #448]
	stp	q30, q31, [\base, #480]
	mrs	x9, fpsr
	mrs	x10, fpcr
	str	w9, [\base, #512]
	str	w10, [\base, #516]
.endm

.macro	fpsimd_load_raw base
	ldp	q0, q1, [\base, #0]
	ldp	q2, q3, [\base, #32]
	ldp	q4, q5, [\base, #64]
	ldp	q6, q7, [\base, #96]
	ldp	q8, q9, [\base, #128]
	ldp	q10, q11, [\base, #160]
	ldp	q12, q13, [\base, #192]
	ldp	q14, q15, [\base, #224]
	ldp	q16, q17, [\base, #256]
	ldp	q18, q19, [\base, #288]
	ldp	q20, q21, [\base, #320]
	ldp	q22, q23, [\base, #352]
	ldp	q24, q25, [\base, #384]
	ldp	q26, q27, [\base, #416]
	ldp	q28, q29, [\base, #448]
	ldp	q30, q31, [\base, #480]
	ldr	w9, [\base, #512]
	ldr	w10, [\base, #516]
	msr	fpsr, x9
	mrs	x11, fpcr
	cmp	x10, x11
	b.eq	9f
	msr	fpcr, x10
9:
.endm

/* Every V register to a fixed garbage value (for the round trip). */
.macro	fpsimd_clobber
	movi	v0.16b, #0x5a
	movi	v1.16b, #0x5a
	movi	v2.16b, #0x5a
	movi	v3.16b, #0x5a
	movi	v4.16b, #0x5a
	movi	v5.16b, #0x5a
	movi	v6.16b, #0x5a
	movi	v7.16b, #0x5a
	movi	v8.16b, #0x5a
	movi	v9.16b, #0x5a
	movi	v10.16b, #0x5a
	movi	v11.16b, #0x5a
	movi	v12.16b, #0x5a
	movi	v13.16b, #0x5a
	movi	v14.16b, #0x5a
	movi	v15.16b, #0x5a
	movi	v16.16b, #0x5a
	movi	v17.16b, #0x5a
	movi	v18.16b, #0x5a
	movi	v19.16b, #0x5a
	movi	v20.16b, #0x5a
	movi	v21.16b, #0x5a
	movi	v22.16b, #0x5a
	movi	v23.16b, #0x5a
	movi	v24.16b, #0x5a
	movi	v25.16b, #0x5a
	movi	v26.16b, #0x5a
	movi	v27.16b, #0x5a
	movi	v28.16b, #0x5a
	movi	v29.16b, #0x5a
	movi	v30.16b, #0x5a
	movi	v31.16b, #0x5a
	msr	fpsr, xzr
.endm

/* void fpb_a64_fpsimd_save(void *buf) */
FPB_A64_FUNC(fpb_a64_fpsimd_save)
	fpsimd_save_raw x0
	ret
FPB_A64_END(fpb_a64_fpsimd_save)

/* void fpb_a64_fpsimd_restore(const void *buf): all but d8-d15 (callee-saved) */
FPB_A64_FUNC(fpb_a64_fpsimd_restore)
	FPB_A64_PUSH_D8_15
	fpsimd_load_raw x0
	FPB_A64_POP_D8_15
	ret
FPB_A64_END(fpb_a64_fpsimd_restore)

/*
 * uint64_t fpb_a64_fpsimd_save_loop(void *const *bufs, uint64_t nbufs, uint64_t cur, uint64_t n)
 * n saves into bufs[cur], bufs[cur + 1], ... (wrapping at nbufs); returns the next cur.
 */
FPB_A64_FUNC(fpb_a64_fpsimd_save_loop)
	cbz	x3, 2f
1:	ldr	x4, [x0, x2, lsl #3]
	fpsimd_save_raw x4
	add	x2, x2, #1
	cmp	x2, x1
	csel	x2, xzr, x2, eq
	subs	x3, x3, #1
	b.ne	1b
2:	mov	x0, x2
	ret
FPB_A64_END(fpb_a64_fpsimd_save_loop)

/* uint64_t fpb_a64_fpsimd_restore_loop(const void *const *bufs, nbufs, cur, n): as above */
FPB_A64_FUNC(fpb_a64_fpsimd_restore_loop)
	FPB_A64_PUSH_D8_15
	cbz	x3, 2f
1:	ldr	x4, [x0, x2, lsl #3]
	fpsimd_load_raw x4
	add	x2, x2, #1
	cmp	x2, x1
	csel	x2, xzr, x2, eq
	subs	x3, x3, #1
	b.ne	1b
2:	mov	x0, x2
	FPB_A64_POP_D8_15
	ret
FPB_A64_END(fpb_a64_fpsimd_restore_loop)

/*
 * void fpb_a64_fpsimd_roundtrip(const void *pattern, void *buf, void *out)
 * Load pattern, save to buf, clobber every register, restore from buf, save to out.
 */
FPB_A64_FUNC(fpb_a64_fpsimd_roundtrip)
	FPB_A64_PUSH_D8_15
	mrs	x12, fpcr
	fpsimd_load_raw x0
	fpsimd_save_raw x1
	fpsimd_clobber
	msr	fpcr, x12
	fpsimd_load_raw x1
	fpsimd_save_raw x2
	msr	fpcr, x12
	FPB_A64_POP_D8_15
	ret
FPB_A64_END(fpb_a64_fpsimd_roundtrip)

FPB_A64_NOTE_GNU_STACK
