// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * insitu-kvm-vm.c - a minimal VM written directly against the KVM API (no qemu).
 *
 * Guest memory is 2 MB from physical address 0: data words at 0x500, a 64-byte pattern at 0x600,
 * code at 0x1000, an init XSAVE image (XSTATE_BV 0, MXCSR 0x1f80) at 0x2000, page tables at
 * 0x8000 (one 2 MB page, identity).  The guest is a dispatcher: it reads a command word, does it
 * and exits through an OUT to a port: port 0x10 once per KVM_RUN (an exit to user space), a loop
 * of CPUID (exits the kernel handles itself) ending on port 0x12, or a preparation of its
 * extended state (XRSTOR of the init image, or writes to zmm0-31/k0-7 or ymm0-15) ending on port
 * 0x11 after storing its XGETBV(1).  The 64-bit guest has the host's CPUID (KVM_SET_CPUID2) and
 * an XCR0 with AVX-512 (KVM_SET_XCRS) so zmm16-31 exist; the real-mode guest knows the exit
 * commands only (it is what a paravirtual /dev/kvm can run).
 * The guest code is assembled by the toolchain from the block below, then copied into the guest.
 */
#include "config.h"
#include "insitu.h"

#if defined(__x86_64__)
#include <fcntl.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/kvm.h>
#include "xstate.h"
#include "x86-asm.h"

#define G_MEM_SIZE	0x200000ul
#define G_COUNT		0x500	/* u32: CPUID loop count */
#define G_XIN		0x508	/* u64: guest XGETBV(1) after a preparation */
#define G_CMD		0x510	/* u32: enum fpb_kvm_cmd */
#define G_RFBM		0x518	/* u64: mask of the guest's XRSTOR */
#define G_XCHECK	0x520	/* u32: non-zero: read XGETBV(1) */
#define G_PATTERN	0x600
#define G_CODE		0x1000
#define G_INIT		0x2000
#define G_PML4		0x8000
#define G_PDPT		0x9000
#define G_PD		0xa000

#define CR0_PE		(1u << 0)
#define CR0_MP		(1u << 1)
#define CR0_ET		(1u << 4)
#define CR0_NE		(1u << 5)
#define CR0_WP		(1u << 16)
#define CR0_AM		(1u << 18)
#define CR0_PG		(1u << 31)
#define CR4_PAE		(1u << 5)
#define CR4_OSFXSR	(1u << 9)
#define CR4_OSXMMEXCPT	(1u << 10)
#define CR4_OSXSAVE	(1u << 18)
#define EFER_LME	(1u << 8)
#define EFER_LMA	(1u << 10)
#define PTE_P		(1u << 0)
#define PTE_RW		(1u << 1)
#define PTE_PS		(1u << 7)

/*
 * What both guest programs do, assembled once for each code size: read the command word at 0x510
 * (4: exit to user space through port 0x10; 5: run CPUID 0x500 times, then port 0x12; anything
 * the program does not know: port 0x13).  GUEST_DISPATCH_EXITS jumps to the commands,
 * GUEST_EXIT_COMMANDS is the fall-through for unknown ones followed by the commands themselves.
 */
#define GUEST_DISPATCH_EXITS						\
	"0:\n\t"							\
	"movl 0x510, %eax\n\t"						\
	"cmpl $4, %eax\n\t"						\
	"je 4f\n\t"							\
	"cmpl $5, %eax\n\t"						\
	"je 5f\n\t"

#define GUEST_EXIT_COMMANDS						\
	"outb %al, $0x13\n\t"						\
	"jmp 0b\n"							\
	"4:\n\t"							\
	"outb %al, $0x10\n\t"						\
	"jmp 0b\n"							\
	"5:\n\t"							\
	"movl 0x500, %esi\n"						\
	"6:\n\t"							\
	"testl %esi, %esi\n\t"						\
	"jz 7f\n\t"							\
	"xorl %eax, %eax\n\t"						\
	"xorl %ecx, %ecx\n\t"						\
	"cpuid\n\t"							\
	"decl %esi\n\t"							\
	"jmp 6b\n"							\
	"7:\n\t"							\
	"outb %al, $0x12\n\t"						\
	"jmp 0b\n"

