// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report.c - `fpbench report [--output=DIR] [--order=date|revision] FILE...`: read saved results,
 * decide what to compare, and write the report's files into DIR.  Everything is built in a hidden
 * temporary directory first (inside DIR, or beside it when DIR does not exist yet) and each file
 * is then renamed into place, report.md last: no file is ever half-written and bad input leaves
 * DIR untouched.  Only the report's own files (fpb_report_own_file) are replaced or removed;
 * whatever else DIR holds stays, so --output=. works.
 *
 * What is compared: the strategy matrix of each machine's latest result; with exactly two files,
 * the second against the first; with several machines, each machine's latest result against the
 * first machine's; with three or more files, the regression series of the machine with the most
 * results (the others are named and left out).
 */
#include "config.h"
#include <signal.h>

#define _XOPEN_SOURCE_EXTENDED 1
#include <ftw.h>
#include <getopt.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>
#include <fcntl.h>

#include "report.h"

enum { FPB_REPORT_OK = 0, FPB_REPORT_FAIL = 1, FPB_REPORT_USAGE = 2, FPB_REPORT_CHANGED = 4 };

static void fpb_report_usage(FILE *f)
{
	fputs("usage: fpbench report [--output=DIR] [--order=date|revision] [--min-change=PCT]\n"
	      "                      [--fail-on-change=PCT] [--quiet] FILE...\n"
	      "  Read saved fpbench JSON results (fpbench --save) and write DIR (default: report)\n"
	      "  with report.md and, when gnuplot runs, SVG and PNG charts.\n"
	      "  --output=DIR   report directory (default: report); only the report's own files\n"
	      "                 (report.md, matrix-K, compare-K, series .dat/.svg/.png) are\n"
	      "                 replaced, anything else in DIR is left alone\n"
	      "  --order=KEY    order of the regression series: date (default) or revision\n"
	      "  --min-change=PCT  across runs, smaller significant changes count as run-to-run\n"
	      "                 noise (default 3; 0 keeps every significant change)\n"
	      "  --fail-on-change=PCT  exit 4 when a significant run-to-run change larger than\n"
	      "                 PCT percent exists (a CI gate; report.json says which)\n"
	      "  --quiet        no message on success\n", f);
}

