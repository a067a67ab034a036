# report-compare.gp - fpbench report: run A vs run B, two bars per measurement with the interval
# of the median as error bars; measurements whose change is significant are marked with '*'.
# Called by `fpbench report` (src/report-plot.c) with -e setting:
#   datafile  data: measurement, A median lo hi, B median lo hi, significant (0/1)
#   outfile   output file;  fmt  'svg' or 'png';  ylab  unit
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
set title 'Run A vs run B (median, interval of the median; * significant change)'
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
plot datafile using 2:3:4:xtic(column(8) > 0 ? stringcolumn(1).' *' : stringcolumn(1)) \
		title columnhead(2), \
	'' using 5:6:7 title columnhead(5)
