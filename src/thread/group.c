/*
** group.c -- thread groups: membership, ending the whole group, and waiting
** for the threads it started.
**
** Ending is async-signal-safe (a CLI ends its guest from a SIGINT handler):
** the first ebb_group_end wins a compare-and-swap on `reason`, writes code
** and message, then sends every member a termination request, reading the
** member slots without a lock. A member that leaves clears its slot and then
** waits until no ebb_group_end is reading slots, so none can request a
** thread that is being freed; a thread that joins publishes its slot and
** then looks at `reason`, and an ender publishes `reason` and then reads the
** slots (both sequentially consistent), so a member is never missed.
**
** Started threads are detached and counted: each decrements `running` as
** its last act under the lock, so ebb_group_join needs no pthread_t list
** and a finished thread's resources go at once.
*/
#include "thread/group.h"

#include <sched.h>
#include <string.h>

#include "base/alloc.h"
#include "base/report.h"
#include "exec/exec.h"
#include "thread/thread.h"

#define DEFAULT_MAX_THREADS 1024u
#define MAX_THREADS 100000u
#define MAX_TID 0x1fffffff /* wasi-threads: ids are below 2^29 */
#define GROUP_ENDING (-1)

ebb_group_t *ebb_group_new(uint32_t max_threads) {
  if (max_threads > MAX_THREADS) return NULL;
  ebb_group_t *g = ebb__calloc(1, sizeof *g);
  if (!g) return NULL;
  g->max_threads = max_threads ? max_threads : DEFAULT_MAX_THREADS;
  g->slots = ebb__calloc(g->max_threads, sizeof *g->slots);
  if (!g->slots) {
    ebb__free(g);
    return NULL;
  }
  for (uint32_t i = 0; i < g->max_threads; i++) atomic_init(&g->slots[i], NULL);
  pthread_mutex_init(&g->lock, NULL);
  pthread_cond_init(&g->idle, NULL);
  atomic_init(&g->nmembers, 0);
  atomic_init(&g->enders, 0);
  atomic_init(&g->next_tid, 1);
  atomic_init(&g->reason, EBB_END_NONE);
  return g;
}

bool ebb__group_inside(const ebb_group_t *g) {
  for (ebb_thread_t *t = ebb__current_thread(); t; t = t->os_prev)
    if (t->group == g) return true;
  return false;
}

int ebb_group_join(ebb_group_t *g) {
  if (!g) return EBB_EARG;
  if (ebb__group_inside(g)) return EBB_EBUSY;
  pthread_mutex_lock(&g->lock);
  while (g->running) pthread_cond_wait(&g->idle, &g->lock);
  pthread_mutex_unlock(&g->lock);
  return 0;
}

void ebb_group_delete(ebb_group_t *g) {
  if (!g) return;
  if (ebb__group_inside(g))
    ebb__misuse("ebb_group_delete: called while running a call of one of the group's threads");
  ebb_group_join(g);
  unsigned n = atomic_load(&g->nmembers);
  if (n)
    ebb__misuse("ebb_group_delete: %u threads are still members (ebb_group_remove or delete "
                "them first)", n);
  pthread_mutex_destroy(&g->lock);
  pthread_cond_destroy(&g->idle);
  ebb__free(g->slots);
  ebb__free(g);
}

/* Clear slot i and wait until no ender can still be reading it. */
static void slot_clear(ebb_group_t *g, uint32_t i) {
  atomic_store(&g->slots[i], NULL);
  while (atomic_load(&g->enders)) sched_yield(); /* an end is a few atomics */
  atomic_fetch_sub(&g->nmembers, 1);
}

int ebb_group_add(ebb_group_t *g, ebb_thread_t *t) {
  if (!g || !t) return EBB_EARG;
  if (t->group) return EBB_EBUSY; /* a thread is in at most one group */
  if (atomic_load(&g->reason) != EBB_END_NONE) return EBB_EBUSY;
  if (atomic_fetch_add(&g->nmembers, 1) >= g->max_threads) {
    atomic_fetch_sub(&g->nmembers, 1);
    return EBB_ELIMIT;
  }
  /* A free slot exists (nmembers counted us in); take the first. */
  uint32_t i = 0;
  for (;; i = (i + 1) % g->max_threads) {
    ebb_thread_t *none = NULL;
    if (atomic_load_explicit(&g->slots[i], memory_order_relaxed) == NULL &&
        atomic_compare_exchange_strong(&g->slots[i], &none, t))
      break;
  }
  t->group = g;
  t->group_slot = i;
  if (g->has_fuel) t->fuel = 0; /* drawn from the pool as it runs */
  if (atomic_load(&g->reason) != EBB_END_NONE) {
    /* Ended meanwhile: the ender may or may not have seen us; leave. */
    slot_clear(g, i);
    t->group = NULL;
    return EBB_EBUSY;
  }
  ebb__group_joined(g, t);
  return 0;
}

void ebb_group_remove(ebb_group_t *g, ebb_thread_t *t) {
  if (!g || !t || t->group != g) return;
  slot_clear(g, t->group_slot);
  t->group = NULL;
  ebb__group_left(t); /* a group's suspension is its members' */
  /* The group's termination was for its members: a thread that has left,
  ** with no call of the group's left on it, may be used again. */
  if (t->depth == 0)
    atomic_fetch_and(&t->interrupt, ~(unsigned)EBB__REQ_TERMINATE);
}

