/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * output-table.h - the rendering model shared by the text and Markdown writers: the machine
 * description as key/value lines, and one table of formatted cells per suite.
 */
#ifndef FPB_OUTPUT_TABLE_H
#define FPB_OUTPUT_TABLE_H

#include "result.h"

#define FPB_TABLE_MAXCOL	16
#define FPB_CELL		200

struct fpb_kv {
	char key[32];
	char val[1100];
};

/* Fill kv[] with the machine and run description; returns the number of lines. */
size_t fpb_describe(const struct fpb_result *r, struct fpb_kv *kv, size_t max);
#define FPB_DESCRIBE_MAX	20

struct fpb_table_row {
	char cell[FPB_TABLE_MAXCOL][FPB_CELL];
	int span_from;			/* skipped/failed: cell[span_from] holds the reason, -1 */
	const struct fpb_row *src;
};

struct fpb_table {
	char suite[16];
	size_t ncols;
	char head[FPB_TABLE_MAXCOL][40];
	bool right[FPB_TABLE_MAXCOL];	/* right-aligned (figures) */
	size_t first_figure;		/* first column after the row's identity */
	struct fpb_table_row *rows;
	size_t nrows;
};

/* Distinct suite names in row order; returns how many (at most max). */
size_t fpb_result_suites(const struct fpb_result *r, const char **out, size_t max);

/* Build the table of r's rows of one suite.  0, or -ENOMEM. */
int fpb_table_build(struct fpb_table *t, const struct fpb_result *r, const char *suite);
void fpb_table_free(struct fpb_table *t);

/* A figure with a precision that suits its size ("123.4", "4.56", "12345"). */
void fpb_fmt_fig(char *buf, size_t len, double v);

#endif /* FPB_OUTPUT_TABLE_H */
