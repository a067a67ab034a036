/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * check_cpu.c - CPU detection from canned leaf sets of real CPUs (tests/cpuid/), the canned
 * format's error paths, and detection on this machine (native source, dump round trip).
 */
#include <check.h>
#include <unistd.h>
#include "cpu.h"
#include "xstate.h"

/* Like ck_assert_msg, without Check's per-call bookkeeping (a write per passing assertion). */
#define EXPECT(cond, ...)	do { if (!(cond)) ck_abort_msg(__VA_ARGS__); } while (0)

#define F(x)	FPB_BIT(FPB_CPU_##x)

struct comp_row {
	unsigned i, size, offset;
	bool sup, align64, xfd;
};

struct expect {
	const char *file, *vendor, *brand, *hypervisor, *fingerprint;
	unsigned family, model, stepping;
	uint64_t features, xcr0, xcr0_supported, xss_supported;
	uint32_t size_xcr0, size_max, xsaves_size;
	struct comp_row comps[16];	/* every present component >= 2; size 0 ends */
};

static const struct expect fpb_expect[] = {
	{
		.file = "intel-sapphire-rapids.txt", .vendor = "GenuineIntel",
		.brand = "Intel(R) Xeon(R) w7-2475X", .hypervisor = "",
		.fingerprint = "GenuineIntel-6-143-8-unknown-xcr0_602e7-bare",
		.family = 6, .model = 0x8f, .stepping = 8,
		.features = F(FXSR) | F(XSAVE) | F(OSXSAVE) | F(XSAVEOPT) | F(XSAVEC) | F(XGETBV1) |
			    F(XSAVES) | F(XFD) | F(AVX) | F(AVX2) | F(AVX512F) | F(AMX_TILE) |
			    F(PKU) | F(RDTSCP) | F(RDPID) | F(INVTSC),
		.xcr0 = 0x602e7, .xcr0_supported = 0x602e7, .xss_supported = 0xdd00,
		.size_xcr0 = 0x2b00, .size_max = 0x2b00, .xsaves_size = 0x2a80,
		.comps = {
			{ 2, 256, 576 }, { 5, 64, 1088 }, { 6, 512, 1152 }, { 7, 1024, 1664 },
			{ 8, 128, 0, true }, { 9, 8, 2688 }, { 10, 8, 0, true },
			{ 11, 16, 0, true }, { 12, 24, 0, true }, { 14, 48, 0, true },
			{ 15, 808, 0, true }, { 17, 64, 2752, false, true },
			{ 18, 8192, 2816, false, true, true },
		},
	},
	{
		.file = "amd-zen4-genoa.txt", .vendor = "AuthenticAMD",
		.brand = "AMD EPYC 9654 96-Core Processor", .hypervisor = "",
		.fingerprint = "AuthenticAMD-25-17-1-unknown-xcr0_e7-bare",
		.family = 25, .model = 17, .stepping = 1,
		.features = F(FXSR) | F(XSAVE) | F(OSXSAVE) | F(XSAVEOPT) | F(XSAVEC) | F(XGETBV1) |
			    F(XSAVES) | F(AVX) | F(AVX2) | F(AVX512F) | F(PKU) | F(RDTSCP) |
			    F(RDPID) | F(INVTSC),
		.xcr0 = 0xe7, .xcr0_supported = 0x2e7, .xss_supported = 0x1800,
		.size_xcr0 = 0x980, .size_max = 0x988, .xsaves_size = 0x990,
		.comps = {
			{ 2, 256, 576 }, { 5, 64, 832 }, { 6, 512, 896 }, { 7, 1024, 1408 },
			{ 9, 8, 2432 }, { 11, 16, 0, true }, { 12, 24, 0, true },
		},
	},
	{
		.file = "intel-sandy-bridge-e.txt", .vendor = "GenuineIntel",
		.brand = "Intel(R) Core(TM) i7-3930K CPU @ 3.20GHz", .hypervisor = "",
		.fingerprint = "GenuineIntel-6-45-7-unknown-xcr0_7-bare",
		.family = 6, .model = 0x2d, .stepping = 7,
		.features = F(FXSR) | F(XSAVE) | F(OSXSAVE) | F(XSAVEOPT) | F(AVX) | F(RDTSCP) |
			    F(INVTSC),
		.xcr0 = 0x7, .xcr0_supported = 0x7, .xss_supported = 0,
		.size_xcr0 = 0x340, .size_max = 0x340, .xsaves_size = 0,
		.comps = { { 2, 256, 576 } },
	},
	{
		.file = "amd-zen5-kvm-guest.txt", .vendor = "AuthenticAMD",
		.brand = "Oxide Virtual Turin-like Processor", .hypervisor = "bhyve bhyve",
		.fingerprint = "AuthenticAMD-26-2-1-unknown-xcr0_e7-bhyve_bhyve",
		.family = 26, .model = 2, .stepping = 1,
		.features = F(FXSR) | F(XSAVE) | F(OSXSAVE) | F(XSAVEOPT) | F(XSAVEC) | F(XGETBV1) |
			    F(AVX) | F(AVX2) | F(AVX512F) | F(INVTSC) | F(HYPERVISOR),
		.xcr0 = 0xe7, .xcr0_supported = 0xe7, .xss_supported = 0,
		.size_xcr0 = 0x980, .size_max = 0x980, .xsaves_size = 0x980,
		.comps = { { 2, 256, 576 }, { 5, 64, 832 }, { 6, 512, 896 }, { 7, 1024, 1408 } },
	},
	{
		.file = "intel-xeon-6-207-kvm-guest.txt", .vendor = "GenuineIntel",
		.brand = "Intel(R) Xeon(R) Processor", .hypervisor = "KVMKVMKVM",
		.fingerprint = "GenuineIntel-6-207-2-unknown-xcr0_e7-KVMKVMKVM",
		.family = 6, .model = 207, .stepping = 2,
		.features = F(FXSR) | F(XSAVE) | F(OSXSAVE) | F(XSAVEOPT) | F(XSAVEC) | F(XGETBV1) |
			    F(XSAVES) | F(XFD) | F(AVX) | F(AVX2) | F(AVX512F) | F(RDTSCP) |
			    F(RDPID) | F(INVTSC) | F(HYPERVISOR),
		.xcr0 = 0xe7, .xcr0_supported = 0xe7, .xss_supported = 0,
		.size_xcr0 = 0xa80, .size_max = 0x2b00, .xsaves_size = 0x980,
		.comps = {
			{ 2, 256, 576 }, { 5, 64, 1088 }, { 6, 512, 1152 }, { 7, 1024, 1664 },
			{ 17, 64, 2752, false, true }, { 18, 8192, 2816, false, true, true },
		},
	},
};

