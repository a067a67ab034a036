// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cpu-xsave.c - CPUID leaf 0xD parsing shared by the tool and the kernel module (no libc: the
 * values come through a struct fpb_cpuid_source, native, canned or ring 0).
 */
#include "cpu-xsave.h"

static struct fpb_cpuid_regs xsave_leaf(const struct fpb_cpuid_source *src, uint32_t sub)
{
	struct fpb_cpuid_regs r = { 0, 0, 0, 0 };

	if (src->cpuid(src, 0xd, sub, &r))
		r = (struct fpb_cpuid_regs){ 0, 0, 0, 0 };
	return r;
}

void fpb_cpu_xsave_describe(struct fpb_cpu *cpu, const struct fpb_cpuid_source *src)
{
	struct fpb_cpuid_regs r;

	r = xsave_leaf(src, 0);
	cpu->xcr0_supported = (uint64_t)r.edx << 32 | r.eax;
	cpu->xsave_size_xcr0 = r.ebx;
	cpu->xsave_size_max = r.ecx;
	r = xsave_leaf(src, 1);
	cpu->xsaves_size = r.ebx;
	cpu->xss_supported = (uint64_t)r.edx << 32 | r.ecx;

	/* Components 0 and 1 live in the legacy region: x87 bytes 0-159, XMM from 160. */
	if (cpu->xcr0_supported & FPB_BIT(0))
		cpu->comp[0] = (struct fpb_xcomp){ .present = true, .size = 160, .std_offset = 0 };
	if (cpu->xcr0_supported & FPB_BIT(1))
		cpu->comp[1] = (struct fpb_xcomp){ .present = true, .size = 256,
						.std_offset = 160 };
	/* Bit 63 is reserved (XCOMP_BV uses it for the compacted format): no component there. */
	for (unsigned i = 2; i < FPB_XSTATE_MAX - 1; i++) {
		struct fpb_xcomp *c = &cpu->comp[i];

		r = xsave_leaf(src, i);
		if (!r.eax)
			continue;
		c->present = true;
		c->size = r.eax;
		c->supervisor = r.ecx & 1;
		c->align64 = r.ecx & 2;
		c->xfd_capable = r.ecx & 4;
		c->std_offset = c->supervisor ? 0 : r.ebx;
	}
}
