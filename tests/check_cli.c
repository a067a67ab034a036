// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check_cli.c - the command line: every bad-input path gives exactly one line on stderr naming
 * the flag and exit status 2; --help, --version and --list work; every registry's entries
 * appear in --list and in the man page, the short lists in the usage text too.  Parses in a forked child (fpb_options_parse) and, where the
 * program is built, runs $FPB_BUILDDIR/fpbench itself.
 */
#include "config.h"

#include <check.h>
#include <ctype.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "options.h"
#include "backend.h"
#include "kernel.h"
#include "output.h"
#include "suite.h"
#include "timer.h"
#include "strategy.h"
#include "scenario.h"
#include "arm64-scenarios.h"
#include "counters.h"

struct run {
	int status;		/* exit status, or 128 + signal */
	char out[65536];
	char err[4096];
};

static void slurp(int fd, char *buf, size_t len)
{
	ssize_t n;
	size_t off = 0;

	lseek(fd, 0, SEEK_SET);
	while (off + 1 < len && (n = read(fd, buf + off, len - 1 - off)) > 0)
		off += (size_t)n;
	buf[off] = '\0';
	close(fd);
}

static int tmpfd(void)
{
	char path[] = "/tmp/fpb-check-cli-XXXXXX";
	int fd = mkstemp(path);

	ck_assert_msg(fd >= 0, "mkstemp: %s", strerror(errno));
	unlink(path);
	return fd;
}

