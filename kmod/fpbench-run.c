// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kmod/fpbench-run.c - detection and the measurement loop of FPB_IOC_RUN.
 *
 * Per batch: kernel_fpu_begin(), interrupts off, prepare the condition, fenced timestamps around
 * the body, XINUSE check, interrupts on, kernel_fpu_end().  Samples are copied to user space only
 * after the last kernel_fpu_end().
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/uaccess.h>
#include <linux/irqflags.h>
#include <asm/processor.h>
#include <asm/cpufeature.h>
#include <asm/fpu/api.h>
#include <asm/msr-index.h>
#include <asm/tsc.h>
#include <asm/cacheflush.h>
#include "fpbench-mod.h"
#include "fpbench-asm.h"

struct fpb_r0_caps fpb_r0_caps;

/* Detect what the module may use: CPUID bits, CR4.OSXSAVE through the kernel's flag, XCR0. */
void fpb_r0_detect(void)
{
	struct fpb_r0_caps *k = &fpb_r0_caps;
	unsigned int a, b, c, d, i;

	memset(k, 0, sizeof(*k));
	if (boot_cpu_has(X86_FEATURE_RDTSCP))
		k->features |= FPB_KMOD_HAS_RDTSCP;
	if (boot_cpu_has(X86_FEATURE_HYPERVISOR)) {
		k->features |= FPB_KMOD_HAS_HYPERVISOR;
		cpuid(0x40000000, &a, &b, &c, &d);
		memcpy(k->hypervisor + 0, &b, 4);
		memcpy(k->hypervisor + 4, &c, 4);
		memcpy(k->hypervisor + 8, &d, 4);
		for (i = 0; i < 12; i++)
			if (k->hypervisor[i] && (k->hypervisor[i] < 0x20 || k->hypervisor[i] > 0x7e))
				k->hypervisor[i] = '?';
	}
	if (!boot_cpu_has(X86_FEATURE_XSAVE) || !boot_cpu_has(X86_FEATURE_OSXSAVE) ||
	    boot_cpu_data.cpuid_level < 0xd)
		return;
	k->features |= FPB_KMOD_HAS_XSAVE;
	if (fpb_r0_xgetbv(0, &k->xcr0) != FPB_R0_OK) {
		k->features = 0;
		return;
	}
	cpuid_count(0xd, 0, &a, &b, &c, &d);
	k->std_size = b;
	k->std_size_max = c;
	cpuid_count(0xd, 1, &a, &b, &c, &d);
	k->compacted_size = b;
	if (a & (1u << 0))
		k->features |= FPB_KMOD_HAS_XSAVEOPT;
	if (a & (1u << 1))
		k->features |= FPB_KMOD_HAS_XSAVEC;
	if (a & (1u << 2))
		k->features |= FPB_KMOD_HAS_XGETBV1;
	/* The kernel may have disabled XSAVES: trust its flag as well as CPUID. */
	if ((a & (1u << 3)) && boot_cpu_has(X86_FEATURE_XSAVES)) {
		k->features |= FPB_KMOD_HAS_XSAVES;
		if (fpb_r0_rdmsr(MSR_IA32_XSS, &k->xss) != FPB_R0_OK)
			k->xss = 0;
	}
	if (a & (1u << 4)) {
		k->features |= FPB_KMOD_HAS_XFD;
		if (fpb_r0_rdmsr(MSR_IA32_XFD, &k->xfd) != FPB_R0_OK)
			k->xfd = 0;
		for (i = 2; i < 63; i++) {
			cpuid_count(0xd, i, &a, &b, &c, &d);
			if (a && (c & (1u << 2)))
				k->xfd_capable |= 1ULL << i;
		}
	}
}

static int set_reason(struct fpb_kmod_run *req, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(req->reason, sizeof(req->reason), fmt, ap);
	va_end(ap);
	return 0;
}

static const char *trap_name(int trap)
{
	switch (trap) {
	case 6: return "#UD";
	case 7: return "#NM";
	case 13: return "#GP";
	case 14: return "#PF";
	case 17: return "#AC";
	default: return "trap";
	}
}

