#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# scripts/kmod-check.sh [SRCDIR] - CI for the ring-0 backend (make kmod-check).
#
# Installs qemu-system-x86, busybox-static, cpio and linux-headers-amd64 (apt, non-interactive),
# fetches the matching Debian kernel image without installing it (apt-get download + dpkg-deb -x),
# builds kmod/fpbench.ko against those headers and a statically linked fpbench in a temporary
# build tree, packs them into a busybox initramfs and boots it under qemu-system-x86_64 (KVM only
# when the host has VMX/SVM and /dev/kvm is not PVM; else TCG) under a timeout.  The guest loads
# the module, runs the bad-ioctl test, the integrity checker in ring 0 over every strategy and
# timed scenario (kmod-badioctl --check: the real registers, PKRU values that change where qemu
# enables PKU), and fpbench --backend=kmod over the ring-0 kernels and the strategies; then loads the same kernel's KVM modules (nested SVM: qemu's TCG emulates it) and
# runs the in-situ suite and tests/check_insitu (static, when Check's static library exists)
# against the guest's own /dev/kvm, so the KVM mini-VM runs for real, guest-dirty state
# included; prints the tables on the serial console and leaves through isa-debug-exit.
# Fails on Oops/BUG:/WARNING:/Call Trace in the guest log, on a failed bad-ioctl case, when the
# ring-0 integrity checker fails a strategy, when a
# ring-0 or in-situ row is neither measured nor skipped with a reason, when a KVM row is not
# measured although the guest has /dev/kvm under TCG, and when check_insitu fails.  Exit 0 pass, 1 fail, 77 cannot run
# here (no apt access to the kernel, not x86-64).  Environment: FPB_KMOD_TIMEOUT (guest seconds,
# default 480), FPB_KMOD_KEEP=1 keeps the work directory, FPB_KMOD_LOG=FILE copies the guest log,
# FPB_KMOD_CACHE=DIR where the extracted vmlinuz and KVM modules are kept (default
# ~/.cache/fpbench-kmod), FPB_INSITU_BUDGET (seconds for the in-situ suite, default 15),
# FPB_KMOD_FILES_ONLY=DIR (build, copy the kernel and files to DIR, do not boot).
set -u

T0=$(date +%s)
srcdir=${1:-$(cd "$(dirname "$0")/.." && pwd)}
srcdir=$(cd "$srcdir" && pwd)
guest_timeout=${FPB_KMOD_TIMEOUT:-480}

say() { echo "kmod-check: $*"; }
skip() { say "SKIP: $*"; exit 77; }
fail() { say "FAIL: $*"; exit 1; }
elapsed() { echo $(( $(date +%s) - T0 )); }

[ "$(uname -m)" = x86_64 ] || skip "the ring-0 module is x86-64 only (this is $(uname -m))"

work=$(mktemp -d "${TMPDIR:-/tmp}/fpbench-kmod.XXXXXX") || fail "mktemp"
if [ "${FPB_KMOD_KEEP:-0}" = 1 ]; then
	say "work directory $work (kept)"
else
	trap 'rm -rf "$work"' EXIT
fi

# ---------------------------------------------------------------- packages
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
apt_install() {
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "$@" \
		>"$work/apt.log" 2>&1 && return 0
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -q >>"$work/apt.log" 2>&1
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "$@" \
		>>"$work/apt.log" 2>&1
}
missing=
for p in qemu-system-x86 busybox-static cpio linux-headers-amd64; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
	say "installing$missing"
	apt_install $missing || { tail -5 "$work/apt.log"; skip "apt-get cannot install$missing"; }
fi
abi=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
	sed -n 's/.*linux-headers-\([0-9][^ ,]*-amd64\).*/\1/p')
[ -n "$abi" ] || skip "cannot tell the kernel ABI linux-headers-amd64 depends on"
kdir=/usr/src/linux-headers-$abi
[ -f "$kdir/Makefile" ] || skip "no kernel build directory $kdir"
say "kernel ABI $abi (headers $kdir) [$(elapsed) s]"

# ---------------------------------------------------------------- kernel image (not installed)
# Only boot/vmlinuz and the KVM modules (with what they depend on) are taken out of the package,
# and kept in a cache for the next run.
cache=${FPB_KMOD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fpbench-kmod}
vmlinuz=$cache/vmlinuz-$abi
kvmmods=$cache/kvm-$abi
kvm_list="virt/lib/irqbypass.ko arch/x86/kvm/kvm.ko drivers/crypto/ccp/ccp.ko arch/x86/kvm/kvm-amd.ko
	arch/x86/kvm/kvm-intel.ko"
