// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cli-list.c - `fpbench --list`: every name the command line accepts, straight from the
 * registries, with what is unavailable on this machine and why.
 */
#include "cli.h"
#include "backend.h"
#include "cpu.h"
#include "kernel.h"
#include "output.h"
#include "suite.h"
#include "timer.h"
#include "strategy.h"
#include "scenario.h"
#include "arm64-scenarios.h"
#include "counters.h"

static void fpb_list_kernels(FILE *f, const struct fpb_cpu *cpu)
{
	fprintf(f, "Kernels (--kernel=):\n");
	if (!fpb_nr_kernels)
		fprintf(f, "  (none built for this architecture yet)\n");
	for (size_t i = 0; i < fpb_nr_kernels; i++) {
		const struct fpb_kernel *k = fpb_kernels[i];
		char why[FPB_REASON_LEN] = "";

		fprintf(f, "  %-20s %s", k->name, k->desc ? k->desc : "");
		if (k->unimplemented_reason)
			fprintf(f, " [compiled out: %s]", k->unimplemented_reason);
		else if (k->flags & FPB_K_RING0)
			fprintf(f, " [ring 0: --backend=kmod]");
		else if (k->supported && !k->supported(cpu, why, sizeof(why)))
			fprintf(f, " [skipped: %s]", why[0] ? why : "not supported");
		fputc('\n', f);
	}
}

static void fpb_list_backends(FILE *f, const struct fpb_cpu *cpu)
{
	fprintf(f, "Backends (--backend=):\n");
	fprintf(f, "  %-20s %s\n", "auto", "kmod when /dev/fpbench exists, else user");
	for (size_t i = 0; i < fpb_nr_backends; i++) {
		const struct fpb_backend_ops *b = fpb_backends[i];
		char why[FPB_REASON_LEN] = "";

		fprintf(f, "  %-20s %s", b->name, b->summary ? b->summary : "");
		if (b->probe && b->probe(cpu, why, sizeof(why)))
			fprintf(f, " [unavailable here: %s]", why[0] ? why : "probe failed");
		fputc('\n', f);
	}
}

/* Print the --list text to f. */
void fpb_cli_list(FILE *f)
{
	struct fpb_cpu cpu;
	const char *cn;

	memset(&cpu, 0, sizeof(cpu));
	fpb_cpu_detect(&cpu, &fpb_cpuid_native);

	fprintf(f, "Suites (--suite=):\n");
	for (size_t i = 0; i < fpb_nr_suites; i++) {
		const struct fpb_suite *s = fpb_suites[i];

		fprintf(f, "  %-20s %s", s->name, s->summary ? s->summary : "");
		if (!s->run)
			fprintf(f, " [not available yet]");
		fputc('\n', f);
	}
	fpb_list_kernels(f, &cpu);
	fpb_list_backends(f, &cpu);
	fprintf(f, "Strategies (--strategy=, --task-policy=):\n");
	for (size_t i = 0; i < fpb_nr_strategies; i++)
		fprintf(f, "  %-20s %s: %s\n", fpb_strategies[i]->name,
			fpb_strategy_family_name(fpb_strategies[i]->family),
			fpb_strategies[i]->summary ? fpb_strategies[i]->summary : "");
	fprintf(f, "Scenarios (--scenario=):\n");
	for (size_t i = 0; i < fpb_nr_scenarios; i++)
		fprintf(f, "  %-20s %s\n", fpb_scenarios[i]->name,
			fpb_scenarios[i]->summary ? fpb_scenarios[i]->summary : "");
	fprintf(f, "arm64 vCPU scenarios (--scenario=; timed on aarch64 builds):\n");
	for (size_t i = 0; i < fpb_a64_nr_scenarios; i++)
		fprintf(f, "  %-20s %s\n", fpb_a64_scenarios[i]->name,
			fpb_a64_scenarios[i]->summary ? fpb_a64_scenarios[i]->summary : "");

	fprintf(f, "Timers (--timer=):\n");
	for (size_t i = 0; i < fpb_nr_timers; i++) {
		const struct fpb_timer *t = fpb_timers[i];

		fprintf(f, "  %-20s unit: %s%s\n", t->name, t->unit, t == &fpb_timer_cycles ?
			" (needs a PMU; falls back to the default timer)" : "");
	}
	fprintf(f, "Counters (--counters=, --events=; --list-events lists the events):\n");
	fprintf(f, "  %-20s %s\n", "none", "no counters (default without --events)");
	for (size_t i = 0; (cn = fpb_counters_known_name(i)); i++) {
		const struct fpb_counters_ops *c = fpb_counters_find(cn);

		fprintf(f, "  %-20s %s\n", cn, c ? (c->summary ? c->summary : "") :
			"[not built in this fpbench]");
	}
	fprintf(f, "Formats (--format=):\n");
	for (size_t i = 0; i < fpb_nr_writers; i++)
		fprintf(f, "  %-20s --output with several formats: FILE.%s\n",
			fpb_writers[i]->name, fpb_writers[i]->ext);
	fprintf(f, "States (--state=):\n");
	for (int s = 0; s < FPB_NR_STATES; s++)
		fprintf(f, "  %s\n", fpb_state_name((enum fpb_state)s));
	fprintf(f, "Buffers (--buffer=):\n  same\n  rotate:K (K = 1..%d)\n  cold\n",
		FPB_KCTX_MAX_BUFS);
	fprintf(f, "Masks (--mask=): all, x87, sse, avx, avx512, opmask, zmm_hi256, hi16_zmm, "
		"pkru, amx, or hex\n");
}
