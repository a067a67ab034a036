/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report.h - `fpbench report`: read saved JSON results and write a comparison report directory
 * (report.md, and SVG/PNG charts drawn by gnuplot when it is present).
 *
 * The parts, one file each: report.c (command line, atomic output directory), report-load.c
 * (inputs, machines, row keys, ordering), report-sig.c (verdicts through src/report/verdict.c),
 * report-matrix.c (strategy x scenario matrix), report-compare.c (run A vs run B),
 * report-series.c (regression series for one machine), report-md.c (Markdown writer),
 * report-plot.c (gnuplot driver and its data files).
 */
#ifndef FPB_REPORT_H
#define FPB_REPORT_H

#include <stdio.h>
#include "result.h"
#include "verdict.h"

#define FPB_REPORT_ALPHA	0.01	/* family-wise significance level of every table */
#define FPB_REPORT_FLOOR	0.03	/* default run-to-run noise floor (--min-change=3) */
#define FPB_REPORT_TEST		"the verdict rule (src/report/verdict.c): the change's conservative interval " \
				"from both figures' two-level intervals (median of trial medians, " \
				"between-trial variation; rows without trials: blocks of their raw " \
				"samples), widened by the spread of other runs of the same machine and " \
				"revision where results/ has 3 or more, must exclude zero"

/* `fpbench report [--output=DIR] FILE...`: 0 ok, 1 runtime failure, 2 bad usage or input. */
int fpb_report_main(int argc, char **argv);

/* One input file. */
struct fpb_rin {
	const char *path;
	struct fpb_result res;
	int machine;		/* index into fpb_rset.fp */
	long rev_order;		/* commits since the tag in `git describe` output, -1 unknown */
};

#define FPB_REPORT_MAX_MACHINES	26	/* machines are lettered A..Z */

struct fpb_rset {
	struct fpb_rin *in;
	size_t n;
	const char *fp[FPB_REPORT_MAX_MACHINES];	/* fingerprints, first appearance order */
	size_t first[FPB_REPORT_MAX_MACHINES];		/* first input of each machine */
	size_t nmach;
};

/*
 * Read every file into set (in the order given).  Returns 0, or -1 with one line naming the
 * file and what is wrong in why (the set is then empty).
 */
int fpb_report_load(struct fpb_rset *set, char *const *files, size_t n, char *why, size_t len);
void fpb_report_free(struct fpb_rset *set);

/* Identity of a row across results: suite/name/scenario/mask/state/buffer/backend. */
void fpb_report_row_key(const struct fpb_row *row, char *buf, size_t len);
/* Find the row with key in r; NULL when absent. */
const struct fpb_row *fpb_report_find_row(const struct fpb_result *r, const char *key);
/* Short human label of a row ("xsave all dirty", "swap @ kvm-run-1"). */
void fpb_report_row_label(const struct fpb_row *row, char *buf, size_t len);
/* Latest input (by timestamp) of machine m; SIZE_MAX when none. */
size_t fpb_report_latest(const struct fpb_rset *set, int m);
/* Bytes of extended state a row moves: legacy 512 + header 64 + components of its mask. */
double fpb_report_state_bytes(const struct fpb_cpu *c, const struct fpb_row *row);

/* How two rows are compared beyond their own intervals (zero: same machine, nothing known). */
struct fpb_rctx {
	double between;		/* relative between-run spread from other runs (0: none known) */
	bool to_ns;		/* TSC rates differ: compare in ns (ns_per_unit of each row) */
	double unc_a, unc_b;	/* then: relative uncertainty of each machine's TSC frequency */
	bool no_unit;		/* no common unit (a TSC rate unknown): not compared */
};

/* One comparison of row b against row a (a is the reference). */
struct fpb_rcmp {
	const struct fpb_row *a, *b;
	bool tested;		/* the verdict rule could compare them */
	double p, p_adj;	/* unused by the verdict rule (NaN); kept for Holm over p-values */
	bool significant;	/* the verdict rule says they differ */
	int verdict;		/* enum fpb_verdict */
	double detectable;	/* smallest change this comparison could detect (relative) */
	double between;		/* between-run term used (relative), 0 none */
	bool no_trials;		/* a row without trials (schema < 3): blocks stood in */
	bool in_ns;		/* compared in ns (machines with different TSC rates) */
	bool no_unit;		/* not compared: no common unit */
	double ea[3], eb[3];	/* the estimates compared: centre, lo, hi (in the unit used) */
	bool dist_a, dist_b;	/* disturbed */
	double rel;		/* median(b) / median(a) - 1; NaN when a's interval reaches 0 */
	double rel_hw;		/* larger side of [rel_lo, rel_hi] around rel (for "+- Y%") */
	bool below_floor;	/* significant, but |rel| under the run-to-run noise floor */
	double rel_lo, rel_hi;	/* conservative interval of rel (see fpb_report_compare_rows) */
	bool model_changed;	/* across results: the strategy's model revision differs */
};

