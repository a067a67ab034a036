/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86-asm.h - the XSAVE-family instructions as tiny inline helpers, and the asm snippets the x86
 * user-mode kernels build their timed bodies from.
 *
 * The helpers (fpb_x86_xsave() ...) take the requested-feature bitmap (RFBM) as one 64-bit value
 * and pass it in EDX:EAX.  They are for set-up code, tests and the backend primitives; the timed
 * bodies are single asm blocks built from the FPB_ASM_* snippets below, so that no C code (and no
 * glibc string routine using zmm registers) runs between preparing a condition and measuring.
 */
#ifndef FPB_X86_ASM_H
#define FPB_X86_ASM_H

#include "fpb_env.h"
#include "kernel.h"

#if defined(__x86_64__)

#define FPB_RFBM_LO(m)	((uint32_t)(m))
#define FPB_RFBM_HI(m)	((uint32_t)((m) >> 32))

static inline void fpb_x86_xsave(void *buf, uint64_t rfbm)
{
	__asm__ __volatile__("xsave64 (%0)" :: "r"(buf), "a"(FPB_RFBM_LO(rfbm)),
			     "d"(FPB_RFBM_HI(rfbm)) : "memory");
}

static inline void fpb_x86_xsaveopt(void *buf, uint64_t rfbm)
{
	__asm__ __volatile__("xsaveopt64 (%0)" :: "r"(buf), "a"(FPB_RFBM_LO(rfbm)),
			     "d"(FPB_RFBM_HI(rfbm)) : "memory");
}

static inline void fpb_x86_xsavec(void *buf, uint64_t rfbm)
{
	__asm__ __volatile__("xsavec64 (%0)" :: "r"(buf), "a"(FPB_RFBM_LO(rfbm)),
			     "d"(FPB_RFBM_HI(rfbm)) : "memory");
}

/* XRSTOR reads either format (XCOMP_BV bit 63 says which). */
static inline void fpb_x86_xrstor(const void *buf, uint64_t rfbm)
{
	__asm__ __volatile__("xrstor64 (%0)" :: "r"(buf), "a"(FPB_RFBM_LO(rfbm)),
			     "d"(FPB_RFBM_HI(rfbm)) : "memory", "xmm0", "xmm1", "xmm2", "xmm3",
			     "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11",
			     "xmm12", "xmm13", "xmm14", "xmm15");
}

static inline void fpb_x86_fxsave64(void *buf)
{
	__asm__ __volatile__("fxsave64 (%0)" :: "r"(buf) : "memory");
}

static inline void fpb_x86_fxrstor64(const void *buf)
{
	__asm__ __volatile__("fxrstor64 (%0)" :: "r"(buf) : "memory", "xmm0", "xmm1", "xmm2",
			     "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
			     "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
}

/* XGETBV(xcr): XCR0 for 0, XINUSE & XCR0 for 1 (needs CPUID.(0xD,1).EAX[2]). */
static inline uint64_t fpb_x86_xgetbv(uint32_t xcr)
{
	uint32_t lo, hi;

	__asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(xcr));
	return ((uint64_t)hi << 32) | lo;
}

/* RDPKRU / WRPKRU: only with CPUID.7.ECX.OSPKE set (else #UD). */
static inline uint32_t fpb_x86_rdpkru(void)
{
	uint32_t eax, edx;

	__asm__ __volatile__("rdpkru" : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}

static inline void fpb_x86_wrpkru(uint32_t val)
{
	__asm__ __volatile__("wrpkru" :: "a"(val), "c"(0), "d"(0) : "memory");
}

static inline void fpb_x86_clflush(const void *p)
{
	__asm__ __volatile__("clflush (%0)" :: "r"(p) : "memory");
}

static inline void fpb_x86_mfence(void)
{
	__asm__ __volatile__("mfence" ::: "memory");
}

#endif /* __x86_64__ */

/* MXCSR offset in the legacy area, and its power-on value (all exceptions masked). */
#define FPB_MXCSR_OFFSET	24
#define FPB_MXCSR_DEFAULT	0x1f80u

/* Components a timed body knows how to dirty (write registers of). */
#define FPB_X86_DIRTYABLE	(FPB_BIT(0) | FPB_BIT(1) | FPB_BIT(2) | FPB_BIT(5) | FPB_BIT(6) | \
				 FPB_BIT(7) | FPB_BIT(9))
