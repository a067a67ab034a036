/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * check_xstate.c - XSAVE layouts from canned leaf sets, the standard <-> compacted converter and
 * its rules, mask parsing and naming; on this machine, the converter against XSAVE/XSAVEC.
 */
#include <check.h>
#include "cpu.h"
#include "xstate.h"

/* Like ck_assert_msg, without Check's per-call bookkeeping (a write per passing assertion). */
#define EXPECT(cond, ...)	do { if (!(cond)) ck_abort_msg(__VA_ARGS__); } while (0)

static const char *const fpb_sets[] = {
	"intel-sapphire-rapids.txt", "amd-zen4-genoa.txt", "intel-sandy-bridge-e.txt",
	"amd-zen5-kvm-guest.txt", "intel-xeon-6-207-kvm-guest.txt",
};

static void load(struct fpb_cpu *cpu, const char *file)
{
	struct fpb_cpuid_source src;
	const char *dir = getenv("FPB_SRCDIR");
	char path[1024], why[FPB_REASON_LEN] = "";

	snprintf(path, sizeof(path), "%s/tests/cpuid/%s", dir ? dir : "..", file);
	EXPECT(!fpb_cpuid_canned_load(&src, path, why, sizeof(why)),
	       "loading %s: expected success, got: %s", path, why);
	fpb_cpu_detect(cpu, &src);
	fpb_cpuid_canned_free(&src);
}

/* Deterministic pseudo-random bytes (xorshift64), never zero-filled by accident. */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void fill(void *p, size_t n)
{
	unsigned char *b = p;

	for (size_t i = 0; i < n; i += 8) {
		uint64_t v = rnd() | 0x0101010101010101ULL;

		memcpy(b + i, &v, n - i < 8 ? n - i : 8);
	}
}

/* Index of the first non-zero byte of p[0..n), or n. */
static unsigned first_nonzero(const unsigned char *p, unsigned n)
{
	unsigned k = 0;

	while (k < n && !p[k])
		k++;
	return k;
}

struct layout_row {
	unsigned i;
	uint32_t offset;
};

static void check_layout(const char *file, uint64_t mask, const struct layout_row *rows, size_t n,
			 uint32_t total)
{
	struct fpb_cpu cpu;
	uint32_t off[64], size;
	uint64_t seen = 0;

	load(&cpu, file);
	size = fpb_xstate_compacted_layout(&cpu, mask, off);
	EXPECT(size == total, "%s mask 0x%llx: expected compacted size %u, got %u", file,
	       (unsigned long long)mask, total, size);
	for (size_t k = 0; k < n; k++) {
		seen |= FPB_BIT(rows[k].i);
		EXPECT(off[rows[k].i] == rows[k].offset,
		       "%s mask 0x%llx component %u (%s): expected offset %u, got %u", file,
		       (unsigned long long)mask, rows[k].i, fpb_xfeature_name(rows[k].i),
		       rows[k].offset, off[rows[k].i]);
	}
	for (unsigned i = 2; i < 64; i++)
		if (!(seen & FPB_BIT(i)))
			EXPECT(off[i] == 0,
			       "%s: component %u outside the mask has offset %u", file, i,
			       off[i]);
}

START_TEST(test_layout_spr)
{
	/* tilecfg (2440 -> 2496) and tiledata are 64-byte aligned (CPUID.(0xD,17/18):ECX[1]). */
	static const struct layout_row user[] = {
		{ 2, 576 }, { 5, 832 }, { 6, 896 }, { 7, 1408 }, { 9, 2432 }, { 17, 2496 },
		{ 18, 2560 },
	};
	static const struct layout_row with_pt[] = {
		{ 2, 576 }, { 5, 832 }, { 6, 896 }, { 7, 1408 }, { 8, 2432 }, { 9, 2560 },
		{ 17, 2624 }, { 18, 2688 },
	};
	struct fpb_cpu cpu;

	check_layout("intel-sapphire-rapids.txt", 0x602e7, user, FPB_ARRAY_SIZE(user), 10752);
	/* XCR0 | PT is what CPUID.(0xD,1):EBX = 0x2a80 was measured with. */
	check_layout("intel-sapphire-rapids.txt", 0x602e7 | FPB_BIT(8), with_pt,
		     FPB_ARRAY_SIZE(with_pt), 0x2a80);
	load(&cpu, "intel-sapphire-rapids.txt");
	ck_assert_uint_eq(cpu.xsaves_size, 0x2a80);
	ck_assert_uint_eq(fpb_xstate_standard_size(&cpu, cpu.xcr0), cpu.xsave_size_xcr0);
	ck_assert_uint_eq(fpb_xstate_standard_size(&cpu, cpu.xcr0_supported), cpu.xsave_size_max);
	ck_assert_uint_eq(fpb_xstate_standard_size(&cpu, FPB_XMASK_AMX), 0xb00 + 8192);
}
END_TEST

