// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check_report.c - `fpbench report`: render reports from the fixture results in
 * tests/fixtures/report-*.json (made by gen-report-fixtures.py, built to differ and to not
 * differ), read the Markdown figures back and compare them with the inputs, check the verdicts,
 * the charts (valid SVG/PNG; skipped with a message when gnuplot does not run), and that bad
 * input exits 2 and leaves nothing behind.  Fixtures are found through $FPB_SRCDIR.
 */
#include "config.h"

#include <check.h>
#include <ftw.h>
#include <math.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <dirent.h>
#include <fcntl.h>

#include "report.h"
#include "test-slurp.h"

static char tmpdir[256];

static const char *fx(const char *name)
{
	static char buf[8][4096];
	static int k;
	const char *src = getenv("FPB_SRCDIR");

	k = (k + 1) % 8;
	snprintf(buf[k], sizeof(buf[k]), "%s/tests/fixtures/%s", src ? src : "..", name);
	return buf[k];
}

static const char *tp(const char *name)
{
	static char buf[8][512];
	static int k;

	k = (k + 1) % 8;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", tmpdir, name);
	return buf[k];
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(p) : unlink(p);
}

static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "%s/fpb-report-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_msg(mkdtemp(tmpdir), "mkdtemp %s: %s", tmpdir, strerror(errno));
}

static void teardown(void)
{
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Run fpb_report_main in a child with stderr into tmpdir/stderr; its exit status. */
static int run_report(const char *const *args)
{
	char *argv[32];
	int argc = 0, status;
	pid_t pid;

	argv[argc++] = (char *)"report";
	for (; *args && argc < 31; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	fflush(NULL);
	pid = fork();
	ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
	if (!pid) {
		FILE *e = freopen(tp("stderr"), "w", stderr);

		if (!e)
			_exit(99);
		exit(fpb_report_main(argc, argv));
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status), "fpbench report died (signal %d)",
		      WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return WEXITSTATUS(status);
}

/* The section of md starting with heading (up to the next "\n## "); malloc'd. */
static char *section(const char *md, const char *heading)
{
	const char *s = strstr(md, heading), *e;
	char *out;

	ck_assert_msg(s, "report.md: expected a section '%s'", heading);
	e = strstr(s + 1, "\n## ");
	if (!e)
		e = s + strlen(s);
	out = strndup(s, (size_t)(e - s));
	ck_assert(out);
	return out;
}

/* Cells of the table line of sec whose first cell is first; returns the count (cells malloc'd). */
static size_t table_row(const char *sec, const char *first, char **cells, size_t max)
{
	char pat[256];
	const char *s, *e;
	size_t n = 0;

	snprintf(pat, sizeof(pat), "\n| %s |", first);
	s = strstr(sec, pat);
	ck_assert_msg(s, "expected a table row '%s' in:\n%.400s", first, sec);
	s += 3;
	e = strchr(s, '\n');
	if (!e)
		e = s + strlen(s);
	while (s < e && n < max) {
		const char *bar = strstr(s, " |");

		if (!bar || bar > e)
			bar = e;
		cells[n++] = strndup(s, (size_t)(bar - s));
		s = bar + 2;
		while (s < e && *s == ' ')
			s++;
	}
	return n;
}

static void free_cells(char **cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(cells[i]);
}

static void read_fixture(const char *name, struct fpb_result *r)
{
	char why[256];

	ck_assert_msg(!fpb_result_read_json(fx(name), r, why, sizeof(why)),
		      "%s: expected to read, got: %s", fx(name), why);
}

static void expect_fig(const char *cell, const struct fpb_row *row, const char *what)
{
	char want[128];

	snprintf(want, sizeof(want), "%.1f [%.1f, %.1f]", row->st.median, row->st.ci_lo,
		 row->st.ci_hi);
	ck_assert_msg(!strncmp(cell, want, strlen(want)), "%s: expected '%s', got '%s'", what,
		      want, cell);
}

static bool gnuplot_runs(void)
{
#ifdef GNUPLOT_PATH
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "'%s' --version >/dev/null 2>&1", GNUPLOT_PATH);
	return system(cmd) == 0;
#else
	return false;
#endif
}

static void expect_svg(const char *path)
{
	size_t n;
	char *s = slurp(path, &n);

	ck_assert_msg(n > 100, "%s: expected a non-empty SVG, got %zu bytes", path, n);
	ck_assert_msg(!strncmp(s, "<?xml", 5) || !strncmp(s, "<svg", 4),
		      "%s: expected to start with <?xml or <svg, got '%.20s'", path, s);
	ck_assert_msg(strstr(s, "</svg>"), "%s: expected a closing </svg>", path);
	free(s);
}

static void expect_png(const char *path)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	size_t n;
	char *s = slurp(path, &n);

	ck_assert_msg(n > 100 && !memcmp(s, sig, 8), "%s: expected a PNG (8-byte signature), "
		      "got %zu bytes", path, n);
	free(s);
}

/* Entries of dir whose name starts with '.' (temporary directories left behind). */
static size_t hidden_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	ck_assert(d);
	while ((e = readdir(d)))
		if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* --- core: two runs of one machine (built to differ in xsave only) --- */

