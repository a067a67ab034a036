# report-matrix.gp - fpbench report: the strategy x scenario matrix as grouped bars, one group per
# scenario holding only the strategies measured in it (no gaps for n/a), one colour per strategy,
# error bars the interval of the median, each scenario labelled with the unit of its event.
# Scenarios where no strategy was measured are not in the data (report.md names them).
# Called by `fpbench report` (src/report/report-plot.c) with -e setting:
#   datafile  data: one block per strategy (header line naming it), each line a measured cell:
#             x, scenario, unit, median, interval low, interval high; then a block of
#             scenario label positions (x, scenario, unit)
#   outfile   output file;  fmt  'svg' or 'png'
#   nstrat    strategy blocks;  nscen  scenarios;  ylab  unit;  machine  machine number
if (fmt eq 'png') {
	if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
		set terminal pngcairo size 1200,650 noenhanced font 'sans,10'
	} else {
		set terminal png size 1200,650 noenhanced
	}
} else {
	set terminal svg size 1200,650 dynamic noenhanced font 'sans,10'
}
set output outfile
set title sprintf('Strategy x scenario, machine %s (median, interval of the median)', machine)
set ylabel ylab
set yrange [0:*]
set offsets 0.8, 0.8, 0, 0
set style fill solid 0.7 border -1
set boxwidth 0.85
if (nscen > 6) {
	set xtics rotate by 30 right nomirror scale 0
} else {
	set xtics nomirror scale 0
}
set bmargin (nscen > 6 ? 12 : 7)
set key at screen 0.5, screen 0.012 center bottom horizontal
set grid ytics
set datafile missing 'NaN'
plot for [i=0:nstrat-1] datafile index i using 1:4 with boxes lc i+1 title columnhead(1), \
	for [i=0:nstrat-1] datafile index i using 1:4:5:6 with yerrorbars ps 0 lc rgb 'black' \
		notitle, \
	datafile index nstrat using 1:(NaN):xtic(stringcolumn(2)."\n(".stringcolumn(3).")") \
		notitle
