#!/bin/sh
# lava-fleet.sh - a LAVA fleet run, simulated end to end without a lab:
#  1. the run step of lava/fpbench-test.yaml runs as LAVA's test shell would run it (set -e -x
#     before it; lava-test-case, insmod and dmesg are stand-ins) on two "devices": this machine
#     with the built fpbench (a short selection; the module cannot load here, so ring0 is a
#     skip), and a second machine whose fpbench answers with a saved result of another CPU
#     (results/*.json, Zen 5 under bhyve; in a tarball, the Intel report fixture);
#  2. each console becomes the job log lava-dispatcher would keep (tests/lava-fake-log.py, with
#     lava_common's own log writer), and `fpbench lava-collect` brings both home;
#  3. `fpbench report` draws the fleet report over the two machines.
# Also: every row is one test case with the right result, bad logs (a kernel message inside the
# JSON, a log cut short) are refused with one line and leave nothing behind.
# Exit 77 when no python3 can import lava_common and yaml (apt-get install lava-common), when
# fpbench cannot read JSON (built without jansson), or has no xsave kernel (not x86).
set -u

srcdir=${FPB_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${FPB_BUILDDIR:-.}
fpbench=$(cd "$builddir" && pwd)/fpbench
fail() { echo "FAIL: $*" >&2; exit 1; }

py=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import lava_common.log, yaml' 2>/dev/null; then py=$p; break; fi
done
if [ -z "$py" ]; then
	echo "SKIP: no python3 with lava_common and yaml (apt-get install lava-common)"
	exit 77
fi
test -x "$fpbench" || fail "$fpbench: not built"
. "$srcdir/tests/skip-unless.sh"
fpb_skip_unless_json_reader
fpb_skip_unless_kernel xsave	# the first device measures xsave
# A real saved run of another machine when the tree has one (results/ is not in the tarball),
# else the report fixture of an Intel machine.
other=$(ls "$srcdir"/results/AuthenticAMD-26-2-1-*.json 2>/dev/null | head -n 1)
test -n "$other" || other=$srcdir/tests/fixtures/report-b1.json
test -f "$other" || fail "no saved result to play the second machine"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fpb-lava-XXXXXX") || fail "mktemp"
trap 'test -n "${FPB_LAVA_KEEP:-}" || rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp/bin" "$tmp/results"

# The test definition's run step, as run.sh holds it (LAVA writes set -e and set -x first).
"$py" - "$srcdir/lava/fpbench-test.yaml" "$tmp/run.sh" <<'PY' || fail "cannot read the run step"
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
with open(sys.argv[2], "w") as f:
    f.write("set -e\nset -x\n" + "\n".join(d["run"]["steps"]) + "\n")
PY

# Stand-ins: lava-test-case prints its signal as lava-dispatcher's does (same field order);
# insmod fails as on a kernel that refuses the module; dmesg must not touch this machine.
cat >"$tmp/bin/lava-test-case" <<'SH'
#!/bin/sh
id=$1; shift; data=
while [ $# -gt 0 ]; do
	case $1 in
	--result) data="$data RESULT=$2" ;;
	--units) u=" UNITS=$2" ;;
	--measurement) m=" MEASUREMENT=$2" ;;
	*) echo "lava-test-case: bad argument $1"; exit 1 ;;
	esac
	shift 2
done
echo "<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=$id$data${u:-}${m:-}>"
SH
printf '#!/bin/sh\necho "insmod: ERROR: could not insert module $1: %s" >&2\nexit 1\n' \
	"Operation not permitted" \
	>"$tmp/bin/insmod"
printf '#!/bin/sh\nexit 0\n' >"$tmp/bin/dmesg"
printf '#!/bin/sh\nexit 1\n' >"$tmp/bin/rmmod"
# The second machine's fpbench: its saved result for the default part (JSON as saved, CSV and
# text made from it), nothing measurable for the in-situ part.
cat >"$tmp/fake-fpbench.py" <<'PY'
import csv, json, sys
saved = sys.argv[1]
args = sys.argv[2:]
if "--version" in args:
    print("fpbench 0.1.0 (saved result standing in for a second machine)")
    sys.exit(0)
out = [a.split("=", 1)[1] for a in args if a.startswith("--output=")][0]
if "--suite=insitu" in args:
    print("fpbench: nothing measurable here: every row was skipped", file=sys.stderr)
    sys.exit(3)
