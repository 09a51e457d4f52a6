/*
** test_waitq.c -- memory.atomic.wait/notify's queue: notify wakes waiters in
** the order they began to wait, returns how many it woke, never more than
** asked; a request wakes a waiter at once; a timeout ends a wait.
*/
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "base/clock.h"
#include "check.h"
#include "ebb.h"
#include "thread/thread.h"
#include "thread/waitq.h"

#define N 6

typedef struct waiter_arg {
  ebb_thread_t *thread;
  ebb_memory_t *mem;
  int index;
  int result;
} waiter_arg;

static atomic_int wake_order[N];
static atomic_int woken;

static void *waiter(void *p) {
  waiter_arg *a = p;
  a->result = ebb__waitq_wait(a->thread, a->mem, 64, 0, 4, INT64_MAX);
  wake_order[atomic_fetch_add(&woken, 1)] = a->index;
  return NULL;
}

static void wait_for_woken(int n) {
  struct timespec pause = {0, 100000};
  while (atomic_load(&woken) != n) nanosleep(&pause, NULL);
}

static void wait_for_count(ebb_memory_t *mem, uint32_t n) {
  struct timespec pause = {0, 100000};
  while (ebb__waitq_count(mem, 64) != n) nanosleep(&pause, NULL);
}

int main(void) {
  ebb_store_t *store = ebb_store_new(NULL);
  ebb_memory_t *mem = ebb_memory_new(store, 1, 1, true, true);
  pthread_t th[N];
  waiter_arg args[N];

  /* Waiters queue up one by one, so their order is known. */
  for (int i = 0; i < N; i++) {
    args[i] = (waiter_arg){ebb_thread_new(store), mem, i, 99};
    pthread_create(&th[i], NULL, waiter, &args[i]);
    wait_for_count(mem, (uint32_t)i + 1);
  }
  CHECK_EQ_INT(ebb__waitq_notify(mem, 68, 10), 0); /* another address: nobody */
  CHECK_EQ_INT(ebb__waitq_notify(mem, 64, 0), 0);  /* count 0 wakes nobody */
  CHECK_EQ_INT(ebb__waitq_notify(mem, 64, 2), 2);
  wait_for_woken(2);
  CHECK_EQ_INT(ebb__waitq_count(mem, 64), N - 2);
  CHECK_EQ_INT(ebb__waitq_notify(mem, 64, 1), 1);
  wait_for_woken(3);
  /* A request wakes the newest waiter at once, without a notify. */
  ebb_thread_interrupt(args[N - 1].thread);
  pthread_join(th[N - 1], NULL);
  CHECK_EQ_INT(args[N - 1].result, EBB__WAIT_STOPPED);
  CHECK_EQ_INT(ebb__waitq_notify(mem, 64, 100), N - 4);
  for (int i = 0; i < N - 1; i++) pthread_join(th[i], NULL);
  for (int i = 0; i < N - 1; i++) CHECK_EQ_INT(args[i].result, EBB__WAIT_OK);
  /* FIFO: the first three woken are the first three that waited. */
  CHECK_EQ_INT(wake_order[0] + wake_order[1], 0 + 1);
  CHECK_EQ_INT(wake_order[2], 2);
  CHECK_EQ_INT(ebb__waitq_count(mem, 64), 0);

  /* Not equal, and timed out. */
  ebb_thread_t *t = ebb_thread_new(store);
  CHECK_EQ_INT(ebb__waitq_wait(t, mem, 64, 1, 4, INT64_MAX), EBB__WAIT_NOT_EQUAL);
  CHECK_EQ_INT(ebb__waitq_wait(t, mem, 64, 0, 4, ebb__now_ns() + 5000000), EBB__WAIT_TIMED_OUT);
  CHECK_EQ_INT(ebb__waitq_wait(t, mem, 64, 0, 8, ebb__now_ns()), EBB__WAIT_TIMED_OUT);
  CHECK_EQ_INT(ebb__waitq_count(mem, 64), 0);

  ebb_thread_delete(t);
  for (int i = 0; i < N; i++) ebb_thread_delete(args[i].thread);
  ebb_store_delete(store);
  return CHECK_DONE();
}
