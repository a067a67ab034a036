// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * output-table.c - formatted cells for the human-readable writers (text, Markdown): the machine
 * description and one table per suite, with units, the interval, min, MAD and flags; skipped
 * rows carry "<status>: <reason>" in place of figures.
 */
#include <math.h>
#include <inttypes.h>

#include "output-table.h"
#include "output-util.h"

#define KV(k, ...) do {							\
	if (n < max) {							\
		snprintf(kv[n].key, sizeof(kv[n].key), "%s", k);	\
		snprintf(kv[n].val, sizeof(kv[n].val), __VA_ARGS__);	\
		n++;							\
	}								\
} while (0)

/*
 * An arm64 result: MIDR, HWCAP features, the CNTVCT timer or CNTFRQ as the frequency source.
 * Decided from the result itself (a file read back may come from another architecture).
 */
static bool is_arm64(const struct fpb_result *r)
{
	const struct fpb_cpu *c = &r->cpu;
	uint64_t arm = FPB_BIT(FPB_CPU_ASIMD) | FPB_BIT(FPB_CPU_SVE) | FPB_BIT(FPB_CPU_SVE2) |
		       FPB_BIT(FPB_CPU_SME) | FPB_BIT(FPB_CPU_SME_FA64);

	return c->midr || c->a64.hwcap || (c->features & arm) || !strcmp(r->run.timer, "cntvct") ||
	       (c->tsc_hz_source && !strcmp(c->tsc_hz_source, "cntfrq_el0"));
}

/* "max 256 B, current 64 B, offered 16 32 64 128 256 B", or "none". */
static void fmt_vls(char *buf, size_t len, unsigned max, unsigned cur, const unsigned *vls,
		    unsigned n)
{
	size_t l;

	if (!max) {
		snprintf(buf, len, "none");
		return;
	}
	l = (size_t)snprintf(buf, len, "max %u B", max);
	if (cur && l < len)
		l += (size_t)snprintf(buf + l, len - l, ", current %u B", cur);
	for (unsigned i = 0; i < n && i < FPB_CPU_A64_MAX_VLS && l < len; i++)
		l += (size_t)snprintf(buf + l, len - l, "%s%u", i ? " " : ", offered ", vls[i]);
	if (n && l < len)
		snprintf(buf + l, len - l, " B");
}

/* The arm64 machine lines (no XCR0/XSAVE there); returns the new count. */
static size_t describe_arm64(const struct fpb_result *r, struct fpb_kv *kv, size_t n, size_t max)
{
	const struct fpb_cpu *c = &r->cpu;
	const struct fpb_cpu_arm64 *a = &c->a64;
	char feat[256] = "", sve[160], sme[160];
	const char *names[32];
	size_t len = 0, nn;

	if (c->midr)
		KV("MIDR", "0x%08" PRIx64 ": implementer 0x%02x%s%s%s, part 0x%03x%s%s%s, "
		   "variant %u, revision %u", c->midr, FPB_MIDR_IMPLEMENTER(c->midr),
		   a->implementer[0] ? " (" : "", a->implementer, a->implementer[0] ? ")" : "",
		   FPB_MIDR_PART(c->midr), a->part[0] ? " (" : "", a->part, a->part[0] ? ")" : "",
		   FPB_MIDR_VARIANT(c->midr), FPB_MIDR_REVISION(c->midr));
	else
		KV("MIDR", "unknown (not readable here)");
	if (a->hwcap) {
		nn = fpb_cpu_a64_hwcap_names(a->hwcap, a->hwcap2, names, FPB_ARRAY_SIZE(names));
		for (size_t i = 0; i < nn && len < sizeof(feat); i++)
			len += (size_t)snprintf(feat + len, sizeof(feat) - len, "%s%s",
						len ? " " : "", names[i]);
		KV("HWCAP", "%s (HWCAP 0x%" PRIx64 ", HWCAP2 0x%" PRIx64 ")",
		   feat[0] ? feat : "none of interest", a->hwcap, a->hwcap2);
	} else {
		for (int i = FPB_CPU_ASIMD; i <= FPB_CPU_SME_FA64 && len < sizeof(feat); i++)
			if (c->features & FPB_BIT(i))
				len += (size_t)snprintf(feat + len, sizeof(feat) - len, "%s%s",
							len ? " " : "", fpb_cpu_feature_names[i]);
		KV("HWCAP", "%s", feat[0] ? feat : "none of asimd, sve, sve2, sme");
	}
	fmt_vls(sve, sizeof(sve), c->sve_max_vl, a->sve_vl, a->sve_vls, a->nsve_vls);
	fmt_vls(sme, sizeof(sme), c->sme_max_svl, a->sme_svl, a->sme_svls, a->nsme_svls);
	KV("vector len", "SVE %s; SME streaming %s", sve, sme);
	if (c->tsc_hz)
		KV("counter freq", "%.3f MHz (source: %s); counter ticks are not core cycles",
		   (double)c->tsc_hz / 1e6, c->tsc_hz_source ? c->tsc_hz_source : "unknown");
	else
		KV("counter freq", "unknown: no ns/op");
	KV("clock", "clock source %s; timer %s (unit %s)",
	   r->run.clocksource[0] ? r->run.clocksource : "unknown",
	   r->run.timer[0] ? r->run.timer : "cntvct",
	   r->run.unit[0] ? r->run.unit : "cntvct-ticks");
	return n;
}

