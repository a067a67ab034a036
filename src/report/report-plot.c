// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report-plot.c - the report's charts: write the data files (kept in the report for re-plotting),
 * then run gnuplot on the scripts kept in scripts/ (report-matrix.gp, report-compare.gp,
 * report-series.gp), once for SVG and once for PNG.  gnuplot is optional: when it was not found
 * at configure time, does not run now, or a script is missing, the report says why instead.
 */
#include "config.h"
#include <time.h>
#include <signal.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <math.h>
#include <unistd.h>

#include "report.h"
#include "report-paths.h"

/* Percent changes beyond this are cut at the chart's border (their figure is written). */
#define FPB_PLOT_CLIP	150.0

void fpb_report_chart_name(char *buf, size_t len, const char *kind, size_t idx)
{
	if (!strcmp(kind, "series"))
		snprintf(buf, len, "series");
	else
		snprintf(buf, len, "%s-%zu", kind, idx + 1);
}

/* A data-file string: double-quoted, without quotes or control characters inside. */
static void plot_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		fputc(*p < 0x20 || *p == '"' || *p == '\\' || *p == 0x7f ? '_' : *p, f);
	fputc('"', f);
}

/* median lo hi of a measured row, else three NaNs (gnuplot leaves a gap). */
static void plot_fig(FILE *f, const struct fpb_row *row)
{
	if (row && row->status == FPB_ROW_MEASURED)
		fprintf(f, " %.6g %.6g %.6g", row->st.median, row->st.ci_lo, row->st.ci_hi);
	else
		fputs(" NaN NaN NaN", f);
}

/* Keep only characters that are safe inside a gnuplot single-quoted string. */
static void plot_safe(char *dst, size_t len, const char *src)
{
	size_t k = 0;

	for (; *src && k + 1 < len; src++)
		dst[k++] = (*src >= 0x20 && *src < 0x7f && *src != '\'' && *src != '\\') ?
			   *src : '_';
	dst[k] = '\0';
}

static FILE *plot_open(const char *dir, const char *name, char *why, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.dat", dir, name);
	f = fopen(path, "w");
	if (!f)
		snprintf(why, len, "%s: %s", path, strerror(errno));
	return f;
}

static int plot_close(FILE *f, const char *dir, const char *name, char *why, size_t len)
{
	if (ferror(f) | fclose(f)) {
		snprintf(why, len, "%s/%s.dat: write error", dir, name);
		return -1;
	}
	return 0;
}

/* Unit of scenario sc: the first measured cell's. */
static const char *plot_scen_unit(const struct fpb_rmatrix *m, size_t sc)
{
	for (size_t s = 0; s < m->nstrat; s++) {
		const struct fpb_row *row = m->cell[sc * m->nstrat + s];

		if (row && row->status == FPB_ROW_MEASURED && row->unit[0])
			return row->unit;
	}
	return "";
}

/*
 * The matrix chart packs each scenario's measured bars side by side: one block per strategy
 * measured somewhere (gnuplot index, header line naming it), each line a measured cell: x
 * position, scenario, its unit, median, interval low, high; then a last block with the x of each
 * scenario's label.  Scenarios without one measured cell (every strategy n/a or skipped) and
 * strategies measured nowhere are not in the file: report.md names them once under the table.
 * Returns the number of strategy blocks.
 */
static size_t plot_matrix_dat(const struct fpb_rmatrix *m, FILE *f)
{
	double *x = calloc(m->nscen * m->nstrat + m->nscen + 1, sizeof(*x)), *mid;
	double pos = 1;
	size_t nblk = 0;

	if (!x)
		return 0;
	mid = x + m->nscen * m->nstrat;
	for (size_t sc = 0; sc < m->nscen; sc++) {
		size_t k = 0;

		for (size_t st = 0; st < m->nstrat; st++) {
			const struct fpb_row *row = m->cell[sc * m->nstrat + st];

			if (row && row->status == FPB_ROW_MEASURED)
				x[sc * m->nstrat + st] = pos + (double)k++;
		}
		mid[sc] = pos + ((double)k - 1) / 2;
		pos += (double)k + (k ? 1 : 0);
	}
	fputs("# strategy x scenario: one block per strategy measured in some scenario, one line "
	      "per measured cell:\n# x, scenario, unit, median, interval low, interval high; the "
	      "last block places the scenario labels\n", f);
	for (size_t st = 0; st < m->nstrat; st++) {
		if (!fpb_report_matrix_strat_shown(m, st))
			continue;
		plot_str(f, m->strat[st]);
		fputs(" scenario unit median lo hi\n", f);
		for (size_t sc = 0; sc < m->nscen; sc++) {
			const struct fpb_row *row = m->cell[sc * m->nstrat + st];

			if (!row || row->status != FPB_ROW_MEASURED)
				continue;
			fprintf(f, "%g ", x[sc * m->nstrat + st]);
			plot_str(f, m->scen[sc]);
			fputc(' ', f);
			plot_str(f, row->unit);
			plot_fig(f, row);
			fputc('\n', f);
		}
		fputs("\n\n", f);
		nblk++;
	}
	fputs("\"scenarios\" scenario unit\n", f);
	for (size_t sc = 0; sc < m->nscen; sc++) {
		if (!fpb_report_matrix_scen_shown(m, sc))
			continue;
		fprintf(f, "%g ", mid[sc]);
		plot_str(f, m->scen[sc]);
		fputc(' ', f);
		plot_str(f, plot_scen_unit(m, sc));
		fputc('\n', f);
	}
	free(x);
	return nblk;
}

