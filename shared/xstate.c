/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * xstate.c - XSAVE state components: names, buffer layouts, header checks, the one converter
 * between the standard and compacted formats, and mask parsing/naming.
 *
 * Print-free and libc-free apart from fpb_env.h (the kernel module builds it too).
 *
 * Compacted format (SDM vol. 1, 13.4.3): the legacy region and the header as in the standard
 * format; then, in increasing order, each component i >= 2 set in XCOMP_BV: it starts where the
 * previous one ended (576 for the first), rounded up to 64 bytes when CPUID.(0xD,i):ECX[1] is set.
 */
#ifndef __KERNEL__
#include <stdarg.h>
#endif
#include "xstate.h"
#include "cpu.h"
/*
 * The strategies convert while the register file holds a simulated context's state (user
 * backend): no vector registers and no libc memset/memcpy behind the compiler's back here.
 */
#include "fpb_nofp.h"

#define FPB_ULL(x)	((unsigned long long)(x))

static const char *const fpb_xfeature_names[64] = {
	"x87", "sse", "avx", "bndregs", "bndcsr", "opmask", "zmm_hi256", "hi16_zmm",
	"pt", "pkru", "pasid", "cet_u", "cet_s", "hdc", "uintr", "lbr",
	"hwp", "tilecfg", "tiledata", "apx", "bit20", "bit21", "bit22", "bit23",
	"bit24", "bit25", "bit26", "bit27", "bit28", "bit29", "bit30", "bit31",
	"bit32", "bit33", "bit34", "bit35", "bit36", "bit37", "bit38", "bit39",
	"bit40", "bit41", "bit42", "bit43", "bit44", "bit45", "bit46", "bit47",
	"bit48", "bit49", "bit50", "bit51", "bit52", "bit53", "bit54", "bit55",
	"bit56", "bit57", "bit58", "bit59", "bit60", "bit61", "bit62", "bit63",
};

/* Name of component n, or "bit<n>"; "?" beyond 63. */
const char *fpb_xfeature_name(unsigned n)
{
	return n < 64 ? fpb_xfeature_names[n] : "?";
}

/* Component groups accepted by the mask parser besides the single names. */
static const struct {
	const char *name;
	uint64_t mask;
} fpb_xmask_groups[] = {
	{ "avx512",	FPB_XMASK_AVX512 },
	{ "amx",	FPB_XMASK_AMX },
	{ "cet",	FPB_BIT(FPB_XF_CET_U) | FPB_BIT(FPB_XF_CET_S) },
	{ "mpx",	FPB_BIT(FPB_XF_BNDREGS) | FPB_BIT(FPB_XF_BNDCSR) },
};

/* Supervisor components in cpu's leaf 0xD description. */
static uint64_t supervisor_mask(const struct fpb_cpu *cpu)
{
	uint64_t m = 0;

	for (unsigned i = 2; i < FPB_XSTATE_MAX; i++)
		if (cpu->comp[i].present && cpu->comp[i].supervisor)
			m |= FPB_BIT(i);
	return m;
}

/* What XCOMP_BV may hold on cpu: XCR0 | IA32_XSS (the supported XSS bits when unread). */
static uint64_t allowed_mask(const struct fpb_cpu *cpu)
{
	return cpu->xcr0 | (cpu->xss_known ? cpu->xss : cpu->xss_supported);
}

/*
 * Offsets of mask's components in the compacted format (XCOMP_BV = mask); offsets[i] is 0 for
 * components outside mask (x87 is at 0, sse at 160 in the legacy region).  Returns the total size.
 */
uint32_t fpb_xstate_compacted_layout(const struct fpb_cpu *cpu, uint64_t mask,
				     uint32_t offsets[64])
{
	uint32_t off = FPB_XSAVE_EXT_OFFSET;

	mask &= ~FPB_XCOMP_BV_COMPACTED;
	for (unsigned i = 0; i < 64; i++)
		offsets[i] = 0;
	if (mask & FPB_BIT(FPB_XF_SSE))
		offsets[FPB_XF_SSE] = cpu->comp[FPB_XF_SSE].std_offset;
	for (unsigned i = 2; i < FPB_XSTATE_MAX - 1; i++) {
		if (!(mask & FPB_BIT(i)))
			continue;
		if (cpu->comp[i].align64)
			off = FPB_ALIGN_UP(off, 64u);
		offsets[i] = off;
		off += cpu->comp[i].size;
	}
	return off;
}