/*
 * Not a component: with this bit in the dirty selection, xmm0-15 are written with VEX.128
 * encodings (vmovdqa), which zero the upper halves, instead of legacy-SSE ones (movdqa).  A
 * legacy-SSE write while upper halves of YMM/ZMM registers are dirty is the SSE/AVX transition,
 * which costs hundreds of cycles on Intel cores at the next XSAVE*: a condition must not create
 * it unless it asks for it (the sse-avx-transition kernel does).  Needs AVX.
 */
#define FPB_X86_DIRTY_VEX_XMM	FPB_BIT(30)
/* Components whose XINUSE bit is checked: AVX and AVX-512 (never SSE alone; see the notes). */
#define FPB_X86_CHECKABLE	(FPB_BIT(2) | FPB_BIT(5) | FPB_BIT(6) | FPB_BIT(7))

/*
 * What a timed body reads and writes, in one struct so the asm reaches every field through one
 * base register (offsets passed as "i" operands by FPB_ASM_OFFSETS).
 */
struct fpb_x86_args {
	void *const *bufs;	/* ctx->bufs */
	uint64_t nbufs;		/* >= 1 for buffer kernels */
	uint64_t cur;		/* rotation cursor in/out */
	uint64_t n;		/* operations */
	uint64_t rfbm;		/* EDX:EAX of every XSAVE/XRSTOR */
	uint64_t dsel;		/* components to write (dirty), FPB_X86_DIRTYABLE bits */
	const void *init;	/* init-header image to XRSTOR first (init), or NULL */
	const void *src;	/* image to XRSTOR first (unmodified), or NULL */
	const void *pat;	/* 64-byte pattern written by the dirty snippet */
	uint64_t xgetbv1;	/* non-zero: read XINUSE before and after */
	uint64_t xin_before, xin_after;
	uint64_t pkru;		/* value wrpkru writes */
};

#define FPB_ASM_OFFSETS							\
	[o_bufs] "i"(offsetof(struct fpb_x86_args, bufs)),		\
	[o_nb] "i"(offsetof(struct fpb_x86_args, nbufs)),		\
	[o_cur] "i"(offsetof(struct fpb_x86_args, cur)),		\
	[o_n] "i"(offsetof(struct fpb_x86_args, n)),			\
	[o_rfbm] "i"(offsetof(struct fpb_x86_args, rfbm)),		\
	[o_dsel] "i"(offsetof(struct fpb_x86_args, dsel)),		\
	[o_init] "i"(offsetof(struct fpb_x86_args, init)),		\
	[o_src] "i"(offsetof(struct fpb_x86_args, src)),		\
	[o_pat] "i"(offsetof(struct fpb_x86_args, pat)),		\
	[o_xg] "i"(offsetof(struct fpb_x86_args, xgetbv1)),		\
	[o_xb] "i"(offsetof(struct fpb_x86_args, xin_before)),		\
	[o_xa] "i"(offsetof(struct fpb_x86_args, xin_after)),		\
	[o_pkru] "i"(offsetof(struct fpb_x86_args, pkru))

/* Registers every timed body may use; the args pointer [a] lives in a callee-saved one. */
#define FPB_ASM_CLOBBERS						\
	"rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",	\
	"xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",	\
	"xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", \
	"cc", "memory"

/* EDX:EAX = RFBM. */
#define FPB_ASM_LOAD_RFBM						\
	"mov %c[o_rfbm](%[a]), %%eax\n\t"				\
	"mov 4+%c[o_rfbm](%[a]), %%edx\n\t"

