// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * suite-strategies.c - the strategies suite: what an FPU switching strategy costs per event.
 *
 * One row per strategy x scenario.  Each row owns a simulated machine (strategies/machine.h) on
 * the session's backend; a batch of n operations runs n times cycles_per_op cycles of the
 * scenario (at least a few events) between the timer's fenced reads.  Everything but the
 * primitives inside a cycle (a user program or guest writing its registers, kernel code
 * clobbering them, the other simulated CPU's register file being swapped in, and the model's own
 * C in its handlers) is timed the same way by a no-op companion: the same scenario and handlers
 * on a copy of the backend whose primitives do nothing.  The harness subtracts it round by
 * round, so a row is the cost of the strategy's primitives.  The model's own work (no-op
 * companion minus a prep-only one with every handler off) is reported beside it.  RDPKRU and
 * WRPKRU are skipped without OSPKE, as the kernel skips them.  Figures are per scenario
 * event (a switch, a KVM_RUN, ...), with the primitive counts behind them as metrics.  Task
 * policies run over task scenarios and guest policies (on top of --task-policy, default
 * eager-pkru) over vCPU scenarios; the other pairs are "n/a" rows.  With several strategies per
 * scenario the verdict rule (src/report/verdict.h) names a winner only when it is significantly lower
 * than every rival; the others carry their ratio to the lowest and their verdict against it.
 *
 * A backend with run_strategy (kmod) runs the machine where it lives, in ring 0 with its real
 * primitives: a batch is one call of n whole cycles, its companion run_strategy_prep, and the
 * counts are the module's own.
 *
 * Between batches the registers belong to other rows' machines and to fpbench's own C code, so
 * each machine parks its register file after a batch and loads it back before the next, both
 * outside the timed region: a scenario whose tasks are clean starts every batch clean.
 *
 * A row's machines, companions and batches (struct srow) are strategies-srow.h's, shared with
 * the in-situ predictor (strategies-predict.c).
 */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "suite.h"
#include "session.h"
#include "harness.h"
#include "timer.h"
#include "counters.h"
#include "xstate.h"
#include "strategy.h"
#include "scenario.h"
#include "strategies-srow.h"
#include "strategies-a64.h"
#include "strategies-rows.h"
#include "verdict.h"

#define STRATEGIES_DEFAULT_BUDGET_S	8.0	/* its share of the default run (at most 10 s) */
/*
 * Timer units a batch of N should last (unless --batch): about 40 us of TSC, so that the
 * scenario cycles run several times per batch (no batch of a single KVM_RUN) and the TSC's step
 * (26 ticks in KVM guests) is under 0.1% of a batch.
 */
#define STRATEGIES_BATCH_TARGET		100000ull
/* Scenario events in one operation at least (a KVM_RUN with 100 exits fills a batch alone). */
#define STRATEGIES_MIN_EVENTS_PER_OP	4u
#define COUNT_CYCLES			16	/* untimed cycles the primitive counts come from */

/* The default run's short comparison. */
static const char *const default_scenarios[] = {
	"pingpong-dirty", "kthread-interrupt", "kernel-fpu", "kvm-run-10", "kvm-run-need-load",
};

/* Park the register file the machine left (uncounted XSAVE, standard format). */
static int regs_park(struct fpb_machine *m, void *stash)
{
	int r;

	fpb_sim_zero((char *)stash + FPB_XSAVE_HDR_OFFSET, FPB_XSAVE_HDR_SIZE);
	r = m->be->ops->save(m->be, FPB_OP_XSAVE, stash, m->lay.features);
	return r < 0 ? r : 0;
}

/* Load it back before the machine's next batch. */
static int regs_resume(struct fpb_machine *m, const void *stash)
{
	int r = m->be->ops->restore(m->be, FPB_OP_XRSTOR, stash, m->lay.features);

	return r < 0 ? r : 0;
}

static void *stash_new(const struct fpb_machine *m)
{
	return aligned_alloc(64, FPB_ALIGN_UP(m->buf_size, (size_t)64));
}

static int run_cycles(struct fpb_machine *m, const struct srow *sr, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		int r = fpb_machine_run(m, sr->cycle, sr->ncycle, NULL);

		if (r)
			return r;
	}
	return 0;
}

static int timed_cycles(void *machine, const void *row, uint64_t n)
{
	return run_cycles(machine, row, n);
}