if [ ! -s "$vmlinuz" ] || [ ! -s "$kvmmods/kvm.ko" ]; then
	mkdir -p "$cache" || fail "cannot create the cache directory $cache"
	(cd "$work" && { apt-get download "linux-image-$abi" ||
			 apt-get download "linux-image-$abi-unsigned"; } >"$work/download.log" 2>&1) ||
		{ tail -3 "$work/download.log"; skip "apt-get download linux-image-$abi failed"; }
	mkdir -p "$work/img"
	dpkg-deb --fsys-tarfile "$work"/linux-image-*.deb |
		(cd "$work/img" && tar -xf - "./boot/vmlinuz-$abi") ||
		fail "no boot/vmlinuz-$abi in linux-image-$abi"
	mv "$work/img/boot/vmlinuz-$abi" "$vmlinuz.tmp" && mv "$vmlinuz.tmp" "$vmlinuz" ||
		fail "cannot store $vmlinuz"
	# The KVM modules for the in-situ stage; a kernel without them only skips that stage.
	mods=
	for m in $kvm_list; do mods="$mods ./lib/modules/$abi/kernel/$m"; done
	rm -rf "$kvmmods.tmp" && mkdir -p "$kvmmods.tmp"
	dpkg-deb --fsys-tarfile "$work"/linux-image-*.deb |
		(cd "$work/img" && tar -xf - $mods) >/dev/null 2>&1
	for m in $kvm_list; do
		[ -f "$work/img/lib/modules/$abi/kernel/$m" ] &&
			cp "$work/img/lib/modules/$abi/kernel/$m" "$kvmmods.tmp/"
	done
	rm -rf "$kvmmods" && mv "$kvmmods.tmp" "$kvmmods" || fail "cannot store $kvmmods"
	rm -rf "$work"/linux-image-*.deb "$work/img"
fi
say "kernel image $vmlinuz, KVM modules: $(ls "$kvmmods" 2>/dev/null | tr '\n' ' ')[$(elapsed) s]"

# ---------------------------------------------------------------- the module
# The module directory: kmod/, the strategies (compiled unchanged as kernel code) and shared/, the
# files they share with the tool (the folder is the list).
mkdir -p "$work/kmod/shared" "$work/kmod/strategies"
cp "$srcdir"/kmod/Kbuild "$srcdir"/kmod/*.c "$srcdir"/kmod/*.h "$work/kmod/" || fail "copy kmod/"
if [ "${FPB_KMOD_STRATEGIES:-1}" = 1 ] && [ -f "$srcdir/strategies/machine.c" ]; then
	cp "$srcdir"/strategies/*.c "$srcdir"/strategies/*.h "$srcdir"/strategies/*.def \
		"$work/kmod/strategies/" || fail "copy strategies/"
	cp "$srcdir"/shared/*.c "$srcdir"/shared/*.h "$work/kmod/shared/" || fail "copy shared/"
fi
make -C "$kdir" M="$work/kmod" modules >"$work/kbuild.log" 2>&1 ||
	{ cat "$work/kbuild.log"; fail "module build against $kdir"; }
if grep -q "warning:" "$work/kbuild.log"; then
	grep "warning:" "$work/kbuild.log"
	fail "module build warnings"
fi
say "built fpbench.ko [$(elapsed) s]"

# ---------------------------------------------------------------- static fpbench
# A separate build tree; a source tree configured in place cannot host VPATH builds, so such a
# tree is copied first (tracked and new files, through git when available).
src=$srcdir
if [ -f "$srcdir/config.status" ] || [ ! -x "$srcdir/configure" ]; then
	src=$work/src
	mkdir -p "$src"
	if git -C "$srcdir" rev-parse >/dev/null 2>&1; then
		(cd "$srcdir" && git ls-files -z --cached --others --exclude-standard |
			cpio -0pdm --quiet "$src") || fail "copy the source tree"
	else
		(cd "$srcdir" && tar cf - --exclude='./build*' .) | (cd "$src" && tar xf -) ||
			fail "copy the source tree"
	fi
	[ -x "$src/configure" ] || (cd "$src" && autoreconf -fi >"$work/autoreconf.log" 2>&1) ||
		{ tail -20 "$work/autoreconf.log"; fail "autoreconf"; }
	rm -f "$src/config.status" "$src/config.h" "$src/Makefile"
fi
mkdir -p "$work/static"
# Check ships only a static library on Debian: the in-situ test program runs in the guest too.
withcheck=--without-check
for a in /usr/lib/*/libcheck.a /usr/lib/libcheck.a /usr/local/lib/libcheck.a; do
	[ -f "$a" ] && withcheck=--with-check=yes
