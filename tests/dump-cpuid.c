/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dump-cpuid.c - print this machine's CPUID leaves in the canned format of cpu.h, so a machine
 * becomes a test input: ./tests/dump-cpuid > tests/cpuid/<name>.txt (then add a header comment
 * saying where it came from).
 */
#include <sys/utsname.h>
#include "cpu.h"

int main(void)
{
	struct fpb_cpu cpu;
	struct utsname u;
	size_t n = fpb_cpuid_dump(&fpb_cpuid_native, NULL, 0) + 1;
	char *buf = malloc(n);

	if (!buf)
		return 1;
	fpb_cpu_detect(&cpu, &fpb_cpuid_native);
	fpb_cpu_detect_system(&cpu);
	printf("# %s (family %u model %u stepping %u), microcode %s, hypervisor %s\n",
	       cpu.brand[0] ? cpu.brand : cpu.vendor, cpu.family, cpu.model, cpu.stepping,
	       cpu.microcode, cpu.hypervisor[0] ? cpu.hypervisor : "none");
	if (!uname(&u))
		printf("# recorded by tests/dump-cpuid under Linux %s\n", u.release);
	fpb_cpuid_dump(&fpb_cpuid_native, buf, n);
	fputs(buf, stdout);
	free(buf);
	return 0;
}
