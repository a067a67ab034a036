/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * insitu.h - the in-situ suite's shared pieces: what the running kernel really pays for extended
 * state, measured from user space (futex context switch, signal, AMX first use, arm64 getpid
 * with SVE) and through /dev/kvm (a KVM-API mini-VM).  One measurement a file (src/insitu-*.c);
 * src/suites/suite-insitu.c runs them in turn with their share of the budget.
 *
 * Conditions are "clean" (every AVX/AVX-512 component in its init state: an XRSTOR of an init
 * header, checked with XGETBV(1)) and "dirty" (the registers of every such component written,
 * checked likewise).  Pairs of conditions are timed as interleaved rows of ONE harness call; a
 * difference row takes each round's dirty figure minus the same round's clean one.
 */
#ifndef FPB_INSITU_H
#define FPB_INSITU_H

#include "fpb_env.h"
#include "session.h"
#include "harness.h"
#include "result.h"
#include "strategies-predict.h"

struct fpb_options;

/* One in-situ section: where rows go, the harness options, the time left. */
struct fpb_insitu {
	struct fpb_session *s;
	struct fpb_result *r;
	struct fpb_harness_opts h;	/* copied from the options; budget set per call */
	bool quick;			/* default run or tests: short figures */
	bool all_arches;		/* emit "other architecture" skip rows too */
	int cpu;			/* the CPU every thread of a measurement runs on */
	const char *only;		/* tests: run only this measurement (NULL: all) */
};

/* One measurement: appends its rows (measured or skipped) to in->r within budget_s. */
struct fpb_insitu_measure {
	const char *name;		/* "context-switch", ... (row name) */
	double weight;			/* share of the section's budget */
	int (*run)(struct fpb_insitu *in, double budget_s);
};

extern const struct fpb_insitu_measure fpb_insitu_ctxsw;
extern const struct fpb_insitu_measure fpb_insitu_signal;
extern const struct fpb_insitu_measure fpb_insitu_amx;
extern const struct fpb_insitu_measure fpb_insitu_kvm;
extern const struct fpb_insitu_measure fpb_insitu_sve;
extern const struct fpb_insitu_measure fpb_insitu_model;

/*
 * Run the in-situ measurements of in (all, or in->only) within budget_s seconds.  Returns 0
 * (rows carry their own skips and failures) or -ENOMEM.
 */
int fpb_insitu_run_all(struct fpb_insitu *in, double budget_s);

/* Fill in from a session and options (the CPU from the session's pinning). */
void fpb_insitu_init(struct fpb_insitu *in, struct fpb_session *s, const struct fpb_options *o,
		     struct fpb_result *r);

/*
 * Append a row of suite "insitu": name, scenario, unit "<timer unit>/<per>" (per: "switch",
 * "signal", "exit"...), status measured.  Returns its index in in->r->rows, or -1 (no memory).
 * Rows may move when more are added: keep indices, take pointers only for the harness call.
 */
long fpb_insitu_row(struct fpb_insitu *in, const char *name, const char *scenario,
		    const char *per);
