// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report-md.c - the report as Markdown, meant to be pasted into a mailing-list thread: the
 * machines, the inputs, then the tables (kernels, strategy matrix, run comparisons, regression
 * series), each with its units, the interval of every median and the test behind every verdict.
 * ASCII only; figures are printed with one decimal so that tests can read them back.
 */
#include "config.h"

#include <math.h>
#include <inttypes.h>

#include "report.h"
#include "verdict.h"
#include "output-util.h"

/* Text inside a table cell: '|' escaped, control characters as spaces. */
static void md_text(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '|')
			fputs("\\|", f);
		else if (*p < 0x20 || *p == 0x7f)
			fputc(' ', f);
		else
			fputc(*p, f);
	}
}

/* Machines are numbered from 1 in the report (runs are A and B). */
static int md_mach(int m)
{
	return m + 1;
}

/* "123.4 [120.0, 125.1]" for a measured row, else what happened to it. */
static void md_fig(FILE *f, const struct fpb_row *row)
{
	if (!row) {
		fputs("-", f);
		return;
	}
	switch (row->status) {
	case FPB_ROW_MEASURED:
		fprintf(f, "%.1f [%.1f, %.1f]", row->st.median, row->st.ci_lo, row->st.ci_hi);
		if (row->flags & FPB_ROW_UNSTABLE)
			fputs(" (unstable)", f);
		break;
	case FPB_ROW_SKIPPED:
		fputs("skipped: ", f);
		md_text(f, row->reason);
		break;
	case FPB_ROW_FAILED:
		fputs("failed: ", f);
		md_text(f, row->reason);
		break;
	default:
		fputs("n/a", f);
	}
}

static const char *md_base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* Interval level of the first measured row of r, in percent; 95 when none says. */
static double md_level(const struct fpb_result *r)
{
	for (size_t i = 0; i < r->nrows; i++)
		if (r->rows[i].status == FPB_ROW_MEASURED && r->rows[i].st.ci_level > 0 &&
		    r->rows[i].st.ci_level < 1)
			return r->rows[i].st.ci_level * 100;
	return 95;
}

static void md_machine(FILE *f, const struct fpb_rset *set, int m)
{
	const struct fpb_cpu *c = &set->in[set->first[m]].res.cpu;
	const struct fpb_runinfo *run = &set->in[set->first[m]].res.run;
	char names[256];

	fprintf(f, "### Machine %d: `%s`\n\n", m + 1, set->fp[m]);
	fputs("- CPU: ", f);
	md_text(f, c->brand[0] ? c->brand : "unknown");
	fprintf(f, " (%s, family 0x%x, model 0x%x, stepping %u)\n", c->vendor[0] ? c->vendor : "?",
		c->family, c->model, c->stepping);
	fprintf(f, "- Microcode: %s\n", c->microcode[0] ? c->microcode : "unknown");
	fprintf(f, "- Hypervisor: %s\n", c->hypervisor[0] ? c->hypervisor : "none (bare metal)");
	fpb_xmask_names(c->xcr0, names, sizeof(names));
	fprintf(f, "- XCR0: 0x%" PRIx64 " (%s)", c->xcr0, names);
	if (c->xss_known)
		fprintf(f, ", IA32_XSS: 0x%" PRIx64, c->xss);
	fputc('\n', f);
	fprintf(f, "- XSAVE sizes: %" PRIu32 " B standard for XCR0, %" PRIu32
		" B standard maximum, %" PRIu32 " B compacted (XCR0|XSS), FXSAVE %" PRIu64 " B\n",
		c->xsave_size_xcr0, c->xsave_size_max, c->xsaves_size,
		run->xsave_sizes[3] ? run->xsave_sizes[3] : 512);
	if (c->tsc_hz)
		fprintf(f, "- TSC: %.3f GHz (%s)\n", (double)c->tsc_hz / 1e9,
			c->tsc_hz_source ? c->tsc_hz_source : "unknown");
	else
		fputs("- TSC: frequency unknown (figures in TSC ticks only)\n", f);
	fputs("- Results:", f);
	for (size_t i = 0; i < set->n; i++) {
		const struct fpb_rin *in = &set->in[i];

		if (in->machine != m)
			continue;
		fprintf(f, "\n  - `%s`: %s, kernel %s, fpbench %s (%s), clocksource %s%s%s",
			md_base(in->path), in->res.run.timestamp[0] ? in->res.run.timestamp : "?",
			in->res.cpu.kernel[0] ? in->res.cpu.kernel : "?",
			in->res.run.version[0] ? in->res.run.version : "?",
			in->res.run.git_revision[0] ? in->res.run.git_revision : "?",
			in->res.run.clocksource[0] ? in->res.run.clocksource : "?",
			in->res.run.emulation[0] ? ", emulation " : "", in->res.run.emulation);
		/* How much of the run the machine was busy (schema 3), or that it has no trials. */
		if (in->res.run.trials_total)
			fprintf(f, "; %u of %u trials disturbed (machine busy)",
				in->res.run.trials_disturbed, in->res.run.trials_total);
		else
			fputs("; no trials (schema < 3)", f);
	}
	fputs("\n\n", f);
}