START_TEST(test_run_comparison)
{
	const char *args[] = { "--quiet", "--output", tp("out"), fx("report-a1.json"),
			       fx("report-a2.json"), NULL };
	struct fpb_result a, b;
	char *md, *sec, *cells[16];
	size_t checked = 0;

	setenv("FPB_GNUPLOT", "", 1);
	ck_assert_int_eq(run_report(args), 0);
	md = slurp(tp("out/report.md"), NULL);
	read_fixture("report-a1.json", &a);
	read_fixture("report-a2.json", &b);
	sec = section(md, "## Run comparison: A `report-a1.json`");
	ck_assert_msg(strstr(sec, "over 15 comparisons"),
		      "expected 15 comparisons (5 kernels + 10 strategy cells) named with the test");
	ck_assert_msg(strstr(sec, "the verdict rule (src/report/verdict.c)"), "expected the test named");
	ck_assert_msg(strstr(sec, "No trials: 15 comparisons"), "expected the schema 2 inputs' "
		      "missing trials stated");
	ck_assert_msg(strstr(sec, "kernel `6.1.0-26-amd64` -> `6.5.0-5-amd64`"),
		      "expected the kernel difference stated");
	for (size_t i = 0; i < a.nrows; i++) {
		const struct fpb_row *ra = &a.rows[i], *rb;
		char key[256], label[128], want[64];
		size_t n;
		double rel, got;

		if (ra->status != FPB_ROW_MEASURED)
			continue;
		fpb_report_row_key(ra, key, sizeof(key));
		rb = fpb_report_find_row(&b, key);
		ck_assert(rb);
		fpb_report_row_label(ra, label, sizeof(label));
		n = table_row(sec, label, cells, 16);
		ck_assert_msg(n == 6, "%s: expected 6 cells, got %zu", label, n);
		expect_fig(cells[2], ra, label);
		expect_fig(cells[3], rb, label);
		rel = (rb->st.median / ra->st.median - 1) * 100;
		ck_assert_msg(sscanf(cells[4], "%lf%%", &got) == 1 && fabs(got - rel) < 0.051,
			      "%s: change: expected %+.1f%%, got '%s'", label, rel, cells[4]);
		if (!strcmp(ra->name, "xsave")) {
			snprintf(want, sizeof(want), "%.1f%% slower +- ", rel);
			ck_assert_msg(!strncmp(cells[5], want, strlen(want)) && rel > 19 && rel < 21,
				      "xsave (built 20%% slower): expected '%s...', got '%s'", want,
				      cells[5]);
		} else {
			ck_assert_msg(!strncmp(cells[5], "no significant change", 21),
				      "%s (built to not differ): expected 'no significant change', "
				      "got '%s'", label, cells[5]);
		}
		free_cells(cells, n);
		checked++;
	}
	ck_assert_int_eq(checked, 15);
	free(sec);
	/* The machine description. */
	ck_assert_msg(strstr(md, "### Machine 1: `AuthenticAMD-25-17-1-0x0a101144-xcr0_2e7-"
			     "KVMKVMKVM`"), "expected machine 1 named by fingerprint");
	ck_assert_msg(strstr(md, "- Microcode: 0x0a101144") && strstr(md, "- XCR0: 0x2e7") &&
		      strstr(md, "2696 B standard for XCR0") && strstr(md, "fpbench 0.1.0 ("
		      "v0.1.0-3-gaaaaaaaaaaaa)") && strstr(md, "kernel 6.5.0-5-amd64"),
		      "expected microcode, XCR0, sizes, revision and kernel in the description");
	ck_assert_msg(strstr(md, "Charts: not drawn: FPB_GNUPLOT is empty"),
		      "FPB_GNUPLOT empty: expected the report to say why charts are missing");
	ck_assert_msg(access(tp("out/matrix-1.svg"), F_OK) && !access(tp("out/matrix-1.dat"), F_OK),
		      "without gnuplot: expected the data files and no SVG");
	ck_assert_int_eq(hidden_in(tmpdir), 0);
	fpb_result_free(&a);
	fpb_result_free(&b);
	free(md);
}
END_TEST

START_TEST(test_noise_floor)
{
	const char *args[] = { "--quiet", "--min-change=25", "--output", tp("out"),
			       fx("report-a1.json"), fx("report-a2.json"), NULL };
	const char *bad[] = { "--min-change=-1", fx("report-a1.json"), NULL };
	char *md, *sec, *cells[16];
	size_t n;

	setenv("FPB_GNUPLOT", "", 1);
	ck_assert_int_eq(run_report(args), 0);
	md = slurp(tp("out/report.md"), NULL);
	sec = section(md, "## Run comparison");
	n = table_row(sec, "xsave all dirty", cells, 16);
	ck_assert_msg(n == 6 && !strncmp(cells[5], "no significant change (+20.0%: below the "
		      "noise floor) (detects >= 25.0%)", 68), "--min-change=25: expected the 20%% change under the floor, "
		      "got '%s'", cells[5]);
	ck_assert_msg(strstr(sec, "below 25.0% counts as run-to-run noise"),
		      "expected the floor stated with the test");
	free_cells(cells, n);
	free(sec);
	free(md);
	ck_assert_int_eq(run_report(bad), 2);
}
END_TEST

START_TEST(test_strategy_matrix)
{
	const char *args[] = { "--quiet", "--output", tp("out"), fx("report-a1.json"),
			       fx("report-a2.json"), NULL };
	struct fpb_result b;
	char *md, *sec, *cells[16];
	size_t n;

	setenv("FPB_GNUPLOT", "", 1);
	ck_assert_int_eq(run_report(args), 0);
	md = slurp(tp("out/report.md"), NULL);
	read_fixture("report-a2.json", &b);
	sec = section(md, "## Strategy comparison: machine 1, `report-a2.json`");
	/* Medians back from the first table (columns as the fixture: eager lazy eager-pkru ...). */
	n = table_row(sec, "kthread-interrupt", cells, 16);
	ck_assert_int_eq(n, 6);
	expect_fig(cells[1], fpb_report_find_row(&b,
		"strategies|eager|kthread-interrupt|all|dirty|same|user"), "eager kthread");
	expect_fig(cells[2], fpb_report_find_row(&b,
		"strategies|lazy|kthread-interrupt|all|dirty|same|user"), "lazy kthread");
	ck_assert_str_eq(cells[4], "n/a");
	free_cells(cells, n);
	/* The ratio table (second occurrence of each scenario). */
	{
		char *ratio = strdup(strstr(sec, "Ratio to the lowest"));

		n = table_row(ratio, "kthread-interrupt", cells, 16);
		ck_assert_msg(strstr(cells[1], "higher than lazy") &&
			      !strcmp(cells[2], "**fastest**") &&
			      strstr(cells[3], "higher than lazy") && !strcmp(cells[4], "n/a"),
			      "kthread-interrupt: expected eager higher, lazy fastest, eager-pkru "
			      "higher, copy3 n/a; got '%s' '%s' '%s' '%s'", cells[1], cells[2],
			      cells[3], cells[4]);
		free_cells(cells, n);
		/* eager and lazy are drawn from one distribution: no winner, by the verdict rule. */
		n = table_row(ratio, "pingpong-dirty", cells, 16);
		ck_assert_msg((strstr(cells[1], "lowest median, indistinguishable from lazy") &&
			       strstr(cells[2], "indistinguishable from eager")) ||
			      (strstr(cells[2], "lowest median, indistinguishable from eager") &&
			       strstr(cells[1], "indistinguishable from lazy")),
			      "pingpong-dirty (eager = lazy): expected no winner, got '%s' '%s'",
			      cells[1], cells[2]);
		ck_assert_msg(strstr(cells[3], "higher than") && !strstr(sec, "| pingpong-dirty | "
			      "**fastest**"), "pingpong-dirty: expected eager-pkru higher, got '%s'",
			      cells[3]);
		free_cells(cells, n);
		n = table_row(ratio, "kvm-run-need-load", cells, 16);
		ck_assert_msg(strstr(cells[4], "higher than swap") &&
			      !strcmp(cells[5], "**fastest**"),
			      "kvm-run-need-load: expected copy3 higher, swap fastest; got '%s' '%s'",
			      cells[4], cells[5]);
		free_cells(cells, n);
		ck_assert_msg(strstr(ratio, "over 6 comparisons"),
			      "expected 6 comparisons against the lowest");
		free(ratio);
	}
	free(sec);
	fpb_result_free(&b);
	free(md);
}
END_TEST

