/*
** group.c -- thread groups: membership, ending the whole group, and waiting
** for the threads it started.
**
** Started threads are detached and counted: each decrements `running` as
** its last act under the lock, so ebb_group_join needs no pthread_t list
** and a finished thread's resources go at once.
*/
#include "thread/group.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "exec/exec.h"
#include "thread/thread.h"

#define DEFAULT_MAX_THREADS 1024u
#define MAX_TID 0x1fffffff /* wasi-threads: ids are below 2^29 */

ebb_group_t *ebb_group_new(uint32_t max_threads) {
  ebb_group_t *g = ebb__calloc(1, sizeof *g);
  if (!g) return NULL;
  pthread_mutex_init(&g->lock, NULL);
  pthread_cond_init(&g->idle, NULL);
  g->max_threads = max_threads ? max_threads : DEFAULT_MAX_THREADS;
  atomic_init(&g->next_tid, 1);
  atomic_init(&g->reason, EBB_END_NONE);
  return g;
}

void ebb_group_join(ebb_group_t *g) {
  pthread_mutex_lock(&g->lock);
  while (g->running) pthread_cond_wait(&g->idle, &g->lock);
  pthread_mutex_unlock(&g->lock);
}

void ebb_group_delete(ebb_group_t *g) {
  if (!g) return;
  ebb_group_join(g);
  ebb__vec_free(&g->members);
  pthread_mutex_destroy(&g->lock);
  pthread_cond_destroy(&g->idle);
  ebb__free(g);
}

int ebb_group_add(ebb_group_t *g, ebb_thread_t *t) {
  int rc = 0;
  pthread_mutex_lock(&g->lock);
  if (atomic_load(&g->reason) != EBB_END_NONE) rc = EBB_EBUSY;
  else if (g->members.len >= g->max_threads) rc = EBB_ELIMIT;
  else if (ebb__vec_push(&g->members, t)) rc = EBB_ENOMEM;
  else {
    t->group = g;
    if (g->has_fuel) t->fuel = 0; /* drawn from the pool as it runs */
  }
  pthread_mutex_unlock(&g->lock);
  return rc;
}

void ebb_group_remove(ebb_group_t *g, ebb_thread_t *t) {
  pthread_mutex_lock(&g->lock);
  for (size_t i = 0; i < g->members.len; i++)
    if (g->members.data[i] == t) {
      g->members.data[i] = g->members.data[--g->members.len];
      break;
    }
  t->group = NULL;
  pthread_mutex_unlock(&g->lock);
}

void ebb_group_end(ebb_group_t *g, ebb_end_reason_t reason, int code, const char *message) {
  pthread_mutex_lock(&g->lock);
  if (atomic_load(&g->reason) == EBB_END_NONE) {
    g->code = code;
    snprintf(g->message, sizeof g->message, "%s", message ? message : "");
    atomic_store(&g->reason, reason);
    /* Members stop at their next safe point, or wake at once if blocked.
    ** Holding the lock keeps them from leaving (and being freed) meanwhile. */
    for (size_t i = 0; i < g->members.len; i++)
      ebb__thread_request(g->members.data[i], EBB__REQ_TERMINATE);
  }
  pthread_mutex_unlock(&g->lock);
}

ebb_end_reason_t ebb_group_outcome(ebb_group_t *g, int *code, char *message, size_t size) {
  pthread_mutex_lock(&g->lock);
  ebb_end_reason_t r = (ebb_end_reason_t)atomic_load(&g->reason);
  if (code) *code = g->code;
  if (message && size) snprintf(message, size, "%s", g->message);
  pthread_mutex_unlock(&g->lock);
  return r;
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
