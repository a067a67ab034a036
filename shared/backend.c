// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * backend.c - the counting wrappers strategies call instead of backend ops directly, so every
 * primitive is counted the same way whatever the backend (user, record, kmod, arm64).
 * Shared with the kernel module: no libc beyond fpb_env.h.
 */
#include "backend.h"
#include "fpb_nofp.h"	/* last: the counting wrappers run between live register states */

static const char *const save_names[FPB_NR_SAVE_OPS] = {
	[FPB_OP_FXSAVE] = "fxsave64", [FPB_OP_XSAVE] = "xsave", [FPB_OP_XSAVEOPT] = "xsaveopt",
	[FPB_OP_XSAVEC] = "xsavec", [FPB_OP_XSAVES] = "xsaves",
	[FPB_OP_FPSIMD_SAVE] = "fpsimd-save", [FPB_OP_SVE_SAVE] = "sve-save",
	[FPB_OP_ZA_SAVE] = "za-save",
};

static const char *const restore_names[FPB_NR_RESTORE_OPS] = {
	[FPB_OP_FXRSTOR] = "fxrstor64", [FPB_OP_XRSTOR] = "xrstor", [FPB_OP_XRSTORS] = "xrstors",
	[FPB_OP_FPSIMD_RESTORE] = "fpsimd-restore", [FPB_OP_SVE_RESTORE] = "sve-restore",
	[FPB_OP_ZA_RESTORE] = "za-restore",
};

const char *fpb_save_op_name(enum fpb_save_op op)
{
	return (unsigned)op < FPB_NR_SAVE_OPS ? save_names[op] : "?";
}

const char *fpb_restore_op_name(enum fpb_restore_op op)
{
	return (unsigned)op < FPB_NR_RESTORE_OPS ? restore_names[op] : "?";
}

/* Account for how a primitive ran; pass its return value through. */
static int account(struct fpb_backend *be, int ret)
{
	if (ret == FPB_PRIM_STANDIN)
		be->counts.standins++;
	else if (ret == FPB_PRIM_COUNTED)
		be->counts.counted_only++;
	return ret;
}

int fpb_prim_save(struct fpb_backend *be, enum fpb_save_op op, void *buf, uint64_t rfbm)
{
	if ((unsigned)op >= FPB_NR_SAVE_OPS || !be->ops->save)
		return -EINVAL;
	be->counts.save[op]++;
	if (be->noop)
		return account(be, FPB_PRIM_COUNTED);
	return account(be, be->ops->save(be, op, buf, rfbm));
}

int fpb_prim_restore(struct fpb_backend *be, enum fpb_restore_op op, const void *buf,
		     uint64_t rfbm)
{
	if ((unsigned)op >= FPB_NR_RESTORE_OPS || !be->ops->restore)
		return -EINVAL;
	be->counts.restore[op]++;
	if (be->noop)
		return account(be, FPB_PRIM_COUNTED);
	return account(be, be->ops->restore(be, op, buf, rfbm));
}

int fpb_prim_copy(struct fpb_backend *be, void *dst, const void *src, size_t n)
{
	be->counts.copies++;
	be->counts.bytes_copied += n;
	if (be->noop)
		return account(be, FPB_PRIM_COUNTED);
	if (!be->ops->copy) {
		memcpy(dst, src, n);
		return FPB_PRIM_DONE;
	}
	return account(be, be->ops->copy(be, dst, src, n));
}

int fpb_prim_xsetbv(struct fpb_backend *be, uint32_t xcr, uint64_t val)
{
	be->counts.xsetbv++;
	if (be->noop)
		return account(be, FPB_PRIM_COUNTED);
	return be->ops->xsetbv ? account(be, be->ops->xsetbv(be, xcr, val))
			       : account(be, FPB_PRIM_COUNTED);
}

int fpb_prim_write_xfd(struct fpb_backend *be, uint64_t val)
{
	be->counts.xfd_writes++;
	if (be->noop)
		return account(be, FPB_PRIM_COUNTED);
	return be->ops->write_xfd ? account(be, be->ops->write_xfd(be, val))
				  : account(be, FPB_PRIM_COUNTED);
}

int fpb_prim_write_xss(struct fpb_backend *be, uint64_t val)
{
	be->counts.xss_writes++;
	if (be->noop)
		return account(be, FPB_PRIM_COUNTED);
	return be->ops->write_xss ? account(be, be->ops->write_xss(be, val))
				  : account(be, FPB_PRIM_COUNTED);
}

int fpb_prim_rdpkru(struct fpb_backend *be, uint32_t *val)
{
	be->counts.pkru_reads++;
	if (be->noop)
		return account(be, FPB_PRIM_COUNTED);
	if (!be->ops->rdpkru)
		return -EOPNOTSUPP;
	return account(be, be->ops->rdpkru(be, val));
}

int fpb_prim_wrpkru(struct fpb_backend *be, uint32_t val)
{
	be->counts.pkru_writes++;
	if (be->noop)
		return account(be, FPB_PRIM_COUNTED);
	return be->ops->wrpkru ? account(be, be->ops->wrpkru(be, val))
			       : account(be, FPB_PRIM_COUNTED);
}

void fpb_prim_skipped(struct fpb_backend *be)
{
	be->counts.skipped++;
}