/* The guest programs (bytes in .rodata, never executed by the host). */
__asm__(".pushsection .rodata\n"
	".balign 64\n"
	".globl fpb_kvm_guest64\n"
	".hidden fpb_kvm_guest64\n"
	"fpb_kvm_guest64:\n"
	".code64\n"
	GUEST_DISPATCH_EXITS
	"cmpl $1, %eax\n\t"
	"je 1f\n\t"
	"cmpl $2, %eax\n\t"
	"je 2f\n\t"
	"cmpl $3, %eax\n\t"
	"je 3f\n\t"
	GUEST_EXIT_COMMANDS
	"1:\n\t"
	"movl 0x518, %eax\n\t"
	"movl 0x51c, %edx\n\t"
	"movl $0x2000, %edi\n\t"
	"xrstor64 (%rdi)\n\t"
	"jmp 8f\n"
	"2:\n\t"
	"vmovdqa64 0x600, %zmm0\n\t"  "vmovdqa64 0x600, %zmm1\n\t"
	"vmovdqa64 0x600, %zmm2\n\t"  "vmovdqa64 0x600, %zmm3\n\t"
	"vmovdqa64 0x600, %zmm4\n\t"  "vmovdqa64 0x600, %zmm5\n\t"
	"vmovdqa64 0x600, %zmm6\n\t"  "vmovdqa64 0x600, %zmm7\n\t"
	"vmovdqa64 0x600, %zmm8\n\t"  "vmovdqa64 0x600, %zmm9\n\t"
	"vmovdqa64 0x600, %zmm10\n\t" "vmovdqa64 0x600, %zmm11\n\t"
	"vmovdqa64 0x600, %zmm12\n\t" "vmovdqa64 0x600, %zmm13\n\t"
	"vmovdqa64 0x600, %zmm14\n\t" "vmovdqa64 0x600, %zmm15\n\t"
	"vmovdqa64 0x600, %zmm16\n\t" "vmovdqa64 0x600, %zmm17\n\t"
	"vmovdqa64 0x600, %zmm18\n\t" "vmovdqa64 0x600, %zmm19\n\t"
	"vmovdqa64 0x600, %zmm20\n\t" "vmovdqa64 0x600, %zmm21\n\t"
	"vmovdqa64 0x600, %zmm22\n\t" "vmovdqa64 0x600, %zmm23\n\t"
	"vmovdqa64 0x600, %zmm24\n\t" "vmovdqa64 0x600, %zmm25\n\t"
	"vmovdqa64 0x600, %zmm26\n\t" "vmovdqa64 0x600, %zmm27\n\t"
	"vmovdqa64 0x600, %zmm28\n\t" "vmovdqa64 0x600, %zmm29\n\t"
	"vmovdqa64 0x600, %zmm30\n\t" "vmovdqa64 0x600, %zmm31\n\t"
	"kmovw 0x600, %k0\n\t" "kmovw 0x600, %k1\n\t" "kmovw 0x600, %k2\n\t"
	"kmovw 0x600, %k3\n\t" "kmovw 0x600, %k4\n\t" "kmovw 0x600, %k5\n\t"
	"kmovw 0x600, %k6\n\t" "kmovw 0x600, %k7\n\t"
	"jmp 8f\n"
	"3:\n\t"
	"vmovdqa 0x600, %ymm0\n\t"  "vmovdqa 0x600, %ymm1\n\t"
	"vmovdqa 0x600, %ymm2\n\t"  "vmovdqa 0x600, %ymm3\n\t"
	"vmovdqa 0x600, %ymm4\n\t"  "vmovdqa 0x600, %ymm5\n\t"
	"vmovdqa 0x600, %ymm6\n\t"  "vmovdqa 0x600, %ymm7\n\t"
	"vmovdqa 0x600, %ymm8\n\t"  "vmovdqa 0x600, %ymm9\n\t"
	"vmovdqa 0x600, %ymm10\n\t" "vmovdqa 0x600, %ymm11\n\t"
	"vmovdqa 0x600, %ymm12\n\t" "vmovdqa 0x600, %ymm13\n\t"
	"vmovdqa 0x600, %ymm14\n\t" "vmovdqa 0x600, %ymm15\n"
	"8:\n\t"
	"cmpl $0, 0x520\n\t"
	"je 9f\n\t"
	"movl $1, %ecx\n\t"
	"xgetbv\n\t"
	"movl %eax, 0x508\n\t"
	"movl %edx, 0x50c\n"
	"9:\n\t"
	"outb %al, $0x11\n\t"
	"jmp 0b\n"
	".globl fpb_kvm_guest64_end\n"
	".hidden fpb_kvm_guest64_end\n"
	"fpb_kvm_guest64_end:\n"
	".globl fpb_kvm_guest16\n"
	".hidden fpb_kvm_guest16\n"
	"fpb_kvm_guest16:\n"
	".code16\n"
	GUEST_DISPATCH_EXITS
	GUEST_EXIT_COMMANDS
	".globl fpb_kvm_guest16_end\n"
	".hidden fpb_kvm_guest16_end\n"
	"fpb_kvm_guest16_end:\n"
	".code64\n"
	".popsection\n");