START_TEST(test_layout_zen4)
{
	static const struct layout_row user[] = {
		{ 2, 576 }, { 5, 832 }, { 6, 896 }, { 7, 1408 },
	};
	static const struct layout_row cet[] = {
		{ 2, 576 }, { 5, 832 }, { 6, 896 }, { 7, 1408 }, { 11, 2432 }, { 12, 2448 },
	};
	struct fpb_cpu cpu;

	check_layout("amd-zen4-genoa.txt", 0xe7, user, FPB_ARRAY_SIZE(user), 2432);
	/* 0xe7 | CET_U: CPUID.(0xD,1):EBX = 0x990 of the dump. */
	check_layout("amd-zen4-genoa.txt", 0x8e7, cet, 5, 0x990);
	/* 0xe7 | CET_U | CET_S: the 2472-byte kernel context of the Zen 4 guests. */
	check_layout("amd-zen4-genoa.txt", 0x18e7, cet, FPB_ARRAY_SIZE(cet), 2472);
	load(&cpu, "amd-zen4-genoa.txt");
	ck_assert_uint_eq(fpb_xstate_standard_size(&cpu, cpu.xcr0), cpu.xsave_size_xcr0);
	ck_assert_uint_eq(fpb_xstate_standard_size(&cpu, cpu.xcr0_supported), cpu.xsave_size_max);
	/* Standard offsets are vendor specific: opmask at 832 here, at 1088 on Intel. */
	ck_assert_uint_eq(cpu.comp[FPB_XF_OPMASK].std_offset, 832);
}
END_TEST

START_TEST(test_layout_others)
{
	static const struct layout_row avx[] = { { 2, 576 } };
	static const struct layout_row zen5[] = { { 2, 576 }, { 5, 832 }, { 6, 896 }, { 7, 1408 } };
	struct fpb_cpu cpu;

	check_layout("intel-sandy-bridge-e.txt", 0x7, avx, 1, 832);
	check_layout("amd-zen5-kvm-guest.txt", 0xe7, zen5, FPB_ARRAY_SIZE(zen5), 0x980);
	load(&cpu, "amd-zen5-kvm-guest.txt");
	ck_assert_uint_eq(fpb_xstate_compacted_layout(&cpu, cpu.xcr0, (uint32_t[64]){ 0 }),
			  cpu.xsaves_size);
	/* x87/sse only: the legacy region and the header. */
	ck_assert_uint_eq(fpb_xstate_compacted_layout(&cpu, 0x3, (uint32_t[64]){ 0 }), 576);
	ck_assert_uint_eq(fpb_xstate_standard_size(&cpu, 0x3), 576);
}
END_TEST

/*
 * The legacy region of a conversion's result: x87 and XMM carried when in XSTATE_BV, else their
 * init values (FCW 0x37f, zeros); MXCSR the value the source holds; MXCSR_MASK and the bytes
 * after XMM15 carried.
 */
static void expect_legacy(const char *file, int trial, const char *what, const unsigned char *got,
			  const unsigned char *src, uint64_t bv, uint32_t mxcsr)
{
	static const unsigned char x87_init[24] = { 0x7f, 0x03 };
	static const unsigned char zero[256];
	uint32_t m;

	memcpy(&m, got + FPB_MXCSR_OFFSET, 4);
	EXPECT(m == mxcsr, "%s trial %d: %s: MXCSR 0x%x, want 0x%x", file, trial, what, m, mxcsr);
	EXPECT(!memcmp(got, bv & 1 ? src : x87_init, 24) &&
	       !memcmp(got + 32, bv & 1 ? src + 32 : zero, 128),
	       "%s trial %d: %s: x87 %s", file, trial, what,
	       bv & 1 ? "not carried" : "not in its init state");
	EXPECT(!memcmp(got + 160, bv & 2 ? src + 160 : zero, 256),
	       "%s trial %d: %s: XMM registers %s", file, trial, what,
	       bv & 2 ? "not carried" : "not in their init state");
	EXPECT(!memcmp(got + 28, src + 28, 4) && !memcmp(got + 416, src + 416, 96),
	       "%s trial %d: %s: MXCSR_MASK or the bytes after XMM15 not carried", file, trial,
	       what);
}

