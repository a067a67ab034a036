// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check_counters.c - counters: event lists, libpfm4 encoding, real software-event counts
 * (page faults of freshly touched pages), and the hardware path (group reads, scaling by
 * enabled/running, group splitting, rdpmc, ENOENT and paranoid fallbacks, the cycles timer)
 * through a fake perf_event_open, since no machine here has a PMU.
 *
 * Built twice: check_counters (everything that runs here) and, with FPB_TEST_PAPI,
 * check_counters_papi (real counts through PAPI's perf:: events; exits 77 when PAPI's
 * perf_event component is disabled on this machine).
 */
#include "config.h"

#include <check.h>
#include <linux/perf_event.h>
#include <sys/mman.h>
#include <unistd.h>
#include <time.h>

#include "counters.h"
#include "harness.h"
#include "perf-group.h"
#include "perf-shim.h"
#include "timer.h"

#define NPAGES	256

/* ------------------------------------------------------------ real page faults */

struct touch {
	struct fpb_counters *c;
	long page;
	int err;
};

/* First writes to n pages; not instrumented by ASan, whose shadow pages would fault too. */
__attribute__((no_sanitize_address, noinline))
static void touch_pages(char *p, uint64_t n, long page)
{
	for (uint64_t i = 0; i < n; i++)
		((volatile char *)p)[i * (uint64_t)page] = 1;
}

/*
 * One batch of n operations, each a first write to a fresh page of an unlocked mapping
 * (MADV_NOHUGEPAGE: one fault a page; no mlock: it would pre-fault).  The counters bracket
 * only the touching loop, as a backend's run_batch brackets the timed body.
 */
static int touch_batch(void *arg, uint64_t n, struct fpb_sample *out)
{
	struct touch *t = arg;
	size_t len = (size_t)n * (size_t)t->page;
	struct timespec a, b;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int rc;

	if (p == MAP_FAILED)
		return -errno;
	madvise(p, len, MADV_NOHUGEPAGE);
	rc = fpb_counters_start(t->c);
	clock_gettime(CLOCK_MONOTONIC_RAW, &a);
	touch_pages(p, n, t->page);
	clock_gettime(CLOCK_MONOTONIC_RAW, &b);
	if (!rc)
		rc = fpb_counters_read(t->c, out);
	out->t = (uint64_t)((b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec));
	out->cpu = -1;
	munmap(p, len);
	return rc;
}

static size_t slot_of(const struct fpb_counters *c, const char *name)
{
	for (size_t i = 0; i < c->nnames; i++)
		if (!strcmp(c->names[i], name))
			return i;
	ck_abort_msg("event %s: expected among the counted events, not there", name);
	return 0;
}

/* Count page faults of NPAGES touches, directly and through the harness's N/2N pairs. */
static void check_page_faults(const char *backend, const char *pf, const char *clock)
{
	const char *ev[] = { pf, clock };
	char why[FPB_REASON_LEN] = "";
	struct touch t = { .page = sysconf(_SC_PAGESIZE) };
	struct fpb_sample s;
	struct fpb_harness_opts o;
	struct fpb_measurable m;
	struct fpb_row row;
	size_t k;

	t.c = fpb_counters_open(backend, ev, 2, why, sizeof(why));
	ck_assert_msg(t.c, "%s: open %s,%s: expected counters, got NULL (%s)", backend, pf,
		      clock, why);
	k = slot_of(t.c, pf);
	for (int rep = 0; rep < 3; rep++) {
		memset(&s, 0, sizeof(s));
		ck_assert_int_eq(touch_batch(&t, NPAGES, &s), 0);
		ck_assert_msg(s.ev[k] >= NPAGES * 95 / 100 && s.ev[k] <= NPAGES * 105 / 100,
			      "%s %s: touching %d fresh pages: expected %d +-5%% faults, got %llu",
			      backend, pf, NPAGES, NPAGES, (unsigned long long)s.ev[k]);
		printf("%s %s: %d pages touched, %llu faults counted\n", backend, pf, NPAGES,
		       (unsigned long long)s.ev[k]);
	}

	/* per operation, harness overhead removed by N/2N differencing */
	fpb_harness_default_opts(&o);
	o.batch = 64;
	o.min_repeats = 5;
	o.max_repeats = 9;
	o.time_budget_s = 2;
	o.warmup_max_s = 0.2;
	o.progress = false;
	memset(&row, 0, sizeof(row));
	memset(&m, 0, sizeof(m));
	row.status = FPB_ROW_MEASURED;
	m.batch = touch_batch;
	m.arg = &t;
	m.row = &row;
	m.nevents = (unsigned)t.c->nnames;
	m.event_names = t.c->names;
	ck_assert_int_eq(fpb_harness_run(&o, &m, 1), 0);
	ck_assert_int_eq(row.status, FPB_ROW_MEASURED);
	for (size_t i = 0; i < row.nmetrics; i++)
		if (!strcmp(row.metrics[i].name, pf)) {
			double v = row.metrics[i].value;

			printf("%s %s: %.3f faults per operation (harness N/2N)\n", backend, pf, v);
			ck_assert_msg(v >= 0.95 && v <= 1.05,
				      "%s %s per op: expected 1 +-5%%, got %.3f", backend, pf, v);
			free(row.raw);
			fpb_counters_close(t.c);
			return;
		}
	ck_abort_msg("row metrics: expected a '%s' metric, got %zu metrics", pf, row.nmetrics);
}

