# report-compare.gp - fpbench report: run B against run A as one horizontal bar per measurement,
# the change of the median in percent with its interval as error bars, a zero line, and the
# noise floor (--min-change) as dashed lines.  Rows keep the order of the report's table (first
# at the top) so that the chart and the table read side by side.  Colour says the verdict:
# significantly slower, significantly faster, below the noise floor, no significant change.
# Called by `fpbench report` (src/report/report-plot.c) with -e setting:
#   datafile  data: row, measurement, change %, interval low %, high %, class, change as text
#             (class: 1 slower, -1 faster, 2 below the noise floor, 0 no significant change)
#   outfile   output file;  fmt  'svg' or 'png';  nrow  rows;  xlo, xhi  x range (percent;
#             bars beyond it are cut at the border, their figure is written there);
#   floor     the noise floor in percent (0: none);  runa, runb  the two runs, named
#             "<file> (machine N, <fingerprint>)"
h = 170 + 18 * nrow
if (h < 340) { h = 340 }
if (fmt eq 'png') {
	if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
		set terminal pngcairo size 1100,h noenhanced font 'sans,10'
	} else {
		set terminal png size 1100,h noenhanced
	}
} else {
	set terminal svg size 1100,h dynamic noenhanced font 'sans,10'
}
set output outfile
if (!exists('runa')) { runa = 'A' }
if (!exists('runb')) { runb = 'B' }
set title sprintf("Run B against run A: change of the median in percent (positive: B slower)\nA: %s\nB: %s\nerror bars: conservative interval of the change; dashed: noise floor", runa, runb)
set xlabel 'change of B against A, percent'
set xrange [xlo:xhi]
set yrange [nrow + 0.7:0.3]
set ytics nomirror scale 0
set xtics nomirror
set grid xtics
set border 1+2
set rmargin 12
set bmargin 6
set key at screen 0.5, screen 8.0 / h center bottom horizontal
set datafile missing 'NaN'
set style fill solid 0.75 border -1
set arrow 1 from 0, graph 0 to 0, graph 1 nohead lw 1.5 lc rgb 'black' front
if (floor > 0) {
	set arrow 2 from -floor, graph 0 to -floor, graph 1 nohead dt 2 lc rgb '#808080' back
	set arrow 3 from floor, graph 0 to floor, graph 1 nohead dt 2 lc rgb '#808080' back
}
bar(c, k) = (column(6) == k ? column(1) : NaN)
clip(x) = (x < xlo ? xlo : (x > xhi ? xhi : x))
plot datafile using (0):1:ytic(2) with points ps 0 notitle, \
	'' using (clip($3)/2):(bar(0, 1)):(clip($3) < 0 ? clip($3) : 0):(clip($3) > 0 ? clip($3) : 0):($1-0.35):($1+0.35) \
		with boxxyerror lc rgb '#c0392b' title 'slower (significant)', \
	'' using (clip($3)/2):(bar(0, -1)):(clip($3) < 0 ? clip($3) : 0):(clip($3) > 0 ? clip($3) : 0):($1-0.35):($1+0.35) \
		with boxxyerror lc rgb '#2e86c1' title 'faster (significant)', \
	'' using (clip($3)/2):(bar(0, 2)):(clip($3) < 0 ? clip($3) : 0):(clip($3) > 0 ? clip($3) : 0):($1-0.35):($1+0.35) \
		with boxxyerror lc rgb '#c8c8c8' title sprintf('below the noise floor (%.1f%%)', floor), \
	'' using (clip($3)/2):(bar(0, 0)):(clip($3) < 0 ? clip($3) : 0):(clip($3) > 0 ? clip($3) : 0):($1-0.35):($1+0.35) \
		with boxxyerror lc rgb '#ffffff' fs solid 1 border lc rgb '#505050' \
		title 'no significant change', \
	'' using (clip($3)):1:(clip($4)):(clip($5)) with xerrorbars ps 0 lc rgb 'black' notitle, \
	'' using (xhi):1:($3 > xhi ? stringcolumn(7).' >' : ($3 < xlo ? '< '.stringcolumn(7) : \
		stringcolumn(7))) with labels left offset 1,0 notitle