int fpb_srow_batch(struct srow *sr, struct fpb_machine *m, void *stash, uint64_t n,
		   struct fpb_sample *out)
{
	int r;

	memset(out, 0, sizeof(*out));
	r = stash ? regs_resume(m, stash) : 0;
	if (r)
		return r;
	r = fpb_strategies_timed(sr->tm, sr->be->counters, timed_cycles, m, sr,
				 n * (sr->cycles_per_op ? sr->cycles_per_op : 1), out);
	if (!r && stash)
		r = regs_park(m, stash);
	return r < 0 ? r : 0;
}

static int full_batch(void *arg, uint64_t n, struct fpb_sample *out)
{
	struct srow *sr = arg;

	return fpb_srow_batch(sr, &sr->m, sr->stash_m, n, out);
}

static int prep_batch(void *arg, uint64_t n, struct fpb_sample *out)
{
	struct srow *sr = arg;

	return fpb_srow_batch(sr, &sr->prep, sr->stash_prep, n, out);
}

static int noop_batch(void *arg, uint64_t n, struct fpb_sample *out)
{
	struct srow *sr = arg;

	return fpb_srow_batch(sr, &sr->noop, sr->stash_noop, n, out);
}

/*
 * Ring 0: n cycles of the scenario inside the backend (the module), the strategy's handlers on or
 * (prep) off; the sample is the backend's timed batch.
 */
static int ring0_batch(struct srow *sr, bool prep, uint64_t n, struct fpb_sample *out)
{
	struct fpb_backend *be = sr->be;
	int (*run)(struct fpb_backend *, const char *, const char *, uint64_t,
		   struct fpb_sample *, uint64_t *, char *, size_t) =
		prep ? be->ops->run_strategy_prep : be->ops->run_strategy;
	char why[FPB_REASON_LEN];
	uint64_t ev = 0, want = n * sr->cycles_per_op * sr->ncycle;

	if (run(be, sr->st->name, sr->sc->name, want, out, &ev, why, sizeof(why)))
		return -EIO;
	return ev == want ? 0 : -EIO;	/* whole cycles only */
}

static int ring0_full_batch(void *arg, uint64_t n, struct fpb_sample *out)
{
	return ring0_batch(arg, false, n, out);
}

static int ring0_prep_batch(void *arg, uint64_t n, struct fpb_sample *out)
{
	return ring0_batch(arg, true, n, out);
}

/* Is name in the list itself (not only through "all")? */
static bool named(const char *const *list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}

/*
 * Without --scenario, the family view runs the scenarios of the named strategies' families
 * (vCPU scenarios for guest policies), not the n/a pairs.
 */
static bool family_scenario(const struct fpb_options *o, const struct fpb_scenario *sc)
{
	for (size_t i = 0; i < o->nstrategies; i++) {
		const struct fpb_strategy *n = fpb_strategy_find(o->strategies[i]);

		if (n && !(n->flags & FPB_STRAT_ARCH_ARM64) && n->family == sc->family)
			return true;
	}
	return false;
}

/* A row for st (guest policies: "guest+task") over an x86 scenario. */
static struct fpb_row *new_row(struct fpb_session *s, struct fpb_result *r,
			       const struct fpb_strategy *st, const struct fpb_strategy *task,
			       const struct fpb_scenario *sc)
{
	char name[sizeof(((struct fpb_row *)0)->name)];
	struct fpb_row *row;

	if (st->family == FPB_FAMILY_GUEST)
		snprintf(name, sizeof(name), "%s+%s", st->name, task->name);
	else
		snprintf(name, sizeof(name), "%s", st->name);
	row = fpb_strategies_new_row(s, r, name, sc->name, "all", s->cpu.xcr0,
				     sc->cfg.clean_state || sc->cfg.guest_clean_state ? "init" :
				     "dirty", sc->cfg.ntasks, sc->event);
	if (row)
		fpb_strategies_row_model_rev(row, st, task);
	return row;
}