#ifndef FPB_TEST_PAPI
/* ------------------------------------------------------------ a fake perf_event_open */

#define FK_MAX	16
#define FK_BASE	1000

static struct {
	bool hw_enoent;		/* hardware events: ENOENT (no PMU) */
	bool deny_kernel;	/* exclude_kernel = 0: EACCES (paranoid 2) */
	bool rdpmc;		/* hardware events get an rdpmc page */
	unsigned max_group;	/* members beyond this: EINVAL (0: no limit) */
	uint64_t en_step, run_step;	/* per read of a group */
	struct {
		bool used;
		struct perf_event_attr a;
		int group_fd;
		uint64_t count, step;
		uint64_t enabled, running;
		struct perf_event_mmap_page page;
		uint64_t pmc;
	} ev[FK_MAX];
	unsigned nopen, reads, ioctl_enable, closes;
	uint64_t tsc;
} fk;

static bool fk_hw(uint32_t type)
{
	return type != PERF_TYPE_SOFTWARE && type != PERF_TYPE_TRACEPOINT;
}

static int fk_open(struct perf_event_attr *a, pid_t pid, int cpu, int group_fd, unsigned long fl)
{
	unsigned members = 0;
	int i;

	ck_assert_msg(pid == 0 && cpu == -1 && fl == 0,
		      "perf_event_open: expected pid 0, cpu -1, flags 0; got %d, %d, %lu", pid,
		      cpu, fl);
	if (fk.hw_enoent && fk_hw(a->type)) {
		errno = ENOENT;
		return -1;
	}
	if (fk.deny_kernel && !a->exclude_kernel) {
		errno = EACCES;
		return -1;
	}
	for (i = 0; i < FK_MAX; i++)
		if (fk.ev[i].used && (i + FK_BASE == group_fd || fk.ev[i].group_fd == group_fd))
			members++;
	if (group_fd >= 0 && fk.max_group && members >= fk.max_group) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < FK_MAX && fk.ev[i].used; i++)
		;
	ck_assert_int_lt(i, FK_MAX);
	memset(&fk.ev[i], 0, sizeof(fk.ev[i]));
	fk.ev[i].used = true;
	fk.ev[i].a = *a;
	fk.ev[i].group_fd = group_fd;
	fk.ev[i].step = 100 * (uint64_t)(i + 1);
	fk.ev[i].page.cap_user_rdpmc = fk.rdpmc;
	fk.ev[i].page.cap_user_time = fk.rdpmc;
	fk.ev[i].page.index = (uint32_t)i + 1;
	fk.ev[i].page.pmc_width = 48;
	fk.ev[i].page.time_mult = 1;
	fk.nopen++;
	return i + FK_BASE;
}

