/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cpu.h - CPU and environment detection.
 *
 * Every CPUID and XGETBV read goes through struct fpb_cpuid_source, so tests can feed canned leaf
 * sets taken from real CPUs (files under tests/cpuid/) and the layout code never touches the hardware.
 */
#ifndef FPB_CPU_H
#define FPB_CPU_H

#include "fpb_env.h"

struct fpb_cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

/* One small interface for CPUID and XGETBV: native, or canned from a file. */
struct fpb_cpuid_source {
	const char *name;	/* "native" or the canned file's name */
	/* Returns 0, or -1 when the leaf is not present (canned sets: not recorded). */
	int (*cpuid)(const struct fpb_cpuid_source *src, uint32_t leaf, uint32_t subleaf,
		     struct fpb_cpuid_regs *out);
	/* Returns 0, or -1 when XGETBV is unavailable (no OSXSAVE) or the XCR is not readable. */
	int (*xgetbv)(const struct fpb_cpuid_source *src, uint32_t xcr, uint64_t *out);
	void *priv;
};

extern const struct fpb_cpuid_source fpb_cpuid_native;

/*
 * Load a canned leaf set.  Format (one record a line, '#' comments; the file says where it was
 * taken from in its header comment):
 *   leaf subleaf eax ebx ecx edx        all hex, e.g. "0x0000000d 0x00000001 0x0000000f ..."
 *   xcr0 0x...                          value XGETBV(0) returned
 *   xinuse 0x...                        value XGETBV(1) returned (optional)
 * Returns 0, or -1 with a one-line reason in why.
 */
int fpb_cpuid_canned_load(struct fpb_cpuid_source *src, const char *path, char *why, size_t len);
void fpb_cpuid_canned_free(struct fpb_cpuid_source *src);

/*
 * Write the leaves detection reads from src, in the canned format above, into buf.  Returns the
 * length of the whole dump, like snprintf (the text is cut when len is too small).
 */
size_t fpb_cpuid_dump(const struct fpb_cpuid_source *src, char *buf, size_t len);

/* Feature flags, one bit each, named for output through FPB_CPU_FEATURES. */
#define FPB_CPU_FEATURES(X)						\
	X(FXSR,		"fxsr")						\
	X(XSAVE,	"xsave")					\
	X(OSXSAVE,	"osxsave")					\
	X(XSAVEOPT,	"xsaveopt")					\
	X(XSAVEC,	"xsavec")					\
	X(XGETBV1,	"xgetbv1")					\
	X(XSAVES,	"xsaves")					\
	X(XFD,		"xfd")						\
	X(AVX,		"avx")						\
	X(AVX2,		"avx2")						\
	X(AVX512F,	"avx512f")					\
	X(AMX_TILE,	"amx-tile")					\
	X(PKU,		"pku")						\
	X(OSPKE,	"ospke")					\
	X(RDTSCP,	"rdtscp")					\
	X(RDPID,	"rdpid")					\
	X(INVTSC,	"invariant-tsc")				\
	X(HYPERVISOR,	"hypervisor")					\
	X(ASIMD,	"asimd")	/* arm64 from here: HWCAP bits */	\
	X(SVE,		"sve")						\
	X(SVE2,		"sve2")						\
	X(SME,		"sme")						\
	X(SME_FA64,	"sme-fa64")

enum fpb_cpu_feature {
#define FPB_X_ENUM(id, str) FPB_CPU_##id,
	FPB_CPU_FEATURES(FPB_X_ENUM)
#undef FPB_X_ENUM
	FPB_NR_CPU_FEATURES
};

extern const char *const fpb_cpu_feature_names[FPB_NR_CPU_FEATURES];

#define FPB_XSTATE_MAX	64	/* XCR0/IA32_XSS bit positions */

/* One state component as CPUID leaf 0xD describes it. */
struct fpb_xcomp {
	bool present;		/* sub-leaf reports a non-zero size */
	bool supervisor;	/* IA32_XSS-managed (0xD.i ECX bit 0) */
	bool align64;		/* 64-byte aligned in the compacted format (0xD.i ECX bit 1) */
	bool xfd_capable;	/* XFD can arm it (0xD.i ECX bit 2) */
	uint32_t size;		/* bytes */
	uint32_t std_offset;	/* standard-format offset (user components only; vendor specific) */
};

#define FPB_CPU_A64_MAX_VLS	16	/* SVE/SME lengths: multiples of 16 bytes up to 256 */

/*
 * The arm64 machine facts beyond MIDR and the maximum vector lengths (struct fpb_cpu below):
 * HWCAP words, MIDR decoded into names, and every vector length the system offers.  An x86
 * result has none of them (hwcap 0: the writers leave the arm64 description out).
 */
