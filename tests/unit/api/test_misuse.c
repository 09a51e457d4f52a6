/*
** test_misuse.c -- uses of ebb.h that the header forbids fail loudly
** instead of corrupting memory or hanging, and object lifetimes hold in
** any deletion order the header allows. From issue 14:
**   6 a thread deleted while in a group leaves it (then ebb_group_end);
**   7 ebb_wasi_threads_delete while its threads run (then end, join);
**   8 a function of another store cannot satisfy an import;
** ebb_call from a second OS thread while a call runs (EBB_EBUSY); wrong
** value kinds and missing arguments (EBB_ERROR, never a wild pointer);
** type accessors past the arity; a thread in two groups; ebb_group_end
** from a signal handler; and, in a child process each, the deletions that
** would free memory in use (they abort naming the rule).
*/
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "ebb.h"
#include "misuse.wat.h"

typedef struct env {
  ebb_store_t *store;
  ebb_memory_t *mem;
  ebb_wasi_threads_t *threads;
  ebb_func_t *block;
} env;

static atomic_int blocked, release_block;

/* host.block: says it is blocked, then waits until released. */
static ebb_status_t host_block(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  atomic_store(&blocked, 1);
  while (!atomic_load(&release_block)) sched_yield();
  atomic_store(&blocked, 0);
  return EBB_OK;
}

static int resolve(void *data, const char *module, const char *name, ebb_externkind_t kind,
                   ebb_extern_t *out) {
  env *e = data;
  if (!strcmp(module, "env") && !strcmp(name, "memory")) {
    out->kind = EBB_EXTERN_MEMORY;
    out->of.memory = e->mem;
    return 0;
  }
  if (!strcmp(module, "host") && !strcmp(name, "block")) {
    out->kind = EBB_EXTERN_FUNC;
    out->of.func = e->block;
    return 0;
  }
  return e->threads ? ebb_wasi_threads_resolve(e->threads, module, name, kind, out)
                    : EBB_ENOTFOUND;
}

static ebb_module_t *module;

static void env_init(env *e, ebb_group_t *group) {
  memset(e, 0, sizeof *e);
  e->store = ebb_store_new(NULL);
  e->mem = ebb_memory_new(e->store, 1, 1, true, true);
  e->block = ebb_func_new_host(e->store, NULL, 0, NULL, 0, host_block, NULL);
  if (group) e->threads = ebb_wasi_threads_new(e->store, module, group, resolve, e);
}

static ebb_func_t *fn(ebb_instance_t *inst, const char *name) {
  ebb_extern_t x;
  return ebb_instance_export(inst, name, &x) == 0 ? x.of.func : NULL;
}

static int32_t call_i32(ebb_thread_t *t, ebb_func_t *f, int32_t arg) {
  ebb_val_t a = {.kind = EBB_I32, .of.i32 = arg}, r = {.kind = EBB_I32};
  ebb_outcome_t o;
  ebb_status_t st = ebb_call(t, f, ebb_func_param_count(f) ? &a : NULL, &r, &o);
  return st == EBB_OK ? r.of.i32 : -1000 - (int32_t)st;
}

/* 6 and 7: deletion orders with threads in a group. */
static void test_lifetimes(void) {
  ebb_group_t *group = ebb_group_new(0);
  env e;
  env_init(&e, group);
  CHECK(e.threads != NULL);
  ebb_thread_t *t = ebb_thread_new(e.store);
  CHECK_EQ_INT(ebb_group_add(group, t), 0);
  ebb_instance_t *inst;
  CHECK_EQ_INT(ebb_instance_new(e.store, module, resolve, &e, &inst, NULL), 0);
  CHECK(call_i32(t, fn(inst, "spawn_one"), 0) > 0);
  ebb_outcome_t o;
  CHECK_EQ_INT(ebb_call(t, fn(inst, "wait_started"), NULL, NULL, &o), EBB_OK);

  /* 7: the wasi-threads object goes while its thread waits. */
  ebb_wasi_threads_delete(e.threads);
  CHECK_EQ_INT(call_i32(t, fn(inst, "spawn_one"), 0), -1); /* spawning has ended */

  /* 6: a member deleted without leaving first. */
  ebb_thread_t *t2 = ebb_thread_new(e.store);
  CHECK_EQ_INT(ebb_group_add(group, t2), 0);
  ebb_thread_delete(t2);

  ebb_group_end(group, EBB_END_EXIT, 3, NULL);
  CHECK_EQ_INT(ebb_group_join(group), 0);
  int code;
  CHECK_EQ_INT(ebb_group_outcome(group, &code, NULL, 0), EBB_END_EXIT);
  CHECK_EQ_INT(code, 3);
  ebb_thread_delete(t); /* leaves the group too */
  ebb_group_delete(group);
  ebb_store_delete(e.store);
}

