// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check_report_fuzz.c - feed the results reader (fpb_result_read_json) at least 10,000 truncated
 * and mutated result files: every one must come back either read (and sane) or refused with a
 * one-line reason; never a crash (run it under --enable-sanitizers for ASan/UBSan).  The
 * mutations are drawn from a fixed seed, printed with every failure ($FPB_FUZZ_SEED overrides
 * it, $FPB_FUZZ_ITERS the count).
 */
#include "config.h"

#include <check.h>
#include <unistd.h>

#include "result.h"
#include "test-slurp.h"

#define FUZZ_ITERS	10000
#define FUZZ_BIG_TRUNC	300	/* extra truncations of a full-size fixture */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static size_t rnd_below(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

static const char *const tokens[] = {
	"\"", "{", "}", "[", "]", ",", ":", "null", "-1", "1e999", "-1e999", "\"x\"", "true",
	"false", "\"0x\"", "\"0xzz\"", "\"0x10000000000000000\"", "\\u0000", "\\", "\\ud800",
	"99999999999999999999", "NaN", "Infinity", " ", "\n", "\xff\xfe", "\xc3\x28", "0",
	"18446744073709551616", "-0", "1.5", "[]", "{}", "\"measured\"", "\"n/a\"", "\"bogus\"",
	"{\"bit\": 64}", "{\"bit\": -1}", "\"schema_version\": 2", "\"rows\": {}",
};

/* One mutation of buf[0..*n) (capacity cap). */
static void mutate(char *buf, size_t *n, size_t cap)
{
	size_t pos = rnd_below(*n + 1), k;
	const char *t;

	switch (rnd_below(6)) {
	case 0:		/* truncate */
		*n = pos;
		break;
	case 1:		/* overwrite a few bytes */
		for (k = 1 + rnd_below(4); k && *n; k--)
			buf[rnd_below(*n)] = (char)rnd_below(256);
		break;
	case 2:		/* insert a token */
		t = tokens[rnd_below(FPB_ARRAY_SIZE(tokens))];
		k = strlen(t);
		if (*n + k > cap)
			break;
		memmove(buf + pos + k, buf + pos, *n - pos);
		memcpy(buf + pos, t, k);
		*n += k;
		break;
	case 3:		/* delete a range */
		k = rnd_below(*n - pos + 1);
		if (k > 64)
			k = 64;
		memmove(buf + pos, buf + pos + k, *n - pos - k);
		*n -= k;
		break;
	case 4: {	/* replace the value after a ':' with a token of another type */
		char *c = memchr(buf + pos, ':', *n - pos);
		size_t end, len;

		if (!c)
			break;
		pos = (size_t)(c - buf) + 1;
		for (end = pos; end < *n && buf[end] != ',' && buf[end] != '}' &&
		     buf[end] != '\n'; end++)
			;
		t = tokens[rnd_below(FPB_ARRAY_SIZE(tokens))];
		len = strlen(t);
		if (*n - (end - pos) + len + 1 > cap)
			break;
		memmove(buf + pos + 1 + len, buf + end, *n - end);
		buf[pos] = ' ';
		memcpy(buf + pos + 1, t, len);
		*n = *n - (end - pos) + len + 1;
		break;
	}
	default: {	/* duplicate a chunk elsewhere */
		size_t from = rnd_below(*n + 1), len = rnd_below(48);

		if (from + len > *n)
			len = *n - from;
		if (*n + len > cap || pos > *n)
			break;
		{
			size_t tail = *n - pos;

			if (tail > cap - len - pos)
				break;
			memmove(buf + pos + len, buf + pos, tail);
		}
		memmove(buf + pos, buf + (from >= pos ? from + len : from), len);
		*n += len;
	}
	}
}

