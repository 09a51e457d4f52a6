/*
** handler.c -- interrupt handlers of host functions that block where ebb
** cannot see (DESIGN.md, point 4; the API is in ebb.h).
**
** A handler slot has five states. The host thread installs (NONE ->
** ARMED) and takes back (ARMED -> NONE); the first stop requester claims it
** (ARMED -> RUNNING), runs it and marks it FIRED; a message's poster runs it
** too (ARMED -> MAIL) but then arms it again, unless a stop request came
** meanwhile. Taking back a handler that is running waits for the run to
** end, so when the host call has it back, the handler is not running and
** never will: its argument may go. Installing checks for a pending request after publishing ARMED, and a
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

/* H_MAIL: running for a message, to be installed again after; a stop
** request that finds it so turns it into H_RUNNING, and the mail run then
** runs it once more for the stop and leaves it H_FIRED. */
enum { H_NONE, H_ARMED, H_RUNNING, H_FIRED, H_MAIL };

/* Each nesting level has its own slot (thread.h): a host function that
** installed a handler and then called back into the guest keeps it while
** the inner call's host functions install theirs. A request fires every
** armed one, innermost first: each belongs to a wait that must end. */
/* Mail wakes a host call so it can return and let messages run; where they
** cannot run (inside a message) it waits on, and its handler must still be
** there for a stop request: a mail run leaves it armed. */
static void fire_one(ebb__handler_slot *h, bool mail) {
  for (;;) {
    int s = atomic_load_explicit(&h->state, memory_order_acquire);
    if (s == H_ARMED) {
      if (!atomic_compare_exchange_strong(&h->state, &s, mail ? H_MAIL : H_RUNNING)) continue;
      h->fn(h->arg);
      int running = H_MAIL;
      if (mail && atomic_compare_exchange_strong(&h->state, &running, H_ARMED)) return;
      if (mail) h->fn(h->arg); /* a stop request came meanwhile: run it for that */
      atomic_store_explicit(&h->state, H_FIRED, memory_order_release);
      return;
    }
    /* A stop request while a mail run is in progress: that run will run
    ** the handler again, for us. */
    if (s == H_MAIL && !mail && !atomic_compare_exchange_strong(&h->state, &s, H_RUNNING))
      continue;
    return;
  }
}

void ebb__handler_fire(ebb_thread_t *t, bool rearm) {
  for (int i = EBB__MAX_NESTING - 1; i >= 0; i--) {
    ebb__handler_slot *h = &t->handlers[i];
    if (atomic_load_explicit(&h->state, memory_order_relaxed) != H_NONE) fire_one(h, rearm);
  }
}

bool ebb__handler_take_back(ebb_thread_t *t, uint32_t level, const void *owner) {
  ebb__handler_slot *h = &t->handlers[level];
  if (!owner || h->owner != owner) return false;
  bool ran = false;
  for (;;) {
    int s = H_ARMED;
    if (atomic_compare_exchange_strong(&h->state, &s, H_NONE)) break;
    if (s != H_MAIL) ran = true; /* it ran, or runs now, for a stop request */
    if (s == H_FIRED) {
      atomic_store_explicit(&h->state, H_NONE, memory_order_relaxed);
      break;
    }
    /* Running for a request or a message. Handlers are short by contract
    ** (a write, a broadcast, a signal): yield until it is done. */
    sched_yield();
  }
  if (ran) h->ran = true;
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
