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

#endif /* FPB_SESSION_H */
