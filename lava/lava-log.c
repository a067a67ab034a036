// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lava-log.c - read a LAVA job log: one YAML flow mapping a line, as lava-dispatcher writes it
 * (PyYAML, every scalar double-quoted, one line each) and lavacli fetches it; find the fpbench
 * parts between their markers in the device's output and check each against its size and MD5.
 *
 * Only the subset of YAML those lines use is understood: flow mappings and sequences, double-
 * and single-quoted and plain scalars, tags ("! ", "!!float ").  Anything else makes the line
 * "not an entry", which is harmless outside a part and caught by the MD5 inside one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <stdarg.h>
#include <sys/types.h>

#include "lava.h"

/* A growing string. */
struct fpb_buf {
	char *s;
	size_t n, cap;
	bool oom;
};

static void fpb_buf_add(struct fpb_buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *t;

		while (cap < b->n + n + 1)
			cap *= 2;
		t = realloc(b->s, cap);
		if (!t) {
			b->oom = true;
			return;
		}
		b->s = t;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void fpb_buf_utf8(struct fpb_buf *b, unsigned long cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	fpb_buf_add(b, u, n);
}

static const char *fpb_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* "..." with YAML's escapes; p at the quote.  Returns the end, or NULL when malformed. */
static const char *fpb_yaml_dq(const char *p, struct fpb_buf *out)
{
	/* pairs: the letter after the backslash, then what it stands for */
	static const char simple[] = "a\ab\bt\tn\nv\vf\fr\re\x1b \x20\"\"//\\\\\t\t";

	for (p++; *p && *p != '"'; p++) {
		const char *e;
		unsigned long cp = 0;
		int digits = 0;

		if (*p != '\\') {
			fpb_buf_add(out, p, 1);
			continue;
		}
		p++;
		if (!*p)
			return NULL;
		e = NULL;
		for (size_t i = 0; i + 1 < sizeof(simple); i += 2)
			if (simple[i] == *p) {
				e = &simple[i + 1];
				break;
			}
		if (*p == '0')
			return NULL;	/* a NUL cannot be part of a C string: not ours */
		if (e) {
			fpb_buf_add(out, e, 1);
			continue;
		}
		switch (*p) {
		case 'x': digits = 2; break;
		case 'u': digits = 4; break;
		case 'U': digits = 8; break;
		case 'N': cp = 0x85; break;
		case '_': cp = 0xa0; break;
		case 'L': cp = 0x2028; break;
		case 'P': cp = 0x2029; break;
		default: return NULL;
		}
		for (int i = 0; i < digits; i++) {
			char c = *++p;
			unsigned v;

			if (c >= '0' && c <= '9')
				v = (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				v = (unsigned)(c - 'a' + 10);
			else if (c >= 'A' && c <= 'F')
				v = (unsigned)(c - 'A' + 10);
			else
				return NULL;
			cp = cp << 4 | v;
		}
		if (!cp || cp > 0x10ffff)
			return NULL;
		fpb_buf_utf8(out, cp);
	}
	return *p == '"' ? p + 1 : NULL;
}

/* '...' ('' is a quote); p at the quote. */
static const char *fpb_yaml_sq(const char *p, struct fpb_buf *out)
{
	for (p++; *p; p++) {
		if (*p == '\'') {
			if (p[1] != '\'')
				return p + 1;
			p++;
		}
		fpb_buf_add(out, p, 1);
	}
	return NULL;
}

static const char *fpb_yaml_map(const char *p, struct fpb_lava_line *l, int depth);

/* A flow sequence, skipped; p at '['. */
static const char *fpb_yaml_skip_seq(const char *p, int depth)
{
	int level = 0;

	if (depth > 8)
		return NULL;
	for (; *p; p++) {
		if (*p == '"' || *p == '\'') {
			struct fpb_buf junk = { 0 };

			p = *p == '"' ? fpb_yaml_dq(p, &junk) : fpb_yaml_sq(p, &junk);
			free(junk.s);
			if (!p)
				return NULL;
			p--;
		} else if (*p == '[' || *p == '{') {
			level++;
		} else if (*p == ']' || *p == '}') {
			if (--level == 0)
				return p + 1;
		}
	}
	return NULL;
}

/*
 * One scalar, mapping or sequence.  Scalars go to out (when not NULL); a mapping's known keys go
 * to l (depth 1: the entry; depth 2: a results message).
 */
static const char *fpb_yaml_value(const char *p, struct fpb_buf *out, bool *is_map,
				  struct fpb_lava_line *l, int depth)
{
	struct fpb_buf junk = { 0 };
	const char *q;

	p = fpb_ws(p);
	if (*p == '!') {		/* a tag: "!!float", "!" */
		while (*p && *p != ' ')
			p++;
		p = fpb_ws(p);
	}
	if (!out)
		out = &junk;
	if (*p == '{') {
		if (is_map)
			*is_map = true;
		q = fpb_yaml_map(p, l, depth + 1);
	} else if (*p == '[') {
		q = fpb_yaml_skip_seq(p, depth);
	} else if (*p == '"') {
		q = fpb_yaml_dq(p, out);
	} else if (*p == '\'') {
		q = fpb_yaml_sq(p, out);
	} else {
		const char *e = p;

		/* a plain scalar ends at a flow indicator or at ": " (a key's end) */
		while (*e && *e != ',' && *e != '}' && *e != ']' &&
		       !(*e == ':' && (e[1] == ' ' || !e[1])))
			e++;
		q = e;
		while (e > p && e[-1] == ' ')
			e--;
		fpb_buf_add(out, p, (size_t)(e - p));
	}
	free(junk.s);
	return q;
}

static void fpb_copy(char *dst, size_t len, const struct fpb_buf *b)
{
	snprintf(dst, len, "%s", b->s ? b->s : "");
}

/* {key: value, ...}; p at '{'. */
static const char *fpb_yaml_map(const char *p, struct fpb_lava_line *l, int depth)
{
	if (depth > 8)
		return NULL;
	p = fpb_ws(p + 1);
	if (*p == '}')
		return p + 1;
	for (;;) {
		struct fpb_buf key = { 0 }, val = { 0 };
		bool want, is_map = false;

		p = fpb_yaml_value(p, &key, NULL, l, depth + 4);	/* keys are scalars */
		if (!p || key.oom) {
			free(key.s);
			return NULL;
		}
		p = fpb_ws(p);
		if (*p != ':') {
			free(key.s);
			return NULL;
		}
		want = key.s && ((depth == 1 && (!strcmp(key.s, "lvl") || !strcmp(key.s, "msg"))) ||
				 (depth == 2 && (!strcmp(key.s, "case") || !strcmp(key.s, "result") ||
						 !strcmp(key.s, "definition"))));
		p = fpb_yaml_value(p + 1, want ? &val : NULL, &is_map, l, depth);
		if (p && want && !val.oom) {
			if (depth == 1 && !strcmp(key.s, "lvl")) {
				fpb_copy(l->lvl, sizeof(l->lvl), &val);
			} else if (depth == 1) {
				l->msg_is_map = is_map;
				if (!is_map) {
					free(l->msg);
					l->msg = val.s ? val.s : strdup("");
					val.s = NULL;
				}
			} else if (!strcmp(key.s, "case")) {
				fpb_copy(l->tc_case, sizeof(l->tc_case), &val);
			} else if (!strcmp(key.s, "result")) {
				fpb_copy(l->tc_result, sizeof(l->tc_result), &val);
			} else {
				fpb_copy(l->tc_definition, sizeof(l->tc_definition), &val);
			}
		}
		free(key.s);
		free(val.s);
		if (!p || val.oom)
			return NULL;
		p = fpb_ws(p);
		if (*p == '}')
			return p + 1;
		if (*p != ',')
			return NULL;
		p = fpb_ws(p + 1);
	}
}

/* The test shell writes every '"' of the device's output as '\"': take the backslash away. */
static void fpb_lava_unquote(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] == '"')
			continue;
		*w++ = *r;
	}
	*w = '\0';
}

