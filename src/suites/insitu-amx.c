// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * insitu-amx.c - AMX and XFD: what the first tile instruction of a process costs.
 *
 * Linux arms XFD for AMX tile data until the process asks for it (arch_prctl
 * ARCH_REQ_XCOMP_PERM, once per process) and then uses it: the first tile instruction raises #NM,
 * the kernel allocates the larger state buffer, disarms XFD for the task and retries.  Since both
 * happen once per process, every sample is a fresh child process (fork per event): it times the
 * permission request, the first LDTILECFG+TILEZERO (fault and reallocation) and the same pair
 * again (steady state), and sends the three figures back through a pipe.  A batch of n events
 * forks n children and adds their figures, so the fork itself is never timed.
 */
#include "config.h"
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "insitu.h"
#include "xstate.h"

#define ARCH_REQ_XCOMP_PERM_NR	0x1023	/* asm/prctl.h */
#define AMX_TARGET		40000ull

enum { COND_PERM, COND_FIRST, COND_STEADY, NR_AMX_CONDS };

struct amx {
	struct fpb_timer *tm;
	int err;			/* errno a child reported */
};

#if defined(__x86_64__)
/* Palette 1, tile 0: 16 rows of 64 bytes. */
static const unsigned char tilecfg[64] __attribute__((aligned(64))) = {
	[0] = 1, [16] = 64, [48] = 16,
};

static inline void tile_use(void)
{
	__asm__ __volatile__("ldtilecfg (%0)\n\ttilezero %%tmm0" :: "r"(tilecfg) : "memory");
}

static inline void tile_release(void)
{
	__asm__ __volatile__("tilerelease" ::: "memory");
}

/* The child: time the three steps, write them (or -errno) to fd, exit. */
static void amx_child(struct fpb_timer *tm, int fd)
{
	int64_t res[NR_AMX_CONDS + 1] = { 0 };
	uint64_t t0, t1;
	long ret;
	int cpu;

	t0 = tm->begin(tm);
	ret = fpb_insitu_syscall3(SYS_arch_prctl, ARCH_REQ_XCOMP_PERM_NR, FPB_XF_TILEDATA, 0);
	t1 = tm->end(tm, &cpu);
	if (ret < 0) {
		res[NR_AMX_CONDS] = ret;
		goto out;
	}
	res[COND_PERM] = (int64_t)(t1 - t0);
	t0 = tm->begin(tm);
	tile_use();
	t1 = tm->end(tm, &cpu);
	res[COND_FIRST] = (int64_t)(t1 - t0);
	tile_release();
	t0 = tm->begin(tm);
	tile_use();
	t1 = tm->end(tm, &cpu);
	res[COND_STEADY] = (int64_t)(t1 - t0);
	tile_release();
out:
	if (write(fd, res, sizeof(res)) != (ssize_t)sizeof(res))
		_exit(2);
	_exit(0);
}

/* One child; fills res or returns -errno. */
static int amx_sample(struct amx *a, int64_t *res)
{
	int fd[2], status;
	ssize_t got;
	pid_t pid;

	if (pipe(fd))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return -errno;
	}
	if (!pid) {
		close(fd[0]);
		amx_child(a->tm, fd[1]);
	}
	close(fd[1]);
	got = read(fd[0], res, (NR_AMX_CONDS + 1) * sizeof(*res));
	close(fd[0]);
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (got != (ssize_t)((NR_AMX_CONDS + 1) * sizeof(*res)))
		return WIFSIGNALED(status) ? -EFAULT : -EIO;
	if (res[NR_AMX_CONDS] < 0)
		return (int)res[NR_AMX_CONDS];
	return 0;
}

static int amx_batch(void *arg, int cond, uint64_t n, struct fpb_sample *out)
{
	struct amx *a = arg;
	int64_t res[NR_AMX_CONDS + 1];

	memset(out, 0, sizeof(*out));
	out->cpu = -1;
	for (uint64_t i = 0; i < n; i++) {
		int ret = amx_sample(a, res);

		if (ret < 0) {
			a->err = -ret;
			return ret;
		}
		out->t += (uint64_t)res[cond];
	}
	return 0;
}
#endif /* __x86_64__ */

