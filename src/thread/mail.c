/*
** mail.c -- posting to a thread's mailbox, calling through it, running its
** messages on the thread, and closing it (mail.h; the API is in ebb.h).
**
** Every change to a queue, and every change of a synchronous message's
** state, happens under the handle slot's lock. The slot outlives the thread
** (handle.h), so a sender never touches a freed thread: it finds the slot
** stale or closed. A synchronous message lives in its sender's frame; the
** thread that finishes it sets its state and wakes the sender while still
** holding the lock, and the sender reads the state under the lock, so the
** frame is never touched after the sender has seen the outcome.
*/
#include "thread/mail.h"

#include <stdatomic.h>

#include "base/alloc.h"
#include "base/clock.h"
#include "exec/exec.h"
#include "thread/handle.h"
#include "thread/park.h"
#include "thread/suspend.h"
#include "thread/thread.h"

/* How deeply message runs nest: a message waiting on another thread runs
** the messages that come meanwhile, which may wait too. Bounded so a ring
** of threads calling each other cannot exhaust the C stack; beyond it,
** messages wait for the runs below to return. */
#define MAX_MAIL_DEPTH 16

enum { Q_QUEUED, Q_TAKEN, Q_RAN, Q_CANCELLED };

typedef struct ebb__sync {
  ebb__msg msg;
  int state;           /* Q_*, under the slot lock */
  ebb__sleeper *waker; /* the sender */
} ebb__sync;

static void enqueue(ebb__slot *s, ebb__msg *m) {
  m->next = NULL;
  m->prev = s->tail;
  if (s->tail) s->tail->next = m;
  else s->head = m;
  s->tail = m;
}

static void unlink_msg(ebb__slot *s, ebb__msg *m) {
  if (m->prev) m->prev->next = m->next;
  else s->head = m->next;
  if (m->next) m->next->prev = m->prev;
  else s->tail = m->prev;
}

/* The thread has mail: a blocked host call with an interrupt handler is
** woken through it, to return, run the mail and run again (exec/host.c). */
static void notify(ebb_thread_t *t) {
  atomic_fetch_or_explicit(&t->interrupt, EBB__REQ_MAIL, memory_order_seq_cst);
  ebb__thread_wake(t);
  if (ebb__mail_allowed(t)) ebb__handler_fire(t, true);
}

/* A message is over: report a synchronous one, free a posted one. */
static void finish(ebb__slot *s, ebb__msg *m, int outcome) {
  if (m->sync) {
    pthread_mutex_lock(&s->lock);
    m->sync->state = outcome;
    ebb__sleeper_wake(m->sync->waker);
    pthread_mutex_unlock(&s->lock);
    return;
  }
  if (outcome == Q_CANCELLED && m->cancel) m->cancel(m->arg);
  ebb__free(m);
}

int ebb_mail_post(ebb_handle_t to, ebb_mail_fn fn, ebb_mail_cancel_fn cancel, void *arg) {
  if (!fn) return EBB_EARG;
  ebb__msg *m = ebb__malloc(sizeof *m);
  if (!m) return EBB_ENOMEM;
  *m = (ebb__msg){NULL, NULL, fn, cancel, arg, NULL};
  ebb__slot *s = ebb__handle_lock(to);
  if (!s || !s->open) {
    if (s) pthread_mutex_unlock(&s->lock);
    ebb__free(m);
    return EBB_ECLOSED;
  }
  enqueue(s, m);
  notify(s->thread);
  pthread_mutex_unlock(&s->lock);
  return 0;
}


