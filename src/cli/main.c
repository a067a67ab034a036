// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - `fpbench [run] [OPTIONS]` and the table of subcommands.
 *
 * Exit status: 0 ok, 1 runtime failure, 2 bad usage or bad input (one line naming the flag or
 * file), 3 nothing measurable (every row skipped).
 */
#include "config.h"

#include <sys/stat.h>
#include <unistd.h>
#include <time.h>
#include <ctype.h>

#include "options.h"
#include "output.h"
#include "output-family.h"
#include "result.h"
#include "session.h"
#include "suite.h"
#include "cli.h"
#include "report.h"
#include "lava.h"

enum { FPB_EXIT_OK = 0, FPB_EXIT_FAIL = 1, FPB_EXIT_USAGE = 2, FPB_EXIT_NOTHING = 3 };

struct fpb_command {
	const char *name;
	const char *summary;
	int (*main)(int argc, char **argv);	/* NULL: not available yet */
};

/* Output file for writer w: FILE itself with one format, else FILE (less a format's ext).ext */
static void fpb_output_path(const char *file, const struct fpb_writer *w, bool several,
			    char *buf, size_t len)
{
	const char *dot = strrchr(file, '.');
	const char *slash = strrchr(file, '/');
	size_t stem = strlen(file);

	if (!several) {
		snprintf(buf, len, "%s", file);
		return;
	}
	if (dot && (!slash || dot > slash))
		for (size_t i = 0; i < fpb_nr_writers; i++)
			if (!strcmp(dot + 1, fpb_writers[i]->ext) ||
			    !strcmp(dot + 1, fpb_writers[i]->name))
				stem = (size_t)(dot - file);
	snprintf(buf, len, "%.*s.%s", (int)stem, file, w->ext);
}

static int fpb_write_outputs(const struct fpb_options *o, const struct fpb_result *r)
{
	unsigned n = (unsigned)__builtin_popcount(o->formats);
	bool first = true;
	int rc = 0;

	for (size_t i = 0; i < fpb_nr_writers; i++) {
		const struct fpb_writer *w = fpb_writers[i];
		char path[4096], why[FPB_REASON_LEN + 64];

		if (!(o->formats & (1u << i)))
			continue;
		if (!o->output) {
			if (!first)
				fputc('\n', stdout);
			first = false;
			/* The text on the screen ends with the named strategies' family view. */
			if (w->write(stdout, r) ||
			    (!strcmp(w->name, "text") && o->nstrategies &&
			     fpb_family_view_write(stdout, r, o->strategies, o->nstrategies)) ||
			    fflush(stdout)) {
				fprintf(stderr, "fpbench: cannot write %s output: %s\n", w->name,
					strerror(errno));
				rc = FPB_EXIT_FAIL;
			}
			continue;
		}
		fpb_output_path(o->output, w, n > 1, path, sizeof(path));
		if (fpb_output_write_file(w, r, path, why, sizeof(why))) {
			fprintf(stderr, "fpbench: --output=%s: %s\n", path, why);
			rc = FPB_EXIT_FAIL;
		} else if (!o->quiet) {
			fprintf(stderr, "fpbench: wrote %s\n", path);
		}
	}
	return rc;
}

