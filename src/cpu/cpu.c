/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cpu.c - CPU detection from a CPUID/XGETBV source: vendor, model, features, leaf 0xD, XCR0,
 * hypervisor and the machine fingerprint.  Touches no hardware itself (see cpuid-native.c).
 */
#include <ctype.h>
#include "cpu.h"
#include "cpu-xsave.h"

const char *const fpb_cpu_feature_names[FPB_NR_CPU_FEATURES] = {
#define FPB_X_NAME(id, str) [FPB_CPU_##id] = str,
	FPB_CPU_FEATURES(FPB_X_NAME)
#undef FPB_X_NAME
};

/* One feature bit: where CPUID reports it. */
struct cpu_bit {
	enum fpb_cpu_feature f;
	uint32_t leaf, subleaf;
	uint8_t reg;		/* 0 eax, 1 ebx, 2 ecx, 3 edx */
	uint8_t bit;
};

static const struct cpu_bit fpb_cpu_bits[] = {
	{ FPB_CPU_FXSR,		0x1, 0, 3, 24 },
	{ FPB_CPU_XSAVE,	0x1, 0, 2, 26 },
	{ FPB_CPU_OSXSAVE,	0x1, 0, 2, 27 },
	{ FPB_CPU_AVX,		0x1, 0, 2, 28 },
	{ FPB_CPU_HYPERVISOR,	0x1, 0, 2, 31 },
	{ FPB_CPU_AVX2,		0x7, 0, 1, 5 },
	{ FPB_CPU_AVX512F,	0x7, 0, 1, 16 },
	{ FPB_CPU_PKU,		0x7, 0, 2, 3 },
	{ FPB_CPU_OSPKE,	0x7, 0, 2, 4 },
	{ FPB_CPU_RDPID,	0x7, 0, 2, 22 },
	{ FPB_CPU_AMX_TILE,	0x7, 0, 3, 24 },
	{ FPB_CPU_XSAVEOPT,	0xd, 1, 0, 0 },
	{ FPB_CPU_XSAVEC,	0xd, 1, 0, 1 },
	{ FPB_CPU_XGETBV1,	0xd, 1, 0, 2 },
	{ FPB_CPU_XSAVES,	0xd, 1, 0, 3 },
	{ FPB_CPU_XFD,		0xd, 1, 0, 4 },
	{ FPB_CPU_RDTSCP,	0x80000001u, 0, 3, 27 },
	{ FPB_CPU_INVTSC,	0x80000007u, 0, 3, 8 },
};

/* CPUID through src, all-zero when the leaf is absent or beyond its range's maximum. */
static struct fpb_cpuid_regs leaf(const struct fpb_cpuid_source *src, uint32_t max,
				  uint32_t l, uint32_t sub)
{
	struct fpb_cpuid_regs r = { 0, 0, 0, 0 };

	if (l > max || src->cpuid(src, l, sub, &r))
		memset(&r, 0, sizeof(r));
	return r;
}

static uint32_t reg_of(const struct fpb_cpuid_regs *r, unsigned n)
{
	const uint32_t v[4] = { r->eax, r->ebx, r->ecx, r->edx };

	return v[n & 3];
}

/* Copy n bytes of register text, replacing what is not printable ASCII by '?'. */
static void put_text(char *dst, const uint32_t *regs, unsigned nregs)
{
	unsigned k = 0;

	for (unsigned i = 0; i < nregs; i++)
		for (unsigned b = 0; b < 4; b++) {
			unsigned char c = (unsigned char)(regs[i] >> (8 * b));

			dst[k++] = c == 0 ? '\0' : (c >= 0x20 && c < 0x7f) ? (char)c : '?';
		}
	dst[k] = '\0';
}

static void detect_id(struct fpb_cpu *cpu, const struct fpb_cpuid_source *src, uint32_t max)
{
	struct fpb_cpuid_regs r = leaf(src, UINT32_MAX, 0, 0);
	uint32_t v[3] = { r.ebx, r.edx, r.ecx };
	unsigned base_family, ext_model;

	put_text(cpu->vendor, v, 3);
	r = leaf(src, max, 1, 0);
	base_family = (r.eax >> 8) & 0xf;
	ext_model = (r.eax >> 16) & 0xf;
	cpu->family = base_family;
	if (base_family == 0xf)
		cpu->family += (r.eax >> 20) & 0xff;
	cpu->model = (r.eax >> 4) & 0xf;
	/* The extended model counts for base families 6 and 15 (AMD only uses 15). */
	if (base_family == 0xf || base_family == 0x6)
		cpu->model |= ext_model << 4;
	cpu->stepping = r.eax & 0xf;
}