done
(cd "$work/static" && "$src/configure" -q LDFLAGS=-static --without-papi --without-libpfm4 \
	--without-libnuma --without-jansson --without-gnuplot $withcheck \
	>"$work/configure.log" 2>&1) || { tail -20 "$work/configure.log"; fail "static configure"; }
# all: BUILT_SOURCES (the git revision header) are made only for all/check/install.
{ make -C "$work/static" -j"$(nproc)" all && make -C "$work/static" tests/kmod-badioctl; } \
	>"$work/make.log" 2>&1 ||
	{ grep -E "error|Error" "$work/make.log" | head -20; fail "static build of fpbench"; }
checkinsitu=
if [ "$withcheck" != --without-check ]; then
	if make -C "$work/static" tests/check_insitu >>"$work/make.log" 2>&1; then
		checkinsitu=$work/static/tests/check_insitu
	else
		say "no static tests/check_insitu (see the build log); the guest runs fpbench only"
	fi
fi
say "built static fpbench${checkinsitu:+ and check_insitu} [$(elapsed) s]"
# FPB_KMOD_FILES_ONLY=DIR: hand the kernel, its KVM modules, fpbench.ko and the static fpbench to
# another harness (make lava-check builds its own ramdisk and /init from them) instead of booting.
if [ -n "${FPB_KMOD_FILES_ONLY:-}" ]; then
	mkdir -p "$FPB_KMOD_FILES_ONLY/kvm" &&
		cp "$vmlinuz" "$FPB_KMOD_FILES_ONLY/vmlinuz" &&
		cp "$work/kmod/fpbench.ko" "$work/static/fpbench" "$FPB_KMOD_FILES_ONLY/" &&
		cp "$kvmmods"/*.ko "$FPB_KMOD_FILES_ONLY/kvm/" 2>/dev/null
	[ -s "$FPB_KMOD_FILES_ONLY/fpbench" ] || fail "cannot copy the files to $FPB_KMOD_FILES_ONLY"
	echo "$abi" >"$FPB_KMOD_FILES_ONLY/abi"
	say "files in $FPB_KMOD_FILES_ONLY [$(elapsed) s]"
	exit 0
fi

# ---------------------------------------------------------------- initramfs
r0kernels=$(sed -n 's/^[[:space:]]*X([A-Z_0-9]*,[[:space:]]*"\([a-z0-9-]*\)".*/\1/p' \
	"$srcdir/kmod/uapi.h" | tr '\n' ',' | sed 's/,$//')
[ -n "$r0kernels" ] || fail "no ring-0 kernel names found in kmod/uapi.h"
root=$work/root
mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp"
cp "$(command -v busybox || echo /bin/busybox)" "$root/bin/busybox" || fail "no busybox"
cp "$work/kmod/fpbench.ko" "$work/static/fpbench" "$work/static/tests/kmod-badioctl" "$root/"
[ -n "$checkinsitu" ] && cp "$checkinsitu" "$root/"
mkdir -p "$root/kvm"
for m in $kvm_list; do
	[ -f "$kvmmods/${m##*/}" ] && cp "$kvmmods/${m##*/}" "$root/kvm/"
done
cp "$srcdir/scripts/kmod-guest-init.sh" "$root/init" || fail "copy the guest /init"
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.gz" ||
	fail "cpio initramfs"
say "initramfs $(du -h "$work/initrd.gz" | cut -f1) [$(elapsed) s]"

# ---------------------------------------------------------------- boot
accel=tcg
cpu=max
if grep -qwE 'vmx|svm' /proc/cpuinfo && [ -c /dev/kvm ] && [ -w /dev/kvm ] &&
   ! grep -q '^kvm_pvm' /proc/modules 2>/dev/null; then
	accel=kvm
	cpu=host
	grep -q AuthenticAMD /proc/cpuinfo && cpu=host,-arch-capabilities
fi
why="/proc/cpuinfo has no vmx/svm or /dev/kvm is missing or paravirtual (PVM)"
[ $accel = kvm ] && why="hardware virtualisation available"
say "accelerator: $accel (-cpu $cpu): $why"
log=$work/guest.log
# The guest's /init reads FPB_INSITU_BUDGET from its environment: the kernel hands the command
# line's unknown name=value parameters to init that way.
cmdline="console=ttyS0 panic=-1 oops=panic loglevel=7 FPB_INSITU_BUDGET=${FPB_INSITU_BUDGET:-15}"
timeout --foreground -k 10 "$guest_timeout" qemu-system-x86_64 -accel $accel -cpu $cpu \
	-smp 1 -m 512M -nographic -no-reboot -nic none -kernel "$vmlinuz" -initrd "$work/initrd.gz" \
	-append "$cmdline" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 </dev/null >"$log" 2>&1
