// SPDX-License-Identifier: GPL-2.0-or-later
/* suite.c - the suite registry, from src/suites/suites.def; look-up and checks. */
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

int fpb_suite_index(const char *name)
{
	for (size_t i = 0; i < fpb_nr_suites; i++)
		if (!strcmp(fpb_suites[i]->name, name))
			return (int)i;
	return -1;
}

const struct fpb_suite *fpb_suite_find(const char *name)
{
	int i = fpb_suite_index(name);

	return i < 0 ? NULL : fpb_suites[i];
}

int fpb_suite_check(const struct fpb_suite *s, char *why, size_t len)
{
	if (!s->name || !*s->name || !s->summary) {
		fpb_snprintf(why, len, "suite without a name or summary");
		return -EINVAL;
	}
	if (s->version != FPB_SUITE_VERSION) {
		fpb_snprintf(why, len, "%s: suite version %u, want %u", s->name, s->version,
			     FPB_SUITE_VERSION);
		return -EINVAL;
	}
	return 0;
}
