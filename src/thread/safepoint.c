/*
** safepoint.c -- what a guest thread does when it finds its interrupt word
** non-zero: at a safe point (its registers are saved in the thread), or when
** a host function it called stopped for a request.
*/
#include "exec/exec.h"
#include "thread/group.h"
#include "thread/mail.h"
#include "thread/suspend.h"
#include "thread/thread.h"

/* Unwind for the group's end: the bit stays set, so nothing this thread runs
** afterwards can block or continue. */
static ebb_status_t terminate(ebb_thread_t *t) {
  t->exit_code = t->group ? t->group->code : 0;
  return EBB_EXIT;
}

/* Consume an interrupt: a resumed call runs until the next one. */
static void consume_interrupt(ebb_thread_t *t) {
  atomic_fetch_and_explicit(&t->interrupt, ~(unsigned)EBB__REQ_INTERRUPT, memory_order_acq_rel);
}

/* Bits with no effect yet are cleared so they cannot stall the loop. MAIL
** and SUSPEND stay: their owners clear them (mail.c, suspend.c). */
static void clear_inert(ebb_thread_t *t) {
  atomic_fetch_and_explicit(&t->interrupt,
                            EBB__REQ_INTERRUPT | EBB__REQ_TERMINATE | EBB__REQ_MAIL |
                                EBB__REQ_SUSPEND,
                            memory_order_acq_rel);
}

ebb_status_t ebb__safepoint(ebb_thread_t *t) {
  for (;;) {
    unsigned bits = atomic_load_explicit(&t->interrupt, memory_order_acquire);
    if (bits & EBB__REQ_TERMINATE) return terminate(t);
    if (bits & EBB__REQ_INTERRUPT) {
      consume_interrupt(t);
      return EBB_INTERRUPTED;
    }
    /* After messages or a suspension, look again: a message may have
    ** asked for a stop, and a stop request ends a suspension's park. A
    ** safe point inside a message's own call into the guest runs no
    ** messages: they run one at a time (ebb.h); only a wait nests them. */
    if ((bits & EBB__REQ_MAIL) && !t->mail_depth && ebb__mail_allowed(t) && ebb__mail_run(t))
      continue;
    if (bits & EBB__REQ_SUSPEND) {
      ebb__suspend_park(t);
      continue;
    }
    clear_inert(t);
    return EBB_OK;
  }
}

ebb_status_t ebb__host_stop(ebb_thread_t *t, ebb__level *level) {
  unsigned bits = atomic_load_explicit(&t->interrupt, memory_order_acquire);
  if (bits & EBB__REQ_TERMINATE) return terminate(t);
  if (bits & EBB__REQ_INTERRUPT) {
    consume_interrupt(t);
    return EBB_INTERRUPTED;
  }
  if (level->inner_stopped) {
    /* An inner call consumed the interrupt; the host function passes the
    ** stop on to this call, which stops at the call instruction. */
    level->inner_stopped = false;
    return EBB_INTERRUPTED;
  }
  /* Requests without effect, or a handler run for a request that a safe
  ** point consumed before the host call began: run the host call again. */
  ebb__handler_slot *h = &t->handlers[level - t->levels];
  if ((bits & (EBB__REQ_STOP_MASK | EBB__REQ_MAIL)) || h->ran) {
    h->ran = false;
    clear_inert(t);
    return EBB_OK;
  }
  return EBB_TRAP;
}
