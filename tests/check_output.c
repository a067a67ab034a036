// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check_output.c - the writers on a synthetic result: CSV header and row count, text and
 * Markdown content, JSON escaping and a round trip through fpb_result_read_json, atomic writes
 * (no temporary file left, an old file never half-replaced, a SIGKILLed writer's temporary
 * removed by the next write), and the reader's one-line reasons
 * for missing, truncated, non-JSON and wrong-schema files.
 */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend.h"
#include "kernel.h"
#include "output.h"
#include "output-table.h"
#include "output-util.h"
#include "result.h"

static char tmpdir[256];

static void make_tmpdir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/fpb-check-output-XXXXXX");
	ck_assert_msg(mkdtemp(tmpdir), "mkdtemp: %s", strerror(errno));
}

static void remove_tmpdir(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	char p[600];

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(p, sizeof(p), "%s/%s", tmpdir, e->d_name);
			unlink(p);
		}
	if (d)
		closedir(d);
	chmod(tmpdir, 0700);
	rmdir(tmpdir);
}

/* Files in tmpdir whose name starts with prefix. */
static int count_files(const char *prefix)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += !strncmp(e->d_name, prefix, strlen(prefix)) && strcmp(e->d_name, ".") &&
		     strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

/* A result with a measured row (raw samples), a skipped row and a row with awkward strings. */
static void synthetic(struct fpb_result *r)
{
	struct fpb_row *row;
	double raw[100];

	fpb_result_init(r);
	snprintf(r->run.version, sizeof(r->run.version), "9.9.9");
	snprintf(r->run.git_revision, sizeof(r->run.git_revision), "abc123");
	snprintf(r->run.command_line, sizeof(r->run.command_line), "fpbench --kernel=xsave 'a b'");
	snprintf(r->run.timestamp, sizeof(r->run.timestamp), "2026-11-23T19:00:00Z");
	snprintf(r->run.clocksource, sizeof(r->run.clocksource), "kvm-clock");
	snprintf(r->run.timer, sizeof(r->run.timer), "tsc");
	snprintf(r->run.unit, sizeof(r->run.unit), "tsc-ticks");
	r->run.cpu = 1;
	r->run.duration_s = 1.25;
	r->run.xsave_sizes[0] = 2696;
	snprintf(r->cpu.vendor, sizeof(r->cpu.vendor), "AuthenticAMD");
	snprintf(r->cpu.brand, sizeof(r->cpu.brand), "AMD EPYC \"Test\" CPU");
	r->cpu.family = 26;
	r->cpu.model = 2;
	snprintf(r->cpu.microcode, sizeof(r->cpu.microcode), "0x0b002116");
	r->cpu.xcr0 = 0xe7;
	r->cpu.xcr0_supported = 0x2e7;
	r->cpu.xss_supported = 0x1800;
	r->cpu.features = FPB_BIT(FPB_CPU_XSAVE) | FPB_BIT(FPB_CPU_AVX512F);
	r->cpu.comp[2].present = true;
	r->cpu.comp[2].size = 256;
	r->cpu.comp[2].std_offset = 576;
	r->cpu.tsc_hz = 2994000000ULL;
	r->cpu.tsc_hz_source = "hypervisor-0x40000010";
	snprintf(r->cpu.hypervisor, sizeof(r->cpu.hypervisor), "KVMKVMKVM");
	snprintf(r->cpu.fingerprint, sizeof(r->cpu.fingerprint), "amd-26-2-0-0x0b002116-0xe7-kvm");

	row = fpb_result_add_row(r);
	snprintf(row->suite, sizeof(row->suite), "kernels");
	snprintf(row->name, sizeof(row->name), "xsave");
	snprintf(row->mask_name, sizeof(row->mask_name), "all");
	row->mask = 0xe7;
	snprintf(row->state, sizeof(row->state), "dirty");
	snprintf(row->buffer, sizeof(row->buffer), "same");
	snprintf(row->backend, sizeof(row->backend), "user");
	snprintf(row->unit, sizeof(row->unit), "tsc-ticks/op");
	for (int i = 0; i < 100; i++)
		raw[i] = 120.0 + (i % 7) * 0.125 + 1.0 / 3.0;
	fpb_stats_compute(raw, 100, 0.95, &row->st);
	row->st.floor = 120.25;		/* a trial floor of 3 trials */
	row->st.floor_lo = 120.125;
	row->st.floor_hi = 120.5;
	row->st.floor_trials = 3;
	ck_assert_int_eq(fpb_row_set_raw(row, raw, 100), 0);
	row->ns_per_unit = 1e9 / 2994000000.0;
	row->batch = 256;
	row->batches = 100;
	row->dropped = 3;
	row->flags = FPB_ROW_UNSTABLE | FPB_ROW_VIRTUALISED;

	row = fpb_result_add_row(r);
	snprintf(row->suite, sizeof(row->suite), "kernels");
	snprintf(row->name, sizeof(row->name), "xsaves");
	snprintf(row->mask_name, sizeof(row->mask_name), "all");
	snprintf(row->backend, sizeof(row->backend), "user");
	fpb_row_skip(row, "needs ring 0 (fpbench.ko not loaded)");

	row = fpb_result_add_row(r);
	snprintf(row->suite, sizeof(row->suite), "strategies");
	snprintf(row->name, sizeof(row->name), "swap");
	snprintf(row->scenario, sizeof(row->scenario), "ping,pong \"quoted\"");
	snprintf(row->backend, sizeof(row->backend), "record");
	snprintf(row->unit, sizeof(row->unit), "tsc-ticks/event");
	snprintf(row->note, sizeof(row->note), "tab\there, newline\nthere, back\\slash, \x01 ctl, "
		 "caf\xc3\xa9");
	row->st.n = 1;
	row->st.median = row->st.min = row->st.max = 42.5;
	row->st.ci_lo = 40;
	row->st.ci_hi = 45;
	row->st.drift = NAN;	/* not finite: written as null */
	fpb_row_add_metric(row, "saves", "per-event", 2);
	fpb_row_add_metric(row, "bytes_copied", "bytes/event", 0);
}

