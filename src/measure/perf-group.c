// SPDX-License-Identifier: GPL-2.0-or-later
/* perf-group.c - grouped perf_event counting of the calling thread (see perf-group.h). */
#include "config.h"

#include <linux/perf_event.h>
#include <sys/ioctl.h>

#include "perf-group.h"
#include "perf-shim.h"

#define FPB_READ_FORMAT	(PERF_FORMAT_GROUP | PERF_FORMAT_TOTAL_TIME_ENABLED | \
			 PERF_FORMAT_TOTAL_TIME_RUNNING)

static void fpb_perf_attr(struct perf_event_attr *a, const struct fpb_perf_desc *d, bool leader)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->type = d->type;
	a->config = d->config;
	a->config1 = d->config1;
	a->config2 = d->config2;
	a->exclude_user = d->exclude_user;
	a->exclude_kernel = d->exclude_kernel;
	a->exclude_hv = d->exclude_hv;
	a->read_format = FPB_READ_FORMAT;
	a->disabled = leader;	/* the group starts when its leader is enabled */
}

static bool fpb_perf_is_hw(uint32_t type)
{
	return type != PERF_TYPE_SOFTWARE && type != PERF_TYPE_TRACEPOINT;
}

/* Software events that only ever count in kernel mode: user-only counting would read 0. */
static bool fpb_perf_kernel_only(const struct fpb_perf_desc *d)
{
	return d->type == PERF_TYPE_SOFTWARE && (d->config == PERF_COUNT_SW_CONTEXT_SWITCHES ||
						 d->config == PERF_COUNT_SW_CPU_MIGRATIONS);
}

/* Open one event into group_fd (-1: as a leader); retries user-only when kernel mode is refused. */
static int fpb_perf_open_one(struct fpb_perf_event *e, int group_fd)
{
	struct perf_event_attr a;
	int fd;

	fpb_perf_attr(&a, &e->d, group_fd < 0);
	fd = fpb_perf_sys.open(&a, 0, -1, group_fd, 0);
	if (fd < 0 && (errno == EACCES || errno == EPERM) && !a.exclude_kernel &&
	    !fpb_perf_kernel_only(&e->d)) {
		/* perf_event_paranoid >= 2 without CAP_PERFMON: user-mode counting still works */
		a.exclude_kernel = 1;
		a.exclude_hv = 1;
		fd = fpb_perf_sys.open(&a, 0, -1, group_fd, 0);
		if (fd >= 0)
			e->user_only = true;
	}
	return fd < 0 ? -errno : fd;
}

static void fpb_perf_fail(struct fpb_perf_event *e, int err)
{
	e->err = err;
	e->fd = -1;
	if (err == ENOENT || err == ENODEV || err == EOPNOTSUPP)
		e->state = FPB_PERF_EV_UNAVAILABLE;
	else if (err == EACCES || err == EPERM)
		e->state = FPB_PERF_EV_DENIED;
	else
		e->state = FPB_PERF_EV_FAILED;
}

/* Place event i: into the current group, else as the leader of a new one. */
static void fpb_perf_place(struct fpb_perf_set *s, size_t i)
{
	struct fpb_perf_event *e = &s->ev[i];
	struct fpb_perf_group *g = s->ngroups ? &s->g[s->ngroups - 1] : NULL;
	int fd = -ENOSPC;

	if (g)
		fd = fpb_perf_open_one(e, g->leader_fd);
	/* EINVAL/ENOSPC from a member: the group does not fit the PMU; start another group */
	if (fd < 0 && (!g || fd == -EINVAL || fd == -ENOSPC)) {
		fd = fpb_perf_open_one(e, -1);
		if (fd >= 0) {
			g = &s->g[s->ngroups++];
			g->leader_fd = fd;
			g->nmemb = 0;
		}
	}
	if (fd < 0) {
		fpb_perf_fail(e, -fd);
		return;
	}
	e->state = FPB_PERF_EV_OK;
	e->fd = fd;
	e->group = (int)(g - s->g);
	g->memb[g->nmemb++] = (int)i;
	s->nopen++;
	if (fpb_perf_is_hw(e->d.type))
		e->page = fpb_perf_sys.mmap_page(fd);
}

/* Open the events and start counting (see perf-group.h). */
int fpb_perf_set_open(struct fpb_perf_set *s, const struct fpb_perf_desc *d, size_t n,
		      char *why, size_t len)
{
	memset(s, 0, sizeof(*s));
	if (n == 0 || n > FPB_PERF_MAX)
		return -EINVAL;
	s->n = n;
	for (size_t i = 0; i < n; i++) {
		s->ev[i].d = d[i];
		s->ev[i].fd = -1;
		fpb_perf_place(s, i);
	}
	for (size_t k = 0; k < s->ngroups; k++) {
		fpb_perf_sys.ioctl(s->g[k].leader_fd, PERF_EVENT_IOC_RESET, PERF_IOC_FLAG_GROUP);
		fpb_perf_sys.ioctl(s->g[k].leader_fd, PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP);
	}
	if (!s->nopen && why && len) {
		const struct fpb_perf_event *e = &s->ev[0];

		fpb_snprintf(why, len, "perf_event_open(%s): %s", e->d.name,
			     fpb_perf_state_name(e));
	}
	return (int)s->nopen;
}

/* Close every event (members before their leaders). */
void fpb_perf_set_close(struct fpb_perf_set *s)
{
	for (size_t i = s->n; i-- > 0;) {
		struct fpb_perf_event *e = &s->ev[i];

		if (e->page)
			fpb_perf_sys.munmap_page(e->page);
		e->page = NULL;
		if (e->fd >= 0)
			fpb_perf_sys.close(e->fd);
		e->fd = -1;
	}
	s->nopen = 0;
	s->ngroups = 0;
}

