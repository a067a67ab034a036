#!/bin/sh
# quickstart-report.sh (test) - the end of the Quick start (scripts/quickstart-report.sh): the
# report covers only the machine of the result just saved (other machines' results in the same
# directory, like the shipped examples, are left out and counted), the summary names where
# everything is and the largest significant findings, and the whole screen output stays short.
# Exit 77 when fpbench cannot read JSON (built without jansson).
set -u

srcdir=${FPB_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${FPB_BUILDDIR:-.}
fpbench=$builddir/fpbench

fail() { echo "FAIL: $*" >&2; exit 1; }

test -x "$fpbench" || fail "$fpbench: not built"
. "$srcdir/tests/skip-unless.sh"
fpb_skip_unless_json_reader
"$fpbench" report --help >/dev/null 2>&1 || fail "fpbench report does not run"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fpb-quickstart-XXXXXX") || fail "mktemp"
trap 'rm -rf "$tmp"' EXIT INT TERM

# This machine: two runs (the fixtures built to differ in xsave); another machine: the examples.
fp=AuthenticAMD-25-17-1-0x0a101144-xcr0_2e7-KVMKVMKVM
mkdir -p "$tmp/results" "$tmp/report"
cp "$srcdir/tests/fixtures/report-a1.json" "$tmp/results/$fp-20261101T100000Z.json"
cp "$srcdir/tests/fixtures/report-a2.json" "$tmp/results/$fp-20261108T100000Z.json"
cp "$srcdir"/results/examples/*.json "$tmp/results/" || fail "results/examples: expected the examples"
seq 1 147 >"$tmp/report/table.txt"

FPB_GNUPLOT= COLUMNS=100 sh "$srcdir/scripts/quickstart-report.sh" "$fpbench" \
	"$tmp/results/$fp-20261108T100000Z.json" "$tmp/report/table.txt" "$tmp/report" \
	>"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "quickstart-report.sh failed"; }
cat "$tmp/out"

md=$tmp/report/report.md
grep -q "From 2 result files, 1 machine" "$md" || fail "report.md: expected this machine's 2 results only"
grep -q "AuthenticAMD-26" "$md" && fail "report.md: the example machine was compared"
grep -q "left out 2 result(s) of other machines" "$tmp/out" || fail "expected the other machine's results counted"
grep -q "report   $md" "$tmp/out" || fail "expected where report.md is"
grep -q "table    $tmp/report/table.txt" "$tmp/out" || fail "expected where the table is"
grep -q "^  1\. xsave all dirty: 20.0% slower" "$tmp/out" || fail "expected the xsave change as the first finding"
test "$(grep -c '^  [0-9]\. ' "$tmp/out")" -eq 3 || fail "expected three findings"
test -f "$tmp/report/table.txt" || fail "the report removed the table beside it"
n=$(wc -l <"$tmp/out")
test "$n" -lt 30 || fail "summary: $n lines (the whole Quick start must stay under 80)"
grep '^  [0-9]\. ' "$tmp/out" | awk 'length > 100 { exit 1 }' ||
	fail "summary: a finding wider than COLUMNS=100"
echo "PASS: quickstart summary, $n lines"
