// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kmod-badioctl.c - drives every rejected-argument path of /dev/fpbench (kmod/uapi.h) and checks
 * the errno: runs inside the qemu guest of `make kmod-check`.  Each case prints one line naming
 * what was sent, the expected errno and the one it got.  Exit 0 all passed, 1 a case failed,
 * 77 no /dev/fpbench.
 *
 * `kmod-badioctl --rows` prints instead one line per ring-0 kernel straight from the module
 * (N/2N minimum per op, or the module's skip reason): a cross-check of fpbench --backend=kmod.
 *
 * `kmod-badioctl --check` runs every strategy built into the module over every timed scenario of
 * its family with the module's integrity checker on (ring 0, the real registers; PKRU values
 * change where XCR0 has PKRU): one line each, exit 1 when the checker failed one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include "fpb_env.h"
#include "kmod-client.h"
#include "scenario.h"

static int fd = -1;
static int failures;
static struct fpb_kmod_info info;
static struct fpb_kmod_sample samples[64];

static void good_run(struct fpb_kmod_run *r)
{
	memset(r, 0, sizeof(*r));
	r->abi = FPB_KMOD_ABI;
	r->kernel = FPB_KMOD_K_EMPTY;
	r->rfbm = info.xcr0;
	r->state = FPB_KMOD_STATE_DIRTY;
	r->buf_mode = FPB_KMOD_BUF_SAME;
	r->nbufs = 1;
	r->batch = 16;
	r->repeats = 4;
	r->samples = (uint64_t)(uintptr_t)samples;
	r->samples_len = sizeof(samples);
}

/* Send cmd with arg; compare errno with want (0: success expected). */
static void expect(const char *what, unsigned long cmd, void *arg, int want)
{
	int ret = ioctl(fd, cmd, arg), got = ret ? errno : 0;

	if (got == want) {
		printf("badioctl: %-44s ok (%s)\n", what, want ? strerror(want) : "accepted");
		return;
	}
	printf("badioctl: %-44s FAIL: expected %s, got %s\n", what,
	       want ? strerror(want) : "success", got ? strerror(got) : "success");
	failures++;
}

/* A valid request with one field spoiled by field_stmt (which names the request r). */
#define CASE(what, field_stmt, want)						\
	do {									\
		good_run(&r);							\
		field_stmt;							\
		expect(what, FPB_IOC_RUN, &r, want);				\
	} while (0)

static void bad_ioctls(void)
{
	struct fpb_kmod_strategy st;
	struct fpb_kmod_run r;
	void *unmapped;

	CASE("valid run (ring0-empty)", (void)0, 0);
	good_run(&r);
	if (!ioctl(fd, FPB_IOC_RUN, &r) && (r.status != FPB_KMOD_OK || r.done != r.repeats)) {
		printf("badioctl: %-44s FAIL: expected status 0, %u batches; got status %u, %u\n",
		       "valid run returns its batches", r.repeats, r.status, r.done);
		failures++;
	}
	CASE("wrong ABI version", r.abi = FPB_KMOD_ABI + 1, EINVAL);
	CASE("unknown kernel id", r.kernel = FPB_KMOD_NR_KERNELS, EINVAL);
	CASE("kernel id 0xffffffff", r.kernel = 0xffffffffu, EINVAL);
	CASE("batch 0", r.batch = 0, EINVAL);
	CASE("batch above FPB_KMOD_MAX_BATCH", r.batch = FPB_KMOD_MAX_BATCH + 1ULL, EINVAL);
	CASE("batch 2^63", r.batch = 1ULL << 63, EINVAL);
	CASE("repeats 0", r.repeats = 0, EINVAL);
	CASE("repeats above FPB_KMOD_MAX_REPEATS", r.repeats = FPB_KMOD_MAX_REPEATS + 1, EINVAL);
	CASE("unknown state", r.state = FPB_KMOD_NR_STATES, EINVAL);
	CASE("unknown buffer mode", r.buf_mode = FPB_KMOD_NR_BUF_MODES, EINVAL);
	CASE("nbufs 0", r.nbufs = 0, EINVAL);
	CASE("rotate with nbufs above the maximum",
	     (r.buf_mode = FPB_KMOD_BUF_ROTATE, r.nbufs = FPB_KMOD_MAX_BUFS + 1), EINVAL);
	CASE("same buffer with nbufs 2", r.nbufs = 2, EINVAL);
	CASE("unknown flag bit", r.flags = 1u << 31, EINVAL);
	CASE("reserved field set", r.reserved0 = 1, EINVAL);
	CASE("rfbm bit 62 outside XCR0", r.rfbm = 1ULL << 62, EINVAL);
	CASE("NULL sample buffer", r.samples = 0, EINVAL);
	CASE("misaligned sample buffer", r.samples += 4, EINVAL);
	CASE("short sample buffer", r.samples_len = 4 * sizeof(samples[0]) - 1, EINVAL);
	CASE("sample buffer in kernel space", r.samples = 0xffff888000000000ULL, EFAULT);
	unmapped = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (unmapped != MAP_FAILED)
		CASE("sample buffer not writable (PROT_NONE)",
		     r.samples = (uint64_t)(uintptr_t)unmapped, EFAULT);
	expect("NULL argument", FPB_IOC_RUN, NULL, EFAULT);
	if (unmapped != MAP_FAILED)
		expect("argument struct unreadable", FPB_IOC_RUN, unmapped, EFAULT);
	expect("unknown ioctl number", _IOWR(FPB_IOC_MAGIC, 99, struct fpb_kmod_run), &r, ENOTTY);
	expect("INFO with NULL argument", FPB_IOC_INFO, NULL, EFAULT);
	memset(&st, 0, sizeof(st));
	st.abi = FPB_KMOD_ABI + 7;
	expect("STRATEGY with wrong ABI", FPB_IOC_STRATEGY, &st, EINVAL);
	memset(&st, 0, sizeof(st));
	st.abi = FPB_KMOD_ABI;
	st.index = info.nr_strategies;
	st.events = 1;
	st.repeats = 1;
	st.samples = (uint64_t)(uintptr_t)samples;
	st.samples_len = sizeof(samples);
	expect("STRATEGY with an unknown index", FPB_IOC_STRATEGY, &st,
	       info.nr_strategies ? EINVAL : 0);
	if (info.nr_strategies) {
		st.index = 0;
		st.repeats = FPB_KMOD_MAX_STRATEGY_REPEATS + 1;
		expect("STRATEGY with too many repeats", FPB_IOC_STRATEGY, &st, EINVAL);
		st.repeats = 1;
		st.events = 0;
		expect("STRATEGY with 0 events", FPB_IOC_STRATEGY, &st, EINVAL);
		st.events = 1;
		memset(st.scenario, 'x', sizeof(st.scenario));
		expect("STRATEGY with an unterminated scenario", FPB_IOC_STRATEGY, &st, EINVAL);
	}
	if (unmapped != MAP_FAILED)
		munmap(unmapped, 4096);
}

