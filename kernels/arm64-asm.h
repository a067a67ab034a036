/* SPDX-License-Identifier: GPL-2.0-or-later */
/* arm64-asm.h - small assembler helpers shared by kernels/arm64-*.S (preprocessed .S only). */
#ifndef FPB_ARM64_ASM_H
#define FPB_ARM64_ASM_H

#define FPB_A64_FUNC(name)		\
	.text;				\
	.globl	name;			\
	.type	name, %function;	\
	.p2align 4;			\
name:

#define FPB_A64_END(name)	.size name, . - name

/* d8-d15 are callee-saved (AAPCS64): kept on the stack around code that loads every V/Z. */
#define FPB_A64_PUSH_D8_15		\
	stp	d8, d9, [sp, #-64]!;	\
	stp	d10, d11, [sp, #16];	\
	stp	d12, d13, [sp, #32];	\
	stp	d14, d15, [sp, #48]

#define FPB_A64_POP_D8_15		\
	ldp	d10, d11, [sp, #16];	\
	ldp	d12, d13, [sp, #32];	\
	ldp	d14, d15, [sp, #48];	\
	ldp	d8, d9, [sp], #64

#define FPB_A64_NOTE_GNU_STACK	.section .note.GNU-stack, "", %progbits

#endif /* FPB_ARM64_ASM_H */
