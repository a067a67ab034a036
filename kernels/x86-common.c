// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86-common.c - what the x86 user-mode kernels share: the init image, the dirty pattern, the
 * per-batch argument block, source images for the conditions, requirement checks and the
 * XSAVEOPT modified-optimisation observation.
 */
#include "x86-asm.h"
#include "cpu.h"
#include "xstate.h"

#if defined(__x86_64__)

/* Standard format, XSTATE_BV = XCOMP_BV = 0, MXCSR = 0x1f80 (bytes 24..27, little endian). */
const unsigned char fpb_x86_init_image[FPB_XSAVE_EXT_OFFSET] __attribute__((aligned(64))) = {
	[FPB_MXCSR_OFFSET] = 0x80, [FPB_MXCSR_OFFSET + 1] = 0x1f,
};

const unsigned char fpb_x86_pattern[64] __attribute__((aligned(64))) = {
	0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xf1, 0x5a,
	0x12, 0x23, 0x34, 0x45, 0x56, 0x67, 0x78, 0x89, 0x9a, 0xab, 0xbc, 0xcd, 0xde, 0xef, 0xf2, 0x5b,
	0x13, 0x24, 0x35, 0x46, 0x57, 0x68, 0x79, 0x8a, 0x9b, 0xac, 0xbd, 0xce, 0xdf, 0xe1, 0xf3, 0x5c,
	0x14, 0x25, 0x36, 0x47, 0x58, 0x69, 0x7a, 0x8b, 0x9c, 0xad, 0xbe, 0xcf, 0xd1, 0xe2, 0xf4, 0x5d,
};

uint64_t fpb_x86_dirty_sel(const struct fpb_cpu *cpu, uint64_t rfbm)
{
	uint64_t sel = rfbm & cpu->xcr0 & FPB_X86_DIRTYABLE;

	if (!fpb_cpu_has(cpu, FPB_CPU_AVX))
		sel &= ~FPB_BIT(FPB_XF_AVX);
	if (!fpb_cpu_has(cpu, FPB_CPU_AVX512F))
		sel &= ~FPB_XMASK_AVX512;
	if (!fpb_cpu_has(cpu, FPB_CPU_OSPKE))
		sel &= ~FPB_BIT(FPB_XF_PKRU);
	return sel;
}

uint64_t fpb_x86_dirty_no_transition(const struct fpb_cpu *cpu, uint64_t sel)
{
	return fpb_cpu_has(cpu, FPB_CPU_AVX) ? sel | FPB_X86_DIRTY_VEX_XMM : sel;
}

uint64_t fpb_x86_check_bits(const struct fpb_cpu *cpu, uint64_t rfbm)
{
	if (!fpb_cpu_has(cpu, FPB_CPU_XGETBV1))
		return 0;
	return fpb_x86_dirty_sel(cpu, rfbm) & FPB_X86_CHECKABLE & ~cpu->xinuse_untracked;
}

const char *fpb_x86_dirty_desc(uint64_t sel, char *buf, size_t len)
{
	static const struct {
		unsigned bit;
		const char *regs;
	} d[] = {
		{ FPB_XF_X87, "x87" }, { FPB_XF_SSE, "xmm0-15" },
		{ FPB_XF_AVX, "ymm0-15.hi" }, { FPB_XF_OPMASK, "k0-7" },
		{ FPB_XF_ZMM_HI256, "zmm0-15.hi" }, { FPB_XF_HI16_ZMM, "zmm16-31" },
		{ FPB_XF_PKRU, "pkru" },
	};
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < FPB_ARRAY_SIZE(d); i++) {
		if (!(sel & FPB_BIT(d[i].bit)))
			continue;
		off += snprintf(buf + off, off < len ? len - off : 0, "%s%s", off ? "," : "",
				d[i].regs);
		if (off >= len)
			break;
	}
	if (!off)
		snprintf(buf, len, "none");
	return buf;
}

void fpb_x86_args_fill(struct fpb_x86_args *a, struct fpb_kctx *ctx, uint64_t n, unsigned kflags)
{
	bool save = kflags & FPB_K_SAVE;

	memset(a, 0, sizeof(*a));
	a->rfbm = fpb_x86_rfbm(ctx, kflags);
	a->bufs = ctx->bufs;
	a->nbufs = ctx->nbufs ? ctx->nbufs : 1;
	a->cur = ctx->cur < a->nbufs ? ctx->cur : 0;
	a->n = n;
	a->pat = fpb_x86_pattern;
	a->xgetbv1 = fpb_cpu_has(ctx->cpu, FPB_CPU_XGETBV1);
	switch (ctx->state) {
	case FPB_STATE_INIT:
		if (save)
			a->init = fpb_x86_init_image;
		break;
	case FPB_STATE_DIRTY:
		a->dsel = fpb_x86_dirty_no_transition(ctx->cpu,
						      fpb_x86_dirty_sel(ctx->cpu, a->rfbm));
		break;
	default:
		if (ctx->nbufs)
			a->src = ctx->bufs[a->cur];
		break;
	}
}