/*
 * The trial floor with the range of the trials that make it, "-" without one: a low estimate
 * beside the median, which no verdict uses.
 */
static void md_floor(FILE *f, const struct fpb_stats *s)
{
	if (s->floor_trials)
		fprintf(f, "%.1f [%.1f, %.1f]", s->floor, s->floor_lo, s->floor_hi);
	else
		fputs("-", f);
}

/* The kernels suite of one result. */
static void md_kernels(FILE *f, const struct fpb_rset *set, size_t i)
{
	const struct fpb_result *r = &set->in[i].res;
	size_t n = 0, nfloor = 0;

	for (size_t k = 0; k < r->nrows; k++)
		if (!strcmp(r->rows[k].suite, "kernels")) {
			n++;
			nfloor += r->rows[k].st.floor_trials > 0;
		}
	if (!n)
		return;
	fprintf(f, "## Kernels: machine %d, `%s`\n\n", md_mach(set->in[i].machine),
		md_base(set->in[i].path));
	if (nfloor)
		fputs("Trial floor: the lowest level that two or more of the row's trials agree on "
		      "(their medians within 2%), with the range of those trials: a low estimate "
		      "of the undisturbed cost, beside the median; no verdict uses it. \"-\": fewer "
		      "than 3 trials, a difference row, or none agree at the low end.\n\n", f);
	fprintf(f, "| kernel | mask | state | buffer | unit | median [%.0f%% interval] | "
		"trial floor [range] | MAD | ns/op | batches | flags |\n", md_level(r));
	fputs("| --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n", f);
	for (size_t k = 0; k < r->nrows; k++) {
		const struct fpb_row *row = &r->rows[k];
		char flags[128];

		if (strcmp(row->suite, "kernels"))
			continue;
		fputs("| ", f);
		md_text(f, row->name);
		fputs(" | ", f);
		md_text(f, row->mask_name);
		fputs(" | ", f);
		md_text(f, row->state);
		fputs(" | ", f);
		md_text(f, row->buffer);
		fputs(" | ", f);
		md_text(f, row->unit);
		fputs(" | ", f);
		md_fig(f, row);
		if (row->status == FPB_ROW_MEASURED) {
			fputs(" | ", f);
			md_floor(f, &row->st);
			fprintf(f, " | %.1f | ", row->st.mad);
			if (row->ns_per_unit > 0)
				fprintf(f, "%.1f", row->st.median * row->ns_per_unit);
			else
				fputs("-", f);
			fprintf(f, " | %zu", row->batches);
		} else {
			fputs(" | - | - | - | -", f);
		}
		fpb_row_flags_str(row->flags & ~(unsigned)FPB_ROW_UNSTABLE, ", ", flags,
				  sizeof(flags));
		fputs(" | ", f);
		md_text(f, flags);
		fputs(" |\n", f);
	}
	fputc('\n', f);
}

