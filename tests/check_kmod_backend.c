// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check_kmod_backend.c - the kmod backend on a machine without /dev/fpbench (every machine but
 * the qemu guest of make kmod-check): it must say why, cleanly, and its tables must agree with
 * the module's ABI (kmod/uapi.h).
 */
#include <check.h>
#include <stdlib.h>
#include <unistd.h>
#include "backend.h"
#include "kernel.h"
#include "kmod-client.h"

START_TEST(test_probe_skips)
{
	char why[FPB_REASON_LEN] = "";
	const struct fpb_backend_ops *ops = fpb_backend_find("kmod");

	if (!access(FPB_KMOD_DEVICE, F_OK))
		return;	/* a machine with the module loaded: nothing to check here */
	ck_assert_msg(ops != NULL, "backend 'kmod': expected registered, got NULL");
	ck_assert_msg(ops->probe(NULL, why, sizeof(why)) == -1,
		      "kmod probe without %s: expected -1", FPB_KMOD_DEVICE);
	ck_assert_msg(!strcmp(why, "/dev/fpbench not found (load kmod/fpbench.ko)"),
		      "kmod probe reason: expected '/dev/fpbench not found ...', got '%s'", why);
}
END_TEST

START_TEST(test_open_fails_cleanly)
{
	struct fpb_backend be;
	char why[FPB_REASON_LEN] = "";
	const struct fpb_backend_ops *ops = fpb_backend_find("kmod");

	if (!access(FPB_KMOD_DEVICE, F_OK))
		return;
	memset(&be, 0, sizeof(be));
	be.ops = ops;
	ck_assert_msg(ops->open(&be, why, sizeof(why)) == -1, "kmod open: expected -1");
	ck_assert_msg(be.priv == NULL, "kmod open failure: expected no private state left");
	ck_assert_msg(strstr(why, "/dev/fpbench not found"), "kmod open reason: got '%s'", why);
}
END_TEST

/* Every ring-0 kernel entry maps to a module id and every module id has an entry. */
START_TEST(test_tables_agree)
{
	size_t ring0 = 0;

	for (size_t i = 0; i < fpb_nr_kernels; i++) {
		const struct fpb_kernel *k = fpb_kernels[i];

		if (!(k->flags & FPB_K_RING0))
			continue;
		ring0++;
		ck_assert_msg(fpb_kmod_kernel_id(k->name) >= 0,
			      "ring-0 kernel '%s': expected a module id, got none", k->name);
		ck_assert_msg(k->body == NULL, "ring-0 kernel '%s': expected no user-space body",
			      k->name);
	}
	ck_assert_msg(ring0 == FPB_KMOD_NR_KERNELS,
		      "ring-0 kernels: expected %d (kmod/uapi.h), got %zu", FPB_KMOD_NR_KERNELS,
		      ring0);
	ck_assert_msg(fpb_kmod_kernel_id("xsave") == -1,
		      "user kernel 'xsave': expected no module id");
}
END_TEST

/* The ABI structs have the layout the module expects (no implicit padding). */
START_TEST(test_abi_layout)
{
	ck_assert_uint_eq(sizeof(struct fpb_kmod_sample), 24);
	ck_assert_uint_eq(sizeof(struct fpb_kmod_run) % 8, 0);
	ck_assert_uint_eq(offsetof(struct fpb_kmod_run, status), 64);
	ck_assert_uint_eq(sizeof(struct fpb_kmod_info) % 8, 0);
}
END_TEST

/* Errors map to one-line messages naming the cause. */
START_TEST(test_messages)
{
	ck_assert_msg(strstr(fpb_kmod_strerror(EINVAL), "EINVAL"), "EINVAL message");
	ck_assert_msg(strstr(fpb_kmod_strerror(EFAULT), "EFAULT"), "EFAULT message");
	ck_assert_msg(strstr(fpb_kmod_strerror(EACCES), "root"), "EACCES message");
}
END_TEST

static Suite *kmod_suite(void)
{
	Suite *s = suite_create("kmod_backend");
	TCase *skip = tcase_create("skip"), *core = tcase_create("core");

	tcase_add_test(skip, test_probe_skips);
	tcase_add_test(skip, test_open_fails_cleanly);
	tcase_add_test(core, test_tables_agree);
	tcase_add_test(core, test_abi_layout);
	tcase_add_test(core, test_messages);
	suite_add_tcase(s, skip);
	suite_add_tcase(s, core);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(kmod_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
