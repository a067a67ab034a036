// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * probe.c - run something once under SIGILL/SIGSEGV/SIGBUS/SIGFPE handlers (sigsetjmp), so an
 * instruction this CPU, hypervisor or privilege level refuses becomes a reason, not a crash.
 */
#include "config.h"
#include <setjmp.h>
#include <signal.h>
#include "probe.h"

static const int probe_signals[] = { SIGILL, SIGSEGV, SIGBUS, SIGFPE };

static __thread sigjmp_buf probe_env;
static __thread volatile sig_atomic_t probe_armed, probe_sig;

static void probe_handler(int sig)
{
	if (!probe_armed) {
		/* Not ours (another thread faulted): let the default action happen. */
		signal(sig, SIG_DFL);
		return;
	}
	probe_armed = 0;
	probe_sig = sig;
	siglongjmp(probe_env, 1);
}

static const char *signal_meaning(int sig)
{
	switch (sig) {
	case SIGILL:
		return "SIGILL (#UD: instruction not available)";
	case SIGSEGV:
		return "SIGSEGV (#GP: privileged or invalid operand)";
	case SIGBUS:
		return "SIGBUS";
	case SIGFPE:
		return "SIGFPE";
	default:
		return "a signal";
	}
}

int fpb_probe_run(void (*fn)(void *arg), void *arg, const char *what, char *why, size_t len)
{
	struct sigaction sa, old[FPB_ARRAY_SIZE(probe_signals)];
	int sig = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = probe_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NODEFER;
	for (size_t i = 0; i < FPB_ARRAY_SIZE(probe_signals); i++)
		sigaction(probe_signals[i], &sa, &old[i]);

	probe_sig = 0;
	if (sigsetjmp(probe_env, 1) == 0) {
		probe_armed = 1;
		fn(arg);
		probe_armed = 0;
	}
	sig = probe_sig;

	for (size_t i = 0; i < FPB_ARRAY_SIZE(probe_signals); i++)
		sigaction(probe_signals[i], &old[i], NULL);
	if (sig && why)
		snprintf(why, len, "%s raised %s", what ? what : "probe", signal_meaning(sig));
	return sig;
}

static const char *const probe_names[FPB_NR_PROBES] = {
	[FPB_PROBE_XSAVE] = "xsave", [FPB_PROBE_XSAVEOPT] = "xsaveopt",
	[FPB_PROBE_XSAVEC] = "xsavec", [FPB_PROBE_XSAVES] = "xsaves",
	[FPB_PROBE_XRSTORS] = "xrstors", [FPB_PROBE_XGETBV1] = "xgetbv1",
	[FPB_PROBE_RDPKRU] = "rdpkru", [FPB_PROBE_UD2] = "ud2",
};

const char *fpb_probe_insn_name(enum fpb_probe_insn insn)
{
	return (unsigned)insn < FPB_NR_PROBES ? probe_names[insn] : "?";
}

#if defined(__x86_64__)
static unsigned char probe_buf[4096] __attribute__((aligned(64)));

static void run_insn(void *arg)
{
	enum fpb_probe_insn insn = *(enum fpb_probe_insn *)arg;
	uint32_t lo = 3, hi = 0;

	switch (insn) {
	case FPB_PROBE_XSAVE:
		__asm__ __volatile__("xsave64 (%0)" :: "r"(probe_buf), "a"(lo), "d"(hi) : "memory");
		break;
	case FPB_PROBE_XSAVEOPT:
		__asm__ __volatile__("xsaveopt64 (%0)" :: "r"(probe_buf), "a"(lo), "d"(hi)
				     : "memory");
		break;
	case FPB_PROBE_XSAVEC:
		__asm__ __volatile__("xsavec64 (%0)" :: "r"(probe_buf), "a"(lo), "d"(hi)
				     : "memory");
		break;
	case FPB_PROBE_XSAVES:
		__asm__ __volatile__("xsaves64 (%0)" :: "r"(probe_buf), "a"(lo), "d"(hi)
				     : "memory");
		break;
	case FPB_PROBE_XRSTORS:
		/* An init image: XSTATE_BV = 0, XCOMP_BV = bit 63 | x87 | SSE, MXCSR default. */
		memset(probe_buf, 0, sizeof(probe_buf));
		probe_buf[24] = 0x80;
		probe_buf[25] = 0x1f;
		probe_buf[512 + 8] = 3;
		probe_buf[512 + 15] = 0x80;
		__asm__ __volatile__("xrstors64 (%0)" :: "r"(probe_buf), "a"(lo), "d"(hi)
				     : "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5",
				     "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12",
				     "xmm13", "xmm14", "xmm15");
		break;
	case FPB_PROBE_XGETBV1:
		__asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(1));
		break;
	case FPB_PROBE_RDPKRU:
		__asm__ __volatile__("rdpkru" : "=a"(lo), "=d"(hi) : "c"(0));
		break;
	case FPB_PROBE_UD2:
		__asm__ __volatile__("ud2");
		break;
	default:
		break;
	}
}

int fpb_probe_insn(enum fpb_probe_insn insn, char *why, size_t len)
{
	enum fpb_probe_insn arg = insn;

	if ((unsigned)insn >= FPB_NR_PROBES) {
		snprintf(why, len, "unknown probe %d", (int)insn);
		return -1;
	}
	return fpb_probe_run(run_insn, &arg, fpb_probe_insn_name(insn), why, len);
}
#else
int fpb_probe_insn(enum fpb_probe_insn insn, char *why, size_t len)
{
	snprintf(why, len, "%s: not x86-64", fpb_probe_insn_name(insn));
	return -1;
}
#endif
