// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check_insitu.c - the in-situ suite: short versions of the measurements that can run here, the
 * XINUSE cleanliness check, the paired-condition runner on a synthetic cost, and the skip paths
 * (no /dev/kvm, no AMX, other architecture, no strategy model).
 *
 * No timing thresholds: relations only, measured in the same run, with generous bounds (the
 * dirty-state figure is not below the clean one by more than 20%, one retry allowed).
 */
#include "config.h"
#include <check.h>
#include <sched.h>
#include <unistd.h>
#include "insitu.h"
#include "session.h"
#include "timer.h"
#include "cpu.h"
#include "xstate.h"

static struct fpb_session sess;
static struct fpb_result res;

static void session_setup(void)
{
	char why[FPB_REASON_LEN] = "";

	memset(&sess, 0, sizeof(sess));
	fpb_result_init(&res);
	fpb_cpu_detect(&sess.cpu, &fpb_cpuid_native);
	fpb_timer_tsc_frequency(&sess.cpu);
	sess.timer = fpb_timer_find("tsc");
	if (!sess.timer || (sess.timer->init && sess.timer->init(sess.timer, &sess.cpu, why,
								  sizeof(why))))
		sess.timer = fpb_timer_find("clock");
	ck_assert_msg(sess.timer != NULL, "no timer: %s", why);
	if (sess.timer->init)
		ck_assert_msg(sess.timer->init(sess.timer, &sess.cpu, why, sizeof(why)) == 0,
			      "timer %s: %s", sess.timer->name, why);
	res.run.cpu = -1;
	sess.run = &res.run;
}

static void session_teardown(void)
{
	if (sess.backend.ops && sess.backend.ops->close)
		sess.backend.ops->close(&sess.backend);
	sess.backend.ops = NULL;
	if (sess.timer && sess.timer->fini)
		sess.timer->fini(sess.timer);
	fpb_result_free(&res);
}

static void insitu_for(struct fpb_insitu *in, const char *only)
{
	fpb_insitu_init(in, &sess, NULL, &res);
	in->only = only;
	in->all_arches = true;
	in->h.min_repeats = 30;
}

static const struct fpb_row *find(const char *name, const char *scenario)
{
	for (size_t i = 0; i < res.nrows; i++)
		if (!strcmp(res.rows[i].name, name) && !strcmp(res.rows[i].scenario, scenario))
			return &res.rows[i];
	return NULL;
}

static void reset_rows(void)
{
	fpb_result_free(&res);
	fpb_result_init(&res);
	res.run.cpu = -1;
	sess.run = &res.run;
}

/* ---- core ---- */

START_TEST(test_clean_is_clean)
{
	uint64_t bits = fpb_insitu_check_bits(&sess.cpu), xin;

	if (!bits)
		return;		/* no XGETBV(1) or no AVX: nothing to check */
	fpb_insitu_prepare(&sess.cpu, false);
	ck_assert_msg(fpb_insitu_state_ok(&sess.cpu, false, &xin),
		      "clean: XINUSE 0x%llx, expected bits 0x%llx clear", (unsigned long long)xin,
		      (unsigned long long)bits);
	ck_assert_msg((xin & bits) == 0, "clean: XINUSE 0x%llx has 0x%llx",
		      (unsigned long long)xin, (unsigned long long)(xin & bits));
	fpb_insitu_prepare(&sess.cpu, true);
	ck_assert_msg(fpb_insitu_state_ok(&sess.cpu, true, &xin),
		      "dirty: XINUSE 0x%llx, expected bits 0x%llx set", (unsigned long long)xin,
		      (unsigned long long)bits);
	/* A clean thread is not dirty, and the other way round. */
	ck_assert_msg(!fpb_insitu_state_ok(&sess.cpu, false, &xin),
		      "dirty state passed the clean check (XINUSE 0x%llx)",
		      (unsigned long long)xin);
	fpb_insitu_prepare(&sess.cpu, false);
	ck_assert_msg(!fpb_insitu_state_ok(&sess.cpu, true, &xin),
		      "clean state passed the dirty check (XINUSE 0x%llx)",
		      (unsigned long long)xin);
}
END_TEST

