// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * result-read.c - read a saved JSON result (docs/results-format.md) back into struct fpb_result,
 * any schema version from 1 to FPB_SCHEMA_VERSION.  Every problem is one line naming the field;
 * the caller prefixes the file name.  Unknown fields are ignored, so newer optional fields of
 * the same version do not break older readers.
 */
#include "config.h"

#include "result.h"
#include "output-util.h"

#ifdef HAVE_JANSSON
#include <jansson.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>

struct fpb_rd {
	char *why;
	size_t len;
	int err;
};

static int fpb_rd_fail(struct fpb_rd *rd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int fpb_rd_fail(struct fpb_rd *rd, const char *fmt, ...)
{
	va_list ap;

	if (!rd->err) {
		va_start(ap, fmt);
		vsnprintf(rd->why, rd->len, fmt, ap);
		va_end(ap);
	}
	rd->err = -1;
	return -1;
}

/* Optional string field into a fixed buffer; wrong type is an error. */
static void fpb_rd_str(struct fpb_rd *rd, json_t *o, const char *where, const char *key,
		       char *dst, size_t n)
{
	json_t *v = json_object_get(o, key);

	if (!v || json_is_null(v))
		return;
	if (!json_is_string(v)) {
		fpb_rd_fail(rd, "%s.%s: expected a string", where, key);
		return;
	}
	snprintf(dst, n, "%s", json_string_value(v));
}

/* Optional number (null: NaN). */
static double fpb_rd_num(struct fpb_rd *rd, json_t *o, const char *where, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!v || json_is_null(v))
		return NAN;
	if (!json_is_number(v)) {
		fpb_rd_fail(rd, "%s.%s: expected a number", where, key);
		return NAN;
	}
	return json_number_value(v);
}

static uint64_t fpb_rd_uint(struct fpb_rd *rd, json_t *o, const char *where, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		fpb_rd_fail(rd, "%s.%s: expected a non-negative integer", where, key);
		return 0;
	}
	return (uint64_t)json_integer_value(v);
}

static long long fpb_rd_int(struct fpb_rd *rd, json_t *o, const char *where, const char *key,
			    long long def)
{
	json_t *v = json_object_get(o, key);

	if (!v || json_is_null(v))
		return def;
	if (!json_is_integer(v)) {
		fpb_rd_fail(rd, "%s.%s: expected an integer", where, key);
		return def;
	}
	return json_integer_value(v);
}

static bool fpb_rd_bool(struct fpb_rd *rd, json_t *o, const char *where, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!v || json_is_null(v))
		return false;
	if (!json_is_boolean(v)) {
		fpb_rd_fail(rd, "%s.%s: expected true or false", where, key);
		return false;
	}
	return json_is_true(v);
}

/* 64-bit values are hex strings ("0xe7"); plain integers are accepted too. */
static uint64_t fpb_rd_hex(struct fpb_rd *rd, json_t *o, const char *where, const char *key)
{
	json_t *v = json_object_get(o, key);
	const char *s;
	char *end;
	uint64_t x;

	if (!v || json_is_null(v))
		return 0;
	if (json_is_integer(v) && json_integer_value(v) >= 0)
		return (uint64_t)json_integer_value(v);
	if (!json_is_string(v)) {
		fpb_rd_fail(rd, "%s.%s: expected a hex string", where, key);
		return 0;
	}
	s = json_string_value(v);
	errno = 0;
	x = strtoull(s, &end, 16);
	if (strncmp(s, "0x", 2) || !s[2] || *end || errno)
		fpb_rd_fail(rd, "%s.%s: '%.40s' is not a hex value like 0xe7", where, key, s);
	return x;
}

static json_t *fpb_rd_obj(struct fpb_rd *rd, json_t *o, const char *key, bool required)
{
	json_t *v = json_object_get(o, key);

	if (!v || json_is_null(v)) {
		if (required)
			fpb_rd_fail(rd, "missing '%s' object", key);
		return NULL;
	}
	if (!json_is_object(v)) {
		fpb_rd_fail(rd, "'%s': expected an object", key);
		return NULL;
	}
	return v;
}