/* Random contents, random XSTATE_BV within XCR0: standard -> compacted -> standard. */
START_TEST(test_roundtrip)
{
	const char *file = fpb_sets[_i];
	struct fpb_cpu cpu;
	char why[FPB_REASON_LEN];
	size_t slen, clen;
	unsigned char *std, *cmp, *back;

	load(&cpu, file);
	slen = fpb_xstate_standard_size(&cpu, cpu.xcr0_supported);
	clen = cpu.xsave_size_max + 64 * FPB_XSTATE_MAX;
	std = aligned_alloc(64, FPB_ALIGN_UP(slen, 64));
	cmp = aligned_alloc(64, FPB_ALIGN_UP(clen, 64));
	back = aligned_alloc(64, FPB_ALIGN_UP(slen, 64));
	ck_assert(std && cmp && back);
	for (int trial = 0; trial < 24; trial++) {
		uint64_t xstate_bv = trial == 0 ? cpu.xcr0 : trial == 1 ? 0 : rnd() & cpu.xcr0;
		uint64_t xcomp_bv = (trial & 1) ? cpu.xcr0 : xstate_bv | (rnd() & cpu.xcr0);
		struct fpb_xsave_hdr *h = fpb_xsave_hdr(std);
		uint32_t off[64];

		fill(std, slen);
		fill(cmp, clen);
		fill(back, slen);
		memset(h, 0, sizeof(*h));
		h->xstate_bv = xstate_bv;
		why[0] = '\0';
		EXPECT(!fpb_xstate_to_compacted(&cpu, cmp, clen, std, xcomp_bv, why,
						sizeof(why)),
		       "%s trial %d: to_compacted(xstate_bv 0x%llx, xcomp_bv 0x%llx): %s",
		       file, trial, (unsigned long long)xstate_bv,
		       (unsigned long long)xcomp_bv, why);
		EXPECT(!fpb_xstate_check_compacted(cmp, cpu.xcr0, why, sizeof(why)),
		       "%s trial %d: converter output breaks a rule: %s", file, trial, why);
		fpb_xstate_compacted_layout(&cpu, xcomp_bv, off);
		expect_legacy(file, trial, "to_compacted", cmp, std, xstate_bv,
			      fpb_xstate_mxcsr(std));
		for (unsigned i = 2; i < 64; i++)
			if (xstate_bv & FPB_BIT(i))
				EXPECT(!memcmp(cmp + off[i], std + cpu.comp[i].std_offset,
					       cpu.comp[i].size),
				       "%s trial %d: component %s not at offset %u", file,
				       trial, fpb_xfeature_name(i), off[i]);
		EXPECT(!fpb_xstate_to_standard(&cpu, back, slen, cmp, why, sizeof(why)),
		       "%s trial %d: to_standard failed: %s", file, trial, why);
		EXPECT(!fpb_xstate_check_standard(back, cpu.xcr0, why, sizeof(why)),
		       "%s trial %d: standard output breaks a rule: %s", file, trial, why);
		EXPECT(fpb_xsave_hdr(back)->xstate_bv == xstate_bv,
		       "%s trial %d: XSTATE_BV expected 0x%llx, got 0x%llx", file, trial,
		       (unsigned long long)xstate_bv,
		       (unsigned long long)fpb_xsave_hdr(back)->xstate_bv);
		expect_legacy(file, trial, "round trip", back, std, xstate_bv,
			      fpb_xstate_mxcsr(cmp));
		for (unsigned i = 2; i < 64; i++) {
			const unsigned char *b = back + cpu.comp[i].std_offset;

			if (!(cpu.xcr0 & FPB_BIT(i)))
				continue;
			if (xstate_bv & FPB_BIT(i)) {
				EXPECT(!memcmp(b, std + cpu.comp[i].std_offset,
					       cpu.comp[i].size),
				       "%s trial %d: component %s differs after round trip",
				       file, trial, fpb_xfeature_name(i));
			} else if (xcomp_bv & FPB_BIT(i)) {
				unsigned k = first_nonzero(b, cpu.comp[i].size);

				EXPECT(k == cpu.comp[i].size, "%s trial %d: component %s "
				       "not in XSTATE_BV was copied (byte %u)", file, trial,
				       fpb_xfeature_name(i), k);
			}
		}
	}
	free(std);
	free(cmp);
	free(back);
}
END_TEST

