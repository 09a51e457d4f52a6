/*
** suspend.c -- suspending and continuing threads and groups, and waiting
** until they are parked (suspend.h; the API is in ebb.h).
**
** A suspension is the SUSPEND bit of the interrupt word. Unlike a stop
** request it does not end waits: a blocked thread already runs nothing, so
** it counts as parked where it is (busy == 0), and its wait re-checks
** SUSPEND when it ends, through ebb__busy_enter. Who suspended a thread is
** kept in `suspended`, changed under the thread's handle slot lock, so a
** thread suspension and a group suspension can come and go independently.
**
** Those waiting for a suspension to complete are few and rare, so they
** share one list; a thread that stops being busy while suspended wakes
** them all and each looks again.
*/
#include "thread/suspend.h"

#include <stdatomic.h>

#include "base/clock.h"
#include "thread/group.h"
#include "thread/handle.h"
#include "thread/mail.h"
#include "thread/park.h"
#include "thread/thread.h"

static pthread_mutex_t waiters_lock = PTHREAD_MUTEX_INITIALIZER;
static ebb__sleeper *waiters;

static void waiters_wake(void) {
  pthread_mutex_lock(&waiters_lock);
  for (ebb__sleeper *s = waiters; s; s = s->next) ebb__sleeper_wake(s);
  pthread_mutex_unlock(&waiters_lock);
}

static void waiters_add(ebb__sleeper *s) {
  pthread_mutex_lock(&waiters_lock);
  s->next = waiters;
  waiters = s;
  pthread_mutex_unlock(&waiters_lock);
}

static void waiters_remove(ebb__sleeper *s) {
  pthread_mutex_lock(&waiters_lock);
  for (ebb__sleeper **p = &waiters; *p; p = &(*p)->next)
    if (*p == s) {
      *p = s->next;
      break;
    }
  pthread_mutex_unlock(&waiters_lock);
}

static bool suspend_pending(const ebb_thread_t *t) {
  return atomic_load_explicit(&((ebb_thread_t *)t)->interrupt, memory_order_seq_cst) &
         EBB__REQ_SUSPEND;
}

bool ebb__must_park(const ebb_thread_t *t) {
  /* A message the suspension lets run (EBB_SUSPEND_RUN_MAIL) runs to its
  ** end, calls into the guest included: parking it would wait forever. */
  return suspend_pending(t) && !(t->mail_depth && ebb__mail_allowed(t));
}

void ebb__busy_leave(ebb_thread_t *t) {
  if (atomic_fetch_sub_explicit(&t->busy, 1, memory_order_seq_cst) == 1 && suspend_pending(t))
    waiters_wake();
}

void ebb__busy_enter(ebb_thread_t *t) {
  atomic_fetch_add_explicit(&t->busy, 1, memory_order_seq_cst);
  if (ebb__must_park(t)) ebb__suspend_park(t);
}

bool ebb__mail_allowed(const ebb_thread_t *t) {
  unsigned s = atomic_load_explicit(&((ebb_thread_t *)t)->suspended, memory_order_acquire);
  return (!(s & EBB__SUSP_THREAD) || (s & EBB__SUSP_THREAD_MAIL)) &&
         (!(s & EBB__SUSP_GROUP) || (s & EBB__SUSP_GROUP_MAIL));
}

/* Run messages from a wait, where the thread counts as not busy. */
static void run_mail_idle(ebb_thread_t *t) {
  atomic_fetch_add_explicit(&t->busy, 1, memory_order_seq_cst);
  ebb__mail_run(t);
  ebb__busy_leave(t);
}

void ebb__suspend_park(ebb_thread_t *t) {
  ebb__busy_leave(t);
  for (;;) {
    uint32_t seen = ebb__park_seen(t);
    unsigned bits = atomic_load_explicit(&t->interrupt, memory_order_seq_cst);
    if ((bits & (EBB__REQ_INTERRUPT | EBB__REQ_TERMINATE)) || !(bits & EBB__REQ_SUSPEND)) break;
    if ((bits & EBB__REQ_MAIL) && ebb__mail_due(t)) {
      run_mail_idle(t);
      continue;
    }
    ebb__park(t, seen, INT64_MAX);
  }
  atomic_fetch_add_explicit(&t->busy, 1, memory_order_seq_cst);
}

