/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * arm64-scenarios.h - vCPU scenarios for the arm64 guest policies (arm64-machine.h): event
 * cycles the strategies suite times on an aarch64 build through the arm64 backend.
 */
#ifndef FPB_ARM64_SCENARIOS_H
#define FPB_ARM64_SCENARIOS_H

#include "arm64-machine.h"

struct fpb_a64_scenario {
	const char *name;
	const char *summary;
	const char *event;		/* what a figure is per ("KVM_RUN") */
	unsigned events_per_cycle;
	struct fpb_a64_config cfg;
	/* Write the prefix (cycle false) or one cycle into ev; returns the count (may exceed max). */
	size_t (*gen)(const struct fpb_a64_scenario *s, struct fpb_sim_event *ev, size_t max,
		      bool cycle);
	unsigned entries;		/* VM entries per KVM_RUN */
	bool guest_fp;			/* the guest uses FP in each entry */
	bool user_fp;			/* the vCPU thread's user program uses FP between KVM_RUNs */
};

extern const struct fpb_a64_scenario *const fpb_a64_scenarios[];
extern const size_t fpb_a64_nr_scenarios;

/* Look up an arm64 scenario by name; NULL when unknown. */
const struct fpb_a64_scenario *fpb_a64_scenario_find(const char *name);

#endif /* FPB_ARM64_SCENARIOS_H */