static void expect_reject(int rc, const char *why, const char *what, const char *fragment)
{
	EXPECT(rc == -EINVAL, "%s: expected -EINVAL, got %d", what, rc);
	EXPECT(strstr(why, fragment) && !strchr(why, '\n'),
	       "%s: expected a one-line reason with '%s', got '%s'", what, fragment, why);
}

/* A valid Zen 4 compacted buffer (XCOMP_BV 0xe7|CET_U, XSTATE_BV 0x7) for the rule tests. */
static unsigned char *zen4_compacted(struct fpb_cpu *cpu)
{
	unsigned char *b = aligned_alloc(64, 4096);
	struct fpb_xsave_hdr *h;

	ck_assert_ptr_nonnull(b);
	load(cpu, "amd-zen4-genoa.txt");
	cpu->xss = 0x800;
	cpu->xss_known = true;
	fill(b, 4096);
	h = fpb_xsave_hdr(b);
	memset(h, 0, sizeof(*h));
	h->xcomp_bv = 0x8e7 | FPB_XCOMP_BV_COMPACTED;
	h->xstate_bv = 0x7;
	return b;
}

START_TEST(test_rules_compacted)
{
	struct fpb_cpu cpu;
	unsigned char *b = zen4_compacted(&cpu), *out = aligned_alloc(64, 4096);
	struct fpb_xsave_hdr *h = fpb_xsave_hdr(b);
	char why[FPB_REASON_LEN] = "";
	uint64_t allowed = cpu.xcr0 | cpu.xss;

	EXPECT(!fpb_xstate_check_compacted(b, allowed, why, sizeof(why)), "valid: %s", why);
	EXPECT(!fpb_xstate_to_standard(&cpu, out, 4096, b, why, sizeof(why)), "valid: %s",
	       why);

	h->xcomp_bv &= ~FPB_XCOMP_BV_COMPACTED;
	expect_reject(fpb_xstate_check_compacted(b, allowed, why, sizeof(why)), why, "bit 63 clear",
		      "bit 63 clear");
	expect_reject(fpb_xstate_to_standard(&cpu, out, 4096, b, why, sizeof(why)), why,
		      "to_standard, bit 63 clear", "bit 63 clear");
	h->xcomp_bv |= FPB_XCOMP_BV_COMPACTED;

	expect_reject(fpb_xstate_check_compacted(b, cpu.xcr0, why, sizeof(why)), why,
		      "XCOMP_BV with CET_U, allowed XCR0 only", "XCOMP_BV sets bits 0x800 outside");
	h->xcomp_bv |= FPB_BIT(FPB_XF_PKRU);
	expect_reject(fpb_xstate_to_standard(&cpu, out, 4096, b, why, sizeof(why)), why,
		      "XCOMP_BV with PKRU outside XCR0", "XCOMP_BV sets bits 0x200 outside");
	h->xcomp_bv &= ~FPB_BIT(FPB_XF_PKRU);

	h->xstate_bv = 0x2e7;
	expect_reject(fpb_xstate_check_compacted(b, allowed, why, sizeof(why)), why,
		      "XSTATE_BV outside XCOMP_BV", "XSTATE_BV sets bits 0x200 outside XCOMP_BV");
	h->xstate_bv = 0x807;
	expect_reject(fpb_xstate_to_standard(&cpu, out, 4096, b, why, sizeof(why)), why,
		      "supervisor component to standard", "supervisor");
	h->xstate_bv = 0x7;

	for (unsigned k = 0; k < 6; k++) {
		char frag[48];

		h->reserved[k] = 1ULL << (k * 7);
		snprintf(frag, sizeof(frag), "bytes %u-%u (reserved)", 16 + 8 * k, 23 + 8 * k);
		expect_reject(fpb_xstate_check_compacted(b, allowed, why, sizeof(why)), why,
			      "reserved header word", frag);
		expect_reject(fpb_xstate_to_standard(&cpu, out, 4096, b, why, sizeof(why)), why,
			      "to_standard, reserved header word", frag);
		h->reserved[k] = 0;
	}
	expect_reject(fpb_xstate_to_standard(&cpu, out, 1000, b, why, sizeof(why)), why,
		      "small standard buffer", "too small: 1000 bytes, need 2432");
	free(b);
	free(out);
}
END_TEST

