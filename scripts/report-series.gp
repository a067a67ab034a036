# report-series.gp - fpbench report: the regression series of one machine as small multiples,
# one panel per measurement (its own linear y range, so values at or below zero are drawn and
# the zero line shows when in range), all panels on the same x axis: the runs in order, labelled
# by date or git revision under the bottom panel of each column.  Each panel draws the median
# with its interval band; a significant change from the previous point is a red triangle up
# (slower) or a blue triangle down (faster); one legend for all panels at the top.
# Called by `fpbench report` (src/report/report-plot.c) with -e setting:
#   datafile  data: one block per measurement (header line naming it), then per point:
#             point number, median, interval low, interval high, change from the previous
#             point (1 significantly slower, -1 significantly faster, 0 none), x label, name
#   outfile   output file;  fmt  'svg' or 'png';  nline, npt  counts;  machine  its number;
#   order     'date' or 'revision'
if (!exists('order')) { order = 'date' }
ncol = nline <= 3 ? nline : int(ceil(sqrt(nline * 1.5)))
if (ncol > 8) { ncol = 8 }
nrow = int(ceil(nline * 1.0 / ncol))
W = ncol <= 3 ? 360 * ncol + 120 : 1600
ph = 150
top = 100
bot = 95
H = top + nrow * ph + bot
if (fmt eq 'png') {
	if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
		set terminal pngcairo size W,H noenhanced font 'sans,9'
	} else {
		set terminal png size W,H noenhanced
	}
} else {
	set terminal svg size W,H dynamic noenhanced font 'sans,9'
}
set output outfile
set datafile missing 'NaN'
# Screen fractions below: floating point, never integer division.
W = W * 1.0
H = H * 1.0

pw = (W - 40.0) / ncol
maxch = int(pw / 7.5)
# x labels: at most about one per 60 pixels of a panel
step = int(ceil(npt * 60.0 / pw))
# A round y tic step giving about four tics over a range of r.
nice(r) = (e = 10 ** floor(log10(r)), f = r / e, (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * e)
if (step < 1) { step = 1 }

set multiplot title sprintf("Regression series, machine %s: one panel per measurement (median per operation or event, its own y scale; units in report.md)\nx: the results in order of %s", machine, order eq 'revision' ? 'git revision' : 'date (month-day time, UTC)')

# The legend, once, in a strip under the title.
set lmargin at screen 0.02
set rmargin at screen 0.98
set tmargin at screen 1 - 50.0 / H
set bmargin at screen 1 - (top - 10.0) / H
unset border
unset tics
unset title
set xrange [0:1]
set yrange [0:1]
set key at screen 0.5, screen 1 - 72.0 / H center center horizontal samplen 2 spacing 1
plot NaN with filledcurves fillstyle transparent solid 0.2 noborder lc rgb '#1f77b4' title '95% interval of the median', \
	NaN with linespoints lc rgb '#1f77b4' pt 7 ps 0.5 title 'median', \
	NaN with points lc rgb '#c0392b' pt 9 ps 1.3 title 'significant change from the previous result: slower', \
	NaN with points lc rgb '#2e86c1' pt 11 ps 1.3 title 'faster'
unset key

set border 3
set xtics nomirror scale 0.5 font ',8'
set ytics nomirror scale 0.5 font ',8'
set format y '%g'
set xzeroaxis lt -1 lc rgb '#808080'
set grid ytics lc rgb '#e0e0e0'
set xrange [0.5:npt + 0.5]
set autoscale y
set offsets 0, 0, graph 0.08, graph 0.08

do for [i = 0:nline - 1] {
	c = i % ncol
	r = i / ncol
	x0 = 30.0 + c * pw
	y1 = top + r * ph
	set lmargin at screen (x0 + 45) / W
	set rmargin at screen (x0 + pw - 8) / W
	set tmargin at screen 1 - (y1 + 18) / H
	set bmargin at screen 1 - (y1 + ph - 12) / H
	# The panel's name, and the extent of its intervals (NaN: not measured at that point).
	lab = ''
	lo = 1e308
	hi = -1e308
	stats datafile index i using (lab = strcol(7), lo = ($3 == $3 && $3 < lo) ? $3 : lo, \
		hi = ($4 == $4 && $4 > hi) ? $4 : hi, $1) nooutput
	if (hi > lo) { set ytics nice((hi - lo) / 3) } else { set ytics autofreq }
	set title (strlen(lab) > maxch ? lab[1:maxch - 2].'..' : lab) offset 0, -0.9 font ',9'
	# The bottom panel of each column carries the shared x axis's labels.
	bottom = i + ncol >= nline
	if (bottom) {
		set xtics rotate by 35 right
		plot datafile index i using 1:3:4 with filledcurves fillstyle transparent solid 0.2 noborder lc rgb '#1f77b4', \
			'' index i using 1:2:xtic((int($1) - 1) % step == 0 ? strcol(6) : '') with linespoints lc rgb '#1f77b4' pt 7 ps 0.5, \
			'' index i using 1:($5 > 0 ? $2 : NaN) with points lc rgb '#c0392b' pt 9 ps 1.3, \
			'' index i using 1:($5 < 0 ? $2 : NaN) with points lc rgb '#2e86c1' pt 11 ps 1.3
	} else {
		set xtics norotate
		set format x ''
		plot datafile index i using 1:3:4 with filledcurves fillstyle transparent solid 0.2 noborder lc rgb '#1f77b4', \
			'' index i using 1:2 with linespoints lc rgb '#1f77b4' pt 7 ps 0.5, \
			'' index i using 1:($5 > 0 ? $2 : NaN) with points lc rgb '#c0392b' pt 9 ps 1.3, \
			'' index i using 1:($5 < 0 ? $2 : NaN) with points lc rgb '#2e86c1' pt 11 ps 1.3
		set format x '%g'
	}
}
unset multiplot