/* An array of vector lengths (bytes, at most FPB_CPU_A64_MAX_VLS kept); returns the count. */
static unsigned fpb_rd_vls(struct fpb_rd *rd, json_t *o, const char *key, unsigned *out)
{
	json_t *a = json_object_get(o, key);
	unsigned n = 0;

	if (!a || json_is_null(a))
		return 0;
	if (!json_is_array(a)) {
		fpb_rd_fail(rd, "machine.arm64.%s: expected an array", key);
		return 0;
	}
	for (size_t i = 0; i < json_array_size(a) && n < FPB_CPU_A64_MAX_VLS; i++) {
		json_t *v = json_array_get(a, i);

		if (!json_is_integer(v) || json_integer_value(v) <= 0 ||
		    json_integer_value(v) > 65535) {
			fpb_rd_fail(rd, "machine.arm64.%s[%zu]: expected a length in bytes", key, i);
			return n;
		}
		out[n++] = (unsigned)json_integer_value(v);
	}
	return n;
}

/* machine.arm64 (optional, schema 2 additions): MIDR, HWCAP words, vector lengths. */
static void fpb_rd_arm64(struct fpb_rd *rd, json_t *o, struct fpb_cpu *c)
{
	const char *w = "machine.arm64";
	struct fpb_cpu_arm64 *a = &c->a64;

	c->midr = fpb_rd_hex(rd, o, w, "midr");
	fpb_rd_str(rd, o, w, "implementer_name", a->implementer, sizeof(a->implementer));
	fpb_rd_str(rd, o, w, "part_name", a->part, sizeof(a->part));
	a->hwcap = fpb_rd_hex(rd, o, w, "hwcap");
	a->hwcap2 = fpb_rd_hex(rd, o, w, "hwcap2");
	a->nsve_vls = fpb_rd_vls(rd, o, "sve_vls", a->sve_vls);
	a->sve_vl = (unsigned)fpb_rd_uint(rd, o, w, "sve_vl");
	c->sve_max_vl = (unsigned)fpb_rd_uint(rd, o, w, "sve_max_vl");
	a->nsme_svls = fpb_rd_vls(rd, o, "sme_svls", a->sme_svls);
	a->sme_svl = (unsigned)fpb_rd_uint(rd, o, w, "sme_svl");
	c->sme_max_svl = (unsigned)fpb_rd_uint(rd, o, w, "sme_max_svl");
}