extern const unsigned char fpb_kvm_guest64[], fpb_kvm_guest64_end[];
extern const unsigned char fpb_kvm_guest16[], fpb_kvm_guest16_end[];

bool fpb_kvm_is_pvm(void)
{
	const char *assume = getenv("FPB_KVM_ASSUME_PVM");
	char line[4096];
	bool virt = false;
	FILE *f;

	if (access("/dev/kvm", F_OK))
		return false;
	/* Test hook: take the paravirtual path on a /dev/kvm that could do more. */
	if (assume && !strcmp(assume, "1"))
		return true;
	f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5))
			continue;
		virt = strstr(line, " vmx") || strstr(line, " svm");
		break;
	}
	fclose(f);
	return !virt;
}

static int fail(char *why, size_t len, const char *what)
{
	snprintf(why, len, "%s: %s", what, strerror(errno));
	return -1;
}

/* KVM_GET_SUPPORTED_CPUID into a buffer big enough; NULL with why on failure. */
static struct kvm_cpuid2 *supported_cpuid(int kvm, char *why, size_t len)
{
	for (unsigned n = 64; n <= 4096; n *= 2) {
		struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + n * sizeof(c->entries[0]));

		if (!c) {
			snprintf(why, len, "out of memory");
			return NULL;
		}
		c->nent = n;
		if (!ioctl(kvm, KVM_GET_SUPPORTED_CPUID, c))
			return c;
		free(c);
		if (errno != E2BIG) {
			fail(why, len, "KVM_GET_SUPPORTED_CPUID");
			return NULL;
		}
	}
	snprintf(why, len, "KVM_GET_SUPPORTED_CPUID: too many entries");
	return NULL;
}

/* XCR0 KVM will accept for the guest: leaf 0xD.0 of the supported CPUID. */
static uint64_t supported_xcr0(const struct kvm_cpuid2 *c)
{
	for (unsigned i = 0; i < c->nent; i++)
		if (c->entries[i].function == 0xd && c->entries[i].index == 0)
			return ((uint64_t)c->entries[i].edx << 32) | c->entries[i].eax;
	return 0;
}

static void seg64(struct kvm_segment *s, unsigned sel, unsigned type, bool code)
{
	memset(s, 0, sizeof(*s));
	s->base = 0;
	s->limit = 0xffffffff;
	s->selector = sel;
	s->type = type;
	s->present = 1;
	s->dpl = 0;
	s->s = 1;
	s->g = 1;
	s->l = code;
	s->db = !code;
}

static int setup_long_mode(struct fpb_kvm_vm *v, const struct fpb_cpu *cpu, char *why,
			   size_t len)
{
	uint64_t *pml4 = (uint64_t *)(v->mem + G_PML4), *pdpt = (uint64_t *)(v->mem + G_PDPT);
	uint64_t *pd = (uint64_t *)(v->mem + G_PD), xcr0;
	struct kvm_cpuid2 *c;
	struct kvm_sregs sregs;
	struct kvm_xcrs xcrs;

	if (ioctl(v->kvm, KVM_CHECK_EXTENSION, KVM_CAP_XCRS) <= 0) {
		snprintf(why, len, "KVM_CAP_XCRS not offered: guest XCR0 cannot be set");
		return -1;
	}
	c = supported_cpuid(v->kvm, why, len);
	if (!c)
		return -1;
	xcr0 = supported_xcr0(c) & cpu->xcr0 & (FPB_BIT(FPB_XF_X87) | FPB_BIT(FPB_XF_SSE) |
						FPB_BIT(FPB_XF_AVX) | FPB_XMASK_AVX512);
	if (ioctl(v->vcpu, KVM_SET_CPUID2, c)) {
		free(c);
		return fail(why, len, "KVM_SET_CPUID2");
	}
	free(c);

	pml4[0] = G_PDPT | PTE_P | PTE_RW;
	pdpt[0] = G_PD | PTE_P | PTE_RW;
	pd[0] = 0 | PTE_P | PTE_RW | PTE_PS;
	if (ioctl(v->vcpu, KVM_GET_SREGS, &sregs))
		return fail(why, len, "KVM_GET_SREGS");
	sregs.cr3 = G_PML4;
	sregs.cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT | (xcr0 ? CR4_OSXSAVE : 0);
	sregs.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_AM | CR0_PG;
	sregs.efer = EFER_LME | EFER_LMA;
	seg64(&sregs.cs, 1 << 3, 11, true);
	seg64(&sregs.ds, 2 << 3, 3, false);
	sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
	if (ioctl(v->vcpu, KVM_SET_SREGS, &sregs))
		return fail(why, len, "KVM_SET_SREGS (64-bit mode)");
	if (xcr0) {
		memset(&xcrs, 0, sizeof(xcrs));
		xcrs.nr_xcrs = 1;
		xcrs.xcrs[0].xcr = 0;
		xcrs.xcrs[0].value = xcr0;
		if (ioctl(v->vcpu, KVM_SET_XCRS, &xcrs))
			return fail(why, len, "KVM_SET_XCRS");
	}
	v->guest_xcr0 = xcr0;
	memcpy(v->mem + G_CODE, fpb_kvm_guest64, (size_t)(fpb_kvm_guest64_end - fpb_kvm_guest64));
	memcpy(v->mem + G_INIT, fpb_x86_init_image, FPB_XSAVE_EXT_OFFSET);
	memcpy(v->mem + G_PATTERN, fpb_x86_pattern, 64);
	*(uint64_t *)(v->mem + G_RFBM) = xcr0;
	*(uint32_t *)(v->mem + G_XCHECK) = fpb_cpu_has(cpu, FPB_CPU_XGETBV1);
	v->check_xinuse = fpb_cpu_has(cpu, FPB_CPU_XGETBV1);
	return 0;
}

