/* parallel.c -- see parallel.h. */
#include "base/parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "base/alloc.h"

#define BATCH 64

size_t ebb__parallel_bytes = (size_t)1 << 20;

typedef struct job {
  uint32_t n;
  ebb__par_item_fn fn;
  void *ctx;
  atomic_uint next;          /* the next batch's first item */
  ebb__alloc_budget *budget; /* the caller's, shared by every worker */
  pthread_mutex_t lock;      /* guards the failure record */
  atomic_uint failed_at;     /* the lowest item that failed, or n */
  int rc;                    /* its error */
  unsigned failed_worker;
} job;

typedef struct worker {
  job *j;
  unsigned id;
} worker;

static void run_batches(job *j, unsigned id) {
  for (;;) {
    uint32_t first = atomic_fetch_add(&j->next, BATCH);
    if (first >= j->n) return;
    uint32_t end = j->n - first < BATCH ? j->n : first + BATCH;
    for (uint32_t i = first; i < end; i++) {
      if (i > atomic_load(&j->failed_at)) return; /* a lower one failed: its error wins */
      int rc = j->fn(j->ctx, id, i);
      if (rc == 0) continue;
      pthread_mutex_lock(&j->lock);
      if (i < atomic_load(&j->failed_at)) {
        atomic_store(&j->failed_at, i);
        j->rc = rc;
        j->failed_worker = id;
      }
      pthread_mutex_unlock(&j->lock);
      return; /* its state now holds the failure's report */
    }
  }
}

static void *worker_thread(void *p) {
  worker *w = p;
  ebb__alloc_budget_swap(w->j->budget);
  run_batches(w->j, w->id);
  ebb__alloc_budget_swap(NULL);
  return NULL;
}

unsigned ebb__par_workers(size_t bytes) {
  if (bytes < ebb__parallel_bytes) return 1;
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  return cpus < 2 ? 1 : cpus > EBB__MAX_WORKERS ? EBB__MAX_WORKERS : (unsigned)cpus;
}

int ebb__par_run(uint32_t n, unsigned workers, ebb__par_item_fn fn, void *ctx, uint32_t *failed,
                 unsigned *failed_worker) {
  job j = {.n = n, .fn = fn, .ctx = ctx, .budget = ebb__alloc_budget_current()};
  atomic_init(&j.next, 0);
  atomic_init(&j.failed_at, n);
  pthread_mutex_init(&j.lock, NULL);
  if (workers > EBB__MAX_WORKERS) workers = EBB__MAX_WORKERS;
  pthread_t th[EBB__MAX_WORKERS];
  worker w[EBB__MAX_WORKERS];
  unsigned started = 0;
  while (started + 1 < workers) {
    w[started] = (worker){&j, started + 1};
    if (pthread_create(&th[started], NULL, worker_thread, &w[started])) break;
    started++;
  }
  run_batches(&j, 0); /* this thread too; alone if none could start */
  for (unsigned k = 0; k < started; k++) pthread_join(th[k], NULL);
  pthread_mutex_destroy(&j.lock);
  *failed = atomic_load(&j.failed_at);
  *failed_worker = j.failed_worker;
  return *failed == n ? 0 : j.rc;
}