/* The link to chart name when it was drawn; whether it was. */
static bool md_chart(FILE *f, const struct fpb_report *rep, const char *name, const char *alt)
{
	for (size_t i = 0; i < rep->ncharts; i++)
		if (!strcmp(rep->charts[i], name)) {
			fprintf(f, "![%s](%s.svg) ([PNG](%s.png), data: `%s.dat`)\n\n", alt, name,
				name, name);
			return true;
		}
	return false;
}

/* The test behind a table's verdicts; floor > 0: the noise floor across runs as well. */
static void md_test_line(FILE *f, size_t ntested, size_t total, double floor)
{
	fprintf(f, "Verdicts: %s over %zu comparisons", FPB_REPORT_TEST, ntested);
	if (total > ntested)
		fprintf(f, " (%zu more not compared)", total - ntested);
	if (floor > 0)
		fprintf(f, "; across runs a significant change below %.1f%% counts as run-to-run "
			"noise (--min-change)", floor * 100);
	fputs(".\n\n", f);
}

/* Units, trials and between-run spread behind a run comparison's verdicts. */
static void md_run_notes(FILE *f, const struct fpb_report *rep, const struct fpb_rrun *rr)
{
	const struct fpb_result *a = &rep->set.in[rr->ia].res, *b = &rep->set.in[rr->ib].res;
	size_t nns = 0, nnt = 0, nbw = 0, ndist = 0;

	for (size_t k = 0; k < rr->ncmp; k++) {
		nns += rr->cmp[k].in_ns;
		nnt += rr->cmp[k].no_trials;
		nbw += rr->cmp[k].between > 0;
		ndist += rr->cmp[k].verdict == FPB_VERDICT_INCONCLUSIVE;
	}
	if (nns)
		fprintf(f, "Compared in ns: the machines' TSC rates differ (A %.4f GHz from %s, "
			"+-%.2g%%; B %.4f GHz from %s, +-%.2g%%), and TSC ticks of different rates "
			"are different units; the figures in the table stay in each machine's ticks.\n\n",
			(double)a->cpu.tsc_hz / 1e9, a->cpu.tsc_hz_source ? a->cpu.tsc_hz_source : "?",
			fpb_report_tsc_uncertainty(a->cpu.tsc_hz_source) * 100,
			(double)b->cpu.tsc_hz / 1e9, b->cpu.tsc_hz_source ? b->cpu.tsc_hz_source : "?",
			fpb_report_tsc_uncertainty(b->cpu.tsc_hz_source) * 100);
	if (nnt)
		fprintf(f, "No trials: %zu comparisons involve a result measured before trials "
			"existed (schema %d/%d); blocks of its raw samples stand in for them.\n\n",
			nnt, a->schema_version, b->schema_version);
	if (nbw)
		fprintf(f, "%zu comparisons are widened by the spread of other runs of this machine "
			"and revision.\n\n", nbw);
	if (ndist)
		fprintf(f, "%zu comparisons are inconclusive: a row had no quiet trial (disturbed; "
			"A: %u of %u trials disturbed, B: %u of %u).\n\n", ndist,
			a->run.trials_disturbed, a->run.trials_total, b->run.trials_disturbed,
			b->run.trials_total);
}

/* Scenarios or strategies of m left out of its table (nothing measured), named once. */
static void md_matrix_left_out(FILE *f, const struct fpb_rmatrix *m)
{
	bool any = false;

	for (size_t sc = 0; sc < m->nscen; sc++) {
		if (fpb_report_matrix_scen_shown(m, sc))
			continue;
		fputs(any ? ", " : "Left out (no strategy measured in the scenario): ", f);
		md_text(f, m->scen[sc]);
		any = true;
	}
	if (any)
		fputs(".\n\n", f);
	any = false;
	for (size_t st = 0; st < m->nstrat; st++) {
		const struct fpb_row *why = NULL;

		if (fpb_report_matrix_strat_shown(m, st))
			continue;
		/* The first skipped cell says why; otherwise it is n/a everywhere. */
		for (size_t sc = 0; sc < m->nscen && !why; sc++) {
			const struct fpb_row *row = m->cell[sc * m->nstrat + st];

			if (row && row->status != FPB_ROW_NA && row->reason[0])
				why = row;
		}
		fputs(any ? "; " : "Left out (the strategy was not measured in any scenario): ", f);
		md_text(f, m->strat[st]);
		fputs(" (", f);
		if (why)
			md_fig(f, why);
		else
			fputs("n/a", f);
		fputc(')', f);
		any = true;
	}
	if (any)
		fputs(".\n\n", f);
}