static void data_path(char *buf, size_t len, const char *file)
{
	const char *dir = getenv("FPB_SRCDIR");

	snprintf(buf, len, "%s/tests/cpuid/%s", dir ? dir : "..", file);
}

/* Load a canned set and detect from it; the source stays loaded for the caller to free. */
static void load(struct fpb_cpuid_source *src, struct fpb_cpu *cpu, const char *file)
{
	char path[1024], why[FPB_REASON_LEN] = "";

	data_path(path, sizeof(path), file);
	EXPECT(!fpb_cpuid_canned_load(src, path, why, sizeof(why)),
	       "loading %s: expected success, got: %s", path, why);
	fpb_cpu_detect(cpu, src);
}

static char *feature_list(uint64_t f, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < FPB_NR_CPU_FEATURES; i++)
		if (f & FPB_BIT(i))
			used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s ",
						 fpb_cpu_feature_names[i]);
	return buf;
}

START_TEST(test_canned_identity)
{
	const struct expect *e = &fpb_expect[_i];
	struct fpb_cpuid_source src;
	struct fpb_cpu cpu;
	char a[512], b[512];

	load(&src, &cpu, e->file);
	EXPECT(!strcmp(cpu.vendor, e->vendor), "%s vendor: expected %s, got %s", e->file,
	       e->vendor, cpu.vendor);
	EXPECT(!strcmp(cpu.brand, e->brand), "%s brand: expected '%s', got '%s'", e->file,
	       e->brand, cpu.brand);
	EXPECT(cpu.family == e->family && cpu.model == e->model &&
	       cpu.stepping == e->stepping,
	       "%s family/model/stepping: expected %u/%u/%u, got %u/%u/%u", e->file,
	       e->family, e->model, e->stepping, cpu.family, cpu.model, cpu.stepping);
	EXPECT(cpu.features == e->features, "%s features: expected [%s], got [%s]",
	       e->file, feature_list(e->features, a, sizeof(a)),
	       feature_list(cpu.features, b, sizeof(b)));
	EXPECT(!strcmp(cpu.hypervisor, e->hypervisor),
	       "%s hypervisor: expected '%s', got '%s'", e->file, e->hypervisor,
	       cpu.hypervisor);
	EXPECT(!strcmp(cpu.microcode, "unknown"), "%s microcode: expected unknown, got %s",
	       e->file, cpu.microcode);
	EXPECT(!cpu.xinuse_untracked, "%s: a canned set must not probe the running CPU "
	       "(xinuse_untracked 0x%llx)", e->file, (unsigned long long)cpu.xinuse_untracked);
	EXPECT(!strcmp(cpu.fingerprint, e->fingerprint),
	       "%s fingerprint: expected %s, got %s", e->file, e->fingerprint,
	       cpu.fingerprint);
	fpb_cpuid_canned_free(&src);
}
END_TEST

