/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fpb_env.h - host shim for code shared between user space and the kernel module.
 *
 * Files under strategies/ and the print-free parts of src/ (stats, xstate layout) include only
 * this header for their basic types and helpers, so the same sources build into the fpbench
 * binary, into the Check tests and into kmod/fpbench.ko.  Nothing shared calls stdio directly.
 */
#ifndef FPB_ENV_H
#define FPB_ENV_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/sort.h>
#define fpb_log(fmt, ...)	pr_info("fpbench: " fmt "\n", ##__VA_ARGS__)
#define fpb_alloc(n)		kzalloc((n), GFP_KERNEL)
#define fpb_free(p)		kfree(p)
#define fpb_sort(b, n, s, c)	sort((b), (n), (s), (c), NULL)
#define fpb_snprintf		snprintf
#else
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>
#include <stdlib.h>
#include <errno.h>
#include <stdio.h>
#define fpb_log(fmt, ...)	fprintf(stderr, "fpbench: " fmt "\n", ##__VA_ARGS__)
#define fpb_alloc(n)		calloc(1, (n))
#define fpb_free(p)		free(p)
#define fpb_sort(b, n, s, c)	qsort((b), (n), (s), (c))
#define fpb_snprintf		snprintf
#endif

#define FPB_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define FPB_ALIGN_UP(x, a)	(((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define FPB_BIT(n)		(1ULL << (n))

/* Length of a "why" buffer filled by probes and requirement checks. */
#define FPB_REASON_LEN		160

#endif /* FPB_ENV_H */
