// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report-matrix.c - the strategy x scenario matrix of one result: per scenario the lowest
 * median, and every other strategy's ratio to it with its verdict by the one verdict rule
 * (src/report/verdict.h), the same that marks the suite's table: a winner only when every rival is
 * significantly higher, no "faster" inside the noise.
 */
#include "config.h"

#include <math.h>

#include "report.h"

/* Index of name in list[0..*n), appended when absent; -1 when the list is full. */
static int fpb_mx_intern(char (*list)[48], size_t *n, size_t cap, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(list[i], name))
			return (int)i;
	if (*n == cap)
		return -1;
	snprintf(list[*n], sizeof(list[*n]), "%s", name);
	return (int)(*n)++;
}

static bool fpb_mx_measured(const struct fpb_row *row)
{
	return row && row->status == FPB_ROW_MEASURED;
}

bool fpb_report_matrix_scen_shown(const struct fpb_rmatrix *m, size_t sc)
{
	for (size_t st = 0; st < m->nstrat; st++)
		if (fpb_mx_measured(m->cell[sc * m->nstrat + st]))
			return true;
	return false;
}

bool fpb_report_matrix_strat_shown(const struct fpb_rmatrix *m, size_t st)
{
	for (size_t sc = 0; sc < m->nscen; sc++)
		if (fpb_mx_measured(m->cell[sc * m->nstrat + st]))
			return true;
	return false;
}

int fpb_report_matrix_build(const struct fpb_rset *set, size_t i, struct fpb_rmatrix *m)
{
	const struct fpb_result *r = &set->in[i].res;
	size_t cap = r->nrows ? r->nrows : 1;
	struct fpb_estimate *e = NULL;

	memset(m, 0, sizeof(*m));
	m->input = i;
	m->strat = calloc(cap, sizeof(*m->strat));
	m->scen = calloc(cap, sizeof(*m->scen));
	if (!m->strat || !m->scen)
		goto nomem;
	for (size_t k = 0; k < r->nrows; k++) {
		const struct fpb_row *row = &r->rows[k];

		if (strcmp(row->suite, "strategies") || !row->scenario[0])
			continue;
		fpb_mx_intern(m->strat, &m->nstrat, cap, row->name);
		fpb_mx_intern(m->scen, &m->nscen, cap, row->scenario);
	}
	if (!m->nscen)
		return 0;
	m->cell = calloc(m->nscen * m->nstrat, sizeof(*m->cell));
	m->chg = calloc(m->nscen * m->nstrat, sizeof(*m->chg));
	m->cmp = calloc(m->nscen * m->nstrat, sizeof(*m->cmp));
	m->lowest = calloc(m->nscen, sizeof(*m->lowest));
	m->fastest = calloc(m->nscen, sizeof(*m->fastest));
	m->rival = calloc(m->nscen, sizeof(*m->rival));
	e = calloc(m->nstrat, sizeof(*e));
	if (!m->cell || !m->chg || !m->cmp || !m->lowest || !m->fastest || !m->rival || !e)
		goto nomem;
	for (size_t k = 0; k < r->nrows; k++) {
		const struct fpb_row *row = &r->rows[k];
		int st, sc;

		if (strcmp(row->suite, "strategies") || !row->scenario[0])
			continue;
		st = fpb_mx_intern(m->strat, &m->nstrat, m->nstrat, row->name);
		sc = fpb_mx_intern(m->scen, &m->nscen, m->nscen, row->scenario);
		/* The first row of a pair wins (one mask/state per matrix). */
		if (st >= 0 && sc >= 0 && !m->cell[(size_t)sc * m->nstrat + (size_t)st])
			m->cell[(size_t)sc * m->nstrat + (size_t)st] = row;
	}
	for (size_t sc = 0; sc < m->nscen; sc++) {
		const struct fpb_row **c = &m->cell[sc * m->nstrat];
		struct fpb_ranking rk;

		/* A median at or below zero is below the noise floor: never ranked. */
		for (size_t st = 0; st < m->nstrat; st++) {
			e[st] = (struct fpb_estimate){ .centre = NAN, .lo = NAN, .hi = NAN };
			if (c[st])
				fpb_verdict_row_estimate(c[st], &e[st]);
		}
		fpb_verdict_rank(e, m->nstrat, FPB_VERDICT_RIVAL_FLOOR, &rk,
				 &m->chg[sc * m->nstrat]);
		m->lowest[sc] = rk.lowest;
		m->fastest[sc] = rk.winner;
		m->rival[sc] = rk.rival;
		if (rk.lowest < 0)
			continue;
		m->ncmp += rk.ranked - 1;
		for (size_t st = 0; st < m->nstrat; st++)
			if ((int)st != rk.lowest && c[st] && c[st]->status == FPB_ROW_MEASURED)
				fpb_report_compare_rows(c[rk.lowest], c[st],
							&m->cmp[sc * m->nstrat + st]);
	}
	free(e);
	return 0;
nomem:
	free(e);
	fpb_report_matrix_free(m);
	return -ENOMEM;
}

void fpb_report_matrix_free(struct fpb_rmatrix *m)
{
	free(m->strat);
	free(m->scen);
	free(m->cell);
	free(m->lowest);
	free(m->fastest);
	free(m->rival);
	free(m->chg);
	free(m->cmp);
	memset(m, 0, sizeof(*m));
}
