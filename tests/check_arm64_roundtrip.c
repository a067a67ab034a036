// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check_arm64_roundtrip.c - arm64 register state survives save, clobber, restore.
 *
 * Known patterns go into V0-V31/FPSR/FPCR, Z0-Z31/P0-P15/FFR (at every SVE vector length the
 * system offers), the streaming Z/P/FPSR/FPCR with and (FEAT_SME_FA64 only) without FFR and ZA
 * (both at every streaming vector length); one assembler routine per register
 * file loads the pattern, saves it, clobbers every register, restores and saves again, with no
 * C in between (arm64-*.S *_roundtrip).  Then the arm64 kernels and primitives run through the
 * arm64 backend.  Run under qemu-aarch64-static -cpu max when cross-compiled.
 * Exits 77 only when the CPU has none of FPSIMD, SVE and SME.
 */
#include "config.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include "arm64.h"
#include "backend.h"
#include "cpu.h"
#include "timer.h"

extern const struct fpb_backend_ops fpb_backend_arm64;

static uint8_t *alloc3(size_t size, uint8_t **b, uint8_t **c)
{
	uint8_t *a = aligned_alloc(64, FPB_ALIGN_UP(size, (size_t)64) * 3);

	ck_assert_msg(a, "alloc: want %zu bytes, got NULL", size * 3);
	memset(a, 0xee, FPB_ALIGN_UP(size, (size_t)64) * 3);
	*b = a + FPB_ALIGN_UP(size, (size_t)64);
	*c = *b + FPB_ALIGN_UP(size, (size_t)64);
	return a;
}

/* First differing byte in [off, off + n) of got vs want, or -1. */
static long first_diff(const uint8_t *want, const uint8_t *got, size_t off, size_t n)
{
	for (size_t i = off; i < off + n; i++)
		if (want[i] != got[i])
			return (long)i;
	return -1;
}

static uint32_t cur_fpcr(void)
{
	uint64_t v;

	__asm__ __volatile__("mrs %0, fpcr" : "=r"(v));
	return (uint32_t)v;
}

/* FPSR: the cumulative exception flags and QC; FPCR: round towards plus infinity. */
static void fp_words(uint8_t *at)
{
	uint32_t fpsr = 0x0800009f & ~0x80u, fpcr = (cur_fpcr() & ~(3u << 22)) | (1u << 22);

	memcpy(at, &fpsr, 4);
	memcpy(at + 4, &fpcr, 4);
}

#define CHECK_REGION(what, vl, want, got, off, n)					\
	do {										\
		long d_ = first_diff(want, got, off, n);				\
		ck_assert_msg(d_ < 0, "%s at VL %u: byte %ld: want 0x%02x, got 0x%02x",	\
			      what, vl, d_, d_ < 0 ? 0 : (want)[d_], d_ < 0 ? 0 : (got)[d_]); \
	} while (0)

START_TEST(test_fpsimd_roundtrip)
{
	uint8_t *pat, *buf, *out, *mem = alloc3(FPB_A64_FPSIMD_SIZE, &buf, &out);

	pat = mem;
	for (size_t i = 0; i < 512; i++)
		pat[i] = (uint8_t)(0x31 + 13 * i);
	fp_words(pat + 512);
	fpb_a64_fpsimd_roundtrip(pat, buf, out);
	CHECK_REGION("fpsimd save: V", 16u, pat, buf, 0, 512);
	CHECK_REGION("fpsimd round trip: V", 16u, pat, out, 0, 512);
	CHECK_REGION("fpsimd round trip: FPSR/FPCR", 16u, pat, out, 512, 8);
	free(mem);
}
END_TEST

/* Z, P and a monotonic FFR (the first k bits set) for vector length vl. */
static void sve_pattern(uint8_t *p, unsigned vl)
{
	size_t poff = fpb_a64_sve_p_offset(vl), foff = fpb_a64_sve_ffr_offset(vl);
	unsigned k = vl / 2 + 3;

	for (size_t i = 0; i < poff; i++)
		p[i] = (uint8_t)(0x5b + 7 * i + vl);
	for (size_t i = poff; i < foff; i++)
		p[i] = (uint8_t)(0xa5 ^ (i * 3));
	memset(p + foff, 0, vl / 8);
	for (unsigned b = 0; b < k; b++)
		p[foff + b / 8] |= (uint8_t)(1u << (b % 8));
	fp_words(p + fpb_a64_sve_fpregs_offset(vl));
}

