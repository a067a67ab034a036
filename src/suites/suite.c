// SPDX-License-Identifier: GPL-2.0-or-later
/* suite.c - the suite registry, from src/suites.def. */
#include "suite.h"
#include "suites.def"

#define FPB_X_DECL(id) extern const struct fpb_suite fpb_suite_##id;
#define FPB_X_ENTRY(id) &fpb_suite_##id,
FPB_SUITES(FPB_X_DECL)

const struct fpb_suite *const fpb_suites[] = {
	FPB_SUITES(FPB_X_ENTRY)
	NULL
};

const size_t fpb_nr_suites = FPB_ARRAY_SIZE(fpb_suites) - 1;

const struct fpb_suite *fpb_suite_find(const char *name)
{
	for (size_t i = 0; i < fpb_nr_suites; i++)
		if (!strcmp(fpb_suites[i]->name, name))
			return fpb_suites[i];
	return NULL;
}
