#!/bin/sh
# validate-report-json.sh - `fpbench report` on the committed fixtures writes report.json that
# validates against docs/report-schema.json (draft-07, python3 jsonschema), and the CI gate's exit
# codes: --fail-on-change=PCT exits 4 when a significant change beyond PCT exists (the fixtures'
# xsave is built 20% slower), 0 when none does, 2 for a bad file or value.
# Exit 77 (skip) when python3 or jsonschema is missing, or fpbench cannot read JSON (no jansson).
set -u

srcdir=${FPB_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${FPB_BUILDDIR:-.}
fpbench=$builddir/fpbench
fx=$srcdir/tests/fixtures

fail() { echo "FAIL: $*" >&2; exit 1; }

test -x "$fpbench" || fail "$fpbench: not built"
. "$srcdir/tests/skip-unless.sh"
fpb_skip_unless_json_reader
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fpb-report-json-XXXXXX") || fail "mktemp"
trap 'rm -rf "$tmp"' EXIT INT TERM
export FPB_GNUPLOT=

run() { ${FPB_EXEC_WRAPPER:-} "$fpbench" report --quiet "$@" </dev/null >"$tmp/stdout" 2>"$tmp/stderr"; }

run --output="$tmp/r" --fail-on-change=10 "$fx/report-a1.json" "$fx/report-a2.json"
rc=$?
[ $rc -eq 4 ] || fail "--fail-on-change=10 over a 20% change: exit $rc, want 4 ($(cat "$tmp/stderr"))"
grep -q 'significant change larger than 10%' "$tmp/stderr" || fail "--fail-on-change: no message"
test -s "$tmp/r/report.json" || fail "no report.json"
run --output="$tmp/r2" --fail-on-change=25 "$fx/report-a1.json" "$fx/report-a2.json"
rc=$?
[ $rc -eq 0 ] || fail "--fail-on-change=25 over a 20% change: exit $rc, want 0"
printf '{"schema": "fpbench-results"}' >"$tmp/bad.json"
run --output="$tmp/r3" --fail-on-change=10 "$fx/report-a1.json" "$tmp/bad.json"
rc=$?
[ $rc -eq 2 ] || fail "a bad file with --fail-on-change: exit $rc, want 2"
run --output="$tmp/r4" --fail-on-change=x "$fx/report-a1.json" "$fx/report-a2.json"
rc=$?
[ $rc -eq 2 ] || fail "--fail-on-change=x: exit $rc, want 2"
# Three runs of one machine: series steps are in report.json too.
run --output="$tmp/r5" "$fx/report-a1.json" "$fx/report-a2.json" "$fx/report-a3.json" ||
	fail "three fixtures: exit $?"

command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not found"; exit 77; }
python3 -c 'import jsonschema' 2>/dev/null ||
	{ echo "SKIP: python3 jsonschema module not found (apt-get install python3-jsonschema)"; exit 77; }
for r in r r2 r5; do
	python3 - "$srcdir/docs/report-schema.json" "$tmp/$r/report.json" <<'PY' || fail "$r/report.json does not validate"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
jsonschema.Draft7Validator.check_schema(schema)
jsonschema.validate(doc, schema)
s = doc["verdict_summary"]
assert s["comparisons"] == len(doc["comparisons"]), "summary count"
assert s["significant"] == sum(c["significant"] for c in doc["comparisons"]), "significant count"
kinds = {c["kind"] for c in doc["comparisons"]}
assert "strategies" in kinds, kinds
assert ("run" in kinds) or ("series" in kinds), kinds
PY
done
echo "PASS: report.json validates; --fail-on-change exits 4, 0 and 2"