/* Chart class of a comparison: 1 slower, -1 faster, 2 below the noise floor, 0 no change. */
static int plot_class(const struct fpb_rcmp *c)
{
	if (c->significant)
		return c->rel > 0 ? 1 : -1;
	return c->below_floor ? 2 : 0;
}

/*
 * The run comparison as percent changes, one line per charted row in table order (the chart
 * draws the first row at the top): row number, label, change, interval low and high (percent,
 * B against A), class (plot_class) and the change as text.  Sets *lo and *hi to the extent of the
 * intervals (percent).  Returns the number of rows written.
 */
static size_t plot_compare_dat(const struct fpb_report *rep, const struct fpb_rrun *rr,
			       FILE *f, double *lo, double *hi)
{
	size_t n = 0;

	fputs("# run comparison: A ", f);
	plot_str(f, rep->set.in[rr->ia].path);
	fputs(" vs B ", f);
	plot_str(f, rep->set.in[rr->ib].path);
	fprintf(f, "\n# change of the median of B against A in percent, median(B) / median(A) - 1;\n"
		"# interval: the range of B/A - 1 over both medians' intervals (conservative: it holds "
		"whenever both do)\n"
		"# class: 1 significantly slower, -1 significantly faster, 0 no significant change, "
		"2 significant but below the noise floor (%.1f%%)\n"
		"# rows in the order of the report's table; rows not measured in both runs, or whose "
		"reference interval reaches 0 (no percent), are left out (report.md lists them)\n"
		"row measurement change_pct lo_pct hi_pct class text\n", rep->floor * 100);
	*lo = *hi = 0;
	for (size_t k = 0; k < rr->ncmp; k++) {
		const struct fpb_rcmp *c = &rr->cmp[k];
		char label[128], text[32];

		if (!fpb_report_run_charted(c))
			continue;
		fpb_report_row_label(c->a, label, sizeof(label));
		snprintf(text, sizeof(text), "%+.1f%%", c->rel * 100);
		fprintf(f, "%zu ", ++n);
		plot_str(f, label);
		fprintf(f, " %.4f %.4f %.4f %d ", c->rel * 100, c->rel_lo * 100, c->rel_hi * 100,
			plot_class(c));
		plot_str(f, text);
		fputc('\n', f);
		*lo = fmin(*lo, c->rel_lo * 100);
		*hi = fmax(*hi, c->rel_hi * 100);
	}
	return n;
}

/*
 * The x label of point k: the run's date and time ("11-23 20:57") or, ordered by revision, its
 * git revision without the tag's prefix ("7-gbbbbbbb").
 */
static void plot_point_label(const struct fpb_report *rep, size_t k, char *buf, size_t len)
{
	const struct fpb_result *r = &rep->set.in[rep->series.pt[k]].res;
	const char *ts = r->run.timestamp, *rev = r->run.git_revision, *dash;

	if (rep->series.by_revision && rev[0]) {
		dash = strchr(rev, '-');
		snprintf(buf, len, "%.12s", dash && dash[1] ? dash + 1 : rev);
	} else if (strlen(ts) >= 16 && ts[10] == 'T') {
		snprintf(buf, len, "%.5s %.5s", ts + 5, ts + 11);
	} else {
		snprintf(buf, len, "%zu", k + 1);
	}
}

