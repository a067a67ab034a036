// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * options.c - the command line of `fpbench run`: getopt_long, one table of flags, and a one-line
 * error naming the flag for every bad value (exit status 2).
 */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <limits.h>
#include <sched.h>
#include <unistd.h>
#include <ctype.h>

#include "options.h"
#include "backend.h"
#include "kernel.h"
#include "output.h"
#include "suite.h"
#include "timer.h"
#include "xstate.h"
#include "cpu.h"
#include "cli.h"
#include "strategy.h"
#include "scenario.h"
#include "counters.h"

enum {
	OPT_LIST = 256, OPT_KERNEL, OPT_MASK, OPT_STATE, OPT_BUFFER, OPT_CPU, OPT_BACKEND,
	OPT_SUITE, OPT_STRATEGY, OPT_SCENARIO, OPT_TASK_POLICY, OPT_COUNTERS, OPT_EVENTS,
	OPT_LIST_EVENTS, OPT_TIMER, OPT_FORMAT, OPT_OUTPUT, OPT_SAVE, OPT_RESULTS_DIR, OPT_REPEAT,
	OPT_BATCH, OPT_TIME_BUDGET, OPT_TRIALS, OPT_WAIT_QUIET, OPT_QUIET, OPT_HELP, OPT_VERSION, OPT_VL,
};

static const struct option fpb_long_opts[] = {
	{ "list",		no_argument,		NULL, OPT_LIST },
	{ "kernel",		required_argument,	NULL, OPT_KERNEL },
	{ "mask",		required_argument,	NULL, OPT_MASK },
	{ "state",		required_argument,	NULL, OPT_STATE },
	{ "buffer",		required_argument,	NULL, OPT_BUFFER },
	{ "cpu",		required_argument,	NULL, OPT_CPU },
	{ "backend",		required_argument,	NULL, OPT_BACKEND },
	{ "suite",		required_argument,	NULL, OPT_SUITE },
	{ "strategy",		required_argument,	NULL, OPT_STRATEGY },
	{ "scenario",		required_argument,	NULL, OPT_SCENARIO },
	{ "task-policy",	required_argument,	NULL, OPT_TASK_POLICY },
	{ "counters",		required_argument,	NULL, OPT_COUNTERS },
	{ "events",		required_argument,	NULL, OPT_EVENTS },
	{ "list-events",	no_argument,		NULL, OPT_LIST_EVENTS },
	{ "timer",		required_argument,	NULL, OPT_TIMER },
	{ "format",		required_argument,	NULL, OPT_FORMAT },
	{ "output",		required_argument,	NULL, OPT_OUTPUT },
	{ "save",		no_argument,		NULL, OPT_SAVE },
	{ "results-dir",	required_argument,	NULL, OPT_RESULTS_DIR },
	{ "repeat",		required_argument,	NULL, OPT_REPEAT },
	{ "batch",		required_argument,	NULL, OPT_BATCH },
	{ "time-budget",	required_argument,	NULL, OPT_TIME_BUDGET },
	{ "trials",		required_argument,	NULL, OPT_TRIALS },
	{ "wait-quiet",		required_argument,	NULL, OPT_WAIT_QUIET },
	{ "quiet",		no_argument,		NULL, OPT_QUIET },
	{ "help",		no_argument,		NULL, OPT_HELP },
	{ "version",		no_argument,		NULL, OPT_VERSION },
	{ "vl",			required_argument,	NULL, OPT_VL },
	{ NULL, 0, NULL, 0 }
};

