// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pin.c - keep the measuring thread on one CPU, find its NUMA node, and warn when the CPU's SMT
 * sibling is busy (a busy sibling shares the core's execution units and caches).
 */
#include "config.h"
#include <sched.h>
#include <unistd.h>
#include <time.h>
#include "harness.h"
#ifdef HAVE_LIBNUMA
#include <numa.h>
#endif

#define BUSY_SAMPLE_NS	50000000L	/* how long /proc/stat is watched */
#define BUSY_THRESHOLD	0.25		/* share of non-idle time that counts as busy */

/* Last online CPU we are allowed to run on; -1 when none is known. */
static int last_allowed_cpu(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return (int)sysconf(_SC_NPROCESSORS_ONLN) - 1;
	for (int c = CPU_SETSIZE - 1; c >= 0; c--)
		if (CPU_ISSET(c, &set))
			return c;
	return -1;
}

/* Busy and total jiffies of one CPU from /proc/stat; -1 when not found. */
static int cpu_jiffies(int cpu, unsigned long long *busy, unsigned long long *total)
{
	char line[512], want[16];
	FILE *f = fopen("/proc/stat", "r");
	int ret = -1;

	if (!f)
		return -1;
	snprintf(want, sizeof(want), "cpu%d ", cpu);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v[8] = { 0 };

		if (strncmp(line, want, strlen(want)))
			continue;
		if (sscanf(line + strlen(want), "%llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
			   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) < 4)
			break;
		/* user nice system idle iowait irq softirq steal */
		*total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
		*busy = *total - v[3] - v[4];
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}

/* SMT siblings of cpu other than itself, from sysfs; returns how many (at most max). */
static int smt_siblings(int cpu, int *out, int max)
{
	char path[96], buf[128], *p;
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/topology/thread_siblings_list",
		 cpu);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	/* "0,4" or "0-1" */
	for (p = buf; *p && n < max;) {
		char *end;
		long a = strtol(p, &end, 10), b;

		if (end == p)
			break;
		b = a;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		for (long c = a; c <= b && n < max; c++)
			if (c != cpu)
				out[n++] = (int)c;
		p = *end == ',' ? end + 1 : end;
		if (*p == '\n')
			break;
	}
	return n;
}

static int cpu_numa_node(int cpu)
{
	char path[96];

#ifdef HAVE_LIBNUMA
	if (numa_available() >= 0)
		return numa_node_of_cpu(cpu);
#endif
	for (int node = 0; node < 64; node++) {
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/node%d", cpu, node);
		if (!access(path, F_OK))
			return node;
	}
	return -1;
}

/*
 * fpb_harness_pin() - pin the calling thread to cpu (-1: the last online CPU it may use).
 * Fills run->cpu, run->numa_node and run->smt_sibling_busy (warning on stderr when busy).
 * Returns 0, or -1 with a one-line reason.
 */
int fpb_harness_pin(int cpu, struct fpb_runinfo *run, char *why, size_t len)
{
	unsigned long long b0[8], t0[8], b1, t1;
	struct timespec ts = { 0, BUSY_SAMPLE_NS };
	int sib[8], nsib, ok[8];
	cpu_set_t set;

	if (cpu < 0)
		cpu = last_allowed_cpu();
	if (cpu < 0 || cpu >= CPU_SETSIZE) {
		snprintf(why, len, "no CPU to pin to");
		return -1;
	}
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		snprintf(why, len, "sched_setaffinity: %s", strerror(errno));
		return -1;
	}
	run->cpu = cpu;
	run->numa_node = cpu_numa_node(cpu);
	run->smt_sibling_busy = false;

	nsib = smt_siblings(cpu, sib, 8);
	if (!nsib)
		return 0;
	for (int i = 0; i < nsib; i++)
		ok[i] = !cpu_jiffies(sib[i], &b0[i], &t0[i]);
	nanosleep(&ts, NULL);
	for (int i = 0; i < nsib; i++) {
		if (!ok[i] || cpu_jiffies(sib[i], &b1, &t1) || t1 <= t0[i])
			continue;
		if ((double)(b1 - b0[i]) / (double)(t1 - t0[i]) > BUSY_THRESHOLD) {
			run->smt_sibling_busy = true;
			fprintf(stderr, "fpbench: warning: CPU %d's SMT sibling CPU %d is busy "
				"(%.0f%% over 50 ms): figures may be noisy (try --cpu=)\n", cpu, sib[i],
				100.0 * (double)(b1 - b0[i]) / (double)(t1 - t0[i]));
		}
	}
	return 0;
}
