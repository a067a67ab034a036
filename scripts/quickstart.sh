#!/bin/sh
# quickstart.sh - the README's Quick start: install dependencies, build in ./build, then
#   run:   run the default benchmark and print its table
#   check: run the test suite (Check required, so it can never pass by running nothing)
# Usage: sh scripts/quickstart.sh run|check
set -eu

mode=${1:-run}
case $mode in
run|check) ;;
*) echo "usage: sh scripts/quickstart.sh run|check" >&2; exit 2 ;;
esac

top=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)

sh "$top/scripts/install-deps.sh"
cd "$top"
echo "quickstart: autoreconf -fi" >&2
autoreconf -fi
mkdir -p build
cd build
if test "$mode" = check; then
	../configure --with-check=yes
else
	../configure
fi
make -j"$jobs"
if test "$mode" = check; then
	if ! make -j"$jobs" check; then
		cat test-suite.log >&2 || true
		exit 1
	fi
else
	# The default benchmark (its table on stdout), saved under results/, then the comparison
	# report over every saved result: this run's strategy matrix, and run-to-run changes and
	# the regression series once results/ holds earlier runs of this machine.
	./fpbench --save --results-dir="$top/results"
	./fpbench report --output="$top/report" "$top"/results/*.json
	echo
	cat "$top/report/report.md"
	echo "quickstart: report in $top/report/ (report.md and charts), results in $top/results/" >&2
fi
