// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * session.c - open and close the shared state of one run: pinning, CPU detection, TSC
 * frequency, timer, backend and system information, recorded in the result.
 */
#include "config.h"

#include <ctype.h>
#include <unistd.h>
#ifdef HAVE_LIBNUMA
#include <numa.h>
#endif

#include "session.h"
#include "busy.h"
#include "options.h"
#include "harness.h"
#include "cli.h"
#include "counters.h"

/* "auto": kmod when /dev/fpbench exists and the backend is built, else the default. */
static const struct fpb_backend_ops *fpb_session_backend(const char *name)
{
	if (name && strcmp(name, "auto"))
		return fpb_backend_find(name);
	if (!access("/dev/fpbench", F_OK) && fpb_backend_find("kmod"))
		return fpb_backend_find("kmod");
#if defined(__aarch64__)
	if (fpb_backend_find("arm64"))
		return fpb_backend_find("arm64");	/* backends/arm64.c */
#endif
	if (fpb_backend_find("user"))
		return fpb_backend_find("user");
	return fpb_nr_backends ? fpb_backends[0] : NULL;
}

/* The timer called name; "cycles" even where the timer registry does not list it yet. */
static struct fpb_timer *fpb_session_timer(const char *name)
{
	struct fpb_timer *t = fpb_timer_find(name);

	if (!t && name && !strcmp(name, "cycles"))
		t = &fpb_timer_cycles;
	return t;
}

/* The timer a run falls back to when --timer=cycles cannot count here. */
static const char *fpb_session_fallback_timer(void)
{
#if defined(__aarch64__)
	return "cntvct";	/* src/measure/timer-cntvct.c */
#else
	return "tsc";
#endif
}

/*
 * Open the counters of --counters/--events for this (pinned) thread.  Nothing countable is one
 * line on stderr, recorded in run->counters; the run goes on.  Some events skipped (no PMU): one
 * line too.  The final description is written at fpb_session_close().
 */
static void fpb_session_counters(struct fpb_session *s, const struct fpb_options *o,
				 struct fpb_runinfo *run)
{
	char msg[sizeof(run->counters)] = "";
	struct fpb_counters *c;

	if (!o->counters || !strcmp(o->counters, "none") || !o->nevents)
		return;
	c = fpb_counters_open(o->counters, o->events, o->nevents, msg, sizeof(msg));
	s->backend.counters = c;
	if (!c) {
		snprintf(run->counters, sizeof(run->counters), "%s",
			 msg[0] ? msg : "counters: nothing could be counted");
		/* A backend that is not built was already reported by fpb_options_parse. */
		if (fpb_counters_find(o->counters))
			fprintf(stderr, "fpbench: %s\n", strstr(msg, FPB_COUNTERS_NO_PMU) ?
				FPB_COUNTERS_NO_PMU : run->counters);
		return;
	}
	fpb_counters_describe(c, run->counters, sizeof(run->counters));
	if (c->nnames < c->nev) {
		if (c->nhardware_unavailable == c->nev - c->nnames)
			fprintf(stderr, "fpbench: %s\n", FPB_COUNTERS_NO_PMU);
		else
			fprintf(stderr, "fpbench: %s\n", run->counters);
	}
}

static int fpb_numa_node(int cpu)
{
#ifdef HAVE_LIBNUMA
	if (cpu >= 0 && numa_available() >= 0)
		return numa_node_of_cpu(cpu);
#endif
	(void)cpu;
	return -1;
}