r = json.load(open(saved))
open(out + ".json", "w").write(open(saved).read())
cols = ("fingerprint,suite,name,scenario,mask_name,mask,state,buffer,backend,status,reason,"
        "flags,unit,median").split(",")
with open(out + ".csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(cols)
    for row in r["rows"]:
        v = dict(row, fingerprint=r["machine"]["fingerprint"], flags=";".join(row["flags"]))
        v["median"] = "%.6g" % row["stats"]["median"] if row["status"] == "measured" else ""
        w.writerow([v.get(c, "") for c in cols])
open(out + ".txt", "w").write("# fingerprint  %s\n%d rows\n" % (r["machine"]["fingerprint"],
                                                                len(r["rows"])))
PY
chmod +x "$tmp/bin"/*

# fpb_device NAME FPBENCH: run the step as one device's test shell; its console into NAME.console.
fpb_device() {
	(cd "$tmp" && PATH="$tmp/bin:$PATH" TMPDIR="$tmp" FPBENCH="$2" \
		FPBENCH_KO=/nonexistent/fpbench.ko SUITES=kernels STRATEGIES= MASKS=all KMOD=auto \
		INSITU=yes TIME_BUDGET=1 \
		EXTRA_ARGS=--state=dirty \
		sh run.sh >"$tmp/$1.console" 2>&1) || fail "$1: the run step exited $?"
}
fpb_device dev1 "${FPB_EXEC_WRAPPER:+$FPB_EXEC_WRAPPER }$fpbench"
fpb_device dev2 "$py $tmp/fake-fpbench.py $other"

# Every part ran and printed its JSON; every row of a part is one test case.
for part in default insitu; do
	grep -q "^FPBENCH-JSON-BEGIN part=$part bytes=[0-9]* md5=[0-9a-f]*\$" "$tmp/dev1.console" ||
		fail "dev1: no JSON marker for part $part: $(tail -n 5 "$tmp/dev1.console")"
	n=$(grep -c "^<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=$part\\." "$tmp/dev1.console")
	test "$n" -gt 0 || fail "dev1 part $part: no row test cases"
	grep -q "^<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=$part RESULT=pass>\$" "$tmp/dev1.console" ||
		fail "dev1 part $part: the run itself is not a passing test case"
done
xsave='default\.kernels\.xsave\.all\.dirty\.same'
grep -q "^<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=$xsave RESULT=pass UNITS=tsc-ticks/op MEASUREMENT=[0-9.e+-]*>\$" \
	"$tmp/dev1.console" || fail "dev1: no measured xsave row with its unit and measurement"
grep -q '^fpbench: ring0: cannot load /nonexistent/fpbench.ko: insmod: ERROR' "$tmp/dev1.console" &&
	grep -q '^<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=ring0 RESULT=skip>$' "$tmp/dev1.console" ||
	fail "dev1: the module cannot load here: expected ring0 skipped with the reason"
# A skipped row keeps its reason on the line before its test case.
skipped=$(grep -c '^<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=[a-z0-9]*\..* RESULT=skip>' "$tmp/dev2.console")
reasons=$(grep -c '^fpbench: [a-z0-9]*\.[^ ]*: skip: ..*' "$tmp/dev2.console")
test "$skipped" -gt 0 && test "$skipped" = "$reasons" ||
	fail "dev2: $skipped skipped rows but $reasons reasons in the log"
grep -q '^<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=insitu RESULT=skip>$' "$tmp/dev2.console" ||
	fail "dev2: nothing measurable in situ (exit 3) should be a skip"
test "$(grep -c '^<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=default\.' "$tmp/dev2.console")" = \
	"$("$py" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["rows"]))' "$other")" ||
	fail "dev2: expected one test case per row of the saved result"

# The job logs, as LAVA keeps them.
for d in dev1 dev2; do
	"$py" "$srcdir/tests/lava-fake-log.py" "$tmp/$d.console" "$tmp/$d.yaml" ||
		fail "$d: cannot make the job log"
done
grep -q '^- {"dt": "[^"]*", "lvl": "target", "msg": "  \\\\\\"schema\\\\\\": \\\\\\"fpbench-results' \
	"$tmp/dev1.yaml" || fail "dev1.yaml: the JSON lines are not quoted as LAVA quotes them"

# Collect both; again (the same files, replaced); nothing temporary left.
"$fpbench" lava-collect --results-dir="$tmp/results" "$tmp/dev1.yaml" "$tmp/dev2.yaml" \
	>"$tmp/collect.out" 2>&1 || fail "lava-collect: $(cat "$tmp/collect.out")"
"$fpbench" lava-collect --quiet --results-dir="$tmp/results" "$tmp/dev1.yaml" "$tmp/dev2.yaml" ||
	fail "lava-collect a second time"
n=$(ls "$tmp/results" | wc -l)
test "$n" = 2 || fail "expected 2 results (one a device), got $n: $(ls -a "$tmp/results")"
ls -a "$tmp/results" | grep -q '^\.lava' && fail "temporary files left in the results directory"
name2=$("$py" -c 'import json, re, sys; r = json.load(open(sys.argv[1]))
print(re.sub(r"[^A-Za-z0-9._-]", "_", r["machine"]["fingerprint"]) + "-" +
      re.sub(r"[-:]", "", r["run"]["timestamp"]) + ".json")' "$other")
test -f "$tmp/results/$name2" ||
	fail "dev2: expected $name2 (fingerprint and run time), got $(ls "$tmp/results")"
grep -q 'parts default,insitu; ' "$tmp/collect.out" ||
	fail "dev1: expected the default and insitu parts: $(cat "$tmp/collect.out")"
# The merged result of dev1 holds both parts' rows; dev2's is the saved result, row for row.
"$py" - "$tmp/results" "$other" <<'PY' || fail "the collected results are not what the devices sent"
import json, os, sys
d, other = sys.argv[1], sys.argv[2]
res = [json.load(open(os.path.join(d, f))) for f in sorted(os.listdir(d))]
saved = json.load(open(other))
mine = [r for r in res if r["machine"]["fingerprint"] != saved["machine"]["fingerprint"]][0]
theirs = [r for r in res if r["machine"]["fingerprint"] == saved["machine"]["fingerprint"]][0]
suites = {row["suite"] for row in mine["rows"]}
assert {"kernels", "insitu"} <= suites, suites
assert len(theirs["rows"]) == len(saved["rows"]), (len(theirs["rows"]), len(saved["rows"]))
for a, b in zip(theirs["rows"], saved["rows"]):
    assert (a["name"], a["status"], a["raw"]) == (b["name"], b["status"], b["raw"]), a["name"]
PY

# The fleet report: both machines, compared.
"$fpbench" report --quiet --output="$tmp/report" "$tmp/results"/*.json >"$tmp/report.out" 2>&1 ||
	fail "fpbench report over the fleet: $(cat "$tmp/report.out")"
for fp in $(ls "$tmp/results" | sed 's/-[0-9T]*Z\.json$//; s/-unknown\.json$//'); do
	grep -q -- "$fp" "$tmp/report/report.md" || fail "report.md does not name machine $fp"
done
grep -qi '^## .*comparison.*machine 1.*machine 2' "$tmp/report/report.md" ||
	fail "report.md: no comparison of machine 1 against machine 2"

# Bad logs: one line, exit 2, nothing written.
rm -f "$tmp/results"/*
begin=$(grep -n 'FPBENCH-JSON-BEGIN part=default' "$tmp/dev1.console" | cut -d: -f1)
"$py" "$srcdir/tests/lava-fake-log.py" "$tmp/dev1.console" "$tmp/kmsg.yaml" --kmsg-at=$((begin + 3))
"$fpbench" lava-collect --results-dir="$tmp/results" "$tmp/kmsg.yaml" 2>"$tmp/err"
test $? = 2 && grep -q 'part default: changed in transit' "$tmp/err" && test "$(wc -l <"$tmp/err")" = 1 ||
	fail "a kernel message inside the JSON: expected one line and exit 2, got: $(cat "$tmp/err")"
head -n $((begin + 20)) "$tmp/dev1.yaml" >"$tmp/cut.yaml"
"$fpbench" lava-collect --results-dir="$tmp/results" "$tmp/cut.yaml" 2>"$tmp/err"
test $? = 2 && grep -q 'cut short' "$tmp/err" ||
	fail "a log cut short: expected exit 2, got: $(cat "$tmp/err")"
test -z "$(ls -A "$tmp/results")" || fail "bad logs left files: $(ls -A "$tmp/results")"
echo "PASS: two devices' job logs collected ($(cat "$tmp/collect.out" | tr '\n' ' '))"
exit 0
