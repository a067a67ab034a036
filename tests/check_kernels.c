// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check_kernels.c - every registered kernel through the user backend, the condition vocabulary,
 * the probe and the backend primitives.
 *
 * A fake timer stands in for the TSC: the tests check behaviour (flags, buffers, rotation, skip
 * reasons, XINUSE checks), never timing.
 */
#include "config.h"
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend.h"
#include "cpu.h"
#include "kernel.h"
#include "probe.h"
#include "timer.h"
#include "xstate.h"
#include "x86-asm.h"

extern const struct fpb_backend_ops fpb_backend_user;

static struct fpb_cpu cpu;
static uint64_t fake_now;

static uint64_t fake_begin(struct fpb_timer *t)
{
	return fake_now;
}

static uint64_t fake_end(struct fpb_timer *t, int *c)
{
	fake_now += 1000;
	*c = -1;
	return fake_now;
}

static struct fpb_timer fake_timer = {
	.name = "fake", .unit = "ticks", .begin = fake_begin, .end = fake_end,
};

static struct fpb_backend be;

static void be_setup(void)
{
	char why[FPB_REASON_LEN] = "";

	memset(&be, 0, sizeof(be));
	be.ops = &fpb_backend_user;
	be.cpu = &cpu;
	be.timer = &fake_timer;
	be.numa_node = -1;
	ck_assert_msg(be.ops->probe(&cpu, why, sizeof(why)) == 0, "user probe: %s", why);
	ck_assert_msg(be.ops->open(&be, why, sizeof(why)) == 0, "user open: %s", why);
}

static void be_teardown(void)
{
	be.ops->close(&be);
}

static void ctx_init(struct fpb_kctx *ctx, enum fpb_state st, const char *buffer)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->cpu = &cpu;
	ctx->rfbm = cpu.xcr0;
	ctx->state = st;
	ck_assert_msg(fpb_buffer_parse(buffer, &ctx->buffer) == 0, "buffer spec %s rejected",
		      buffer);
}

/* ---- core: every kernel runs or says why not ---- */