/* Open a session; see session.h.  0, or -1 with the reason in why. */
int fpb_session_open(struct fpb_session *s, const struct fpb_options *o, struct fpb_result *r,
		     char *why, size_t len)
{
	const struct fpb_backend_ops *ops;
	struct fpb_runinfo *run = &r->run;
	char msg[FPB_REASON_LEN] = "";
	bool want_ratio;

	memset(s, 0, sizeof(*s));
	s->run = run;
	snprintf(run->version, sizeof(run->version), "%s", PACKAGE_VERSION);
	snprintf(run->git_revision, sizeof(run->git_revision), "%s", fpb_git_revision());

	if (fpb_harness_pin(o->cpu, run, msg, sizeof(msg))) {
		snprintf(why, len, "--cpu: cannot pin to CPU %d: %s", o->cpu,
			 msg[0] ? msg : "failed");
		return -1;
	}
	/* fpb_harness_pin warns about a busy SMT sibling itself; the result records it. */
	if (run->numa_node < 0)
		run->numa_node = fpb_numa_node(run->cpu);

	fpb_cpu_detect(&s->cpu, &fpb_cpuid_native);
	fpb_cpu_detect_system(&s->cpu);
	fpb_timer_tsc_frequency(&s->cpu);

	s->timer = fpb_session_timer(o->timer ? o->timer : "tsc");
	if (!s->timer) {
		snprintf(why, len, "--timer: unknown timer '%s'", o->timer);
		return -1;
	}
	msg[0] = '\0';
	if (s->timer->init && s->timer->init(s->timer, &s->cpu, msg, sizeof(msg))) {
		const char *fb = fpb_session_fallback_timer();

		if (s->timer != &fpb_timer_cycles) {
			snprintf(why, len, "--timer=%s: %s", s->timer->name,
				 msg[0] ? msg : "cannot start");
			s->timer = NULL;
			return -1;
		}
		/* No core-cycle counter here (every VM): say so once, keep the default timer. */
		fprintf(stderr, "fpbench: --timer=cycles: %s; falling back to %s\n",
			msg[0] ? msg : "cannot start", fb);
		s->timer = fpb_session_timer(fb);
		msg[0] = '\0';
		if (!s->timer || (s->timer->init &&
				  s->timer->init(s->timer, &s->cpu, msg, sizeof(msg)))) {
			snprintf(why, len, "--timer=%s (fallback for cycles): %s", fb,
				 msg[0] ? msg : "cannot start");
			s->timer = NULL;
			return -1;
		}
	}
	snprintf(run->timer, sizeof(run->timer), "%s", s->timer->name);
	snprintf(run->unit, sizeof(run->unit), "%s", s->timer->unit);

	ops = fpb_session_backend(o->backend);
	if (!ops) {
		snprintf(why, len, "--backend: no backend '%s' in this build",
			 o->backend ? o->backend : "user");
		return -1;
	}
	msg[0] = '\0';
	if (ops->probe && ops->probe(&s->cpu, msg, sizeof(msg))) {
		snprintf(why, len, "--backend=%s: %s", ops->name, msg[0] ? msg : "not usable here");
		return -1;
	}
	s->backend.ops = ops;
	s->backend.cpu = &s->cpu;
	s->backend.timer = s->timer;
	s->backend.numa_node = run->numa_node;
	msg[0] = '\0';
	if (ops->open && ops->open(&s->backend, msg, sizeof(msg))) {
		snprintf(why, len, "--backend=%s: %s", ops->name, msg[0] ? msg : "cannot open");
		s->backend.ops = NULL;
		return -1;
	}

	/* Counters open on this pinned thread, after the backend (it reads them per batch). */
	fpb_session_counters(s, o, run);
	want_ratio = s->timer == &fpb_timer_cycles ||
		     (o->counters && strcmp(o->counters, "none") && s->backend.counters);
	msg[0] = '\0';
	if (want_ratio && fpb_timer_cycles_tsc_ratio(&run->tsc_per_core_cycle, msg, sizeof(msg)))
		run->tsc_per_core_cycle = 0;	/* unknown: no core-cycle counter here */

	run->xsave_sizes[0] = s->cpu.xsave_size_xcr0;
	run->xsave_sizes[1] = s->cpu.xsave_size_max;
	run->xsave_sizes[2] = s->cpu.xsaves_size;
	run->xsave_sizes[3] = fpb_cpu_has(&s->cpu, FPB_CPU_FXSR) ? 512 : 0;
	fpb_sysinfo_fill(run);
	run->wait_quiet_s = -1;
	if (o->wait_quiet_s > 0) {
		run->quiet_at_start = fpb_busy_wait_quiet(o->wait_quiet_s, &run->wait_quiet_s);
		if (!run->quiet_at_start && !o->quiet)
			fprintf(stderr, "fpbench: the other CPUs stayed busy for %.1f s "
				"(--wait-quiet); measuring anyway, busy trials are marked\n",
				run->wait_quiet_s);
	}
	/* qemu's system emulator names itself in the hypervisor leaf; ring 0 then runs emulated too. */
	if (!run->emulation[0] && !strcmp(s->cpu.hypervisor, "TCGTCGTCGTCG"))
		snprintf(run->emulation, sizeof(run->emulation), "qemu-tcg");
	r->cpu = s->cpu;
	return 0;
}

/* Close the session and finish the run information. */
void fpb_session_close(struct fpb_session *s, struct fpb_result *r)
{
	if (s->backend.counters) {
		/* The final word: multiplexing and read method are known only now. */
		if (r)
			fpb_counters_describe(s->backend.counters, r->run.counters,
					      sizeof(r->run.counters));
		fpb_counters_close(s->backend.counters);
		s->backend.counters = NULL;
	}
	if (s->backend.ops && s->backend.ops->close)
		s->backend.ops->close(&s->backend);
	s->backend.ops = NULL;
	if (s->timer && s->timer->fini)
		s->timer->fini(s->timer);
	s->timer = NULL;
	if (r)
		fpb_sysinfo_finish(&r->run);
	/* How much of the run the machine was busy: every row's trials. */
	for (size_t i = 0; r && i < r->nrows; i++)
		for (unsigned k = 0; k < r->rows[i].ntrials; k++) {
			r->run.trials_total++;
			r->run.trials_disturbed += r->rows[i].trials[k].disturbed;
		}
}

/* Does s need quoting for a POSIX shell? */
static bool fpb_needs_quote(const char *s)
{
	if (!*s)
		return true;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || strchr("-_=.,:/+@%", *s)))
			return true;
	return false;
}

/* Record argv as one shell-quoted line (truncated to the field's size). */
void fpb_session_command_line(struct fpb_runinfo *run, int argc, char **argv)
{
	size_t off = 0, cap = sizeof(run->command_line);
	char *d = run->command_line;

	d[0] = '\0';
	for (int i = 0; i < argc && off + 1 < cap; i++) {
		const char *a = argv[i];

		if (i)
			d[off++] = ' ';
		if (!fpb_needs_quote(a)) {
			off += snprintf(d + off, cap - off, "%s", a);
			continue;
		}
		if (off + 1 < cap)
			d[off++] = '\'';
		for (; *a && off + 5 < cap; a++) {
			if (*a == '\'') {
				memcpy(d + off, "'\\''", 4);
				off += 4;
			} else {
				d[off++] = *a;
			}
		}
		if (off + 1 < cap)
			d[off++] = '\'';
		d[off < cap ? off : cap - 1] = '\0';
	}
	if (off >= cap)
		d[cap - 1] = '\0';
}
