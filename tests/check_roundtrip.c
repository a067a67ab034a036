// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check_roundtrip.c - architectural state survives each save kernel's instruction.
 *
 * Known values go into x87 st0-7, MXCSR, xmm0-15, the upper halves of ymm0-15, the upper 256 bits
 * of zmm0-15, zmm16-31 and k0-7 (only what this CPU enables); the state is saved with FXSAVE64,
 * XSAVE, XSAVEOPT or XSAVEC, clobbered, restored with the matching restore (FXRSTOR64, XRSTOR
 * from the standard or the compacted buffer) and read back, all inside one asm block with no
 * call in between.  The comparison afterwards is a plain loop.  x87 FIP/FDP/FCS/FDS are not
 * compared (only the registers are).
 */
#include "config.h"
#include <check.h>
#include <cpuid.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct regs {
	uint8_t st[8][16];	/* 80-bit values in the first 10 bytes */
	uint8_t xmm[16][16];
	uint8_t ymmh[16][16];
	uint8_t zmmh[16][32];
	uint8_t hi16[16][64];
	uint64_t k[8];
	uint32_t mxcsr;
};

/* What the asm block touches: bit numbers as in XCR0, plus 0x100: k registers with kmovq. */
enum {
	S_X87 = 0x1, S_SSE = 0x2, S_AVX = 0x4, S_K = 0x20, S_ZMMH = 0x40, S_HI16 = 0x80,
	S_KMOVQ = 0x100,
};

static uint64_t xcr0;
static unsigned sel_all;
static bool has_xsave, has_xsaveopt, has_xsavec;
static uint8_t buf[16384] __attribute__((aligned(64)));
static struct regs in, out;

#define REP8(M)		M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7)
#define REP16(M)	REP8(M) M(8) M(9) M(10) M(11) M(12) M(13) M(14) M(15)
#define REP16HI(M)	M(16) M(17) M(18) M(19) M(20) M(21) M(22) M(23) \
			M(24) M(25) M(26) M(27) M(28) M(29) M(30) M(31)

#define OFF(f)	[o_##f] "i"(offsetof(struct regs, f))

/* x87: push st7 first so st0 ends up with in.st[0]; read back by popping st0 first. */
#define ST_LD(i)	"fldt (7-" #i ")*16+%c[o_st](%[in])\n\t"
#define ST_ST(i)	"fstpt " #i "*16+%c[o_st](%[out])\n\t"
#define ST_CLOB(i)	"fldz\n\t"
#define X_LD(i)		"movdqu " #i "*16+%c[o_xmm](%[in]), %%xmm" #i "\n\t"
#define X_ST(i)		"movdqu %%xmm" #i ", " #i "*16+%c[o_xmm](%[out])\n\t"
#define X_CLOB(i)	"pxor %%xmm" #i ", %%xmm" #i "\n\t"
#define Y_LD(i)		"vinsertf128 $1, " #i "*16+%c[o_ymmh](%[in]), %%ymm" #i ", %%ymm" #i "\n\t"
#define Y_ST(i)		"vextractf128 $1, %%ymm" #i ", " #i "*16+%c[o_ymmh](%[out])\n\t"
#define Z_LD(i)		"vinserti64x4 $1, " #i "*32+%c[o_zmmh](%[in]), %%zmm" #i ", %%zmm" #i "\n\t"
#define Z_ST(i)		"vextracti64x4 $1, %%zmm" #i ", " #i "*32+%c[o_zmmh](%[out])\n\t"
#define H_LD(i)		"vmovdqu64 (" #i "-16)*64+%c[o_hi16](%[in]), %%zmm" #i "\n\t"
#define H_ST(i)		"vmovdqu64 %%zmm" #i ", (" #i "-16)*64+%c[o_hi16](%[out])\n\t"
#define H_CLOB(i)	"vpxord %%zmm" #i ", %%zmm" #i ", %%zmm" #i "\n\t"
#define KQ_LD(i)	"kmovq " #i "*8+%c[o_k](%[in]), %%k" #i "\n\t"
#define KQ_ST(i)	"kmovq %%k" #i ", " #i "*8+%c[o_k](%[out])\n\t"
#define KW_LD(i)	"kmovw " #i "*8+%c[o_k](%[in]), %%k" #i "\n\t"
#define KW_ST(i)	"kmovw %%k" #i ", " #i "*8+%c[o_k](%[out])\n\t"
#define K_CLOB(i)	"kxorw %%k" #i ", %%k" #i ", %%k" #i "\n\t"

