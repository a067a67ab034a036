// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * output.c - the writer registry (src/report/writers.def) and atomic file output: a temporary file in the target's
 * directory, fflush + fsync, then rename, so a reader never sees a half-written result; the
 * temporaries of writers killed mid-write are removed by the next write into that directory.
 */
#include <ctype.h>
#include <time.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <sys/stat.h>

#include "output.h"
#include "output-util.h"
#include "xstate.h"

#include "writers.def"

#define FPB_X_DECL(id) extern const struct fpb_writer fpb_writer_##id;
#define FPB_X_ENTRY(id) &fpb_writer_##id,
FPB_WRITERS(FPB_X_DECL)

/* In --format order; bit i of fpb_options.formats selects fpb_writers[i]. */
const struct fpb_writer *const fpb_writers[] = {
	FPB_WRITERS(FPB_X_ENTRY)
	NULL
};

const size_t fpb_nr_writers = FPB_ARRAY_SIZE(fpb_writers) - 1;

int fpb_writer_check(const struct fpb_writer *w, char *why, size_t len)
{
	if (!w->name || !*w->name || !w->ext || !*w->ext || !w->write) {
		snprintf(why, len, "writer without a name, extension or write function");
		return -EINVAL;
	}
	if (w->version != FPB_WRITER_VERSION) {
		snprintf(why, len, "%s: writer version %u, want %u", w->name, w->version,
			 FPB_WRITER_VERSION);
		return -EINVAL;
	}
	return 0;
}

/* Look up a writer by name; NULL when unknown. */
const struct fpb_writer *fpb_writer_find(const char *name)
{
	for (size_t i = 0; i < fpb_nr_writers; i++)
		if (!strcmp(fpb_writers[i]->name, name))
			return fpb_writers[i];
	return NULL;
}

const char *const fpb_row_flag_names[] = {
	"unstable", "drifted", "functional-only", "virtualised", "stand-in", "fastest", "noisy",
	"disturbed",
};
const size_t fpb_nr_row_flags = FPB_ARRAY_SIZE(fpb_row_flag_names);

static const char *const fpb_status_names[] = {
	[FPB_ROW_MEASURED]	= "measured",
	[FPB_ROW_SKIPPED]	= "skipped",
	[FPB_ROW_FAILED]	= "failed",
	[FPB_ROW_NA]		= "n/a",
};

/* Name of a row status. */
const char *fpb_row_status_name(enum fpb_row_status st)
{
	if ((unsigned)st < FPB_ARRAY_SIZE(fpb_status_names))
		return fpb_status_names[st];
	return "unknown";
}

/* Parse a row status name; 0, or -1 when unknown. */
int fpb_row_status_parse(const char *s, enum fpb_row_status *out)
{
	for (size_t i = 0; i < FPB_ARRAY_SIZE(fpb_status_names); i++)
		if (!strcmp(s, fpb_status_names[i])) {
			*out = (enum fpb_row_status)i;
			return 0;
		}
	return -1;
}

/* Join the names of the set flags with sep. */
void fpb_row_flags_str(unsigned flags, const char *sep, char *buf, size_t len)
{
	size_t off = 0;

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < fpb_nr_row_flags && off < len; i++)
		if (flags & (1u << i))
			off += snprintf(buf + off, len - off, "%s%s", off ? sep : "",
					fpb_row_flag_names[i]);
}

/* Component names of mask, space separated. */
void fpb_xmask_names(uint64_t mask, char *buf, size_t len)
{
	size_t off = 0;

	if (len)
		buf[0] = '\0';
	if (!mask) {
		snprintf(buf, len, "none");
		return;
	}
	for (unsigned i = 0; i < 64 && off < len; i++)
		if (mask & FPB_BIT(i))
			off += snprintf(buf + off, len - off, "%s%s", off ? " " : "",
					fpb_xfeature_name(i));
}

/* ns per op of a measured row's median; -1 when unknown. */
double fpb_row_median_ns(const struct fpb_row *row)
{
	if (row->status != FPB_ROW_MEASURED || !(row->ns_per_unit > 0))
		return -1.0;
	return row->st.median * row->ns_per_unit;
}

