// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cli-names.c - the names a flag accepts, read from its registry, for the usage text and the
 * one-line errors: adding a suite, format, backend, timer, counter backend or register state
 * needs no edit here.
 */
#include "cli.h"
#include "backend.h"
#include "counters.h"
#include "kernel.h"
#include "output.h"
#include "suite.h"
#include "timer.h"

/* The i-th name of kind's registry; NULL past the last. */
static const char *fpb_cli_name_at(enum fpb_cli_names kind, size_t i)
{
	switch (kind) {
	case FPB_NAMES_SUITES:
		return i < fpb_nr_suites ? fpb_suites[i]->name : NULL;
	case FPB_NAMES_FORMATS:
		return i < fpb_nr_writers ? fpb_writers[i]->name : NULL;
	case FPB_NAMES_STATES:
		return i < FPB_NR_STATES ? fpb_state_name((enum fpb_state)i) : NULL;
	case FPB_NAMES_BACKENDS:
		return i < fpb_nr_backends ? fpb_backends[i]->name : NULL;
	case FPB_NAMES_TIMERS:
		return i < fpb_nr_timers ? fpb_timers[i]->name : NULL;
	case FPB_NAMES_COUNTERS:
		return i ? fpb_counters_known_name(i - 1) : "none";
	}
	return NULL;
}

const char *fpb_cli_names(enum fpb_cli_names kind, const char *dflt, char *buf, size_t len)
{
	size_t off = 0;
	const char *name;

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; (name = fpb_cli_name_at(kind, i)) && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s%s", i ? ", " : "", name,
					dflt && !strcmp(name, dflt) ? " (default)" : "");
	return buf;
}
