/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * record.h - the test-only record backend: logs every primitive with its arguments and emulates
 * the register file in memory, so save/restore/copy semantics are real without touching hardware.
 */
#ifndef FPB_RECORD_H
#define FPB_RECORD_H

#include "backend.h"

enum fpb_record_op {
	FPB_REC_SAVE, FPB_REC_RESTORE, FPB_REC_COPY, FPB_REC_XSETBV, FPB_REC_WRITE_XFD,
	FPB_REC_WRITE_XSS, FPB_REC_RDPKRU, FPB_REC_WRPKRU, FPB_REC_BATCH,
};

struct fpb_record_entry {
	enum fpb_record_op op;
	int kind;			/* enum fpb_save_op / fpb_restore_op; xcr number for XSETBV */
	const void *buf;		/* buffer (save/restore), destination (copy) */
	const void *src;		/* copy source */
	uint64_t rfbm;			/* RFBM (save/restore), rfbm of a batch */
	uint64_t value;			/* XSETBV/XFD/XSS/PKRU value; batch: state */
	uint64_t bytes;			/* bytes copied; batch: n */
	const void *kernel;		/* batch: the kernel */
	int ret;			/* what the primitive returned */
};

/* The log so far (NULL, 0 when empty). */
const struct fpb_record_entry *fpb_record_log(const struct fpb_backend *be, size_t *n);
void fpb_record_clear(struct fpb_backend *be);

extern const struct fpb_backend_ops fpb_backend_record;

#endif /* FPB_RECORD_H */
