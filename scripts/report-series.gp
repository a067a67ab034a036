# report-series.gp - fpbench report: the regression series of one machine, one line per
# measurement with its interval band; points where the change from the previous point is beyond
# the noise (significant) are circled.  Colours repeat every 8 lines; the dash pattern then changes.
# Called by `fpbench report` (src/report-plot.c) with -e setting:
#   datafile  data: one block per measurement (header line naming it), then per point:
#             point number, median, interval low, interval high, significant change (0/1)
#   outfile   output file;  fmt  'svg' or 'png';  nline, npt  counts;  machine  machine letter
if (fmt eq 'png') {
	if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
		set terminal pngcairo size 1200,700 noenhanced font 'sans,10'
	} else {
		set terminal png size 1200,700 noenhanced
	}
} else {
	set terminal svg size 1200,700 dynamic noenhanced font 'sans,10'
}
set output outfile
set title sprintf('Regression series, machine %s (median, interval band; circles: significant change)', machine)
set xlabel 'result (in order)'
set ylabel 'median per operation or event (log scale)'
set logscale y
set xrange [0.5:npt+0.5]
set xtics 1
set key outside right top vertical
set grid
set datafile missing 'NaN'
plot for [i=0:nline-1] datafile index i using 1:3:4 with filledcurves \
		fillstyle transparent solid 0.15 noborder linecolor i+1 notitle, \
	for [i=0:nline-1] datafile index i using 1:2 with linespoints linecolor i+1 \
		dt i/8+1 pt 7 ps 0.6 \
		title columnhead(1), \
	for [i=0:nline-1] datafile index i using 1:($5 > 0 ? $2 : NaN) with points \
		linecolor rgb 'red' pt 6 ps 2.5 notitle
