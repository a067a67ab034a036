#!/bin/sh
# aa-check.sh - the A/A check: K back-to-back default runs of one build, nothing changed between
# them, saved to a scratch directory; then `fpbench report` over them and the number of
# run-to-run changes it calls significant (every one is a false alarm), then naive-compare.sh.
#
# Usage: scripts/aa-check.sh [--runs=K] [--builddir=DIR] [--keep=DIR] [--inject=PCT]
#                            [--co-runner=moderate|heavy] [--precision=N] [--no-naive]
#                            [-- FPBENCH-ARGS...]
#   --runs=K      back-to-back runs (default 3)
#   --builddir    where ./fpbench was built (default: build, else the current directory)
#   --keep=DIR    save the runs and the report in DIR instead of a temporary directory
#   --inject=PCT  power check: a copy of the last run with every measured row's samples scaled
#                 by 1 + PCT/100 (python3), compared with the run before it; power = rows found
#                 changed / eligible rows (kernels rows whose smallest detectable change <= 3%)
#   --co-runner=moderate|heavy  stress-ng on another CPU than fpbench's while the runs measure:
#                 moderate = --cpu 1 --cpu-load 50, heavy = --cpu-load 100 (apt-get install stress-ng)
#   --precision=N precision check instead of the A/A check: N back-to-back
#                 `--kernel=xsave,xrstor --state=dirty --mask=all` runs (plus FPBENCH-ARGS), each
#                 row's median and trial floor per run, then largest / smallest of each over the
#                 runs (the target for the median is <= 1.02); with --co-runner too
#   --no-naive    skip naive-compare.sh at the end
#   FPBENCH-ARGS  given to every run (default: none, the default run)
# Counts come from the report's report.json (one comparison a line).  Not part of `make check`:
# it measures, and takes K times the default run (about 20 s each).
set -eu

runs=3
top=$(cd "$(dirname "$0")/.." && pwd)
b=
keep=
inject=
corunner=
precision=
naive=1
while [ $# -gt 0 ]; do
	case $1 in
	--runs=*) runs=${1#--runs=} ;;
	--builddir=*) b=${1#--builddir=} ;;
	--keep=*) keep=${1#--keep=} ;;
	--inject=*) inject=${1#--inject=} ;;
	--co-runner=*) corunner=${1#--co-runner=} ;;
	--precision=*) precision=${1#--precision=} ;;
	--no-naive) naive= ;;
	--) shift; break ;;
	*) echo "aa-check: unknown argument '$1' (see the comment at the top)" >&2; exit 2 ;;
	esac
	shift
done
case $runs in ''|*[!0-9]*) echo "aa-check: --runs needs a number >= 2" >&2; exit 2 ;; esac
[ "$runs" -ge 2 ] || { echo "aa-check: --runs needs a number >= 2" >&2; exit 2; }
case $inject in ''|[0-9]|[0-9][0-9]|[0-9].[0-9]|[0-9][0-9].[0-9]) ;;
	*) echo "aa-check: --inject needs a percentage such as 5" >&2; exit 2 ;; esac
case $precision in '') ;;
	*[!0-9]*|0|1) echo "aa-check: --precision needs a number of runs >= 2" >&2; exit 2 ;; esac
case $corunner in ''|moderate|heavy) ;;
	*) echo "aa-check: --co-runner is moderate or heavy" >&2; exit 2 ;; esac
if [ -n "$inject" ] && ! command -v python3 >/dev/null 2>&1; then
	echo "aa-check: --inject needs python3" >&2; exit 2
fi
if [ -n "$corunner" ] && ! command -v stress-ng >/dev/null 2>&1; then
	echo "aa-check: --co-runner needs stress-ng (apt-get install stress-ng)" >&2; exit 2
fi
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
fi
stress=
cleanup() {
	[ -n "$stress" ] && kill "$stress" 2>/dev/null && wait "$stress" 2>/dev/null
	[ -n "$keep" ] || rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "$corunner" ]; then
	# fpbench pins itself to the last online CPU: the co-runner takes the first.
	load=50
	[ "$corunner" = heavy ] && load=100
	stress-ng --cpu 1 --cpu-load "$load" --taskset 0 --timeout 1800 --quiet &
	stress=$!
	echo "# co-runner: stress-ng --cpu 1 --cpu-load $load --taskset 0 (pid $stress)"
	sleep 1
fi

