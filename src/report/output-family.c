// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * output-family.c - the family view of `fpbench --strategy=X`: X against each of its rivals
 * (strategies/strategy.h, fpb_strategy_rivals) over the scenarios both were measured in, with
 * the change, its interval and the verdict of the one verdict rule (src/report/verdict.h), then one
 * summary line per pair at the end ("swap vs copy3: ...").  Built from the result's rows alone.
 */
#include <math.h>

#include "output-family.h"
#include "output-table.h"
#include "output-util.h"
#include "strategy.h"
#include "verdict.h"

enum { F_SCEN, F_UNIT, F_X, F_R, F_CHG, F_INT, F_VERD, F_WORK, F_MAX };

/*
 * The primitive counts per event that explain a difference: the model counts them exactly, so
 * they answer "why" even where the timing cannot tell the two apart on a noisy machine.
 */
static const char *const work_metrics[] = { "saves", "restores", "bytes_copied", "xfd_writes",
					    "xss_writes", "xsetbv", "pkru_writes" };

static bool metric_of(const struct fpb_row *row, const char *name, double *v)
{
	for (size_t k = 0; row && k < row->nmetrics; k++)
		if (!strcmp(row->metrics[k].name, name)) {
			*v = row->metrics[k].value;
			return true;
		}
	return false;
}

/* "bytes_copied 0/2448" for every work metric where x's row (a) and the rival's (b) differ. */
static void work_diff(char *buf, size_t len, const struct fpb_row *a, const struct fpb_row *b)
{
	size_t l = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < FPB_ARRAY_SIZE(work_metrics); i++) {
		double va, vb;

		if (!metric_of(a, work_metrics[i], &va) || !metric_of(b, work_metrics[i], &vb) ||
		    fabs(va - vb) < 1e-9 * fmax(1, fabs(vb)) || l >= len)
			continue;
		l += (size_t)snprintf(buf + l, len - l, "%s%s %.4g/%.4g", l ? ", " : "",
				      work_metrics[i], va, vb);
	}
	if (!buf[0])
		snprintf(buf, len, "same");
}

struct fline {
	char cell[F_MAX][FPB_REASON_LEN];
};

/* A strategies row of strategy name (guest policies are "name+task"). */
static bool row_is(const struct fpb_row *row, const char *name)
{
	size_t n = strlen(name);

	return !strcmp(row->suite, "strategies") && !strncmp(row->name, name, n) &&
	       (row->name[n] == '\0' || row->name[n] == '+');
}

static const struct fpb_row *row_find(const struct fpb_result *r, const char *name,
				      const char *scenario)
{
	for (size_t i = 0; i < r->nrows; i++)
		if (row_is(&r->rows[i], name) && !strcmp(r->rows[i].scenario, scenario))
			return &r->rows[i];
	return NULL;
}

/* "1664", or the row's status when it has no figure. */
static void fig_or_status(char *buf, size_t len, const struct fpb_row *row)
{
	if (!row)
		snprintf(buf, len, "-");
	else if (row->status != FPB_ROW_MEASURED)
		snprintf(buf, len, "%s", fpb_row_status_name(row->status));
	else
		fpb_fmt_fig(buf, len, row->st.median);
}

struct fsum {
	unsigned n[FPB_VERDICT_INCONCLUSIVE + 1];
	char lower[FPB_REASON_LEN], higher[FPB_REASON_LEN];
	double lo, hi;	/* range of the significant changes */
	size_t both;	/* scenarios measured for both */
};

static void name_add(char *list, size_t len, const char *name)
{
	size_t l = strlen(list);

	if (l < len)
		snprintf(list + l, len - l, "%s%s", l ? ", " : "", name);
}