static int setup_real_mode(struct fpb_kvm_vm *v, char *why, size_t len)
{
	struct kvm_sregs sregs;

	if (ioctl(v->vcpu, KVM_GET_SREGS, &sregs))
		return fail(why, len, "KVM_GET_SREGS");
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(v->vcpu, KVM_SET_SREGS, &sregs))
		return fail(why, len, "KVM_SET_SREGS (real mode)");
	memcpy(v->mem + G_CODE, fpb_kvm_guest16, (size_t)(fpb_kvm_guest16_end - fpb_kvm_guest16));
	return 0;
}

int fpb_kvm_vm_open(struct fpb_kvm_vm *v, const struct fpb_cpu *cpu, bool long_mode,
		    char *why, size_t len)
{
	struct kvm_userspace_memory_region region;
	struct kvm_regs regs;
	int api, size;

	memset(v, 0, sizeof(*v));
	v->kvm = v->vm = v->vcpu = -1;
	v->long_mode = long_mode;
	v->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (v->kvm < 0) {
		if (errno == ENOENT)
			snprintf(why, len, "/dev/kvm not present");
		else
			fail(why, len, "/dev/kvm");
		goto err;
	}
	api = ioctl(v->kvm, KVM_GET_API_VERSION, 0);
	if (api != KVM_API_VERSION) {
		snprintf(why, len, "KVM API version %d, expected %d", api, KVM_API_VERSION);
		goto err;
	}
	v->vm = ioctl(v->kvm, KVM_CREATE_VM, 0);
	if (v->vm < 0) {
		fail(why, len, "KVM_CREATE_VM");
		goto err;
	}
	v->mem_size = G_MEM_SIZE;
	v->mem = mmap(NULL, v->mem_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
		      MAP_NORESERVE, -1, 0);
	if (v->mem == MAP_FAILED) {
		v->mem = NULL;
		fail(why, len, "mmap of guest memory");
		goto err;
	}
	memset(&region, 0, sizeof(region));
	region.slot = 0;
	region.guest_phys_addr = 0;
	region.memory_size = v->mem_size;
	region.userspace_addr = (uintptr_t)v->mem;
	if (ioctl(v->vm, KVM_SET_USER_MEMORY_REGION, &region)) {
		fail(why, len, "KVM_SET_USER_MEMORY_REGION");
		goto err;
	}
	/* Intel without unrestricted guest needs it for real mode; harmless elsewhere. */
	(void)ioctl(v->vm, KVM_SET_TSS_ADDR, 0xfffbd000ul);
	v->vcpu = ioctl(v->vm, KVM_CREATE_VCPU, 0);
	if (v->vcpu < 0) {
		fail(why, len, "KVM_CREATE_VCPU");
		goto err;
	}
	size = ioctl(v->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(struct kvm_run)) {
		fail(why, len, "KVM_GET_VCPU_MMAP_SIZE");
		goto err;
	}
	v->run_size = (size_t)size;
	v->run = mmap(NULL, v->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->vcpu, 0);
	if (v->run == MAP_FAILED) {
		v->run = NULL;
		fail(why, len, "mmap of kvm_run");
		goto err;
	}
	if (long_mode ? setup_long_mode(v, cpu, why, len) : setup_real_mode(v, why, len))
		goto err;
	memset(&regs, 0, sizeof(regs));
	regs.rip = G_CODE;
	regs.rflags = 2;
	regs.rsp = G_MEM_SIZE - 64;
	if (ioctl(v->vcpu, KVM_SET_REGS, &regs)) {
		fail(why, len, "KVM_SET_REGS");
		goto err;
	}
	return 0;
err:
	fpb_kvm_vm_close(v);
	return -1;
}

