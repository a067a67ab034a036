/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * arm64-sme-regs.S - SME: streaming-mode entry and exit (SMSTART SM / SMSTOP SM) and ZA save and
 * restore (STR/LDR ZA[Wv, 0], one horizontal slice of SVL bytes at a time, SVL slices).
 * The ZA image is SVL x SVL bytes, row after row (fpb_a64_za_size() in arm64.h).
 * gcc 12 cannot emit SME itself, hence a .S file with .arch armv9-a+sme.
 *
 * AAPCS64 wants PSTATE.SM clear at every call boundary, so every function here returns in
 * non-streaming mode.  The loops turn ZA on (SMSTART ZA, which zeroes it) and off again
 * (SMSTOP ZA) around their work; fpb_a64_za_restore leaves ZA on for the strategies'
 * primitives, and fpb_a64_za_off turns it off.  Nothing in glibc touches ZA meanwhile.
 */
#include "arm64-asm.h"

	.arch	armv9-a+sme

/* ZA to the image at \base.  Uses w12 (slice index), x13 (SVL), x14 (cursor). */
.macro	za_save_raw base
	rdsvl	x13, #1
	mov	w12, #0
	mov	x14, \base
8:	str	za[w12, 0], [x14]
	add	x14, x14, x13
	add	w12, w12, #1
	cmp	w12, w13
	b.ne	8b
.endm

.macro	za_load_raw base
	rdsvl	x13, #1
	mov	w12, #0
	mov	x14, \base
8:	ldr	za[w12, 0], [x14]
	add	x14, x14, x13
	add	w12, w12, #1
	cmp	w12, w13
	b.ne	8b
.endm

/* unsigned fpb_a64_sme_svl(void): the streaming vector length in bytes (RDSVL) */
FPB_A64_FUNC(fpb_a64_sme_svl)
	rdsvl	x0, #1
	ret
FPB_A64_END(fpb_a64_sme_svl)

/* uint64_t fpb_a64_svcr(void): SVCR (bit 0 SM, bit 1 ZA) */
FPB_A64_FUNC(fpb_a64_svcr)
	mrs	x0, svcr
	ret
FPB_A64_END(fpb_a64_svcr)

/* void fpb_a64_za_save(void *buf): needs PSTATE.ZA set */
FPB_A64_FUNC(fpb_a64_za_save)
	za_save_raw x0
	ret
FPB_A64_END(fpb_a64_za_save)

/* void fpb_a64_za_restore(const void *buf): turns ZA on when off, loads it, leaves it on */
FPB_A64_FUNC(fpb_a64_za_restore)
	mrs	x1, svcr
	tbnz	x1, #1, 1f
	smstart	za
1:	za_load_raw x0
	ret
FPB_A64_END(fpb_a64_za_restore)

/* void fpb_a64_za_off(void): SMSTOP ZA (ZA contents are lost) */
FPB_A64_FUNC(fpb_a64_za_off)
	smstop	za
	ret
FPB_A64_END(fpb_a64_za_off)

/*
 * uint64_t fpb_a64_za_save_loop(void *const *bufs, uint64_t nbufs, uint64_t cur, uint64_t n,
 *				 const void *init)
 * ZA on, loaded from init (NULL: left zero), then n saves into bufs[cur], ... ; ZA off.
 */
FPB_A64_FUNC(fpb_a64_za_save_loop)
	smstart	za
	cbz	x4, 1f
	za_load_raw x4
1:	cbz	x3, 3f
2:	ldr	x5, [x0, x2, lsl #3]
	za_save_raw x5
	add	x2, x2, #1
	cmp	x2, x1
	csel	x2, xzr, x2, eq
	subs	x3, x3, #1
	b.ne	2b
3:	smstop	za
	mov	x0, x2
	ret
FPB_A64_END(fpb_a64_za_save_loop)

/* uint64_t fpb_a64_za_restore_loop(const void *const *bufs, nbufs, cur, n): ZA on, n loads, off */
FPB_A64_FUNC(fpb_a64_za_restore_loop)
	smstart	za
	cbz	x3, 3f
2:	ldr	x5, [x0, x2, lsl #3]
	za_load_raw x5
	add	x2, x2, #1
	cmp	x2, x1
	csel	x2, xzr, x2, eq
	subs	x3, x3, #1
	b.ne	2b
3:	smstop	za
	mov	x0, x2
	ret
FPB_A64_END(fpb_a64_za_restore_loop)

/*
 * void fpb_a64_sme_streaming_loop(uint64_t n): n streaming-mode entries and exits.
 * SMSTART SM and SMSTOP SM each set the Z, P and FFR registers to zero.
 */
FPB_A64_FUNC(fpb_a64_sme_streaming_loop)
	FPB_A64_PUSH_D8_15
	cbz	x0, 2f
1:	smstart	sm
	smstop	sm
	subs	x0, x0, #1
	b.ne	1b
2:	FPB_A64_POP_D8_15
	ret
FPB_A64_END(fpb_a64_sme_streaming_loop)

/*
 * void fpb_a64_za_roundtrip(const void *pattern, void *buf, void *out)
 * ZA on; load pattern, save to buf, ZERO {ZA}, restore from buf, save to out; ZA off.
 */
FPB_A64_FUNC(fpb_a64_za_roundtrip)
	smstart	za
	za_load_raw x0
	za_save_raw x1
	zero	{za}
	za_load_raw x1
	za_save_raw x2
	smstop	za
	ret
FPB_A64_END(fpb_a64_za_roundtrip)

FPB_A64_NOTE_GNU_STACK