/* Write, SAVE, clobber, RESTORE, read back: one asm block (sel in ECX, RFBM in EDX:EAX). */
#define ROUNDTRIP(save, restore)						\
	__asm__ __volatile__(							\
		/* write */							\
		"test $0x1, %%ecx\n\t jz 1f\n\t fninit\n\t" REP8(ST_LD) "1:\n\t"	\
		"test $0x2, %%ecx\n\t jz 2f\n\t ldmxcsr %c[o_mxcsr](%[in])\n\t"	\
		REP16(X_LD) "2:\n\t"						\
		"test $0x4, %%ecx\n\t jz 3f\n\t" REP16(Y_LD) "3:\n\t"		\
		"test $0x40, %%ecx\n\t jz 4f\n\t" REP16(Z_LD) "4:\n\t"		\
		"test $0x80, %%ecx\n\t jz 5f\n\t" REP16HI(H_LD) "5:\n\t"	\
		"test $0x20, %%ecx\n\t jz 7f\n\t test $0x100, %%ecx\n\t jz 6f\n\t" \
		REP8(KQ_LD) "jmp 7f\n 6:\n\t" REP8(KW_LD) "7:\n\t"		\
		/* save */							\
		save " (%[b])\n\t"						\
		/* clobber */							\
		"test $0x1, %%ecx\n\t jz 11f\n\t fninit\n\t" REP8(ST_CLOB) "fninit\n 11:\n\t" \
		"test $0x2, %%ecx\n\t jz 12f\n\t ldmxcsr %c[o_mxcsr](%[out])\n\t" \
		REP16(X_CLOB) "12:\n\t"						\
		"test $0x4, %%ecx\n\t jz 13f\n\t vzeroall\n 13:\n\t"		\
		"test $0x80, %%ecx\n\t jz 15f\n\t" REP16HI(H_CLOB) "15:\n\t"	\
		"test $0x20, %%ecx\n\t jz 17f\n\t" REP8(K_CLOB) "17:\n\t"	\
		/* restore */							\
		restore " (%[b])\n\t"						\
		/* read back */							\
		"test $0x1, %%ecx\n\t jz 21f\n\t" REP8(ST_ST) "21:\n\t"	\
		"test $0x2, %%ecx\n\t jz 22f\n\t stmxcsr %c[o_mxcsr](%[out])\n\t" \
		REP16(X_ST) "22:\n\t"						\
		"test $0x4, %%ecx\n\t jz 23f\n\t" REP16(Y_ST) "23:\n\t"	\
		"test $0x40, %%ecx\n\t jz 24f\n\t" REP16(Z_ST) "24:\n\t"	\
		"test $0x80, %%ecx\n\t jz 25f\n\t" REP16HI(H_ST) "25:\n\t"	\
		"test $0x20, %%ecx\n\t jz 27f\n\t test $0x100, %%ecx\n\t jz 26f\n\t" \
		REP8(KQ_ST) "jmp 27f\n 26:\n\t" REP8(KW_ST) "27:\n\t"		\
		: : [in] "r"(&in), [out] "r"(&out), [b] "r"(buf), "c"(sel),	\
		  "a"((uint32_t)rfbm), "d"((uint32_t)(rfbm >> 32)),		\
		  OFF(st), OFF(xmm), OFF(ymmh), OFF(zmmh), OFF(hi16), OFF(k), OFF(mxcsr) \
		: "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", \
		  "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15")

