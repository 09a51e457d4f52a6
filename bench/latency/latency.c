/*
** latency.c -- how long from ebb_thread_interrupt() to the guest call having
** returned EBB_INTERRUPTED, for a guest thread that is (a) spinning in a
** loop, (b) blocked in memory.atomic.wait, (c) sleeping in a host call
** (ebb_host_sleep_until, what WASI poll_oneoff uses), (d) blocked reading an
** empty pipe (ebb_host_poll, what WASI fd_read uses), (e) blocked on a
** condition variable in a host call, woken by its interrupt handler
** (ebb_host_set_interrupt_handler with ebb_interrupt_cond), and inside one
** 1 GiB bulk instruction (bench/latency/bulk.wat), which stops between two
** chunks (src/exec/bulk.c): (f) memory.fill on pages already touched, (g)
** memory.fill on fresh pages (given back with MADV_DONTNEED before each
** trial), (h) an overlapping memory.copy on pages already touched.
**
** Usage: ebb_latency [TRIALS]   (default 2000 per state)
** Prints p50, p99 and max in microseconds per state.
*/
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ebb.h"

static const unsigned char latency_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
  0x00, 0x00, 0x02, 0x3c, 0x04, 0x05, 0x62, 0x65, 0x6e, 0x63, 0x68, 0x05,
  0x72, 0x65, 0x61, 0x64, 0x79, 0x00, 0x00, 0x05, 0x62, 0x65, 0x6e, 0x63,
  0x68, 0x05, 0x73, 0x6c, 0x65, 0x65, 0x70, 0x00, 0x00, 0x05, 0x62, 0x65,
  0x6e, 0x63, 0x68, 0x09, 0x72, 0x65, 0x61, 0x64, 0x5f, 0x70, 0x69, 0x70,
  0x65, 0x00, 0x00, 0x05, 0x62, 0x65, 0x6e, 0x63, 0x68, 0x04, 0x63, 0x6f,
  0x6e, 0x64, 0x00, 0x00, 0x03, 0x06, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x05, 0x04, 0x01, 0x03, 0x01, 0x01, 0x07, 0x2e, 0x06, 0x06, 0x6d, 0x65,
  0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x04, 0x73, 0x70, 0x69, 0x6e, 0x00,
  0x04, 0x04, 0x77, 0x61, 0x69, 0x74, 0x00, 0x05, 0x05, 0x73, 0x6c, 0x65,
  0x65, 0x70, 0x00, 0x06, 0x04, 0x70, 0x69, 0x70, 0x65, 0x00, 0x07, 0x04,
  0x63, 0x6f, 0x6e, 0x64, 0x00, 0x08, 0x0a, 0x30, 0x05, 0x09, 0x00, 0x10,
  0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b, 0x0f, 0x00, 0x10, 0x00, 0x41,
  0x00, 0x41, 0x00, 0x42, 0x7f, 0xfe, 0x01, 0x02, 0x00, 0x1a, 0x0b, 0x06,
  0x00, 0x10, 0x00, 0x10, 0x01, 0x0b, 0x06, 0x00, 0x10, 0x00, 0x10, 0x02,
  0x0b, 0x06, 0x00, 0x10, 0x00, 0x10, 0x03, 0x0b

};

/* bench/latency/bulk.wat, built with wat2wasm. */
static const unsigned char bulk_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
  0x00, 0x00, 0x02, 0x0f, 0x01, 0x05, 0x62, 0x65, 0x6e, 0x63, 0x68, 0x05,
  0x72, 0x65, 0x61, 0x64, 0x79, 0x00, 0x00, 0x03, 0x03, 0x02, 0x00, 0x00,
  0x05, 0x08, 0x01, 0x01, 0x80, 0x80, 0x01, 0x80, 0x80, 0x01, 0x07, 0x18,
  0x03, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x04, 0x66,
  0x69, 0x6c, 0x6c, 0x00, 0x01, 0x04, 0x63, 0x6f, 0x70, 0x79, 0x00, 0x02,
  0x0a, 0x27, 0x02, 0x12, 0x00, 0x10, 0x00, 0x41, 0x00, 0x41, 0xda, 0x00,
  0x41, 0x80, 0x80, 0x80, 0x80, 0x04, 0xfc, 0x0b, 0x00, 0x0b, 0x12, 0x00,
  0x10, 0x00, 0x41, 0x01, 0x41, 0x00, 0x41, 0xff, 0xff, 0xff, 0xff, 0x03,
  0xfc, 0x0a, 0x00, 0x00, 0x0b
};

