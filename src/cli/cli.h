/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli.h - pieces of the fpbench front end shared by main.c, options.c and the tests. */
#ifndef FPB_CLI_H
#define FPB_CLI_H

#include <stdio.h>

/* The git revision recorded at build time ("unknown" outside git and tarballs). */
const char *fpb_git_revision(void);

/* The kinds whose names a flag accepts. */
enum fpb_cli_names {
	FPB_NAMES_SUITES,	/* --suite: src/suites/suites.def */
	FPB_NAMES_FORMATS,	/* --format: src/report/writers.def */
	FPB_NAMES_STATES,	/* --state: enum fpb_state (shared/kernel.h) */
	FPB_NAMES_BACKENDS,	/* --backend: backends/backends.def (without "auto") */
	FPB_NAMES_TIMERS,	/* --timer: src/measure/timer.c */
	FPB_NAMES_COUNTERS,	/* --counters: "none" and src/measure/counters.c's known backends */
};

/*
 * kind's names from its registry joined with ", " into buf (dflt, when one of them, marked
 * " (default)").  Returns buf.
 */
const char *fpb_cli_names(enum fpb_cli_names kind, const char *dflt, char *buf, size_t len);

/* Print every suite, kernel, backend, timer, format and condition name (--list). */
void fpb_cli_list(FILE *f);

#endif /* FPB_CLI_H */