/* Sum of per-batch ticks of one ioctl of reps batches of n ops; -1 on skip (prints why). */
static double ticks(unsigned id, uint64_t n, unsigned reps, struct fpb_kmod_run *r)
{
	double min = -1;

	memset(r, 0, sizeof(*r));
	r->abi = FPB_KMOD_ABI;
	r->kernel = id;
	r->rfbm = info.xcr0;
	r->state = FPB_KMOD_STATE_DIRTY;
	r->nbufs = 1;
	r->batch = n;
	r->repeats = reps;
	r->samples = (uint64_t)(uintptr_t)samples;
	r->samples_len = sizeof(samples);
	if (ioctl(fd, FPB_IOC_RUN, r) || r->status != FPB_KMOD_OK)
		return -1;
	for (unsigned i = 0; i < r->done; i++) {
		double t = (double)(samples[i].t_end - samples[i].t_begin);

		if (min < 0 || t < min)
			min = t;
	}
	return min;
}

/* Every strategy built into the module, over its family's first timed scenario. */
static void strategy_rows(void)
{
	struct fpb_kmod_strategy st;
	uint64_t t1[8], t2[8];

	if (!info.nr_strategies) {
		printf("ring0 strategies: skipped: %s\n", info.strategies_reason);
		return;
	}
	for (unsigned i = 0; i < info.nr_strategies; i++) {
		double a = -1, b = -1, ev1, ev2;
		int ret = fpb_kmod_strategy_run(fd, i, NULL, 32, 8, &st, t1);

		if (ret || st.status != FPB_KMOD_OK) {
			printf("ring0 strategy %-12s %-20s %s: %s\n", st.name, st.scenario,
			       ret ? "failed" : st.status == FPB_KMOD_SKIPPED ? "skipped" : "trapped",
			       ret ? fpb_kmod_strerror(-ret) : st.reason);
			continue;
		}
		ev1 = (double)st.counts[FPB_KMOD_C_EVENTS];
		for (unsigned k = 0; k < st.done; k++)
			a = (a < 0 || t1[k] < a) ? (double)t1[k] : a;
		ret = fpb_kmod_strategy_run(fd, i, st.scenario, 64, 8, &st, t2);
		ev2 = (double)st.counts[FPB_KMOD_C_EVENTS];
		for (unsigned k = 0; !ret && k < st.done; k++)
			b = (b < 0 || t2[k] < b) ? (double)t2[k] : b;
		printf("ring0 strategy %-12s %-20s measured: %.1f ticks/event (N/2N minimum, %.0f "
		       "events); per event: %.2f saves, %.2f restores, %.2f xsetbv, %.2f xss writes, "
		       "%.2f pkru writes%s\n", st.name, st.scenario,
		       b > 0 && ev2 > ev1 ? (b - a) / (ev2 - ev1) : a / ev1, ev1,
		       (double)st.counts[FPB_KMOD_C_SAVES] / (st.done * ev2),
		       (double)st.counts[FPB_KMOD_C_RESTORES] / (st.done * ev2),
		       (double)st.counts[FPB_KMOD_C_XSETBV] / (st.done * ev2),
		       (double)st.counts[FPB_KMOD_C_XSS_WRITES] / (st.done * ev2),
		       (double)st.counts[FPB_KMOD_C_PKRU_WRITES] / (st.done * ev2),
		       (st.rflags & FPB_KMOD_R_VIRTUALISED) ? " [virtualised]" : "");
	}
}