static atomic_int armed;
static int pipe_fds[2];

static ebb_status_t host_ready(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  atomic_store(&armed, 1);
  return EBB_OK;
}

static ebb_status_t host_sleep(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  int64_t deadline = ebb_host_deadline(call, 10 * 1000000000LL);
  return ebb_host_sleep_until(call, deadline) == EBB_EINTR ? EBB_INTERRUPTED : EBB_OK;
}

static ebb_status_t host_read_pipe(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  struct pollfd p = {pipe_fds[0], POLLIN, 0};
  int rc = ebb_host_poll(call, &p, 1, ebb_host_deadline(call, 10 * 1000000000LL));
  return rc == EBB_EINTR ? EBB_INTERRUPTED : EBB_OK;
}

static pthread_mutex_t cond_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond_var = PTHREAD_COND_INITIALIZER;

/* Waits on a condition nothing signals but its interrupt handler. */
static ebb_status_t host_cond(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  ebb_interrupt_cond_t wake = {&cond_mutex, &cond_var};
  if (ebb_host_set_interrupt_handler(call, ebb_interrupt_cond, &wake)) return EBB_INTERRUPTED;
  pthread_mutex_lock(&cond_mutex);
  while (!ebb_host_stop_requested(call)) pthread_cond_wait(&cond_var, &cond_mutex);
  pthread_mutex_unlock(&cond_mutex);
  ebb_host_clear_interrupt_handler(call);
  return EBB_INTERRUPTED;
}

typedef struct funcs {
  ebb_func_t *ready, *sleep, *read_pipe, *cond;
} funcs;

static int resolve(void *data, const char *module, const char *name, ebb_externkind_t kind,
                   ebb_extern_t *out) {
  funcs *f = data;
  out->kind = EBB_EXTERN_FUNC;
  if (!strcmp(name, "ready")) out->of.func = f->ready;
  else if (!strcmp(name, "sleep")) out->of.func = f->sleep;
  else if (!strcmp(name, "read_pipe")) out->of.func = f->read_pipe;
  else if (!strcmp(name, "cond")) out->of.func = f->cond;
  else return EBB_ENOTFOUND;
  return 0;
}

/* The guest thread: runs the call it is given, records when it returned. */
typedef struct runner {
  ebb_thread_t *thread;
  ebb_func_t *func;
  sem_t go, done;
  int64_t returned_at;
  ebb_status_t status;
  int quit;
} runner;

static void *run(void *p) {
  runner *r = p;
  for (;;) {
    sem_wait(&r->go);
    if (r->quit) return NULL;
    ebb_outcome_t out;
    r->status = ebb_call(r->thread, r->func, NULL, NULL, &out);
    r->returned_at = ebb_now_ns();
    if (r->status == EBB_INTERRUPTED) ebb_call_abandon(r->thread);
    sem_post(&r->done);
  }
}

