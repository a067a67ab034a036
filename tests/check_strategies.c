// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check_strategies.c - the registry, option validation, the record backend's log, and the
 * primitive counts each design implies, per event, over the record backend.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include "strategies-testlib.h"
#include "kernel.h"
#include "xstate.h"
#include "harness.h"
#include "options.h"
#include "session.h"
#include "suite.h"

START_TEST(test_registry_check)
{
	const struct fpb_strategy *s = fpb_strategies[_i];
	char why[FPB_REASON_LEN];

	ck_assert_msg(!fpb_strategy_check(s, why, sizeof(why)), "%s: %s", s->name, why);
	ck_assert_ptr_eq(fpb_strategy_find(s->name), s);
	for (size_t j = 0; j < fpb_nr_strategies; j++)
		ck_assert_msg(j == (size_t)_i || strcmp(fpb_strategies[j]->name, s->name),
			      "duplicate strategy name %s", s->name);
}
END_TEST

START_TEST(test_validate)
{
	char why[2048];

	ck_assert_int_eq(fpb_strategy_validate("all", why, sizeof(why)), 0);
	ck_assert_int_eq(fpb_strategy_validate("swap", why, sizeof(why)), 0);
	ck_assert_int_eq(fpb_strategy_validate("bogus", why, sizeof(why)), -EINVAL);
	ck_assert_msg(strstr(why, "bogus") != NULL, "why does not name the bad value: %s", why);
	for (size_t i = 0; i < fpb_nr_strategies; i++)
		ck_assert_msg(strstr(why, fpb_strategies[i]->name), "'%s' not named in: %s",
			      fpb_strategies[i]->name, why);
	ck_assert_int_eq(fpb_strategy_validate_task_policy("lazy", why, sizeof(why)), 0);
	ck_assert_int_eq(fpb_strategy_validate_task_policy("swap", why, sizeof(why)), -EINVAL);
	ck_assert_int_eq(fpb_scenario_validate("kvm-run-10", why, sizeof(why)), 0);
	ck_assert_int_eq(fpb_scenario_validate("nope", why, sizeof(why)), -EINVAL);
	for (size_t i = 0; i < fpb_nr_scenarios; i++)
		ck_assert_msg(strstr(why, fpb_scenarios[i]->name), "'%s' not named in: %s",
			      fpb_scenarios[i]->name, why);
	ck_assert_msg(why[strlen(why) - 1] == ')', "the list is cut: %s", why);
	ck_assert_ptr_nonnull(strstr(why, "pingpong-dirty"));
}
END_TEST