ebb_mail_result_t ebb_mail_call(ebb_handle_t to, ebb_mail_fn fn, void *arg, int64_t deadline) {
  if (!fn) return EBB_MAIL_CLOSED;
  ebb_thread_t *me = ebb__current_thread();
  ebb__sleeper sl;
  ebb__sleeper_init(&sl, me);
  ebb__sync c = {{NULL, NULL, fn, NULL, arg, &c}, Q_QUEUED, &sl};
  ebb__slot *s = ebb__handle_lock(to);
  if (!s || !s->open) {
    if (s) pthread_mutex_unlock(&s->lock);
    return EBB_MAIL_CLOSED;
  }
  if (ebb__inside(s->thread)) {
    pthread_mutex_unlock(&s->lock);
    return EBB_MAIL_SELF;
  }
  enqueue(s, &c.msg);
  notify(s->thread);
  pthread_mutex_unlock(&s->lock);

  if (me) ebb__busy_leave(me); /* blocked: counts as parked */
  ebb_mail_result_t r;
  for (;;) {
    uint32_t seen = ebb__sleeper_seen(&sl);
    pthread_mutex_lock(&s->lock);
    int state = c.state;
    pthread_mutex_unlock(&s->lock);
    if (state == Q_RAN || state == Q_CANCELLED) {
      r = state == Q_RAN ? EBB_MAIL_RAN : EBB_MAIL_CANCELLED;
      break;
    }
    /* Our own messages run while we wait, whatever became of this one:
    ** its target may be waiting for one of them. */
    bool stop = me && ebb__wait_check(me, true);
    if (state == Q_QUEUED && (stop || ebb__now_ns() >= deadline)) {
      pthread_mutex_lock(&s->lock);
      bool withdrawn = c.state == Q_QUEUED;
      if (withdrawn) unlink_msg(s, &c.msg);
      pthread_mutex_unlock(&s->lock);
      if (withdrawn) {
        r = stop ? EBB_MAIL_INTERRUPTED : EBB_MAIL_TIMEDOUT;
        break;
      }
      continue; /* it began meanwhile: wait for its end */
    }
    /* Once begun, only its end matters: no deadline. */
    ebb__sleeper_park(&sl, seen, state == Q_QUEUED ? deadline : INT64_MAX);
  }
  if (me) ebb__busy_enter(me);
  return r;
}

int ebb__mail_run(ebb_thread_t *t) {
  if (t->mail_depth >= MAX_MAIL_DEPTH) return 0;
  ebb__slot *s = ebb__handle_slot(t);
  t->mail_depth++;
  ebb__base_saved saved;
  ebb__base_raise(t, &saved);
  ebb__level *lv = ebb__top_level(t);
  uint32_t depth = t->depth;
  int n = 0;
  for (;;) {
    pthread_mutex_lock(&s->lock);
    ebb__msg *m = s->head;
    if (m) {
      unlink_msg(s, m);
      if (m->sync) m->sync->state = Q_TAKEN;
    }
    if (!s->head) atomic_fetch_and(&t->interrupt, ~(unsigned)EBB__REQ_MAIL);
    pthread_mutex_unlock(&s->lock);
    if (!m) break;
    bool was_stopped = lv && lv->inner_stopped;
    if (lv) lv->inner_stopped = false;
    m->fn(t, m->arg);
    /* Calls the message left stopped are abandoned: nothing can resume
    ** them. An interrupt one of its calls consumed was meant for the code
    ** running here: pass it on. */
    while (t->depth > depth) ebb__level_pop(t);
    bool passed = lv && lv->inner_stopped;
    if (lv) lv->inner_stopped = was_stopped;
    if (passed) atomic_fetch_or(&t->interrupt, EBB__REQ_INTERRUPT);
    finish(s, m, Q_RAN);
    n++;
    if (ebb__thread_stop_requested(t)) break; /* the rest run after the stop */
  }
  ebb__base_restore(t, &saved);
  t->mail_depth--;
  return n;
}

void ebb__mail_close(ebb_thread_t *t) {
  ebb__slot *s = ebb__handle_slot(t);
  pthread_mutex_lock(&s->lock);
  s->open = false;
  ebb__msg *list = s->head;
  s->head = s->tail = NULL;
  for (ebb__msg *m = list; m; m = m->next)
    if (m->sync) m->sync->state = Q_TAKEN;
  atomic_fetch_and(&t->interrupt, ~(unsigned)EBB__REQ_MAIL);
  pthread_mutex_unlock(&s->lock);
  while (list) {
    ebb__msg *next = list->next;
    finish(s, list, Q_CANCELLED);
    list = next;
  }
}

int ebb_thread_run_mail(ebb_thread_t *t) {
  if (!t) return EBB_EARG;
  ebb_thread_t *prev;
  int entered = ebb__thread_enter(t, &prev, false);
  if (entered < 0) return entered;
  int n = ebb__mail_allowed(t) ? ebb__mail_run(t) : 0;
  ebb__thread_leave(t, entered, prev);
  return n;
}
