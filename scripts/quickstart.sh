#!/bin/sh
# quickstart.sh - the README's Quick start: install dependencies, build in ./build, then
#   run:   run the default benchmark, save it, report on this machine's results, and print a
#          short summary (where the table, report and charts are; the main findings)
#   check: run the test suite (Check required, so it can never pass by running nothing)
# Usage: sh scripts/quickstart.sh run|check
#
# The set-up's output (apt-get, autoreconf, configure, make) goes to build/quickstart.log and is
# shown only when a step fails; the screen gets one line a step and the summary.
set -eu

mode=${1:-run}
case $mode in
run|check) ;;
*) echo "usage: sh scripts/quickstart.sh run|check" >&2; exit 2 ;;
esac

top=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
mkdir -p "$top/build"
log=$top/build/quickstart.log
: >"$log"

# step WHAT CMD...: run CMD with its output in the log; on failure show the log's end.
step() {
	what=$1
	shift
	echo "quickstart: $what (log: build/quickstart.log)"
	echo "=== $what: $*" >>"$log"
	if ! "$@" >>"$log" 2>&1; then
		echo "quickstart: $what failed; the last lines of $log:" >&2
		tail -n 40 "$log" >&2
		exit 1
	fi
}

step "installing dependencies" sh "$top/scripts/install-deps.sh"
cd "$top"
step "autoreconf" autoreconf -fi
cd build
if test "$mode" = check; then
	step "configure" ../configure --with-check=yes
else
	step "configure" ../configure
fi
step "make" make -j"$jobs"
if test "$mode" = check; then
	echo "quickstart: make check"
	if ! make -j"$jobs" check >>"$log" 2>&1; then
		cat test-suite.log >&2 || true
		exit 1
	fi
	grep -E '^# (TOTAL|PASS|SKIP|FAIL|ERROR)' test-suite.log || true
	exit 0
fi

# The default benchmark: its table into report/table.txt (the report keeps files that are not
# its own), the JSON result saved under results/; then the report over this machine's results
# only and the summary.
mkdir -p "$top/report"
echo "quickstart: running the default benchmark (under 30 s)"
saved=$(./fpbench --save --results-dir="$top/results" --output="$top/report/table.txt" \
	--format=text 2>&1 >/dev/null | tee -a "$log" | sed -n 's/^fpbench: saved //p')
if test -z "$saved" || ! test -f "$saved"; then
	echo "quickstart: the benchmark did not save a result; the last lines of $log:" >&2
	tail -n 20 "$log" >&2
	exit 1
fi
FPB_SCRIPTDIR="$top/scripts" sh "$top/scripts/quickstart-report.sh" "$top/build/fpbench" \
	"$saved" "$top/report/table.txt" "$top/report"
