// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * integrity.c - the checker: after every event, every context's architectural state is exactly its
 * own and sits where the design says it is.
 *
 * Where a state lives follows the designs, not the strategy code under test:
 *   - a task's user state is in the registers of its CPU while it is current there and has no
 *     pending load (TIF_NEED_FPU_LOAD clear), else in its fpstate buffer;
 *   - inside KVM_RUN with the swap policy the guest state takes that place (fpu->fpstate points to
 *     the guest fpstate) and the user state waits in the task's own fpstate;
 *   - inside KVM_RUN with copy3 the guest state takes the registers' place and, when saved, the
 *     task buffer's; the user state waits in vcpu->arch.user_fpu;
 *   - outside KVM_RUN the guest state is in the guest fpstate / guest_fpu.
 * Registers are read back by saving them into a scratch buffer (raw, uncounted) before anything
 * else runs.  PKRU is checked where it is real state (XCR0 has PKRU): a task's in user mode and at
 * user-memory access, the guest's in guest mode.
 *
 * Besides the register contents: each CPU's IA32_XFD (as last written) is the XFD of the fpstate
 * whose state its registers hold (fpu->fpstate->xfd of a live context), and a task outside
 * KVM_RUN keeps XFD armed for every dynamic feature (no task here has AMX permission); XCR0 and
 * IA32_XSS are the host's on every CPU whose current context is not in guest mode, the guest's in
 * guest mode.
 */
#include "machine.h"
#include "xstate.h"
#include "fpb_nofp.h"

#define PKRU_BIT	FPB_BIT(FPB_XF_PKRU)

static bool same_image(const struct fpb_sim_image *a, const struct fpb_sim_image *b)
{
	return a->owner == b->owner && a->guest == b->guest && a->gen == b->gen &&
	       a->pkru == b->pkru && a->features == b->features && a->init_comps == b->init_comps;
}

/* The expected standard image of img, cached per context and slot. */
static const void *expected(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned slot,
			    const struct fpb_sim_image *img)
{
	if (!same_image(&c->exp_of[slot], img)) {
		fpb_sim_image_write(&m->lay, c->exp[slot], img);
		c->exp_of[slot] = *img;
	}
	return c->exp[slot];
}

static uint32_t get32(const void *p)
{
	const uint8_t *b = p;

	return b[0] | (b[1] << 8) | (b[2] << 16) | ((uint32_t)b[3] << 24);
}

/* PKRU of cpu as the registers hold it. */
static uint32_t pkru_of(struct fpb_machine *m, unsigned cpu, const void *regs)
{
	const struct fpb_xsave_hdr *h = (const void *)((const char *)regs + FPB_XSAVE_HDR_OFFSET);

	if (!m->pkru_enabled)
		return m->cpu[cpu].pkru;
	if (!(h->xstate_bv & PKRU_BIT))
		return 0;
	return get32((const char *)regs + m->lay.std_off[FPB_XF_PKRU]);
}

static int fail(char *why, size_t len, const struct fpb_sim_ctx *c, const char *state,
		const char *where, const char *detail)
{
	fpb_snprintf(why, len, "ctx %u (%s) lost its %s state in %s: %s", c->id, c->name, state,
		     where, detail);
	return -EPROTO;
}

static int check_buf(struct fpb_machine *m, struct fpb_sim_ctx *c, unsigned slot,
		     const struct fpb_sim_image *img, const void *buf, const char *state,
		     const char *where, char *why, size_t len)
{
	char d[FPB_REASON_LEN];

	if (fpb_sim_state_compare(&m->lay, expected(m, c, slot, img), buf,
				  m->lay.features & ~PKRU_BIT, d, sizeof(d)))
		return fail(why, len, c, state, where, d);
	return 0;
}

/* IA32_XFD, XCR0 and IA32_XSS of each CPU against its current context. */
static int check_cpu_regs(struct fpb_machine *m, char *why, size_t len)
{
	for (unsigned i = 0; i < m->ncpus; i++) {
		const struct fpb_sim_cpu *pc = &m->cpu[i];
		const struct fpb_sim_ctx *c = pc->curr;
		bool guest = c->in_guest;
		uint64_t xcr0 = guest ? c->guest_xcr0 : m->host_xcr0;
		uint64_t xss = guest ? c->guest_xss : m->host_xss;

		if (pc->xcr0 != xcr0 || pc->xss != xss) {
			fpb_snprintf(why, len, "cpu%u: XCR0 0x%llx IA32_XSS 0x%llx, want the %s's "
				     "0x%llx 0x%llx", i, (unsigned long long)pc->xcr0,
				     (unsigned long long)pc->xss, guest ? "guest" : "host",
				     (unsigned long long)xcr0, (unsigned long long)xss);
			return -EPROTO;
		}
		if (!m->has_xfd || (c->flags & FPB_CTX_KTHREAD))
			continue;
		if (!c->vcpu_loaded && c->task_fps.xfd != (c->amx_enabled ? 0 : m->xfd_dynamic)) {
			fpb_snprintf(why, len, "ctx %u (%s): task fpstate XFD 0x%llx, want 0x%llx "
				     "(%s)", c->id, c->name, (unsigned long long)c->task_fps.xfd,
				     (unsigned long long)(c->amx_enabled ? 0 : m->xfd_dynamic),
				     c->amx_enabled ? "AMX in use after its first use" :
				     c->amx_permitted ? "armed until the first use" :
				     "armed: no AMX permission");
			return -EPROTO;
		}
		if ((!c->need_load || c->in_user || guest) && pc->xfd != c->fps->xfd) {
			fpb_snprintf(why, len, "cpu%u: IA32_XFD 0x%llx, want 0x%llx (the XFD of "
				     "ctx %u's %s fpstate, whose state the registers hold)", i,
				     (unsigned long long)pc->xfd,
				     (unsigned long long)c->fps->xfd, c->id,
				     c->fps == &c->guest_fps ? "guest" : "task");
			return -EPROTO;
		}
	}
	return 0;
}