static char *write_mem(const char *format, const struct fpb_result *r)
{
	const struct fpb_writer *w = fpb_writer_find(format);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_msg(w, "writer '%s': expected it registered", format);
	ck_assert(f);
	ck_assert_msg(w->write(f, r) == 0, "%s writer: expected 0", format);
	fclose(f);
	return buf;
}

START_TEST(test_registry)
{
	static const char *const names[] = { "text", "csv", "json", "md" };

	/* The documented formats come first, in --format order; more may follow. */
	ck_assert_uint_ge(fpb_nr_writers, 4);
	for (size_t i = 0; i < 4; i++)
		ck_assert_msg(fpb_writer_find(names[i]) == fpb_writers[i],
			      "writer %zu: expected '%s' in --format order", i, names[i]);
	for (size_t i = 0; i < fpb_nr_writers; i++)
		ck_assert_msg(fpb_writer_find(fpb_writers[i]->name) == fpb_writers[i] &&
			      fpb_writers[i]->ext && fpb_writers[i]->write,
			      "writer %zu (%s): not found by name or incomplete", i,
			      fpb_writers[i]->name);
	ck_assert(!fpb_writer_find("xml"));
}
END_TEST

/* Split CSV text into records (quotes respected); returns the count, fields of each in nf[]. */
static size_t csv_records(const char *s, size_t *nf, size_t max)
{
	size_t nrec = 0, fields = 1;
	bool q = false;

	for (; *s; s++) {
		if (*s == '"')
			q = !q;
		else if (!q && *s == ',')
			fields++;
		else if (!q && *s == '\n') {
			if (nrec < max)
				nf[nrec] = fields;
			nrec++;
			fields = 1;
		}
	}
	return nrec;
}

START_TEST(test_csv)
{
	struct fpb_result r;
	size_t nf[16];
	char *csv;
	size_t n;

	synthetic(&r);
	csv = write_mem("csv", &r);
	ck_assert_msg(!strncmp(csv, "fingerprint,suite,name,", 23), "CSV header: got '%.60s'",
		      csv);
	n = csv_records(csv, nf, 16);
	ck_assert_msg(n == r.nrows + 1, "CSV: expected %zu records (header + rows), got %zu",
		      r.nrows + 1, n);
	for (size_t i = 1; i < n; i++)
		ck_assert_msg(nf[i] == nf[0], "CSV record %zu: expected %zu fields, got %zu", i,
			      nf[0], nf[i]);
	ck_assert_msg(strstr(csv, "\"ping,pong \"\"quoted\"\"\""),
		      "CSV: expected the scenario quoted per RFC 4180");
	ck_assert_msg(strstr(csv, ",skipped,needs ring 0"), "CSV: expected the skipped row");
	ck_assert_msg(strstr(csv, ",drift,floor,floor_lo,floor_hi,median_ns,"),
		      "CSV: expected the trial floor columns after drift");
	ck_assert_msg(strstr(csv, ",120.25,120.125,120.5,"), "CSV: expected row 0's floor");
	free(csv);
	fpb_result_free(&r);
}
END_TEST

START_TEST(test_text)
{
	struct fpb_result r;
	char *t;

	synthetic(&r);
	t = write_mem("text", &r);
	ck_assert_msg(strstr(t, "2 measured, 1 skipped"), "text: expected the counts, got:\n%s",
		      t);
	ck_assert_msg(strstr(t, "skipped: needs ring 0"), "text: expected the skip reason");
	ck_assert_msg(strstr(t, "TSC ticks are not core cycles"), "text: expected the unit note");
	ck_assert_msg(strstr(t, "XCR0") && strstr(t, "0xe7") && strstr(t, "avx"),
		      "text: expected XCR0 with component names");
	ck_assert_msg(strstr(t, "IA32_XSS") && strstr(t, "unknown"),
		      "text: expected IA32_XSS unknown");
	ck_assert_msg(strstr(t, "ticks/op") && strstr(t, "ns/op"), "text: expected both units");
	ck_assert_msg(strstr(t, "unstable,virtualised"), "text: expected the row flags");
	ck_assert_msg(strstr(t, "abc123") && strstr(t, "--kernel=xsave"),
		      "text: expected the revision and the command line");
	ck_assert_msg(strstr(t, "  floor  ") && strstr(t, "120.2"),
		      "text: expected the trial floor column, got:\n%s", t);
	free(t);
	t = write_mem("md", &r);
	ck_assert_msg(strstr(t, "| kernel |") && strstr(t, "skipped: needs ring 0"),
		      "md: expected a kernel table with the skipped row, got:\n%s", t);
	free(t);
	fpb_result_free(&r);
}
END_TEST