/* Write data, read it back, check the outcome.  it/seed name the case in failures. */
static void feed(const char *path, const char *data, size_t n, unsigned long it,
		 unsigned long long seed, size_t *ok, size_t *refused)
{
	char why[2 * FPB_REASON_LEN];
	struct fpb_result r;
	FILE *f = fopen(path, "wb");
	int rc;

	ck_assert(f);
	ck_assert_int_eq(fwrite(data, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
	memset(why, 'Z', sizeof(why));
	why[sizeof(why) - 1] = '\0';
	why[0] = '\0';
	rc = fpb_result_read_json(path, &r, why, sizeof(why));
	ck_assert_msg(rc == 0 || rc == -1, "case %lu (seed %llu): expected 0 or -1, got %d", it,
		      seed, rc);
	if (rc) {
		ck_assert_msg(why[0], "case %lu (seed %llu): refused without a reason", it, seed);
		ck_assert_msg(strlen(why) < sizeof(why) - 1 || !strchr(why, 'Z'),
			      "case %lu (seed %llu): reason not terminated", it, seed);
		ck_assert_msg(!strchr(why, '\n'), "case %lu (seed %llu): expected one line, got "
			      "'%s'", it, seed, why);
		ck_assert_msg(r.nrows == 0 && r.rows == NULL, "case %lu (seed %llu): refused but "
			      "%zu rows kept", it, seed, r.nrows);
		(*refused)++;
		fpb_result_free(&r);
		return;
	}
	ck_assert_msg(r.schema_version >= 1 && r.schema_version <= FPB_SCHEMA_VERSION,
		      "case %lu (seed %llu): read with schema_version %d", it, seed,
		      r.schema_version);
	for (size_t i = 0; i < r.nrows; i++) {
		const struct fpb_row *row = &r.rows[i];

		ck_assert_msg(row->nraw <= FPB_MAX_RAW_SAMPLES && (row->nraw == 0 || row->raw),
			      "case %lu (seed %llu): row %zu has %zu raw samples", it, seed, i,
			      row->nraw);
		ck_assert_msg(row->nmetrics <= FPB_MAX_METRICS && row->name[0],
			      "case %lu (seed %llu): row %zu: bad metrics count or empty name", it,
			      seed, i);
		ck_assert(memchr(row->reason, '\0', sizeof(row->reason)));
	}
	(*ok)++;
	fpb_result_free(&r);
}

START_TEST(test_fuzz_reader)
{
	const char *src = getenv("FPB_SRCDIR") ? getenv("FPB_SRCDIR") : "..";
	unsigned long long seed = getenv("FPB_FUZZ_SEED") ?
				  strtoull(getenv("FPB_FUZZ_SEED"), NULL, 0) : 20261123ULL;
	unsigned long iters = getenv("FPB_FUZZ_ITERS") ?
			      strtoul(getenv("FPB_FUZZ_ITERS"), NULL, 0) : FUZZ_ITERS;
	char path[4096], tmp[256], *base, *big, *buf;
	size_t nbase, nbig, cap, ok = 0, refused = 0;
	unsigned long it;
	int fd;

	if (iters < FUZZ_ITERS)
		fprintf(stderr, "check_report_fuzz: FPB_FUZZ_ITERS=%lu (below the %d of make "
			"check)\n", iters, FUZZ_ITERS);
	snprintf(path, sizeof(path), "%s/tests/fixtures/report-fuzz-seed.json", src);
	base = slurp(path, &nbase);
	snprintf(path, sizeof(path), "%s/tests/fixtures/report-a1.json", src);
	big = slurp(path, &nbig);
	snprintf(tmp, sizeof(tmp), "%s/fpb-fuzz-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") :
		 "/tmp");
	fd = mkstemp(tmp);
	ck_assert_msg(fd >= 0, "mkstemp: %s", strerror(errno));
	close(fd);
	cap = nbase * 2 + 4096;
	buf = malloc(cap);
	ck_assert(buf);
	rng_state = seed ? seed : 1;

	/* The unmutated file reads. */
	feed(tmp, base, nbase, 0, seed, &ok, &refused);
	ck_assert_msg(ok == 1, "the fuzz seed file itself must read");
	for (it = 1; it <= iters; it++) {
		size_t n = nbase;

		memcpy(buf, base, nbase);
		for (size_t m = 1 + rnd_below(3); m; m--)
			mutate(buf, &n, cap);
		feed(tmp, buf, n, it, seed, &ok, &refused);
	}
	/* Truncations of a full-size result at every kind of place. */
	for (size_t k = 0; k < FUZZ_BIG_TRUNC; k++, it++)
		feed(tmp, big, rnd_below(nbig), it, seed, &ok, &refused);
	/* Directed cases: a raw array past the cap, a duplicate key, deep nesting. */
	{
		size_t n = 0, cap2 = 200000;
		char *d = malloc(cap2);

		ck_assert(d);
		n += (size_t)snprintf(d, cap2, "%.*s", (int)(strstr(base, "\"raw\": [") - base) + 8,
				      base);
		for (int i = 0; i < 5000; i++)
			n += (size_t)snprintf(d + n, cap2 - n, "%s%d", i ? "," : "", i);
		n += (size_t)snprintf(d + n, cap2 - n, "%s",
				      strchr(strstr(base, "\"raw\": [") + 8, ']'));
		feed(tmp, d, n, it++, seed, &ok, &refused);
		n = (size_t)snprintf(d, cap2, "{\"schema\": \"fpbench-results\", \"schema\": "
				     "\"fpbench-results\", \"schema_version\": 1}");
		feed(tmp, d, n, it++, seed, &ok, &refused);
		n = 0;
		for (int i = 0; i < 20000; i++)
			d[n++] = '[';
		feed(tmp, d, n, it++, seed, &ok, &refused);
		free(d);
	}
	unlink(tmp);
	fprintf(stderr, "check_report_fuzz: %lu cases (seed %llu): %zu read, %zu refused with a "
		"reason\n", it, seed, ok, refused);
	ck_assert_msg(ok + refused == it, "expected every case accounted for");
	ck_assert_msg(it >= 10000 || iters < FUZZ_ITERS, "expected at least 10,000 cases");
	ck_assert_msg(refused > it / 4, "expected many mutations refused, got %zu of %lu",
		      refused, it);
	free(buf);
	free(base);
	free(big);
}
END_TEST

int main(void)
{
	Suite *s;
	TCase *tc;
	SRunner *sr;
	int failed;

#ifndef HAVE_JANSSON
	/* Without jansson the reader refuses every file: there is nothing to fuzz. */
	printf("SKIP: the results reader is built without jansson (configure --with-jansson)\n");
	return 77;
#endif
	s = suite_create("report_fuzz");
	tc = tcase_create("limits");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_fuzz_reader);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