/* Known TSC frequency sources (cpu.h), so a read result can point at a static string. */
const char *fpb_tsc_source_intern(const char *s)
{
	static const char *const known[] = {
		"cpuid-0x15", "cpuid-0x16", "hypervisor-0x40000010", "calibrated", "unknown",
		"cntfrq_el0",	/* arm64: the generic timer's frequency (src/cpu/cpu-arm64.c) */
	};

	for (size_t i = 0; s && i < FPB_ARRAY_SIZE(known); i++)
		if (!strcmp(s, known[i]))
			return known[i];
	return "unknown";
}

/* Split path into its directory ("." when none) for the temporary file. */
static void fpb_dirname(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, len, ".");
	else if (slash == path)
		snprintf(dir, len, "/");
	else
		snprintf(dir, len, "%.*s", (int)(slash - path), path);
}

int fpb_output_can_write(const char *path, char *why, size_t len)
{
	char dir[4096];
	struct stat st;

	if (!stat(path, &st)) {
		if (S_ISDIR(st.st_mode)) {
			snprintf(why, len, "is a directory");
			return -1;
		}
		if (!S_ISREG(st.st_mode)) {	/* a device or FIFO: written in place */
			if (!access(path, W_OK))
				return 0;
			snprintf(why, len, "%s", strerror(errno));
			return -1;
		}
	}
	fpb_dirname(path, dir, sizeof(dir));
	errno = 0;
	if (stat(dir, &st) || !S_ISDIR(st.st_mode) || access(dir, W_OK | X_OK)) {
		snprintf(why, len, "directory %s: %s", dir, errno ? strerror(errno) :
			 "not a directory");
		return -1;
	}
	return 0;
}

/*
 * Write r with w straight into an existing device, FIFO or socket (/dev/null, /dev/stdout on a
 * pipe): such a path cannot be replaced by a rename, and must not be (as root the rename would
 * turn /dev/null into a regular file).  Returns 0, or -1 with a one-line reason in why.
 */
static int fpb_output_write_special(const struct fpb_writer *w, const struct fpb_result *r,
				    const char *path, char *why, size_t len)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_NOCTTY);
	FILE *f;
	int bad;

	if (fd < 0) {
		snprintf(why, len, "cannot open: %s", strerror(errno));
		return -1;
	}
	f = fdopen(fd, "a");
	if (!f) {
		snprintf(why, len, "cannot open: %s", strerror(errno));
		close(fd);
		return -1;
	}
	errno = 0;
	bad = w->write(f, r) || fflush(f) || ferror(f);
	if (bad && !errno)
		errno = EIO;
	if (fclose(f) && !bad) {
		bad = 1;
		errno = errno ? errno : EIO;
	}
	if (bad) {
		snprintf(why, len, "cannot write %s format: %s", w->name, strerror(errno));
		return -1;
	}
	return 0;
}

static int fpb_output_write_atomic(const struct fpb_writer *w, const struct fpb_result *r,
				   const char *path, char *why, size_t len);

/*
 * Temporary files are named ".<name>.tmp-<pid>-XXXXXX" after their writer.  A writer killed
 * with SIGKILL (the one signal it cannot wait out) leaves one behind; the next write into the
 * same directory removes those whose writer no longer exists.  Earlier versions named them
 * ".<name>.tmpXXXXXX" without the pid: those are removed once an hour old (a write takes
 * seconds).  Returns the number removed.
 */