/* Append a skipped row with a printf-style reason; returns its index or -1. */
long fpb_insitu_skip(struct fpb_insitu *in, const char *name, const char *scenario,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Append to a row's note ("; " between parts). */
void fpb_insitu_note(struct fpb_row *row, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- extended state on x86: clean and dirty, from inline asm only ---- */

/* Components the measurements dirty: SSE, AVX, opmask, ZMM_Hi256, Hi16_ZMM within XCR0. */
uint64_t fpb_insitu_dirty_sel(const struct fpb_cpu *cpu);
/* Components whose XINUSE bits are checked (never SSE alone); 0 without XGETBV(1). */
uint64_t fpb_insitu_check_bits(const struct fpb_cpu *cpu);
/* "avx512" when zmm state is dirtied, "avx", "sse", or "none". */
const char *fpb_insitu_state_name(const struct fpb_cpu *cpu);
/* What "dirty" writes, for notes: "xmm0-15,ymm0-15.hi,k0-7,...". */
const char *fpb_insitu_dirty_desc(const struct fpb_cpu *cpu, char *buf, size_t len);
/* The XRSTOR mask that returns those components (and x87) to init; never PKRU or AMX. */
uint64_t fpb_insitu_clean_rfbm(const struct fpb_cpu *cpu);

#if defined(__x86_64__)
/* XRSTOR of an init header (XSTATE_BV 0, MXCSR 0x1f80) for rfbm: the components go to init. */
void fpb_insitu_x86_clean(uint64_t rfbm);
/* Write the registers of every component in sel (FPB_X86_DIRTYABLE bits, never PKRU). */
void fpb_insitu_x86_dirty(uint64_t sel);
#endif

/* Prepare the calling thread's state: dirty ? write sel : XRSTOR init (x86; no-op elsewhere). */
void fpb_insitu_prepare(const struct fpb_cpu *cpu, bool dirty);
/*
 * Does the calling thread's XINUSE match the condition on the checked components?  true when it
 * does or when it cannot be checked; *xin gets the reading (0 when unchecked).
 */
bool fpb_insitu_state_ok(const struct fpb_cpu *cpu, bool dirty, uint64_t *xin);

/* ---- raw system calls: no glibc (and no glibc string routine) between condition and timing */

#if defined(__x86_64__)
static inline long fpb_insitu_syscall3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ __volatile__("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c)
			     : "rcx", "r11", "memory");
	return ret;
}

static inline long fpb_insitu_syscall4(long nr, long a, long b, long c, long d)
{
	register long r10 __asm__("r10") = d;
	long ret;

	__asm__ __volatile__("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10)
			     : "rcx", "r11", "memory");
	return ret;
}
#elif defined(__aarch64__)
static inline long fpb_insitu_syscall3(long nr, long a, long b, long c)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;

	__asm__ __volatile__("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	return x0;
}

static inline long fpb_insitu_syscall4(long nr, long a, long b, long c, long d)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;

	__asm__ __volatile__("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3)
			     : "memory");
	return x0;
}
#endif

/* ---- a minimal VM written against the KVM API (src/suites/insitu-kvm-vm.c), x86-64 hosts ---- */

/* Guest commands, written to guest memory before a KVM_RUN (the guest dispatches on them). */
enum fpb_kvm_cmd {
	FPB_KVM_CMD_NONE,
	FPB_KVM_CMD_CLEAN,	/* XRSTOR an init header; XINUSE to memory; exit on port 0x11 */
	FPB_KVM_CMD_DIRTY512,	/* write zmm0-31 and k0-7; XINUSE; exit on port 0x11 */
	FPB_KVM_CMD_DIRTY256,	/* write ymm0-15; XINUSE; exit on port 0x11 */
	FPB_KVM_CMD_USER,	/* exit to user space on port 0x10 (once per KVM_RUN) */
	FPB_KVM_CMD_KERNEL,	/* CPUID count times (exits the kernel handles), then port 0x12 */
};

#define FPB_KVM_PORT_USER	0x10
#define FPB_KVM_PORT_PREP	0x11
#define FPB_KVM_PORT_KERNEL	0x12

struct fpb_kvm_vm {
	int kvm, vm, vcpu;
	void *run;			/* struct kvm_run, mmap'ed */
	size_t run_size;
	unsigned char *mem;		/* guest physical memory from 0 */
	size_t mem_size;
	bool long_mode;			/* 64-bit guest (else real mode: no guest FPU commands) */
	uint64_t guest_xcr0;		/* what KVM_SET_XCRS set, 0 in real mode */
	bool check_xinuse;		/* the guest stores XGETBV(1) after its preparation */
};

/*
 * /dev/kvm here is paravirtual (PVM): present, but no vmx/svm flag in /proc/cpuinfo.  The
 * environment variable FPB_KVM_ASSUME_PVM=1 forces true where /dev/kvm exists (tests of that path).
 */