void fpb_kvm_vm_close(struct fpb_kvm_vm *v)
{
	if (v->run)
		munmap(v->run, v->run_size);
	if (v->mem)
		munmap(v->mem, v->mem_size);
	if (v->vcpu >= 0)
		close(v->vcpu);
	if (v->vm >= 0)
		close(v->vm);
	if (v->kvm >= 0)
		close(v->kvm);
	v->run = NULL;
	v->mem = NULL;
	v->kvm = v->vm = v->vcpu = -1;
}

void fpb_kvm_vm_command(struct fpb_kvm_vm *v, enum fpb_kvm_cmd cmd, uint32_t count)
{
	__atomic_store_n((uint32_t *)(v->mem + G_COUNT), count, __ATOMIC_RELAXED);
	__atomic_store_n((uint32_t *)(v->mem + G_CMD), (uint32_t)cmd, __ATOMIC_RELAXED);
}

int fpb_kvm_vm_run(struct fpb_kvm_vm *v, unsigned port, char *why, size_t len)
{
	struct kvm_run *run = v->run;
	long ret = fpb_insitu_syscall3(SYS_ioctl, v->vcpu, KVM_RUN, 0);

	if (ret < 0) {
		if (ret == -EINTR)
			return -EINTR;
		if (why)
			snprintf(why, len, "KVM_RUN: %s", strerror((int)-ret));
		return (int)ret;
	}
	if (run->exit_reason == KVM_EXIT_IO && run->io.direction == KVM_EXIT_IO_OUT &&
	    (!port || run->io.port == port))
		return 0;
	if (run->exit_reason == KVM_EXIT_INTR)
		return -EINTR;
	if (!why)
		return -EIO;
	if (run->exit_reason == KVM_EXIT_IO)
		snprintf(why, len, "guest wrote port 0x%x, expected 0x%x", run->io.port, port);
	else if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR)
		snprintf(why, len, "KVM_EXIT_INTERNAL_ERROR (suberror %u: %s)",
			 run->internal.suberror, run->internal.suberror == 1 ?
			 "emulation failure" : "see linux/kvm.h");
	else if (run->exit_reason == KVM_EXIT_SHUTDOWN)
		snprintf(why, len, "KVM_EXIT_SHUTDOWN (the guest faulted)");
	else if (run->exit_reason == KVM_EXIT_FAIL_ENTRY)
		snprintf(why, len, "KVM_EXIT_FAIL_ENTRY (reason 0x%llx)", (unsigned long long)
			 run->fail_entry.hardware_entry_failure_reason);
	else
		snprintf(why, len, "unexpected exit reason %u", run->exit_reason);
	return -EIO;
}

uint64_t fpb_kvm_vm_guest_xinuse(const struct fpb_kvm_vm *v)
{
	return __atomic_load_n((const uint64_t *)(v->mem + G_XIN), __ATOMIC_RELAXED);
}

#else /* !__x86_64__ */

bool fpb_kvm_is_pvm(void)
{
	return false;
}

int fpb_kvm_vm_open(struct fpb_kvm_vm *v, const struct fpb_cpu *cpu, bool long_mode,
		    char *why, size_t len)
{
	(void)cpu;
	memset(v, 0, sizeof(*v));
	v->kvm = v->vm = v->vcpu = -1;
	v->long_mode = long_mode;
	snprintf(why, len, "the KVM mini-VM is written for x86-64 hosts");
	return -1;
}

void fpb_kvm_vm_close(struct fpb_kvm_vm *v)
{
	(void)v;
}

void fpb_kvm_vm_command(struct fpb_kvm_vm *v, enum fpb_kvm_cmd cmd, uint32_t count)
{
	(void)v;
	(void)cmd;
	(void)count;
}

int fpb_kvm_vm_run(struct fpb_kvm_vm *v, unsigned port, char *why, size_t len)
{
	(void)v;
	(void)port;
	if (why)
		snprintf(why, len, "not an x86-64 host");
	return -EOPNOTSUPP;
}

uint64_t fpb_kvm_vm_guest_xinuse(const struct fpb_kvm_vm *v)
{
	(void)v;
	return 0;
}

#endif