void fpb_x86_args_done(const struct fpb_x86_args *a, struct fpb_kctx *ctx)
{
	ctx->cur = (unsigned)a->cur;
	ctx->xinuse_valid = a->xgetbv1;
	ctx->xinuse_before = a->xin_before;
	ctx->xinuse_after = a->xin_after;
}

/* XRSTOR the init header, write the components of sel, then XSAVE(C) into buf. */
static void image_save(void *buf, uint64_t rfbm, uint64_t sel, bool compacted)
{
	struct fpb_x86_args a = {
		.rfbm = rfbm, .dsel = sel, .init = fpb_x86_init_image, .pat = fpb_x86_pattern,
		.src = buf,
	};

	if (compacted)
		__asm__ __volatile__(
			"mov %c[o_init](%[a]), %%rdi\n\t"
			FPB_ASM_LOAD_RFBM
			"xrstor64 (%%rdi)\n\t"
			FPB_ASM_DIRTY_ARGS
			FPB_ASM_LOAD_RFBM
			"mov %c[o_src](%[a]), %%rdi\n\t"
			"xsavec64 (%%rdi)\n\t"
			: : [a] "r"(&a), FPB_ASM_OFFSETS : FPB_ASM_CLOBBERS);
	else
		__asm__ __volatile__(
			"mov %c[o_init](%[a]), %%rdi\n\t"
			FPB_ASM_LOAD_RFBM
			"xrstor64 (%%rdi)\n\t"
			FPB_ASM_DIRTY_ARGS
			FPB_ASM_LOAD_RFBM
			"mov %c[o_src](%[a]), %%rdi\n\t"
			"xsave64 (%%rdi)\n\t"
			: : [a] "r"(&a), FPB_ASM_OFFSETS : FPB_ASM_CLOBBERS);
}

uint64_t fpb_x86_rfbm(const struct fpb_kctx *ctx, unsigned kflags)
{
	uint64_t m = (kflags & FPB_K_USES_MASK) ? ctx->rfbm : FPB_BIT(FPB_XF_X87) | FPB_BIT(FPB_XF_SSE);

	return m & ctx->cpu->xcr0;
}

int fpb_x86_setup(struct fpb_kctx *ctx, unsigned kflags, char *why, size_t len)
{
	const struct fpb_cpu *cpu = ctx->cpu;
	bool restore_kernel = (kflags & FPB_K_RESTORE) && !(kflags & FPB_K_SAVE);
	bool compacted = restore_kernel && (kflags & FPB_K_COMPACTED);
	uint64_t rfbm = fpb_x86_rfbm(ctx, kflags);
	uint64_t sel = ctx->state == FPB_STATE_INIT ? 0 : fpb_x86_dirty_sel(cpu, rfbm);
	uint64_t check = fpb_x86_check_bits(cpu, rfbm);
	uint64_t bv = 0;
	char regs[96];

	if (!ctx->nbufs || ctx->buf_size < FPB_XSAVE_EXT_OFFSET) {
		snprintf(why, len, "no buffer of at least %d bytes", FPB_XSAVE_EXT_OFFSET);
		return -EINVAL;
	}
	for (unsigned i = 0; i < ctx->nbufs; i++) {
		struct fpb_xsave_hdr *h;

		memset(ctx->bufs[i], 0, ctx->buf_size);
		image_save(ctx->bufs[i], rfbm, fpb_x86_dirty_no_transition(cpu, sel), compacted);
		h = fpb_xsave_hdr(ctx->bufs[i]);
		if (ctx->state == FPB_STATE_INIT)
			h->xstate_bv &= ~rfbm;
		bv = h->xstate_bv;
	}
	ctx->xinuse_check_mask = check;
	if (restore_kernel || ctx->state == FPB_STATE_UNMODIFIED)
		ctx->xinuse_expect = bv & check;
	else if (ctx->state == FPB_STATE_INIT)
		ctx->xinuse_expect = 0;
	else
		ctx->xinuse_expect = check;

	fpb_x86_dirty_desc(fpb_x86_dirty_sel(cpu, rfbm), regs, sizeof(regs));
	switch (ctx->state) {
	case FPB_STATE_INIT:
		snprintf(ctx->note, sizeof(ctx->note), restore_kernel ?
			 "init: image XSTATE_BV=0x%llx" : "init: XRSTOR of an init header per batch",
			 (unsigned long long)bv);
		break;
	case FPB_STATE_DIRTY:
		if (restore_kernel)
			snprintf(ctx->note, sizeof(ctx->note), "dirty: wrote %s per batch; image "
				 "XSTATE_BV=0x%llx", regs, (unsigned long long)bv);
		else
			snprintf(ctx->note, sizeof(ctx->note), "dirty: wrote %s %s", regs,
				 (kflags & FPB_K_PER_OP_PREP) ? "before every op" : "per batch");
		break;
	default:
		snprintf(ctx->note, sizeof(ctx->note),
			 "unmodified: XRSTOR from the buffer per batch; image XSTATE_BV=0x%llx",
			 (unsigned long long)bv);
		break;
	}
	if (fpb_x86_dirty_sel(cpu, rfbm) & FPB_X86_CHECKABLE & cpu->xinuse_untracked) {
		size_t n = strlen(ctx->note);

		snprintf(ctx->note + n, sizeof(ctx->note) - n, "; XINUSE 0x%llx not checked: this "
			 "CPU reports it in use after an init XRSTOR (emulated)",
			 (unsigned long long)cpu->xinuse_untracked);
	}
	return 0;
}

