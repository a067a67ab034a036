// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check_fpstate_config.c - the kernel's three FPU configurations (strategies/fpstate-config.c)
 * from the canned CPUID sets of tests/cpuid/, and the simulated machine's buffers sized from
 * them.  Every expected size below is worked out by hand from the set's leaf 0xD sub-leaves
 * (EAX size, EBX standard offset, ECX bit 0 supervisor, bit 1 64-byte aligned, bit 2 XFD).
 *
 * The canned sets record no IA32_XSS (user-mode dumps cannot read it): the tests set it.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cpu.h"
#include "xstate.h"
#include "fpstate-config.h"
#include "strategies-testlib.h"

#define XSS_CET		0x1800ull	/* CET_U (11) | CET_S (12) */
#define XSS_LINUX	0x9c00ull	/* PASID (10) | CET_U | CET_S | LBR (15) */
#define XSS_UNKNOWN	(~0ull)

struct cfg_case {
	const char *file;
	uint64_t xss;			/* XSS_UNKNOWN: leave cpu.xss_known false */
	bool compacted;
	uint64_t kdef, kmax, udef, umax, gdef, gmax;	/* feature sets */
	uint32_t kdef_sz, kmax_sz, udef_sz, umax_sz, gdef_sz, gmax_sz;
};

/*
 * Sapphire Rapids (xcr0 0x602e7, XSAVES, XFD).  Sizes (offsets) from leaf 0xD:
 *   avx 256 (@576), opmask 64 (@1088), zmm_hi256 512 (@1152), hi16_zmm 1024 (@1664),
 *   pkru 8 (@2688), pasid 8 S, cet_u 16 S, cet_s 24 S, lbr 808 S,
 *   tilecfg 64 (@2752, aligned), tiledata 8192 (@2816, aligned, XFD).
 * User dynamic = tiledata (0x40000).
 * Compacted, in bit order from 576: avx 576+256 = 832, opmask 896, zmm_hi256 1408,
 *   hi16_zmm 2432, pkru 2440, then
 *   XSS 0x1800 kernel default 0x20ae7: cet_u 2456, tilecfg align64(2456) = 2496 +64 = 2560;
 *                 kernel max +tiledata: 2560 is aligned, +8192 = 10752;
 *              guest default 0x21ae7: cet_u 2456, cet_s 2480, tilecfg 2496 +64 = 2560 (the
 *                 alignment swallows CET_S); guest max 10752.
 *   XSS 0x9c00 (LBR is independent: never in an fpstate) kernel default 0x20ee7:
 *                 pasid 2448, cet_u 2464, tilecfg 2496 +64 = 2560, max 10752;
 *              guest default 0x21ee7: cet_s 2488, tilecfg 2496 +64 = 2560, max 10752.
 * Standard (user): default 0x202e7 ends with tilecfg 2752+64 = 2816; max 0x602e7 with tiledata
 *   2816+8192 = 11008 (= 0xD.0 EBX 0x2b00).
 * Unknown XSS: inferred as Linux sets it, 0xD.1 ECX 0xdd00 & 0x9c00 = 0x9c00.
 */
#define SPR "intel-sapphire-rapids.txt"
/*
 * Zen 4 Genoa (xcr0 0xe7, XSAVES, no XFD): avx 256, opmask 64, zmm_hi256 512, hi16_zmm 1024
 *   (standard end 1408+1024 = 2432 = 0xD.0 EBX 0x980), cet_u 16 S, cet_s 24 S.
 *   Compacted: 576+256+64+512+1024 = 2432; kernel 0x8e7 (+cet_u) 2448 (= 0xD.1 EBX 0x990, the
 *   size for XCR0|CET_U); guest 0x18e7 (+cet_s) 2448+24 = 2472 (the 2472-byte kernel context
 *   seen on the Zen 4 machines, notes/ring0-under-qemu.md).  No XFD: default = max.
 */
#define ZEN4 "amd-zen4-genoa.txt"
/*
 * Zen 5 KVM guest (xcr0 0xe7, XSAVEC, no XSAVES): compacted like Linux >= 5.19 (XCOMPACTED with
 * XSAVEC), no supervisor state; 576+256+64+512+1024 = 2432, the standard end too.
 */
#define ZEN5 "amd-zen5-kvm-guest.txt"
/* Sandy Bridge-E (xcr0 0x7, no XSAVEC/XSAVES): avx 576+256 = 832. */
#define SNB "intel-sandy-bridge-e.txt"

