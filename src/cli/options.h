/* SPDX-License-Identifier: GPL-2.0-or-later */
/* options.h - the parsed command line of `fpbench run`. */
#ifndef FPB_OPTIONS_H
#define FPB_OPTIONS_H

#include "fpb_env.h"
#include "kernel.h"
#include "harness.h"

#define FPB_MAX_LIST	64

#include "suites.def"

/* A suite's index in src/suites/suites.def, and its bit in fpb_options.suites. */
#define FPB_X_SUITE_INDEX(id) FPB_SUITE_INDEX_##id,
enum fpb_suite_index { FPB_SUITES(FPB_X_SUITE_INDEX) FPB_NR_SUITE_INDEXES };
#undef FPB_X_SUITE_INDEX
#define FPB_SUITE_BIT(id)	(1u << FPB_SUITE_INDEX_##id)
_Static_assert(FPB_NR_SUITE_INDEXES <= 32, "a suite's bit must fit in fpb_options.suites");

struct fpb_options {
	unsigned suites;			/* bit i: fpb_suites[i] */
	bool default_run;			/* no selection given: the front page */
	const char *kernels[FPB_MAX_LIST];	/* --kernel=a,b; none: all */
	size_t nkernels;
	const char *masks[FPB_MAX_LIST];	/* --mask=all,sse (names or hex) */
	size_t nmasks;
	enum fpb_state states[FPB_NR_STATES];	/* --state= */
	size_t nstates;
	struct fpb_buffer_spec buffers[8];	/* --buffer= */
	size_t nbuffers;
	int cpu;				/* --cpu, -1 default */
	const char *backend;			/* --backend, "user" default, "auto" */
	const char *strategies[FPB_MAX_LIST];	/* --strategy= */
	size_t nstrategies;
	const char *scenarios[FPB_MAX_LIST];	/* --scenario= */
	size_t nscenarios;
	const char *task_policy;		/* --task-policy= */
	const char *counters;			/* --counters=none|pfm|papi */
	const char *events[FPB_MAX_LIST];	/* --events= */
	size_t nevents;
	const char *timer;			/* --timer=tsc|cycles|clock */
	unsigned formats;			/* bit i: fpb_writers[i] */
	const char *output;			/* --output=FILE */
	bool save;				/* --save */
	const char *results_dir;		/* --results-dir, default "results" */
	bool quiet, list, list_events;
	unsigned vl;				/* arm64 --vl, 0: all */
	double wait_quiet_s;			/* --wait-quiet=S, 0: do not wait */
	struct fpb_harness_opts h;
	char *arena;				/* storage the lists point into */
};

/*
 * Parse argv (after the subcommand).  Returns 0 to run, 1 when --help/--version/--list was
 * handled and printed, 2 on bad usage (one line already printed to stderr naming the flag).
 */
int fpb_options_parse(struct fpb_options *o, int argc, char **argv);
void fpb_options_free(struct fpb_options *o);

#endif /* FPB_OPTIONS_H */