/* xmm0-15 loaded from (RDI) with the move instruction insn (movdqa or vmovdqa). */
#define FPB_ASM_XMM_WRITES(insn)					\
	insn " (%%rdi), %%xmm0\n\t"  insn " (%%rdi), %%xmm1\n\t"	\
	insn " (%%rdi), %%xmm2\n\t"  insn " (%%rdi), %%xmm3\n\t"	\
	insn " (%%rdi), %%xmm4\n\t"  insn " (%%rdi), %%xmm5\n\t"	\
	insn " (%%rdi), %%xmm6\n\t"  insn " (%%rdi), %%xmm7\n\t"	\
	insn " (%%rdi), %%xmm8\n\t"  insn " (%%rdi), %%xmm9\n\t"	\
	insn " (%%rdi), %%xmm10\n\t" insn " (%%rdi), %%xmm11\n\t"	\
	insn " (%%rdi), %%xmm12\n\t" insn " (%%rdi), %%xmm13\n\t"	\
	insn " (%%rdi), %%xmm14\n\t" insn " (%%rdi), %%xmm15\n\t"

/*
 * Dirty: write the registers of every component selected in ECX, from the pattern at RDI.
 *   bit 0 x87:       fld1; fstp st(0) (x87 stack left empty)
 *   bit 1 SSE:       xmm0-15 (movdqa; vmovdqa with bit 30, FPB_X86_DIRTY_VEX_XMM)
 *   bit 2 AVX:       upper 128 bits of ymm0-15 (vinsertf128)
 *   bit 5 opmask:    k0-7 (kmovw)
 *   bit 6 ZMM_Hi256: upper 256 bits of zmm0-15 (vinserti64x4)
 *   bit 7 Hi16_ZMM:  zmm16-31 (vmovdqa64)
 *   bit 9 PKRU:      wrpkru of the current value (clobbers EAX, ECX, EDX: last)
 */