struct fpb_cpu_arm64 {
	uint64_t hwcap, hwcap2;		/* getauxval(AT_HWCAP), getauxval(AT_HWCAP2); 0 unknown */
	char implementer[24];		/* MIDR implementer's name ("Arm"), "" when not known */
	char part[24];			/* MIDR part's name ("Neoverse V2", "qemu max"), "" unknown */
	unsigned sve_vls[FPB_CPU_A64_MAX_VLS];	/* SVE vector lengths offered, bytes, ascending */
	unsigned nsve_vls;
	unsigned sve_vl;		/* the thread's SVE vector length at detection; 0 no SVE */
	unsigned sme_svls[FPB_CPU_A64_MAX_VLS];	/* streaming vector lengths offered, ascending */
	unsigned nsme_svls;
	unsigned sme_svl;		/* the thread's streaming vector length; 0 no SME */
};

/* MIDR_EL1 fields (Arm ARM D23.2): implementer [31:24], variant [23:20], part [15:4], rev [3:0]. */
#define FPB_MIDR_IMPLEMENTER(m)	((unsigned)((m) >> 24 & 0xff))
#define FPB_MIDR_VARIANT(m)	((unsigned)((m) >> 20 & 0xf))
#define FPB_MIDR_PART(m)	((unsigned)((m) >> 4 & 0xfff))
#define FPB_MIDR_REVISION(m)	((unsigned)((m) & 0xf))

/*
 * The HWCAP bits of interest to FP/SVE/SME state switching: X(word 1 or 2, bit, name), bit
 * numbers as in Linux's arch/arm64/include/uapi/asm/hwcap.h.
 */
#define FPB_A64_HWCAPS(X)						\
	X(1, 0, "fp") X(1, 1, "asimd") X(1, 11, "cpuid") X(1, 22, "sve")	\
	X(2, 1, "sve2") X(2, 36, "sve2p1") X(2, 23, "sme") X(2, 24, "sme-i16i64") \
	X(2, 25, "sme-f64f64") X(2, 30, "sme-fa64") X(2, 37, "sme2") X(2, 38, "sme2p1")

/* Names of the FPB_A64_HWCAPS bits set in hwcap/hwcap2 into out[]; returns how many (<= max). */
static inline size_t fpb_cpu_a64_hwcap_names(uint64_t hwcap, uint64_t hwcap2, const char **out,
					     size_t max)
{
	static const struct { uint8_t word, bit; const char *name; } t[] = {
#define FPB_X_HWCAP(w, b, s) { w, b, s },
		FPB_A64_HWCAPS(FPB_X_HWCAP)
#undef FPB_X_HWCAP
	};
	size_t n = 0;

	for (size_t i = 0; i < FPB_ARRAY_SIZE(t) && n < max; i++)
		if ((t[i].word == 1 ? hwcap : hwcap2) >> t[i].bit & 1)
			out[n++] = t[i].name;
	return n;
}

struct fpb_cpu {
	char vendor[13];
	char brand[49];
	unsigned family, model, stepping;
	char microcode[24];		/* "0x0a601206" or "unknown" */
	uint64_t features;		/* FPB_BIT(FPB_CPU_*) */

	uint64_t xcr0;			/* XGETBV(0); 0 when XGETBV is unavailable */
	uint64_t xcr0_supported;	/* CPUID 0xD.0 EDX:EAX */
	uint64_t xss_supported;		/* CPUID 0xD.1 EDX:ECX */
	uint64_t xss;			/* IA32_XSS as the kernel set it (ring 0 or /dev/cpu/N/msr), else 0 */
	bool xss_known;			/* xss was actually read */
	uint32_t xsave_size_xcr0;	/* 0xD.0 EBX: standard size for the XCR0 now enabled */
	uint32_t xsave_size_max;	/* 0xD.0 ECX: standard size for every supported component */
	uint32_t xsaves_size;		/* 0xD.1 EBX: compacted size for XCR0 | IA32_XSS */
	struct fpb_xcomp comp[FPB_XSTATE_MAX];

	char hypervisor[13];		/* leaf 0x40000000 signature, "" on bare metal */
	uint64_t tsc_hz;		/* 0 when unknown; see tsc_hz_source */
	const char *tsc_hz_source;	/* "cpuid-0x15", "cpuid-0x16", "hypervisor-0x40000010",
					 * "calibrated", or "unknown" */
	char kernel[96];		/* uname -r, or "" */
	char fingerprint[64];		/* vendor-family-model-stepping-ucode-xcr0-hv, no hostname */