START_TEST(test_two_machines_per_byte)
{
	const char *args[] = { "--quiet", "--output", tp("out"), fx("report-a1.json"),
			       fx("report-b1.json"), NULL };
	struct fpb_result a, b;
	const struct fpb_row *ra, *rb;
	char *md, *sec, *cells[16], want[64];
	size_t n;

	setenv("FPB_GNUPLOT", "", 1);
	ck_assert_int_eq(run_report(args), 0);
	md = slurp(tp("out/report.md"), NULL);
	ck_assert_msg(strstr(md, "### Machine 1: `AuthenticAMD") &&
		      strstr(md, "### Machine 2: `GenuineIntel"), "expected two machines");
	read_fixture("report-a1.json", &a);
	read_fixture("report-b1.json", &b);
	sec = section(md, "## Run comparison: A `report-a1.json` (machine 1) vs B `report-b1.json` "
		      "(machine 2)");
	ck_assert_msg(strstr(sec, "XSAVE size 2696 B -> 11008 B") && strstr(sec, "per byte"),
		      "different XSAVE sizes: expected the per-byte columns");
	n = table_row(sec, "xsave all dirty", cells, 16);
	ck_assert_int_eq(n, 9);
	ra = fpb_report_find_row(&a, "kernels|xsave||all|dirty|same|user");
	rb = fpb_report_find_row(&b, "kernels|xsave||all|dirty|same|user");
	/* Different TSC rates: ticks are different units, per byte is in ns. */
	ck_assert_msg(a.cpu.tsc_hz != b.cpu.tsc_hz && ra->ns_per_unit > 0 && rb->ns_per_unit > 0,
		      "fixtures: expected two TSC rates, both known");
	ck_assert_msg(strstr(sec, "Compared in ns: the machines' TSC rates differ"),
		      "expected the unit across machines stated");
	snprintf(want, sizeof(want), "%.4f (2440 B)", ra->st.median * ra->ns_per_unit / 2440);
	ck_assert_msg(!strcmp(cells[6], want), "A per byte: expected '%s', got '%s'", want,
		      cells[6]);
	snprintf(want, sizeof(want), "%.4f (10696 B)", rb->st.median * rb->ns_per_unit / 10696);
	ck_assert_msg(!strcmp(cells[7], want), "B per byte: expected '%s', got '%s'", want,
		      cells[7]);
	ck_assert_msg(strstr(cells[5], "slower"), "xsave on B: expected slower, got '%s'",
		      cells[5]);
	free_cells(cells, n);
	free(sec);
	fpb_result_free(&a);
	fpb_result_free(&b);
	free(md);
}
END_TEST

START_TEST(test_regression_series_and_charts)
{
	const char *args[] = { "--quiet", "--output", tp("out"), fx("report-a3.json"),
			       fx("report-b1.json"), fx("report-a1.json"), fx("report-a2.json"),
			       NULL };
	static const char *const charts[] = { "matrix-1", "matrix-2", "compare-1", "series" };
	char *md, *sec, *cells[16];
	size_t n;

	unsetenv("FPB_GNUPLOT");
	ck_assert_int_eq(run_report(args), 0);
	md = slurp(tp("out/report.md"), NULL);
	sec = section(md, "## Regression series: machine 1 (3 results, ordered by date)");
	ck_assert_msg(strstr(sec, "**Warning:** `report-b1.json` is from another machine"),
		      "expected a warning for the other machine's result");
	ck_assert_msg(strstr(sec, "1. `report-a1.json`") && strstr(sec, "3. `report-a3.json`"),
		      "expected the points ordered by date");
	n = table_row(sec, "xsave all dirty", cells, 16);
	ck_assert_int_eq(n, 5);
	ck_assert_msg(!strstr(cells[2], "**") && strstr(cells[3], "**+20.0%**") &&
		      strstr(cells[4], "**-16."), "xsave: expected +20%% at 2 and back at 3, got "
		      "'%s' '%s' '%s'", cells[2], cells[3], cells[4]);
	free_cells(cells, n);
	n = table_row(sec, "xrstor all dirty", cells, 16);
	ck_assert_msg(!strstr(cells[3], "**") && !strstr(cells[4], "**"),
		      "xrstor (built to not differ): expected no change marked, got '%s' '%s'",
		      cells[3], cells[4]);
	free_cells(cells, n);
	n = table_row(sec, "xsaveopt all dirty", cells, 16);
	ck_assert_msg(!strstr(cells[3], "**") && strstr(cells[4], "**-10."),
		      "xsaveopt: expected -10%% at point 3, got '%s' '%s'", cells[3], cells[4]);
	free_cells(cells, n);
	free(sec);
	ck_assert_msg(strstr(md, "## Run comparison: A `report-a3.json` (machine 1) vs B "
			     "`report-b1.json` (machine 2)"),
		      "two machines: expected the latest of each compared");
	if (!gnuplot_runs()) {
		fprintf(stderr, "check_report: SKIP chart checks: gnuplot not found or does not run "
			"(built %s gnuplot)\n",
#ifdef GNUPLOT_PATH
			"with"
#else
			"without"
#endif
			);
		ck_assert_msg(strstr(md, "Charts: not drawn"), "expected the report to say why");
		free(md);
		return;
	}
	for (size_t i = 0; i < FPB_ARRAY_SIZE(charts); i++) {
		char name[64], ref[80];

		snprintf(name, sizeof(name), "out/%s.svg", charts[i]);
		expect_svg(tp(name));
		snprintf(name, sizeof(name), "out/%s.png", charts[i]);
		expect_png(tp(name));
		snprintf(ref, sizeof(ref), "](%s.svg)", charts[i]);
		ck_assert_msg(strstr(md, ref), "report.md: expected a link to %s.svg", charts[i]);
	}
	ck_assert_msg(!strstr(md, "Charts:"), "charts drawn: expected no note, got:\n%.300s",
		      strstr(md, "Charts:"));
	ck_assert_msg(access(tp("out/gnuplot.log"), F_OK), "gnuplot.log left in the report");
	free(md);
}
END_TEST