/* 8: objects of another store. */
static void test_other_store(void) {
  env a, b;
  env_init(&a, NULL);
  env_init(&b, NULL);
  a.block = b.block; /* store b's function for store a's import */
  ebb_instance_t *inst;
  ebb_error_t err = {0, ""};
  ebb_wasi_threads_t *wt = NULL;
  ebb_group_t *grp = ebb_group_new(0);
  a.threads = wt = ebb_wasi_threads_new(a.store, module, grp, resolve, &a);
  CHECK_EQ_INT(ebb_instance_new(a.store, module, resolve, &a, &inst, &err), EBB_EUNLINKABLE);
  CHECK_STR_CONTAINS(err.message, "another store");
  /* Memories too. */
  a.block = ebb_func_new_host(a.store, NULL, 0, NULL, 0, host_block, NULL);
  a.mem = b.mem;
  memset(&err, 0, sizeof err);
  CHECK_EQ_INT(ebb_instance_new(a.store, module, resolve, &a, &inst, &err), EBB_EUNLINKABLE);
  CHECK_STR_CONTAINS(err.message, "another store");
  ebb_wasi_threads_delete(wt);
  ebb_group_delete(grp);
  ebb_store_delete(a.store);
  ebb_store_delete(b.store);
}

typedef struct caller {
  ebb_thread_t *t;
  ebb_func_t *f;
  ebb_status_t st;
} caller;

static void *call_block(void *p) {
  caller *c = p;
  ebb_outcome_t o;
  c->st = ebb_call(c->t, c->f, NULL, NULL, &o);
  return NULL;
}

/* Calls refused before anything runs. */
static void test_refused_calls(void) {
  env e;
  env_init(&e, NULL);
  ebb_group_t *grp = ebb_group_new(0);
  e.threads = ebb_wasi_threads_new(e.store, module, grp, resolve, &e);
  ebb_instance_t *inst;
  CHECK_EQ_INT(ebb_instance_new(e.store, module, resolve, &e, &inst, NULL), 0);
  ebb_thread_t *t = ebb_thread_new(e.store);
  ebb_func_t *spin = fn(inst, "spin"), *take_ref = fn(inst, "take_ref");
  ebb_outcome_t o;
  ebb_val_t r;

  /* Two OS threads on one thread: the second is refused, not hung. */
  caller c = {t, fn(inst, "block"), EBB_OK};
  atomic_store(&release_block, 0);
  pthread_t th;
  pthread_create(&th, NULL, call_block, &c);
  while (!atomic_load(&blocked)) sched_yield();
  ebb_val_t arg = {.kind = EBB_I32, .of.i32 = 3};
  CHECK_EQ_INT(ebb_call(t, spin, &arg, &r, &o), EBB_ERROR);
  CHECK_EQ_INT(o.error, EBB_EBUSY);
  CHECK_EQ_INT(ebb_call_resume(t, &r, &o), EBB_ERROR);
  CHECK_EQ_INT(o.error, EBB_EBUSY);
  CHECK_EQ_INT(ebb_call_abandon(t), EBB_EBUSY);
  atomic_store(&release_block, 1);
  pthread_join(th, NULL);
  CHECK_EQ_INT(c.st, EBB_OK);
  CHECK_EQ_INT(ebb_call(t, spin, &arg, &r, &o), EBB_OK); /* and then it is free */

  /* Arguments that do not fit the type. */
  ebb_val_t wrong = {.kind = EBB_I64, .of.i64 = 3};
  CHECK_EQ_INT(ebb_call(t, spin, &wrong, &r, &o), EBB_ERROR);
  CHECK_EQ_INT(o.error, EBB_EARG);
  CHECK_STR_CONTAINS(o.message, "argument 0");
  CHECK_EQ_INT(ebb_call(t, spin, NULL, &r, &o), EBB_ERROR);
  ebb_val_t forged = {.kind = EBB_I32, .of.i32 = 0x41414141};
  CHECK_EQ_INT(ebb_call(t, take_ref, &forged, &r, &o), EBB_ERROR); /* an i32 as a funcref */
  ebb_val_t null_ref = {.kind = EBB_FUNCREF, .of.func = NULL};
  CHECK_EQ_INT(ebb_call(t, take_ref, &null_ref, &r, &o), EBB_OK);
  CHECK_EQ_INT(r.of.i32, 0);
  ebb_val_t mine = {.kind = EBB_FUNCREF, .of.func = spin};
  CHECK_EQ_INT(ebb_call(t, take_ref, &mine, &r, &o), EBB_OK);
  CHECK_EQ_INT(r.of.i32, 1);
  env other;
  env_init(&other, NULL);
  ebb_val_t alien = {.kind = EBB_FUNCREF, .of.func = other.block};
  CHECK_EQ_INT(ebb_call(t, take_ref, &alien, &r, &o), EBB_ERROR);
  ebb_thread_t *other_t = ebb_thread_new(other.store);
  CHECK_EQ_INT(ebb_call(other_t, spin, &arg, &r, &o), EBB_ERROR); /* function of another store */
  CHECK_EQ_INT(ebb_call(NULL, spin, &arg, &r, &o), EBB_ERROR);
  CHECK_EQ_INT(ebb_call(t, NULL, &arg, &r, &o), EBB_ERROR);
  ebb_thread_delete(other_t);
  ebb_store_delete(other.store);

  /* Type accessors past the arity; host functions of kinds ebb has not. */
  CHECK_EQ_INT(ebb_func_param(spin, 0), EBB_I32);
  CHECK_EQ_INT(ebb_func_param(spin, 1), EBB_NOKIND);
  CHECK_EQ_INT(ebb_func_result(spin, 7), EBB_NOKIND);
  ebb_valkind_t bogus = (ebb_valkind_t)0x42;
  CHECK(ebb_func_new_host(e.store, &bogus, 1, NULL, 0, host_block, NULL) == NULL);
  CHECK(ebb_func_new_host(e.store, NULL, 2, NULL, 0, host_block, NULL) == NULL);

  /* A thread is in at most one group; removing from another does nothing. */
  ebb_group_t *g1 = ebb_group_new(0), *g2 = ebb_group_new(0);
  CHECK_EQ_INT(ebb_group_add(g1, t), 0);
  CHECK_EQ_INT(ebb_group_add(g2, t), EBB_EBUSY);
  CHECK_EQ_INT(ebb_group_add(g1, t), EBB_EBUSY);
  ebb_group_remove(g2, t);
  ebb_group_end(g1, EBB_END_EXIT, 5, NULL); /* t is still g1's: it gets the request */
  CHECK_EQ_INT(ebb_call(t, spin, &arg, &r, &o), EBB_EXIT);
  CHECK_EQ_INT(o.exit_code, 5);
  ebb_group_remove(g1, t);
  CHECK_EQ_INT(ebb_call(t, spin, &arg, &r, &o), EBB_OK); /* free again once it left */
  ebb_group_delete(g1);
  ebb_group_delete(g2);

  ebb_thread_delete(t);
  ebb_wasi_threads_delete(e.threads);
  ebb_group_delete(grp);
  ebb_store_delete(e.store);
}