static ssize_t fk_read(int fd, void *buf, size_t n)
{
	uint64_t *v = buf;
	int li = fd - FK_BASE;
	size_t k = 0;

	ck_assert_msg(li >= 0 && li < FK_MAX && fk.ev[li].used && fk.ev[li].group_fd == -1,
		      "read: expected a group leader's fd, got %d", fd);
	ck_assert_msg(fk.ev[li].a.read_format & PERF_FORMAT_GROUP, "read_format: expected GROUP");
	fk.reads++;
	fk.ev[li].enabled += fk.en_step;
	fk.ev[li].running += fk.run_step;
	v[k++] = 0;
	v[k++] = fk.ev[li].enabled;
	v[k++] = fk.ev[li].running;
	for (int i = 0; i < FK_MAX; i++)
		if (fk.ev[i].used && (i == li || fk.ev[i].group_fd == fd)) {
			fk.ev[i].count += fk.ev[i].step;
			ck_assert_uint_le((k + 1) * 8, n);
			v[k++] = fk.ev[i].count;
			v[0]++;
		}
	return (ssize_t)(k * sizeof(uint64_t));
}

static int fk_ioctl(int fd, unsigned long req, unsigned long arg)
{
	(void)fd;
	if (req == PERF_EVENT_IOC_ENABLE) {
		ck_assert_uint_eq(arg, PERF_IOC_FLAG_GROUP);
		fk.ioctl_enable++;
	}
	return 0;
}

static void *fk_mmap(int fd)
{
	return &fk.ev[fd - FK_BASE].page;
}

static void fk_munmap(void *p)
{
	(void)p;
}

static int fk_close(int fd)
{
	fk.ev[fd - FK_BASE].used = false;
	fk.closes++;
	return 0;
}

static uint64_t fk_rdpmc(uint32_t idx)
{
	return fk.ev[idx].pmc;
}

static uint64_t fk_rdtsc(void)
{
	return fk.tsc;
}

static void fk_setup(void)
{
	memset(&fk, 0, sizeof(fk));
	fk.en_step = fk.run_step = 1000;
	fpb_perf_sys.open = fk_open;
	fpb_perf_sys.read = fk_read;
	fpb_perf_sys.ioctl = fk_ioctl;
	fpb_perf_sys.mmap_page = fk_mmap;
	fpb_perf_sys.munmap_page = fk_munmap;
	fpb_perf_sys.close = fk_close;
	fpb_perf_sys.rdpmc = fk_rdpmc;
	fpb_perf_sys.rdtsc = fk_rdtsc;
}

static void fk_teardown(void)
{
	fpb_perf_sys_reset();
}

static struct fpb_perf_desc hw(const char *name, uint64_t config)
{
	struct fpb_perf_desc d;

	memset(&d, 0, sizeof(d));
	snprintf(d.name, sizeof(d.name), "%s", name);
	d.type = PERF_TYPE_HARDWARE;
	d.config = config;
	return d;
}

static struct fpb_perf_desc sw(const char *name, uint64_t config)
{
	struct fpb_perf_desc d = hw(name, config);

	d.type = PERF_TYPE_SOFTWARE;
	return d;
}

/* ------------------------------------------------------------ core */

START_TEST(test_parse_list)
{
	char out[FPB_MAX_EVENTS][FPB_EVENT_NAME_LEN], why[FPB_REASON_LEN];
	char longname[100];

	ck_assert_int_eq(fpb_counters_parse_list("cycles, instructions ,perf::PAGE-FAULTS", out,
						 FPB_MAX_EVENTS, why, sizeof(why)), 3);
	ck_assert_str_eq(out[0], "cycles");
	ck_assert_str_eq(out[1], "instructions");
	ck_assert_str_eq(out[2], "perf::PAGE-FAULTS");
	ck_assert_int_eq(fpb_counters_parse_list("INST_RETIRED:ANY_P", out, 8, why, sizeof(why)),
			 1);
	ck_assert_int_eq(fpb_counters_parse_list("", out, 8, why, sizeof(why)), -1);
	ck_assert_int_eq(fpb_counters_parse_list("a,,b", out, 8, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "empty event name"), "why: expected 'empty event name', got %s",
		      why);
	ck_assert_int_eq(fpb_counters_parse_list("a,b,a", out, 8, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "twice"), "why: expected 'twice', got %s", why);
	ck_assert_int_eq(fpb_counters_parse_list("a,b,c,d,e,f,g,h,i", out, 8, why, sizeof(why)),
			 -1);
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ck_assert_int_eq(fpb_counters_parse_list(longname, out, 8, why, sizeof(why)), -1);
}
END_TEST