START_TEST(test_sve_roundtrip)
{
	unsigned vls[FPB_A64_MAX_VLS], keep;
	size_t n;

	if (!fpb_a64_has(FPB_A64_SVE, NULL, 0)) {
		fprintf(stderr, "# sve round trip: skipped: no SVE\n");
		return;
	}
	keep = fpb_a64_vl_get(FPB_A64_SVE);
	n = fpb_a64_vls(FPB_A64_SVE, vls, FPB_A64_MAX_VLS);
	ck_assert_msg(n > 0, "SVE vector lengths: want at least 1, got 0");
	for (size_t i = 0; i < n; i++) {
		unsigned vl = vls[i];
		size_t sz = fpb_a64_sve_size(vl), fo = fpb_a64_sve_fpregs_offset(vl);
		uint8_t *buf, *out, *pat = alloc3(sz, &buf, &out);

		ck_assert_msg(!fpb_a64_vl_set(FPB_A64_SVE, vl), "set SVE VL %u: failed", vl);
		ck_assert_msg(fpb_a64_sve_vl() == vl, "RDVL after setting %u: got %u", vl,
			      fpb_a64_sve_vl());
		sve_pattern(pat, vl);
		fpb_a64_sve_roundtrip(pat, buf, out);
		CHECK_REGION("sve save: Z/P/FFR", vl, pat, buf, 0, fo);
		CHECK_REGION("sve round trip: Z0-Z31", vl, pat, out, 0,
			     fpb_a64_sve_p_offset(vl));
		CHECK_REGION("sve round trip: P0-P15", vl, pat, out, fpb_a64_sve_p_offset(vl),
			     2 * vl);
		CHECK_REGION("sve round trip: FFR", vl, pat, out, fpb_a64_sve_ffr_offset(vl),
			     vl / 8);
		CHECK_REGION("sve round trip: FPSR/FPCR", vl, pat, out, fo, 8);
		free(pat);
	}
	fpb_a64_vl_set(FPB_A64_SVE, keep);
	fprintf(stderr, "# sve round trip: %zu vector lengths, %u..%u bytes\n", n, vls[0],
		vls[n - 1]);
}
END_TEST

/* n bytes at p still hold alloc3's 0xee. */
static void untouched(const char *what, unsigned vl, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(p[i] == 0xee, "%s at VL %u: byte %zu: want 0xee (untouched), "
			      "got 0x%02x", what, vl, i, p[i]);
}

/*
 * Streaming mode (SME, no SVE needed): Z, P, FPSR/FPCR at every SVL back byte for byte, without
 * FFR (legal on every SME CPU) and, with FEAT_SME_FA64, with it; without FFR its bytes in the
 * images stay as they were (0xee), never read nor written.
 */
START_TEST(test_ssve_roundtrip)
{
	unsigned vls[FPB_A64_MAX_VLS], keep, fa64 = (getauxval(AT_HWCAP2) & (1UL << 30)) != 0;
	size_t n;

	if (!fpb_a64_has(FPB_A64_SME, NULL, 0)) {
		fprintf(stderr, "# streaming round trip: skipped: no SME\n");
		return;
	}
	keep = fpb_a64_vl_get(FPB_A64_SME);
	n = fpb_a64_vls(FPB_A64_SME, vls, FPB_A64_MAX_VLS);
	ck_assert_msg(n > 0, "SME vector lengths: want at least 1, got 0");
	for (size_t i = 0; i < n; i++) {
		unsigned svl = vls[i];
		size_t sz = fpb_a64_sve_size(svl), fo = fpb_a64_sve_fpregs_offset(svl);
		size_t po = fpb_a64_sve_p_offset(svl), ffo = fpb_a64_sve_ffr_offset(svl);

		ck_assert_msg(!fpb_a64_vl_set(FPB_A64_SME, svl), "set SVL %u: failed", svl);
		for (unsigned ffr = 0; ffr <= fa64; ffr++) {
			uint8_t *buf, *out, *pat = alloc3(sz, &buf, &out);

			sve_pattern(pat, svl);
			fpb_a64_ssve_roundtrip(pat, buf, out, ffr);
			ck_assert_msg(!(fpb_a64_svcr() & FPB_A64_SVCR_SM),
				      "SVCR after the streaming round trip: want SM=0, got 0x%llx",
				      (unsigned long long)fpb_a64_svcr());
			CHECK_REGION(ffr ? "streaming save (FFR): Z/P" : "streaming save: Z/P", svl,
				     pat, buf, 0, ffo);
			CHECK_REGION("streaming round trip: Z0-Z31", svl, pat, out, 0, po);
			CHECK_REGION("streaming round trip: P0-P15", svl, pat, out, po, 2 * svl);
			CHECK_REGION("streaming round trip: FPSR/FPCR", svl, pat, out, fo, 8);
			if (ffr) {
				CHECK_REGION("streaming round trip: FFR", svl, pat, out, ffo,
					     svl / 8);
			} else {
				untouched("streaming save without FFR: FFR", svl, buf + ffo,
					  svl / 8);
				untouched("streaming round trip without FFR: FFR", svl, out + ffo,
					  svl / 8);
			}
			free(pat);
		}
	}
	fpb_a64_vl_set(FPB_A64_SME, keep);
	fprintf(stderr, "# streaming round trip: %zu streaming vector lengths, %u..%u bytes, "
		"FFR %s\n", n, vls[0], vls[n - 1], fa64 ? "too (FEAT_SME_FA64)" : "not (no FA64)");
}
END_TEST

