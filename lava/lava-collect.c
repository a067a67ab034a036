// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lava-collect.c - `fpbench lava-collect [--results-dir=DIR] [--quiet] LOG...`: each LOG is the
 * log of one finished LAVA job that ran lava/fpbench-test.yaml on one device.  Its parts
 * (default, ring0, insitu) are read back as fpbench results, merged into one result of that
 * device and saved as DIR/<fingerprint>-<UTC time of the run>.json, atomically, exactly as
 * `fpbench --save` would have: `fpbench report` then compares the devices of a fleet as it
 * compares local runs.  Collecting the same log again replaces the same file.
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <ctype.h>
#include <unistd.h>
#include <sys/stat.h>

#include "lava.h"
#include "output.h"
#include "report.h"
#include "result.h"

enum { FPB_LC_OK = 0, FPB_LC_FAIL = 1, FPB_LC_USAGE = 2 };

/* Write part p to a private temporary file in dir and read it back as a result. */
static int fpb_lava_part_result(const char *dir, const struct fpb_lava_part *p,
				struct fpb_result *r, char *why, size_t len)
{
	char tmp[4200], err[512];
	FILE *f;
	int fd, rc;

	snprintf(tmp, sizeof(tmp), "%s/.lava-collect-XXXXXX", dir);
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(why, len, "%s: cannot create a temporary file: %s", dir, strerror(errno));
		return FPB_LC_FAIL;
	}
	f = fdopen(fd, "w");
	if (!f || fwrite(p->json, 1, p->len, f) != p->len || fclose(f)) {
		snprintf(why, len, "%s: cannot write a temporary file: %s", dir, strerror(errno));
		if (!f)
			close(fd);
		unlink(tmp);
		return FPB_LC_FAIL;
	}
	rc = fpb_result_read_json(tmp, r, err, sizeof(err));
	unlink(tmp);
	if (rc) {
		snprintf(why, len, "part %s: %s", p->name, err);
		return FPB_LC_USAGE;
	}
	return 0;
}

/* Move the rows of src into dst; a row dst already has (same key) is replaced by src's. */
static int fpb_lava_merge(struct fpb_result *dst, struct fpb_result *src)
{
	char ka[256], kb[256];

	for (size_t i = 0; i < src->nrows; i++) {
		struct fpb_row *row = NULL;

		fpb_report_row_key(&src->rows[i], kb, sizeof(kb));
		for (size_t j = 0; j < dst->nrows && !row; j++) {
			fpb_report_row_key(&dst->rows[j], ka, sizeof(ka));
			if (!strcmp(ka, kb)) {
				row = &dst->rows[j];
				free(row->raw);
			}
		}
		if (!row)
			row = fpb_result_add_row(dst);
		if (!row)
			return -1;
		*row = src->rows[i];
		src->rows[i].raw = NULL;
		src->rows[i].nraw = 0;
	}
	return 0;
}

/* "2026-11-23T20:57:02Z" -> "20261123T205702Z"; "unknown" when it is not such a time. */
static void fpb_lava_stamp(const char *ts, char *buf, size_t len)
{
	size_t n = 0;

	for (const char *c = ts; *c && n + 1 < len; c++)
		if (isdigit((unsigned char)*c) || *c == 'T' || *c == 'Z')
			buf[n++] = *c;
	buf[n] = '\0';
	if (n != 16 || buf[8] != 'T' || buf[15] != 'Z')
		snprintf(buf, len, "unknown");
}

