// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * xlayout.c - the simulated machine's register images: which components it models, distinct
 * valid images of each context's state, and an architectural comparison of two buffers.  Buffer
 * layouts and conversions between the formats are shared/xstate.c's (the one converter).
 * Print-free, libc-free apart from fpb_env.h.
 */
#include "machine.h"
#include "xstate.h"
#include "fpb_nofp.h"

int fpb_sim_layout_init(struct fpb_sim_layout *l, const struct fpb_cpu *cpu, uint64_t features)
{
	fpb_sim_zero(l, sizeof(*l));
	features &= FPB_BIT(FPB_SIM_MAX_COMP) - 1;
	features |= FPB_BIT(FPB_XF_X87) | FPB_BIT(FPB_XF_SSE);
	for (unsigned i = 2; i < FPB_SIM_MAX_COMP; i++) {
		const struct fpb_xcomp *c = &cpu->comp[i];

		if (!(features & FPB_BIT(i)))
			continue;
		if (!c->present || c->supervisor || !c->size || c->std_offset < FPB_XSAVE_EXT_OFFSET) {
			features &= ~FPB_BIT(i);
			continue;
		}
		l->size[i] = c->size;
		l->std_off[i] = c->std_offset;
	}
	l->size[FPB_XF_X87] = 160;
	l->size[FPB_XF_SSE] = 256;
	l->std_off[FPB_XF_SSE] = 160;
	l->features = features;
	l->std_size = fpb_xstate_standard_size(cpu, features);
	l->cpu = cpu;
	return 0;
}

/* Offsets of every component in buf, by its header's format (x87 at 0, SSE at 160). */
static void buf_offsets(const struct fpb_sim_layout *l, const void *buf, uint32_t off[64])
{
	const struct fpb_xsave_hdr *h = fpb_xsave_hdr((void *)buf);

	if (h->xcomp_bv & FPB_XCOMP_BV_COMPACTED) {
		fpb_xstate_compacted_layout(l->cpu, h->xcomp_bv, off);
	} else {
		for (unsigned i = 0; i < 64; i++)
			off[i] = i < FPB_SIM_MAX_COMP ? l->std_off[i] : 0;
	}
	off[FPB_XF_X87] = 0;
	off[FPB_XF_SSE] = 160;
}

uint32_t fpb_sim_compacted_offset(const struct fpb_sim_layout *l, uint64_t xcomp, unsigned i)
{
	uint32_t off[64];

	if (i < 2)
		return i == FPB_XF_X87 ? 0 : 160;
	fpb_xstate_compacted_layout(l->cpu, xcomp, off);
	return i < 64 ? off[i] : 0;
}

void fpb_sim_zero(void *p, size_t n)
{
	uint8_t *b = p;

	while (n && ((uintptr_t)b & 7)) {
		*b++ = 0;
		n--;
	}
	for (; n >= 8; n -= 8, b += 8)
		*(uint64_t *)b = 0;
	while (n--)
		*b++ = 0;
}

int fpb_sim_copy_raw(void *arg, void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	(void)arg;
	if (!(((uintptr_t)d | (uintptr_t)s | n) & 7)) {
		for (; n; n -= 8, d += 8, s += 8)
			*(uint64_t *)d = *(const uint64_t *)s;
		return 0;
	}
	while (n--)
		*d++ = *s++;
	return 0;
}

static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t img_seed(const struct fpb_sim_image *img)
{
	return mix64(((uint64_t)img->owner << 40) ^ ((uint64_t)img->guest << 36) ^ img->gen);
}

static inline uint8_t *at(void *buf, uint32_t off)
{
	return (uint8_t *)buf + off;
}

static inline const uint8_t *cat(const void *buf, uint32_t off)
{
	return (const uint8_t *)buf + off;
}

static void put16(void *p, uint16_t v)
{
	uint8_t *b = p;

	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
}

static void put32(void *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16((uint8_t *)p + 2, (uint16_t)(v >> 16));
}

static uint16_t get16(const void *p)
{
	const uint8_t *b = p;

	return (uint16_t)(b[0] | (b[1] << 8));
}

