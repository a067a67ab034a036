// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * insitu-model.c - model vs reality: beside each in-situ difference, the strategy model's
 * prediction of the same difference on the same machine, and their ratio.
 *
 * Like is compared with like: a dirty-minus-clean difference measured in situ against a
 * dirty-minus-clean prediction (the strategy's per-event cost under the dirty scenario minus
 * under the clean one, paired per round), never against a whole save and restore.  Each model
 * row carries one verdict metric: "reality_over_model" (the ratio; outside
 * [FPB_INSITU_RATIO_LO, FPB_INSITU_RATIO_HI] a finding: notes on both rows, "finding" = 1);
 * "model_below_noise" (the prediction's interval includes zero, or it is no larger than the
 * drift between time blocks: "prediction below the noise floor", no ratio);
 * "reality_below_noise" (the in-situ difference is within noise and the prediction inside
 * that range: no ratio); or "reality_over_model_max" (noisy reality below a positive
 * prediction: an upper bound, a finding when below FPB_INSITU_RATIO_LO).
 */
#include "config.h"
#include <stdlib.h>
#include "insitu.h"
#include "stats.h"
#include "strategy.h"

const struct fpb_insitu_figure fpb_insitu_figures[] = {
	/* The kernel's policy at a switch: deferred restore with eager PKRU, as Linux does. */
	{ "context-switch", "dirty-minus-clean", FPB_DEFAULT_TASK_POLICY,
	  "pingpong-dirty", "pingpong-clean", 1 },
	{ "signal", "dirty-minus-clean", FPB_DEFAULT_TASK_POLICY,
	  "signal", "signal-clean", 1 },
	/* KVM since 5.19 swaps the fpstate pointer at KVM_RUN; one KVM_RUN is one exit. */
	{ "kvm-exit-user", "guest-dirty-minus-clean", "swap",
	  "kvm-exit-to-user", "kvm-exit-to-user-clean", 1 },
	/* In-kernel exits: per exit, one KVM_RUN of 100 exits over 100. */
	{ "kvm-exit-kernel", "guest-dirty-minus-clean", "swap",
	  "kvm-run-100", "kvm-run-100-clean", 100 },
};

const size_t fpb_nr_insitu_figures = FPB_ARRAY_SIZE(fpb_insitu_figures);

static long find_row(const struct fpb_result *r, const char *name, const char *scenario)
{
	for (size_t i = 0; i < r->nrows; i++)
		if (!strcmp(r->rows[i].suite, "insitu") && !strcmp(r->rows[i].name, name) &&
		    !strcmp(r->rows[i].scenario, scenario))
			return (long)i;
	return -1;
}

#define NOISE_BLOCKS	5	/* time blocks whose medians measure drift */

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * How far the median of a fifth of the rounds (in time order) strays from the whole median at
 * worst: the noise that drift adds and a confidence interval does not show.  0 when too few.
 */
static double block_spread(const struct fpb_row *row)
{
	size_t n = row->nraw, len = n / NOISE_BLOCKS;
	double worst = 0, *t;

	if (!row->raw || len < 8)
		return 0;
	t = malloc(len * sizeof(*t));
	if (!t)
		return 0;
	for (size_t b = 0; b < NOISE_BLOCKS; b++) {
		double d;

		memcpy(t, row->raw + b * len, len * sizeof(*t));
		qsort(t, len, sizeof(*t), cmp_d);
		d = fpb_stats_median_sorted(t, len) - row->st.median;
		if (d < 0)
			d = -d;
		if (d > worst)
			worst = d;
	}
	free(t);
	return worst;
}

/*
 * Is a difference within noise of zero?  Its interval includes zero, or it is no larger than
 * the drift between time blocks (*drift).  Rows without stats (nothing to judge by): no.
 */
static bool within_noise(const struct fpb_row *row, double *drift)
{
	const struct fpb_stats *st = &row->st;

	*drift = 0;
	if (!st->n)
		return false;
	if (st->ci_lo <= 0 && st->ci_hi >= 0)
		return true;
	*drift = block_spread(row);
	return (st->median < 0 ? -st->median : st->median) <= *drift;
}