START_TEST(test_validate)
{
	const char *one[] = { "page-faults" };
	const char *dup[] = { "page-faults", "page-faults" };
	const char *nine[9] = { "a", "b", "c", "d", "e", "f", "g", "h", "i" };
	char why[FPB_REASON_LEN];

	ck_assert_int_eq(fpb_counters_validate("foo", one, 1, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "unknown counter backend"), "why: got %s", why);
	ck_assert_int_eq(fpb_counters_validate("pfm", one, 0, why, sizeof(why)), -1);
	ck_assert_int_eq(fpb_counters_validate("pfm", dup, 2, why, sizeof(why)), -1);
	ck_assert_int_eq(fpb_counters_validate("pfm", nine, 9, why, sizeof(why)), -1);
	ck_assert_ptr_null(fpb_counters_find("none"));
	ck_assert(fpb_counters_known("pfm") && fpb_counters_known("papi"));
#ifndef HAVE_LIBPFM4
	ck_assert_int_eq(fpb_counters_validate("pfm", one, 1, why, sizeof(why)), 1);
	ck_assert_msg(strstr(why, "libpfm4"), "why: expected the missing library named, got %s",
		      why);
#endif
}
END_TEST

#ifdef HAVE_LIBPFM4
/* Names libpfm4 knows (this CPU's PMU or another's) pass; unknown ones are bad input. */
START_TEST(test_pfm_encoding)
{
	const char *good[] = { "cycles", "instructions", "task-clock", "page-faults",
			       "context-switches", "perf::PAGE-FAULTS",
			       "amd64_fam19h_zen4::RETIRED_OPS", "INST_RETIRED:ANY_P" };
	const char *bad[] = { "no_such_event" };
	const char *badpmu[] = { "nosuchpmu::CYCLES" };
	const char *badmod[] = { "page-faults:nosuchmodifier=1" };
	char why[FPB_REASON_LEN] = "";

	ck_assert_msg(fpb_counters_validate("pfm", good, FPB_ARRAY_SIZE(good), why,
					    sizeof(why)) == 0,
		      "validate good names: expected 0, got why '%s'", why);
	ck_assert_int_eq(fpb_counters_validate("pfm", bad, 1, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "unknown event 'no_such_event'"), "why: got %s", why);
	ck_assert_int_eq(fpb_counters_validate("pfm", badpmu, 1, why, sizeof(why)), -1);
	ck_assert_int_eq(fpb_counters_validate("pfm", badmod, 1, why, sizeof(why)), -1);
	ck_assert(fpb_counters_pfm_known("perf::TASK-CLOCK"));
	ck_assert(!fpb_counters_pfm_known("no_such_event"));
}
END_TEST

START_TEST(test_pfm_page_faults)
{
	check_page_faults("pfm", "page-faults", "task-clock");
}
END_TEST

START_TEST(test_pfm_list_events)
{
	char *text = NULL, why[FPB_REASON_LEN];
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);

	ck_assert_int_eq(fpb_counters_list_events("pfm", f, why, sizeof(why)), 0);
	fclose(f);
	ck_assert_msg(strstr(text, "page-faults") && strstr(text, "PMUs present:") &&
		      strstr(text, "perf::PERF_COUNT_SW_PAGE_FAULTS"),
		      "--list-events: expected usual events, PMUs and perf:: events, got %.200s",
		      text);
	/* usual ones first */
	ck_assert_msg(strstr(text, "cycles") < strstr(text, "PMUs present:"),
		      "--list-events: expected the usual events before the PMUs");
	free(text);
}
END_TEST
#endif