START_TEST(test_canned_xstate)
{
	const struct expect *e = &fpb_expect[_i];
	struct fpb_cpuid_source src;
	struct fpb_cpu cpu;
	uint64_t seen = 0;

	load(&src, &cpu, e->file);
	EXPECT(cpu.xcr0 == e->xcr0, "%s xcr0: expected 0x%llx, got 0x%llx", e->file,
	       (unsigned long long)e->xcr0, (unsigned long long)cpu.xcr0);
	EXPECT(cpu.xcr0_supported == e->xcr0_supported &&
	       cpu.xss_supported == e->xss_supported,
	       "%s supported xcr0/xss: expected 0x%llx/0x%llx, got 0x%llx/0x%llx", e->file,
	       (unsigned long long)e->xcr0_supported, (unsigned long long)e->xss_supported,
	       (unsigned long long)cpu.xcr0_supported,
	       (unsigned long long)cpu.xss_supported);
	EXPECT(cpu.xsave_size_xcr0 == e->size_xcr0 && cpu.xsave_size_max == e->size_max &&
	       cpu.xsaves_size == e->xsaves_size,
	       "%s sizes xcr0/max/xsaves: expected %u/%u/%u, got %u/%u/%u", e->file,
	       e->size_xcr0, e->size_max, e->xsaves_size, cpu.xsave_size_xcr0,
	       cpu.xsave_size_max, cpu.xsaves_size);
	EXPECT(!cpu.xss_known && !cpu.xss, "%s: IA32_XSS must stay unknown from CPUID",
	       e->file);
	EXPECT(cpu.comp[0].present && cpu.comp[1].present && cpu.comp[1].std_offset == 160,
	       "%s: x87/sse legacy components missing", e->file);
	for (const struct comp_row *r = e->comps; r->size; r++) {
		const struct fpb_xcomp *c = &cpu.comp[r->i];

		seen |= FPB_BIT(r->i);
		EXPECT(c->present && c->size == r->size && c->std_offset == r->offset &&
		       c->supervisor == r->sup && c->align64 == r->align64 &&
		       c->xfd_capable == r->xfd,
		       "%s component %u (%s): expected size %u offset %u sup %d align64 %d "
		       "xfd %d, got present %d size %u offset %u sup %d align64 %d xfd %d",
		       e->file, r->i, fpb_xfeature_name(r->i), r->size, r->offset, r->sup,
		       r->align64, r->xfd, c->present, c->size, c->std_offset, c->supervisor,
		       c->align64, c->xfd_capable);
	}
	for (unsigned i = 2; i < FPB_XSTATE_MAX; i++)
		EXPECT(cpu.comp[i].present == !!(seen & FPB_BIT(i)),
		       "%s component %u: expected present %d, got %d", e->file, i,
		       !!(seen & FPB_BIT(i)), cpu.comp[i].present);
	fpb_cpuid_canned_free(&src);
}
END_TEST

