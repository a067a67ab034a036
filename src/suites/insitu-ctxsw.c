// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * insitu-ctxsw.c - the FPU share of a context switch on the running kernel.
 *
 * Two threads pinned to the same CPU ping-pong through a futex word with raw futex system calls:
 * each round trip is two context switches, and in each the kernel saves the leaving thread's
 * extended state and restores the arriving one's (Linux: XSAVES at switch, XRSTORS on the way
 * back to user space).  Both threads hold the same condition: clean (init state: XRSTOR of an
 * init header) or dirty (every AVX/AVX-512 register written once per batch, so the registers
 * are in use but not rewritten between switches: the processor's modified optimisation may spare
 * the save).  A batch prepares both threads, times n round trips and checks XINUSE in both
 * threads afterwards; a mismatch drops the batch.  Nothing runs in the loop but integer code
 * and the syscall instruction: no glibc, no string routine that might touch zmm registers.
 * Per event = per switch (a round trip's time halved).
 */
#include "config.h"
#include <pthread.h>
#include <sched.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include "insitu.h"

#define CTXSW_TARGET	400000ull	/* TSC ticks a batch of N should last (~100 switches) */
#define CTXSW_QUICK_TARGET 200000ull

enum { CMD_RUN, CMD_CLEAN, CMD_DIRTY, CMD_CHECK, CMD_EXIT };
enum { COND_CLEAN, COND_DIRTY };

struct ctxsw {
	/* shared with the partner; the futex word alone on its cache line */
	int word __attribute__((aligned(64)));	/* 1: partner's turn, 0: main's turn */
	int cmd __attribute__((aligned(64)));
	uint64_t xin;			/* partner's XINUSE at the last CMD_CHECK */
	const struct fpb_cpu *cpu;
	struct fpb_timer *tm;
	pthread_t th;
	bool started;
	uint64_t mismatches, last_xin_main, last_xin_partner;
};

static inline void futex_wait(int *w, int val)
{
	fpb_insitu_syscall4(SYS_futex, (long)w, FUTEX_WAIT_PRIVATE, val, 0);
}

static inline void futex_wake(int *w)
{
	fpb_insitu_syscall3(SYS_futex, (long)w, FUTEX_WAKE_PRIVATE, 1);
}

/* Hand the turn to the partner and wait for it back. */
static inline void round_trip(struct ctxsw *c)
{
	__atomic_store_n(&c->word, 1, __ATOMIC_RELEASE);
	futex_wake(&c->word);
	while (__atomic_load_n(&c->word, __ATOMIC_ACQUIRE) == 1)
		futex_wait(&c->word, 1);
}

static void command(struct ctxsw *c, int cmd)
{
	__atomic_store_n(&c->cmd, cmd, __ATOMIC_RELAXED);
	round_trip(c);
	__atomic_store_n(&c->cmd, CMD_RUN, __ATOMIC_RELAXED);
}

static void *partner(void *arg)
{
	struct ctxsw *c = arg;

	for (;;) {
		int cmd;

		while (__atomic_load_n(&c->word, __ATOMIC_ACQUIRE) == 0)
			futex_wait(&c->word, 0);
		cmd = __atomic_load_n(&c->cmd, __ATOMIC_RELAXED);
		if (cmd == CMD_CLEAN || cmd == CMD_DIRTY) {
			fpb_insitu_prepare(c->cpu, cmd == CMD_DIRTY);
		} else if (cmd == CMD_CHECK) {
			uint64_t x;

			(void)fpb_insitu_state_ok(c->cpu, false, &x);
			c->xin = x;
		}
		__atomic_store_n(&c->word, 0, __ATOMIC_RELEASE);
		futex_wake(&c->word);
		if (cmd == CMD_EXIT)
			return NULL;
	}
}

static int ctxsw_batch(void *arg, int cond, uint64_t n, struct fpb_sample *out)
{
	struct ctxsw *c = arg;
	bool dirty = cond == COND_DIRTY;
	uint64_t bits = fpb_insitu_check_bits(c->cpu), t0, t1, xin;
	bool ok;

	memset(out, 0, sizeof(*out));
	command(c, dirty ? CMD_DIRTY : CMD_CLEAN);
	fpb_insitu_prepare(c->cpu, dirty);
	t0 = c->tm->begin(c->tm);
	for (uint64_t i = 0; i < n; i++)
		round_trip(c);
	t1 = c->tm->end(c->tm, &out->cpu);
	ok = fpb_insitu_state_ok(c->cpu, dirty, &xin);
	command(c, CMD_CHECK);
	c->last_xin_main = xin;
	c->last_xin_partner = c->xin;
	if (bits && (c->xin & bits) != (dirty ? bits : 0))
		ok = false;
	if (!ok) {
		out->flags |= FPB_SAMPLE_STATE_MISMATCH;
		c->mismatches++;
	}
	/* n round trips are 2n switches: the batch of n switches is half of it. */
	out->t = (t1 - t0) / 2;
	return 0;
}

/* Pin the calling thread to cpu; *old gets its previous mask. */
static int pin_here(int cpu, cpu_set_t *old)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(*old), old))
		return -errno;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return -errno;
	return 0;
}