START_TEST(test_every_kernel)
{
	const struct fpb_kernel *k = fpb_kernels[_i];
	char why[FPB_REASON_LEN] = "";
	unsigned nstates = (k->flags & FPB_K_USES_STATE) ? FPB_NR_STATES : 1;

	ck_assert_msg(k->name && k->name[0], "kernel %d has no name", _i);
	ck_assert_msg(k->desc && k->desc[0], "%s: no description", k->name);
	ck_assert_msg(k->body || k->unimplemented_reason || (k->flags & FPB_K_RING0),
		      "%s: no body, not ring 0 and no reason", k->name);
	if (k->flags & FPB_K_USES_BUFFER)
		ck_assert_msg(k->flags & (FPB_K_SAVE | FPB_K_RESTORE),
			      "%s: uses a buffer but neither saves nor restores", k->name);
	/* A per-op companion belongs to a prepared state, or to a fixed per-op condition of a save. */
	if (k->flags & FPB_K_PER_OP_PREP)
		ck_assert_msg(k->flags & (FPB_K_USES_STATE | FPB_K_SAVE),
			      "%s: per-op prep without a state", k->name);
	for (size_t j = 0; j < fpb_nr_kernels; j++)
		if ((int)j != _i)
			ck_assert_msg(strcmp(k->name, fpb_kernels[j]->name),
				      "kernel name %s registered twice", k->name);

	if (be.ops->kernel_supported(&be, k, why, sizeof(why))) {
		/* The reason is plain: the row's status says "skipped", the writers the word. */
		ck_assert_msg(why[0] && strncmp(why, "skipped", 7),
			      "%s: unsupported without a plain reason (got '%s')", k->name, why);
		printf("kernels: %s %s\n", k->name, why);
		return;
	}
	for (unsigned s = 0; s < nstates; s++) {
		struct fpb_kctx ctx;
		struct fpb_sample smp;
		int ret;

		ctx_init(&ctx, (enum fpb_state)s, "same");
		why[0] = '\0';
		ret = be.ops->prepare(&be, k, &ctx, why, sizeof(why));
		if (ret) {
			ck_assert_msg(why[0], "%s/%s: prepare failed without a reason", k->name,
				      fpb_state_name(ctx.state));
			printf("kernels: %s/%s %s\n", k->name, fpb_state_name(ctx.state), why);
			continue;
		}
		if (k->flags & FPB_K_USES_BUFFER) {
			ck_assert_msg(ctx.nbufs == 1, "%s: same buffer: want 1 buffer, got %u",
				      k->name, ctx.nbufs);
			ck_assert_msg(ctx.buf_size >= cpu.xsave_size_xcr0 && ctx.buf_size >= 576,
				      "%s: buffer of %zu bytes, XCR0 needs %u", k->name,
				      ctx.buf_size, cpu.xsave_size_xcr0);
		}
		for (int b = 0; b < 3; b++) {
			ret = be.ops->run_batch(&be, k, &ctx, 16, &smp);
			ck_assert_msg(ret == 0, "%s/%s: run_batch returned %d", k->name,
				      fpb_state_name(ctx.state), ret);
			ck_assert_msg(smp.t == 1000, "%s: fake timer gave %llu, want 1000",
				      k->name, (unsigned long long)smp.t);
			ck_assert_msg(!(smp.flags & (FPB_SAMPLE_FAULT | FPB_SAMPLE_STATE_MISMATCH)),
				      "%s/%s: sample flags 0x%x (XINUSE before 0x%llx after 0x%llx,"
				      " check 0x%llx, expect 0x%llx)", k->name,
				      fpb_state_name(ctx.state), smp.flags,
				      (unsigned long long)ctx.xinuse_before,
				      (unsigned long long)ctx.xinuse_after,
				      (unsigned long long)ctx.xinuse_check_mask,
				      (unsigned long long)ctx.xinuse_expect);
		}
		if (k->flags & FPB_K_PER_OP_PREP) {
			ctx.prep_only = true;
			ck_assert_int_eq(be.ops->run_batch(&be, k, &ctx, 16, &smp), 0);
			ctx.prep_only = false;
		}
		if ((k->flags & FPB_K_USES_STATE) && (k->flags & FPB_K_USES_BUFFER))
			ck_assert_msg(ctx.note[0], "%s/%s: no note describing the condition",
				      k->name, fpb_state_name(ctx.state));
		if (ctx.note[0])
			printf("kernels: %s/%s: %s\n", k->name, fpb_state_name(ctx.state),
			       ctx.note);
		be.ops->release(&be, k, &ctx);
		ck_assert_msg(ctx.nbufs == 0, "%s: release left %u buffers", k->name, ctx.nbufs);
	}
}
END_TEST

/* XINUSE bits follow the condition for the AVX/AVX-512 components. */
START_TEST(test_xinuse_follows_state)
{
	const struct fpb_kernel *k = fpb_kernel_find("xsave");
	char why[FPB_REASON_LEN] = "";
	struct fpb_kctx ctx;
	struct fpb_sample smp;

	ck_assert_ptr_nonnull(k);
	if (be.ops->kernel_supported(&be, k, why, sizeof(why)) || !fpb_cpu_has(&cpu, FPB_CPU_XGETBV1)
	    || !(cpu.xcr0 & FPB_BIT(FPB_XF_AVX)))
		return;
	ctx_init(&ctx, FPB_STATE_INIT, "same");
	ck_assert_int_eq(be.ops->prepare(&be, k, &ctx, why, sizeof(why)), 0);
	ck_assert_int_eq(be.ops->run_batch(&be, k, &ctx, 4, &smp), 0);
	ck_assert_msg(ctx.xinuse_valid, "xsave/init: XINUSE not read");
	ck_assert_msg(!(ctx.xinuse_before & FPB_BIT(FPB_XF_AVX)),
		      "xsave/init: AVX in use after the init XRSTOR (XINUSE 0x%llx)",
		      (unsigned long long)ctx.xinuse_before);
	be.ops->release(&be, k, &ctx);

	ctx_init(&ctx, FPB_STATE_DIRTY, "same");
	ck_assert_int_eq(be.ops->prepare(&be, k, &ctx, why, sizeof(why)), 0);
	ck_assert_int_eq(be.ops->run_batch(&be, k, &ctx, 4, &smp), 0);
	ck_assert_msg(ctx.xinuse_before & FPB_BIT(FPB_XF_AVX),
		      "xsave/dirty: AVX not in use after writing ymm uppers (XINUSE 0x%llx)",
		      (unsigned long long)ctx.xinuse_before);
	ck_assert_msg((fpb_xsave_hdr(ctx.bufs[0])->xstate_bv & ctx.xinuse_check_mask) ==
		      ctx.xinuse_check_mask, "xsave/dirty: XSTATE_BV 0x%llx lacks 0x%llx",
		      (unsigned long long)fpb_xsave_hdr(ctx.bufs[0])->xstate_bv,
		      (unsigned long long)ctx.xinuse_check_mask);
	be.ops->release(&be, k, &ctx);
}
END_TEST