START_TEST(test_za_roundtrip)
{
	unsigned vls[FPB_A64_MAX_VLS], keep;
	size_t n;

	if (!fpb_a64_has(FPB_A64_SME, NULL, 0)) {
		fprintf(stderr, "# za round trip: skipped: no SME\n");
		return;
	}
	keep = fpb_a64_vl_get(FPB_A64_SME);
	n = fpb_a64_vls(FPB_A64_SME, vls, FPB_A64_MAX_VLS);
	ck_assert_msg(n > 0, "SME vector lengths: want at least 1, got 0");
	for (size_t i = 0; i < n; i++) {
		unsigned svl = vls[i];
		size_t sz = fpb_a64_za_size(svl);
		uint8_t *buf, *out, *pat = alloc3(sz, &buf, &out);

		ck_assert_msg(!fpb_a64_vl_set(FPB_A64_SME, svl), "set SVL %u: failed", svl);
		ck_assert_msg(fpb_a64_sme_svl() == svl, "RDSVL after setting %u: got %u", svl,
			      fpb_a64_sme_svl());
		for (size_t j = 0; j < sz; j++)
			pat[j] = (uint8_t)(0x17 + 11 * j + j / svl);
		fpb_a64_za_roundtrip(pat, buf, out);
		CHECK_REGION("za save", svl, pat, buf, 0, sz);
		CHECK_REGION("za round trip", svl, pat, out, 0, sz);
		ck_assert_msg(!(fpb_a64_svcr() & (FPB_A64_SVCR_ZA | FPB_A64_SVCR_SM)),
			      "SVCR after the round trip: want SM=ZA=0, got 0x%llx",
			      (unsigned long long)fpb_a64_svcr());
		free(pat);
	}
	fpb_a64_vl_set(FPB_A64_SME, keep);
	fprintf(stderr, "# za round trip: %zu streaming vector lengths, %u..%u bytes\n", n,
		vls[0], vls[n - 1]);
}
END_TEST

/* ---- kernels through the backend ---- */

static struct fpb_cpu cpu;
static struct fpb_backend be;

static void backend_setup(void)
{
	char why[FPB_REASON_LEN] = "";

	memset(&cpu, 0, sizeof(cpu));
	fpb_cpu_arm64_detect(&cpu);
	memset(&be, 0, sizeof(be));
	be.ops = &fpb_backend_arm64;
	be.cpu = &cpu;
	be.timer = &fpb_timer_cntvct;
	be.numa_node = -1;
	ck_assert_msg(!be.ops->probe(&cpu, why, sizeof(why)), "arm64 probe: %s", why);
	ck_assert_msg(!be.timer->init(be.timer, &cpu, why, sizeof(why)), "cntvct init: %s", why);
}

static void backend_teardown(void)
{
	if (be.ops->close)
		be.ops->close(&be);
}

