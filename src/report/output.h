/* SPDX-License-Identifier: GPL-2.0-or-later */
/* output.h - output writers, one file each (src/output-<name>.c); --format picks several. */
#ifndef FPB_OUTPUT_H
#define FPB_OUTPUT_H

#include <stdio.h>
#include "result.h"

struct fpb_writer {
	const char *name;	/* "text", "csv", "json", "md" */
	const char *ext;	/* file extension for --output with several formats */
	int (*write)(FILE *f, const struct fpb_result *r);
};

extern const struct fpb_writer *const fpb_writers[];
extern const size_t fpb_nr_writers;
const struct fpb_writer *fpb_writer_find(const char *name);

/*
 * Write r with w to path atomically (temporary file in the same directory, fsync, rename).
 * Returns 0, or -1 with a one-line reason.
 */
/*
 * Could fpb_output_write_file write path (checked before measuring)?  A directory is refused; an
 * existing device or FIFO must be writable; else its directory must exist and be writable.
 * Returns 0, or -1 with a one-line reason in why (errno set when the system said why).
 */
int fpb_output_can_write(const char *path, char *why, size_t len);
/*
 * Remove the temporary files of fpbench writers killed mid-write in dir (".<name>.tmp-<pid>-XXXXXX"
 * whose pid is gone; the older ".<name>.tmpXXXXXX" once an hour old).  Returns how many.
 */
size_t fpb_output_clean_stale(const char *dir);
int fpb_output_write_file(const struct fpb_writer *w, const struct fpb_result *r,
			  const char *path, char *why, size_t len);

#endif /* FPB_OUTPUT_H */
