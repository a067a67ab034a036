/* SPDX-License-Identifier: GPL-2.0-or-later */
/* session.h - shared state of one fpbench run, handed to every suite. */
#ifndef FPB_SESSION_H
#define FPB_SESSION_H

#include "cpu.h"
#include "backend.h"
#include "timer.h"
#include "result.h"

struct fpb_session {
	struct fpb_cpu cpu;
	struct fpb_backend backend;	/* opened backend (--backend) */
	struct fpb_timer *timer;
	struct fpb_runinfo *run;	/* points into the result */
};

struct fpb_options;

/*
 * Open a session for o: detect the CPU (and what only the running system knows), the TSC
 * frequency, initialise the timer, pin the thread (--cpu), probe and open the backend, record
 * the system information.  Fills r->cpu and r->run (version, revision, timer, placement).
 * Returns 0, or -1 with a one-line reason in why (a runtime failure, exit status 1).
 */
int fpb_session_open(struct fpb_session *s, const struct fpb_options *o, struct fpb_result *r,
		     char *why, size_t len);
/* Close the backend and the timer; records duration and context switches in r->run. */
void fpb_session_close(struct fpb_session *s, struct fpb_result *r);
/* Record argv, shell-quoted where needed, as the run's command line. */
void fpb_session_command_line(struct fpb_runinfo *run, int argc, char **argv);

#endif /* FPB_SESSION_H */
