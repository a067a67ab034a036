/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cpu-xsave.h - CPUID leaf 0xD into struct fpb_cpu, libc-free: the tool reads it through its
 * CPUID source (src/cpu/cpu.c), the kernel module through a ring-0 one.
 */
#ifndef FPB_CPU_XSAVE_H
#define FPB_CPU_XSAVE_H

#include "cpu.h"

/*
 * Fill cpu's leaf-0xD description from src: the supported XCR0 and IA32_XSS masks, the standard
 * and compacted sizes, and each component's size, standard offset, 64-byte alignment, supervisor
 * and XFD bits (x87 and SSE from their fixed legacy places).  The caller has checked that the
 * CPU has XSAVE and leaf 0xD; a sub-leaf src does not answer reads as all zero.
 */
void fpb_cpu_xsave_describe(struct fpb_cpu *cpu, const struct fpb_cpuid_source *src);

#endif /* FPB_CPU_XSAVE_H */
