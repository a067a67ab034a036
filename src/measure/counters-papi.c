// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * counters-papi.c - the "papi" counter backend: PAPI presets (PAPI_TOT_CYC, PAPI_TOT_INS) and
 * native names (perf::TASK-CLOCK, perf::PAGE-FAULTS) in one event set of the measuring thread.
 * An unknown name is bad input; a known event PAPI cannot add here is skipped, with PAPI's reason.
 */
#include "config.h"

#include <papi.h>

#include "counters.h"

struct fpb_papi {
	int es;				/* the event set */
	size_t n;			/* events added */
	long long before[FPB_MAX_EVENTS];
};

static int fpb_papi_init(char *why, size_t len)
{
	static int done, rc;

	if (!done) {
		rc = PAPI_library_init(PAPI_VER_CURRENT);
		done = 1;
	}
	if (rc != PAPI_VER_CURRENT) {
		fpb_snprintf(why, len, "PAPI: PAPI_library_init: %s",
			     rc < 0 ? PAPI_strerror(rc) : "version mismatch");
		return -1;
	}
	return 0;
}

/* The perf_event component, or NULL; *disabled gets its reason when it is disabled. */
static const PAPI_component_info_t *fpb_papi_perf_cmp(const char **disabled)
{
	int n = PAPI_num_components();

	*disabled = NULL;
	for (int i = 0; i < n; i++) {
		const PAPI_component_info_t *ci = PAPI_get_component_info(i);

		if (!ci || strcmp(ci->name, "perf_event"))
			continue;
		if (ci->disabled)
			*disabled = ci->disabled_reason;
		return ci;
	}
	return NULL;
}

/*
 * Classify name: 0 PAPI knows it (code set), 1 known but PAPI cannot count it here (why: reason),
 * -1 unknown (why).  With the perf_event component disabled PAPI knows no native name; libpfm4
 * (whose names those are) then tells known from unknown.
 */
static int fpb_papi_lookup(const char *name, int *code, char *why, size_t len)
{
	const char *disabled;
	char tmp[FPB_EVENT_NAME_LEN];
	int rc;

	fpb_snprintf(tmp, sizeof(tmp), "%s", name);
	rc = PAPI_event_name_to_code(tmp, code);
	if (rc == PAPI_OK)
		return 0;
	fpb_papi_perf_cmp(&disabled);
	if (disabled) {
#ifdef HAVE_LIBPFM4
		if (!fpb_counters_pfm_known(name)) {
			fpb_snprintf(why, len, "--events: unknown event '%s' (see --list-events)",
				     name);
			return -1;
		}
#endif
		fpb_snprintf(why, len, "not available (PAPI perf_event component "
			     "disabled: %s)", disabled);
		return 1;
	}
	fpb_snprintf(why, len, "--events: unknown event '%s' for PAPI (%s; see --list-events)",
		     name, PAPI_strerror(rc));
	return -1;
}

static int fpb_papi_validate(const char *const *events, size_t n, char *why, size_t len)
{
	char tmp[FPB_REASON_LEN];
	int code;

	if (fpb_papi_init(why, len))
		return 0;	/* cannot check; open() says why */
	for (size_t i = 0; i < n; i++)
		if (fpb_papi_lookup(events[i], &code, tmp, sizeof(tmp)) < 0) {
			fpb_snprintf(why, len, "%s", tmp);
			return -1;
		}
	return 0;
}