static const struct cfg_case cases[] = {
	{ SPR, XSS_CET, true, 0x20ae7, 0x60ae7, 0x202e7, 0x602e7, 0x21ae7, 0x61ae7,
	  2560, 10752, 2816, 11008, 2560, 10752 },
	{ SPR, XSS_LINUX, true, 0x20ee7, 0x60ee7, 0x202e7, 0x602e7, 0x21ee7, 0x61ee7,
	  2560, 10752, 2816, 11008, 2560, 10752 },
	{ SPR, XSS_UNKNOWN, true, 0x20ee7, 0x60ee7, 0x202e7, 0x602e7, 0x21ee7, 0x61ee7,
	  2560, 10752, 2816, 11008, 2560, 10752 },
	{ ZEN4, XSS_CET, true, 0x8e7, 0x8e7, 0xe7, 0xe7, 0x18e7, 0x18e7,
	  2448, 2448, 2432, 2432, 2472, 2472 },
	{ ZEN5, XSS_UNKNOWN, true, 0xe7, 0xe7, 0xe7, 0xe7, 0xe7, 0xe7,
	  2432, 2432, 2432, 2432, 2432, 2432 },
	{ SNB, XSS_UNKNOWN, false, 0x7, 0x7, 0x7, 0x7, 0x7, 0x7, 832, 832, 832, 832, 832, 832 },
};

/* Load a canned set into cpu and set IA32_XSS as the case says. */
static void load(struct fpb_cpu *cpu, const char *file, uint64_t xss)
{
	const char *dir = getenv("FPB_SRCDIR");
	struct fpb_cpuid_source src;
	char path[1024], why[FPB_REASON_LEN] = "";

	snprintf(path, sizeof(path), "%s/tests/cpuid/%s", dir ? dir : "..", file);
	ck_assert_msg(!fpb_cpuid_canned_load(&src, path, why, sizeof(why)), "%s: %s", path, why);
	memset(cpu, 0, sizeof(*cpu));
	fpb_cpu_detect(cpu, &src);
	fpb_cpuid_canned_free(&src);
	if (xss != XSS_UNKNOWN) {
		cpu->xss = xss;
		cpu->xss_known = true;
	}
}

#define EXPECT_EQ(what, want, got)						\
	ck_assert_msg((uint64_t)(want) == (uint64_t)(got), "%s xss %s: %s: expected 0x%llx (%llu), " \
		      "got 0x%llx (%llu)", c->file, xss_name, what,			\
		      (unsigned long long)(want), (unsigned long long)(want),		\
		      (unsigned long long)(got), (unsigned long long)(got))

START_TEST(test_configs)
{
	const struct cfg_case *c = &cases[_i];
	struct fpb_fpstate_cfgs f;
	struct fpb_cpu cpu;
	char xss_name[24];

	load(&cpu, c->file, c->xss);
	snprintf(xss_name, sizeof(xss_name), c->xss == XSS_UNKNOWN ? "unknown" : "0x%llx",
		 (unsigned long long)c->xss);
	fpb_fpstate_cfg_compute(&f, &cpu);
	EXPECT_EQ("compacted", c->compacted, f.compacted);
	EXPECT_EQ("kernel default features", c->kdef, f.kernel.default_features);
	EXPECT_EQ("kernel max features", c->kmax, f.kernel.max_features);
	EXPECT_EQ("user default features", c->udef, f.user.default_features);
	EXPECT_EQ("user max features", c->umax, f.user.max_features);
	EXPECT_EQ("guest default features", c->gdef, f.guest.default_features);
	EXPECT_EQ("guest max features", c->gmax, f.guest.max_features);
	EXPECT_EQ("kernel default size", c->kdef_sz, f.kernel.default_size);
	EXPECT_EQ("kernel max size", c->kmax_sz, f.kernel.max_size);
	EXPECT_EQ("user default size", c->udef_sz, f.user.default_size);
	EXPECT_EQ("user max size", c->umax_sz, f.user.max_size);
	EXPECT_EQ("guest default size", c->gdef_sz, f.guest.default_size);
	EXPECT_EQ("guest max size", c->gmax_sz, f.guest.max_size);
	EXPECT_EQ("xss inferred", c->xss == XSS_UNKNOWN && fpb_cpu_has(&cpu, FPB_CPU_XSAVES),
		  f.xss_inferred);
	/* The user max size is the standard size CPUID reports for XCR0. */
	EXPECT_EQ("user max size vs CPUID.(0xD,0).EBX", cpu.xsave_size_xcr0, f.user.max_size);
}
END_TEST

