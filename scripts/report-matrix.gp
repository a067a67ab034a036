# report-matrix.gp - fpbench report: the strategy x scenario matrix as a grouped bar chart, one
# group per scenario, one bar per strategy, error bars the interval of the median.
# Called by `fpbench report` (src/report-plot.c) with -e setting:
#   datafile  data: "scenario" then per strategy: median, interval low, interval high
#   outfile   output file;  fmt  'svg' or 'png'
#   nstrat    number of strategies;  ylab  unit;  machine  machine letter
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
set style data histograms
set style histogram errorbars gap 2 lw 1
set style fill solid 0.6 border -1
set boxwidth 0.9
set xtics rotate by 30 right nomirror
set key outside right top vertical
set grid ytics
set datafile missing 'NaN'
plot for [i=0:nstrat-1] datafile using (column(2+3*i)):(column(3+3*i)):(column(4+3*i)):xtic(1) \
	title columnhead(2+3*i)