/* One job log into one result file.  Returns an exit status; prints one line on failure. */
static int fpb_lava_collect_one(const char *log_path, const char *dir, bool quiet)
{
	const struct fpb_writer *w = fpb_writer_find("json");
	struct fpb_lava_log log;
	struct fpb_result all, part;
	char why[1024], fp[64], stamp[32], path[4400], names[FPB_LAVA_MAX_PARTS * 33] = "";
	int rc;

	if (fpb_lava_log_read(log_path, &log, why, sizeof(why))) {
		fprintf(stderr, "fpbench lava-collect: %s: %s\n", log_path, why);
		return FPB_LC_USAGE;
	}
	fpb_result_init(&all);
	for (size_t i = 0; i < log.nparts; i++) {
		rc = fpb_lava_part_result(dir, &log.part[i], i ? &part : &all, why, sizeof(why));
		if (rc)
			goto fail;
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
			 i ? "," : "", log.part[i].name);
		if (!i)
			continue;
		if (strcmp(part.cpu.fingerprint, all.cpu.fingerprint)) {
			snprintf(why, sizeof(why), "part %s comes from another machine (%s, not %s)",
				 log.part[i].name, part.cpu.fingerprint, all.cpu.fingerprint);
			fpb_result_free(&part);
			rc = FPB_LC_USAGE;
			goto fail;
		}
		rc = fpb_lava_merge(&all, &part);
		fpb_result_free(&part);
		if (rc) {
			snprintf(why, sizeof(why), "out of memory");
			rc = FPB_LC_FAIL;
			goto fail;
		}
	}
	snprintf(fp, sizeof(fp), "%s", all.cpu.fingerprint[0] ? all.cpu.fingerprint : "unknown");
	for (char *c = fp; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_' && *c != '.')
			*c = '_';
	fpb_lava_stamp(all.run.timestamp, stamp, sizeof(stamp));
	snprintf(path, sizeof(path), "%s/%s-%s.json", dir, fp, stamp);
	if (fpb_output_write_file(w, &all, path, why, sizeof(why))) {
		fprintf(stderr, "fpbench lava-collect: %s: %s\n", path, why);
		fpb_result_free(&all);
		fpb_lava_log_free(&log);
		return FPB_LC_FAIL;
	}
	if (!quiet)
		printf("%s: %s (machine %s; parts %s; %zu rows; LAVA test cases: %zu pass, "
		       "%zu skip, %zu fail)\n", log_path, path, fp, names, all.nrows,
		       log.cases_pass, log.cases_skip, log.cases_fail + log.cases_other);
	fpb_result_free(&all);
	fpb_lava_log_free(&log);
	return 0;
fail:
	fprintf(stderr, "fpbench lava-collect: %s: %s\n", log_path, why);
	fpb_result_free(&all);
	fpb_lava_log_free(&log);
	return rc;
}

static void fpb_lava_usage(FILE *f)
{
	fprintf(f, "Usage: fpbench lava-collect [--results-dir=DIR] [--quiet] LOG...\n"
		"Read the logs of finished LAVA jobs that ran lava/fpbench-test.yaml (each from\n"
		"`lavacli jobs logs --raw JOB`) and save each device's result as\n"
		"DIR/<fingerprint>-<time>.json (default DIR: results) for `fpbench report`.\n");
}

int fpb_lava_collect_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "results-dir",	required_argument,	NULL, 'd' },
		{ "quiet",		no_argument,		NULL, 'q' },
		{ "help",		no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = "results";
	bool quiet = false;
	struct stat st;
	int c, rc = 0;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+q", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (!optarg[0] || strlen(optarg) > 4000) {
				fprintf(stderr, "fpbench lava-collect: --results-dir: %s directory "
					"name\n", optarg[0] ? "too long a" : "empty");
				return FPB_LC_USAGE;
			}
			dir = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			fpb_lava_usage(stdout);
			return FPB_LC_OK;
		default:
			fprintf(stderr, "fpbench lava-collect: %s: unknown option or missing "
				"argument (see --help)\n", argv[optind - 1]);
			return FPB_LC_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "fpbench lava-collect: no job log given (see --help)\n");
		return FPB_LC_USAGE;
	}
	if (mkdir(dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "fpbench lava-collect: --results-dir=%s: %s\n", dir,
			strerror(errno));
		return FPB_LC_FAIL;
	}
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "fpbench lava-collect: --results-dir=%s: not a directory\n", dir);
		return FPB_LC_FAIL;
	}
	for (int i = optind; i < argc; i++) {
		int r = fpb_lava_collect_one(argv[i], dir, quiet);

		/* the worst status is the exit status: bad input (2) over a failed write (1) */
		if (r > rc)
			rc = r;
	}
	return rc;
}