/* --save: RESULTS_DIR/<fingerprint>-<UTC timestamp>.json, written atomically. */
static int fpb_save(const struct fpb_options *o, const struct fpb_result *r)
{
	const struct fpb_writer *w = fpb_writer_find("json");
	char fp[64], stamp[32], path[4096], why[FPB_REASON_LEN + 64];
	time_t now = time(NULL);
	struct tm tm;
	struct stat st;

	snprintf(fp, sizeof(fp), "%s", r->cpu.fingerprint[0] ? r->cpu.fingerprint : "unknown");
	for (char *c = fp; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_' && *c != '.')
			*c = '_';
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	if (mkdir(o->results_dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "fpbench: --results-dir=%s: %s\n", o->results_dir, strerror(errno));
		return FPB_EXIT_FAIL;
	}
	snprintf(path, sizeof(path), "%s/%s-%s.json", o->results_dir, fp, stamp);
	for (int k = 2; !stat(path, &st) && k < 100; k++)
		snprintf(path, sizeof(path), "%s/%s-%s-%d.json", o->results_dir, fp, stamp, k);
	if (fpb_output_write_file(w, r, path, why, sizeof(why))) {
		fprintf(stderr, "fpbench: --save: %s: %s\n", path, why);
		return FPB_EXIT_FAIL;
	}
	if (!o->quiet)
		fprintf(stderr, "fpbench: saved %s\n", path);
	return 0;
}

/* The whole command line, for the result's record of it. */
static int fpb_cli_argc;
static char **fpb_cli_argv;

static int fpb_run_suites(struct fpb_session *s, const struct fpb_options *o,
			  struct fpb_result *r)
{
	int rc = 0;

	for (size_t i = 0; i < fpb_nr_suites; i++) {
		const struct fpb_suite *suite = fpb_suites[i];
		int err;

		if (!(o->suites & (1u << i)) || !suite->run)
			continue;
		err = suite->run(s, o, r);
		if (err < 0) {
			fprintf(stderr, "fpbench: suite '%s' failed: %s\n", suite->name,
				strerror(-err));
			rc = FPB_EXIT_FAIL;
		}
	}
	return rc;
}

/* Before measuring: every --output file and the --save directory can be written. */
static int fpb_check_destinations(const struct fpb_options *o)
{
	unsigned n = (unsigned)__builtin_popcount(o->formats);
	char path[4096], why[4200];
	struct stat st;

	for (size_t i = 0; o->output && i < fpb_nr_writers; i++) {
		if (!(o->formats & (1u << i)))
			continue;
		fpb_output_path(o->output, fpb_writers[i], n > 1, path, sizeof(path));
		if (fpb_output_can_write(path, why, sizeof(why))) {
			fprintf(stderr, "fpbench: --output=%s: %s (nothing measured)\n", path, why);
			return -1;
		}
	}
	if (o->save) {
		if (!stat(o->results_dir, &st)) {
			if (!S_ISDIR(st.st_mode) || access(o->results_dir, W_OK | X_OK)) {
				fprintf(stderr, "fpbench: --results-dir=%s: %s (nothing measured)\n",
					o->results_dir, S_ISDIR(st.st_mode) ? strerror(errno) :
					"not a directory");
				return -1;
			}
		} else {
			/* A missing directory is created by --save when its parent allows. */
			snprintf(path, sizeof(path), "%s", o->results_dir);
			while (strlen(path) > 1 && path[strlen(path) - 1] == '/')
				path[strlen(path) - 1] = '\0';
			if (fpb_output_can_write(path, why, sizeof(why))) {
				fprintf(stderr, "fpbench: --results-dir=%s: cannot be created: %s "
					"(nothing measured)\n", o->results_dir, why);
				return -1;
			}
		}
	}
	return 0;
}

/* `fpbench run`: parse, open the session, run the suites, write the outputs. */
static int fpb_cmd_run(int argc, char **argv)
{
	struct fpb_options o;
	struct fpb_session s;
	struct fpb_result *r;
	char why[2 * FPB_REASON_LEN];
	int rc, wrc;

	rc = fpb_options_parse(&o, argc, argv);
	if (rc) {
		fpb_options_free(&o);
		return rc == 1 ? FPB_EXIT_OK : FPB_EXIT_USAGE;
	}
	if (!o.suites) {
		fprintf(stderr, "fpbench: nothing to run: no suite is available in this build\n");
		fpb_options_free(&o);
		return FPB_EXIT_NOTHING;
	}
	if (fpb_check_destinations(&o)) {
		fpb_options_free(&o);
		return FPB_EXIT_FAIL;
	}
	r = malloc(sizeof(*r));
	if (!r) {
		fpb_options_free(&o);
		fprintf(stderr, "fpbench: out of memory\n");
		return FPB_EXIT_FAIL;
	}
	fpb_result_init(r);
	fpb_session_command_line(&r->run, fpb_cli_argc, fpb_cli_argv);
	why[0] = '\0';
	if (fpb_session_open(&s, &o, r, why, sizeof(why))) {
		fprintf(stderr, "fpbench: %s\n", why);
		fpb_session_close(&s, NULL);
		fpb_result_free(r);
		free(r);
		fpb_options_free(&o);
		return FPB_EXIT_FAIL;
	}
	rc = fpb_run_suites(&s, &o, r);
	fpb_session_close(&s, r);

	wrc = fpb_write_outputs(&o, r);
	if (!wrc && o.save)
		wrc = fpb_save(&o, r);
	if (!rc)
		rc = wrc;
	if (!rc && !fpb_result_count(r, FPB_ROW_MEASURED)) {
		fprintf(stderr, "fpbench: nothing measurable here: %s\n",
			r->nrows ? "every row was skipped" : "no rows");
		rc = FPB_EXIT_NOTHING;
	}
	fpb_result_free(r);
	free(r);
	fpb_options_free(&o);
	return rc;
}

static const struct fpb_command fpb_commands[] = {
	{ "run",	"measure (the default command)",		fpb_cmd_run },
	{ "report",	"compare saved results (report.md and charts)",	fpb_report_main },
	{ "lava-collect", "save the results of finished LAVA jobs",	fpb_lava_collect_main },
};

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;

	fpb_cli_argc = argc;
	fpb_cli_argv = argv;
	if (!name || name[0] == '-')
		return fpb_cmd_run(argc, argv);
	for (size_t i = 0; i < FPB_ARRAY_SIZE(fpb_commands); i++) {
		if (strcmp(fpb_commands[i].name, name))
			continue;
		if (!fpb_commands[i].main) {
			fprintf(stderr, "fpbench: '%s' is not available yet in this version\n",
				name);
			return FPB_EXIT_FAIL;
		}
		return fpb_commands[i].main(argc - 1, argv + 1);
	}
	fprintf(stderr, "fpbench: unknown command '%s' (commands:", name);
	for (size_t i = 0; i < FPB_ARRAY_SIZE(fpb_commands); i++)
		fprintf(stderr, "%s %s", i ? "," : "", fpb_commands[i].name);
	fprintf(stderr, "; see --help)\n");
	return FPB_EXIT_USAGE;
}
