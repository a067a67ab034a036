#!/bin/sh
# naive-compare.sh - fpbench's XSAVE/XRSTOR figures (all components, dirty) next to a naive
# single-loop timing (rdtsc around one loop of N operations, divided by N), printed both.
# fpbench's trial floor (the lowest level two of its trials agree on) is printed beside its
# median: on a host that flips between an undisturbed and a slow state, the floor is what the
# naive short loop's minimum should match, the median what its long loop's median should.
#
# Usage: scripts/naive-compare.sh [BUILDDIR]   (default: the current directory)
# Needs ./fpbench and scripts/naive-xsave built in BUILDDIR (`make fpbench scripts/naive-xsave`).
set -eu
b=${1:-.}
fp=$b/fpbench
nv=$b/scripts/naive-xsave
if [ ! -x "$nv" ] && [ -f "$b/Makefile" ]; then
	make -C "$b" -s scripts/naive-xsave >/dev/null
fi
for f in "$fp" "$nv"; do
	if [ ! -x "$f" ]; then
		echo "naive-compare: $f not found; build it first (make fpbench scripts/naive-xsave)" >&2
		exit 2
	fi
done

echo "# fpbench (fenced batches, N/2N differencing, warm-up, state checked):"
"$fp" --kernel=xsave,xrstor --state=dirty --mask=all --buffer=same --format=csv --quiet |
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	{ fl = "floor" in col && $col["floor"] != "" ? \
		sprintf("floor %s [%s, %s]", $col["floor"], $col["floor_lo"], $col["floor_hi"]) : \
		"floor none"
	  printf "fpbench %-7s mask=%s: median %s  ci [%s, %s]  %s  min %s %s  %s\n",
		$col["name"], $col["mask"], $col["median"], $col["ci_lo"], $col["ci_hi"], fl,
		$col["min"], $col["unit"], $col["status"] }'
echo "# naive (rdtsc around one loop, divided; no fences, no differencing), a long and a short loop:"
"$nv" 200000
"$nv" 1000
echo "# a long naive loop absorbs preemption and interrupts on a busy machine; fpbench drops them."