/* Range-check every input field; -EINVAL on any violation. */
static long validate(const struct fpb_kmod_run *req)
{
	u64 allowed = fpb_r0_caps.xcr0;

	if (req->abi != FPB_KMOD_ABI || req->reserved0)
		return -EINVAL;
	if (req->kernel >= FPB_KMOD_NR_KERNELS)
		return -EINVAL;
	if (req->state >= FPB_KMOD_NR_STATES || req->buf_mode >= FPB_KMOD_NR_BUF_MODES)
		return -EINVAL;
	if (req->nbufs < 1 || req->nbufs > FPB_KMOD_MAX_BUFS)
		return -EINVAL;
	if (req->buf_mode != FPB_KMOD_BUF_ROTATE && req->nbufs != 1)
		return -EINVAL;
	if (req->flags & ~FPB_KMOD_F_ALL)
		return -EINVAL;
	if (req->batch < 1 || req->batch > FPB_KMOD_MAX_BATCH)
		return -EINVAL;
	if (req->repeats < 1 || req->repeats > FPB_KMOD_MAX_REPEATS)
		return -EINVAL;
	if (req->rfbm & ~allowed)
		return -EINVAL;
	if (!req->samples || (req->samples & 7))
		return -EINVAL;
	if (req->samples_len < (u64)req->repeats * sizeof(struct fpb_kmod_sample))
		return -EINVAL;
	return 0;
}

static void free_bufs(struct fpb_r0ctx *c)
{
	unsigned i;

	for (i = 0; i < FPB_KMOD_MAX_BUFS; i++)
		kfree(c->raw[i]);
	kfree(c->raw_init);
}

static int alloc_bufs(struct fpb_r0ctx *c)
{
	size_t sz = max3((size_t)fpb_r0_caps.std_size_max, (size_t)fpb_r0_caps.compacted_size,
			 (size_t)576);
	unsigned i;

	c->buf_size = ALIGN(sz, 64);
	for (i = 0; i < c->nbufs; i++) {
		c->raw[i] = kzalloc(c->buf_size + 64, GFP_KERNEL);
		if (!c->raw[i])
			return -ENOMEM;
		c->bufs[i] = PTR_ALIGN(c->raw[i], 64);
	}
	c->raw_init = kzalloc(c->buf_size + 64, GFP_KERNEL);
	if (!c->raw_init)
		return -ENOMEM;
	c->initbuf = PTR_ALIGN(c->raw_init, 64);
	*(u32 *)((char *)c->initbuf + 24) = 0x1f80;	/* MXCSR: default, exceptions masked */
	return 0;
}

/* Bring the registers into the condition before a batch of a save kernel. */
static int pre_batch(struct fpb_r0ctx *c, const struct fpb_r0kernel *k)
{
	if (!(k->flags & FPB_R0K_SAVE))
		return FPB_R0_OK;
	if (c->req->state == FPB_KMOD_STATE_INIT)
		return fpb_r0_xrstor(c->initbuf, c->rfbm);
	if (c->req->state == FPB_KMOD_STATE_UNMODIFIED)
		fpb_r0_dirty(c->dirty);
	return FPB_R0_OK;
}

static void flush_bufs(struct fpb_r0ctx *c)
{
	unsigned i;

	for (i = 0; i < c->nbufs; i++)
		clflush_cache_range(c->bufs[i], c->buf_size);
}

