#!/bin/sh
# quickstart-report.sh - the end of the Quick start: the report over THIS machine's results only,
# then a short summary for the screen: where the table, the result, the report and its charts
# are, and the three most interesting findings of the report.
#
# Usage: sh scripts/quickstart-report.sh FPBENCH SAVED.json TABLE REPORT_DIR
#   FPBENCH     the built program
#   SAVED.json  the result this run saved (RESULTS_DIR/<fingerprint>-<YYYYmmddTHHMMSSZ>.json)
#   TABLE       where the run's table was written
#   REPORT_DIR  the report's directory (fpbench report --output)
#
# "This machine": the results in SAVED.json's directory whose name carries the same fingerprint.
# Results of other machines there (and the examples in results/examples/) are left out and
# counted; comparing machines is something to ask for: fpbench report --output=DIR FILE...
set -eu

test $# -eq 4 || { echo "usage: sh scripts/quickstart-report.sh FPBENCH SAVED.json TABLE REPORT_DIR" >&2; exit 2; }
fpbench=$1 saved=$2 table=$3 out=$4
dir=$(dirname "$saved")
base=$(basename "$saved" .json)
fp=${base%-*}	# drop -YYYYmmddTHHMMSSZ

set --
others=0
for f in "$dir"/*.json; do
	test -f "$f" || continue
	case $(basename "$f") in
	"$fp"-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z.json)
		set -- "$@" "$f" ;;
	*)	others=$((others + 1)) ;;
	esac
done
test $# -gt 0 || { echo "quickstart: $saved: not found" >&2; exit 1; }
"$fpbench" report --quiet --output="$out" "$@"

cols=${COLUMNS:-100}
test "$cols" -ge 60 2>/dev/null || cols=100
md=$out/report.md
nrows=$(wc -l <"$table" 2>/dev/null || echo 0)

echo
echo "quickstart: done. This machine: $fp"
echo "  table    $table ($nrows lines)"
echo "  result   $saved"
if test "$#" -eq 1; then
	echo "  report   $md (this run; run again for run-to-run changes)"
else
	echo "  report   $md ($# results of this machine)"
fi
charts=$(cd "$out" && ls -- *.png 2>/dev/null | tr '\n' ' ')
if test -n "$charts"; then
	echo "  charts   in $out: $charts"
else
	echo "  charts   none drawn (the end of report.md says why)"
fi
test "$others" -eq 0 ||
	echo "  left out $others result(s) of other machines in $dir"
echo "  compare machines: fpbench report --output=DIR FILE... (e.g. results/examples/*.json)"
echo "  more: fpbench --help, man -l man/fpbench.1"
echo
echo "Findings (the three largest significant differences of the report):"

# The findings come from report.json, the report's machine-readable verdicts (the rule of
# src/report/verdict.c): run-to-run changes of this machine first, then strategies against the lowest
# of their scenario, each group by size.  python3 is installed with the dependencies.
python3 - "$out/report.json" "$cols" <<'PY' || echo "  none listed: report.json could not be read"
import json, sys
rep = json.load(open(sys.argv[1]))
width = int(sys.argv[2])
order = {"run": 0, "series": 0, "strategies": 1}
found = []
for c in rep.get("comparisons", []):
    if not c.get("significant") or c.get("change") is None:
        continue
    pct = abs(c["change"]) * 100
    hw = max(c["change"] - c["change_interval"][0], c["change_interval"][1] - c["change"]) * 100
    way = "slower" if c["change"] > 0 else "faster"
    if c["kind"] == "strategies":
        text = "%s: %s %.1f%% %s +- %.1f%% than %s" % (c["label"].split(" @ ")[-1],
               c.get("label_b", "?").split(" @ ")[0], pct, way, hw, c["label"].split(" @ ")[0])
    else:
        text = "%s: %.1f%% %s +- %.1f%% (detects >= %.1f%%) (since the previous run)" % (
               c["label"], pct, way, hw, c.get("detectable", 0) * 100)
    found.append((order.get(c["kind"], 2), -pct, text))
found.sort()
for n, (_, _, text) in enumerate(found[:3], 1):
    line = "  %d. %s" % (n, text)
    print(line if len(line) <= width else line[:width - 3] + "...")
if not found:
    print("  none: no significant difference beyond the noise in this report")
PY