int fpb_srow_prepare(struct fpb_session *s, struct srow *sr, const struct fpb_strategy *task,
		     const struct fpb_strategy *guest, struct fpb_row *row)
{
	struct fpb_sim_event pre[FPB_SROW_MAX_CYCLE];
	char why[FPB_REASON_LEN];
	size_t n;

	sr->ncycle = sr->sc->gen(sr->sc, sr->cycle, FPB_SROW_MAX_CYCLE, true);
	n = sr->sc->gen(sr->sc, pre, FPB_SROW_MAX_CYCLE, false);
	if (sr->ncycle > FPB_SROW_MAX_CYCLE || n > FPB_SROW_MAX_CYCLE) {
		fpb_row_skip(row, "scenario longer than %d events", FPB_SROW_MAX_CYCLE);
		return -1;
	}
	if (fpb_machine_init(&sr->m, &s->backend, &s->cpu, task, guest, &sr->sc->cfg, why,
			     sizeof(why))) {
		fpb_row_skip(row, "%s", why);
		return -1;
	}
	if (fpb_machine_init(&sr->prep, &s->backend, &s->cpu, task, guest, &sr->sc->cfg, why,
			     sizeof(why))) {
		fpb_machine_fini(&sr->m);
		fpb_row_skip(row, "%s", why);
		return -1;
	}
	sr->prep.prep_only = true;
	sr->ready = true;
	if (sr->want_noop) {
		sr->noop_be = s->backend;
		sr->noop_be.noop = true;
		if (fpb_machine_init(&sr->noop, &sr->noop_be, &s->cpu, task, guest, &sr->sc->cfg,
				     why, sizeof(why))) {
			fpb_row_skip(row, "%s", why);
			return -1;
		}
		sr->noop_ready = true;
		sr->stash_noop = stash_new(&sr->noop);
		if (!sr->stash_noop) {
			fpb_row_skip(row, "out of memory");
			return -1;
		}
	}
	/* Allocated first: the C library may use vector registers; parking must follow a run. */
	sr->stash_m = stash_new(&sr->m);
	sr->stash_prep = stash_new(&sr->prep);
	if (!sr->stash_m || !sr->stash_prep) {
		fpb_row_skip(row, "out of memory");
		return -1;
	}
	if ((sr->want_noop && (fpb_machine_run(&sr->noop, pre, n, NULL) ||
				run_cycles(&sr->noop, sr, 1) || regs_park(&sr->noop, sr->stash_noop))) ||
	    fpb_machine_run(&sr->prep, pre, n, NULL) || regs_park(&sr->prep, sr->stash_prep) ||
	    fpb_machine_run(&sr->m, pre, n, NULL) || run_cycles(&sr->m, sr, 1) ||
	    regs_park(&sr->m, sr->stash_m)) {
		row->status = FPB_ROW_FAILED;
		snprintf(row->reason, sizeof(row->reason), "%s", sr->m.why[0] ? sr->m.why :
			 sr->prep.why[0] ? sr->prep.why : sr->noop.why[0] ? sr->noop.why :
			 "cannot park the register file");
		return -1;
	}
	return 0;
}

/*
 * Ring 0: the backend runs the strategy where it lives; one untimed cycle (and one of the
 * companion) shows whether it can.  0, or -1 with the row skipped.
 */
static int prepare_ring0(struct fpb_session *s, struct srow *sr, const struct fpb_strategy *task,
			 struct fpb_row *row)
{
	const struct fpb_backend_ops *ops = s->backend.ops;
	char why[FPB_REASON_LEN] = "";
	struct fpb_sample x;
	uint64_t ev;

	if (sr->st->flags & FPB_STRAT_ARCH_ARM64) {
		fpb_row_skip(row, "arm64 policy: backend %s runs x86-64 strategies only", ops->name);
		return -1;
	}
	if (sr->st->family == FPB_FAMILY_GUEST && strcmp(task->name, FPB_DEFAULT_TASK_POLICY)) {
		fpb_row_skip(row, "ring 0 runs guest policies over %s only",
			     FPB_DEFAULT_TASK_POLICY);
		return -1;
	}
	sr->ncycle = sr->sc->gen(sr->sc, sr->cycle, FPB_SROW_MAX_CYCLE, true);
	if (!sr->ncycle || sr->ncycle > FPB_SROW_MAX_CYCLE) {
		fpb_row_skip(row, "scenario longer than %d events", FPB_SROW_MAX_CYCLE);
		return -1;
	}
	if (ops->run_strategy(&s->backend, sr->st->name, sr->sc->name, sr->ncycle, &x, &ev, why,
			      sizeof(why)) ||
	    (ops->run_strategy_prep &&
	     ops->run_strategy_prep(&s->backend, sr->st->name, sr->sc->name, sr->ncycle, &x, &ev,
				    why, sizeof(why)))) {
		fpb_row_skip(row, "%s", why[0] ? why : "the backend cannot run it");
		return -1;
	}
	if (ev != sr->ncycle) {
		fpb_row_skip(row, "the backend ran %llu events of a %zu-event cycle",
			     (unsigned long long)ev, sr->ncycle);
		return -1;
	}
	sr->ring0 = true;
	return 0;
}