/* The observation of XSAVEOPT's modified optimisation is a verdict, never silence. */
START_TEST(test_xsaveopt_observation)
{
	const struct fpb_kernel *k = fpb_kernel_find("xsaveopt");
	char why[FPB_REASON_LEN] = "", out[FPB_REASON_LEN] = "";
	static unsigned char buf[16384] __attribute__((aligned(64)));
	struct fpb_kctx ctx;
	int r;

	ck_assert_ptr_nonnull(k);
	if (!fpb_cpu_has(&cpu, FPB_CPU_XSAVEOPT)) {
		r = fpb_x86_xsaveopt_observe(&cpu, buf, sizeof(buf), cpu.xcr0, out, sizeof(out));
		ck_assert_msg(r == -1 && out[0], "no XSAVEOPT: want -1 and a reason, got %d '%s'",
			      r, out);
		return;
	}
	r = fpb_x86_xsaveopt_observe(&cpu, buf, sizeof(buf), cpu.xcr0, out, sizeof(out));
	ck_assert_msg((r == 1 && strstr(out, "observed") && !strstr(out, "not observed")) ||
		      (r == 0 && strstr(out, "not observed")),
		      "xsaveopt observation: got %d '%s'", r, out);
	printf("kernels: xsaveopt %s\n", out);

	ctx_init(&ctx, FPB_STATE_UNMODIFIED, "same");
	ck_assert_int_eq(be.ops->prepare(&be, k, &ctx, why, sizeof(why)), 0);
	ck_assert_msg(strstr(ctx.note, "observed"), "xsaveopt note lacks the observation: '%s'",
		      ctx.note);
	be.ops->release(&be, k, &ctx);
}
END_TEST

/* ---- buffers ---- */

