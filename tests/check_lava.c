// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check_lava.c - `fpbench lava-collect`'s reading of LAVA job logs: the MD5 the markers carry,
 * the log lines lava-dispatcher writes (its quoting, escapes, tags, results entries), the parts
 * between their markers, a genuine lava-run job log collected into a result, bad usage, and at
 * least 3,000 truncated and mutated logs, each of which must be read or refused with one line,
 * never a crash (run it under --enable-sanitizers).  The
 * mutations come from a fixed seed ($FPB_FUZZ_SEED, $FPB_FUZZ_ITERS override it).
 */
#include "config.h"

#include <check.h>
#include <unistd.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>

#include "lava.h"
#include "result.h"
#include "test-slurp.h"

#define FUZZ_ITERS	3000

static char tmpdir[] = "/tmp/fpb-check-lava-XXXXXX";

static const char *fixture(const char *name, char *buf, size_t len)
{
	const char *src = getenv("FPB_SRCDIR") ? getenv("FPB_SRCDIR") : "..";

	snprintf(buf, len, "%s/tests/fixtures/%s", src, name);
	return buf;
}

/* One console line as a log entry, quoted as ShellLogger and PyYAML quote it. */
static void put_target(FILE *f, const char *s, size_t n)
{
	fputs("- {\"dt\": \"2026-12-02T05:00:00.000000\", \"lvl\": \"target\", \"msg\": \"", f);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"')
			fputs("\\\\\\\"", f);	/* '"' -> '\"' (ShellLogger) -> "\\\"" (YAML) */
		else if (c == '\\')
			fputs("\\\\", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02X", c);
		else
			fputc(c, f);
	}
	fputs("\"}\n", f);
}

/* One part between its markers; the marker announces sent_len bytes with MD5 sent_md5. */
static void put_part(FILE *f, const char *name, const char *json, size_t len, size_t sent_len,
		     const char *sent_md5)
{
	char line[200];
	size_t start = 0;

	snprintf(line, sizeof(line), "FPBENCH-JSON-BEGIN part=%s bytes=%zu md5=%s", name,
		 sent_len, sent_md5);
	put_target(f, line, strlen(line));
	for (size_t i = 0; i < len; i++)
		if (json[i] == '\n') {
			put_target(f, json + start, i - start);
			start = i + 1;
		}
	if (start < len)
		put_target(f, json + start, len - start);
	snprintf(line, sizeof(line), "FPBENCH-JSON-END part=%s", name);
	put_target(f, line, strlen(line));
}

static const char log_head[] = "- {\"dt\": \"2026-12-02T05:00:00.000000\", \"lvl\": \"info\", "
	"\"msg\": \"lava-dispatcher, installed at version: 2023.01\"}\n";

/*
 * A job log carrying json as part name, with surrounding entries as a real log has them; the
 * marker announces sent_len bytes with MD5 sent_md5 (what the device sent).
 */
static void write_log_sent(const char *path, const char *name, const char *json, size_t len,
			   size_t sent_len, const char *sent_md5)
{
	FILE *f = fopen(path, "w");

	ck_assert_msg(f, "%s: %s", path, strerror(errno));
	fputs(log_head, f);
	put_part(f, name, json, len, sent_len, sent_md5);
	fputs("- {\"dt\": \"2026-12-02T05:00:01.000000\", \"lvl\": \"results\", \"msg\": "
	      "{\"case\": \"default.kernels.xsave.all.dirty.same\", \"definition\": \"0_fpbench\", "
	      "\"measurement\": ! \"95.5\", \"result\": \"pass\", \"units\": \"tsc-ticks/op\"}}\n",
	      f);
	ck_assert_int_eq(fclose(f), 0);
}

static void write_log(const char *path, const char *name, const char *json, size_t len)
{
	char md5[33];

	fpb_lava_md5(json, len, md5);
	write_log_sent(path, name, json, len, len, md5);
}

