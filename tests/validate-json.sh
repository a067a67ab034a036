#!/bin/sh
# validate-json.sh - run the built fpbench on a tiny selection, write every format at once and
# --save, and validate the JSON against docs/results-schema.json (draft-07) with python3's
# jsonschema module.  Exit 77 (skip) when python3 or jsonschema is missing.
set -u

srcdir=${FPB_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${FPB_BUILDDIR:-.}
fpbench=$builddir/fpbench
schema=$srcdir/docs/results-schema.json

fail() { echo "FAIL: $*" >&2; exit 1; }

command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not found"; exit 77; }
python3 -c 'import jsonschema' 2>/dev/null ||
	{ echo "SKIP: python3 jsonschema module not found (apt-get install python3-jsonschema)"; exit 77; }
test -x "$fpbench" || fail "$fpbench: not built"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fpb-validate-XXXXXX") || fail "mktemp"
trap 'rm -rf "$tmp"' EXIT INT TERM

# A tiny run: one cheap kernel, a short budget, a software counter (schema 2: run.counters and
# per-op metrics; without libpfm4 the run says so and goes on), every format into files, --save.
${FPB_EXEC_WRAPPER:-} "$fpbench" --kernel=empty --mask=all --state=init --time-budget=1 --quiet \
	--events=task-clock \
	--format=text,csv,json,md --output="$tmp/out.json" --save --results-dir="$tmp/results" \
	</dev/null >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
case $rc in
0|3) ;;	# 3: every row skipped here, which is still a valid result file
*) fail "fpbench exited $rc: $(cat "$tmp/stderr")" ;;
esac
for ext in txt csv json md; do
	test -s "$tmp/out.$ext" || fail "--output with four formats: expected out.$ext"
done
ls "$tmp"/.out.* >/dev/null 2>&1 && fail "temporary files left in the output directory"
test -s "$tmp/stdout" && fail "--output given: expected nothing on stdout"
saved=$(ls "$tmp"/results/*.json 2>/dev/null | head -n 1)
test -n "$saved" || fail "--save: expected a file in $tmp/results"
head -n 1 "$tmp/out.csv" | grep -q '^fingerprint,suite,name,' || fail "CSV: no header row"

# Version 1 files (the report fixtures) must still validate against the current schema.
python3 - "$schema" "$tmp/out.json" "$saved" "$srcdir"/tests/fixtures/report-a1.json <<'PY' || exit 1
import json, sys
import jsonschema

schema = json.load(open(sys.argv[1]))
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema)
for path in sys.argv[2:]:
    try:
        doc = json.load(open(path))
    except ValueError as e:
        print("FAIL: %s: not JSON: %s" % (path, e))
        sys.exit(1)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors[:10]:
        print("FAIL: %s: at %s: %s" % (path, "/".join(map(str, e.absolute_path)), e.message))
    if errors:
        sys.exit(1)
    if not doc["rows"]:
        print("FAIL: %s: expected at least one row" % path)
        sys.exit(1)
    if doc["schema_version"] >= 2 and path != sys.argv[-1] and not doc["run"]["counters"]:
        print("FAIL: %s: --events=task-clock: expected run.counters to say something" % path)
        sys.exit(1)
    print("ok: %s validates (schema %d, %d rows)" % (path, doc["schema_version"], len(doc["rows"])))
PY
exit 0
