/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * strategies-srow.h - one strategy over one x86 scenario on the simulated machine
 * (strategies/machine.h), with its prep-only and no-op companions and the timed batches that
 * run them: the piece the strategies suite's rows (src/suites/suite-strategies.c) and the
 * in-situ predictor (strategies-predict.c) both time.  Internal to the suite layer.
 */
#ifndef FPB_STRATEGIES_SROW_H
#define FPB_STRATEGIES_SROW_H

#include "fpb_env.h"
#include "session.h"
#include "harness.h"
#include "result.h"
#include "machine.h"
#include "scenario.h"

/* Events in one scenario cycle (and in its prefix) at the most. */
#define FPB_SROW_MAX_CYCLE	512

struct srow {
	struct fpb_machine m, prep;
	const struct fpb_scenario *sc;
	struct fpb_sim_event cycle[FPB_SROW_MAX_CYCLE];
	size_t ncycle;
	struct fpb_timer *tm;
	struct fpb_backend *be;
	const struct fpb_strategy *st;	/* the row's strategy (ring 0: run by name) */
	bool ring0;			/* run inside the backend (run_strategy), not here */
	size_t row;			/* index into the result */
	struct fpb_row prep_row;	/* scratch row of the companion */
	void *stash_m, *stash_prep;	/* each machine's register file between batches */
	bool ready;
	/*
	 * Scenario cycles in one of the harness's operations (0: 1): at least
	 * STRATEGIES_MIN_EVENTS_PER_OP events, so that even a batch of N = 1 holds several events.
	 */
	unsigned cycles_per_op;
	/*
	 * The no-op companion (in this process only): the same scenario and handlers on a copy of
	 * the session's backend whose primitives do nothing.  The row subtracts it, so what is
	 * left is the primitives' cost; it minus the prep-only companion is the model's own.
	 */
	bool want_noop;
	struct fpb_backend noop_be;
	struct fpb_machine noop;
	struct fpb_row noop_row;	/* scratch row of the no-op companion the row subtracts */
	struct fpb_row model_row;	/* no-op minus prep-only, paired per round */
	void *stash_noop;
	bool noop_ready;
};

/*
 * Set up the row's machines (the full one, the prep-only companion, the no-op one with
 * sr->want_noop) for sr->sc on the session's backend, run the prefix and one untimed cycle and
 * park each register file.  task and guest as fpb_machine_init.  0, or -1 with row marked.
 */
int fpb_srow_prepare(struct fpb_session *s, struct srow *sr, const struct fpb_strategy *task,
		     const struct fpb_strategy *guest, struct fpb_row *row);

/*
 * One timed batch of n operations (n times cycles_per_op cycles) on machine m, one of sr's,
 * its register file loaded from stash before and parked there after, both untimed.  0/-errno.
 */
int fpb_srow_batch(struct srow *sr, struct fpb_machine *m, void *stash, uint64_t n,
		   struct fpb_sample *out);

/* Free what fpb_srow_prepare set up (also after it failed). */
void fpb_srow_fini(struct srow *sr);

#endif /* FPB_STRATEGIES_SROW_H */