void fpb_srow_fini(struct srow *sr)
{
	if (sr->ready) {
		fpb_machine_fini(&sr->m);
		fpb_machine_fini(&sr->prep);
	}
	sr->ready = false;
	if (sr->noop_ready)
		fpb_machine_fini(&sr->noop);
	sr->noop_ready = false;
	free(sr->stash_m);
	free(sr->stash_prep);
	free(sr->stash_noop);
	sr->stash_m = sr->stash_prep = sr->stash_noop = NULL;
	free(sr->prep_row.raw);
	free(sr->noop_row.raw);
	free(sr->model_row.raw);
	sr->prep_row.raw = sr->noop_row.raw = sr->model_row.raw = NULL;
}

/* Scenario events in one operation of the harness. */
static double per_op_events(const struct srow *sr)
{
	return (double)(sr->cycles_per_op ? sr->cycles_per_op : 1) * sr->sc->events_per_cycle;
}

/* Primitive counts per event over COUNT_CYCLES untimed cycles. */
static void add_counts(struct fpb_session *s, struct srow *sr, struct fpb_row *row)
{
	struct fpb_prim_counts a = s->backend.counts, b;
	double ev = (double)COUNT_CYCLES * sr->sc->events_per_cycle;
	char note[FPB_REASON_LEN] = "";

	if (sr->ring0) {
		char why[FPB_REASON_LEN];
		struct fpb_sample x;
		uint64_t n = 0;

		/* The module's own counts over its timed cycles (the companion's are not asked). */
		if (s->backend.ops->run_strategy(&s->backend, sr->st->name, sr->sc->name,
						 COUNT_CYCLES * sr->ncycle, &x, &n, why, sizeof(why)) ||
		    !n)
			return;
		ev = (double)n / (double)sr->ncycle * sr->sc->events_per_cycle;
	} else if (run_cycles(&sr->m, sr, COUNT_CYCLES)) {
		return;
	}
	b = s->backend.counts;
	fpb_strategies_add_prim_counts(row, &a, &b, ev);
	fpb_row_add_metric(row, "xsetbv", "per-event", (b.xsetbv - a.xsetbv) / ev);
	fpb_row_add_metric(row, "xfd_writes", "per-event", (b.xfd_writes - a.xfd_writes) / ev);
	fpb_row_add_metric(row, "xss_writes", "per-event", (b.xss_writes - a.xss_writes) / ev);
	fpb_row_add_metric(row, "pkru_reads", "per-event", (b.pkru_reads - a.pkru_reads) / ev);
	fpb_row_add_metric(row, "pkru_writes", "per-event", (b.pkru_writes - a.pkru_writes) / ev);
	fpb_row_add_metric(row, "standins", "per-event", (b.standins - a.standins) / ev);
	fpb_row_add_metric(row, "counted_only", "per-event", (b.counted_only - a.counted_only) / ev);
	fpb_row_add_metric(row, "skipped", "per-event", (b.skipped - a.skipped) / ev);
	if (b.skipped != a.skipped)
		snprintf(note, sizeof(note), "RDPKRU/WRPKRU skipped: no OSPKE");
	if (b.standins != a.standins) {
		row->flags |= FPB_ROW_STANDIN;
		snprintf(note + strlen(note), sizeof(note) - strlen(note),
			 "%sstand-ins: XSAVES->XSAVEC, XRSTORS->XRSTOR compacted",
			 note[0] ? "; " : "");
	}
	if (b.counted_only != a.counted_only)
		snprintf(note + strlen(note), sizeof(note) - strlen(note),
			 "%scounted, not timed: XSETBV/WRMSR without ring 0", note[0] ? "; " : "");
	if (sr->ring0 && fpb_cpu_has(&s->cpu, FPB_CPU_HYPERVISOR) &&
	    (b.xsetbv != a.xsetbv || b.xfd_writes != a.xfd_writes || b.xss_writes != a.xss_writes)) {
		row->flags |= FPB_ROW_VIRTUALISED;
		snprintf(note + strlen(note), sizeof(note) - strlen(note),
			 "%svirtualised: XSETBV/WRMSR are VM exits under %s", note[0] ? "; " : "",
			 s->cpu.hypervisor[0] ? s->cpu.hypervisor : "a hypervisor");
	}
	if (sr->ring0)
		snprintf(note + strlen(note), sizeof(note) - strlen(note), "%sring 0%s",
			 note[0] ? "; " : "", s->backend.ops->run_strategy_prep ? "" :
			 ", includes the scenario's programs' work");
	snprintf(row->note, sizeof(row->note), "%s", note);
}