static void fill_in(void)
{
	static const long double x87[8] = {
		1.0L, -2.5L, 3.14159265358979323846L, 1e300L, -1e-300L, 123456789.125L,
		0.1L, -65536.0L,
	};
	uint8_t v = 1;

	memset(&in, 0, sizeof(in));
	for (int i = 0; i < 8; i++)
		memcpy(in.st[i], &x87[i], 10);
	/* Every byte distinct from its neighbours and never 0 (0 could pass for init). */
	for (uint8_t *p = &in.xmm[0][0]; p < (uint8_t *)&in.k[0]; p++) {
		*p = v;
		v = (uint8_t)(v * 7 + 13);
		if (!v)
			v = 0x5a;
	}
	for (int i = 0; i < 8; i++)
		in.k[i] = 0x0123456789abcdefull * (uint64_t)(i + 1) | 1;
	in.mxcsr = 0x7f80;	/* all exceptions masked, rounding toward zero */
	memset(&out, 0, sizeof(out));
	out.mxcsr = 0x1f80;	/* the clobber value */
}

static void restore_default_fpu(void)
{
	unsigned mx = 0x1f80;

	__asm__ __volatile__("ldmxcsr %0\n\tfninit" : : "m"(mx));
}

/* Compare what came back; name the first register that differs. */
static void compare(const char *how, unsigned sel)
{
	char msg[160] = "";

	if ((sel & S_X87) && !msg[0])
		for (int i = 0; i < 8 && !msg[0]; i++)
			if (memcmp(in.st[i], out.st[i], 10))
				snprintf(msg, sizeof(msg), "st%d", i);
	if ((sel & S_SSE) && !msg[0]) {
		if (in.mxcsr != out.mxcsr)
			snprintf(msg, sizeof(msg), "mxcsr: want 0x%x, got 0x%x", in.mxcsr,
				 out.mxcsr);
		for (int i = 0; i < 16 && !msg[0]; i++)
			if (memcmp(in.xmm[i], out.xmm[i], 16))
				snprintf(msg, sizeof(msg), "xmm%d", i);
	}
	if ((sel & S_AVX) && !msg[0])
		for (int i = 0; i < 16 && !msg[0]; i++)
			if (memcmp(in.ymmh[i], out.ymmh[i], 16))
				snprintf(msg, sizeof(msg), "ymm%d upper half", i);
	if ((sel & S_ZMMH) && !msg[0])
		for (int i = 0; i < 16 && !msg[0]; i++)
			if (memcmp(in.zmmh[i], out.zmmh[i], 32))
				snprintf(msg, sizeof(msg), "zmm%d upper 256 bits", i);
	if ((sel & S_HI16) && !msg[0])
		for (int i = 0; i < 16 && !msg[0]; i++)
			if (memcmp(in.hi16[i], out.hi16[i], 64))
				snprintf(msg, sizeof(msg), "zmm%d", i + 16);
	if ((sel & S_K) && !msg[0])
		for (int i = 0; i < 8 && !msg[0]; i++) {
			uint64_t m = (sel & S_KMOVQ) ? ~0ull : 0xffffull;

			if ((in.k[i] & m) != (out.k[i] & m))
				snprintf(msg, sizeof(msg), "k%d: want 0x%llx, got 0x%llx", i,
					 (unsigned long long)(in.k[i] & m),
					 (unsigned long long)(out.k[i] & m));
		}
	ck_assert_msg(!msg[0], "%s round trip (components 0x%x): %s differs after restore", how,
		      sel & 0xff, msg);
}

static uint64_t hdr_word(unsigned i)
{
	uint64_t v;

	memcpy(&v, buf + 512 + 8 * i, sizeof(v));
	return v;
}

START_TEST(test_fxsave64)
{
	unsigned sel = sel_all & (S_X87 | S_SSE);
	uint64_t rfbm = 0;

	fill_in();
	memset(buf, 0, sizeof(buf));
	ROUNDTRIP("fxsave64", "fxrstor64");
	restore_default_fpu();
	compare("fxsave64/fxrstor64", sel);
}
END_TEST

START_TEST(test_xsave)
{
	unsigned sel = sel_all;
	uint64_t rfbm = xcr0;

	fill_in();
	memset(buf, 0, sizeof(buf));
	ROUNDTRIP("xsave64", "xrstor64");
	restore_default_fpu();
	compare("xsave/xrstor", sel);
	ck_assert_msg((hdr_word(0) & (sel & 0xe4)) == (sel & 0xe4),
		      "xsave: XSTATE_BV 0x%llx lacks written components 0x%x",
		      (unsigned long long)hdr_word(0), sel & 0xe4);
	ck_assert_msg(hdr_word(1) == 0, "xsave: XCOMP_BV want 0, got 0x%llx",
		      (unsigned long long)hdr_word(1));
}
END_TEST

