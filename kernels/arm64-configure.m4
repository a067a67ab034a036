dnl kernels/arm64-configure.m4 - cross-testing support for arm64 (m4_sinclude'd by configure.ac).
dnl
dnl binfmt_misc is not available on the build machines, so a cross-compiled arm64 test program
dnl cannot run by itself: when cross-compiling for aarch64, the test driver's LOG_COMPILER
dnl becomes qemu-aarch64-static with QEMU_LD_PREFIX pointing at the cross sysroot.  The qemu
dnl CPU model comes from FPB_QEMU_CPU (default "max": SVE and SME), e.g.
dnl   FPB_QEMU_CPU=max,sve-default-vector-length=256 ../configure --host=aarch64-linux-gnu
dnl Check's fork mode hangs under qemu-user 7.2 (the forked child spins right after clone), so
dnl the tests run with CK_FORK=no there: one process per test program, not per test.
dnl Shell-script tests run with $(SHELL), never through qemu (kernels/arm64.am); scripts that
dnl start an fpbench binary prefix it with $FPB_EXEC_WRAPPER (empty for native builds).
AC_ARG_VAR([FPB_QEMU_CPU], [qemu -cpu model for cross-compiled arm64 tests (default: max)])
AC_ARG_VAR([FPB_QEMU_LD_PREFIX], [sysroot for qemu-user (default: /usr/<host>, else CC -print-sysroot)])
FPB_LOG_COMPILER=
fpb_qemu=no
AS_IF([test "$cross_compiling" = yes && test "$fpb_arch" = arm64], [
	AC_PATH_PROGS([FPB_QEMU_AARCH64], [qemu-aarch64-static qemu-aarch64], [])
	AS_IF([test -z "$FPB_QEMU_LD_PREFIX"], [
		AS_IF([test -d "/usr/$host_alias"], [FPB_QEMU_LD_PREFIX="/usr/$host_alias"],
		      [FPB_QEMU_LD_PREFIX=`$CC -print-sysroot 2>/dev/null`])])
	AS_IF([test -n "$FPB_QEMU_AARCH64"], [
		FPB_LOG_COMPILER="env CK_FORK=no QEMU_LD_PREFIX=$FPB_QEMU_LD_PREFIX $FPB_QEMU_AARCH64 -cpu ${FPB_QEMU_CPU:-max}"
		fpb_qemu="$FPB_QEMU_AARCH64 -cpu ${FPB_QEMU_CPU:-max}"],
	      [AC_MSG_WARN([cross-compiling for arm64 without qemu-aarch64-static: make check cannot run the tests (apt-get install qemu-user-static)])])])
AC_SUBST([FPB_LOG_COMPILER])
AS_IF([test "$fpb_qemu" != no], [AC_MSG_NOTICE([arm64 tests will run under: $fpb_qemu])])
