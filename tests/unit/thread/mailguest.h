/*
** mailguest.h -- what the mailbox and suspension tests share: an instance
** of mailguest.wat with its host functions, threads that run its exports
** on their own OS threads, and small waits.
*/
#ifndef EBB_TEST_MAILGUEST_H
#define EBB_TEST_MAILGUEST_H

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "ebb.h"
#include "mailguest.wat.h"

static struct {
  ebb_store_t *store;
  ebb_instance_t *inst;
  ebb_memory_t *mem;
  pthread_mutex_t m;
  pthread_cond_t c;
  int cond_ready;          /* condwait returns when set */
  atomic_int condwait_runs; /* times condwait began */
  ebb_handle_t callto[8];  /* callto(i) sends to callto[i] */
  atomic_int callto_barrier; /* > 0: callto waits until this many have come */
  atomic_int callto_arrived;
  atomic_int callto_result[8];
} G = {.m = PTHREAD_MUTEX_INITIALIZER, .c = PTHREAD_COND_INITIALIZER};

/* Rounds of a stress test: `full`, or EBB_STRESS_ROUNDS for a quick run. */
static int stress_rounds(int full) {
  const char *e = getenv("EBB_STRESS_ROUNDS");
  return e ? atoi(e) : full;
}

static void pause_us(long us) {
  struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
  nanosleep(&ts, NULL);
}

/* Spin-wait (with pauses) for a condition, failing the test after 20 s. */
#define WAIT_FOR(cond)                                                    \
  do {                                                                    \
    int64_t until_ = ebb_now_ns() + 20000000000LL;                        \
    while (!(cond) && ebb_now_ns() < until_) pause_us(200);               \
    CHECK(cond);                                                          \
  } while (0)

static ebb_status_t host_sleep(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  (void)r;
  int64_t d = ebb_host_deadline(call, (int64_t)a[0]);
  return ebb_host_sleep_until(call, d) == EBB_EINTR ? EBB_INTERRUPTED : EBB_OK;
}

/* read(fd): one byte from a pipe, waiting through ebb_host_poll. */
static ebb_status_t host_read(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  struct pollfd p = {(int)a[0], POLLIN, 0};
  int rc = ebb_host_poll(call, &p, 1, INT64_MAX);
  if (rc == EBB_EINTR) return EBB_INTERRUPTED;
  unsigned char b = 0;
  ssize_t n = read((int)a[0], &b, 1);
  r[0] = n == 1 ? b : (uint64_t)-1;
  return EBB_OK;
}

/* condwait(): waits on a condition with ebb's condition handler. */
static ebb_status_t host_condwait(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  (void)a, (void)r;
  atomic_fetch_add(&G.condwait_runs, 1);
  ebb_interrupt_cond_t wake = {&G.m, &G.c};
  if (ebb_host_set_interrupt_handler(call, ebb_interrupt_cond, &wake)) return EBB_INTERRUPTED;
  pthread_mutex_lock(&G.m);
  while (!G.cond_ready && !ebb_host_stop_requested(call)) pthread_cond_wait(&G.c, &G.m);
  bool ready = G.cond_ready;
  pthread_mutex_unlock(&G.m);
  ebb_host_clear_interrupt_handler(call);
  return ready ? EBB_OK : EBB_INTERRUPTED;
}

static void add_one(ebb_thread_t *t, void *arg);

/* callto(i): a synchronous message to thread callto[i] that calls add(1)
** there; returns the ebb_mail_result_t. */
static ebb_status_t host_callto(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  (void)call;
  int want = atomic_load(&G.callto_barrier);
  atomic_fetch_add(&G.callto_arrived, 1);
  while (want && atomic_load(&G.callto_arrived) < want) pause_us(50);
  int rc = ebb_mail_call(G.callto[a[0] & 7], add_one, NULL, INT64_MAX);
  atomic_store(&G.callto_result[a[0] & 7], rc);
  r[0] = (uint64_t)rc;
  return EBB_OK;
}

/* block(ms): a host function ebb cannot interrupt (no handler). */
static ebb_status_t host_block(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  (void)call, (void)r;
  pause_us((long)a[0] * 1000);
  return EBB_OK;
}

static int resolve(void *data, const char *module, const char *name, ebb_externkind_t kind,
                   ebb_extern_t *out) {
  (void)module, (void)kind;
  ebb_store_t *s = data;
  ebb_valkind_t i32 = EBB_I32, i64 = EBB_I64;
  out->kind = EBB_EXTERN_FUNC;
  if (!strcmp(name, "sleep")) out->of.func = ebb_func_new_host(s, &i64, 1, NULL, 0, host_sleep, NULL);
  else if (!strcmp(name, "read"))
    out->of.func = ebb_func_new_host(s, &i32, 1, &i32, 1, host_read, NULL);
  else if (!strcmp(name, "condwait"))
    out->of.func = ebb_func_new_host(s, NULL, 0, NULL, 0, host_condwait, NULL);
  else if (!strcmp(name, "callto"))
    out->of.func = ebb_func_new_host(s, &i32, 1, &i32, 1, host_callto, NULL);
  else if (!strcmp(name, "block"))
    out->of.func = ebb_func_new_host(s, &i32, 1, NULL, 0, host_block, NULL);
  else return EBB_ENOTFOUND;
  return out->of.func ? 0 : EBB_ENOMEM;
}