/* Fill n bytes (a multiple of 8) with the pattern for component i. */
static void fill(void *p, size_t n, uint64_t seed, unsigned i)
{
	uint64_t *w = p;

	for (size_t k = 0; k < n / 8; k++)
		w[k] = mix64(seed ^ ((uint64_t)i << 48) ^ k);
}

void fpb_sim_image_write(const struct fpb_sim_layout *l, void *buf, const struct fpb_sim_image *img)
{
	struct fpb_xsave_hdr *h = fpb_xsave_hdr(buf);
	uint64_t seed = img_seed(img);
	uint64_t inuse = img->gen ? img->features & ~img->init_comps & l->features : 0;

	fpb_sim_zero(buf, l->std_size);
	/* x87: exceptions masked, all eight registers tagged valid. */
	put16(at(buf, 0), 0x037f);
	put32(at(buf, 24), 0x1f80);			/* MXCSR: all exceptions masked */
	if (inuse & FPB_BIT(FPB_XF_X87)) {
		uint64_t v = mix64(seed);

		at(buf, 4)[0] = 0xff;			/* abridged FTW */
		put16(at(buf, 6), (uint16_t)(v & 0x7ff));	/* FOP */
		for (unsigned r = 0; r < 8; r++) {
			uint64_t x = mix64(seed ^ (0x87ULL << 32) ^ r);

			fpb_sim_copy_raw(NULL, at(buf, 32 + 16 * r), &x, 8);
			put16(at(buf, 32 + 16 * r + 8), (uint16_t)(mix64(x) & 0xffff));
		}
	}
	if (img->gen)
		put32(at(buf, 24), 0x1f80 | ((img->gen & 3u) << 13));	/* rounding control */
	if (inuse & FPB_BIT(FPB_XF_SSE))
		fill(at(buf, 160), 256, seed, FPB_XF_SSE);
	for (unsigned i = 2; i < FPB_SIM_MAX_COMP; i++) {
		if (!(inuse & FPB_BIT(i)))
			continue;
		if (i == FPB_XF_PKRU) {
			continue;
		} else if (i == FPB_XF_TILECFG) {
			uint8_t *c = at(buf, l->std_off[i]);

			c[0] = 1;			/* palette 1: eight 16x64-byte tiles */
			for (unsigned t = 0; t < 8; t++) {
				put16(c + 16 + 2 * t, 64);
				c[48 + t] = 16;
			}
		} else if (i == FPB_XF_BNDCSR) {
			uint8_t *c = at(buf, l->std_off[i]);

			/*
			 * BNDCFGU (reserved bits 2-11 clear: XRSTOR would fault) and BNDSTATUS;
			 * the rest of the component is padding no XSAVE is bound to keep.
			 */
			fill(c, 16, seed, i);
			c[0] &= 0x03;
			c[1] &= 0xf0;
		} else {
			fill(at(buf, l->std_off[i]), l->size[i], seed, i);
		}
	}
	/* PKRU is not reset with the rest: the owner's value, key 0 accessible. */
	inuse &= ~FPB_BIT(FPB_XF_PKRU);
	if ((l->features & FPB_BIT(FPB_XF_PKRU)) && (img->pkru & ~3u)) {
		put32(at(buf, l->std_off[FPB_XF_PKRU]), img->pkru & ~3u);
		inuse |= FPB_BIT(FPB_XF_PKRU);
	}
	h->xstate_bv = inuse;
	h->xcomp_bv = 0;
}

static int differ(char *why, size_t len, unsigned comp, uint32_t off, uint64_t want, uint64_t got)
{
	if (why && len)
		fpb_snprintf(why, len, "%s +%u: want 0x%llx, got 0x%llx", fpb_xfeature_name(comp),
			     (unsigned)off, (unsigned long long)want, (unsigned long long)got);
	return -1;
}

