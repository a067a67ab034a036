// SPDX-License-Identifier: GPL-2.0-or-later
/* counters.c - the counter-backend registry, event lists and the per-batch reads (counters.h). */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>

#include "counters.h"

const struct fpb_counters_ops *const fpb_counters_backends[] = {
#ifdef HAVE_LIBPFM4
	&fpb_counters_pfm,
#endif
#ifdef HAVE_PAPI
	&fpb_counters_papi,
#endif
	NULL
};

/* Backends fpbench knows of, with what to do when one is not built. */
static const struct {
	const char *name, *missing;
} fpb_counters_all[] = {
	{ "pfm",  "libpfm4 not built in: install libpfm4-dev and re-run configure" },
	{ "papi", "PAPI not built in: install libpapi-dev and re-run configure" },
};

/* Backend by name (counters.h). */
const struct fpb_counters_ops *fpb_counters_find(const char *name)
{
	for (size_t i = 0; name && fpb_counters_backends[i]; i++)
		if (!strcmp(fpb_counters_backends[i]->name, name))
			return fpb_counters_backends[i];
	return NULL;
}

/* Known backend name, built or not (counters.h). */
bool fpb_counters_known(const char *name)
{
	for (size_t i = 0; name && i < FPB_ARRAY_SIZE(fpb_counters_all); i++)
		if (!strcmp(fpb_counters_all[i].name, name))
			return true;
	return false;
}

const char *fpb_counters_known_name(size_t i)
{
	return i < FPB_ARRAY_SIZE(fpb_counters_all) ? fpb_counters_all[i].name : NULL;
}

static const char *fpb_counters_missing(const char *name)
{
	for (size_t i = 0; i < FPB_ARRAY_SIZE(fpb_counters_all); i++)
		if (!strcmp(fpb_counters_all[i].name, name))
			return fpb_counters_all[i].missing;
	return "unknown counter backend";
}

/* Split a comma-separated event list (counters.h). */
int fpb_counters_parse_list(const char *list, char (*out)[FPB_EVENT_NAME_LEN], size_t max,
			    char *why, size_t len)
{
	size_t n = 0;
	const char *p = list;

	if (!list || !*list) {
		fpb_snprintf(why, len, "empty event list");
		return -1;
	}
	for (;;) {
		const char *e = strchr(p, ',');
		const char *end = e ? e : p + strlen(p);
		size_t k;

		while (p < end && isspace((unsigned char)*p))
			p++;
		while (end > p && isspace((unsigned char)end[-1]))
			end--;
		k = (size_t)(end - p);
		if (!k) {
			fpb_snprintf(why, len, "empty event name in '%s'", list);
			return -1;
		}
		if (k >= FPB_EVENT_NAME_LEN) {
			fpb_snprintf(why, len, "event name '%.*s' longer than %d characters", (int)k,
				     p, FPB_EVENT_NAME_LEN - 1);
			return -1;
		}
		if (n == max) {
			fpb_snprintf(why, len, "more than %zu events in '%s'", max, list);
			return -1;
		}
		memcpy(out[n], p, k);
		out[n][k] = '\0';
		for (size_t i = 0; i < n; i++)
			if (!strcmp(out[i], out[n])) {
				fpb_snprintf(why, len, "event '%s' given twice", out[n]);
				return -1;
			}
		n++;
		if (!e)
			break;
		p = e + 1;
	}
	return (int)n;
}

static int fpb_counters_check_names(const char *const *events, size_t n, char *why, size_t len)
{
	if (n == 0) {
		fpb_snprintf(why, len, "--events: no event given");
		return -1;
	}
	if (n > FPB_MAX_EVENTS) {
		fpb_snprintf(why, len, "--events: %zu events given, at most %d", n, FPB_MAX_EVENTS);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!events[i] || !*events[i] || strlen(events[i]) >= FPB_EVENT_NAME_LEN) {
			fpb_snprintf(why, len, "--events: bad event name '%s'",
				     events[i] ? events[i] : "");
			return -1;
		}
		for (size_t j = 0; j < i; j++)
			if (!strcmp(events[i], events[j])) {
				fpb_snprintf(why, len, "--events: event '%s' given twice", events[i]);
				return -1;
			}
	}
	return 0;
}

/* Check backend and event names (counters.h). */
int fpb_counters_validate(const char *backend, const char *const *events, size_t n,
			  char *why, size_t len)
{
	const struct fpb_counters_ops *ops;

	if (!backend || !fpb_counters_known(backend)) {
		fpb_snprintf(why, len, "--counters: unknown counter backend '%s' (none, pfm, papi)",
			     backend ? backend : "");
		return -1;
	}
	if (fpb_counters_check_names(events, n, why, len))
		return -1;
	ops = fpb_counters_find(backend);
	if (!ops) {
		fpb_snprintf(why, len, "counters: %s; running without counters",
			     fpb_counters_missing(backend));
		return 1;
	}
	if (ops->validate && ops->validate(events, n, why, len))
		return -1;
	return 0;
}