/* Record a finding on both rows; false (and a note) under emulation, where none is one. */
static bool finding(struct fpb_row *row, struct fpb_row *real)
{
	if ((row->flags | real->flags) & FPB_ROW_FUNCTIONAL_ONLY) {
		fpb_insitu_note(row, "emulated: not a finding");
		return false;
	}
	fpb_row_add_metric(row, "finding", "", 1);
	fpb_row_add_metric(real, "finding", "", 1);
	return true;
}

/* The in-situ difference cannot be told from zero: where does the prediction lie? */
static void compare_noisy_real(struct fpb_row *row, struct fpb_row *real, double drift)
{
	const struct fpb_stats *ms = &row->st, *rs = &real->st;
	double lo = rs->ci_lo < rs->median - drift ? rs->ci_lo : rs->median - drift;
	double hi = rs->ci_hi > rs->median + drift ? rs->ci_hi : rs->median + drift;
	double ratio;

	if (ms->median >= lo && ms->median <= hi) {
		fpb_row_add_metric(row, "reality_below_noise", "", 1);
		fpb_insitu_note(row, "in-situ within noise of 0, model inside [%.1f, %.1f]: no "
				"ratio", lo, hi);
		fpb_insitu_note(real, "model %.1f: inside this range, no ratio", ms->median);
		return;
	}
	if (ms->median < 0) {
		fpb_row_add_metric(row, "reality_below_noise", "", 1);
		fpb_insitu_note(row, "in-situ within noise of 0 ([%.1f, %.1f]): no ratio", lo,
				hi);
		fpb_insitu_note(real, "model %.1f: no ratio", ms->median);
		return;
	}
	/* A positive prediction above the range: reality is at most hi of it. */
	ratio = hi / ms->median;
	fpb_row_add_metric(row, "reality_over_model_max", "", ratio);
	fpb_row_add_metric(real, "reality_over_model_max", "", ratio);
	fpb_insitu_note(row, "in-situ within noise of 0: no ratio, at most %.2f", ratio);
	fpb_insitu_note(real, "model %.1f: no ratio, at most %.2f", ms->median, ratio);
	if (ratio < FPB_INSITU_RATIO_LO && finding(row, real)) {
		fpb_insitu_note(row, "finding: below %.1f", FPB_INSITU_RATIO_LO);
		fpb_insitu_note(real, "finding");
	}
}

/* Set the ratio metrics and notes of a measured prediction beside a measured difference. */
static void compare(struct fpb_row *row, struct fpb_row *real)
{
	const struct fpb_stats *ms = &row->st, *rs = &real->st;
	double ratio, drift, rlo, rhi;

	fpb_row_add_metric(real, "model", row->unit, ms->median);
	if (within_noise(row, &drift) || !ms->median) {
		fpb_row_add_metric(row, "model_below_noise", "", 1);
		fpb_row_add_metric(real, "model_below_noise", "", 1);
		if (drift > 0)
			fpb_insitu_note(row, "prediction below the noise floor (drift %.1f): no "
					"ratio", drift);
		else
			fpb_insitu_note(row, "prediction below the noise floor (CI [%.1f, %.1f]): "
					"no ratio", ms->ci_lo, ms->ci_hi);
		fpb_insitu_note(real, "model %.1f: below its noise floor, no ratio", ms->median);
		return;
	}
	if (ms->median < 0) {
		fpb_row_add_metric(row, "model_negative", "", 1);
		fpb_insitu_note(row, "negative: dirty cheaper than clean");
	}
	if (within_noise(real, &drift)) {
		compare_noisy_real(row, real, drift);
		return;
	}
	ratio = rs->median / ms->median;
	fpb_row_add_metric(row, "reality_over_model", "", ratio);
	fpb_row_add_metric(real, "reality_over_model", "", ratio);
	/* The ratio over reality's interval (ends swap under a negative prediction). */
	rlo = rs->ci_lo / ms->median;
	rhi = rs->ci_hi / ms->median;
	if (rlo > rhi) {
		double t = rlo;

		rlo = rhi;
		rhi = t;
	}
	if (rs->n) {
		fpb_row_add_metric(row, "reality_over_model_lo", "", rlo);
		fpb_row_add_metric(row, "reality_over_model_hi", "", rhi);
	}
	if ((ratio < FPB_INSITU_RATIO_LO || ratio > FPB_INSITU_RATIO_HI) && finding(row, real)) {
		fpb_insitu_note(row, "finding: reality/model %.2f outside [%.1f, %.1f]%s", ratio,
				FPB_INSITU_RATIO_LO, FPB_INSITU_RATIO_HI,
				ratio < 0 ? ", opposite signs" : "");
		fpb_insitu_note(real, "model %.1f: finding: reality/model %.2f", ms->median, ratio);
	} else {
		fpb_insitu_note(row, "reality/model %.2f", ratio);
		fpb_insitu_note(real, "model %.1f: reality/model %.2f", ms->median, ratio);
	}
	if (rs->n)
		fpb_insitu_note(row, "%.2f..%.2f over reality's CI", rlo, rhi);
}