START_TEST(test_replace_existing)
{
	const char *one[] = { "--quiet", "--output", tp("out"), fx("report-a1.json"), NULL };
	const char *two[] = { "--quiet", "--output", tp("out/"), fx("report-a1.json"),
			      fx("report-b1.json"), NULL };
	char *md;

	setenv("FPB_GNUPLOT", "", 1);
	ck_assert_int_eq(run_report(one), 0);
	md = slurp(tp("out/report.md"), NULL);
	ck_assert_msg(strstr(md, "From 1 result file,"), "first report: expected 1 input");
	free(md);
	ck_assert_int_eq(run_report(two), 0);
	md = slurp(tp("out/report.md"), NULL);
	ck_assert_msg(strstr(md, "From 2 result files, 2 machines"),
		      "second report: expected the directory replaced");
	free(md);
	ck_assert_msg(hidden_in(tmpdir) == 0, "expected no temporary or old directory left");
}
END_TEST

static void write_file(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	ck_assert(f);
	ck_assert_int_eq(fwrite(data, 1, n, f), n);
	fclose(f);
}

/*
 * An earlier report's directory holds other things too: only the report's own files are
 * replaced (a stale chart of an earlier report removed), the rest stays; --output=. works.
 */
START_TEST(test_output_keeps_other_files)
{
	char a1[4096], cwd[4096], d[600], *s;
	const char *args[] = { "--quiet", "--output", d, a1, NULL };
	const char *here[] = { "--quiet", "--output=.", a1, NULL };

	setenv("FPB_GNUPLOT", "", 1);
	ck_assert(realpath(fx("report-a1.json"), a1));
	snprintf(d, sizeof(d), "%s", tp("d"));
	ck_assert(!mkdir(tp("d"), 0755));
	write_file(tp("d/report.md"), "x\n", 2);
	write_file(tp("d/design.txt"), "precious\n", 9);
	write_file(tp("d/compare-7.png"), "old chart\n", 10);
	write_file(tp("d/compare-7.png.txt"), "mine\n", 5);
	ck_assert(!mkdir(tp("d/sub"), 0755));
	write_file(tp("d/sub/f"), "f\n", 2);
	ck_assert_int_eq(run_report(args), 0);
	s = slurp(tp("d/design.txt"), NULL);
	ck_assert_str_eq(s, "precious\n");
	free(s);
	s = slurp(tp("d/sub/f"), NULL);
	ck_assert_str_eq(s, "f\n");
	free(s);
	s = slurp(tp("d/compare-7.png.txt"), NULL);
	ck_assert_str_eq(s, "mine\n");
	free(s);
	ck_assert_msg(access(tp("d/compare-7.png"), F_OK),
		      "expected the earlier report's stale chart removed");
	s = slurp(tp("d/report.md"), NULL);
	ck_assert_msg(strstr(s, "From 1 result file,"), "expected report.md replaced");
	free(s);
	ck_assert_msg(!access(tp("d/matrix-1.dat"), F_OK), "expected matrix-1.dat written");
	ck_assert_int_eq(hidden_in(tp("d")), 0);

	/* --output=. in a directory with other files and no earlier report. */
	ck_assert(getcwd(cwd, sizeof(cwd)));
	ck_assert(!mkdir(tp("here"), 0755));
	write_file(tp("here/notes.txt"), "n\n", 2);
	ck_assert(!chdir(tp("here")));
	ck_assert_int_eq(run_report(here), 0);
	ck_assert(!chdir(cwd));
	s = slurp(tp("here/notes.txt"), NULL);
	ck_assert_str_eq(s, "n\n");
	free(s);
	ck_assert_msg(!access(tp("here/report.md"), F_OK), "--output=.: expected report.md");
	ck_assert_int_eq(hidden_in(tp("here")), 0);
	ck_assert_int_eq(hidden_in(tmpdir), 0);
}
END_TEST

/* The names the report owns, and nothing that merely resembles them. */
START_TEST(test_own_file_names)
{
	static const char *const yes[] = { "report.md", "report.json", "series.png", "series.dat", "matrix-1.svg",
					   "compare-12.png" };
	static const char *const no[] = { "report.md~", "series.png.txt", "matrix-.svg",
					  "matrix-01.svg", "compare-1.jpg", "design.txt", "series",
					  "Report.md", "matrix-1x.png" };

	for (size_t i = 0; i < FPB_ARRAY_SIZE(yes); i++)
		ck_assert_msg(fpb_report_own_file(yes[i]), "%s: expected the report's own", yes[i]);
	for (size_t i = 0; i < FPB_ARRAY_SIZE(no); i++)
		ck_assert_msg(!fpb_report_own_file(no[i]), "%s: expected not the report's", no[i]);
}
END_TEST

/*
 * series.dat feeds the small multiples: per point the change's direction (1 slower, -1 faster),
 * the x label (date and time, or the revision with --order=revision) and the panel's name.
 */
START_TEST(test_series_data)
{
	const char *args[] = { "--quiet", "--output", NULL, NULL, NULL, NULL, NULL };
	char out[600], f1[4096], f2[4096], f3[4096], *dat, *blk;

	setenv("FPB_GNUPLOT", "", 1);
	snprintf(out, sizeof(out), "%s", tp("out"));
	snprintf(f1, sizeof(f1), "%s", fx("report-a1.json"));
	snprintf(f2, sizeof(f2), "%s", fx("report-a2.json"));
	snprintf(f3, sizeof(f3), "%s", fx("report-a3.json"));
	args[2] = out;
	args[3] = f3;
	args[4] = f1;
	args[5] = f2;
	ck_assert_int_eq(run_report(args), 0);
	dat = slurp(tp("out/series.dat"), NULL);
	blk = strstr(dat, "\"xsave all dirty\" median lo hi change xlabel measurement\n");
	ck_assert_msg(blk, "series.dat: expected the xsave block with its columns, got:\n%.400s",
		      dat);
	ck_assert_msg(strstr(blk, " 0 \"11-01 10:00\" \"xsave all dirty\"\n2 ") &&
		      strstr(blk, " 1 \"11-08 10:00\" \"xsave all dirty\"\n3 ") &&
		      strstr(blk, " -1 \"11-15 10:00\" \"xsave all dirty\"\n"),
		      "xsave: expected no change, +1 (slower) at 2, -1 (faster) at 3, dated, "
		      "got:\n%.400s", blk);
	free(dat);
	{
		const char *rargs[] = { "--quiet", "--order=revision", "--output", out, f3, f1, f2,
					NULL };

		ck_assert_int_eq(run_report(rargs), 0);
	}
	dat = slurp(tp("out/series.dat"), NULL);
	ck_assert_msg(strstr(dat, " \"7-gbbbbbbbbb\" "), "--order=revision: expected revision "
		      "labels, got:\n%.600s", dat);
	free(dat);
}
END_TEST