qrc=$?
[ -n "${FPB_KMOD_LOG:-}" ] && cp "$log" "$FPB_KMOD_LOG"
say "qemu exit status $qrc (1: guest wrote 0 to isa-debug-exit) [$(elapsed) s]"

# ---------------------------------------------------------------- verdict
echo "---------------------------------------------------------------- guest log (fpbench part)"
sed -n '/^GUEST: kernel/,$p' "$log" | tr -d '\r'
echo "----------------------------------------------------------------"
bad=0
[ $qrc -eq 124 ] || [ $qrc -eq 137 ] && { say "guest timed out after $guest_timeout s"; bad=1; }
grep -q "^GUEST: done" "$log" || { say "the guest did not finish its script"; bad=1; }
if grep -nE 'Oops|BUG:|WARNING:|Call Trace' "$log"; then
	say "kernel trouble in the guest log (above)"
	bad=1
fi
grep -q "^GUEST: module loaded" "$log" || { say "the module did not load"; bad=1; }
grep -q "^GUEST-RC badioctl 0" "$log" || { say "bad-ioctl test failed"; bad=1; }
# The integrity checker over every strategy and timed scenario on the ring-0 backend.
if grep -q "^GUEST-RC integrity 0" "$log"; then
	say "ring-0 integrity: $(tr -d '\r' <"$log" | grep -m1 '^integrity: PASS' || true)"
	tr -d '\r' <"$log" | grep -q '^integrity: PKRU is real state' ||
		say "ring-0 integrity: PKRU not enabled in the guest, its values were not checked"
else
	say "ring-0 integrity check failed (integrity lines above)"
	bad=1
fi
# csv_section NAME: the CSV the guest printed between "=== NAME" and "=== end NAME" into
# $work/NAME.  row_state FILE SUITE NAME [SCENARIO]: "status|reason" of that row, "" when absent.
csv_section() {
	tr -d '\r' <"$log" | sed -n "/^=== $1\$/,/^=== end $1\$/p" | sed '1d;$d' >"$work/$1"
}
row_state() {
	awk -F, -v s="$2" -v n="$3" -v c="${4-}" \
		'$2 == s && $3 == n && (c == "" || $4 == c) { print $10 "|" $11; exit }' "$1"
}
csv_section rows.csv
for k in $(echo "$r0kernels" | tr ',' ' '); do
	st=$(row_state "$work/rows.csv" kernels "$k")
	case "$st" in
	measured\|*) ;;
	skipped\|?*) ;;
	*) say "ring-0 row $k: neither measured nor skipped with a reason (got '${st:-no row}')"
	   bad=1 ;;
	esac
done
# The in-situ stage: every row measured or skipped with a reason; with /dev/kvm in the guest
# (nested SVM under TCG) the mini-VM's rows must be measured, guest-dirty included.
csv_section insitu.csv
if ! grep -q '^GUEST-RC insitu 0' "$log"; then
	say "fpbench --suite=insitu failed in the guest"
	bad=1
fi
awk -F, '$2 == "insitu" && $10 != "measured" && !($10 == "skipped" && $11 != "") {
	print "kmod-check: in-situ row " $3 " " $4 ": " $10 " " $11; bad = 1 }
	END { exit bad }' "$work/insitu.csv" || bad=1
if grep -q '^GUEST: /dev/kvm present' "$log"; then
	for r in kvm-exit-user kvm-exit-kernel; do
		for c in clean guest-dirty host-dirty guest-dirty-minus-clean; do
			st=$(row_state "$work/insitu.csv" insitu "$r" "$c")
			case "$st" in
			measured\|*) ;;
			skipped\|?*) [ $accel = kvm ] ||
				{ say "$r $c skipped with nested SVM under TCG: ${st#*|}"; bad=1; } ;;
			*) say "$r $c: neither measured nor skipped (got '${st:-no row}')"; bad=1 ;;
			esac
		done
	done
	say "in-situ KVM rows through the guest's /dev/kvm: checked"
else
	say "no /dev/kvm in the guest (no kvm modules, or no nested virtualisation): KVM rows not run"
fi
if [ -n "$checkinsitu" ] && ! grep -q '^GUEST-RC check_insitu 0' "$log"; then
	say "tests/check_insitu failed in the guest"
	bad=1
fi
say "accelerator used: $accel"
say "took $(elapsed) s"
[ $bad -eq 0 ] || fail "see above"
say "PASS"
exit 0