START_TEST(test_fingerprint_stable)
{
	const struct expect *e = &fpb_expect[_i];
	struct fpb_cpuid_source src;
	struct fpb_cpu a, b;

	load(&src, &a, e->file);
	fpb_cpu_detect(&b, &src);
	EXPECT(!strcmp(a.fingerprint, b.fingerprint), "%s: fingerprint changed: %s vs %s",
	       e->file, a.fingerprint, b.fingerprint);
	snprintf(a.microcode, sizeof(a.microcode), "0x0a1011d1");
	fpb_cpu_fingerprint(&a);
	EXPECT(strstr(a.fingerprint, "-0x0a1011d1-") != NULL,
	       "%s: microcode missing from fingerprint %s", e->file, a.fingerprint);
	fpb_cpuid_canned_free(&src);
}
END_TEST

/* Write text to a fresh temporary file; path gets its name. */
static void temp_file(char *path, size_t len, const char *text)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	snprintf(path, len, "%s/fpb-cpuid-XXXXXX", dir ? dir : "/tmp");
	fd = mkstemp(path);
	EXPECT(fd >= 0, "mkstemp %s failed", path);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static const struct {
	const char *text, *reason;
} fpb_bad_files[] = {
	{ "0x0 0x0 0x1\n", "line 1: expected 6 hex fields" },
	{ "# comment\n0x00000000 0 1 2 3 zz\n", "line 2: field 6 'zz'" },
	{ "0 0 0xd 1 2 3\nfoo 1\n", "line 2: unknown record 'foo'" },
	{ "0 0 0xd 1 2 3\n\n0 0 0xd 1 2 3\n", "line 3: leaf 0x0 subleaf 0x0 recorded twice" },
	{ "0 0 0xd 1 2 3\nxcr0\n", "line 2: 'xcr0' needs one hex value" },
	{ "0 0 0xd 1 2 3\nxcr0 0x7\nxcr0 0x3\n", "line 3: second 'xcr0' record" },
	{ "0 0 0x100000000 1 2 3\n", "line 1: field 3" },
	{ "0 0 0xd 1 2 3 4\n", "line 1: expected 6 hex fields" },
	{ "0x1 0 0 0 0 0\n", "no record for leaf 0" },
	{ "", "no record for leaf 0" },
};

static void canned_malformed_one(int _i)
{
	struct fpb_cpuid_source src;
	char path[256], why[FPB_REASON_LEN] = "";

	temp_file(path, sizeof(path), fpb_bad_files[_i].text);
	EXPECT(fpb_cpuid_canned_load(&src, path, why, sizeof(why)) == -1,
	       "bad file %d: expected rejection, got success", _i);
	unlink(path);
	EXPECT(strstr(why, fpb_bad_files[_i].reason) && strstr(why, path) &&
	       !strchr(why, '\n'),
	       "bad file %d: expected a one-line reason with '%s', got '%s'", _i,
	       fpb_bad_files[_i].reason, why);
	EXPECT(!src.cpuid && !src.priv, "bad file %d: source not cleared", _i);
}

START_TEST(test_canned_malformed)
{
	for (int k = 0; k < (int)FPB_ARRAY_SIZE(fpb_bad_files); k++)
		canned_malformed_one(k);
}
END_TEST

START_TEST(test_canned_missing)
{
	struct fpb_cpuid_source src;
	char why[FPB_REASON_LEN] = "";

	ck_assert_int_eq(fpb_cpuid_canned_load(&src, "/nonexistent/cpuid.txt", why, sizeof(why)),
			 -1);
	EXPECT(strstr(why, "/nonexistent/cpuid.txt: cannot open"),
	       "missing file: expected 'cannot open', got '%s'", why);
	fpb_cpuid_canned_free(&src);	/* harmless twice */
}
END_TEST

