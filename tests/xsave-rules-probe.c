/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * xsave-rules-probe.c - which rows of src/cpu/cpu-xsave-rules.c hold on this machine: each rule tried
 * a few times with the real instructions (x86-64 with XSAVEC and XGETBV(1)), printed beside what
 * the table says for this CPU's vendor.  Run it on a new machine before trusting the table.
 */
#include "cpu.h"

#if defined(__x86_64__)
#define ALL	0x3ULL		/* x87 | SSE; AVX added when XCR0 has it */

static uint8_t init_img[4096] __attribute__((aligned(64)));
static uint8_t buf[4096] __attribute__((aligned(64)));

struct obs {
	bool xsavec_skips, cmp_inits, std_loads, marks, keeps;
};

static inline uint64_t xinuse(void)
{
	uint32_t a, d;

	__asm__ __volatile__("xgetbv" : "=a"(a), "=d"(d) : "c"(1));
	return a | (uint64_t)d << 32;
}

#define XOP(name, insn)								\
	static inline void name(void *p, uint64_t m)				\
	{									\
		__asm__ __volatile__(insn " (%0)" : : "r"(p), "a"((uint32_t)m),	\
				     "d"((uint32_t)(m >> 32)) : "memory");	\
	}
XOP(xrstor, "xrstor64")
XOP(xsavec, "xsavec64")

static void zero(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = 0;
}

static void set32(uint8_t *p, uint32_t v)
{
	for (unsigned k = 0; k < 4; k++)
		p[k] = (uint8_t)(v >> (8 * k));
}

static uint32_t get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint32_t stmxcsr(void)
{
	uint32_t v;

	__asm__ __volatile__("stmxcsr %0" : "=m"(v));
	return v;
}

static inline void ldmxcsr(uint32_t v)
{
	__asm__ __volatile__("ldmxcsr %0" : : "m"(v));
}

/* One round; no vector registers or libc between the instructions. */
__attribute__((noinline, target("general-regs-only")))
static void probe(uint64_t all, struct obs *o)
{
	zero(init_img, sizeof(init_img));
	init_img[0] = 0x7f;
	init_img[1] = 0x03;
	set32(init_img + 24, 0x1f80);
	/* An init XRSTOR: does XINUSE[1] stay set?  Then XSAVEC over a planted MXCSR. */
	zero(buf, sizeof(buf));
	set32(buf + 24, 0x5f80);
	xrstor(init_img, all);
	o->keeps = xinuse() & 2;
	xsavec(buf, all);
	o->xsavec_skips = !(xinuse() & 6) && get32(buf + 24) == 0x5f80;
	/* LDMXCSR of a non-default value from the init state. */
	xrstor(init_img, all);
	ldmxcsr(0x5f80);
	o->marks = xinuse() & 2;
	/* Standard XRSTOR, XSTATE_BV 0, MXCSR 0x5f80 in the image. */
	zero(buf, sizeof(buf));
	buf[0] = 0x7f;
	buf[1] = 0x03;
	set32(buf + 24, 0x5f80);
	xrstor(buf, all);
	o->std_loads = stmxcsr() == 0x5f80;
	/* Compacted XRSTOR, XSTATE_BV 0, MXCSR 0x5f80 in the image. */
	set32(buf + 520, 0);
	set32(buf + 524, 0x80000000u);
	buf[520] = (uint8_t)all;
	xrstor(buf, all);
	o->cmp_inits = stmxcsr() == 0x1f80;
	xrstor(init_img, all);
}

int main(void)
{
	static const char *const tag[] = { "no", "yes" };
	struct fpb_cpu cpu;
	unsigned seen[FPB_NR_XSAVE_RULES] = { 0 };
	uint32_t table;
	const unsigned rounds = 20;

	fpb_cpu_detect(&cpu, &fpb_cpuid_native);
	if (!fpb_cpu_has(&cpu, FPB_CPU_XSAVEC) || !fpb_cpu_has(&cpu, FPB_CPU_XGETBV1)) {
		printf("skipped: needs XSAVEC and XGETBV(1)\n");
		return 0;
	}
	for (unsigned r = 0; r < rounds; r++) {
		struct obs o;

		probe(ALL | (cpu.xcr0 & 4), &o);
		seen[FPB_XR_XSAVEC_MXCSR_IF_SSE_INUSE] += o.xsavec_skips;
		seen[FPB_XR_CMP_XRSTOR_MXCSR_BY_SSE] += o.cmp_inits;
		seen[FPB_XR_STD_XRSTOR_LOADS_MXCSR] += o.std_loads;
		seen[FPB_XR_MXCSR_MARKS_SSE_INUSE] += o.marks;
		seen[FPB_XR_INIT_XRSTOR_KEEPS_SSE_INUSE] += o.keeps;
	}
	table = fpb_xsave_rules(&cpu);
	printf("# %s (family %u model %u), hypervisor %s: %u rounds\n",
	       cpu.brand[0] ? cpu.brand : cpu.vendor, cpu.family, cpu.model,
	       cpu.hypervisor[0] ? cpu.hypervisor : "none", rounds);
	printf("# rule                            seen  table(%s)\n", cpu.vendor);
	for (unsigned i = 0; i < FPB_NR_XSAVE_RULES; i++)
		printf("%-33s %2u/%u %s\n", fpb_xsave_rule_name(i), seen[i], rounds,
		       tag[(table >> i) & 1]);
	printf("# xsavec-mxcsr-if-sse-inuse is only seen when XINUSE[1] reads 0 after an init "
	       "XRSTOR\n");
	return 0;
}
#else
int main(void)
{
	printf("skipped: x86-64 only\n");
	return 0;
}
#endif
