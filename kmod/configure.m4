dnl kmod/configure.m4 - m4_sincluded by configure.ac: --enable-kmod and --with-kernel-headers.
dnl The module (kmod/fpbench.ko) is off by default: these machines' kernels have no headers and
dnl no module support; CI builds it against a Debian kernel's headers (make kmod-check).
m4_define([FPB_KMOD_CONFIGURED], [1])

AC_ARG_ENABLE([kmod],
	[AS_HELP_STRING([--enable-kmod], [build the ring-0 kernel module kmod/fpbench.ko (default: no)])],
	[], [enable_kmod=no])
AC_ARG_WITH([kernel-headers],
	[AS_HELP_STRING([--with-kernel-headers=DIR],
		[kernel build directory for --enable-kmod (default: /lib/modules/`uname -r`/build)])],
	[KERNEL_HEADERS=$withval], [KERNEL_HEADERS=])

AS_IF([test "x$enable_kmod" = xyes], [
	AS_IF([test "$fpb_arch" != x86_64],
		[AC_MSG_ERROR([--enable-kmod: the ring-0 module is x86-64 only])])
	AS_IF([test -z "$KERNEL_HEADERS" || test "x$KERNEL_HEADERS" = xyes],
		[KERNEL_HEADERS=/lib/modules/`uname -r`/build])
	AC_MSG_CHECKING([for a kernel build directory])
	AS_IF([test -f "$KERNEL_HEADERS/Makefile"], [AC_MSG_RESULT([$KERNEL_HEADERS])], [
		AC_MSG_RESULT([no])
		fpb_kver=`uname -r`
		AC_MSG_ERROR([--enable-kmod: no kernel build directory at $KERNEL_HEADERS; install linux-headers-$fpb_kver or pass --with-kernel-headers=DIR])])
	KERNEL_HEADERS=`cd "$KERNEL_HEADERS" && pwd`
])
AC_SUBST([KERNEL_HEADERS])
AM_CONDITIONAL([ENABLE_KMOD], [test "x$enable_kmod" = xyes])
