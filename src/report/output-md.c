// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * output-md.c - Markdown: the machine description as a list, one pipe table per suite (for
 * pasting into a mailing-list thread or an issue), then the row counts.
 */
#include "output.h"
#include "output-table.h"
#include "output-util.h"

/* Text with the characters Markdown cares about escaped. */
static void fpb_md_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '\\' || *s == '*' || *s == '_' || *s == '`')
			fputc('\\', f);
		fputc(*s == '\n' ? ' ' : *s, f);
	}
}

static void fpb_md_cell(FILE *f, const char *s)
{
	fputc(' ', f);
	fpb_md_text(f, s);
	fputs(" |", f);
}

static void fpb_md_table(FILE *f, const struct fpb_table *t)
{
	fputc('|', f);
	for (size_t c = 0; c < t->ncols; c++)
		fpb_md_cell(f, t->head[c]);
	fputs("\n|", f);
	for (size_t c = 0; c < t->ncols; c++)
		fputs(t->right[c] ? " ---: |" : " --- |", f);
	fputc('\n', f);
	for (size_t i = 0; i < t->nrows; i++) {
		const struct fpb_table_row *tr = &t->rows[i];

		fputc('|', f);
		for (size_t c = 0; c < t->ncols; c++) {
			if (tr->span_from >= 0 && (int)c > tr->span_from)
				fpb_md_cell(f, "");
			else
				fpb_md_cell(f, tr->cell[c]);
		}
		fputc('\n', f);
	}
}

/* Write r as Markdown.  Returns 0, or -1 on a stream error or allocation failure. */
static int fpb_md_write(FILE *f, const struct fpb_result *r)
{
	struct fpb_kv kv[FPB_DESCRIBE_MAX];
	const char *suites[16];
	size_t nkv = fpb_describe(r, kv, FPB_DESCRIBE_MAX);
	size_t ns = fpb_result_suites(r, suites, FPB_ARRAY_SIZE(suites));

	fputs("# fpbench results\n\n", f);
	for (size_t i = 0; i < nkv; i++) {
		fprintf(f, "- **%s**: ", kv[i].key);
		fpb_md_text(f, kv[i].val);
		fputc('\n', f);
	}
	for (size_t s = 0; s < ns; s++) {
		struct fpb_table t;

		if (fpb_table_build(&t, r, suites[s]))
			return -1;
		fprintf(f, "\n## %s\n\n", suites[s]);
		fpb_md_table(f, &t);
		bool notes = false;

		for (size_t i = 0; i < t.nrows; i++) {
			const struct fpb_row *row = t.rows[i].src;

			if (!row->note[0] && !row->nmetrics)
				continue;
			fprintf(f, "%s- %s%s%s%s%s%s%s: ", notes ? "" : "\n", row->name,
				row->scenario[0] ? " " : "", row->scenario,
				row->mask_name[0] ? " " : "", row->mask_name,
				row->state[0] ? " " : "", row->state);
			fpb_md_text(f, row->note);
			/* Metrics: primitive counts and per-op counter events (--events). */
			for (size_t k = 0; k < row->nmetrics; k++) {
				const struct fpb_metric *m = &row->metrics[k];
				char v[128];

				snprintf(v, sizeof(v), "%s%s=%.4g%s%s", k || row->note[0] ? "; " : "",
					 m->name, m->value, m->unit[0] ? " " : "", m->unit);
				fpb_md_text(f, v);
			}
			fputc('\n', f);
			notes = true;
		}
		fpb_table_free(&t);
	}
	fprintf(f, "\n%zu measured, %zu skipped, %zu failed.\n",
		fpb_result_count(r, FPB_ROW_MEASURED), fpb_result_count(r, FPB_ROW_SKIPPED),
		fpb_result_count(r, FPB_ROW_FAILED));
	return ferror(f) ? -1 : 0;
}

const struct fpb_writer fpb_writer_md = {
	.version	= FPB_WRITER_VERSION,
	.name	= "md",
	.ext	= "md",
	.write	= fpb_md_write,
};