/* A termination request is for the calls a member makes while it is one.
** A thread that left an ended group with a call in progress keeps it, so
** that call ends; once its outermost call is over the request is spent,
** unless the group it is in now has ended too. An ebb_group_end of that
** group publishes its reason before it requests, so if the second load
** sees no reason, the request comes after the clear. */
void ebb__group_call_over(ebb_thread_t *t) {
  if (!(atomic_load(&t->interrupt) & EBB__REQ_TERMINATE)) return;
  ebb_group_t *g = t->group;
  if (g && atomic_load(&g->reason) != EBB_END_NONE) return;
  atomic_fetch_and(&t->interrupt, ~(unsigned)EBB__REQ_TERMINATE);
  if (g && atomic_load(&g->reason) != EBB_END_NONE)
    atomic_fetch_or(&t->interrupt, EBB__REQ_TERMINATE);
}

void ebb_group_end(ebb_group_t *g, ebb_end_reason_t reason, int code, const char *message) {
  if (!g) return;
  int none = EBB_END_NONE;
  if (!atomic_compare_exchange_strong(&g->reason, &none, GROUP_ENDING)) return;
  g->code = code;
  /* A byte loop: snprintf is not async-signal-safe. */
  size_t n = 0;
  for (; message && message[n] && n + 1 < sizeof g->message; n++) g->message[n] = message[n];
  g->message[n] = '\0';
  atomic_store(&g->reason, reason);
  /* Members stop at their next safe point, or wake at once if blocked. */
  atomic_fetch_add(&g->enders, 1);
  for (uint32_t i = 0; i < g->max_threads; i++) {
    ebb_thread_t *t = atomic_load(&g->slots[i]);
    if (t) ebb__thread_request(t, EBB__REQ_TERMINATE);
  }
  atomic_fetch_sub(&g->enders, 1);
}

void ebb__group_each(ebb_group_t *g, void (*visit)(ebb_thread_t *t, void *arg), void *arg) {
  atomic_fetch_add(&g->enders, 1); /* members leaving wait for us */
  for (uint32_t i = 0; i < g->max_threads; i++) {
    ebb_thread_t *t = atomic_load(&g->slots[i]);
    if (t) visit(t, arg);
  }
  atomic_fetch_sub(&g->enders, 1);
}

typedef struct handle_list {
  ebb_handle_t *out;
  uint32_t n, count;
} handle_list;

static void add_handle(ebb_thread_t *t, void *arg) {
  handle_list *h = arg;
  if (h->count < h->n) h->out[h->count] = ebb_thread_handle(t);
  h->count++;
}

uint32_t ebb_group_handles(ebb_group_t *g, ebb_handle_t *out, uint32_t n) {
  if (!g) return 0;
  handle_list h = {out, out ? n : 0, 0};
  ebb__group_each(g, add_handle, &h);
  return h.count;
}

ebb_end_reason_t ebb_group_outcome(ebb_group_t *g, int *code, char *message, size_t size) {
  int r;
  while ((r = atomic_load(&g->reason)) == GROUP_ENDING) sched_yield(); /* being written */
  if (code) *code = r == EBB_END_NONE ? 0 : g->code;
  if (message && size) {
    size_t n = 0;
    if (r != EBB_END_NONE)
      for (; g->message[n] && n + 1 < size; n++) message[n] = g->message[n];
    message[n] = '\0';
  }
  return (ebb_end_reason_t)r;
}

void ebb_group_set_fuel(ebb_group_t *g, uint64_t fuel) {
  atomic_store(&g->fuel_pool, fuel > INT64_MAX ? INT64_MAX : (int64_t)fuel);
  g->has_fuel = true;
}

/* Members take fuel in chunks, so threads rarely touch the shared pool; a
** thread that ends keeps what is left of its chunk (at most FUEL_CHUNK). */
#define FUEL_CHUNK 10000

int ebb__fuel_refill(ebb_thread_t *t) {
  ebb_group_t *g = t->group;
  if (!g || !g->has_fuel) return t->fuel < 0 ? -1 : 0;
  while (t->fuel < 0) {
    int64_t pool = atomic_load(&g->fuel_pool), take;
    do {
      if (pool <= 0) return -1;
      take = pool < FUEL_CHUNK - t->fuel ? pool : FUEL_CHUNK - t->fuel;
    } while (!atomic_compare_exchange_weak(&g->fuel_pool, &pool, pool - take));
    t->fuel += take;
  }
  return 0;
}

int32_t ebb__group_new_tid(ebb_group_t *g) {
  unsigned tid = atomic_fetch_add(&g->next_tid, 1);
  return tid > MAX_TID ? -1 : (int32_t)tid;
}

typedef struct start {
  ebb_group_t *g;
  void *(*fn)(void *);
  void *arg;
} start;

static void *group_thread(void *p) {
  start s = *(start *)p;
  ebb__free(p);
  s.fn(s.arg);
  pthread_mutex_lock(&s.g->lock);
  s.g->running--;
  pthread_cond_broadcast(&s.g->idle);
  pthread_mutex_unlock(&s.g->lock);
  return NULL;
}

int ebb__group_spawn(ebb_group_t *g, void *(*fn)(void *), void *arg) {
  start *s = ebb__malloc(sizeof *s);
  if (!s) return EBB_ENOMEM;
  *s = (start){g, fn, arg};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  /* Guest frames live on ebb's own stacks, so a small C stack suffices. */
  pthread_attr_setstacksize(&attr, 256 * 1024);
  pthread_t tid;
  pthread_mutex_lock(&g->lock);
  g->running++;
  pthread_mutex_unlock(&g->lock);
  int rc = pthread_create(&tid, &attr, group_thread, s);
  pthread_attr_destroy(&attr);
  if (rc) {
    ebb__free(s);
    pthread_mutex_lock(&g->lock);
    g->running--;
    pthread_cond_broadcast(&g->idle);
    pthread_mutex_unlock(&g->lock);
    return EBB_ELIMIT;
  }
  return 0;
}
