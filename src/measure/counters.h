/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * counters.h - per-batch event counts (cycles, instructions, vendor events, software events)
 * read around the same timed batches as the timer, so the harness turns them into per-operation
 * metrics with the N/2N differencing (struct fpb_sample.ev[], fpb_measurable.nevents).
 *
 * A counter backend is an ops table: "pfm" (libpfm4 encodes names into perf_event attributes,
 * src/measure/counters-pfm.c) and "papi" (src/measure/counters-papi.c); each is compiled only when configure
 * found its library, and a missing one is a one-line message, never an error of the run.
 *
 * Use:
 *	rc = fpb_counters_validate("pfm", names, n, why, len);	-1: bad name, exit 2
 *	c = fpb_counters_open("pfm", names, n, why, len);		NULL: why says; go on
 *	be->counters = c;   measurable.nevents = c->nnames; measurable.event_names = c->names;
 *	... run_batch: fpb_counters_start(c); <timer begin, body, timer end>; fpb_counters_read(c, s);
 *	fpb_counters_describe(c, buf, len);				run-level note
 *	fpb_counters_close(c);
 */
#ifndef FPB_COUNTERS_H
#define FPB_COUNTERS_H

#include "fpb_env.h"
#include "backend.h"

#define FPB_EVENT_NAME_LEN	64

struct fpb_counters;

/* Per-event result of opening. */
struct fpb_counter_event {
	char name[FPB_EVENT_NAME_LEN];		/* as the user wrote it */
	char canon[96];				/* the backend's full name ("perf::PAGE-FAULTS") */
	bool available;				/* counted; false: skipped */
	bool user_only;				/* counts user mode only (paranoid) */
	bool hardware;				/* needs a PMU counter */
	char reason[FPB_REASON_LEN];		/* not available: "not available (no PMU in this VM)" */
};

struct fpb_counters_ops {
	const char *name;	/* "pfm", "papi" */
	const char *summary;
	/*
	 * Check names without counting: 0 all known; -1 a name is unknown (why names it: the
	 * caller exits 2).  May be NULL (no check possible).
	 */
	int (*validate)(const char *const *events, size_t n, char *why, size_t len);
	/* Open c->ev[0..nev): fill available/reason per event.  0, or -1 with why. */
	int (*open)(struct fpb_counters *c, char *why, size_t len);
	/* Snapshot before a batch.  0 or -errno. */
	int (*start)(struct fpb_counters *c);
	/* Snapshot after a batch; out[0..nnames) gets the deltas.  FPB_COUNTERS_* flags or -errno. */
	int (*stop)(struct fpb_counters *c, uint64_t *out);
	void (*close)(struct fpb_counters *c);
	/* Print the events this backend sees here, usual ones first.  0, or -1 with why. */
	int (*list_events)(FILE *f, char *why, size_t len);
};

/* Flags returned by ops->stop. */
enum {
	FPB_COUNTERS_SCALED	= 1u << 0,	/* multiplexed: scaled by enabled/running */
	FPB_COUNTERS_NOT_RUN	= 1u << 1,	/* a group never ran in the batch: no figure */
};

struct fpb_counters {
	const struct fpb_counters_ops *ops;
	struct fpb_counter_event ev[FPB_MAX_EVENTS];
	size_t nev;				/* events asked for */
	const char *names[FPB_MAX_EVENTS];	/* names of the counted events, in ev[] slot order */
	size_t nnames;				/* = fpb_measurable.nevents */
	size_t nhardware_unavailable;		/* hardware events refused (no PMU) */
	/* run-level figures */
	uint64_t batches, scaled_batches, lost_batches;
	double max_scale;
	uint64_t reads_rdpmc, reads_syscall;
	void *priv;
};

/* The registry: NULL-terminated list of the backends built in (may be empty). */
extern const struct fpb_counters_ops *const fpb_counters_backends[];

/* Backend by name; NULL when unknown or not built ("none" is not a backend). */
const struct fpb_counters_ops *fpb_counters_find(const char *name);

/* Is name one of the backends fpbench knows of, built or not ("pfm", "papi")? */
bool fpb_counters_known(const char *name);
/* The i-th backend name fpbench knows of, built or not ("pfm", "papi"); NULL past the last. */
const char *fpb_counters_known_name(size_t i);

/*
 * Split a comma-separated event list into out[0..max) (spaces around names dropped).  Returns
 * the number of names, or -1 with why: empty list or item, a name too long, a duplicate, more
 * than max names.
 */
int fpb_counters_parse_list(const char *list, char (*out)[FPB_EVENT_NAME_LEN], size_t max,
			    char *why, size_t len);

/*
 * Check a backend name and event names.  Returns 0 when fine; 1 when the backend is not built
 * here (why: one line saying which and what to do; the run goes on without counters); -1 for bad
 * input (unknown backend or event name, too many events): the caller prints why and exits 2.
 */
int fpb_counters_validate(const char *backend, const char *const *events, size_t n,
			  char *why, size_t len);

/*
 * Open the events for the calling (pinned, measuring) thread.  Returns the counters, or NULL
 * with why when nothing can be counted (the run goes on).  Some events may be skipped (see
 * ev[i].available/reason); names/nnames list those that count.
 */
struct fpb_counters *fpb_counters_open(const char *backend, const char *const *events, size_t n,
				       char *why, size_t len);

/* Before a batch.  0 or -errno. */
int fpb_counters_start(struct fpb_counters *c);

/*
 * After a batch: s->ev[0..nnames) get the counts of the batch; a batch during which a
 * multiplexed group never ran is marked FPB_SAMPLE_NO_COUNTS (drop it).  0 or -errno.
 */
int fpb_counters_read(struct fpb_counters *c, struct fpb_sample *s);

void fpb_counters_close(struct fpb_counters *c);

/*
 * One line for the run (and each row's note): which events count, which were skipped and why,
 * multiplexing and how values were read.  E.g. "counters (pfm): page-faults; cycles skipped:
 * hardware counters unavailable in this VM; software events still work".
 */
void fpb_counters_describe(const struct fpb_counters *c, char *buf, size_t len);

/* Print the events backend sees here, usual ones first (--list-events).  0, or -1 with why. */
int fpb_counters_list_events(const char *backend, FILE *f, char *why, size_t len);

/* The one line for a VM without a PMU. */
#define FPB_COUNTERS_NO_PMU \
	"hardware counters unavailable in this VM; software events still work"

#ifdef HAVE_LIBPFM4
extern const struct fpb_counters_ops fpb_counters_pfm;
/* Does libpfm4 know name (on this CPU's PMUs or another's)?  Used by the PAPI backend. */
bool fpb_counters_pfm_known(const char *name);
#endif
#ifdef HAVE_PAPI
extern const struct fpb_counters_ops fpb_counters_papi;
#endif

#endif /* FPB_COUNTERS_H */