/* ebb_group_end from a signal handler: while the thread runs guest code,
** and while it is inside ebb_group_add / ebb_group_remove (which once held
** the lock the handler then waited for). */
enum { NGROUPS = 200 };
static ebb_group_t *sig_groups[NGROUPS];
static atomic_int sig_index;

static void on_alarm(int sig) {
  (void)sig;
  ebb_group_end(sig_groups[atomic_load(&sig_index)], EBB_END_SIGNAL, 130, "alarm");
}

static void test_end_from_signal(void) {
  env e;
  env_init(&e, NULL);
  ebb_group_t *grp = ebb_group_new(0);
  e.threads = ebb_wasi_threads_new(e.store, module, grp, resolve, &e);
  ebb_instance_t *inst;
  CHECK_EQ_INT(ebb_instance_new(e.store, module, resolve, &e, &inst, NULL), 0);
  ebb_thread_t *t = ebb_thread_new(e.store);
  for (int i = 0; i < NGROUPS; i++) sig_groups[i] = ebb_group_new(0);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, NULL);

  /* A guest loop ended by the handler. */
  atomic_store(&sig_index, 0);
  CHECK_EQ_INT(ebb_group_add(sig_groups[0], t), 0);
  struct itimerval once = {{0, 0}, {0, 20000}};
  setitimer(ITIMER_REAL, &once, NULL);
  ebb_outcome_t o;
  CHECK_EQ_INT(ebb_call(t, fn(inst, "forever"), NULL, NULL, &o), EBB_EXIT);
  CHECK_EQ_INT(o.exit_code, 130);
  ebb_group_remove(sig_groups[0], t);

  /* The handler landing inside add and remove, group after group. */
  struct itimerval often = {{0, 200}, {0, 200}};
  setitimer(ITIMER_REAL, &often, NULL);
  int ended = 0;
  for (int k = 1; k < NGROUPS; k++) {
    atomic_store(&sig_index, k);
    for (int j = 0; j < 100000; j++) {
      if (ebb_group_add(sig_groups[k], t) == 0) ebb_group_remove(sig_groups[k], t);
      if (ebb_group_outcome(sig_groups[k], NULL, NULL, 0) != EBB_END_NONE) {
        ended++;
        break;
      }
    }
  }
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);
  signal(SIGALRM, SIG_DFL);
  CHECK(ended > NGROUPS / 2);
  for (int i = 0; i < NGROUPS; i++) ebb_group_delete(sig_groups[i]);
  ebb_thread_delete(t);
  ebb_wasi_threads_delete(e.threads);
  ebb_group_delete(grp);
  ebb_store_delete(e.store);
}

