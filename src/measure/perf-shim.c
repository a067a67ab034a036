// SPDX-License-Identifier: GPL-2.0-or-later
/* perf-shim.c - the real perf_event system calls behind fpb_perf_sys (see perf-shim.h). */
#include "config.h"

#include <errno.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "perf-shim.h"

static int fpb_sys_perf_open(struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd,
			     unsigned long flags)
{
#ifdef SYS_perf_event_open
	return (int)syscall(SYS_perf_event_open, attr, pid, cpu, group_fd, flags);
#else
	(void)attr; (void)pid; (void)cpu; (void)group_fd; (void)flags;
	errno = ENOSYS;
	return -1;
#endif
}

static ssize_t fpb_sys_read(int fd, void *buf, size_t n)
{
	return read(fd, buf, n);
}

static int fpb_sys_ioctl(int fd, unsigned long req, unsigned long arg)
{
	return ioctl(fd, req, arg);
}

static void *fpb_sys_mmap_page(int fd)
{
	void *p = mmap(NULL, (size_t)sysconf(_SC_PAGESIZE), PROT_READ, MAP_SHARED, fd, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void fpb_sys_munmap_page(void *page)
{
	if (page)
		munmap(page, (size_t)sysconf(_SC_PAGESIZE));
}

static uint64_t fpb_sys_rdpmc(uint32_t idx)
{
#if defined(__x86_64__)
	uint32_t lo, hi;

	__asm__ __volatile__("rdpmc" : "=a"(lo), "=d"(hi) : "c"(idx));
	return ((uint64_t)hi << 32) | lo;
#else
	(void)idx;
	return 0;	/* never called: the page never offers rdpmc here */
#endif
}

static uint64_t fpb_sys_rdtsc(void)
{
#if defined(__x86_64__)
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
#else
	return 0;
#endif
}

const struct fpb_perf_sys fpb_perf_sys_real = {
	.open		= fpb_sys_perf_open,
	.read		= fpb_sys_read,
	.ioctl		= fpb_sys_ioctl,
	.mmap_page	= fpb_sys_mmap_page,
	.munmap_page	= fpb_sys_munmap_page,
	.close		= close,
	.rdpmc		= fpb_sys_rdpmc,
	.rdtsc		= fpb_sys_rdtsc,
};

struct fpb_perf_sys fpb_perf_sys = {
	.open		= fpb_sys_perf_open,
	.read		= fpb_sys_read,
	.ioctl		= fpb_sys_ioctl,
	.mmap_page	= fpb_sys_mmap_page,
	.munmap_page	= fpb_sys_munmap_page,
	.close		= close,
	.rdpmc		= fpb_sys_rdpmc,
	.rdtsc		= fpb_sys_rdtsc,
};

/* Put the real system calls back. */
void fpb_perf_sys_reset(void)
{
	fpb_perf_sys = fpb_perf_sys_real;
}
