/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cpuid-canned.c - canned CPUID leaf sets: the text format of cpu.h, its reader and its writer.
 *
 * Tests feed detection with leaf sets recorded from real CPUs (tests/cpuid/); fpb_cpuid_dump()
 * writes the same format from any source, so a machine is recorded with one command.
 */
#include <ctype.h>
#include <stdarg.h>
#include "cpu.h"

#define FPB_SPACE	" \t\r\n"

struct canned_leaf {
	uint32_t leaf, subleaf;
	struct fpb_cpuid_regs r;
};

struct canned {
	struct canned_leaf *v;
	size_t n, cap;
	bool has_xcr0, has_xinuse;
	uint64_t xcr0, xinuse;
	char name[];
};

static int canned_cpuid(const struct fpb_cpuid_source *src, uint32_t leaf, uint32_t subleaf,
			struct fpb_cpuid_regs *out)
{
	const struct canned *c = src->priv;

	for (size_t i = 0; i < c->n; i++) {
		if (c->v[i].leaf == leaf && c->v[i].subleaf == subleaf) {
			*out = c->v[i].r;
			return 0;
		}
	}
	return -1;
}

static int canned_xgetbv(const struct fpb_cpuid_source *src, uint32_t xcr, uint64_t *out)
{
	const struct canned *c = src->priv;

	if (xcr == 0 && c->has_xcr0) {
		*out = c->xcr0;
		return 0;
	}
	if (xcr == 1 && c->has_xinuse) {
		*out = c->xinuse;
		return 0;
	}
	return -1;
}

/* Parse one hex token ("0x1f" or "1f", at most 16 digits). Returns 0 or -1. */
static int parse_hex(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	int digits = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s; s++, digits++) {
		int d;

		if (!isxdigit((unsigned char)*s) || digits >= 16)
			return -1;
		d = isdigit((unsigned char)*s) ? *s - '0' : tolower((unsigned char)*s) - 'a' + 10;
		v = v << 4 | (uint64_t)d;
	}
	if (!digits || v > max)
		return -1;
	*out = v;
	return 0;
}

static int fail(char *why, size_t len, const char *path, unsigned line, const char *fmt, ...)
{
	char msg[FPB_REASON_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (why && len) {
		if (line)
			snprintf(why, len, "%s: line %u: %s", path, line, msg);
		else
			snprintf(why, len, "%s: %s", path, msg);
	}
	return -1;
}

/* Handle one record (tok[0..ntok-1]); returns 0, or -1 after filling why. */
static int canned_record(struct canned *c, char **tok, int ntok, const char *path, unsigned line,
			 char *why, size_t len)
{
	struct canned_leaf e;
	uint64_t v[6];

	if (!strcmp(tok[0], "xcr0") || !strcmp(tok[0], "xinuse")) {
		bool is0 = tok[0][1] == 'c';
		bool *has = is0 ? &c->has_xcr0 : &c->has_xinuse;

		if (ntok != 2 || parse_hex(tok[1], UINT64_MAX, &v[0]))
			return fail(why, len, path, line, "'%s' needs one hex value", tok[0]);
		if (*has)
			return fail(why, len, path, line, "second '%s' record", tok[0]);
		*has = true;
		*(is0 ? &c->xcr0 : &c->xinuse) = v[0];
		return 0;
	}
	if (parse_hex(tok[0], UINT32_MAX, &v[0]))
		return fail(why, len, path, line,
			    "unknown record '%.20s' (want a leaf, xcr0 or xinuse)", tok[0]);
	if (ntok != 6)
		return fail(why, len, path, line,
			    "expected 6 hex fields (leaf subleaf eax ebx ecx edx), got %d", ntok);
	for (int i = 0; i < 6; i++)
		if (parse_hex(tok[i], UINT32_MAX, &v[i]))
			return fail(why, len, path, line,
				    "field %d '%.20s' is not a 32-bit hex value", i + 1, tok[i]);
	e.leaf = (uint32_t)v[0];
	e.subleaf = (uint32_t)v[1];
	e.r = (struct fpb_cpuid_regs){ (uint32_t)v[2], (uint32_t)v[3], (uint32_t)v[4],
				       (uint32_t)v[5] };
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].leaf == e.leaf && c->v[i].subleaf == e.subleaf)
			return fail(why, len, path, line, "leaf 0x%x subleaf 0x%x recorded twice",
				    e.leaf, e.subleaf);
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 64;
		struct canned_leaf *nv = realloc(c->v, cap * sizeof(*nv));

		if (!nv)
			return fail(why, len, path, line, "out of memory");
		c->v = nv;
		c->cap = cap;
	}
	c->v[c->n++] = e;
	return 0;
}

/*
 * Load a canned leaf set from path into src (format in cpu.h).
 * Returns 0, or -1 with a one-line reason naming the file and line in why.
 */