/*
 * The model's own work per event: the no-op companion (handlers on, primitives doing nothing)
 * minus the prep-only one (handlers off), paired per round.
 */
static void add_model_overhead(struct srow *sr, struct fpb_row *row)
{
	const struct fpb_row *x = &sr->model_row;

	if (!sr->want_noop || x->status != FPB_ROW_MEASURED || !x->st.n)
		return;
	fpb_row_add_metric(row, "model_overhead", row->unit,
			   x->st.median / per_op_events(sr));
}

/*
 * The buffer sizes the row's machine used: the kernel's FPU configurations for this CPU
 * (strategies/fpstate-config.h), default and max, bytes; the guest's on guest-policy rows.
 */
static void add_sizes(struct fpb_session *s, struct srow *sr, struct fpb_row *row)
{
	struct fpb_fpstate_cfgs f;

	if (sr->ring0)
		fpb_fpstate_cfg_compute(&f, &s->cpu);
	else
		f = sr->m.fcfg;
	fpb_row_add_metric(row, "fpstate_kernel_default", "bytes", f.kernel.default_size);
	fpb_row_add_metric(row, "fpstate_kernel_max", "bytes", f.kernel.max_size);
	fpb_row_add_metric(row, "fpstate_user_default", "bytes", f.user.default_size);
	fpb_row_add_metric(row, "fpstate_user_max", "bytes", f.user.max_size);
	if (sr->sc->family != FPB_FAMILY_GUEST)
		return;
	fpb_row_add_metric(row, "fpstate_guest_default", "bytes", f.guest.default_size);
	fpb_row_add_metric(row, "fpstate_guest_max", "bytes", f.guest.max_size);
}

/* A measured row with a figure above zero: one that can be ranked. */
static bool rankable(const struct fpb_row *x)
{
	return x->status == FPB_ROW_MEASURED && x->st.median > 0;
}

/* Put text first in the row's note (what a reader should see first), keeping what was there. */
static void note_prepend(struct fpb_row *row, const char *text)
{
	char old[FPB_REASON_LEN];
	int keep = (int)sizeof(row->note) - (int)strlen(text) - 3;

	snprintf(old, sizeof(old), "%s", row->note);
	snprintf(row->note, sizeof(row->note), "%s%s%.*s", text, old[0] ? "; " : "",
		 keep > 0 ? keep : 0, old);
}

/*
 * A median at or below zero is noise left by the companion subtraction: keep the figure, flag
 * the row unstable and say so first in its note.
 */
static void flag_noise_floor(struct fpb_row *row)
{
	row->flags |= FPB_ROW_UNSTABLE;
	note_prepend(row, "below the noise floor");
}

/*
 * Rank the rows of each scenario by the verdict rule (src/report/verdict.h): the lowest median is
 * marked fastest only when every other row there is significantly higher; otherwise its note says
 * which rival it cannot be told from.  Every other ranked row gets its ratio to the lowest and
 * its verdict against it.  Rows at or below zero are flagged, never ranked.
 */