/* A leaf set without XGETBV (OSXSAVE clear) gives XCR0 0 and no OS-enabled features. */
START_TEST(test_canned_no_osxsave)
{
	struct fpb_cpuid_source src;
	struct fpb_cpu cpu;
	char path[256], why[FPB_REASON_LEN] = "";

	/* Sandy Bridge-E leaf 1 with ECX bit 27 (OSXSAVE) cleared, xcr0 given but unusable. */
	temp_file(path, sizeof(path), "0 0 0xd 0x756e6547 0x6c65746e 0x49656e69\n"
		  "1 0 0x206d7 0 0x17bee3bf 0xbfebfbff\n0xd 0 7 0x340 0x340 0\n0xd 1 1 0 0 0\n"
		  "0xd 2 0x100 0x240 0 0\nxcr0 0x7\n");
	EXPECT(!fpb_cpuid_canned_load(&src, path, why, sizeof(why)), "load: %s", why);
	unlink(path);
	fpb_cpu_detect(&cpu, &src);
	EXPECT(!fpb_cpu_has(&cpu, FPB_CPU_OSXSAVE) && fpb_cpu_has(&cpu, FPB_CPU_XSAVE),
	       "expected xsave without osxsave");
	EXPECT(cpu.xcr0 == 0, "xcr0: expected 0 without OSXSAVE, got 0x%llx",
	       (unsigned long long)cpu.xcr0);
	ck_assert_str_eq(cpu.vendor, "GenuineIntel");
	EXPECT(cpu.brand[0] == '\0', "brand: expected empty without 0x80000002, got %s",
	       cpu.brand);
	fpb_cpuid_canned_free(&src);
}
END_TEST

START_TEST(test_feature_names)
{
	for (unsigned i = 0; i < FPB_NR_CPU_FEATURES; i++) {
		EXPECT(fpb_cpu_feature_names[i] && fpb_cpu_feature_names[i][0],
		       "feature %u has no name", i);
		for (unsigned j = 0; j < i; j++)
			EXPECT(strcmp(fpb_cpu_feature_names[i], fpb_cpu_feature_names[j]),
			       "feature name %s twice", fpb_cpu_feature_names[i]);
	}
	ck_assert_str_eq(fpb_cpu_feature_names[FPB_CPU_INVTSC], "invariant-tsc");
}
END_TEST

static bool fingerprint_chars_ok(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '-'))
			return false;
	return true;
}

START_TEST(test_native)
{
	struct fpb_cpu cpu, again;
	char host[256] = "";
	uint64_t x;

	fpb_cpu_detect(&cpu, &fpb_cpuid_native);
	fpb_cpu_detect_system(&cpu);
	fpb_cpu_detect(&again, &fpb_cpuid_native);
	fpb_cpu_detect_system(&again);
#if defined(__aarch64__)
	/* arm64: detect_system fills MIDR and HWCAP features (src/cpu/cpu-arm64.c), no CPUID. */
	EXPECT(fpb_cpu_has(&cpu, FPB_CPU_ASIMD) && !cpu.xcr0,
	       "arm64: expected HWCAP asimd and no XCR0, got features 0x%llx xcr0 0x%llx",
	       (unsigned long long)cpu.features, (unsigned long long)cpu.xcr0);
	return;
#elif !defined(__x86_64__) && !defined(__i386__)
	EXPECT(!cpu.vendor[0] && !cpu.features, "non-x86: expected nothing from CPUID");
	return;
#endif
	EXPECT(cpu.vendor[0] && cpu.family, "native: vendor/family empty");
	EXPECT(fingerprint_chars_ok(cpu.fingerprint), "fingerprint has bad characters: %s",
	       cpu.fingerprint);
	EXPECT(!strcmp(cpu.fingerprint, again.fingerprint), "fingerprint unstable: %s vs %s",
	       cpu.fingerprint, again.fingerprint);
	if (!gethostname(host, sizeof(host) - 1) && strlen(host) >= 4)
		EXPECT(!strstr(cpu.fingerprint, host),
		       "fingerprint %s holds the hostname %s", cpu.fingerprint, host);
	EXPECT(cpu.kernel[0], "kernel release empty");
	EXPECT(cpu.microcode[0], "microcode empty (expected a value or 'unknown')");
	if (!fpb_cpu_has(&cpu, FPB_CPU_OSXSAVE)) {
		EXPECT(cpu.xcr0 == 0, "xcr0 without OSXSAVE: got 0x%llx",
		       (unsigned long long)cpu.xcr0);
		return;
	}
	EXPECT((cpu.xcr0 & 3) == 3 && !(cpu.xcr0 & ~cpu.xcr0_supported),
	       "xcr0 0x%llx: expected x87|sse set, within supported 0x%llx",
	       (unsigned long long)cpu.xcr0, (unsigned long long)cpu.xcr0_supported);
	EXPECT(fpb_xstate_standard_size(&cpu, cpu.xcr0) == cpu.xsave_size_xcr0,
	       "standard size for xcr0: CPUID says %u, layout gives %u", cpu.xsave_size_xcr0,
	       fpb_xstate_standard_size(&cpu, cpu.xcr0));
	if (fpb_cpu_has(&cpu, FPB_CPU_XSAVEC) &&
	    (!fpb_cpu_has(&cpu, FPB_CPU_XSAVES) || cpu.xss_known)) {
		uint32_t off[64];
		uint32_t n = fpb_xstate_compacted_layout(&cpu, cpu.xcr0 | cpu.xss, off);

		EXPECT(n == cpu.xsaves_size,
		       "compacted size: CPUID says %u, layout gives %u", cpu.xsaves_size, n);
	}
	EXPECT(fpb_cpu_xinuse(&x) == fpb_cpu_has(&cpu, FPB_CPU_XGETBV1),
	       "fpb_cpu_xinuse must answer iff XGETBV1");
	if (fpb_cpu_has(&cpu, FPB_CPU_XGETBV1))
		EXPECT(!(x & ~cpu.xcr0), "XINUSE 0x%llx outside XCR0 0x%llx",
		       (unsigned long long)x, (unsigned long long)cpu.xcr0);
	/* The init-tracking probe: only x87/AVX/AVX-512 bits of XCR0, never SSE, stable. */
	EXPECT(!(cpu.xinuse_untracked & ~(cpu.xcr0 & 0xe5)),
	       "xinuse_untracked 0x%llx outside XCR0 0x%llx & 0xe5",
	       (unsigned long long)cpu.xinuse_untracked, (unsigned long long)cpu.xcr0);
	EXPECT(cpu.xinuse_untracked == again.xinuse_untracked,
	       "xinuse_untracked unstable: 0x%llx then 0x%llx",
	       (unsigned long long)cpu.xinuse_untracked,
	       (unsigned long long)again.xinuse_untracked);
	EXPECT(fpb_cpu_xinuse_untracked_probe(0) == 0, "probe with XCR0 0 must answer 0");
	if (!fpb_cpu_has(&cpu, FPB_CPU_XGETBV1))
		EXPECT(!cpu.xinuse_untracked, "xinuse_untracked without XGETBV1");
}
END_TEST

