// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report-compare.c - run A against run B (two kernels, two microcode versions, two CPUs): every
 * measurement present in both, its relative change with an interval and a verdict from the one
 * rule (in ns when the TSC rates differ, beyond other runs' spread); per byte of state as well
 * when the machines' XSAVE sizes differ.
 */
#include "config.h"

#include <math.h>

#include "report.h"

void fpb_report_model_rev(const struct fpb_row *row, char *buf, size_t len)
{
	if (row->model_rev[0])
		snprintf(buf, len, "%s", row->model_rev);
	else if (!strcmp(row->suite, "strategies"))
		snprintf(buf, len, "%s", strchr(row->name, '+') ? "1+1" : "1");
	else
		snprintf(buf, len, "%s", "");
}

void fpb_report_mark_model_change(struct fpb_rcmp *c)
{
	char ra[sizeof(c->a->model_rev)], rb[sizeof(c->b->model_rev)];

	fpb_report_model_rev(c->a, ra, sizeof(ra));
	fpb_report_model_rev(c->b, rb, sizeof(rb));
	if (!strcmp(ra, rb))
		return;
	c->model_changed = true;
	c->tested = false;
	c->significant = false;
	c->below_floor = false;
	c->verdict = FPB_VERDICT_NOT_COMPARED;
	c->p_adj = NAN;
}

int fpb_report_run_build(const struct fpb_rset *set, size_t ia, size_t ib, struct fpb_rrun *rr)
{
	const struct fpb_result *a = &set->in[ia].res, *b = &set->in[ib].res;
	size_t cap = a->nrows ? a->nrows : 1;
	char key[256];
	struct fpb_rctx x;

	memset(rr, 0, sizeof(*rr));
	rr->ia = ia;
	rr->ib = ib;
	rr->per_byte = a->cpu.xsave_size_xcr0 != b->cpu.xsave_size_xcr0;
	rr->cmp = calloc(cap, sizeof(*rr->cmp));
	rr->bytes_a = calloc(cap, sizeof(double));
	rr->bytes_b = calloc(cap, sizeof(double));
	rr->out_a = calloc(cap, sizeof(*rr->out_a));
	rr->out_b = calloc(cap, sizeof(*rr->out_b));
	if (!rr->cmp || !rr->bytes_a || !rr->bytes_b || !rr->out_a || !rr->out_b) {
		fpb_report_run_free(rr);
		return -ENOMEM;
	}
	for (size_t k = 0; k < a->nrows; k++) {
		const struct fpb_row *ra = &a->rows[k], *rb;

		fpb_report_row_key(ra, key, sizeof(key));
		rb = fpb_report_find_row(b, key);
		if (!rb) {
			rr->only_a++;
			continue;
		}
		if (ra->status != FPB_ROW_MEASURED && rb->status != FPB_ROW_MEASURED) {
			/* skipped or n/a in both: no figures, only named in the report */
			rr->out_a[rr->nout] = ra;
			rr->out_b[rr->nout++] = rb;
			continue;
		}
		/* ns across TSC rates; beyond other runs' spread (never these two). */
		fpb_report_ctx(set, ia, ib, &x);
		if (set->in[ia].machine == set->in[ib].machine)
			x.between = fpb_report_between(set, key, ia, ib);
		fpb_report_compare_rows_ctx(ra, rb, &x, &rr->cmp[rr->ncmp]);
		rr->cmp[rr->ncmp].a = ra;
		rr->cmp[rr->ncmp].b = rb;
		fpb_report_mark_model_change(&rr->cmp[rr->ncmp]);
		rr->bytes_a[rr->ncmp] = fpb_report_state_bytes(&a->cpu, ra);
		rr->bytes_b[rr->ncmp] = fpb_report_state_bytes(&b->cpu, rb);
		rr->ncmp++;
	}
	for (size_t k = 0; k < b->nrows; k++) {
		fpb_report_row_key(&b->rows[k], key, sizeof(key));
		if (!fpb_report_find_row(a, key))
			rr->only_b++;
	}
	fpb_report_holm(rr->cmp, rr->ncmp, FPB_REPORT_ALPHA);
	return 0;
}

bool fpb_report_run_charted(const struct fpb_rcmp *c)
{
	return c->a && c->b && c->a->status == FPB_ROW_MEASURED &&
	       c->b->status == FPB_ROW_MEASURED && !isnan(c->rel) && !isnan(c->rel_lo) &&
	       !isnan(c->rel_hi);
}

void fpb_report_run_free(struct fpb_rrun *rr)
{
	free(rr->out_a);
	free(rr->out_b);
	free(rr->cmp);
	free(rr->bytes_a);
	free(rr->bytes_b);
	memset(rr, 0, sizeof(*rr));
}
