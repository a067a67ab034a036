// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * insitu-signal.c - signal delivery and sigreturn with clean and dirty extended state.
 *
 * The thread sends itself a signal with a raw tgkill: the kernel writes the extended state into
 * the signal frame on the user stack (XSAVE in the user-ABI standard format), runs the handler
 * with the registers reset, and sigreturn reads the frame back (XRSTOR).  The handler only counts.
 * Clean and dirty as in the context switch; the per-event figure is one delivery plus sigreturn.
 * The frame size the kernel asks for comes from getauxval(AT_MINSIGSTKSZ).
 */
#include "config.h"
#include <signal.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include "insitu.h"

#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ	51
#endif

#define SIGNAL_SIG		SIGUSR1
#define SIGNAL_TARGET		300000ull
#define SIGNAL_QUICK_TARGET	150000ull

enum { COND_CLEAN, COND_DIRTY };

static volatile sig_atomic_t signal_count;

static void on_signal(int sig)
{
	(void)sig;
	signal_count++;
}

struct sigm {
	const struct fpb_cpu *cpu;
	struct fpb_timer *tm;
	long pid, tid;
	uint64_t mismatches, lost, last_xin;
};

static int signal_batch(void *arg, int cond, uint64_t n, struct fpb_sample *out)
{
	struct sigm *m = arg;
	bool dirty = cond == COND_DIRTY, ok;
	uint64_t t0, t1, xin;
	sig_atomic_t before = signal_count;

	memset(out, 0, sizeof(*out));
	fpb_insitu_prepare(m->cpu, dirty);
	t0 = m->tm->begin(m->tm);
	for (uint64_t i = 0; i < n; i++)
		fpb_insitu_syscall3(SYS_tgkill, m->pid, m->tid, SIGNAL_SIG);
	t1 = m->tm->end(m->tm, &out->cpu);
	ok = fpb_insitu_state_ok(m->cpu, dirty, &xin);
	m->last_xin = xin;
	if (!ok) {
		out->flags |= FPB_SAMPLE_STATE_MISMATCH;
		m->mismatches++;
	}
	if ((uint64_t)(signal_count - before) != n) {
		out->flags |= FPB_SAMPLE_FAULT;
		m->lost++;
	}
	out->t = t1 - t0;
	return 0;
}

/* The kernel's minimum signal stack size (its frame with the full extended state), or 0. */
static unsigned long sigframe_bytes(void)
{
	return getauxval(AT_MINSIGSTKSZ);
}

static int signal_run(struct fpb_insitu *in, double budget_s)
{
	static const char *const name = "signal";
	const char *sn = fpb_insitu_state_name(&in->s->cpu);
	struct sigaction sa, old;
	struct fpb_insitu_pair p[3];
	unsigned long frame = sigframe_bytes();
	struct sigm m;
	long rows[3];
	char desc[96];
	int ret;

	rows[0] = fpb_insitu_row(in, name, "clean", "signal");
	rows[1] = fpb_insitu_row(in, name, "dirty", "signal");
	rows[2] = fpb_insitu_row(in, name, "dirty-minus-clean", "signal");
	if (rows[0] < 0 || rows[1] < 0 || rows[2] < 0)
		return -ENOMEM;

	memset(&m, 0, sizeof(m));
	m.cpu = &in->s->cpu;
	m.tm = in->s->timer;
	m.pid = getpid();
	m.tid = syscall(SYS_gettid);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGNAL_SIG, &sa, &old)) {
		for (int i = 0; i < 3; i++)
			fpb_row_skip(&in->r->rows[rows[i]], "sigaction: %s", strerror(errno));
		return 0;
	}
	p[0] = (struct fpb_insitu_pair){ rows[0], COND_CLEAN, -1, -1 };
	p[1] = (struct fpb_insitu_pair){ rows[1], COND_DIRTY, -1, -1 };
	p[2] = (struct fpb_insitu_pair){ rows[2], COND_DIRTY, 1, 0 };
	ret = fpb_insitu_run_pairs(in, signal_batch, &m, p, 3, budget_s,
				   in->quick ? SIGNAL_QUICK_TARGET : SIGNAL_TARGET);
	sigaction(SIGNAL_SIG, &old, NULL);

	fpb_insitu_dirty_desc(&in->s->cpu, desc, sizeof(desc));
	for (int i = 0; i < 3; i++) {
		struct fpb_row *row = &in->r->rows[rows[i]];

		snprintf(row->state, sizeof(row->state), "%s", i ? "dirty" : "init");
		row->mask = fpb_insitu_dirty_sel(&in->s->cpu);
		snprintf(row->mask_name, sizeof(row->mask_name), "%s", sn);
		if (frame)
			fpb_row_add_metric(row, "sigframe_bytes", "bytes", (double)frame);
		if (in->s->cpu.xsave_size_xcr0)
			fpb_row_add_metric(row, "xsave_bytes", "bytes",
					   (double)in->s->cpu.xsave_size_xcr0);
		if (row->status != FPB_ROW_MEASURED)
			continue;
		if (i == 0)
			fpb_insitu_note(row, "tgkill to itself, handler counts, sigreturn; init "
					"state");
		else if (i == 1)
			fpb_insitu_note(row, "%s written once a batch (%s)", sn, desc);
		if (!frame && i == 0)
			fpb_insitu_note(row, "AT_MINSIGSTKSZ not provided by this kernel");
		if (m.mismatches)
			fpb_insitu_note(row, "%llu batches dropped over XINUSE (last 0x%llx)",
					(unsigned long long)m.mismatches,
					(unsigned long long)m.last_xin);
		if (m.lost)
			fpb_insitu_note(row, "%llu batches dropped: a signal was lost",
					(unsigned long long)m.lost);
	}
	return ret;
}

const struct fpb_insitu_measure fpb_insitu_signal = {
	.name	= "signal",
	.weight	= 2.5,
	.run	= signal_run,
};