static void mark_fastest(struct fpb_result *r, size_t first)
{
	size_t n = r->nrows - first;
	struct fpb_estimate *e = calloc(n ? n : 1, sizeof(*e));
	struct fpb_change *chg = calloc(n ? n : 1, sizeof(*chg));
	size_t *idx = calloc(n ? n : 1, sizeof(*idx));
	bool *done = calloc(n ? n : 1, sizeof(*done));
	char text[FPB_REASON_LEN], v[FPB_REASON_LEN];

	for (size_t i = first; i < r->nrows; i++)
		if (r->rows[i].status == FPB_ROW_MEASURED && !rankable(&r->rows[i]))
			flag_noise_floor(&r->rows[i]);
	if (!e || !chg || !idx || !done)
		goto out;	/* no memory: no winner named, which is never wrong */
	for (size_t i = first; i < r->nrows; i++) {
		const char *scen = r->rows[i].scenario;
		struct fpb_ranking rk;
		size_t k = 0, q;

		if (done[i - first] || !rankable(&r->rows[i]))
			continue;
		for (size_t j = i; j < r->nrows; j++)
			if (!done[j - first] && rankable(&r->rows[j]) &&
			    !strcmp(r->rows[j].scenario, scen)) {
				done[j - first] = true;
				idx[k] = j;
				fpb_verdict_row_estimate(&r->rows[j], &e[k++]);
			}
		fpb_verdict_rank(e, k, FPB_VERDICT_RIVAL_FLOOR, &rk, chg);
		if (rk.lowest < 0)
			continue;
		struct fpb_row *low = &r->rows[idx[rk.lowest]];

		/*
		 * The lowest row's note names its rival and the rival's change against it, short:
		 * "no winner: swap+eager-pkru +1.6% [-4.5%, +6.3%] indistinguishable".
		 */
		q = rk.winner >= 0 ? (size_t)rk.next : (size_t)rk.rival;
		snprintf(text, sizeof(text), "%s: %s %+.1f%% [%+.1f%%, %+.1f%%] %s",
			 rk.winner >= 0 ? "fastest" : "no winner", r->rows[idx[q]].name,
			 chg[q].rel * 100, chg[q].lo * 100, chg[q].hi * 100,
			 fpb_verdict_name(chg[q].verdict));
		if (rk.winner >= 0)
			low->flags |= FPB_ROW_FASTEST;
		note_prepend(low, text);
		for (q = 0; q < k; q++) {
			struct fpb_row *x = &r->rows[idx[q]];

			if ((int)q == rk.lowest)
				continue;
			fpb_row_add_metric(x, "ratio_to_lowest", "", x->st.median / low->st.median);
			fpb_verdict_describe(&chg[q], low->name, FPB_VERDICT_RIVAL_FLOOR, v,
					     sizeof(v));
			note_prepend(x, v);
		}
	}
out:
	free(e);
	free(chg);
	free(idx);
	free(done);
}

/* --task-policy, --strategy and --scenario name known entries?  0, or -EINVAL said on stderr. */
static int validate_names(const struct fpb_options *o, const char *tp)
{
	char why[FPB_REASON_LEN];

	if (fpb_strategy_validate_task_policy(tp, why, sizeof(why))) {
		fprintf(stderr, "fpbench: --task-policy: %s\n", why);
		return -EINVAL;
	}
	for (size_t i = 0; i < o->nstrategies; i++)
		if (fpb_strategy_validate(o->strategies[i], why, sizeof(why))) {
			fprintf(stderr, "fpbench: --strategy: %s\n", why);
			return -EINVAL;
		}
	for (size_t i = 0; i < o->nscenarios; i++)
		if (fpb_scenario_validate(o->scenarios[i], why, sizeof(why))) {
			fprintf(stderr, "fpbench: --scenario: %s\n", why);
			return -EINVAL;
		}
	return 0;
}

/* Does this run ask for scenario sc (by name, by family view, or in the default run's list)? */
static bool scenario_wanted(const struct fpb_options *o, const struct fpb_scenario *sc)
{
	bool want = o->nscenarios ?
		fpb_strategies_selected(o->scenarios, o->nscenarios, sc->name) :
		fpb_strategies_family_view(o) ? family_scenario(o, sc) : !o->default_run;

	for (size_t d = 0; o->default_run && !o->nscenarios &&
	     d < FPB_ARRAY_SIZE(default_scenarios); d++)
		want |= !strcmp(default_scenarios[d], sc->name);
	return want;
}

