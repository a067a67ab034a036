// SPDX-License-Identifier: GPL-2.0-or-later
/* version.c - the git revision fpbench was built from (src/git-revision.h, made by the Makefile). */
#include "cli.h"
#include "git-revision.h"

/* Returns the revision string, e.g. "f603273-dirty"; "unknown" when none was recorded. */
const char *fpb_git_revision(void)
{
	return FPB_GIT_REVISION;
}