/*
 * A compacted image without SSE in XSTATE_BV holds MXCSR 0x1f80, whatever its field says (XSAVEC
 * leaves the field stale when XINUSE[1] = 0; a compacted XRSTOR sets 0x1f80, SDM vol. 1 13.8.2):
 * the standard copy must say 0x1f80, or a standard XRSTOR of it loads the stale value.
 */
START_TEST(test_mxcsr_compacted)
{
	static const struct { uint64_t bv; uint32_t want; } t[] = {
		{ 0, 0x1f80 }, { 0x1, 0x1f80 }, { 0x2, 0x5f80 }, { 0x4, 0x1f80 }, { 0x7, 0x5f80 },
		{ 0xe1, 0x1f80 },
	};
	struct fpb_cpu cpu;
	unsigned char *b = zen4_compacted(&cpu), *out = aligned_alloc(64, 4096);
	char why[FPB_REASON_LEN] = "";

	ck_assert_ptr_nonnull(out);
	for (size_t k = 0; k < FPB_ARRAY_SIZE(t); k++) {
		uint32_t stale = 0x5f80, m;

		memcpy(b + FPB_MXCSR_OFFSET, &stale, 4);
		fpb_xsave_hdr(b)->xstate_bv = t[k].bv;
		EXPECT(fpb_xstate_mxcsr(b) == t[k].want, "XSTATE_BV 0x%llx: MXCSR read 0x%x, want 0x%x",
		       (unsigned long long)t[k].bv, fpb_xstate_mxcsr(b), t[k].want);
		fill(out, 4096);
		EXPECT(!fpb_xstate_to_standard(&cpu, out, 4096, b, why, sizeof(why)), "%s", why);
		memcpy(&m, out + FPB_MXCSR_OFFSET, 4);
		EXPECT(m == t[k].want && fpb_xstate_mxcsr(out) == t[k].want,
		       "XSTATE_BV 0x%llx: standard copy has MXCSR 0x%x, want 0x%x",
		       (unsigned long long)t[k].bv, m, t[k].want);
		for (unsigned i = 5; i <= 7; i++)
			if (!(t[k].bv & FPB_BIT(i)))
				EXPECT(first_nonzero(out + cpu.comp[i].std_offset, cpu.comp[i].size) ==
				       cpu.comp[i].size, "XSTATE_BV 0x%llx: %s not in its init state",
				       (unsigned long long)t[k].bv, fpb_xfeature_name(i));
	}
	/* A standard image's field is state whatever XSTATE_BV says. */
	fpb_xsave_hdr(out)->xstate_bv = 0;
	memcpy(out + FPB_MXCSR_OFFSET, &(uint32_t){ 0x5f80 }, 4);
	EXPECT(fpb_xstate_mxcsr(out) == 0x5f80, "standard image: MXCSR read 0x%x, want 0x5f80",
	       fpb_xstate_mxcsr(out));
	free(b);
	free(out);
}
END_TEST

