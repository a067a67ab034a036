// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report-json.c - report.json: every comparison the report made (the runs and rows compared, the
 * change with its interval, the smallest detectable change, the verdict and the test behind it),
 * for CI jobs and other programs.  Its layout: docs/report-schema.json.  Also the CI gate's count
 * of significant changes beyond --fail-on-change.
 */
#include "config.h"

#include <math.h>
#include <unistd.h>

#include "report.h"
#include "verdict.h"

#define FPB_REPORT_JSON_VERSION	1

static void js_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void js_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.6g", v);
	else
		fputs("null", f);
}

struct tally {
	size_t n, by[FPB_VERDICT_INCONCLUSIVE + 1];
};

static void js_cmp(FILE *f, const char *kind, size_t ia, size_t ib, const struct fpb_rcmp *c,
		   bool *first, struct tally *t)
{
	char key[256], label[128];
	const struct fpb_row *r = c->a ? c->a : c->b;
	int v = c->verdict >= 0 && c->verdict <= FPB_VERDICT_INCONCLUSIVE ? c->verdict : 0;

	fpb_report_row_key(r, key, sizeof(key));
	fpb_report_row_label(r, label, sizeof(label));
	fputs(*first ? "\n    {" : ",\n    {", f);
	*first = false;
	fputs("\"kind\": ", f);
	js_str(f, kind);
	fprintf(f, ", \"a\": %zu, \"b\": %zu, \"key\": ", ia, ib);
	js_str(f, key);
	fputs(", \"label\": ", f);
	js_str(f, label);
	if (c->b && c->a && strcmp(c->a->name, c->b->name)) {
		fputs(", \"label_b\": ", f);
		fpb_report_row_label(c->b, label, sizeof(label));
		js_str(f, label);
	}
	fputs(", \"unit\": ", f);
	js_str(f, c->in_ns ? "ns/op" : r->unit);
	fputs(", \"a_estimate\": [", f);
	js_num(f, c->tested || c->verdict ? c->ea[0] : NAN);
	fputs(", ", f);
	js_num(f, c->tested || c->verdict ? c->ea[1] : NAN);
	fputs(", ", f);
	js_num(f, c->tested || c->verdict ? c->ea[2] : NAN);
	fputs("], \"b_estimate\": [", f);
	js_num(f, c->tested || c->verdict ? c->eb[0] : NAN);
	fputs(", ", f);
	js_num(f, c->tested || c->verdict ? c->eb[1] : NAN);
	fputs(", ", f);
	js_num(f, c->tested || c->verdict ? c->eb[2] : NAN);
	fputs("], \"change\": ", f);
	js_num(f, c->rel);
	fputs(", \"change_interval\": [", f);
	js_num(f, c->rel_lo);
	fputs(", ", f);
	js_num(f, c->rel_hi);
	fputs("], \"detectable\": ", f);
	js_num(f, c->detectable);
	fputs(", \"between_runs\": ", f);
	js_num(f, c->between);
	fputs(", \"verdict\": ", f);
	js_str(f, c->no_unit ? "not compared" : fpb_verdict_name((enum fpb_verdict)v));
	fprintf(f, ", \"significant\": %s, \"below_floor\": %s, \"no_trials\": %s, \"in_ns\": %s",
		c->significant ? "true" : "false", c->below_floor ? "true" : "false",
		c->no_trials ? "true" : "false", c->in_ns ? "true" : "false");
	fputs(", \"test\": \"verdict-rule\"}", f);
	t->n++;
	t->by[v]++;
}