static void detect_brand(struct fpb_cpu *cpu, const struct fpb_cpuid_source *src, uint32_t emax)
{
	uint32_t v[12];
	char *p;

	if (emax < 0x80000004u)
		return;
	for (unsigned i = 0; i < 3; i++) {
		struct fpb_cpuid_regs r = leaf(src, emax, 0x80000002u + i, 0);

		v[4 * i] = r.eax;
		v[4 * i + 1] = r.ebx;
		v[4 * i + 2] = r.ecx;
		v[4 * i + 3] = r.edx;
	}
	put_text(cpu->brand, v, 12);
	/* Trim the padding some parts put on either side. */
	p = cpu->brand;
	while (*p == ' ')
		p++;
	memmove(cpu->brand, p, strlen(p) + 1);
	for (size_t n = strlen(cpu->brand); n && cpu->brand[n - 1] == ' '; n--)
		cpu->brand[n - 1] = '\0';
}

/* Leaf 0xD: supported masks, sizes and every component's sub-leaf (shared/cpu-xsave.c). */
static void detect_xstate(struct fpb_cpu *cpu, const struct fpb_cpuid_source *src, uint32_t max)
{
	if (max < 0xd || !fpb_cpu_has(cpu, FPB_CPU_XSAVE))
		return;
	fpb_cpu_xsave_describe(cpu, src);
}

static void detect_hypervisor(struct fpb_cpu *cpu, const struct fpb_cpuid_source *src)
{
	struct fpb_cpuid_regs r;
	uint32_t v[3];

	if (!fpb_cpu_has(cpu, FPB_CPU_HYPERVISOR))
		return;
	if (src->cpuid(src, 0x40000000u, 0, &r)) {
		snprintf(cpu->hypervisor, sizeof(cpu->hypervisor), "unnamed");
		return;
	}
	v[0] = r.ebx;
	v[1] = r.ecx;
	v[2] = r.edx;
	put_text(cpu->hypervisor, v, 3);
	for (size_t n = strlen(cpu->hypervisor); n && cpu->hypervisor[n - 1] == ' '; n--)
		cpu->hypervisor[n - 1] = '\0';
	if (!cpu->hypervisor[0])
		snprintf(cpu->hypervisor, sizeof(cpu->hypervisor), "unnamed");
}

/* Recompute cpu->fingerprint: vendor-family-model-stepping-microcode-xcr0-hypervisor. */
void fpb_cpu_fingerprint(struct fpb_cpu *cpu)
{
	char *p = cpu->fingerprint;

	snprintf(p, sizeof(cpu->fingerprint), "%s-%u-%u-%u-%s-xcr0_%llx-%s",
		 cpu->vendor[0] ? cpu->vendor : "unknown", cpu->family, cpu->model, cpu->stepping,
		 cpu->microcode[0] ? cpu->microcode : "unknown", (unsigned long long)cpu->xcr0,
		 cpu->hypervisor[0] ? cpu->hypervisor : "bare");
	for (; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '_' && *p != '-')
			*p = '_';
}

/* Detect everything struct fpb_cpu holds that CPUID/XGETBV tell.  Never fails. */
void fpb_cpu_detect(struct fpb_cpu *cpu, const struct fpb_cpuid_source *src)
{
	struct fpb_cpuid_regs r;
	uint32_t max, emax;

	memset(cpu, 0, sizeof(*cpu));
	snprintf(cpu->microcode, sizeof(cpu->microcode), "unknown");
	cpu->tsc_hz_source = "unknown";

	r = leaf(src, UINT32_MAX, 0, 0);
	max = r.eax;
	r = leaf(src, UINT32_MAX, 0x80000000u, 0);
	emax = (r.eax & 0xffff0000u) == 0x80000000u ? r.eax : 0;

	detect_id(cpu, src, max);
	for (size_t i = 0; i < FPB_ARRAY_SIZE(fpb_cpu_bits); i++) {
		const struct cpu_bit *b = &fpb_cpu_bits[i];

		r = leaf(src, b->leaf & 0x80000000u ? emax : max, b->leaf, b->subleaf);
		if (reg_of(&r, b->reg) & (1u << b->bit))
			cpu->features |= FPB_BIT(b->f);
	}
	/* XSAVE-dependent bits mean nothing without XSAVE (some hypervisors leave them set). */
	if (!fpb_cpu_has(cpu, FPB_CPU_XSAVE))
		cpu->features &= ~(FPB_BIT(FPB_CPU_OSXSAVE) | FPB_BIT(FPB_CPU_XSAVEOPT) |
				   FPB_BIT(FPB_CPU_XSAVEC) | FPB_BIT(FPB_CPU_XGETBV1) |
				   FPB_BIT(FPB_CPU_XSAVES) | FPB_BIT(FPB_CPU_XFD));
	detect_brand(cpu, src, emax);
	detect_xstate(cpu, src, max);
	if (fpb_cpu_has(cpu, FPB_CPU_OSXSAVE) && src->xgetbv)
		if (src->xgetbv(src, 0, &cpu->xcr0))
			cpu->xcr0 = 0;
	/* A property of the running CPU, not of its CPUID: canned sets leave it 0. */
	if (src == &fpb_cpuid_native && fpb_cpu_has(cpu, FPB_CPU_XGETBV1))
		cpu->xinuse_untracked = fpb_cpu_xinuse_untracked_probe(cpu->xcr0);
	detect_hypervisor(cpu, src);
	fpb_cpu_fingerprint(cpu);
}