/* Run fpb_options_parse(args) in a child; its return value is the exit status. */
static void parse_in_child(struct run *r, const char *const *args)
{
	int out = tmpfd(), err = tmpfd(), st;
	char *argv[64];
	int argc = 0;
	pid_t pid;

	argv[argc++] = (char *)"fpbench";
	for (; *args; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	pid = fork();
	ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
	if (!pid) {
		struct fpb_options o;
		int rc;

		dup2(out, 1);
		dup2(err, 2);
		rc = fpb_options_parse(&o, argc, argv);
		fpb_options_free(&o);
		fflush(stdout);
		fflush(stderr);
		_exit(rc);
	}
	waitpid(pid, &st, 0);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
}

/* Path of the built program, or NULL when it is not there (then those tests are skipped). */
static const char *program(void)
{
	static char path[4096];
	const char *dir = getenv("FPB_BUILDDIR");

	snprintf(path, sizeof(path), "%s/fpbench", dir ? dir : ".");
	return access(path, X_OK) ? NULL : path;
}

static void exec_program(struct run *r, const char *const *args)
{
	int out = tmpfd(), err = tmpfd(), st;
	char *argv[64], wrap[1024], *save = NULL;
	const char *w = getenv("FPB_EXEC_WRAPPER");
	int argc = 0;
	pid_t pid;

	/* Cross testing: start the program through the test driver's wrapper (qemu). */
	snprintf(wrap, sizeof(wrap), "%s", w ? w : "");
	for (char *t = strtok_r(wrap, " \t", &save); t && argc < 32;
	     t = strtok_r(NULL, " \t", &save))
		argv[argc++] = t;
	argv[argc++] = (char *)program();
	for (; *args && argc < 63; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	pid = fork();
	ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
	if (!pid) {
		int devnull = open("/dev/null", O_RDONLY);

		dup2(devnull, 0);
		dup2(out, 1);
		dup2(err, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
}

/* Exit 2, exactly one line on stderr, starting "fpbench: " and containing want. */
static void expect_usage_error(const struct run *r, const char *what, const char *want)
{
	const char *nl = strchr(r->err, '\n');

	ck_assert_msg(r->status == 2, "%s: exit status: expected 2, got %d (stderr: %s)", what,
		      r->status, r->err);
	ck_assert_msg(nl && nl[1] == '\0', "%s: stderr: expected exactly one line, got '%s'",
		      what, r->err);
	ck_assert_msg(!strncmp(r->err, "fpbench: ", 9),
		      "%s: stderr: expected 'fpbench: ...', got '%s'", what, r->err);
	ck_assert_msg(strstr(r->err, want), "%s: stderr: expected it to name '%s', got '%s'",
		      what, want, r->err);
	ck_assert_msg(r->out[0] == '\0', "%s: stdout: expected nothing, got '%s'", what, r->out);
}

/* One bad command line and the flag its error must name. */
struct bad_case {
	const char *args[4];
	const char *names;
};

static const struct bad_case bad_cases[] = {
	{ { "--bogus" },			"--bogus" },
	{ { "--bogus=1" },			"--bogus" },
	{ { "-x" },				"-x" },
	{ { "--mask=nonsense" },		"--mask" },
	{ { "--mask=0xzz" },			"--mask" },
	{ { "--mask=" },			"--mask" },
	{ { "--state=hot" },			"--state" },
	{ { "--state=init,warm" },		"--state" },
	{ { "--buffer=warm" },			"--buffer" },
	{ { "--buffer=rotate:0" },		"--buffer" },
	{ { "--buffer=rotate:" },		"--buffer" },
	{ { "--buffer=rotate:x" },		"--buffer" },
	{ { "--buffer=rotate:100000" },		"--buffer" },
	{ { "--kernel=nosuch" },		"--kernel" },
	{ { "--kernel=" },			"--kernel" },
	{ { "--backend=nosuch" },		"--backend" },
	{ { "--strategy=nosuch" },		"--strategy" },
	{ { "--task-policy=nosuch" },		"--task-policy" },
	{ { "--scenario=nosuch" },		"--scenario" },
	{ { "--format=xml" },			"--format" },
	{ { "--format=text,xml" },		"--format" },
	{ { "--timer=sundial" },		"--timer" },
	{ { "--cpu=999999" },			"--cpu" },
	{ { "--cpu=-1" },			"--cpu" },
	{ { "--cpu=abc" },			"--cpu" },
	{ { "--suite=nosuch" },			"--suite" },
	{ { "--counters=bogus" },		"--counters" },
	{ { "--events=bad name" },		"--events" },
	{ { "--events=" },			"--events" },
	{ { "--events=page-faults,page-faults" },	"--events" },
	{ { "--counters=none", "--events=task-clock" },	"--events" },
#ifdef HAVE_LIBPFM4
	{ { "--events=no_such_event_xyz" },	"--events" },
	{ { "--counters=pfm", "--events=bogus::NOPE" },	"--events" },
#endif
	{ { "--counters" },			"--counters" },
	{ { "--timer=cycle" },			"--timer" },
	{ { "--repeat=0" },			"--repeat" },
	{ { "--repeat=-3" },			"--repeat" },
	{ { "--repeat=many" },			"--repeat" },
	{ { "--batch=0" },			"--batch" },
	{ { "--batch=1e9x" },			"--batch" },
	{ { "--time-budget=abc" },		"--time-budget" },
	{ { "--time-budget=-1" },		"--time-budget" },
	{ { "--vl=17" },			"--vl" },
	{ { "--vl=4096" },			"--vl" },
	{ { "--output=" },			"--output" },
	{ { "--results-dir=" },			"--results-dir" },
	{ { "--kernel" },			"--kernel" },
	{ { "--mask" },				"--mask" },
	{ { "--format" },			"--format" },
	{ { "--cpu" },				"--cpu" },
	{ { "stray" },				"stray" },
	/* Decimal only: 0x1 is not a CPU number, and 010 would have been octal 8. */
	{ { "--cpu=0x1" },			"--cpu=0x1" },
	{ { "--repeat=0x10" },			"--repeat" },
	/* The mask is named as typed ('+' joins components), not as parsed. */
	{ { "--mask=sse+bogus" },		"--mask=sse+bogus" },
	{ { "--mask=sse+" },			"--mask=sse+:" },
	{ { "--time-budget=0" },		"--time-budget" },
	{ { "--time-budget=1e308" },		"--time-budget" },
	{ { "--time-budget=nan" },		"--time-budget" },
	{ { "--format=," },			"--format" },
	{ { "--suite=" },			"--suite" },
};

START_TEST(test_bad_input)
{
	const struct bad_case *c = &bad_cases[_i];
	struct run *r = calloc(1, sizeof(*r));
	char what[128];

	snprintf(what, sizeof(what), "fpbench %s", c->args[0]);
	parse_in_child(r, c->args);
	/* --strategy/--scenario name the flag whether or not the strategies suite exists. */
	expect_usage_error(r, what, c->names);
	free(r);
}
END_TEST

START_TEST(test_unavailable_suite)
{
	struct run *r = calloc(1, sizeof(*r));
	int tested = 0;

	for (size_t i = 0; i < fpb_nr_suites; i++) {
		const struct fpb_suite *s = fpb_suites[i];
		char arg[64];
		const char *args[] = { arg, NULL };

		if (s->run)
			continue;
		snprintf(arg, sizeof(arg), "--suite=%s", s->name);
		parse_in_child(r, args);
		expect_usage_error(r, arg, "not available yet");
		ck_assert_msg(strstr(r->err, s->name), "%s: expected the suite's name, got '%s'",
			      arg, r->err);
		tested++;
	}
	free(r);
	if (!tested)
		return;	/* every suite is available: nothing to refuse */
}
END_TEST

START_TEST(test_strategy_names_valid)
{
	static const char *const args[] = { "--strategy=bogus", NULL };
	struct run *r = calloc(1, sizeof(*r));

	parse_in_child(r, args);
	expect_usage_error(r, "--strategy=bogus", "--strategy");
	for (size_t i = 0; i < fpb_nr_strategies; i++)
		ck_assert_msg(strstr(r->err, fpb_strategies[i]->name),
			      "--strategy=bogus: expected the valid name '%s' in '%s'",
			      fpb_strategies[i]->name, r->err);
	free(r);
}
END_TEST

/* Parse args in this process; returns the status and leaves o filled (caller frees). */
static int parse_here(struct fpb_options *o, const char *const *args)
{
	char *argv[16];
	int argc = 0;

	argv[argc++] = (char *)"fpbench";
	for (; *args && argc < 15; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	return fpb_options_parse(o, argc, argv);
}

START_TEST(test_counters_flags)
{
	static const char *const events[] = { "--events=page-faults,task-clock", NULL };
	static const char *const alone[] = { "--counters=pfm", NULL };
	static const char *const cycles[] = { "--timer=cycles", NULL };
	static const char *const none[] = { "--counters=none", NULL };
	struct fpb_options o;
	int rc;

	/* Events given, no --counters: pfm; names kept in order. */
	rc = parse_here(&o, events);
	ck_assert_msg(rc == 0, "--events=page-faults,task-clock: parse: expected 0, got %d", rc);
	ck_assert_str_eq(o.counters, "pfm");
	ck_assert_uint_eq(o.nevents, 2);
	ck_assert_str_eq(o.events[0], "page-faults");
	ck_assert_str_eq(o.events[1], "task-clock");
	fpb_options_free(&o);
	/* --counters alone: the default events. */
	rc = parse_here(&o, alone);
	ck_assert_msg(rc == 0, "--counters=pfm: parse: expected 0, got %d", rc);
	ck_assert_msg(o.nevents == 3 && !strcmp(o.events[0], "cycles") &&
		      !strcmp(o.events[1], "instructions") && !strcmp(o.events[2], "task-clock"),
		      "--counters=pfm: expected cycles,instructions,task-clock, got %zu events",
		      o.nevents);
	fpb_options_free(&o);
	/* --timer=cycles parses everywhere; whether it counts is decided at run time. */
	rc = parse_here(&o, cycles);
	ck_assert_msg(rc == 0, "--timer=cycles: parse: expected 0, got %d", rc);
	ck_assert_str_eq(o.timer, "cycles");
	fpb_options_free(&o);
	rc = parse_here(&o, none);
	ck_assert_msg(rc == 0 && o.nevents == 0, "--counters=none: expected 0 and no events, "
		      "got %d, %zu", rc, o.nevents);
	fpb_options_free(&o);
}
END_TEST

START_TEST(test_list_events)
{
	static const char *const args[] = { "--list-events", NULL };
	struct run *r = calloc(1, sizeof(*r));

	parse_in_child(r, args);
#ifdef HAVE_LIBPFM4
	ck_assert_msg(r->status == 1, "--list-events: parse: expected 1 (handled), got %d (%s)",
		      r->status, r->err);
	ck_assert_msg(strstr(r->out, "task-clock") && strstr(r->out, "page-faults") &&
		      strstr(r->out, "cycles"), "--list-events: expected the usual events, got "
		      "'%.300s'", r->out);
#else
	ck_assert_msg(r->status == 1 && strstr(r->err, "libpfm4"),
		      "--list-events without libpfm4: expected exit 1 naming libpfm4, got %d '%s'",
		      r->status, r->err);
#endif
	free(r);
}
END_TEST

START_TEST(test_good_input)
{
	static const char *const args[] = { "--format=text,json,csv", "--output=out.json",
		"--save", "--results-dir=/tmp", "--repeat=5", "--batch=64", "--time-budget=0.5",
		"--quiet", "--timer=clock", "--cpu=0", NULL };
	struct fpb_options o;
	char *argv[16];
	int argc = 0, rc;

	argv[argc++] = (char *)"fpbench";
	for (const char *const *a = args; *a; a++)
		argv[argc++] = (char *)*a;
	rc = fpb_options_parse(&o, argc, argv);
	ck_assert_msg(rc == 0, "good command line: parse: expected 0, got %d", rc);
	ck_assert_msg(o.formats == ((1u << 0) | (1u << 1) | (1u << 2)),
		      "--format=text,json,csv: expected bits 0-2, got 0x%x", o.formats);
	ck_assert_str_eq(o.output, "out.json");
	ck_assert(o.save);
	ck_assert_str_eq(o.results_dir, "/tmp");
	ck_assert_uint_eq(o.h.max_repeats, 5);
	ck_assert_uint_eq(o.h.batch, 64);
	ck_assert_msg(o.h.time_budget_s == 0.5, "--time-budget=0.5: got %g", o.h.time_budget_s);
	ck_assert(o.quiet);
	ck_assert(!o.h.progress);
	ck_assert_int_eq(o.cpu, 0);
	ck_assert_str_eq(o.timer, "clock");
	ck_assert_msg(o.default_run, "no selection: expected the default run");
	fpb_options_free(&o);
}
END_TEST

START_TEST(test_default_backend)
{
	struct fpb_options o;
	char *argv[] = { (char *)"fpbench", NULL };
	int rc = fpb_options_parse(&o, 1, argv);

	ck_assert_int_eq(rc, 0);
#if defined(__aarch64__)
	ck_assert_msg(o.backend && !strcmp(o.backend, "arm64"),
		      "default backend: expected arm64, got %s", o.backend ? o.backend : "(null)");
#else
	ck_assert_msg(o.backend && (!fpb_backend_find("user") || !strcmp(o.backend, "user")),
		      "default backend: expected user, got %s", o.backend ? o.backend : "(null)");
#endif
	ck_assert_msg(o.formats == 1u, "default format: expected text only, got 0x%x", o.formats);
	fpb_options_free(&o);
}
END_TEST

START_TEST(test_kernel_lists)
{
	struct fpb_options o;
	char arg[256];
	char *argv[] = { (char *)"fpbench", arg, (char *)"--mask=all,sse+avx,0x3",
			 (char *)"--state=all", (char *)"--buffer=same,rotate:4,cold", NULL };
	const struct fpb_suite *ks = fpb_suite_find("kernels");
	int rc;

	if (!fpb_nr_kernels || !ks || !ks->run)
		return;	/* nothing to select yet */
	snprintf(arg, sizeof(arg), "--kernel=%s", fpb_kernels[0]->name);
	rc = fpb_options_parse(&o, 5, argv);
	ck_assert_msg(rc == 0, "kernel selection: expected 0, got %d", rc);
	ck_assert_uint_eq(o.nkernels, 1);
	ck_assert_uint_eq(o.nmasks, 3);
	ck_assert_str_eq(o.masks[1], "sse,avx");
	ck_assert_uint_eq(o.nstates, FPB_NR_STATES);
	ck_assert_uint_eq(o.nbuffers, 3);
	ck_assert_uint_eq(o.buffers[1].k, 4);
	ck_assert(!o.default_run);
	ck_assert(o.suites & FPB_SUITE_BIT(kernels));
	fpb_options_free(&o);
}
END_TEST

START_TEST(test_help_version)
{
	static const char *const help[] = { "--help", NULL };
	static const char *const version[] = { "--version", NULL };
	struct run *r = calloc(1, sizeof(*r));

	parse_in_child(r, help);
	ck_assert_msg(r->status == 1, "--help: parse: expected 1 (handled), got %d", r->status);
	ck_assert_msg(strstr(r->out, "Usage: fpbench"), "--help: expected a usage text, got '%s'",
		      r->out);
	ck_assert_msg(strstr(r->out, "Exit status"), "--help: expected the exit statuses");
	parse_in_child(r, version);
	ck_assert_msg(r->status == 1, "--version: parse: expected 1, got %d", r->status);
	ck_assert_msg(!strncmp(r->out, "fpbench " PACKAGE_VERSION " (git ", 14 +
			       strlen(PACKAGE_VERSION)),
		      "--version: expected 'fpbench %s (git ...)', got '%s'", PACKAGE_VERSION,
		      r->out);
	free(r);
}
END_TEST

/* Whether word occurs in s with no name character (alphanumeric, '-', '_') either side. */
static bool has_word(const char *s, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = s; (p = strstr(p, word)); p++) {
		char before = p == s ? ' ' : p[-1], after = p[len];

		if (!(isalnum((unsigned char)before) || before == '-' || before == '_') &&
		    !(isalnum((unsigned char)after) || after == '-' || after == '_'))
			return true;
	}
	return false;
}

/*
 * One entry of one registry.  The usage text names the short lists (suites, states, backends,
 * timers, counter backends, formats) and leaves the long ones (kernels, strategies, scenarios) to --list.
 */
struct reg_name {
	const char *kind, *name;
	bool in_usage;
};

#define MAX_REG_NAMES	512

/* Every entry of every registry this build has, walked from the registries themselves. */
static size_t registry_names(struct reg_name *out)
{
	size_t n = 0;
	const char *cn;

#define ADD(k, nm, u) \
	do { if (n < MAX_REG_NAMES) out[n++] = (struct reg_name){ k, nm, u }; } while (0)
	for (size_t i = 0; i < fpb_nr_suites; i++)
		ADD("suite", fpb_suites[i]->name, true);
	for (size_t i = 0; i < fpb_nr_kernels; i++)
		ADD("kernel", fpb_kernels[i]->name, false);
	for (size_t i = 0; i < fpb_nr_backends; i++)
		ADD("backend", fpb_backends[i]->name, true);
	for (size_t i = 0; i < fpb_nr_strategies; i++)
		ADD("strategy", fpb_strategies[i]->name, false);
	for (size_t i = 0; i < fpb_nr_scenarios; i++)
		ADD("scenario", fpb_scenarios[i]->name, false);
	for (size_t i = 0; i < fpb_a64_nr_scenarios; i++)
		ADD("scenario", fpb_a64_scenarios[i]->name, false);
	for (size_t i = 0; i < fpb_nr_timers; i++)
		ADD("timer", fpb_timers[i]->name, true);
	for (size_t i = 0; (cn = fpb_counters_known_name(i)); i++)
		ADD("counter backend", cn, true);
	for (size_t i = 0; i < fpb_nr_writers; i++)
		ADD("format", fpb_writers[i]->name, true);
	for (int i = 0; i < FPB_NR_STATES; i++)
		ADD("state", fpb_state_name((enum fpb_state)i), true);
#undef ADD
	ck_assert_msg(n < MAX_REG_NAMES, "more than %d registered names", MAX_REG_NAMES);
	return n;
}

/* Every registered name (only those the usage text names when usage) must be a word in s. */
static void expect_all_names(const char *what, const char *s, bool usage)
{
	static struct reg_name names[MAX_REG_NAMES];
	size_t n = registry_names(names);

	for (size_t i = 0; i < n; i++)
		if (!usage || names[i].in_usage)
			ck_assert_msg(has_word(s, names[i].name), "%s: %s '%s' is registered but "
				      "not named", what, names[i].kind, names[i].name);
}

/* Every registry's tables pass their check (version, name, required hooks). */
START_TEST(test_registry_tables)
{
	char why[256];

	for (size_t i = 0; i < fpb_nr_suites; i++)
		ck_assert_msg(!fpb_suite_check(fpb_suites[i], why, sizeof(why)), "suite %zu: %s",
			      i, why);
	for (size_t i = 0; i < fpb_nr_writers; i++)
		ck_assert_msg(!fpb_writer_check(fpb_writers[i], why, sizeof(why)), "writer %zu: %s",
			      i, why);
	for (size_t i = 0; i < fpb_nr_strategies; i++)
		ck_assert_msg(!fpb_strategy_check(fpb_strategies[i], why, sizeof(why)),
			      "strategy %zu: %s", i, why);
}
END_TEST

/* The usage text names every suite, state, backend, timer, counter backend and format. */
START_TEST(test_usage_names)
{
	static const char *const help[] = { "--help", NULL };
	struct run *r = calloc(1, sizeof(*r));

	parse_in_child(r, help);
	ck_assert_msg(r->status == 1, "--help: parse: expected 1 (handled), got %d", r->status);
	expect_all_names("--help", r->out, true);
	free(r);
}
END_TEST

START_TEST(test_list_names)
{
	static const char *const args[] = { "--list", NULL };
	struct run *r = calloc(1, sizeof(*r));

	parse_in_child(r, args);
	ck_assert_msg(r->status == 1, "--list: parse: expected 1 (handled), got %d (%s)",
		      r->status, r->err);
	expect_all_names("--list", r->out, false);
	free(r);
}
END_TEST

START_TEST(test_man_names)
{
	const char *src = getenv("FPB_SRCDIR");
	char path[4096], *text, *d;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/man/fpbench.1", src ? src : "..");
	f = fopen(path, "r");
	ck_assert_msg(f, "%s: cannot open: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	ck_assert(fread(text, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	/* roff: "\-" is a hyphen, "\fB" and friends are fonts. */
	d = text;
	for (const char *p = text; *p; p++) {
		if (p[0] == '\\' && p[1] == '-') {
			*d++ = '-';
			p++;
		} else if (p[0] == '\\' && p[1] == 'f' && p[2]) {
			*d++ = ' ';
			p += 2;
		} else {
			*d++ = *p;
		}
	}
	*d = '\0';
	expect_all_names(path, text, false);
	/* The arm64 timer and vector-length flag, described though an x86 build lacks them. */
	ck_assert_msg(has_word(text, "cntvct"), "%s: expected cntvct described, not found", path);
	ck_assert_msg(has_word(text, "--vl"), "%s: expected --vl described, not found", path);
	free(text);
}
END_TEST

START_TEST(test_program_exit_status)
{
	static const char *const bad[] = { "--mask=nonsense", NULL };
	static const char *const cmd[] = { "frobnicate", NULL };
	static const char *const run_bad[] = { "run", "--state=hot", NULL };
	static const char *const version[] = { "--version", NULL };
	static const char *const help[] = { "run", "--help", NULL };
	static const char *const list[] = { "--list", NULL };
	static const char *const report[] = { "report", NULL };
	struct run *r;

	if (!program())
		return;	/* the tests may be built before the program */
	r = calloc(1, sizeof(*r));
	exec_program(r, bad);
	expect_usage_error(r, "fpbench --mask=nonsense", "--mask");
	exec_program(r, run_bad);
	expect_usage_error(r, "fpbench run --state=hot", "--state");
	exec_program(r, cmd);
	expect_usage_error(r, "fpbench frobnicate", "frobnicate");
	exec_program(r, version);
	ck_assert_msg(r->status == 0 && strstr(r->out, "fpbench "),
		      "fpbench --version: expected exit 0 and a version, got %d '%s'", r->status,
		      r->out);
	exec_program(r, help);
	ck_assert_msg(r->status == 0 && strstr(r->out, "--format"),
		      "fpbench run --help: expected exit 0 and the flags, got %d", r->status);
	exec_program(r, list);
	ck_assert_msg(r->status == 0, "fpbench --list: expected exit 0, got %d (%s)", r->status,
		      r->err);
	expect_all_names("fpbench --list", r->out, false);
	exec_program(r, report);
	ck_assert_msg(r->status != 0 && r->status < 128 && r->err[0],
		      "fpbench report (no files): expected a non-zero exit and a reason, got %d",
		      r->status);
	free(r);
}
END_TEST

/* Lines in s (each ending in '\n'). */
static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* A tiny run with counters; the one kernel is cheap and exists on every x86-64 with XSAVE. */
static void run_counted(struct run *r, const char *extra)
{
	const char *const args[] = { "--kernel=xgetbv0", "--mask=all", "--state=init",
		"--time-budget=0.3", "--repeat=20", "--format=text", extra, NULL };

	exec_program(r, args);
}

/* The kernel row's line of notes and metrics in the text output, or NULL. */
static const char *kernel_note(const struct run *r)
{
	static char line[1024];
	const char *p = strstr(r->out, "\n  xgetbv0"), *e;

	if (!p)
		return NULL;
	p++;
	e = strchr(p, '\n');
	snprintf(line, sizeof(line), "%.*s", e ? (int)(e - p) : (int)strlen(p), p);
	return line;
}

START_TEST(test_counters_program)
{
	struct run *r;
	const char *note;
	bool pmu;

	if (!program() || !fpb_kernel_find("xgetbv0"))
		return;	/* not built yet, or not x86 */
#ifndef HAVE_LIBPFM4
	return;	/* the runs below need libpfm4 (without it: one line, no counters) */
#endif
	r = calloc(1, sizeof(*r));

	/* Software events count in every VM: per-op figures on the row, no warning. */
	run_counted(r, "--events=page-faults,task-clock");
	ck_assert_msg(r->status == 0 || r->status == 3, "--events=page-faults,task-clock: exit: "
		      "expected 0 (3: nothing measurable here), got %d (%s)", r->status, r->err);
	if (r->status == 0) {
		note = kernel_note(r);
		ck_assert_msg(note && strstr(note, "page-faults=") && strstr(note, "task-clock=") &&
			      strstr(note, "per-op"), "--events=page-faults,task-clock: expected "
			      "per-op page-faults and task-clock on the row, got:\n%s", r->out);
	}
	ck_assert_msg(strstr(r->out, "# counters") && strstr(r->out, "page-faults, task-clock"),
		      "--events: expected the run's counters line, got:\n%s", r->out);
	ck_assert_msg(r->err[0] == '\0', "--events=page-faults,task-clock: stderr: expected "
		      "nothing, got '%s'", r->err);

	/* cycles: counted with a PMU; without one exactly the one line, and the run goes on. */
	run_counted(r, "--events=cycles");
	ck_assert_msg(r->status == 0 || r->status == 3, "--events=cycles: exit: expected 0 or "
		      "3, got %d (%s)", r->status, r->err);
	pmu = r->err[0] == '\0';
	if (pmu) {
		note = kernel_note(r);
		ck_assert_msg(r->status != 0 || (note && strstr(note, "cycles=")),
			      "--events=cycles with a PMU: expected cycles per op, got:\n%s", r->out);
	} else {
		ck_assert_msg(!strcmp(r->err, "fpbench: hardware counters unavailable in this VM; "
				      "software events still work\n"),
			      "--events=cycles without a PMU: expected the one line, got '%s'",
			      r->err);
		ck_assert_msg(strstr(r->out, "## kernels"), "--events=cycles without a PMU: "
			      "expected the run to go on, got:\n%s", r->out);
		ck_assert_msg(strstr(r->out, "# counters") && strstr(r->out, "unavailable"),
			      "--events=cycles: expected the reason in the run's description");
	}

	/* --timer=cycles: core cycles with a PMU, else one warning line and the TSC. */
	run_counted(r, "--timer=cycles");
	ck_assert_msg(r->status == 0 || r->status == 3, "--timer=cycles: exit: expected 0 or 3, "
		      "got %d (%s)", r->status, r->err);
	if (r->err[0]) {
		ck_assert_msg(count_lines(r->err) == 1 && strstr(r->err, "--timer=cycles") &&
			      strstr(r->err, "falling back to tsc"),
			      "--timer=cycles without a PMU: expected one warning line naming the "
			      "fallback, got '%s'", r->err);
		ck_assert_msg(strstr(r->out, "timer tsc (unit tsc-ticks)"),
			      "--timer=cycles fallback: expected the tsc timer in the output");
	} else {
		ck_assert_msg(strstr(r->out, "timer cycles (unit core-cycles)") &&
			      strstr(r->out, "TSC/cycle"),
			      "--timer=cycles: expected core cycles and the TSC ratio, got:\n%s",
			      r->out);
	}
	free(r);
}
END_TEST

/*
 * The record backend times nothing: its kernel rows are skipped (exit 3), never 0.00 ticks
 * passed off as measured.  --output naming a FIFO writes into it and leaves it a FIFO (a
 * rename over it would have replaced it, and as root replaced /dev/null).
 */
START_TEST(test_program_no_fake_zero)
{
	char dir[] = "/tmp/fpb-check-cli-XXXXXX", fifo[64], arg[80], buf[8192];
	const char *const args[] = { "--kernel=xsave,empty", "--backend=record", "--quiet", arg,
				     NULL };
	struct run *r;
	struct stat st;
	ssize_t n;
	int fd;

	if (!program() || !fpb_kernel_find("xsave") || !fpb_backend_find("record"))
		return;	/* not built yet, or not x86 */
	r = calloc(1, sizeof(*r));
	ck_assert_msg(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(arg, sizeof(arg), "--output=%s", fifo);
	ck_assert_msg(!mkfifo(fifo, 0600), "mkfifo: %s", strerror(errno));
	fd = open(fifo, O_RDWR | O_NONBLOCK);	/* a reader, so the writer never blocks */
	ck_assert_msg(fd >= 0, "open fifo: %s", strerror(errno));
	exec_program(r, args);
	ck_assert_msg(r->status == 3, "--backend=record: exit: expected 3 (nothing measurable), "
		      "got %d (%s)", r->status, r->err);
	ck_assert_msg(!lstat(fifo, &st) && S_ISFIFO(st.st_mode),
		      "--output=FIFO: expected the FIFO to stay a FIFO");
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	ck_assert_msg(n > 0 && strstr(buf, "skipped: backend record cannot time") &&
		      !strstr(buf, "0.00"), "--backend=record: expected skipped rows and no "
		      "0.00 figure in the FIFO, got '%s'", buf);
	close(fd);
	unlink(fifo);
	rmdir(dir);
	free(r);
}
END_TEST

/* An unwritable destination is found before measuring, not after (figures would be lost). */
START_TEST(test_program_destination_first)
{
	char dir[] = "/tmp/fpb-check-cli-XXXXXX", out[96], res[96];
	const char *const a1[] = { "--kernel=empty", out, NULL };
	const char *const a2[] = { "--kernel=empty", "--save", res, NULL };
	struct run *r;

	if (!program())
		return;
	r = calloc(1, sizeof(*r));
	ck_assert_msg(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	snprintf(out, sizeof(out), "--output=%s/missing/run.txt", dir);
	exec_program(r, a1);
	ck_assert_msg(r->status == 1 && strstr(r->err, "nothing measured") &&
		      !strstr(r->out, "ticks"), "--output into a missing directory: expected exit 1 "
		      "before measuring, got %d, stderr '%s'", r->status, r->err);
	snprintf(res, sizeof(res), "--results-dir=%s/missing/res", dir);
	memset(r, 0, sizeof(*r));
	exec_program(r, a2);
	ck_assert_msg(r->status == 1 && strstr(r->err, "nothing measured"),
		      "--save under a missing parent: expected exit 1 before measuring, got %d, "
		      "stderr '%s'", r->status, r->err);
	rmdir(dir);
	free(r);
}
END_TEST

/*
 * --batch far beyond what --time-budget allows (an hour of batches before) is capped with one
 * line saying so, and the run ends: the test case's timeout is the (generous) bound.  The
 * harness self-check kernel is registered on every architecture, so this runs on each.
 */
START_TEST(test_program_batch_budget)
{
	const struct fpb_kernel *k = fpb_kernel_find("empty");
	char kernel[128];
	const char *const args[] = { kernel, "--mask=all", "--state=init",
		"--batch=100000000", "--time-budget=1", "--repeat=1", "--format=text", NULL };
	struct run *r;

	if (!program())
		return;
	ck_assert_msg(k, "no 'empty' kernel registered on this architecture");
	snprintf(kernel, sizeof(kernel), "--kernel=%s", k->name);
	r = calloc(1, sizeof(*r));
	exec_program(r, args);
	ck_assert_msg(r->status == 0 && strstr(r->err, "--batch=100000000 capped to") &&
		      strstr(r->out, k->name), "--batch=1e8 --time-budget=1: expected a capped "
		      "run of %s, got %d, stderr '%s'", k->name, r->status, r->err);
	free(r);
}
END_TEST

/* A *-clean scenario's rows never say "dirty": the state column follows the scenario. */
START_TEST(test_program_clean_state_label)
{
	const char *const args[] = { "--strategy=eager,copy3", "--scenario=pingpong-clean,"
		"kvm-run-100-clean,kvm-exit-to-user-clean,signal-clean", "--time-budget=0.5",
		"--format=csv", NULL };
	struct run *r;
	size_t seen = 0;

	if (!program())
		return;
#ifndef __x86_64__
	/* the -clean scenarios are x86 ones (arm64 has none): nothing of them is measurable here */
	return;
#endif
	r = calloc(1, sizeof(*r));
	exec_program(r, args);
	ck_assert_msg(r->status == 0, "clean scenarios: exit %d, stderr '%s'", r->status, r->err);
	for (char *line = strtok(r->out, "\n"); line; line = strtok(NULL, "\n")) {
		if (!strstr(line, "-clean,"))
			continue;
		seen++;
		ck_assert_msg(!strstr(line, ",dirty,"), "a -clean scenario labelled dirty: %s", line);
	}
	ck_assert_msg(seen >= 4, "expected the -clean rows in the CSV, saw %zu", seen);
	free(r);
}
END_TEST

/*
 * The headline command end to end: `--strategy=swap` measures copy3 beside it, over vCPU
 * scenarios only, and the screen ends with the family view's summary line.  Which verdict it
 * gives depends on the machine; that there is one, and where, does not.
 */
START_TEST(test_program_family_view)
{
	const char *const args[] = { "--strategy=swap", "--scenario=kvm-run-1",
				     "--time-budget=0.3", "--format=text", NULL };
	const char *last;
	struct run *r;

	if (!program())
		return;
	r = calloc(1, sizeof(*r));
	exec_program(r, args);
	if (r->status == 3) {	/* nothing measurable here (no XSAVE, or emulated): nothing to view */
		free(r);
		return;
	}
	ck_assert_msg(r->status == 0, "exit %d: %s", r->status, r->err);
	ck_assert_msg(strstr(r->out, "copy3+eager-pkru  kvm-run-1"), "no copy3 row: %s", r->out);
	ck_assert_msg(strstr(r->out, "\n## swap against copy3 (guest policies)\n"),
		      "no family view: %s", r->out);
	ck_assert(strlen(r->out) > 1 && r->out[strlen(r->out) - 1] == '\n');
	r->out[strlen(r->out) - 1] = '\0';
	last = strrchr(r->out, '\n');
	ck_assert_msg(last && !strncmp(last + 1, "swap vs copy3: ", 15) &&
		      strstr(last, " of 1 scenario"), "last line: '%s'", last ? last + 1 : "");
	free(r);
}
END_TEST

static Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *core = tcase_create("core");
	TCase *limits = tcase_create("limits");
	TCase *prog = tcase_create("program");

	tcase_add_loop_test(limits, test_bad_input, 0, (int)FPB_ARRAY_SIZE(bad_cases));
	tcase_add_test(limits, test_unavailable_suite);
	tcase_add_test(core, test_counters_flags);
	tcase_add_test(core, test_list_events);
	tcase_add_test(limits, test_strategy_names_valid);
	tcase_add_test(core, test_good_input);
	tcase_add_test(core, test_default_backend);
	tcase_add_test(core, test_kernel_lists);
	tcase_add_test(core, test_help_version);
	tcase_add_test(core, test_list_names);
	tcase_add_test(core, test_man_names);
	tcase_add_test(core, test_registry_tables);
	tcase_add_test(core, test_usage_names);
	tcase_add_test(prog, test_program_exit_status);
	tcase_add_test(prog, test_counters_program);
	tcase_add_test(prog, test_program_no_fake_zero);
	tcase_add_test(prog, test_program_destination_first);
	tcase_add_test(prog, test_program_batch_budget);
	tcase_add_test(prog, test_program_clean_state_label);
	tcase_add_test(prog, test_program_family_view);
	tcase_set_timeout(prog, 60);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	suite_add_tcase(s, prog);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cli_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