#if defined(__x86_64__)
START_TEST(test_clean_keeps_mxcsr)
{
	uint32_t mxcsr = 0;

	if (!fpb_cpu_has(&sess.cpu, FPB_CPU_XSAVE))
		return;
	fpb_insitu_prepare(&sess.cpu, false);
	__asm__ __volatile__("stmxcsr %0" : "=m"(mxcsr));
	ck_assert_msg((mxcsr & 0xffbf) == 0x1f80, "MXCSR after the clean XRSTOR: 0x%x, expected "
		      "0x1f80 (exceptions masked)", mxcsr);
}
END_TEST
#endif

/* A synthetic pair: clean costs 100 a event, dirty 130, plus a fixed bracket of 1000. */
struct fake {
	uint64_t calls[2];
};

static int fake_batch(void *arg, int cond, uint64_t n, struct fpb_sample *out)
{
	struct fake *f = arg;

	memset(out, 0, sizeof(*out));
	out->cpu = -1;
	out->t = 1000 + n * (cond ? 130 : 100);
	f->calls[cond]++;
	return 0;
}

START_TEST(test_pairs_replay)
{
	struct fpb_insitu in;
	struct fpb_insitu_pair p[3];
	struct fake f = { { 0, 0 } };
	long r[3];

	insitu_for(&in, NULL);
	in.h.batch = 10;
	in.h.max_repeats = 50;
	in.h.min_repeats = 50;
	r[0] = fpb_insitu_row(&in, "fake", "clean", "event");
	r[1] = fpb_insitu_row(&in, "fake", "dirty", "event");
	r[2] = fpb_insitu_row(&in, "fake", "dirty-minus-clean", "event");
	p[0] = (struct fpb_insitu_pair){ r[0], 0, -1, -1 };
	p[1] = (struct fpb_insitu_pair){ r[1], 1, -1, -1 };
	p[2] = (struct fpb_insitu_pair){ r[2], 1, 1, 0 };
	ck_assert_int_eq(fpb_insitu_run_pairs(&in, fake_batch, &f, p, 3, 5.0, 1000), 0);
	ck_assert_msg(res.rows[r[0]].status == FPB_ROW_MEASURED, "clean: %s", res.rows[r[0]].reason);
	ck_assert_msg(res.rows[r[2]].status == FPB_ROW_MEASURED, "diff: %s", res.rows[r[2]].reason);
	ck_assert_msg(res.rows[r[0]].st.median == 100, "clean median %g, expected 100",
		      res.rows[r[0]].st.median);
	ck_assert_msg(res.rows[r[1]].st.median == 130, "dirty median %g, expected 130",
		      res.rows[r[1]].st.median);
	ck_assert_msg(res.rows[r[2]].st.median == 30, "difference median %g, expected 30",
		      res.rows[r[2]].st.median);
	/*
	 * The difference replays the dirty row's batches: dirty runs no more often than clean
	 * (besides the difference row's own probes of the given N against the budget: n = 1, 2,
	 * 4, 8).
	 */
	ck_assert_msg(f.calls[1] <= f.calls[0] + 4 + 4, "dirty batches %llu, clean %llu: the "
		      "difference ran its own", (unsigned long long)f.calls[1],
		      (unsigned long long)f.calls[0]);
	ck_assert_msg(strstr(res.rows[r[2]].note, "same round") != NULL, "difference note '%s'",
		      res.rows[r[2]].note);
}
END_TEST

START_TEST(test_pairs_skipped_condition)
{
	struct fpb_insitu in;
	struct fpb_insitu_pair p[3];
	struct fake f = { { 0, 0 } };
	long r[3];

	insitu_for(&in, NULL);
	in.h.batch = 10;
	in.h.max_repeats = 20;
	r[0] = fpb_insitu_row(&in, "fake", "clean", "event");
	r[1] = fpb_insitu_skip(&in, "fake", "dirty", "cannot dirty here");
	r[2] = fpb_insitu_row(&in, "fake", "dirty-minus-clean", "event");
	p[0] = (struct fpb_insitu_pair){ r[0], 0, -1, -1 };
	p[1] = (struct fpb_insitu_pair){ r[1], 1, -1, -1 };
	p[2] = (struct fpb_insitu_pair){ r[2], 1, 1, 0 };
	ck_assert_int_eq(fpb_insitu_run_pairs(&in, fake_batch, &f, p, 3, 5.0, 1000), 0);
	ck_assert_msg(res.rows[r[2]].status == FPB_ROW_SKIPPED, "difference status %d",
		      res.rows[r[2]].status);
	ck_assert_msg(strstr(res.rows[r[2]].reason, "cannot dirty here") != NULL,
		      "difference reason '%s'", res.rows[r[2]].reason);
	ck_assert_msg(f.calls[1] == 0, "the skipped condition ran %llu batches",
		      (unsigned long long)f.calls[1]);
}
END_TEST