START_TEST(test_rules_standard)
{
	struct fpb_cpu cpu;
	unsigned char *std = aligned_alloc(64, 4096), *out = aligned_alloc(64, 4096);
	struct fpb_xsave_hdr *h = fpb_xsave_hdr(std);
	char why[FPB_REASON_LEN] = "";

	ck_assert(std && out);
	load(&cpu, "amd-zen4-genoa.txt");
	fill(std, 4096);
	memset(h, 0, sizeof(*h));
	h->xstate_bv = 0xe7;
	EXPECT(!fpb_xstate_check_standard(std, cpu.xcr0, why, sizeof(why)), "valid: %s",
	       why);

	h->xcomp_bv = 0x7;
	expect_reject(fpb_xstate_check_standard(std, cpu.xcr0, why, sizeof(why)), why,
		      "standard with XCOMP_BV", "XCOMP_BV is 0x7 in a standard-format buffer");
	expect_reject(fpb_xstate_to_compacted(&cpu, out, 4096, std, 0xe7, why, sizeof(why)), why,
		      "to_compacted from a buffer with XCOMP_BV", "XCOMP_BV is 0x7");
	h->xcomp_bv = 0;

	h->xstate_bv = 0x2e7;
	expect_reject(fpb_xstate_check_standard(std, cpu.xcr0, why, sizeof(why)), why,
		      "XSTATE_BV outside XCR0", "XSTATE_BV sets bits 0x200 outside XCR0 0xe7");
	expect_reject(fpb_xstate_to_compacted(&cpu, out, 4096, std, 0xe7, why, sizeof(why)), why,
		      "to_compacted, XSTATE_BV outside XCR0", "outside XCR0");
	h->xstate_bv = 0xe7;

	h->reserved[5] = 1;
	expect_reject(fpb_xstate_check_standard(std, cpu.xcr0, why, sizeof(why)), why,
		      "standard reserved", "bytes 56-63 (reserved)");
	h->reserved[5] = 0;

	expect_reject(fpb_xstate_to_compacted(&cpu, out, 4096, std, 0x7, why, sizeof(why)), why,
		      "XSTATE_BV beyond the requested XCOMP_BV",
		      "XSTATE_BV sets bits 0xe0 outside XCOMP_BV");
	expect_reject(fpb_xstate_to_compacted(&cpu, out, 4096, std, 0x400e7, why, sizeof(why)), why,
		      "XCOMP_BV with tiledata on Zen 4", "XCOMP_BV sets bits 0x40000 outside");
	expect_reject(fpb_xstate_to_compacted(&cpu, out, 2000, std, 0xe7, why, sizeof(why)), why,
		      "small compacted buffer", "too small: 2000 bytes, need 2432");
	/* A component XCR0 claims but leaf 0xD does not describe. */
	cpu.xcr0 |= FPB_BIT(FPB_XF_BNDREGS);
	expect_reject(fpb_xstate_to_compacted(&cpu, out, 4096, std, 0xef, why, sizeof(why)), why,
		      "undescribed component", "component 3 is not described");
	/* Bit 63 given by the caller is the compacted marker, not a component. */
	cpu.xcr0 &= ~FPB_BIT(FPB_XF_BNDREGS);
	EXPECT(!fpb_xstate_to_compacted(&cpu, out, 4096, std, 0xe7 | FPB_XCOMP_BV_COMPACTED,
					why, sizeof(why)), "xcomp_bv with bit 63: %s", why);
	EXPECT(fpb_xsave_hdr(out)->xcomp_bv == (0xe7 | FPB_XCOMP_BV_COMPACTED),
	       "XCOMP_BV: expected 0x80000000000000e7, got 0x%llx",
	       (unsigned long long)fpb_xsave_hdr(out)->xcomp_bv);
	free(std);
	free(out);
}
END_TEST

static const struct {
	const char *s;
	uint64_t want;
} fpb_good_masks[] = {
	{ "all", 0x602e7 }, { "sse", 0x2 }, { "x87", 0x1 }, { "avx", 0x4 },
	{ "avx512", 0xe0 }, { "AVX512", 0xe0 }, { "amx", 0x60000 }, { "x87,sse,avx", 0x7 },
	{ "sse+avx", 0x6 }, { "0x7", 0x7 }, { "0XE7", 0xe7 }, { "pkru,0x1", 0x201 },
	{ "tiledata", 0x40000 }, { "opmask,zmm_hi256,hi16_zmm", 0xe0 }, { "0x0", 0 },
	{ "0xffffffffffffffff", ~0ULL }, { "sse,all", 0x602e7 }, { "cet_u", 0x800 },
};

static void mask_parse_one(int _i)
{
	char why[FPB_REASON_LEN] = "";
	uint64_t m = 12345;

	EXPECT(!fpb_xstate_parse_mask(fpb_good_masks[_i].s, 0x602e7, &m, why, sizeof(why)),
	       "mask '%s': expected success, got: %s", fpb_good_masks[_i].s, why);
	EXPECT(m == fpb_good_masks[_i].want, "mask '%s': expected 0x%llx, got 0x%llx",
	       fpb_good_masks[_i].s, (unsigned long long)fpb_good_masks[_i].want,
	       (unsigned long long)m);
}

START_TEST(test_mask_parse)
{
	for (int k = 0; k < (int)FPB_ARRAY_SIZE(fpb_good_masks); k++)
		mask_parse_one(k);
}
END_TEST

