/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * arm64.h - the arm64 register-state primitives (kernels/arm64-*.S), image sizes and the
 * vector-length helpers (kernels/arm64-vl.c) shared by the arm64 kernels, the arm64 backend,
 * the arm64 strategies' primitives and tests/check_arm64_roundtrip.c.
 *
 * Every *_loop function does n operations over bufs[cur], bufs[cur + 1], ... wrapping at nbufs,
 * and returns the next cur; the whole loop is one assembler routine, so the timed body never
 * returns to C between operations.
 */
#ifndef FPB_ARM64_H
#define FPB_ARM64_H

#include "fpb_env.h"
#include "kernel.h"

#define FPB_A64_FPSIMD_SIZE	528	/* 32 x 16 bytes of V, FPSR, FPCR, 8 bytes pad */
#define FPB_A64_VL_MIN		16	/* SVE/SME vector lengths are multiples of 16 bytes */
#define FPB_A64_VL_MAX		256	/* 2048 bits: the architectural maximum */
#define FPB_A64_MAX_VLS		(FPB_A64_VL_MAX / FPB_A64_VL_MIN)

/* Which register file a kernel or a vector length belongs to. */
enum fpb_a64_kind {
	FPB_A64_FPSIMD,		/* V0-V31, FPSR, FPCR */
	FPB_A64_SVE,		/* Z0-Z31, P0-P15, FFR at the SVE vector length */
	FPB_A64_SME,		/* ZA and streaming mode at the streaming vector length */
};

/* SVE image: Z, P, FFR, then FPSR/FPCR at the next 16-byte boundary (arm64-sve-regs.S). */
static inline size_t fpb_a64_sve_size(unsigned vl)
{
	return FPB_ALIGN_UP((size_t)34 * vl + vl / 8, (size_t)16) + 16;
}

static inline size_t fpb_a64_sve_p_offset(unsigned vl)
{
	return (size_t)32 * vl;
}

static inline size_t fpb_a64_sve_ffr_offset(unsigned vl)
{
	return (size_t)34 * vl;
}

static inline size_t fpb_a64_sve_fpregs_offset(unsigned vl)
{
	return FPB_ALIGN_UP((size_t)34 * vl + vl / 8, (size_t)16);
}

/* ZA image: SVL slices of SVL bytes. */
static inline size_t fpb_a64_za_size(unsigned svl)
{
	return (size_t)svl * svl;
}

/* arm64-fpsimd-regs.S */
void fpb_a64_fpsimd_save(void *buf);
void fpb_a64_fpsimd_restore(const void *buf);
uint64_t fpb_a64_fpsimd_save_loop(void *const *bufs, uint64_t nbufs, uint64_t cur, uint64_t n);
uint64_t fpb_a64_fpsimd_restore_loop(void *const *bufs, uint64_t nbufs, uint64_t cur,
				     uint64_t n);
void fpb_a64_fpsimd_roundtrip(const void *pattern, void *buf, void *out);

/* arm64-sve-regs.S (need SVE) */
unsigned fpb_a64_sve_vl(void);
void fpb_a64_sve_save(void *buf);
void fpb_a64_sve_restore(const void *buf);
uint64_t fpb_a64_sve_save_loop(void *const *bufs, uint64_t nbufs, uint64_t cur, uint64_t n);
uint64_t fpb_a64_sve_restore_loop(void *const *bufs, uint64_t nbufs, uint64_t cur, uint64_t n);
void fpb_a64_sve_roundtrip(const void *pattern, void *buf, void *out);

/* arm64-sme-regs.S (need SME) */
unsigned fpb_a64_sme_svl(void);
uint64_t fpb_a64_svcr(void);
void fpb_a64_za_save(void *buf);
void fpb_a64_za_restore(const void *buf);
void fpb_a64_za_off(void);
uint64_t fpb_a64_za_save_loop(void *const *bufs, uint64_t nbufs, uint64_t cur, uint64_t n,
			      const void *init);
uint64_t fpb_a64_za_restore_loop(void *const *bufs, uint64_t nbufs, uint64_t cur, uint64_t n);
void fpb_a64_sme_streaming_loop(uint64_t n);
void fpb_a64_za_roundtrip(const void *pattern, void *buf, void *out);

/*
 * arm64-ssve-regs.S (need SME and PSTATE.SM set; _roundtrip sets it itself): the SVE image at
 * the streaming vector length, FFR only when ffr (FEAT_SME_FA64), else its bytes untouched.
 */
void fpb_a64_ssve_save(void *buf, unsigned ffr);
void fpb_a64_ssve_restore(const void *buf, unsigned ffr);
void fpb_a64_ssve_roundtrip(const void *pattern, void *buf, void *out, unsigned ffr);

#define FPB_A64_SVCR_SM		FPB_BIT(0)
#define FPB_A64_SVCR_ZA		FPB_BIT(1)

/* arm64-vl.c */
/* Is the extension there (getauxval AT_HWCAP/AT_HWCAP2)?  Fill why when not. */
bool fpb_a64_has(enum fpb_a64_kind kind, char *why, size_t len);
/* Every vector length (bytes) the system offers for kind, ascending; returns the count. */
size_t fpb_a64_vls(enum fpb_a64_kind kind, unsigned *out, size_t max);
/* The thread's current vector length for kind (bytes); 0 when absent. */
unsigned fpb_a64_vl_get(enum fpb_a64_kind kind);
/* Set the thread's vector length (prctl); 0 when exactly vl is now in force, else -errno. */
int fpb_a64_vl_set(enum fpb_a64_kind kind, unsigned vl);
/* The register file an arm64 kernel works on (by table entry); FPSIMD for anything else. */
enum fpb_a64_kind fpb_a64_kernel_kind(const struct fpb_kernel *k);
/* Image size for kernel k at vector length vl (bytes). */
size_t fpb_a64_kernel_buf_size(const struct fpb_kernel *k, unsigned vl);

#endif /* FPB_ARM64_H */