/*
 * One block per line (gnuplot index), a header naming it, then per point: point number, median,
 * interval low and high, the change from the previous point (1 significantly slower, -1
 * significantly faster, 0 none), the point's x label and the line's label (for the panel title).
 */
static void plot_series_dat(const struct fpb_report *rep, FILE *f)
{
	const struct fpb_rseries *s = &rep->series;

	fputs("# one block per measurement: point, median, lo, hi, change (1 significantly slower, "
	      "-1 faster, 0 none),\n# x label (date or revision), measurement\n", f);
	for (size_t l = 0; l < s->nline; l++) {
		const struct fpb_rline *ln = &s->line[l];

		plot_str(f, ln->label);
		fputs(" median lo hi change xlabel measurement\n", f);
		for (size_t k = 0; k < s->npt; k++) {
			char xl[32];
			int ch = 0;

			if (ln->has_step[k] && ln->step[k].significant)
				ch = ln->step[k].rel > 0 ? 1 : -1;
			plot_point_label(rep, k, xl, sizeof(xl));
			fprintf(f, "%zu", k + 1);
			plot_fig(f, ln->pt[k]);
			fprintf(f, " %d ", ch);
			plot_str(f, xl);
			fputc(' ', f);
			plot_str(f, ln->label);
			fputc('\n', f);
		}
		fputs("\n\n", f);
	}
}

/*
 * How the compare chart's title names a run: "<file name> (machine N, <fingerprint>)" (no
 * fingerprint when the file name starts with it, as saved results' names do), at most
 * len - 1 characters, safe inside a gnuplot single-quoted string.
 */
static void plot_run_name(const struct fpb_report *rep, size_t i, char *buf, size_t len)
{
	const struct fpb_rin *in = &rep->set.in[i];
	const char *base = strrchr(in->path, '/') ? strrchr(in->path, '/') + 1 : in->path;
	char raw[512];

	/* Saved results are named after their fingerprint already: say it once. */
	if (!strncmp(base, in->res.cpu.fingerprint, strlen(in->res.cpu.fingerprint)))
		snprintf(raw, sizeof(raw), "%.100s (machine %d)", base, 1 + in->machine);
	else
		snprintf(raw, sizeof(raw), "%.100s (machine %d, %.60s)", base, 1 + in->machine,
			 in->res.cpu.fingerprint);
	plot_safe(buf, len, raw);
}

/* The gnuplot to run: $FPB_GNUPLOT (empty: none), else the one configure found. */
static const char *plot_gnuplot(char *note, size_t len)
{
	const char *env = getenv("FPB_GNUPLOT");

	if (env)
		return env[0] ? env : (snprintf(note, len, "not drawn: FPB_GNUPLOT is empty"),
				       NULL);
#ifdef GNUPLOT_PATH
	return GNUPLOT_PATH;
#else
	snprintf(note, len, "not drawn: fpbench was built without gnuplot");
	return NULL;
#endif
}

/* Run gnuplot in dir with args; 0 when it exits 0.  Its stderr goes to dir/gnuplot.log. */
/*
 * Run gnuplot in dir and wait for it, at most PLOT_TIMEOUT_S.  gnuplot gets its own process
 * group: a Ctrl-C at the terminal reaches fpbench only (gnuplot's own SIGINT handling was seen to
 * deadlock), and fpbench then ends the child itself.  Returns 0 when gnuplot succeeded.
 */
#define PLOT_TIMEOUT_S	120
static int plot_run(const char *gp, const char *dir, const char *expr, const char *script)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	unsigned waited = 0;
	int status;
	pid_t pid, got;

	if (fpb_report_interrupted())
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		int in = open("/dev/null", O_RDONLY), out, err;

		setpgid(0, 0);
		if (chdir(dir))
			_exit(126);
		out = open("/dev/null", O_WRONLY);
		err = open("gnuplot.log", O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (in < 0 || out < 0 || err < 0)
			_exit(126);
		dup2(in, 0);
		dup2(out, 1);
		dup2(err, 2);
		if (expr)
			execl(gp, gp, "-e", expr, script, (char *)NULL);
		else
			execl(gp, gp, "--version", (char *)NULL);
		_exit(127);
	}
	for (;;) {
		got = waitpid(pid, &status, WNOHANG);
		if (got == pid)
			break;
		if (got < 0 && errno != EINTR)
			return -1;
		if (fpb_report_interrupted() || waited++ > PLOT_TIMEOUT_S * 100) {
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			return -1;
		}
		nanosleep(&tick, NULL);
	}
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* First line of dir/gnuplot.log, for the report's note. */
static void plot_log_line(const char *dir, char *buf, size_t len)
{
	char path[4096], line[256] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/gnuplot.log", dir);
	f = fopen(path, "r");
	buf[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (strspn(line, " ^\t") < strlen(line)) {
			plot_safe(buf, len, line);
			break;
		}
	}
	fclose(f);
}