/* Describe the machine and the run as key/value lines; returns how many. */
size_t fpb_describe(const struct fpb_result *r, struct fpb_kv *kv, size_t max)
{
	const struct fpb_cpu *c = &r->cpu;
	const struct fpb_runinfo *run = &r->run;
	bool arm = is_arm64(r);
	char names[256];
	size_t n = 0;

	KV("fpbench", "%s (git %s)", run->version[0] ? run->version : "?",
	   run->git_revision[0] ? run->git_revision : "unknown");
	KV("command", "%s", run->command_line);
	KV("CPU", "%s (%s family %u model %u stepping %u), microcode %s",
	   c->brand[0] ? c->brand : "unknown", c->vendor[0] ? c->vendor : "unknown", c->family,
	   c->model, c->stepping, c->microcode[0] ? c->microcode : "unknown");
	KV("kernel", "%s; hypervisor: %s%s", c->kernel[0] ? c->kernel : "unknown",
	   c->hypervisor[0] ? c->hypervisor : "none",
	   run->emulation[0] ? "; emulated" : "");
	if (run->emulation[0])
		KV("emulation", "%s: figures are emulator speed, functional only", run->emulation);
	if (arm) {
		n = describe_arm64(r, kv, n, max);
		goto counters;
	}
	fpb_xmask_names(c->xcr0, names, sizeof(names));
	KV("XCR0", "0x%" PRIx64 " (%s)", c->xcr0, names);
	if (c->xinuse_untracked)
		KV("XINUSE", "0x%" PRIx64 " reported in use after an init XRSTOR: not tracked here, "
		   "clean/dirty conditions not verified", c->xinuse_untracked);
	fpb_xmask_names(c->xss_supported, names, sizeof(names));
	if (c->xss_known) {
		char now[256];

		fpb_xmask_names(c->xss, now, sizeof(now));
		KV("IA32_XSS", "0x%" PRIx64 " (%s); supported 0x%" PRIx64, c->xss, now,
		   c->xss_supported);
	} else {
		KV("IA32_XSS", "unknown (not readable here); supported 0x%" PRIx64 " (%s)",
		   c->xss_supported, names);
	}
	KV("XSAVE sizes", "standard %" PRIu32 " B for XCR0 (%" PRIu32 " B all supported), "
	   "compacted %" PRIu32 " B for XCR0|XSS, FXSAVE 512 B",
	   c->xsave_size_xcr0, c->xsave_size_max, c->xsaves_size);
	if (c->tsc_hz)
		KV("TSC", "%.3f GHz (source: %s)", (double)c->tsc_hz / 1e9,
		   c->tsc_hz_source ? c->tsc_hz_source : "unknown");
	else
		KV("TSC", "frequency unknown: no ns/op");
	KV("clock", "clock source %s; timer %s (unit %s)",
	   run->clocksource[0] ? run->clocksource : "unknown",
	   run->timer[0] ? run->timer : "tsc", run->unit[0] ? run->unit : "tsc-ticks");
counters:
	if (run->counters[0])
		KV("counters", "%s", strncmp(run->counters, "counters (", 10) ? run->counters :
		   run->counters + 9);	/* "(pfm): page-faults, ..." under the key "counters" */
	if (run->tsc_per_core_cycle > 0)
		KV("TSC/cycle", "%.4f TSC ticks per core cycle (measured with the cycle counter)",
		   run->tsc_per_core_cycle);
	else if (!arm && (run->counters[0] || !strcmp(run->timer, "cycles")))
		KV("TSC/cycle", "unknown (no core-cycle counter here)");
	KV("placement", "CPU %d, NUMA node %s%s; governor %s, boost %s", run->cpu,
	   run->numa_node >= 0 ? "" : "none",
	   run->smt_sibling_busy ? "; SMT sibling busy (figures may be noisy)" : "",
	   run->governor[0] ? run->governor : "unknown", run->boost[0] ? run->boost : "unknown");
	if (run->numa_node >= 0)
		snprintf(kv[n - 1].val, sizeof(kv[n - 1].val), "CPU %d, NUMA node %d%s; governor %s, "
			 "boost %s", run->cpu, run->numa_node,
			 run->smt_sibling_busy ? "; SMT sibling busy (figures may be noisy)" : "",
			 run->governor[0] ? run->governor : "unknown",
			 run->boost[0] ? run->boost : "unknown");
	KV("run", "%s, %.1f s; %ld voluntary + %ld involuntary context switches, "
	   "%ld migrations", run->timestamp[0] ? run->timestamp : "?", run->duration_s,
	   run->ctx_switches_voluntary, run->ctx_switches_involuntary, run->migrations);
	if (run->trials_total)
		KV("trials", "%u of %u trials taken while the machine was busy (%.0f%%: other CPUs "
		   "busy, steal or preemption)%s", run->trials_disturbed, run->trials_total,
		   100.0 * run->trials_disturbed / run->trials_total,
		   run->wait_quiet_s < 0 ? "" : run->quiet_at_start ?
		   "; quiet at start (--wait-quiet)" : "; still busy after --wait-quiet");
	KV("fingerprint", "%s", c->fingerprint[0] ? c->fingerprint : "unknown");
	if (!run->unit[0] || strstr(run->unit, "tsc"))
		KV("units", "TSC ticks per operation (TSC ticks are not core cycles)%s",
		   c->tsc_hz ? "; ns/op from the TSC frequency" : "");
	else
		KV("units", "%s per operation", run->unit);
	return n;
}

