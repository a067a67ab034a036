#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# arm64-cross-check.sh - cross-build fpbench for arm64 and run `make check` under
# qemu-aarch64-static -cpu max (FPSIMD, SVE, SME) at several SVE vector lengths (each power
# of two also as the default streaming vector length), then the arm64 register and strategy
# tests and the streaming-mode rows once more without FEAT_SME_FA64 (-cpu max,sme_fa64=off:
# RDFFR/WRFFR trap in streaming mode), when this qemu has that property.
#
# Usage: scripts/arm64-cross-check.sh [--no-install] [--vls="16 64 256"] [--builddir=DIR]
#
# Installs (non-interactive, as root or through sudo): gcc-aarch64-linux-gnu, qemu-user-static,
# and Check for arm64 through Debian multiarch (dpkg --add-architecture arm64; libc6:arm64,
# check:arm64, libsubunit-dev:arm64).  With libc6:arm64 the arm64 loader is at
# /lib/ld-linux-aarch64.so.1 and qemu needs no QEMU_LD_PREFIX (with one, qemu 7.2 hangs in
# fork).  Optional arm64 libraries (libnuma, libpfm4, jansson) are not installed:
# configure leaves them out.  binfmt_misc is not needed: configure (kernels/arm64-configure.m4)
# makes the test driver start each test program through qemu (QEMU_CPU=max).
# The figures of an emulated run are functional only; fpbench says so itself.
# Exit status: 0 all passed, 1 a build or a test failed, 2 bad usage.
set -eu

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=$srcdir/build-arm64-cross
vls="16 64 256"
install=yes
jobs=$(nproc 2>/dev/null || echo 2)

for arg in "$@"; do
	case $arg in
	--no-install) install=no ;;
	--vls=*) vls=${arg#--vls=} ;;
	--builddir=*) builddir=${arg#--builddir=} ;;
	-h|--help) sed -n '3,20p' "$0"; exit 0 ;;
	*) echo "arm64-cross-check: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
	esac
done
for vl in $vls; do
	case $vl in
	''|*[!0-9]*) echo "arm64-cross-check: --vls: '$vl' is not a number of bytes" >&2; exit 2 ;;
	esac
done

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi
}

t0=$(date +%s)
if [ $install = yes ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt_get="apt-get -o DPkg::Lock::Timeout=600 -y -q"
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		as_root dpkg --add-architecture arm64
		as_root $apt_get update
	fi
	if ! as_root $apt_get install --no-install-recommends gcc-aarch64-linux-gnu \
	     libc6-dev-arm64-cross qemu-user-static libc6:arm64 check:arm64 libsubunit-dev:arm64; then
		as_root $apt_get update
		as_root $apt_get install --no-install-recommends gcc-aarch64-linux-gnu \
			libc6-dev-arm64-cross qemu-user-static libc6:arm64 check:arm64 libsubunit-dev:arm64
	fi
fi
t1=$(date +%s)

[ -x "$srcdir/configure" ] || (cd "$srcdir" && autoreconf -fi)
mkdir -p "$builddir"
cd "$builddir"
# configure finds Check:arm64 through Debian's multiarch .pc files itself (see configure.ac).
"$srcdir/configure" -q --host=aarch64-linux-gnu --with-check=yes \
	--without-libnuma --without-libpfm4 --without-papi --without-jansson >configure.out 2>&1 ||
	{ cat configure.out; echo "arm64-cross-check: configure failed" >&2; exit 1; }
make -j"$jobs" >make.out 2>&1 ||
	{ tail -40 make.out; echo "arm64-cross-check: build failed" >&2; exit 1; }
t2=$(date +%s)

qemu=$(command -v qemu-aarch64-static)
status=0
for vl in $vls; do
	cpu=max,sve-default-vector-length=$vl
	# SME vector lengths are powers of two only.
	[ $((vl & (vl - 1))) = 0 ] && cpu=$cpu,sme-default-vector-length=$vl
	echo "== arm64 make check under qemu -cpu max, SVE vector length $vl bytes"
	if make -j"$jobs" check FPB_LOG_COMPILER="env QEMU_CPU=$cpu $qemu" \
	   >check-vl$vl.out 2>&1; then
		grep -E '^(# )?(TOTAL|PASS|SKIP|XFAIL|FAIL|XPASS|ERROR):' check-vl$vl.out | \
			grep -v ': 0$' || true
	else
		status=1
		grep -E '^(FAIL|ERROR|# )' check-vl$vl.out | head -40
		grep -q -E '^(FAIL|ERROR):' check-vl$vl.out || tail -15 check-vl$vl.out
		for log in $(find . -name '*.log' -newer configure.out); do
			grep -l -E '^(FAIL|ERROR)' "$log" >/dev/null 2>&1 && tail -30 "$log"
		done
		echo "arm64-cross-check: make check failed at vector length $vl" >&2
	fi
done
# Streaming mode without FEAT_SME_FA64 (SME CPUs without FA64): the tests that move streaming
# state on the real (emulated) registers, then the streaming-mode rows themselves.
arm64_tests="tests/check_arm64_roundtrip tests/check_arm64_scenarios"
arm64_tests="$arm64_tests tests/check_arm64_strategies"
if env QEMU_CPU=max,sme_fa64=off "$qemu" ./fpbench --help >/dev/null 2>&1; then
	echo "== arm64 register and strategy tests under qemu -cpu max,sme_fa64=off (no FA64)"
	if make -j"$jobs" check TESTS="$arm64_tests" \
	   FPB_LOG_COMPILER="env QEMU_CPU=max,sme_fa64=off $qemu" >check-nofa64.out 2>&1; then
		grep -E '^(# )?(TOTAL|PASS|SKIP|XFAIL|FAIL|XPASS|ERROR):' check-nofa64.out | \
			grep -v ': 0$' || true
		grep -h -E '^# (streaming|sve|za) ' tests/check_arm64_*.log 2>/dev/null || true
	else
		status=1
		grep -E '^(FAIL|ERROR|# )' check-nofa64.out | head -40
		grep -q -E '^(FAIL|ERROR):' check-nofa64.out || tail -15 check-nofa64.out
		for t in $arm64_tests; do
			grep -q -E '^(FAIL|ERROR)' "$t.log" 2>/dev/null && tail -30 "$t.log"
		done
		echo "arm64-cross-check: make check failed without FEAT_SME_FA64" >&2
	fi
	env QEMU_CPU=max,sme_fa64=off "$qemu" ./fpbench --suite=strategies \
		--scenario=a64-kvm-run-sm,a64-kvm-run-sm-za --time-budget=2 >fpbench-nofa64.out 2>&1 ||
		{ status=1; echo "arm64-cross-check: fpbench failed without FEAT_SME_FA64" >&2; }
	grep -E 'a64-kvm-run-sm' fpbench-nofa64.out || sed -n '1,30p' fpbench-nofa64.out
else
	echo "== no-FA64 run skipped: this qemu has no sme_fa64 CPU property (qemu >= 7.1)"
fi
# The tool itself, once, to show what an emulated run reports.
env QEMU_CPU=max qemu-aarch64-static ./fpbench \
	--kernel=fpsimd-save,sve-save,za-save --time-budget=2 >fpbench-arm64.out 2>&1 || true
sed -n '1,40p' fpbench-arm64.out
t3=$(date +%s)
echo "arm64-cross-check: install $((t1 - t0)) s, configure+build $((t2 - t1)) s," \
	"tests $((t3 - t2)) s, total $((t3 - t0)) s"
exit $status
