/*
** safepoint.c -- what a guest thread does when it finds its interrupt word
** non-zero at a safe point. Its registers are saved in the thread already.
*/
#include "exec/exec.h"
#include "thread/group.h"
#include "thread/thread.h"

ebb_status_t ebb__safepoint(ebb_thread_t *t) {
  unsigned bits = atomic_load_explicit(&t->interrupt, memory_order_acquire);
  if (bits & EBB__REQ_TERMINATE) {
    /* The group is ending: unwind with its exit code. The bit stays set, so
    ** nothing this thread runs afterwards can block or continue. */
    t->exit_code = t->group ? t->group->code : 0;
    return EBB_EXIT;
  }
  if (bits & EBB__REQ_INTERRUPT) {
    /* Consume the request: a resumed call runs until the next one. */
    atomic_fetch_and_explicit(&t->interrupt, ~(unsigned)EBB__REQ_INTERRUPT,
                              memory_order_acq_rel);
    return EBB_INTERRUPTED;
  }
  /* Bits with no handler yet are cleared so they cannot stall the loop. */
  atomic_fetch_and_explicit(&t->interrupt, EBB__REQ_INTERRUPT | EBB__REQ_TERMINATE,
                            memory_order_acq_rel);
  return EBB_OK;
}