START_TEST(test_md5)
{
	char *a = malloc(70000), hex[33];

	/* RFC 1321's test suite, and sizes around the padding's edges (`md5sum` agrees) */
	fpb_lava_md5("", 0, hex);
	ck_assert_str_eq(hex, "d41d8cd98f00b204e9800998ecf8427e");
	fpb_lava_md5("abc", 3, hex);
	ck_assert_str_eq(hex, "900150983cd24fb0d6963f7d28e17f72");
	fpb_lava_md5("message digest", 14, hex);
	ck_assert_str_eq(hex, "f96b697d7cb7938d525a2f31aaf161d0");
	fpb_lava_md5("12345678901234567890123456789012345678901234567890123456789012345678901234567890",
		     80, hex);
	ck_assert_str_eq(hex, "57edf4a22be3c955ac49da2e2107b67a");
	ck_assert(a);
	memset(a, 'a', 70000);
	fpb_lava_md5(a, 55, hex);
	ck_assert_str_eq(hex, "ef1772b6dff9a122358552954ad0df65");
	fpb_lava_md5(a, 56, hex);
	ck_assert_str_eq(hex, "3b0c8ac703f828b04c6c197006d17218");
	fpb_lava_md5(a, 64, hex);
	ck_assert_str_eq(hex, "014842d480b571495a4a0363793f7367");
	fpb_lava_md5(a, 70000, hex);
	ck_assert_str_eq(hex, "0b21388e04a856f824a29c58d71c8d40");
	free(a);
}
END_TEST

START_TEST(test_line_decode)
{
	struct fpb_lava_line l;

	/* as lava_common.log.dump writes it, after ShellLogger turned '"' into '\"' */
	ck_assert_int_eq(fpb_lava_line_decode("- {\"dt\": \"2026\", \"lvl\": \"target\", \"msg\": "
					      "\"a\\\\\\\"b \\xE9 \\u2028\\t\\\\\\\\\\\"\"}\n", &l),
			 0);
	ck_assert_str_eq(l.lvl, "target");
	ck_assert_str_eq(l.msg, "a\"b \xc3\xa9 \xe2\x80\xa8\t\\\"");
	free(l.msg);
	/* a results entry: a mapping with a tagged number */
	ck_assert_int_eq(fpb_lava_line_decode("{\"dt\": \"x\", \"lvl\": \"results\", \"msg\": "
					      "{\"case\": \"ring0\", \"definition\": \"1_fpbench\", "
					      "\"measurement\": !!float \"1.5\", \"result\": \"skip\", "
					      "\"extra\": [\"a\", {\"b\": \"]\"}]}}", &l), 0);
	ck_assert(l.msg_is_map && !l.msg);
	ck_assert_str_eq(l.tc_case, "ring0");
	ck_assert_str_eq(l.tc_result, "skip");
	ck_assert_str_eq(l.tc_definition, "1_fpbench");
	/* plain and single-quoted scalars (another writer) */
	ck_assert_int_eq(fpb_lava_line_decode("- {dt: 1, lvl: target, msg: 'it''s'}", &l), 0);
	ck_assert_str_eq(l.msg, "it's");
	free(l.msg);
	/* not entries */
	ck_assert_int_eq(fpb_lava_line_decode("plain text", &l), -1);
	ck_assert_int_eq(fpb_lava_line_decode("- {\"lvl\": \"target\", \"msg\": \"open", &l), -1);
	ck_assert_int_eq(fpb_lava_line_decode("- {\"lvl\": \"target\"}", &l), -1);
	ck_assert_int_eq(fpb_lava_line_decode("- {\"lvl\": \"target\", \"msg\": \"\\0\"}", &l), -1);
	ck_assert_int_eq(fpb_lava_line_decode("- {\"lvl\": \"target\", \"msg\": \"\\q\"}", &l), -1);
	ck_assert_int_eq(fpb_lava_line_decode("- {\"lvl\": \"target\", \"msg\": \"x\"} junk", &l),
			 -1);
	ck_assert_int_eq(fpb_lava_line_decode("- {\"lvl\": \"t\", \"msg\": \"\\uD8\"}", &l), -1);
	ck_assert_ptr_null(l.msg);
}
END_TEST

