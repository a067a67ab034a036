// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * insitu-sve.c - arm64: the getpid round trip with and without live SVE state, at each vector
 * length.
 *
 * Linux discards a task's SVE state beyond the FPSIMD view at a system call and traps its next
 * SVE instruction to re-enable SVE; a thread that uses SVE between system calls pays for both.
 * "clean" is a bare getpid loop; "sve" writes z0 and p0 before each getpid.  Real arm64 only:
 * under an emulator the figure would be the emulator's, not a kernel's.
 */
#include "config.h"
#include <sys/syscall.h>
#if defined(__aarch64__)
#include <sys/prctl.h>
#endif
#include "insitu.h"

#if defined(__aarch64__)

#ifndef PR_SVE_SET_VL
#define PR_SVE_SET_VL		50
#define PR_SVE_GET_VL		51
#endif
#define PR_SVE_VL_LEN_MASK_	0xffff

#define SVE_TARGET		200000ull

enum { COND_CLEAN, COND_SVE };

struct svem {
	struct fpb_timer *tm;
};

static int sve_batch(void *arg, int cond, uint64_t n, struct fpb_sample *out)
{
	struct svem *m = arg;
	uint64_t t0;

	memset(out, 0, sizeof(*out));
	t0 = m->tm->begin(m->tm);
	if (cond == COND_SVE) {
		for (uint64_t i = 0; i < n; i++) {
			__asm__ __volatile__(".arch_extension sve\n\t"
					     "ptrue p0.b\n\t"
					     "dup z0.b, #1" ::: "memory");
			fpb_insitu_syscall3(SYS_getpid, 0, 0, 0);
		}
	} else {
		for (uint64_t i = 0; i < n; i++)
			fpb_insitu_syscall3(SYS_getpid, 0, 0, 0);
	}
	out->t = m->tm->end(m->tm, &out->cpu) - t0;
	return 0;
}

static int sve_one_vl(struct fpb_insitu *in, unsigned vl, double budget_s)
{
	struct fpb_insitu_pair p[3];
	struct svem m = { .tm = in->s->timer };
	char scen[3][32];
	long rows[3];

	snprintf(scen[0], sizeof(scen[0]), "vl%u-clean", vl * 8);
	snprintf(scen[1], sizeof(scen[1]), "vl%u-sve", vl * 8);
	snprintf(scen[2], sizeof(scen[2]), "vl%u-sve-minus-clean", vl * 8);
	for (int i = 0; i < 3; i++) {
		rows[i] = fpb_insitu_row(in, "getpid-sve", scen[i], "syscall");
		if (rows[i] < 0)
			return -ENOMEM;
	}
	if (prctl(PR_SVE_SET_VL, vl, 0, 0, 0) < 0 ||
	    (prctl(PR_SVE_GET_VL, 0, 0, 0, 0) & PR_SVE_VL_LEN_MASK_) != (int)vl) {
		for (int i = 0; i < 3; i++)
			fpb_row_skip(&in->r->rows[rows[i]], "vector length %u bytes not offered",
				     vl);
		return 0;
	}
	p[0] = (struct fpb_insitu_pair){ rows[0], COND_CLEAN, -1, -1 };
	p[1] = (struct fpb_insitu_pair){ rows[1], COND_SVE, -1, -1 };
	p[2] = (struct fpb_insitu_pair){ rows[2], COND_SVE, 1, 0 };
	return fpb_insitu_run_pairs(in, sve_batch, &m, p, 3, budget_s, SVE_TARGET);
}

static int sve_run(struct fpb_insitu *in, double budget_s)
{
	char emu[64] = "";
	unsigned nvl = 0;
	int old, ret = 0;

	if (!fpb_cpu_has(&in->s->cpu, FPB_CPU_SVE) || !in->s->cpu.sve_max_vl)
		return fpb_insitu_skip(in, "getpid-sve", "clean", "no SVE on this CPU") < 0 ?
			-ENOMEM : 0;
	if (fpb_cpu_arm64_emulation(emu, sizeof(emu)))
		return fpb_insitu_skip(in, "getpid-sve", "clean", "under emulation (%s): the "
				       "figure would be the emulator's, not a kernel's", emu) < 0 ?
			-ENOMEM : 0;
	for (unsigned vl = 16; vl <= in->s->cpu.sve_max_vl; vl *= 2)
		nvl++;
	old = prctl(PR_SVE_GET_VL, 0, 0, 0, 0);
	for (unsigned vl = 16; vl <= in->s->cpu.sve_max_vl && !ret; vl *= 2)
		ret = sve_one_vl(in, vl, budget_s / nvl);
	if (old > 0)
		prctl(PR_SVE_SET_VL, old & PR_SVE_VL_LEN_MASK_, 0, 0, 0);
	return ret;
}

#else /* !__aarch64__ */

static int sve_run(struct fpb_insitu *in, double budget_s)
{
	(void)budget_s;
	if (in->all_arches && fpb_insitu_skip(in, "getpid-sve", "clean",
					      "arm64 only (this build is not arm64)") < 0)
		return -ENOMEM;
	return 0;
}

#endif

const struct fpb_insitu_measure fpb_insitu_sve = {
	.name	= "getpid-sve",
	.weight	= 2.0,
	.run	= sve_run,
};