bool ebb__mail_due(const ebb_thread_t *t) {
  return !t->mail_depth &&
         (atomic_load_explicit(&((ebb_thread_t *)t)->interrupt, memory_order_seq_cst) &
          EBB__REQ_MAIL) &&
         ebb__mail_allowed(t);
}

bool ebb__wait_check(ebb_thread_t *t, bool nested) {
  unsigned bits = atomic_load_explicit(&t->interrupt, memory_order_acquire);
  if (bits & EBB__REQ_STOP_MASK) return true;
  if ((bits & EBB__REQ_MAIL) && (nested || !t->mail_depth) && ebb__mail_allowed(t)) {
    run_mail_idle(t);
    return ebb__thread_stop_requested(t);
  }
  return false;
}

void ebb__suspend_update(ebb_thread_t *t) {
  unsigned s = atomic_load_explicit(&t->suspended, memory_order_relaxed);
  if (s & (EBB__SUSP_THREAD | EBB__SUSP_GROUP)) {
    /* No wake: a running thread parks at its next safe point, a blocked
    ** one stays where it is. One in a wait that may now run messages is
    ** woken so it looks. */
    atomic_fetch_or_explicit(&t->interrupt, EBB__REQ_SUSPEND, memory_order_seq_cst);
    if (ebb__mail_allowed(t)) ebb__thread_wake(t);
  } else {
    atomic_fetch_and_explicit(&t->interrupt, ~(unsigned)EBB__REQ_SUSPEND, memory_order_seq_cst);
    ebb__thread_wake(t);
  }
}

/* ---- One thread ---------------------------------------------------------- */

int ebb_thread_suspend(ebb_handle_t h, unsigned flags) {
  ebb__slot *s = ebb__handle_lock(h);
  if (!s) return EBB_ECLOSED;
  ebb_thread_t *t = s->thread;
  int rc = EBB_EBUSY;
  if (!(atomic_load(&t->suspended) & EBB__SUSP_THREAD)) {
    unsigned bits = EBB__SUSP_THREAD | (flags & EBB_SUSPEND_RUN_MAIL ? EBB__SUSP_THREAD_MAIL : 0);
    atomic_fetch_or(&t->suspended, bits);
    ebb__suspend_update(t);
    rc = 0;
  }
  pthread_mutex_unlock(&s->lock);
  return rc;
}

int ebb_thread_continue(ebb_handle_t h) {
  ebb__slot *s = ebb__handle_lock(h);
  if (!s) return EBB_ECLOSED;
  ebb_thread_t *t = s->thread;
  int rc = EBB_EARG;
  if (atomic_load(&t->suspended) & EBB__SUSP_THREAD) {
    atomic_fetch_and(&t->suspended, ~(unsigned)(EBB__SUSP_THREAD | EBB__SUSP_THREAD_MAIL));
    ebb__suspend_update(t);
    rc = 0;
  }
  pthread_mutex_unlock(&s->lock);
  return rc;
}

/* True if the calling OS thread is inside a call of t (it would wait for
** itself). */
static bool inside(const ebb_thread_t *t) {
  for (ebb_thread_t *c = ebb__current_thread(); c; c = c->os_prev)
    if (c == t) return true;
  return false;
}

/* The wait shared by both forms: check(arg) says 0 (parked), 1 (not yet)
** or an error; the caller, if a guest thread, waits through its parker. */
static int wait_parked(int (*check)(void *), void *arg, int64_t deadline) {
  ebb_thread_t *me = ebb__current_thread();
  ebb__sleeper sl;
  ebb__sleeper_init(&sl, me);
  waiters_add(&sl);
  if (me) ebb__busy_leave(me);
  int rc;
  for (;;) {
    uint32_t seen = ebb__sleeper_seen(&sl);
    if ((rc = check(arg)) != 1) break;
    if (me && ebb__wait_check(me, false)) {
      rc = EBB_EINTR;
      break;
    }
    if (ebb__now_ns() >= deadline) {
      rc = EBB_ETIMEDOUT;
      break;
    }
    ebb__sleeper_park(&sl, seen, deadline);
  }
  waiters_remove(&sl);
  if (me) ebb__busy_enter(me);
  return rc;
}

