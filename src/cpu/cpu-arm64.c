// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cpu-arm64.c - arm64 CPU and environment detection (built on aarch64 only).
 *
 * MIDR_EL1 comes from /sys/devices/system/cpu/cpu0/regs/identification/midr_el1, else from MRS
 * (Linux emulates ID register reads for EL0 when HWCAP_CPUID is set); features from
 * getauxval(AT_HWCAP/AT_HWCAP2) (kept whole in cpu->a64); every SVE and SME vector length
 * offered and the thread's current ones from prctl; the counter frequency from CNTFRQ_EL0.
 *
 * Emulation (qemu-user) is recognised by any of, in this order:
 *  1. /proc/cpuinfo without a "CPU implementer" line: qemu-user (before 8.1) passes the host's
 *     file through, and an x86 host's has none; every native arm64 kernel prints one;
 *  2. MIDR implementer 0x00 ("reserved for software use"): qemu's "max" and "any" models;
 *  3. QEMU_CPU or QEMU_LD_PREFIX in the environment, as scripts/arm64-cross-check.sh and the
 *     cross-compiled test driver set them.
 * Any figure measured then is emulator speed: the run says so (run->emulation, row flags).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/utsname.h>
#include "cpu.h"
#include "arm64.h"

#ifndef HWCAP_CPUID
#define HWCAP_CPUID	(1UL << 11)
#endif
#ifndef HWCAP_ASIMD
#define HWCAP_ASIMD	(1UL << 1)
#endif
#ifndef HWCAP_SVE
#define HWCAP_SVE	(1UL << 22)
#endif
#ifndef HWCAP2_SVE2
#define HWCAP2_SVE2	(1UL << 1)
#endif
#ifndef HWCAP2_SME
#define HWCAP2_SME	(1UL << 23)
#endif
#ifndef HWCAP2_SME_FA64
#define HWCAP2_SME_FA64	(1UL << 30)
#endif

_Static_assert(FPB_CPU_A64_MAX_VLS >= FPB_A64_MAX_VLS, "cpu.h's vector-length lists too short");

#define MIDR_PATH	"/sys/devices/system/cpu/cpu0/regs/identification/midr_el1"
#define REVIDR_PATH	"/sys/devices/system/cpu/cpu0/regs/identification/revidr_el1"

struct fpb_a64_name {
	unsigned id;
	const char *name;
};

/* MIDR implementer codes (Arm ARM, "MIDR_EL1"). */
static const struct fpb_a64_name implementers[] = {
	{ 0x00, "software (emulated)" }, { 0x41, "Arm" }, { 0x42, "Broadcom" },
	{ 0x43, "Cavium" }, { 0x46, "Fujitsu" }, { 0x48, "HiSilicon" }, { 0x4e, "NVIDIA" },
	{ 0x50, "APM" }, { 0x51, "Qualcomm" }, { 0x61, "Apple" }, { 0x6d, "Microsoft" },
	{ 0xc0, "Ampere" },
};

/* A few part numbers of implementer 0x41 (Arm), and qemu's own model. */
static const struct fpb_a64_name arm_parts[] = {
	{ 0xd03, "Cortex-A53" }, { 0xd07, "Cortex-A57" }, { 0xd08, "Cortex-A72" },
	{ 0xd0b, "Cortex-A76" }, { 0xd0c, "Neoverse N1" }, { 0xd40, "Neoverse V1" },
	{ 0xd41, "Cortex-A78" }, { 0xd44, "Cortex-X1" }, { 0xd46, "Cortex-A510" },
	{ 0xd47, "Cortex-A710" }, { 0xd48, "Cortex-X2" }, { 0xd49, "Neoverse N2" },
	{ 0xd4f, "Neoverse V2" }, { 0xd80, "Cortex-A520" }, { 0xd81, "Cortex-A720" },
	{ 0xd82, "Cortex-X4" }, { 0xd84, "Neoverse V3" }, { 0xd8e, "Neoverse N3" },
};

static const char *lookup(const struct fpb_a64_name *t, size_t n, unsigned id)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].id == id)
			return t[i].name;
	return NULL;
}

/* A hex register value from a sysfs file; false when unreadable. */
static bool read_hex(const char *path, uint64_t *out)
{
	FILE *f = fopen(path, "r");
	unsigned long long v;
	bool ok;

	if (!f)
		return false;
	ok = fscanf(f, "%llx", &v) == 1;
	fclose(f);
	if (ok)
		*out = v;
	return ok;
}

static uint64_t read_midr(void)
{
	uint64_t v = 0;

	if (read_hex(MIDR_PATH, &v))
		return v;
	if (getauxval(AT_HWCAP) & HWCAP_CPUID)
		__asm__ __volatile__("mrs %0, midr_el1" : "=r"(v));
	return v;
}

/* Does /proc/cpuinfo carry the arm64 kernel's "CPU implementer" lines? */
static bool cpuinfo_is_arm64(void)
{
	char line[256];
	bool found = false;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (!f)
		return true;	/* no evidence either way */
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, "CPU implementer", 15);
	fclose(f);
	return found;
}

