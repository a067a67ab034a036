// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check_family.c - the headline command `fpbench --strategy=swap`: the named strategy runs with
 * its rivals (copy3) over its family's scenarios only, the table names a winner only by the
 * verdict rule, and the family view prints one row per scenario and the summary line.  Timed
 * by a clock that charges each primitive the record backend logged a fixed price, so every
 * figure is exact and every verdict certain.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include "strategies-testlib.h"
#include "record.h"
#include "harness.h"
#include "options.h"
#include "output-family.h"
#include "scenario.h"
#include "session.h"
#include "suite.h"

static struct fpb_backend *priced_be;

static uint64_t priced_begin(struct fpb_timer *t)
{
	(void)t;
	fpb_record_clear(priced_be);
	return 0;
}

/* Saves and restores 100 each, copies 1 per 8 bytes, anything else 10. */
static uint64_t priced_end(struct fpb_timer *t, int *cpu)
{
	const struct fpb_record_entry *e;
	uint64_t sum = 0;
	size_t n;

	(void)t;
	*cpu = -1;
	e = fpb_record_log(priced_be, &n);
	for (size_t i = 0; i < n; i++)
		sum += e[i].op == FPB_REC_SAVE || e[i].op == FPB_REC_RESTORE ? 100 :
		       e[i].op == FPB_REC_COPY ? e[i].bytes / 8 : 10;
	return sum;
}

static const struct fpb_row *find(const struct fpb_result *r, const char *name, const char *sc)
{
	for (size_t i = 0; i < r->nrows; i++)
		if (!strcmp(r->rows[i].name, name) && !strcmp(r->rows[i].scenario, sc))
			return &r->rows[i];
	return NULL;
}

/* The line of text starting with start, copied into buf; NULL when absent. */
static const char *line_of(const char *text, const char *start, char *buf, size_t len)
{
	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, start, strlen(start))) {
			size_t n = strcspn(p, "\n");

			snprintf(buf, len, "%.*s", (int)n, p);
			return buf;
		}
	return NULL;
}

static struct fpb_timer priced = { .name = "priced", .unit = "ticks", .begin = priced_begin,
				   .end = priced_end };

/*
 * A strategies session on the record backend, timed by the priced clock, on a synthetic CPU
 * without PKU or XFD; timed (the caller's) lives as long as the session.
 */
static void priced_session(struct fpb_session *s, struct fpb_options *o,
			   struct fpb_backend_ops *timed, uint64_t batch)
{
	char why[FPB_REASON_LEN];

	*timed = fpb_backend_record;
	timed->flags |= FPB_BE_TIMES;
	memset(s, 0, sizeof(*s));
	fpbt_cpu_synth(&s->cpu, false, false, false, false);
	ck_assert_msg(!fpbt_open(&s->backend, timed, &s->cpu, why, sizeof(why)),
		      "record backend: %s", why);
	priced_be = &s->backend;
	s->timer = &priced;
	fpb_harness_default_opts(&o->h);
	o->h.time_budget_s = 0.5;
	o->h.batch = batch;
}