/* Open the events (counters.h). */
struct fpb_counters *fpb_counters_open(const char *backend, const char *const *events, size_t n,
				       char *why, size_t len)
{
	const struct fpb_counters_ops *ops = fpb_counters_find(backend);
	struct fpb_counters *c;

	if (!ops) {
		fpb_snprintf(why, len, "counters: %s", fpb_counters_missing(backend ? backend : ""));
		return NULL;
	}
	if (fpb_counters_check_names(events, n, why, len))
		return NULL;
	c = fpb_alloc(sizeof(*c));
	if (!c) {
		fpb_snprintf(why, len, "counters: out of memory");
		return NULL;
	}
	c->ops = ops;
	c->nev = n;
	c->max_scale = 1.0;
	for (size_t i = 0; i < n; i++)
		fpb_snprintf(c->ev[i].name, sizeof(c->ev[i].name), "%s", events[i]);
	if (ops->open(c, why, len)) {
		fpb_free(c);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if (c->ev[i].available)
			c->names[c->nnames++] = c->ev[i].name;
	if (!c->nnames) {
		fpb_counters_describe(c, why, len);
		ops->close(c);
		fpb_free(c);
		return NULL;
	}
	return c;
}

/* Before a batch (counters.h). */
int fpb_counters_start(struct fpb_counters *c)
{
	return c->ops->start(c);
}

/* After a batch (counters.h). */
int fpb_counters_read(struct fpb_counters *c, struct fpb_sample *s)
{
	uint64_t v[FPB_MAX_EVENTS] = { 0 };
	int rc = c->ops->stop(c, v);

	if (rc < 0)
		return rc;
	c->batches++;
	if (rc & FPB_COUNTERS_SCALED)
		c->scaled_batches++;
	if (rc & FPB_COUNTERS_NOT_RUN) {
		c->lost_batches++;
		s->flags |= FPB_SAMPLE_NO_COUNTS;
	}
	memcpy(s->ev, v, sizeof(v));
	return 0;
}

void fpb_counters_close(struct fpb_counters *c)
{
	if (!c)
		return;
	c->ops->close(c);
	fpb_free(c);
}

static void fpb_cat(char *buf, size_t len, size_t *at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Append to buf, keeping it terminated when it fills up. */
static void fpb_cat(char *buf, size_t len, size_t *at, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (*at >= len)
		return;
	va_start(ap, fmt);
	k = vsnprintf(buf + *at, len - *at, fmt, ap);
	va_end(ap);
	if (k > 0)
		*at += (size_t)k;
	if (*at >= len)
		*at = len;
}

/* One line describing the counters (counters.h). */
void fpb_counters_describe(const struct fpb_counters *c, char *buf, size_t len)
{
	size_t at = 0;
	bool first = true;

	if (!len)
		return;
	buf[0] = '\0';
	fpb_cat(buf, len, &at, "counters (%s):", c->ops->name);
	for (size_t i = 0; i < c->nev; i++)
		if (c->ev[i].available) {
			fpb_cat(buf, len, &at, "%s %s", first ? "" : ",", c->ev[i].name);
			if (c->ev[i].user_only)
				fpb_cat(buf, len, &at, " (user mode only)");
			first = false;
		}
	if (first)
		fpb_cat(buf, len, &at, " nothing counted");
	if (c->nhardware_unavailable)
		fpb_cat(buf, len, &at, "; %s", FPB_COUNTERS_NO_PMU);
	for (size_t i = 0; i < c->nev; i++)
		if (!c->ev[i].available)
			fpb_cat(buf, len, &at, "; %s skipped: %s", c->ev[i].name, c->ev[i].reason);
	if (c->scaled_batches) {
		fpb_cat(buf, len, &at, "; multiplexed: counts scaled by enabled/running "
			"(%llu of %llu batches, up to x%.2f)", (unsigned long long)c->scaled_batches,
			(unsigned long long)c->batches, c->max_scale);
	}
	if (c->lost_batches) {
		fpb_cat(buf, len, &at, "; %llu batches dropped (group never scheduled)",
			(unsigned long long)c->lost_batches);
	}
	if (c->reads_rdpmc)
		fpb_cat(buf, len, &at, "; read with rdpmc");
}

/* --list-events (counters.h). */
int fpb_counters_list_events(const char *backend, FILE *f, char *why, size_t len)
{
	const struct fpb_counters_ops *ops = fpb_counters_find(backend);

	if (!ops) {
		fpb_snprintf(why, len, "%s", fpb_counters_known(backend) ?
			     fpb_counters_missing(backend) : "unknown counter backend");
		return -1;
	}
	return ops->list_events(f, why, len);
}
