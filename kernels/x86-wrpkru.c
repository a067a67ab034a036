// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86-wrpkru.c - WRPKRU of the current value.
 *
 * Per op: one WRPKRU (ECX = EDX = 0) writing back the value RDPKRU read once per batch, so memory
 * protection never changes.  Needs CPUID.7.ECX.OSPKE, else #UD.
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
	__asm__ __volatile__("xor %%ecx, %%ecx\n\t"
			     "rdpkru\n\t"
			     "xor %%edx, %%edx\n\t"
			     "test %0, %0\n\t"
			     "jz 2f\n"
			     ".p2align 4\n"
			     "1:\n\t"
			     "wrpkru\n\t"
			     "dec %0\n\t"
			     "jnz 1b\n"
			     "2:"
			     : "+r"(n) : : "rax", "rcx", "rdx", "cc", "memory");
}

const struct fpb_kernel fpb_kernel_wrpkru = {
	.name		= "wrpkru",
	.desc		= "WRPKRU of the current value (protection unchanged)",
	.flags		= FPB_K_ARCH_X86,
	.supported	= supported,
	.body		= body,
};
