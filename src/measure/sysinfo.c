// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sysinfo.c - the run's surroundings for the result: clocksource, frequency governor and boost
 * (where the system exposes them; "" otherwise), a UTC timestamp, and what disturbed the run
 * (context switches from getrusage, migrations from the scheduler's statistics).
 */
#include "config.h"
#include <sys/time.h>
#include <sys/resource.h>
#include <time.h>
#include "harness.h"

static struct {
	struct rusage ru;
	bool ru_ok;
	long migrations;
	struct timespec t0;
} base;

/* First line of a small file into buf without the newline; false when unreadable. */
static bool read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (!ok) {
		buf[0] = 0;
		return false;
	}
	buf[strcspn(buf, "\n")] = 0;
	return true;
}

/* Migrations of the calling thread (se.nr_migrations), -1 when the kernel does not say. */
static long thread_migrations(void)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/thread-self/sched", "r");

	if (!f)
		f = fopen("/proc/self/sched", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *colon;

		if (strncmp(line, "se.nr_migrations", 16))
			continue;
		colon = strchr(line, ':');
		if (colon)
			v = strtol(colon + 1, NULL, 10);
		break;
	}
	fclose(f);
	return v;
}

static int thread_rusage(struct rusage *ru)
{
#ifdef RUSAGE_THREAD
	return getrusage(RUSAGE_THREAD, ru);
#else
	return getrusage(RUSAGE_SELF, ru);
#endif
}

/*
 * fpb_sysinfo_fill() - clocksource, governor and boost of run->cpu (call after pinning),
 * the UTC timestamp, and the baseline of context switches and migrations.
 */
void fpb_sysinfo_fill(struct fpb_runinfo *run)
{
	char path[128], buf[64];
	struct tm tm;
	time_t now = time(NULL);
	int cpu = run->cpu >= 0 ? run->cpu : 0;

	if (!read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		       run->clocksource, sizeof(run->clocksource)))
		run->clocksource[0] = 0;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/cpufreq/scaling_governor", cpu);
	if (!read_line(path, run->governor, sizeof(run->governor)))
		run->governor[0] = 0;

	run->boost[0] = 0;
	if (read_line("/sys/devices/system/cpu/cpufreq/boost", buf, sizeof(buf)))
		snprintf(run->boost, sizeof(run->boost), "%s", buf[0] == '1' ? "on" : "off");
	else if (read_line("/sys/devices/system/cpu/intel_pstate/no_turbo", buf, sizeof(buf)))
		snprintf(run->boost, sizeof(run->boost), "%s", buf[0] == '1' ? "off" : "on");

#if defined(__aarch64__)
	fpb_cpu_arm64_emulation(run->emulation, sizeof(run->emulation));	/* cpu-arm64.c */
#endif
	if (gmtime_r(&now, &tm))
		strftime(run->timestamp, sizeof(run->timestamp), "%Y-%m-%dT%H:%M:%SZ", &tm);

	base.ru_ok = !thread_rusage(&base.ru);
	base.migrations = thread_migrations();
	clock_gettime(CLOCK_MONOTONIC, &base.t0);
	run->ctx_switches_voluntary = 0;
	run->ctx_switches_involuntary = 0;
	run->migrations = base.migrations >= 0 ? 0 : -1;
}

/* fpb_sysinfo_finish() - context switches and migrations since fpb_sysinfo_fill, duration (s). */
void fpb_sysinfo_finish(struct fpb_runinfo *run)
{
	struct rusage ru;
	struct timespec t;
	long mig = thread_migrations();

	if (base.ru_ok && !thread_rusage(&ru)) {
		run->ctx_switches_voluntary = ru.ru_nvcsw - base.ru.ru_nvcsw;
		run->ctx_switches_involuntary = ru.ru_nivcsw - base.ru.ru_nivcsw;
	} else {
		run->ctx_switches_voluntary = -1;
		run->ctx_switches_involuntary = -1;
	}
	run->migrations = (mig >= 0 && base.migrations >= 0) ? mig - base.migrations : -1;
	clock_gettime(CLOCK_MONOTONIC, &t);
	run->duration_s = (double)(t.tv_sec - base.t0.tv_sec) +
			  (double)(t.tv_nsec - base.t0.tv_nsec) * 1e-9;
}