#ifdef HAVE_PAPI
/* PAPI: presets and perf:: names are known; unknown names are bad input; the rest skip. */
START_TEST(test_papi_validate)
{
	const char *good[] = { "PAPI_TOT_CYC", "PAPI_TOT_INS", "perf::TASK-CLOCK" };
	const char *bad[] = { "no_such_event" };
	char why[FPB_REASON_LEN] = "";
	struct fpb_counters *c;

	ck_assert_msg(fpb_counters_validate("papi", good, 3, why, sizeof(why)) == 0,
		      "validate %s,%s,%s: expected 0, got why '%s'", good[0], good[1], good[2],
		      why);
	ck_assert_int_eq(fpb_counters_validate("papi", bad, 1, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "unknown event 'no_such_event'"), "why: got %s", why);
	c = fpb_counters_open("papi", good, 3, why, sizeof(why));
	if (c) {
		for (size_t i = 0; i < c->nev; i++)
			ck_assert_msg(c->ev[i].available || !strncmp(c->ev[i].reason,
				      "not available", 13), "%s: reason: got %s",
				      c->ev[i].name, c->ev[i].reason);
		fpb_counters_close(c);
	} else {
		ck_assert_msg(strstr(why, "skipped: not available"), "why: got %s", why);
	}
	printf("papi here: %s\n", c ? "counting" : why);
}
END_TEST
#endif

/* The cycles timer: works with a PMU, else one clear line. */
START_TEST(test_cycles_timer_here)
{
	char why[FPB_REASON_LEN] = "";
	double r;

	ck_assert_str_eq(fpb_timer_cycles.unit, "core-cycles");
	if (fpb_timer_cycles.init(&fpb_timer_cycles, NULL, why, sizeof(why)) == 0) {
		uint64_t a = fpb_timer_cycles.begin(&fpb_timer_cycles);
		int cpu;
		uint64_t b = fpb_timer_cycles.end(&fpb_timer_cycles, &cpu);

		ck_assert_uint_ge(b, a);
		fpb_timer_cycles.fini(&fpb_timer_cycles);
		ck_assert_int_eq(fpb_timer_cycles_tsc_ratio(&r, why, sizeof(why)), 0);
		ck_assert(r > 0);
		printf("cycles timer works here; TSC ticks per core cycle %.3f\n", r);
		return;
	}
	ck_assert_msg(strstr(why, "no core-cycle counter"), "why: got %s", why);
	printf("cycles timer here: %s\n", why);
	ck_assert_int_eq(fpb_timer_cycles_tsc_ratio(&r, why, sizeof(why)), -1);
}
END_TEST

/* ------------------------------------------------------------ the hardware path, faked */

START_TEST(test_group_read)
{
	struct fpb_perf_desc d[3] = { hw("cycles", 0), hw("instructions", 1), sw("pf", 2) };
	struct fpb_perf_set s;
	struct fpb_perf_snap a, b;
	uint64_t ev[3];
	double scale;

	ck_assert_int_eq(fpb_perf_set_open(&s, d, 3, NULL, 0), 3);
	ck_assert_uint_eq(s.ngroups, 1);
	ck_assert_uint_eq(fk.ioctl_enable, 1);
	ck_assert(fk.ev[0].a.disabled && !fk.ev[1].a.disabled);
	ck_assert_int_eq(fk.ev[1].group_fd, FK_BASE);
	ck_assert_int_eq(fk.ev[2].group_fd, FK_BASE);
	ck_assert_uint_eq(fk.ev[0].a.read_format, PERF_FORMAT_GROUP |
			  PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING);
	ck_assert_int_eq(fpb_perf_set_read(&s, &a), 0);
	ck_assert_int_eq(fpb_perf_set_read(&s, &b), 0);
	ck_assert_uint_eq(fpb_perf_delta(&s, &a, &b, ev, &scale), 0);
	ck_assert_uint_eq(ev[0], 100);
	ck_assert_uint_eq(ev[1], 200);
	ck_assert_uint_eq(ev[2], 300);
	ck_assert(scale == 1.0);
	ck_assert_uint_eq(s.reads_syscall, 2);
	ck_assert_uint_eq(s.reads_rdpmc, 0);
	fpb_perf_set_close(&s);
	ck_assert_uint_eq(fk.closes, 3);
}
END_TEST