/* Mark row n/a or skipped when st cannot time sc here; true when it did. */
static bool row_not_timed(struct fpb_session *s, const struct fpb_strategy *st,
			  const struct fpb_scenario *sc, struct fpb_row *row)
{
	char why[FPB_REASON_LEN];

	if (st->flags & FPB_STRAT_ARCH_ARM64) {
		row->status = FPB_ROW_NA;
		snprintf(row->reason, sizeof(row->reason), "arm64 policy, x86 "
			 "scenario (its a64-* scenarios run on aarch64 builds)");
		return true;
	}
	if (sc->family != st->family) {
		row->status = FPB_ROW_NA;
		snprintf(row->reason, sizeof(row->reason), "%s policy, %s scenario",
			 fpb_strategy_family_name(st->family),
			 sc->family == FPB_FAMILY_TASK ? "task" : "vCPU");
		return true;
	}
	if ((sc->flags & FPB_SCN_NEEDS_XFD) && !(st->flags & FPB_STRAT_XFD)) {
		row->status = FPB_ROW_NA;
		snprintf(row->reason, sizeof(row->reason),
			 "%s predates XFD and AMX", st->name);
		return true;
	}
	if (fpb_scenario_supported(sc, &s->cpu, why, sizeof(why))) {
		fpb_row_skip(row, "%s", why);
		return true;
	}
	if (sc->flags & FPB_SCN_ONE_SHOT) {
		fpb_row_skip(row, "one-shot event: exercised by make check, not timed");
		return true;
	}
	if (!(s->backend.ops->flags & FPB_BE_TIMES)) {
		fpb_row_skip(row, "backend %s cannot time", s->backend.ops->name);
		return true;
	}
	return false;
}

/* Fill *sr for row (st over sc) and build its machine; 0 when it is to be measured. */
static int plan_row(struct fpb_session *s, struct fpb_result *r, struct srow *sr,
		    const struct fpb_strategy *st, const struct fpb_strategy *task,
		    const struct fpb_scenario *sc, struct fpb_row *row)
{
	sr->sc = sc;
	sr->tm = s->timer;
	sr->be = &s->backend;
	sr->st = st;
	sr->row = (size_t)(row - r->rows);
	sr->want_noop = !s->backend.ops->run_strategy;
	sr->cycles_per_op = (STRATEGIES_MIN_EVENTS_PER_OP + sc->events_per_cycle - 1) /
			    sc->events_per_cycle;
	if (s->backend.ops->run_strategy)
		return prepare_ring0(s, sr, task, row);
	return fpb_srow_prepare(s, sr, st->family == FPB_FAMILY_TASK ? st : task,
				st->family == FPB_FAMILY_GUEST ? st : NULL, row);
}

/*
 * A row for every wanted strategy over every wanted scenario; the ones that run here get an srow
 * in sr[] (*nsr of them).  0, or -ENOMEM.
 */
static int plan_rows(struct fpb_session *s, const struct fpb_options *o, struct fpb_result *r,
		     const struct fpb_strategy *task, struct srow *sr, size_t *nsr)
{
	for (size_t si = 0; si < fpb_nr_strategies; si++) {
		const struct fpb_strategy *st = fpb_strategies[si];

		if (!fpb_strategies_wanted(o, st))
			continue;
		/* The arm64 policies have their own scenarios (a64-*): not named, they stay out. */
		if ((st->flags & FPB_STRAT_ARCH_ARM64) && !named(o->strategies, o->nstrategies,
								 st->name))
			continue;
		for (size_t ci = 0; ci < fpb_nr_scenarios; ci++) {
			const struct fpb_scenario *sc = fpb_scenarios[ci];
			struct fpb_row *row;

			if (!scenario_wanted(o, sc))
				continue;
			row = new_row(s, r, st, task, sc);
			if (!row)
				return -ENOMEM;
			if (row_not_timed(s, st, sc, row))
				continue;
			if (plan_row(s, r, &sr[*nsr], st, task, sc, row) == 0)
				(*nsr)++;
			else
				fpb_srow_fini(&sr[*nsr]);
		}
	}
	return 0;
}

/*
 * sr's measurables into m[*nm...], pointed at the final rows.  In this process a row subtracts
 * its no-op companion, and a second no-op measurable minus the prep-only companion gives the
 * model's own work, paired per round; in ring 0 a row subtracts the module's prep-only run.
 */
static void add_measurables(struct fpb_session *s, struct fpb_result *r, struct srow *sr,
			    struct fpb_measurable *m, size_t *nm)
{
	bool r0 = sr->ring0, comp = !r0 || s->backend.ops->run_strategy_prep;
	size_t k = 0, first_m = *nm;
	struct fpb_row *scratch[3] = { &sr->prep_row, &sr->noop_row, &sr->model_row };