static const struct {
	const char *s, *reason;
} fpb_bad_masks[] = {
	{ "", "empty mask" }, { "foo", "unknown component 'foo'" },
	{ "sse,,avx", "empty item" }, { ",sse", "empty item" }, { "sse,", "empty item" },
	{ "0x", "unknown component '0x'" }, { "0xzz", "unknown component '0xzz'" },
	{ "0x1ffffffffffffffff", "unknown component" },
	{ "avx 512", "unknown component 'avx 512'" },
	{ "bit20", "unknown component" }, { "-1", "unknown component '-1'" },
};

static void mask_parse_bad_one(int _i)
{
	char why[FPB_REASON_LEN] = "";
	uint64_t m = 12345;

	expect_reject(fpb_xstate_parse_mask(fpb_bad_masks[_i].s, 0x602e7, &m, why, sizeof(why)),
		      why, fpb_bad_masks[_i].s, fpb_bad_masks[_i].reason);
	EXPECT(m == 12345, "mask '%s': output written on failure", fpb_bad_masks[_i].s);
}

START_TEST(test_mask_parse_bad)
{
	for (int k = 0; k < (int)FPB_ARRAY_SIZE(fpb_bad_masks); k++)
		mask_parse_bad_one(k);
}
END_TEST

START_TEST(test_mask_name)
{
	static const struct {
		uint64_t mask, xcr0;
		const char *name;
	} rows[] = {
		{ 0xe7, 0xe7, "all" }, { 0x602e7, 0x602e7, "all" }, { 0xe0, 0x602e7, "avx512" },
		{ 0x2, 0xe7, "sse" }, { 0x4, 0xe7, "avx" }, { 0x60000, 0x602e7, "amx" },
		{ 0x200, 0x2e7, "pkru" }, { 0x3, 0xe7, "0x3" }, { 0x0, 0x0, "0x0" },
		{ 0x7, 0xe7, "0x7" },
	};
	char buf[32], tiny[3];
	uint64_t m;

	for (size_t k = 0; k < FPB_ARRAY_SIZE(rows); k++) {
		fpb_xstate_mask_name(rows[k].mask, rows[k].xcr0, buf, sizeof(buf));
		EXPECT(!strcmp(buf, rows[k].name),
		       "name of 0x%llx (xcr0 0x%llx): expected %s, got %s",
		       (unsigned long long)rows[k].mask,
		       (unsigned long long)rows[k].xcr0, rows[k].name, buf);
		EXPECT(!fpb_xstate_parse_mask(buf, rows[k].xcr0, &m, NULL, 0) &&
		       m == rows[k].mask, "name %s does not parse back to 0x%llx", buf,
		       (unsigned long long)rows[k].mask);
	}
	fpb_xstate_mask_name(0x602e7, 0x602e7, tiny, sizeof(tiny));
	ck_assert_str_eq(tiny, "al");
	ck_assert_str_eq(fpb_xfeature_name(FPB_XF_TILEDATA), "tiledata");
	ck_assert_str_eq(fpb_xfeature_name(FPB_XF_ZMM_HI256), "zmm_hi256");
	ck_assert_str_eq(fpb_xfeature_name(40), "bit40");
	ck_assert_str_eq(fpb_xfeature_name(64), "?");
}
END_TEST

#if defined(__x86_64__)
/*
 * Dirty some state, then XSAVE (standard) and XSAVEC (compacted) back to back with RFBM = XCR0;
 * the converter's compacted image of the XSAVE buffer must equal what XSAVEC wrote.
 */