/* Clean, dirty and difference rows of a measurement; dirty not below clean by over 20%. */
static void check_relation(const char *name, const char *budget_for)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		const struct fpb_row *c, *d, *x;
		struct fpb_insitu in;

		reset_rows();
		insitu_for(&in, budget_for);
		ck_assert_int_eq(fpb_insitu_run_all(&in, 3.0), 0);
		c = find(name, "clean");
		d = find(name, "dirty");
		x = find(name, "dirty-minus-clean");
		ck_assert_msg(c && d && x, "%s: rows clean/dirty/dirty-minus-clean missing", name);
		if (c->status == FPB_ROW_SKIPPED) {
			ck_assert_msg(c->reason[0], "%s: skipped without a reason", name);
			return;
		}
		ck_assert_msg(c->status == FPB_ROW_MEASURED, "%s clean: status %d (%s)", name,
			      c->status, c->reason);
		ck_assert_msg(d->status == FPB_ROW_MEASURED, "%s dirty: status %d (%s)", name,
			      d->status, d->reason);
		ck_assert_msg(x->status == FPB_ROW_MEASURED, "%s difference: status %d (%s)",
			      name, x->status, x->reason);
		ck_assert_msg(c->st.median > 0, "%s clean median %g", name, c->st.median);
		ck_assert_msg(strstr(c->unit, "/") != NULL, "%s unit '%s'", name, c->unit);
		if (d->st.median >= 0.8 * c->st.median)
			return;
		ck_assert_msg(attempt == 0, "%s: dirty %g below clean %g by more than 20%% twice",
			      name, d->st.median, c->st.median);
	}
}

START_TEST(test_context_switch)
{
#if defined(__x86_64__)
	check_relation("context-switch", "context-switch");
#endif
}
END_TEST

START_TEST(test_signal)
{
	const struct fpb_row *c;

	check_relation("signal", "signal");
	c = find("signal", "clean");
	ck_assert_msg(c != NULL, "no signal row");
	for (size_t i = 0; i < c->nmetrics; i++)
		if (!strcmp(c->metrics[i].name, "sigframe_bytes"))
			ck_assert_msg(c->metrics[i].value >= 512, "sigframe_bytes %g",
				      c->metrics[i].value);
}
END_TEST

/* ---- skip ---- */

START_TEST(test_kvm)
{
	struct fpb_insitu in;
	const struct fpb_row *u, *g;

	insitu_for(&in, "kvm");
	ck_assert_int_eq(fpb_insitu_run_all(&in, 2.0), 0);
	u = find("kvm-exit-user", "clean");
	ck_assert_msg(u != NULL, "no kvm-exit-user row");
#if !defined(__x86_64__)
	/* The mini-VM is x86-64 code: elsewhere one skipped row says so. */
	ck_assert_msg(u->status == FPB_ROW_SKIPPED && strstr(u->reason, "x86-64"),
		      "non-x86 kvm-exit-user: expected skipped 'x86-64 hosts', got status %d '%s'",
		      u->status, u->reason);
	return;
#endif
	ck_assert_msg(find("kvm-exit-kernel", "clean") != NULL, "no kvm-exit-kernel row");
	if (access("/dev/kvm", F_OK)) {
		ck_assert_msg(u->status == FPB_ROW_SKIPPED, "kvm-exit-user status %d without "
			      "/dev/kvm", u->status);
		ck_assert_msg(strstr(u->reason, "/dev/kvm not present") != NULL,
			      "reason '%s', expected '/dev/kvm not present'", u->reason);
		return;
	}
	/* /dev/kvm is here: the port-write loop runs, or says why not. */
	ck_assert_msg(u->status == FPB_ROW_MEASURED || u->reason[0],
		      "kvm-exit-user: status %d without a reason", u->status);
	if (access("/dev/kvm", R_OK | W_OK) == 0 && u->status != FPB_ROW_MEASURED)
		ck_assert_msg(u->status == FPB_ROW_MEASURED, "kvm-exit-user not measured: %s",
			      u->reason);
	g = find("kvm-exit-user", "guest-dirty");
	if (fpb_kvm_is_pvm() && g) {
		ck_assert_msg(g->status == FPB_ROW_SKIPPED && strstr(g->reason, "paravirtual"),
			      "PVM guest-dirty: status %d reason '%s'", g->status, g->reason);
		ck_assert_msg(u->status != FPB_ROW_MEASURED || strstr(u->note, "not representative"),
			      "PVM row not labelled: note '%s'", u->note);
	} else if (g && u->status == FPB_ROW_MEASURED) {
		/* A full /dev/kvm (e.g. nested SVM): the 64-bit guest ran with its state dirty. */
		ck_assert_msg(g->status == FPB_ROW_MEASURED || g->reason[0],
			      "guest-dirty: status %d without a reason", g->status);
		ck_assert_msg(strstr(u->note, "64-bit guest") != NULL,
			      "kvm-exit-user clean: expected the 64-bit guest, note '%s'", u->note);
	}
}
END_TEST