/* ---- Misuse that aborts: each in a child process ------------------------ */

static void delete_store_with_thread(void) {
  env e;
  env_init(&e, NULL);
  (void)ebb_thread_new(e.store);
  ebb_store_delete(e.store);
}

static void delete_group_with_member(void) {
  env e;
  env_init(&e, NULL);
  ebb_group_t *g = ebb_group_new(0);
  ebb_group_add(g, ebb_thread_new(e.store));
  ebb_group_delete(g);
}

static ebb_thread_t *victim;
static ebb_status_t delete_own_thread(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  ebb_thread_delete(victim);
  return EBB_OK;
}

static void delete_thread_during_call(void) {
  env e;
  env_init(&e, NULL);
  e.block = ebb_func_new_host(e.store, NULL, 0, NULL, 0, delete_own_thread, NULL);
  victim = ebb_thread_new(e.store);
  ebb_outcome_t o;
  ebb_call(victim, e.block, NULL, NULL, &o);
}

#ifdef EBB_CHECKS
/* EBB_ENABLE_CHECKS: rules whose check would cost a hot path. */
static void forged_funcref(void) {
  env e;
  env_init(&e, NULL);
  ebb_group_t *grp = ebb_group_new(0);
  e.threads = ebb_wasi_threads_new(e.store, module, grp, resolve, &e);
  ebb_instance_t *inst;
  ebb_instance_new(e.store, module, resolve, &e, &inst, NULL);
  static char not_a_function[64];
  ebb_val_t v = {.kind = EBB_FUNCREF, .of.func = (ebb_func_t *)not_a_function}, r;
  ebb_outcome_t o;
  ebb_call(ebb_thread_new(e.store), fn(inst, "take_ref"), &v, &r, &o);
}

static ebb_host_call_t *kept;
static ebb_status_t keep_call(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  kept = call;
  return EBB_OK;
}

static void stale_host_call(void) {
  env e;
  env_init(&e, NULL);
  ebb_func_t *f = ebb_func_new_host(e.store, NULL, 0, NULL, 0, keep_call, NULL);
  ebb_outcome_t o;
  ebb_call(ebb_thread_new(e.store), f, NULL, NULL, &o);
  ebb_host_sleep_until(kept, 0); /* the record is gone */
}
#endif

static void expect_abort(void (*body)(void), const char *needle) {
  int p[2];
  CHECK_EQ_INT(pipe(p), 0);
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(p[1], 2);
    body();
    _exit(0);
  }
  close(p[1]);
  char buf[4096];
  size_t n = 0;
  ssize_t k;
  while (n < sizeof buf - 1 && (k = read(p[0], buf + n, sizeof buf - 1 - n)) > 0) n += (size_t)k;
  buf[n] = '\0';
  close(p[0]);
  int status;
  waitpid(pid, &status, 0);
  CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
  CHECK_STR_CONTAINS(buf, "ebb: API misuse: ");
  CHECK_STR_CONTAINS(buf, needle);
}

int main(void) {
  ebb_error_t err = {0, ""};
  CHECK_EQ_INT(ebb_module_new(misuse_wasm, sizeof misuse_wasm, &module, &err), 0);
  /* Children first, while this process has one thread. */
  expect_abort(delete_store_with_thread, "ebb_store_delete");
  expect_abort(delete_group_with_member, "still members");
  expect_abort(delete_thread_during_call, "a call is running on this thread");
#ifdef EBB_CHECKS
  expect_abort(forged_funcref, "a funcref argument is not a function");
  expect_abort(stale_host_call, "ebb_host_sleep_until: the ebb_host_call_t is not");
#endif
  test_lifetimes();
  test_other_store();
  test_refused_calls();
  test_end_from_signal();
  ebb_module_delete(module);
  return CHECK_DONE();
}