static void md_matrix_head(FILE *f, const struct fpb_rmatrix *m, const char *align)
{
	fputs("| scenario |", f);
	for (size_t s = 0; s < m->nstrat; s++) {
		if (!fpb_report_matrix_strat_shown(m, s))
			continue;
		fputc(' ', f);
		md_text(f, m->strat[s]);
		fputs(" |", f);
	}
	fputs("\n| --- |", f);
	for (size_t s = 0; s < m->nstrat; s++)
		if (fpb_report_matrix_strat_shown(m, s))
			fprintf(f, " %s |", align);
	fputc('\n', f);
}

static void md_matrix(FILE *f, const struct fpb_report *rep, size_t idx)
{
	const struct fpb_rmatrix *m = &rep->mx[idx];
	const struct fpb_rin *in = &rep->set.in[m->input];
	const char *unit = "";
	bool mixed = false;
	char name[64];

	for (size_t k = 0; k < m->nscen * m->nstrat; k++)
		if (m->cell[k] && m->cell[k]->status == FPB_ROW_MEASURED) {
			if (unit[0] && strcmp(unit, m->cell[k]->unit))
				mixed = true;
			if (!unit[0])
				unit = m->cell[k]->unit;
		}
	fprintf(f, "## Strategy comparison: machine %d, `%s`\n\n", md_mach(in->machine),
		md_base(in->path));
	fprintf(f, "Median %s [%.0f%% interval of the median] per scenario; n/a: the strategy "
		"does not apply to the scenario.\n\n", mixed ? "per event (unit per scenario: "
		"the event each scenario counts)" : unit[0] ? unit : "(no unit)",
		md_level(&in->res));
	md_matrix_head(f, m, "---:");
	for (size_t sc = 0; sc < m->nscen; sc++) {
		if (!fpb_report_matrix_scen_shown(m, sc))
			continue;
		fputs("| ", f);
		md_text(f, m->scen[sc]);
		fputs(" |", f);
		for (size_t s = 0; s < m->nstrat; s++) {
			if (!fpb_report_matrix_strat_shown(m, s))
				continue;
			fputc(' ', f);
			md_fig(f, m->cell[sc * m->nstrat + s]);
			fputs(" |", f);
		}
		fputc('\n', f);
	}
	fputc('\n', f);
	md_matrix_left_out(f, m);
	fputs("Ratio to the lowest median of each scenario, with the verdict against it. A "
	      "strategy is the **fastest** only when every other one is significantly higher; "
	      "otherwise the lowest names the one it cannot be told from:\n\n", f);
	md_matrix_head(f, m, "---");
	for (size_t sc = 0; sc < m->nscen; sc++) {
		const struct fpb_change *chg = &m->chg[sc * m->nstrat];
		int low = m->lowest[sc];

		if (!fpb_report_matrix_scen_shown(m, sc))
			continue;
		fputs("| ", f);
		md_text(f, m->scen[sc]);
		fputs(" |", f);
		for (size_t s = 0; s < m->nstrat; s++) {
			const struct fpb_row *row = m->cell[sc * m->nstrat + s];
			char v[FPB_REASON_LEN];

			if (!fpb_report_matrix_strat_shown(m, s))
				continue;
			fputc(' ', f);
			if (!row || row->status != FPB_ROW_MEASURED) {
				fputs(row && row->status == FPB_ROW_NA ? "n/a" :
				      row ? "skipped" : "-", f);
			} else if (low < 0) {
				fputs(row->st.median > 0 ? "no other strategy to compare with" :
				      "below the noise floor (median at or below zero)", f);
			} else if ((int)s == m->fastest[sc]) {
				fputs("**fastest**", f);
			} else if ((int)s == low) {
				const struct fpb_change *rc = &chg[m->rival[sc]];

				fputs(rc->verdict == FPB_VERDICT_INCONCLUSIVE ?
				      "lowest median, inconclusive against " :
				      "lowest median, indistinguishable from ", f);
				md_text(f, m->strat[m->rival[sc]]);
			} else if (!(row->st.median > 0)) {
				fputs("below the noise floor (median at or below zero)", f);
			} else {
				fpb_verdict_describe(&chg[s], m->strat[low], FPB_VERDICT_RIVAL_FLOOR,
						     v, sizeof(v));
				fprintf(f, "x%.3f: ", row->st.median / m->cell[sc * m->nstrat +
								     (size_t)low]->st.median);
				md_text(f, v);
			}
			fputs(" |", f);
		}
		fputc('\n', f);
	}
	fputc('\n', f);
	fprintf(f, "Verdicts: the one verdict rule (also the suite table's): the change against the "
		"lowest with the conservative interval from both medians' intervals, significant "
		"when it excludes zero and is at least %.0f%%, over %zu comparisons.\n\n",
		FPB_VERDICT_RIVAL_FLOOR * 100, m->ncmp);
	fpb_report_chart_name(name, sizeof(name), "matrix", idx);
	md_chart(f, rep, name, "strategy x scenario matrix");
}