static void fpb_rd_machine(struct fpb_rd *rd, json_t *m, struct fpb_cpu *c)
{
	const char *w = "machine";
	char src[40] = "";
	json_t *a;

	fpb_rd_str(rd, m, w, "fingerprint", c->fingerprint, sizeof(c->fingerprint));
	fpb_rd_str(rd, m, w, "vendor", c->vendor, sizeof(c->vendor));
	fpb_rd_str(rd, m, w, "brand", c->brand, sizeof(c->brand));
	c->family = (unsigned)fpb_rd_uint(rd, m, w, "family");
	c->model = (unsigned)fpb_rd_uint(rd, m, w, "model");
	c->stepping = (unsigned)fpb_rd_uint(rd, m, w, "stepping");
	fpb_rd_str(rd, m, w, "microcode", c->microcode, sizeof(c->microcode));
	a = json_object_get(m, "features");
	if (a && !json_is_array(a))
		fpb_rd_fail(rd, "machine.features: expected an array");
	for (size_t i = 0; a && json_is_array(a) && i < json_array_size(a); i++) {
		const char *name = json_string_value(json_array_get(a, i));

		if (!name) {
			fpb_rd_fail(rd, "machine.features[%zu]: expected a string", i);
			break;
		}
		for (int k = 0; k < FPB_NR_CPU_FEATURES; k++)
			if (!strcmp(name, fpb_cpu_feature_names[k]))
				c->features |= FPB_BIT(k);
	}
	c->xcr0 = fpb_rd_hex(rd, m, w, "xcr0");
	c->xcr0_supported = fpb_rd_hex(rd, m, w, "xcr0_supported");
	c->xss_supported = fpb_rd_hex(rd, m, w, "xss_supported");
	c->xss = fpb_rd_hex(rd, m, w, "xss");
	c->xss_known = fpb_rd_bool(rd, m, w, "xss_known");
	c->xinuse_untracked = fpb_rd_hex(rd, m, w, "xinuse_untracked");	/* optional */
	c->xsave_size_xcr0 = (uint32_t)fpb_rd_uint(rd, m, w, "xsave_size_xcr0");
	c->xsave_size_max = (uint32_t)fpb_rd_uint(rd, m, w, "xsave_size_max");
	c->xsaves_size = (uint32_t)fpb_rd_uint(rd, m, w, "xsaves_size");
	a = json_object_get(m, "components");
	if (a && !json_is_array(a))
		fpb_rd_fail(rd, "machine.components: expected an array");
	for (size_t i = 0; a && json_is_array(a) && i < json_array_size(a); i++) {
		json_t *e = json_array_get(a, i);
		uint64_t bit;

		if (!json_is_object(e)) {
			fpb_rd_fail(rd, "machine.components[%zu]: expected an object", i);
			break;
		}
		bit = fpb_rd_uint(rd, e, "machine.components[]", "bit");
		if (bit >= FPB_XSTATE_MAX) {
			fpb_rd_fail(rd, "machine.components[%zu].bit: %" PRIu64 " is not 0..63", i,
				    bit);
			break;
		}
		c->comp[bit].present = true;
		c->comp[bit].size = (uint32_t)fpb_rd_uint(rd, e, "machine.components[]", "size");
		c->comp[bit].std_offset = (uint32_t)fpb_rd_uint(rd, e, "machine.components[]",
								"offset");
		c->comp[bit].supervisor = fpb_rd_bool(rd, e, "machine.components[]", "supervisor");
		c->comp[bit].align64 = fpb_rd_bool(rd, e, "machine.components[]", "align64");
		c->comp[bit].xfd_capable = fpb_rd_bool(rd, e, "machine.components[]", "xfd");
	}
	fpb_rd_str(rd, m, w, "hypervisor", c->hypervisor, sizeof(c->hypervisor));
	c->tsc_hz = fpb_rd_uint(rd, m, w, "tsc_hz");
	fpb_rd_str(rd, m, w, "tsc_hz_source", src, sizeof(src));
	c->tsc_hz_source = fpb_tsc_source_intern(src);
	fpb_rd_str(rd, m, w, "kernel", c->kernel, sizeof(c->kernel));
	a = fpb_rd_obj(rd, m, "arm64", false);
	if (a)
		fpb_rd_arm64(rd, a, c);
}

static void fpb_rd_run(struct fpb_rd *rd, json_t *o, struct fpb_runinfo *r)
{
	const char *w = "run";
	json_t *a;

	fpb_rd_str(rd, o, w, "timestamp", r->timestamp, sizeof(r->timestamp));
	fpb_rd_str(rd, o, w, "clocksource", r->clocksource, sizeof(r->clocksource));
	fpb_rd_str(rd, o, w, "governor", r->governor, sizeof(r->governor));
	fpb_rd_str(rd, o, w, "boost", r->boost, sizeof(r->boost));
	fpb_rd_str(rd, o, w, "timer", r->timer, sizeof(r->timer));
	fpb_rd_str(rd, o, w, "unit", r->unit, sizeof(r->unit));
	r->cpu = (int)fpb_rd_int(rd, o, w, "cpu", -1);
	r->numa_node = (int)fpb_rd_int(rd, o, w, "numa_node", -1);
	r->smt_sibling_busy = fpb_rd_bool(rd, o, w, "smt_sibling_busy");
	r->ctx_switches_voluntary = (long)fpb_rd_int(rd, o, w, "ctx_switches_voluntary", 0);
	r->ctx_switches_involuntary = (long)fpb_rd_int(rd, o, w, "ctx_switches_involuntary", 0);
	r->migrations = (long)fpb_rd_int(rd, o, w, "migrations", 0);
	r->duration_s = fpb_rd_num(rd, o, w, "duration_s");
	fpb_rd_str(rd, o, w, "emulation", r->emulation, sizeof(r->emulation));
	a = json_object_get(o, "xsave_sizes");
	for (size_t i = 0; a && json_is_array(a) && i < json_array_size(a) && i < 4; i++)
		r->xsave_sizes[i] = (uint64_t)json_integer_value(json_array_get(a, i));
	/* Schema 2; absent from version 1 files (then "" and 0: none, unknown). */
	fpb_rd_str(rd, o, w, "counters", r->counters, sizeof(r->counters));
	r->tsc_per_core_cycle = fpb_rd_num(rd, o, w, "tsc_per_core_cycle");
	r->trials_total = (unsigned)fpb_rd_uint(rd, o, w, "trials_total");
	r->trials_disturbed = (unsigned)fpb_rd_uint(rd, o, w, "trials_disturbed");
	r->wait_quiet_s = fpb_rd_num(rd, o, w, "wait_quiet_s");
	if (isnan(r->wait_quiet_s))
		r->wait_quiet_s = -1;
	r->quiet_at_start = json_is_true(json_object_get(o, "quiet_at_start"));
	if (!(r->tsc_per_core_cycle > 0))
		r->tsc_per_core_cycle = 0;
}