START_TEST(test_log_parts)
{
	char fx[4096], log[256], res[256], why[512], md5[33], *json;
	struct fpb_lava_log lg;
	struct fpb_result r;
	size_t len;
	char *argv[4];

	json = slurp(fixture("report-b1.json", fx, sizeof(fx)), &len);
	snprintf(log, sizeof(log), "%s/job.yaml", tmpdir);
	write_log(log, "default", json, len);
	ck_assert_msg(!fpb_lava_log_read(log, &lg, why, sizeof(why)), "%s", why);
	ck_assert_uint_eq(lg.nparts, 1);
	ck_assert_str_eq(lg.part[0].name, "default");
	ck_assert_uint_eq(lg.part[0].len, len);
	ck_assert(!memcmp(lg.part[0].json, json, len));
	ck_assert_uint_eq(lg.cases_pass, 1);
	fpb_lava_log_free(&lg);

#ifdef HAVE_JANSSON
	/* the collector saves it under the machine's fingerprint and run time (it reads the
	 * JSON, so needs jansson) */
	snprintf(res, sizeof(res), "%s/results", tmpdir);
	argv[0] = "lava-collect";
	argv[1] = "--quiet";
	argv[2] = (char *)(snprintf(fx, sizeof(fx), "--results-dir=%s", res), fx);
	argv[3] = log;
	ck_assert_int_eq(fpb_lava_collect_main(4, argv), 0);
	{
		DIR *d = opendir(res);
		struct dirent *e;
		int n = 0;

		ck_assert(d);
		while ((e = readdir(d)))
			if (e->d_name[0] != '.') {
				char p[600];

				n++;
				ck_assert_msg(!strncmp(e->d_name, "GenuineIntel-6-143-8-", 21), "%s",
					      e->d_name);
				snprintf(p, sizeof(p), "%s/%s", res, e->d_name);
				ck_assert_msg(!fpb_result_read_json(p, &r, why, sizeof(why)), "%s", why);
				ck_assert_uint_gt(r.nrows, 0);
				fpb_result_free(&r);
				unlink(p);
			}
		closedir(d);
		ck_assert_int_eq(n, 1);
	}
#else
	(void)res;
	(void)argv;
	(void)r;
#endif

	/* one byte changed in transit, the log cut short: refused, one line */
	fpb_lava_md5(json, len, md5);
	json[len / 2] ^= 1;
	write_log_sent(log, "default", json, len, len, md5);
	ck_assert_int_eq(fpb_lava_log_read(log, &lg, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "part default: changed in transit"), "%s", why);
	json[len / 2] ^= 1;
	write_log_sent(log, "default", json, len / 2, len, md5);
	ck_assert_int_eq(fpb_lava_log_read(log, &lg, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "changed in transit"), "%s", why);
	ck_assert_ptr_null(strchr(why, '\n'));
	free(json);
}
END_TEST

/*
 * A genuine job log: lava-run (lava-dispatcher 2023.01) on make lava-check's qemu device under
 * TCG, a short selection (xsave, xsave-r0, xsetbv at mask all, dirty; no in-situ part), kept
 * unchanged as tests/fixtures/lava-qemu-job.yaml.
 */
START_TEST(test_real_log)
{
	char fx[4096], res[300], dirarg[320], path[700], why[512];
	struct fpb_lava_log lg;
	struct fpb_result r;
	bool ring0 = false;

	fixture("lava-qemu-job.yaml", fx, sizeof(fx));
	ck_assert_msg(!fpb_lava_log_read(fx, &lg, why, sizeof(why)), "%s", why);
	ck_assert_uint_eq(lg.nparts, 2);
	ck_assert_str_eq(lg.part[0].name, "default");
	ck_assert_str_eq(lg.part[1].name, "ring0");
	/* the test cases LAVA recorded: 3 measured rows and the 2 parts pass; 3 rows and insitu skip */
	ck_assert_uint_eq(lg.cases_pass, 5);
	ck_assert_uint_eq(lg.cases_skip, 4);
	ck_assert_uint_eq(lg.cases_fail + lg.cases_other, 0);
	fpb_lava_log_free(&lg);

#ifdef HAVE_JANSSON
	/* collecting reads the JSON, so needs jansson */
	snprintf(res, sizeof(res), "%s/real", tmpdir);
	snprintf(dirarg, sizeof(dirarg), "--results-dir=%s", res);
	{
		char *argv[] = { "lava-collect", "--quiet", dirarg, fx, NULL };

		ck_assert_int_eq(fpb_lava_collect_main(4, argv), 0);
	}
	snprintf(path, sizeof(path), "%s/AuthenticAMD-15-107-1-0x1000065-xcr0_21f-TCGTCGTCGTCG-"
		 "20261202T054654Z.json", res);
	ck_assert_msg(!fpb_result_read_json(path, &r, why, sizeof(why)), "%s: %s", path, why);
	ck_assert_uint_eq(r.nrows, 6);
	for (size_t i = 0; i < r.nrows; i++)
		if (!strcmp(r.rows[i].backend, "kmod") && !strcmp(r.rows[i].name, "xsave-r0")) {
			ring0 = true;
			ck_assert_int_eq(r.rows[i].status, FPB_ROW_MEASURED);
			ck_assert_uint_gt(r.rows[i].nraw, 0);
		}
	ck_assert_msg(ring0, "no ring-0 xsave-r0 row in the collected result");
	ck_assert_str_eq(r.run.emulation, "qemu-tcg");
	fpb_result_free(&r);
#else
	(void)res;
	(void)dirarg;
	(void)path;
	(void)r;
	(void)ring0;
#endif
}
END_TEST