/* What differs between the two runs' environments. */
static void md_run_diff(FILE *f, const struct fpb_result *a, const struct fpb_result *b)
{
	bool any = false;

#define MD_DIFF(what, x, y)							\
	do {									\
		if (strcmp(x, y)) {						\
			fprintf(f, "%s%s `%s` -> `%s`", any ? "; " : "Differences: ",	\
				what, x, y);					\
			any = true;						\
		}								\
	} while (0)
	MD_DIFF("machine", a->cpu.fingerprint, b->cpu.fingerprint);
	MD_DIFF("CPU", a->cpu.brand, b->cpu.brand);
	MD_DIFF("microcode", a->cpu.microcode, b->cpu.microcode);
	MD_DIFF("kernel", a->cpu.kernel, b->cpu.kernel);
	MD_DIFF("fpbench", a->run.git_revision, b->run.git_revision);
	MD_DIFF("hypervisor", a->cpu.hypervisor, b->cpu.hypervisor);
#undef MD_DIFF
	if (a->cpu.xsave_size_xcr0 != b->cpu.xsave_size_xcr0) {
		fprintf(f, "%sXSAVE size %" PRIu32 " B -> %" PRIu32 " B", any ? "; " : "Differences: ",
			a->cpu.xsave_size_xcr0, b->cpu.xsave_size_xcr0);
		any = true;
	}
	fputs(any ? ".\n\n" : "Differences: none recorded (same machine, kernel and fpbench).\n\n",
	      f);
}

static const char *md_status(const struct fpb_row *row)
{
	switch (row->status) {
	case FPB_ROW_MEASURED:
		return "measured";
	case FPB_ROW_SKIPPED:
		return "skipped";
	case FPB_ROW_FAILED:
		return "failed";
	default:
		return "n/a";
	}
}

/* Why the comparison of a and b is not in the chart (one group of the list), "" when it is. */
static void md_uncharted_why(const struct fpb_rcmp *c, char *buf, size_t len)
{
	const struct fpb_row *a = c->a, *b = c->b;
	const char *ra = a->reason, *rb = b->reason;

	buf[0] = '\0';
	if (a->status == FPB_ROW_MEASURED && b->status == FPB_ROW_MEASURED) {
		if (!fpb_report_run_charted(c))
			snprintf(buf, len, "no percent change: A's median or its interval is at or "
				 "below zero");
		return;
	}
	if (a->status != FPB_ROW_MEASURED && b->status != FPB_ROW_MEASURED &&
	    a->status == b->status) {
		if (!strcmp(ra, rb) && ra[0])
			snprintf(buf, len, "%s in both runs (%s)", md_status(a), ra);
		else
			snprintf(buf, len, "%s in both runs", md_status(a));
	} else if (a->status != FPB_ROW_MEASURED && b->status != FPB_ROW_MEASURED) {
		snprintf(buf, len, "%s in A, %s in B", md_status(a), md_status(b));
	} else if (a->status != FPB_ROW_MEASURED) {
		snprintf(buf, len, "%s in A, measured in B", md_status(a));
	} else {
		snprintf(buf, len, "measured in A, %s in B", md_status(b));
	}
}

