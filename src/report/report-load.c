// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report-load.c - the report's inputs: read every result file, tell machines apart by their
 * fingerprint, and name rows so that the same measurement can be found in another result.
 */
#include "config.h"

#include <sys/stat.h>
#include <ctype.h>

#include "report.h"

/* Largest result file read (bytes). */
#define FPB_REPORT_MAX_FILE	(256 << 20)

static int fpb_rl_machine(struct fpb_rset *set, size_t i, char *why, size_t len)
{
	const char *fp = set->in[i].res.cpu.fingerprint;

	for (size_t m = 0; m < set->nmach; m++)
		if (!strcmp(set->fp[m], fp)) {
			set->in[i].machine = (int)m;
			return 0;
		}
	if (set->nmach == FPB_REPORT_MAX_MACHINES) {
		snprintf(why, len, "%s: more than %d different machines in one report",
			 set->in[i].path, FPB_REPORT_MAX_MACHINES);
		return -1;
	}
	set->fp[set->nmach] = fp;
	set->first[set->nmach] = i;
	set->in[i].machine = (int)set->nmach++;
	return 0;
}

/* Commits since the tag in `git describe` output ("v1.0-12-gabc[-dirty]"), 0 on a tag, -1. */
static long fpb_rl_rev_order(const char *rev)
{
	const char *g = strstr(rev, "-g"), *p;
	long n = 0, mul = 1;

	if (!g)
		return rev[0] == 'v' && isdigit((unsigned char)rev[1]) ? 0 : -1;
	for (p = g - 1; p > rev && isdigit((unsigned char)*p); p--) {
		n += (*p - '0') * mul;
		mul *= 10;
		if (mul > 100000000)
			return -1;
	}
	return (p > rev && *p == '-' && p + 1 < g) ? n : -1;
}

/* Read every file in order; one line naming the file on failure. */
int fpb_report_load(struct fpb_rset *set, char *const *files, size_t n, char *why, size_t len)
{
	memset(set, 0, sizeof(*set));
	set->in = calloc(n ? n : 1, sizeof(*set->in));
	if (!set->in) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		struct fpb_rin *in = &set->in[i];
		char r[2 * FPB_REASON_LEN];
		struct stat st;

		in->path = files[i];
		if (stat(files[i], &st)) {
			snprintf(why, len, "%s: cannot read: %s", files[i], strerror(errno));
			goto fail;
		}
		if (S_ISDIR(st.st_mode)) {
			snprintf(why, len, "%s: is a directory, expected a JSON result file",
				 files[i]);
			goto fail;
		}
		/* Bigger than any run writes (rows keep at most 4096 raw samples); reading it
		 * would take minutes and gigabytes. */
		if (S_ISREG(st.st_mode) && st.st_size > FPB_REPORT_MAX_FILE) {
			snprintf(why, len, "%s: %lld MiB is larger than any fpbench result (at most "
				 "%d MiB read)", files[i], (long long)(st.st_size >> 20),
				 FPB_REPORT_MAX_FILE >> 20);
			goto fail;
		}
		r[0] = '\0';
		if (fpb_result_read_json(files[i], &in->res, r, sizeof(r))) {
			for (char *c = r; *c; c++)	/* one line, whatever the file held */
				if ((unsigned char)*c < 0x20 || *c == 0x7f)
					*c = '?';
			snprintf(why, len, "%s: %s", files[i], r[0] ? r : "unreadable result");
			set->n = i + 1;	/* res is initialised and empty */
			goto fail;
		}
		set->n = i + 1;
		if (!in->res.cpu.fingerprint[0])
			snprintf(in->res.cpu.fingerprint, sizeof(in->res.cpu.fingerprint),
				 "unknown");
		in->rev_order = fpb_rl_rev_order(in->res.run.git_revision);
		if (fpb_rl_machine(set, i, why, len))
			goto fail;
	}
	return 0;
fail:
	fpb_report_free(set);
	return -1;
}

void fpb_report_free(struct fpb_rset *set)
{
	for (size_t i = 0; set->in && i < set->n; i++)
		fpb_result_free(&set->in[i].res);
	free(set->in);
	memset(set, 0, sizeof(*set));
}

void fpb_report_row_key(const struct fpb_row *row, char *buf, size_t len)
{
	snprintf(buf, len, "%s|%s|%s|%s|%s|%s|%s", row->suite, row->name, row->scenario,
		 row->mask_name, row->state, row->buffer, row->backend);
}

/* Does row have this key?  Field by field, without formatting the row's key (a report of two
 * big results calls this rows x rows times). */
static bool fpb_rl_key_eq(const struct fpb_row *row, const char *key)
{
	const char *f[] = { row->suite, row->name, row->scenario, row->mask_name, row->state,
			    row->buffer, row->backend };

	for (size_t i = 0; i < FPB_ARRAY_SIZE(f); i++) {
		size_t n = strlen(f[i]);

		if (strncmp(key, f[i], n))
			return false;
		key += n;
		if (*key != (i + 1 < FPB_ARRAY_SIZE(f) ? '|' : '\0'))
			return false;
		key++;
	}
	return true;
}

const struct fpb_row *fpb_report_find_row(const struct fpb_result *r, const char *key)
{
	for (size_t i = 0; i < r->nrows; i++)
		if (fpb_rl_key_eq(&r->rows[i], key))
			return &r->rows[i];
	return NULL;
}

/* "xsave all dirty same", "swap @ kvm-run-1": only the parts that are set. */
void fpb_report_row_label(const struct fpb_row *row, char *buf, size_t len)
{
	if (row->scenario[0])
		snprintf(buf, len, "%s @ %s", row->name, row->scenario);
	else
		snprintf(buf, len, "%s%s%s%s%s%s%s", row->name, row->mask_name[0] ? " " : "",
			 row->mask_name, row->state[0] ? " " : "", row->state,
			 row->buffer[0] && strcmp(row->buffer, "same") ? " " : "",
			 row->buffer[0] && strcmp(row->buffer, "same") ? row->buffer : "");
}

size_t fpb_report_latest(const struct fpb_rset *set, int m)
{
	size_t best = SIZE_MAX;

	for (size_t i = 0; i < set->n; i++) {
		if (set->in[i].machine != m)
			continue;
		/* ISO 8601 UTC timestamps order as strings; ties: the later file given. */
		if (best == SIZE_MAX ||
		    strcmp(set->in[i].res.run.timestamp, set->in[best].res.run.timestamp) >= 0)
			best = i;
	}
	return best;
}

double fpb_report_state_bytes(const struct fpb_cpu *c, const struct fpb_row *row)
{
	uint64_t mask = row->mask ? row->mask & c->xcr0 : c->xcr0;
	double b = 512 + 64;

	if (!c->xcr0)
		return c->xsave_size_xcr0;
	for (unsigned i = 2; i < FPB_XSTATE_MAX; i++)
		if ((mask & FPB_BIT(i)) && c->comp[i].present && !c->comp[i].supervisor)
			b += c->comp[i].size;
	return b;
}