START_TEST(test_xsaveopt)
{
	unsigned sel = sel_all;
	uint64_t rfbm = xcr0;

	fill_in();
	memset(buf, 0, sizeof(buf));
	ROUNDTRIP("xsaveopt64", "xrstor64");
	restore_default_fpu();
	compare("xsaveopt/xrstor", sel);
}
END_TEST

START_TEST(test_xsavec)
{
	unsigned sel = sel_all;
	uint64_t rfbm = xcr0;

	fill_in();
	memset(buf, 0, sizeof(buf));
	ROUNDTRIP("xsavec64", "xrstor64");
	restore_default_fpu();
	compare("xsavec/xrstor (compacted)", sel);
	ck_assert_msg(hdr_word(1) >> 63, "xsavec: XCOMP_BV bit 63 clear (0x%llx)",
		      (unsigned long long)hdr_word(1));
	ck_assert_msg((hdr_word(1) & ~(1ull << 63)) == (xcr0 & rfbm),
		      "xsavec: XCOMP_BV want 0x%llx, got 0x%llx",
		      (unsigned long long)(xcr0 | (1ull << 63)), (unsigned long long)hdr_word(1));
}
END_TEST

/* The same data through a partial mask: only SSE+AVX are saved and restored. */
START_TEST(test_xsave_partial)
{
	unsigned sel = sel_all & (S_SSE | S_AVX);
	uint64_t rfbm = xcr0 & (S_SSE | S_AVX);

	fill_in();
	memset(buf, 0, sizeof(buf));
	ROUNDTRIP("xsave64", "xrstor64");
	restore_default_fpu();
	compare("xsave/xrstor mask sse,avx", sel);
	ck_assert_msg(!(hdr_word(0) & ~rfbm), "xsave mask 0x%llx wrote XSTATE_BV 0x%llx",
		      (unsigned long long)rfbm, (unsigned long long)hdr_word(0));
}
END_TEST

static void detect(void)
{
	unsigned a, b, c, d;
	uint32_t lo, hi;

	__cpuid(1, a, b, c, d);
	if (!(c & (1u << 27)))	/* OSXSAVE */
		return;
	has_xsave = true;
	__asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	xcr0 = ((uint64_t)hi << 32) | lo;
	__cpuid_count(0xd, 1, a, b, c, d);
	has_xsaveopt = a & 1;
	has_xsavec = a & 2;
	sel_all = (unsigned)(xcr0 & (S_X87 | S_SSE | S_AVX));
	if ((xcr0 & 0xe0) == 0xe0) {
		sel_all |= S_K | S_ZMMH | S_HI16;
		__cpuid_count(7, 0, a, b, c, d);
		if (b & (1u << 30))	/* AVX512BW: 64-bit opmasks */
			sel_all |= S_KMOVQ;
	}
}

static Suite *roundtrip_suite(void)
{
	Suite *s = suite_create("roundtrip");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_fxsave64);
	if (has_xsave) {
		tcase_add_test(tc, test_xsave);
		tcase_add_test(tc, test_xsave_partial);
	}
	if (has_xsave && has_xsaveopt)
		tcase_add_test(tc, test_xsaveopt);
	else
		printf("roundtrip: xsaveopt skipped (not on this CPU)\n");
	if (has_xsave && has_xsavec)
		tcase_add_test(tc, test_xsavec);
	else
		printf("roundtrip: xsavec skipped (not on this CPU)\n");
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

#if !defined(__x86_64__)
	return 77;
#endif
	detect();
	printf("roundtrip: XCR0 0x%llx, components written 0x%x%s\n", (unsigned long long)xcr0,
	       sel_all & 0xff, (sel_all & S_KMOVQ) ? " (64-bit opmasks)" : "");
	sr = srunner_create(roundtrip_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
