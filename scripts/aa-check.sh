#!/bin/sh
# aa-check.sh - the A/A check: K back-to-back default runs of one build, nothing changed between
# them, saved to a scratch directory; then `fpbench report` over them and the number of
# run-to-run changes it calls significant (every one is a false alarm), then naive-compare.sh.
#
# Usage: scripts/aa-check.sh [--runs=K] [--builddir=DIR] [--keep=DIR] [-- FPBENCH-ARGS...]
#   --runs=K      back-to-back runs (default 3)
#   --builddir    where ./fpbench was built (default: build, else the current directory)
#   --keep=DIR    save the runs and the report in DIR instead of a temporary directory
#   FPBENCH-ARGS  given to every run (default: none, the default run)
# Not part of `make check`: it measures, and takes K times the default run (about 10 s each).
set -eu

runs=3
top=$(cd "$(dirname "$0")/.." && pwd)
b=
keep=
while [ $# -gt 0 ]; do
	case $1 in
	--runs=*) runs=${1#--runs=} ;;
	--builddir=*) b=${1#--builddir=} ;;
	--keep=*) keep=${1#--keep=} ;;
	--) shift; break ;;
	*) echo "aa-check: unknown argument '$1' (see the comment at the top)" >&2; exit 2 ;;
	esac
	shift
done
case $runs in ''|*[!0-9]*) echo "aa-check: --runs needs a number >= 2" >&2; exit 2 ;; esac
[ "$runs" -ge 2 ] || { echo "aa-check: --runs needs a number >= 2" >&2; exit 2; }
if [ -z "$b" ]; then
	if [ -x "$top/build/fpbench" ]; then b=$top/build; else b=.; fi
fi
fp=$b/fpbench
[ -x "$fp" ] || { echo "aa-check: $fp not found; build it first" >&2; exit 2; }

if [ -n "$keep" ]; then
	dir=$keep
	mkdir -p "$dir"
else
	dir=$(mktemp -d "${TMPDIR:-/tmp}/fpbench-aa-XXXXXX")
	trap 'rm -rf "$dir"' EXIT
fi

i=1
while [ "$i" -le "$runs" ]; do
	printf 'aa-check: run %d of %d\n' "$i" "$runs" >&2
	"$fp" --save --results-dir="$dir" --quiet "$@" >/dev/null
	i=$((i + 1))
done
"$fp" report --output="$dir/report" "$dir"/*.json >/dev/null
if [ -f "$dir/report/report.json" ]; then
	echo "# report.json:"
	grep -o '"verdict_summary":{[^}]*}' "$dir/report/report.json" || true
fi

# Every run-to-run step of the regression series (K >= 3) or the one A-vs-B comparison (K = 2).
count() {
	awk '
	FNR == 1 { series = (FILENAME ~ /series[^\/]*$/) }
	/^#/ || NF == 0 { next }
	series && $1 ~ /^[0-9]+$/ {
		if ($1 > 1 && $2 != "NaN" && $2 != "nan" && $2 != "-") { total++; sig += ($NF == 1) }
		next
	}
	!series && $1 ~ /^[0-9]+$/ { total++; for (i = NF; i > 0; i--) if ($i ~ /^-?[0-9]$/) { c = $i; break }
		sig += (c == 1 || c == -1) }
	END { printf "%d %d\n", sig + 0, total + 0 }' "$@"
}
set -- $(count $(ls "$dir/report"/series*.dat 2>/dev/null || ls "$dir/report"/compare-*.dat 2>/dev/null || echo /dev/null))
echo "# A/A check: $runs back-to-back runs of $fp"
echo "A/A: $1 of $2 run-to-run comparisons called significant (each one a false alarm)"
[ -n "$keep" ] && echo "A/A: runs and report kept in $dir"
echo
sh "$top/scripts/naive-compare.sh" "$b"
