#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# lava/lava-check.sh [SRCDIR] - `make lava-check`: run the x86-64 fpbench job for real with
# lava-dispatcher's lava-run on a qemu device (lava/devices/qemu-x86_64.yaml), then bring the
# result home with `fpbench lava-collect` and check it.
#
# The kernel, its KVM modules, fpbench.ko and a static fpbench come from scripts/kmod-check.sh
# (FPB_KMOD_FILES_ONLY: it builds them and stops before booting); this script packs them as a lab
# would publish them: the kernel, a busybox ramdisk whose /init starts a shell on ttyS0 (LAVA
# drives that shell), and the modules as a tarball that LAVA appends to the ramdisk with its own
# overlay.  lava-run fetches them through file:// URLs.
#
# Installs lava-dispatcher (about 295 packages) when lava-run is missing and this is root on
# Debian.  Exit 0 pass, 1 fail, 77 cannot run here (says why).  Environment: FPB_LAVA_KEEP=1 keeps
# the work directory, FPB_LAVA_LOG=FILE copies the job log, FPB_LAVA_BUDGET (fpbench
# --time-budget per part, default 20), FPB_LAVA_TIMEOUT (seconds for lava-run, default 1500),
# FPB_LAVA_RENDER_ARGS (more lava/render-job.py options, e.g. --insitu=no --suites=kernels).
set -u

T0=$(date +%s)
srcdir=${1:-$(cd "$(dirname "$0")/.." && pwd)}
srcdir=$(cd "$srcdir" && pwd)
builddir=$(pwd)
say() { echo "lava-check: $*"; }
skip() { say "SKIP: $*"; exit 77; }
fail() { say "FAIL: $*"; exit 1; }
elapsed() { echo $(( $(date +%s) - T0 )); }

[ "$(uname -m)" = x86_64 ] || skip "the qemu device here is x86-64 (this is $(uname -m))"
fpbench=$builddir/fpbench
[ -x "$fpbench" ] || fail "$fpbench: build fpbench first (make)"

work=$(mktemp -d "${TMPDIR:-/tmp}/fpbench-lava.XXXXXX") || fail "mktemp"
if [ "${FPB_LAVA_KEEP:-0}" = 1 ]; then
	say "work directory $work (kept)"
else
	trap 'rm -rf "$work"' EXIT
fi