/*
 * No figure of a run comes near this (1e15 TSC ticks is days per operation): larger ones are a
 * damaged or forged file, and would print as hundreds of digits.
 */
#define FPB_RD_LIMIT	1e15

/* A finite figure beyond FPB_RD_LIMIT: the error names the field and the value briefly. */
static void fpb_rd_sane(struct fpb_rd *rd, const char *w, const char *key, double x)
{
	if (isfinite(x) && fabs(x) > FPB_RD_LIMIT)
		fpb_rd_fail(rd, "%s.%s: %.3g is implausibly large (beyond %g)", w, key, x,
			    FPB_RD_LIMIT);
	else if (isinf(x))
		fpb_rd_fail(rd, "%s.%s: not a finite number", w, key);
}

/* Whether a <= b, when both are known (NaN: not written), allowing for printing's rounding. */
static bool fpb_rd_le(double a, double b)
{
	return isnan(a) || isnan(b) || a <= b + 1e-9 * fmax(fabs(a), fabs(b));
}

/*
 * The trial floor (schema 3, optional: older files and rows with fewer than 3 trials have none):
 * floor_lo <= floor <= floor_hi, made by at least 2 trials.
 */
static void fpb_rd_floor(struct fpb_rd *rd, json_t *o, const char *w, struct fpb_stats *s)
{
	double v = fpb_rd_num(rd, o, w, "floor");

	if (isnan(v))
		return;
	fpb_rd_sane(rd, w, "floor", v);
	s->floor_lo = fpb_rd_num(rd, o, w, "floor_lo");
	s->floor_hi = fpb_rd_num(rd, o, w, "floor_hi");
	s->floor_trials = fpb_rd_uint(rd, o, w, "floor_trials");
	fpb_rd_sane(rd, w, "floor_lo", s->floor_lo);
	fpb_rd_sane(rd, w, "floor_hi", s->floor_hi);
	if (rd->err)
		return;
	if (s->floor_trials < 2)
		fpb_rd_fail(rd, "%s.floor_trials: a floor is made by at least 2 trials", w);
	else if (isnan(s->floor_lo) || isnan(s->floor_hi) || !fpb_rd_le(s->floor_lo, v) ||
		 !fpb_rd_le(v, s->floor_hi))
		fpb_rd_fail(rd, "%s.floor_lo, floor_hi: [%.6g, %.6g] does not hold the floor %.6g",
			    w, s->floor_lo, s->floor_hi, v);
	s->floor = v;
	if (rd->err)
		s->floor_trials = 0;
}

/*
 * The statistics of row idx, and whether they hang together: spreads are not negative, the
 * interval holds the median, so do min and max, the level is a probability (0: unknown).  Any figure
 * beyond FPB_RD_LIMIT is refused.  Errors name the row: "rows[12].stats.mad: ...".
 */
