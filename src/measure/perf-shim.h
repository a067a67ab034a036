/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * perf-shim.h - every call fpbench makes into the kernel's perf_event interface goes through
 * fpb_perf_sys, a table of function pointers that defaults to the real system calls.  Tests put
 * fakes there (ENOENT for hardware events, canned group reads, time_enabled/time_running for
 * multiplexing, an rdpmc page) because no machine here has a PMU.
 *
 * struct perf_event_attr is only declared here: libpfm4's <perfmon/perf_event.h> and the
 * kernel's <linux/perf_event.h> both define it and must never meet in one file.
 */
#ifndef FPB_PERF_SHIM_H
#define FPB_PERF_SHIM_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>

struct perf_event_attr;

struct fpb_perf_sys {
	/* perf_event_open(2): a file descriptor, or -1 with errno set. */
	int (*open)(struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd,
		    unsigned long flags);
	ssize_t (*read)(int fd, void *buf, size_t n);
	int (*ioctl)(int fd, unsigned long req, unsigned long arg);
	/* Map the event's first (control) page read-only; NULL when it cannot be mapped. */
	void *(*mmap_page)(int fd);
	void (*munmap_page)(void *page);
	int (*close)(int fd);
	/* RDPMC of hardware counter idx (the mmap page's index - 1). */
	uint64_t (*rdpmc)(uint32_t idx);
	/* The time stamp counter, for the mmap page's user-time conversion. */
	uint64_t (*rdtsc)(void);
};

/* What fpbench calls; tests overwrite members and restore fpb_perf_sys_real afterwards. */
extern struct fpb_perf_sys fpb_perf_sys;
extern const struct fpb_perf_sys fpb_perf_sys_real;

/* Restore the real system calls (tests call this in their teardown). */
void fpb_perf_sys_reset(void);

#endif /* FPB_PERF_SHIM_H */