#define FPB_ASM_DIRTY							\
	"test $0x1, %%ecx\n\t"						\
	"jz 3f\n\t"							\
	"fld1\n\t"							\
	"fstp %%st(0)\n"						\
	"3:\n\t"							\
	"test $0x2, %%ecx\n\t"						\
	"jz 4f\n\t"							\
	"test $0x40000000, %%ecx\n\t"					\
	"jnz 20f\n\t"							\
	FPB_ASM_XMM_WRITES("movdqa")					\
	"jmp 4f\n"							\
	"20:\n\t"							\
	FPB_ASM_XMM_WRITES("vmovdqa")					\
	"4:\n\t"							\
	"test $0x4, %%ecx\n\t"						\
	"jz 5f\n\t"							\
	"vinsertf128 $1, (%%rdi), %%ymm0, %%ymm0\n\t"			\
	"vinsertf128 $1, (%%rdi), %%ymm1, %%ymm1\n\t"			\
	"vinsertf128 $1, (%%rdi), %%ymm2, %%ymm2\n\t"			\
	"vinsertf128 $1, (%%rdi), %%ymm3, %%ymm3\n\t"			\
	"vinsertf128 $1, (%%rdi), %%ymm4, %%ymm4\n\t"			\
	"vinsertf128 $1, (%%rdi), %%ymm5, %%ymm5\n\t"			\
	"vinsertf128 $1, (%%rdi), %%ymm6, %%ymm6\n\t"			\
	"vinsertf128 $1, (%%rdi), %%ymm7, %%ymm7\n\t"			\
	"vinsertf128 $1, (%%rdi), %%ymm8, %%ymm8\n\t"			\
	"vinsertf128 $1, (%%rdi), %%ymm9, %%ymm9\n\t"			\
	"vinsertf128 $1, (%%rdi), %%ymm10, %%ymm10\n\t"			\
	"vinsertf128 $1, (%%rdi), %%ymm11, %%ymm11\n\t"			\
	"vinsertf128 $1, (%%rdi), %%ymm12, %%ymm12\n\t"			\
	"vinsertf128 $1, (%%rdi), %%ymm13, %%ymm13\n\t"			\
	"vinsertf128 $1, (%%rdi), %%ymm14, %%ymm14\n\t"			\
	"vinsertf128 $1, (%%rdi), %%ymm15, %%ymm15\n"			\
	"5:\n\t"							\
	"test $0x20, %%ecx\n\t"						\
	"jz 6f\n\t"							\
	"kmovw (%%rdi), %%k0\n\t" "kmovw (%%rdi), %%k1\n\t"		\
	"kmovw (%%rdi), %%k2\n\t" "kmovw (%%rdi), %%k3\n\t"		\
	"kmovw (%%rdi), %%k4\n\t" "kmovw (%%rdi), %%k5\n\t"		\
	"kmovw (%%rdi), %%k6\n\t" "kmovw (%%rdi), %%k7\n"		\
	"6:\n\t"							\
	"test $0x40, %%ecx\n\t"						\
	"jz 7f\n\t"							\
	"vinserti64x4 $1, (%%rdi), %%zmm0, %%zmm0\n\t"			\
	"vinserti64x4 $1, (%%rdi), %%zmm1, %%zmm1\n\t"			\
	"vinserti64x4 $1, (%%rdi), %%zmm2, %%zmm2\n\t"			\
	"vinserti64x4 $1, (%%rdi), %%zmm3, %%zmm3\n\t"			\
	"vinserti64x4 $1, (%%rdi), %%zmm4, %%zmm4\n\t"			\
	"vinserti64x4 $1, (%%rdi), %%zmm5, %%zmm5\n\t"			\
	"vinserti64x4 $1, (%%rdi), %%zmm6, %%zmm6\n\t"			\
	"vinserti64x4 $1, (%%rdi), %%zmm7, %%zmm7\n\t"			\
	"vinserti64x4 $1, (%%rdi), %%zmm8, %%zmm8\n\t"			\
	"vinserti64x4 $1, (%%rdi), %%zmm9, %%zmm9\n\t"			\
	"vinserti64x4 $1, (%%rdi), %%zmm10, %%zmm10\n\t"		\
	"vinserti64x4 $1, (%%rdi), %%zmm11, %%zmm11\n\t"		\
	"vinserti64x4 $1, (%%rdi), %%zmm12, %%zmm12\n\t"		\
	"vinserti64x4 $1, (%%rdi), %%zmm13, %%zmm13\n\t"		\
	"vinserti64x4 $1, (%%rdi), %%zmm14, %%zmm14\n\t"		\
	"vinserti64x4 $1, (%%rdi), %%zmm15, %%zmm15\n"			\
	"7:\n\t"							\
	"test $0x80, %%ecx\n\t"						\
	"jz 8f\n\t"							\
	"vmovdqa64 (%%rdi), %%zmm16\n\t" "vmovdqa64 (%%rdi), %%zmm17\n\t" \
	"vmovdqa64 (%%rdi), %%zmm18\n\t" "vmovdqa64 (%%rdi), %%zmm19\n\t" \
	"vmovdqa64 (%%rdi), %%zmm20\n\t" "vmovdqa64 (%%rdi), %%zmm21\n\t" \
	"vmovdqa64 (%%rdi), %%zmm22\n\t" "vmovdqa64 (%%rdi), %%zmm23\n\t" \
	"vmovdqa64 (%%rdi), %%zmm24\n\t" "vmovdqa64 (%%rdi), %%zmm25\n\t" \
	"vmovdqa64 (%%rdi), %%zmm26\n\t" "vmovdqa64 (%%rdi), %%zmm27\n\t" \
	"vmovdqa64 (%%rdi), %%zmm28\n\t" "vmovdqa64 (%%rdi), %%zmm29\n\t" \
	"vmovdqa64 (%%rdi), %%zmm30\n\t" "vmovdqa64 (%%rdi), %%zmm31\n"	\
	"8:\n\t"							\
	"test $0x200, %%ecx\n\t"					\
	"jz 9f\n\t"							\
	"xor %%ecx, %%ecx\n\t"						\
	"rdpkru\n\t"							\
	"xor %%ecx, %%ecx\n\t"						\
	"xor %%edx, %%edx\n\t"						\
	"wrpkru\n"							\
	"9:\n\t"