/* One pair's table; fills its summary.  Returns the number of scenarios shown. */
static size_t pair_table(FILE *f, const struct fpb_result *r, const struct fpb_strategy *x,
			 const struct fpb_strategy *rv, struct fsum *sum)
{
	static const char *const heads[F_MAX] = { "scenario", "unit", NULL, NULL, "change",
						  "interval", "verdict", "per event (named/rival)" };
	struct fline *ln = calloc(r->nrows + 1, sizeof(*ln));
	size_t n = 1, w[F_MAX] = { 0 };

	memset(sum, 0, sizeof(*sum));
	sum->lo = INFINITY;
	sum->hi = -INFINITY;
	if (!ln)
		return 0;
	for (int c = 0; c < F_MAX; c++)
		snprintf(ln[0].cell[c], sizeof(ln[0].cell[c]), "%s",
			 c == F_X ? x->name : c == F_R ? rv->name : heads[c]);
	for (size_t i = 0; i < r->nrows; i++) {
		const struct fpb_row *a = &r->rows[i], *b;
		struct fpb_estimate ea, eb;
		struct fpb_change chg;
		struct fline *l = &ln[n];

		if (!row_is(a, x->name) || a->status == FPB_ROW_NA)
			continue;
		b = row_find(r, rv->name, a->scenario);
		if (!b || b->status == FPB_ROW_NA)
			continue;
		n++;
		sum->both += a->status == FPB_ROW_MEASURED && b->status == FPB_ROW_MEASURED;
		snprintf(l->cell[F_SCEN], sizeof(l->cell[F_SCEN]), "%s", a->scenario);
		snprintf(l->cell[F_UNIT], sizeof(l->cell[F_UNIT]), "%s",
			 a->status == FPB_ROW_MEASURED ? a->unit : b->unit);
		fig_or_status(l->cell[F_X], sizeof(l->cell[F_X]), a);
		fig_or_status(l->cell[F_R], sizeof(l->cell[F_R]), b);
		work_diff(l->cell[F_WORK], sizeof(l->cell[F_WORK]), a, b);
		/* x against its rival: the rival is the reference (A), x the one compared (B). */
		fpb_verdict_row_estimate(b, &ea);
		fpb_verdict_row_estimate(a, &eb);
		fpb_verdict_change(&ea, &eb, FPB_VERDICT_RIVAL_FLOOR, &chg);
		sum->n[chg.verdict]++;
		if (isnan(chg.rel)) {
			snprintf(l->cell[F_CHG], sizeof(l->cell[F_CHG]), "-");
			snprintf(l->cell[F_INT], sizeof(l->cell[F_INT]), "-");
		} else {
			snprintf(l->cell[F_CHG], sizeof(l->cell[F_CHG]), "%+.1f%%", chg.rel * 100);
			snprintf(l->cell[F_INT], sizeof(l->cell[F_INT]), "[%+.1f%%, %+.1f%%]",
				 chg.lo * 100, chg.hi * 100);
		}
		if (chg.verdict == FPB_VERDICT_NOT_COMPARED)
			snprintf(l->cell[F_VERD], sizeof(l->cell[F_VERD]), "not compared (%s)",
				 a->status != FPB_ROW_MEASURED || b->status != FPB_ROW_MEASURED ?
				 "not measured in both" : "a median or interval at or below zero");
		else
			snprintf(l->cell[F_VERD], sizeof(l->cell[F_VERD]), "%s%s",
				 fpb_verdict_name(chg.verdict),
				 chg.below_floor ? " (under the floor)" : "");
		if (fpb_verdict_significant(chg.verdict)) {
			name_add(chg.verdict == FPB_VERDICT_LOWER ? sum->lower : sum->higher,
				 sizeof(sum->lower), a->scenario);
			sum->lo = fmin(sum->lo, chg.rel);
			sum->hi = fmax(sum->hi, chg.rel);
		}
	}
	/* Nothing measured for both (e.g. arm64 policies off arm64): the summary line says so. */
	if (sum->both) {
		fprintf(f, "\n## %s against %s (%s)\n", x->name, rv->name,
			fpb_strategy_group_name(x));
		for (size_t i = 0; i < n; i++)
			for (int c = 0; c < F_MAX; c++)
				if (strlen(ln[i].cell[c]) > w[c])
					w[c] = strlen(ln[i].cell[c]);
		for (size_t i = 0; i < n; i++) {
			for (int c = 0; c < F_MAX; c++) {
				bool right = c >= F_X && c <= F_INT, last = c + 1 == F_MAX;

				fprintf(f, "%s%*s%s", c ? "  " : "",
					right ? (int)w[c] : -(int)(last ? 0 : w[c]), ln[i].cell[c],
					"");
			}
			fputc('\n', f);
		}
	}
	free(ln);
	return n - 1;
}