/* The dump of the native source, read back as a canned set, detects the same machine. */
START_TEST(test_dump_roundtrip)
{
	struct fpb_cpuid_source src;
	struct fpb_cpu n, c;
	char path[256], why[FPB_REASON_LEN] = "";
	size_t len = fpb_cpuid_dump(&fpb_cpuid_native, NULL, 0);
	char *text = malloc(len + 1);

	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(fpb_cpuid_dump(&fpb_cpuid_native, text, len + 1), len);
	EXPECT(strlen(text) == len, "dump: expected %zu characters, got %zu", len,
	       strlen(text));
	temp_file(path, sizeof(path), text);
	free(text);
	EXPECT(!fpb_cpuid_canned_load(&src, path, why, sizeof(why)), "dump reload: %s", why);
	unlink(path);
	fpb_cpu_detect(&n, &fpb_cpuid_native);
	fpb_cpu_detect(&c, &src);
	ck_assert_str_eq(c.vendor, n.vendor);
	ck_assert_str_eq(c.brand, n.brand);
	ck_assert_str_eq(c.hypervisor, n.hypervisor);
	ck_assert_str_eq(c.fingerprint, n.fingerprint);
	EXPECT(c.family == n.family && c.model == n.model && c.stepping == n.stepping &&
	       c.features == n.features && c.xcr0 == n.xcr0 &&
	       c.xcr0_supported == n.xcr0_supported && c.xss_supported == n.xss_supported &&
	       c.xsave_size_xcr0 == n.xsave_size_xcr0 &&
	       c.xsave_size_max == n.xsave_size_max &&
	       c.xsaves_size == n.xsaves_size, "dump round trip: detection differs");
	EXPECT(!memcmp(c.comp, n.comp, sizeof(c.comp)), "dump round trip: leaf 0xD differs");
	fpb_cpuid_canned_free(&src);
}
END_TEST