static int cmp(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* Memory to give back to the kernel before each trial, so it is fresh. */
static uint8_t *fresh_base;
static size_t fresh_size;

static void measure(runner *r, ebb_func_t *f, const char *label, int trials) {
  int64_t *lat = malloc(sizeof *lat * (size_t)trials);
  r->func = f;
  for (int i = 0; i < trials; i++) {
    if (fresh_base) madvise(fresh_base, fresh_size, MADV_DONTNEED);
    atomic_store(&armed, 0);
    sem_post(&r->go);
    while (!atomic_load(&armed)) sched_yield();
    /* Let the guest get well into its state (blocked, or looping). */
    struct timespec pause = {0, 200000};
    nanosleep(&pause, NULL);
    int64_t asked = ebb_now_ns();
    ebb_thread_interrupt(r->thread);
    sem_wait(&r->done);
    if (r->status != EBB_INTERRUPTED) {
      fprintf(stderr, "%s: call ended with status %d, not INTERRUPTED\n", label, r->status);
      exit(1);
    }
    lat[i] = r->returned_at - asked;
  }
  qsort(lat, (size_t)trials, sizeof *lat, cmp);
  printf("%-28s %8.1f %8.1f %8.1f\n", label, lat[trials / 2] / 1e3,
         lat[(int)(trials * 0.99)] / 1e3, lat[trials - 1] / 1e3);
  free(lat);
}

int main(int argc, char **argv) {
  int trials = argc > 1 ? atoi(argv[1]) : 2000;
  if (trials < 10) trials = 10;
  if (pipe(pipe_fds)) return 1;
  ebb_store_t *store = ebb_store_new(NULL);
  funcs f = {
      ebb_func_new_host(store, NULL, 0, NULL, 0, host_ready, NULL),
      ebb_func_new_host(store, NULL, 0, NULL, 0, host_sleep, NULL),
      ebb_func_new_host(store, NULL, 0, NULL, 0, host_read_pipe, NULL),
      ebb_func_new_host(store, NULL, 0, NULL, 0, host_cond, NULL),
  };
  ebb_module_t *mod;
  ebb_instance_t *inst;
  ebb_error_t err = {0, ""};
  if (ebb_module_new(latency_wasm, sizeof latency_wasm, &mod, &err) ||
      ebb_instance_new(store, mod, resolve, &f, &inst, &err)) {
    fprintf(stderr, "ebb_latency: %s\n", err.message);
    return 1;
  }
  runner r = {.thread = ebb_thread_new(store)};
  sem_init(&r.go, 0, 0);
  sem_init(&r.done, 0, 0);
  pthread_t th;
  pthread_create(&th, NULL, run, &r);
  printf("interrupt latency, %d trials each (microseconds)\n", trials);
  printf("%-28s %8s %8s %8s\n", "guest state", "p50", "p99", "max");
  const char *names[] = {"spin", "wait", "sleep", "pipe", "cond"};
  const char *labels[] = {"(a) spinning in a loop", "(b) memory.atomic.wait",
                          "(c) sleeping (host sleep)", "(d) reading an empty pipe",
                          "(e) condition + handler"};
  for (int i = 0; i < 5; i++) {
    ebb_extern_t x;
    ebb_instance_export(inst, names[i], &x);
    measure(&r, x.of.func, labels[i], trials);
  }
  /* Inside bulk instructions; fewer trials: each fills 1 GiB in a pass. */
  ebb_module_t *bmod;
  ebb_instance_t *binst;
  if (ebb_module_new(bulk_wasm, sizeof bulk_wasm, &bmod, &err) ||
      ebb_instance_new(store, bmod, resolve, &f, &binst, &err)) {
    fprintf(stderr, "ebb_latency: %s\n", err.message);
    return 1;
  }
  ebb_extern_t fill, copy, mem;
  ebb_instance_export(binst, "fill", &fill);
  ebb_instance_export(binst, "copy", &copy);
  ebb_instance_export(binst, "memory", &mem);
  int btrials = trials < 200 ? trials : 200;
  memset(ebb_memory_data(mem.of.memory), 1, ebb_memory_size(mem.of.memory));
  measure(&r, fill.of.func, "(f) memory.fill, 1 GiB", btrials);
  fresh_base = ebb_memory_data(mem.of.memory);
  fresh_size = ebb_memory_size(mem.of.memory);
  measure(&r, fill.of.func, "(g) memory.fill, fresh pages", btrials);
  fresh_base = NULL;
  memset(ebb_memory_data(mem.of.memory), 1, ebb_memory_size(mem.of.memory));
  measure(&r, copy.of.func, "(h) memory.copy, 1 GiB", btrials);
  r.quit = 1;
  sem_post(&r.go);
  pthread_join(th, NULL);
  ebb_thread_delete(r.thread);
  ebb_store_delete(store);
  ebb_module_delete(mod);
  ebb_module_delete(bmod);
  return 0;
}