/* Why AMX cannot be measured here, or NULL. */
static const char *amx_unavailable(const struct fpb_insitu *in)
{
	const struct fpb_cpu *cpu = &in->s->cpu;

#if !defined(__x86_64__)
	return "x86-64 only";
#endif
	if (!fpb_cpu_has(cpu, FPB_CPU_AMX_TILE))
		return "no AMX on this CPU";
	if (!fpb_cpu_has(cpu, FPB_CPU_XFD))
		return "no XFD on this CPU";
	if (!(cpu->xcr0 & FPB_BIT(FPB_XF_TILEDATA)))
		return "the kernel does not enable AMX tile data in XCR0";
	if (strcmp(in->s->timer->name, "tsc") && strcmp(in->s->timer->name, "clock"))
		return "a forked child needs the tsc or clock timer";
	return NULL;
}

static int amx_run(struct fpb_insitu *in, double budget_s)
{
	static const char *const name = "amx-first-use";
	const char *why = amx_unavailable(in);

#if !defined(__x86_64__)
	(void)budget_s;
	if (in->all_arches && fpb_insitu_skip(in, name, "first-use", "%s", why) < 0)
		return -ENOMEM;
	return 0;
#else
	static const char *const scen[] = { "perm", "first-use", "steady", "first-minus-steady" };
	struct fpb_insitu_pair p[4];
	struct amx a = { .tm = in->s->timer };
	long rows[4];
	int64_t res[NR_AMX_CONDS + 1];
	int ret;

	if (why) {
		if (fpb_insitu_skip(in, name, "first-use", "%s", why) < 0)
			return -ENOMEM;
		return 0;
	}
	for (int i = 0; i < 4; i++) {
		rows[i] = fpb_insitu_row(in, name, scen[i], i == COND_PERM ? "request" : "use");
		if (rows[i] < 0)
			return -ENOMEM;
	}
	ret = amx_sample(&a, res);
	if (ret < 0) {
		for (int i = 0; i < 4; i++)
			fpb_row_skip(&in->r->rows[rows[i]], "%s", ret == -EFAULT ?
				     "the first tile instruction killed the child (SIGILL?)" :
				     ret == -EIO ? "the child reported nothing" :
				     "arch_prctl(ARCH_REQ_XCOMP_PERM) failed");
		if (ret != -EFAULT && ret != -EIO)
			snprintf(in->r->rows[rows[0]].reason + strlen(in->r->rows[rows[0]].reason),
				 sizeof(in->r->rows[0].reason) -
				 strlen(in->r->rows[rows[0]].reason), ": %s", strerror(-ret));
		return 0;
	}
	for (int i = 0; i < NR_AMX_CONDS; i++)
		p[i] = (struct fpb_insitu_pair){ rows[i], i, -1, -1 };
	p[3] = (struct fpb_insitu_pair){ rows[3], COND_FIRST, COND_FIRST, COND_STEADY };
	ret = fpb_insitu_run_pairs(in, amx_batch, &a, p, 4, budget_s, AMX_TARGET);
	for (int i = 0; i < 4; i++) {
		struct fpb_row *row = &in->r->rows[rows[i]];

		row->mask = FPB_XMASK_AMX;
		snprintf(row->mask_name, sizeof(row->mask_name), "amx");
		if (row->status != FPB_ROW_MEASURED)
			continue;
		fpb_insitu_note(row, "%s", i == COND_PERM ? "arch_prctl(ARCH_REQ_XCOMP_PERM), "
				"fork per event" : i == COND_FIRST ? "first LDTILECFG+TILEZERO: XFD "
				"#NM and buffer reallocation, fork per event" : i == COND_STEADY ?
				"LDTILECFG+TILEZERO again, buffer in place" : "XFD fault share");
	}
	return ret;
#endif
}

const struct fpb_insitu_measure fpb_insitu_amx = {
	.name	= "amx-first-use",
	.weight	= 1.0,
	.run	= amx_run,
};