/* Standard-format size for mask: the end of its last user component, at least 576 bytes. */
uint32_t fpb_xstate_standard_size(const struct fpb_cpu *cpu, uint64_t mask)
{
	uint32_t size = FPB_XSAVE_EXT_OFFSET;

	for (unsigned i = 2; i < FPB_XSTATE_MAX - 1; i++) {
		const struct fpb_xcomp *c = &cpu->comp[i];

		if ((mask & FPB_BIT(i)) && c->present && !c->supervisor &&
		    c->std_offset + c->size > size)
			size = c->std_offset + c->size;
	}
	return size;
}

static int reject(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Fill why (when given) and return -EINVAL. */
static int reject(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (why && len) {
		va_start(ap, fmt);
		vsnprintf(why, len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int check_reserved(const struct fpb_xsave_hdr *h, char *why, size_t len)
{
	for (unsigned i = 0; i < FPB_ARRAY_SIZE(h->reserved); i++)
		if (h->reserved[i])
			return reject(why, len, "XSAVE header bytes %u-%u (reserved) are not zero",
				      16 + 8 * i, 23 + 8 * i);
	return 0;
}

/* Check a compacted buffer's header (rules in xstate.h).  Returns 0 or -EINVAL with why. */
int fpb_xstate_check_compacted(const void *buf, uint64_t allowed, char *why, size_t len)
{
	const struct fpb_xsave_hdr *h = fpb_xsave_hdr((void *)buf);
	uint64_t xcomp = h->xcomp_bv & ~FPB_XCOMP_BV_COMPACTED;

	if (!(h->xcomp_bv & FPB_XCOMP_BV_COMPACTED))
		return reject(why, len, "XCOMP_BV 0x%llx has bit 63 clear: not a compacted buffer",
			      FPB_ULL(h->xcomp_bv));
	if (xcomp & ~allowed)
		return reject(why, len, "XCOMP_BV sets bits 0x%llx outside XCR0|IA32_XSS 0x%llx",
			      FPB_ULL(xcomp & ~allowed), FPB_ULL(allowed));
	if (h->xstate_bv & ~xcomp)
		return reject(why, len, "XSTATE_BV sets bits 0x%llx outside XCOMP_BV 0x%llx",
			      FPB_ULL(h->xstate_bv & ~xcomp), FPB_ULL(xcomp));
	return check_reserved(h, why, len);
}

/* Check a standard buffer's header: XCOMP_BV 0, XSTATE_BV within allowed, reserved zero. */
int fpb_xstate_check_standard(const void *buf, uint64_t allowed, char *why, size_t len)
{
	const struct fpb_xsave_hdr *h = fpb_xsave_hdr((void *)buf);

	if (h->xcomp_bv)
		return reject(why, len, "XCOMP_BV is 0x%llx in a standard-format buffer (want 0)",
			      FPB_ULL(h->xcomp_bv));
	if (h->xstate_bv & ~allowed)
		return reject(why, len, "XSTATE_BV sets bits 0x%llx outside XCR0 0x%llx",
			      FPB_ULL(h->xstate_bv & ~allowed), FPB_ULL(allowed));
	return check_reserved(h, why, len);
}

/* Every component of mask (i >= 2) must have a size in leaf 0xD. */
static int check_described(const struct fpb_cpu *cpu, uint64_t mask, char *why, size_t len)
{
	for (unsigned i = 2; i < FPB_XSTATE_MAX - 1; i++)
		if ((mask & FPB_BIT(i)) && !cpu->comp[i].present)
			return reject(why, len, "component %u is not described by CPUID leaf 0xD",
				      i);
	return 0;
}

static int copy_mem(void *arg, void *dst, const void *src, size_t n)
{
	(void)arg;
	memcpy(dst, src, n);
	return 0;
}

/* A checked conversion: what to carry and where each component sits on both sides. */
struct conv_plan {
	uint64_t bv;			/* XSTATE_BV of the result: the components carried */
	uint64_t dst_xcomp;		/* 0: standard format */
	bool src_cmp;
	uint32_t size;			/* bytes of dst's layout the copy may write */
	uint32_t soff[64], doff[64];	/* offsets of each component in src and dst */
};

/* Check src's header and the destination format, then fill p.  0 or -EINVAL with why. */
static int conv_plan(const struct fpb_cpu *cpu, struct conv_plan *p, size_t dst_len,
		     uint64_t dst_xcomp, const void *src, uint64_t keep, char *why, size_t len)
{
	const struct fpb_xsave_hdr *sh = fpb_xsave_hdr((void *)src);
	bool dst_cmp = dst_xcomp & FPB_XCOMP_BV_COMPACTED;
	uint64_t allowed = allowed_mask(cpu);
	int rc;

	p->src_cmp = sh->xcomp_bv & FPB_XCOMP_BV_COMPACTED;
	p->dst_xcomp = dst_xcomp;
	dst_xcomp &= ~FPB_XCOMP_BV_COMPACTED;
	if (p->src_cmp)
		rc = fpb_xstate_check_compacted(src, allowed, why, len);
	else
		rc = fpb_xstate_check_standard(src, cpu->xcr0, why, len);
	if (rc)
		return rc;
	if (!dst_cmp && dst_xcomp)
		return reject(why, len, "destination XCOMP_BV 0x%llx lacks bit 63 (0 selects "
			      "the standard format)", FPB_ULL(dst_xcomp));
	if (dst_xcomp & ~allowed)
		return reject(why, len, "XCOMP_BV sets bits 0x%llx outside XCR0|IA32_XSS 0x%llx",
			      FPB_ULL(dst_xcomp & ~allowed), FPB_ULL(allowed));
	p->bv = sh->xstate_bv & keep & (dst_cmp ? dst_xcomp : cpu->xcr0 & ~supervisor_mask(cpu));
	rc = check_described(cpu, p->bv | dst_xcomp | (p->src_cmp ? sh->xcomp_bv : 0), why, len);
	if (rc)
		return rc;
	for (unsigned i = 2; i < FPB_XSTATE_MAX - 1; i++)
		p->soff[i] = p->doff[i] = cpu->comp[i].std_offset;
	if (p->src_cmp)
		fpb_xstate_compacted_layout(cpu, sh->xcomp_bv, p->soff);
	if (dst_cmp)
		p->size = fpb_xstate_compacted_layout(cpu, dst_xcomp, p->doff);
	else
		p->size = fpb_xstate_standard_size(cpu, p->bv);
	if (dst_len < p->size)
		return reject(why, len, "%s buffer too small: %llu bytes, need %llu",
			      dst_cmp ? "compacted" : "standard", FPB_ULL(dst_len),
			      FPB_ULL(p->size));
	return 0;
}

uint32_t fpb_xstate_mxcsr(const void *buf)
{
	const struct fpb_xsave_hdr *h = fpb_xsave_hdr((void *)buf);
	const uint8_t *b = (const uint8_t *)buf + FPB_MXCSR_OFFSET;

	if ((h->xcomp_bv & FPB_XCOMP_BV_COMPACTED) && !(h->xstate_bv & h->xcomp_bv & FPB_BIT(FPB_XF_SSE)))
		return FPB_MXCSR_DEFAULT;
	return b[0] | (b[1] << 8) | (b[2] << 16) | ((uint32_t)b[3] << 24);
}

static void zero_bytes(void *p, size_t n)
{
	uint8_t *b = p;

	while (n--)
		*b++ = 0;
}

/*
 * Give dst's components outside the plan their init values (only the legacy part and what lies
 * in dst's layout within dst_len) and MXCSR the value src holds (fpb_xstate_mxcsr).
 */
static void conv_fill_init(const struct fpb_cpu *cpu, const struct conv_plan *p, void *dst,
			   size_t dst_len, uint32_t mxcsr)
{
	uint8_t *d = dst;

	if (!(p->bv & FPB_BIT(FPB_XF_X87))) {
		zero_bytes(d, FPB_MXCSR_OFFSET);
		zero_bytes(d + 32, 128);
		d[0] = 0x7f;		/* FCW 0x037f: every exception masked */
		d[1] = 0x03;
	}
	for (unsigned k = 0; k < 4; k++)
		d[FPB_MXCSR_OFFSET + k] = (uint8_t)(mxcsr >> (8 * k));
	if (!(p->bv & FPB_BIT(FPB_XF_SSE)))
		zero_bytes(d + 160, 256);
	for (unsigned i = 2; i < FPB_XSTATE_MAX - 1; i++) {
		bool in_layout = p->dst_xcomp ? p->dst_xcomp & FPB_BIT(i) :
				 (cpu->xcr0 & FPB_BIT(i)) && !cpu->comp[i].supervisor;

		if ((p->bv & FPB_BIT(i)) || !in_layout || !cpu->comp[i].present ||
		    !p->doff[i] || p->doff[i] + (size_t)cpu->comp[i].size > dst_len)
			continue;
		zero_bytes(d + p->doff[i], cpu->comp[i].size);
	}
}

/* Carry out a plan: the legacy region and each carried component through copy, the header. */
static int conv_copy(const struct fpb_cpu *cpu, const struct conv_plan *p, void *dst,
		     size_t dst_len, const void *src, fpb_xstate_copy_fn copy, void *arg)
{
	struct fpb_xsave_hdr *dh = fpb_xsave_hdr(dst);
	uint32_t mxcsr = fpb_xstate_mxcsr(src);
	int rc = copy(arg, dst, src, FPB_XSAVE_LEGACY_SIZE);

	for (unsigned i = 2; !rc && i < FPB_XSTATE_MAX - 1; i++)
		if (p->bv & FPB_BIT(i))
			rc = copy(arg, (char *)dst + p->doff[i], (const char *)src + p->soff[i],
				  cpu->comp[i].size);
	if (rc)
		return rc;
	conv_fill_init(cpu, p, dst, dst_len, mxcsr);
	dh->xstate_bv = p->bv;
	dh->xcomp_bv = p->dst_xcomp;
	for (unsigned i = 0; i < FPB_ARRAY_SIZE(dh->reserved); i++)
		dh->reserved[i] = 0;
	return 0;
}

/* The one converter (xstate.h): check, then copy. */
int fpb_xstate_convert(const struct fpb_cpu *cpu, void *dst, size_t dst_len, uint64_t dst_xcomp,
		       const void *src, uint64_t keep, fpb_xstate_copy_fn copy, void *arg,
		       char *why, size_t len)
{
	struct conv_plan p;
	int rc = conv_plan(cpu, &p, dst_len, dst_xcomp, src, keep, why, len);

	return rc ? rc : conv_copy(cpu, &p, dst, dst_len, src, copy, arg);
}

/*
 * Standard -> compacted with XCOMP_BV = xcomp_bv (bit 63 is added).  Copies the legacy region
 * and the components set in XSTATE_BV (all must be in XCOMP_BV); everything else in dst's
 * layout is zeroed.  Returns 0 or -EINVAL with why.
 */
int fpb_xstate_to_compacted(const struct fpb_cpu *cpu, void *dst, size_t dst_len,
			    const void *std, uint64_t xcomp_bv, char *why, size_t len)
{
	uint64_t xstate_bv = fpb_xsave_hdr((void *)std)->xstate_bv;
	struct conv_plan p;
	int rc;

	xcomp_bv |= FPB_XCOMP_BV_COMPACTED;
	rc = conv_plan(cpu, &p, dst_len, xcomp_bv, std, ~0ULL, why, len);
	if (rc)
		return rc;
	if (xstate_bv & ~xcomp_bv)
		return reject(why, len, "XSTATE_BV sets bits 0x%llx outside XCOMP_BV 0x%llx",
			      FPB_ULL(xstate_bv & ~xcomp_bv),
			      FPB_ULL(xcomp_bv & ~FPB_XCOMP_BV_COMPACTED));
	memset(dst, 0, p.size);
	return conv_copy(cpu, &p, dst, dst_len, std, copy_mem, NULL);
}

/*
 * Compacted -> standard.  The source header must follow the compacted rules and hold no
 * supervisor component in XSTATE_BV (the standard format has no place for one); dst must hold
 * every component of XCOMP_BV, and is zeroed but for what is copied.
 * Returns 0 or -EINVAL with why.
 */
int fpb_xstate_to_standard(const struct fpb_cpu *cpu, void *dst, size_t dst_len,
			   const void *cmp, char *why, size_t len)
{
	const struct fpb_xsave_hdr *ch = fpb_xsave_hdr((void *)cmp);
	uint64_t sup = supervisor_mask(cpu), size;
	struct conv_plan p;
	int rc;

	rc = fpb_xstate_check_compacted(cmp, allowed_mask(cpu), why, len);
	if (rc)
		return rc;
	if (ch->xstate_bv & sup)
		return reject(why, len,
			      "XSTATE_BV holds supervisor components 0x%llx: the standard format "
			      "has no place for them",
			      FPB_ULL(ch->xstate_bv & sup));
	rc = conv_plan(cpu, &p, dst_len, 0, cmp, ~0ULL, why, len);
	if (rc)
		return rc;
	size = fpb_xstate_standard_size(cpu, ch->xcomp_bv);
	if (dst_len < size)
		return reject(why, len, "standard buffer too small: %llu bytes, need %llu",
			      FPB_ULL(dst_len), FPB_ULL(size));
	memset(dst, 0, size);
	return conv_copy(cpu, &p, dst, dst_len, cmp, copy_mem, NULL);
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive compare of the n characters at s with the whole of name. */
static bool word_is(const char *s, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n && name[i]; i++)
		if (lower(s[i]) != name[i])
			return false;
	return i == n && !name[i];
}

static int parse_hex_word(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n < 3 || s[0] != '0' || lower(s[1]) != 'x' || n > 2 + 16)
		return -1;
	for (i = 2; i < n; i++) {
		char c = lower(s[i]);

		if (c >= '0' && c <= '9')
			v = v << 4 | (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v << 4 | (uint64_t)(c - 'a' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static int parse_word(const char *s, size_t n, uint64_t xcr0, uint64_t *out)
{
	if (word_is(s, n, "all")) {
		*out = xcr0;
		return 0;
	}
	if (s[0] == '0' && n > 1 && lower(s[1]) == 'x')
		return parse_hex_word(s, n, out);
	for (unsigned i = 0; i < FPB_ARRAY_SIZE(fpb_xmask_groups); i++)
		if (word_is(s, n, fpb_xmask_groups[i].name)) {
			*out = fpb_xmask_groups[i].mask;
			return 0;
		}
	for (unsigned i = 0; i < 20; i++)
		if (word_is(s, n, fpb_xfeature_names[i])) {
			*out = FPB_BIT(i);
			return 0;
		}
	return -1;
}

/*
 * Parse "all", a list of component names and groups (avx512, amx, cet, mpx) separated by ',' or
 * '+', or a hex value "0x..".  Names may be mixed with hex values.  Returns 0 or -EINVAL.
 */
int fpb_xstate_parse_mask(const char *s, uint64_t xcr0, uint64_t *out, char *why, size_t len)
{
	uint64_t m = 0;
	const char *p = s;

	if (!s || !*s) {
		if (why && len)
			fpb_snprintf(why, len, "empty mask");
		return -EINVAL;
	}
	for (;;) {
		size_t n = 0;
		uint64_t v;

		while (p[n] && p[n] != ',' && p[n] != '+')
			n++;
		if (!n) {
			if (why && len)
				fpb_snprintf(why, len, "empty item in mask '%s'", s);
			return -EINVAL;
		}
		if (parse_word(p, n, xcr0, &v)) {
			if (why && len)
				fpb_snprintf(why, len, "unknown component '%.*s' (want all, a "
					     "name such as sse, avx, avx512, amx, or 0x<hex>)",
					     (int)(n > 32 ? 32 : n), p);
			return -EINVAL;
		}
		m |= v;
		if (!p[n])
			break;
		p += n + 1;
	}
	*out = m;
	return 0;
}

/* Short name of mask: "all" (== xcr0), a component or group name when it matches, else hex. */
void fpb_xstate_mask_name(uint64_t mask, uint64_t xcr0, char *buf, size_t len)
{
	if (!len)
		return;
	if (xcr0 && mask == xcr0) {
		fpb_snprintf(buf, len, "all");
		return;
	}
	for (unsigned i = 0; i < FPB_ARRAY_SIZE(fpb_xmask_groups); i++)
		if (mask == fpb_xmask_groups[i].mask) {
			fpb_snprintf(buf, len, "%s", fpb_xmask_groups[i].name);
			return;
		}
	for (unsigned i = 0; i < 20; i++)
		if (mask == FPB_BIT(i)) {
			fpb_snprintf(buf, len, "%s", fpb_xfeature_names[i]);
			return;
		}
	fpb_snprintf(buf, len, "0x%llx", FPB_ULL(mask));
}