static int start_partner(struct ctxsw *c, int cpu, char *why, size_t len)
{
	pthread_attr_t attr;
	cpu_set_t set;
	int err;

	if (pthread_attr_init(&attr)) {
		snprintf(why, len, "pthread_attr_init failed");
		return -1;
	}
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	err = pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
	if (!err)
		err = pthread_create(&c->th, &attr, partner, c);
	pthread_attr_destroy(&attr);
	if (err) {
		snprintf(why, len, "cannot start the partner thread on CPU %d: %s", cpu,
			 strerror(err));
		return -1;
	}
	c->started = true;
	return 0;
}

static void stop_partner(struct ctxsw *c)
{
	if (!c->started)
		return;
	command(c, CMD_EXIT);
	pthread_join(c->th, NULL);
	c->started = false;
}

static int ctxsw_run(struct fpb_insitu *in, double budget_s)
{
	static const char *const name = "context-switch";
	struct fpb_insitu_pair p[3];
	char why[FPB_REASON_LEN] = "", desc[96];
	struct ctxsw *c = NULL;
	const char *sn = fpb_insitu_state_name(&in->s->cpu);
	cpu_set_t old;
	bool pinned = false;
	long rows[3];
	int ret = 0;

#if !defined(__x86_64__)
	if (in->all_arches)
		return fpb_insitu_skip(in, name, "clean", "x86-64 only (this build is %s)",
#if defined(__aarch64__)
				       "arm64"
#else
				       "another architecture"
#endif
				       ) < 0 ? -ENOMEM : 0;
	return 0;
#endif
	rows[0] = fpb_insitu_row(in, name, "clean", "switch");
	rows[1] = fpb_insitu_row(in, name, "dirty", "switch");
	rows[2] = fpb_insitu_row(in, name, "dirty-minus-clean", "switch");
	if (rows[0] < 0 || rows[1] < 0 || rows[2] < 0)
		return -ENOMEM;
	for (int i = 0; i < 3; i++)
		snprintf(in->r->rows[rows[i]].state, sizeof(in->r->rows[rows[i]].state), "%s",
			 i == 0 ? "init" : "dirty");
	if (!fpb_cpu_has(&in->s->cpu, FPB_CPU_XSAVE) || !in->s->cpu.xcr0) {
		snprintf(why, sizeof(why), "no XSAVE: the clean state cannot be prepared");
		goto skip;
	}
	c = aligned_alloc(64, FPB_ALIGN_UP(sizeof(*c), 64));
	if (!c)
		return -ENOMEM;
	memset(c, 0, sizeof(*c));
	c->cpu = &in->s->cpu;
	c->tm = in->s->timer;
	ret = pin_here(in->cpu, &old);
	if (ret) {
		snprintf(why, sizeof(why), "cannot pin to CPU %d: %s", in->cpu, strerror(-ret));
		ret = 0;
		goto skip;
	}
	pinned = true;
	if (start_partner(c, in->cpu, why, sizeof(why)))
		goto skip;

	p[0] = (struct fpb_insitu_pair){ rows[0], COND_CLEAN, -1, -1 };
	p[1] = (struct fpb_insitu_pair){ rows[1], COND_DIRTY, -1, -1 };
	p[2] = (struct fpb_insitu_pair){ rows[2], COND_DIRTY, 1, 0 };
	ret = fpb_insitu_run_pairs(in, ctxsw_batch, c, p, 3, budget_s,
				   in->quick ? CTXSW_QUICK_TARGET : CTXSW_TARGET);
	stop_partner(c);

	fpb_insitu_dirty_desc(&in->s->cpu, desc, sizeof(desc));
	for (int i = 0; i < 3; i++) {
		struct fpb_row *row = &in->r->rows[rows[i]];

		row->mask = fpb_insitu_dirty_sel(&in->s->cpu);
		snprintf(row->mask_name, sizeof(row->mask_name), "%s", sn);
		if (i == 0)
			fpb_insitu_note(row, "two threads on CPU %d, futex ping-pong, init state "
					"(XRSTOR of an init header)", in->cpu);
		else if (i == 1)
			fpb_insitu_note(row, "both threads hold %s written once a batch (%s)", sn,
					desc);
		if (c->mismatches && row->status == FPB_ROW_MEASURED)
			fpb_insitu_note(row, "%llu batches dropped over XINUSE (last: main 0x%llx, "
					"partner 0x%llx)", (unsigned long long)c->mismatches,
					(unsigned long long)c->last_xin_main,
					(unsigned long long)c->last_xin_partner);
	}
	goto out;
skip:
	for (int i = 0; i < 3; i++)
		fpb_row_skip(&in->r->rows[rows[i]], "%s", why);
out:
	if (c)
		stop_partner(c);
	if (pinned)
		sched_setaffinity(0, sizeof(old), &old);
	free(c);
	return ret;
}

const struct fpb_insitu_measure fpb_insitu_ctxsw = {
	.name	= "context-switch",
	.weight	= 4.0,
	.run	= ctxsw_run,
};
