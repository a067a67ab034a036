// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * insitu-common.c - rows, clean and dirty extended state, and the measurement table of the
 * in-situ suite.
 *
 * "Clean" is an XRSTOR of an init header (XSTATE_BV 0 and MXCSR 0x1f80, so no FP exception gets
 * unmasked) over x87, SSE, AVX and AVX-512: the only way back to init for every component once
 * glibc's string routines have touched zmm or opmask registers.  "Dirty" writes every register
 * of those components from a pattern with no zero byte.  Both are inline asm; the check reads
 * XINUSE (XGETBV(1)) on AVX and AVX-512 only: the SSE bit turns itself on now and then in a
 * spinning thread (see the notes), so it is never held against a batch.
 */
#include "config.h"
#include <sched.h>
#include <stdarg.h>
#include <time.h>
#include "insitu.h"
#include "options.h"
#include "xstate.h"
#if defined(__x86_64__)
#include "x86-asm.h"
#endif

#define INSITU_DIRTY_BITS	(FPB_BIT(FPB_XF_SSE) | FPB_BIT(FPB_XF_AVX) | FPB_XMASK_AVX512)
#define INSITU_CLEAN_BITS	(FPB_BIT(FPB_XF_X87) | INSITU_DIRTY_BITS)

void fpb_insitu_init(struct fpb_insitu *in, struct fpb_session *s, const struct fpb_options *o,
		     struct fpb_result *r)
{
	memset(in, 0, sizeof(*in));
	in->s = s;
	in->r = r;
	if (o)
		in->h = o->h;
	else
		fpb_harness_default_opts(&in->h);
	in->quick = o ? o->default_run : true;
	in->all_arches = o ? !o->default_run : false;
	in->cpu = s && s->run && s->run->cpu >= 0 ? s->run->cpu : sched_getcpu();
	if (in->cpu < 0)
		in->cpu = 0;
}

long fpb_insitu_row(struct fpb_insitu *in, const char *name, const char *scenario,
		    const char *per)
{
	struct fpb_row *row = fpb_result_add_row(in->r);
	struct fpb_timer *tm = in->s ? in->s->timer : NULL;

	if (!row)
		return -1;
	snprintf(row->suite, sizeof(row->suite), "insitu");
	snprintf(row->name, sizeof(row->name), "%s", name);
	snprintf(row->scenario, sizeof(row->scenario), "%s", scenario);
	snprintf(row->unit, sizeof(row->unit), "%.12s/%.10s", tm ? tm->unit : "units", per);
	row->ns_per_unit = tm ? fpb_timer_ns_per_unit(tm, &in->s->cpu) : 0;
	row->status = FPB_ROW_MEASURED;
	if (in->s && in->s->run && in->s->run->emulation[0])
		row->flags |= FPB_ROW_FUNCTIONAL_ONLY;	/* emulator speed (qemu) */
	/* Said once a measurement, on its clean row (the machine description says it too). */
	if (in->s && in->s->cpu.xinuse_untracked && !strcmp(scenario, "clean"))
		fpb_insitu_note(row, "state not verified (XINUSE 0x%llx untracked here)",
				(unsigned long long)in->s->cpu.xinuse_untracked);
	return (long)(row - in->r->rows);
}

long fpb_insitu_skip(struct fpb_insitu *in, const char *name, const char *scenario,
		     const char *fmt, ...)
{
	long i = fpb_insitu_row(in, name, scenario, "event");
	struct fpb_row *row;
	va_list ap;

	if (i < 0)
		return -1;
	row = &in->r->rows[i];
	row->status = FPB_ROW_SKIPPED;
	row->note[0] = '\0';
	row->flags = 0;
	va_start(ap, fmt);
	vsnprintf(row->reason, sizeof(row->reason), fmt, ap);
	va_end(ap);
	return i;
}

void fpb_insitu_note(struct fpb_row *row, const char *fmt, ...)
{
	size_t len = strlen(row->note);
	va_list ap;

	if (len && len + 2 < sizeof(row->note)) {
		memcpy(row->note + len, "; ", 3);
		len += 2;
	}
	if (len + 1 >= sizeof(row->note))
		return;
	va_start(ap, fmt);
	vsnprintf(row->note + len, sizeof(row->note) - len, fmt, ap);
	va_end(ap);
}

uint64_t fpb_insitu_dirty_sel(const struct fpb_cpu *cpu)
{
#if defined(__x86_64__)
	return fpb_x86_dirty_sel(cpu, cpu->xcr0) & INSITU_DIRTY_BITS;
#else
	(void)cpu;
	return 0;
#endif
}

