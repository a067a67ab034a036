// SPDX-License-Identifier: GPL-2.0-or-later
/* strategies/registry.c - every strategy, from strategies/strategies.def; look-up and checks. */
#include "strategy.h"
#include "strategies.def"

#define FPB_X_DECL(id) extern const struct fpb_strategy fpb_strategy_##id;
#define FPB_X_ENTRY(id) &fpb_strategy_##id,
FPB_STRATEGIES(FPB_X_DECL)

const struct fpb_strategy *const fpb_strategies[] = {
	FPB_STRATEGIES(FPB_X_ENTRY)
	NULL
};

const size_t fpb_nr_strategies = FPB_ARRAY_SIZE(fpb_strategies) - 1;

const char *fpb_strategy_family_name(enum fpb_strategy_family f)
{
	return f == FPB_FAMILY_TASK ? "task" : f == FPB_FAMILY_GUEST ? "guest" : "?";
}

bool fpb_strategy_rivals(const struct fpb_strategy *a, const struct fpb_strategy *b)
{
	return a != b && a->family == b->family &&
	       (a->flags & FPB_STRAT_ARCH_ARM64) == (b->flags & FPB_STRAT_ARCH_ARM64);
}

const char *fpb_strategy_group_name(const struct fpb_strategy *s)
{
	if (s->flags & FPB_STRAT_ARCH_ARM64)
		return s->family == FPB_FAMILY_TASK ? "arm64 task policies" :
		       "arm64 guest policies";
	return s->family == FPB_FAMILY_TASK ? "task policies" : "guest policies";
}

const struct fpb_strategy *fpb_strategy_find(const char *name)
{
	for (size_t i = 0; i < fpb_nr_strategies; i++)
		if (!strcmp(fpb_strategies[i]->name, name))
			return fpb_strategies[i];
	return NULL;
}

/*
 * Append ", a, b, c)" of the names in family fam (or every family when fam < 0) to why, whose
 * first off bytes are taken: the list goes straight into the caller's buffer, so its length
 * follows the registry rather than a fixed buffer here.
 */
static void list_names(char *why, size_t len, size_t off, int fam)
{
	bool first = true;

	for (size_t i = 0; i < fpb_nr_strategies && off < len; i++) {
		if (fam >= 0 && (int)fpb_strategies[i]->family != fam)
			continue;
		off += fpb_snprintf(why + off, len - off, "%s%s", first ? "" : ", ",
				    fpb_strategies[i]->name);
		first = false;
	}
	if (off < len)
		fpb_snprintf(why + off, len - off, ")");
}

int fpb_strategy_validate(const char *name, char *why, size_t len)
{
	size_t off;

	if (name && (!strcmp(name, "all") || fpb_strategy_find(name)))
		return 0;
	off = fpb_snprintf(why, len, "unknown strategy '%s' (valid: all, ", name ? name : "");
	list_names(why, len, off, -1);
	return -EINVAL;
}

int fpb_strategy_validate_task_policy(const char *name, char *why, size_t len)
{
	const struct fpb_strategy *s = name ? fpb_strategy_find(name) : NULL;
	size_t off;

	if (s && s->family == FPB_FAMILY_TASK)
		return 0;
	off = fpb_snprintf(why, len, "unknown task policy '%s' (valid: ", name ? name : "");
	list_names(why, len, off, FPB_FAMILY_TASK);
	return -EINVAL;
}

int fpb_strategy_check(const struct fpb_strategy *s, char *why, size_t len)
{
	const struct fpb_strategy_ops *o = &s->ops;

	if (!s->name || !*s->name || !s->summary) {
		fpb_snprintf(why, len, "strategy without a name or summary");
		return -EINVAL;
	}
	if (s->version != FPB_STRATEGY_OPS_VERSION) {
		fpb_snprintf(why, len, "%s: ops version %u, want %u", s->name, s->version,
			     FPB_STRATEGY_OPS_VERSION);
		return -EINVAL;
	}
	if (!s->model_rev) {
		fpb_snprintf(why, len, "%s: model revision 0 (revisions start at 1)", s->name);
		return -EINVAL;
	}
	if (s->family == FPB_FAMILY_TASK) {
		if (!o->switch_out || !o->switch_in || !o->ptrace_write || !o->signal_deliver) {
			fpb_snprintf(why, len, "%s: a task policy needs switch_out, switch_in, "
				     "signal_deliver and ptrace_write", s->name);
			return -EINVAL;
		}
		if ((s->flags & FPB_STRAT_DEFERRED) && !o->return_to_user) {
			fpb_snprintf(why, len, "%s: deferred restore without return_to_user",
				     s->name);
			return -EINVAL;
		}
		if (o->vcpu_load || o->vcpu_put) {
			fpb_snprintf(why, len, "%s: a task policy has vCPU hooks", s->name);
			return -EINVAL;
		}
	} else if (s->family == FPB_FAMILY_GUEST) {
		if (!o->vcpu_load || !o->vcpu_put || !o->vm_entry || !o->vm_exit ||
		    !o->get_xsave || !o->set_xsave) {
			fpb_snprintf(why, len, "%s: a guest policy needs vcpu_load, vcpu_put, "
				     "vm_entry, vm_exit, get_xsave and set_xsave", s->name);
			return -EINVAL;
		}
		if ((s->flags & FPB_STRAT_XFD) && !o->realloc) {
			fpb_snprintf(why, len, "%s: XFD support without realloc", s->name);
			return -EINVAL;
		}
		if (o->switch_out || o->switch_in) {
			fpb_snprintf(why, len, "%s: a guest policy has task hooks", s->name);
			return -EINVAL;
		}
	} else {
		fpb_snprintf(why, len, "%s: unknown family %d", s->name, (int)s->family);
		return -EINVAL;
	}
	return 0;
}