	for (k = 0; k < 3; k++) {
		scratch[k]->status = FPB_ROW_MEASURED;
		snprintf(scratch[k]->unit, sizeof(scratch[k]->unit), "%s", s->timer->unit);
	}
	m[(*nm)++] = (struct fpb_measurable){ .batch = r0 ? ring0_full_batch : full_batch,
					      .arg = sr, .row = &r->rows[sr->row] };
	if (sr->want_noop) {
		m[*nm] = (struct fpb_measurable){ .batch = noop_batch, .arg = sr,
						  .row = &sr->noop_row };
		m[first_m].minus = &m[(*nm)++];
		m[(*nm)++] = (struct fpb_measurable){ .batch = noop_batch, .arg = sr,
						      .row = &sr->model_row };
	}
	if (comp) {
		m[*nm] = (struct fpb_measurable){ .batch = r0 ? ring0_prep_batch : prep_batch,
						  .arg = sr, .row = &sr->prep_row };
		m[sr->want_noop ? *nm - 1 : first_m].minus = &m[*nm];
		(*nm)++;
	}
	/* --events, in this process only (ring 0 batches run in the module). */
	for (k = first_m; !r0 && s->backend.counters && k < *nm; k++) {
		m[k].nevents = (unsigned)s->backend.counters->nnames;
		m[k].event_names = s->backend.counters->names;
	}
}

/* The measured rows per operation, with their counts, the model's overhead and the sizes. */
static void finish_rows(struct fpb_session *s, struct fpb_result *r, struct srow *sr, size_t nsr)
{
	for (size_t i = 0; i < nsr; i++) {
		struct fpb_row *row = &r->rows[sr[i].row];

		if (row->status == FPB_ROW_MEASURED) {
			fpb_strategies_scale_stats(row, 1.0 / per_op_events(&sr[i]));
			add_counts(s, &sr[i], row);
			add_model_overhead(&sr[i], row);
			add_sizes(s, &sr[i], row);
		}
	}
}

static int strategies_run(struct fpb_session *s, const struct fpb_options *o, struct fpb_result *r)
{
	const char *tp = o->task_policy ? o->task_policy : FPB_DEFAULT_TASK_POLICY;
	const struct fpb_strategy *task = fpb_strategy_find(tp);
	struct fpb_harness_opts h = o->h;
	struct fpb_measurable *m = NULL;
	struct srow *sr = NULL;
	size_t first = r->nrows, nsr = 0, nm = 0;
	int ret = validate_names(o, tp);

	if (ret)
		return ret;
	sr = calloc(fpb_nr_strategies * fpb_nr_scenarios, sizeof(*sr));
	m = calloc(4 * fpb_nr_strategies * fpb_nr_scenarios, sizeof(*m));
	if (!sr || !m) {
		ret = -ENOMEM;
		goto out;
	}
	ret = plan_rows(s, o, r, task, sr, &nsr);
	if (ret)
		goto out;
	/* Rows are final now: point the measurables at them. */
	for (size_t i = 0; i < nsr; i++)
		add_measurables(s, r, &sr[i], m, &nm);
	/* Batches long enough that the timer's step is lost in them (no batch of one event). */
	if (!h.batch && h.batch_target < STRATEGIES_BATCH_TARGET)
		h.batch_target = STRATEGIES_BATCH_TARGET;
	if (o->default_run && h.time_budget_s > STRATEGIES_DEFAULT_BUDGET_S)
		h.time_budget_s = STRATEGIES_DEFAULT_BUDGET_S;
	if (nm)
		(void)fpb_harness_run(&h, m, nm);	/* rows carry their own failures */
	finish_rows(s, r, sr, nsr);
	/* The arm64 guest policies over the arm64 scenarios (skipped rows elsewhere). */
	ret = fpb_strategies_a64_run(s, o, &h, r);
	mark_fastest(r, first);
out:
	for (size_t i = 0; i < nsr; i++)
		fpb_srow_fini(&sr[i]);
	free(m);
	free(sr);
	return ret;
}

const struct fpb_suite fpb_suite_strategies = {
	.version		= FPB_SUITE_VERSION,
	.name			= "strategies",
	.summary		= "FPU context-switch strategies per event",
	.run			= strategies_run,
};