/* The compacted rule reproduces CPUID.(0xD,1).EBX for the XSS the dump was taken under. */
START_TEST(test_cpuid_compacted_size)
{
	static const struct { const char *file; uint64_t xss; } sets[] = {
		{ SPR, 0x100 },		/* Windows enables PT: 0x602e7|0x100 -> 0x2a80 */
		{ ZEN4, 0x800 },	/* CET_U: 0xe7|0x800 -> 0x990 */
	};

	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		struct fpb_cpu cpu;
		uint32_t got;

		load(&cpu, sets[i].file, XSS_UNKNOWN);
		got = fpb_fpstate_size(&cpu, cpu.xcr0 | sets[i].xss, true);
		ck_assert_msg(got == cpu.xsaves_size, "%s: compacted size of 0x%llx: expected "
			      "0x%x (CPUID.(0xD,1).EBX), got 0x%x", sets[i].file,
			      (unsigned long long)(cpu.xcr0 | sets[i].xss), cpu.xsaves_size, got);
	}
}
END_TEST

/* A legacy-only or empty set still takes the legacy area and header. */
START_TEST(test_size_floor)
{
	struct fpb_cpu cpu;

	load(&cpu, SPR, XSS_CET);
	ck_assert_uint_eq(fpb_fpstate_size(&cpu, 0, true), 576);
	ck_assert_uint_eq(fpb_fpstate_size(&cpu, 3, false), 576);
	/* tilecfg alone: 576 is 64-aligned, so 576 + 64 compacted; standard 2752 + 64. */
	ck_assert_uint_eq(fpb_fpstate_size(&cpu, 3 | FPB_BIT(FPB_XF_TILECFG), true), 640);
	ck_assert_uint_eq(fpb_fpstate_size(&cpu, 3 | FPB_BIT(FPB_XF_TILECFG), false), 2816);
	/* pkru then tilecfg: 576 + 8 = 584, aligned up to 640, + 64 = 704. */
	ck_assert_uint_eq(fpb_fpstate_size(&cpu, 3 | FPB_BIT(FPB_XF_PKRU) |
					   FPB_BIT(FPB_XF_TILECFG), true), 704);
}
END_TEST

/* The machine's buffers follow the configurations; the XFD reallocation grows to guest max. */
static void machine_sizes(const char *file, uint64_t xss, const char *guest, const char *scn)
{
	const struct fpb_scenario *sc = fpb_scenario_find(scn);
	struct fpb_machine *m = calloc(1, sizeof(*m));
	struct fpb_fpstate_cfgs f;
	struct fpb_backend be;
	struct fpb_cpu cpu;
	char why[FPB_REASON_LEN] = "";
	const struct fpb_sim_ctx *v;

	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_nonnull(sc);
	load(&cpu, file, xss);
	fpb_fpstate_cfg_compute(&f, &cpu);
	ck_assert_msg(!fpbt_open(&be, &fpb_backend_record, &cpu, why, sizeof(why)), "%s", why);
	ck_assert_msg(!fpb_scenario_supported(sc, &cpu, why, sizeof(why)), "%s: %s", scn, why);
	ck_assert_msg(!fpb_machine_init(m, &be, &cpu, fpb_strategy_find("eager-pkru"),
					fpb_strategy_find(guest), &sc->cfg, why, sizeof(why)),
		      "%s", why);
	m->check = true;
	v = &m->ctx[0];
	ck_assert_msg(v->flags & FPB_CTX_VCPU, "ctx 0 is not the vCPU thread");
	ck_assert_msg(v->task_fps.size == f.kernel.default_size &&
		      v->task_fps.features == f.kernel.default_features,
		      "%s/%s: task fpstate: expected %u bytes 0x%llx, got %zu 0x%llx", file, guest,
		      f.kernel.default_size, (unsigned long long)f.kernel.default_features,
		      v->task_fps.size, (unsigned long long)v->task_fps.features);
	ck_assert_msg(v->guest_fps.size == f.guest.default_size &&
		      v->guest_fps.features == f.guest.default_features,
		      "%s/%s: guest fpstate: expected %u bytes 0x%llx, got %zu 0x%llx", file, guest,
		      f.guest.default_size, (unsigned long long)f.guest.default_features,
		      v->guest_fps.size, (unsigned long long)v->guest_fps.features);
	ck_assert_msg(v->user_fpu.size == f.kernel.default_size, "user_fpu: expected %u, got %zu",
		      f.kernel.default_size, v->user_fpu.size);
	ck_assert_msg(m->init_fps.size == f.kernel.default_size, "init_fps: expected %u, got %zu",
		      f.kernel.default_size, m->init_fps.size);
	ck_assert_msg(m->uabi_size == f.user.max_size && m->sigframe_size == f.user.default_size,
		      "uabi/sigframe: expected %u/%u, got %zu/%zu", f.user.max_size,
		      f.user.default_size, m->uabi_size, m->sigframe_size);
	ck_assert_msg(!fpbt_scenario(m, sc, 2), "%s/%s over %s: %s", file, guest, scn, m->why);
	if (sc->cfg.guest_xfd_armed && !strcmp(guest, "swap"))
		ck_assert_msg(v->guest_fps.size == f.guest.max_size &&
			      v->guest_fps.features == f.guest.max_features,
			      "%s: reallocated guest fpstate: expected %u bytes 0x%llx, got %zu "
			      "0x%llx", file, f.guest.max_size,
			      (unsigned long long)f.guest.max_features, v->guest_fps.size,
			      (unsigned long long)v->guest_fps.features);
	fpb_machine_fini(m);
	fpbt_close(&be);
	free(m);
}

