// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * clock-ref.c - the core-clock reference: a chain of dependent instructions of known latency,
 * timed with the run's timer, gives timer units per core cycle; and the check that the core clock
 * it implies is physically possible before anyone reports or acts on it.
 *
 * x86-64: dependent 64-bit IMULs, 3 cycles each on every core since Nehalem and Zen 1 (a chain of
 * add-immediates is not one add a cycle where the renamer folds immediate adds, Golden Cove and
 * later: it read a 7-12 GHz core).  arm64: dependent register-register ADDs, 1 cycle each (no
 * immediate to fold).  A core that still shortens the chain shows as an impossible clock.
 */
#include "timer.h"
#include "backend.h"

int fpb_clock_ref_batch(struct fpb_timer *tm, uint64_t n, struct fpb_sample *out)
{
	uint64_t x = 3, t0;

	memset(out, 0, sizeof(*out));
	t0 = tm->begin(tm);
	for (uint64_t i = 0; i < n; i++) {
#if defined(__x86_64__)
		__asm__ __volatile__("imul %0, %0\n\timul %0, %0\n\timul %0, %0\n\timul %0, %0\n\t"
				     "imul %0, %0\n\timul %0, %0\n\timul %0, %0\n\timul %0, %0"
				     : "+r"(x));
#elif defined(__aarch64__)
		__asm__ __volatile__("add %0, %0, %0\n\tadd %0, %0, %0\n\tadd %0, %0, %0\n\t"
				     "add %0, %0, %0\n\tadd %0, %0, %0\n\tadd %0, %0, %0\n\t"
				     "add %0, %0, %0\n\tadd %0, %0, %0" : "+r"(x));
#endif
	}
	out->t = tm->end(tm, &out->cpu) - t0;
	return 0;
}

int fpb_clock_ref_check(double units_per_cycle, double timer_hz, double *ghz, char *why,
			size_t len)
{
	double g;

	*ghz = 0;
	if (!(units_per_cycle > 0)) {
		snprintf(why, len, "core-clock reference failed: no reading");
		return -1;
	}
	if (!(timer_hz > 0))
		return 0;	/* the timer's rate is unknown: nothing to check against */
	g = timer_hz / units_per_cycle / 1e9;
	*ghz = g;
	if (g < FPB_CLOCK_REF_MIN_GHZ || g > FPB_CLOCK_REF_MAX_GHZ) {
		snprintf(why, len, "core-clock reference failed: %.3g units/cycle means a %.1f GHz "
			 "core, outside %.1f-%.0f GHz; not used", units_per_cycle, g,
			 FPB_CLOCK_REF_MIN_GHZ, FPB_CLOCK_REF_MAX_GHZ);
		return -1;
	}
	return 0;
}