/*
 * Fill c for b against a (p_adj = p until fpb_report_holm runs).  The change's interval
 * [rel_lo, rel_hi] is the range of y / x - 1 over every x in a's interval of the median and every
 * y in b's: it holds whenever both intervals hold (at least 90% for two 95% intervals).
 */
void fpb_report_compare_rows(const struct fpb_row *a, const struct fpb_row *b,
			     struct fpb_rcmp *c);
/* The same with a context: between-run spread, units across machines. */
void fpb_report_compare_rows_ctx(const struct fpb_row *a, const struct fpb_row *b,
				 const struct fpb_rctx *x, struct fpb_rcmp *c);
/*
 * The relative between-run spread of the row with key on machine m at git revision rev, from the
 * inputs other than skip_a and skip_b (the compared ones); 0 with fewer than 3 such runs.
 */
double fpb_report_between(const struct fpb_rset *set, const char *key, size_t skip_a,
			  size_t skip_b);
/* The context for comparing input ia's rows with input ib's (units across machines). */
void fpb_report_ctx(const struct fpb_rset *set, size_t ia, size_t ib, struct fpb_rctx *x);
/* Relative uncertainty of a TSC frequency from its source ("calibrated": 0.2%, ...). */
double fpb_report_tsc_uncertainty(const char *source);
/* Holm step-down over the tested comparisons of c[0..n): sets p_adj and significant. */
void fpb_report_holm(struct fpb_rcmp *c, size_t n, double alpha);
/* Holm-adjusted p-values of p[0..n) into adj (may alias p); untestable entries are NaN. */
void fpb_report_holm_p(const double *p, size_t n, double *adj);
/* "12.3% slower +- 1.1%", "4.0% faster +- 0.9%", "no significant change", "not tested (...)". */
void fpb_report_verdict(const struct fpb_rcmp *c, char *buf, size_t len);
/*
 * Across runs: a significant change smaller than floor (relative, e.g. 0.03) is run-to-run
 * noise, not a change: clear significant and set below_floor.
 */
void fpb_report_floor(struct fpb_rcmp *c, size_t n, double floor);
/* Number of tested comparisons in c[0..n). */
size_t fpb_report_ntested(const struct fpb_rcmp *c, size_t n);

/* Strategy x scenario matrix of one result. */
struct fpb_rmatrix {
	size_t input;			/* index in the set */
	char (*strat)[48];
	size_t nstrat;
	char (*scen)[48];
	size_t nscen;
	const struct fpb_row **cell;	/* [scen * nstrat + strat], NULL: not run */
	/* Per scenario, by the verdict rule (src/report/verdict.h): strategy indices, -1 none. */
	int *lowest;			/* lowest median above zero (when two or more are) */
	int *fastest;			/* the lowest when significantly below every other */
	int *rival;			/* no winner: the strategy the lowest cannot be told from */
	struct fpb_change *chg;		/* per cell: against the scenario's lowest */
	/*
	 * Per cell: the report's row comparison against the scenario's lowest (tested cells,
	 * for machine-readable output); the verdicts shown come from chg.
	 */
	struct fpb_rcmp *cmp;
	size_t ncmp;			/* comparisons made (measured cells but the lowest) */
};

/* Whether scenario sc / strategy st has at least one measured cell (shown in table and chart). */
bool fpb_report_matrix_scen_shown(const struct fpb_rmatrix *m, size_t sc);
bool fpb_report_matrix_strat_shown(const struct fpb_rmatrix *m, size_t st);
/* Build the matrix of input i; 0 (m->nscen == 0 when it has no strategy rows) or -ENOMEM. */
int fpb_report_matrix_build(const struct fpb_rset *set, size_t i, struct fpb_rmatrix *m);
void fpb_report_matrix_free(struct fpb_rmatrix *m);

