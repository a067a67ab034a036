// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86-rdpkru.c - RDPKRU: read the protection-key rights register.
 *
 * Per op: xor ecx,ecx; rdpkru.  Needs PKU enabled by the OS (CPUID.7.ECX.OSPKE), else #UD.
 */
#include "x86-asm.h"
#include "cpu.h"

static bool supported(const struct fpb_cpu *cpu, char *why, size_t len)
{
	if (!fpb_cpu_has(cpu, FPB_CPU_PKU) || !fpb_cpu_has(cpu, FPB_CPU_OSPKE)) {
		snprintf(why, len, "skipped: no PKU/OSPKE on this CPU");
		return false;
	}
	return true;
}

static void body(struct fpb_kctx *ctx, uint64_t n)
{
	__asm__ __volatile__("test %0, %0\n\t"
			     "jz 2f\n"
			     ".p2align 4\n"
			     "1:\n\t"
			     "xor %%ecx, %%ecx\n\t"
			     "rdpkru\n\t"
			     "dec %0\n\t"
			     "jnz 1b\n"
			     "2:"
			     : "+r"(n) : : "rax", "rcx", "rdx", "cc");
}

const struct fpb_kernel fpb_kernel_rdpkru = {
	.name		= "rdpkru",
	.desc		= "RDPKRU: read the protection-key rights register",
	.flags		= FPB_K_ARCH_X86,
	.supported	= supported,
	.body		= body,
};
