// SPDX-License-Identifier: GPL-2.0-or-later
/* backends/registry.c - every backend, from backends/backends.def. */
#include "backend.h"
#include "backends.def"

#define FPB_X_DECL(id) extern const struct fpb_backend_ops fpb_backend_##id;
#define FPB_X_ENTRY(id) &fpb_backend_##id,
FPB_BACKENDS(FPB_X_DECL)

const struct fpb_backend_ops *const fpb_backends[] = {
	FPB_BACKENDS(FPB_X_ENTRY)
	NULL
};

const size_t fpb_nr_backends = FPB_ARRAY_SIZE(fpb_backends) - 1;

const struct fpb_backend_ops *fpb_backend_find(const char *name)
{
	for (size_t i = 0; i < fpb_nr_backends; i++)
		if (!strcmp(fpb_backends[i]->name, name))
			return fpb_backends[i];
	return NULL;
}