static int fpb_papi_open(struct fpb_counters *c, char *why, size_t len)
{
	struct fpb_papi *p;
	int rc;

	if (fpb_papi_init(why, len))
		return -1;
	p = fpb_alloc(sizeof(*p));
	if (!p)
		return -1;
	p->es = PAPI_NULL;
	rc = PAPI_create_eventset(&p->es);
	if (rc != PAPI_OK) {
		fpb_snprintf(why, len, "PAPI: PAPI_create_eventset: %s", PAPI_strerror(rc));
		fpb_free(p);
		return -1;
	}
	for (size_t i = 0; i < c->nev; i++) {
		struct fpb_counter_event *e = &c->ev[i];
		int code;

		rc = fpb_papi_lookup(e->name, &code, e->reason, sizeof(e->reason));
		if (rc < 0) {
			fpb_snprintf(why, len, "%s", e->reason);
			PAPI_destroy_eventset(&p->es);
			fpb_free(p);
			return -1;
		}
		if (rc > 0)
			continue;
		fpb_snprintf(e->canon, sizeof(e->canon), "%s", e->name);
		e->hardware = strncmp(e->name, "perf::", 6) != 0;
		rc = PAPI_add_event(p->es, code);
		if (rc != PAPI_OK) {
			fpb_snprintf(e->reason, sizeof(e->reason), "not available (%s)",
				     PAPI_strerror(rc));
			if (e->hardware)
				c->nhardware_unavailable++;
			continue;
		}
		e->available = true;
		p->n++;
	}
	if (p->n) {
		rc = PAPI_start(p->es);
		if (rc != PAPI_OK) {
			fpb_snprintf(why, len, "PAPI: PAPI_start: %s", PAPI_strerror(rc));
			PAPI_cleanup_eventset(p->es);
			PAPI_destroy_eventset(&p->es);
			fpb_free(p);
			return -1;
		}
	}
	c->priv = p;
	return 0;
}

static int fpb_papi_start(struct fpb_counters *c)
{
	struct fpb_papi *p = c->priv;

	return PAPI_read(p->es, p->before) == PAPI_OK ? 0 : -EIO;
}

static int fpb_papi_stop(struct fpb_counters *c, uint64_t *out)
{
	struct fpb_papi *p = c->priv;
	long long after[FPB_MAX_EVENTS];

	if (PAPI_read(p->es, after) != PAPI_OK)
		return -EIO;
	for (size_t i = 0; i < p->n; i++)
		out[i] = (uint64_t)(after[i] - p->before[i]);
	c->reads_syscall++;
	return 0;
}

static void fpb_papi_close(struct fpb_counters *c)
{
	struct fpb_papi *p = c->priv;
	long long v[FPB_MAX_EVENTS];

	if (!p)
		return;
	if (p->n)
		PAPI_stop(p->es, v);
	PAPI_cleanup_eventset(p->es);
	PAPI_destroy_eventset(&p->es);
	fpb_free(p);
	c->priv = NULL;
}

static int fpb_papi_list_events(FILE *f, char *why, size_t len)
{
	const char *disabled;
	int code = PAPI_PRESET_MASK, n = 0;

	if (fpb_papi_init(why, len))
		return -1;
	fprintf(f, "PAPI %d.%d: presets available here:\n", PAPI_VERSION_MAJOR(PAPI_VERSION),
		PAPI_VERSION_MINOR(PAPI_VERSION));
	if (PAPI_enum_event(&code, PAPI_ENUM_FIRST) == PAPI_OK) {
		do {
			PAPI_event_info_t ei;

			if (PAPI_get_event_info(code, &ei) == PAPI_OK && ei.count) {
				fprintf(f, "  %-16s %s\n", ei.symbol, ei.long_descr);
				n++;
			}
		} while (PAPI_enum_event(&code, PAPI_PRESET_ENUM_AVAIL) == PAPI_OK);
	}
	if (!n)
		fputs("  (none)\n", f);
	fpb_papi_perf_cmp(&disabled);
	if (disabled) {
		fprintf(f, "native events: none (perf_event component disabled: %s)\n", disabled);
		return 0;
	}
	for (int cidx = 0; cidx < PAPI_num_components(); cidx++) {
		const PAPI_component_info_t *ci = PAPI_get_component_info(cidx);

		if (!ci || ci->disabled)
			continue;
		code = PAPI_NATIVE_MASK;
		if (PAPI_enum_cmp_event(&code, PAPI_ENUM_FIRST, cidx) != PAPI_OK)
			continue;
		fprintf(f, "native events of %s:\n", ci->name);
		do {
			PAPI_event_info_t ei;

			if (PAPI_get_event_info(code, &ei) == PAPI_OK)
				fprintf(f, "  %s\n", ei.symbol);
		} while (PAPI_enum_cmp_event(&code, PAPI_ENUM_EVENTS, cidx) == PAPI_OK);
	}
	return 0;
}

const struct fpb_counters_ops fpb_counters_papi = {
	.name		= "papi",
	.summary	= "PAPI presets and native events",
	.validate	= fpb_papi_validate,
	.open		= fpb_papi_open,
	.start		= fpb_papi_start,
	.stop		= fpb_papi_stop,
	.close		= fpb_papi_close,
	.list_events	= fpb_papi_list_events,
};
