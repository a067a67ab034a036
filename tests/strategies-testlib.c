// SPDX-License-Identifier: GPL-2.0-or-later
/* strategies-testlib.c - see strategies-testlib.h. */
#include <stdio.h>
#include <stdlib.h>
#include "strategies-testlib.h"
#include "xstate.h"

const char *const fpbt_vendors[2] = { "GenuineIntel", "AuthenticAMD" };

void fpbt_cpu_synth(struct fpb_cpu *cpu, bool pkru, bool amx, bool xsaves, bool xfd)
{
	static const struct { unsigned i; uint32_t off, size; bool a64; } comps[] = {
		{ FPB_XF_AVX, 576, 256, false }, { FPB_XF_OPMASK, 1088, 64, false },
		{ FPB_XF_ZMM_HI256, 1152, 512, false }, { FPB_XF_HI16_ZMM, 1664, 1024, false },
		{ FPB_XF_PKRU, 2688, 8, false }, { FPB_XF_TILECFG, 2752, 64, true },
		{ FPB_XF_TILEDATA, 2816, 8192, true },
	};

	memset(cpu, 0, sizeof(*cpu));
	snprintf(cpu->vendor, sizeof(cpu->vendor), "GenuineIntel");
	cpu->xcr0 = 0x3 | FPB_BIT(FPB_XF_AVX) | FPB_XMASK_AVX512;
	if (pkru)
		cpu->xcr0 |= FPB_BIT(FPB_XF_PKRU);
	if (amx)
		cpu->xcr0 |= FPB_XMASK_AMX;
	for (size_t k = 0; k < sizeof(comps) / sizeof(comps[0]); k++) {
		struct fpb_xcomp *c = &cpu->comp[comps[k].i];

		c->present = true;
		c->size = comps[k].size;
		c->std_offset = comps[k].off;
		c->align64 = comps[k].a64;
		c->xfd_capable = comps[k].i == FPB_XF_TILEDATA;
	}
	cpu->features = FPB_BIT(FPB_CPU_FXSR) | FPB_BIT(FPB_CPU_XSAVE) | FPB_BIT(FPB_CPU_OSXSAVE) |
			FPB_BIT(FPB_CPU_XSAVEOPT) | FPB_BIT(FPB_CPU_XSAVEC);
	if (xsaves)
		cpu->features |= FPB_BIT(FPB_CPU_XSAVES);
	if (xfd)
		cpu->features |= FPB_BIT(FPB_CPU_XFD);
	if (pkru)
		cpu->features |= FPB_BIT(FPB_CPU_PKU) | FPB_BIT(FPB_CPU_OSPKE);
}

int fpbt_cpu_canned(struct fpb_cpu *cpu, const char *file, char *why, size_t len)
{
	const char *dir = getenv("FPB_SRCDIR");
	struct fpb_cpuid_source src;
	char path[1024];

	snprintf(path, sizeof(path), "%s/tests/cpuid/%s", dir ? dir : "..", file);
	if (fpb_cpuid_canned_load(&src, path, why, len))
		return -1;
	memset(cpu, 0, sizeof(*cpu));
	fpb_cpu_detect(cpu, &src);
	fpb_cpuid_canned_free(&src);
	return 0;
}

void fpbt_cpu_native(struct fpb_cpu *cpu)
{
	memset(cpu, 0, sizeof(*cpu));
	fpb_cpu_detect(cpu, &fpb_cpuid_native);
}

int fpbt_open(struct fpb_backend *be, const struct fpb_backend_ops *ops, const struct fpb_cpu *cpu,
	      char *why, size_t len)
{
	memset(be, 0, sizeof(*be));
	be->ops = ops;
	be->cpu = cpu;
	be->numa_node = -1;
	if (ops->probe && ops->probe(cpu, why, len))
		return -1;
	if (ops->open && ops->open(be, why, len))
		return -1;
	return 0;
}

void fpbt_close(struct fpb_backend *be)
{
	if (be->ops && be->ops->close)
		be->ops->close(be);
}

unsigned fpbt_random_failed;

int fpbt_random(struct fpb_backend *be, const struct fpb_cpu *cpu, const struct fpb_strategy *s,
		unsigned nseq, unsigned len, uint64_t seed, char *why, size_t wlen)
{
	const struct fpb_strategy *tasks[3] = { fpb_strategy_find("eager-pkru"),
						fpb_strategy_find("lazy"),
						fpb_strategy_find("eager") };
	struct fpb_machine *m = calloc(1, sizeof(*m));
	int ret = 0;

	if (!m)
		return -1;
	for (unsigned q = 0; q < nseq && !ret; q++) {
		const struct fpb_strategy *task = s->family == FPB_FAMILY_TASK ? s : tasks[q % 3];
		const struct fpb_strategy *guest = s->family == FPB_FAMILY_GUEST ? s : NULL;
		struct fpb_machine_config cfg;
		uint64_t rng = (seed + q) * 0x9e3779b97f4a7c15ULL | 1;
		char w[FPB_REASON_LEN];

		if (be->ops == &fpb_backend_record)
			fpb_record_clear(be);	/* the log would only grow: nothing reads it here */
		fpb_scenario_random_config(s->family, NULL, &cfg);
		if (q & 1)
			cfg.guest_xcr0_differs = false;
		/* One machine for all sequences: reset reuses its buffers (ASan allocations are slow). */
		if (q ? fpb_machine_reset(m, task, guest, &cfg, w, sizeof(w)) :
			fpb_machine_init(m, be, cpu, task, guest, &cfg, w, sizeof(w))) {
			snprintf(why, wlen, "%s: machine: %s", s->name, w);
			free(m);
			return -1;
		}
		m->check = true;
		for (unsigned e = 0; e < len; e++) {
			struct fpb_sim_event ev;

			fpb_scenario_random_event(m, &rng, &ev);
			if (fpb_machine_step(m, &ev)) {
				snprintf(why, wlen, "%s over %s, seed %llu, sequence %u: %s", s->name,
					 task->name, (unsigned long long)(seed + q), q, m->why);
				fpbt_random_failed = q + 1;
				ret = -1;
				break;
			}
		}
	}
	fpb_machine_fini(m);
	free(m);
	return ret;
}

unsigned fpbt_kill_rate(struct fpb_backend *be, const struct fpb_cpu *cpu,
			const struct fpb_strategy *s, unsigned max, unsigned len, uint64_t seed)
{
	char why[FPB_REASON_LEN];

	fpbt_random_failed = 0;
	if (!fpbt_random(be, cpu, s, max, len, seed, why, sizeof(why)))
		return 0;
	return fpbt_random_failed;
}

int fpbt_scenario(struct fpb_machine *m, const struct fpb_scenario *s, unsigned ncycles)
{
	struct fpb_sim_event ev[1024];
	size_t n = s->gen(s, ev, 1024, false);

	if (fpb_machine_run(m, ev, n, NULL))
		return -1;
	n = s->gen(s, ev, 1024, true);
	for (unsigned c = 0; c < ncycles; c++)
		if (fpb_machine_run(m, ev, n, NULL))
			return -1;
	return 0;
}