/* The min column: the fastest sample where there is one, "-" on difference rows and below 0. */
START_TEST(test_min_column)
{
	static const struct {
		const char *name, *scenario;
		double min;
		const char *want;
	} rows[] = {
		{ "xsave", "", 40.5, "40.5" },
		{ "context-switch", "dirty-minus-clean", 3.5, "-" },
		{ "eager", "pingpong-dirty-minus-pingpong-clean", 7, "-" },
		{ "eager", "pingpong-dirty", -1674, "-" },
	};
	struct fpb_result r;
	struct fpb_table t;
	int cmin = -1;

	fpb_result_init(&r);
	for (size_t i = 0; i < FPB_ARRAY_SIZE(rows); i++) {
		struct fpb_row *row = fpb_result_add_row(&r);

		snprintf(row->suite, sizeof(row->suite), "s");
		snprintf(row->name, sizeof(row->name), "%s", rows[i].name);
		snprintf(row->scenario, sizeof(row->scenario), "%s", rows[i].scenario);
		row->st.median = 50;
		row->st.min = rows[i].min;
	}
	ck_assert_int_eq(fpb_table_build(&t, &r, "s"), 0);
	for (size_t c = 0; c < t.ncols; c++)
		if (!strcmp(t.head[c], "min"))
			cmin = (int)c;
	ck_assert_msg(cmin >= 0, "expected a min column");
	ck_assert_uint_eq(t.nrows, FPB_ARRAY_SIZE(rows));
	for (size_t i = 0; i < FPB_ARRAY_SIZE(rows); i++)
		ck_assert_msg(!strcmp(t.rows[i].cell[cmin], rows[i].want), "%s %s: min %s, want %s",
			      rows[i].name, rows[i].scenario, t.rows[i].cell[cmin], rows[i].want);
	fpb_table_free(&t);
	fpb_result_free(&r);
}
END_TEST

/* Notes on a terminal: wrapped at its width, continuation indented, at most 3 lines, cut "...". */
START_TEST(test_note_wrap)
{
	char line[600], *buf = NULL;
	size_t len = 0, lines = 0, longest = 0, cur = 0;
	FILE *f;

	memset(line, 0, sizeof(line));
	for (size_t i = 0; i + 6 < sizeof(line) - 1; i += 6)
		memcpy(line + i, "word; ", 6);
	f = open_memstream(&buf, &len);
	ck_assert(f);
	fpb_text_wrap(f, "short note", 60, 6, 3);
	fpb_text_wrap(f, line, 60, 6, 3);
	fpb_text_wrap(f, line, 0, 6, 3);	/* a file: whole */
	fclose(f);
	for (char *p = buf; *p; p++) {
		if (*p == '\n') {
			lines++;
			if (lines >= 2 && lines <= 4 && cur > longest)
				longest = cur;
			cur = 0;
		} else {
			cur++;
		}
	}
	ck_assert_msg(lines == 1 + 3 + 1, "expected 1 + 3 wrapped + 1 whole lines, got %zu:\n%s",
		      lines, buf);
	ck_assert_msg(longest <= 60, "a wrapped line of %zu columns (width 60)", longest);
	ck_assert_msg(strstr(buf, "...\n") && strstr(buf, "\n      word"),
		      "expected the cut marked and continuation lines indented:\n%s", buf);
	ck_assert_msg(strstr(buf, line), "a file keeps the note whole");
	free(buf);
}
END_TEST

/* An arm64 result describes MIDR, HWCAP, vector lengths and CNTFRQ: no XCR0, XSAVE or TSC. */
START_TEST(test_text_arm64)
{
	struct fpb_result r;
	char *t;

	synthetic(&r);
	r.cpu.xcr0 = r.cpu.xcr0_supported = r.cpu.xss_supported = 0;
	r.cpu.midr = 0x000f0510;
	r.cpu.features = FPB_BIT(FPB_CPU_ASIMD) | FPB_BIT(FPB_CPU_SVE) | FPB_BIT(FPB_CPU_SME);
	r.cpu.sve_max_vl = 256;
	r.cpu.sme_max_svl = 0;
	r.cpu.tsc_hz = 62500000;
	r.cpu.tsc_hz_source = "cntfrq_el0";
	snprintf(r.run.timer, sizeof(r.run.timer), "cntvct");
	snprintf(r.run.unit, sizeof(r.run.unit), "cntvct-ticks");
	for (int i = 0; i < 2; i++) {
		t = write_mem(i ? "md" : "text", &r);
		ck_assert_msg(strstr(t, "MIDR") && strstr(t, "0x000f0510"),
			      "arm64 %s: expected MIDR 0x000f0510, got:\n%s", i ? "md" : "text", t);
		ck_assert_msg(strstr(t, "asimd sve sme") && strstr(t, "SVE max 256 B") &&
			      strstr(t, "SME streaming none"),
			      "arm64: expected the HWCAP features and vector lengths, got:\n%s", t);
		ck_assert_msg(strstr(t, "counter freq") && strstr(t, "62.500 MHz"),
			      "arm64: expected the counter frequency, got:\n%s", t);
		ck_assert_msg(!strstr(t, "XCR0") && !strstr(t, "XSAVE sizes") &&
			      !strstr(t, "TSC"), "arm64: expected no x86 lines, got:\n%s", t);
		free(t);
	}
	fpb_result_free(&r);
}
END_TEST

START_TEST(test_json_escaping)
{
	struct fpb_result r;
	char *j;

	synthetic(&r);
	j = write_mem("json", &r);
	ck_assert_msg(strstr(j, "tab\\there, newline\\nthere, back\\\\slash, \\u0001 ctl"),
		      "JSON: expected escaped control characters and backslash");
	ck_assert_msg(strstr(j, "\"AMD EPYC \\\"Test\\\" CPU\""), "JSON: expected escaped quotes");
	ck_assert_msg(strstr(j, "\"drift\": null"), "JSON: expected NaN written as null");
	ck_assert_msg(strstr(j, "\"schema_version\": "), "JSON: expected schema_version");
	ck_assert_msg(strstr(j, "\"xcr0\": \"0xe7\""), "JSON: expected hex masks");
	free(j);
	fpb_result_free(&r);
}
END_TEST