int fpb_integrity_check(struct fpb_machine *m, const struct fpb_sim_event *ev, char *why,
			size_t len)
{
	const void *regs[FPB_SIM_MAX_CPUS];
	bool swap = m->guest && (m->guest->flags & FPB_STRAT_FPSTATE_SWAP);
	int r;

	/* First, before any other code can touch them: the live registers. */
	fpb_sim_zero((char *)m->scratch + FPB_XSAVE_HDR_OFFSET, FPB_XSAVE_HDR_SIZE);
	r = m->be->ops->save(m->be, FPB_OP_XSAVE, m->scratch, m->lay.features);
	if (r < 0) {
		fpb_snprintf(why, len, "cannot read the registers back (%d)", r);
		return -EIO;
	}
	for (unsigned i = 0; i < m->ncpus; i++)
		regs[i] = i == m->live_cpu ? m->scratch : m->cpu[i].shadow;

	for (unsigned i = 0; i < m->nctx; i++) {
		struct fpb_sim_ctx *c = &m->ctx[i];
		bool on_cpu = m->cpu[c->cpu].curr == c;
		bool live = on_cpu && !c->need_load;
		const void *user_at, *guest_at = NULL;
		const char *user_where, *guest_where = NULL;

		if (c->flags & FPB_CTX_KTHREAD)
			continue;
		if (on_cpu && c->in_user && c->need_load)
			return fail(why, len, c, "user", "user mode", "registers not loaded");
		if (!c->vcpu_loaded) {
			user_at = live ? regs[c->cpu] : c->task_fps.buf;
			user_where = live ? "the registers" : "its fpstate";
			if (c->flags & FPB_CTX_VCPU) {
				guest_at = c->guest_fps.buf;
				guest_where = "the guest fpstate";
			}
		} else if (swap) {
			user_at = c->task_fps.buf;
			user_where = "the task fpstate";
			guest_at = live ? regs[c->cpu] : c->guest_fps.buf;
			guest_where = live ? "the registers" : "the swapped-in guest fpstate";
		} else {
			user_at = c->user_fpu.buf;
			user_where = "user_fpu";
			guest_at = live ? regs[c->cpu] : c->task_fps.buf;
			guest_where = live ? "the registers" : "the task buffer";
		}
		r = check_buf(m, c, 0, &c->user_img, user_at, "user", user_where, why, len);
		if (!r && guest_at)
			r = check_buf(m, c, 1, &c->guest_img, guest_at, "guest", guest_where, why,
				      len);
		if (!r && c->in_handler)
			r = check_buf(m, c, 2, &c->sig_saved, c->sigframe, "pre-signal",
				      "the signal frame", why, len);
		if (r)
			return r;

		/* PKRU, where it is real state. */
		if (m->pkru_enabled && on_cpu) {
			uint32_t have = pkru_of(m, (unsigned)c->cpu, regs[c->cpu]);
			uint32_t want = c->in_guest ? c->guest_img.pkru : c->user_img.pkru;
			bool must = c->in_guest || c->in_user ||
				    (ev->type == FPB_EV_USER_ACCESS && ev->cpu == c->cpu);

			if (must && have != want) {
				fpb_snprintf(why, len, "ctx %u (%s): PKRU 0x%x, want 0x%x (%s)",
					     c->id, c->name, have, want,
					     c->in_guest ? "guest mode" : c->in_user ? "user mode" :
					     "user-memory access");
				return -EPROTO;
			}
		}
	}

	r = check_cpu_regs(m, why, len);
	if (r)
		return r;

	/* What a tracer or KVM_GET_XSAVE read must be the tracee's state. */
	if (ev->type == FPB_EV_PTRACE_READ || ev->type == FPB_EV_KVM_GET_XSAVE) {
		struct fpb_sim_ctx *t = &m->ctx[ev->ctx];
		bool guest = ev->type == FPB_EV_KVM_GET_XSAVE;

		const struct fpb_sim_image *img = guest ? &t->guest_img : &t->user_img;

		r = check_buf(m, t, guest ? 1 : 0, img, m->uabi, guest ? "guest" : "user",
			      "the user-ABI copy", why, len);
		if (r)
			return r;
		if (m->pkru_enabled && fpb_fpu_uabi_pkru(m, m->uabi) != img->pkru) {
			fpb_snprintf(why, len, "ctx %u (%s): PKRU 0x%x in the user-ABI copy, want "
				     "0x%x", t->id, t->name, fpb_fpu_uabi_pkru(m, m->uabi),
				     img->pkru);
			return -EPROTO;
		}
	}
	return 0;
}