bool fpb_kvm_is_pvm(void);

/*
 * Create the VM: long_mode true for a 64-bit guest with CPUID, XCR0 (host XCR0 within x87, SSE,
 * AVX, AVX-512) and paging set up, false for a real-mode guest.  Returns 0, or -1 with a reason
 * ("/dev/kvm not present", "KVM_CREATE_VM: ...") and nothing left open.
 */
int fpb_kvm_vm_open(struct fpb_kvm_vm *v, const struct fpb_cpu *cpu, bool long_mode,
		    char *why, size_t len);
void fpb_kvm_vm_close(struct fpb_kvm_vm *v);

/* Set the command and, for FPB_KVM_CMD_KERNEL, the CPUID count the guest runs next. */
void fpb_kvm_vm_command(struct fpb_kvm_vm *v, enum fpb_kvm_cmd cmd, uint32_t count);

/*
 * One KVM_RUN through the raw system call; expects an exit on port (0: any).  Returns 0, or
 * -EINTR (a signal: the watchdog), -EIO with a reason (another exit: internal error, shutdown,
 * failed entry...), or -errno of the ioctl.
 */
int fpb_kvm_vm_run(struct fpb_kvm_vm *v, unsigned port, char *why, size_t len);

/* The guest's XGETBV(1) from its last preparation. */
uint64_t fpb_kvm_vm_guest_xinuse(const struct fpb_kvm_vm *v);

/* ---- paired conditions through one harness call ---- */

/* Time one batch of n events under condition cond (the measurement's own numbering). */
typedef int (*fpb_insitu_batch_fn)(void *arg, int cond, uint64_t n, struct fpb_sample *out);

/*
 * One row of a paired run.  A condition row (of < 0) runs batches of cond.  A difference row
 * (of, minus >= 0: indices of condition rows earlier in the array) reports, per round, the
 * figure of condition row `of` minus that of row `minus` from the same round: `of`'s batches
 * are replayed, not run again, so a difference costs no extra time.
 */
struct fpb_insitu_pair {
	long row;		/* index in in->r->rows (-1: none) */
	int cond;
	int of, minus;		/* -1 for condition rows */
};

/*
 * Time the rows p[0..np) interleaved in one fpb_harness_run() within budget_s, with one N for
 * all of them (chosen on the first condition row unless --batch gave one; batch_target: timer
 * units a batch of N should last).  Difference rows whose conditions were skipped are skipped;
 * measured difference rows get a note and the metric "relative_to_<minus scenario>".  Returns 0,
 * or -ENOMEM.
 */
int fpb_insitu_run_pairs(struct fpb_insitu *in, fpb_insitu_batch_fn fn, void *arg,
			 struct fpb_insitu_pair *p, size_t np, double budget_s,
			 uint64_t batch_target);

/*
 * Model vs reality: the strategies suite's prediction for an in-situ difference.  The in-situ
 * rows record what they measured here, and the model file looks them up.
 */
struct fpb_insitu_figure {
	const char *name;		/* in-situ row name: "context-switch", "kvm-exit-user" */
	const char *scenario;		/* the difference row's scenario */
	const char *strategy;		/* strategy whose prediction matches */
	const char *model_a, *model_b;	/* strategy scenarios: prediction = a minus b */
	unsigned model_events;		/* in-situ events in one model event (0: 1), e.g. the
					 * 100 exits of a kvm-run-100 KVM_RUN */
};

extern const struct fpb_insitu_figure fpb_insitu_figures[];
extern const size_t fpb_nr_insitu_figures;

/* The prediction itself: fpb_strategies_predict() (strategies-predict.h). */

/* Ratio limits outside which a model-vs-reality ratio is a finding. */
#define FPB_INSITU_RATIO_LO	0.5
#define FPB_INSITU_RATIO_HI	2.0

#endif /* FPB_INSITU_H */