/* Where the scripts are: $FPB_SCRIPTDIR, $FPB_SRCDIR/scripts, the source tree, pkgdatadir. */
static const char *plot_scriptdir(char *buf, size_t len)
{
	const char *cand[4] = { getenv("FPB_SCRIPTDIR"), NULL, FPB_REPORT_SRC_SCRIPTS,
				FPB_REPORT_PKGDATADIR };
	char tmp[4096];

	if (getenv("FPB_SRCDIR")) {
		snprintf(tmp, sizeof(tmp), "%s/scripts", getenv("FPB_SRCDIR"));
		cand[1] = tmp;
	}
	for (size_t i = 0; i < FPB_ARRAY_SIZE(cand); i++) {
		char p[4096];

		if (!cand[i] || !cand[i][0])
			continue;
		snprintf(p, sizeof(p), "%s/report-matrix.gp", cand[i]);
		if (!access(p, R_OK)) {
			if (cand[i][0] == '/') {
				snprintf(buf, len, "%s", cand[i]);
			} else {	/* gnuplot runs in the output directory */
				char cwd[2048];

				if (!getcwd(cwd, sizeof(cwd)))
					continue;
				snprintf(buf, len, "%s/%s", cwd, cand[i]);
			}
			return buf;
		}
	}
	return NULL;
}

/* Draw one chart in both formats; on success append its name to rep->charts. */
static void plot_chart(struct fpb_report *rep, const char *gp, const char *dir,
		       const char *sdir, const char *script, const char *name, const char *vars)
{
	static const char *const fmts[] = { "svg", "png" };
	char path[4096], expr[1024], msg[160];
	struct stat st;

	for (size_t i = 0; i < FPB_ARRAY_SIZE(fmts); i++) {
		snprintf(expr, sizeof(expr), "datafile='%s.dat'; outfile='%s.%s'; fmt='%s'; %s",
			 name, name, fmts[i], fmts[i], vars);
		snprintf(path, sizeof(path), "%s/%s", sdir, script);
		if (plot_run(gp, dir, expr, path) ||
		    (snprintf(path, sizeof(path), "%s/%s.%s", dir, name, fmts[i]),
		     stat(path, &st) || !st.st_size)) {
			plot_log_line(dir, msg, sizeof(msg));
			snprintf(rep->chart_note, sizeof(rep->chart_note),
				 "%s.%s not drawn: gnuplot failed%s%s", name, fmts[i],
				 msg[0] ? ": " : "", msg);
			for (size_t k = 0; k <= i; k++) {
				snprintf(path, sizeof(path), "%s/%s.%s", dir, name, fmts[k]);
				unlink(path);
			}
			return;
		}
	}
	snprintf(rep->charts[rep->ncharts++], sizeof(rep->charts[0]), "%s", name);
}