/* One model row beside the in-situ row at index at. */
static int model_one(struct fpb_insitu *in, const struct fpb_insitu_figure *f, long at,
		     double budget_s)
{
	char why[FPB_REASON_LEN] = "", per[16];
	const char *slash = strchr(in->r->rows[at].unit, '/');
	unsigned k = f->model_events > 1 ? f->model_events : 1;
	struct fpb_row *row;
	long i;

	snprintf(per, sizeof(per), "%s", slash ? slash + 1 : "event");
	i = fpb_insitu_row(in, f->name, "model", per);
	if (i < 0)
		return -ENOMEM;
	row = &in->r->rows[i];
	snprintf(row->backend, sizeof(row->backend), "%s", in->s->backend.ops ?
		 in->s->backend.ops->name : "");
	if (fpb_strategies_predict(in->s, f->strategy, f->model_a, f->model_b, budget_s, row,
				   why, sizeof(why))) {
		row = &in->r->rows[i];
		fpb_row_skip(row, "strategy model: %s", why[0] ? why : "no prediction");
		snprintf(row->suite, sizeof(row->suite), "insitu");
		snprintf(row->name, sizeof(row->name), "%s", f->name);
		snprintf(row->scenario, sizeof(row->scenario), "model");
		return 0;
	}
	/* The prediction may have added rows: take pointers again. */
	row = &in->r->rows[i];
	snprintf(row->suite, sizeof(row->suite), "insitu");
	snprintf(row->name, sizeof(row->name), "%s", f->name);
	snprintf(row->scenario, sizeof(row->scenario), "model");
	if (row->status != FPB_ROW_MEASURED)
		return 0;
	/* Per in-situ event, in its unit. */
	if (k > 1)
		fpb_row_scale(row, 1.0 / k);
	snprintf(row->unit, sizeof(row->unit), "%s/%s", in->s->timer->unit, per);
	row->note[0] = '\0';
	fpb_insitu_note(row, "%s: %s minus %s", f->strategy, f->model_a, f->model_b);
	if (k > 1)
		fpb_insitu_note(row, "per %s: a KVM_RUN / %u", per, k);
	compare(row, &in->r->rows[at]);
	return 0;
}

static int model_run(struct fpb_insitu *in, double budget_s)
{
	size_t n = 0;
	long at[8];

	/* Only beside figures measured here (or skipped with a reason: then nothing to compare). */
	for (size_t k = 0; k < fpb_nr_insitu_figures && k < FPB_ARRAY_SIZE(at); k++) {
		at[k] = find_row(in->r, fpb_insitu_figures[k].name, fpb_insitu_figures[k].scenario);
		if (at[k] >= 0 && in->r->rows[at[k]].status == FPB_ROW_MEASURED)
			n++;
	}
	for (size_t k = 0; k < fpb_nr_insitu_figures && k < FPB_ARRAY_SIZE(at); k++) {
		int ret;

		if (at[k] < 0 || in->r->rows[at[k]].status != FPB_ROW_MEASURED)
			continue;
		ret = model_one(in, &fpb_insitu_figures[k], at[k], budget_s / (double)n);
		if (ret)
			return ret;
	}
	return 0;
}

const struct fpb_insitu_measure fpb_insitu_model = {
	.name	= "model",
	.weight	= 1.5,
	.run	= model_run,
};