static ebb_func_t *fn(const char *name) {
  ebb_extern_t e;
  if (ebb_instance_export(G.inst, name, &e) || e.kind != EBB_EXTERN_FUNC) return NULL;
  return e.of.func;
}

static void guest_setup(void) {
  ebb_module_t *m;
  ebb_error_t err = {0};
  CHECK_EQ_INT(ebb_module_new(mailguest_wasm, sizeof mailguest_wasm, &m, &err), 0);
  G.store = ebb_store_new(NULL);
  CHECK_EQ_INT(ebb_instance_new(G.store, m, resolve, G.store, &G.inst, &err), 0);
  ebb_module_delete(m);
  ebb_extern_t e;
  CHECK_EQ_INT(ebb_instance_export(G.inst, "memory", &e), 0);
  G.mem = e.of.memory;
}

static uint32_t mem32(uint32_t addr) {
  return __atomic_load_n((uint32_t *)(ebb_memory_data(G.mem) + addr), __ATOMIC_SEQ_CST);
}
static void set32(uint32_t addr, uint32_t v) {
  __atomic_store_n((uint32_t *)(ebb_memory_data(G.mem) + addr), v, __ATOMIC_SEQ_CST);
}

/* The guest's counter (address 16; unused by some tests). */
__attribute__((unused)) static int32_t counter(void) { return (int32_t)mem32(16); }

/* A guest thread: runs one export with up to two arguments on an OS thread
** of its own, resuming after interrupts when asked. */
typedef struct runner {
  pthread_t os;
  ebb_thread_t *t;
  ebb_handle_t h; /* t's handle, taken before it runs (it may exit at once) */
  ebb_func_t *f;
  ebb_val_t args[2];
  ebb_val_t res;
  ebb_status_t st;
  bool resume;    /* resume after EBB_INTERRUPTED */
  bool keep;      /* don't delete the thread at the end */
  atomic_int done;
  atomic_int started;
} runner;

static void *run_thread(void *p) {
  runner *r = p;
  ebb_outcome_t o;
  atomic_store(&r->started, 1);
  r->st = ebb_call(r->t, r->f, r->args, &r->res, &o);
  while (r->resume && r->st == EBB_INTERRUPTED) r->st = ebb_call_resume(r->t, &r->res, &o);
  if (!r->keep) {
    ebb_thread_delete(r->t);
    r->t = NULL;
  }
  atomic_store(&r->done, 1);
  return NULL;
}

/* Resume r's stopped call on a new OS thread (pthread_create's function). */
__attribute__((unused)) static void *resume_call(void *p) {
  runner *r = p;
  ebb_outcome_t o;
  r->st = ebb_call_resume(r->t, &r->res, &o);
  atomic_store(&r->done, 1);
  return NULL;
}

/* Start f(a0, a1) on a new thread (ebb and OS). kinds from the function. */
static void start(runner *r, ebb_thread_t *t, const char *name, int64_t a0, int64_t a1) {
  memset(r, 0, sizeof *r);
  r->t = t ? t : ebb_thread_new(G.store);
  r->h = ebb_thread_handle(r->t);
  r->f = fn(name);
  for (uint32_t i = 0; i < ebb_func_param_count(r->f) && i < 2; i++) {
    r->args[i].kind = ebb_func_param(r->f, i);
    if (r->args[i].kind == EBB_I64) r->args[i].of.i64 = i ? a1 : a0;
    else r->args[i].of.i32 = (int32_t)(i ? a1 : a0);
  }
  pthread_create(&r->os, NULL, run_thread, r);
}

static void finish(runner *r) { pthread_join(r->os, NULL); }

/* add(1) on the thread a message runs on. Messages on several threads run
** it at once, so failures are counted atomically (CHECK is not thread-safe)
** and checked by add_one_ok() on the test's thread. */
static atomic_int add_one_runs, add_one_failures;
static void add_one(ebb_thread_t *t, void *arg) {
  (void)arg;
  ebb_val_t one = {.kind = EBB_I32, .of.i32 = 1}, res;
  ebb_outcome_t o;
  ebb_status_t st = ebb_call(t, fn("add"), &one, &res, &o);
  if (st != EBB_OK) {
    fprintf(stderr, "add_one: %s\n", o.message);
    atomic_fetch_add(&add_one_failures, 1);
  }
  atomic_fetch_add(&add_one_runs, 1);
}

__attribute__((unused)) static void add_one_ok(void) {
  CHECK_EQ_INT(atomic_load(&add_one_failures), 0);
}

#endif