/* Print a figure with a precision that suits its size. */
void fpb_fmt_fig(char *buf, size_t len, double v)
{
	double a = fabs(v);

	if (!isfinite(v))
		snprintf(buf, len, "-");
	else if (a < 0.005)
		snprintf(buf, len, "0.00");	/* never "-0.00" */
	else if (a >= 1000)
		snprintf(buf, len, "%.0f", v);
	else if (a >= 10)
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "%.2f", v);
}

/* Distinct suites in row order. */
size_t fpb_result_suites(const struct fpb_result *r, const char **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nrows; i++) {
		size_t j;

		for (j = 0; j < n; j++)
			if (!strcmp(out[j], r->rows[i].suite))
				break;
		if (j == n && n < max)
			out[n++] = r->rows[i].suite;
	}
	return n;
}

/* "tsc-ticks/op" -> "ticks/op" for a column header. */
static void fpb_unit_head(const char *unit, char *buf, size_t len)
{
	if (!strncmp(unit, "tsc-", 4))
		unit += 4;
	snprintf(buf, len, "%s", unit[0] ? unit : "median");
}

enum { C_NAME, C_SCEN, C_MASK, C_STATE, C_BUF, C_BACKEND, C_UNIT, C_MED, C_NS, C_CI, C_MIN,
	C_FLOOR, C_MAD, C_N, C_RATIO, C_FLAGS, C_MAX };
_Static_assert(C_MAX <= FPB_TABLE_MAXCOL, "a table has at most FPB_TABLE_MAXCOL columns");

/*
 * The row's ratio to the lowest median of its comparison group (strategies), or NULL; results
 * of schema 1 and 2 called it ratio_to_fastest.
 */
static const struct fpb_metric *fpb_row_ratio(const struct fpb_row *row)
{
	for (size_t i = 0; i < row->nmetrics; i++)
		if (!strcmp(row->metrics[i].name, "ratio_to_lowest") ||
		    !strcmp(row->metrics[i].name, "ratio_to_fastest"))
			return &row->metrics[i];
	return NULL;
}

