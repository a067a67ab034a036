// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * counters-pfm.c - the "pfm" counter backend: libpfm4 turns event names (generic perf names such
 * as cycles or page-faults, PMU names such as amd64_fam19h_zen4::RETIRED_OPS) into perf_event
 * attributes; perf-group.c opens and reads them.  This is the only file that includes libpfm4's
 * headers: they define struct perf_event_attr themselves and clash with <linux/perf_event.h>.
 */
#include "config.h"

#include <perfmon/pfmlib_perf_event.h>
#include <strings.h>

#include "counters.h"
#include "perf-group.h"

struct fpb_pfm {
	struct fpb_perf_set set;
	struct fpb_perf_snap before;
	int slot_of[FPB_MAX_EVENTS];	/* ev[] index -> set index, -1 not opened */
};

static int fpb_pfm_init(char *why, size_t len)
{
	static int done, rc;

	if (!done) {
		rc = pfm_initialize();
		done = 1;
	}
	if (rc != PFM_SUCCESS) {
		fpb_snprintf(why, len, "libpfm4: pfm_initialize: %s", pfm_strerror(rc));
		return -1;
	}
	return 0;
}

/*
 * Is name an event of a PMU libpfm4 has tables for but that is not present on this CPU?
 * Fills pmu with that PMU's name.  Only the event's base name is compared (not its modifiers).
 */
static bool fpb_pfm_known_elsewhere(const char *name, char *pmu, size_t len)
{
	char want_pmu[64] = "", base[FPB_EVENT_NAME_LEN];
	const char *ev = strstr(name, "::");
	size_t k;
	int p;

	if (ev) {
		k = (size_t)(ev - name);
		if (k >= sizeof(want_pmu))
			return false;
		memcpy(want_pmu, name, k);
		want_pmu[k] = '\0';
		ev += 2;
	} else {
		ev = name;
	}
	fpb_snprintf(base, sizeof(base), "%s", ev);
	base[strcspn(base, ":.")] = '\0';

	pfm_for_all_pmus(p) {
		pfm_pmu_info_t pi;

		memset(&pi, 0, sizeof(pi));
		pi.size = sizeof(pi);
		if (pfm_get_pmu_info(p, &pi) != PFM_SUCCESS || pi.is_present)
			continue;
		if (*want_pmu && strcasecmp(pi.name, want_pmu))
			continue;
		for (int e = pi.first_event; e != -1; e = pfm_get_event_next(e)) {
			pfm_event_info_t ei;

			memset(&ei, 0, sizeof(ei));
			ei.size = sizeof(ei);
			if (pfm_get_event_info(e, PFM_OS_NONE, &ei) != PFM_SUCCESS)
				break;
			if (!strcasecmp(ei.name, base)) {
				fpb_snprintf(pmu, len, "%s", pi.name);
				return true;
			}
		}
	}
	return false;
}

/* Encode name; 0 with d and canon filled, 1 known but not on this CPU (pmu), -1 bad (why). */
static int fpb_pfm_encode(const char *name, struct fpb_perf_desc *d, char *canon, size_t clen,
			  char *why, size_t len)
{
	struct perf_event_attr attr;
	pfm_perf_encode_arg_t arg;
	pfm_event_info_t ei;
	pfm_pmu_info_t pi;
	int rc;

	memset(&attr, 0, sizeof(attr));
	memset(&arg, 0, sizeof(arg));
	arg.attr = &attr;
	arg.size = sizeof(arg);
	/* user and kernel mode; perf-group.c falls back to user mode when that is refused */
	rc = pfm_get_os_event_encoding(name, PFM_PLM0 | PFM_PLM3, PFM_OS_PERF_EVENT_EXT, &arg);
	if (rc == PFM_ERR_NOTFOUND) {
		if (fpb_pfm_known_elsewhere(name, canon, clen))
			return 1;
		fpb_snprintf(why, len, "--events: unknown event '%s' (see --list-events)", name);
		return -1;
	}
	if (rc != PFM_SUCCESS) {
		fpb_snprintf(why, len, "--events: '%s': %s (libpfm4)", name, pfm_strerror(rc));
		return -1;
	}
	memset(d, 0, sizeof(*d));
	fpb_snprintf(d->name, sizeof(d->name), "%s", name);
	d->type = attr.type;
	d->config = attr.config;
	d->config1 = attr.config1;
	d->config2 = attr.config2;
	d->exclude_user = attr.exclude_user;
	d->exclude_kernel = attr.exclude_kernel;
	d->exclude_hv = attr.exclude_hv;

	memset(&ei, 0, sizeof(ei));
	ei.size = sizeof(ei);
	memset(&pi, 0, sizeof(pi));
	pi.size = sizeof(pi);
	if (pfm_get_event_info(arg.idx, PFM_OS_NONE, &ei) == PFM_SUCCESS &&
	    pfm_get_pmu_info(ei.pmu, &pi) == PFM_SUCCESS)
		fpb_snprintf(canon, clen, "%s::%s", pi.name, ei.name);
	else
		fpb_snprintf(canon, clen, "%s", name);
	return 0;
}

