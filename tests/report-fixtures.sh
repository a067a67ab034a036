#!/bin/sh
# report-fixtures.sh - the report's fixture results (tests/fixtures/report-*.json) are what
# gen-report-fixtures.py writes (deterministic) and validate against docs/results-schema.json.
# Exit 77 (skip) without python3 or its jsonschema module.
srcdir=${FPB_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not found"; exit 77; }
exec python3 "$srcdir/tests/fixtures/gen-report-fixtures.py" --check "$srcdir/tests/fixtures"