/* The usage text; the %s are name lists read from the registries (fpb_print_usage). */
static const char fpb_usage[] =
"Usage: fpbench [run] [OPTIONS]\n"
"       fpbench report [--output=DIR] [--order=date|revision] [--min-change=PCT] FILE...\n"
"                                               (compare saved JSON results)\n"
"\n"
"Measure what CPU extended-state (XSAVE family, arm64 FPSIMD/SVE/SME) save, restore and\n"
"context-switch strategies cost on this machine.  With no options: the default run (each\n"
"available suite's front page, under 30 s).\n"
"\n"
"Selection:\n"
"  --list                 list suites, kernels, backends, timers and formats, then exit\n"
"  --suite=S[,S]          %s\n"
"  --kernel=K[,K]         kernels to run (see --list; 'all': every kernel)\n"
"  --mask=M[,M]           requested-feature masks: all, sse, avx, avx512, x87, pkru, amx, ...\n"
"                         or hex (0x7); join names with '+' for one mask (sse+avx)\n"
"  --state=S[,S]          register condition: %s (all)\n"
"  --buffer=B[,B]         buffer condition: same, rotate:K, cold\n"
"  --strategy=S[,S]       context-switch strategies (all)\n"
"  --scenario=S[,S]       strategy scenarios\n"
"  --task-policy=P        task policy under the guest policies\n"
"  --vl=BYTES             arm64 SVE vector length (16..256, multiple of 16)\n"
"\n"
"Measurement:\n"
"  --cpu=N                pin to CPU N (default: the last online CPU)\n"
"  --backend=B            %s, or auto\n"
"  --timer=T              %s\n"
"                         (cycles: core cycles; needs a PMU)\n"
"  --counters=C           %s (pfm: libpfm4)\n"
"  --events=E[,E]         counter events per operation (perf names such as cycles,\n"
"                         instructions, task-clock, page-faults, or PMU names); implies\n"
"                         --counters=pfm; --counters alone counts cycles,instructions,task-clock\n"
"  --list-events          list the counter events seen here, then exit\n"
"  --repeat=N             at most N N/2N pairs a row\n"
"  --batch=N              operations a batch (default: chosen per row; capped to what\n"
"                         --time-budget allows)\n"
"  --time-budget=SECONDS  time for the whole set of rows\n"
"  --trials=K             K time-spread trials a row (default: adaptive, 9 and more for\n"
"                         rows whose trials disagree, at most 16)\n"
"  --wait-quiet=SECONDS   wait up to SECONDS for the other CPUs to be quiet before measuring\n"
"\n"
"Output:\n"
"  --format=F[,F]         %s; several at once\n"
"  --output=FILE          write to FILE instead of stdout; with several formats each goes to\n"
"                         FILE.<ext> (an extension of FILE naming a format is dropped first)\n"
"  --save                 also save RESULTS_DIR/<fingerprint>-<UTC time>.json\n"
"  --results-dir=DIR      where --save writes (default: results)\n"
"  --quiet                no progress line or notes on stderr\n"
"  --help, --version\n"
"\n"
"Exit status: 0 ok, 1 runtime failure, 2 bad usage or input, 3 nothing measurable.\n"
"Figures are TSC ticks per operation (TSC ticks are not core cycles); see fpbench(1).\n";

static const char *fpb_default_backend(void);
static const char *fpb_default_timer(void);

/* Print the usage text with the names of suites, states, backends, timers, counters and formats. */
static void fpb_print_usage(FILE *f)
{
	char suites[256], states[128], backends[256], timers[256], counters[256], formats[256];

	fprintf(f, fpb_usage,
		fpb_cli_names(FPB_NAMES_SUITES, NULL, suites, sizeof(suites)),
		fpb_cli_names(FPB_NAMES_STATES, NULL, states, sizeof(states)),
		fpb_cli_names(FPB_NAMES_BACKENDS, fpb_default_backend(), backends,
			      sizeof(backends)),
		fpb_cli_names(FPB_NAMES_TIMERS, fpb_default_timer(), timers, sizeof(timers)),
		fpb_cli_names(FPB_NAMES_COUNTERS, "none", counters, sizeof(counters)),
		fpb_cli_names(FPB_NAMES_FORMATS, fpb_writers[0]->name, formats, sizeof(formats)));
}