START_TEST(test_rotate_buffers)
{
	const struct fpb_kernel *k = fpb_kernel_find("xsave");
	char why[FPB_REASON_LEN] = "";
	struct fpb_kctx ctx;
	struct fpb_sample smp;
	unsigned cur0;

	if (be.ops->kernel_supported(&be, k, why, sizeof(why)))
		return;
	ctx_init(&ctx, FPB_STATE_DIRTY, "rotate:5");
	ck_assert_int_eq(be.ops->prepare(&be, k, &ctx, why, sizeof(why)), 0);
	cur0 = ctx.cur;		/* prepare may have run a trial op */
	ck_assert_msg(ctx.nbufs == 5, "rotate:5: want 5 buffers, got %u", ctx.nbufs);
	for (unsigned i = 0; i < ctx.nbufs; i++) {
		ck_assert_msg(ctx.bufs[i] && !((uintptr_t)ctx.bufs[i] & 63),
			      "rotate:5: buffer %u at %p not 64-byte aligned", i, ctx.bufs[i]);
		for (unsigned j = 0; j < i; j++)
			ck_assert_msg(ctx.bufs[i] != ctx.bufs[j], "buffers %u and %u are one", i, j);
	}
	ck_assert_int_eq(be.ops->run_batch(&be, k, &ctx, 7, &smp), 0);
	ck_assert_msg(ctx.cur == (cur0 + 7) % 5, "rotate:5 after 7 ops from %u: cursor want %u, "
		      "got %u", cur0, (cur0 + 7) % 5, ctx.cur);
	ck_assert_int_eq(be.ops->run_batch(&be, k, &ctx, 4, &smp), 0);
	ck_assert_msg(ctx.cur == (cur0 + 11) % 5, "rotate:5 after 11 ops from %u: cursor want "
		      "%u, got %u", cur0, (cur0 + 11) % 5, ctx.cur);
	/* every buffer was written by XSAVE: a valid standard header */
	for (unsigned i = 0; i < ctx.nbufs; i++)
		ck_assert_msg(fpb_xsave_hdr(ctx.bufs[i])->xcomp_bv == 0,
			      "buffer %u: XCOMP_BV 0x%llx after XSAVE", i,
			      (unsigned long long)fpb_xsave_hdr(ctx.bufs[i])->xcomp_bv);
	be.ops->release(&be, k, &ctx);

	ctx_init(&ctx, FPB_STATE_DIRTY, "cold");
	ck_assert_int_eq(be.ops->prepare(&be, k, &ctx, why, sizeof(why)), 0);
	ck_assert_msg(ctx.nbufs == FPB_KCTX_MAX_BUFS, "cold: want %d buffers in rotation, got %u",
		      FPB_KCTX_MAX_BUFS, ctx.nbufs);
	ck_assert_int_eq(be.ops->run_batch(&be, k, &ctx, 3, &smp), 0);
	be.ops->release(&be, k, &ctx);

	ctx_init(&ctx, FPB_STATE_DIRTY, "rotate:64");
	ck_assert_int_eq(be.ops->prepare(&be, k, &ctx, why, sizeof(why)), 0);
	ck_assert_msg(ctx.nbufs == 64, "rotate:64: want 64 buffers, got %u", ctx.nbufs);
	be.ops->release(&be, k, &ctx);
}
END_TEST

/* The compacted restore kernel restores from a buffer in the compacted format. */
START_TEST(test_compacted_image)
{
	const struct fpb_kernel *k = fpb_kernel_find("xrstor-compacted");
	char why[FPB_REASON_LEN] = "";
	struct fpb_kctx ctx;

	ck_assert_ptr_nonnull(k);
	if (be.ops->kernel_supported(&be, k, why, sizeof(why)))
		return;
	ctx_init(&ctx, FPB_STATE_DIRTY, "same");
	ck_assert_int_eq(be.ops->prepare(&be, k, &ctx, why, sizeof(why)), 0);
	ck_assert_msg(fpb_xsave_hdr(ctx.bufs[0])->xcomp_bv >> 63,
		      "xrstor-compacted: image XCOMP_BV 0x%llx lacks bit 63",
		      (unsigned long long)fpb_xsave_hdr(ctx.bufs[0])->xcomp_bv);
	be.ops->release(&be, k, &ctx);
}
END_TEST

START_TEST(test_buffer_specs)
{
	static const char *const bad[] = {
		"", "rotate", "rotate:", "rotate:0", "rotate:65", "rotate:-1", "rotate:3x",
		"rotate: 3", "rotate:99999999999999999999", "Same", "cold:2", "hot", "same ",
	};
	static const char *const good[] = { "same", "cold", "rotate:1", "rotate:4", "rotate:64" };
	struct fpb_buffer_spec b = { FPB_BUF_SAME, 1 };
	char name[32];

	for (size_t i = 0; i < FPB_ARRAY_SIZE(bad); i++)
		ck_assert_msg(fpb_buffer_parse(bad[i], &b) == -EINVAL,
			      "buffer spec '%s' accepted", bad[i]);
	ck_assert_int_eq(fpb_buffer_parse(NULL, &b), -EINVAL);
	for (size_t i = 0; i < FPB_ARRAY_SIZE(good); i++) {
		ck_assert_msg(fpb_buffer_parse(good[i], &b) == 0, "'%s' rejected", good[i]);
		fpb_buffer_name(&b, name, sizeof(name));
		ck_assert_msg(!strcmp(name, good[i]), "'%s' named back as '%s'", good[i], name);
	}
	ck_assert_int_eq(fpb_buffer_parse("rotate:7", &b), 0);
	ck_assert_int_eq(b.mode, FPB_BUF_ROTATE);
	ck_assert_uint_eq(b.k, 7);
}
END_TEST