int fpb_lava_line_decode(const char *line, struct fpb_lava_line *l)
{
	const char *p;

	memset(l, 0, sizeof(*l));
	p = fpb_ws(line);
	if (p[0] == '-' && (p[1] == ' ' || p[1] == '\t'))
		p = fpb_ws(p + 1);
	if (*p != '{')
		return -1;
	p = fpb_yaml_map(p, l, 1);
	if (!p || !l->lvl[0] || (!l->msg && !l->msg_is_map)) {
		free(l->msg);
		memset(l, 0, sizeof(*l));
		return -1;
	}
	p = fpb_ws(p);
	if (*p && *p != '\n' && *p != '\r') {
		free(l->msg);
		memset(l, 0, sizeof(*l));
		return -1;
	}
	if (l->msg && (!strcmp(l->lvl, "target") || !strcmp(l->lvl, "feedback")))
		fpb_lava_unquote(l->msg);
	return 0;
}

static int fpb_lava_fail(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fpb_lava_fail(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * "FPBENCH-JSON-BEGIN part=P bytes=N md5=HEX" (md5=- when the device had no md5sum), or with
 * bytes NULL "FPBENCH-JSON-END part=P".
 */
static bool fpb_lava_marker(const char *s, const char *word, char *part, size_t plen,
			    unsigned long long *bytes, char md5[33])
{
	size_t n = strlen(word), k = 0;
	char *end;

	if (strncmp(s, word, n) || strncmp(s + n, " part=", 6))
		return false;
	s += n + 6;
	while ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') ||
	       (s[k] >= '0' && s[k] <= '9') || s[k] == '_' || s[k] == '-')
		k++;
	if (!k || k >= plen)
		return false;
	memcpy(part, s, k);
	part[k] = '\0';
	s += k;
	if (bytes) {
		if (strncmp(s, " bytes=", 7) || s[7] < '0' || s[7] > '9')
			return false;
		errno = 0;
		*bytes = strtoull(s + 7, &end, 10);
		if (errno || strncmp(end, " md5=", 5))
			return false;
		s = end + 5;
		if (*s == '-') {
			strcpy(md5, "-");
			s++;
		} else {
			for (k = 0; k < 32; k++) {
				char c = s[k];

				if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
					return false;
				md5[k] = c;
			}
			md5[32] = '\0';
			s += 32;
		}
	}
	s = fpb_ws(s);
	return !*s;
}

/* End of a part: check what came through against what the device sent. */
static int fpb_lava_part_end(struct fpb_lava_log *log, struct fpb_buf *b, const char *part,
			     unsigned long long bytes, const char *md5, char *why, size_t len)
{
	struct fpb_lava_part *p;
	size_t n = b->n;
	char got[33] = "-";

	/* the test definition ends a JSON file that lacks one with a newline of its own */
	if (n == bytes + 1 && b->s[bytes] == '\n')
		n = bytes;
	if (strcmp(md5, "-"))
		fpb_lava_md5(b->s ? b->s : "", n, got);
	if (n != bytes || strcmp(got, md5))
		return fpb_lava_fail(why, len, "part %s: changed in transit (%zu bytes in the log, "
				     "md5 %s; the device sent %llu bytes, md5 %s): lost or mixed "
				     "console lines", part, n, got, bytes, md5);
	for (size_t i = 0; i < log->nparts; i++)
		if (!strcmp(log->part[i].name, part))
			return fpb_lava_fail(why, len, "part %s appears twice in the log", part);
	if (log->nparts >= FPB_LAVA_MAX_PARTS)
		return fpb_lava_fail(why, len, "more than %d fpbench parts in the log",
				     FPB_LAVA_MAX_PARTS);
	p = &log->part[log->nparts++];
	snprintf(p->name, sizeof(p->name), "%s", part);
	snprintf(p->md5, sizeof(p->md5), "%s", md5);
	p->json = b->s ? b->s : strdup("");
	p->len = n;
	if (p->json)
		p->json[n] = '\0';
	memset(b, 0, sizeof(*b));
	return p->json ? 0 : fpb_lava_fail(why, len, "out of memory");
}

static void fpb_lava_count(struct fpb_lava_log *log, const struct fpb_lava_line *l)
{
	if (!strstr(l->tc_definition, "fpbench"))
		return;
	if (!strcmp(l->tc_result, "pass"))
		log->cases_pass++;
	else if (!strcmp(l->tc_result, "skip"))
		log->cases_skip++;
	else if (!strcmp(l->tc_result, "fail"))
		log->cases_fail++;
	else
		log->cases_other++;
}

int fpb_lava_log_read(const char *path, struct fpb_lava_log *log, char *why, size_t len)
{
	struct fpb_buf b = { 0 };
	char part[32] = "", *line = NULL;
	unsigned long long bytes = 0;
	char md5[33] = "";
	size_t cap = 0, total = 0;
	bool in = false;
	ssize_t n;
	FILE *f;
	int rc = -1;

	memset(log, 0, sizeof(*log));
	f = fopen(path, "r");
	if (!f)
		return fpb_lava_fail(why, len, "cannot open: %s", strerror(errno));
	while ((n = getline(&line, &cap, f)) > 0) {
		struct fpb_lava_line l;
		char tag[32];
		const char *s;

		total += (size_t)n;
		if (total > FPB_LAVA_MAX_LOG) {
			fpb_lava_fail(why, len, "larger than %u MiB: not a job log",
				      FPB_LAVA_MAX_LOG >> 20);
			goto out;
		}
		log->lines++;
		if (fpb_lava_line_decode(line, &l))
			continue;
		log->entries++;
		if (l.msg_is_map && !strcmp(l.lvl, "results"))
			fpb_lava_count(log, &l);
		if (!l.msg || (strcmp(l.lvl, "target") && strcmp(l.lvl, "feedback"))) {
			free(l.msg);
			continue;
		}
		s = fpb_ws(l.msg);
		if (!strncmp(s, "FPBENCH-JSON-BEGIN", 18)) {
			if (in) {
				fpb_lava_fail(why, len, "part %s: cut short: line %zu begins another "
					      "part before its FPBENCH-JSON-END", part, log->lines);
			} else if (!fpb_lava_marker(s, "FPBENCH-JSON-BEGIN", part, sizeof(part),
						    &bytes, md5)) {
				fpb_lava_fail(why, len, "line %zu: malformed FPBENCH-JSON-BEGIN "
					      "marker", log->lines);
			} else if (bytes > FPB_LAVA_MAX_LOG) {
				fpb_lava_fail(why, len, "part %s: %llu bytes announced: too big",
					      part, bytes);
			} else {
				in = true;
				free(l.msg);
				continue;
			}
			free(l.msg);
			goto out;
		}
		if (!strncmp(s, "FPBENCH-JSON-END", 16)) {
			bool ok = fpb_lava_marker(s, "FPBENCH-JSON-END", tag, sizeof(tag), NULL, NULL);

			free(l.msg);
			if (!in || !ok || strcmp(tag, part)) {
				fpb_lava_fail(why, len, "line %zu: FPBENCH-JSON-END without its "
					      "FPBENCH-JSON-BEGIN", log->lines);
				goto out;
			}
			in = false;
			if (fpb_lava_part_end(log, &b, part, bytes, md5, why, len))
				goto out;
			continue;
		}
		if (in) {
			fpb_buf_add(&b, l.msg, strlen(l.msg));
			fpb_buf_add(&b, "\n", 1);
			if (b.oom) {
				free(l.msg);
				fpb_lava_fail(why, len, "out of memory");
				goto out;
			}
		}
		free(l.msg);
	}
	if (ferror(f))
		fpb_lava_fail(why, len, "read error: %s", strerror(errno));
	else if (in)
		fpb_lava_fail(why, len, "part %s: cut short: the log ends before its "
			      "FPBENCH-JSON-END", part);
	else if (!log->entries)
		fpb_lava_fail(why, len, "not a LAVA job log (no log entries; fetch it with "
			      "`lavacli jobs logs --raw JOB`)");
	else if (!log->nparts)
		fpb_lava_fail(why, len, "no fpbench result in this job log (no "
			      "FPBENCH-JSON-BEGIN line: did the fpbench test run?)");
	else
		rc = 0;
out:
	free(line);
	free(b.s);
	fclose(f);
	if (rc)
		fpb_lava_log_free(log);
	return rc;
}

void fpb_lava_log_free(struct fpb_lava_log *log)
{
	for (size_t i = 0; i < log->nparts; i++)
		free(log->part[i].json);
	log->nparts = 0;
}