/* --- charts: the data files behind the charts (what is drawn, not pixels) --- */

struct dat_row {
	size_t row;
	char label[128], text[32];
	double change, lo, hi;
	int cls;
};

/* The rows of a compare-N.dat; returns the count (at most max). */
static size_t read_compare_dat(const char *path, struct dat_row *out, size_t max)
{
	FILE *f = fopen(path, "r");
	char line[512];
	size_t n = 0;
	bool header = false;

	ck_assert_msg(f, "%s: expected the chart data file, got %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f) && n < max) {
		struct dat_row *r = &out[n];

		if (line[0] == '#')
			continue;
		if (!header) {
			ck_assert_msg(!strncmp(line, "row measurement change_pct lo_pct hi_pct class "
				      "text", 46), "%s: expected the column header, got '%s'", path,
				      line);
			header = true;
			continue;
		}
		ck_assert_msg(sscanf(line, "%zu \"%127[^\"]\" %lf %lf %lf %d \"%31[^\"]\"", &r->row,
				     r->label, &r->change, &r->lo, &r->hi, &r->cls, r->text) == 7,
			      "%s: expected 'row \"label\" change lo hi class \"text\"', got '%s'",
			      path, line);
		n++;
	}
	fclose(f);
	return n;
}

/*
 * The run comparison chart's data: one row per row measured in both runs, in table order, its
 * change in percent B against A with the sign of the change, an interval that holds the point,
 * the class of the verdict, the figure as text with its percent sign.
 */
START_TEST(test_compare_chart_data)
{
	const char *args[] = { "--quiet", "--output", tp("out"), fx("report-a1.json"),
			       fx("report-a2.json"), NULL };
	struct fpb_result a, b;
	struct dat_row rows[64];
	size_t n, k = 0;
	char *md;

	setenv("FPB_GNUPLOT", "", 1);
	ck_assert_int_eq(run_report(args), 0);
	read_fixture("report-a1.json", &a);
	read_fixture("report-a2.json", &b);
	n = read_compare_dat(tp("out/compare-1.dat"), rows, 64);
	ck_assert_msg(n == 15, "compare-1.dat: expected 15 rows (measured in both), got %zu", n);
	for (size_t i = 0; i < a.nrows; i++) {
		const struct fpb_row *ra = &a.rows[i], *rb;
		char key[256], label[128], want[32];
		double rel;

		fpb_report_row_key(ra, key, sizeof(key));
		rb = fpb_report_find_row(&b, key);
		if (!rb || ra->status != FPB_ROW_MEASURED || rb->status != FPB_ROW_MEASURED)
			continue;
		ck_assert_msg(k < n, "compare-1.dat: expected a row for every measured pair");
		fpb_report_row_label(ra, label, sizeof(label));
		rel = (rb->st.median / ra->st.median - 1) * 100;
		ck_assert_msg(rows[k].row == k + 1 && !strcmp(rows[k].label, label),
			      "row %zu: expected '%s' (table order), got %zu '%s'", k + 1, label,
			      rows[k].row, rows[k].label);
		ck_assert_msg(fabs(rows[k].change - rel) < 1e-3, "%s: expected change %.4f%%, got "
			      "%.4f", label, rel, rows[k].change);
		ck_assert_msg(rows[k].lo <= rows[k].change && rows[k].change <= rows[k].hi &&
			      rows[k].lo < rows[k].hi, "%s: expected lo <= change <= hi, got "
			      "%.4f <= %.4f <= %.4f", label, rows[k].lo, rows[k].change, rows[k].hi);
		/* Conservative: at least the corners of the two intervals. */
		ck_assert_msg(rows[k].lo <= (rb->st.ci_lo / ra->st.ci_hi - 1) * 100 + 1e-3 &&
			      rows[k].hi >= (rb->st.ci_hi / ra->st.ci_lo - 1) * 100 - 1e-3,
			      "%s: expected the interval to span B/A over both intervals, got "
			      "[%.4f, %.4f]", label, rows[k].lo, rows[k].hi);
		snprintf(want, sizeof(want), "%+.1f%%", rel);
		ck_assert_msg(!strcmp(rows[k].text, want), "%s: expected text '%s', got '%s'",
			      label, want, rows[k].text);
		if (!strcmp(ra->name, "xsave"))
			ck_assert_msg(rows[k].cls == 1 && rows[k].change > 0, "xsave (built 20%% "
				      "slower): expected class 1 and a positive change, got %d %.2f",
				      rows[k].cls, rows[k].change);
		else
			ck_assert_msg(rows[k].cls == 0 || rows[k].cls == 2, "%s (built to not differ): "
				      "expected class 0 or 2, got %d", label, rows[k].cls);
		k++;
	}
	ck_assert_uint_eq(k, n);
	/* Rows not measured in both are named in the report, not drawn. */
	md = slurp(tp("out/report.md"), NULL);
	ck_assert_msg(strstr(md, "Not in the chart") && strstr(md, "- skipped in both runs") &&
		      strstr(md, "- n/a in both runs"), "expected the rows left out of the chart "
		      "listed by why");
	ck_assert_msg(strstr(md, "conservative interval") && strstr(md, "union bound"),
		      "expected the change's interval explained");
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(!strstr(rows[i].label, "xsaves"), "skipped xsaves drawn");
	free(md);
	fpb_result_free(&a);
	fpb_result_free(&b);
}
END_TEST

/* A copy of fixture name with every row of scenario made n/a (status padded to keep JSON). */
static void fixture_na_scenario(const char *name, const char *scenario, const char *out)
{
	char *s = slurp(fx(name), NULL), pat[96], *p = s;
	size_t hits = 0;
	FILE *f;

	snprintf(pat, sizeof(pat), "\"scenario\": \"%s\"", scenario);
	while ((p = strstr(p, pat))) {
		char *next = strstr(p + 1, "\"scenario\":"), *st = strstr(p, "\"status\": \"measured\"");

		if (st && (!next || st < next)) {
			memcpy(st + 10, "\"n/a\"     ", 10);
			hits++;
		}
		p++;
	}
	ck_assert_msg(hits >= 2, "%s: expected measured rows in scenario %s, got %zu", name,
		      scenario, hits);
	f = fopen(out, "w");
	ck_assert(f);
	fputs(s, f);
	fclose(f);
	free(s);
}

