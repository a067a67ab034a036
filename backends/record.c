// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * backends/record.c - the record backend (tests): every primitive is logged with its arguments
 * and executed against a register file emulated in memory, with the architectural rules that
 * matter to strategies: XSAVE/XSAVEOPT write the standard format and XSTATE_BV bits within RFBM,
 * XSAVEC/XSAVES the compacted format for RFBM; XRSTOR* load components whose XSTATE_BV bit is set
 * and put the others of RFBM in their init state; header and MXCSR rules fault (-EFAULT, as #GP
 * would); XFD-armed components read as init on save and fault (#NM) on restore; XSETBV narrows
 * what saves and restores touch.  Where vendors differ (MXCSR and XINUSE[1]) it follows the rows
 * of src/cpu/cpu-xsave-rules.c for its CPU's vendor.  Batches are only logged.
 */
#include "record.h"
#include "machine.h"
#include "xstate.h"

#define MXCSR_OFF	FPB_MXCSR_OFFSET
#define SSE_BIT		FPB_BIT(FPB_XF_SSE)
#define SSE_AVX		(FPB_BIT(FPB_XF_SSE) | FPB_BIT(FPB_XF_AVX))
#define RULE(p, r)	((p)->rules & (1u << FPB_XR_##r))

struct rec_priv {
	struct fpb_sim_layout lay;
	void *mem;
	uint8_t *regs;			/* standard image; its header's XSTATE_BV is unused */
	uint64_t xinuse, xcr0, xss, xfd;
	uint32_t rules;			/* 1u << enum fpb_xsave_rule, by the CPU's vendor */
	struct fpb_record_entry *log;
	size_t n, cap;
};

static struct rec_priv *P(const struct fpb_backend *be)
{
	return be->priv;
}

static int logit(struct fpb_backend *be, struct fpb_record_entry e)
{
	struct rec_priv *p = P(be);

	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 256;
		void *nl = realloc(p->log, cap * sizeof(*p->log));

		if (!nl)
			return e.ret;
		p->log = nl;
		p->cap = cap;
	}
	p->log[p->n++] = e;
	return e.ret;
}

const struct fpb_record_entry *fpb_record_log(const struct fpb_backend *be, size_t *n)
{
	struct rec_priv *p = P(be);

	*n = p ? p->n : 0;
	return p ? p->log : NULL;
}

void fpb_record_clear(struct fpb_backend *be)
{
	if (P(be))
		P(be)->n = 0;
}

static int rec_probe(const struct fpb_cpu *cpu, char *why, size_t len)
{
	(void)cpu;
	(void)why;
	(void)len;
	return 0;
}

/* Put component i of the register file in its init state. */
static void reg_init(struct rec_priv *p, unsigned i)
{
	if (i == FPB_XF_X87) {
		memset(p->regs, 0, 24);
		memset(p->regs + 32, 0, 128);
		p->regs[0] = 0x7f;
		p->regs[1] = 0x03;
	} else if (i == FPB_XF_SSE) {
		memset(p->regs + 160, 0, 256);
	} else {
		memset(p->regs + p->lay.std_off[i], 0, p->lay.size[i]);
	}
	p->xinuse &= ~FPB_BIT(i);
}