/*
 * Read one event from its mmap page with rdpmc (the kernel's documented seqlock loop).
 * Returns false when the page does not allow it right now (then read() is used).
 */
static bool fpb_perf_read_page(const struct fpb_perf_event *e, uint64_t *count,
			       uint64_t *enabled, uint64_t *running)
{
	volatile struct perf_event_mmap_page *pc = e->page;
	uint32_t seq, idx;
	uint64_t cnt, ena, run;

	if (!pc)
		return false;
	do {
		seq = pc->lock;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (!pc->cap_user_rdpmc || !pc->cap_user_time)
			return false;
		idx = pc->index;
		if (!idx)
			return false;	/* not on a counter right now */
		ena = pc->time_enabled;
		run = pc->time_running;
		{
			uint64_t cyc = fpb_perf_sys.rdtsc();
			uint16_t shift = pc->time_shift;
			uint32_t mult = pc->time_mult;
			uint64_t quot = cyc >> shift;
			uint64_t rem = cyc & (((uint64_t)1 << shift) - 1);
			uint64_t delta = pc->time_offset + quot * mult + ((rem * mult) >> shift);

			ena += delta;
			run += delta;
		}
		cnt = (uint64_t)pc->offset;
		{
			uint16_t width = pc->pmc_width;
			uint64_t pmc = fpb_perf_sys.rdpmc(idx - 1);

			if (width && width < 64) {
				pmc <<= 64 - width;
				pmc = (uint64_t)((int64_t)pmc >> (64 - width));
			}
			cnt += pmc;
		}
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	} while (pc->lock != seq);
	*count = cnt;
	*enabled = ena;
	*running = run;
	return true;
}

static bool fpb_perf_read_group_pages(struct fpb_perf_set *s, const struct fpb_perf_group *g,
				      struct fpb_perf_snap *out)
{
	uint64_t c[FPB_PERF_MAX], en[FPB_PERF_MAX], ru[FPB_PERF_MAX];

	for (size_t m = 0; m < g->nmemb; m++)
		if (!fpb_perf_read_page(&s->ev[g->memb[m]], &c[m], &en[m], &ru[m]))
			return false;
	for (size_t m = 0; m < g->nmemb; m++) {
		out->count[g->memb[m]] = c[m];
		out->enabled[g->memb[m]] = en[m];
		out->running[g->memb[m]] = ru[m];
	}
	return true;
}

/* One read() of a whole group: nr, time_enabled, time_running, value[nr]. */
static int fpb_perf_read_group_fd(const struct fpb_perf_set *s, const struct fpb_perf_group *g,
				  struct fpb_perf_snap *out)
{
	uint64_t buf[3 + FPB_PERF_MAX];
	size_t want = (3 + g->nmemb) * sizeof(uint64_t);
	ssize_t got = fpb_perf_sys.read(g->leader_fd, buf, sizeof(buf));

	if (got < 0)
		return -errno;
	if ((size_t)got < want || buf[0] != g->nmemb)
		return -EIO;
	for (size_t m = 0; m < g->nmemb; m++) {
		out->count[g->memb[m]] = buf[3 + m];
		out->enabled[g->memb[m]] = buf[1];
		out->running[g->memb[m]] = buf[2];
	}
	(void)s;
	return 0;
}

/* Read every open event (see perf-group.h). */
int fpb_perf_set_read(struct fpb_perf_set *s, struct fpb_perf_snap *out)
{
	for (size_t k = 0; k < s->ngroups; k++) {
		const struct fpb_perf_group *g = &s->g[k];
		int rc;

		if (fpb_perf_read_group_pages(s, g, out)) {
			s->reads_rdpmc++;
			continue;
		}
		rc = fpb_perf_read_group_fd(s, g, out);
		if (rc)
			return rc;
		s->reads_syscall++;
	}
	return 0;
}

/* Scaled counts between two snapshots (see perf-group.h). */
unsigned fpb_perf_delta(const struct fpb_perf_set *s, const struct fpb_perf_snap *a,
			const struct fpb_perf_snap *b, uint64_t *ev, double *max_scale)
{
	unsigned flags = 0;
	double worst = 1.0;
	size_t k = 0;

	for (size_t i = 0; i < s->n; i++) {
		uint64_t dc, de, dr;

		if (s->ev[i].state != FPB_PERF_EV_OK)
			continue;
		dc = b->count[i] - a->count[i];
		de = b->enabled[i] - a->enabled[i];
		dr = b->running[i] - a->running[i];
		if (dr == 0 && de != 0) {
			flags |= FPB_PERF_NOT_RUN;
			ev[k++] = 0;
			continue;
		}
		if (dr < de) {
			double f = (double)de / (double)dr;

			flags |= FPB_PERF_SCALED;
			if (f > worst)
				worst = f;
			dc = (uint64_t)((double)dc * f + 0.5);
		}
		ev[k++] = dc;
	}
	if (max_scale)
		*max_scale = worst;
	return flags;
}

/* Short text for an event's open result. */
const char *fpb_perf_state_name(const struct fpb_perf_event *e)
{
	switch (e->state) {
	case FPB_PERF_EV_OK:
		return e->user_only ? "counting (user mode only)" : "counting";
	case FPB_PERF_EV_UNAVAILABLE:
		return e->err == ENOENT ? "no such counter here (ENOENT)" :
		       e->err == ENODEV ? "no such counter here (ENODEV)" :
		       "not supported here (EOPNOTSUPP)";
	case FPB_PERF_EV_DENIED:
		return "permission denied: kernel-mode counting needs root or "
		       "kernel.perf_event_paranoid <= 1";
	case FPB_PERF_EV_FAILED:
		break;
	}
	return "perf_event_open failed";
}
