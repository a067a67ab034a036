/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli.h - pieces of the fpbench front end shared by main.c, options.c and the tests. */
#ifndef FPB_CLI_H
#define FPB_CLI_H

#include <stdio.h>

/* The git revision recorded at build time ("unknown" outside git and tarballs). */
const char *fpb_git_revision(void);

/* Print every suite, kernel, backend, timer, format and condition name (--list). */
void fpb_cli_list(FILE *f);

#endif /* FPB_CLI_H */