size_t fpb_output_clean_stale(const char *dir)
{
	struct dirent *d;
	size_t n = 0;
	DIR *dp = opendir(dir);

	if (!dp)
		return 0;
	while ((d = readdir(dp))) {
		const char *t = d->d_name[0] == '.' ? strstr(d->d_name + 1, ".tmp-") : NULL;
		size_t nl = strlen(d->d_name);
		char p[4096], *end;
		struct stat st;
		long pid;

		if (d->d_name[0] == '.' && nl > 12 && !strncmp(d->d_name + nl - 10, ".tmp", 4) &&
		    !strchr(d->d_name + nl - 6, '-') &&
		    snprintf(p, sizeof(p), "%s/%s", dir, d->d_name) < (int)sizeof(p) &&
		    !lstat(p, &st) && S_ISREG(st.st_mode) && time(NULL) - st.st_mtime > 3600) {
			n += !unlink(p);
			continue;
		}
		if (!t || t == d->d_name + 1)
			continue;
		errno = 0;
		pid = strtol(t + 5, &end, 10);
		if (errno || pid <= 0 || !isdigit((unsigned char)t[5]) || *end != '-' ||
		    strlen(end) != 7)
			continue;
		if (!kill((pid_t)pid, 0) || errno != ESRCH)
			continue;
		if (snprintf(p, sizeof(p), "%s/%s", dir, d->d_name) >= (int)sizeof(p) ||
		    lstat(p, &st) || !S_ISREG(st.st_mode))
			continue;
		n += !unlink(p);
	}
	closedir(dp);
	return n;
}

/*
 * Write r with w to path atomically.  Returns 0, or -1 with a one-line reason in why; on
 * failure the temporary file is removed and path is untouched.  A symbolic link to a regular
 * file is kept: its target is replaced.  An existing device or FIFO is written in place.
 * Ctrl-C, SIGTERM and SIGHUP wait until the file is complete (or not there at all), so an
 * interrupted run leaves no temporary file behind.
 */
int fpb_output_write_file(const struct fpb_writer *w, const struct fpb_result *r,
			  const char *path, char *why, size_t len)
{
	sigset_t block, old;
	int rc;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	sigprocmask(SIG_BLOCK, &block, &old);
	rc = fpb_output_write_atomic(w, r, path, why, len);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

static int fpb_output_write_atomic(const struct fpb_writer *w, const struct fpb_result *r,
				   const char *path, char *why, size_t len)
{
	char dir[4096], tmp[4200], *real = NULL;
	const char *base;
	struct stat st;
	FILE *f = NULL;
	int fd, err, rc;

	if (!stat(path, &st)) {
		if (S_ISDIR(st.st_mode)) {
			snprintf(why, len, "is a directory");
			return -1;
		}
		if (!S_ISREG(st.st_mode))
			return fpb_output_write_special(w, r, path, why, len);
		if (!lstat(path, &st) && S_ISLNK(st.st_mode)) {
			real = realpath(path, NULL);
			if (real) {
				rc = fpb_output_write_atomic(w, r, real, why, len);
				free(real);
				return rc;
			}
		}
	}
	fpb_dirname(path, dir, sizeof(dir));
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if (!*base) {
		snprintf(why, len, "not a file name");
		return -1;
	}
	fpb_output_clean_stale(dir);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp-%ld-XXXXXX", dir, base, (long)getpid());
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(why, len, "cannot create a file in %s: %s", dir, strerror(errno));
		return -1;
	}
	/* mkstemp makes it 0600; results are ordinary files. */
	if (fchmod(fd, 0644) == 0) {
		mode_t um = umask(022);

		umask(um);
		fchmod(fd, 0666 & ~um);
	}
	f = fdopen(fd, "w");
	if (!f) {
		err = errno;
		close(fd);
		goto fail;
	}
	if (w->write(f, r)) {
		err = errno ? errno : EIO;
		goto fail;
	}
	if (fflush(f) || ferror(f) || fsync(fileno(f))) {
		err = errno ? errno : EIO;
		goto fail;
	}
	if (fclose(f)) {
		f = NULL;
		err = errno;
		goto fail;
	}
	f = NULL;
	if (rename(tmp, path)) {
		err = errno;
		goto fail;
	}
	/* Make the rename itself durable. */
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	return 0;
fail:
	if (f)
		fclose(f);
	unlink(tmp);
	snprintf(why, len, "cannot write %s format: %s", w->name, strerror(err));
	return -1;
}
