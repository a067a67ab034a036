/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cpu-system.c - what only the running system knows: microcode revision (/proc/cpuinfo), kernel
 * release (uname) and IA32_XSS through the msr driver when it is loaded and readable.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "cpu.h"

#define MSR_IA32_XSS	0xda0

static void read_microcode(struct fpb_cpu *cpu)
{
	char line[256];
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon, *v, *end;

		if (strncmp(line, "microcode", 9) || !(colon = strchr(line, ':')))
			continue;
		for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
			;
		end = v + strcspn(v, " \t\r\n");
		*end = '\0';
		if (*v)
			snprintf(cpu->microcode, sizeof(cpu->microcode), "%s", v);
		break;
	}
	fclose(f);
}

/* IA32_XSS of the CPU we run on; only meaningful (the MSR only exists) with XSAVES. */
static void read_xss(struct fpb_cpu *cpu)
{
	char path[64];
	uint64_t v;
	int n = sched_getcpu(), fd;

	if (!fpb_cpu_has(cpu, FPB_CPU_XSAVES))
		return;
	snprintf(path, sizeof(path), "/dev/cpu/%d/msr", n < 0 ? 0 : n);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (pread(fd, &v, sizeof(v), MSR_IA32_XSS) == (ssize_t)sizeof(v)) {
		cpu->xss = v;
		cpu->xss_known = true;
	}
	close(fd);
}

/* Fill microcode, kernel release and IA32_XSS (when readable); refresh the fingerprint. */
void fpb_cpu_detect_system(struct fpb_cpu *cpu)
{
	struct utsname u;

	read_microcode(cpu);
	if (!uname(&u))
		snprintf(cpu->kernel, sizeof(cpu->kernel), "%s", u.release);
	read_xss(cpu);
#if defined(__aarch64__)
	fpb_cpu_arm64_detect(cpu);	/* src/cpu/cpu-arm64.c */
#endif
	fpb_cpu_fingerprint(cpu);
}
