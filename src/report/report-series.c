// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report-series.c - the regression series of one machine: its results ordered by date (or by git
 * revision), one line per kernel or strategy, each step judged against the previous point by the
 * one rule, beyond the spread of the machine's other runs.  Results of other machines are listed and left out.
 */
#include "config.h"

#include "report.h"

static const struct fpb_rset *fpb_rs_set;
static bool fpb_rs_by_rev;

static int fpb_rs_cmp(const void *x, const void *y)
{
	const struct fpb_rin *a = &fpb_rs_set->in[*(const size_t *)x];
	const struct fpb_rin *b = &fpb_rs_set->in[*(const size_t *)y];
	int c;

	if (fpb_rs_by_rev && a->rev_order >= 0 && b->rev_order >= 0 &&
	    a->rev_order != b->rev_order)
		return a->rev_order < b->rev_order ? -1 : 1;
	c = strcmp(a->res.run.timestamp, b->res.run.timestamp);
	if (c)
		return c;
	return *(const size_t *)x < *(const size_t *)y ? -1 : 1;	/* stable: order given */
}

static int fpb_rs_lines(const struct fpb_rset *set, struct fpb_rseries *s)
{
	size_t cap = 0;
	struct fpb_rcmp *steps;
	bool *has;

	for (size_t k = 0; k < s->npt; k++)
		cap += set->in[s->pt[k]].res.nrows;
	s->line = calloc(cap ? cap : 1, sizeof(*s->line));
	if (!s->line)
		return -ENOMEM;
	for (size_t k = 0; k < s->npt; k++) {
		const struct fpb_result *r = &set->in[s->pt[k]].res;

		for (size_t j = 0; j < r->nrows; j++) {
			char key[256];
			size_t l;

			if (r->rows[j].status != FPB_ROW_MEASURED)
				continue;
			fpb_report_row_key(&r->rows[j], key, sizeof(key));
			for (l = 0; l < s->nline && strcmp(s->line[l].key, key); l++)
				;
			if (l < s->nline)
				continue;
			snprintf(s->line[l].key, sizeof(s->line[l].key), "%s", key);
			fpb_report_row_label(&r->rows[j], s->line[l].label,
					     sizeof(s->line[l].label));
			s->nline++;
		}
	}
	steps = calloc(s->nline * s->npt + 1, sizeof(*steps));
	has = calloc(s->nline * s->npt + 1, sizeof(*has));
	if (!steps || !has) {
		free(steps);
		free(has);
		return -ENOMEM;
	}
	if (!s->nline) {
		free(steps);
		free(has);
		return 0;
	}
	for (size_t l = 0; l < s->nline; l++) {
		struct fpb_rline *ln = &s->line[l];
		const struct fpb_row *prev = NULL;
		size_t prev_in = 0;

		ln->step = steps + l * s->npt;
		ln->has_step = has + l * s->npt;
		ln->pt = calloc(s->npt, sizeof(*ln->pt));
		if (!ln->pt)
			return -ENOMEM;
		for (size_t k = 0; k < s->npt; k++) {
			const struct fpb_row *row = fpb_report_find_row(&set->in[s->pt[k]].res,
									 ln->key);

			if (!row || row->status != FPB_ROW_MEASURED)
				continue;
			ln->pt[k] = row;
			if (prev) {
				struct fpb_rctx x;

				/* Beyond the spread of the machine's other runs, never these two. */
				memset(&x, 0, sizeof(x));
				x.between = fpb_report_between(set, ln->key, prev_in, s->pt[k]);
				fpb_report_compare_rows_ctx(prev, row, &x, &ln->step[k]);
				fpb_report_mark_model_change(&ln->step[k]);
				ln->has_step[k] = true;
				s->nsteps++;
			}
			prev = row;
			prev_in = s->pt[k];
		}
	}
	fpb_report_holm(steps, s->nline * s->npt, FPB_REPORT_ALPHA);
	return 0;
}

int fpb_report_series_build(const struct fpb_rset *set, int machine, bool by_revision,
			    struct fpb_rseries *s)
{
	memset(s, 0, sizeof(*s));
	s->machine = machine;
	s->by_revision = by_revision;
	s->pt = calloc(set->n + 1, sizeof(*s->pt));
	s->left_out = calloc(set->n + 1, sizeof(*s->left_out));
	if (!s->pt || !s->left_out)
		goto nomem;
	for (size_t i = 0; i < set->n; i++) {
		if (set->in[i].machine == machine)
			s->pt[s->npt++] = i;
		else
			s->left_out[s->nleft++] = i;
	}
	fpb_rs_set = set;
	fpb_rs_by_rev = by_revision;
	qsort(s->pt, s->npt, sizeof(*s->pt), fpb_rs_cmp);
	if (fpb_rs_lines(set, s))
		goto nomem;
	return 0;
nomem:
	fpb_report_series_free(s);
	return -ENOMEM;
}

void fpb_report_series_free(struct fpb_rseries *s)
{
	if (s->line && s->nline) {
		free(s->line[0].step);
		free(s->line[0].has_step);
	}
	for (size_t l = 0; s->line && l < s->nline; l++)
		free(s->line[l].pt);
	free(s->line);
	free(s->pt);
	free(s->left_out);
	memset(s, 0, sizeof(*s));
}