int fpb_report_write_json(FILE *f, const struct fpb_report *rep)
{
	const struct fpb_rset *set = &rep->set;
	struct tally t = { 0, { 0 } };
	bool first = true;

	fprintf(f, "{\n  \"schema\": \"fpbench-report\",\n  \"schema_version\": %d,\n  \"test\": ",
		FPB_REPORT_JSON_VERSION);
	js_str(f, FPB_REPORT_TEST);
	fputs(",\n  \"floor\": ", f);
	js_num(f, rep->floor);
	fputs(",\n  \"inputs\": [", f);
	for (size_t i = 0; i < set->n; i++) {
		const struct fpb_result *r = &set->in[i].res;

		fputs(i ? ",\n    {\"path\": " : "\n    {\"path\": ", f);
		js_str(f, set->in[i].path);
		fprintf(f, ", \"machine\": %d, \"fingerprint\": ", set->in[i].machine + 1);
		js_str(f, r->cpu.fingerprint);
		fputs(", \"git_revision\": ", f);
		js_str(f, r->run.git_revision);
		fputs(", \"timestamp\": ", f);
		js_str(f, r->run.timestamp);
		fprintf(f, ", \"schema_version\": %d, \"tsc_hz\": %llu, \"tsc_hz_source\": ",
			r->schema_version, (unsigned long long)r->cpu.tsc_hz);
		js_str(f, r->cpu.tsc_hz_source ? r->cpu.tsc_hz_source : "unknown");
		fprintf(f, ", \"trials_total\": %u, \"trials_disturbed\": %u}", r->run.trials_total,
			r->run.trials_disturbed);
	}
	fputs(set->n ? "\n  ],\n  \"comparisons\": [" : "],\n  \"comparisons\": [", f);
	for (size_t k = 0; k < rep->nruns; k++)
		for (size_t i = 0; i < rep->runs[k].ncmp; i++)
			js_cmp(f, "run", rep->runs[k].ia, rep->runs[k].ib, &rep->runs[k].cmp[i],
			       &first, &t);
	for (size_t l = 0; rep->have_series && l < rep->series.nline; l++) {
		const struct fpb_rline *ln = &rep->series.line[l];
		size_t prev = SIZE_MAX;

		for (size_t k = 0; k < rep->series.npt; k++) {
			if (!ln->pt[k])
				continue;
			if (ln->has_step[k] && prev != SIZE_MAX)
				js_cmp(f, "series", rep->series.pt[prev], rep->series.pt[k],
				       &ln->step[k], &first, &t);
			prev = k;
		}
	}
	for (size_t m = 0; m < rep->nmx; m++) {
		const struct fpb_rmatrix *mx = &rep->mx[m];

		for (size_t i = 0; i < mx->nscen * mx->nstrat; i++)
			if (mx->cmp[i].a && mx->cmp[i].b)
				js_cmp(f, "strategies", mx->input, mx->input, &mx->cmp[i], &first,
				       &t);
	}
	fputs(first ? "],\n" : "\n  ],\n", f);
	/* One line without spaces: scripts/aa-check.sh greps it. */
	fprintf(f, "  \"verdict_summary\":{\"comparisons\":%zu,\"significant\":%zu,\"higher\":%zu,"
		"\"lower\":%zu,\"indistinguishable\":%zu,\"inconclusive\":%zu,"
		"\"not_compared\":%zu}\n}\n", t.n,
		t.by[FPB_VERDICT_HIGHER] + t.by[FPB_VERDICT_LOWER], t.by[FPB_VERDICT_HIGHER],
		t.by[FPB_VERDICT_LOWER], t.by[FPB_VERDICT_INDISTINGUISHABLE],
		t.by[FPB_VERDICT_INCONCLUSIVE], t.by[FPB_VERDICT_NOT_COMPARED]);
	return ferror(f) ? -1 : 0;
}

size_t fpb_report_changes_beyond(const struct fpb_report *rep, double pct)
{
	size_t n = 0;

	for (size_t k = 0; k < rep->nruns; k++)
		for (size_t i = 0; i < rep->runs[k].ncmp; i++) {
			const struct fpb_rcmp *c = &rep->runs[k].cmp[i];

			n += c->significant && fabs(c->rel) * 100 > pct;
		}
	for (size_t l = 0; rep->have_series && l < rep->series.nline; l++)
		for (size_t k = 0; k < rep->series.npt; k++) {
			const struct fpb_rcmp *c = &rep->series.line[l].step[k];

			n += rep->series.line[l].has_step[k] && c->significant &&
			     fabs(c->rel) * 100 > pct;
		}
	return n;
}