/* The paravirtual path (real-mode guest, exits only) on whatever /dev/kvm is here. */
START_TEST(test_kvm_pvm_path)
{
	struct fpb_insitu in;
	const struct fpb_row *u, *g, *k;

#if !defined(__x86_64__)
	return;
#endif
	if (access("/dev/kvm", R_OK | W_OK))
		return;		/* covered by test_kvm: skipped rows */
	setenv("FPB_KVM_ASSUME_PVM", "1", 1);
	ck_assert_msg(fpb_kvm_is_pvm(), "FPB_KVM_ASSUME_PVM=1 did not force the PVM path");
	insitu_for(&in, "kvm");
	ck_assert_int_eq(fpb_insitu_run_all(&in, 2.0), 0);
	unsetenv("FPB_KVM_ASSUME_PVM");
	u = find("kvm-exit-user", "clean");
	g = find("kvm-exit-user", "guest-dirty");
	k = find("kvm-exit-kernel", "clean");
	ck_assert_msg(u && g && k, "PVM path: rows missing");
	ck_assert_msg(u->status == FPB_ROW_MEASURED, "PVM path: the real-mode port-write loop "
		      "did not run: status %d '%s'", u->status, u->reason);
	ck_assert_msg(strstr(u->note, "real-mode") && strstr(u->note, "not representative"),
		      "PVM path: clean row note '%s', expected real-mode and not representative",
		      u->note);
	ck_assert_msg(u->flags & FPB_ROW_VIRTUALISED, "PVM path: clean row not flagged virtualised");
	ck_assert_msg(g->status == FPB_ROW_SKIPPED && strstr(g->reason, "paravirtual"),
		      "PVM path guest-dirty: status %d reason '%s'", g->status, g->reason);
	ck_assert_msg(k->status == FPB_ROW_MEASURED || k->reason[0],
		      "PVM path kvm-exit-kernel: status %d without a reason", k->status);
}
END_TEST

START_TEST(test_kvm_open_missing)
{
	struct fpb_kvm_vm v;
	char why[FPB_REASON_LEN] = "";

	if (!access("/dev/kvm", F_OK))
		return;
	ck_assert_int_eq(fpb_kvm_vm_open(&v, &sess.cpu, true, why, sizeof(why)), -1);
#if defined(__x86_64__)
	ck_assert_msg(strstr(why, "not present") != NULL, "why '%s'", why);
#else
	ck_assert_msg(strstr(why, "x86-64") != NULL, "non-x86: expected 'x86-64 hosts', got '%s'",
		      why);
#endif
	ck_assert_msg(v.kvm < 0 && v.vm < 0 && v.vcpu < 0 && !v.mem && !v.run,
		      "descriptors left open after a failed open");
}
END_TEST

START_TEST(test_amx)
{
	struct fpb_insitu in;
	const struct fpb_row *r;

	insitu_for(&in, "amx-first-use");
	ck_assert_int_eq(fpb_insitu_run_all(&in, 2.0), 0);
	r = find("amx-first-use", "first-use");
	ck_assert_msg(r != NULL, "no amx-first-use row");
#if !defined(__x86_64__)
	ck_assert_msg(r->status == FPB_ROW_SKIPPED && strstr(r->reason, "x86-64 only"),
		      "non-x86: expected skipped 'x86-64 only', got status %d '%s'", r->status,
		      r->reason);
	return;
#endif
	if (!fpb_cpu_has(&sess.cpu, FPB_CPU_AMX_TILE))
		ck_assert_msg(r->status == FPB_ROW_SKIPPED && strstr(r->reason, "no AMX"),
			      "without AMX: status %d reason '%s'", r->status, r->reason);
	else
		ck_assert_msg(r->status == FPB_ROW_MEASURED || r->reason[0],
			      "AMX row: status %d without a reason", r->status);
}
END_TEST