static int fpb_pfm_validate(const char *const *events, size_t n, char *why, size_t len)
{
	struct fpb_perf_desc d;
	char canon[96];

	if (fpb_pfm_init(why, len))
		return 0;	/* cannot check here; open() will say so */
	for (size_t i = 0; i < n; i++)
		if (fpb_pfm_encode(events[i], &d, canon, sizeof(canon), why, len) < 0)
			return -1;
	return 0;
}

/* Does libpfm4 know name, here or on another CPU's PMU (counters.h)? */
bool fpb_counters_pfm_known(const char *name)
{
	struct fpb_perf_desc d;
	char canon[96], why[FPB_REASON_LEN];

	if (fpb_pfm_init(why, sizeof(why)))
		return false;
	return fpb_pfm_encode(name, &d, canon, sizeof(canon), why, sizeof(why)) >= 0;
}

static bool fpb_pfm_is_hw(uint32_t type)
{
	return type != PERF_TYPE_SOFTWARE && type != PERF_TYPE_TRACEPOINT;
}

static int fpb_pfm_open(struct fpb_counters *c, char *why, size_t len)
{
	struct fpb_perf_desc d[FPB_MAX_EVENTS];
	struct fpb_pfm *p;
	size_t nd = 0;
	int rc;

	if (fpb_pfm_init(why, len))
		return -1;
	p = fpb_alloc(sizeof(*p));
	if (!p)
		return -1;
	for (size_t i = 0; i < c->nev; i++) {
		struct fpb_counter_event *e = &c->ev[i];

		p->slot_of[i] = -1;
		rc = fpb_pfm_encode(e->name, &d[nd], e->canon, sizeof(e->canon), why, len);
		if (rc < 0) {
			fpb_free(p);
			return -1;
		}
		if (rc > 0) {
			e->hardware = true;
			c->nhardware_unavailable++;
			fpb_snprintf(e->reason, sizeof(e->reason),
				     "not available (PMU %s is not this CPU's)", e->canon);
			continue;
		}
		e->hardware = fpb_pfm_is_hw(d[nd].type);
		p->slot_of[i] = (int)nd++;
	}
	if (nd)
		fpb_perf_set_open(&p->set, d, nd, NULL, 0);
	for (size_t i = 0; i < c->nev; i++) {
		struct fpb_counter_event *e = &c->ev[i];
		const struct fpb_perf_event *pe;

		if (p->slot_of[i] < 0)
			continue;
		pe = &p->set.ev[p->slot_of[i]];
		if (pe->state == FPB_PERF_EV_OK) {
			e->available = true;
			e->user_only = pe->user_only;
			continue;
		}
		if (e->hardware && pe->state == FPB_PERF_EV_UNAVAILABLE)
			c->nhardware_unavailable++;
		fpb_snprintf(e->reason, sizeof(e->reason), "not available (%s)",
			     fpb_perf_state_name(pe));
	}
	c->priv = p;
	return 0;
}

static int fpb_pfm_start(struct fpb_counters *c)
{
	struct fpb_pfm *p = c->priv;

	return fpb_perf_set_read(&p->set, &p->before);
}