/* Dirty the components of args->dsel (clobbers RAX, RCX, RDX, RDI). */
#define FPB_ASM_DIRTY_ARGS						\
	"mov %c[o_dsel](%[a]), %%rcx\n\t"				\
	"mov %c[o_pat](%[a]), %%rdi\n\t"				\
	FPB_ASM_DIRTY

/*
 * The once-per-batch preparation: XRSTOR the init header (init), XRSTOR the source image
 * (unmodified, and XSAVEOPT's tracking), write registers (dirty), then read XINUSE into
 * xin_before.  Leaves EDX:EAX = RFBM.
 */
#define FPB_ASM_PREP_BATCH						\
	"mov %c[o_init](%[a]), %%rdi\n\t"				\
	"test %%rdi, %%rdi\n\t"						\
	"jz 1f\n\t"							\
	FPB_ASM_LOAD_RFBM						\
	"xrstor64 (%%rdi)\n"						\
	"1:\n\t"							\
	"mov %c[o_src](%[a]), %%rdi\n\t"				\
	"test %%rdi, %%rdi\n\t"						\
	"jz 2f\n\t"							\
	FPB_ASM_LOAD_RFBM						\
	"xrstor64 (%%rdi)\n"						\
	"2:\n\t"							\
	FPB_ASM_DIRTY_ARGS						\
	FPB_ASM_XINUSE(o_xb)						\
	FPB_ASM_LOAD_RFBM

/* XINUSE (XGETBV(1)) into the args field named by off, when xgetbv1 is set. */
#define FPB_ASM_XINUSE(off)						\
	"cmpq $0, %c[o_xg](%[a])\n\t"					\
	"je 19f\n\t"							\
	"mov $1, %%ecx\n\t"						\
	"xgetbv\n\t"							\
	"mov %%eax, %c[" #off "](%[a])\n\t"				\
	"mov %%edx, 4+%c[" #off "](%[a])\n"				\
	"19:\n\t"

/*
 * The operation loop: R11 = bufs[cur] for each of n operations, cur advancing (rotate:K).
 * RSI = bufs, R8 = nbufs, R9 = cur, R10 = count.  Put the operation between BEGIN and END.
 */
#define FPB_ASM_LOOP_BEGIN						\
	"mov %c[o_bufs](%[a]), %%rsi\n\t"				\
	"mov %c[o_nb](%[a]), %%r8\n\t"					\
	"mov %c[o_cur](%[a]), %%r9\n\t"					\
	"mov %c[o_n](%[a]), %%r10\n\t"					\
	"test %%r10, %%r10\n\t"						\
	"jz 12f\n"							\
	".p2align 4\n"							\
	"11:\n\t"							\
	"mov (%%rsi,%%r9,8), %%r11\n\t"

#define FPB_ASM_LOOP_END						\
	"inc %%r9\n\t"							\
	"cmp %%r8, %%r9\n\t"						\
	"jne 13f\n\t"							\
	"xor %%r9d, %%r9d\n"						\
	"13:\n\t"							\
	"dec %%r10\n\t"							\
	"jnz 11b\n"							\
	"12:\n\t"							\
	"mov %%r9, %c[o_cur](%[a])\n\t"

/* A whole timed body: batch preparation, n x OP on R11 (may use EDX:EAX = RFBM), XINUSE after. */
#define FPB_ASM_BODY(op)						\
	FPB_ASM_PREP_BATCH						\
	FPB_ASM_LOOP_BEGIN						\
	op								\
	FPB_ASM_LOOP_END						\
	FPB_ASM_XINUSE(o_xa)