static void fpb_rd_stats(struct fpb_rd *rd, json_t *o, size_t idx, struct fpb_stats *s)
{
	static const char *const keys[] = { "min", "max", "median", "mean", "stddev", "mad", "p5",
					    "p95", "ci_lo", "ci_hi", "ci_rel", "drift" };
	char w[48];
	double *v[] = { &s->min, &s->max, &s->median, &s->mean, &s->stddev, &s->mad, &s->p5,
			&s->p95, &s->ci_lo, &s->ci_hi, &s->ci_rel, &s->drift };

	snprintf(w, sizeof(w), "rows[%zu].stats", idx);
	s->n = fpb_rd_uint(rd, o, w, "n");
	for (size_t i = 0; i < FPB_ARRAY_SIZE(keys); i++) {
		*v[i] = fpb_rd_num(rd, o, w, keys[i]);
		fpb_rd_sane(rd, w, keys[i], *v[i]);
	}
	s->ci_level = fpb_rd_num(rd, o, w, "ci_level");
	s->outliers = fpb_rd_uint(rd, o, w, "outliers");
	if (rd->err)
		return;
	if (s->mad < 0 || s->stddev < 0 || s->ci_rel < 0)
		fpb_rd_fail(rd, "%s.%s: %.3g is negative (a spread cannot be)", w,
			    s->mad < 0 ? "mad" : s->stddev < 0 ? "stddev" : "ci_rel",
			    s->mad < 0 ? s->mad : s->stddev < 0 ? s->stddev : s->ci_rel);
	else if (!isnan(s->ci_level) && !(s->ci_level >= 0 && s->ci_level < 1))
		fpb_rd_fail(rd, "%s.ci_level: %.3g is not a probability", w, s->ci_level);
	else if (!fpb_rd_le(s->ci_lo, s->median) || !fpb_rd_le(s->median, s->ci_hi))
		fpb_rd_fail(rd, "%s.ci_lo, ci_hi: [%.6g, %.6g] does not hold the median %.6g", w,
			    s->ci_lo, s->ci_hi, s->median);
	else if (!fpb_rd_le(s->min, s->median) || !fpb_rd_le(s->median, s->max))
		fpb_rd_fail(rd, "%s.min, max: [%.6g, %.6g] does not hold the median %.6g", w,
			    s->min, s->max, s->median);
	else
		fpb_rd_floor(rd, o, w, s);
}

/*
 * A reason as the program keeps it: plain text, the status in row->status.  Files of older
 * versions may start a reason with its row's status word ("skipped: ..."): taken off here.
 */
static void fpb_rd_reason_plain(struct fpb_row *row)
{
	const char *st = fpb_row_status_name(row->status);
	size_t n = strlen(st);

	if (strncmp(row->reason, st, n) || row->reason[n] != ':')
		return;
	n++;
	while (row->reason[n] == ' ')
		n++;
	memmove(row->reason, row->reason + n, strlen(row->reason + n) + 1);
}