/*
 * Row i of a comparison's compared rows followed by its left-out ones: *c, and why it is not
 * charted in why ("" when it is).
 */
static void md_uncharted_at(const struct fpb_rrun *rr, size_t i, struct fpb_rcmp *c, char *why,
			    size_t len)
{
	if (i < rr->ncmp)
		*c = rr->cmp[i];
	else
		fpb_report_compare_rows(rr->out_a[i - rr->ncmp], rr->out_b[i - rr->ncmp], c);
	md_uncharted_why(c, why, len);
}

/*
 * The rows of a run comparison that are not in its chart, grouped by why: "- why: label, ...".
 * The groups are found by comparing each row's reason with the earlier rows' (tables are small).
 */
static void md_run_uncharted(FILE *f, const struct fpb_rrun *rr)
{
	size_t n = rr->ncmp + rr->nout, nlisted = 0;
	char why[192], other[192], label[128];

	for (size_t i = 0; i < n; i++) {
		struct fpb_rcmp ci, cj;
		bool seen = false, first = true;

		md_uncharted_at(rr, i, &ci, why, sizeof(why));
		if (!why[0])
			continue;
		for (size_t j = 0; j < i && !seen; j++) {
			md_uncharted_at(rr, j, &cj, other, sizeof(other));
			seen = !strcmp(why, other);
		}
		if (seen)
			continue;
		if (!nlisted++)
			fputs("Not in the chart (no percent change to draw):\n\n", f);
		fputs("- ", f);
		md_text(f, why);
		fputs(": ", f);
		for (size_t j = i; j < n; j++) {
			md_uncharted_at(rr, j, &cj, other, sizeof(other));
			if (strcmp(why, other))
				continue;
			fpb_report_row_label(cj.a, label, sizeof(label));
			fputs(first ? "" : ", ", f);
			md_text(f, label);
			first = false;
		}
		fputc('\n', f);
	}
	if (nlisted)
		fputc('\n', f);
}