START_TEST(test_multiplex_scaling)
{
	struct fpb_perf_desc d[2] = { hw("cycles", 0), hw("instructions", 1) };
	struct fpb_perf_set s;
	struct fpb_perf_snap a, b;
	uint64_t ev[2];
	double scale;

	fk.run_step = 250;	/* on the PMU a quarter of the time */
	ck_assert_int_eq(fpb_perf_set_open(&s, d, 2, NULL, 0), 2);
	fpb_perf_set_read(&s, &a);
	fpb_perf_set_read(&s, &b);
	ck_assert_uint_eq(fpb_perf_delta(&s, &a, &b, ev, &scale), FPB_PERF_SCALED);
	ck_assert_uint_eq(ev[0], 400);
	ck_assert_uint_eq(ev[1], 800);
	ck_assert_msg(scale > 3.99 && scale < 4.01, "scale: expected 4, got %g", scale);
	fk.run_step = 0;	/* multiplexed out for the whole batch */
	fpb_perf_set_read(&s, &a);
	fpb_perf_set_read(&s, &b);
	ck_assert_uint_eq(fpb_perf_delta(&s, &a, &b, ev, &scale) & FPB_PERF_NOT_RUN,
			  FPB_PERF_NOT_RUN);
	fpb_perf_set_close(&s);
}
END_TEST

START_TEST(test_group_split)
{
	struct fpb_perf_desc d[4] = { hw("a", 0), hw("b", 1), hw("c", 2), hw("d", 3) };
	struct fpb_perf_set s;
	struct fpb_perf_snap a, b;
	uint64_t ev[4];

	fk.max_group = 2;	/* the PMU takes two counters a group */
	ck_assert_int_eq(fpb_perf_set_open(&s, d, 4, NULL, 0), 4);
	ck_assert_uint_eq(s.ngroups, 2);
	ck_assert_uint_eq(fk.ioctl_enable, 2);
	ck_assert_int_eq(fk.ev[2].group_fd, -1);
	ck_assert_int_eq(fk.ev[3].group_fd, FK_BASE + 2);
	fpb_perf_set_read(&s, &a);
	fpb_perf_set_read(&s, &b);
	fpb_perf_delta(&s, &a, &b, ev, NULL);
	for (int i = 0; i < 4; i++)
		ck_assert_uint_eq(ev[i], 100 * (uint64_t)(i + 1));
	ck_assert_uint_eq(fk.reads, 4);
	fpb_perf_set_close(&s);
}
END_TEST

START_TEST(test_rdpmc)
{
	struct fpb_perf_desc d[2] = { hw("cycles", 0), hw("instructions", 1) };
	struct fpb_perf_set s;
	struct fpb_perf_snap a, b;
	uint64_t ev[2];

	fk.rdpmc = true;
	ck_assert_int_eq(fpb_perf_set_open(&s, d, 2, NULL, 0), 2);
	fk.ev[0].page.offset = 1000;
	fk.ev[0].pmc = 0xffffffffffffULL;	/* 48-bit -1: sign-extended */
	fk.ev[1].page.offset = 0;
	fk.ev[1].pmc = 5;
	fk.tsc = 10;
	ck_assert_int_eq(fpb_perf_set_read(&s, &a), 0);
	ck_assert_uint_eq(a.count[0], 999);
	ck_assert_uint_eq(a.count[1], 5);
	fk.ev[0].pmc = 499;
	fk.ev[1].pmc = 505;
	fk.tsc = 30;
	ck_assert_int_eq(fpb_perf_set_read(&s, &b), 0);
	ck_assert_uint_eq(fpb_perf_delta(&s, &a, &b, ev, NULL), 0);
	ck_assert_uint_eq(ev[0], 500);
	ck_assert_uint_eq(ev[1], 500);
	ck_assert_uint_eq(fk.reads, 0);
	ck_assert_uint_eq(s.reads_rdpmc, 2);
	/* descheduled (index 0): falls back to read() */
	fk.ev[1].page.index = 0;
	ck_assert_int_eq(fpb_perf_set_read(&s, &b), 0);
	ck_assert_uint_eq(fk.reads, 1);
	fpb_perf_set_close(&s);
}
END_TEST

START_TEST(test_enoent_fallback)
{
	struct fpb_perf_desc d[2] = { hw("cycles", 0), sw("page-faults", 2) };
	struct fpb_perf_set s;

	fk.hw_enoent = true;
	ck_assert_int_eq(fpb_perf_set_open(&s, d, 2, NULL, 0), 1);
	ck_assert_int_eq(s.ev[0].state, FPB_PERF_EV_UNAVAILABLE);
	ck_assert_int_eq(s.ev[1].state, FPB_PERF_EV_OK);
	fpb_perf_set_close(&s);
}
END_TEST

