# skip-unless.sh - sourced by the shell tests (after setting $fpbench and $srcdir): skip the
# test (exit 77, one line saying why) when the fpbench built here lacks what the test needs.
# The program itself is asked, so a cross build (run through $FPB_EXEC_WRAPPER) answers for its
# own architecture and libraries.

# fpb_skip_unless_json_reader: `fpbench report` and `lava-collect` read results with jansson; a
# build without it refuses every result, saying so.
fpb_skip_unless_json_reader() {
	_fpb_probe=$(mktemp -d "${TMPDIR:-/tmp}/fpb-probe-XXXXXX") ||
		{ echo "FAIL: mktemp" >&2; exit 1; }
	FPB_GNUPLOT= ${FPB_EXEC_WRAPPER:-} "$fpbench" report --quiet --output="$_fpb_probe/r" \
		"$srcdir/tests/fixtures/report-a1.json" </dev/null >/dev/null 2>"$_fpb_probe/err"
	if grep -q 'built without jansson' "$_fpb_probe/err"; then
		rm -rf "$_fpb_probe"
		echo "SKIP: fpbench was built without jansson: it cannot read JSON results"
		exit 77
	fi
	rm -rf "$_fpb_probe"
}

# fpb_skip_unless_kernel NAME: NAME is in this build's kernel registry (--list): the x86
# instructions are registered on x86 builds only.
fpb_skip_unless_kernel() {
	if ! ${FPB_EXEC_WRAPPER:-} "$fpbench" --list 2>/dev/null | grep -q "^  $1 "; then
		echo "SKIP: no '$1' kernel in this build (--list): the test needs it"
		exit 77
	fi
}
