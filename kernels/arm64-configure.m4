dnl kernels/arm64-configure.m4 - cross-testing support for arm64 (m4_sinclude'd by configure.ac).
dnl
dnl binfmt_misc is not available on the build machines, so a cross-compiled arm64 test program
dnl cannot run by itself: when cross-compiling for aarch64, the test driver's LOG_COMPILER
dnl becomes qemu-aarch64-static.  The CPU model goes in QEMU_CPU (default "max": SVE and SME),
dnl which qemu reads and the tests see (src/cpu/cpu-arm64.c counts it as evidence of emulation), e.g.
dnl   FPB_QEMU_CPU=max,sve-default-vector-length=256 ../configure --host=aarch64-linux-gnu
dnl Libraries: Debian multiarch (libc6:arm64, which check:arm64 pulls in) puts the arm64 loader at
dnl /lib/ld-linux-aarch64.so.1, and qemu then needs no QEMU_LD_PREFIX.  Only without it is
dnl QEMU_LD_PREFIX set to the cross sysroot; qemu 7.2 then hangs in every fork() (the child
dnl spins), so Check runs with CK_FORK=no there and tests that fork cannot pass.
dnl Shell-script tests run with $(SHELL) (src/cli/cli.am), never through qemu; scripts that start
dnl an fpbench binary prefix it with $FPB_EXEC_WRAPPER (kernels/arm64.am; empty natively).
AC_ARG_VAR([FPB_QEMU_CPU], [qemu -cpu model for cross-compiled arm64 tests (default: max)])
AC_ARG_VAR([FPB_QEMU_LD_PREFIX], [sysroot for qemu-user when the arm64 loader is not installed])
FPB_LOG_COMPILER=
fpb_qemu=no
AS_IF([test "$cross_compiling" = yes && test "$fpb_arch" = arm64], [
	AC_PATH_PROGS([FPB_QEMU_AARCH64], [qemu-aarch64-static qemu-aarch64], [])
	fpb_qemu_env="QEMU_CPU=${FPB_QEMU_CPU:-max}"
	AS_IF([test -z "$FPB_QEMU_LD_PREFIX" && test ! -e /lib/ld-linux-aarch64.so.1], [
		AS_IF([test -d "/usr/$host_alias"], [FPB_QEMU_LD_PREFIX="/usr/$host_alias"],
		      [FPB_QEMU_LD_PREFIX=`$CC -print-sysroot 2>/dev/null`])])
	AS_IF([test -n "$FPB_QEMU_LD_PREFIX"],
		[fpb_qemu_env="$fpb_qemu_env QEMU_LD_PREFIX=$FPB_QEMU_LD_PREFIX CK_FORK=no"])
	AS_IF([test -n "$FPB_QEMU_AARCH64"], [
		FPB_LOG_COMPILER="env $fpb_qemu_env $FPB_QEMU_AARCH64"
		fpb_qemu="$FPB_LOG_COMPILER"],
	      [AC_MSG_WARN([cross-compiling for arm64 without qemu-aarch64-static: make check cannot run the tests (apt-get install qemu-user-static)])])])
AC_SUBST([FPB_LOG_COMPILER])
AS_IF([test "$fpb_qemu" != no], [AC_MSG_NOTICE([arm64 tests will run under: $fpb_qemu])])