START_TEST(test_native_xsavec)
{
	struct fpb_cpu cpu;
	unsigned char *std, *hw, *conv;
	uint32_t lo, hi, off[64];
	char why[FPB_REASON_LEN] = "";
	uint64_t xstate_bv;
	size_t len;

	fpb_cpu_detect(&cpu, &fpb_cpuid_native);
	if (!fpb_cpu_has(&cpu, FPB_CPU_OSXSAVE) || !fpb_cpu_has(&cpu, FPB_CPU_XSAVEC))
		return;		/* nothing to compare with here (the canned tests still ran) */
	len = FPB_ALIGN_UP(cpu.xsave_size_max + 64 * FPB_XSTATE_MAX, 64);
	std = aligned_alloc(64, len);
	hw = aligned_alloc(64, len);
	conv = aligned_alloc(64, len);
	ck_assert(std && hw && conv);
	memset(std, 0, len);
	memset(hw, 0, len);
	lo = (uint32_t)cpu.xcr0;
	hi = (uint32_t)(cpu.xcr0 >> 32);
	if (fpb_cpu_has(&cpu, FPB_CPU_AVX512F))
		__asm__ __volatile__("vpternlogd $0xff, %%zmm0, %%zmm0, %%zmm0\n\t"
				     "vpternlogd $0xff, %%zmm17, %%zmm17, %%zmm17\n\t"
				     "kxnorw %%k2, %%k2, %%k2\n\t"
				     "xsave64 (%0)\n\txsavec64 (%1)\n\tvzeroupper"
				     :: "r"(std), "r"(hw), "a"(lo), "d"(hi) : "xmm0", "memory");
	else if (fpb_cpu_has(&cpu, FPB_CPU_AVX))
		__asm__ __volatile__("vpcmpeqd %%ymm0, %%ymm0, %%ymm0\n\t"
				     "xsave64 (%0)\n\txsavec64 (%1)\n\tvzeroupper"
				     :: "r"(std), "r"(hw), "a"(lo), "d"(hi) : "xmm0", "memory");
	else
		__asm__ __volatile__("xsave64 (%0)\n\txsavec64 (%1)"
				     :: "r"(std), "r"(hw), "a"(lo), "d"(hi) : "memory");
	xstate_bv = fpb_xsave_hdr(hw)->xstate_bv;
	EXPECT(fpb_xsave_hdr(std)->xstate_bv == xstate_bv,
	       "XSTATE_BV: XSAVE wrote 0x%llx, XSAVEC 0x%llx",
	       (unsigned long long)fpb_xsave_hdr(std)->xstate_bv,
	       (unsigned long long)xstate_bv);
	EXPECT(!fpb_xstate_check_compacted(hw, cpu.xcr0, why, sizeof(why)),
	       "XSAVEC output breaks a rule: %s", why);
	EXPECT(!fpb_xstate_to_compacted(&cpu, conv, len, std, cpu.xcr0, why, sizeof(why)),
	       "to_compacted: %s", why);
	EXPECT(!memcmp(fpb_xsave_hdr(conv), fpb_xsave_hdr(hw), FPB_XSAVE_HDR_SIZE),
	       "header differs from XSAVEC's (XCOMP_BV 0x%llx vs 0x%llx)",
	       (unsigned long long)fpb_xsave_hdr(conv)->xcomp_bv,
	       (unsigned long long)fpb_xsave_hdr(hw)->xcomp_bv);
	fpb_xstate_compacted_layout(&cpu, cpu.xcr0, off);
	for (unsigned i = 2; i < 64; i++)
		if (xstate_bv & FPB_BIT(i))
			EXPECT(!memcmp(conv + off[i], hw + off[i], cpu.comp[i].size),
			       "component %s at %u differs from XSAVEC's",
			       fpb_xfeature_name(i), off[i]);
	if (xstate_bv & FPB_BIT(FPB_XF_SSE))
		EXPECT(!memcmp(conv + 160, hw + 160, 256), "XMM registers differ");
	EXPECT(!memcmp(conv + 24, hw + 24, 8), "MXCSR differs");
	free(std);
	free(hw);
	free(conv);
}
END_TEST
#endif

static Suite *xstate_suite(void)
{
	Suite *s = suite_create("xstate");
	TCase *core = tcase_create("core"), *limits = tcase_create("limits");
	TCase *native = tcase_create("native");

	tcase_add_test(core, test_layout_spr);
	tcase_add_test(core, test_layout_zen4);
	tcase_add_test(core, test_layout_others);
	tcase_add_loop_test(core, test_roundtrip, 0, (int)FPB_ARRAY_SIZE(fpb_sets));
	tcase_add_test(core, test_mask_parse);
	tcase_add_test(core, test_mask_name);
	suite_add_tcase(s, core);
	tcase_add_test(limits, test_rules_compacted);
	tcase_add_test(limits, test_rules_standard);
	tcase_add_test(limits, test_mxcsr_compacted);
	tcase_add_test(limits, test_mask_parse_bad);
	suite_add_tcase(s, limits);
#if defined(__x86_64__)
	tcase_add_test(native, test_native_xsavec);
#endif
	suite_add_tcase(s, native);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(xstate_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