static int fpb_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* rm -rf path (no symlinks followed): only ever our own temporary directory. */
static void fpb_report_rmtree(const char *path)
{
	nftw(path, fpb_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Prefix of the temporary directory a report is built in; the writer's pid follows. */
#define FPB_REPORT_TMP	".fpbench-report.tmp-"

/*
 * Whether name is a file a report writes: report.md, report.json, and each chart's data and drawings,
 * NAME.dat, NAME.svg and NAME.png with NAME matrix-K, compare-K (K = 1, 2, ...) or series.
 * Only these are ever replaced or removed in the output directory.
 */
bool fpb_report_own_file(const char *name)
{
	static const char *const ext[] = { ".dat", ".svg", ".png" };
	const char *p = name;
	size_t n;

	if (!strcmp(name, "report.md") || !strcmp(name, "report.json"))
		return true;
	if (!strncmp(p, "matrix-", 7) || !strncmp(p, "compare-", 8)) {
		p = strchr(p, '-') + 1;
		n = strspn(p, "0123456789");
		if (!n || *p == '0')
			return false;
		p += n;
	} else if (!strncmp(p, "series", 6)) {
		p += 6;
	} else {
		return false;
	}
	for (size_t i = 0; i < FPB_ARRAY_SIZE(ext); i++)
		if (!strcmp(p, ext[i]))
			return true;
	return false;
}

/*
 * DIR is written into when it is absent (created whole) or a directory.  Its other contents are
 * never touched; a file of the report's names that is not a regular file, or that exists where no
 * earlier report is (no report.md), is not replaced.
 */
static int fpb_report_check_out(const char *dir, bool *had_report, char *why, size_t len)
{
	char p[4096];
	struct stat st;

	*had_report = false;
	if (stat(dir, &st))
		return errno == ENOENT ? 0 : (snprintf(why, len, "--output=%s: %s", dir,
						       strerror(errno)), -1);
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, len, "--output=%s: exists and is not a directory", dir);
		return -1;
	}
	if (access(dir, W_OK | X_OK)) {
		snprintf(why, len, "--output=%s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(p, sizeof(p), "%s/report.md", dir);
	*had_report = !lstat(p, &st) && S_ISREG(st.st_mode);
	if (!*had_report) {
		struct dirent *d;
		DIR *dp = opendir(dir);

		if (!dp) {
			snprintf(why, len, "--output=%s: %s", dir, strerror(errno));
			return -1;
		}
		while ((d = readdir(dp)) && !fpb_report_own_file(d->d_name))
			;
		if (d)
			snprintf(why, len, "--output=%s: holds %s but no report.md (not an earlier "
				 "fpbench report): refusing to replace it", dir, d->d_name);
		closedir(dp);
		if (d)
			return -1;
	}
	return 0;
}

/* "<parent>/.<base>.<tag>-XXXXXX" for dir (trailing slashes ignored). */
static void fpb_report_sibling(const char *dir, const char *tag, char *buf, size_t len)
{
	char d[4096];
	size_t n;
	char *slash;

	int w;

	snprintf(d, sizeof(d), "%s", dir);
	for (n = strlen(d); n > 1 && d[n - 1] == '/'; n--)
		d[n - 1] = '\0';
	slash = strrchr(d, '/');
	if (!slash)
		w = snprintf(buf, len, ".%s.%s-XXXXXX", d, tag);
	else if (slash == d)
		w = snprintf(buf, len, "/.%s.%s-XXXXXX", d + 1, tag);
	else
		w = snprintf(buf, len, "%.*s/.%s.%s-XXXXXX", (int)(slash - d), d, slash + 1, tag);
	if (w < 0 || (size_t)w >= len)
		buf[0] = '\0';	/* mkdtemp then fails with EINVAL */
}

/*
 * Remove temporary directories of reports whose writer is gone (killed with SIGKILL): entries
 * of dir named FPB_REPORT_TMP<pid>-XXXXXX whose pid no longer exists.
 */
static void fpb_report_clean_stale(const char *dir)
{
	const size_t np = strlen(FPB_REPORT_TMP);
	struct dirent *d;
	DIR *dp = opendir(dir);

	if (!dp)
		return;
	while ((d = readdir(dp))) {
		char *end, p[4096];
		long pid;
		struct stat st;

		if (strncmp(d->d_name, FPB_REPORT_TMP, np))
			continue;
		errno = 0;
		pid = strtol(d->d_name + np, &end, 10);
		if (errno || pid <= 0 || *end != '-' || strlen(end) != 7)
			continue;
		if (!kill((pid_t)pid, 0) || errno != ESRCH)
			continue;
		if (snprintf(p, sizeof(p), "%s/%s", dir, d->d_name) >= (int)sizeof(p) ||
		    lstat(p, &st) || !S_ISDIR(st.st_mode))
			continue;
		fpb_report_rmtree(p);
	}
	closedir(dp);
}

/* Decide the tables and compute them. */
static int fpb_report_build(struct fpb_report *rep, bool by_rev)
{
	const struct fpb_rset *set = &rep->set;
	size_t best = 0, cnt[FPB_REPORT_MAX_MACHINES] = { 0 };

	rep->mx = calloc(set->nmach + 1, sizeof(*rep->mx));
	rep->runs = calloc(set->nmach + 1, sizeof(*rep->runs));
	if (!rep->mx || !rep->runs)
		return -ENOMEM;
	for (size_t m = 0; m < set->nmach; m++) {
		size_t pick = SIZE_MAX;

		/* The latest result of this machine that has strategy rows. */
		for (size_t i = 0; i < set->n; i++) {
			const struct fpb_result *r = &set->in[i].res;
			bool has = false;

			if (set->in[i].machine != (int)m)
				continue;
			for (size_t k = 0; k < r->nrows && !has; k++)
				has = !strcmp(r->rows[k].suite, "strategies");
			if (has && (pick == SIZE_MAX || strcmp(r->run.timestamp,
					set->in[pick].res.run.timestamp) >= 0))
				pick = i;
		}
		if (pick == SIZE_MAX)
			continue;
		if (fpb_report_matrix_build(set, pick, &rep->mx[rep->nmx]))
			return -ENOMEM;
		if (rep->mx[rep->nmx].nscen)
			rep->nmx++;
		else
			fpb_report_matrix_free(&rep->mx[rep->nmx]);
	}
	if (set->n == 2) {
		if (fpb_report_run_build(set, 0, 1, &rep->runs[rep->nruns++]))
			return -ENOMEM;
	} else if (set->nmach >= 2) {
		size_t a = fpb_report_latest(set, 0);

		for (size_t m = 1; m < set->nmach; m++)
			if (fpb_report_run_build(set, a, fpb_report_latest(set, (int)m),
						 &rep->runs[rep->nruns++]))
				return -ENOMEM;
	}
	for (size_t k = 0; k < rep->nruns; k++)
		fpb_report_floor(rep->runs[k].cmp, rep->runs[k].ncmp, rep->floor);
	if (set->n >= 3) {
		for (size_t i = 0; i < set->n; i++)
			cnt[set->in[i].machine]++;
		for (size_t m = 1; m < set->nmach; m++)
			if (cnt[m] > cnt[best])
				best = m;
		if (cnt[best] >= 2) {
			if (fpb_report_series_build(set, (int)best, by_rev, &rep->series))
				return -ENOMEM;
			rep->have_series = true;
			for (size_t l = 0; l < rep->series.nline; l++)
				fpb_report_floor(rep->series.line[l].step, rep->series.npt,
						 rep->floor);
		}
	}
	return 0;
}

static void fpb_report_release(struct fpb_report *rep)
{
	for (size_t k = 0; rep->mx && k < rep->nmx; k++)
		fpb_report_matrix_free(&rep->mx[k]);
	for (size_t k = 0; rep->runs && k < rep->nruns; k++)
		fpb_report_run_free(&rep->runs[k]);
	if (rep->have_series)
		fpb_report_series_free(&rep->series);
	free(rep->mx);
	free(rep->runs);
	free(rep->charts);
	fpb_report_free(&rep->set);
}

static int fpb_report_write_one(const struct fpb_report *rep, const char *dir, const char *name,
				int (*write)(FILE *, const struct fpb_report *), char *why,
				size_t len)
{
	char path[4096];
	FILE *f;
	int rc;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path)) {
		snprintf(why, len, "--output: path too long");
		return -1;
	}
	f = fopen(path, "w");
	if (!f) {
		snprintf(why, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	rc = write(f, rep);
	if (fflush(f) || fsync(fileno(f)))
		rc = -1;
	if (fclose(f))
		rc = -1;
	if (rc)
		snprintf(why, len, "%s: write error: %s", path, strerror(errno));
	return rc;
}

/* report.md for people, report.json (every comparison and its verdict) for programs. */
static int fpb_report_write_file(const struct fpb_report *rep, const char *dir, char *why,
				 size_t len)
{
	return fpb_report_write_one(rep, dir, "report.md", fpb_report_write_md, why, len) ||
	       fpb_report_write_one(rep, dir, "report.json", fpb_report_write_json, why, len) ?
	       -1 : 0;
}

/*
 * Ctrl-C, SIGTERM or SIGHUP while the report is built in its temporary sibling: the signal is
 * noted, the build stops at the next step, the sibling is removed and the signal re-raised, so
 * no hidden directory is left behind and the earlier report stays whole.
 */
static volatile sig_atomic_t fpb_report_sig;
static const int fpb_report_sigs[] = { SIGINT, SIGTERM, SIGHUP };

static void fpb_report_on_signal(int sig)
{
	fpb_report_sig = sig;
}

bool fpb_report_interrupted(void)
{
	return fpb_report_sig != 0;
}

static void fpb_report_catch(struct sigaction *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fpb_report_on_signal;
	sigemptyset(&sa.sa_mask);
	fpb_report_sig = 0;
	for (size_t i = 0; i < FPB_ARRAY_SIZE(fpb_report_sigs); i++)
		sigaction(fpb_report_sigs[i], &sa, &old[i]);
}

/* Restore the handlers; if a signal came, deliver it now (after the clean-up). */
static void fpb_report_release_signals(const struct sigaction *old)
{
	for (size_t i = 0; i < FPB_ARRAY_SIZE(fpb_report_sigs); i++)
		sigaction(fpb_report_sigs[i], &old[i], NULL);
	if (fpb_report_sig)
		raise(fpb_report_sig);
}

/* The names of the entries of directory path (malloc'd array of n); NULL on error. */
static char (*fpb_report_names(const char *path, size_t *n))[256]
{
	char (*v)[256] = NULL, (*p)[256];
	size_t cap = 0;
	struct dirent *d;
	DIR *dp = opendir(path);

	*n = 0;
	if (!dp)
		return NULL;
	while ((d = readdir(dp))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			p = realloc(v, cap * sizeof(*v));
			if (!p) {
				free(v);
				closedir(dp);
				return NULL;
			}
			v = p;
		}
		snprintf(v[(*n)++], sizeof(*v), "%s", d->d_name);
	}
	closedir(dp);
	return v ? v : calloc(1, sizeof(*v));
}

/*
 * Move the files built in tmp (a directory inside dir) into dir, one rename each (a reader sees
 * the earlier file or the new one, never half of one), report.md last.  Then the files of an
 * earlier report that this one did not write (a chart of a comparison no longer made) are
 * removed; nothing else in dir is touched.  A name of the report's that is not a regular file
 * in dir (a directory called series.png) stops the commit before anything moved.
 */
static int fpb_report_commit_into(const char *tmp, const char *dir, bool had_report, char *why,
				  size_t len)
{
	char from[4096], to[4096];
	char (*names)[256], (*old)[256] = NULL;
	size_t n, nold = 0;
	struct stat st;
	int rc = -1;

	names = fpb_report_names(tmp, &n);
	if (!names) {
		snprintf(why, len, "%s: %s", tmp, strerror(errno ? errno : ENOMEM));
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(to, sizeof(to), "%s/%s", dir, names[i]);
		if (!lstat(to, &st) && !S_ISREG(st.st_mode)) {
			snprintf(why, len, "--output=%s: %s exists and is not a regular file: not "
				 "replaced", dir, names[i]);
			goto out;
		}
	}
	if (had_report)
		old = fpb_report_names(dir, &nold);
	for (int last = 0; last < 2; last++) {
		for (size_t i = 0; i < n; i++) {
			if (!strcmp(names[i], "report.md") != !last)
				continue;
			snprintf(from, sizeof(from), "%s/%s", tmp, names[i]);
			snprintf(to, sizeof(to), "%s/%s", dir, names[i]);
			if (rename(from, to)) {
				snprintf(why, len, "--output=%s: %s: %s", dir, names[i],
					 strerror(errno));
				goto out;
			}
		}
	}
	for (size_t k = 0; k < nold; k++) {
		bool kept = false;

		if (!fpb_report_own_file(old[k]))
			continue;
		for (size_t i = 0; i < n && !kept; i++)
			kept = !strcmp(old[k], names[i]);
		snprintf(to, sizeof(to), "%s/%s", dir, old[k]);
		if (!kept && !lstat(to, &st) && S_ISREG(st.st_mode))
			unlink(to);
	}
	rc = 0;
	{
		int fd = open(dir, O_RDONLY | O_DIRECTORY);

		if (fd >= 0) {
			fsync(fd);
			close(fd);
		}
	}
out:
	free(names);
	free(old);
	return rc;
}

/* An absent dir: the whole temporary sibling becomes it with one rename. */
static int fpb_report_commit_new(const char *tmp, const char *dir, char *why, size_t len)
{
	if (!rename(tmp, dir))
		return 0;
	snprintf(why, len, "--output=%s: %s", dir, strerror(errno));
	return -1;
}

int fpb_report_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output",	required_argument,	NULL, 'o' },
		{ "order",	required_argument,	NULL, 'O' },
		{ "min-change",	required_argument,	NULL, 'm' },
		{ "fail-on-change", required_argument,	NULL, 'F' },
		{ "quiet",	no_argument,		NULL, 'q' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *out = "report";
	bool by_rev = false, quiet = false;
	double fail_pct = -1;
	struct fpb_report rep;
	char why[4096 + 256], tmp[4096];
	bool had_report, exists;
	struct sigaction oldsa[FPB_ARRAY_SIZE(fpb_report_sigs)];
	int c, rc = FPB_REPORT_FAIL;
	mode_t um;

	memset(&rep, 0, sizeof(rep));
	rep.floor = FPB_REPORT_FLOOR;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+o:q", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (!optarg[0]) {
				fprintf(stderr, "fpbench report: --output: empty directory name\n");
				return FPB_REPORT_USAGE;
			}
			if (strlen(optarg) > 3000) {
				fprintf(stderr, "fpbench report: --output: path too long\n");
				return FPB_REPORT_USAGE;
			}
			out = optarg;
			break;
		case 'O':
			if (strcmp(optarg, "date") && strcmp(optarg, "revision")) {
				fprintf(stderr, "fpbench report: --order=%s: expected date or "
					"revision\n", optarg);
				return FPB_REPORT_USAGE;
			}
			by_rev = !strcmp(optarg, "revision");
			break;
		case 'm': {
			char *end;

			errno = 0;
			rep.floor = strtod(optarg, &end) / 100;
			if (errno || end == optarg || *end || !(rep.floor >= 0) || rep.floor >= 1) {
				fprintf(stderr, "fpbench report: --min-change=%s: expected a "
					"percentage, at least 0 and below 100\n", optarg);
				return FPB_REPORT_USAGE;
			}
			break;
		}
		case 'F': {
			char *end;

			errno = 0;
			fail_pct = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(fail_pct >= 0) || fail_pct > 1000) {
				fprintf(stderr, "fpbench report: --fail-on-change=%s: expected a "
					"percentage in 0..1000\n", optarg);
				return FPB_REPORT_USAGE;
			}
			break;
		}
		case 'q':
			quiet = true;
			break;
		case 'h':
			fpb_report_usage(stdout);
			return FPB_REPORT_OK;
		default:
			fprintf(stderr, "fpbench report: %s: unknown option or missing value "
				"(see fpbench report --help)\n",
				argv[optind - 1] ? argv[optind - 1] : "?");
			return FPB_REPORT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "fpbench report: no result files given (usage: fpbench report "
			"[--output=DIR] FILE...)\n");
		return FPB_REPORT_USAGE;
	}
	if (fpb_report_load(&rep.set, argv + optind, (size_t)(argc - optind), why, sizeof(why))) {
		fprintf(stderr, "fpbench report: %s\n", why);
		return FPB_REPORT_USAGE;
	}
	if (fpb_report_check_out(out, &had_report, why, sizeof(why))) {
		fprintf(stderr, "fpbench report: %s\n", why);
		fpb_report_release(&rep);
		return FPB_REPORT_USAGE;
	}
	if (fpb_report_build(&rep, by_rev)) {
		fprintf(stderr, "fpbench report: out of memory\n");
		goto out;
	}
	exists = !access(out, F_OK);
	if (exists) {
		fpb_report_clean_stale(out);
		snprintf(tmp, sizeof(tmp), "%s/" FPB_REPORT_TMP "%ld-XXXXXX", out, (long)getpid());
	} else {
		fpb_report_sibling(out, "tmp", tmp, sizeof(tmp));
	}
	if (!mkdtemp(tmp)) {
		fprintf(stderr, "fpbench report: --output=%s: cannot create %s: %s\n", out, tmp,
			strerror(errno));
		goto out;
	}
	um = umask(0);
	umask(um);
	fpb_report_catch(oldsa);
	if (chmod(tmp, 0777 & ~um) || fpb_report_plot(&rep, tmp, why, sizeof(why)) ||
	    fpb_report_sig || fpb_report_write_file(&rep, tmp, why, sizeof(why)) ||
	    fpb_report_sig || (exists ? fpb_report_commit_into(tmp, out, had_report, why,
								   sizeof(why)) :
			       fpb_report_commit_new(tmp, out, why, sizeof(why)))) {
		if (!fpb_report_sig)
			fprintf(stderr, "fpbench report: %s\n", why);
		fpb_report_rmtree(tmp);
		fpb_report_release_signals(oldsa);
		goto out;
	}
	if (exists)
		rmdir(tmp);
	fpb_report_release_signals(oldsa);
	for (size_t k = 0; !quiet && rep.have_series && k < rep.series.nleft; k++)
		fprintf(stderr, "fpbench report: warning: %s is from another machine (%s); left "
			"out of the regression series\n", rep.set.in[rep.series.left_out[k]].path,
			rep.set.in[rep.series.left_out[k]].res.cpu.fingerprint);
	if (!quiet)
		fprintf(stderr, "fpbench report: wrote %s/report.md (%zu input%s, %zu chart%s%s%s)\n",
			out, rep.set.n, rep.set.n == 1 ? "" : "s", rep.ncharts,
			rep.ncharts == 1 ? "" : "s", rep.chart_note[0] ? "; charts " : "",
			rep.chart_note);
	rc = FPB_REPORT_OK;
	if (fail_pct >= 0) {
		size_t n = fpb_report_changes_beyond(&rep, fail_pct);

		if (n) {
			fprintf(stderr, "fpbench report: %zu significant change%s larger than %g%% "
				"(--fail-on-change; see %s/report.json)\n", n, n == 1 ? "" : "s",
				fail_pct, out);
			rc = FPB_REPORT_CHANGED;
		}
	}
out:
	fpb_report_release(&rep);
	return rc;
}