static int rec_open(struct fpb_backend *be, char *why, size_t len)
{
	struct rec_priv *p;
	uint64_t xcr0;

	if (!be->cpu) {
		snprintf(why, len, "record backend needs a CPU description");
		return -1;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	xcr0 = be->cpu->xcr0 ? be->cpu->xcr0 : 3;
	fpb_sim_layout_init(&p->lay, be->cpu, xcr0);
	p->mem = calloc(1, p->lay.std_size + 128);
	if (!p->mem) {
		free(p);
		snprintf(why, len, "out of memory");
		return -1;
	}
	p->regs = (uint8_t *)FPB_ALIGN_UP((uintptr_t)p->mem, (uintptr_t)64);
	p->xcr0 = xcr0 | 3;
	p->xss = be->cpu->xss;
	p->rules = fpb_xsave_rules(be->cpu);
	for (unsigned i = 0; i < FPB_SIM_MAX_COMP; i++)
		if (p->lay.features & FPB_BIT(i))
			reg_init(p, i);
	p->regs[MXCSR_OFF] = 0x80;
	p->regs[MXCSR_OFF + 1] = 0x1f;
	be->priv = p;
	return 0;
}

static void rec_close(struct fpb_backend *be)
{
	struct rec_priv *p = P(be);

	if (!p)
		return;
	free(p->log);
	free(p->mem);
	free(p);
	be->priv = NULL;
}

static int rec_kernel_supported(struct fpb_backend *be, const struct fpb_kernel *k, char *why,
				size_t len)
{
	(void)be;
	(void)k;
	(void)why;
	(void)len;
	return 0;
}

static int rec_prepare(struct fpb_backend *be, const struct fpb_kernel *k, struct fpb_kctx *ctx,
		       char *why, size_t len)
{
	size_t size = FPB_ALIGN_UP((size_t)P(be)->lay.std_size + 64, (size_t)64);
	unsigned n = ctx->buffer.mode == FPB_BUF_ROTATE ? ctx->buffer.k : 1;

	(void)k;
	if (!n || n > FPB_KCTX_MAX_BUFS) {
		snprintf(why, len, "bad buffer count %u", n);
		return -1;
	}
	for (unsigned i = 0; i < n; i++) {
		ctx->bufs[i] = aligned_alloc(64, size);
		if (!ctx->bufs[i]) {
			snprintf(why, len, "out of memory");
			return -1;
		}
		memset(ctx->bufs[i], 0, size);
		((uint8_t *)ctx->bufs[i])[MXCSR_OFF] = 0x80;
		((uint8_t *)ctx->bufs[i])[MXCSR_OFF + 1] = 0x1f;
		ctx->nbufs = i + 1;
	}
	ctx->buf_size = size;
	return 0;
}

static void rec_release(struct fpb_backend *be, const struct fpb_kernel *k, struct fpb_kctx *ctx)
{
	(void)be;
	(void)k;
	for (unsigned i = 0; i < ctx->nbufs; i++) {
		free(ctx->bufs[i]);
		ctx->bufs[i] = NULL;
	}
	ctx->nbufs = 0;
}

static int rec_run_batch(struct fpb_backend *be, const struct fpb_kernel *k, struct fpb_kctx *ctx,
			 uint64_t n, struct fpb_sample *out)
{
	memset(out, 0, sizeof(*out));
	out->cpu = -1;
	return logit(be, (struct fpb_record_entry){ .op = FPB_REC_BATCH, .kernel = k,
						    .rfbm = ctx->rfbm, .value = ctx->state,
						    .bytes = n, .ret = 0 });
}

static uint32_t off_in(const struct rec_priv *p, const void *buf, unsigned i)
{
	const struct fpb_xsave_hdr *h = (const void *)((const char *)buf + FPB_XSAVE_HDR_OFFSET);

	if (i < 2)
		return i ? 160 : 0;
	if (h->xcomp_bv & FPB_XCOMP_BV_COMPACTED)
		return fpb_sim_compacted_offset(&p->lay, h->xcomp_bv, i);
	return p->lay.std_off[i];
}

static void put_comp(struct rec_priv *p, uint8_t *buf, uint32_t off, unsigned i)
{
	if (i == FPB_XF_X87) {
		memcpy(buf + off, p->regs, 24);
		memcpy(buf + off + 32, p->regs + 32, 128);
	} else {
		memcpy(buf + off, p->regs + (i == FPB_XF_SSE ? 160 : p->lay.std_off[i]),
		       p->lay.size[i]);
	}
}

static int do_save(struct fpb_backend *be, enum fpb_save_op op, void *buf, uint64_t rfbm)
{
	struct rec_priv *p = P(be);
	struct fpb_xsave_hdr *h = fpb_xsave_hdr(buf);
	uint64_t inuse = p->xinuse & ~p->xfd;
	uint8_t *b = buf;

	if (!buf || ((uintptr_t)buf & (op == FPB_OP_FXSAVE ? 15 : 63)))
		return -EFAULT;
	if (op == FPB_OP_FXSAVE) {
		put_comp(p, b, 0, FPB_XF_X87);
		put_comp(p, b, 160, FPB_XF_SSE);
		memcpy(b + MXCSR_OFF, p->regs + MXCSR_OFF, 4);
		memset(b + MXCSR_OFF + 4, 0xff, 2);
		return FPB_PRIM_DONE;
	}
	rfbm &= p->xcr0 & p->lay.features;
	/* XSAVEC/XSAVES save MXCSR with component 1 only where the vendor's rule says so. */
	if ((rfbm & SSE_AVX) &&
	    !((op == FPB_OP_XSAVEC || op == FPB_OP_XSAVES) && RULE(p, XSAVEC_MXCSR_IF_SSE_INUSE) &&
	      !(rfbm & inuse & SSE_BIT))) {
		memcpy(b + MXCSR_OFF, p->regs + MXCSR_OFF, 4);
		memset(b + MXCSR_OFF + 4, 0xff, 2);
	}
	if (op == FPB_OP_XSAVEC || op == FPB_OP_XSAVES) {
		uint64_t xcomp = rfbm | FPB_XCOMP_BV_COMPACTED;

		h->xcomp_bv = xcomp;
		for (unsigned i = 0; i < FPB_SIM_MAX_COMP; i++)
			if (rfbm & inuse & FPB_BIT(i))
				put_comp(p, b, i < 2 ? (i ? 160 : 0) :
					 fpb_sim_compacted_offset(&p->lay, xcomp, i), i);
		h->xstate_bv = rfbm & inuse;
		return FPB_PRIM_DONE;
	}
	for (unsigned i = 0; i < FPB_SIM_MAX_COMP; i++) {
		if (!(rfbm & FPB_BIT(i)))
			continue;
		/* XSAVEOPT's init optimisation: a component in its init state is not written. */
		if (op == FPB_OP_XSAVEOPT && !(inuse & FPB_BIT(i)))
			continue;
		put_comp(p, b, i < 2 ? (i ? 160 : 0) : p->lay.std_off[i], i);
	}
	h->xstate_bv = (h->xstate_bv & ~rfbm) | (rfbm & inuse);
	return FPB_PRIM_DONE;
}

static int rec_save(struct fpb_backend *be, enum fpb_save_op op, void *buf, uint64_t rfbm)
{
	int r = (unsigned)op < FPB_NR_SAVE_OPS ? do_save(be, op, buf, rfbm) : -EINVAL;

	return logit(be, (struct fpb_record_entry){ .op = FPB_REC_SAVE, .kind = op, .buf = buf,
						    .rfbm = rfbm, .ret = r });
}

static uint32_t get32(const uint8_t *b)
{
	return b[0] | (b[1] << 8) | (b[2] << 16) | ((uint32_t)b[3] << 24);
}

static void put32(uint8_t *b, uint32_t v)
{
	for (unsigned k = 0; k < 4; k++)
		b[k] = (uint8_t)(v >> (8 * k));
}

enum { MXCSR_KEEP, MXCSR_LOAD, MXCSR_INIT };

/* What an XRSTOR of this kind does to MXCSR. */
static int mxcsr_source(const struct rec_priv *p, bool compacted, uint64_t rfbm, uint64_t bv)
{
	if (compacted && RULE(p, CMP_XRSTOR_MXCSR_BY_SSE)) {
		if (!(rfbm & SSE_BIT))
			return MXCSR_KEEP;
		return bv & SSE_BIT ? MXCSR_LOAD : MXCSR_INIT;
	}
	if (!(rfbm & SSE_AVX))
		return MXCSR_KEEP;
	if (compacted || RULE(p, STD_XRSTOR_LOADS_MXCSR))
		return MXCSR_LOAD;
	return bv & rfbm & SSE_AVX ? MXCSR_LOAD : MXCSR_INIT;
}

/* A loaded MXCSR other than the default puts SSE in use, where the vendor tracks it. */
static void mxcsr_marks(struct rec_priv *p)
{
	if (RULE(p, MXCSR_MARKS_SSE_INUSE) && get32(p->regs + MXCSR_OFF) != FPB_MXCSR_DEFAULT)
		p->xinuse |= SSE_BIT;
}

static int do_restore(struct fpb_backend *be, enum fpb_restore_op op, const void *buf,
		      uint64_t rfbm)
{
	struct rec_priv *p = P(be);
	const uint8_t *b = buf;
	const struct fpb_xsave_hdr *h;
	bool compacted;
	uint64_t bv;
	int mxcsr_from;

	if (!buf || ((uintptr_t)buf & (op == FPB_OP_FXRSTOR ? 15 : 63)))
		return -EFAULT;
	if (op == FPB_OP_FXRSTOR) {
		if (get32(b + MXCSR_OFF) >> 16)
			return -EFAULT;
		memcpy(p->regs, b, 24);
		memcpy(p->regs + 32, b + 32, 128);
		memcpy(p->regs + 160, b + 160, 256);
		memcpy(p->regs + MXCSR_OFF, b + MXCSR_OFF, 4);
		p->xinuse |= 3;
		return FPB_PRIM_DONE;
	}
	h = (const void *)(b + FPB_XSAVE_HDR_OFFSET);
	compacted = h->xcomp_bv & FPB_XCOMP_BV_COMPACTED;
	for (unsigned i = 0; i < 6; i++)
		if (h->reserved[i])
			return -EFAULT;
	if (op == FPB_OP_XRSTORS && !compacted)
		return -EFAULT;
	if (compacted) {
		if ((h->xcomp_bv & ~FPB_XCOMP_BV_COMPACTED) & ~(p->xcr0 | p->xss))
			return -EFAULT;
		if (h->xstate_bv & ~h->xcomp_bv)
			return -EFAULT;
	} else if (h->xcomp_bv || (h->xstate_bv & ~p->xcr0)) {
		return -EFAULT;
	}
	rfbm &= p->xcr0 & p->lay.features;
	bv = h->xstate_bv & (compacted ? h->xcomp_bv : ~0ULL);
	if (rfbm & bv & p->xfd)
		return -EFAULT;		/* #NM: XFD-armed component */
	mxcsr_from = mxcsr_source(p, compacted, rfbm, bv);
	if (mxcsr_from == MXCSR_LOAD && (get32(b + MXCSR_OFF) >> 16))
		return -EFAULT;
	for (unsigned i = 0; i < FPB_SIM_MAX_COMP; i++) {
		uint32_t off;

		if (!(rfbm & FPB_BIT(i)))
			continue;
		if (!(bv & FPB_BIT(i))) {
			reg_init(p, i);
			continue;
		}
		off = off_in(p, buf, i);
		if (i == FPB_XF_X87) {
			memcpy(p->regs, b, 24);
			memcpy(p->regs + 32, b + 32, 128);
		} else {
			memcpy(p->regs + (i == FPB_XF_SSE ? 160 : p->lay.std_off[i]), b + off,
			       p->lay.size[i]);
		}
		p->xinuse |= FPB_BIT(i);
	}
	if (mxcsr_from == MXCSR_LOAD)
		memcpy(p->regs + MXCSR_OFF, b + MXCSR_OFF, 4);
	else if (mxcsr_from == MXCSR_INIT)
		put32(p->regs + MXCSR_OFF, FPB_MXCSR_DEFAULT);
	if (mxcsr_from != MXCSR_KEEP)
		mxcsr_marks(p);
	if ((rfbm & SSE_BIT) && RULE(p, INIT_XRSTOR_KEEPS_SSE_INUSE))
		p->xinuse |= SSE_BIT;
	return FPB_PRIM_DONE;
}

static int rec_restore(struct fpb_backend *be, enum fpb_restore_op op, const void *buf,
		       uint64_t rfbm)
{
	int r = (unsigned)op < FPB_NR_RESTORE_OPS ? do_restore(be, op, buf, rfbm) : -EINVAL;

	return logit(be, (struct fpb_record_entry){ .op = FPB_REC_RESTORE, .kind = op,
						    .buf = buf, .rfbm = rfbm, .ret = r });
}

static int rec_copy(struct fpb_backend *be, void *dst, const void *src, size_t n)
{
	memmove(dst, src, n);
	return logit(be, (struct fpb_record_entry){ .op = FPB_REC_COPY, .buf = dst, .src = src,
						    .bytes = n, .ret = FPB_PRIM_DONE });
}

static int rec_xsetbv(struct fpb_backend *be, uint32_t xcr, uint64_t val)
{
	int r = FPB_PRIM_DONE;

	if (xcr != 0 || !(val & 1) || ((val & 4) && !(val & 2)))
		r = -EFAULT;
	else
		P(be)->xcr0 = val;
	return logit(be, (struct fpb_record_entry){ .op = FPB_REC_XSETBV, .kind = (int)xcr,
						    .value = val, .ret = r });
}

static int rec_write_xfd(struct fpb_backend *be, uint64_t val)
{
	P(be)->xfd = val;
	return logit(be, (struct fpb_record_entry){ .op = FPB_REC_WRITE_XFD, .value = val,
						    .ret = FPB_PRIM_DONE });
}

static int rec_write_xss(struct fpb_backend *be, uint64_t val)
{
	P(be)->xss = val;
	return logit(be, (struct fpb_record_entry){ .op = FPB_REC_WRITE_XSS, .value = val,
						    .ret = FPB_PRIM_DONE });
}

static int rec_rdpkru(struct fpb_backend *be, uint32_t *val)
{
	struct rec_priv *p = P(be);
	int r = -EOPNOTSUPP;

	if (p->xcr0 & p->lay.features & FPB_BIT(FPB_XF_PKRU)) {
		*val = get32(p->regs + p->lay.std_off[FPB_XF_PKRU]);
		r = FPB_PRIM_DONE;
	}
	return logit(be, (struct fpb_record_entry){ .op = FPB_REC_RDPKRU,
						    .value = r >= 0 ? *val : 0, .ret = r });
}

static int rec_wrpkru(struct fpb_backend *be, uint32_t val)
{
	struct rec_priv *p = P(be);
	int r = FPB_PRIM_COUNTED;

	if (p->xcr0 & p->lay.features & FPB_BIT(FPB_XF_PKRU)) {
		memcpy(p->regs + p->lay.std_off[FPB_XF_PKRU], &val, 4);
		if (val)
			p->xinuse |= FPB_BIT(FPB_XF_PKRU);
		else
			p->xinuse &= ~FPB_BIT(FPB_XF_PKRU);
		r = FPB_PRIM_DONE;
	}
	return logit(be, (struct fpb_record_entry){ .op = FPB_REC_WRPKRU, .value = val, .ret = r });
}

const struct fpb_backend_ops fpb_backend_record = {
	.name			= "record",
	.summary		= "tests: logs every primitive, emulates the register file in memory",
	.flags			= 0,
	.probe			= rec_probe,
	.open			= rec_open,
	.close			= rec_close,
	.kernel_supported	= rec_kernel_supported,
	.prepare		= rec_prepare,
	.release		= rec_release,
	.run_batch		= rec_run_batch,
	.save			= rec_save,
	.restore		= rec_restore,
	.copy			= rec_copy,
	.xsetbv			= rec_xsetbv,
	.write_xfd		= rec_write_xfd,
	.write_xss		= rec_write_xss,
	.rdpkru			= rec_rdpkru,
	.wrpkru			= rec_wrpkru,
};
