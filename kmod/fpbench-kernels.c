// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kmod/fpbench-kernels.c - the ring-0 kernels: requirement checks (CPUID only: qemu TCG reads
 * unknown MSRs as 0, so a trial RDMSR proves nothing), setup, timed bodies, and the restore of
 * every MSR and XCR they touch.  Indexed by enum fpb_kmod_kernel (uapi.h).
 */
#include <linux/kernel.h>
#include <linux/compiler.h>
#include <asm/msr-index.h>
#include "fpbench-mod.h"
#include "fpbench-asm.h"

char fpb_r0_setup_why[FPB_KMOD_REASON_LEN];

static void *next_buf(struct fpb_r0ctx *c)
{
	void *b = c->bufs[c->cur];

	if (++c->cur == c->nbufs)
		c->cur = 0;
	return b;
}

/* ------------------------------------------------------------------ requirement checks */

/*
 * The CPUID requirement of each kernel is its FPB_KMOD_KERNELS row, checked by fpb_r0_run()
 * with fpb_kmod_need_missing() as fpbench checks it; these are the checks only the module can
 * make (values of MSRs and XCR0 it read at load).
 */
static int check_xss_enabled(struct fpb_r0ctx *c, char *why, size_t len)
{
	if (!fpb_r0_caps.xss) {
		snprintf(why, len, "IA32_XSS is 0: the kernel enabled no supervisor component");
		return -1;
	}
	return 0;
}