static void fpb_rd_row(struct fpb_rd *rd, json_t *o, size_t idx, struct fpb_row *row)
{
	char w[32], status[16] = "";
	json_t *a, *st;

	snprintf(w, sizeof(w), "rows[%zu]", idx);
	fpb_rd_str(rd, o, w, "suite", row->suite, sizeof(row->suite));
	fpb_rd_str(rd, o, w, "name", row->name, sizeof(row->name));
	if (!rd->err && !row->name[0])
		fpb_rd_fail(rd, "%s.name: missing", w);
	fpb_rd_str(rd, o, w, "scenario", row->scenario, sizeof(row->scenario));
	fpb_rd_str(rd, o, w, "mask_name", row->mask_name, sizeof(row->mask_name));
	row->mask = fpb_rd_hex(rd, o, w, "mask");
	fpb_rd_str(rd, o, w, "state", row->state, sizeof(row->state));
	fpb_rd_str(rd, o, w, "buffer", row->buffer, sizeof(row->buffer));
	fpb_rd_str(rd, o, w, "backend", row->backend, sizeof(row->backend));
	fpb_rd_str(rd, o, w, "model_revision", row->model_rev, sizeof(row->model_rev));
	fpb_rd_str(rd, o, w, "status", status, sizeof(status));
	if (!rd->err && fpb_row_status_parse(status, &row->status))
		fpb_rd_fail(rd, "%s.status: '%s' is not measured, skipped, failed or n/a", w,
			    status);
	fpb_rd_str(rd, o, w, "reason", row->reason, sizeof(row->reason));
	fpb_rd_reason_plain(row);
	fpb_rd_str(rd, o, w, "note", row->note, sizeof(row->note));
	a = json_object_get(o, "flags");
	for (size_t i = 0; a && json_is_array(a) && i < json_array_size(a); i++) {
		const char *f = json_string_value(json_array_get(a, i));

		for (size_t k = 0; f && k < fpb_nr_row_flags; k++)
			if (!strcmp(f, fpb_row_flag_names[k]))
				row->flags |= 1u << k;
	}
	fpb_rd_str(rd, o, w, "unit", row->unit, sizeof(row->unit));
	row->ns_per_unit = fpb_rd_num(rd, o, w, "ns_per_unit");
	if (isnan(row->ns_per_unit))
		row->ns_per_unit = 0;
	row->batch = fpb_rd_uint(rd, o, w, "batch");
	row->batches = fpb_rd_uint(rd, o, w, "batches");
	row->dropped = fpb_rd_uint(rd, o, w, "dropped");
	st = json_object_get(o, "stats");
	if (st && json_is_object(st))
		fpb_rd_stats(rd, st, idx, &row->st);
	else if (st && !json_is_null(st))
		fpb_rd_fail(rd, "%s.stats: expected an object or null", w);
	else if (row->status == FPB_ROW_MEASURED)
		fpb_rd_fail(rd, "%s.stats: a measured row needs its statistics", w);
	if (!rd->err && row->status == FPB_ROW_MEASURED && !isfinite(row->st.median))
		fpb_rd_fail(rd, "%s.stats.median: a measured row needs a finite number", w);
	a = json_object_get(o, "metrics");
	for (size_t i = 0; a && json_is_array(a) && i < json_array_size(a); i++) {
		json_t *m = json_array_get(a, i);
		char name[40] = "", unit[24] = "";

		if (!json_is_object(m)) {
			fpb_rd_fail(rd, "%s.metrics[%zu]: expected an object", w, i);
			break;
		}
		fpb_rd_str(rd, m, w, "name", name, sizeof(name));
		fpb_rd_str(rd, m, w, "unit", unit, sizeof(unit));
		fpb_row_add_metric(row, name, unit, fpb_rd_num(rd, m, w, "value"));
		if (row->nmetrics) {
			char wm[64];

			snprintf(wm, sizeof(wm), "%s.metrics[%zu]", w, i);
			fpb_rd_sane(rd, wm, "value", row->metrics[row->nmetrics - 1].value);
		}
	}
	/* schema 3: the trials (absent before: the row then has none). */
	a = json_object_get(o, "trials");
	if (a && !json_is_null(a) && !json_is_array(a))
		fpb_rd_fail(rd, "%s.trials: expected an array", w);
	for (size_t i = 0; !rd->err && a && json_is_array(a) && i < json_array_size(a) &&
	     i < FPB_MAX_TRIALS; i++) {
		json_t *t = json_array_get(a, i);
		struct fpb_trial *tr = &row->trials[row->ntrials];
		json_t *nv;

		if (!json_is_object(t)) {
			fpb_rd_fail(rd, "%s.trials[%zu]: expected an object", w, i);
			break;
		}
		tr->first = fpb_rd_uint(rd, t, w, "first");
		tr->n = fpb_rd_uint(rd, t, w, "n");
		tr->start_s = fpb_rd_num(rd, t, w, "start_s");
		tr->end_s = fpb_rd_num(rd, t, w, "end_s");
		tr->median = fpb_rd_num(rd, t, w, "median");
		tr->busy_other = fpb_rd_num(rd, t, w, "busy_other");
		tr->steal = fpb_rd_num(rd, t, w, "steal");
		nv = json_object_get(t, "nivcsw");
		tr->nivcsw = json_is_integer(nv) ? (long)json_integer_value(nv) : -1;
		tr->disturbed = json_is_true(json_object_get(t, "disturbed"));
		tr->used = json_is_true(json_object_get(t, "used"));
		row->ntrials++;
	}
	a = json_object_get(o, "raw");
	if (a && !json_is_null(a) && !json_is_array(a))
		fpb_rd_fail(rd, "%s.raw: expected an array", w);
	if (a && json_is_array(a) && json_array_size(a)) {
		size_t n = json_array_size(a);
		double *x;

		if (n > FPB_MAX_RAW_SAMPLES)
			n = FPB_MAX_RAW_SAMPLES;
		x = malloc(n * sizeof(*x));
		if (!x) {
			fpb_rd_fail(rd, "out of memory");
			return;
		}
		for (size_t i = 0; i < n; i++) {
			json_t *v = json_array_get(a, i);

			if (!json_is_number(v)) {
				fpb_rd_fail(rd, "%s.raw[%zu]: expected a number", w, i);
				break;
			}
			x[i] = json_number_value(v);
			if (!isfinite(x[i]) || fabs(x[i]) > FPB_RD_LIMIT) {
				fpb_rd_fail(rd, "%s.raw[%zu]: %.3g is implausibly large", w, i,
					    x[i]);
				break;
			}
		}
		if (!rd->err && fpb_row_set_raw(row, x, n))
			fpb_rd_fail(rd, "out of memory");
		free(x);
	}
}