/* A scenario where every strategy is n/a: not in the matrix (table or chart data), named once. */
START_TEST(test_matrix_all_na_scenario)
{
	const char *args[] = { "--quiet", "--output", tp("out"), fx("report-a1.json"),
			       tp("a2-na.json"), NULL };
	struct dat_row rows[64];
	char *md, *sec, *dat;
	size_t n;

	setenv("FPB_GNUPLOT", "", 1);
	fixture_na_scenario("report-a2.json", "kvm-run-1", tp("a2-na.json"));
	ck_assert_int_eq(run_report(args), 0);
	md = slurp(tp("out/report.md"), NULL);
	sec = section(md, "## Strategy comparison: machine 1, `a2-na.json`");
	ck_assert_msg(!strstr(sec, "| kvm-run-1 |"), "all-n/a scenario kvm-run-1: expected no "
		      "table row, got one");
	ck_assert_msg(strstr(sec, "Left out (no strategy measured in the scenario): kvm-run-1."),
		      "expected kvm-run-1 named once as left out");
	ck_assert_msg(strstr(sec, "| kvm-run-need-load |"), "expected kvm-run-need-load kept");
	free(sec);
	dat = slurp(tp("out/matrix-1.dat"), NULL);
	ck_assert_msg(!strstr(dat, "\"kvm-run-1\""), "matrix-1.dat: expected no kvm-run-1, got:\n%s",
		      dat);
	ck_assert_msg(strstr(dat, "\"kvm-run-need-load\"") && strstr(dat, "\"pingpong-dirty\"") &&
		      strstr(dat, "\"swap\""), "matrix-1.dat: expected the measured scenarios and "
		      "strategies, got:\n%s", dat);
	free(dat);
	/* In the run comparison: measured in A, n/a in B, so listed and not drawn. */
	ck_assert_msg(strstr(md, "- measured in A, n/a in B: copy3 @ kvm-run-1, swap @ kvm-run-1"),
		      "expected the kvm-run-1 rows listed as n/a in B");
	n = read_compare_dat(tp("out/compare-1.dat"), rows, 64);
	ck_assert_msg(n == 13, "compare-1.dat: expected 15 - 2 rows, got %zu", n);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(!strstr(rows[i].label, "kvm-run-1"), "compare-1.dat: expected no "
			      "kvm-run-1 row, got '%s'", rows[i].label);
	free(md);
}
END_TEST

/* The change and its interval: no percent of a reference that may be zero or negative. */
START_TEST(test_change_interval)
{
	struct fpb_row a, b;
	struct fpb_rcmp c;
	char v[128];

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.status = b.status = FPB_ROW_MEASURED;
	a.st.median = 100, a.st.ci_lo = 95, a.st.ci_hi = 110;
	b.st.median = 120, b.st.ci_lo = 114, b.st.ci_hi = 121;
	fpb_report_compare_rows(&a, &b, &c);
	ck_assert_msg(fabs(c.rel - 0.20) < 1e-12, "rel: expected 0.20, got %g", c.rel);
	ck_assert_msg(fabs(c.rel_lo - (114.0 / 110 - 1)) < 1e-12 &&
		      fabs(c.rel_hi - (121.0 / 95 - 1)) < 1e-12, "interval: expected [%g, %g], "
		      "got [%g, %g]", 114.0 / 110 - 1, 121.0 / 95 - 1, c.rel_lo, c.rel_hi);
	ck_assert_msg(fabs(c.rel_hw - fmax(c.rel - c.rel_lo, c.rel_hi - c.rel)) < 1e-12,
		      "rel_hw: expected the wider side, got %g", c.rel_hw);
	ck_assert(fpb_report_run_charted(&c));
	/* The reference's interval reaches zero: no percent, not charted. */
	a.st.median = 3, a.st.ci_lo = -1, a.st.ci_hi = 7;
	fpb_report_compare_rows(&a, &b, &c);
	ck_assert_msg(isnan(c.rel) && isnan(c.rel_lo) && !fpb_report_run_charted(&c),
		      "reference interval [-1, 7]: expected no percent, got %g", c.rel);
	c.tested = c.significant = true;
	fpb_report_verdict(&c, v, sizeof(v));
	ck_assert_msg(strstr(v, "no percent"), "expected 'no percent' in the verdict, got '%s'", v);
	/* A median outside its own interval still lies inside the change's interval. */
	a.st.median = 100, a.st.ci_lo = 101, a.st.ci_hi = 105;
	b.st.median = 100, b.st.ci_lo = 98, b.st.ci_hi = 99;
	fpb_report_compare_rows(&a, &b, &c);
	ck_assert_msg(c.rel_lo <= c.rel && c.rel <= c.rel_hi, "expected the point inside, got "
		      "%g in [%g, %g]", c.rel, c.rel_lo, c.rel_hi);
}
END_TEST

/* --- limits: bad input exits 2 with one line and leaves the output alone --- */

static void expect_bad(const char *file, const char *what)
{
	const char *args[] = { "--output", tp("out"), fx("report-a1.json"), file, NULL };
	char *err, *before, *after;
	size_t nl = 0;

	/* An earlier report in the output directory must survive untouched. */
	before = slurp(tp("out/report.md"), NULL);
	ck_assert_int_eq(run_report(args), 2);
	err = slurp(tp("stderr"), NULL);
	for (char *p = err; *p; p++)
		nl += *p == '\n';
	ck_assert_msg(nl == 1 && strstr(err, file), "%s: expected one line naming %s, got '%s'",
		      what, file, err);
	after = slurp(tp("out/report.md"), NULL);
	ck_assert_msg(!strcmp(before, after), "%s: the output directory changed", what);
	ck_assert_msg(hidden_in(tmpdir) == 0, "%s: temporary files left behind", what);
	free(err);
	free(before);
	free(after);
}

