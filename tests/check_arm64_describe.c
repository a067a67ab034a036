// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check_arm64_describe.c - the arm64 machine facts in results: machine.arm64 in JSON (MIDR
 * decoded, HWCAP words and names, every SVE/SME vector length and the current ones) and the
 * MIDR/HWCAP/vector-length lines of the text and Markdown writers, on synthetic results (every
 * architecture); an x86 result carries none of it; the JSON reader gives them back (with
 * jansson); on aarch64 the detection itself (fpb_cpu_arm64_detect) agrees with prctl.
 */
#include "config.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "output.h"
#include "result.h"
#if defined(__aarch64__)
#include <sys/auxv.h>
#include "arm64.h"
#endif

static char *write_mem(const char *format, const struct fpb_result *r)
{
	const struct fpb_writer *w = fpb_writer_find(format);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_msg(w && f, "writer '%s': expected it registered", format);
	ck_assert_msg(w->write(f, r) == 0, "%s writer: expected 0", format);
	fclose(f);
	return buf;
}

/* A Neoverse V2 with SVE at 16 and 32 bytes (current 16), SME streaming 16..64 (current 32). */
static void arm64_result(struct fpb_result *r)
{
	struct fpb_cpu_arm64 *a = &r->cpu.a64;

	fpb_result_init(r);
	snprintf(r->cpu.vendor, sizeof(r->cpu.vendor), "Arm");
	snprintf(r->cpu.brand, sizeof(r->cpu.brand), "Neoverse V2 r0p1 (MIDR 0x410fd4f1)");
	r->cpu.midr = 0x410fd4f1;
	r->cpu.features = FPB_BIT(FPB_CPU_ASIMD) | FPB_BIT(FPB_CPU_SVE) | FPB_BIT(FPB_CPU_SME);
	r->cpu.sve_max_vl = 32;
	r->cpu.sme_max_svl = 64;
	r->cpu.tsc_hz = 1000000000;
	r->cpu.tsc_hz_source = "cntfrq_el0";
	snprintf(a->implementer, sizeof(a->implementer), "Arm");
	snprintf(a->part, sizeof(a->part), "Neoverse V2");
	a->hwcap = 0x3 | 1u << 11 | 1u << 22;		/* fp asimd cpuid sve */
	a->hwcap2 = 0x2 | 1u << 23 | 1ull << 37;	/* sve2 sme sme2 */
	a->sve_vls[0] = 16;
	a->sve_vls[1] = 32;
	a->nsve_vls = 2;
	a->sve_vl = 16;
	a->sme_svls[0] = 16;
	a->sme_svls[1] = 32;
	a->sme_svls[2] = 64;
	a->nsme_svls = 3;
	a->sme_svl = 32;
	snprintf(r->run.timer, sizeof(r->run.timer), "cntvct");
	snprintf(r->run.unit, sizeof(r->run.unit), "cntvct-ticks");
}

static void expect_in(const char *what, const char *text, const char *want)
{
	ck_assert_msg(strstr(text, want), "%s: expected '%s', got:\n%s", what, want, text);
}

START_TEST(test_json_arm64)
{
	static const char *const want[] = {
		"\"arm64\": {", "\"midr\": \"0x410fd4f1\"", "\"implementer\": 65",
		"\"implementer_name\": \"Arm\"", "\"part\": 3407", "\"part_name\": \"Neoverse V2\"",
		"\"variant\": 0", "\"revision\": 1", "\"hwcap\": \"0x400803\"",
		"\"hwcap2\": \"0x2000800002\"",
		"\"hwcaps\": [\"fp\", \"asimd\", \"cpuid\", \"sve\", \"sve2\", \"sme\", \"sme2\"]",
		"\"sve_vls\": [16, 32]", "\"sve_vl\": 16", "\"sve_max_vl\": 32",
		"\"sme_svls\": [16, 32, 64]", "\"sme_svl\": 32", "\"sme_max_svl\": 64",
	};
	struct fpb_result r;
	char *j;

	arm64_result(&r);
	j = write_mem("json", &r);
	for (size_t i = 0; i < FPB_ARRAY_SIZE(want); i++)
		expect_in("arm64 JSON", j, want[i]);
	free(j);
	fpb_result_free(&r);
}
END_TEST

START_TEST(test_text_arm64)
{
	struct fpb_result r;

	arm64_result(&r);
	for (int i = 0; i < 2; i++) {
		char *t = write_mem(i ? "md" : "text", &r);

		expect_in(i ? "arm64 md" : "arm64 text", t, "0x410fd4f1: implementer 0x41 (Arm), "
			  "part 0xd4f (Neoverse V2), variant 0, revision 1");
		expect_in("arm64 text", t, "fp asimd cpuid sve sve2 sme sme2 "
			  "(HWCAP 0x400803, HWCAP2 0x2000800002)");
		expect_in("arm64 text", t, "SVE max 32 B, current 16 B, offered 16 32 B; "
			  "SME streaming max 64 B, current 32 B, offered 16 32 64 B");
		ck_assert_msg(!strstr(t, "XCR0") && !strstr(t, "XSAVE sizes"),
			      "arm64 text: expected no x86 lines, got:\n%s", t);
		free(t);
	}
	fpb_result_free(&r);
}
END_TEST