/* Build the table for one suite's rows. */
int fpb_table_build(struct fpb_table *t, const struct fpb_result *r, const char *suite)
{
	bool use[C_MAX] = { false };
	int col[C_MAX];
	const char *unit0 = NULL, *backend0 = NULL;
	size_t nr = 0;

	memset(t, 0, sizeof(*t));
	snprintf(t->suite, sizeof(t->suite), "%s", suite);
	for (size_t i = 0; i < r->nrows; i++) {
		const struct fpb_row *row = &r->rows[i];

		if (strcmp(row->suite, suite))
			continue;
		nr++;
		use[C_SCEN] |= row->scenario[0] != '\0';
		use[C_MASK] |= row->mask_name[0] != '\0';
		use[C_STATE] |= row->state[0] != '\0';
		use[C_BUF] |= row->buffer[0] != '\0';
		if (!backend0)
			backend0 = row->backend;
		use[C_BACKEND] |= strcmp(backend0, row->backend) != 0;
		if (row->status == FPB_ROW_MEASURED) {
			if (!unit0)
				unit0 = row->unit;
			use[C_UNIT] |= strcmp(unit0, row->unit) != 0;
			use[C_NS] |= row->ns_per_unit > 0;
			use[C_RATIO] |= fpb_row_ratio(row) != NULL;
			use[C_FLOOR] |= row->st.floor_trials > 0;
		}
	}
	use[C_NAME] = use[C_MED] = use[C_CI] = use[C_MIN] = use[C_MAD] = use[C_N] = true;
	use[C_FLAGS] = true;

	static const char *const heads[C_MAX] = {
		"", "scenario", "mask", "state", "buffer", "backend", "unit", "", "ns/op",
		"95% CI", "min", "floor", "MAD", "n", "x lowest", "flags",
	};
	for (int c = 0; c < C_MAX; c++) {
		col[c] = -1;
		if (!use[c])
			continue;
		col[c] = (int)t->ncols;
		snprintf(t->head[t->ncols], sizeof(t->head[0]), "%s", heads[c]);
		t->right[t->ncols] = c >= C_MED && c != C_FLAGS;
		if (c == C_MED)
			t->first_figure = t->ncols;
		t->ncols++;
	}
	snprintf(t->head[col[C_NAME]], sizeof(t->head[0]), "%s",
		 !strcmp(suite, "kernels") ? "kernel" :
		 !strcmp(suite, "strategies") ? "strategy" : "row");
	if (use[C_UNIT])
		snprintf(t->head[col[C_MED]], sizeof(t->head[0]), "median");
	else
		fpb_unit_head(unit0 ? unit0 : "tsc-ticks/op", t->head[col[C_MED]],
			      sizeof(t->head[0]));
	if (!use[C_UNIT] && unit0 && !strstr(unit0, "/op") && use[C_NS])
		snprintf(t->head[col[C_NS]], sizeof(t->head[0]), "ns");

	t->rows = calloc(nr ? nr : 1, sizeof(*t->rows));
	if (!t->rows)
		return -ENOMEM;
	for (size_t i = 0; i < r->nrows; i++) {
		const struct fpb_row *row = &r->rows[i];
		const struct fpb_stats *s = &row->st;
		struct fpb_table_row *tr;
		char a[48], b[48];

		if (strcmp(row->suite, suite))
			continue;
		tr = &t->rows[t->nrows++];
		tr->src = row;
		tr->span_from = -1;
#define CELL(c, ...) do { if (col[c] >= 0) \
	snprintf(tr->cell[col[c]], FPB_CELL, __VA_ARGS__); } while (0)
		CELL(C_NAME, "%s", row->name);
		CELL(C_SCEN, "%s", row->scenario);
		CELL(C_MASK, "%s", row->mask_name);
		CELL(C_STATE, "%s", row->state);
		CELL(C_BUF, "%s", row->buffer);
		CELL(C_BACKEND, "%s", row->backend);
		if (row->status != FPB_ROW_MEASURED) {
			tr->span_from = col[C_MED] < col[C_UNIT] || col[C_UNIT] < 0 ?
					col[C_MED] : col[C_UNIT];
			const char *why = row->reason;

			snprintf(tr->cell[tr->span_from], FPB_CELL, "%s%s%s",
				 fpb_row_status_name(row->status), why[0] ? ": " : "", why);
			continue;
		}
		CELL(C_UNIT, "%s", row->unit);
		fpb_fmt_fig(a, sizeof(a), s->median);
		CELL(C_MED, "%s", a);
		if (row->ns_per_unit > 0) {
			fpb_fmt_fig(a, sizeof(a), s->median * row->ns_per_unit);
			CELL(C_NS, "%s", a);
		} else {
			CELL(C_NS, "-");
		}
		fpb_fmt_fig(a, sizeof(a), s->ci_lo);
		fpb_fmt_fig(b, sizeof(b), s->ci_hi);
		CELL(C_CI, "[%s, %s]", a, b);
		/*
		 * min is the fastest single N/2N sample.  A difference row (X-minus-Y) has no
		 * such observation, and a negative min is the differencing's noise, not a cost:
		 * both show "-" (the JSON keeps the figure).
		 */
		if (strstr(row->scenario, "-minus-") || strstr(row->name, "-minus-") || s->min < 0)
			snprintf(a, sizeof(a), "-");
		else
			fpb_fmt_fig(a, sizeof(a), s->min);
		CELL(C_MIN, "%s", a);
		/* The trial floor (lowest level two trials agree on), beside the median. */
		if (s->floor_trials)
			fpb_fmt_fig(a, sizeof(a), s->floor);
		else
			snprintf(a, sizeof(a), "-");
		CELL(C_FLOOR, "%s", a);
		fpb_fmt_fig(a, sizeof(a), s->mad);
		CELL(C_MAD, "%s", a);
		CELL(C_N, "%zu", s->n);
		if (fpb_row_ratio(row))
			CELL(C_RATIO, "%.2f", fpb_row_ratio(row)->value);
		fpb_row_flags_str(row->flags, ",", a, sizeof(a));
		CELL(C_FLAGS, "%s", a);
#undef CELL
	}
	return 0;
}

void fpb_table_free(struct fpb_table *t)
{
	free(t->rows);
	t->rows = NULL;
	t->nrows = 0;
}