/*
 * Parts of one job merge into one result; a row two parts measured is the later part's; parts
 * of two machines, or one part twice, are refused.
 */
START_TEST(test_merge)
{
	char fx[4096], fx2[4096], log[300], res[300], dirarg[320], why[512], md5[33], md5b[33];
	char *a, *b, *argv[5];
	size_t alen, blen;
	struct fpb_lava_log lg;
	struct fpb_result r;
	FILE *f;

	a = slurp(fixture("report-a1.json", fx, sizeof(fx)), &alen);
	b = slurp(fixture("report-a2.json", fx2, sizeof(fx2)), &blen);	/* same machine */
	fpb_lava_md5(a, alen, md5);
	fpb_lava_md5(b, blen, md5b);
	snprintf(log, sizeof(log), "%s/merge.yaml", tmpdir);
	snprintf(res, sizeof(res), "%s/merge-results", tmpdir);
	snprintf(dirarg, sizeof(dirarg), "--results-dir=%s", res);
	f = fopen(log, "w");
	ck_assert(f);
	fputs(log_head, f);
	put_part(f, "default", a, alen, alen, md5);
	put_part(f, "insitu", b, blen, blen, md5b);
	ck_assert_int_eq(fclose(f), 0);
#ifdef HAVE_JANSSON
	/* merging and telling machines apart read the JSON, so need jansson */
	argv[0] = "lava-collect";
	argv[1] = "--quiet";
	argv[2] = dirarg;
	argv[3] = log;
	argv[4] = NULL;
	ck_assert_int_eq(fpb_lava_collect_main(4, argv), 0);
	{
		char path[700];
		struct fpb_result ra, rb;

		ck_assert(!fpb_result_read_json(fx, &ra, why, sizeof(why)));
		ck_assert(!fpb_result_read_json(fx2, &rb, why, sizeof(why)));
		/* a1's machine and run time name the file; every row once, with a2's figures */
		char stamp[32];
		size_t n = 0;

		for (const char *c = ra.run.timestamp; *c && n + 1 < sizeof(stamp); c++)
			if ((*c >= '0' && *c <= '9') || *c == 'T' || *c == 'Z')
				stamp[n++] = *c;
		stamp[n] = '\0';
		snprintf(path, sizeof(path), "%s/%s-%s.json", res, ra.cpu.fingerprint, stamp);
		ck_assert_msg(!fpb_result_read_json(path, &r, why, sizeof(why)), "%s: %s", path,
			      why);
		ck_assert_uint_eq(r.nrows, ra.nrows);
		ck_assert_uint_eq(rb.nrows, ra.nrows);
		for (size_t i = 0; i < r.nrows; i++)
			if (r.rows[i].status == FPB_ROW_MEASURED)
				ck_assert(r.rows[i].st.median == rb.rows[i].st.median);
		fpb_result_free(&r);
		fpb_result_free(&ra);
		fpb_result_free(&rb);
	}
	/* parts of two machines */
	free(b);
	b = slurp(fixture("report-b1.json", fx2, sizeof(fx2)), &blen);
	fpb_lava_md5(b, blen, md5b);
	f = fopen(log, "w");
	ck_assert(f);
	fputs(log_head, f);
	put_part(f, "default", a, alen, alen, md5);
	put_part(f, "insitu", b, blen, blen, md5b);
	ck_assert_int_eq(fclose(f), 0);
	{
		int saved = dup(2), null = open("/dev/null", O_WRONLY);

		fflush(stderr);
		dup2(null, 2);
		ck_assert_int_eq(fpb_lava_collect_main(4, argv), 2);
		fflush(stderr);
		dup2(saved, 2);
		close(saved);
		close(null);
	}
#else
	(void)argv;
	(void)r;
#endif
	/* one part twice */
	f = fopen(log, "w");
	ck_assert(f);
	fputs(log_head, f);
	put_part(f, "default", a, alen, alen, md5);
	put_part(f, "default", a, alen, alen, md5);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(fpb_lava_log_read(log, &lg, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "appears twice"), "%s", why);
	free(a);
	free(b);
}
END_TEST