START_TEST(test_json_round_trip)
{
	struct fpb_result a, b;
	char path[400], why[200] = "";
	int rc;

	make_tmpdir();
	synthetic(&a);
	a.cpu.xinuse_untracked = 0x5;	/* as under qemu TCG: written only when non-zero */
	snprintf(path, sizeof(path), "%s/r.json", tmpdir);
	rc = fpb_output_write_file(fpb_writer_find("json"), &a, path, why, sizeof(why));
	ck_assert_msg(rc == 0, "write %s: expected 0, got %d (%s)", path, rc, why);
	rc = fpb_result_read_json(path, &b, why, sizeof(why));
#ifndef HAVE_JANSSON
	ck_assert_msg(rc == -1 && strstr(why, "jansson"), "reader without jansson: got '%s'",
		      why);
	fpb_result_free(&a);
	remove_tmpdir();
	return;
#endif
	ck_assert_msg(rc == 0, "read back %s: expected 0, got %d (%s)", path, rc, why);
	ck_assert_int_eq(b.schema_version, FPB_SCHEMA_VERSION);
	ck_assert_str_eq(b.run.command_line, a.run.command_line);
	ck_assert_str_eq(b.run.git_revision, "abc123");
	ck_assert_str_eq(b.cpu.fingerprint, a.cpu.fingerprint);
	ck_assert_str_eq(b.cpu.brand, a.cpu.brand);
	ck_assert_msg(b.cpu.xcr0 == 0xe7 && b.cpu.xss_supported == 0x1800,
		      "machine masks: got xcr0 0x%llx xss 0x%llx",
		      (unsigned long long)b.cpu.xcr0, (unsigned long long)b.cpu.xss_supported);
	ck_assert(b.cpu.features == a.cpu.features);
	ck_assert_msg(b.cpu.xinuse_untracked == 0x5, "xinuse_untracked: expected 0x5, got 0x%llx",
		      (unsigned long long)b.cpu.xinuse_untracked);
	ck_assert(b.cpu.comp[2].present && b.cpu.comp[2].size == 256);
	ck_assert_uint_eq(b.cpu.tsc_hz, a.cpu.tsc_hz);
	ck_assert_str_eq(b.cpu.tsc_hz_source, "hypervisor-0x40000010");
	ck_assert_uint_eq(b.nrows, a.nrows);
	for (size_t i = 0; i < a.nrows; i++) {
		const struct fpb_row *x = &a.rows[i], *y = &b.rows[i];

		ck_assert_str_eq(y->name, x->name);
		ck_assert_str_eq(y->scenario, x->scenario);
		ck_assert_str_eq(y->note, x->note);
		ck_assert_str_eq(y->reason, x->reason);
		ck_assert_int_eq(y->status, x->status);
		ck_assert_uint_eq(y->flags, x->flags);
		ck_assert_uint_eq(y->mask, x->mask);
		ck_assert_uint_eq(y->nraw, x->nraw);
		ck_assert_uint_eq(y->nmetrics, x->nmetrics);
		for (size_t k = 0; k < x->nraw; k++)
			ck_assert_msg(y->raw[k] == x->raw[k], "row %zu raw[%zu]: want %.17g, got "
				      "%.17g", i, k, x->raw[k], y->raw[k]);
		if (x->status == FPB_ROW_MEASURED) {
			ck_assert_msg(y->st.median == x->st.median && y->st.ci_lo == x->st.ci_lo &&
				      y->st.mad == x->st.mad && y->st.n == x->st.n,
				      "row %zu stats: want median %.17g, got %.17g", i,
				      x->st.median, y->st.median);
		}
	}
	ck_assert_msg(isnan(b.rows[2].st.drift), "null drift: expected NaN back");
	ck_assert_msg(b.rows[0].st.floor == 120.25 && b.rows[0].st.floor_lo == 120.125 &&
		      b.rows[0].st.floor_hi == 120.5 && b.rows[0].st.floor_trials == 3,
		      "trial floor: got %g [%g, %g] of %zu trials", b.rows[0].st.floor,
		      b.rows[0].st.floor_lo, b.rows[0].st.floor_hi, b.rows[0].st.floor_trials);
	ck_assert_msg(b.rows[2].st.floor_trials == 0, "a row without a floor read one");
	fpb_result_free(&a);
	fpb_result_free(&b);
	remove_tmpdir();
}
END_TEST

/*
 * A skip reason is plain text inside the program (the status is the row's enum), from the
 * kernel-fit check to the row; text and Markdown print "skipped: <reason>", JSON and CSV carry
 * the plain reason beside the status, and a file that carries the status word in a reason, as
 * older versions wrote, reads back plain.
 */