/* Print the one-line usage error and return 2. */
static int fpb_bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fpb_bad(const char *fmt, ...)
{
	va_list ap;

	fputs("fpbench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}

/* Copy s into the arena and return the copy (the arena is sized for every argv string). */
static char *fpb_arena_dup(struct fpb_options *o, size_t *used, const char *s)
{
	char *p = o->arena + *used;
	size_t n = strlen(s) + 1;

	memcpy(p, s, n);
	*used += n;
	return p;
}

/*
 * Split a comma list (already in the arena) into out[]; '+' inside an item becomes ',' so that
 * "sse+avx" reaches fpb_xstate_parse_mask as one mask.  Returns 0 or 2 (error printed).
 */
static int fpb_split(const char *flag, char *s, const char **out, size_t *n, bool plus)
{
	char *save = NULL;

	if (!*s)
		return fpb_bad("--%s: empty value", flag);
	for (char *tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (*n >= FPB_MAX_LIST)
			return fpb_bad("--%s: more than %d items", flag, FPB_MAX_LIST);
		if (plus)
			for (char *c = tok; *c; c++)
				if (*c == '+')
					*c = ',';
		out[(*n)++] = tok;
	}
	if (!*n)
		return fpb_bad("--%s=%s: empty list", flag, s);
	return 0;
}

/* Strict unsigned parse: decimal digits only (010 is ten, not octal), within [lo, hi]. */
static int fpb_parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int fpb_parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	if (!*s)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !(v >= lo && v <= hi))
		return -1;
	*out = v;
	return 0;
}

/* Is CPU n one this process may run on? Fills a description of the allowed set. */
static bool fpb_cpu_allowed(long n, char *desc, size_t len)
{
	cpu_set_t set;
	int first = -1, last = -1, count = 0;

	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set)) {
		long conf = sysconf(_SC_NPROCESSORS_CONF);

		snprintf(desc, len, "0-%ld", conf - 1);
		return n >= 0 && n < conf;
	}
	for (int i = 0; i < CPU_SETSIZE; i++)
		if (CPU_ISSET(i, &set)) {
			if (first < 0)
				first = i;
			last = i;
			count++;
		}
	if (count == last - first + 1)
		snprintf(desc, len, "%d-%d", first, last);
	else
		snprintf(desc, len, "%d CPUs between %d and %d", count, first, last);
	return n >= 0 && n < CPU_SETSIZE && CPU_ISSET(n, &set);
}

/* Event names: letters, digits and _ : . - = + / only (libpfm4 and PAPI syntax). */
static bool fpb_event_name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_:.-=+/", *s))
			return false;
	return true;
}

static int fpb_check_kernels(struct fpb_options *o)
{
	for (size_t i = 0; i < o->nkernels; i++) {
		if (!strcmp(o->kernels[i], "all")) {
			o->nkernels = 0;	/* none listed: every kernel */
			return 0;
		}
		if (!fpb_kernel_find(o->kernels[i]))
			return fpb_bad("--kernel: unknown kernel '%s' (see --list)", o->kernels[i]);
	}
	return 0;
}

/* The strategies suite must be available for --strategy, --scenario and --task-policy. */
static int fpb_need_suite(const char *flag, enum fpb_suite_index i)
{
	if (!fpb_suites[i]->run)
		return fpb_bad("%s: suite '%s' is not available yet", flag, fpb_suites[i]->name);
	return 0;
}

/* Strategy, scenario and task-policy names, against the strategies registry. */
static int fpb_check_strategies(struct fpb_options *o)
{
	char why[2048];	/* the valid names, as many as the registries hold */
	const char *flag = NULL;

	for (size_t i = 0; !flag && i < o->nstrategies; i++)
		if (fpb_strategy_validate(o->strategies[i], why, sizeof(why)))
			flag = "--strategy";
	for (size_t i = 0; !flag && i < o->nscenarios; i++)
		if (fpb_scenario_validate(o->scenarios[i], why, sizeof(why)))
			flag = "--scenario";
	if (!flag && o->task_policy &&
	    fpb_strategy_validate_task_policy(o->task_policy, why, sizeof(why)))
		flag = "--task-policy";
	if (flag)
		return fpb_bad("%s: %s", flag, why);
	if (o->nstrategies)
		flag = "--strategy";
	else if (o->nscenarios)
		flag = "--scenario";
	else if (o->task_policy)
		flag = "--task-policy";
	return flag ? fpb_need_suite(flag, FPB_SUITE_INDEX_strategies) : 0;
}