/* An x86 result (no MIDR, no HWCAP) grows no arm64 fields or lines. */
START_TEST(test_x86_has_none)
{
	struct fpb_result r;
	char *t;

	fpb_result_init(&r);
	snprintf(r.cpu.vendor, sizeof(r.cpu.vendor), "AuthenticAMD");
	r.cpu.xcr0 = 0xe7;
	r.cpu.features = FPB_BIT(FPB_CPU_XSAVE) | FPB_BIT(FPB_CPU_AVX512F);
	t = write_mem("json", &r);
	ck_assert_msg(!strstr(t, "\"arm64\"") && !strstr(t, "\"midr\"") && !strstr(t, "hwcap"),
		      "x86 JSON: expected no arm64 fields, got:\n%s", t);
	free(t);
	t = write_mem("text", &r);
	ck_assert_msg(!strstr(t, "MIDR") && !strstr(t, "HWCAP") && !strstr(t, "vector len"),
		      "x86 text: expected no arm64 lines, got:\n%s", t);
	expect_in("x86 text", t, "XCR0");
	free(t);
	fpb_result_free(&r);
}
END_TEST

START_TEST(test_json_round_trip)
{
#ifdef HAVE_JANSSON
	char dir[] = "/tmp/fpb-a64desc-XXXXXX", path[64], why[200] = "";
	struct fpb_result a, b;
	int rc;

	ck_assert_msg(mkdtemp(dir), "mkdtemp: expected a directory");
	snprintf(path, sizeof(path), "%s/r.json", dir);
	arm64_result(&a);
	rc = fpb_output_write_file(fpb_writer_find("json"), &a, path, why, sizeof(why));
	ck_assert_msg(rc == 0, "write %s: expected 0, got %d (%s)", path, rc, why);
	fpb_result_init(&b);
	rc = fpb_result_read_json(path, &b, why, sizeof(why));
	ck_assert_msg(rc == 0, "read %s: expected 0, got %d (%s)", path, rc, why);
	ck_assert_msg(b.cpu.midr == a.cpu.midr, "midr: expected 0x%llx, got 0x%llx",
		      (unsigned long long)a.cpu.midr, (unsigned long long)b.cpu.midr);
	ck_assert_msg(b.cpu.a64.hwcap == a.cpu.a64.hwcap && b.cpu.a64.hwcap2 == a.cpu.a64.hwcap2,
		      "hwcap/hwcap2: expected 0x%llx/0x%llx, got 0x%llx/0x%llx",
		      (unsigned long long)a.cpu.a64.hwcap, (unsigned long long)a.cpu.a64.hwcap2,
		      (unsigned long long)b.cpu.a64.hwcap, (unsigned long long)b.cpu.a64.hwcap2);
	ck_assert_msg(!strcmp(b.cpu.a64.part, "Neoverse V2") && !strcmp(b.cpu.a64.implementer,
		      "Arm"), "names: expected Arm/Neoverse V2, got '%s'/'%s'",
		      b.cpu.a64.implementer, b.cpu.a64.part);
	ck_assert_msg(b.cpu.a64.nsve_vls == 2 && b.cpu.a64.sve_vls[1] == 32 &&
		      b.cpu.a64.sve_vl == 16 && b.cpu.sve_max_vl == 32,
		      "SVE lengths: expected [16, 32] current 16 max 32, got %u entries, current "
		      "%u, max %u", b.cpu.a64.nsve_vls, b.cpu.a64.sve_vl, b.cpu.sve_max_vl);
	ck_assert_msg(b.cpu.a64.nsme_svls == 3 && b.cpu.a64.sme_svls[2] == 64 &&
		      b.cpu.a64.sme_svl == 32 && b.cpu.sme_max_svl == 64,
		      "SME lengths: expected [16, 32, 64] current 32 max 64, got %u entries, "
		      "current %u, max %u", b.cpu.a64.nsme_svls, b.cpu.a64.sme_svl,
		      b.cpu.sme_max_svl);
	fpb_result_free(&a);
	fpb_result_free(&b);
	unlink(path);
	rmdir(dir);
#else
	fprintf(stderr, "round trip: built without jansson, nothing to read back\n");
#endif
}
END_TEST