START_TEST(test_skip_reason_plain)
{
	static const struct fpb_kernel ring0 = {
		.name = "xsaves", .desc = "test", .flags = FPB_K_ARCH_X86 | FPB_K_RING0,
	};
	static const struct fpb_backend_ops ops = { .name = "test" };
	static const char plain_kvm[] = "\"reason\": \"/dev/kvm not present\"";
	static const char legacy_kvm[] = "\"reason\": \"skipped: /dev/kvm not present\"";
	struct fpb_cpu cpu;
	struct fpb_backend be = { .ops = &ops, .cpu = &cpu };
	struct fpb_result r, b;
	struct fpb_row *row;
	char why[FPB_REASON_LEN] = "", path[400], err[200] = "", *t, *at;
	size_t ik, ii;
	FILE *f;

	memset(&cpu, 0, sizeof(cpu));
	ck_assert_int_eq(fpb_kernel_fits(&be, &ring0, why, sizeof(why)), -1);
	ck_assert_msg(!strncmp(why, "needs ring 0", 12), "fits: expected a plain reason, got '%s'",
		      why);
	synthetic(&r);
	row = fpb_result_add_row(&r);
	snprintf(row->suite, sizeof(row->suite), "kernels");
	snprintf(row->name, sizeof(row->name), "xsaves-xrstors");
	fpb_row_skip(row, "%s", why);
	ik = (size_t)(row - r.rows);
	row = fpb_result_add_row(&r);
	snprintf(row->suite, sizeof(row->suite), "insitu");
	snprintf(row->name, sizeof(row->name), "kvm-exit-user");
	fpb_row_skip(row, "/dev/kvm not present");
	ii = (size_t)(row - r.rows);
	ck_assert_int_eq(r.rows[ik].status, FPB_ROW_SKIPPED);
	ck_assert_str_eq(r.rows[ik].reason, why);

	for (int i = 0; i < 2; i++) {
		t = write_mem(i ? "md" : "text", &r);
		ck_assert_msg(strstr(t, "skipped: needs ring 0 (") &&
			      strstr(t, "skipped: /dev/kvm not present") &&
			      !strstr(t, "skipped: skipped"),
			      "%s: expected 'skipped: <reason>' once a row, got:\n%s",
			      i ? "md" : "text", t);
		free(t);
	}
	t = write_mem("csv", &r);
	ck_assert_msg(strstr(t, ",skipped,needs ring 0 (") &&
		      strstr(t, ",skipped,/dev/kvm not present,") && !strstr(t, "skipped: "),
		      "CSV: expected plain reasons beside the status, got:\n%s", t);
	free(t);
	t = write_mem("json", &r);
	ck_assert_msg(strstr(t, "\"reason\": \"needs ring 0 (") && strstr(t, plain_kvm) &&
		      !strstr(t, "skipped: "),
		      "JSON: expected plain reasons beside the status, got:\n%s", t);

	/* What an older version wrote: the status word in an in-situ row's reason too. */
	at = strstr(t, plain_kvm);
	make_tmpdir();
	snprintf(path, sizeof(path), "%s/legacy.json", tmpdir);
	f = fopen(path, "w");
	ck_assert(f);
	fprintf(f, "%.*s%s%s", (int)(at - t), t, legacy_kvm, at + strlen(plain_kvm));
	ck_assert_int_eq(fclose(f), 0);
	free(t);
	int rc = fpb_result_read_json(path, &b, err, sizeof(err));
#ifndef HAVE_JANSSON
	ck_assert_msg(rc == -1, "reader without jansson: got %d", rc);
#else
	ck_assert_msg(rc == 0, "read %s: %s", path, err);
	ck_assert_uint_eq(b.nrows, r.nrows);
	for (size_t i = 0; i < r.nrows; i++) {
		ck_assert_int_eq(b.rows[i].status, r.rows[i].status);
		ck_assert_str_eq(b.rows[i].reason, r.rows[i].reason);
	}
	ck_assert_str_eq(b.rows[ii].reason, "/dev/kvm not present");
	fpb_result_free(&b);
#endif
	fpb_result_free(&r);
	remove_tmpdir();
}
END_TEST

/* Write text to tmpdir/name and read it back as a result: must fail with a one-line reason. */
static void expect_read_error(const char *name, const char *text, const char *want)
{
	struct fpb_result r;
	char path[400], why[256] = "";
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	if (text) {
		f = fopen(path, "w");
		ck_assert(f);
		fputs(text, f);
		fclose(f);
	}
	rc = fpb_result_read_json(path, &r, why, sizeof(why));
	ck_assert_msg(rc == -1, "%s: expected -1, got %d", name, rc);
	ck_assert_msg(why[0] && !strchr(why, '\n'), "%s: expected a one-line reason, got '%s'",
		      name, why);
#ifdef HAVE_JANSSON
	ck_assert_msg(strstr(why, want), "%s: expected the reason to say '%s', got '%s'", name,
		      want, why);
#else
	(void)want;
#endif
	ck_assert_uint_eq(r.nrows, 0);
	fpb_result_free(&r);
}

START_TEST(test_read_errors)
{
	struct fpb_result a;
	char *good;
	size_t n;

	make_tmpdir();
	synthetic(&a);
	good = write_mem("json", &a);
	n = strlen(good);
	expect_read_error("missing.json", NULL, "missing.json");
	expect_read_error("empty.json", "", "");
	expect_read_error("text.json", "hello, world\n", "");
	expect_read_error("array.json", "[1, 2, 3]\n", "not an fpbench result");
	expect_read_error("schema.json", "{\"schema\": \"other\", \"rows\": []}\n",
			  "not an fpbench result");
	expect_read_error("future.json", "{\"schema\": \"fpbench-results\", \"schema_version\": "
			  "999, \"machine\": {}, \"rows\": []}\n", "schema_version 999");
	expect_read_error("noversion.json", "{\"schema\": \"fpbench-results\"}\n",
			  "schema_version");
	expect_read_error("badrow.json", "{\"schema\": \"fpbench-results\", \"schema_version\": 1,"
			  " \"machine\": {}, \"rows\": [{\"name\": \"x\", \"status\": \"great\"}]}",
			  "status");
	expect_read_error("badtype.json", "{\"schema\": \"fpbench-results\", \"schema_version\": "
			  "1, \"machine\": {\"xcr0\": 7.5}, \"rows\": []}", "xcr0");
	/* Every truncation of a good file is refused cleanly. */
	for (size_t cut = 0; cut < n - 2; cut += 1 + cut / 16) {
		char name[32];
		char *t = strndup(good, cut);

		snprintf(name, sizeof(name), "cut%zu.json", cut);
		expect_read_error(name, t, "");
		free(t);
	}
	free(good);
	fpb_result_free(&a);
	remove_tmpdir();
}
END_TEST