static int fpb_check_masks(struct fpb_options *o)
{
	char why[FPB_REASON_LEN];
	uint64_t m;

	for (size_t i = 0; i < o->nmasks; i++) {
		char shown[128];

		why[0] = '\0';
		/* Syntax only: bits outside this CPU's XCR0 are a warning at run time. */
		if (!fpb_xstate_parse_mask(o->masks[i], ~0ULL, &m, why, sizeof(why)))
			continue;
		/* Show the item as typed: fpb_split turned its '+' into ','. */
		snprintf(shown, sizeof(shown), "%s", o->masks[i]);
		for (char *c = shown; *c; c++)
			if (*c == ',')
				*c = '+';
		return fpb_bad("--mask=%s: %s", shown, why[0] ? why : "not a mask name or hex value");
	}
	return 0;
}

static int fpb_add_states(struct fpb_options *o, char *v)
{
	const char *items[FPB_MAX_LIST];
	size_t n = 0;
	int rc = fpb_split("state", v, items, &n, false);

	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		enum fpb_state st;

		if (!strcmp(items[i], "all")) {
			o->nstates = 0;
			for (int s = 0; s < FPB_NR_STATES; s++)
				o->states[o->nstates++] = (enum fpb_state)s;
			continue;
		}
		if (fpb_state_parse(items[i], &st)) {
			char names[128];

			return fpb_bad("--state: unknown state '%s' (%s)", items[i],
				       fpb_cli_names(FPB_NAMES_STATES, NULL, names, sizeof(names)));
		}
		bool dup = false;

		for (size_t j = 0; j < o->nstates; j++)
			dup |= o->states[j] == st;
		if (!dup && o->nstates < FPB_NR_STATES)
			o->states[o->nstates++] = st;
	}
	return 0;
}

static int fpb_add_buffers(struct fpb_options *o, char *v)
{
	const char *items[FPB_MAX_LIST];
	size_t n = 0;
	int rc = fpb_split("buffer", v, items, &n, false);

	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct fpb_buffer_spec b;

		if (fpb_buffer_parse(items[i], &b) ||
		    (b.mode == FPB_BUF_ROTATE && (b.k < 1 || b.k > FPB_KCTX_MAX_BUFS)))
			return fpb_bad("--buffer: bad buffer condition '%s' (same, rotate:K with "
				       "K in 1..%d, cold)", items[i], FPB_KCTX_MAX_BUFS);
		if (o->nbuffers >= FPB_ARRAY_SIZE(o->buffers))
			return fpb_bad("--buffer: more than %zu buffer conditions",
				       FPB_ARRAY_SIZE(o->buffers));
		o->buffers[o->nbuffers++] = b;
	}
	return 0;
}

static int fpb_add_formats(struct fpb_options *o, char *v)
{
	const char *items[FPB_MAX_LIST];
	size_t n = 0;
	int rc = fpb_split("format", v, items, &n, false);

	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		char names[256];
		size_t w;

		for (w = 0; w < fpb_nr_writers; w++)
			if (!strcmp(fpb_writers[w]->name, items[i]))
				break;
		if (w == fpb_nr_writers)
			return fpb_bad("--format: unknown format '%s' (%s)", items[i],
				       fpb_cli_names(FPB_NAMES_FORMATS, NULL, names, sizeof(names)));
		o->formats |= 1u << w;
	}
	return 0;
}

static int fpb_add_suites(struct fpb_options *o, char *v)
{
	const char *items[FPB_MAX_LIST];
	size_t n = 0;
	int rc = fpb_split("suite", v, items, &n, false);

	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		int si = fpb_suite_index(items[i]);
		char names[256];

		if (si < 0)
			return fpb_bad("--suite: unknown suite '%s' (%s)", items[i],
				       fpb_cli_names(FPB_NAMES_SUITES, NULL, names, sizeof(names)));
		if (!fpb_suites[si]->run)
			return fpb_bad("suite '%s' is not available yet", fpb_suites[si]->name);
		o->suites |= 1u << si;
	}
	return 0;
}