START_TEST(test_paranoid_user_only)
{
	struct fpb_perf_desc d[1] = { sw("page-faults", 2) };
	struct fpb_perf_set s;

	struct fpb_perf_desc cs[1] = { sw("context-switches", PERF_COUNT_SW_CONTEXT_SWITCHES) };

	fk.deny_kernel = true;
	ck_assert_int_eq(fpb_perf_set_open(&s, d, 1, NULL, 0), 1);
	ck_assert(s.ev[0].user_only);
	ck_assert(fk.ev[0].a.exclude_kernel);
	fpb_perf_set_close(&s);
	/* context switches happen in kernel mode: counting user mode only would give 0 */
	ck_assert_int_eq(fpb_perf_set_open(&s, cs, 1, NULL, 0), 0);
	ck_assert_int_eq(s.ev[0].state, FPB_PERF_EV_DENIED);
	fpb_perf_set_close(&s);
}
END_TEST

#ifdef HAVE_LIBPFM4
/* Through the pfm backend: the one line, skipped events, and the sample flag. */
START_TEST(test_pfm_no_pmu)
{
	const char *mixed[] = { "cycles", "page-faults", "amd64_fam19h_zen4::RETIRED_OPS" };
	const char *hwonly[] = { "cycles", "instructions" };
	char why[FPB_REASON_LEN] = "", line[512];
	struct fpb_counters *c;
	struct fpb_sample smp;

	fk.hw_enoent = true;
	c = fpb_counters_open("pfm", mixed, 3, why, sizeof(why));
	ck_assert_msg(c, "open: expected counters, got NULL (%s)", why);
	ck_assert_uint_eq(c->nnames, 1);
	ck_assert_str_eq(c->names[0], "page-faults");
	ck_assert(!c->ev[0].available);
	/* Plain inside the program (available says it); the description adds "skipped: ". */
	ck_assert_msg(!strncmp(c->ev[0].reason, "not available", 13), "reason: got %s",
		      c->ev[0].reason);
	memset(&smp, 0, sizeof(smp));
	ck_assert_int_eq(fpb_counters_start(c), 0);
	ck_assert_int_eq(fpb_counters_read(c, &smp), 0);
	ck_assert_uint_eq(smp.ev[0], 100);	/* the first fake fd opened: step 100 */
	fpb_counters_describe(c, line, sizeof(line));
	ck_assert_msg(strstr(line, FPB_COUNTERS_NO_PMU), "describe: expected the no-PMU line, "
		      "got %s", line);
	ck_assert_msg(strstr(line, " skipped: not available") && !strstr(line, "skipped: skipped"),
		      "describe: expected '<event> skipped: <reason>' once, got %s", line);
	fpb_counters_close(c);

	c = fpb_counters_open("pfm", hwonly, 2, why, sizeof(why));
	ck_assert_ptr_null(c);
	ck_assert_msg(strstr(why, FPB_COUNTERS_NO_PMU), "why: expected the no-PMU line, got %s",
		      why);

	/* multiplexed out: the sample is flagged for dropping */
	fk.hw_enoent = false;
	c = fpb_counters_open("pfm", hwonly, 2, why, sizeof(why));
	ck_assert_ptr_nonnull(c);
	fk.run_step = 0;
	memset(&smp, 0, sizeof(smp));
	fpb_counters_start(c);
	fpb_counters_read(c, &smp);
	ck_assert_uint_eq(smp.flags & FPB_SAMPLE_NO_COUNTS, FPB_SAMPLE_NO_COUNTS);
	fk.run_step = 500;
	fpb_counters_start(c);
	fpb_counters_read(c, &smp);
	fpb_counters_describe(c, line, sizeof(line));
	ck_assert_msg(strstr(line, "multiplexed") && strstr(line, "dropped"), "describe: got %s",
		      line);
	fpb_counters_close(c);
}
END_TEST
#endif

