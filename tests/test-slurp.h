/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-slurp.h - a whole file into a NUL-terminated buffer, for the Check tests that read
 * fixtures and written reports (a missing file fails the test, naming it).  *len (when not NULL)
 * gets its length; the caller frees the buffer.
 */
#ifndef FPB_TEST_SLURP_H
#define FPB_TEST_SLURP_H

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_msg(f, "%s: expected a file, got %s (is FPB_SRCDIR set?)", path,
		      strerror(errno));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	ck_assert(buf);
	ck_assert_int_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

#endif
