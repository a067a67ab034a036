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
	unsigned interrupt;		/* FPB_A64_INT_*: what comes between two entries */
	bool guest_fp;			/* the guest uses FP in each entry */
	bool user_fp;			/* the vCPU thread's user program uses FP between KVM_RUNs */
	bool za;			/* the VMM keeps SME's ZA live across KVM_RUN: needs SME, and a
					 * policy with FPB_STRAT_SME; cfg.za_size comes at run time */
	bool sm;			/* the VMM stays in streaming mode (SVCR.SM) across KVM_RUN:
					 * needs SME and FPB_STRAT_SME; cfg.svl comes at run time */
};

/* Interruptions of one KVM_RUN between its first exit and second entry. */
enum {
	FPB_A64_INT_NONE,
	FPB_A64_INT_SOFTIRQ,		/* kernel-mode NEON in a softirq */
	FPB_A64_INT_PREEMPT,		/* another task runs on the CPU */
	FPB_A64_INT_MIGRATE,		/* the vCPU thread resumes on the other CPU */
};

extern const struct fpb_a64_scenario *const fpb_a64_scenarios[];
extern const size_t fpb_a64_nr_scenarios;

/*
 * The machine configuration for s at streaming vector length svl (bytes; 0: no SME here), fa64
 * when FEAT_SME_FA64 is there: cfg with za_size SVL * SVL for a ZA scenario, svl and fa64 for a
 * streaming one.  Returns 0, or -1 with why when s needs SME and svl is 0.
 */
int fpb_a64_scenario_config(const struct fpb_a64_scenario *s, unsigned svl, bool fa64,
			    struct fpb_a64_config *cfg, char *why, size_t len);

/* Does guest policy st apply to s (SME scenarios need FPB_STRAT_SME)?  false with why if not. */
bool fpb_a64_scenario_applies(const struct fpb_a64_scenario *s, const struct fpb_strategy *st,
			      char *why, size_t len);

/* Look up an arm64 scenario by name; NULL when unknown. */
const struct fpb_a64_scenario *fpb_a64_scenario_find(const char *name);

#endif /* FPB_ARM64_SCENARIOS_H */
