/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * xstate.h - XSAVE state components, buffer layouts and the standard <-> compacted converter.
 *
 * Print-free and libc-free apart from fpb_env.h: the kernel module and the strategies share it.
 */
#ifndef FPB_XSTATE_H
#define FPB_XSTATE_H

#include "fpb_env.h"

struct fpb_cpu;

/* Component numbers (bit positions in XCR0 / IA32_XSS / XSTATE_BV). */
enum fpb_xfeature {
	FPB_XF_X87 = 0,
	FPB_XF_SSE = 1,
	FPB_XF_AVX = 2,		/* YMM_Hi128 */
	FPB_XF_BNDREGS = 3,
	FPB_XF_BNDCSR = 4,
	FPB_XF_OPMASK = 5,
	FPB_XF_ZMM_HI256 = 6,
	FPB_XF_HI16_ZMM = 7,
	FPB_XF_PT = 8,
	FPB_XF_PKRU = 9,
	FPB_XF_PASID = 10,
	FPB_XF_CET_U = 11,
	FPB_XF_CET_S = 12,
	FPB_XF_HDC = 13,
	FPB_XF_UINTR = 14,
	FPB_XF_LBR = 15,
	FPB_XF_HWP = 16,
	FPB_XF_TILECFG = 17,
	FPB_XF_TILEDATA = 18,
	FPB_XF_APX = 19,
};

#define FPB_XMASK_AVX512	(FPB_BIT(FPB_XF_OPMASK) | FPB_BIT(FPB_XF_ZMM_HI256) | \
				 FPB_BIT(FPB_XF_HI16_ZMM))
#define FPB_XMASK_AMX		(FPB_BIT(FPB_XF_TILECFG) | FPB_BIT(FPB_XF_TILEDATA))
#define FPB_XCOMP_BV_COMPACTED	FPB_BIT(63)

/* Name of component n ("x87", "sse", "avx", "opmask", "zmm_hi256", ...) or "bit<n>". */
const char *fpb_xfeature_name(unsigned n);

#define FPB_XSAVE_LEGACY_SIZE	512
#define FPB_XSAVE_HDR_SIZE	64
#define FPB_XSAVE_HDR_OFFSET	512
#define FPB_XSAVE_EXT_OFFSET	576

/* MXCSR in the legacy region, and its value at reset and in the init state (SDM vol. 1, 13.6). */
#define FPB_MXCSR_OFFSET	24
#define FPB_MXCSR_DEFAULT	0x1f80u

struct fpb_xsave_hdr {
	uint64_t xstate_bv;
	uint64_t xcomp_bv;
	uint64_t reserved[6];
};

static inline struct fpb_xsave_hdr *fpb_xsave_hdr(void *buf)
{
	return (struct fpb_xsave_hdr *)((char *)buf + FPB_XSAVE_HDR_OFFSET);
}

/*
 * Offsets of each component of mask in the compacted format for XCOMP_BV = mask, computed from the
 * sizes and 64-byte alignment bits of cpu.  offsets[i] is 0 for components not in mask.
 * Returns the total compacted size (legacy area + header + components).
 */
uint32_t fpb_xstate_compacted_layout(const struct fpb_cpu *cpu, uint64_t mask,
				     uint32_t offsets[64]);

/* Standard-format size needed for mask (max over std_offset + size, at least 576). */
uint32_t fpb_xstate_standard_size(const struct fpb_cpu *cpu, uint64_t mask);

/*
 * Check a compacted buffer's header against the architectural rules: XCOMP_BV bit 63 set,
 * XCOMP_BV within allowed (XCR0 | IA32_XSS), XSTATE_BV within XCOMP_BV, reserved bytes zero.
 * Returns 0, or -EINVAL with a one-line reason.
 */
int fpb_xstate_check_compacted(const void *buf, uint64_t allowed, char *why, size_t len);

/* Same for a standard-format buffer: XCOMP_BV zero, XSTATE_BV within allowed, reserved zero. */
int fpb_xstate_check_standard(const void *buf, uint64_t allowed, char *why, size_t len);

/*
 * Convert between the formats.  dst must be large enough for the target layout; components not
 * in XSTATE_BV are not copied (they are in their init state).  xcomp_bv is the compacted buffer's
 * XCOMP_BV without bit 63.  Return 0 or -EINVAL (why says what broke a rule).
 */
int fpb_xstate_to_compacted(const struct fpb_cpu *cpu, void *dst, size_t dst_len,
			    const void *std, uint64_t xcomp_bv, char *why, size_t len);
int fpb_xstate_to_standard(const struct fpb_cpu *cpu, void *dst, size_t dst_len,
			   const void *cmp, char *why, size_t len);

/*
 * The MXCSR value buf holds: its MXCSR field, except in a compacted buffer without SSE in
 * XSTATE_BV, where the field is not state: XSAVEC and XSAVES save MXCSR with component 1 only
 * (RFBM[1] = XINUSE[1] = 1), so they may leave it stale, and a compacted XRSTOR then sets MXCSR to
 * 0x1f80 (SDM vol. 1, 13.8.2 and 13.10).  A standard XRSTOR loads the field whenever RFBM[1] or
 * RFBM[2] is set, whatever XSTATE_BV says.  (Linux's copy to the user ABI tests SSE or AVX,
 * xfeatures_mxcsr_quirk; the two agree wherever a non-default MXCSR marks SSE in use.)
 */
uint32_t fpb_xstate_mxcsr(const void *buf);

/* Copy callback of fpb_xstate_convert: 0 or a negative error, which the conversion returns. */
typedef int (*fpb_xstate_copy_fn)(void *arg, void *dst, const void *src, size_t n);

/*
 * The converter both functions above and the strategies use: src (standard or compacted, by its
 * header) into dst in the standard format (dst_xcomp 0) or the compacted format (dst_xcomp is
 * the XCOMP_BV to write, bit 63 set).  Carries the legacy region and each component in use that
 * keep and dst's layout both hold; others end up in their init state (XSTATE_BV clear) and, as
 * Linux's copy to the user ABI does, hold their init values in dst (x87 FCW 0x37f, zeros; for a
 * standard dst, every user component of XCR0 that fits in dst_len).  MXCSR follows
 * fpb_xstate_mxcsr(src): a compacted source without SSE in XSTATE_BV gives 0x1f80, never its
 * stale field.  Data moves through copy(arg, ...) (once for the legacy region, once a
 * component) so a caller can count it or keep vector registers untouched; the header and the
 * init values are written directly.  Returns 0, -EINVAL (why says which rule broke) or copy's error.
 */
int fpb_xstate_convert(const struct fpb_cpu *cpu, void *dst, size_t dst_len, uint64_t dst_xcomp,
		       const void *src, uint64_t keep, fpb_xstate_copy_fn copy, void *arg,
		       char *why, size_t len);

/*
 * Parse a requested-feature mask: "all", a comma list of names (x87, sse, avx, avx512, opmask,
 * zmm_hi256, hi16_zmm, pkru, amx, ...) or a hex value ("0x7").  Returns 0 or -EINVAL.
 */
int fpb_xstate_parse_mask(const char *s, uint64_t xcr0, uint64_t *out, char *why, size_t len);

/* Short name of a mask for tables: "all", "sse", "avx", "avx512" when it matches, else hex. */
void fpb_xstate_mask_name(uint64_t mask, uint64_t xcr0, char *buf, size_t len);

#endif /* FPB_XSTATE_H */
