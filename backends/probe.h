/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * probe.h - run an instruction once to learn whether it can run here.
 *
 * CPUID can claim what a hypervisor or the OS does not allow, and some instructions are
 * privileged (XSAVES raises #GP in user mode, delivered as SIGSEGV).  A probe turns "cannot run
 * here" into a reason string instead of a crash.  User space only.
 */
#ifndef FPB_PROBE_H
#define FPB_PROBE_H

#include "fpb_env.h"

/*
 * Run fn(arg) once with SIGILL, SIGSEGV, SIGBUS and SIGFPE handlers installed; the previous
 * handlers are restored afterwards.  Returns 0 when fn returned, or the signal number that
 * interrupted it with why filled ("<what> raised SIGSEGV (#GP: privileged or invalid operand)").
 * Not reentrant across threads running probes at the same time.
 */
int fpb_probe_run(void (*fn)(void *arg), void *arg, const char *what, char *why, size_t len);

/* Instructions a probe can try on its own (fpb_probe_insn). */
enum fpb_probe_insn {
	FPB_PROBE_XSAVE, FPB_PROBE_XSAVEOPT, FPB_PROBE_XSAVEC, FPB_PROBE_XSAVES,
	FPB_PROBE_XRSTORS, FPB_PROBE_XGETBV1, FPB_PROBE_RDPKRU, FPB_PROBE_UD2,
	FPB_NR_PROBES
};

/* Name of a probe ("xsaves", ...). */
const char *fpb_probe_insn_name(enum fpb_probe_insn insn);

/*
 * Execute insn once (into a private, aligned, zeroed buffer, RFBM = x87|SSE).  Returns 0 when it
 * ran, or the signal number with why filled.  x86-64 only; elsewhere returns -1 "not x86-64".
 */
int fpb_probe_insn(enum fpb_probe_insn insn, char *why, size_t len);

#endif /* FPB_PROBE_H */
