/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kmod-client.h - user-space helpers around /dev/fpbench (kmod/uapi.h), shared by the kmod
 * backend, its tests and the in-guest bad-ioctl test.
 */
#ifndef FPB_KMOD_CLIENT_H
#define FPB_KMOD_CLIENT_H

#include "fpb_env.h"
#include "../kmod/uapi.h"

/* Open /dev/fpbench and read FPB_IOC_INFO; 0, or -1 with a one-line reason. */
int fpb_kmod_open(int *fd, struct fpb_kmod_info *info, char *why, size_t len);
/* Module kernel id of a ring-0 kernel name, -1 when unknown. */
int fpb_kmod_kernel_id(const char *name);
/* One-line message for an ioctl errno. */
const char *fpb_kmod_strerror(int err);
/* true under qemu TCG (figures are emulator speed). */
bool fpb_kmod_emulated(const struct fpb_kmod_info *info);

/*
 * Run strategy index idx (0..info.nr_strategies-1) built into the module over scenario (NULL or
 * "": the first timed one of its family) in ring 0: reps batches of about events events each.
 * Fills *req (name, scenario, counts, reason) and ticks[0..req->done) per batch (whole batch, in
 * TSC ticks; divide by req->counts[FPB_KMOD_C_EVENTS]).  Returns 0 (check req->status), or
 * -errno of the ioctl.
 */
int fpb_kmod_strategy_run(int fd, unsigned idx, const char *scenario, uint64_t events,
			  unsigned reps, struct fpb_kmod_strategy *req, uint64_t *ticks);

/*
 * Run strategy idx over scenario (one batch of about events) with the module's integrity
 * checker on (FPB_KMOD_STRAT_CHECK).  0 (req->status says OK, SKIPPED, TRAPPED or INTEGRITY)
 * or -errno.
 */
int fpb_kmod_strategy_check(int fd, unsigned idx, const char *scenario, uint64_t events,
			    struct fpb_kmod_strategy *req);

extern const struct fpb_backend_ops fpb_backend_kmod;

#endif /* FPB_KMOD_CLIENT_H */