/* Run comparison: every row present in both a and b. */
struct fpb_rrun {
	size_t ia, ib;			/* inputs */
	struct fpb_rcmp *cmp;
	size_t ncmp;
	bool per_byte;			/* the machines' XSAVE sizes differ */
	double *bytes_a, *bytes_b;	/* state bytes per comparison (per_byte) */
	size_t only_a, only_b;		/* rows in one run only */
	const struct fpb_row **out_a, **out_b;	/* rows in both runs, measured in neither */
	size_t nout;
};

/*
 * A row's effective model revision into buf: its model_revision, or for a strategies row from
 * before schema 3 revision 1 of each strategy its name composes ("1", "1+1"); "" otherwise.
 */
void fpb_report_model_rev(const struct fpb_row *row, char *buf, size_t len);
/*
 * Across results: when c's two rows were counted with different model revisions, no verdict
 * applies (the model changed, not the machine): set model_changed and take c out of the test.
 */
void fpb_report_mark_model_change(struct fpb_rcmp *c);

/* Whether comparison c has a percent change to chart (both measured, rel defined). */
bool fpb_report_run_charted(const struct fpb_rcmp *c);

int fpb_report_run_build(const struct fpb_rset *set, size_t ia, size_t ib, struct fpb_rrun *rr);
void fpb_report_run_free(struct fpb_rrun *rr);

/* Regression series of one machine. */
struct fpb_rline {
	char key[256];
	char label[96];
	const struct fpb_row **pt;	/* per point, NULL: absent or not measured */
	struct fpb_rcmp *step;		/* step[k]: point k against the previous present point */
	bool *has_step;
};

struct fpb_rseries {
	int machine;
	size_t *pt;			/* input indexes in order */
	size_t npt;
	size_t *left_out;		/* inputs from other machines */
	size_t nleft;
	struct fpb_rline *line;
	size_t nline;
	size_t nsteps;			/* comparisons (for the Holm statement) */
	bool by_revision;
};

/* by_revision: order by git revision (describe count), else by timestamp. */
int fpb_report_series_build(const struct fpb_rset *set, int machine, bool by_revision,
			    struct fpb_rseries *s);
void fpb_report_series_free(struct fpb_rseries *s);

/* Everything the writers need. */
struct fpb_report {
	struct fpb_rset set;
	struct fpb_rmatrix *mx;		/* one per machine (its latest result with strategies) */
	size_t nmx;
	struct fpb_rrun *runs;
	size_t nruns;
	struct fpb_rseries series;	/* npt < 2: none */
	bool have_series;
	double floor;			/* --min-change, relative */
	/* charts, filled by the plot driver: "" when not drawn */
	char chart_note[256];		/* why charts are missing, "" when drawn */
	char (*charts)[64];		/* base names drawn (".svg"/".png" appended) */
	size_t ncharts;
};

/* report.json (docs/report-schema.json) into f.  Returns 0, or -1 on a stream error. */
int fpb_report_write_json(FILE *f, const struct fpb_report *rep);
/* Significant run-to-run changes (runs and series) larger than pct percent: the CI gate. */
size_t fpb_report_changes_beyond(const struct fpb_report *rep, double pct);

/* Markdown of the whole report into f.  Returns 0, or -1 on a stream error. */
int fpb_report_write_md(FILE *f, const struct fpb_report *rep);

/*
 * Write the chart data files and draw the charts into dir (when gnuplot runs).  Sets
 * rep->charts/chart_note.  Returns 0; -1 only on a failure to write the data files.
 */
int fpb_report_plot(struct fpb_report *rep, const char *dir, char *why, size_t len);
/* Has Ctrl-C, SIGTERM or SIGHUP arrived while the report is being built?  (src/report/report.c) */
bool fpb_report_interrupted(void);

/*
 * Whether a file name is one the report writes (report.md; matrix-K, compare-K and series with
 * .dat, .svg or .png): the only files of the output directory it replaces or removes.
 */
bool fpb_report_own_file(const char *name);

/* Chart base names (must match what fpb_report_plot draws). */
void fpb_report_chart_name(char *buf, size_t len, const char *kind, size_t idx);

#endif /* FPB_REPORT_H */