START_TEST(test_bad_inputs)
{
	const char *good[] = { "--quiet", "--output", tp("out"), fx("report-a1.json"), NULL };
	const char *fresh[] = { "--output", tp("never"), fx("report-a1.json"), tp("nope.json"),
				NULL };
	size_t n;
	char *a1 = slurp(fx("report-a1.json"), &n);

	setenv("FPB_GNUPLOT", "", 1);
	ck_assert_int_eq(run_report(good), 0);
	write_file(tp("trunc.json"), a1, n / 2);
	write_file(tp("nonjson.json"), "hello, world\n", 13);
	write_file(tp("empty.json"), "", 0);
	write_file(tp("schema.json"), "{\"schema\": \"something-else\", \"rows\": []}\n", 41);
	write_file(tp("v99.json"), "{\"schema\": \"fpbench-results\", \"schema_version\": 99}\n",
		   52);
	write_file(tp("array.json"), "[1, 2, 3]\n", 10);
	ck_assert(!mkdir(tp("adir"), 0755));
	expect_bad(tp("missing.json"), "missing file");
	expect_bad(tp("trunc.json"), "truncated file");
	expect_bad(tp("nonjson.json"), "non-JSON file");
	expect_bad(tp("empty.json"), "empty file");
	expect_bad(tp("schema.json"), "wrong schema");
	expect_bad(tp("v99.json"), "unsupported schema version");
	expect_bad(tp("array.json"), "JSON array");
	expect_bad(tp("adir"), "a directory");
	/* A measured row whose median is null: never read as a figure (it printed "nan"). */
	{
		char *m = strstr(a1, "\"median\": "), *e = m ? strpbrk(m + 10, ",}") : NULL;
		FILE *f = fopen(tp("nomedian.json"), "w");

		ck_assert_msg(m && e && f, "report-a1.json: expected a \"median\" figure");
		fprintf(f, "%.*s\"median\": null%s", (int)(m - a1), a1, e);
		fclose(f);
		expect_bad(tp("nomedian.json"), "measured row without a median");
	}
	/* Bigger than any result (sparse, no disk used): refused before it is read. */
	{
		int fd = open(tp("huge.json"), O_CREAT | O_WRONLY | O_TRUNC, 0644);

		ck_assert_msg(fd >= 0 && !ftruncate(fd, (off_t)1 << 30), "huge.json: %s",
			      strerror(errno));
		close(fd);
		expect_bad(tp("huge.json"), "1 GiB file");
		unlink(tp("huge.json"));
	}
	free(a1);
	/* Nothing at all is created when the output did not exist. */
	ck_assert_int_eq(run_report(fresh), 2);
	ck_assert_msg(access(tp("never"), F_OK), "bad input: expected no output directory");
	rmdir(tp("adir"));
}
END_TEST

START_TEST(test_bad_usage)
{
	const char *none[] = { "--output", tp("out"), NULL };
	const char *order[] = { "--order=sideways", fx("report-a1.json"), NULL };
	const char *opt[] = { "--bogus", fx("report-a1.json"), NULL };
	const char *minc[] = { "--min-change=abc", fx("report-a1.json"), NULL };
	const char *minc100[] = { "--min-change=100", fx("report-a1.json"), NULL };
	const char *notreport[] = { "--output", tp("mine"), fx("report-a1.json"), NULL };
	const char *isfile[] = { "--output", tp("file"), fx("report-a1.json"), NULL };
	char *s;

	ck_assert_int_eq(run_report(none), 2);
	ck_assert_int_eq(run_report(order), 2);
	ck_assert_int_eq(run_report(opt), 2);
	ck_assert_int_eq(run_report(minc), 2);
	/* The message states the range that is accepted (100 is not). */
	ck_assert_int_eq(run_report(minc100), 2);
	s = slurp(tp("stderr"), NULL);
	ck_assert_msg(strstr(s, "--min-change=100") && strstr(s, "below 100"),
		      "--min-change=100: expected the accepted range, got '%s'", s);
	free(s);
	/* A file of the report's names where no earlier report is: never overwritten. */
	ck_assert(!mkdir(tp("mine"), 0755));
	write_file(tp("mine/series.png"), "keep\n", 5);
	ck_assert_int_eq(run_report(notreport), 2);
	s = slurp(tp("mine/series.png"), NULL);
	ck_assert_str_eq(s, "keep\n");
	free(s);
#ifdef HAVE_JANSSON
	/* the output is looked at after the inputs are read: without jansson the reader's refusal
	 * comes first (series.png is kept all the same) */
	s = slurp(tp("stderr"), NULL);
	ck_assert_msg(strstr(s, "series.png") && strstr(s, "no report.md"),
		      "expected the refusal to name series.png, got '%s'", s);
	free(s);
#endif
	ck_assert_msg(access(tp("mine/report.md"), F_OK), "refused: expected no report.md");
	unlink(tp("mine/series.png"));
	write_file(tp("file"), "x", 1);
	ck_assert_int_eq(run_report(isfile), 2);
	ck_assert_msg(access(tp("out"), F_OK), "bad usage: expected no output directory");
	rmdir(tp("mine"));
	unlink(tp("file"));
}
END_TEST

/* --- sig: the significance machinery on known inputs --- */

START_TEST(test_holm)
{
	const double p[] = { 0.01, 0.04, 0.03, 0.005, NAN };
	const double want[] = { 0.03, 0.06, 0.06, 0.02 };
	double adj[5];

	fpb_report_holm_p(p, 5, adj);
	for (size_t i = 0; i < 4; i++)
		ck_assert_msg(fabs(adj[i] - want[i]) < 1e-12, "Holm p[%zu]: expected %g, got %g", i,
			      want[i], adj[i]);
	ck_assert_msg(isnan(adj[4]), "untested: expected NaN, got %g", adj[4]);
}
END_TEST

static void make_row(struct fpb_row *row, double base, double step, size_t n)
{
	double *x = malloc(n * sizeof(*x));

	memset(row, 0, sizeof(*row));
	row->status = FPB_ROW_MEASURED;
	for (size_t i = 0; i < n; i++)
		x[i] = base + step * (double)(i % 17);
	ck_assert_int_eq(fpb_row_set_raw(row, x, n), 0);
	ck_assert_int_eq(fpb_stats_compute(x, n, 0.95, &row->st), 0);
	free(x);
}

/*
 * The between-run spread comes from the other runs of the same machine and revision, never from
 * the two compared: moving those two leaves it alone; fewer than three others give none.
 */