/* Default backend: "user" when registered, else the first registered one. */
static const char *fpb_default_backend(void)
{
#if defined(__aarch64__)
	if (fpb_backend_find("arm64"))
		return "arm64";	/* backends/arm64.c */
#endif
	if (fpb_backend_find("user") || !fpb_nr_backends)
		return "user";
	return fpb_backends[0]->name;
}

/* Default timer: the architecture's own counter. */
static const char *fpb_default_timer(void)
{
#if defined(__aarch64__)
	return "cntvct";	/* src/measure/timer-cntvct.c */
#else
	return "tsc";
#endif
}

static int fpb_check_backend(const char *name)
{
	char names[256];

	if (!strcmp(name, "auto") || fpb_backend_find(name))
		return 0;
	/* The name as typed may be long: written apart so that the list is never cut. */
	fputs("fpbench: --backend: unknown backend '", stderr);
	fputs(name, stderr);
	fprintf(stderr, "' (auto, %s)\n",
		fpb_cli_names(FPB_NAMES_BACKENDS, NULL, names, sizeof(names)));
	return 2;
}

static int fpb_check_timer(const char *name)
{
	char names[256];

	/* Whether a timer works here (cycles needs a PMU) is decided when the run starts. */
	if (fpb_timer_find(name))
		return 0;
	return fpb_bad("--timer: unknown timer '%s' (%s)", name,
		       fpb_cli_names(FPB_NAMES_TIMERS, NULL, names, sizeof(names)));
}

/* Events counted by --counters=X when --events is not given. */
static const char *const fpb_default_events[] = { "cycles", "instructions", "task-clock" };

/*
 * --counters, --events and --list-events, after the whole command line is read.  Returns 0 to
 * go on, 1 when --list-events printed the list, 2 on bad usage (one line printed).  A counter
 * backend that is not built is one line on stderr and the run goes on without counters.
 */
static int fpb_check_counters(struct fpb_options *o, bool counters_given)
{
	char why[2 * FPB_REASON_LEN];
	int v;

	if (o->nevents && !counters_given)
		o->counters = "pfm";
	if (o->nevents && !strcmp(o->counters, "none"))
		return fpb_bad("--events: no counters with --counters=none (use --counters=pfm "
			       "or papi)");
	if (o->list_events) {
		why[0] = '\0';
		if (fpb_counters_list_events(strcmp(o->counters, "none") ? o->counters : "pfm",
					     stdout, why, sizeof(why))) {
			fflush(stdout);
			fprintf(stderr, "fpbench: --list-events: %s\n",
				why[0] ? why : "cannot list events");
			fpb_options_free(o);
			exit(1);	/* a runtime failure, not bad usage */
		}
		return 1;
	}
	if (!strcmp(o->counters, "none"))
		return 0;
	if (!o->nevents)
		for (size_t i = 0; i < FPB_ARRAY_SIZE(fpb_default_events); i++)
			o->events[o->nevents++] = fpb_default_events[i];
	why[0] = '\0';
	v = fpb_counters_validate(o->counters, o->events, o->nevents, why, sizeof(why));
	if (v < 0)
		return fpb_bad("%s", why[0] ? why : "--events: bad event list");
	if (v == 1)
		fprintf(stderr, "fpbench: %s\n", why);
	return 0;
}

