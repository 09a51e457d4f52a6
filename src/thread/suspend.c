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
** share one list. Every time a suspended thread stops being busy it counts
** one "park"; a waiter that found n threads busy sleeps until n more parks
** have been counted, so a group of 100 wakes its waiter about once, not 100
** times (each wake would rescan the group on the cores the others need to
** reach their safe points). Parks from elsewhere only wake it early.
*/
#include "thread/suspend.h"

#include <stdatomic.h>

#include "base/clock.h"
#include "thread/group.h"
#include "thread/handle.h"
#include "thread/mail.h"
#include "thread/park.h"
#include "thread/thread.h"

typedef struct waiter {
  ebb__sleeper sleeper;
  uint64_t target; /* wake when `parks` reaches it */
  struct waiter *next;
} waiter;

static pthread_mutex_t waiters_lock = PTHREAD_MUTEX_INITIALIZER;
static waiter *waiters;
static atomic_uint nwaiters;
static _Atomic uint64_t parks;

/* A suspended thread stopped being busy (or left a group). */
static void count_park(void) {
  uint64_t n = atomic_fetch_add_explicit(&parks, 1, memory_order_seq_cst) + 1;
  if (!atomic_load_explicit(&nwaiters, memory_order_seq_cst)) return;
  pthread_mutex_lock(&waiters_lock);
  for (waiter *w = waiters; w; w = w->next)
    if (w->target <= n) ebb__sleeper_wake(&w->sleeper);
  pthread_mutex_unlock(&waiters_lock);
}

static void waiters_add(waiter *w) {
  pthread_mutex_lock(&waiters_lock);
  w->target = 0; /* any park wakes it until it has looked */
  w->next = waiters;
  waiters = w;
  atomic_fetch_add(&nwaiters, 1);
  pthread_mutex_unlock(&waiters_lock);
}

static void waiters_remove(waiter *w) {
  pthread_mutex_lock(&waiters_lock);
  for (waiter **p = &waiters; *p; p = &(*p)->next)
    if (*p == w) {
      *p = w->next;
      break;
    }
  atomic_fetch_sub(&nwaiters, 1);
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
    count_park();
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


/* The wait shared by both forms: check(arg, &busy) says 0 (all parked), 1
** (`busy` threads are not yet) or an error; the caller, if a guest thread,
** waits through its parker. */
static int wait_parked(int (*check)(void *, unsigned *), void *arg, int64_t deadline) {
  ebb_thread_t *me = ebb__current_thread();
  waiter w;
  ebb__sleeper_init(&w.sleeper, me);
  waiters_add(&w);
  if (me) ebb__busy_leave(me);
  int rc;
  for (;;) {
    uint32_t seen = ebb__sleeper_seen(&w.sleeper);
    uint64_t before = atomic_load_explicit(&parks, memory_order_seq_cst);
    unsigned busy = 0;
    if ((rc = check(arg, &busy)) != 1) break;
    if (me && ebb__wait_check(me, false)) {
      rc = EBB_EINTR;
      break;
    }
    if (ebb__now_ns() >= deadline) {
      rc = EBB_ETIMEDOUT;
      break;
    }
    /* Sleep until the busy ones may all have parked. A park counted
    ** before the target was set is seen here, one after it by count_park. */
    pthread_mutex_lock(&waiters_lock);
    w.target = before + busy;
    pthread_mutex_unlock(&waiters_lock);
    if (atomic_load_explicit(&parks, memory_order_seq_cst) >= w.target) continue;
    ebb__sleeper_park(&w.sleeper, seen, deadline);
  }
  waiters_remove(&w);
  if (me) ebb__busy_enter(me);
  return rc;
}

static int thread_parked(void *arg, unsigned *busy) {
  ebb__slot *s = ebb__handle_lock(*(ebb_handle_t *)arg);
  if (!s) return EBB_ECLOSED;
  ebb_thread_t *t = s->thread;
  int rc = !(atomic_load(&t->suspended) & EBB__SUSP_THREAD) ? EBB_EARG
           : atomic_load_explicit(&t->busy, memory_order_seq_cst) ? 1
                                                                   : 0;
  *busy = (unsigned)rc == 1;
  pthread_mutex_unlock(&s->lock);
  return rc;
}

int ebb_thread_suspend_wait(ebb_handle_t h, int64_t deadline) {
  ebb__slot *s = ebb__handle_lock(h);
  if (!s) return EBB_ECLOSED;
  bool self = ebb__inside(s->thread);
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

void ebb__group_left(ebb_thread_t *t) {
  member_continue(t, NULL);
  count_park(); /* one busy member fewer to wait for */
}

static void count_busy(ebb_thread_t *t, void *arg) {
  if (atomic_load_explicit(&t->busy, memory_order_seq_cst)) ++*(unsigned *)arg;
}

static int group_parked(void *arg, unsigned *nbusy) {
  ebb_group_t *g = arg;
  pthread_mutex_lock(&g->lock);
  bool suspended = g->suspended != 0;
  pthread_mutex_unlock(&g->lock);
  if (!suspended) return EBB_EARG;
  unsigned busy = 0;
  ebb__group_each(g, count_busy, &busy);
  *nbusy = busy;
  return busy ? 1 : 0;
}

int ebb_group_suspend_wait(ebb_group_t *g, int64_t deadline) {
  if (!g) return EBB_EARG;
  if (ebb__group_inside(g)) return EBB_EBUSY;
  return wait_parked(group_parked, g, deadline);
}