if [ -n "$precision" ]; then
	# One CSV a run; then per row (kernel, state, mask) the median's and the floor's spread.
	i=1
	while [ "$i" -le "$precision" ]; do
		printf 'aa-check: precision run %d of %d\n' "$i" "$precision" >&2
		"$fp" --kernel=xsave,xrstor --state=dirty --mask=all --format=csv --quiet "$@" \
			>"$dir/precision-$(printf %03d "$i").csv"
		i=$((i + 1))
	done
	echo "# precision: $precision back-to-back runs of $fp --kernel=xsave,xrstor --state=dirty --mask=all${corunner:+ with the $corunner co-runner}; load average $(cut -d' ' -f1-3 /proc/loadavg)"
	awk -F, '
	FNR == 1 { run++; for (i = 1; i <= NF; i++) col[$i] = i; next }
	$col["status"] == "measured" {
		key = $col["name"] " " $col["state"] " " $col["mask_name"]
		if (!(key in seen)) { seen[key] = 1; order[++nk] = key }
		m = $col["median"] + 0
		line[key] = line[key] sprintf(" %.1f", m)
		if (!(key in mlo) || m < mlo[key]) mlo[key] = m
		if (!(key in mhi) || m > mhi[key]) mhi[key] = m
		if ("floor" in col && $col["floor"] != "") {
			f = $col["floor"] + 0
			fline[key] = fline[key] sprintf(" %.1f", f)
			if (!(key in flo) || f < flo[key]) flo[key] = f
			if (!(key in fhi) || f > fhi[key]) fhi[key] = f
			nf[key]++
		} else {
			fline[key] = fline[key] " -"
		}
		nm[key]++
	}
	END {
		for (k = 1; k <= nk; k++) {
			key = order[k]
			printf "%s: medians%s\n", key, line[key]
			printf "%s: floors %s\n", key, fline[key]
			printf "precision %s: median %.1f..%.1f (largest/smallest %.3f) over %d runs; ", key,
				mlo[key], mhi[key], (mlo[key] > 0 ? mhi[key] / mlo[key] : 0), nm[key]
			if (nf[key])
				printf "floor %.1f..%.1f (%.3f) over %d runs with a floor\n", flo[key],
					fhi[key], (flo[key] > 0 ? fhi[key] / flo[key] : 0), nf[key]
			else
				printf "no floor in any run\n"
		}
	}' "$dir"/precision-*.csv
	[ -n "$keep" ] && echo "precision: runs kept in $dir"
	exit 0
fi

i=1
while [ "$i" -le "$runs" ]; do
	printf 'aa-check: run %d of %d\n' "$i" "$runs" >&2
	"$fp" --save --results-dir="$dir" --quiet "$@" >/dev/null
	i=$((i + 1))
done
if [ -n "$stress" ]; then
	kill "$stress" 2>/dev/null || true
	wait "$stress" 2>/dev/null || true
	stress=
fi
"$fp" report --output="$dir/report" "$dir"/*.json >/dev/null

# Run-to-run comparisons in report.json (kinds "series" and "run"): total, significant,
# inconclusive (a disturbed row), and the runs' own disturbed trials.
count() {
	awk '
	/"kind": "(series|run)"/ {
		total++
		if ($0 ~ /"significant": true/) sig++
		if ($0 ~ /"verdict": "inconclusive/) inc++
	}
	END { printf "%d %d %d\n", sig + 0, total + 0, inc + 0 }' "$1"
}
echo "# A/A check: $runs back-to-back runs of $fp${corunner:+ with the $corunner co-runner}"
grep -o '"verdict_summary":{[^}]*}' "$dir/report/report.json" || true
set -- $(count "$dir/report/report.json")
echo "A/A: $1 of $2 run-to-run comparisons called significant (each one a false alarm); $3 inconclusive (disturbed)"
awk '/"trials_total"/ { match($0, /"trials_total": [0-9]+/); t = substr($0, RSTART + 16, RLENGTH - 16)
	match($0, /"trials_disturbed": [0-9]+/); d = substr($0, RSTART + 20, RLENGTH - 20)
	printf "A/A: run %d: %d of %d trials disturbed\n", ++n, d, t }' "$dir/report/report.json"

if [ -n "$inject" ]; then
	set -- "$dir"/*.json
	last=$(ls "$dir"/*.json | tail -1)
	prev=$(ls "$dir"/*.json | tail -2 | head -1)
	mkdir -p "$dir/inject"
	cp "$prev" "$dir/inject/a.json"
	python3 - "$last" "$dir/inject/b.json" "$inject" <<'PY'
import json, sys
src, dst, pct = sys.argv[1], sys.argv[2], float(sys.argv[3])
k = 1 + pct / 100
d = json.load(open(src))
for r in d["rows"]:
    if r["status"] != "measured" or not r.get("stats"):
        continue
    st = r["stats"]
    for f in ("min", "max", "median", "mean", "stddev", "mad", "p5", "p95", "ci_lo", "ci_hi",
              "floor", "floor_lo", "floor_hi"):
        if isinstance(st.get(f), (int, float)):
            st[f] *= k
    r["raw"] = [x * k if isinstance(x, (int, float)) else x for x in r.get("raw", [])]
    for t in r.get("trials", []):
        if isinstance(t.get("median"), (int, float)):
            t["median"] *= k
json.dump(d, open(dst, "w"), indent=1)
PY
	"$fp" report --output="$dir/inject/report" "$dir/inject/a.json" "$dir/inject/b.json" >/dev/null
	awk -v pct="$inject" '
	/"kind": "run"/ && /"key": "kernels\|/ {
		kern++
		match($0, /"detectable": [-0-9.e]+/)
		d = RLENGTH > 0 ? substr($0, RSTART + 14, RLENGTH - 14) + 0 : 1
		if (RLENGTH > 0 && d <= 0.03) {
			elig++
			if ($0 ~ /"verdict": "higher"/) found++
		}
		if ($0 ~ /"verdict": "higher"/) anyfound++
	}
	END {
		printf "power: a %s%% change injected into every measured row of the last run\n", pct
		printf "power: %d of %d eligible kernels rows found (eligible: smallest detectable change <= 3%%; %d of %d kernels rows eligible, %.0f%%); %d kernels rows found in all\n",
			found, elig, elig, kern, kern ? 100 * elig / kern : 0, anyfound
	}' "$dir/inject/report/report.json"
fi
[ -n "$keep" ] && echo "A/A: runs and report kept in $dir"
if [ -n "$naive" ]; then
	echo
	sh "$top/scripts/naive-compare.sh" "$b"
fi
