// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64-vl.c - which arm64 register files exist (HWCAP), which vector lengths the system offers
 * (prctl PR_SVE_SET_VL / PR_SME_SET_VL, probed from the top down as the kernel rounds a request
 * down to the next length it supports), and the arm64 kernels' image sizes.
 * Built on every architecture: elsewhere fpb_kernel_vls() answers "no vector lengths".
 */
#include "kernel.h"

#if defined(__aarch64__)
#include <sys/auxv.h>
#include <sys/prctl.h>
#include "arm64.h"

#ifndef HWCAP_ASIMD
#define HWCAP_ASIMD		(1UL << 1)
#endif
#ifndef HWCAP_SVE
#define HWCAP_SVE		(1UL << 22)
#endif
#ifndef HWCAP2_SME
#define HWCAP2_SME		(1UL << 23)
#endif
#ifndef PR_SVE_SET_VL
#define PR_SVE_SET_VL		50
#define PR_SVE_GET_VL		51
#endif
#ifndef PR_SME_SET_VL
#define PR_SME_SET_VL		63
#define PR_SME_GET_VL		64
#endif
#define FPB_PR_VL_LEN_MASK	0xffff

extern const struct fpb_kernel fpb_kernel_sve_save, fpb_kernel_sve_restore;
extern const struct fpb_kernel fpb_kernel_sme_streaming, fpb_kernel_za_save,
	fpb_kernel_za_restore;

/* fpb_a64_has() - is kind available here (HWCAP bits)?  Fills why when not. */
bool fpb_a64_has(enum fpb_a64_kind kind, char *why, size_t len)
{
	switch (kind) {
	case FPB_A64_FPSIMD:
		if (getauxval(AT_HWCAP) & HWCAP_ASIMD)
			return true;
		fpb_snprintf(why, len, "no FPSIMD (HWCAP_ASIMD clear)");
		return false;
	case FPB_A64_SVE:
		if (getauxval(AT_HWCAP) & HWCAP_SVE)
			return true;
		fpb_snprintf(why, len, "no SVE on this CPU (HWCAP_SVE clear)");
		return false;
	case FPB_A64_SME:
		if (getauxval(AT_HWCAP2) & HWCAP2_SME)
			return true;
		fpb_snprintf(why, len, "no SME on this CPU (HWCAP2_SME clear)");
		return false;
	}
	fpb_snprintf(why, len, "unknown register file");
	return false;
}

static int vl_op(enum fpb_a64_kind kind, bool set, unsigned vl)
{
	if (kind == FPB_A64_SVE)
		return set ? prctl(PR_SVE_SET_VL, vl, 0, 0, 0) : prctl(PR_SVE_GET_VL, 0, 0, 0, 0);
	if (kind == FPB_A64_SME)
		return set ? prctl(PR_SME_SET_VL, vl, 0, 0, 0) : prctl(PR_SME_GET_VL, 0, 0, 0, 0);
	return -1;
}

/* fpb_a64_vl_get() - the thread's vector length for kind in bytes; 0 when absent. */
unsigned fpb_a64_vl_get(enum fpb_a64_kind kind)
{
	int r;

	if (kind == FPB_A64_FPSIMD)
		return 16;
	if (!fpb_a64_has(kind, NULL, 0))
		return 0;
	r = vl_op(kind, false, 0);
	return r < 0 ? 0 : (unsigned)r & FPB_PR_VL_LEN_MASK;
}

/* fpb_a64_vl_set() - set the thread's vector length; 0 when vl is in force, else -errno. */
int fpb_a64_vl_set(enum fpb_a64_kind kind, unsigned vl)
{
	int r;

	if (kind == FPB_A64_FPSIMD)
		return vl == 16 ? 0 : -EINVAL;
	if (!fpb_a64_has(kind, NULL, 0))
		return -EOPNOTSUPP;
	if (fpb_a64_vl_get(kind) == vl)
		return 0;
	r = vl_op(kind, true, vl);
	if (r < 0)
		return -errno;
	return ((unsigned)r & FPB_PR_VL_LEN_MASK) == vl ? 0 : -EINVAL;
}

/* fpb_a64_vls() - every vector length offered for kind, ascending; the thread's is kept. */
size_t fpb_a64_vls(enum fpb_a64_kind kind, unsigned *out, size_t max)
{
	unsigned found[FPB_A64_MAX_VLS], keep, vl = FPB_A64_VL_MAX;
	size_t n = 0, i;

	if (kind == FPB_A64_FPSIMD) {
		if (max)
			out[0] = 16;
		return max ? 1 : 0;
	}
	keep = fpb_a64_vl_get(kind);
	if (!keep)
		return 0;
	while (vl >= FPB_A64_VL_MIN && n < FPB_A64_MAX_VLS) {
		int r = vl_op(kind, true, vl);
		unsigned got;

		if (r < 0)
			break;
		got = (unsigned)r & FPB_PR_VL_LEN_MASK;
		if (got < FPB_A64_VL_MIN || got > vl)
			break;
		found[n++] = got;
		vl = got - FPB_A64_VL_MIN;
	}
	vl_op(kind, true, keep);
	for (i = 0; i < n && i < max; i++)
		out[i] = found[n - 1 - i];
	return i;
}

/* fpb_a64_kernel_kind() - the register file kernel k works on. */
enum fpb_a64_kind fpb_a64_kernel_kind(const struct fpb_kernel *k)
{
	if (k == &fpb_kernel_sve_save || k == &fpb_kernel_sve_restore)
		return FPB_A64_SVE;
	if (k == &fpb_kernel_sme_streaming || k == &fpb_kernel_za_save ||
	    k == &fpb_kernel_za_restore)
		return FPB_A64_SME;
	return FPB_A64_FPSIMD;
}

/* fpb_a64_kernel_buf_size() - bytes of one image for kernel k at vector length vl. */
size_t fpb_a64_kernel_buf_size(const struct fpb_kernel *k, unsigned vl)
{
	if (k == &fpb_kernel_sve_save || k == &fpb_kernel_sve_restore)
		return fpb_a64_sve_size(vl);
	if (k == &fpb_kernel_za_save || k == &fpb_kernel_za_restore)
		return fpb_a64_za_size(vl);
	return FPB_A64_FPSIMD_SIZE;
}

size_t fpb_kernel_vls(const struct fpb_kernel *k, unsigned want, unsigned *out, size_t max)
{
	unsigned all[FPB_A64_MAX_VLS];
	size_t n, i;

	if (!k || !(k->flags & FPB_K_USES_VL) || !max)
		return 0;
	n = fpb_a64_vls(fpb_a64_kernel_kind(k), all, FPB_A64_MAX_VLS);
	if (!want) {
		for (i = 0; i < n && i < max; i++)
			out[i] = all[i];
		return i;
	}
	for (i = 0; i < n; i++) {
		if (all[i] == want) {
			out[0] = want;
			return 1;
		}
	}
	return 0;
}

#else /* !__aarch64__ */

/* fpb_kernel_vls() - vector lengths are arm64 only: none here. */
size_t fpb_kernel_vls(const struct fpb_kernel *k, unsigned want, unsigned *out, size_t max)
{
	return 0;
}

#endif