/* Every arm64 kernel at every vector length, rotate:3, 7 ops: cursor at 7 % 3 = 1. */
START_TEST(test_kernels_run)
{
	size_t ran = 0;

	for (size_t i = 0; i < fpb_nr_kernels; i++) {
		const struct fpb_kernel *k = fpb_kernels[i];
		unsigned vls[FPB_A64_MAX_VLS] = { 0 };
		size_t nvl = (k->flags & FPB_K_USES_VL) ?
			fpb_kernel_vls(k, 0, vls, FPB_A64_MAX_VLS) : 1;

		ck_assert_msg(k->flags & (FPB_K_ARCH_ARM64 | FPB_K_EMPTY),
			      "%s: in the arm64 table without FPB_K_ARCH_ARM64", k->name);
		for (size_t v = 0; v < nvl; v++) {
			struct fpb_kctx ctx = { .buffer = { FPB_BUF_ROTATE, 3 }, .vl = vls[v] };
			char why[FPB_REASON_LEN] = "";
			struct fpb_sample s;
			int rc = be.ops->prepare(&be, k, &ctx, why, sizeof(why));

			if (rc) {
				/* Only a missing extension may refuse. */
				ck_assert_msg(!k->supported || !k->supported(&cpu, NULL, 0),
					      "%s at VL %u: prepare failed: %s", k->name,
					      vls[v], why);
				continue;
			}
			ck_assert_int_eq(be.ops->run_batch(&be, k, &ctx, 7, &s), 0);
			if (k->flags & FPB_K_USES_BUFFER) {
				ck_assert_msg(ctx.nbufs == 3, "%s: want 3 buffers, got %u",
					      k->name, ctx.nbufs);
				/* prepare ran one op, the batch 7 more: (1 + 7) % 3 */
				ck_assert_msg(ctx.cur == 2, "%s at VL %u: cursor want 2, got %u",
					      k->name, vls[v], ctx.cur);
				ck_assert_msg(ctx.buf_size >= fpb_a64_kernel_buf_size(k, ctx.vl),
					      "%s: buffer %zu bytes, want >= %zu", k->name,
					      ctx.buf_size, fpb_a64_kernel_buf_size(k, ctx.vl));
			}
			if (k->flags & FPB_K_USES_VL)
				ck_assert_msg(fpb_a64_vl_get(fpb_a64_kernel_kind(k)) == ctx.vl,
					      "%s: VL in force want %u, got %u", k->name, ctx.vl,
					      fpb_a64_vl_get(fpb_a64_kernel_kind(k)));
			be.ops->release(&be, k, &ctx);
			ran++;
		}
	}
	ck_assert_msg(ran >= 3, "kernels run: want >= 3 (empty, fpsimd-save/restore), got %zu",
		      ran);
}
END_TEST

/* --vl=N selects one length; a length not offered gives no rows. */
START_TEST(test_kernel_vls)
{
	unsigned all[FPB_A64_MAX_VLS], one[FPB_A64_MAX_VLS];
	const struct fpb_kernel *k = fpb_kernel_find("sve-save");
	size_t n;

	ck_assert_msg(k != NULL, "sve-save: not in the kernel table");
	ck_assert_uint_eq(fpb_kernel_vls(fpb_kernel_find("fpsimd-save"), 0, all, 16), 0);
	n = fpb_kernel_vls(k, 0, all, FPB_A64_MAX_VLS);
	if (!fpb_a64_has(FPB_A64_SVE, NULL, 0)) {
		ck_assert_uint_eq(n, 0);
		return;
	}
	ck_assert_msg(n >= 1, "sve-save vector lengths: want >= 1, got %zu", n);
	for (size_t i = 1; i < n; i++)
		ck_assert_msg(all[i] > all[i - 1], "vector lengths not ascending at %zu", i);
	ck_assert_uint_eq(fpb_kernel_vls(k, all[n - 1], one, FPB_A64_MAX_VLS), 1);
	ck_assert_uint_eq(one[0], all[n - 1]);
	ck_assert_uint_eq(fpb_kernel_vls(k, 24 * 1024, one, FPB_A64_MAX_VLS), 0);
	ck_assert_uint_eq(cpu.sve_max_vl, all[n - 1]);
}
END_TEST