static int fpb_pfm_stop(struct fpb_counters *c, uint64_t *out)
{
	struct fpb_pfm *p = c->priv;
	struct fpb_perf_snap after;
	unsigned f, flags = 0;
	double scale;
	int rc = fpb_perf_set_read(&p->set, &after);

	if (rc)
		return rc;
	f = fpb_perf_delta(&p->set, &p->before, &after, out, &scale);
	if (f & FPB_PERF_SCALED)
		flags |= FPB_COUNTERS_SCALED;
	if (f & FPB_PERF_NOT_RUN)
		flags |= FPB_COUNTERS_NOT_RUN;
	if (scale > c->max_scale)
		c->max_scale = scale;
	c->reads_rdpmc = p->set.reads_rdpmc;
	c->reads_syscall = p->set.reads_syscall;
	return (int)flags;
}

static void fpb_pfm_close(struct fpb_counters *c)
{
	struct fpb_pfm *p = c->priv;

	if (!p)
		return;
	fpb_perf_set_close(&p->set);
	fpb_free(p);
	c->priv = NULL;
}

/* The usual events first: generic perf names that mean the same on every CPU. */
static const char *const fpb_pfm_usual[] = {
	"cycles", "instructions", "branches", "branch-misses", "cache-references",
	"cache-misses", "task-clock", "page-faults", "minor-faults", "major-faults",
	"context-switches", "cpu-migrations",
};

static void fpb_pfm_first_line(char *dst, size_t len, const char *desc)
{
	fpb_snprintf(dst, len, "%s", desc ? desc : "");
	dst[strcspn(dst, "\n")] = '\0';
}

static int fpb_pfm_list_events(FILE *f, char *why, size_t len)
{
	struct fpb_perf_desc d;
	char canon[96], err[FPB_REASON_LEN], desc[72];
	bool core = false;
	int p;

	if (fpb_pfm_init(why, len))
		return -1;
	fputs("libpfm4: usual events (use these names with --events=), and whether they count "
	      "here:\n", f);
	for (size_t i = 0; i < FPB_ARRAY_SIZE(fpb_pfm_usual); i++) {
		struct fpb_perf_set s;
		const char *st = "not encodable";

		canon[0] = '\0';
		if (!fpb_pfm_encode(fpb_pfm_usual[i], &d, canon, sizeof(canon), err, sizeof(err))) {
			fpb_perf_set_open(&s, &d, 1, NULL, 0);
			st = fpb_perf_state_name(&s.ev[0]);
			fpb_perf_set_close(&s);
		}
		fprintf(f, "  %-18s %-40s %s\n", fpb_pfm_usual[i], canon, st);
	}
	fputs("PMUs present:\n", f);
	pfm_for_all_pmus(p) {
		pfm_pmu_info_t pi;

		memset(&pi, 0, sizeof(pi));
		pi.size = sizeof(pi);
		if (pfm_get_pmu_info(p, &pi) != PFM_SUCCESS || !pi.is_present)
			continue;
		if (pi.type == PFM_PMU_TYPE_CORE)
			core = true;
		fprintf(f, "  %s: %s (%d events)\n", pi.name, pi.desc, pi.nevents);
	}
	if (!core)
		fputs("  (libpfm4 has no core PMU table for this CPU: only perf:: events are "
		      "named here)\n", f);
	pfm_for_all_pmus(p) {
		pfm_pmu_info_t pi;

		memset(&pi, 0, sizeof(pi));
		pi.size = sizeof(pi);
		if (pfm_get_pmu_info(p, &pi) != PFM_SUCCESS || !pi.is_present)
			continue;
		fprintf(f, "Events of %s:\n", pi.name);
		for (int e = pi.first_event; e != -1; e = pfm_get_event_next(e)) {
			pfm_event_info_t ei;

			memset(&ei, 0, sizeof(ei));
			ei.size = sizeof(ei);
			if (pfm_get_event_info(e, PFM_OS_PERF_EVENT_EXT, &ei) != PFM_SUCCESS)
				continue;
			fpb_pfm_first_line(desc, sizeof(desc), ei.desc);
			fprintf(f, "  %s::%-32s %s\n", pi.name, ei.name, desc);
		}
	}
	return 0;
}

const struct fpb_counters_ops fpb_counters_pfm = {
	.name		= "pfm",
	.summary	= "libpfm4 names encoded into perf_event groups",
	.validate	= fpb_pfm_validate,
	.open		= fpb_pfm_open,
	.start		= fpb_pfm_start,
	.stop		= fpb_pfm_stop,
	.close		= fpb_pfm_close,
	.list_events	= fpb_pfm_list_events,
};
