/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * scenario.h - scenarios as sequence generators over the simulated machine's events.
 *
 * A scenario sets up a machine (cpus, tasks, vCPU threads), writes a prefix that reaches its
 * steady state and a cycle that returns the machine to that state, so timed batches can repeat the
 * cycle.  "Per event" is the scenario's own unit (a switch, a KVM_RUN, a kernel FPU use...).
 */
#ifndef FPB_SCENARIO_H
#define FPB_SCENARIO_H

#include "machine.h"

enum {
	FPB_SCN_NEEDS_XFD	= 1u << 0,	/* needs XFD and an XFD-capable feature (AMX) */
	FPB_SCN_ONE_SHOT	= 1u << 1,	/* does not repeat: exercised by tests, not timed */
	FPB_SCN_PKRU		= 1u << 2,	/* about PKRU */
	FPB_SCN_TASK_XFD	= 1u << 3,	/* needs XFD and AMX, for any task policy */
	FPB_SCN_UNTOUCHED	= 1u << 4,	/* the cycle's programs leave their registers alone */
};

struct fpb_scenario {
	const char *name;
	const char *summary;
	enum fpb_strategy_family family;
	const char *event;		/* what one event is: "switch", "kvm-run", ... */
	unsigned events_per_cycle;
	unsigned flags;			/* FPB_SCN_* */
	unsigned k;			/* parameter (exits per KVM_RUN, ...) */
	struct fpb_machine_config cfg;
	/* Write the prefix (cycle false) or one cycle into ev[0..max); return the count. */
	size_t (*gen)(const struct fpb_scenario *s, struct fpb_sim_event *ev, size_t max,
		      bool cycle);
};

extern const struct fpb_scenario *const fpb_scenarios[];
extern const size_t fpb_nr_scenarios;

/* Look up by name; NULL when unknown. */
const struct fpb_scenario *fpb_scenario_find(const char *name);
/* "all" or a scenario name: 0, or -EINVAL with one line naming the valid ones. */
int fpb_scenario_validate(const char *name, char *why, size_t len);

/* Can scenario s run on machine m's CPU?  0, or -1 with the reason. */
int fpb_scenario_supported(const struct fpb_scenario *s, const struct fpb_cpu *cpu, char *why,
			   size_t len);

/*
 * Random testing: pick one valid event for m's current state (families as m was set up), with
 * the generator state *rng (xorshift64, never 0).
 */
void fpb_scenario_random_event(const struct fpb_machine *m, uint64_t *rng,
			       struct fpb_sim_event *ev);

/*
 * Injection points: places inside the kernel's FPU paths (between the handlers a composite path
 * is made of) where a preemption or a softirq's kernel FPU use may land, by the state of cpu's
 * current context.  The random generator injects one there every other time it finds cpu at one.
 * Returns the point's index in fpb_scenario_injection_points[], or -1.
 */
int fpb_scenario_injection_point(const struct fpb_machine *m, unsigned cpu);
extern const char *const fpb_scenario_injection_points[];
extern const size_t fpb_scenario_nr_injection_points;

/* Machine configurations the random tests use, one a family. */
void fpb_scenario_random_config(enum fpb_strategy_family fam, const struct fpb_machine *hint,
				struct fpb_machine_config *cfg);

#endif /* FPB_SCENARIO_H */