/* A result of 13 measured rows whose last (rows[12]) has the statistics stats. */
static char *thirteen_rows(const char *stats)
{
	static const char good[] = "{\"name\": \"x\", \"status\": \"measured\", \"stats\": {\"n\": "
		"200, \"min\": 9, \"max\": 12, \"median\": 10, \"mad\": 0.5, \"ci_lo\": 9.8, "
		"\"ci_hi\": 10.2, \"ci_level\": 0.95}}, ";
	size_t len = 2048 + 12 * sizeof(good) + strlen(stats);
	char *t = malloc(len);

	ck_assert(t);
	snprintf(t, len, "{\"schema\": \"fpbench-results\", \"schema_version\": 2, \"machine\": "
		 "{}, \"rows\": [");
	for (int i = 0; i < 12; i++)
		strcat(t, good);
	strcat(t, "{\"name\": \"y\", \"status\": \"measured\", \"stats\": {\"n\": 200, ");
	strcat(t, stats);
	strcat(t, "}}]}\n");
	return t;
}

/*
 * Implausible statistics (a forged or damaged file) are refused with the row's index, and never
 * reach a table as a 310-digit number; a difference row's negative figures stay fine.
 */
START_TEST(test_read_implausible)
{
	static const struct {
		const char *stats, *want;
	} bad[] = {
		{ "\"median\": 10, \"mad\": -3", "rows[12].stats.mad: -3 is negative" },
		{ "\"median\": 10, \"ci_lo\": 9, \"ci_hi\": 1e308", "rows[12].stats.ci_hi: 1e+308 "
		  "is implausibly large" },
		{ "\"median\": 1e300", "rows[12].stats.median" },
		{ "\"median\": 10, \"ci_lo\": 11, \"ci_hi\": 12", "rows[12].stats.ci_lo, ci_hi" },
		{ "\"median\": 10, \"ci_lo\": 2, \"ci_hi\": 9", "does not hold the median" },
		{ "\"median\": 10, \"min\": 11", "rows[12].stats.min, max" },
		{ "\"median\": 10, \"max\": 9.5", "rows[12].stats.min, max" },
		{ "\"median\": 10, \"stddev\": -1", "rows[12].stats.stddev" },
		{ "\"median\": 10, \"ci_level\": 95", "rows[12].stats.ci_level" },
		{ "\"median\": 10, \"floor\": 9.5, \"floor_lo\": 9.4, \"floor_hi\": 9.6",
		  "rows[12].stats.floor_trials" },
		{ "\"median\": 10, \"floor\": 9.5, \"floor_lo\": 9.6, \"floor_hi\": 9.7, "
		  "\"floor_trials\": 2", "does not hold the floor" },
		{ "\"median\": 10, \"floor\": 9.5, \"floor_trials\": 2", "floor_lo, floor_hi" },
	};
	struct fpb_result r;
	char path[400], why[256];

	make_tmpdir();
	for (size_t i = 0; i < FPB_ARRAY_SIZE(bad); i++) {
		char name[32], *t = thirteen_rows(bad[i].stats);

		snprintf(name, sizeof(name), "bad%zu.json", i);
		expect_read_error(name, t, bad[i].want);
		free(t);
	}
#ifdef HAVE_JANSSON
	/* reading a file that is accepted needs the jansson reader */
	{
		char *t = thirteen_rows("\"median\": -5.5, \"min\": -194344, \"max\": 3, \"mad\": 2, "
					"\"ci_lo\": -7, \"ci_hi\": -4");
		FILE *f;

		snprintf(path, sizeof(path), "%s/negative.json", tmpdir);
		f = fopen(path, "w");
		ck_assert(f);
		fputs(t, f);
		fclose(f);
		free(t);
		ck_assert_msg(!fpb_result_read_json(path, &r, why, sizeof(why)), "a difference "
			      "row with negative figures: expected it read, got '%s'", why);
		ck_assert_uint_eq(r.nrows, 13);
		fpb_result_free(&r);
	}
#else
	(void)r;
	(void)path;
	(void)why;
#endif
	remove_tmpdir();
}
END_TEST

static int failing_write(FILE *f, const struct fpb_result *r)
{
	(void)r;
	fputs("{\"partial\": ", f);
	errno = EIO;
	return -1;
}

static const struct fpb_writer failing_writer = {
	.version = FPB_WRITER_VERSION, .name = "failing", .ext = "json", .write = failing_write,
};

START_TEST(test_atomic_write)
{
	struct fpb_result r;
	char path[400], why[200] = "", buf[64] = "";
	FILE *f;
	int rc;

	make_tmpdir();
	synthetic(&r);
	snprintf(path, sizeof(path), "%s/out.csv", tmpdir);
	rc = fpb_output_write_file(fpb_writer_find("csv"), &r, path, why, sizeof(why));
	ck_assert_msg(rc == 0, "write %s: expected 0, got %d (%s)", path, rc, why);
	ck_assert_msg(count_files(".") == 0, "after a write: expected no temporary file, got %d",
		      count_files("."));

	/* A writer that fails half-way leaves the old file untouched and no temporary file. */
	f = fopen(path, "w");
	fputs("old contents\n", f);
	fclose(f);
	rc = fpb_output_write_file(&failing_writer, &r, path, why, sizeof(why));
	ck_assert_msg(rc == -1 && why[0] && !strchr(why, '\n'),
		      "failing writer: expected -1 and a one-line reason, got %d '%s'", rc, why);
	f = fopen(path, "r");
	ck_assert(fgets(buf, sizeof(buf), f));
	fclose(f);
	ck_assert_msg(!strcmp(buf, "old contents\n"), "failing writer: old file changed to '%s'",
		      buf);
	ck_assert_msg(count_files(".") == 0, "failing writer: temporary file left behind");

	/* A directory that does not exist. */
	snprintf(path, sizeof(path), "%s/no/such/dir/out.json", tmpdir);
	rc = fpb_output_write_file(fpb_writer_find("json"), &r, path, why, sizeof(why));
	ck_assert_msg(rc == -1 && strstr(why, "no/such/dir"),
		      "missing directory: expected -1 naming it, got %d '%s'", rc, why);

	/* An unwritable directory (root writes anyway: only checked for other users). */
	if (geteuid() != 0) {
		chmod(tmpdir, 0500);
		snprintf(path, sizeof(path), "%s/denied.json", tmpdir);
		rc = fpb_output_write_file(fpb_writer_find("json"), &r, path, why, sizeof(why));
		chmod(tmpdir, 0700);
		ck_assert_msg(rc == -1 && why[0], "unwritable directory: expected -1, got %d", rc);
		ck_assert_msg(count_files("denied") == 0 && count_files(".") == 0,
			      "unwritable directory: expected no file at all");
	}
	fpb_result_free(&r);
	remove_tmpdir();
}
END_TEST