int fpb_family_view_write(FILE *f, const struct fpb_result *r, const char *const *named,
			  size_t nnamed)
{
	char (*sline)[2 * FPB_REASON_LEN] = calloc(nnamed * fpb_nr_strategies + 1,
						    sizeof(*sline));
	size_t ns = 0, tables = 0;

	if (!sline)
		return -ENOMEM;
	for (size_t i = 0; i < nnamed; i++) {
		const struct fpb_strategy *x = fpb_strategy_find(named[i]);

		if (!x)
			continue;
		for (size_t k = 0; k < fpb_nr_strategies; k++) {
			const struct fpb_strategy *rv = fpb_strategies[k];
			bool earlier = false;
			struct fsum sum;
			size_t nsc;
			size_t l;

			if (!fpb_strategy_rivals(x, rv))
				continue;
			/* --strategy=swap,copy3: the pair once, in the order named. */
			for (size_t j = 0; j < i; j++)
				earlier |= !strcmp(named[j], rv->name);
			if (earlier)
				continue;
			nsc = pair_table(f, r, x, rv, &sum);
			if (!nsc)
				continue;
			l = (size_t)snprintf(sline[ns], sizeof(sline[ns]), "%s vs %s: ", x->name,
					     rv->name);
			tables += sum.both > 0;
			if (!sum.both) {
				snprintf(sline[ns++] + l, sizeof(sline[0]) - l, "no scenario measured "
					 "for both (%zu skipped or failed)", nsc);
				continue;
			}
#define SUM_ADD(...) do { if (l < sizeof(sline[ns])) \
	l += (size_t)snprintf(sline[ns] + l, sizeof(sline[ns]) - l, __VA_ARGS__); } while (0)
			SUM_ADD("lower in %u of %zu scenario%s", sum.n[FPB_VERDICT_LOWER], nsc,
				nsc == 1 ? "" : "s");
			if (sum.lower[0])
				SUM_ADD(" (%s)", sum.lower);
			SUM_ADD(", higher in %u", sum.n[FPB_VERDICT_HIGHER]);
			if (sum.higher[0])
				SUM_ADD(" (%s)", sum.higher);
			SUM_ADD(", indistinguishable in %u", sum.n[FPB_VERDICT_INDISTINGUISHABLE]);
			if (sum.n[FPB_VERDICT_INCONCLUSIVE])
				SUM_ADD(", inconclusive (disturbed) in %u",
					sum.n[FPB_VERDICT_INCONCLUSIVE]);
			if (sum.n[FPB_VERDICT_NOT_COMPARED])
				SUM_ADD(", not compared in %u", sum.n[FPB_VERDICT_NOT_COMPARED]);
			if (sum.lo <= sum.hi)
				SUM_ADD("; significant changes %+.1f%% to %+.1f%%", sum.lo * 100,
					sum.hi * 100);
#undef SUM_ADD
			ns++;
		}
	}
	if (tables) {
		double level = 0.95;

		for (size_t i = 0; i < r->nrows; i++)
			if (!strcmp(r->rows[i].suite, "strategies") && r->rows[i].st.ci_level > 0)
				level = fmin(level, r->rows[i].st.ci_level);
		fprintf(f, "\nchange = named / rival - 1 per event; interval from both medians' "
			"%.0f%% intervals (at least %.0f%% together); verdict by the one rule: lower "
			"or higher only when the interval excludes zero and the change is at least "
			"%.0f%%; per event: the primitive counts of the model that differ (exact, "
			"whatever the noise)\n", level * 100, 100 - 2 * (1 - level) * 100,
			FPB_VERDICT_RIVAL_FLOOR * 100);
	}
	if (ns)
		fputc('\n', f);
	for (size_t i = 0; i < ns; i++)
		fprintf(f, "%s\n", sline[i]);
	free(sline);
	return 0;
}