START_TEST(test_swap_family_view)
{
	const struct fpb_suite *suite = fpb_suite_find("strategies");
	struct fpb_options *o = calloc(1, sizeof(*o));
	struct fpb_backend_ops timed;
	const struct fpb_row *sw, *cp;
	struct fpb_session s;
	struct fpb_result res;
	char line[512], *text = NULL;
	size_t len = 0, nswap = 0, ncopy3 = 0;
	FILE *f;

	ck_assert(o && suite);
	priced_session(&s, o, &timed, 4);
	fpb_result_init(&res);
	o->strategies[0] = "swap";
	o->nstrategies = 1;
	ck_assert_int_eq(suite->run(&s, o, &res), 0);

	/* swap and its rival copy3, over vCPU scenarios only: no n/a task-scenario rows. */
	for (size_t i = 0; i < res.nrows; i++) {
		const struct fpb_row *row = &res.rows[i];
		const struct fpb_scenario *sc = fpb_scenario_find(row->scenario);

		nswap += !strncmp(row->name, "swap+", 5);
		ncopy3 += !strncmp(row->name, "copy3+", 6);
		ck_assert_msg(!strncmp(row->name, "swap+", 5) || !strncmp(row->name, "copy3+", 6),
			      "row of %s in the family view of swap", row->name);
		ck_assert_msg(sc && sc->family == FPB_FAMILY_GUEST, "%s: not a vCPU scenario",
			      row->scenario);
	}
	ck_assert_uint_gt(nswap, 2);
	ck_assert_uint_eq(nswap, ncopy3);

	/* Identical primitives: a tie, never a winner (not copy3 by registry order). */
	sw = find(&res, "swap+eager-pkru", "kvm-run-10");
	cp = find(&res, "copy3+eager-pkru", "kvm-run-10");
	ck_assert(sw && cp && sw->status == FPB_ROW_MEASURED && cp->status == FPB_ROW_MEASURED);
	ck_assert_msg(!(sw->flags & FPB_ROW_FASTEST) && !(cp->flags & FPB_ROW_FASTEST),
		      "kvm-run-10: a tie (%g vs %g) marked fastest", sw->st.median,
		      cp->st.median);
	ck_assert_msg(strstr(cp->note, "no winner") || strstr(sw->note, "no winner"),
		      "kvm-run-10: notes '%s' / '%s' do not say 'no winner'", sw->note, cp->note);
	/* copy3 copies the guest state when it must load it: swap is the winner. */
	sw = find(&res, "swap+eager-pkru", "kvm-run-need-load");
	cp = find(&res, "copy3+eager-pkru", "kvm-run-need-load");
	ck_assert(sw && cp);
	ck_assert_msg((sw->flags & FPB_ROW_FASTEST) && !(cp->flags & FPB_ROW_FASTEST),
		      "kvm-run-need-load: swap %g, copy3 %g: swap expected fastest",
		      sw->st.median, cp->st.median);

	/* The family view: a row per scenario, the verdicts, one summary line. */
	f = open_memstream(&text, &len);
	ck_assert(f);
	ck_assert_int_eq(fpb_family_view_write(f, &res, o->strategies, o->nstrategies), 0);
	fclose(f);
	ck_assert_msg(strstr(text, "\n## swap against copy3 (guest policies)\n"), "%s", text);
	ck_assert_msg(line_of(text, "kvm-run-10 ", line, sizeof(line)) &&
		      strstr(line, "+0.0%") && strstr(line, "indistinguishable"),
		      "kvm-run-10 line: %s", line_of(text, "kvm-run-10 ", line, sizeof(line)));
	ck_assert_msg(line_of(text, "kvm-run-need-load ", line, sizeof(line)) &&
		      strstr(line, " lower"), "kvm-run-need-load line: %s", text);
	/* Why: copy3 copies the task's registers, swap swaps a pointer (exact counts). */
	ck_assert_msg(strstr(line, "bytes_copied 0/") && !strstr(line, "bytes_copied 0/0"),
		      "kvm-run-need-load: expected the copy in the per-event column: %s", line);
	ck_assert_msg(line_of(text, "kvm-run-10 ", line, sizeof(line)) &&
		      !strcmp(line + strlen(line) - 4, "same"),
		      "kvm-run-10: identical primitive counts expected 'same': %s", line);
	ck_assert_msg(line_of(text, "swap vs copy3: lower in ", line, sizeof(line)) &&
		      strstr(line, "kvm-run-need-load") && strstr(line, "indistinguishable in"),
		      "summary line missing or wrong: %s", text);
	/* The summary is the last line. */
	ck_assert_msg(!strcmp(strrchr(text, '\n') == text + len - 1 ?
			      (text[len - 1] = '\0', strrchr(text, '\n') + 1) : "", line),
		      "summary not at the end: %s", text);
	free(text);
	fpb_result_free(&res);
	fpbt_close(&s.backend);
	free(o);
}
END_TEST

static double metric(const struct fpb_row *row, const char *name)
{
	for (size_t k = 0; k < row->nmetrics; k++)
		if (!strcmp(row->metrics[k].name, name))
			return row->metrics[k].value;
	return NAN;
}

/*
 * A row is its primitives' cost: minus the no-op companion (same handlers, primitives doing
 * nothing), the priced clock leaves exactly the price of the primitives each event ran, and the
 * model's overhead beside it is zero (the priced clock charges no C).  Without PKU, RDPKRU and
 * WRPKRU are skipped, counted as such, and the note says so.
 */
START_TEST(test_rows_are_primitive_cost)
{
	const struct fpb_suite *suite = fpb_suite_find("strategies");
	struct fpb_options *o = calloc(1, sizeof(*o));
	struct fpb_backend_ops timed;
	struct fpb_session s;
	struct fpb_result res;
	unsigned checked = 0;

	ck_assert(o && suite);
	priced_session(&s, o, &timed, 2);
	fpb_result_init(&res);
	o->strategies[0] = "all";
	o->nstrategies = 1;
	o->scenarios[0] = "kvm-run-10";
	o->scenarios[1] = "kvm-run-need-load";
	o->scenarios[2] = "pingpong-dirty";
	o->nscenarios = 3;
	ck_assert_int_eq(suite->run(&s, o, &res), 0);
	for (size_t i = 0; i < res.nrows; i++) {
		const struct fpb_row *row = &res.rows[i];
		double price;

		if (row->status != FPB_ROW_MEASURED)
			continue;
		price = 100 * (metric(row, "saves") + metric(row, "restores")) +
			metric(row, "bytes_copied") / 8 +
			10 * (metric(row, "xsetbv") + metric(row, "xfd_writes") +
			      metric(row, "xss_writes") + metric(row, "pkru_reads") +
			      metric(row, "pkru_writes"));
		ck_assert_msg(fabs(row->st.median - price) < 1e-6 * price + 1e-9,
			      "%s %s: median %g, the primitives' price %g", row->name,
			      row->scenario, row->st.median, price);
		ck_assert_msg(metric(row, "model_overhead") == 0, "%s %s: model_overhead %g",
			      row->name, row->scenario, metric(row, "model_overhead"));
		ck_assert_msg(metric(row, "pkru_reads") == 0 && metric(row, "pkru_writes") == 0,
			      "%s %s: PKRU primitives ran without PKU", row->name, row->scenario);
		if (!strncmp(row->name, "eager-pkru", 10) || strstr(row->name, "+eager-pkru")) {
			ck_assert_msg(metric(row, "skipped") > 0 &&
				      strstr(row->note, "RDPKRU/WRPKRU skipped"),
				      "%s %s: skipped %g, note '%s'", row->name, row->scenario,
				      metric(row, "skipped"), row->note);
		}
		checked++;
	}
	ck_assert_uint_ge(checked, 5);
	fpb_result_free(&res);
	fpbt_close(&s.backend);
	free(o);
}
END_TEST

