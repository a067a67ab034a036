// SPDX-License-Identifier: GPL-2.0-or-later
/* result.c - the result of a run: rows, metrics and raw samples (no I/O here). */
#include <stdarg.h>

#include "result.h"

/* Start an empty result of the current schema version. */
void fpb_result_init(struct fpb_result *r)
{
	memset(r, 0, sizeof(*r));
	r->schema_version = FPB_SCHEMA_VERSION;
	r->cpu.tsc_hz_source = "unknown";
	r->run.cpu = -1;
	r->run.numa_node = -1;
}

/* Free the rows and their raw samples; r is left empty and reusable. */
void fpb_result_free(struct fpb_result *r)
{
	for (size_t i = 0; i < r->nrows; i++)
		free(r->rows[i].raw);
	free(r->rows);
	r->rows = NULL;
	r->nrows = r->cap = 0;
}

/* Append a zeroed row (status MEASURED); returns it, or NULL when out of memory. */
struct fpb_row *fpb_result_add_row(struct fpb_result *r)
{
	struct fpb_row *row;

	if (r->nrows == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct fpb_row *p = realloc(r->rows, cap * sizeof(*p));

		if (!p)
			return NULL;
		r->rows = p;
		r->cap = cap;
	}
	row = &r->rows[r->nrows++];
	memset(row, 0, sizeof(*row));
	row->status = FPB_ROW_MEASURED;
	return row;
}

/* Add a named figure to a row; ignored past FPB_MAX_METRICS. Names and units are truncated. */
void fpb_row_add_metric(struct fpb_row *row, const char *name, const char *unit, double value)
{
	struct fpb_metric *m;

	if (row->nmetrics >= FPB_MAX_METRICS)
		return;
	m = &row->metrics[row->nmetrics++];
	snprintf(m->name, sizeof(m->name), "%s", name ? name : "");
	snprintf(m->unit, sizeof(m->unit), "%s", unit ? unit : "");
	m->value = value;
}

/* Mark a row skipped, with a printf-style reason; its figures are cleared. */
void fpb_row_skip(struct fpb_row *row, const char *fmt, ...)
{
	va_list ap;

	row->status = FPB_ROW_SKIPPED;
	va_start(ap, fmt);
	vsnprintf(row->reason, sizeof(row->reason), fmt, ap);
	va_end(ap);
	memset(&row->st, 0, sizeof(row->st));
	free(row->raw);
	row->raw = NULL;
	row->nraw = 0;
}

/* Keep a copy of the first FPB_MAX_RAW_SAMPLES samples.  Returns 0, or -ENOMEM. */
int fpb_row_set_raw(struct fpb_row *row, const double *x, size_t n)
{
	double *p = NULL;

	if (n > FPB_MAX_RAW_SAMPLES)
		n = FPB_MAX_RAW_SAMPLES;
	if (n) {
		p = malloc(n * sizeof(*p));
		if (!p)
			return -ENOMEM;
		memcpy(p, x, n * sizeof(*p));
	}
	free(row->raw);
	row->raw = p;
	row->nraw = n;
	return 0;
}

/*
 * fpb_row_scale() - multiply row's statistics and raw samples by k (e.g. per batch to per
 * event); counts, CI level, relative width and drift are unchanged by scaling.
 */
void fpb_row_scale(struct fpb_row *row, double k)
{
	struct fpb_stats *st = &row->st;

	st->min *= k;
	st->max *= k;
	st->median *= k;
	st->mean *= k;
	st->stddev *= k;
	st->mad *= k;
	st->p5 *= k;
	st->p95 *= k;
	st->ci_lo *= k;
	st->ci_hi *= k;
	st->floor *= k;
	st->floor_lo *= k;
	st->floor_hi *= k;
	for (size_t i = 0; i < row->nraw; i++)
		row->raw[i] *= k;
	for (unsigned i = 0; i < row->ntrials; i++)
		row->trials[i].median *= k;
}

/* Number of rows with status st. */
size_t fpb_result_count(const struct fpb_result *r, enum fpb_row_status st)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nrows; i++)
		n += r->rows[i].status == st;
	return n;
}