uint64_t fpb_insitu_check_bits(const struct fpb_cpu *cpu)
{
	if (!fpb_cpu_has(cpu, FPB_CPU_XGETBV1))
		return 0;
	return fpb_insitu_dirty_sel(cpu) & (FPB_BIT(FPB_XF_AVX) | FPB_XMASK_AVX512) &
	       ~cpu->xinuse_untracked;
}

uint64_t fpb_insitu_clean_rfbm(const struct fpb_cpu *cpu)
{
	return cpu->xcr0 & INSITU_CLEAN_BITS;
}

const char *fpb_insitu_state_name(const struct fpb_cpu *cpu)
{
	uint64_t sel = fpb_insitu_dirty_sel(cpu);

	if (sel & FPB_BIT(FPB_XF_HI16_ZMM))
		return "avx512";
	if (sel & FPB_BIT(FPB_XF_AVX))
		return "avx";
	if (sel & FPB_BIT(FPB_XF_SSE))
		return "sse";
	return "none";
}

const char *fpb_insitu_dirty_desc(const struct fpb_cpu *cpu, char *buf, size_t len)
{
#if defined(__x86_64__)
	return fpb_x86_dirty_desc(fpb_insitu_dirty_sel(cpu), buf, len);
#else
	(void)cpu;
	snprintf(buf, len, "none");
	return buf;
#endif
}

#if defined(__x86_64__)
void fpb_insitu_x86_clean(uint64_t rfbm)
{
	fpb_x86_xrstor(fpb_x86_init_image, rfbm);
}

void fpb_insitu_x86_dirty(uint64_t sel)
{
	sel &= ~FPB_BIT(FPB_XF_PKRU);
	__asm__ __volatile__(FPB_ASM_DIRTY
			     : "+c"(sel)
			     : "D"(fpb_x86_pattern)
			     : "rax", "rdx", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5",
			       "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13",
			       "xmm14", "xmm15", "cc", "memory");
}
#endif

void fpb_insitu_prepare(const struct fpb_cpu *cpu, bool dirty)
{
#if defined(__x86_64__)
	if (!fpb_cpu_has(cpu, FPB_CPU_XSAVE) || !cpu->xcr0)
		return;
	if (dirty)	/* VEX-encoded xmm writes: no SSE/AVX transition in the condition */
		fpb_insitu_x86_dirty(fpb_x86_dirty_no_transition(cpu, fpb_insitu_dirty_sel(cpu)));
	else
		fpb_insitu_x86_clean(fpb_insitu_clean_rfbm(cpu));
#else
	(void)cpu;
	(void)dirty;
#endif
}

bool fpb_insitu_state_ok(const struct fpb_cpu *cpu, bool dirty, uint64_t *xin)
{
	uint64_t bits = fpb_insitu_check_bits(cpu);

	*xin = 0;
#if defined(__x86_64__)
	if (!bits)
		return true;
	*xin = fpb_x86_xgetbv(1);
	return (*xin & bits) == (dirty ? bits : 0);
#else
	(void)bits;
	(void)dirty;
	return true;
#endif
}

/* ---- the section ---- */

/*
 * Those that often skip at once come first, so the time they leave goes to the rest; the model
 * comes last: it looks up the figures measured before it.
 */
static const struct fpb_insitu_measure *const measures[] = {
	&fpb_insitu_amx, &fpb_insitu_sve, &fpb_insitu_kvm, &fpb_insitu_ctxsw, &fpb_insitu_signal,
	&fpb_insitu_model,
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * fpb_insitu_run_all() - each measurement in turn; a measurement's share is the time left times
 * its weight over the weights still to run, so time a skipped one did not use goes to the rest.
 */
int fpb_insitu_run_all(struct fpb_insitu *in, double budget_s)
{
	double weights = 0, t0 = now_s();

	for (size_t i = 0; i < FPB_ARRAY_SIZE(measures); i++)
		if (!in->only || !strcmp(in->only, measures[i]->name))
			weights += measures[i]->weight;
	for (size_t i = 0; i < FPB_ARRAY_SIZE(measures); i++) {
		const struct fpb_insitu_measure *m = measures[i];
		double left = budget_s - (now_s() - t0), share;
		int ret;

		if (in->only && strcmp(in->only, m->name))
			continue;
		share = weights > 0 ? left * m->weight / weights : 0;
		weights -= m->weight;
		if (share < 0.2)
			share = 0.2;
		ret = m->run(in, share);
		if (ret == -ENOMEM)
			return ret;
	}
	return 0;
}
