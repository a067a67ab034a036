/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * strategy.h - FPU context-switch strategies as tables of event handlers.
 *
 * Two families compose: a task policy (eager, lazy, eager-pkru) decides what happens to a task's
 * registers at context switch, return to user, kernel FPU use, signals, ptrace and migration; a
 * guest policy (copy3, swap) decides what a KVM_RUN costs, on top of a task policy.  Handlers act
 * on the simulated machine (machine.h) and touch hardware only through the fpb_prim_*() wrappers
 * of backend.h.  A NULL handler means "nothing to do" for that event.
 *
 * Shared with the kernel module: this directory includes only fpb_env.h and src/ seams, never
 * stdio, and keeps no global state that needs a constructor.
 */
#ifndef FPB_STRATEGY_H
#define FPB_STRATEGY_H

#include "fpb_env.h"

struct fpb_machine;
struct fpb_sim_ctx;

enum fpb_strategy_family {
	FPB_FAMILY_TASK,	/* task-switch policy */
	FPB_FAMILY_GUEST,	/* guest FPU policy (composes with a task policy) */
	FPB_NR_FAMILIES
};

#define FPB_STRATEGY_OPS_VERSION	1

/* Strategy flags: one bit each. */
enum {
	FPB_STRAT_DEFERRED	= 1u << 0,	/* restores at return to user (TIF_NEED_FPU_LOAD) */
	FPB_STRAT_PKRU_EAGER	= 1u << 1,	/* PKRU switched by RDPKRU/WRPKRU at every switch */
	FPB_STRAT_THREE_BUFFERS	= 1u << 2,	/* guest: task fpstate + user_fpu + guest_fpu */
	FPB_STRAT_FPSTATE_SWAP	= 1u << 3,	/* guest: swaps the fpstate pointer */
	FPB_STRAT_XFD		= 1u << 4,	/* knows XFD and buffer reallocation (AMX) */
	FPB_STRAT_TEST_ONLY	= 1u << 5,	/* a mutant: compiled into tests only */
	FPB_STRAT_ARCH_ARM64	= 1u << 6,	/* arm64 policies (fp_owner, deferred host restore) */
	FPB_STRAT_SME		= 1u << 7,	/* arm64: handles host SME state (ZA) live at vcpu_load */
};

/*
 * One handler per event.  c is the context the event concerns (the running one for most events,
 * the stopped tracee for ptrace, the moving task for migrate); cpu is the simulated CPU it happens
 * on.  Return 0, or a negative errno when a primitive failed.
 */
typedef int (*fpb_strategy_hook)(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned cpu);

struct fpb_strategy_ops {
	/* Task events (task policies). */
	fpb_strategy_hook switch_out;		/* c leaves cpu (switch_fpu_prepare) */
	fpb_strategy_hook switch_in;		/* c becomes current on cpu (switch_fpu_finish) */
	fpb_strategy_hook return_to_user;	/* exit to user mode (switch_fpu_return) */
	fpb_strategy_hook kernel_fpu_begin;
	fpb_strategy_hook kernel_fpu_end;
	fpb_strategy_hook signal_deliver;	/* state to the signal frame, handler gets init */
	fpb_strategy_hook sigreturn;		/* state back from the signal frame */
	fpb_strategy_hook ptrace_read;		/* tracer reads stopped c's state (user ABI) */
	fpb_strategy_hook ptrace_write;		/* tracer writes stopped c's state (user ABI) */
	fpb_strategy_hook migrate;		/* stopped c moves to cpu */
	fpb_strategy_hook user_access;		/* kernel touches c's user memory (PKRU applies) */
	/* vCPU events (guest policies). */
	fpb_strategy_hook vcpu_load;		/* KVM_RUN: switch to the guest FPU state */
	fpb_strategy_hook vcpu_put;		/* KVM_RUN returns: back to the user FPU state */
	fpb_strategy_hook vm_entry;		/* each VM entry inside the run loop */
	fpb_strategy_hook vm_exit;		/* each VM exit handled in the kernel */
	fpb_strategy_hook get_xsave;		/* KVM_GET_XSAVE: guest state to the user ABI */
	fpb_strategy_hook set_xsave;		/* KVM_SET_XSAVE: guest state from the user ABI */
	fpb_strategy_hook realloc;		/* grow the guest buffer for a newly permitted feature */
	/* arm64 (strategies/arm64-machine.c): the guest's FP use trapped (kvm_hyp_handle_fpsimd) */
	fpb_strategy_hook guest_fp_trap;
};

struct fpb_strategy {
	const char *name;		/* "swap", "eager-pkru", ... */
	const char *summary;		/* one line for --list */
	enum fpb_strategy_family family;
	unsigned flags;			/* FPB_STRAT_* */
	unsigned version;		/* FPB_STRATEGY_OPS_VERSION */
	/*
	 * Model revision, 1 up: bumped whenever a change to the model alters what its rows count
	 * (primitives per event), so that results from two revisions are not read as a regression.
	 */
	unsigned model_rev;
	const char *source;		/* the design it follows (seed thread / kernel version) */
	struct fpb_strategy_ops ops;
};

/*
 * The registry (strategies/registry.c), from strategies/strategies.def.  Test-only mutants are not
 * in it (tests/ build them from strategies/mutants.c).
 */
extern const struct fpb_strategy *const fpb_strategies[];
extern const size_t fpb_nr_strategies;

/* Look up by name; NULL when unknown. */
const struct fpb_strategy *fpb_strategy_find(const char *name);

/*
 * Is name a valid --strategy= value ("all" or a registered name)?  Returns 0, or -EINVAL with one
 * line in why naming the valid strategies.
 */
int fpb_strategy_validate(const char *name, char *why, size_t len);

/* Same for --task-policy= (task family only). */
int fpb_strategy_validate_task_policy(const char *name, char *why, size_t len);

/* Check a table: version, name, family-specific required hooks.  0 or -EINVAL with why. */
int fpb_strategy_check(const struct fpb_strategy *s, char *why, size_t len);

/* "task" or "guest". */
const char *fpb_strategy_family_name(enum fpb_strategy_family f);

/*
 * Are a and b alternatives to each other: the same family on the same architecture (swap and
 * copy3; eager, lazy and eager-pkru; the arm64 guest policies)?  `--strategy=X` shows X against
 * these.  A strategy is not its own rival.
 */
bool fpb_strategy_rivals(const struct fpb_strategy *a, const struct fpb_strategy *b);

/* The rivals' group in words: "task policies", "guest policies", "arm64 guest policies". */
const char *fpb_strategy_group_name(const struct fpb_strategy *s);

/* The default task policy under guest policies: lazy restore with eager PKRU, as Linux does. */
#define FPB_DEFAULT_TASK_POLICY	"eager-pkru"

#endif /* FPB_STRATEGY_H */
