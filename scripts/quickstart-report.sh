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

# Candidates from report.md, one a line: "PRIORITY<TAB>SIZE<TAB>TEXT"; run-to-run changes of
# this machine first (priority 1), then strategies against the fastest of their scenario (2).
awk -F'|' '
function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
function pct(s,   m) { if (match(s, /[0-9.]+%/)) return substr(s, RSTART, RLENGTH - 1) + 0; return 0 }
/^## / {
	sec = $0; ratio = 0; hdr = 0
}
/^Ratio to the fastest strategy/ { ratio = 1; hdr = 0; next }
# Run comparison (two results): the verdict column says "N% slower +- M%" when significant.
sec ~ /^## Run comparison/ && /^\| / && $0 !~ /^\| (measurement|---)/ {
	v = trim($(NF - 1))
	if (v ~ /% (slower|faster) \+-/)
		printf "1\t%s\t%s: %s (%s)\n", pct(v), trim($2), v, "since the previous run"
}
# Regression series: a bold change in the last column is a change at the latest run.
sec ~ /^## Regression series/ && /^\| / && $0 !~ /^\| (measurement|---)/ {
	last = trim($(NF - 1))
	if (last ~ /\*\*[-+][0-9.]+%\*\*/) {
		match(last, /[-+][0-9.]+%/)
		printf "1\t%s\t%s: %s at the latest run (significant)\n", pct(substr(last, RSTART)), trim($2), substr(last, RSTART, RLENGTH)
	}
}
# Strategy matrix: the ratio table, one line per scenario, a column per strategy.
ratio && /^\| scenario / { for (i = 3; i < NF; i++) name[i] = trim($i); hdr = 1; next }
ratio && hdr && /^\| / && $0 !~ /^\| ---/ {
	fast = ""
	for (i = 3; i < NF; i++) if ($i ~ /fastest|lowest median/) fast = name[i]
	for (i = 3; i < NF; i++) {
		c = trim($i)
		if (c ~ /% slower \+-/)
			printf "2\t%s\t%s: %s %s than %s (%s)\n", pct(substr(c, index(c, ":"))), trim($2), name[i], substr(c, index(c, ":") + 2), fast, substr(c, 1, index(c, ":") - 1)
	}
}
' "$md" | sort -t "$(printf '\t')" -k1,1n -k2,2gr | head -n 3 | cut -f3 |
	awk -v w="$cols" '{ s = "  " NR ". " $0; if (length(s) > w) s = substr(s, 1, w - 3) "..."; print s; n++ }
		END { if (!n) print "  none: no significant difference beyond the noise in this report" }'
