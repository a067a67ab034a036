// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * output-text.c - the readable table: the machine description as '#' lines above, one aligned
 * table per suite, notes and metrics below it (on a terminal wrapped to its width, at most three
 * lines a row; whole in files and pipes), and "N measured, N skipped" at the end.
 */
#include <sys/ioctl.h>
#include <unistd.h>

#include "output.h"
#include "output-table.h"
#include "output-util.h"

static void fpb_text_pad(FILE *f, const char *s, size_t w, bool right, bool last)
{
	size_t n = strlen(s);

	if (right)
		fprintf(f, "%*s%s", (int)(w - (n < w ? n : w)), "", s);
	else if (last)
		fputs(s, f);
	else
		fprintf(f, "%s%*s", s, (int)(w - (n < w ? n : w)), "");
}

static void fpb_text_table(FILE *f, const struct fpb_table *t)
{
	size_t w[FPB_TABLE_MAXCOL];

	for (size_t c = 0; c < t->ncols; c++) {
		w[c] = strlen(t->head[c]);
		for (size_t i = 0; i < t->nrows; i++)
			if (t->rows[i].span_from < 0 || (int)c < t->rows[i].span_from)
				if (strlen(t->rows[i].cell[c]) > w[c])
					w[c] = strlen(t->rows[i].cell[c]);
	}
	for (size_t c = 0; c < t->ncols; c++) {
		fputs(c ? "  " : "", f);
		fpb_text_pad(f, t->head[c], w[c], t->right[c], c + 1 == t->ncols);
	}
	fputc('\n', f);
	for (size_t i = 0; i < t->nrows; i++) {
		const struct fpb_table_row *tr = &t->rows[i];

		for (size_t c = 0; c < t->ncols; c++) {
			bool span = tr->span_from >= 0 && (int)c == tr->span_from;

			fputs(c ? "  " : "", f);
			fpb_text_pad(f, tr->cell[c], w[c], t->right[c] && !span,
				     span || c + 1 == t->ncols);
			if (span)
				break;
		}
		fputc('\n', f);
	}
}

/*
 * Width to fit notes into: the terminal's when f is one (its size, else $COLUMNS, else 80), 0
 * when f is a file or pipe (files keep each note on one line, whole).
 */
static size_t fpb_text_width(FILE *f)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");

	if (!isatty(fileno(f)))
		return 0;
	if (!ioctl(fileno(f), TIOCGWINSZ, &ws) && ws.ws_col)
		return ws.ws_col;
	if (cols && atoi(cols) > 0)
		return (size_t)atoi(cols);
	return 80;
}

/*
 * Write line s wrapped at width (0: as it is): breaks at spaces, continuation lines indented by
 * indent spaces, at most maxlines lines, the last one ending in "..." when s was longer.
 */
void fpb_text_wrap(FILE *f, const char *s, size_t width, size_t indent, size_t maxlines)
{
	size_t line = 0, lead = 0;

	if (!width || strlen(s) <= width) {
		fprintf(f, "%s\n", s);
		return;
	}
	if (width < indent + 20)
		width = indent + 20;
	while (*s) {
		size_t room = width - lead, n = strlen(s), cut;
		bool last = ++line == maxlines;

		if (n <= room) {
			fprintf(f, "%*s%s\n", (int)lead, "", s);
			return;
		}
		if (last)
			room -= 3;
		for (cut = room; cut > room / 2 && s[cut] != ' '; cut--)
			;
		if (s[cut] != ' ')
			cut = room;
		fprintf(f, "%*s%.*s%s\n", (int)lead, "", (int)cut, s, last ? "..." : "");
		if (last)
			return;
		s += cut;
		while (*s == ' ')
			s++;
		lead = indent;
	}
}

/* Notes and metrics of a suite's rows, one indented line each (wrapped on a terminal). */
static void fpb_text_notes(FILE *f, const struct fpb_result *r, const char *suite)
{
	size_t width = fpb_text_width(f), len = 4096;
	bool head = false;
	char *buf = malloc(len);

	if (!buf)
		return;
	for (size_t i = 0; i < r->nrows; i++) {
		const struct fpb_row *row = &r->rows[i];
		size_t k = 0;

		if (strcmp(row->suite, suite) || (!row->note[0] && !row->nmetrics))
			continue;
		if (!head)
			fputs("\n", f);
		head = true;
		k += (size_t)snprintf(buf + k, len - k, "  %s%s%s%s%s%s%s:", row->name,
				      row->scenario[0] ? " " : "", row->scenario,
				      row->mask_name[0] ? " " : "", row->mask_name,
				      row->state[0] ? " " : "", row->state);
		if (row->note[0] && k < len)
			k += (size_t)snprintf(buf + k, len - k, " %s%s", row->note,
					      row->nmetrics ? ";" : "");
		for (size_t m = 0; m < row->nmetrics && k < len; m++) {
			const struct fpb_metric *mt = &row->metrics[m];

			k += (size_t)snprintf(buf + k, len - k, " %s=%.4g%s%s", mt->name, mt->value,
					      mt->unit[0] ? " " : "", mt->unit);
		}
		fpb_text_wrap(f, buf, width, 6, 3);
	}
	free(buf);
}

/* Write r as text.  Returns 0, or -1 on a stream error or allocation failure. */
static int fpb_text_write(FILE *f, const struct fpb_result *r)
{
	struct fpb_kv kv[FPB_DESCRIBE_MAX];
	const char *suites[16];
	size_t nkv = fpb_describe(r, kv, FPB_DESCRIBE_MAX);
	size_t ns = fpb_result_suites(r, suites, FPB_ARRAY_SIZE(suites));
	size_t nfail = fpb_result_count(r, FPB_ROW_FAILED);
	size_t nna = fpb_result_count(r, FPB_ROW_NA);

	for (size_t i = 0; i < nkv; i++)
		fprintf(f, "# %-12s %s\n", kv[i].key, kv[i].val);
	for (size_t s = 0; s < ns; s++) {
		struct fpb_table t;

		if (fpb_table_build(&t, r, suites[s]))
			return -1;
		fprintf(f, "\n## %s\n", suites[s]);
		fpb_text_table(f, &t);
		fpb_text_notes(f, r, suites[s]);
		fpb_table_free(&t);
	}
	if (!r->nrows)
		fputs("\n(no rows)\n", f);
	fprintf(f, "\n%zu measured, %zu skipped", fpb_result_count(r, FPB_ROW_MEASURED),
		fpb_result_count(r, FPB_ROW_SKIPPED));
	if (nfail)
		fprintf(f, ", %zu failed", nfail);
	if (nna)
		fprintf(f, ", %zu n/a", nna);
	fputc('\n', f);
	return ferror(f) ? -1 : 0;
}

const struct fpb_writer fpb_writer_text = {
	.version	= FPB_WRITER_VERSION,
	.name	= "text",
	.ext	= "txt",
	.write	= fpb_text_write,
};
