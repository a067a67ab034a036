// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * output-csv.c - one header row, then one line per result row (RFC 4180 quoting).  Figures are in
 * the row's unit; median_ns is empty when the TSC frequency is unknown; skipped rows leave the
 * figures empty and carry their reason; floor, floor_lo and floor_hi are empty for a row without
 * a trial floor.
 */
#include <math.h>
#include <inttypes.h>

#include "output.h"
#include "output-util.h"

static const char fpb_csv_header[] =
	"fingerprint,suite,name,scenario,mask_name,mask,state,buffer,backend,status,reason,flags,"
	"unit,median,ci_lo,ci_hi,ci_level,min,max,mean,stddev,mad,p5,p95,n,outliers,drift,"
	"floor,floor_lo,floor_hi,median_ns,batch,batches,dropped,note,metrics,metric_units,tsc_per_core_cycle,counters";

static void fpb_csv_str(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void fpb_csv_num(FILE *f, double v, bool show)
{
	fputc(',', f);
	if (show && isfinite(v))
		fprintf(f, "%.6g", v);
}

/* Write r as CSV.  Returns 0, or -1 on a stream error. */
static int fpb_csv_write(FILE *f, const struct fpb_result *r)
{
	fprintf(f, "%s\n", fpb_csv_header);
	for (size_t i = 0; i < r->nrows; i++) {
		const struct fpb_row *row = &r->rows[i];
		const struct fpb_stats *s = &row->st;
		bool m = row->status == FPB_ROW_MEASURED;
		char flags[128], metrics[FPB_MAX_METRICS * 48], mask[24];
		const char *strs[] = { row->suite, row->name, row->scenario, row->mask_name };
		size_t off = 0;

		fpb_csv_str(f, r->cpu.fingerprint);
		for (size_t k = 0; k < FPB_ARRAY_SIZE(strs); k++) {
			fputc(',', f);
			fpb_csv_str(f, strs[k]);
		}
		snprintf(mask, sizeof(mask), "0x%" PRIx64, row->mask);
		fprintf(f, ",%s,", row->mask || row->mask_name[0] ? mask : "");
		fpb_csv_str(f, row->state);
		fputc(',', f);
		fpb_csv_str(f, row->buffer);
		fputc(',', f);
		fpb_csv_str(f, row->backend);
		fprintf(f, ",%s,", fpb_row_status_name(row->status));
		fpb_csv_str(f, row->reason);
		fpb_row_flags_str(row->flags, ";", flags, sizeof(flags));
		fputc(',', f);
		fpb_csv_str(f, flags);
		fputc(',', f);
		fpb_csv_str(f, row->unit);
		fpb_csv_num(f, s->median, m);
		fpb_csv_num(f, s->ci_lo, m);
		fpb_csv_num(f, s->ci_hi, m);
		fpb_csv_num(f, s->ci_level, m);
		fpb_csv_num(f, s->min, m);
		fpb_csv_num(f, s->max, m);
		fpb_csv_num(f, s->mean, m);
		fpb_csv_num(f, s->stddev, m);
		fpb_csv_num(f, s->mad, m);
		fpb_csv_num(f, s->p5, m);
		fpb_csv_num(f, s->p95, m);
		fpb_csv_num(f, (double)s->n, m);
		fpb_csv_num(f, (double)s->outliers, m);
		fpb_csv_num(f, s->drift, m);
		/* The trial floor: empty when the row has none. */
		fpb_csv_num(f, s->floor, m && s->floor_trials);
		fpb_csv_num(f, s->floor_lo, m && s->floor_trials);
		fpb_csv_num(f, s->floor_hi, m && s->floor_trials);
		fpb_csv_num(f, fpb_row_median_ns(row), fpb_row_median_ns(row) >= 0);
		fprintf(f, ",%" PRIu64 ",%zu,%zu,", row->batch, row->batches, row->dropped);
		fpb_csv_str(f, row->note);
		metrics[0] = '\0';
		for (size_t k = 0; k < row->nmetrics && off < sizeof(metrics); k++)
			off += snprintf(metrics + off, sizeof(metrics) - off, "%s%s=%.6g",
					k ? ";" : "", row->metrics[k].name,
					row->metrics[k].value);
		fputc(',', f);
		fpb_csv_str(f, metrics);
		/* Units of the metrics, same order ("page-faults=per-op"). */
		metrics[0] = '\0';
		off = 0;
		for (size_t k = 0; k < row->nmetrics && off < sizeof(metrics); k++)
			off += snprintf(metrics + off, sizeof(metrics) - off, "%s%s=%s",
					k ? ";" : "", row->metrics[k].name,
					row->metrics[k].unit);
		fputc(',', f);
		fpb_csv_str(f, metrics);
		/* The run's counters and TSC/core-cycle ratio, repeated like the fingerprint. */
		fpb_csv_num(f, r->run.tsc_per_core_cycle, r->run.tsc_per_core_cycle > 0);
		fputc(',', f);
		fpb_csv_str(f, r->run.counters);
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}

const struct fpb_writer fpb_writer_csv = {
	.version	= FPB_WRITER_VERSION,
	.name	= "csv",
	.ext	= "csv",
	.write	= fpb_csv_write,
};