START_TEST(test_between_runs)
{
	static const double med[] = { 100, 160, 99, 101, 100, 102 };
	struct fpb_rin in[6];
	struct fpb_rset set;
	char key[256];
	double b1, b2, want, mean = 0, ss = 0;

	memset(&set, 0, sizeof(set));
	memset(in, 0, sizeof(in));
	for (size_t i = 0; i < 6; i++) {
		struct fpb_row *row;

		fpb_result_init(&in[i].res);
		snprintf(in[i].res.run.git_revision, sizeof(in[i].res.run.git_revision), "v1");
		row = fpb_result_add_row(&in[i].res);
		snprintf(row->suite, sizeof(row->suite), "kernels");
		snprintf(row->name, sizeof(row->name), "xsave");
		row->status = FPB_ROW_MEASURED;
		row->st.median = med[i];
	}
	set.in = in;
	set.n = 6;
	set.nmach = 1;
	fpb_report_row_key(&in[0].res.rows[0], key, sizeof(key));
	b1 = fpb_report_between(&set, key, 0, 1);
	for (size_t i = 2; i < 6; i++)
		mean += log(med[i]) / 4;
	for (size_t i = 2; i < 6; i++)
		ss += (log(med[i]) - mean) * (log(med[i]) - mean);
	want = 2 * sqrt(2 * ss / 3);
	ck_assert_msg(fabs(b1 - want) < 1e-12, "between: %g, want %g", b1, want);
	in[1].res.rows[0].st.median = 1000;	/* the compared runs do not count */
	in[0].res.rows[0].st.median = 1;
	b2 = fpb_report_between(&set, key, 0, 1);
	ck_assert_msg(b1 == b2, "between moved with the compared runs: %g -> %g", b1, b2);
	/* another revision or machine does not count either */
	snprintf(in[5].res.run.git_revision, sizeof(in[5].res.run.git_revision), "v2");
	in[4].machine = 1;
	ck_assert_msg(fpb_report_between(&set, key, 0, 1) == 0, "two others: want no term");
	for (size_t i = 0; i < 6; i++)
		fpb_result_free(&in[i].res);
}
END_TEST

START_TEST(test_verdicts)
{
	struct fpb_row a, same, slow, noraw;
	struct fpb_rcmp c[2];
	char v[96];

	make_row(&a, 100, 0.5, 170);
	make_row(&same, 100, 0.5, 170);
	make_row(&slow, 110, 0.55, 170);
	noraw = slow;
	noraw.raw = NULL;
	noraw.nraw = 0;
	fpb_report_compare_rows(&a, &same, &c[0]);
	fpb_report_compare_rows(&a, &slow, &c[1]);
	fpb_report_holm(c, 2, FPB_REPORT_ALPHA);
	fpb_report_verdict(&c[0], v, sizeof(v));
	ck_assert_str_eq(v, "no significant change");
	fpb_report_verdict(&c[1], v, sizeof(v));
	ck_assert_msg(!strncmp(v, "10.0% slower +- ", 16), "expected 10.0%% slower, got '%s'", v);
	fpb_report_compare_rows(&slow, &a, &c[1]);
	fpb_report_holm(&c[1], 1, FPB_REPORT_ALPHA);
	fpb_report_verdict(&c[1], v, sizeof(v));
	ck_assert_msg(!strncmp(v, "9.1% faster", 11), "expected 9.1%% faster, got '%s'", v);
	/* The rule needs intervals, not raw samples: blocks of them only widen a schema-2 row. */
	fpb_report_compare_rows(&a, &noraw, &c[0]);
	fpb_report_verdict(&c[0], v, sizeof(v));
	ck_assert_msg(!strncmp(v, "10.0% slower +- ", 16), "no raw samples: got '%s'", v);
	ck_assert_msg(c[0].detectable > 0 && c[0].detectable < 0.05, "detectable %g",
		      c[0].detectable);
	/*
	 * Two results of one strategy counted by different model revisions: no verdict, even for
	 * a 10% change.  A row without a revision (before schema 3) is revision 1.
	 */
	snprintf(a.suite, sizeof(a.suite), "strategies");
	snprintf(a.name, sizeof(a.name), "eager");
	snprintf(slow.suite, sizeof(slow.suite), "strategies");
	snprintf(slow.name, sizeof(slow.name), "eager");
	snprintf(slow.model_rev, sizeof(slow.model_rev), "2");
	fpb_report_compare_rows(&a, &slow, &c[0]);
	fpb_report_mark_model_change(&c[0]);
	fpb_report_holm(c, 1, FPB_REPORT_ALPHA);
	fpb_report_verdict(&c[0], v, sizeof(v));
	ck_assert_str_eq(v, "model changed (revision 1 -> 2): no verdict");
	snprintf(a.model_rev, sizeof(a.model_rev), "2");
	fpb_report_compare_rows(&a, &slow, &c[0]);
	fpb_report_mark_model_change(&c[0]);
	ck_assert(!c[0].model_changed && c[0].tested);
	free(a.raw);
	free(same.raw);
	free(slow.raw);
}
END_TEST

/* The results reader (fpb_result_read_json) needs jansson; without it it refuses every file. */
#ifdef HAVE_JANSSON
static const bool have_reader = true;
#else
static const bool have_reader;
#endif

static Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *core = tcase_create("core"), *limits = tcase_create("limits");
	TCase *sig = tcase_create("sig");

	tcase_add_checked_fixture(core, setup, teardown);
	tcase_add_checked_fixture(limits, setup, teardown);
	tcase_set_timeout(core, 120);
	tcase_set_timeout(limits, 120);
	if (have_reader) {	/* the tests that read result files */
		tcase_add_test(core, test_run_comparison);
		tcase_add_test(core, test_strategy_matrix);
		tcase_add_test(core, test_noise_floor);
		tcase_add_test(core, test_two_machines_per_byte);
		tcase_add_test(core, test_regression_series_and_charts);
		tcase_add_test(core, test_replace_existing);
		tcase_add_test(core, test_output_keeps_other_files);
		tcase_add_test(core, test_own_file_names);
		tcase_add_test(core, test_series_data);
		tcase_add_test(core, test_compare_chart_data);
		tcase_add_test(core, test_matrix_all_na_scenario);
		tcase_add_test(limits, test_bad_inputs);
	}
	tcase_add_test(limits, test_bad_usage);
	tcase_add_test(sig, test_holm);
	tcase_add_test(sig, test_verdicts);
	tcase_add_test(sig, test_between_runs);
	tcase_add_test(sig, test_change_interval);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	suite_add_tcase(s, sig);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(report_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (!have_reader && !failed) {
		printf("SKIP: the report tests that read result files: built without jansson (the "
		       "results reader needs it); only the usage and significance tests ran\n");
		return 77;
	}
	return failed ? 1 : 0;
}