/* A writer killed by SIGKILL half-way through (the one signal it cannot wait out). */
static int killed_write(FILE *f, const struct fpb_result *r)
{
	(void)r;
	fputs("{\"partial\": ", f);
	fflush(f);
	kill(getpid(), SIGKILL);
	return -1;
}

static const struct fpb_writer killed_writer = {
	.version = FPB_WRITER_VERSION, .name = "killed", .ext = "json", .write = killed_write,
};

static void touch(const char *name, time_t age)
{
	char p[600];
	struct timeval tv[2];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", tmpdir, name);
	f = fopen(p, "w");
	ck_assert(f);
	fputs("x", f);
	fclose(f);
	gettimeofday(&tv[0], NULL);
	tv[0].tv_sec -= age;
	tv[1] = tv[0];
	ck_assert(!utimes(p, tv));
}

/*
 * SIGKILL during a write leaves a temporary file named after its writer; the next write into
 * that directory removes it (its writer is gone), and nothing else: a live writer's temporary,
 * files of other names, a recent file of the old naming.
 */
START_TEST(test_stale_temporaries)
{
	struct fpb_result r;
	char path[400], why[200] = "", live[128];
	int status, rc;
	pid_t pid;

	make_tmpdir();
	synthetic(&r);
	snprintf(path, sizeof(path), "%s/out.json", tmpdir);
	fflush(NULL);
	pid = fork();
	ck_assert(pid >= 0);
	if (!pid) {
		fpb_output_write_file(&killed_writer, &r, path, why, sizeof(why));
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	ck_assert_msg(count_files(".out.json.tmp-") == 1, "expected the killed writer's temporary "
		      "file, got %d", count_files(".out.json.tmp-"));
	snprintf(live, sizeof(live), ".out.json.tmp-%ld-abcdef", (long)getpid());
	touch(live, 0);
	touch(".other.tmp-1-", 0);
	touch("x.tmp-99999999-abcdef", 0);
	touch(".mine.json.tmpABCDEF", 0);
	touch(".old.json.tmpGHIJKL", 7200);
	rc = fpb_output_write_file(fpb_writer_find("json"), &r, path, why, sizeof(why));
	ck_assert_msg(rc == 0, "write after the kill: %s", why);
	ck_assert_msg(count_files(".out.json.tmp-") == 1, "expected only the live writer's "
		      "temporary left, got %d", count_files(".out.json.tmp-"));
	ck_assert_msg(count_files(live) == 1, "the live writer's temporary was removed");
	ck_assert_int_eq(count_files(".other.tmp-1-"), 1);
	ck_assert_int_eq(count_files("x.tmp-"), 1);
	ck_assert_msg(count_files(".mine.json.tmpABCDEF") == 1, "a recent old-style temporary "
		      "was removed");
	ck_assert_msg(count_files(".old.json.tmp") == 0, "an hour-old old-style temporary was "
		      "kept");
	fpb_result_free(&r);
	remove_tmpdir();
}
END_TEST

START_TEST(test_result_rows)
{
	struct fpb_result r;
	struct fpb_row *row;
	double x[FPB_MAX_RAW_SAMPLES + 10];

	fpb_result_init(&r);
	for (int i = 0; i < 100; i++) {
		row = fpb_result_add_row(&r);
		ck_assert(row);
		ck_assert_int_eq(row->status, FPB_ROW_MEASURED);
		if (i % 4 == 0)
			fpb_row_skip(row, "reason %d", i);
	}
	ck_assert_uint_eq(fpb_result_count(&r, FPB_ROW_SKIPPED), 25);
	ck_assert_uint_eq(fpb_result_count(&r, FPB_ROW_MEASURED), 75);
	ck_assert_str_eq(r.rows[8].reason, "reason 8");
	for (size_t i = 0; i < FPB_ARRAY_SIZE(x); i++)
		x[i] = (double)i;
	ck_assert_int_eq(fpb_row_set_raw(&r.rows[1], x, FPB_ARRAY_SIZE(x)), 0);
	ck_assert_uint_eq(r.rows[1].nraw, FPB_MAX_RAW_SAMPLES);
	for (int i = 0; i < FPB_MAX_METRICS + 5; i++)
		fpb_row_add_metric(&r.rows[1], "m", "u", i);
	ck_assert_uint_eq(r.rows[1].nmetrics, FPB_MAX_METRICS);
	fpb_result_free(&r);
	ck_assert_uint_eq(r.nrows, 0);
}
END_TEST

/* The synthetic result with counters on: a run-level note, a ratio, per-op event metrics. */
static void synthetic_counters(struct fpb_result *r)
{
	synthetic(r);
	snprintf(r->run.counters, sizeof(r->run.counters), "counters (pfm): page-faults, "
		 "task-clock; hardware counters unavailable in this VM; software events still "
		 "work; cycles skipped: not available");
	r->run.tsc_per_core_cycle = 0.8125;
	fpb_row_add_metric(&r->rows[0], "page-faults", "per-op", 1.5);
	fpb_row_add_metric(&r->rows[0], "task-clock", "per-op", 40.25);
}

START_TEST(test_counters_every_format)
{
	static const char *const formats[] = { "text", "md", "csv", "json" };
	struct fpb_result r;

	synthetic_counters(&r);
	for (size_t i = 0; i < FPB_ARRAY_SIZE(formats); i++) {
		char *t = write_mem(formats[i], &r);

		ck_assert_msg(strstr(t, "page-faults, task-clock") &&
			      strstr(t, "software events still work"),
			      "%s: expected the run's counters line, got:\n%s", formats[i], t);
		ck_assert_msg(strstr(t, "0.8125"), "%s: expected tsc_per_core_cycle 0.8125, got:\n%s",
			      formats[i], t);
		ck_assert_msg(strstr(t, "page-faults") && strstr(t, "1.5") && strstr(t, "40.25"),
			      "%s: expected the per-op event metrics of the row, got:\n%s",
			      formats[i], t);
		if (!strcmp(formats[i], "csv")) {
			size_t nf[8], n = csv_records(t, nf, 8);

			ck_assert_msg(strstr(t, ",tsc_per_core_cycle,counters\n"),
				      "csv: expected the tsc_per_core_cycle,counters columns");
			for (size_t k = 1; k < n && k < 8; k++)
				ck_assert_msg(nf[k] == nf[0], "csv record %zu: expected %zu fields, "
					      "got %zu", k, nf[0], nf[k]);
		}
		if (!strcmp(formats[i], "json"))
			ck_assert_msg(strstr(t, "\"schema_version\": 3") &&
				      strstr(t, "\"tsc_per_core_cycle\": 0.8125"),
				      "json: expected schema 3 and the ratio, got:\n%s", t);
		free(t);
	}
	fpb_result_free(&r);
}
END_TEST

START_TEST(test_counters_round_trip)
{
	struct fpb_result a, b;
	char path[400], why[200] = "";
	int rc;

#ifndef HAVE_JANSSON
	return;
#endif
	make_tmpdir();
	synthetic_counters(&a);
	snprintf(path, sizeof(path), "%s/c.json", tmpdir);
	rc = fpb_output_write_file(fpb_writer_find("json"), &a, path, why, sizeof(why));
	ck_assert_msg(rc == 0, "write %s: expected 0, got %d (%s)", path, rc, why);
	rc = fpb_result_read_json(path, &b, why, sizeof(why));
	ck_assert_msg(rc == 0, "read back %s: expected 0, got %d (%s)", path, rc, why);
	ck_assert_str_eq(b.run.counters, a.run.counters);
	ck_assert_msg(b.run.tsc_per_core_cycle == 0.8125, "tsc_per_core_cycle: expected 0.8125, "
		      "got %g", b.run.tsc_per_core_cycle);
	ck_assert_uint_eq(b.rows[0].nmetrics, a.rows[0].nmetrics);
	ck_assert_str_eq(b.rows[0].metrics[0].name, "page-faults");
	ck_assert_str_eq(b.rows[0].metrics[0].unit, "per-op");
	fpb_result_free(&a);
	fpb_result_free(&b);
	remove_tmpdir();
}
END_TEST

/* Version 1 files (the report fixtures) still read: no counters, ratio unknown. */
START_TEST(test_read_version1)
{
	const char *src = getenv("FPB_SRCDIR");
	char path[4096], why[200] = "";
	struct fpb_result r;
	int rc;

#ifndef HAVE_JANSSON
	return;
#endif
	snprintf(path, sizeof(path), "%s/tests/fixtures/report-a1.json", src ? src : "..");
	rc = fpb_result_read_json(path, &r, why, sizeof(why));
	ck_assert_msg(rc == 0, "%s (schema 1): expected it to read, got %d (%s)", path, rc, why);
	ck_assert_int_eq(r.schema_version, 1);
	ck_assert_msg(r.run.counters[0] == '\0' && r.run.tsc_per_core_cycle == 0,
		      "schema 1: expected no counters and ratio 0, got '%s' %g", r.run.counters,
		      r.run.tsc_per_core_cycle);
	ck_assert_msg(r.nrows > 0, "%s: expected rows", path);
	fpb_result_free(&r);
}
END_TEST

static Suite *output_suite(void)
{
	Suite *s = suite_create("output");
	TCase *core = tcase_create("core");
	TCase *limits = tcase_create("limits");

	tcase_add_test(core, test_registry);
	tcase_add_test(core, test_result_rows);
	tcase_add_test(core, test_csv);
	tcase_add_test(core, test_text);
	tcase_add_test(core, test_min_column);
	tcase_add_test(core, test_note_wrap);
	tcase_add_test(core, test_text_arm64);
	tcase_add_test(core, test_json_escaping);
	tcase_add_test(core, test_json_round_trip);
	tcase_add_test(core, test_skip_reason_plain);
	tcase_add_test(core, test_counters_every_format);
	tcase_add_test(core, test_counters_round_trip);
	tcase_add_test(core, test_read_version1);
	tcase_add_test(limits, test_atomic_write);
	tcase_add_test(limits, test_stale_temporaries);
	tcase_add_test(limits, test_read_errors);
	tcase_add_test(limits, test_read_implausible);
	tcase_set_timeout(limits, 60);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(output_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
