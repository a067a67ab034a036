// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * insitu-model.c - model vs reality: beside each in-situ difference, the strategy model's
 * prediction of the same difference on the same machine, and their ratio.
 *
 * Like is compared with like: a dirty-minus-clean difference measured in situ against a
 * dirty-minus-clean prediction (the strategy's per-event cost under the dirty scenario minus
 * under the clean one), never against a whole save and restore.  A ratio outside
 * [FPB_INSITU_RATIO_LO, FPB_INSITU_RATIO_HI] is a finding: a note on both rows and the metric
 * "finding" = 1.  The prediction comes from the strategies suite through fpb_strategies_predict()
 * (a weak symbol until it exists); without it the model rows say why they are skipped.
 */
#include "config.h"
#include "insitu.h"
#include "strategy.h"

const struct fpb_insitu_figure fpb_insitu_figures[] = {
	/* The kernel's policy at a switch: deferred restore with eager PKRU, as Linux does. */
	{ "context-switch", "dirty-minus-clean", FPB_DEFAULT_TASK_POLICY,
	  "pingpong-dirty", "pingpong-clean" },
	{ "signal", "dirty-minus-clean", FPB_DEFAULT_TASK_POLICY,
	  "signal", "signal-clean" },
	/* KVM since 5.19 swaps the fpstate pointer at KVM_RUN. */
	{ "kvm-exit-user", "guest-dirty-minus-clean", "swap",
	  "kvm-exit-to-user", "kvm-exit-to-user-clean" },
	{ "kvm-exit-kernel", "guest-dirty-minus-clean", "swap",
	  "kvm-run-100", "kvm-run-100-clean" },
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

/* One model row beside the in-situ row at index at. */
static int model_one(struct fpb_insitu *in, const struct fpb_insitu_figure *f, long at,
		     double budget_s)
{
	char why[FPB_REASON_LEN] = "", per[16];
	const char *slash = strchr(in->r->rows[at].unit, '/');
	struct fpb_row *row, *real;
	double ratio;
	long i;

	snprintf(per, sizeof(per), "%s", slash ? slash + 1 : "event");
	i = fpb_insitu_row(in, f->name, "model", per);
	if (i < 0)
		return -ENOMEM;
	row = &in->r->rows[i];
	snprintf(row->backend, sizeof(row->backend), "%s", in->s->backend.ops ?
		 in->s->backend.ops->name : "");
	if (!fpb_strategies_predict) {
		fpb_row_skip(row, "strategy model not available");
		return 0;
	}
	if (fpb_strategies_predict(in->s, f->strategy, f->model_a, f->model_b, budget_s, row,
				   why, sizeof(why))) {
		fpb_row_skip(row, "strategy model: %s", why[0] ? why : "no prediction");
		return 0;
	}
	/* The prediction may have added rows: take pointers again. */
	row = &in->r->rows[i];
	real = &in->r->rows[at];
	snprintf(row->suite, sizeof(row->suite), "insitu");
	snprintf(row->name, sizeof(row->name), "%s", f->name);
	snprintf(row->scenario, sizeof(row->scenario), "model");
	if (row->status != FPB_ROW_MEASURED)
		return 0;
	fpb_insitu_note(row, "%s: %s minus %s", f->strategy, f->model_a, f->model_b);
	if (!row->st.median || real->status != FPB_ROW_MEASURED)
		return 0;
	ratio = real->st.median / row->st.median;
	fpb_row_add_metric(row, "reality_over_model", "", ratio);
	fpb_row_add_metric(real, "reality_over_model", "", ratio);
	fpb_row_add_metric(real, "model", row->unit, row->st.median);
	if (ratio < FPB_INSITU_RATIO_LO || ratio > FPB_INSITU_RATIO_HI) {
		fpb_row_add_metric(row, "finding", "", 1);
		fpb_row_add_metric(real, "finding", "", 1);
		fpb_insitu_note(row, "finding: reality/model %.2f outside [%.1f, %.1f]", ratio,
				FPB_INSITU_RATIO_LO, FPB_INSITU_RATIO_HI);
		fpb_insitu_note(real, "finding: reality/model %.2f (model %.1f)", ratio,
				row->st.median);
	}
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
