// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cpu-xsave-rules.c - how each vendor's CPUs behave where the architecture leaves room (MXCSR and
 * XINUSE around the XSAVE family), as data: one row a (vendor, rule), each with the source that
 * says so.  The record backend behaves by these rows, so tests run the strategies under every
 * vendor's behaviour on any machine; the next vendor difference is one more row.
 */
#include "cpu.h"

static const char *const rule_names[FPB_NR_XSAVE_RULES] = {
	[FPB_XR_XSAVEC_MXCSR_IF_SSE_INUSE] = "xsavec-mxcsr-if-sse-inuse",
	[FPB_XR_CMP_XRSTOR_MXCSR_BY_SSE] = "compacted-xrstor-mxcsr-by-sse",
	[FPB_XR_STD_XRSTOR_LOADS_MXCSR] = "standard-xrstor-loads-mxcsr",
	[FPB_XR_MXCSR_MARKS_SSE_INUSE] = "mxcsr-marks-sse-inuse",
	[FPB_XR_INIT_XRSTOR_KEEPS_SSE_INUSE] = "init-xrstor-keeps-sse-inuse",
};

#define MEASURED	"the shared notes, measuring-on-these-machines.md"
#define ZEN4_20261202	"measured on an AMD Zen 4 KVM guest (family 25 model 17), 2026-12-02, " \
			"with the MXCSR probe of tests/xsave-rules-probe.c"

const struct fpb_xsave_rule_row fpb_xsave_rule_rows[] = {
	{ "GenuineIntel", FPB_XR_XSAVEC_MXCSR_IF_SSE_INUSE,
	  "SDM vol. 1 13.10 (XSAVEC saves component 1, MXCSR with it, only if XINUSE[1] = 1); "
	  "measured on the Intel Xeon 6/207 KVM guest (" MEASURED ", MXCSR and the save formats)" },
	{ "GenuineIntel", FPB_XR_CMP_XRSTOR_MXCSR_BY_SSE,
	  "SDM vol. 1 13.8.2; measured on the Intel Xeon 6/207 KVM guest (" MEASURED ")" },
	{ "GenuineIntel", FPB_XR_STD_XRSTOR_LOADS_MXCSR,
	  "SDM vol. 1 13.8.1; measured on the Intel Xeon 6/207 KVM guest (" MEASURED ")" },
	{ "GenuineIntel", FPB_XR_MXCSR_MARKS_SSE_INUSE,
	  "measured on the Intel Xeon 6/207 KVM guest (" MEASURED ", MXCSR and the save formats)" },
	{ "AuthenticAMD", FPB_XR_XSAVEC_MXCSR_IF_SSE_INUSE, ZEN4_20261202 },
	{ "AuthenticAMD", FPB_XR_CMP_XRSTOR_MXCSR_BY_SSE, ZEN4_20261202 },
	{ "AuthenticAMD", FPB_XR_STD_XRSTOR_LOADS_MXCSR, ZEN4_20261202 },
	{ "AuthenticAMD", FPB_XR_MXCSR_MARKS_SSE_INUSE, ZEN4_20261202 },
	{ "AuthenticAMD", FPB_XR_INIT_XRSTOR_KEEPS_SSE_INUSE,
	  "measured on the AMD Zen 4 and Zen 5 KVM guests, 2026-11 (" MEASURED ", XINUSE is "
	  "not fully under your control: the SSE bit reads in use after an init XRSTOR)" },
};

const size_t fpb_nr_xsave_rule_rows = FPB_ARRAY_SIZE(fpb_xsave_rule_rows);

const char *fpb_xsave_rule_name(enum fpb_xsave_rule r)
{
	return (unsigned)r < FPB_NR_XSAVE_RULES ? rule_names[r] : "?";
}

/* Rows for vendor; an unknown vendor gets the SDM's (GenuineIntel) rows. */
uint32_t fpb_xsave_rules_of(const char *vendor)
{
	uint32_t rules = 0;
	bool known = false;

	for (size_t i = 0; i < fpb_nr_xsave_rule_rows; i++)
		if (vendor && !strcmp(vendor, fpb_xsave_rule_rows[i].vendor)) {
			rules |= 1u << fpb_xsave_rule_rows[i].rule;
			known = true;
		}
	return known ? rules : fpb_xsave_rules_of("GenuineIntel");
}

uint32_t fpb_xsave_rules(const struct fpb_cpu *cpu)
{
	return fpb_xsave_rules_of(cpu ? cpu->vendor : NULL);
}