START_TEST(test_sve)
{
	struct fpb_insitu in;
	const struct fpb_row *r;

	insitu_for(&in, "getpid-sve");
	ck_assert_int_eq(fpb_insitu_run_all(&in, 1.0), 0);
	r = find("getpid-sve", "clean");
#if defined(__aarch64__)
	ck_assert_msg(r != NULL || res.nrows > 0, "no getpid-sve rows");
#else
	ck_assert_msg(r && r->status == FPB_ROW_SKIPPED && strstr(r->reason, "arm64 only"),
		      "x86 getpid-sve row: %s", r ? r->reason : "missing");
#endif
}
END_TEST

/* The user backend for the strategy model, as a session opens it; false when not usable. */
static bool open_user_backend(void)
{
	const struct fpb_backend_ops *ops = fpb_backend_find("user");
	char why[FPB_REASON_LEN] = "";

	if (!ops || (ops->probe && ops->probe(&sess.cpu, why, sizeof(why))))
		return false;
	sess.backend.ops = ops;
	sess.backend.cpu = &sess.cpu;
	sess.backend.timer = sess.timer;
	sess.backend.numa_node = -1;
	if (ops->open && ops->open(&sess.backend, why, sizeof(why))) {
		sess.backend.ops = NULL;
		return false;
	}
	return true;
}

static bool has_metric(const struct fpb_row *r, const char *name)
{
	for (size_t i = 0; i < r->nmetrics; i++)
		if (!strcmp(r->metrics[i].name, name))
			return true;
	return false;
}

START_TEST(test_model)
{
	struct fpb_insitu in;
	const struct fpb_row *m;
	long i;

	insitu_for(&in, "model");
	/* A measured difference to compare with; no backend yet: skipped with a reason. */
	i = fpb_insitu_row(&in, "context-switch", "dirty-minus-clean", "switch");
	ck_assert_int_ge(i, 0);
	res.rows[i].st.median = 50;
	ck_assert_int_eq(fpb_insitu_run_all(&in, 1.0), 0);
	m = find("context-switch", "model");
	ck_assert_msg(m != NULL, "no model row beside a measured difference");
	ck_assert_msg(m->status == FPB_ROW_SKIPPED && strstr(m->reason, "strategy model: "),
		      "model without a backend: status %d reason '%s', want skipped 'strategy "
		      "model: ...'", m->status, m->reason);
	ck_assert_msg(find("signal", "model") == NULL, "a model row beside nothing measured");
}
END_TEST

/* With the user backend: a real prediction beside a difference that is within noise of zero. */
START_TEST(test_model_noise)
{
	struct fpb_insitu in;
	const struct fpb_row *m, *real;
	int kinds;
	long i;

	if (!open_user_backend())
		return;
	insitu_for(&in, "model");
	i = fpb_insitu_row(&in, "context-switch", "dirty-minus-clean", "switch");
	ck_assert_int_ge(i, 0);
	res.rows[i].st.n = 100;
	res.rows[i].st.median = 3;
	res.rows[i].st.ci_lo = -20;
	res.rows[i].st.ci_hi = 25;
	ck_assert_int_eq(fpb_insitu_run_all(&in, 1.0), 0);
	m = find("context-switch", "model");
	real = find("context-switch", "dirty-minus-clean");
	ck_assert_msg(m && real, "model or in-situ row missing");
	ck_assert_msg(m->status == FPB_ROW_MEASURED || m->reason[0],
		      "model row: status %d without a reason", m->status);
	if (m->status != FPB_ROW_MEASURED)
		return;
	ck_assert_msg(strstr(m->unit, "/switch") != NULL, "model unit '%s', want .../switch",
		      m->unit);
	ck_assert_msg(strstr(m->note, "pingpong-dirty minus pingpong-clean") != NULL,
		      "model note '%s' does not say what was compared", m->note);
	/* Exactly one verdict; never a plain ratio against a difference that may be zero. */
	kinds = has_metric(m, "reality_over_model") + has_metric(m, "reality_over_model_max") +
		has_metric(m, "model_below_noise") + has_metric(m, "reality_below_noise");
	ck_assert_msg(kinds == 1, "model row has %d verdicts, want 1 (note '%s')", kinds,
		      m->note);
	ck_assert_msg(!has_metric(m, "reality_over_model"),
		      "a ratio against an in-situ interval [-20, 25] that includes zero");
	ck_assert_msg(has_metric(real, "model"), "in-situ row lacks the model metric");
}
END_TEST

