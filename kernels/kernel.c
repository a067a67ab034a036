// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kernel.c - names of the register and buffer conditions (the vocabulary used everywhere in
 * fpbench): init, dirty, unmodified; same, rotate:K, cold.
 */
#include "kernel.h"

static const char *const state_names[FPB_NR_STATES] = {
	[FPB_STATE_INIT] = "init",
	[FPB_STATE_DIRTY] = "dirty",
	[FPB_STATE_UNMODIFIED] = "unmodified",
};

/* fpb_state_name() - "init", "dirty", "unmodified"; "?" for anything else. */
const char *fpb_state_name(enum fpb_state s)
{
	return (unsigned)s < FPB_NR_STATES ? state_names[s] : "?";
}

/* fpb_state_parse() - exact name to enum; returns 0, or -EINVAL for an unknown name. */
int fpb_state_parse(const char *s, enum fpb_state *out)
{
	if (!s)
		return -EINVAL;
	for (unsigned i = 0; i < FPB_NR_STATES; i++) {
		if (!strcmp(s, state_names[i])) {
			*out = (enum fpb_state)i;
			return 0;
		}
	}
	return -EINVAL;
}

/*
 * fpb_buffer_parse() - "same", "cold" or "rotate:K" with 1 <= K <= FPB_KCTX_MAX_BUFS (decimal,
 * nothing after it).  Returns 0, or -EINVAL leaving *out untouched.
 */
int fpb_buffer_parse(const char *s, struct fpb_buffer_spec *out)
{
	unsigned long k = 0;
	const char *p;

	if (!s)
		return -EINVAL;
	if (!strcmp(s, "same")) {
		out->mode = FPB_BUF_SAME;
		out->k = 1;
		return 0;
	}
	if (!strcmp(s, "cold")) {
		out->mode = FPB_BUF_COLD;
		out->k = 1;
		return 0;
	}
	if (strncmp(s, "rotate:", 7))
		return -EINVAL;
	p = s + 7;
	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		k = k * 10 + (unsigned long)(*p - '0');
		if (k > FPB_KCTX_MAX_BUFS)
			return -EINVAL;
	}
	if (*p || k < 1)
		return -EINVAL;
	out->mode = FPB_BUF_ROTATE;
	out->k = (unsigned)k;
	return 0;
}

/* fpb_buffer_name() - the spelling fpb_buffer_parse() accepts: "same", "rotate:4", "cold". */
void fpb_buffer_name(const struct fpb_buffer_spec *b, char *buf, size_t len)
{
	switch (b->mode) {
	case FPB_BUF_SAME:
		fpb_snprintf(buf, len, "same");
		break;
	case FPB_BUF_ROTATE:
		fpb_snprintf(buf, len, "rotate:%u", b->k);
		break;
	case FPB_BUF_COLD:
		fpb_snprintf(buf, len, "cold");
		break;
	default:
		fpb_snprintf(buf, len, "?");
		break;
	}
}