/* No-op primitives: counted, never executed (nothing logged, nothing copied). */
START_TEST(test_noop_backend)
{
	struct fpb_backend be;
	struct fpb_cpu cpu;
	char why[FPB_REASON_LEN], src[64], dst[64];
	uint32_t pkru = 0;
	size_t n;

	fpbt_cpu_synth(&cpu, true, false, false, false);
	ck_assert(!fpbt_open(&be, &fpb_backend_record, &cpu, why, sizeof(why)));
	be.noop = true;
	memset(src, 1, sizeof(src));
	memset(dst, 0, sizeof(dst));
	ck_assert_int_eq(fpb_prim_save(&be, FPB_OP_XSAVE, dst, 3), FPB_PRIM_COUNTED);
	ck_assert_int_eq(fpb_prim_restore(&be, FPB_OP_XRSTOR, dst, 3), FPB_PRIM_COUNTED);
	ck_assert_int_eq(fpb_prim_copy(&be, dst, src, sizeof(src)), FPB_PRIM_COUNTED);
	ck_assert_int_eq(fpb_prim_rdpkru(&be, &pkru), FPB_PRIM_COUNTED);
	ck_assert_int_eq(fpb_prim_wrpkru(&be, 4), FPB_PRIM_COUNTED);
	ck_assert_int_eq(dst[0], 0);
	fpb_record_log(&be, &n);
	ck_assert_uint_eq(n, 0);
	ck_assert_uint_eq(be.counts.save[FPB_OP_XSAVE], 1);
	ck_assert_uint_eq(be.counts.bytes_copied, sizeof(src));
	ck_assert_uint_eq(be.counts.pkru_writes, 1);
	fpbt_close(&be);
}
END_TEST

/* Named twice in one family: the pair shows once, in the order named. */
START_TEST(test_pair_once)
{
	struct fpb_result r;
	const char *named[] = { "swap", "copy3" };
	const char *names[] = { "swap+eager-pkru", "copy3+eager-pkru" };
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	fpb_result_init(&r);
	for (int i = 0; i < 2; i++) {
		struct fpb_row *row = fpb_result_add_row(&r);

		snprintf(row->suite, sizeof(row->suite), "strategies");
		snprintf(row->name, sizeof(row->name), "%s", names[i]);
		snprintf(row->scenario, sizeof(row->scenario), "kvm-run-1");
		snprintf(row->unit, sizeof(row->unit), "ticks/kvm-run");
		row->status = FPB_ROW_MEASURED;
		row->st.median = i ? 200 : 100;
		row->st.ci_lo = row->st.median - 1;
		row->st.ci_hi = row->st.median + 1;
		row->st.ci_level = 0.95;
	}
	f = open_memstream(&text, &len);
	ck_assert_int_eq(fpb_family_view_write(f, &r, named, 2), 0);
	fclose(f);
	ck_assert_msg(strstr(text, "swap vs copy3: lower in 1 of 1 scenario (kvm-run-1)"), "%s",
		      text);
	ck_assert_msg(!strstr(text, "copy3 vs swap"), "pair shown twice: %s", text);
	ck_assert_msg(strstr(text, "-50.0%"), "change missing: %s", text);
	free(text);
	fpb_result_free(&r);
}
END_TEST

static Suite *family_suite(void)
{
	Suite *s = suite_create("family");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_swap_family_view);
	tcase_add_test(tc, test_pair_once);
	tcase_add_test(tc, test_rows_are_primitive_cost);
	tcase_add_test(tc, test_noop_backend);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	/*
	 * Where the harness judges trials by the other CPUs' busy time, it reads nothing here: a
	 * loaded test machine must not turn the priced figures inconclusive.
	 */
	setenv("FPB_PROC_STAT", "/nonexistent/fpbench-stat", 1);
	sr = srunner_create(family_suite());

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