/* Every figure's pair predicts, or says why not; bad arguments are refused with a reason. */
START_TEST(test_predict)
{
	char why[FPB_REASON_LEN];
	struct fpb_row *row;

	if (!open_user_backend())
		return;
	row = fpb_result_add_row(&res);
	ck_assert(row != NULL);
	why[0] = 0;
	ck_assert_int_eq(fpb_strategies_predict(&sess, "bogus", "pingpong-dirty",
						"pingpong-clean", 0.2, row, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "unknown strategy"), "bogus strategy: '%s'", why);
	ck_assert_int_eq(fpb_strategies_predict(&sess, "swap", "pingpong-dirty",
						"pingpong-clean", 0.2, row, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "scenario"), "guest policy over task scenarios: '%s'", why);
	ck_assert_int_eq(fpb_strategies_predict(&sess, "eager-pkru", "pingpong-dirty", "signal",
						0.2, row, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "different events"), "switch minus signal: '%s'", why);
	ck_assert_int_eq(fpb_strategies_predict(&sess, "eager-pkru", "pingpong-dirty", "nope",
						0.2, row, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "unknown scenario"), "unknown scenario: '%s'", why);

	for (size_t k = 0; k < fpb_nr_insitu_figures; k++) {
		const struct fpb_insitu_figure *f = &fpb_insitu_figures[k];
		int ret;

		row = fpb_result_add_row(&res);
		ck_assert(row != NULL);
		why[0] = 0;
		ret = fpb_strategies_predict(&sess, f->strategy, f->model_a, f->model_b, 0.3, row,
					     why, sizeof(why));
		row = &res.rows[res.nrows - 1];
		ck_assert_msg(ret == 0 || why[0], "%s: %s minus %s: -1 without a reason",
			      f->strategy, f->model_a, f->model_b);
		if (ret)
			continue;
		ck_assert_msg(row->status == FPB_ROW_MEASURED && row->st.n > 0 &&
			      row->st.ci_lo <= row->st.median && row->st.median <= row->st.ci_hi,
			      "%s: %s minus %s: status %d, n %zu, median %g CI [%g, %g]",
			      f->strategy, f->model_a, f->model_b, row->status, row->st.n,
			      row->st.median, row->st.ci_lo, row->st.ci_hi);
	}
}
END_TEST

static Suite *insitu_suite(void)
{
	Suite *s = suite_create("insitu");
	TCase *core = tcase_create("core"), *run = tcase_create("run"), *skip = tcase_create("skip");

	tcase_add_checked_fixture(core, session_setup, session_teardown);
	tcase_add_test(core, test_clean_is_clean);
#if defined(__x86_64__)
	tcase_add_test(core, test_clean_keeps_mxcsr);
#endif
	tcase_add_test(core, test_pairs_replay);
	tcase_add_test(core, test_pairs_skipped_condition);
	suite_add_tcase(s, core);

	tcase_add_checked_fixture(run, session_setup, session_teardown);
	tcase_set_timeout(run, 60);
	tcase_add_test(run, test_context_switch);
	tcase_add_test(run, test_signal);
	suite_add_tcase(s, run);

	tcase_add_checked_fixture(skip, session_setup, session_teardown);
	tcase_set_timeout(skip, 30);
	tcase_add_test(skip, test_kvm);
	tcase_add_test(skip, test_kvm_open_missing);
	tcase_add_test(skip, test_kvm_pvm_path);
	tcase_add_test(skip, test_amx);
	tcase_add_test(skip, test_sve);
	tcase_add_test(skip, test_model);
	tcase_add_test(skip, test_model_noise);
	tcase_add_test(skip, test_predict);
	suite_add_tcase(s, skip);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(insitu_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
