// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bufalloc.c - measurement buffers: 64-byte aligned, zeroed, locked in memory, and on the given
 * NUMA node through libnuma when it is built in.  A 64-byte header in front of each buffer
 * records how it was allocated, so fpb_buf_free() needs no bookkeeping from the caller.
 */
#include "config.h"
#include <sys/mman.h>
#include "backend.h"
#ifdef HAVE_LIBNUMA
#include <numa.h>
#endif

#define BUF_HDR		64
#define BUF_MAGIC	0x66706275666d656dull	/* "fpbufmem" */

struct buf_hdr {
	uint64_t magic;
	size_t total;		/* bytes allocated, header included */
	int numa;		/* allocated by numa_alloc_onnode */
	int locked;
};

/*
 * fpb_buf_alloc() - size bytes, 64-byte aligned and zeroed, placed on numa_node (-1: anywhere)
 * and mlock()ed where the limit allows.  Returns NULL when out of memory.
 */
void *fpb_buf_alloc(size_t size, int numa_node)
{
	size_t total = BUF_HDR + FPB_ALIGN_UP(size ? size : 1, (size_t)64);
	struct buf_hdr *h = NULL;
	int numa = 0;

#ifdef HAVE_LIBNUMA
	if (numa_node >= 0 && numa_available() >= 0) {
		h = numa_alloc_onnode(total, numa_node);
		numa = h != NULL;
	}
#endif
	if (!h) {
		void *p;

		if (posix_memalign(&p, 64, total))
			return NULL;
		h = p;
	}
	memset(h, 0, total);
	h->magic = BUF_MAGIC;
	h->total = total;
	h->numa = numa;
	h->locked = !mlock(h, total);
	return (char *)h + BUF_HDR;
}

/* fpb_buf_free() - release a buffer from fpb_buf_alloc(); size is not needed (may be 0). */
void fpb_buf_free(void *p, size_t size)
{
	struct buf_hdr *h;

	if (!p)
		return;
	h = (struct buf_hdr *)((char *)p - BUF_HDR);
	if (h->magic != BUF_MAGIC)
		return;		/* not ours: leaking beats corrupting */
	h->magic = 0;
	if (h->locked)
		munlock(h, h->total);
#ifdef HAVE_LIBNUMA
	if (h->numa) {
		numa_free(h, h->total);
		return;
	}
#endif
	free(h);
}
