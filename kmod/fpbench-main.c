// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kmod/fpbench-main.c - /dev/fpbench: a root-only misc device whose ioctls time ring-0 kernels
 * (FPB_IOC_RUN), describe the module (FPB_IOC_INFO) and run built-in strategies
 * (FPB_IOC_STRATEGY).  One run at a time: the ioctls are serialised by a mutex.
 */
#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/uaccess.h>
#include <linux/capability.h>
#include <asm/tsc.h>
#include "fpbench-mod.h"

static DEFINE_MUTEX(fpb_lock);

static long fpb_ioctl_info(void __user *arg)
{
	struct fpb_kmod_info info;

	memset(&info, 0, sizeof(info));
	info.abi = FPB_KMOD_ABI;
	info.nr_kernels = FPB_KMOD_NR_KERNELS;
	info.xcr0 = fpb_r0_caps.xcr0;
	info.xss = fpb_r0_caps.xss;
	info.xfd = fpb_r0_caps.xfd;
	info.features = fpb_r0_caps.features;
	info.std_size = fpb_r0_caps.std_size;
	info.compacted_size = fpb_r0_caps.compacted_size;
	info.tsc_khz = tsc_khz;
	info.nr_strategies = fpb_r0_nr_strategies();
	strscpy(info.hypervisor, fpb_r0_caps.hypervisor, sizeof(info.hypervisor));
	strscpy(info.strategies_reason, fpb_r0_strategies_reason(),
		sizeof(info.strategies_reason));
	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

static long fpb_ioctl_run(void __user *arg)
{
	struct fpb_kmod_run req;
	long ret;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	ret = fpb_r0_run(&req);
	if (ret)
		return ret;
	return copy_to_user(arg, &req, sizeof(req)) ? -EFAULT : 0;
}

static long fpb_ioctl_strategy(void __user *arg)
{
	struct fpb_kmod_strategy req;
	long ret;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	ret = fpb_r0_strategy(&req);
	if (ret)
		return ret;
	return copy_to_user(arg, &req, sizeof(req)) ? -EFAULT : 0;
}

static long fpb_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	long ret;

	if (!capable(CAP_SYS_RAWIO))
		return -EPERM;
	if (!uarg)
		return -EFAULT;
	mutex_lock(&fpb_lock);
	switch (cmd) {
	case FPB_IOC_INFO:
		ret = fpb_ioctl_info(uarg);
		break;
	case FPB_IOC_RUN:
		ret = fpb_ioctl_run(uarg);
		break;
	case FPB_IOC_STRATEGY:
		ret = fpb_ioctl_strategy(uarg);
		break;
	default:
		ret = -ENOTTY;
	}
	mutex_unlock(&fpb_lock);
	return ret;
}

static int fpb_open(struct inode *inode, struct file *f)
{
	return capable(CAP_SYS_RAWIO) ? 0 : -EPERM;
}

static const struct file_operations fpb_fops = {
	.owner		= THIS_MODULE,
	.open		= fpb_open,
	.unlocked_ioctl	= fpb_ioctl,
	.compat_ioctl	= fpb_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice fpb_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "fpbench",
	.fops	= &fpb_fops,
	.mode	= 0600,
};

static int __init fpb_init(void)
{
	int ret;

	fpb_r0_detect();
	ret = misc_register(&fpb_dev);
	if (ret)
		return ret;
	pr_info("fpbench: /dev/fpbench ready (abi %u, xcr0 0x%llx, xss 0x%llx, features 0x%x, %u strategies)\n",
		FPB_KMOD_ABI, fpb_r0_caps.xcr0, fpb_r0_caps.xss, fpb_r0_caps.features,
		fpb_r0_nr_strategies());
	return 0;
}

static void __exit fpb_exit(void)
{
	misc_deregister(&fpb_dev);
}

module_init(fpb_init);
module_exit(fpb_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("fpbench: ring-0 XSAVE-family, XSETBV and IA32_XFD/IA32_XSS microbenchmarks");
MODULE_AUTHOR("fpbench developers");