static void md_run(FILE *f, const struct fpb_report *rep, size_t idx)
{
	const struct fpb_rrun *rr = &rep->runs[idx];
	const struct fpb_rin *a = &rep->set.in[rr->ia], *b = &rep->set.in[rr->ib];
	char name[64];

	fprintf(f, "## Run comparison: A `%s` (machine %d) vs B `%s` (machine %d)\n\n",
		md_base(a->path), md_mach(a->machine), md_base(b->path), md_mach(b->machine));
	md_run_diff(f, &a->res, &b->res);
	fprintf(f, "Change of B against A: median(B) / median(A) - 1, in percent, with a "
		"conservative interval: the lowest and highest B/A - 1 over every value of A's and "
		"B's %.0f%% intervals of the median. It holds whenever both intervals do (at least "
		"%.0f%% by the union bound), widened by the spread of other runs of this machine "
		"and revision when there are enough; the verdict's +- is its wider side, and "
		"\"detects >= X%%\" is the smallest change the row could be called on. A change "
		"needs A's whole interval above zero.%s\n\n", md_level(&a->res),
		fmax(0, 100 - 2 * (100 - md_level(&a->res))),
		rr->per_byte ? "  The machines' XSAVE sizes differ, so the figures are also "
		"given per byte of state (legacy 512 B + header 64 B + the row's enabled "
		"components)." : "");
	fputs("| measurement | unit | A median [interval] | B median [interval] | change | verdict |",
	      f);
	if (rr->per_byte)
		fputs(" A per byte | B per byte | change per byte |", f);
	fputs("\n| --- | --- | ---: | ---: | ---: | --- |", f);
	if (rr->per_byte)
		fputs(" ---: | ---: | ---: |", f);
	fputc('\n', f);
	for (size_t k = 0; k < rr->ncmp; k++) {
		const struct fpb_rcmp *c = &rr->cmp[k];
		char label[128], v[96];

		fpb_report_row_label(c->a, label, sizeof(label));
		fpb_report_verdict(c, v, sizeof(v));
		fputs("| ", f);
		md_text(f, label);
		fputs(" | ", f);
		md_text(f, c->a->unit[0] ? c->a->unit : c->b->unit);
		if (c->in_ns)
			fputs(" (change in ns)", f);
		fputs(" | ", f);
		md_fig(f, c->a);
		fputs(" | ", f);
		md_fig(f, c->b);
		if (isnan(c->rel))
			fputs(" | - | ", f);
		else if (isnan(c->rel_lo))
			fprintf(f, " | %+.1f%% | ", c->rel * 100);
		else
			fprintf(f, " | %+.1f%% [%+.1f%%, %+.1f%%] | ", c->rel * 100,
				c->rel_lo * 100, c->rel_hi * 100);
		md_text(f, v);
		if (!isnan(c->detectable))
			fprintf(f, " (detects >= %.1f%%)", c->detectable * 100);
		fputs(" |", f);
		if (rr->per_byte) {
			bool ok = c->a->status == FPB_ROW_MEASURED &&
				  c->b->status == FPB_ROW_MEASURED &&
				  rr->bytes_a[k] > 0 && rr->bytes_b[k] > 0;

			if (ok) {
				/* Each machine's own size, in ns when the TSC rates differ. */
				double pa = c->a->st.median * (c->in_ns ? c->a->ns_per_unit : 1) /
					rr->bytes_a[k];
				double pb = c->b->st.median * (c->in_ns ? c->b->ns_per_unit : 1) /
					rr->bytes_b[k];

				fprintf(f, " %.4f (%.0f B) | %.4f (%.0f B) | ", pa, rr->bytes_a[k],
					pb, rr->bytes_b[k]);
				if (pa > 0)
					fprintf(f, "%+.1f%% |", (pb / pa - 1) * 100);
				else
					fputs("- |", f);
			} else {
				fputs(" - | - | - |", f);
			}
		}
		fputc('\n', f);
	}
	fputc('\n', f);
	if (rr->only_a || rr->only_b)
		fprintf(f, "Not compared: %zu rows only in A, %zu rows only in B.\n\n", rr->only_a,
			rr->only_b);
	md_run_notes(f, rep, rr);
	md_test_line(f, fpb_report_ntested(rr->cmp, rr->ncmp), rr->ncmp, rep->floor);
	fpb_report_chart_name(name, sizeof(name), "compare", idx);
	if (md_chart(f, rep, name, "run B against run A, change in percent"))
		fputs("The chart draws one bar per row in the order of the table: the change in "
		      "percent with its interval; red: significantly slower, blue: significantly "
		      "faster, grey: significant but under the noise floor (dashed lines), hollow: "
		      "no significant change.\n\n", f);
	md_run_uncharted(f, rr);
}