/* A malformed machine.arm64 is refused with one line naming the field. */
START_TEST(test_json_bad_vls)
{
#ifdef HAVE_JANSSON
	char dir[] = "/tmp/fpb-a64desc-XXXXXX", path[64], why[200] = "";
	struct fpb_result r;
	FILE *f;

	ck_assert_msg(mkdtemp(dir), "mkdtemp: expected a directory");
	snprintf(path, sizeof(path), "%s/bad.json", dir);
	f = fopen(path, "w");
	ck_assert(f);
	fputs("{\"schema\": \"fpbench-results\", \"schema_version\": 2, \"machine\": "
	      "{\"arm64\": {\"sve_vls\": [16, \"x\"]}}, \"run\": {}, \"rows\": []}\n", f);
	fclose(f);
	fpb_result_init(&r);
	ck_assert_msg(fpb_result_read_json(path, &r, why, sizeof(why)) == -1,
		      "bad sve_vls: expected -1");
	ck_assert_msg(strstr(why, "machine.arm64.sve_vls[1]"),
		      "bad sve_vls: expected the field named, got '%s'", why);
	fpb_result_free(&r);
	unlink(path);
	rmdir(dir);
#endif
}
END_TEST

/* The running system's facts agree with prctl and getauxval (aarch64 only). */
START_TEST(test_detect)
{
#if defined(__aarch64__)
	struct fpb_cpu cpu;
	unsigned vls[FPB_A64_MAX_VLS];
	size_t n;

	memset(&cpu, 0, sizeof(cpu));
	fpb_cpu_arm64_detect(&cpu);
	ck_assert_msg(cpu.a64.hwcap == getauxval(AT_HWCAP) && cpu.a64.hwcap2 == getauxval(AT_HWCAP2),
		      "hwcap: expected getauxval's 0x%lx/0x%lx, got 0x%llx/0x%llx",
		      getauxval(AT_HWCAP), getauxval(AT_HWCAP2),
		      (unsigned long long)cpu.a64.hwcap, (unsigned long long)cpu.a64.hwcap2);
	n = fpb_a64_vls(FPB_A64_SVE, vls, FPB_A64_MAX_VLS);
	ck_assert_msg(cpu.a64.nsve_vls == n, "SVE lengths: expected %zu, got %u", n,
		      cpu.a64.nsve_vls);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(cpu.a64.sve_vls[i] == vls[i], "SVE length %zu: expected %u, got %u",
			      i, vls[i], cpu.a64.sve_vls[i]);
	ck_assert_msg(cpu.a64.sve_vl == fpb_a64_vl_get(FPB_A64_SVE),
		      "current SVE length: expected %u, got %u", fpb_a64_vl_get(FPB_A64_SVE),
		      cpu.a64.sve_vl);
	n = fpb_a64_vls(FPB_A64_SME, vls, FPB_A64_MAX_VLS);
	ck_assert_msg(cpu.a64.nsme_svls == n, "SME lengths: expected %zu, got %u", n,
		      cpu.a64.nsme_svls);
	ck_assert_msg(cpu.a64.sme_svl == fpb_a64_vl_get(FPB_A64_SME),
		      "current SME length: expected %u, got %u", fpb_a64_vl_get(FPB_A64_SME),
		      cpu.a64.sme_svl);
	if (cpu.a64.nsme_svls)
		ck_assert_msg(cpu.sme_max_svl == cpu.a64.sme_svls[cpu.a64.nsme_svls - 1],
			      "SME max: expected the last offered length %u, got %u",
			      cpu.a64.sme_svls[cpu.a64.nsme_svls - 1], cpu.sme_max_svl);
	ck_assert_msg(FPB_MIDR_IMPLEMENTER(cpu.midr) == cpu.family,
		      "MIDR implementer: expected family %u, got %u", cpu.family,
		      FPB_MIDR_IMPLEMENTER(cpu.midr));
	fprintf(stderr, "detected: MIDR 0x%08llx (%s / %s), HWCAP 0x%llx HWCAP2 0x%llx, "
		"SVE %u lengths (current %u, max %u), SME %u lengths (current %u, max %u)\n",
		(unsigned long long)cpu.midr, cpu.a64.implementer, cpu.a64.part,
		(unsigned long long)cpu.a64.hwcap, (unsigned long long)cpu.a64.hwcap2,
		cpu.a64.nsve_vls, cpu.a64.sve_vl, cpu.sve_max_vl, cpu.a64.nsme_svls,
		cpu.a64.sme_svl, cpu.sme_max_svl);
#endif
}
END_TEST

static Suite *arm64_describe_suite(void)
{
	Suite *s = suite_create("arm64_describe");
	TCase *core = tcase_create("core"), *limits = tcase_create("limits");

	tcase_add_test(core, test_json_arm64);
	tcase_add_test(core, test_text_arm64);
	tcase_add_test(core, test_x86_has_none);
	tcase_add_test(core, test_json_round_trip);
	tcase_add_test(core, test_detect);
	tcase_add_test(limits, test_json_bad_vls);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(arm64_describe_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
