/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kmod-client.h - user-space helpers around /dev/fpbench (kmod/uapi.h), shared by the kmod
 * backend, its tests and the in-guest bad-ioctl test.
 */
#ifndef FPB_KMOD_CLIENT_H
#define FPB_KMOD_CLIENT_H

#include "fpb_env.h"
#include "../kmod/uapi.h"

/* Open /dev/fpbench and read FPB_IOC_INFO; 0, or -1 with a one-line reason starting "skipped:". */
int fpb_kmod_open(int *fd, struct fpb_kmod_info *info, char *why, size_t len);
/* Module kernel id of a ring-0 kernel name, -1 when unknown. */
int fpb_kmod_kernel_id(const char *name);
/* One-line message for an ioctl errno. */
const char *fpb_kmod_strerror(int err);
/* true under qemu TCG (figures are emulator speed). */
bool fpb_kmod_emulated(const struct fpb_kmod_info *info);

extern const struct fpb_backend_ops fpb_backend_kmod;

#endif /* FPB_KMOD_CLIENT_H */