# ---------------------------------------------------------------- lava-dispatcher
if ! command -v lava-run >/dev/null 2>&1; then
	[ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 ||
		skip "lava-run not found (apt-get install lava-dispatcher, as root)"
	say "installing lava-dispatcher (about 295 packages)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q lava-dispatcher \
		>"$work/apt.log" 2>&1 ||
		{ tail -5 "$work/apt.log"; skip "apt-get install lava-dispatcher failed"; }
	say "installed lava-dispatcher [$(elapsed) s]"
fi
py=/usr/bin/python3
"$py" -c 'import lava_dispatcher, lava_common.schemas, yaml' 2>/dev/null ||
	skip "lava-run is there but $py cannot import lava_dispatcher"
for t in cpio gzip xz busybox; do
	command -v $t >/dev/null 2>&1 || [ -x /bin/$t ] || skip "$t not found"
done
say "lava-dispatcher $(dpkg-query -W -f='${Version}' lava-dispatcher 2>/dev/null) [$(elapsed) s]"

# ---------------------------------------------------------------- kernel and files
FPB_KMOD_FILES_ONLY=$work/files sh "$srcdir/scripts/kmod-check.sh" "$srcdir" \
	>"$work/kmod-files.log" 2>&1
rc=$?
if [ $rc != 0 ]; then
	tail -5 "$work/kmod-files.log"
	[ $rc = 77 ] && skip "scripts/kmod-check.sh cannot build the files here"
	fail "scripts/kmod-check.sh could not build the kernel files"
fi
abi=$(cat "$work/files/abi")
say "kernel $abi, fpbench.ko and a static fpbench from kmod-check [$(elapsed) s]"

# The lab's artefacts: kernel, ramdisk (busybox, fpbench, fpbench.ko), modules tarball.
art=$work/artefacts
root=$work/root
mkdir -p "$art" "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/root" \
	"$root/lib/modules/$abi/kernel" "$root/lib/modules/$abi/extra"
cp "$work/files/vmlinuz" "$art/bzImage"
cp "$(command -v busybox || echo /bin/busybox)" "$root/bin/busybox" || fail "no busybox"
cp "$work/files/fpbench" "$root/bin/fpbench" && cp "$work/files/fpbench.ko" "$root/fpbench.ko" ||
	fail "copy fpbench"
cat >"$root/init" <<'INIT'
#!/bin/busybox sh
# A lab's minimal ramdisk: mount the usual file systems, load this kernel's modules that LAVA
# appended (KVM, for the in-situ rows), and leave a root shell on the console for LAVA.
/bin/busybox --install -s /bin
export PATH=/bin:/sbin HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in irqbypass kvm ccp kvm-amd kvm-intel; do
	f=$(find /lib/modules -name "$m.ko" 2>/dev/null | head -n 1)
	[ -n "$f" ] && insmod "$f" 2>/dev/null && echo "init: loaded $m"
done
echo "init: fpbench ramdisk ready on $(uname -r)"
export PS1='/ # '
cd /
exec setsid cttyhack sh
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$art/fpbench-ramdisk.cpio.gz" ||
	fail "cpio ramdisk"
mkdir -p "$work/mods/lib/modules/$abi/kernel" "$work/mods/lib/modules/$abi/extra"
cp "$work/files/kvm/"*.ko "$work/mods/lib/modules/$abi/kernel/" 2>/dev/null
cp "$work/files/fpbench.ko" "$work/mods/lib/modules/$abi/extra/"
(cd "$work/mods" && tar cf - lib | xz -1) >"$art/modules.tar.xz" || fail "modules tarball"
say "artefacts: $(cd "$art" && ls | tr '\n' ' ')[$(elapsed) s]"

# ---------------------------------------------------------------- device and job
device=$work/device.yaml
cp "$srcdir/lava/devices/qemu-x86_64.yaml" "$device"
if grep -qwE 'vmx|svm' /proc/cpuinfo && [ -c /dev/kvm ] && [ -w /dev/kvm ] &&
   ! grep -q '^kvm_pvm' /proc/modules 2>/dev/null; then
	sed -i 's/- -accel tcg/- -enable-kvm/; s/- -cpu max/- -cpu host/' "$device"
	say "qemu with KVM"
else
	say "qemu under TCG (no usable /dev/kvm): figures are emulator speed"
fi
"$py" -c 'import sys, yaml; from lava_common.schemas.device import validate
validate(yaml.safe_load(open(sys.argv[1])))' "$device" ||
	fail "the device does not validate with lava-common's device schema"
"$py" "$srcdir/lava/render-job.py" --arch=x86_64 --method=qemu \
	--job-name="fpbench lava-check $(date -u +%Y%m%dT%H%M%SZ)" \
	--kernel="file://$art/bzImage" --ramdisk="file://$art/fpbench-ramdisk.cpio.gz" \
	--modules="file://$art/modules.tar.xz" --time-budget="${FPB_LAVA_BUDGET:-20}" \
	--fpbench=/bin/fpbench --fpbench-ko="/lib/modules/$abi/extra/fpbench.ko" \
	${FPB_LAVA_RENDER_ARGS:-} --validate -o "$work/job.yaml" || fail "render the job"

# ---------------------------------------------------------------- lava-run
say "lava-run (timeout ${FPB_LAVA_TIMEOUT:-1500} s) [$(elapsed) s]"
mkdir -p "$work/out"
# lava-run without a server writes the job log (one YAML entry a line) on standard error.
timeout -k 10 "${FPB_LAVA_TIMEOUT:-1500}" lava-run --job-id 1 --output-dir "$work/out" \
	--device "$device" "$work/job.yaml" >"$work/lava-run.out" 2>"$work/job.log"
rc=$?
[ -n "${FPB_LAVA_LOG:-}" ] && cp "$work/job.log" "$FPB_LAVA_LOG"
say "lava-run exited $rc [$(elapsed) s]"
# LAVA's own verdicts: the job, and the test definition's run (complete, not cut short).
verdict() {
	grep "\"lvl\": \"results\", \"msg\": {\"case\": \"$1\", \"definition\": \"lava\"" \
		"$work/job.log" | tail -n 1 | grep -o '"result": "[a-z]*"' | tail -n 1 |
		sed 's/.*: "//; s/"//'
}
job=$(verdict job)
run=$(verdict 0_fpbench)
say "LAVA verdicts: job ${job:-missing}, test run 0_fpbench ${run:-missing}"
case "$job/$run" in
pass/pass) ;;
*)
	grep -E '"lvl": "(error|exception)"' "$work/job.log" | tail -n 5
	tail -n 5 "$work/lava-run.out"
	fail "lava-run did not complete the job (keep the log: FPB_LAVA_KEEP=1 or FPB_LAVA_LOG=FILE)"
	;;
esac

# ---------------------------------------------------------------- bring the results home
"$fpbench" lava-collect --results-dir="$work/results" "$work/job.log" ||
	fail "lava-collect could not read the job log"
res=$(ls "$work/results"/*.json)
"$py" - "$res" "${FPB_LAVA_RENDER_ARGS:-}" <<'PY' || fail "the collected result is not right"
import json, sys
r = json.load(open(sys.argv[1]))
rows = r["rows"]
backends = {row["backend"] for row in rows}
suites = {row["suite"] for row in rows}
measured = [row for row in rows if row["status"] == "measured"]
bad = [row["name"] for row in rows if row["status"] == "skipped" and not row["reason"]]
print("lava-check: %s: %d rows (%d measured), suites %s, backends %s" % (
    r["machine"]["fingerprint"], len(rows), len(measured), ",".join(sorted(suites)),
    ",".join(sorted(backends))))
assert measured, "nothing measured"
assert not bad, "skipped without a reason: %s" % bad
assert "kmod" in backends, "no ring-0 rows (the module did not load in the guest?)"
assert "insitu" in suites or sys.argv[2], "no in-situ rows"
PY
say "LAVA test cases of fpbench: $(grep -o '"definition": "0_fpbench", [^}]*"result": "[a-z]*"' \
	"$work/job.log" | sed 's/.*"result": //' | sort | uniq -c | tr -s ' \n' ' ')"
say "PASS [$(elapsed) s]"
