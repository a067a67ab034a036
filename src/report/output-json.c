// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * output-json.c - the results file (docs/results-format.md, docs/results-schema.json): machine
 * description and fingerprint, command line, version, per-row statistics and raw samples.
 * Hand-written emitter: strings escaped per RFC 8259, 64-bit masks as hex strings, non-finite
 * numbers as null, doubles printed so that they read back exactly.
 */
#include <math.h>
#include <inttypes.h>

#include "output.h"
#include "output-util.h"
#include "xstate.h"

static void fpb_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '"':  fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

/* Shortest of %.15g/%.17g that reads back as the same double; null when not finite. */
static void fpb_json_num(FILE *f, double v)
{
	char buf[40];

	if (!isfinite(v)) {
		fputs("null", f);
		return;
	}
	snprintf(buf, sizeof(buf), "%.15g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, sizeof(buf), "%.17g", v);
	fputs(buf, f);
}

static void fpb_json_hex(FILE *f, uint64_t v)
{
	fprintf(f, "\"0x%" PRIx64 "\"", v);
}

/* "key": (with a leading comma unless first) */
static void fpb_json_key(FILE *f, int indent, bool *first, const char *key)
{
	fprintf(f, "%s\n%*s", *first ? "" : ",", indent, "");
	*first = false;
	fpb_json_str(f, key);
	fputs(": ", f);
}

#define JS(k, v)  do { fpb_json_key(f, ind, &first, k); fpb_json_str(f, v); } while (0)
#define JN(k, v)  do { fpb_json_key(f, ind, &first, k); fpb_json_num(f, v); } while (0)
#define JU(k, v)  do { fpb_json_key(f, ind, &first, k); fprintf(f, "%" PRIu64, (uint64_t)(v)); } while (0)
#define JI(k, v)  do { fpb_json_key(f, ind, &first, k); fprintf(f, "%lld", (long long)(v)); } while (0)
#define JX(k, v)  do { fpb_json_key(f, ind, &first, k); fpb_json_hex(f, v); } while (0)
#define JB(k, v)  do { fpb_json_key(f, ind, &first, k); fputs((v) ? "true" : "false", f); } while (0)

static void fpb_json_uints(FILE *f, const unsigned *v, unsigned n)
{
	fputc('[', f);
	for (unsigned i = 0; i < n; i++)
		fprintf(f, "%s%u", i ? ", " : "", v[i]);
	fputc(']', f);
}

/* The arm64 facts: MIDR decoded, HWCAP words and names, every vector length offered. */
static void fpb_json_arm64(FILE *f, const struct fpb_cpu *c)
{
	const struct fpb_cpu_arm64 *a = &c->a64;
	const char *names[32];
	size_t nn = fpb_cpu_a64_hwcap_names(a->hwcap, a->hwcap2, names, FPB_ARRAY_SIZE(names));
	int ind = 6;
	bool first = true;

	fputs("{", f);
	JX("midr", c->midr);
	JU("implementer", FPB_MIDR_IMPLEMENTER(c->midr));
	JS("implementer_name", a->implementer);
	JU("part", FPB_MIDR_PART(c->midr));
	JS("part_name", a->part);
	JU("variant", FPB_MIDR_VARIANT(c->midr));
	JU("revision", FPB_MIDR_REVISION(c->midr));
	JX("hwcap", a->hwcap);
	JX("hwcap2", a->hwcap2);
	fpb_json_key(f, ind, &first, "hwcaps");
	fputc('[', f);
	for (size_t i = 0; i < nn; i++) {
		fputs(i ? ", " : "", f);
		fpb_json_str(f, names[i]);
	}
	fputc(']', f);
	fpb_json_key(f, ind, &first, "sve_vls");
	fpb_json_uints(f, a->sve_vls, a->nsve_vls < FPB_CPU_A64_MAX_VLS ? a->nsve_vls :
		       FPB_CPU_A64_MAX_VLS);
	JU("sve_vl", a->sve_vl);
	JU("sve_max_vl", c->sve_max_vl);
	fpb_json_key(f, ind, &first, "sme_svls");
	fpb_json_uints(f, a->sme_svls, a->nsme_svls < FPB_CPU_A64_MAX_VLS ? a->nsme_svls :
		       FPB_CPU_A64_MAX_VLS);
	JU("sme_svl", a->sme_svl);
	JU("sme_max_svl", c->sme_max_svl);
	fputs("\n    }", f);
}

static void fpb_json_machine(FILE *f, const struct fpb_cpu *c)
{
	int ind = 4;
	bool first = true, any = false;

	fputs("{", f);
	JS("fingerprint", c->fingerprint);
	JS("vendor", c->vendor);
	JS("brand", c->brand);
	JU("family", c->family);
	JU("model", c->model);
	JU("stepping", c->stepping);
	JS("microcode", c->microcode);
	fpb_json_key(f, ind, &first, "features");
	fputc('[', f);
	for (int i = 0; i < FPB_NR_CPU_FEATURES; i++)
		if (c->features & FPB_BIT(i)) {
			fputs(any ? ", " : "", f);
			fpb_json_str(f, fpb_cpu_feature_names[i]);
			any = true;
		}
	fputc(']', f);
	JX("xcr0", c->xcr0);
	JX("xcr0_supported", c->xcr0_supported);
	if (c->xinuse_untracked)
		JX("xinuse_untracked", c->xinuse_untracked);
	JX("xss_supported", c->xss_supported);
	JX("xss", c->xss);
	JB("xss_known", c->xss_known);
	JU("xsave_size_xcr0", c->xsave_size_xcr0);
	JU("xsave_size_max", c->xsave_size_max);
	JU("xsaves_size", c->xsaves_size);
	fpb_json_key(f, ind, &first, "components");
	fputc('[', f);
	any = false;
	for (unsigned i = 0; i < FPB_XSTATE_MAX; i++) {
		const struct fpb_xcomp *x = &c->comp[i];

		if (!x->present)
			continue;
		fprintf(f, "%s\n      {\"bit\": %u, \"name\": ", any ? "," : "", i);
		fpb_json_str(f, fpb_xfeature_name(i));
		fprintf(f, ", \"size\": %" PRIu32 ", \"offset\": %" PRIu32
			", \"supervisor\": %s, \"align64\": %s, \"xfd\": %s}",
			x->size, x->std_offset, x->supervisor ? "true" : "false",
			x->align64 ? "true" : "false", x->xfd_capable ? "true" : "false");
		any = true;
	}
	fputs(any ? "\n    ]" : "]", f);
	JS("hypervisor", c->hypervisor);
	JU("tsc_hz", c->tsc_hz);
	JS("tsc_hz_source", c->tsc_hz_source ? c->tsc_hz_source : "unknown");
	JS("kernel", c->kernel);
	if (c->a64.hwcap || c->midr) {		/* arm64 only; optional in schema 2 */
		fpb_json_key(f, ind, &first, "arm64");
		fpb_json_arm64(f, c);
	}
	fputs("\n  }", f);
}

static void fpb_json_run(FILE *f, const struct fpb_runinfo *r)
{
	int ind = 4;
	bool first = true;

	fputs("{", f);
	JS("timestamp", r->timestamp);
	JS("clocksource", r->clocksource);
	JS("governor", r->governor);
	JS("boost", r->boost);
	JS("timer", r->timer);
	JS("unit", r->unit);
	JI("cpu", r->cpu);
	JI("numa_node", r->numa_node);
	JB("smt_sibling_busy", r->smt_sibling_busy);
	JI("ctx_switches_voluntary", r->ctx_switches_voluntary);
	JI("ctx_switches_involuntary", r->ctx_switches_involuntary);
	JI("migrations", r->migrations);
	JN("duration_s", r->duration_s);
	JS("emulation", r->emulation);
	fpb_json_key(f, ind, &first, "xsave_sizes");
	fprintf(f, "[%" PRIu64 ", %" PRIu64 ", %" PRIu64 ", %" PRIu64 "]", r->xsave_sizes[0],
		r->xsave_sizes[1], r->xsave_sizes[2], r->xsave_sizes[3]);
	JS("counters", r->counters);			/* schema 2 */
	JN("tsc_per_core_cycle", r->tsc_per_core_cycle);	/* schema 2; 0 unknown */
	JU("trials_total", r->trials_total);			/* schema 3 */
	JU("trials_disturbed", r->trials_disturbed);		/* schema 3 */
	JN("wait_quiet_s", r->wait_quiet_s);			/* schema 3; -1 not asked */
	JB("quiet_at_start", r->quiet_at_start);		/* schema 3 */
	fputs("\n  }", f);
}

static void fpb_json_stats(FILE *f, const struct fpb_stats *s)
{
	int ind = 8;
	bool first = true;

	fputs("{", f);
	JU("n", s->n);
	JN("min", s->min);
	JN("max", s->max);
	JN("median", s->median);
	JN("mean", s->mean);
	JN("stddev", s->stddev);
	JN("mad", s->mad);
	JN("p5", s->p5);
	JN("p95", s->p95);
	JN("ci_lo", s->ci_lo);
	JN("ci_hi", s->ci_hi);
	JN("ci_level", s->ci_level);
	JN("ci_rel", s->ci_rel);
	JU("outliers", s->outliers);
	JN("drift", s->drift);
	if (s->floor_trials) {					/* schema 3, optional */
		JN("floor", s->floor);
		JN("floor_lo", s->floor_lo);
		JN("floor_hi", s->floor_hi);
		JU("floor_trials", s->floor_trials);
	}
	fputs("\n      }", f);
}

static void fpb_json_row(FILE *f, const struct fpb_row *row)
{
	int ind = 6;
	bool first = true, measured = row->status == FPB_ROW_MEASURED;

	fputs("    {", f);
	JS("suite", row->suite);
	JS("name", row->name);
	JS("scenario", row->scenario);
	JS("mask_name", row->mask_name);
	JX("mask", row->mask);
	JS("state", row->state);
	JS("buffer", row->buffer);
	JS("backend", row->backend);
	JS("model_revision", row->model_rev);		/* schema 3 */
	JS("status", fpb_row_status_name(row->status));
	JS("reason", row->reason);
	JS("note", row->note);
	fpb_json_key(f, ind, &first, "flags");
	fputc('[', f);
	for (size_t i = 0, n = 0; i < fpb_nr_row_flags; i++)
		if (row->flags & (1u << i)) {
			fputs(n++ ? ", " : "", f);
			fpb_json_str(f, fpb_row_flag_names[i]);
		}
	fputc(']', f);
	JS("unit", row->unit);
	JN("ns_per_unit", row->ns_per_unit);
	JU("batch", row->batch);
	JU("batches", row->batches);
	JU("dropped", row->dropped);
	fpb_json_key(f, ind, &first, "stats");
	if (measured)
		fpb_json_stats(f, &row->st);
	else
		fputs("null", f);
	fpb_json_key(f, ind, &first, "metrics");
	fputc('[', f);
	for (size_t i = 0; i < row->nmetrics; i++) {
		fputs(i ? ", {\"name\": " : "{\"name\": ", f);
		fpb_json_str(f, row->metrics[i].name);
		fputs(", \"unit\": ", f);
		fpb_json_str(f, row->metrics[i].unit);
		fputs(", \"value\": ", f);
		fpb_json_num(f, row->metrics[i].value);
		fputc('}', f);
	}
	fputc(']', f);
	fpb_json_key(f, ind, &first, "trials");	/* schema 3 */
	fputc('[', f);
	for (unsigned i = 0; i < row->ntrials; i++) {
		const struct fpb_trial *t = &row->trials[i];

		fputs(i ? ",\n        {" : "\n        {", f);
		fprintf(f, "\"first\": %zu, \"n\": %zu, \"start_s\": ", t->first, t->n);
		fpb_json_num(f, t->start_s);
		fputs(", \"end_s\": ", f);
		fpb_json_num(f, t->end_s);
		fputs(", \"median\": ", f);
		fpb_json_num(f, t->median);
		fputs(", \"busy_other\": ", f);
		fpb_json_num(f, t->busy_other);
		fputs(", \"steal\": ", f);
		fpb_json_num(f, t->steal);
		fprintf(f, ", \"nivcsw\": %ld, \"disturbed\": %s, \"used\": %s}", t->nivcsw,
			t->disturbed ? "true" : "false", t->used ? "true" : "false");
	}
	fputc(']', f);
	fpb_json_key(f, ind, &first, "raw");
	fputc('[', f);
	for (size_t i = 0; row->raw && i < row->nraw; i++) {
		if (i)
			fputs(i % 8 ? ", " : ",\n        ", f);
		fpb_json_num(f, row->raw[i]);
	}
	fputs("]\n    }", f);
}

/* Write r as a JSON results document.  Returns 0, or -1 on a stream error. */
static int fpb_json_write(FILE *f, const struct fpb_result *r)
{
	int ind = 2;
	bool first = true;

	fputs("{", f);
	JS("schema", "fpbench-results");
	JI("schema_version", FPB_SCHEMA_VERSION);
	JS("version", r->run.version);
	JS("git_revision", r->run.git_revision);
	JS("command_line", r->run.command_line);
	fpb_json_key(f, ind, &first, "machine");
	fpb_json_machine(f, &r->cpu);
	fpb_json_key(f, ind, &first, "run");
	fpb_json_run(f, &r->run);
	fpb_json_key(f, ind, &first, "summary");
	fprintf(f, "{\"measured\": %zu, \"skipped\": %zu, \"failed\": %zu, \"na\": %zu}",
		fpb_result_count(r, FPB_ROW_MEASURED), fpb_result_count(r, FPB_ROW_SKIPPED),
		fpb_result_count(r, FPB_ROW_FAILED), fpb_result_count(r, FPB_ROW_NA));
	fpb_json_key(f, ind, &first, "rows");
	fputs(r->nrows ? "[\n" : "[", f);
	for (size_t i = 0; i < r->nrows; i++) {
		fpb_json_row(f, &r->rows[i]);
		fputs(i + 1 < r->nrows ? ",\n" : "\n  ", f);
	}
	fputs("]\n}\n", f);
	return ferror(f) ? -1 : 0;
}

const struct fpb_writer fpb_writer_json = {
	.version	= FPB_WRITER_VERSION,
	.name	= "json",
	.ext	= "json",
	.write	= fpb_json_write,
};
