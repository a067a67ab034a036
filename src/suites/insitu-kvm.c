// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * insitu-kvm.c - what a KVM exit costs with clean and dirty extended state, through /dev/kvm.
 *
 * (a) kvm-exit-user: each event is a full KVM_RUN round trip (the guest writes an I/O port, KVM
 *     returns to user space, fpbench enters again): the FPU is swapped between the host thread's
 *     and the guest's state both ways.  (b) kvm-exit-kernel: each event is a CPUID in the guest,
 *     an exit KVM handles without leaving the kernel; a batch is one KVM_RUN with n of them (the
 *     one exit to user space cancels in the N/2N difference).
 * Conditions: guest and host clean; guest dirty (zmm0-31, k0-7 written in the 64-bit guest);
 * host dirty (the calling thread's registers written before KVM_RUN).  Each difference is taken
 * per round from interleaved rows.  Every KVM_RUN runs under an alarm() watchdog: a guest that
 * never exits makes the ioctl return EINTR and the row fail, never fpbench hang.
 * A paravirtual /dev/kvm (PVM: no vmx/svm flag) runs the real-mode guest's exits but cannot
 * execute the guest's XSAVE family: those rows are skipped, the rest labelled not representative.
 */
#include "config.h"
#include <signal.h>
#include <unistd.h>
#include "insitu.h"
#include "xstate.h"

#define KVM_WATCHDOG_S		2
#define KVM_TARGET		400000ull
#define KVM_QUICK_TARGET	200000ull

enum { C_CLEAN = 0, C_GUEST_DIRTY = 1, C_HOST_DIRTY = 2 };

static volatile sig_atomic_t watchdog_fired;

static void on_alarm(int sig)
{
	(void)sig;
	watchdog_fired = 1;
}

struct kvmm {
	struct fpb_kvm_vm vm;
	const struct fpb_cpu *cpu;
	struct fpb_timer *tm;
	bool kernel;			/* this call's rows: exits handled in the kernel */
	bool guest_fpu;			/* the guest can prepare its extended state */
	enum fpb_kvm_cmd dirty_cmd;
	uint64_t gbits;			/* guest XINUSE bits checked */
	uint64_t mismatches, last_gxin, last_hxin;
	char why[FPB_REASON_LEN];	/* the last failure */
};

/* One KVM_RUN under the watchdog. */
static int run_guarded(struct kvmm *k, unsigned port)
{
	int ret;

	watchdog_fired = 0;
	alarm(KVM_WATCHDOG_S);
	ret = fpb_kvm_vm_run(&k->vm, port, k->why, sizeof(k->why));
	alarm(0);
	if (ret == -EINTR && watchdog_fired) {
		snprintf(k->why, sizeof(k->why), "watchdog: KVM_RUN did not return within %d s",
			 KVM_WATCHDOG_S);
		return -ETIMEDOUT;
	}
	return ret;
}

/* Bring the guest's extended state to the condition; false on a mismatch. */
static int guest_prepare(struct kvmm *k, bool dirty, bool *ok)
{
	uint64_t x;
	int ret;

	*ok = true;
	if (!k->guest_fpu)
		return 0;
	fpb_kvm_vm_command(&k->vm, dirty ? k->dirty_cmd : FPB_KVM_CMD_CLEAN, 0);
	ret = run_guarded(k, FPB_KVM_PORT_PREP);
	if (ret)
		return ret;
	if (k->vm.check_xinuse && k->gbits) {
		x = fpb_kvm_vm_guest_xinuse(&k->vm);
		k->last_gxin = x;
		*ok = (x & k->gbits) == (dirty ? k->gbits : 0);
	}
	return 0;
}

static int kvm_batch(void *arg, int cond, uint64_t n, struct fpb_sample *out)
{
	struct kvmm *k = arg;
	bool host_dirty = cond & C_HOST_DIRTY, gok, hok;
	uint64_t t0, t1, xin;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (n > UINT32_MAX)
		n = UINT32_MAX;
	ret = guest_prepare(k, cond & C_GUEST_DIRTY, &gok);
	if (ret)
		return ret;
	if (k->kernel)
		fpb_kvm_vm_command(&k->vm, FPB_KVM_CMD_KERNEL, (uint32_t)n);
	else
		fpb_kvm_vm_command(&k->vm, FPB_KVM_CMD_USER, 0);
	fpb_insitu_prepare(k->cpu, host_dirty);
	watchdog_fired = 0;
	alarm(KVM_WATCHDOG_S);
	t0 = k->tm->begin(k->tm);
	if (k->kernel) {
		ret = fpb_kvm_vm_run(&k->vm, FPB_KVM_PORT_KERNEL, NULL, 0);
	} else {
		for (uint64_t i = 0; i < n && !ret; i++)
			ret = fpb_kvm_vm_run(&k->vm, FPB_KVM_PORT_USER, NULL, 0);
	}
	t1 = k->tm->end(k->tm, &out->cpu);
	alarm(0);
	hok = fpb_insitu_state_ok(k->cpu, host_dirty, &xin);
	if (ret) {
		if (ret == -EINTR && watchdog_fired) {
			snprintf(k->why, sizeof(k->why), "watchdog: KVM_RUN did not return "
				 "within %d s", KVM_WATCHDOG_S);
			return -ETIMEDOUT;
		}
		if (ret == -EINTR) {		/* another signal: drop the batch */
			out->flags |= FPB_SAMPLE_FAULT;
			out->t = t1 - t0;
			return 0;
		}
		/* Say what the exit was, once, outside the timed loop. */
		(void)fpb_kvm_vm_run(&k->vm, 0, k->why, sizeof(k->why));
		return ret;
	}
	if (!gok || !hok) {
		k->last_hxin = xin;
		k->mismatches++;
		out->flags |= FPB_SAMPLE_STATE_MISMATCH;
	}
	out->t = t1 - t0;
	return 0;
}

/* Open the VM and check which guest it can run; false with why when nothing runs. */
static bool kvm_open(struct kvmm *k, bool pvm, char *gwhy, size_t glen, char *why, size_t len)
{
	const struct fpb_cpu *cpu = k->cpu;
	bool avx512 = (cpu->xcr0 & FPB_XMASK_AVX512) == FPB_XMASK_AVX512;

	gwhy[0] = 0;
	if (!pvm && !fpb_kvm_vm_open(&k->vm, cpu, true, why, len)) {
		fpb_kvm_vm_command(&k->vm, FPB_KVM_CMD_USER, 0);
		if (!run_guarded(k, FPB_KVM_PORT_USER)) {
			uint64_t xcr0 = k->vm.guest_xcr0;

			k->dirty_cmd = avx512 && (xcr0 & FPB_XMASK_AVX512) == FPB_XMASK_AVX512 ?
				FPB_KVM_CMD_DIRTY512 : FPB_KVM_CMD_DIRTY256;
			k->gbits = fpb_insitu_check_bits(cpu) & xcr0;
			if (!(xcr0 & FPB_BIT(FPB_XF_AVX))) {
				snprintf(gwhy, glen, "guest XCR0 0x%llx has no AVX",
					 (unsigned long long)xcr0);
				return true;
			}
			k->guest_fpu = true;
			fpb_kvm_vm_command(&k->vm, FPB_KVM_CMD_CLEAN, 0);
			if (!run_guarded(k, FPB_KVM_PORT_PREP))
				return true;
			k->guest_fpu = false;
			snprintf(gwhy, glen, "guest XRSTOR not executable: %.100s", k->why);
		} else {
			snprintf(gwhy, glen, "the 64-bit guest does not run (%.100s)", k->why);
		}
		fpb_kvm_vm_close(&k->vm);
	} else if (!pvm && strstr(why, "not present")) {
		return false;
	} else if (pvm) {
		snprintf(gwhy, glen, "/dev/kvm is paravirtual (PVM): guest XSAVE not executable");
	}
	/* The real-mode guest: exits only. */
	if (fpb_kvm_vm_open(&k->vm, cpu, false, why, len))
		return false;
	fpb_kvm_vm_command(&k->vm, FPB_KVM_CMD_USER, 0);
	if (run_guarded(k, FPB_KVM_PORT_USER)) {
		snprintf(why, len, "the real-mode guest does not run: %.120s", k->why);
		fpb_kvm_vm_close(&k->vm);
		return false;
	}
	return true;
}

static const char *const scen[] = {
	"clean", "guest-dirty", "host-dirty", "guest-dirty-minus-clean", "host-dirty-minus-clean",
};

/* The five rows of one exit kind. */
static int kvm_kind(struct fpb_insitu *in, struct kvmm *k, bool kernel, const char *gwhy,
		    bool pvm, double budget_s)
{
	const char *name = kernel ? "kvm-exit-kernel" : "kvm-exit-user";
	struct fpb_insitu_pair p[5];
	char why[FPB_REASON_LEN] = "";
	long rows[5];
	int ret;

	for (int i = 0; i < 5; i++) {
		rows[i] = fpb_insitu_row(in, name, scen[i], "exit");
		if (rows[i] < 0)
			return -ENOMEM;
	}
	k->kernel = kernel;
	k->mismatches = 0;
	if (kernel) {
		fpb_kvm_vm_command(&k->vm, FPB_KVM_CMD_KERNEL, 1);
		if (run_guarded(k, FPB_KVM_PORT_KERNEL)) {
			snprintf(why, sizeof(why), "the guest's CPUID loop does not run: %.120s",
				 k->why);
			for (int i = 0; i < 5; i++)
				fpb_row_skip(&in->r->rows[rows[i]], "%s", why);
			return 0;
		}
	}
	if (!k->guest_fpu) {
		fpb_row_skip(&in->r->rows[rows[1]], "%s", gwhy);
		fpb_row_skip(&in->r->rows[rows[3]], "%s", gwhy);
	}
	p[0] = (struct fpb_insitu_pair){ rows[0], C_CLEAN, -1, -1 };
	p[1] = (struct fpb_insitu_pair){ rows[1], C_GUEST_DIRTY, -1, -1 };
	p[2] = (struct fpb_insitu_pair){ rows[2], C_HOST_DIRTY, -1, -1 };
	p[3] = (struct fpb_insitu_pair){ rows[3], C_GUEST_DIRTY, 1, 0 };
	p[4] = (struct fpb_insitu_pair){ rows[4], C_HOST_DIRTY, 2, 0 };
	ret = fpb_insitu_run_pairs(in, kvm_batch, k, p, 5, budget_s,
				   in->quick ? KVM_QUICK_TARGET : KVM_TARGET);

	for (int i = 0; i < 5; i++) {
		struct fpb_row *row = &in->r->rows[rows[i]];

		snprintf(row->backend, sizeof(row->backend), "kvm");
		if (row->status == FPB_ROW_FAILED && k->why[0] && strstr(row->reason, "batch"))
			snprintf(row->reason, sizeof(row->reason), "%s", k->why);
		if (row->status != FPB_ROW_MEASURED)
			continue;
		if (i == 0)
			fpb_insitu_note(row, "%s; %s guest, %s", kernel ? "CPUID in the guest, "
					"handled by KVM" : "OUT to a port, a full KVM_RUN round trip",
					k->vm.long_mode ? "64-bit" : "real-mode",
					k->guest_fpu ? "guest and host XRSTOR'ed to init" :
					"guest never used its FPU");
		if (pvm) {
			row->flags |= FPB_ROW_VIRTUALISED;
			fpb_row_add_metric(row, "pvm", "", 1);
			fpb_insitu_note(row, "not representative: /dev/kvm is paravirtual (PVM)");
		} else if (i == 0 && in->s->cpu.hypervisor[0] && !(row->flags &
							FPB_ROW_FUNCTIONAL_ONLY)) {
			fpb_insitu_note(row, "nested: this machine is itself a guest (%s)",
					in->s->cpu.hypervisor);
		}
		if (k->mismatches)
			fpb_insitu_note(row, "%llu batches dropped over XINUSE (guest 0x%llx, host "
					"0x%llx)", (unsigned long long)k->mismatches,
					(unsigned long long)k->last_gxin,
					(unsigned long long)k->last_hxin);
	}
	return ret;
}

static int kvm_run(struct fpb_insitu *in, double budget_s)
{
	char why[FPB_REASON_LEN] = "", gwhy[FPB_REASON_LEN] = "";
	struct sigaction sa, old;
	struct kvmm *k;
	bool pvm;
	int ret;

#if !defined(__x86_64__)
	(void)budget_s;
	(void)scen;
	if (in->all_arches && fpb_insitu_skip(in, "kvm-exit-user", "clean", "the KVM mini-VM "
					      "is written for x86-64 hosts") < 0)
		return -ENOMEM;
	return 0;
#endif
	k = calloc(1, sizeof(*k));
	if (!k)
		return -ENOMEM;
	k->cpu = &in->s->cpu;
	k->tm = in->s->timer;
	pvm = fpb_kvm_is_pvm();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART: KVM_RUN must return EINTR */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, &old)) {
		snprintf(why, sizeof(why), "cannot install the watchdog: %s", strerror(errno));
		goto skip;
	}
	if (!kvm_open(k, pvm, gwhy, sizeof(gwhy), why, sizeof(why))) {
		sigaction(SIGALRM, &old, NULL);
		goto skip;
	}
	ret = kvm_kind(in, k, false, gwhy, pvm, budget_s * 0.6);
	if (!ret)
		ret = kvm_kind(in, k, true, gwhy, pvm, budget_s * 0.4);
	fpb_kvm_vm_close(&k->vm);
	sigaction(SIGALRM, &old, NULL);
	free(k);
	return ret;
skip:
	free(k);
	if (fpb_insitu_skip(in, "kvm-exit-user", "clean", "%s", why) < 0 ||
	    fpb_insitu_skip(in, "kvm-exit-kernel", "clean", "%s", why) < 0)
		return -ENOMEM;
	return 0;
}

const struct fpb_insitu_measure fpb_insitu_kvm = {
	.name	= "kvm",
	.weight	= 3.0,
	.run	= kvm_run,
};