int fpb_report_plot(struct fpb_report *rep, const char *dir, char *why, size_t len)
{
	char name[64], vars[1024], unit[64], sbuf[4096], log[4096], ta[200], tb[200];
	size_t nrow[FPB_REPORT_MAX_MACHINES + 1] = { 0 }, nblk[FPB_REPORT_MAX_MACHINES + 1] = { 0 };
	double ext[FPB_REPORT_MAX_MACHINES + 1][2] = { { 0 } };
	const char *gp, *sdir;
	FILE *f;

	if (rep->nruns > FPB_ARRAY_SIZE(nrow) || rep->nmx > FPB_ARRAY_SIZE(nblk)) {
		snprintf(why, len, "too many comparisons (%zu runs, %zu matrices)", rep->nruns,
			 rep->nmx);
		return -1;
	}
	rep->charts = calloc(rep->nmx + rep->nruns + 2, sizeof(*rep->charts));
	if (!rep->charts) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	/* Data files first: they are useful without gnuplot too. */
	for (size_t k = 0; k < rep->nmx; k++) {
		fpb_report_chart_name(name, sizeof(name), "matrix", k);
		f = plot_open(dir, name, why, len);
		if (!f)
			return -1;
		nblk[k] = plot_matrix_dat(&rep->mx[k], f);
		if (plot_close(f, dir, name, why, len))
			return -1;
	}
	for (size_t k = 0; k < rep->nruns; k++) {
		fpb_report_chart_name(name, sizeof(name), "compare", k);
		f = plot_open(dir, name, why, len);
		if (!f)
			return -1;
		nrow[k] = plot_compare_dat(rep, &rep->runs[k], f, &ext[k][0], &ext[k][1]);
		if (plot_close(f, dir, name, why, len))
			return -1;
	}
	if (rep->have_series) {
		fpb_report_chart_name(name, sizeof(name), "series", 0);
		f = plot_open(dir, name, why, len);
		if (!f)
			return -1;
		plot_series_dat(rep, f);
		if (plot_close(f, dir, name, why, len))
			return -1;
	}
	if (!rep->nmx && !rep->nruns && !rep->have_series)
		return 0;

	gp = plot_gnuplot(rep->chart_note, sizeof(rep->chart_note));
	if (!gp)
		return 0;
	if (plot_run(gp, dir, NULL, NULL)) {
		snprintf(rep->chart_note, sizeof(rep->chart_note),
			 "not drawn: gnuplot (%.100s) does not run here", gp);
		goto out;
	}
	sdir = plot_scriptdir(sbuf, sizeof(sbuf));
	if (!sdir) {
		snprintf(rep->chart_note, sizeof(rep->chart_note),
			 "not drawn: the gnuplot scripts (report-*.gp) were not found; "
			 "set FPB_SCRIPTDIR");
		goto out;
	}
	for (size_t k = 0; k < rep->nmx; k++) {
		const struct fpb_rmatrix *m = &rep->mx[k];
		size_t nsc = 0;
		const char *u = NULL;
		bool mixed = false;

		for (size_t sc = 0; sc < m->nscen; sc++) {
			if (!fpb_report_matrix_scen_shown(m, sc))
				continue;
			nsc++;
			if (u && strcmp(u, plot_scen_unit(m, sc)))
				mixed = true;
			u = plot_scen_unit(m, sc);
		}
		if (!nsc || !nblk[k])
			continue;
		fpb_report_chart_name(name, sizeof(name), "matrix", k);
		plot_safe(unit, sizeof(unit), mixed ? "median per event (unit under each scenario)" :
			  u);
		snprintf(vars, sizeof(vars), "nstrat=%zu; nscen=%zu; ylab='%s'; machine='%d'", nblk[k],
			 nsc, unit, 1 + rep->set.in[m->input].machine);
		plot_chart(rep, gp, dir, sdir, "report-matrix.gp", name, vars);
	}
	for (size_t k = 0; k < rep->nruns; k++) {
		/*
		 * The x range holds every interval, but a few rows of the in-situ or model kind
		 * can change by thousands of percent: beyond +-FPB_PLOT_CLIP the bars are cut at
		 * the border and their figure is written beside it.
		 */
		double lo = fmax(ext[k][0], -FPB_PLOT_CLIP), hi = fmin(ext[k][1], FPB_PLOT_CLIP);
		double fl = rep->floor * 100, pad;

		if (!nrow[k])
			continue;
		lo = fmin(lo, -1.5 * fl);
		hi = fmax(hi, 1.5 * fl);
		if (hi - lo < 2)
			lo -= 1, hi += 1;
		pad = (hi - lo) * 0.04;
		fpb_report_chart_name(name, sizeof(name), "compare", k);
		plot_run_name(rep, rep->runs[k].ia, ta, sizeof(ta));
		plot_run_name(rep, rep->runs[k].ib, tb, sizeof(tb));
		snprintf(vars, sizeof(vars), "nrow=%zu; xlo=%.4f; xhi=%.4f; floor=%.4f; "
			 "runa='%s'; runb='%s'", nrow[k], lo - pad, hi + pad, fl, ta, tb);
		plot_chart(rep, gp, dir, sdir, "report-compare.gp", name, vars);
	}
	if (rep->have_series && rep->series.nline) {
		fpb_report_chart_name(name, sizeof(name), "series", 0);
		snprintf(vars, sizeof(vars), "nline=%zu; npt=%zu; machine='%d'; order='%s'",
			 rep->series.nline, rep->series.npt, 1 + rep->series.machine,
			 rep->series.by_revision ? "revision" : "date");
		plot_chart(rep, gp, dir, sdir, "report-series.gp", name, vars);
	}
out:
	snprintf(log, sizeof(log), "%s/gnuplot.log", dir);
	unlink(log);
	return 0;
}