/* Validate and run; fills the out fields of req.  0, or -EINVAL/-EFAULT/-ENOMEM. */
long fpb_r0_run(struct fpb_kmod_run *req)
{
	const struct fpb_r0kernel *k;
	struct fpb_kmod_sample *s;
	struct fpb_r0ctx *c;
	unsigned long irqf;
	u64 check = 0, expect = 0, overlong;
	const char *missing;
	bool rdtscp = fpb_r0_caps.features & FPB_KMOD_HAS_RDTSCP;
	long ret;
	int t = FPB_R0_OK;
	u32 r;

	ret = validate(req);
	if (ret)
		return ret;
	/* The user buffer must be writable before anything runs: -EFAULT early, no half runs. */
	if (!access_ok(u64_to_user_ptr(req->samples), req->samples_len))
		return -EFAULT;

	req->status = FPB_KMOD_OK;
	req->trap = -1;
	req->done = 0;
	req->rflags = 0;
	req->rfbm_used = req->rfbm;
	memset(req->reason, 0, sizeof(req->reason));

	k = &fpb_r0_kernels[req->kernel];
	if ((k->flags & FPB_R0K_VMEXIT) && (fpb_r0_caps.features & FPB_KMOD_HAS_HYPERVISOR))
		req->rflags |= FPB_KMOD_R_VIRTUALISED;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->req = req;
	c->nbufs = req->nbufs;
	c->rfbm = req->rfbm & fpb_r0_caps.xcr0;
	c->rfbm_sup = c->rfbm | fpb_r0_caps.xss;
	c->dirty = c->rfbm & FPB_R0_DIRTY_MASK;
	c->prep_only = req->flags & FPB_KMOD_F_PREP_ONLY;
	c->per_op_prep = (k->flags & FPB_R0K_SAVE) && req->state == FPB_KMOD_STATE_DIRTY &&
			 c->dirty;
	if ((c->dirty & XFEATURE_MASK_SSE) && (fpb_r0_caps.xcr0 & XFEATURE_MASK_YMM))
		c->dirty |= FPB_R0_DIRTY_VEX;
	if (c->per_op_prep)
		req->rflags |= FPB_KMOD_R_PER_OP_PREP;
	if (req->kernel == FPB_KMOD_K_XSAVES_XRSTORS_SUP)
		req->rfbm_used = c->rfbm_sup;

	missing = fpb_kmod_need_missing(fpb_kmod_kernel_need(req->kernel), fpb_r0_caps.features);
	if (missing)
		strscpy(req->reason, missing, sizeof(req->reason));
	if (missing || (k->check && k->check(c, req->reason, sizeof(req->reason)))) {
		req->status = FPB_KMOD_SKIPPED;
		kfree(c);
		return 0;
	}

	s = kvcalloc(req->repeats, sizeof(*s), GFP_KERNEL);
	if (!s) {
		kfree(c);
		return -ENOMEM;
	}
	ret = 0;
	if ((k->flags & FPB_R0K_XSTATE) && alloc_bufs(c)) {
		ret = -ENOMEM;
		goto out;
	}

	if ((k->flags & FPB_R0K_SAVE) && (fpb_r0_caps.features & FPB_KMOD_HAS_XGETBV1)) {
		check = c->rfbm & FPB_R0_XINUSE_MASK;
		expect = req->state == FPB_KMOD_STATE_INIT ? 0 : check;
	}
	/* A batch running longer than ~1 ms with interrupts off is flagged. */
	overlong = tsc_khz ? (u64)tsc_khz * 2 : ~0ULL;

	kernel_fpu_begin();
	local_irq_save(irqf);
	if (k->setup)
		t = k->setup(c);
	/* Does XGETBV(1) follow the condition here?  Emulators report everything in use. */
	if (t == FPB_R0_OK && check && (k->flags & FPB_R0K_SAVE)) {
		u64 inuse = 0;

		if (fpb_r0_xrstor(c->initbuf, c->rfbm) == FPB_R0_OK &&
		    fpb_r0_xgetbv(1, &inuse) == FPB_R0_OK && (inuse & check))
			c->xinuse_untracked = true;
	}
	if (t != FPB_R0_OK && k->restore)
		k->restore(c);
	local_irq_restore(irqf);
	kernel_fpu_end();

	for (r = 0; r < req->repeats && t == FPB_R0_OK; r++) {
		u64 t0, t1, inuse = 0;

		if (req->buf_mode == FPB_KMOD_BUF_COLD && (k->flags & FPB_R0K_XSTATE))
			flush_bufs(c);
		kernel_fpu_begin();
		local_irq_save(irqf);
		t = pre_batch(c, k);
		if (t == FPB_R0_OK) {
			t0 = fpb_r0_ts_begin();
			t = k->body(c, req->batch);
			t1 = fpb_r0_ts_end(rdtscp);
			s[r].t_begin = t0;
			s[r].t_end = t1;
			s[r].cpu = smp_processor_id();
			if (check && !c->xinuse_untracked &&
			    (fpb_r0_xgetbv(1, &inuse) != FPB_R0_OK || (inuse & check) != expect))
				s[r].flags |= FPB_KMOD_S_STATE_MISMATCH;
			if (t1 - t0 > overlong)
				s[r].flags |= FPB_KMOD_S_OVERLONG;
		}
		if (k->restore)
			k->restore(c);
		local_irq_restore(irqf);
		kernel_fpu_end();
		if (t == FPB_R0_OK)
			req->done++;
		cond_resched();
	}

	if (t == FPB_R0_SKIP_SETUP) {
		req->status = FPB_KMOD_SKIPPED;
		strscpy(req->reason, fpb_r0_setup_why, sizeof(req->reason));
	} else if (t != FPB_R0_OK) {
		req->status = FPB_KMOD_TRAPPED;
		req->trap = t;
		set_reason(req, "%s (trap %d) in ring 0", trap_name(t), t);
	}
	if (c->xinuse_untracked && !req->reason[0])
		set_reason(req, "XINUSE untracked (emulator): condition unchecked");
	/* Only now, with the FPU given back: the samples. */
	if (req->done && copy_to_user(u64_to_user_ptr(req->samples), s,
				      (size_t)req->done * sizeof(*s)))
		ret = -EFAULT;
out:
	free_bufs(c);
	kvfree(s);
	kfree(c);
	return ret;
}
