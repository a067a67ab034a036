/* SPDX-License-Identifier: GPL-2.0-or-later */
/* output-family.h - the family view of the strategies named on the command line. */
#ifndef FPB_OUTPUT_FAMILY_H
#define FPB_OUTPUT_FAMILY_H

#include <stdio.h>
#include "result.h"

/*
 * For each strategy in named[0..n) and each of its rivals (not named before it): a table of the
 * scenarios both were measured in, with the change of the named one against the rival, its
 * interval and its verdict, then one summary line per pair ("swap vs copy3: lower in 2 of 5
 * scenarios (...), higher in 0, indistinguishable in 3").  Nothing when no pair has a scenario.
 * Returns 0 or -ENOMEM.
 */
int fpb_family_view_write(FILE *f, const struct fpb_result *r, const char *const *named,
			  size_t n);

#endif