/* Run fpb_lava_collect_main on argv with stderr caught in err; returns its exit status. */
static int collect_caught(char **argv, int argc, char *err, size_t len)
{
	char path[300];
	int saved, fd, rc;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/stderr", tmpdir);
	fflush(stderr);
	saved = dup(2);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ck_assert(saved >= 0 && fd >= 0);
	dup2(fd, 2);
	rc = fpb_lava_collect_main(argc, argv);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, err, len - 1, 0);
	err[n > 0 ? n : 0] = '\0';
	close(fd);
	return rc;
}

/* Bad usage and bad files: exit 2 and exactly one line naming what is wrong. */
START_TEST(test_bad_input)
{
	char err[2048], dir[300], empty[300], notlog[300];
	static const struct {
		const char *args[4];
		const char *want;
	} cases[] = {
		{ { "lava-collect" }, "no job log" },
		{ { "lava-collect", "--frobnicate", "x" }, "--frobnicate" },
		{ { "lava-collect", "--results-dir=" , "x" }, "--results-dir" },
		{ { "lava-collect", "/nonexistent/job.yaml" }, "/nonexistent/job.yaml: cannot open" },
	};
	FILE *f;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *argv[4] = { NULL };
		int argc = 0;

		while (argc < 4 && cases[i].args[argc]) {
			argv[argc] = (char *)cases[i].args[argc];
			argc++;
		}
		ck_assert_int_eq(collect_caught(argv, argc, err, sizeof(err)), 2);
		ck_assert_msg(strstr(err, cases[i].want) && strchr(err, '\n') == strrchr(err, '\n'),
			      "case %zu: expected one line naming '%s', got '%s'", i, cases[i].want,
			      err);
	}
	/* an empty file, a file that is not a LAVA log, a log without fpbench */
	snprintf(dir, sizeof(dir), "--results-dir=%s/bad-results", tmpdir);
	snprintf(empty, sizeof(empty), "%s/empty.yaml", tmpdir);
	snprintf(notlog, sizeof(notlog), "%s/notlog.yaml", tmpdir);
	f = fopen(empty, "w");
	ck_assert(f && !fclose(f));
	f = fopen(notlog, "w");
	ck_assert(f);
	fputs("just some text\n- {\"dt\": \"x\", \"lvl\": \"target\", \"msg\": \"hello\"}\n", f);
	ck_assert(!fclose(f));
	{
		char *a1[] = { "lava-collect", dir, empty, NULL };
		char *a2[] = { "lava-collect", dir, notlog, NULL };

		ck_assert_int_eq(collect_caught(a1, 3, err, sizeof(err)), 2);
		ck_assert_msg(strstr(err, "not a LAVA job log"), "%s", err);
		ck_assert_int_eq(collect_caught(a2, 3, err, sizeof(err)), 2);
		ck_assert_msg(strstr(err, "no fpbench result"), "%s", err);
	}
}
END_TEST

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static const char *const tokens[] = {
	"\"", "\\", "\\\"", "{", "}", "[", "]", ",", ":", "!", "'", "\n", "- ", "\\x", "\\u12",
	"\\U0010FFFF", "\\U00110000", "\\0", "FPBENCH-JSON-BEGIN part=default bytes=1 md5=-",
	"FPBENCH-JSON-END part=default", "FPBENCH-JSON-BEGIN part=x bytes=99999999999999999999",
	"md5=0123456789abcdef0123456789abcdef",
	"\"lvl\": \"results\"", "\"msg\": {", "\xff", "\xc3", " ",
};