/* Compare n bytes of component i (NULL side: init state, all zero). */
static int cmp_bytes(const uint8_t *a, const uint8_t *b, size_t n, unsigned i, uint32_t base,
		     char *why, size_t len)
{
	/* Fast path: aligned words that all match. */
	if (!(((uintptr_t)a | (uintptr_t)b | n) & 7)) {
		const uint64_t *x = (const void *)a, *y = (const void *)b;
		size_t k = 0, w = n / 8;

		if (x && y)
			while (k < w && x[k] == y[k])
				k++;
		else if (x || y)
			while (k < w && !(x ? x[k] : y[k]))
				k++;
		else
			k = w;
		if (k == w)
			return 0;
	}
	for (size_t k = 0; k < n; k += 8) {
		uint64_t x = 0, y = 0;
		size_t m = n - k < 8 ? n - k : 8;

		if (a)
			fpb_sim_copy_raw(NULL, &x, a + k, m);
		if (b)
			fpb_sim_copy_raw(NULL, &y, b + k, m);
		if (x != y)
			return differ(why, len, i, base + (uint32_t)k, x, y);
	}
	return 0;
}

int fpb_sim_state_compare(const struct fpb_sim_layout *l, const void *want, const void *got,
			  uint64_t mask, char *why, size_t len)
{
	const struct fpb_xsave_hdr *wh = (const void *)cat(want, FPB_XSAVE_HDR_OFFSET);
	const struct fpb_xsave_hdr *gh = (const void *)cat(got, FPB_XSAVE_HDR_OFFSET);
	uint64_t wbv = wh->xstate_bv, gbv = gh->xstate_bv;
	uint32_t woff[64], goff[64];

	mask &= l->features;
	buf_offsets(l, want, woff);
	buf_offsets(l, got, goff);
	if (gh->xcomp_bv & FPB_XCOMP_BV_COMPACTED)
		gbv &= gh->xcomp_bv;
	if (wh->xcomp_bv & FPB_XCOMP_BV_COMPACTED)
		wbv &= wh->xcomp_bv;
	if (mask & FPB_BIT(FPB_XF_X87)) {
		bool wu = wbv & 1, gu = gbv & 1;
		uint16_t wf = wu ? get16(cat(want, 0)) : 0x037f, gf = gu ? get16(cat(got, 0)) : 0x037f;

		if (wf != gf)
			return differ(why, len, 0, 0, wf, gf);
		if ((wu ? get16(cat(want, 2)) : 0) != (gu ? get16(cat(got, 2)) : 0))
			return differ(why, len, 0, 2, wu ? get16(cat(want, 2)) : 0,
				      gu ? get16(cat(got, 2)) : 0);
		if ((wu ? cat(want, 4)[0] : 0) != (gu ? cat(got, 4)[0] : 0))
			return differ(why, len, 0, 4, wu ? cat(want, 4)[0] : 0,
				      gu ? cat(got, 4)[0] : 0);
		/* FOP is skipped like FIP/FDP: AMD saves it only with an exception pending. */
		for (unsigned r = 0; r < 8; r++) {
			uint32_t o = 32 + 16 * r;

			if (cmp_bytes(wu ? cat(want, o) : NULL, gu ? cat(got, o) : NULL, 10, 0, o,
				      why, len))
				return -1;
		}
	}
	if (mask & (FPB_BIT(FPB_XF_SSE) | FPB_BIT(FPB_XF_AVX))) {
		/* A compacted buffer without SSE in XSTATE_BV holds MXCSR 0x1f80. */
		uint32_t wm = fpb_xstate_mxcsr(want), gm = fpb_xstate_mxcsr(got);

		if (wm != gm)
			return differ(why, len, FPB_XF_SSE, FPB_MXCSR_OFFSET, wm, gm);
	}
	if ((mask & FPB_BIT(FPB_XF_SSE)) &&
	    cmp_bytes(wbv & 2 ? cat(want, 160) : NULL, gbv & 2 ? cat(got, 160) : NULL, 256,
		      FPB_XF_SSE, 160, why, len))
		return -1;
	for (unsigned i = 2; i < FPB_SIM_MAX_COMP; i++) {
		/* PKRU and BNDCSR: their architectural bytes only (the rest is padding) */
		size_t n = i == FPB_XF_PKRU ? 4 : i == FPB_XF_BNDCSR ? 16 : l->size[i];

		if (!(mask & FPB_BIT(i)))
			continue;
		if (cmp_bytes(wbv & FPB_BIT(i) ? cat(want, woff[i]) : NULL,
			      gbv & FPB_BIT(i) ? cat(got, goff[i]) : NULL, n, i, 0,
			      why, len))
			return -1;
	}
	return 0;
}