START_TEST(test_state_names)
{
	enum fpb_state s;

	for (unsigned i = 0; i < FPB_NR_STATES; i++) {
		ck_assert_int_eq(fpb_state_parse(fpb_state_name((enum fpb_state)i), &s), 0);
		ck_assert_int_eq(s, (int)i);
	}
	ck_assert_str_eq(fpb_state_name(FPB_STATE_UNMODIFIED), "unmodified");
	ck_assert_int_eq(fpb_state_parse("clean", &s), -EINVAL);
	ck_assert_int_eq(fpb_state_parse("", &s), -EINVAL);
	ck_assert_int_eq(fpb_state_parse(NULL, &s), -EINVAL);
	ck_assert_str_eq(fpb_state_name((enum fpb_state)99), "?");
}
END_TEST

/* ---- skip: reasons instead of crashes ---- */

static void probe_noop(void *arg)
{
	(*(int *)arg)++;
}

/*
 * No condition creates the SSE/AVX transition: a dirty condition writes xmm0-15 with VEX
 * encodings wherever the CPU has AVX (and legacy ones only where VEX would not run), and the
 * transition kernel's own legacy writes are not a condition of any other kernel.
 */
START_TEST(test_no_transition_in_conditions)
{
	struct fpb_cpu c = cpu;
	struct fpb_x86_args a;
	struct fpb_kctx ctx;
	void *buf = aligned_alloc(64, 4096);

	ck_assert_ptr_nonnull(buf);
	memset(&ctx, 0, sizeof(ctx));
	ctx.cpu = &c;
	ctx.rfbm = FPB_BIT(FPB_XF_X87) | FPB_BIT(FPB_XF_SSE) | FPB_BIT(FPB_XF_AVX);
	ctx.state = FPB_STATE_DIRTY;
	ctx.bufs[0] = buf;
	ctx.nbufs = 1;
	c.xcr0 = 0x7;
	c.features |= FPB_BIT(FPB_CPU_AVX);
	fpb_x86_args_fill(&a, &ctx, 1, FPB_K_USES_MASK | FPB_K_SAVE);
	ck_assert_msg((a.dsel & FPB_X86_DIRTY_VEX_XMM) && (a.dsel & FPB_BIT(FPB_XF_SSE)),
		      "AVX CPU: dirty selection 0x%llx lacks the VEX encoding",
		      (unsigned long long)a.dsel);
	c.features &= ~FPB_BIT(FPB_CPU_AVX);
	c.xcr0 = 0x3;
	fpb_x86_args_fill(&a, &ctx, 1, FPB_K_USES_MASK | FPB_K_SAVE);
	ck_assert_msg(!(a.dsel & FPB_X86_DIRTY_VEX_XMM) && (a.dsel & FPB_BIT(FPB_XF_SSE)),
		      "no AVX: dirty selection 0x%llx must use legacy encodings",
		      (unsigned long long)a.dsel);
	ck_assert_msg(fpb_kernel_find("sse-avx-transition") &&
		      strstr(fpb_kernel_find("sse-avx-transition")->desc, "transition"),
		      "the transition is measured by a kernel of its own");
	free(buf);
}
END_TEST