static size_t fpb_argv_size(int argc, char **argv)
{
	size_t n = 16;

	for (int i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	return n;
}

/* Apply one option; returns 0, or the parse return value (1 handled, 2 bad usage). */
static int fpb_apply(struct fpb_options *o, int c, char *v, bool *selected, const char **timer_seen,
		     bool *counters_given)
{
	uint64_t u;
	double d;
	int rc;

	switch (c) {
	case OPT_LIST:
		o->list = true;
		return 0;
	case OPT_LIST_EVENTS:
		o->list_events = true;
		return 0;
	case OPT_KERNEL:
		*selected = true;
		o->suites |= FPB_SUITE_BIT(kernels);
		return fpb_split("kernel", v, o->kernels, &o->nkernels, false);
	case OPT_MASK:
		*selected = true;
		o->suites |= FPB_SUITE_BIT(kernels);
		return fpb_split("mask", v, o->masks, &o->nmasks, true);
	case OPT_STATE:
		*selected = true;
		return fpb_add_states(o, v);
	case OPT_BUFFER:
		*selected = true;
		o->suites |= FPB_SUITE_BIT(kernels);
		return fpb_add_buffers(o, v);
	case OPT_CPU: {
		char desc[64];

		if (fpb_parse_u64(v, 0, INT_MAX, &u))
			return fpb_bad("--cpu=%s: not a CPU number", v);
		if (!fpb_cpu_allowed((long)u, desc, sizeof(desc)))
			return fpb_bad("--cpu=%s: CPU out of range (allowed: %s)", v, desc);
		o->cpu = (int)u;
		return 0;
	}
	case OPT_BACKEND:
		o->backend = v;
		return fpb_check_backend(v);
	case OPT_SUITE:
		*selected = true;
		return fpb_add_suites(o, v);
	case OPT_STRATEGY:
		*selected = true;
		o->suites |= FPB_SUITE_BIT(strategies);
		return fpb_split("strategy", v, o->strategies, &o->nstrategies, false);
	case OPT_SCENARIO:
		*selected = true;
		o->suites |= FPB_SUITE_BIT(strategies);
		return fpb_split("scenario", v, o->scenarios, &o->nscenarios, false);
	case OPT_TASK_POLICY:
		*selected = true;
		if (!*v)
			return fpb_bad("--task-policy: empty value");
		o->task_policy = v;
		o->suites |= FPB_SUITE_BIT(strategies);
		return 0;
	case OPT_COUNTERS:
		if (strcmp(v, "none") && !fpb_counters_known(v)) {
			char names[256];

			return fpb_bad("--counters: unknown counter source '%s' (%s)", v,
				       fpb_cli_names(FPB_NAMES_COUNTERS, NULL, names, sizeof(names)));
		}
		o->counters = v;
		*counters_given = true;
		return 0;
	case OPT_EVENTS:
		rc = fpb_split("events", v, o->events, &o->nevents, false);
		for (size_t i = 0; !rc && i < o->nevents; i++)
			if (!fpb_event_name_ok(o->events[i]))
				rc = fpb_bad("--events: bad event name '%s'", o->events[i]);
		return rc;
	case OPT_TIMER:
		*timer_seen = v;
		o->timer = v;
		return fpb_check_timer(v);
	case OPT_FORMAT:
		return fpb_add_formats(o, v);
	case OPT_OUTPUT:
		if (!*v)
			return fpb_bad("--output: empty file name");
		o->output = v;
		return 0;
	case OPT_SAVE:
		o->save = true;
		return 0;
	case OPT_RESULTS_DIR:
		if (!*v)
			return fpb_bad("--results-dir: empty directory name");
		o->results_dir = v;
		return 0;
	case OPT_REPEAT:
		if (fpb_parse_u64(v, 1, 1000000, &u))
			return fpb_bad("--repeat=%s: expected a whole number in 1..1000000", v);
		o->h.max_repeats = (unsigned)u;
		if (o->h.min_repeats > o->h.max_repeats)
			o->h.min_repeats = o->h.max_repeats;
		return 0;
	case OPT_BATCH:
		if (fpb_parse_u64(v, 1, 1ULL << 32, &u))
			return fpb_bad("--batch=%s: expected a whole number in 1..%llu", v,
				       1ULL << 32);
		o->h.batch = u;
		return 0;
	case OPT_TIME_BUDGET:
		if (fpb_parse_double(v, 0.01, 86400.0, &d))
			return fpb_bad("--time-budget=%s: expected seconds in 0.01..86400", v);
		o->h.time_budget_s = d;
		return 0;
	case OPT_TRIALS:
		if (fpb_parse_u64(v, 1, FPB_MAX_TRIALS, &u))
			return fpb_bad("--trials=%s: expected a whole number in 1..%d", v,
				       FPB_MAX_TRIALS);
		o->h.trials = (unsigned)u;
		return 0;
	case OPT_WAIT_QUIET:
		if (fpb_parse_double(v, 0, 3600.0, &d))
			return fpb_bad("--wait-quiet=%s: expected seconds in 0..3600", v);
		o->wait_quiet_s = d;
		return 0;
	case OPT_QUIET:
		o->quiet = true;
		return 0;
	case OPT_VL:
		if (fpb_parse_u64(v, 16, 256, &u) || u % 16)
			return fpb_bad("--vl=%s: expected a vector length in bytes, 16..256, "
				       "a multiple of 16", v);
		o->vl = (unsigned)u;
		return 0;
	case OPT_HELP:
		fpb_print_usage(stdout);
		return 1;
	case OPT_VERSION:
		printf("fpbench %s (git %s)\n", PACKAGE_VERSION, fpb_git_revision());
		return 1;
	}
	return fpb_bad("internal error: unhandled option %d", c);
}

int fpb_options_parse(struct fpb_options *o, int argc, char **argv)
{
	const char *timer_seen = NULL;
	bool selected = false, counters_given = false;
	size_t used = 0;
	int c, rc = 0;

	memset(o, 0, sizeof(*o));
	o->cpu = -1;
	o->results_dir = "results";
	o->counters = "none";
	o->timer = fpb_default_timer();
	fpb_harness_default_opts(&o->h);
	o->arena = malloc(fpb_argv_size(argc, argv));
	if (!o->arena)
		return fpb_bad("out of memory");

	optind = 0;	/* full re-initialisation: the tests parse many command lines */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", fpb_long_opts, NULL)) != -1) {
		const char *bad = argv[optind - 1];

		if (c == '?')
			return fpb_bad("unknown option '%s' (see --help)", bad);
		if (c == ':') {
			const char *eq = strchr(bad, '=');

			return fpb_bad("option '%.*s' needs a value", eq ? (int)(eq - bad) :
				       (int)strlen(bad), bad);
		}
		rc = fpb_apply(o, c, optarg ? fpb_arena_dup(o, &used, optarg) : NULL, &selected,
			       &timer_seen, &counters_given);
		if (rc)
			return rc;
	}
	if (optind < argc)
		return fpb_bad("unexpected argument '%s' (see --help)", argv[optind]);

	if (o->nkernels && (rc = fpb_check_kernels(o)))
		return rc;
	if (o->nmasks && (rc = fpb_check_masks(o)))
		return rc;
	if ((rc = fpb_check_strategies(o)))
		return rc;
	if ((rc = fpb_check_counters(o, counters_given)))
		return rc;
	if (!o->backend)
		o->backend = fpb_default_backend();
	if (!o->formats)
		o->formats = 1u << 0;	/* text */
	if (o->nstates && !(o->suites & ~FPB_SUITE_BIT(kernels)))
		o->suites |= FPB_SUITE_BIT(kernels);
	if ((o->suites & FPB_SUITE_BIT(kernels)) && !fpb_suites[FPB_SUITE_INDEX_kernels]->run)
		return fpb_bad("suite 'kernels' is not available yet");
	o->default_run = !selected;
	if (o->default_run) {
		for (size_t i = 0; i < fpb_nr_suites; i++)
			if (fpb_suites[i]->run)
				o->suites |= 1u << i;
	}
	o->h.progress = !o->quiet && isatty(2);
	(void)timer_seen;

	if (o->list) {
		fpb_cli_list(stdout);
		return 1;
	}
	return 0;
}

void fpb_options_free(struct fpb_options *o)
{
	free(o->arena);
	o->arena = NULL;
}
