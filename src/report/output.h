/* SPDX-License-Identifier: GPL-2.0-or-later */
/* output.h - output writers, one file each (src/output-<name>.c); --format picks several. */
#ifndef FPB_OUTPUT_H
#define FPB_OUTPUT_H

#include <stdio.h>
#include "result.h"

/* Bumped when struct fpb_writer changes meaning, so a stale table fails fpb_writer_check. */
#define FPB_WRITER_VERSION	1

/* One output format; the registry is src/report/writers.def. */
struct fpb_writer {
	unsigned version;	/* FPB_WRITER_VERSION */
	const char *name;	/* the --format name, "text", "csv", ... */
	const char *ext;	/* file extension for --output with several formats */
	int (*write)(FILE *f, const struct fpb_result *r);
};

extern const struct fpb_writer *const fpb_writers[];
extern const size_t fpb_nr_writers;
const struct fpb_writer *fpb_writer_find(const char *name);
/* Check a writer's table: version, name, extension, write.  0, or -EINVAL with why. */
int fpb_writer_check(const struct fpb_writer *w, char *why, size_t len);

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