START_TEST(test_record_logs_batch)
{
	const struct fpb_kernel k = { .name = "fake" };
	struct fpb_kctx ctx = { .rfbm = 0x7, .state = FPB_STATE_DIRTY,
				.buffer = { FPB_BUF_ROTATE, 2 } };
	const struct fpb_record_entry *log;
	struct fpb_backend be;
	struct fpb_sample out;
	struct fpb_cpu cpu;
	char why[128];
	size_t n;

	fpbt_cpu_synth(&cpu, false, false, false, false);
	ck_assert(!fpbt_open(&be, &fpb_backend_record, &cpu, why, sizeof(why)));
	ck_assert(!be.ops->prepare(&be, &k, &ctx, why, sizeof(why)));
	ck_assert_uint_eq(ctx.nbufs, 2);
	ck_assert(!be.ops->run_batch(&be, &k, &ctx, 1000, &out));
	ck_assert_int_ge(fpb_prim_save(&be, FPB_OP_XSAVE, ctx.bufs[0], 0x7), 0);
	log = fpb_record_log(&be, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(log[0].op, FPB_REC_BATCH);
	ck_assert_ptr_eq(log[0].kernel, &k);
	ck_assert_uint_eq(log[0].rfbm, 0x7);
	ck_assert_uint_eq(log[0].value, FPB_STATE_DIRTY);
	ck_assert_uint_eq(log[0].bytes, 1000);
	ck_assert_int_eq(log[1].op, FPB_REC_SAVE);
	ck_assert_ptr_eq(log[1].buf, ctx.bufs[0]);
	ck_assert_uint_eq(be.counts.save[FPB_OP_XSAVE], 1);
	be.ops->release(&be, &k, &ctx);
	fpbt_close(&be);
}
END_TEST

/* Counts over one cycle of scenario sc under (task, guest); the machine is left for inspection. */
struct run {
	struct fpb_cpu cpu;
	struct fpb_backend be;
	struct fpb_machine m;
	struct fpb_prim_counts before;
};

static void start(struct run *r, const char *task, const char *guest, const char *scn)
{
	const struct fpb_scenario *sc = fpb_scenario_find(scn);
	struct fpb_sim_event ev[1024];
	char why[FPB_REASON_LEN];
	size_t n;

	ck_assert_ptr_nonnull(sc);
	fpbt_cpu_synth(&r->cpu, true, false, true, false);
	ck_assert(!fpbt_open(&r->be, &fpb_backend_record, &r->cpu, why, sizeof(why)));
	ck_assert_msg(!fpb_machine_init(&r->m, &r->be, &r->cpu, fpb_strategy_find(task),
					guest ? fpb_strategy_find(guest) : NULL, &sc->cfg, why,
					sizeof(why)), "%s", why);
	r->m.check = true;
	n = sc->gen(sc, ev, 1024, false);
	ck_assert_msg(!fpb_machine_run(&r->m, ev, n, NULL), "%s", r->m.why);
	n = sc->gen(sc, ev, 1024, true);
	ck_assert_msg(!fpb_machine_run(&r->m, ev, n, NULL), "%s", r->m.why);	/* warm */
	r->before = r->be.counts;
}

static void cycle(struct run *r, const char *scn, struct fpb_prim_counts *d)
{
	const struct fpb_scenario *sc = fpb_scenario_find(scn);
	struct fpb_sim_event ev[1024];
	size_t n = sc->gen(sc, ev, 1024, true);

	r->before = r->be.counts;
	ck_assert_msg(!fpb_machine_run(&r->m, ev, n, NULL), "%s", r->m.why);
	d->copies = r->be.counts.copies - r->before.copies;
	d->bytes_copied = r->be.counts.bytes_copied - r->before.bytes_copied;
	d->pkru_writes = r->be.counts.pkru_writes - r->before.pkru_writes;
	d->save[0] = d->restore[0] = 0;
	for (int i = 0; i < FPB_NR_SAVE_OPS; i++)
		d->save[0] += r->be.counts.save[i] - r->before.save[i];
	for (int i = 0; i < FPB_NR_RESTORE_OPS; i++)
		d->restore[0] += r->be.counts.restore[i] - r->before.restore[i];
}

static void stop(struct run *r)
{
	fpb_machine_fini(&r->m);
	fpbt_close(&r->be);
}

START_TEST(test_swap_copies_nothing)
{
	static const char *const scn[] = { "kvm-run-1", "kvm-run-10", "kvm-run-100",
					   "kvm-run-10-xcr0", "kvm-exit-to-user",
					   "kvm-run-need-load", "kvm-put-pending",
					   "kvm-run-preempted" };

	for (size_t i = 0; i < sizeof(scn) / sizeof(scn[0]); i++) {
		struct fpb_prim_counts d;
		struct run r;

		start(&r, "eager-pkru", "swap", scn[i]);
		cycle(&r, scn[i], &d);
		ck_assert_msg(d.bytes_copied == 0, "swap / %s: copied %llu bytes, want 0", scn[i],
			      (unsigned long long)d.bytes_copied);
		stop(&r);
	}
}
END_TEST

/* copy3 copies one task-buffer size at vcpu load and at vcpu put exactly when need-load is set. */
START_TEST(test_copy3_memcpy_when_need_load)
{
	static const char *const scn[] = { "kvm-run-1", "kvm-run-need-load", "kvm-exit-to-user",
					   "kvm-put-pending" };

	for (size_t i = 0; i < sizeof(scn) / sizeof(scn[0]); i++) {
		const struct fpb_scenario *sc = fpb_scenario_find(scn[i]);
		struct fpb_sim_event ev[1024];
		unsigned loads = 0;
		struct run r;
		size_t n;

		start(&r, "eager-pkru", "copy3", scn[i]);
		n = sc->gen(sc, ev, 1024, true);
		for (size_t e = 0; e < n; e++) {
			struct fpb_sim_ctx *c = r.m.cpu[ev[e].cpu].curr;
			bool pending = c->need_load;
			uint64_t b0 = r.be.counts.bytes_copied;

			ck_assert_msg(!fpb_machine_step(&r.m, &ev[e]), "%s", r.m.why);
			/* vcpu_put copies too (into guest_fpu) when a load is still pending. */
			if (ev[e].type == FPB_EV_KVM_RUN_EXIT)
				ck_assert_msg(r.be.counts.bytes_copied - b0 ==
					      (pending ? c->task_fps.size : 0),
					      "copy3 / %s: vcpu put with need-load %s copied %llu "
					      "bytes", scn[i], pending ? "set" : "clear",
					      (unsigned long long)(r.be.counts.bytes_copied - b0));
			if (ev[e].type == FPB_EV_KVM_RUN_EXIT)
				ck_assert_msg(pending == !strcmp(scn[i], "kvm-put-pending"),
					      "%s: need-load %s at put", scn[i],
					      pending ? "set" : "clear");
			if (ev[e].type != FPB_EV_KVM_RUN_ENTER)
				continue;
			loads++;
			ck_assert_msg(r.be.counts.bytes_copied - b0 ==
				      (pending ? c->task_fps.size : 0),
				      "copy3 / %s: vcpu load with need-load %s copied %llu bytes, "
				      "want %zu", scn[i], pending ? "set" : "clear",
				      (unsigned long long)(r.be.counts.bytes_copied - b0),
				      pending ? c->task_fps.size : (size_t)0);
			if (!strcmp(scn[i], "kvm-run-need-load"))
				ck_assert_msg(pending, "kvm-run-need-load: need-load not set at load");
			else
				ck_assert_msg(!pending, "%s: need-load set at load", scn[i]);
		}
		ck_assert_uint_eq(loads, 1);
		stop(&r);
	}
}
END_TEST

START_TEST(test_lazy_kthread_restores_nothing)
{
	struct fpb_prim_counts d;
	struct run r;

	start(&r, "lazy", NULL, "kthread-interrupt");
	cycle(&r, "kthread-interrupt", &d);
	ck_assert_msg(d.restore[0] == 0, "lazy / kthread-interrupt: %llu restores, want 0",
		      (unsigned long long)d.restore[0]);
	ck_assert_msg(d.save[0] == 1, "lazy / kthread-interrupt: %llu saves, want 1",
		      (unsigned long long)d.save[0]);
	stop(&r);
	/* Pre-RFC eager: the kernel thread leaves the owner, fpu_want_lazy_restore() skips. */
	static const char *const scn[] = { "kthread-interrupt", "idle" };

	for (size_t i = 0; i < 2; i++) {
		start(&r, "eager", NULL, scn[i]);
		cycle(&r, scn[i], &d);
		ck_assert_msg(d.restore[0] == 0 && d.save[0] == 1,
			      "eager / %s: %llu saves, %llu restores, want 1 and 0", scn[i],
			      (unsigned long long)d.save[0], (unsigned long long)d.restore[0]);
		stop(&r);
	}
	start(&r, "eager-always", NULL, "kthread-interrupt");
	cycle(&r, "kthread-interrupt", &d);
	ck_assert_msg(d.restore[0] == 1 && d.save[0] == 1,
		      "eager-always / kthread-interrupt: %llu saves, %llu restores, want 1 and 1",
		      (unsigned long long)d.save[0], (unsigned long long)d.restore[0]);
	stop(&r);
	/* A switch between two user tasks restores in both. */
	start(&r, "eager", NULL, "pingpong-dirty");
	cycle(&r, "pingpong-dirty", &d);
	ck_assert_msg(d.restore[0] == 2 && d.save[0] == 2,
		      "eager / pingpong-dirty: %llu saves, %llu restores, want 2 and 2",
		      (unsigned long long)d.save[0], (unsigned long long)d.restore[0]);
	stop(&r);
}
END_TEST

/*
 * IA32_XFD per KVM_RUN on Sapphire Rapids (AMX, XFD): a guest running with the task's XFD (AMX
 * armed in both) costs no write in either guest policy; a guest with AMX disarmed costs two (in
 * at load, out at put), and the host task leaves with AMX armed again.
 */
START_TEST(test_xfd_writes_per_kvm_run)
{
	static const char *const guests[] = { "copy3", "swap" };
	const struct fpb_scenario *sc = fpb_scenario_find("kvm-run-1");
	char why[FPB_REASON_LEN];
	struct fpb_cpu cpu;

	ck_assert_msg(!fpbt_cpu_canned(&cpu, "intel-sapphire-rapids.txt", why, sizeof(why)), "%s",
		      why);
	ck_assert(fpb_cpu_has(&cpu, FPB_CPU_XFD));
	for (size_t g = 0; g < 2; g++)
		for (int armed = 1; armed >= 0; armed--) {
			struct fpb_machine_config cfg = sc->cfg;
			struct fpb_sim_event ev[256];
			struct fpb_backend be;
			struct fpb_machine m;
			uint64_t before;
			size_t n;

			cfg.guest_xfd_armed = armed;
			ck_assert(!fpbt_open(&be, &fpb_backend_record, &cpu, why, sizeof(why)));
			ck_assert_msg(!fpb_machine_init(&m, &be, &cpu, fpb_strategy_find("eager-pkru"),
							fpb_strategy_find(guests[g]), &cfg, why,
							sizeof(why)), "%s", why);
			ck_assert(m.has_xfd && m.xfd_dynamic);
			m.check = true;
			n = sc->gen(sc, ev, 256, false);
			ck_assert_msg(!fpb_machine_run(&m, ev, n, NULL), "%s", m.why);
			n = sc->gen(sc, ev, 256, true);
			ck_assert_msg(!fpb_machine_run(&m, ev, n, NULL), "%s", m.why);
			before = be.counts.xfd_writes;
			ck_assert_msg(!fpb_machine_run(&m, ev, n, NULL), "%s", m.why);
			ck_assert_msg(be.counts.xfd_writes - before == (armed ? 0u : 2u),
				      "%s / kvm-run-1, guest XFD %s: %llu IA32_XFD writes per KVM_RUN, "
				      "want %u", guests[g], armed ? "= the task's" : "0",
				      (unsigned long long)(be.counts.xfd_writes - before),
				      armed ? 0u : 2u);
			ck_assert_uint_eq(m.cpu[0].xfd, m.xfd_dynamic);
			fpb_machine_fini(&m);
			fpbt_close(&be);
		}
}
END_TEST

/*
 * A task's first use of AMX on Sapphire Rapids (record backend, checked): the task with
 * permission ends with its fpstate at the kernel's max size and XFD disarmed, the other one
 * (SIGILL) as it was; IA32_XFD is written at the first use and whenever the two alternate.
 */
START_TEST(test_amx_first_use)
{
	const struct fpb_scenario *sc = fpb_scenario_find("amx-first-use");
	char why[FPB_REASON_LEN];
	struct fpb_sim_event ev[256];
	struct fpb_backend be;
	struct fpb_machine m;
	struct fpb_cpu cpu;
	size_t n;

	ck_assert_ptr_nonnull(sc);
	ck_assert_msg(!fpbt_cpu_canned(&cpu, "intel-sapphire-rapids.txt", why, sizeof(why)), "%s",
		      why);
	ck_assert_uint_eq(cpu.xcr0, 0x602e7);	/* XCR0 with AMX, as the canned set gives it */
	ck_assert(!fpb_scenario_supported(sc, &cpu, why, sizeof(why)));
	for (size_t i = 0; i < fpb_nr_strategies; i++) {
		const struct fpb_strategy *s = fpb_strategies[i];

		if (s->family != FPB_FAMILY_TASK)
			continue;
		ck_assert(!fpbt_open(&be, &fpb_backend_record, &cpu, why, sizeof(why)));
		ck_assert_msg(!fpb_machine_init(&m, &be, &cpu, s, NULL, &sc->cfg, why, sizeof(why)),
			      "%s", why);
		m.check = true;
		n = sc->gen(sc, ev, 256, false);
		ck_assert_msg(!fpb_machine_run(&m, ev, n, NULL), "%s / amx-first-use: %s", s->name,
			      m.why);
		ck_assert(m.ctx[0].amx_enabled && !m.ctx[1].amx_enabled);
		ck_assert_uint_eq(m.ctx[0].task_fps.size,
				  fpb_fpstate_size(&cpu, m.fcfg.kernel.max_features, m.compacted));
		ck_assert_uint_gt(m.ctx[0].task_fps.size, m.ctx[1].task_fps.size);
		ck_assert_uint_eq(m.ctx[0].task_fps.xfd, 0);
		ck_assert_uint_eq(m.ctx[1].task_fps.xfd, m.xfd_dynamic);
		ck_assert_msg(be.counts.xfd_writes >= 3, "%s: %llu IA32_XFD writes, want >= 3",
			      s->name, (unsigned long long)be.counts.xfd_writes);
		fpb_machine_fini(&m);
		fpbt_close(&be);
	}
}
END_TEST

/*
 * Supervisor components are masked from saves and restores alike (XSAVES machines): on the
 * canned Sapphire Rapids and Zen 4 sets with CET_U in IA32_XSS, no save or restore of a
 * task or guest scenario has an RFBM bit outside the modelled components.
 */
START_TEST(test_supervisor_symmetric)
{
	static const char *const files[] = { "intel-sapphire-rapids.txt", "amd-zen4-genoa.txt" };
	static const char *const scn[] = { "pingpong-dirty", "signal", "kvm-run-1",
					   "kvm-get-set-xsave" };
	char why[FPB_REASON_LEN];

	for (size_t f = 0; f < 2; f++)
		for (size_t i = 0; i < 4; i++) {
			const struct fpb_scenario *sc = fpb_scenario_find(scn[i]);
			const struct fpb_record_entry *log;
			struct fpb_sim_event ev[256];
			struct fpb_backend be;
			struct fpb_machine m;
			struct fpb_cpu cpu;
			size_t n, nlog, moved = 0;

			ck_assert(!fpbt_cpu_canned(&cpu, files[f], why, sizeof(why)));
			cpu.xss = FPB_BIT(FPB_XF_CET_U) | FPB_BIT(FPB_XF_CET_S);
			cpu.xss_known = true;
			ck_assert(!fpbt_open(&be, &fpb_backend_record, &cpu, why, sizeof(why)));
			ck_assert_msg(!fpb_machine_init(&m, &be, &cpu,
							fpb_strategy_find("eager-pkru"),
							sc->family == FPB_FAMILY_GUEST ?
							fpb_strategy_find("swap") : NULL, &sc->cfg,
							why, sizeof(why)), "%s", why);
			m.check = true;
			n = sc->gen(sc, ev, 256, false);
			ck_assert_msg(!fpb_machine_run(&m, ev, n, NULL), "%s", m.why);
			n = sc->gen(sc, ev, 256, true);
			ck_assert_msg(!fpb_machine_run(&m, ev, n, NULL), "%s", m.why);
			log = fpb_record_log(&be, &nlog);
			for (size_t k = 0; k < nlog; k++) {
				if (log[k].op != FPB_REC_SAVE && log[k].op != FPB_REC_RESTORE)
					continue;
				moved++;
				ck_assert_msg(!(log[k].rfbm & ~m.lay.features),
					      "%s / %s: %s with RFBM 0x%llx beyond the modelled "
					      "0x%llx", files[f], scn[i],
					      log[k].op == FPB_REC_SAVE ? "save" : "restore",
					      (unsigned long long)log[k].rfbm,
					      (unsigned long long)m.lay.features);
			}
			ck_assert_uint_gt(moved, 0);
			fpb_machine_fini(&m);
			fpbt_close(&be);
		}
}
END_TEST

START_TEST(test_eager_pkru_writes)
{
	struct fpb_prim_counts d;
	struct run r;

	/* Two switches between tasks whose PKRU differs: one WRPKRU each. */
	start(&r, "eager-pkru", NULL, "user-access");
	cycle(&r, "user-access", &d);
	ck_assert_msg(d.pkru_writes == 2, "eager-pkru / user-access: %llu PKRU writes, want 2",
		      (unsigned long long)d.pkru_writes);
	stop(&r);
	/* Task 0 and the kernel thread share the default PKRU: no write. */
	start(&r, "eager-pkru", NULL, "kthread-interrupt");
	cycle(&r, "kthread-interrupt", &d);
	ck_assert_msg(d.pkru_writes == 0, "eager-pkru / kthread: %llu PKRU writes, want 0",
		      (unsigned long long)d.pkru_writes);
	stop(&r);
	/* lazy never writes PKRU by itself: it comes with XRSTOR. */
	start(&r, "lazy", NULL, "user-access");
	cycle(&r, "user-access", &d);
	ck_assert_uint_eq(d.pkru_writes, 0);
	stop(&r);
}
END_TEST

static int count_copy(void *arg, void *dst, const void *src, size_t n)
{
	*(size_t *)arg += n;
	memcpy(dst, src, n);
	return 0;
}

/*
 * The converter the machine uses (shared/xstate.c): components outside the destination's XCOMP_BV
 * or outside keep are dropped (init state), every byte moves through the callback, and the round
 * trip gives back the architectural state.
 */
START_TEST(test_convert_keep_and_count)
{
	const uint64_t xcomp = 0x27 | FPB_XCOMP_BV_COMPACTED;	/* x87 sse avx opmask */
	struct fpb_sim_layout lay;
	struct fpb_sim_image img = { .owner = 1, .gen = 3, .features = ~0ULL };
	struct fpb_cpu cpu;
	uint8_t *std = aligned_alloc(64, 4096), *cmp = aligned_alloc(64, 4096);
	uint8_t *back = aligned_alloc(64, 4096);
	char why[FPB_REASON_LEN] = "";
	size_t bytes = 0;

	ck_assert(std && cmp && back);
	fpbt_cpu_synth(&cpu, false, false, true, false);
	fpb_sim_layout_init(&lay, &cpu, cpu.xcr0);
	fpb_sim_image_write(&lay, std, &img);
	ck_assert_msg(!fpb_xstate_convert(&cpu, cmp, 4096, xcomp, std, ~0ULL, count_copy, &bytes,
					  why, sizeof(why)), "to compacted: %s", why);
	ck_assert_msg(fpb_xsave_hdr(cmp)->xstate_bv == 0x27, "XSTATE_BV expected 0x27, got 0x%llx",
		      (unsigned long long)fpb_xsave_hdr(cmp)->xstate_bv);
	ck_assert_uint_eq(bytes, 512 + 256 + 64);
	ck_assert_msg(!fpb_sim_state_compare(&lay, std, cmp, 0x27, why, sizeof(why)),
		      "compacted copy differs: %s", why);
	bytes = 0;
	ck_assert_msg(!fpb_xstate_convert(&cpu, back, 4096, 0, cmp, ~(uint64_t)FPB_BIT(FPB_XF_AVX),
					  count_copy, &bytes, why, sizeof(why)),
		      "to standard: %s", why);
	ck_assert_uint_eq(bytes, 512 + 64);
	ck_assert_msg(!fpb_sim_state_compare(&lay, std, back, 0x23, why, sizeof(why)),
		      "round trip differs: %s", why);
	ck_assert_msg(!(fpb_xsave_hdr(back)->xstate_bv & FPB_BIT(FPB_XF_AVX)),
		      "AVX kept although keep left it out");
	ck_assert_int_eq(fpb_xstate_convert(&cpu, back, 800, xcomp, std, ~0ULL, count_copy,
					    &bytes, why, sizeof(why)), -EINVAL);
	ck_assert_msg(strstr(why, "too small"), "why: %s", why);
	free(std);
	free(cmp);
	free(back);
}
END_TEST

/* A timer whose every batch lasts the same: N/2N differencing leaves 0 per op, noise only. */
static uint64_t flat_begin(struct fpb_timer *t)
{
	(void)t;
	return 0;
}

static uint64_t flat_end(struct fpb_timer *t, int *cpu)
{
	(void)t;
	*cpu = -1;
	return 1000000;
}

/* The x86 task policies a named task policy is measured beside (its family, from the registry). */
static size_t x86_task_policies(void)
{
	size_t n = 0;

	for (size_t i = 0; i < fpb_nr_strategies; i++)
		n += fpb_strategies[i]->family == FPB_FAMILY_TASK &&
		     !(fpb_strategies[i]->flags & (FPB_STRAT_TEST_ONLY | FPB_STRAT_ARCH_ARM64));
	return n;
}

/* Rows whose median is not above zero are flagged "below the noise floor", never fastest. */
START_TEST(test_noise_floor_not_fastest)
{
	struct fpb_timer flat = { .name = "flat", .unit = "ticks", .begin = flat_begin,
				  .end = flat_end };
	const struct fpb_suite *suite = fpb_suite_find("strategies");
	struct fpb_options *o = calloc(1, sizeof(*o));
	struct fpb_session s;
	struct fpb_result res;
	unsigned measured = 0;
	char why[FPB_REASON_LEN];

	/* The record backend, timed here by the flat timer. */
	struct fpb_backend_ops timed = fpb_backend_record;

	timed.flags |= FPB_BE_TIMES;
	ck_assert(o && suite);
	memset(&s, 0, sizeof(s));
	fpbt_cpu_synth(&s.cpu, false, false, false, false);
	ck_assert_msg(!fpbt_open(&s.backend, &timed, &s.cpu, why, sizeof(why)),
		      "record backend: %s", why);
	s.timer = &flat;
	fpb_result_init(&res);
	fpb_harness_default_opts(&o->h);
	o->h.time_budget_s = 0.3;
	o->strategies[0] = "lazy";
	o->strategies[1] = "eager";
	o->nstrategies = 2;
	o->scenarios[0] = "pingpong-dirty";
	o->nscenarios = 1;
	ck_assert_int_eq(suite->run(&s, o, &res), 0);
	for (size_t i = 0; i < res.nrows; i++) {
		const struct fpb_row *row = &res.rows[i];

		if (row->status != FPB_ROW_MEASURED)
			continue;
		measured++;
		ck_assert_msg(row->st.median <= 0, "%s: median expected <= 0, got %g", row->name,
			      row->st.median);
		ck_assert_msg(!(row->flags & FPB_ROW_FASTEST), "%s: marked fastest at %g",
			      row->name, row->st.median);
		ck_assert_msg(row->flags & FPB_ROW_UNSTABLE, "%s: not flagged unstable",
			      row->name);
		ck_assert_msg(!strncmp(row->note, "below the noise floor", 21),
			      "%s: note expected to start 'below the noise floor', got '%s'",
			      row->name, row->note);
		for (size_t k = 0; k < row->nmetrics; k++)
			ck_assert_msg(strcmp(row->metrics[k].name, "ratio_to_lowest"),
				      "%s: has a ratio to a fastest row", row->name);
	}
	/* lazy and eager bring their rivals of the task family (the family view). */
	ck_assert_uint_eq(measured, x86_task_policies());
	fpb_result_free(&res);
	fpbt_close(&s.backend);
	free(o);
}
END_TEST

/* A ring-0 backend's stand-in: n events cost 3 units each, 1 with the handlers off. */
static int fake_r0(struct fpb_backend *be, uint64_t n, uint64_t per, struct fpb_sample *out,
		   uint64_t *events)
{
	memset(out, 0, sizeof(*out));
	out->t = n * per;
	out->cpu = -1;
	*events = n;
	be->counts.save[FPB_OP_XSAVE] += n;
	return 0;
}

static int fake_r0_full(struct fpb_backend *be, const char *st, const char *sc, uint64_t n,
			struct fpb_sample *out, uint64_t *events, char *why, size_t len)
{
	(void)st;
	(void)sc;
	(void)why;
	(void)len;
	return fake_r0(be, n, 3, out, events);
}

static int fake_r0_prep(struct fpb_backend *be, const char *st, const char *sc, uint64_t n,
			struct fpb_sample *out, uint64_t *events, char *why, size_t len)
{
	(void)st;
	(void)sc;
	(void)why;
	(void)len;
	return fake_r0(be, n, 1, out, events);
}

/* A backend with run_strategy: rows come from it, minus its companion, with its counts. */
START_TEST(test_ring0_rows)
{
	struct fpb_timer flat = { .name = "flat", .unit = "ticks", .begin = flat_begin,
				  .end = flat_end };
	const struct fpb_suite *suite = fpb_suite_find("strategies");
	const struct fpb_scenario *sc = fpb_scenario_find("pingpong-dirty");
	struct fpb_options *o = calloc(1, sizeof(*o));
	struct fpb_backend_ops r0 = fpb_backend_record;
	struct fpb_sim_event ev[512];
	struct fpb_session s;
	struct fpb_result res;
	unsigned measured = 0;
	char why[FPB_REASON_LEN];
	double per_event;

	ck_assert(o && suite && sc);
	per_event = (double)sc->gen(sc, ev, 512, true) / sc->events_per_cycle;
	r0.flags |= FPB_BE_TIMES | FPB_BE_RING0;
	r0.run_strategy = fake_r0_full;
	r0.run_strategy_prep = fake_r0_prep;
	memset(&s, 0, sizeof(s));
	fpbt_cpu_synth(&s.cpu, false, false, false, false);
	ck_assert_msg(!fpbt_open(&s.backend, &r0, &s.cpu, why, sizeof(why)),
		      "record backend: %s", why);
	s.timer = &flat;
	fpb_result_init(&res);
	fpb_harness_default_opts(&o->h);
	o->h.time_budget_s = 0.2;
	o->strategies[0] = "eager";
	o->strategies[1] = "lazy";
	o->nstrategies = 2;
	o->scenarios[0] = "pingpong-dirty";
	o->nscenarios = 1;
	ck_assert_int_eq(suite->run(&s, o, &res), 0);
	for (size_t i = 0; i < res.nrows; i++) {
		const struct fpb_row *row = &res.rows[i];
		bool saves = false;

		ck_assert_msg(row->status == FPB_ROW_MEASURED, "%s: expected measured, got %d (%s)",
			      row->name, row->status, row->reason);
		measured++;
		ck_assert_msg(row->st.median > 1.99 * per_event && row->st.median < 2.01 * per_event,
			      "%s: median expected %g (3 - 1 units per cycle event), got %g",
			      row->name, 2 * per_event, row->st.median);
		for (size_t k = 0; k < row->nmetrics; k++)
			if (!strcmp(row->metrics[k].name, "saves")) {
				saves = true;
				ck_assert_msg(row->metrics[k].value > 0.99 * per_event &&
					      row->metrics[k].value < 1.01 * per_event,
					      "%s: saves/event expected %g, got %g", row->name,
					      per_event, row->metrics[k].value);
			}
		ck_assert_msg(saves, "%s: no saves metric", row->name);
		ck_assert_msg(strstr(row->note, "ring 0"), "%s: note expected 'ring 0', got '%s'",
			      row->name, row->note);
	}
	ck_assert_uint_eq(measured, x86_task_policies());	/* eager, lazy and their rivals */
	fpb_result_free(&res);
	fpbt_close(&s.backend);
	free(o);
}
END_TEST

static Suite *strategies_suite(void)
{
	Suite *s = suite_create("strategies");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_registry_check, 0, (int)fpb_nr_strategies);
	tcase_add_test(tc, test_validate);
	tcase_add_test(tc, test_record_logs_batch);
	tcase_add_test(tc, test_noise_floor_not_fastest);
	tcase_add_test(tc, test_ring0_rows);
	tcase_add_test(tc, test_convert_keep_and_count);
	suite_add_tcase(s, tc);
	tc = tcase_create("counts");
	tcase_add_test(tc, test_swap_copies_nothing);
	tcase_add_test(tc, test_copy3_memcpy_when_need_load);
	tcase_add_test(tc, test_lazy_kthread_restores_nothing);
	tcase_add_test(tc, test_eager_pkru_writes);
	tcase_add_test(tc, test_xfd_writes_per_kvm_run);
	tcase_add_test(tc, test_amx_first_use);
	tcase_add_test(tc, test_supervisor_symmetric);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(strategies_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
