/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lava.h - `fpbench lava-collect`: bring the results of a finished LAVA job home.
 *
 * A LAVA job log (as `lavacli jobs logs --raw JOB` prints it) is one YAML flow mapping a line,
 * `- {"dt": "...", "lvl": "target", "msg": "..."}`; the device's console output is in the
 * `target` lines, the test cases in the `results` lines.  The fpbench test definition
 * (lava/fpbench-test.yaml) prints each part's JSON result between
 *     FPBENCH-JSON-BEGIN part=P bytes=N md5=HEX
 *     FPBENCH-JSON-END part=P
 * with the file's size and what md5sum prints for it (md5=- when the device has no md5sum: the
 * size alone is then checked).  lava-log.c finds and checks those blocks;
 * lava-collect.c merges the parts of one job into one result and saves it in results/.
 */
#ifndef FPB_LAVA_H
#define FPB_LAVA_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define FPB_LAVA_MAX_PARTS	8
#define FPB_LAVA_MAX_LOG	(512u << 20)	/* a bigger file is refused */

/* MD5 of buf[0..n) as 32 lower-case hex digits (what md5sum prints). */
void fpb_lava_md5(const void *buf, size_t n, char hex[33]);

/* One decoded log line. */
struct fpb_lava_line {
	char lvl[24];		/* "target", "results", "info", ... */
	char *msg;		/* a string message (target lines), decoded; NULL otherwise */
	bool msg_is_map;	/* results lines: the fields below */
	char tc_case[128], tc_definition[64], tc_result[16];
};

/*
 * Decode one line of a job log (with or without the leading "- ") into l.  Target messages
 * have the test shell's own quoting undone (it writes every '"' as '\"').  Returns 0, or -1 when
 * the line is not a LAVA log entry (l->msg is then NULL).  Free l->msg with free().
 */
int fpb_lava_line_decode(const char *line, struct fpb_lava_line *l);

/* One part's JSON as it came through the log. */
struct fpb_lava_part {
	char name[32];		/* "default", "ring0", "insitu" */
	char *json;		/* NUL-terminated, the bytes the device sent */
	char md5[33];		/* as announced; "-": none (size checked only) */
	size_t len;
};

/* What a job log holds. */
struct fpb_lava_log {
	struct fpb_lava_part part[FPB_LAVA_MAX_PARTS];
	size_t nparts;
	size_t lines, entries;			/* lines read, LAVA entries among them */
	size_t cases_pass, cases_skip, cases_fail, cases_other;	/* fpbench test cases */
};

/*
 * Read the job log at path and collect the parts whose size and MD5 match.  Returns 0, or
 * -1 with a one-line reason (not a LAVA log, a part truncated or mangled in transit, no
 * fpbench result at all) in why.  Free with fpb_lava_log_free().
 */
int fpb_lava_log_read(const char *path, struct fpb_lava_log *log, char *why, size_t len);
void fpb_lava_log_free(struct fpb_lava_log *log);

/* `fpbench lava-collect [--results-dir=DIR] [--quiet] LOG...`: 0 ok, 1 failure, 2 bad input. */
int fpb_lava_collect_main(int argc, char **argv);

#endif /* FPB_LAVA_H */