START_TEST(test_fuzz)
{
	const char *seed_env = getenv("FPB_FUZZ_SEED"), *it_env = getenv("FPB_FUZZ_ITERS");
	unsigned long long seed = seed_env ? strtoull(seed_env, NULL, 0) : 20261202ULL;
	unsigned long iters = it_env ? strtoul(it_env, NULL, 0) : FUZZ_ITERS;
	char fx[4096], good[256], bad[256], res[300], dirarg[320], why[512], *json, *base;
	size_t len, blen;

	rng_state = seed | 1;
	json = slurp(fixture("report-fuzz-seed.json", fx, sizeof(fx)), &len);
	snprintf(good, sizeof(good), "%s/good.yaml", tmpdir);
	snprintf(bad, sizeof(bad), "%s/bad.yaml", tmpdir);
	snprintf(res, sizeof(res), "%s/fuzz-results", tmpdir);
	snprintf(dirarg, sizeof(dirarg), "--results-dir=%s", res);
	write_log(good, "default", json, len);
	base = slurp(good, &blen);
	for (unsigned long i = 0; i < iters; i++) {
		struct fpb_lava_log lg;
		FILE *f = fopen(bad, "w");
		size_t cut = blen, nmut = 1 + rnd() % 4;
		int rc;

		ck_assert(f);
		if (rnd() % 4 == 0)
			cut = rnd() % (blen + 1);
		/* copy with mutations: flips, insertions of tokens, dropped and doubled spans */
		for (size_t p = 0; p < cut; p++) {
			if (nmut && rnd() % (blen / 8 + 1) == 0) {
				nmut--;
				switch (rnd() % 4) {
				case 0:
					fputc(base[p] ^ (1 << (rnd() % 8)), f);
					continue;
				case 1:
					fputs(tokens[rnd() % (sizeof(tokens) / sizeof(tokens[0]))], f);
					break;
				case 2:
					p += rnd() % 200;
					continue;
				default:
					fwrite(base + p, 1, (size_t)(rnd() % 200) < cut - p ?
					       (size_t)(rnd() % 200) : 0, f);
					break;
				}
			}
			if (p < cut)
				fputc(base[p], f);
		}
		ck_assert_int_eq(fclose(f), 0);
		why[0] = '\0';
		rc = fpb_lava_log_read(bad, &lg, why, sizeof(why));
		if (rc) {
			ck_assert_msg(why[0] && !strchr(why, '\n'),
				      "seed %llu iteration %lu: refused without one line: '%s'", seed,
				      i, why);
		} else {
			/* a part accepted is exactly what its marker announced */
			for (size_t k = 0; k < lg.nparts; k++) {
				char md5[33];

				fpb_lava_md5(lg.part[k].json, lg.part[k].len, md5);
				ck_assert(!strcmp(lg.part[k].md5, "-") ||
					  !strcmp(md5, lg.part[k].md5));
			}
			fpb_lava_log_free(&lg);
		}
		if (i % 10 == 0) {
			char *argv[] = { "lava-collect", "--quiet", dirarg, bad, NULL };
			int crc;

			/* the collector's one-line errors go to stderr; keep the test log readable */
			fflush(stderr);
			int saved = dup(2), null = open("/dev/null", O_WRONLY);

			dup2(null, 2);
			crc = fpb_lava_collect_main(4, argv);
			fflush(stderr);
			dup2(saved, 2);
			close(saved);
			close(null);
			ck_assert_msg(crc == 0 || crc == 2, "seed %llu iteration %lu: exit %d", seed,
				      i, crc);
			ck_assert_msg(crc != 0 || !rc, "seed %llu iteration %lu: collected a log the "
				      "reader refused", seed, i);
		}
	}
	free(base);
	free(json);
}
END_TEST

static void rm_rf(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "check_lava: could not remove %s\n", dir);
}

int main(void)
{
	Suite *s = suite_create("lava");
	TCase *core = tcase_create("core"), *fuzz = tcase_create("fuzz");
	SRunner *sr;
	int failed;

	if (!mkdtemp(tmpdir)) {
		perror("check_lava: mkdtemp");
		return 1;
	}
	tcase_add_test(core, test_md5);
	tcase_add_test(core, test_line_decode);
	tcase_add_test(core, test_log_parts);
	tcase_add_test(core, test_real_log);
	tcase_add_test(core, test_bad_input);
	tcase_add_test(core, test_merge);
	tcase_add_test(fuzz, test_fuzz);
	tcase_set_timeout(fuzz, 600);
	suite_add_tcase(s, core);
	suite_add_tcase(s, fuzz);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	rm_rf(tmpdir);
	return failed ? 1 : 0;
}