/* Run one FPB_ASM_BODY-built asm block over args. */
#define FPB_ASM_RUN(args, op)						\
	__asm__ __volatile__(FPB_ASM_BODY(op) : : [a] "r"(args), FPB_ASM_OFFSETS : FPB_ASM_CLOBBERS)

/* ---- shared by the x86 kernels (kernels/x86-common.c) ---- */

struct fpb_cpu;

/* The 64-byte aligned standard-format init image: XSTATE_BV = 0, MXCSR = 0x1f80. */
extern const unsigned char fpb_x86_init_image[];
/* The 64-byte pattern the dirty snippet writes (no zero bytes: never the init value). */
extern const unsigned char fpb_x86_pattern[];

/* Components the dirty snippet may write for rfbm on this CPU (FPB_X86_DIRTYABLE bits). */
uint64_t fpb_x86_dirty_sel(const struct fpb_cpu *cpu, uint64_t rfbm);
/* sel as the dirty snippet takes it: with FPB_X86_DIRTY_VEX_XMM wherever the CPU has AVX. */
uint64_t fpb_x86_dirty_no_transition(const struct fpb_cpu *cpu, uint64_t sel);

/* Components whose XINUSE bit can be checked for rfbm (0 without XGETBV1). */
uint64_t fpb_x86_check_bits(const struct fpb_cpu *cpu, uint64_t rfbm);

/* "xmm0-15,ymm0-15.hi,k0-7,..." for the components in sel; returns buf. */
const char *fpb_x86_dirty_desc(uint64_t sel, char *buf, size_t len);

/*
 * Fill args for one batch of n ops of ctx under its condition, for a kernel with flags kflags.
 * Save kernels (and the pair): init restores the init header, dirty writes the registers,
 * unmodified restores bufs[cur].  Restore kernels (condition = the image's XSTATE_BV): dirty
 * writes the registers, unmodified restores bufs[cur], init prepares nothing.
 */
void fpb_x86_args_fill(struct fpb_x86_args *a, struct fpb_kctx *ctx, uint64_t n, unsigned kflags);

/* Copy the XINUSE readings of a batch back into ctx. */
void fpb_x86_args_done(const struct fpb_x86_args *a, struct fpb_kctx *ctx);

/* The mask a kernel works with: ctx->rfbm within XCR0, or x87|SSE for the FXSAVE pair. */
uint64_t fpb_x86_rfbm(const struct fpb_kctx *ctx, unsigned kflags);

/*
 * Write a source image of ctx's condition into every buffer: saved with XSAVE (XSAVEC for a
 * compacted restore kernel) after writing the registers of the requested components; for init,
 * XSTATE_BV of the requested components is cleared.  Sets ctx->xinuse_check_mask/expect (restore
 * kernels: the image's XSTATE_BV; others: the register condition) and describes the condition in
 * ctx->note.  The common setup() of the buffer kernels.  Returns 0 or -EINVAL with a reason.
 */
int fpb_x86_setup(struct fpb_kctx *ctx, unsigned kflags, char *why, size_t len);

/* Requirement checks shared by the kernels: true when usable, else why says what is missing. */
bool fpb_x86_need_xsave(const struct fpb_cpu *cpu, char *why, size_t len);
bool fpb_x86_need_feature(const struct fpb_cpu *cpu, int feature, const char *name,
			  char *why, size_t len);

/*
 * XSAVEOPT's modified optimisation, observed or not: XRSTOR a buffer, poison one saved component's
 * bytes in it, XSAVEOPT to it again and look whether the poison survived.  Writes a phrase such as
 * "modified optimisation observed (sse,avx: 8/8 tries)" into out; returns 1 observed, 0 not
 * observed, -1 could not be tried (why in out).
 */
int fpb_x86_xsaveopt_observe(const struct fpb_cpu *cpu, void *buf, size_t size, uint64_t rfbm,
			     char *out, size_t len);

#endif /* FPB_X86_ASM_H */