static void md_series(FILE *f, const struct fpb_report *rep)
{
	const struct fpb_rseries *s = &rep->series;
	const struct fpb_rset *set = &rep->set;
	char name[64];

	fprintf(f, "## Regression series: machine %d (%zu results, ordered by %s)\n\n",
		md_mach(s->machine), s->npt, s->by_revision ? "git revision" : "date");
	for (size_t k = 0; k < s->nleft; k++) {
		const struct fpb_rin *in = &set->in[s->left_out[k]];

		fprintf(f, "> **Warning:** `%s` is from another machine (`%s`, not `%s`) and is "
			"left out of the series.\n>\n", md_base(in->path), in->res.cpu.fingerprint,
			set->fp[s->machine]);
	}
	if (s->nleft)
		fputs("\n", f);
	fputs("Points:\n\n", f);
	for (size_t k = 0; k < s->npt; k++) {
		const struct fpb_rin *in = &set->in[s->pt[k]];

		fprintf(f, "%zu. `%s`: %s, revision %s, kernel %s\n", k + 1, md_base(in->path),
			in->res.run.timestamp[0] ? in->res.run.timestamp : "?",
			in->res.run.git_revision[0] ? in->res.run.git_revision : "?",
			in->res.cpu.kernel[0] ? in->res.cpu.kernel : "?");
	}
	fprintf(f, "\nMedian [%.0f%% interval] at each point; **bold** marks a change from the "
		"previous point beyond the noise (significant), with its size; otherwise the step "
		"states the smallest change it could have called, or that it was inconclusive "
		"(a disturbed row).\n\n",
		md_level(&set->in[s->pt[0]].res));
	fputs("| measurement | unit |", f);
	for (size_t k = 0; k < s->npt; k++)
		fprintf(f, " %zu |", k + 1);
	fputs("\n| --- | --- |", f);
	for (size_t k = 0; k < s->npt; k++)
		fputs(" ---: |", f);
	fputc('\n', f);
	for (size_t l = 0; l < s->nline; l++) {
		const struct fpb_rline *ln = &s->line[l];
		const char *unit = "";

		for (size_t k = 0; k < s->npt && !unit[0]; k++)
			if (ln->pt[k])
				unit = ln->pt[k]->unit;
		fputs("| ", f);
		md_text(f, ln->label);
		fputs(" | ", f);
		md_text(f, unit);
		fputs(" |", f);
		for (size_t k = 0; k < s->npt; k++) {
			fputc(' ', f);
			md_fig(f, ln->pt[k]);
			if (ln->has_step[k] && ln->step[k].significant && !isnan(ln->step[k].rel))
				fprintf(f, " **%+.1f%%**", ln->step[k].rel * 100);
			else if (ln->has_step[k] &&
				 ln->step[k].verdict == FPB_VERDICT_INCONCLUSIVE)
				fputs(" (step inconclusive)", f);
			else if (ln->has_step[k] && !isnan(ln->step[k].detectable))
				fprintf(f, " (step detects >= %.1f%%)", ln->step[k].detectable * 100);
			fputs(" |", f);
		}
		fputc('\n', f);
	}
	fputc('\n', f);
	{
		size_t total = 0, tested = 0;

		for (size_t l = 0; l < s->nline; l++)
			for (size_t k = 0; k < s->npt; k++)
				if (s->line[l].has_step[k]) {
					total++;
					tested += s->line[l].step[k].tested;
				}
		md_test_line(f, tested, total, rep->floor);
	}
	fpb_report_chart_name(name, sizeof(name), "series", 0);
	md_chart(f, rep, name, "regression series");
}

int fpb_report_write_md(FILE *f, const struct fpb_report *rep)
{
	const struct fpb_rset *set = &rep->set;

	fputs("# fpbench report\n\n", f);
	fprintf(f, "From %zu result file%s, %zu machine%s (told apart by fingerprint: vendor, "
		"family, model, stepping, microcode, XCR0, hypervisor). Figures are medians of "
		"per-operation costs with the interval of the median. Every verdict comes from "
		"one test: %s within each table.\n\n",
		set->n, set->n == 1 ? "" : "s", set->nmach, set->nmach == 1 ? "" : "s",
		FPB_REPORT_TEST);
	if (rep->chart_note[0])
		fprintf(f, "Charts: %s.\n\n", rep->chart_note);
	fputs("## Machines\n\n", f);
	for (size_t m = 0; m < set->nmach; m++)
		md_machine(f, set, (int)m);
	for (size_t m = 0; m < set->nmach; m++) {
		size_t i = fpb_report_latest(set, (int)m);

		if (i != SIZE_MAX)
			md_kernels(f, set, i);
	}
	for (size_t k = 0; k < rep->nmx; k++)
		md_matrix(f, rep, k);
	for (size_t k = 0; k < rep->nruns; k++)
		md_run(f, rep, k);
	if (rep->have_series)
		md_series(f, rep);
	fputs("---\nGenerated by `fpbench report` (" PACKAGE_STRING ").\n", f);
	return ferror(f) ? -1 : 0;
}
