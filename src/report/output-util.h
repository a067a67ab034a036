/* SPDX-License-Identifier: GPL-2.0-or-later */
/* output-util.h - helpers shared by the output writers (src/output-*.c) and the JSON reader. */
#ifndef FPB_OUTPUT_UTIL_H
#define FPB_OUTPUT_UTIL_H

#include "result.h"

/* Names of the FPB_ROW_* flags, bit i at index i, as written in every format. */
extern const char *const fpb_row_flag_names[];
extern const size_t fpb_nr_row_flags;

/* "measured", "skipped", "failed", "n/a". */
const char *fpb_row_status_name(enum fpb_row_status st);
/* Inverse of fpb_row_status_name; 0 or -1 when unknown. */
int fpb_row_status_parse(const char *s, enum fpb_row_status *out);


/* Flags as "unstable,virtualised" (sep between names); "" when none. */
void fpb_row_flags_str(unsigned flags, const char *sep, char *buf, size_t len);

/* Names of the components set in mask, "x87 sse avx"; "none" for 0. */
void fpb_xmask_names(uint64_t mask, char *buf, size_t len);

/* Nanoseconds per op for a row's median, or a negative value when the TSC frequency is unknown. */
double fpb_row_median_ns(const struct fpb_row *row);

/* The (static) string for a known TSC frequency source, "unknown" otherwise. */
const char *fpb_tsc_source_intern(const char *s);
/*
 * Write line s (no newline) wrapped at width columns (0: unwrapped), continuation lines indented
 * by indent spaces, at most maxlines lines (the last ends in "..." when s was cut).
 */
void fpb_text_wrap(FILE *f, const char *s, size_t width, size_t indent, size_t maxlines);

#endif /* FPB_OUTPUT_UTIL_H */