START_TEST(test_probe)
{
	char why[FPB_REASON_LEN] = "";
	struct sigaction before, after;
	int r, ran = 0;

	sigaction(SIGSEGV, NULL, &before);
	r = fpb_probe_insn(FPB_PROBE_XSAVES, why, sizeof(why));
	ck_assert_msg(r == SIGSEGV || r == SIGILL, "xsaves in user mode: want SIGSEGV (#GP) or "
		      "SIGILL, got %d (%s)", r, why);
	if (fpb_cpu_has(&cpu, FPB_CPU_XSAVES))
		ck_assert_msg(r == SIGSEGV && strstr(why, "SIGSEGV") && strstr(why, "#GP"),
			      "xsaves: want a #GP reason, got '%s'", why);
	ck_assert_msg(strstr(why, "xsaves"), "reason does not name the instruction: '%s'", why);
	printf("kernels: probe: %s\n", why);
	sigaction(SIGSEGV, NULL, &after);
	ck_assert_msg(before.sa_handler == after.sa_handler, "SIGSEGV handler not restored");

	r = fpb_probe_insn(FPB_PROBE_XRSTORS, why, sizeof(why));
	ck_assert_msg(r == SIGSEGV || r == SIGILL, "xrstors in user mode: got %d", r);
	r = fpb_probe_insn(FPB_PROBE_UD2, why, sizeof(why));
	ck_assert_msg(r == SIGILL && strstr(why, "SIGILL"), "ud2: want SIGILL, got %d '%s'", r,
		      why);
	r = fpb_probe_insn(FPB_PROBE_XSAVE, why, sizeof(why));
	ck_assert_msg(r == 0 || !fpb_cpu_has(&cpu, FPB_CPU_OSXSAVE), "xsave faulted: %s", why);
	ck_assert_int_eq(fpb_probe_run(probe_noop, &ran, "noop", why, sizeof(why)), 0);
	ck_assert_int_eq(ran, 1);
}
END_TEST

START_TEST(test_ring0_and_arch_skips)
{
	static const struct fpb_kernel ring0 = {
		.name = "xsaves", .desc = "test", .flags = FPB_K_ARCH_X86 | FPB_K_RING0,
	};
	static const struct fpb_kernel arm = {
		.name = "sve", .desc = "test", .flags = FPB_K_ARCH_ARM64,
	};
	static const struct fpb_kernel unimpl = {
		.name = "x", .desc = "test", .unimplemented_reason = "built without x",
	};
	char why[FPB_REASON_LEN] = "";

	ck_assert_int_eq(be.ops->kernel_supported(&be, &ring0, why, sizeof(why)), -1);
	ck_assert_msg(!strncmp(why, "needs ring 0", 12) && strstr(why, "--backend=kmod"),
		      "ring-0 kernel: got '%s'", why);
	ck_assert_int_eq(be.ops->kernel_supported(&be, &arm, why, sizeof(why)), -1);
	ck_assert_msg(!strstr(why, "skipped") && strstr(why, "arm64"), "arm64 kernel: '%s'", why);
	ck_assert_int_eq(be.ops->kernel_supported(&be, &unimpl, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "built without x"), "unimplemented: '%s'", why);
}
END_TEST

/* ---- primitives ---- */

