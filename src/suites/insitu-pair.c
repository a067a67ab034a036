// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * insitu-pair.c - paired conditions in one interleaved harness call.
 *
 * Noise on these machines comes in bursts of seconds, so clean and dirty are never timed one
 * after the other: every round of the harness runs an N/2N pair of each condition.  A difference
 * row is a harness row whose base (fpb_measurable.minus) is one condition and whose batches are
 * the other condition's batches of the same round, replayed: the harness then keeps, per round,
 * dirty minus clean from the same round, with its own drop rules (migration, XINUSE mismatch,
 * interrupted batch) applied to both.  When the condition row has already finished (its interval
 * was tight) the difference row runs the batches itself.
 */
#include "config.h"
#include "insitu.h"

struct slot {
	uint64_t n, seq;
	struct fpb_sample s;
};

struct pent {
	struct prun *pr;
	size_t i;
	struct slot slot[2];		/* the last batches of the two sizes of an N/2N pair */
	uint64_t used[2];		/* difference rows: seq of the slot last replayed */
};

struct prun {
	fpb_insitu_batch_fn fn;
	void *arg;
	struct fpb_insitu_pair *p;
	struct pent *e;
	uint64_t seq;
};

static int cond_batch(void *arg, uint64_t n, struct fpb_sample *out)
{
	struct pent *e = arg;
	struct prun *pr = e->pr;
	int ret = pr->fn(pr->arg, pr->p[e->i].cond, n, out);
	struct slot *s;

	if (ret < 0)
		return ret;
	if (e->slot[0].n == n)
		s = &e->slot[0];
	else if (e->slot[1].n == n)
		s = &e->slot[1];
	else	/* a new size: replace the older slot */
		s = e->slot[0].seq <= e->slot[1].seq ? &e->slot[0] : &e->slot[1];
	s->n = n;
	s->seq = ++pr->seq;
	s->s = *out;
	return 0;
}

static int diff_batch(void *arg, uint64_t n, struct fpb_sample *out)
{
	struct pent *e = arg;
	struct prun *pr = e->pr;
	struct pent *of = &pr->e[pr->p[e->i].of];

	for (int k = 0; k < 2; k++) {
		if (of->slot[k].n == n && of->slot[k].seq > e->used[k]) {
			e->used[k] = of->slot[k].seq;
			*out = of->slot[k].s;
			return 0;
		}
	}
	return pr->fn(pr->arg, pr->p[of->i].cond, n, out);
}

/* N such that a batch of the first condition lasts about target units. */
static uint64_t choose_n(struct prun *pr, int cond, uint64_t target)
{
	uint64_t n = 1, t = 0;
	struct fpb_sample s;

	for (;;) {
		t = UINT64_MAX;
		for (int i = 0; i < 3; i++) {
			memset(&s, 0, sizeof(s));
			if (pr->fn(pr->arg, cond, n, &s) < 0)
				return 1;
			if (s.t < t)
				t = s.t;
		}
		if (t >= target / 4 || n >= (1u << 20))
			break;
		n *= 2;
	}
	if (t && t < UINT64_MAX)
		n = (uint64_t)((double)n * (double)target / (double)t);
	return n < 1 ? 1 : n;
}

int fpb_insitu_run_pairs(struct fpb_insitu *in, fpb_insitu_batch_fn fn, void *arg,
			 struct fpb_insitu_pair *p, size_t np, double budget_s,
			 uint64_t batch_target)
{
	struct fpb_harness_opts h = in->h;
	struct fpb_measurable *m;
	struct prun pr;
	int first = -1, ret = 0;

	memset(&pr, 0, sizeof(pr));
	pr.fn = fn;
	pr.arg = arg;
	pr.p = p;
	m = calloc(np, sizeof(*m));
	pr.e = calloc(np, sizeof(*pr.e));
	if (!m || !pr.e) {
		free(m);
		free(pr.e);
		return -ENOMEM;
	}
	/* A difference needs both its conditions measured. */
	for (size_t i = 0; i < np; i++) {
		struct fpb_row *row;

		if (p[i].row < 0 || p[i].of < 0)
			continue;
		row = &in->r->rows[p[i].row];
		if (row->status != FPB_ROW_MEASURED)
			continue;
		for (int k = 0; k < 2; k++) {
			int c = k ? p[i].minus : p[i].of;
			const struct fpb_row *cr = c >= 0 && (size_t)c < i && p[c].row >= 0 ?
				&in->r->rows[p[c].row] : NULL;

			if (!cr || p[c].of >= 0) {
				row->status = FPB_ROW_FAILED;
				snprintf(row->reason, sizeof(row->reason),
					 "internal: difference row without its condition rows");
				break;
			}
			if (cr->status != FPB_ROW_MEASURED) {
				fpb_row_skip(row, "needs %s: %s", cr->scenario, cr->reason);
				break;
			}
		}
	}
	for (size_t i = 0; i < np; i++) {
		pr.e[i].pr = &pr;
		pr.e[i].i = i;
		m[i].arg = &pr.e[i];
		m[i].row = p[i].row >= 0 ? &in->r->rows[p[i].row] : NULL;
		if (p[i].of >= 0) {
			m[i].batch = diff_batch;
			m[i].minus = &m[p[i].minus];
			m[i].after = &m[p[i].of];	/* it replays that row's batches */
			m[i].difference = true;
		} else {
			m[i].batch = cond_batch;
			if (first < 0 && m[i].row && m[i].row->status == FPB_ROW_MEASURED)
				first = (int)i;
		}
	}
	if (first < 0)
		goto out;

	h.time_budget_s = budget_s;
	h.progress = false;
	if (!h.batch_target || h.batch_target < batch_target)
		h.batch_target = batch_target;
	if (!h.batch)
		h.batch = choose_n(&pr, p[first].cond, h.batch_target);
	ret = fpb_harness_run(&h, m, np);
	if (ret == -ENOMEM)
		goto out;
	ret = 0;

	for (size_t i = 0; i < np; i++) {
		struct fpb_row *row, *base;
		char name[40];

		if (p[i].of < 0 || p[i].row < 0)
			continue;
		row = &in->r->rows[p[i].row];
		base = &in->r->rows[p[p[i].minus].row];
		if (row->status != FPB_ROW_MEASURED)
			continue;
		fpb_insitu_note(row, "%s minus %s of the same round, %zu rounds",
				in->r->rows[p[p[i].of].row].scenario, base->scenario, row->batches);
		if (base->status == FPB_ROW_MEASURED && base->st.median) {
			snprintf(name, sizeof(name), "relative_to_%.24s", base->scenario);
			fpb_row_add_metric(row, name, "", row->st.median / base->st.median);
		}
	}
out:
	free(m);
	free(pr.e);
	return ret;
}