/* Primitives: each register file saves and restores; x86 ops are refused. */
START_TEST(test_primitives)
{
	size_t sz = 2 * fpb_a64_za_size(FPB_A64_VL_MAX) + fpb_a64_sve_size(FPB_A64_VL_MAX);
	uint8_t *buf = aligned_alloc(64, sz);
	struct fpb_prim_counts before = be.counts;

	ck_assert_ptr_nonnull(buf);
	memset(buf, 0, sz);
	ck_assert_int_eq(fpb_prim_save(&be, FPB_OP_FPSIMD_SAVE, buf, 0), FPB_PRIM_DONE);
	ck_assert_int_eq(fpb_prim_restore(&be, FPB_OP_FPSIMD_RESTORE, buf, 0), FPB_PRIM_DONE);
	ck_assert_int_eq(fpb_prim_save(&be, FPB_OP_XSAVE, buf, 3), -EOPNOTSUPP);
	ck_assert_int_eq(fpb_prim_restore(&be, FPB_OP_XRSTOR, buf, 3), -EOPNOTSUPP);
	ck_assert_int_eq(fpb_prim_save(&be, FPB_OP_FPSIMD_SAVE, NULL, 0), -EINVAL);
	if (fpb_a64_has(FPB_A64_SVE, NULL, 0)) {
		ck_assert_int_eq(fpb_prim_save(&be, FPB_OP_SVE_SAVE, buf, 0), FPB_PRIM_DONE);
		ck_assert_int_eq(fpb_prim_restore(&be, FPB_OP_SVE_RESTORE, buf, 0), FPB_PRIM_DONE);
	}
	if (fpb_a64_has(FPB_A64_SME, NULL, 0)) {
		size_t za = fpb_a64_za_size(fpb_a64_sme_svl());

		for (size_t i = 0; i < za; i++)
			buf[i] = (uint8_t)(i * 5 + 1);
		ck_assert_int_eq(fpb_prim_restore(&be, FPB_OP_ZA_RESTORE, buf, 0), FPB_PRIM_DONE);
		ck_assert_msg(fpb_a64_svcr() & FPB_A64_SVCR_ZA, "ZA restore left ZA off");
		ck_assert_int_eq(fpb_prim_save(&be, FPB_OP_ZA_SAVE, buf + za, 0), FPB_PRIM_DONE);
		CHECK_REGION("za primitive save after restore", fpb_a64_sme_svl(), buf, buf + za,
			     0, za);
		be.ops->close(&be);
		ck_assert_msg(!(fpb_a64_svcr() & FPB_A64_SVCR_ZA), "close left ZA on");
	}
	ck_assert_uint_eq(be.counts.save[FPB_OP_FPSIMD_SAVE], before.save[FPB_OP_FPSIMD_SAVE] + 2);
	free(buf);
}
END_TEST

/* Detection agrees with HWCAP; under the cross test driver (QEMU_CPU) emulation is seen. */
START_TEST(test_detect)
{
	char emu[64] = "";

	ck_assert_msg(fpb_cpu_has(&cpu, FPB_CPU_ASIMD), "asimd: want set, got clear");
	ck_assert_uint_eq(fpb_cpu_has(&cpu, FPB_CPU_SVE), fpb_a64_has(FPB_A64_SVE, NULL, 0));
	ck_assert_uint_eq(fpb_cpu_has(&cpu, FPB_CPU_SME), fpb_a64_has(FPB_A64_SME, NULL, 0));
	ck_assert_msg(cpu.tsc_hz > 0, "CNTFRQ_EL0: want > 0, got 0");
	if (getenv("QEMU_CPU") || getenv("QEMU_LD_PREFIX")) {
		ck_assert_msg(fpb_cpu_arm64_emulation(emu, sizeof(emu)),
			      "emulation under qemu-user: want detected, got not");
		ck_assert_str_eq(emu, "qemu-user");
		ck_assert_str_eq(cpu.hypervisor, "qemu-user");
	}
}
END_TEST

static Suite *arm64_suite(void)
{
	Suite *s = suite_create("arm64");
	TCase *tc = tcase_create("core");
	TCase *tk = tcase_create("kernels");

	tcase_add_test(tc, test_fpsimd_roundtrip);
	tcase_add_test(tc, test_sve_roundtrip);
	tcase_add_test(tc, test_ssve_roundtrip);
	tcase_add_test(tc, test_za_roundtrip);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(tk, backend_setup, backend_teardown);
	tcase_add_test(tk, test_kernels_run);
	tcase_add_test(tk, test_kernel_vls);
	tcase_add_test(tk, test_primitives);
	tcase_add_test(tk, test_detect);
	suite_add_tcase(s, tk);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	if (!fpb_a64_has(FPB_A64_FPSIMD, NULL, 0)) {
		fprintf(stderr, "check_arm64_roundtrip: skipped: no FPSIMD\n");
		return 77;
	}
	fprintf(stderr, "# SVE VL %u bytes, SME SVL %u bytes (0: absent)\n",
		fpb_a64_vl_get(FPB_A64_SVE), fpb_a64_vl_get(FPB_A64_SME));
	sr = srunner_create(arm64_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