/* A short buffer gets a cut, terminated dump and the full length. */
START_TEST(test_dump_short)
{
	char small[40];
	size_t len = fpb_cpuid_dump(&fpb_cpuid_native, small, sizeof(small));

	EXPECT(len >= sizeof(small) - 1 && strlen(small) == sizeof(small) - 1,
	       "short dump: expected cut at %zu of %zu, got %zu", sizeof(small) - 1, len,
	       strlen(small));
}
END_TEST

/* CPUID exists on x86 only; elsewhere the native source answers nothing. */
/*
 * The vendor rules table: every row has a source and a named rule; each canned CPU gets its
 * vendor's rules (the Intel guest the MXCSR ones, the AMD ones XINUSE[1] kept after an init
 * XRSTOR); an unknown vendor gets the SDM's.
 */
START_TEST(test_xsave_rules)
{
	struct fpb_cpuid_source src;
	struct fpb_cpu cpu;
	uint32_t intel, amd;

	for (size_t i = 0; i < fpb_nr_xsave_rule_rows; i++) {
		const struct fpb_xsave_rule_row *r = &fpb_xsave_rule_rows[i];

		EXPECT(r->vendor && r->vendor[0] && r->source && strlen(r->source) > 10 &&
		       (unsigned)r->rule < FPB_NR_XSAVE_RULES &&
		       strcmp(fpb_xsave_rule_name(r->rule), "?"),
		       "rule row %zu: vendor, rule and source wanted", i);
		for (size_t j = 0; j < i; j++)
			EXPECT(strcmp(r->vendor, fpb_xsave_rule_rows[j].vendor) ||
			       r->rule != fpb_xsave_rule_rows[j].rule, "rule row %zu repeats row %zu",
			       i, j);
	}
	load(&src, &cpu, "intel-xeon-6-207-kvm-guest.txt");
	intel = fpb_xsave_rules(&cpu);
	fpb_cpuid_canned_free(&src);
	load(&src, &cpu, "amd-zen4-genoa.txt");
	amd = fpb_xsave_rules(&cpu);
	fpb_cpuid_canned_free(&src);
	EXPECT(intel & (1u << FPB_XR_XSAVEC_MXCSR_IF_SSE_INUSE) &&
	       intel & (1u << FPB_XR_MXCSR_MARKS_SSE_INUSE) &&
	       !(intel & (1u << FPB_XR_INIT_XRSTOR_KEEPS_SSE_INUSE)),
	       "Intel guest rules 0x%x", intel);
	EXPECT(amd & (1u << FPB_XR_INIT_XRSTOR_KEEPS_SSE_INUSE), "AMD rules 0x%x", amd);
	EXPECT(fpb_xsave_rules_of("HygonGenuine") == intel && fpb_xsave_rules(NULL) == intel,
	       "an unknown vendor gets the SDM's rules");
}
END_TEST

#if defined(__x86_64__) || defined(__i386__)
static const bool have_cpuid = true;
#else
static const bool have_cpuid;
#endif

static Suite *cpu_suite(void)
{
	Suite *s = suite_create("cpu");
	TCase *core = tcase_create("core"), *limits = tcase_create("limits");
	TCase *native = tcase_create("native");
	int n = (int)FPB_ARRAY_SIZE(fpb_expect);

	tcase_add_loop_test(core, test_canned_identity, 0, n);
	tcase_add_loop_test(core, test_canned_xstate, 0, n);
	tcase_add_loop_test(core, test_fingerprint_stable, 0, n);
	tcase_add_test(core, test_feature_names);
	tcase_add_test(core, test_xsave_rules);
	suite_add_tcase(s, core);
	tcase_add_test(limits, test_canned_malformed);
	tcase_add_test(limits, test_canned_missing);
	tcase_add_test(limits, test_canned_no_osxsave);
	suite_add_tcase(s, limits);
	tcase_add_test(native, test_native);
	if (have_cpuid)
		tcase_add_test(native, test_dump_roundtrip);
	else
		printf("SKIP: native: test_dump_roundtrip: no CPUID on this architecture "
		       "(the native source dumps nothing to read back)\n");
	tcase_add_test(native, test_dump_short);
	suite_add_tcase(s, native);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cpu_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
