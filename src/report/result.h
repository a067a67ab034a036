/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * result.h - what a run produced: the machine, the run's context and one row per measurement.
 * Output writers (src/output-*.c), the JSON reader and the report all work on these structs.
 */
#ifndef FPB_RESULT_H
#define FPB_RESULT_H

#include "fpb_env.h"
#include "stats.h"
#include "cpu.h"

#define FPB_SCHEMA_VERSION	3	/* bump on every change to the JSON layout; document in docs/ */
#define FPB_MAX_RAW_SAMPLES	4096	/* raw per-batch samples kept per row */
#define FPB_MAX_METRICS		24
#define FPB_MAX_TRIALS		16	/* time-spread trials kept per row */

enum fpb_row_status {
	FPB_ROW_MEASURED,
	FPB_ROW_SKIPPED,	/* reason says why; no figures */
	FPB_ROW_FAILED,		/* reason says what broke */
	FPB_ROW_NA,		/* does not apply (e.g. a task policy over a vCPU scenario) */
};

enum {
	FPB_ROW_UNSTABLE	= 1u << 0,	/* CI of the median too wide, or drifted */
	FPB_ROW_DRIFTED		= 1u << 1,
	FPB_ROW_FUNCTIONAL_ONLY	= 1u << 2,	/* emulator speed (qemu TCG / qemu-user) */
	FPB_ROW_VIRTUALISED	= 1u << 3,	/* the operation is a VM exit here */
	FPB_ROW_STANDIN		= 1u << 4,	/* some primitive ran through a stand-in */
	FPB_ROW_FASTEST		= 1u << 5,	/* fastest in its comparison group */
	FPB_ROW_NOISY		= 1u << 6,	/* single samples spread widely (scaled MAD);
						 * the median's interval still holds */
	FPB_ROW_DISTURBED	= 1u << 7,	/* every trial ran on a busy machine: any
						 * comparison with it is inconclusive */
};

/*
 * One trial of a row: a stretch of its N/2N pairs, taken at one moment of the suite's
 * measuring time (the trials of a row are spread over it, interleaved with the other rows).
 * The row's estimate is the median of its used trials' medians.
 */
struct fpb_trial {
	double start_s, end_s;	/* seconds since the row set started measuring */
	size_t first, n;	/* its samples: raw[first .. first + n) */
	double median;		/* of its samples */
	double busy_other;	/* the other CPUs' busy share during the trial, 0..1; NaN unknown */
	double steal;		/* this CPU's steal share (time the host ran something else) */
	long nivcsw;		/* the run's involuntary context switches in it; -1 unknown */
	bool disturbed;		/* the machine was busy: left out when enough quiet trials exist */
	bool used;		/* part of the estimate */
};

/* A named figure attached to a row: primitive counts, counter events, ratios. */
struct fpb_metric {
	char name[40];		/* "saves", "bytes_copied", "cycles", "ratio_to_lowest" */
	char unit[24];		/* "per-event", "bytes/event", "core-cycles/op", "" */
	double value;
};

struct fpb_row {
	char suite[16];		/* "kernels", "strategies", "insitu" */
	char name[48];		/* kernel or strategy name */
	char scenario[48];	/* strategies/insitu: scenario name; "" for kernels */
	char mask_name[32];	/* "all", "sse", "avx", "0x..." */
	uint64_t mask;
	char state[16];		/* "init", "dirty", "unmodified", "" */
	char buffer[24];	/* "same", "rotate:4", "cold", "" */
	char backend[16];
	/*
	 * strategies: the model revisions the row was counted with, "2" for a task policy, "1+2"
	 * for guest+task; "" for other suites and for results older than schema 3 (which predate
	 * every revision bump, so read as revision 1 each).
	 */
	char model_rev[16];
	enum fpb_row_status status;
	char reason[FPB_REASON_LEN];	/* skip/failure reason */
	char note[FPB_REASON_LEN];	/* observations (stand-ins used, XSAVEOPT optimisation) */
	unsigned flags;			/* FPB_ROW_* */
	char unit[24];			/* "tsc-ticks/op", "core-cycles/op", "ns/op", "tsc-ticks/event" */
	struct fpb_stats st;		/* per-operation figures, in unit */
	double ns_per_unit;		/* 0 when unknown (no TSC frequency) */
	uint64_t batch;			/* N of the N/2N pair */
	size_t batches, dropped;	/* batches kept and dropped (migration, XINUSE mismatch) */
	double *raw;			/* per-op samples in time order, at most FPB_MAX_RAW_SAMPLES */
	size_t nraw;
	struct fpb_metric metrics[FPB_MAX_METRICS];
	size_t nmetrics;
	struct fpb_trial trials[FPB_MAX_TRIALS];	/* in time order; none before schema 3 */
	unsigned ntrials;
};

/* The environment of a run, beside struct fpb_cpu. */
struct fpb_runinfo {
	char version[32];
	char git_revision[48];
	char command_line[1024];
	char timestamp[32];		/* UTC, ISO 8601 */
	char clocksource[32];
	char governor[32];		/* "" when unreadable */
	char boost[16];			/* "on", "off", "" */
	char timer[16];			/* timer name */
	char unit[24];			/* the timer's unit */
	int cpu;			/* the pinned CPU */
	int numa_node;			/* -1 none */
	bool smt_sibling_busy;
	long ctx_switches_voluntary, ctx_switches_involuntary, migrations;
	double duration_s;
	char emulation[64];		/* "" native; "qemu-user", "qemu-tcg" */
	uint64_t xsave_sizes[4];	/* standard XCR0, standard max, compacted XCR0|XSS, fxsave */
	char counters[512];		/* "" none; else fpb_counters_describe(): events, skips */
	double tsc_per_core_cycle;	/* measured TSC ticks per core cycle; 0 unknown (no PMU) */
	/* schema 3: how much of the run the machine was busy (every row's trials counted) */
	unsigned trials_total, trials_disturbed;
	double wait_quiet_s;		/* --wait-quiet: seconds waited; -1 not asked */
	bool quiet_at_start;		/* --wait-quiet: the machine was quiet when measuring began */
};

struct fpb_result {
	int schema_version;
	struct fpb_cpu cpu;
	struct fpb_runinfo run;
	struct fpb_row *rows;
	size_t nrows, cap;
};

void fpb_result_init(struct fpb_result *r);
void fpb_result_free(struct fpb_result *r);
/* Append a zeroed row; returns it, or NULL on allocation failure. */
struct fpb_row *fpb_result_add_row(struct fpb_result *r);
/* Add a metric to a row; silently ignores overflow past FPB_MAX_METRICS. */
void fpb_row_add_metric(struct fpb_row *row, const char *name, const char *unit, double value);
/* Mark a row skipped with a printf-style reason. */
void fpb_row_skip(struct fpb_row *row, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Keep up to FPB_MAX_RAW_SAMPLES samples (copies). */
int fpb_row_set_raw(struct fpb_row *row, const double *x, size_t n);
/* Multiply a row's statistics (not n, levels, outliers) and raw samples by k. */
void fpb_row_scale(struct fpb_row *row, double k);

size_t fpb_result_count(const struct fpb_result *r, enum fpb_row_status st);

/*
 * Read a saved JSON result (any schema version).  Returns 0, or -1 with a one-line reason that
 * names what is wrong (the caller prefixes the file name).
 */
int fpb_result_read_json(const char *path, struct fpb_result *r, char *why, size_t len);

#endif /* FPB_RESULT_H */
