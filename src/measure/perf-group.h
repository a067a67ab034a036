/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * perf-group.h - counting events of the calling thread through perf_event_open (via the
 * fpb_perf_sys shim), described without struct perf_event_attr so that libpfm4's encoder
 * (counters-pfm.c) and the kernel header (perf-group.c) never meet.
 *
 * The events are opened as one group for the calling thread (pid 0, cpu -1).  A member the PMU
 * cannot schedule together with the others starts a further group; the kernel then multiplexes
 * the groups and every count is scaled by time_enabled / time_running, and said so.  Reads go
 * through rdpmc on the mmap page when the kernel allows it (cap_user_rdpmc and cap_user_time),
 * otherwise through one read() per group (PERF_FORMAT_GROUP).
 */
#ifndef FPB_PERF_GROUP_H
#define FPB_PERF_GROUP_H

#include "fpb_env.h"

#define FPB_PERF_MAX		8	/* = FPB_MAX_EVENTS */
#define FPB_PERF_NAME_LEN	64

/* One event to open.  type/config as in perf_event_attr (PERF_TYPE_*). */
struct fpb_perf_desc {
	char name[FPB_PERF_NAME_LEN];	/* for messages */
	uint32_t type;
	uint64_t config, config1, config2;
	bool exclude_user, exclude_kernel, exclude_hv;
};

/* What happened to one event at open. */
enum fpb_perf_ev_state {
	FPB_PERF_EV_OK,
	FPB_PERF_EV_UNAVAILABLE,	/* ENOENT/ENODEV/EOPNOTSUPP: no such counter here (no PMU) */
	FPB_PERF_EV_DENIED,		/* EACCES/EPERM even for user-mode counting */
	FPB_PERF_EV_FAILED,		/* anything else (errno in err) */
};

struct fpb_perf_event {
	struct fpb_perf_desc d;
	enum fpb_perf_ev_state state;
	int err;		/* errno of the failed open */
	int fd;
	int group;		/* index of its group */
	bool user_only;		/* kernel-mode counting was refused: counts user mode only */
	void *page;		/* mmap control page (hardware events), NULL otherwise */
};

struct fpb_perf_group {
	int leader_fd;
	size_t nmemb;
	int memb[FPB_PERF_MAX];	/* event indices, in the group's read order */
};

struct fpb_perf_set {
	size_t n;
	struct fpb_perf_event ev[FPB_PERF_MAX];
	size_t ngroups;
	struct fpb_perf_group g[FPB_PERF_MAX];
	size_t nopen;			/* events in state OK */
	uint64_t reads_rdpmc, reads_syscall;	/* how group reads were done */
};

/* Cumulative values of every event (index as in set->ev), taken at one moment. */
struct fpb_perf_snap {
	uint64_t count[FPB_PERF_MAX];
	uint64_t enabled[FPB_PERF_MAX];
	uint64_t running[FPB_PERF_MAX];
};

/*
 * Open n events (n <= FPB_PERF_MAX) for the calling thread and start counting.  Events that
 * cannot be opened get a state and an errno; the others are grouped.  Returns the number of
 * events opened (0: why says why none could be), or -EINVAL for bad arguments.
 */
int fpb_perf_set_open(struct fpb_perf_set *s, const struct fpb_perf_desc *d, size_t n,
		      char *why, size_t len);
void fpb_perf_set_close(struct fpb_perf_set *s);

/* Read every open event (rdpmc where allowed, else read()).  0, or -errno. */
int fpb_perf_set_read(struct fpb_perf_set *s, struct fpb_perf_snap *out);

/* Flags of fpb_perf_delta(). */
enum {
	FPB_PERF_SCALED		= 1u << 0,	/* some group ran part of the time: scaled */
	FPB_PERF_NOT_RUN	= 1u << 1,	/* some group never ran between a and b: no figure */
};

/*
 * Counts between two snapshots for the OK events, in set order, packed into ev[0..nopen):
 * each scaled by delta(enabled)/delta(running).  *max_scale gets the largest factor applied
 * (1.0 unscaled).  Returns FPB_PERF_* flags.
 */
unsigned fpb_perf_delta(const struct fpb_perf_set *s, const struct fpb_perf_snap *a,
			const struct fpb_perf_snap *b, uint64_t *ev, double *max_scale);

/* A short name for an open failure ("no such counter here (ENOENT)"). */
const char *fpb_perf_state_name(const struct fpb_perf_event *e);

#endif /* FPB_PERF_GROUP_H */