	/* arm64 (src/cpu/cpu-arm64.c); zero elsewhere.  vendor/family/model/stepping come from MIDR. */
	uint64_t midr;			/* MIDR_EL1 (sysfs, else MRS when HWCAP_CPUID), 0 unknown */
	unsigned sve_max_vl;		/* largest SVE vector length offered, bytes; 0 without SVE */
	unsigned sme_max_svl;		/* largest streaming vector length, bytes; 0 without SME */

	/*
	 * Components XGETBV(1) still reports in use right after an XRSTOR of an init header
	 * (emulators such as qemu TCG do not track XINUSE); 0 on real CPUs and canned sets.  Checks
	 * of a clean or dirty condition leave these bits out.
	 */
	uint64_t xinuse_untracked;

	struct fpb_cpu_arm64 a64;	/* arm64 only (src/cpu/cpu-arm64.c); all zero on x86 */
};

/*
 * Behaviours of the XSAVE family that differ between vendors (src/cpu/cpu-xsave-rules.c: one table,
 * a row per vendor and rule with its source).  The record backend follows them.
 */
enum fpb_xsave_rule {
	/* XSAVEC/XSAVES write MXCSR only with XINUSE[1] = 1 (else the field stays as it was). */
	FPB_XR_XSAVEC_MXCSR_IF_SSE_INUSE,
	/* A compacted XRSTOR with RFBM[1] loads MXCSR only if XSTATE_BV[1], else sets 0x1f80. */
	FPB_XR_CMP_XRSTOR_MXCSR_BY_SSE,
	/* A standard XRSTOR loads MXCSR whenever RFBM[1] or RFBM[2], whatever XSTATE_BV says. */
	FPB_XR_STD_XRSTOR_LOADS_MXCSR,
	/* Loading an MXCSR other than 0x1f80 sets XINUSE[1]. */
	FPB_XR_MXCSR_MARKS_SSE_INUSE,
	/* XINUSE[1] still reads 1 after an XRSTOR put SSE in its init state. */
	FPB_XR_INIT_XRSTOR_KEEPS_SSE_INUSE,
	FPB_NR_XSAVE_RULES
};

struct fpb_xsave_rule_row {
	const char *vendor;		/* CPUID vendor string */
	enum fpb_xsave_rule rule;	/* holds on that vendor's CPUs */
	const char *source;		/* SDM/APM section or measurement */
};

extern const struct fpb_xsave_rule_row fpb_xsave_rule_rows[];
extern const size_t fpb_nr_xsave_rule_rows;
const char *fpb_xsave_rule_name(enum fpb_xsave_rule r);
/* The rules (1u << rule) of a vendor's rows; an unknown vendor gets GenuineIntel's (the SDM's). */
uint32_t fpb_xsave_rules_of(const char *vendor);
/* The same for cpu->vendor (NULL: GenuineIntel's). */
uint32_t fpb_xsave_rules(const struct fpb_cpu *cpu);

/* Detect everything above from src.  Never fails: unknown fields stay zero or "unknown". */
void fpb_cpu_detect(struct fpb_cpu *cpu, const struct fpb_cpuid_source *src);

/* Fill the parts only the running system knows (microcode, kernel, IA32_XSS via msr device). */
void fpb_cpu_detect_system(struct fpb_cpu *cpu);

/* Recompute cpu->fingerprint from the fields above (detect and detect_system call it). */
void fpb_cpu_fingerprint(struct fpb_cpu *cpu);

/*
 * arm64 (src/cpu/cpu-arm64.c, built on aarch64 only): MIDR into vendor/brand/family/model/stepping,
 * REVIDR as "microcode", HWCAP features, SVE/SME maximum vector lengths, CNTFRQ_EL0 as tsc_hz
 * (source "cntfrq_el0"), and "qemu-user" as hypervisor under emulation.
 */
void fpb_cpu_arm64_detect(struct fpb_cpu *cpu);
/* Under an emulator?  Fills buf with "qemu-user" or "qemu" and returns true (cpu-arm64.c). */
bool fpb_cpu_arm64_emulation(char *buf, size_t len);

static inline bool fpb_cpu_has(const struct fpb_cpu *cpu, enum fpb_cpu_feature f)
{
	return cpu->features & FPB_BIT(f);
}

/* XINUSE through XGETBV(1); returns false when XGETBV1 is missing. */
bool fpb_cpu_xinuse(uint64_t *out);

/*
 * Probe the running CPU: XRSTOR an init header over the x87, SSE, AVX and AVX-512 components of
 * xcr0, then XGETBV(1).  Returns the components (SSE left out: it turns itself on, see the notes)
 * still reported in use, 0 when XINUSE tracks the init state or XGETBV(1) is missing.
 */
uint64_t fpb_cpu_xinuse_untracked_probe(uint64_t xcr0);

#endif /* FPB_CPU_H */