START_TEST(test_cycles_timer_fake)
{
	char why[FPB_REASON_LEN] = "";
	uint64_t a, b;
	int cpu = -2;

	fk.hw_enoent = true;
	ck_assert_int_eq(fpb_timer_cycles.init(&fpb_timer_cycles, NULL, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "hardware counters unavailable in this VM"), "why: got %s", why);
	fk.hw_enoent = false;
	ck_assert_int_eq(fpb_timer_cycles.init(&fpb_timer_cycles, NULL, why, sizeof(why)), 0);
	ck_assert_uint_eq(fk.ev[0].a.type, PERF_TYPE_HARDWARE);
	ck_assert_uint_eq(fk.ev[0].a.config, PERF_COUNT_HW_CPU_CYCLES);
	a = fpb_timer_cycles.begin(&fpb_timer_cycles);
	b = fpb_timer_cycles.end(&fpb_timer_cycles, &cpu);
	ck_assert_uint_eq(b - a, 100);
	ck_assert_int_ge(cpu, -1);
	fpb_timer_cycles.fini(&fpb_timer_cycles);
}
END_TEST

#endif /* !FPB_TEST_PAPI */

#ifdef FPB_TEST_PAPI
/* ------------------------------------------------------------ PAPI */

START_TEST(test_papi_names)
{
	const char *good[] = { "PAPI_TOT_CYC", "PAPI_TOT_INS", "perf::TASK-CLOCK" };
	const char *bad[] = { "no_such_event" };
	char why[FPB_REASON_LEN] = "";

	ck_assert_msg(fpb_counters_validate("papi", good, 3, why, sizeof(why)) == 0,
		      "validate: expected 0, got why '%s'", why);
	ck_assert_int_eq(fpb_counters_validate("papi", bad, 1, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "no_such_event"), "why: got %s", why);
}
END_TEST

START_TEST(test_papi_page_faults)
{
	check_page_faults("papi", "perf::PAGE-FAULTS", "perf::TASK-CLOCK");
}
END_TEST

/* Can PAPI count perf:: events here?  Fills why when not. */
static bool papi_counts_here(char *why, size_t len)
{
	const char *ev[] = { "perf::PAGE-FAULTS" };
	struct fpb_counters *c = fpb_counters_open("papi", ev, 1, why, len);

	fpb_counters_close(c);
	return c != NULL;
}
#endif

int main(void)
{
	Suite *s;
	SRunner *r;
	int failed;
#ifdef FPB_TEST_PAPI
	char why[FPB_REASON_LEN] = "";
	TCase *papi;

	if (!papi_counts_here(why, sizeof(why))) {
		printf("SKIP: PAPI cannot count perf:: events here: %s\n", why);
		return 77;
	}
	s = suite_create("counters-papi");
	papi = tcase_create("papi");
	tcase_add_test(papi, test_papi_names);
	tcase_add_test(papi, test_papi_page_faults);
	tcase_set_timeout(papi, 60);
	suite_add_tcase(s, papi);
#else
	TCase *core = tcase_create("core"), *hwp = tcase_create("hardware-path");

	s = suite_create("counters");
	tcase_add_test(core, test_parse_list);
	tcase_add_test(core, test_validate);
	tcase_add_test(core, test_cycles_timer_here);
#ifdef HAVE_LIBPFM4
	tcase_add_test(core, test_pfm_encoding);
	tcase_add_test(core, test_pfm_page_faults);
	tcase_add_test(core, test_pfm_list_events);
#endif
#ifdef HAVE_PAPI
	tcase_add_test(core, test_papi_validate);
#endif
	tcase_set_timeout(core, 60);
	suite_add_tcase(s, core);

	tcase_add_checked_fixture(hwp, fk_setup, fk_teardown);
	tcase_add_test(hwp, test_group_read);
	tcase_add_test(hwp, test_multiplex_scaling);
	tcase_add_test(hwp, test_group_split);
	tcase_add_test(hwp, test_rdpmc);
	tcase_add_test(hwp, test_enoent_fallback);
	tcase_add_test(hwp, test_paranoid_user_only);
	tcase_add_test(hwp, test_cycles_timer_fake);
#ifdef HAVE_LIBPFM4
	tcase_add_test(hwp, test_pfm_no_pmu);
#endif
	suite_add_tcase(s, hwp);
#endif
	r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
