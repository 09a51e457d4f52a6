/*
** waitq.c -- wait queues for memory.atomic.wait/notify.
**
** Waiters live on their own C stack for the duration of the wait and are
** linked into one of a fixed set of buckets, hashed by (memory, address).
** The value check and the enqueue happen under the bucket lock, and notify
** takes the same lock, so a notify can never slip between them.
**
** Lifetime rule: a notified waiter leaves only after taking its bucket's
** lock once more, and the notifier wakes it while holding that lock, so the
** notifier never touches a waiter (or its thread) that has gone.
*/
#include "thread/waitq.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "base/clock.h"
#include "rt/rt.h"
#include "thread/park.h"
#include "thread/suspend.h"

typedef struct waiter {
  struct waiter *prev, *next;
  const ebb_memory_t *mem;
  uint64_t addr;
  ebb_thread_t *thread;
  atomic_bool notified;
} waiter;

typedef struct bucket {
  pthread_mutex_t lock;
  waiter *head, *tail;
} bucket;

#define NBUCKETS 256
static bucket buckets[NBUCKETS];
static pthread_once_t buckets_once = PTHREAD_ONCE_INIT;

static void init_buckets(void) {
  for (int i = 0; i < NBUCKETS; i++) pthread_mutex_init(&buckets[i].lock, NULL);
}

static bucket *bucket_of(const ebb_memory_t *mem, uint64_t addr) {
  pthread_once(&buckets_once, init_buckets);
  uint64_t h = ((uint64_t)(uintptr_t)mem >> 4) ^ (addr >> 2);
  h *= 0x9e3779b97f4a7c15ull;
  return &buckets[h >> 56];
}

static void unlink_waiter(bucket *b, waiter *w) {
  if (w->prev) w->prev->next = w->next;
  else b->head = w->next;
  if (w->next) w->next->prev = w->prev;
  else b->tail = w->prev;
  w->prev = w->next = NULL;
}

static uint64_t load_value(const ebb_memory_t *mem, uint64_t addr, unsigned size) {
  if (size == 4) return __atomic_load_n((uint32_t *)(mem->data + addr), __ATOMIC_SEQ_CST);
  return __atomic_load_n((uint64_t *)(mem->data + addr), __ATOMIC_SEQ_CST);
}

int ebb__waitq_wait(ebb_thread_t *t, ebb_memory_t *mem, uint64_t addr, uint64_t expected,
                    unsigned size, int64_t deadline) {
  bucket *b = bucket_of(mem, addr);
  waiter w = {NULL, NULL, mem, addr, t, false};
  pthread_mutex_lock(&b->lock);
  if (load_value(mem, addr, size) != expected) {
    pthread_mutex_unlock(&b->lock);
    return EBB__WAIT_NOT_EQUAL;
  }
  w.prev = b->tail;
  if (b->tail) b->tail->next = &w;
  else b->head = &w;
  b->tail = &w;
  pthread_mutex_unlock(&b->lock);

  int result;
  ebb__busy_leave(t); /* blocked: counts as parked */
  for (;;) {
    uint32_t seen = ebb__park_seen(t);
    if (atomic_load_explicit(&w.notified, memory_order_acquire)) {
      result = EBB__WAIT_OK;
      break;
    }
    bool stop = ebb__wait_check(t, false); /* runs messages here */
    if (stop || ebb__now_ns() >= deadline) {
      result = stop ? EBB__WAIT_STOPPED : EBB__WAIT_TIMED_OUT;
      break;
    }
    ebb__park(t, seen, deadline);
  }
  pthread_mutex_lock(&b->lock);
  /* A notify that raced with the timeout or the request still counts: the
  ** notifier already reported this waiter as woken. */
  if (atomic_load_explicit(&w.notified, memory_order_acquire)) result = EBB__WAIT_OK;
  else unlink_waiter(b, &w);
  pthread_mutex_unlock(&b->lock);
  ebb__busy_enter(t); /* suspended meanwhile: park before the next instruction */
  return result;
}

uint32_t ebb__waitq_notify(ebb_memory_t *mem, uint64_t addr, uint32_t count) {
  bucket *b = bucket_of(mem, addr);
  uint32_t n = 0;
  pthread_mutex_lock(&b->lock);
  for (waiter *w = b->head, *next; w && n < count; w = next) {
    next = w->next;
    if (w->mem != mem || w->addr != addr) continue;
    unlink_waiter(b, w);
    atomic_store_explicit(&w->notified, true, memory_order_release);
    ebb__thread_wake(w->thread);
    n++;
  }
  pthread_mutex_unlock(&b->lock);
  return n;
}

uint32_t ebb__waitq_count(ebb_memory_t *mem, uint64_t addr) {
  bucket *b = bucket_of(mem, addr);
  uint32_t n = 0;
  pthread_mutex_lock(&b->lock);
  for (waiter *w = b->head; w; w = w->next) n += w->mem == mem && w->addr == addr;
  pthread_mutex_unlock(&b->lock);
  return n;
}