static void rows(void)
{
#define KMOD_X_NAME(id, nm, kind, need, desc) nm,
	static const char *const names[] = { FPB_KMOD_KERNELS(KMOD_X_NAME) };
#undef KMOD_X_NAME
	struct fpb_kmod_run r;

	printf("module: abi %u, xcr0 0x%llx, xss 0x%llx, xfd 0x%llx, features 0x%x, hypervisor "
	       "'%s', tsc %u kHz, strategies %u%s%s\n", info.abi, (unsigned long long)info.xcr0,
	       (unsigned long long)info.xss, (unsigned long long)info.xfd, info.features,
	       info.hypervisor, info.tsc_khz, info.nr_strategies,
	       info.nr_strategies ? "" : ": ", info.nr_strategies ? "" : info.strategies_reason);
	for (unsigned id = 0; id < FPB_KMOD_NR_KERNELS; id++) {
		double a = ticks(id, 64, 32, &r), b;

		if (a < 0) {
			printf("ring0 %-20s skipped: %s\n", names[id],
			       r.reason[0] ? r.reason : fpb_kmod_strerror(errno));
			continue;
		}
		b = ticks(id, 128, 32, &r);
		printf("ring0 %-20s measured: %.1f ticks/op (N/2N minimum)%s%s\n", names[id],
		       b < 0 ? a / 64 : (b - a) / 64,
		       (r.rflags & FPB_KMOD_R_VIRTUALISED) ? " [virtualised]" : "",
		       fpb_kmod_emulated(&info) ? " [functional only: emulator]" : "");
	}
}

static int integrity(void)
{
	unsigned ok = 0, failed = 0, skipped = 0;

	printf("integrity: PKRU %s (XCR0 0x%llx)\n", (info.xcr0 >> 9) & 1 ?
	       "is real state: its values are checked" : "not enabled: not checked",
	       (unsigned long long)info.xcr0);
	if (!info.nr_strategies) {
		printf("integrity: skipped: %s\n", info.strategies_reason);
		return 0;
	}
	for (unsigned i = 0; i < info.nr_strategies; i++)
		for (size_t k = 0; k < fpb_nr_scenarios; k++) {
			struct fpb_kmod_strategy st;
			int ret = fpb_kmod_strategy_check(fd, i, fpb_scenarios[k]->name, 64, &st);

			if (!ret && st.status == FPB_KMOD_SKIPPED) {
				skipped++;	/* the other family's, or not here */
				continue;
			}
			if (!ret && st.status == FPB_KMOD_OK) {
				ok++;
				printf("integrity %-12s %-24s ok (%llu events checked)\n", st.name,
				       fpb_scenarios[k]->name,
				       (unsigned long long)st.counts[FPB_KMOD_C_EVENTS]);
				continue;
			}
			failed++;
			printf("integrity %-12s %-24s FAILED: %s\n", st.name,
			       fpb_scenarios[k]->name, ret ? fpb_kmod_strerror(-ret) : st.reason);
		}
	printf("integrity: %s (%u checked, %u failed, %u not applicable or skipped)\n",
	       failed || !ok ? "FAIL" : "PASS", ok, failed, skipped);
	return failed || !ok;
}

int main(int argc, char **argv)
{
	char why[FPB_REASON_LEN];

	if (fpb_kmod_open(&fd, &info, why, sizeof(why))) {
		printf("badioctl: %s\n", why);
		return 77;
	}
	if (argc > 1 && !strcmp(argv[1], "--check"))
		return integrity();
	if (argc > 1 && !strcmp(argv[1], "--rows")) {
		rows();
		strategy_rows();
		return 0;
	}
	bad_ioctls();
	printf("badioctl: %s (%d failed)\n", failures ? "FAIL" : "PASS", failures);
	close(fd);
	return failures ? 1 : 0;
}