/* Read path into r (initialised here).  0, or -1 with a one-line reason; r is then empty. */
int fpb_result_read_json(const char *path, struct fpb_result *r, char *why, size_t len)
{
	struct fpb_rd rd = { .why = why, .len = len };
	json_error_t jerr;
	json_t *root, *v, *rows;
	long long ver;

	fpb_result_init(r);
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		if (jerr.line <= 0)
			snprintf(why, len, "%s", jerr.text);
		else
			snprintf(why, len, "not valid JSON (line %d, column %d: %s)", jerr.line,
				 jerr.column, jerr.text);
		return -1;
	}
	if (!json_is_object(root)) {
		fpb_rd_fail(&rd, "not an fpbench result: the top level is not an object");
		goto out;
	}
	v = json_object_get(root, "schema");
	if (!json_is_string(v) || strcmp(json_string_value(v), "fpbench-results")) {
		fpb_rd_fail(&rd, "not an fpbench result: \"schema\" is not \"fpbench-results\"");
		goto out;
	}
	v = json_object_get(root, "schema_version");
	if (!json_is_integer(v)) {
		fpb_rd_fail(&rd, "missing or non-integer schema_version");
		goto out;
	}
	ver = json_integer_value(v);
	if (ver < 1 || ver > FPB_SCHEMA_VERSION) {
		fpb_rd_fail(&rd, "schema_version %lld is not supported by this fpbench (1..%d)", ver,
			    FPB_SCHEMA_VERSION);
		goto out;
	}
	r->schema_version = (int)ver;
	fpb_rd_str(&rd, root, "top", "version", r->run.version, sizeof(r->run.version));
	fpb_rd_str(&rd, root, "top", "git_revision", r->run.git_revision,
		   sizeof(r->run.git_revision));
	fpb_rd_str(&rd, root, "top", "command_line", r->run.command_line,
		   sizeof(r->run.command_line));
	v = fpb_rd_obj(&rd, root, "machine", true);
	if (v)
		fpb_rd_machine(&rd, v, &r->cpu);
	v = fpb_rd_obj(&rd, root, "run", false);
	if (v)
		fpb_rd_run(&rd, v, &r->run);
	rows = json_object_get(root, "rows");
	if (!rd.err && !json_is_array(rows))
		fpb_rd_fail(&rd, "missing 'rows' array");
	for (size_t i = 0; !rd.err && i < json_array_size(rows); i++) {
		json_t *o = json_array_get(rows, i);
		struct fpb_row *row;

		if (!json_is_object(o)) {
			fpb_rd_fail(&rd, "rows[%zu]: expected an object", i);
			break;
		}
		row = fpb_result_add_row(r);
		if (!row) {
			fpb_rd_fail(&rd, "out of memory");
			break;
		}
		fpb_rd_row(&rd, o, i, row);
	}
out:
	json_decref(root);
	if (rd.err)
		fpb_result_free(r);
	return rd.err;
}

#else /* !HAVE_JANSSON */

/* Without jansson there is no reader: say so. */
int fpb_result_read_json(const char *path, struct fpb_result *r, char *why, size_t len)
{
	(void)path;
	fpb_result_init(r);
	snprintf(why, len, "fpbench was built without jansson: cannot read JSON results "
		 "(install libjansson-dev and re-run configure)");
	return -1;
}

#endif /* HAVE_JANSSON */