static int thread_parked(void *arg) {
  ebb__slot *s = ebb__handle_lock(*(ebb_handle_t *)arg);
  if (!s) return EBB_ECLOSED;
  ebb_thread_t *t = s->thread;
  int rc = !(atomic_load(&t->suspended) & EBB__SUSP_THREAD) ? EBB_EARG
           : atomic_load_explicit(&t->busy, memory_order_seq_cst) ? 1
                                                                   : 0;
  pthread_mutex_unlock(&s->lock);
  return rc;
}

int ebb_thread_suspend_wait(ebb_handle_t h, int64_t deadline) {
  ebb__slot *s = ebb__handle_lock(h);
  if (!s) return EBB_ECLOSED;
  bool self = inside(s->thread);
  pthread_mutex_unlock(&s->lock);
  if (self) return EBB_EBUSY;
  return wait_parked(thread_parked, &h, deadline);
}

/* ---- A group --------------------------------------------------------------- */

static void member_suspend(ebb_thread_t *t, void *arg) {
  unsigned bits = *(unsigned *)arg;
  ebb__slot *s = ebb__handle_slot(t);
  pthread_mutex_lock(&s->lock);
  atomic_fetch_or(&t->suspended, bits);
  ebb__suspend_update(t);
  pthread_mutex_unlock(&s->lock);
}

static void member_continue(ebb_thread_t *t, void *arg) {
  (void)arg;
  ebb__slot *s = ebb__handle_slot(t);
  pthread_mutex_lock(&s->lock);
  atomic_fetch_and(&t->suspended, ~(unsigned)(EBB__SUSP_GROUP | EBB__SUSP_GROUP_MAIL));
  ebb__suspend_update(t);
  pthread_mutex_unlock(&s->lock);
}

int ebb_group_suspend(ebb_group_t *g, unsigned flags) {
  if (!g) return EBB_EARG;
  pthread_mutex_lock(&g->lock);
  int rc = EBB_EBUSY;
  if (!g->suspended) {
    g->suspended = EBB__SUSP_GROUP | (flags & EBB_SUSPEND_RUN_MAIL ? EBB__SUSP_GROUP_MAIL : 0);
    ebb__group_each(g, member_suspend, &g->suspended);
    rc = 0;
  }
  pthread_mutex_unlock(&g->lock);
  return rc;
}

int ebb_group_continue(ebb_group_t *g) {
  if (!g) return EBB_EARG;
  pthread_mutex_lock(&g->lock);
  int rc = EBB_EARG;
  if (g->suspended) {
    g->suspended = 0;
    ebb__group_each(g, member_continue, NULL);
    rc = 0;
  }
  pthread_mutex_unlock(&g->lock);
  return rc;
}

void ebb__group_joined(ebb_group_t *g, ebb_thread_t *t) {
  /* Under the group lock, so no ebb_group_continue slips in between. */
  pthread_mutex_lock(&g->lock);
  if (g->suspended) member_suspend(t, &g->suspended);
  pthread_mutex_unlock(&g->lock);
}

void ebb__group_left(ebb_thread_t *t) { member_continue(t, NULL); }

static void count_busy(ebb_thread_t *t, void *arg) {
  if (atomic_load_explicit(&t->busy, memory_order_seq_cst)) ++*(unsigned *)arg;
}

static int group_parked(void *arg) {
  ebb_group_t *g = arg;
  pthread_mutex_lock(&g->lock);
  bool suspended = g->suspended != 0;
  pthread_mutex_unlock(&g->lock);
  if (!suspended) return EBB_EARG;
  unsigned busy = 0;
  ebb__group_each(g, count_busy, &busy);
  return busy ? 1 : 0;
}

int ebb_group_suspend_wait(ebb_group_t *g, int64_t deadline) {
  if (!g) return EBB_EARG;
  for (ebb_thread_t *c = ebb__current_thread(); c; c = c->os_prev)
    if (c->group == g) return EBB_EBUSY;
  return wait_parked(group_parked, g, deadline);
}