START_TEST(test_primitives)
{
	static unsigned char a[16384] __attribute__((aligned(64)));
	static unsigned char b[16384] __attribute__((aligned(64)));
	uint64_t rfbm = cpu.xcr0;
	uint32_t pkru = 0;
	int r;

	if (!fpb_cpu_has(&cpu, FPB_CPU_OSXSAVE))
		return;
	memset(a, 0, sizeof(a));
	ck_assert_int_eq(fpb_prim_save(&be, FPB_OP_XSAVE, a, rfbm), FPB_PRIM_DONE);
	ck_assert_int_eq(fpb_prim_restore(&be, FPB_OP_XRSTOR, a, rfbm), FPB_PRIM_DONE);
	ck_assert_int_eq(fpb_prim_save(&be, FPB_OP_FXSAVE, a, 0), FPB_PRIM_DONE);
	ck_assert_int_eq(fpb_prim_restore(&be, FPB_OP_FXRSTOR, a, 0), FPB_PRIM_DONE);
	r = fpb_prim_save(&be, FPB_OP_XSAVES, b, rfbm);
	if (fpb_cpu_has(&cpu, FPB_CPU_XSAVEC)) {
		ck_assert_msg(r == FPB_PRIM_STANDIN, "xsaves: want a stand-in, got %d", r);
		ck_assert_msg(fpb_xsave_hdr(b)->xcomp_bv >> 63, "xsaves stand-in not compacted");
		ck_assert_int_eq(fpb_prim_restore(&be, FPB_OP_XRSTORS, b, rfbm), FPB_PRIM_STANDIN);
		/* XRSTORS of a standard-format buffer is refused, not executed */
		ck_assert_int_eq(fpb_prim_restore(&be, FPB_OP_XRSTORS, a, rfbm), -EINVAL);
	} else {
		ck_assert_int_eq(r, -EOPNOTSUPP);
	}
	ck_assert_int_eq(fpb_prim_xsetbv(&be, 0, cpu.xcr0), FPB_PRIM_COUNTED);
	ck_assert_int_eq(fpb_prim_write_xfd(&be, 0), FPB_PRIM_COUNTED);
	ck_assert_int_eq(fpb_prim_write_xss(&be, 0), FPB_PRIM_COUNTED);
	ck_assert_int_eq(fpb_prim_copy(&be, b, a, 1024), FPB_PRIM_DONE);
	ck_assert_int_eq(memcmp(a, b, 1024), 0);
	if (fpb_cpu_has(&cpu, FPB_CPU_OSPKE)) {
		ck_assert_int_eq(fpb_prim_rdpkru(&be, &pkru), FPB_PRIM_DONE);
		ck_assert_int_eq(fpb_prim_wrpkru(&be, pkru), FPB_PRIM_DONE);
	} else {
		ck_assert_int_eq(fpb_prim_rdpkru(&be, &pkru), -EOPNOTSUPP);
		ck_assert_int_eq(fpb_prim_wrpkru(&be, 0x55555554), FPB_PRIM_COUNTED);
	}

	/* Buffers that would fault are refused. */
	ck_assert_int_eq(fpb_prim_save(&be, FPB_OP_XSAVE, a + 8, rfbm), -EINVAL);
	ck_assert_int_eq(fpb_prim_restore(&be, FPB_OP_XRSTOR, a + 16, rfbm), -EINVAL);
	fpb_prim_save(&be, FPB_OP_XSAVE, a, rfbm);
	fpb_xsave_hdr(a)->reserved[2] = 1;
	ck_assert_int_eq(fpb_prim_restore(&be, FPB_OP_XRSTOR, a, rfbm), -EINVAL);
	fpb_xsave_hdr(a)->reserved[2] = 0;
	fpb_xsave_hdr(a)->xstate_bv |= FPB_BIT(62);
	ck_assert_int_eq(fpb_prim_restore(&be, FPB_OP_XRSTOR, a, rfbm), -EINVAL);
	fpb_xsave_hdr(a)->xstate_bv &= ~FPB_BIT(62);
	a[FPB_MXCSR_OFFSET + 2] = 0xff;		/* reserved MXCSR bits */
	ck_assert_int_eq(fpb_prim_restore(&be, FPB_OP_XRSTOR, a, rfbm), -EINVAL);
	ck_assert_int_eq(fpb_prim_restore(&be, FPB_OP_FXRSTOR, a, rfbm), -EINVAL);
	a[FPB_MXCSR_OFFSET + 2] = 0;
	ck_assert_int_eq(fpb_prim_restore(&be, FPB_OP_XRSTOR, a, rfbm), FPB_PRIM_DONE);
	ck_assert_msg(be.counts.standins >= (fpb_cpu_has(&cpu, FPB_CPU_XSAVEC) ? 2u : 0u),
		      "stand-ins not counted: %llu", (unsigned long long)be.counts.standins);
}
END_TEST

static Suite *kernels_suite(void)
{
	Suite *s = suite_create("kernels");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, be_setup, be_teardown);
	tcase_add_loop_test(tc, test_every_kernel, 0, (int)fpb_nr_kernels);
	tcase_add_test(tc, test_xinuse_follows_state);
	tcase_add_test(tc, test_xsaveopt_observation);
	tcase_add_test(tc, test_rotate_buffers);
	tcase_add_test(tc, test_compacted_image);
	tcase_add_test(tc, test_primitives);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_test(tc, test_buffer_specs);
	tcase_add_test(tc, test_no_transition_in_conditions);
	tcase_add_test(tc, test_state_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("skip");
	tcase_add_checked_fixture(tc, be_setup, be_teardown);
	tcase_add_test(tc, test_probe);
	tcase_add_test(tc, test_ring0_and_arch_skips);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

#if !defined(__x86_64__)
	return 77;
#endif
	fpb_cpu_detect(&cpu, &fpb_cpuid_native);
	sr = srunner_create(kernels_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
