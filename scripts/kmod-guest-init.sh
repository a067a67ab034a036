#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0-or-later
# scripts/kmod-guest-init.sh - /init of the qemu guest scripts/kmod-check.sh boots: loads
# fpbench.ko, runs the bad-ioctl test, the ring-0 integrity checker and fpbench --backend=kmod,
# then the in-situ suite through the guest's own /dev/kvm, printing what kmod-check.sh reads
# ("GUEST:" and "GUEST-RC <name> <status>" lines, CSV between "=== NAME" and "=== end NAME"),
# and leaves through isa-debug-exit.  FPB_INSITU_BUDGET comes from the kernel command line (the
# kernel hands unknown name=value parameters to init as its environment).
FPB_INSITU_BUDGET=${FPB_INSITU_BUDGET:-15}
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
cd /tmp
echo "GUEST: kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPU(s)"
grep -m1 "model name" /proc/cpuinfo
if insmod /fpbench.ko; then echo "GUEST: module loaded"; else echo "GUEST: insmod failed"; fi
ls -l /dev/fpbench
echo "=== kmod-badioctl"
/kmod-badioctl; echo "GUEST-RC badioctl $?"
echo "=== kmod-badioctl --rows (module-direct cross-check)"
/kmod-badioctl --rows
echo "=== kmod-badioctl --check (the integrity checker in ring 0)"
/kmod-badioctl --check; echo "GUEST-RC integrity $?"
echo "=== fpbench --backend=kmod (ring-0 kernels)"
/fpbench --backend=kmod --mask=all --state=dirty --time-budget=6 2>/tmp/err
echo "GUEST-RC fpbench $?"; cat /tmp/err
/fpbench --backend=kmod --mask=all --state=dirty --time-budget=3 \
	--format=csv --output=/tmp/rows.csv >/dev/null 2>&1
echo "GUEST-RC fpbench-csv $?"
echo "=== rows.csv"; cat /tmp/rows.csv; echo "=== end rows.csv"
echo "=== fpbench --backend=kmod --strategy=all"
/fpbench --backend=kmod --suite=strategies --strategy=all --time-budget=12 2>/tmp/err
echo "GUEST-RC strategies $?"; cat /tmp/err
echo "=== fpbench --backend=kmod bad input"
/fpbench --backend=kmod --kernel=no-such-kernel; echo "GUEST-RC badkernel $?"
rmmod fpbench && echo "GUEST: module unloaded"
echo "=== in-situ suite through /dev/kvm (nested: KVM inside this guest)"
for m in irqbypass kvm ccp kvm-amd kvm-intel; do
	[ -f /kvm/$m.ko ] && insmod /kvm/$m.ko 2>/dev/null && echo "GUEST: loaded $m"
done
if [ -c /dev/kvm ]; then echo "GUEST: /dev/kvm present"; else echo "GUEST: no /dev/kvm"; fi
/fpbench --suite=insitu --time-budget=$FPB_INSITU_BUDGET --format=text,csv \
	--output=/tmp/insitu 2>/tmp/err
echo "GUEST-RC insitu $?"; cat /tmp/err /tmp/insitu.txt
echo "=== insitu.csv"; cat /tmp/insitu.csv; echo "=== end insitu.csv"
if [ -x /check_insitu ]; then
	CK_DEFAULT_TIMEOUT=300 /check_insitu; echo "GUEST-RC check_insitu $?"
fi
echo "GUEST: done"
printf '\000' | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
poweroff -f