START_TEST(test_machine_spr_realloc)
{
	/* 2560 -> 10752 bytes at the guest's first AMX use. */
	machine_sizes(SPR, XSS_CET, "swap", "kvm-xfd-realloc");
}
END_TEST

START_TEST(test_machine_zen4_cet)
{
	/* Task 2448, guest 2472: copy3 copies a task fpstate into a bigger guest one. */
	machine_sizes(ZEN4, XSS_CET, "swap", "kvm-run-need-load");
	machine_sizes(ZEN4, XSS_CET, "copy3", "kvm-run-need-load");
	machine_sizes(ZEN4, XSS_CET, "copy3", "kvm-get-set-xsave");
}
END_TEST

/*
 * An XSAVEC-only CPU (the Zen 5 guest): the kernel's buffers are compacted (XCOMPACTED), saved
 * with XSAVEC and restored with XRSTOR of the compacted form; every scenario stays intact.
 */
START_TEST(test_machine_xsavec_only)
{
	struct fpb_machine *m = calloc(1, sizeof(*m));
	const struct fpb_scenario *sc = fpb_scenario_find("kvm-get-set-xsave");
	struct fpb_cpu cpu;
	struct fpb_backend be;
	char why[256];

	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_nonnull(sc);
	load(&cpu, ZEN5, XSS_UNKNOWN);
	ck_assert(!fpb_cpu_has(&cpu, FPB_CPU_XSAVES) && fpb_cpu_has(&cpu, FPB_CPU_XSAVEC));
	ck_assert_msg(!fpbt_open(&be, &fpb_backend_record, &cpu, why, sizeof(why)), "%s", why);
	ck_assert_msg(!fpb_machine_init(m, &be, &cpu, fpb_strategy_find("eager-pkru"),
					fpb_strategy_find("swap"), &sc->cfg, why, sizeof(why)),
		      "%s", why);
	m->check = true;
	ck_assert_msg(m->compacted && m->save_op == FPB_OP_XSAVEC &&
		      m->restore_op == FPB_OP_XRSTOR, "compacted %d, save %s, restore %s",
		      m->compacted, fpb_save_op_name(m->save_op),
		      fpb_restore_op_name(m->restore_op));
	ck_assert_msg(fpb_xsave_hdr(m->ctx[0].task_fps.buf)->xcomp_bv ==
		      (0xe7 | FPB_XCOMP_BV_COMPACTED), "task fpstate XCOMP_BV 0x%llx",
		      (unsigned long long)fpb_xsave_hdr(m->ctx[0].task_fps.buf)->xcomp_bv);
	ck_assert_msg(!fpbt_scenario(m, sc, 2), "%s", m->why);
	fpb_machine_fini(m);
	fpbt_close(&be);
	free(m);
}
END_TEST

/* Random checked sequences with supervisor features in every fpstate's feature set. */
START_TEST(test_random_with_supervisor)
{
	static const char *const names[] = { "eager", "lazy", "eager-pkru", "copy3", "swap" };
	static const char *const files[] = { SPR, ZEN4 };

	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		struct fpb_backend be;
		struct fpb_cpu cpu;
		char why[FPB_REASON_LEN * 2] = "";

		load(&cpu, files[f], XSS_CET);
		ck_assert_msg(!fpbt_open(&be, &fpb_backend_record, &cpu, why, sizeof(why)), "%s",
			      why);
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			ck_assert_msg(!fpbt_random(&be, &cpu, fpb_strategy_find(names[i]), 6, 150,
						   77 + i, why, sizeof(why)),
				      "%s: %s", files[f], why);
		fpbt_close(&be);
	}
}
END_TEST

static Suite *fpstate_config_suite(void)
{
	Suite *s = suite_create("fpstate_config");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_configs, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_cpuid_compacted_size);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_test(tc, test_size_floor);
	suite_add_tcase(s, tc);
	tc = tcase_create("machine");
	tcase_add_test(tc, test_machine_spr_realloc);
	tcase_add_test(tc, test_machine_zen4_cet);
	tcase_add_test(tc, test_machine_xsavec_only);
	tcase_add_test(tc, test_random_with_supervisor);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(fpstate_config_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