static int check_xfd_capable(struct fpb_r0ctx *c, char *why, size_t len)
{
	if (!(fpb_r0_caps.xfd_capable & fpb_r0_caps.xcr0)) {
		snprintf(why, len, "no XFD-capable component enabled in XCR0");
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ setup and restore */

/* Put the requested components in the buffer's condition and save them with save(). */
static int fill_images(struct fpb_r0ctx *c, int (*save)(void *, u64))
{
	unsigned i;
	int t;

	for (i = 0; i < c->nbufs; i++) {
		if (c->req->state == FPB_KMOD_STATE_INIT)
			t = fpb_r0_xrstor(c->initbuf, c->rfbm);
		else {
			fpb_r0_dirty(c->dirty);
			t = FPB_R0_OK;
		}
		if (t != FPB_R0_OK)
			return t;
		t = save(c->bufs[i], c->rfbm);
		if (t != FPB_R0_OK)
			return t;
	}
	return FPB_R0_OK;
}

static int xsave_fn(void *b, u64 m)  { return fpb_r0_xsave(b, m); }
static int xsaves_fn(void *b, u64 m) { return fpb_r0_xsaves(b, m); }

static int setup_xrstor(struct fpb_r0ctx *c)
{
	return fill_images(c, xsave_fn);
}

static int setup_xrstors(struct fpb_r0ctx *c)
{
	return fill_images(c, xsaves_fn);
}

static int setup_xfd(struct fpb_r0ctx *c)
{
	int t = fpb_r0_rdmsr(MSR_IA32_XFD, &c->xfd_orig);

	c->xfd_alt = c->xfd_orig;
	c->xfd_cached = c->xfd_orig;
	return t;
}

/* Never arm XFD for a component in use: pick a capable component whose XINUSE bit is clear. */
static int setup_xfd_changed(struct fpb_r0ctx *c)
{
	u64 inuse = ~0ULL, cand;
	int t = setup_xfd(c);

	if (t != FPB_R0_OK)
		return t;
	if (fpb_r0_caps.features & FPB_KMOD_HAS_XGETBV1) {
		t = fpb_r0_xgetbv(1, &inuse);
		if (t != FPB_R0_OK)
			return t;
	}
	cand = fpb_r0_caps.xfd_capable & fpb_r0_caps.xcr0 & ~inuse;
	if (!cand) {
		snprintf(fpb_r0_setup_why, sizeof(fpb_r0_setup_why),
			 "every XFD-capable component is in use (XINUSE 0x%llx): not arming XFD",
			 inuse);
		return FPB_R0_SKIP_SETUP;
	}
	c->xfd_alt = c->xfd_orig ^ (cand & -cand);
	return FPB_R0_OK;
}

static void restore_xfd(struct fpb_r0ctx *c)
{
	fpb_r0_wrmsr(MSR_IA32_XFD, c->xfd_orig);
}

static int setup_xss(struct fpb_r0ctx *c)
{
	return fpb_r0_rdmsr(MSR_IA32_XSS, &c->xfd_orig);
}

static void restore_xss(struct fpb_r0ctx *c)
{
	fpb_r0_wrmsr(MSR_IA32_XSS, c->xfd_orig);
}

static int setup_xsetbv(struct fpb_r0ctx *c)
{
	return fpb_r0_xgetbv(0, &c->xfd_orig);
}

static void restore_xsetbv(struct fpb_r0ctx *c)
{
	u64 now;

	if (fpb_r0_xgetbv(0, &now) == FPB_R0_OK && now != c->xfd_orig)
		fpb_r0_xsetbv(0, c->xfd_orig);
}

/* ------------------------------------------------------------------ bodies */

static int body_empty(struct fpb_r0ctx *c, u64 n)
{
	u64 i;

	for (i = 0; i < n; i++)
		barrier();
	return FPB_R0_OK;
}

/* A save kernel: optional per-op dirtying, then the instruction into the next buffer. */
#define FPB_R0_SAVE_BODY(name, insn, maskfield)					\
static int name(struct fpb_r0ctx *c, u64 n)					\
{										\
	u64 i;									\
	int t;									\
										\
	for (i = 0; i < n; i++) {						\
		void *b = next_buf(c);						\
										\
		if (c->per_op_prep)						\
			fpb_r0_dirty(c->dirty);					\
		if (c->prep_only)						\
			continue;						\
		t = insn(b, c->maskfield);					\
		if (unlikely(t != FPB_R0_OK))					\
			return t;						\
	}									\
	return FPB_R0_OK;							\
}

FPB_R0_SAVE_BODY(body_xsaves, fpb_r0_xsaves, rfbm)
FPB_R0_SAVE_BODY(body_xsave, fpb_r0_xsave, rfbm)
FPB_R0_SAVE_BODY(body_xsaveopt, fpb_r0_xsaveopt, rfbm)
FPB_R0_SAVE_BODY(body_xsavec, fpb_r0_xsavec, rfbm)
FPB_R0_SAVE_BODY(body_xrstor, fpb_r0_xrstor, rfbm)
FPB_R0_SAVE_BODY(body_xrstors, fpb_r0_xrstors, rfbm)

/* XSAVES then XRSTORS of the same buffer, back to back with interrupts off. */
#define FPB_R0_PAIR_BODY(name, maskfield)					\
static int name(struct fpb_r0ctx *c, u64 n)					\
{										\
	u64 i;									\
	int t;									\
										\
	for (i = 0; i < n; i++) {						\
		void *b = next_buf(c);						\
										\
		if (c->per_op_prep)						\
			fpb_r0_dirty(c->dirty);					\
		if (c->prep_only)						\
			continue;						\
		t = fpb_r0_xsaves(b, c->maskfield);				\
		if (unlikely(t != FPB_R0_OK))					\
			return t;						\
		t = fpb_r0_xrstors(b, c->maskfield);				\
		if (unlikely(t != FPB_R0_OK))					\
			return t;						\
	}									\
	return FPB_R0_OK;							\
}

FPB_R0_PAIR_BODY(body_pair, rfbm)
FPB_R0_PAIR_BODY(body_pair_sup, rfbm_sup)

static int body_xsetbv(struct fpb_r0ctx *c, u64 n)
{
	u64 i;
	int t;

	for (i = 0; i < n; i++) {
		t = fpb_r0_xsetbv(0, c->xfd_orig);
		if (unlikely(t != FPB_R0_OK))
			return t;
	}
	return FPB_R0_OK;
}

static int body_wrxfd(struct fpb_r0ctx *c, u64 n)
{
	u64 i;
	int t;

	for (i = 0; i < n; i++) {
		t = fpb_r0_wrmsr(MSR_IA32_XFD, (i & 1) ? c->xfd_orig : c->xfd_alt);
		if (unlikely(t != FPB_R0_OK))
			return t;
	}
	/* Leave the original value behind (n odd ends on xfd_alt). */
	return (n & 1) ? fpb_r0_wrmsr(MSR_IA32_XFD, c->xfd_orig) : FPB_R0_OK;
}

/* What Linux does on a switch when the incoming task's XFD equals the per-CPU cached value. */
static int body_wrxfd_cached(struct fpb_r0ctx *c, u64 n)
{
	u64 i;
	int t;

	for (i = 0; i < n; i++) {
		u64 want = READ_ONCE(c->xfd_orig);

		if (want != READ_ONCE(c->xfd_cached)) {
			t = fpb_r0_wrmsr(MSR_IA32_XFD, want);
			if (unlikely(t != FPB_R0_OK))
				return t;
			WRITE_ONCE(c->xfd_cached, want);
		}
	}
	return FPB_R0_OK;
}

static int body_rdmsr(struct fpb_r0ctx *c, u64 n, u32 msr)
{
	u64 i, v;
	int t;

	for (i = 0; i < n; i++) {
		t = fpb_r0_rdmsr(msr, &v);
		if (unlikely(t != FPB_R0_OK))
			return t;
	}
	return FPB_R0_OK;
}

static int body_rdxfd(struct fpb_r0ctx *c, u64 n)
{
	return body_rdmsr(c, n, MSR_IA32_XFD);
}

static int body_rdxfd_err(struct fpb_r0ctx *c, u64 n)
{
	return body_rdmsr(c, n, MSR_IA32_XFD_ERR);
}

static int body_wrxss(struct fpb_r0ctx *c, u64 n)
{
	u64 i;
	int t;

	for (i = 0; i < n; i++) {
		t = fpb_r0_wrmsr(MSR_IA32_XSS, c->xfd_orig);
		if (unlikely(t != FPB_R0_OK))
			return t;
	}
	return FPB_R0_OK;
}

/* ------------------------------------------------------------------ the table */

#define SAVE	(FPB_R0K_SAVE | FPB_R0K_XSTATE)
#define RESTORE	(FPB_R0K_RESTORE | FPB_R0K_XSTATE)

const struct fpb_r0kernel fpb_r0_kernels[FPB_KMOD_NR_KERNELS] = {
	[FPB_KMOD_K_EMPTY]	= { 0, NULL, NULL, body_empty, NULL },
	[FPB_KMOD_K_XSAVES]	= { SAVE, NULL, NULL, body_xsaves, NULL },
	[FPB_KMOD_K_XRSTORS]	= { RESTORE, NULL, setup_xrstors, body_xrstors, NULL },
	[FPB_KMOD_K_XSAVES_XRSTORS] = { SAVE, NULL, NULL, body_pair, NULL },
	[FPB_KMOD_K_XSAVES_XRSTORS_SUP] = { SAVE, check_xss_enabled, NULL, body_pair_sup, NULL },
	[FPB_KMOD_K_XSAVE]	= { SAVE, NULL, NULL, body_xsave, NULL },
	[FPB_KMOD_K_XSAVEOPT]	= { SAVE, NULL, NULL, body_xsaveopt, NULL },
	[FPB_KMOD_K_XSAVEC]	= { SAVE, NULL, NULL, body_xsavec, NULL },
	[FPB_KMOD_K_XRSTOR]	= { RESTORE, NULL, setup_xrstor, body_xrstor, NULL },
	[FPB_KMOD_K_XSETBV]	= { FPB_R0K_VMEXIT, NULL, setup_xsetbv, body_xsetbv,
				    restore_xsetbv },
	[FPB_KMOD_K_WRXFD_SAME]	= { FPB_R0K_VMEXIT, NULL, setup_xfd, body_wrxfd, restore_xfd },
	[FPB_KMOD_K_WRXFD_CHANGED] = { FPB_R0K_VMEXIT, check_xfd_capable, setup_xfd_changed,
				       body_wrxfd, restore_xfd },
	[FPB_KMOD_K_WRXFD_CACHED] = { 0, NULL, setup_xfd, body_wrxfd_cached, restore_xfd },
	[FPB_KMOD_K_RDXFD]	= { FPB_R0K_VMEXIT, NULL, NULL, body_rdxfd, NULL },
	[FPB_KMOD_K_WRXSS]	= { FPB_R0K_VMEXIT, NULL, setup_xss, body_wrxss, restore_xss },
	[FPB_KMOD_K_RDXFD_ERR]	= { FPB_R0K_VMEXIT, NULL, NULL, body_rdxfd_err, NULL },
};
