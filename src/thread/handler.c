/*
** handler.c -- interrupt handlers of host functions that block where ebb
** cannot see (DESIGN.md, point 4; the API is in ebb.h).
**
** A handler slot has four states. The host thread installs (NONE ->
** ARMED) and takes back (ARMED -> NONE); the first requester claims it
** (ARMED -> RUNNING), runs it and marks it FIRED. Taking back a handler
** that a requester claimed waits for RUNNING to end, so when the host call
** has it back, the handler is not running and never will: its argument may
** go. Installing checks for a pending request after publishing ARMED, and a
** requester sets its bit before looking at the slot; both with sequential
** consistency, so one of the two always sees the other: a request is never
** missed by both.
*/
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <unistd.h>

#include "thread/park.h"
#include "thread/suspend.h"
#include "thread/thread.h"

enum { H_NONE, H_ARMED, H_RUNNING, H_FIRED };

/* Each nesting level has its own slot (thread.h): a host function that
** installed a handler and then called back into the guest keeps it while
** the inner call's host functions install theirs. A request fires every
** armed one, innermost first: each belongs to a wait that must end. */
void ebb__handler_fire(ebb_thread_t *t) {
  for (int i = EBB__MAX_NESTING - 1; i >= 0; i--) {
    ebb__handler_slot *h = &t->handlers[i];
    int armed = H_ARMED;
    if (atomic_load_explicit(&h->state, memory_order_relaxed) != H_ARMED ||
        !atomic_compare_exchange_strong(&h->state, &armed, H_RUNNING))
      continue;
    h->fn(h->arg);
    atomic_store_explicit(&h->state, H_FIRED, memory_order_release);
  }
}

bool ebb__handler_take_back(ebb_thread_t *t, uint32_t level, const void *owner) {
  ebb__handler_slot *h = &t->handlers[level];
  if (!owner || h->owner != owner) return false;
  int s = H_ARMED;
  bool ran = false;
  if (!atomic_compare_exchange_strong(&h->state, &s, H_NONE)) {
    /* Claimed by a requester. Handlers are short by contract (a write, a
    ** broadcast, a signal): yield until this one is done. */
    while (atomic_load_explicit(&h->state, memory_order_acquire) == H_RUNNING) sched_yield();
    atomic_store_explicit(&h->state, H_NONE, memory_order_relaxed);
    ran = h->ran = true;
  }
  h->owner = NULL;
  ebb__busy_enter(t); /* the host call runs on: not parked any more */
  return ran;
}

int ebb_host_set_interrupt_handler(ebb_host_call_t *call, ebb_interrupt_handler_fn fn,
                                   void *arg) {
  ebb_thread_t *t = ebb_host_thread(call);
  uint32_t level = ebb__host_call_level(call);
  ebb__handler_slot *h = &t->handlers[level];
  if (!fn || h->owner) return EBB_EARG; /* this host call installed one already */
  h->fn = fn;
  h->arg = arg;
  h->owner = call;
  ebb__busy_leave(t); /* blocked where ebb cannot see: counts as parked */
  atomic_store_explicit(&h->state, H_ARMED, memory_order_seq_cst);
  /* Mail that may run now is a reason to return too (and run again). */
  unsigned bits = atomic_load_explicit(&t->interrupt, memory_order_seq_cst);
  if ((bits & EBB__REQ_STOP_MASK) || ebb__mail_due(t)) {
    ebb__handler_take_back(t, level, call);
    return EBB_EINTR;
  }
  return 0;
}

int ebb_host_clear_interrupt_handler(ebb_host_call_t *call) {
  ebb_thread_t *t = ebb_host_thread(call);
  bool ran = ebb__handler_take_back(t, ebb__host_call_level(call), call);
  return ran || ebb_host_stop_requested(call) ? EBB_EINTR : 0;
}

bool ebb_host_stop_requested(ebb_host_call_t *call) {
  ebb_thread_t *t = ebb_host_thread(call);
  unsigned bits = atomic_load_explicit(&t->interrupt, memory_order_acquire);
  /* Mail counts: the host function returns EBB_INTERRUPTED, the messages
  ** run, and the host call runs again (exec/host.c). */
  return (bits & EBB__REQ_STOP_MASK) || ebb__mail_due(t);
}

/* ---- Handlers ebb ships ------------------------------------------------ */

void ebb_interrupt_write_fd(void *arg) {
  uint64_t one = 1;
  ssize_t n = write((int)(intptr_t)arg, &one, sizeof one);
  (void)n; /* a full pipe is already readable: the waiter wakes anyway */
}

void ebb_interrupt_cond(void *arg) {
  ebb_interrupt_cond_t *c = arg;
  pthread_mutex_lock(c->mutex);
  pthread_cond_broadcast(c->cond);
  pthread_mutex_unlock(c->mutex);
}

void ebb_interrupt_kill(void *arg) {
  ebb_interrupt_kill_t *k = arg;
  pthread_kill(k->thread, k->signo);
}
