// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report-plot.c - the report's charts: write the data files (kept in the report for re-plotting),
 * then run gnuplot on the scripts kept in scripts/ (report-matrix.gp, report-compare.gp,
 * report-series.gp), once for SVG and once for PNG.  gnuplot is optional: when it was not found
 * at configure time, does not run now, or a script is missing, the report says why instead.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <math.h>
#include <unistd.h>

#include "report.h"
#include "report-paths.h"

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

static int plot_matrix_dat(const struct fpb_rmatrix *m, FILE *f)
{
	fputs("# scenario, then per strategy: median, interval low, interval high\nscenario", f);
	for (size_t s = 0; s < m->nstrat; s++) {
		fputc(' ', f);
		plot_str(f, m->strat[s]);
		fputs(" lo hi", f);
	}
	fputc('\n', f);
	for (size_t sc = 0; sc < m->nscen; sc++) {
		plot_str(f, m->scen[sc]);
		for (size_t s = 0; s < m->nstrat; s++)
			plot_fig(f, m->cell[sc * m->nstrat + s]);
		fputc('\n', f);
	}
	return 0;
}

static void plot_compare_dat(const struct fpb_rrun *rr, FILE *f)
{
	fputs("# measurement, A: median lo hi, B: median lo hi, significant (0/1)\n"
	      "measurement A lo hi B lo hi sig\n", f);
	for (size_t k = 0; k < rr->ncmp; k++) {
		char label[128];

		if (rr->cmp[k].a->status != FPB_ROW_MEASURED ||
		    rr->cmp[k].b->status != FPB_ROW_MEASURED)
			continue;
		fpb_report_row_label(rr->cmp[k].a, label, sizeof(label));
		plot_str(f, label);
		plot_fig(f, rr->cmp[k].a);
		plot_fig(f, rr->cmp[k].b);
		fprintf(f, " %d\n", rr->cmp[k].significant);
	}
}

/* One block per line (gnuplot index), each starting with a header naming the line. */
static void plot_series_dat(const struct fpb_rseries *s, FILE *f)
{
	fputs("# one block per measurement: point, median, lo, hi, significant change (0/1)\n", f);
	for (size_t l = 0; l < s->nline; l++) {
		const struct fpb_rline *ln = &s->line[l];

		plot_str(f, ln->label);
		fputs(" median lo hi sig\n", f);
		for (size_t k = 0; k < s->npt; k++) {
			fprintf(f, "%zu", k + 1);
			plot_fig(f, ln->pt[k]);
			fprintf(f, " %d\n", ln->has_step[k] && ln->step[k].significant);
		}
		fputs("\n\n", f);
	}
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
static int plot_run(const char *gp, const char *dir, const char *expr, const char *script)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		int in = open("/dev/null", O_RDONLY), out, err;

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
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
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

static const char *plot_unit(const struct fpb_row *const *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (rows[i] && rows[i]->status == FPB_ROW_MEASURED && rows[i]->unit[0])
			return rows[i]->unit;
	return "";
}

int fpb_report_plot(struct fpb_report *rep, const char *dir, char *why, size_t len)
{
	char name[64], vars[512], unit[64], sbuf[4096], log[4096];
	const char *gp, *sdir;
	FILE *f;

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
		plot_matrix_dat(&rep->mx[k], f);
		if (plot_close(f, dir, name, why, len))
			return -1;
	}
	for (size_t k = 0; k < rep->nruns; k++) {
		fpb_report_chart_name(name, sizeof(name), "compare", k);
		f = plot_open(dir, name, why, len);
		if (!f)
			return -1;
		plot_compare_dat(&rep->runs[k], f);
		if (plot_close(f, dir, name, why, len))
			return -1;
	}
	if (rep->have_series) {
		fpb_report_chart_name(name, sizeof(name), "series", 0);
		f = plot_open(dir, name, why, len);
		if (!f)
			return -1;
		plot_series_dat(&rep->series, f);
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

		fpb_report_chart_name(name, sizeof(name), "matrix", k);
		plot_safe(unit, sizeof(unit), plot_unit(m->cell, m->nscen * m->nstrat));
		snprintf(vars, sizeof(vars), "nstrat=%zu; ylab='%s'; machine='%d'", m->nstrat,
			 unit, 1 + rep->set.in[m->input].machine);
		plot_chart(rep, gp, dir, sdir, "report-matrix.gp", name, vars);
	}
	for (size_t k = 0; k < rep->nruns; k++) {
		const struct fpb_rrun *rr = &rep->runs[k];
		size_t n = 0;

		for (size_t i = 0; i < rr->ncmp; i++)
			n += rr->cmp[i].a->status == FPB_ROW_MEASURED &&
			     rr->cmp[i].b->status == FPB_ROW_MEASURED;
		if (!n)
			continue;
		fpb_report_chart_name(name, sizeof(name), "compare", k);
		plot_safe(unit, sizeof(unit), rr->ncmp ? rr->cmp[0].a->unit : "");
		for (size_t i = 1; i < rr->ncmp; i++)
			if (strcmp(rr->cmp[i].a->unit, rr->cmp[0].a->unit))
				snprintf(unit, sizeof(unit), "median (units: see report.md)");
		snprintf(vars, sizeof(vars), "ylab='%s'", unit);
		plot_chart(rep, gp, dir, sdir, "report-compare.gp", name, vars);
	}
	if (rep->have_series && rep->series.nline) {
		fpb_report_chart_name(name, sizeof(name), "series", 0);
		snprintf(vars, sizeof(vars), "nline=%zu; npt=%zu; machine='%d'", rep->series.nline,
			 rep->series.npt, 1 + rep->series.machine);
		plot_chart(rep, gp, dir, sdir, "report-series.gp", name, vars);
	}
out:
	snprintf(log, sizeof(log), "%s/gnuplot.log", dir);
	unlink(log);
	return 0;
}