bool fpb_x86_need_xsave(const struct fpb_cpu *cpu, char *why, size_t len)
{
	if (!fpb_cpu_has(cpu, FPB_CPU_XSAVE) || !fpb_cpu_has(cpu, FPB_CPU_OSXSAVE) || !cpu->xcr0) {
		snprintf(why, len, "no XSAVE/OSXSAVE on this CPU");
		return false;
	}
	return true;
}

bool fpb_x86_need_feature(const struct fpb_cpu *cpu, int feature, const char *name,
			  char *why, size_t len)
{
	if (!fpb_x86_need_xsave(cpu, why, len))
		return false;
	if (!fpb_cpu_has(cpu, (enum fpb_cpu_feature)feature)) {
		snprintf(why, len, "no %s on this CPU", name);
		return false;
	}
	return true;
}

/* Where XSAVE puts the first bytes of component i in the standard format; 0 if unknown. */
static uint32_t probe_offset(const struct fpb_cpu *cpu, unsigned i)
{
	if (i == FPB_XF_SSE)
		return 160;	/* xmm0 in the legacy area */
	if (i >= 2 && i < FPB_XSTATE_MAX && cpu->comp[i].present && cpu->comp[i].std_offset)
		return cpu->comp[i].std_offset;
	return 0;
}

#define FPB_POISON	0x5044454144424546ULL	/* never a pattern value */
#define FPB_OBSERVE_TRIES	8

int fpb_x86_xsaveopt_observe(const struct fpb_cpu *cpu, void *buf, size_t size, uint64_t rfbm,
			     char *out, size_t len)
{
	uint64_t sel = fpb_x86_dirty_sel(cpu, rfbm) & ~(FPB_BIT(FPB_XF_X87) | FPB_BIT(FPB_XF_PKRU));
	uint64_t seen = 0;
	unsigned hits = 0;
	char names[96];
	size_t off = 0;

	if (!fpb_cpu_has(cpu, FPB_CPU_XSAVEOPT)) {
		snprintf(out, len, "modified optimisation not tried (no XSAVEOPT)");
		return -1;
	}
	if (!sel) {
		snprintf(out, len, "modified optimisation not tried (no sse/avx/avx512 in mask)");
		return -1;
	}
	for (unsigned t = 0; t < FPB_OBSERVE_TRIES; t++) {
		volatile uint64_t *p;
		bool hit = false;

		memset(buf, 0, size);
		image_save(buf, rfbm, sel, false);	/* components of sel in use */
		fpb_x86_xrstor(buf, rfbm);		/* tracking: last XRSTOR from buf */
		for (unsigned i = 0; i < 64; i++) {
			uint32_t o = probe_offset(cpu, i);

			if ((sel & FPB_BIT(i)) && o && o + 8 <= size) {
				p = (volatile uint64_t *)((char *)buf + o);
				*p = FPB_POISON;
			}
		}
		fpb_x86_xsaveopt(buf, rfbm);		/* registers untouched since the XRSTOR */
		for (unsigned i = 0; i < 64; i++) {
			uint32_t o = probe_offset(cpu, i);

			if ((sel & FPB_BIT(i)) && o && o + 8 <= size) {
				p = (volatile uint64_t *)((char *)buf + o);
				if (*p == FPB_POISON) {
					seen |= FPB_BIT(i);
					hit = true;
				}
			}
		}
		hits += hit;
	}
	names[0] = '\0';
	for (unsigned i = 0; i < 64; i++)
		if (seen & FPB_BIT(i))
			off += snprintf(names + off, off < sizeof(names) ? sizeof(names) - off : 0,
					"%s%s", off ? "," : "", fpb_xfeature_name(i));
	if (hits && seen == sel && __builtin_popcountll(sel) > 2)
		snprintf(out, len, "modified optimisation observed (all %d components tried, "
			 "%u/%u tries)", __builtin_popcountll(sel), hits, FPB_OBSERVE_TRIES);
	else if (hits)
		snprintf(out, len, "modified optimisation observed (%s: %u/%u tries)", names,
			 hits, FPB_OBSERVE_TRIES);
	else
		snprintf(out, len, "modified optimisation not observed (0/%u tries)",
			 FPB_OBSERVE_TRIES);
	return hits ? 1 : 0;
}

#endif /* __x86_64__ */