/* fpb_cpu_arm64_emulation() - true under an emulator, with its name in buf (see top). */
bool fpb_cpu_arm64_emulation(char *buf, size_t len)
{
	uint64_t midr;

	if (!cpuinfo_is_arm64() || getenv("QEMU_CPU") || getenv("QEMU_LD_PREFIX")) {
		fpb_snprintf(buf, len, "qemu-user");
		return true;
	}
	midr = read_midr();
	if (midr && !(midr >> 24 & 0xff)) {
		fpb_snprintf(buf, len, "qemu");
		return true;
	}
	return false;
}

/* fpb_cpu_arm64_detect() - fill the arm64 parts of cpu (see cpu.h). */
void fpb_cpu_arm64_detect(struct fpb_cpu *cpu)
{
	unsigned long hw = getauxval(AT_HWCAP), hw2 = getauxval(AT_HWCAP2);
	struct fpb_cpu_arm64 *a = &cpu->a64;
	unsigned impl, part;
	const char *iname, *pname = NULL;
	uint64_t revidr, frq;

	cpu->midr = read_midr();
	impl = FPB_MIDR_IMPLEMENTER(cpu->midr);
	part = FPB_MIDR_PART(cpu->midr);
	cpu->family = impl;
	cpu->model = part;
	cpu->stepping = FPB_MIDR_VARIANT(cpu->midr) << 4 | FPB_MIDR_REVISION(cpu->midr);
	iname = lookup(implementers, FPB_ARRAY_SIZE(implementers), impl);
	if (impl == 0x41)
		pname = lookup(arm_parts, FPB_ARRAY_SIZE(arm_parts), part);
	else if (impl == 0 && part == 0x051)
		pname = "qemu max";
	if (cpu->midr && iname)
		snprintf(a->implementer, sizeof(a->implementer), "%s", iname);
	if (cpu->midr && pname)
		snprintf(a->part, sizeof(a->part), "%s", pname);
	a->hwcap = hw;
	a->hwcap2 = hw2;
	if (!cpu->midr)
		snprintf(cpu->vendor, sizeof(cpu->vendor), "unknown");
	else if (iname && impl)
		snprintf(cpu->vendor, sizeof(cpu->vendor), "%s", iname);
	else
		snprintf(cpu->vendor, sizeof(cpu->vendor), "impl-0x%02x", impl);
	if (pname)
		snprintf(cpu->brand, sizeof(cpu->brand), "%s r%up%u (MIDR 0x%08llx)", pname,
			 (unsigned)(cpu->midr >> 20 & 0xf), (unsigned)(cpu->midr & 0xf),
			 (unsigned long long)cpu->midr);
	else
		snprintf(cpu->brand, sizeof(cpu->brand), "%s part 0x%03x (MIDR 0x%08llx)",
			 iname ? iname : "arm64", part, (unsigned long long)cpu->midr);
	if (read_hex(REVIDR_PATH, &revidr))
		snprintf(cpu->microcode, sizeof(cpu->microcode), "revidr-0x%llx",
			 (unsigned long long)revidr);

	if (hw & HWCAP_ASIMD)
		cpu->features |= FPB_BIT(FPB_CPU_ASIMD);
	if (hw & HWCAP_SVE)
		cpu->features |= FPB_BIT(FPB_CPU_SVE);
	if (hw2 & HWCAP2_SVE2)
		cpu->features |= FPB_BIT(FPB_CPU_SVE2);
	if (hw2 & HWCAP2_SME)
		cpu->features |= FPB_BIT(FPB_CPU_SME);
	if (hw2 & HWCAP2_SME_FA64)
		cpu->features |= FPB_BIT(FPB_CPU_SME_FA64);
	/* fpb_a64_vls() probes with prctl and puts the thread's own length back. */
	a->nsve_vls = (unsigned)fpb_a64_vls(FPB_A64_SVE, a->sve_vls, FPB_CPU_A64_MAX_VLS);
	cpu->sve_max_vl = a->nsve_vls ? a->sve_vls[a->nsve_vls - 1] : 0;
	a->sve_vl = fpb_a64_vl_get(FPB_A64_SVE);
	a->nsme_svls = (unsigned)fpb_a64_vls(FPB_A64_SME, a->sme_svls, FPB_CPU_A64_MAX_VLS);
	cpu->sme_max_svl = a->nsme_svls ? a->sme_svls[a->nsme_svls - 1] : 0;
	a->sme_svl = fpb_a64_vl_get(FPB_A64_SME);

	__asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(frq));
	cpu->tsc_hz = frq;
	cpu->tsc_hz_source = frq ? "cntfrq_el0" : "unknown";

	if (fpb_cpu_arm64_emulation(cpu->hypervisor, sizeof(cpu->hypervisor)))
		cpu->features |= FPB_BIT(FPB_CPU_HYPERVISOR);
}