int fpb_cpuid_canned_load(struct fpb_cpuid_source *src, const char *path, char *why, size_t len)
{
	struct fpb_cpuid_regs r;
	struct canned *c;
	char buf[512];
	unsigned line = 0;
	FILE *f;
	int rc = 0;

	memset(src, 0, sizeof(*src));
	f = fopen(path, "r");
	if (!f)
		return fail(why, len, path, 0, "cannot open: %s", strerror(errno));
	c = calloc(1, sizeof(*c) + strlen(path) + 1);
	if (!c) {
		fclose(f);
		return fail(why, len, path, 0, "out of memory");
	}
	strcpy(c->name, path);
	while (!rc && fgets(buf, sizeof(buf), f)) {
		char *tok[8], *save = NULL, *hash;
		int ntok = 0;

		line++;
		if (!strchr(buf, '\n') && !feof(f)) {
			rc = fail(why, len, path, line, "line longer than %zu characters",
				  sizeof(buf) - 2);
			break;
		}
		hash = strchr(buf, '#');
		if (hash)
			*hash = '\0';
		for (char *t = strtok_r(buf, FPB_SPACE, &save); t;
		     t = strtok_r(NULL, FPB_SPACE, &save))
			if (ntok < (int)FPB_ARRAY_SIZE(tok))
				tok[ntok++] = t;
			else
				ntok++;
		if (!ntok)
			continue;
		if (ntok > (int)FPB_ARRAY_SIZE(tok)) {
			rc = fail(why, len, path, line, "too many fields (%d)", ntok);
			break;
		}
		rc = canned_record(c, tok, ntok, path, line, why, len);
	}
	if (!rc && ferror(f))
		rc = fail(why, len, path, line, "read error");
	fclose(f);
	src->name = c->name;
	src->cpuid = canned_cpuid;
	src->xgetbv = canned_xgetbv;
	src->priv = c;
	if (!rc && canned_cpuid(src, 0, 0, &r))
		rc = fail(why, len, path, 0, "no record for leaf 0 (vendor and maximum leaf)");
	if (rc)
		fpb_cpuid_canned_free(src);
	return rc;
}

/* Release what fpb_cpuid_canned_load() allocated; safe on a zeroed or already freed source. */
void fpb_cpuid_canned_free(struct fpb_cpuid_source *src)
{
	struct canned *c = src->priv;

	if (c) {
		free(c->v);
		free(c);
	}
	memset(src, 0, sizeof(*src));
}

struct dump_buf {
	char *p;
	size_t len, used;
};

static void put(struct dump_buf *d, const char *fmt, ...)
{
	size_t room = d->used < d->len ? d->len - d->used : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? d->p + d->used : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		d->used += (size_t)n;
}

static void put_leaf(struct dump_buf *d, const struct fpb_cpuid_source *src, uint32_t leaf,
		     uint32_t sub, bool skip_zero)
{
	struct fpb_cpuid_regs r;

	if (src->cpuid(src, leaf, sub, &r))
		return;
	if (skip_zero && !r.eax && !r.ebx && !r.ecx && !r.edx)
		return;
	put(d, "0x%08x 0x%08x 0x%08x 0x%08x 0x%08x 0x%08x\n", leaf, sub, r.eax, r.ebx, r.ecx,
	    r.edx);
}

/*
 * Write the leaves fpbench reads from src in the canned format (leaf 0, 1, 7.0-1, every
 * non-zero sub-leaf of 0xD, 0x15, 0x16, the hypervisor leaves 0x40000000/0x40000010, the
 * extended leaves 0x80000000-4, 7, 8) plus xcr0/xinuse.  Returns the length of the whole
 * dump (like snprintf: the text is cut, NUL-terminated, when len is too small).
 */
size_t fpb_cpuid_dump(const struct fpb_cpuid_source *src, char *buf, size_t len)
{
	struct dump_buf d = { buf, len, 0 };
	struct fpb_cpuid_regs r;
	uint32_t max = 0, emax = 0, hmax = 0;
	uint64_t x;

	if (buf && len)
		buf[0] = '\0';
	put(&d, "# leaf     subleaf    eax        ebx        ecx        edx\n");
	if (!src->cpuid(src, 0, 0, &r))
		max = r.eax;
	put_leaf(&d, src, 0, 0, false);
	if (max >= 1)
		put_leaf(&d, src, 1, 0, false);
	if (max >= 7) {
		put_leaf(&d, src, 7, 0, false);
		put_leaf(&d, src, 7, 1, false);
	}
	if (max >= 0xd)
		for (uint32_t i = 0; i < FPB_XSTATE_MAX; i++)
			put_leaf(&d, src, 0xd, i, i > 1);
	if (max >= 0x15)
		put_leaf(&d, src, 0x15, 0, false);
	if (max >= 0x16)
		put_leaf(&d, src, 0x16, 0, false);
	if (max >= 1 && !src->cpuid(src, 1, 0, &r) && (r.ecx & (1u << 31)) &&
	    !src->cpuid(src, 0x40000000u, 0, &r)) {
		hmax = r.eax;
		put_leaf(&d, src, 0x40000000u, 0, false);
		if (hmax >= 0x40000010u)
			put_leaf(&d, src, 0x40000010u, 0, false);
	}
	if (!src->cpuid(src, 0x80000000u, 0, &r))
		emax = r.eax;
	if (emax >= 0x80000000u) {
		put_leaf(&d, src, 0x80000000u, 0, false);
		for (uint32_t l = 0x80000001u; l <= 0x80000008u && l <= emax; l++)
			if (l <= 0x80000004u || l == 0x80000007u || l == 0x80000008u)
				put_leaf(&d, src, l, 0, false);
	}
	if (src->xgetbv && !src->xgetbv(src, 0, &x))
		put(&d, "xcr0 0x%llx\n", (unsigned long long)x);
	if (src->xgetbv && !src->xgetbv(src, 1, &x))
		put(&d, "xinuse 0x%llx\n", (unsigned long long)x);
	return d.used;
}
