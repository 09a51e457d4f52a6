/*
** test_reentry.c -- calls that nest: a host function calling back into the
** guest on its own thread, and the host functions the embedder calls
** directly. Each numbered case is a promise of issue 14 that once broke:
**   1 a direct host call, interrupted, resumes (with its deadline);
**   2 ebb_group_end during a direct host call ends it with EBB_EXIT;
**   3 an inner call resumed or abandoned by the host function leaves the
**     outer call's result types alone (results are exactly sized: ASan);
**   4 a host function passes an inner call's stop on by returning
**     EBB_INTERRUPTED, and the outer call resumes cleanly;
**   5 a direct host call's arguments survive its inner calls;
**   9 interrupt handlers nest, and EBB_INTERRUPTED with no request traps.
** Also: a host function's status is checked, nesting is bounded, and
** ebb_group_join from a member's host function refuses instead of hanging.
*/
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "ebb.h"
#include "reentry.wat.h"

enum mode {
  PLAIN,      /* nest: inner(10) once */
  RESUME,     /* nest: inner stopped by a request, resumed to the end */
  ABANDON,    /* nest: inner stopped, abandoned, called again */
  PROPAGATE,  /* nest: inner stopped, the stop passed on (EBB_INTERRUPTED) */
  RECURSE,    /* nest: recurse(x - 1) until x is 0 */
  HANDLERS,   /* nest: own handler, then an inner host call with its own */
  NO_REQUEST, /* nest: EBB_INTERRUPTED with nothing pending */
  BAD_STATUS, /* nest: a status that is no ebb_status_t */
  BAD_EXIT,   /* nest: EBB_EXIT without ebb_host_exit */
  JOIN,       /* nest: ebb_group_join on the caller's own group */
};

static struct {
  ebb_store_t *store;
  ebb_instance_t *inst;
  ebb_thread_t *t;
  ebb_func_t *inner, *spin, *recurse, *call_sleep;
  ebb_group_t *group;
  enum mode mode;
  int nest_runs, sleep_runs;
  int64_t deadlines[8];
  atomic_int in_wait; /* a host function is about to wait */
  int join_rc;
  int propagate_runs;
  pthread_mutex_t m;
  pthread_cond_t c;
} g = {.m = PTHREAD_MUTEX_INITIALIZER, .c = PTHREAD_COND_INITIALIZER};

static ebb_func_t *export_func(const char *name) {
  ebb_extern_t e;
  if (ebb_instance_export(g.inst, name, &e) || e.kind != EBB_EXTERN_FUNC) return NULL;
  return e.of.func;
}

/* inner(n) from a host function; checks the three results when it returns. */
static ebb_status_t call_inner(int32_t n, ebb_outcome_t *o) {
  ebb_val_t arg = {.kind = EBB_I32, .of.i32 = n};
  ebb_val_t *res = malloc(3 * sizeof *res); /* exactly three: ASan sees more */
  ebb_status_t st = ebb_call(g.t, g.inner, &arg, res, o);
  if (st == EBB_OK) CHECK(res[0].of.i64 == 7 && res[1].of.i64 == 8 && res[2].of.i64 == 9);
  free(res);
  return st;
}

static ebb_status_t cond_wait_until_stopped(ebb_host_call_t *call) {
  ebb_interrupt_cond_t wake = {&g.m, &g.c};
  if (ebb_host_set_interrupt_handler(call, ebb_interrupt_cond, &wake)) return EBB_INTERRUPTED;
  pthread_mutex_lock(&g.m);
  atomic_store(&g.in_wait, 1);
  while (!ebb_host_stop_requested(call)) pthread_cond_wait(&g.c, &g.m);
  pthread_mutex_unlock(&g.m);
  ebb_host_clear_interrupt_handler(call);
  return EBB_INTERRUPTED;
}

static ebb_status_t host_nest(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  int32_t x = (int32_t)a[0];
  ebb_outcome_t o;
  ebb_status_t st;
  g.nest_runs++;
  switch (g.mode) {
  case PLAIN: CHECK_EQ_INT(call_inner(10, &o), EBB_OK); break;
  case RESUME: {
    ebb_thread_interrupt(g.t); /* stops inner at its first safe point */
    ebb_val_t res[3];
    st = call_inner(1000, &o);
    CHECK_EQ_INT(st, EBB_INTERRUPTED);
    while (st == EBB_INTERRUPTED) st = ebb_call_resume(g.t, res, &o);
    CHECK_EQ_INT(st, EBB_OK);
    CHECK(res[0].of.i64 == 7 && res[2].of.i64 == 9);
    break;
  }
  case ABANDON:
    ebb_thread_interrupt(g.t);
    CHECK_EQ_INT(call_inner(1000, &o), EBB_INTERRUPTED);
    CHECK_EQ_INT(ebb_call_abandon(g.t), 0);
    CHECK_EQ_INT(call_inner(5, &o), EBB_OK);
    break;
  case PROPAGATE:
    if (g.propagate_runs++ == 0) {
      ebb_thread_interrupt(g.t);
      if (call_inner(1000, &o) == EBB_INTERRUPTED) return EBB_INTERRUPTED; /* left stopped */
      CHECK(0);
    }
    CHECK_EQ_INT(call_inner(1000, &o), EBB_OK);
    break;
  case RECURSE: {
    if (x == 0) break;
    ebb_val_t arg = {.kind = EBB_I32, .of.i32 = x - 1}, res;
    st = ebb_call(g.t, g.recurse, &arg, &res, &o);
    if (st == EBB_TRAP) return ebb_host_trap(call, o.message);
    r[0] = (uint32_t)res.of.i32;
    return EBB_OK;
  }
  case HANDLERS: {
    ebb_interrupt_cond_t wake = {&g.m, &g.c};
    CHECK_EQ_INT(ebb_host_set_interrupt_handler(call, ebb_interrupt_cond, &wake), 0);
    ebb_val_t arg = {.kind = EBB_I32, .of.i32 = 1};
    st = ebb_call(g.t, g.call_sleep, &arg, NULL, &o);
    ebb_host_clear_interrupt_handler(call);
    if (st == EBB_INTERRUPTED) return EBB_INTERRUPTED;
    CHECK_EQ_INT(st, EBB_OK);
    break;
  }
  case NO_REQUEST: return EBB_INTERRUPTED;
  case BAD_STATUS: return (ebb_status_t)17;
  case BAD_EXIT: return EBB_EXIT;
  case JOIN: g.join_rc = ebb_group_join(g.group); break;
  }
  r[0] = (uint32_t)(x * 2);
  return EBB_OK;
}

/* sleep(ms): the deadline survives restarts; mode HANDLERS: waits on a
** condition with a handler of its own, nested inside nest's. */
static ebb_status_t host_sleep(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  if (g.mode == HANDLERS) {
    if (g.sleep_runs++ == 0) return cond_wait_until_stopped(call);
    return EBB_OK;
  }
  int64_t d = ebb_host_deadline(call, (int64_t)a[0] * 1000000);
  if (g.sleep_runs < 8) g.deadlines[g.sleep_runs] = d;
  g.sleep_runs++;
  atomic_store(&g.in_wait, 1);
  if (ebb_host_sleep_until(call, d) == EBB_EINTR) return EBB_INTERRUPTED;
  return EBB_OK;
}

/* direct3(a i32, b i64, c i32) -> i64: a + b + c, read after an inner call. */
static ebb_status_t host_direct3(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  uint64_t before[3] = {a[0], a[1], a[2]};
  ebb_val_t arg = {.kind = EBB_I32, .of.i32 = 1000}, res;
  ebb_outcome_t o;
  CHECK_EQ_INT(ebb_call(g.t, g.spin, &arg, &res, &o), EBB_OK);
  CHECK(a[0] == before[0] && a[1] == before[1] && a[2] == before[2]);
  r[0] = (uint64_t)((int64_t)(int32_t)a[0] + (int64_t)a[1] + (int32_t)a[2]);
  return EBB_OK;
}

static int resolve(void *data, const char *module, const char *name, ebb_externkind_t kind,
                   ebb_extern_t *out) {
  ebb_store_t *s = data;
  ebb_valkind_t i32 = EBB_I32;
  out->kind = EBB_EXTERN_FUNC;
  if (!strcmp(name, "nest")) out->of.func = ebb_func_new_host(s, &i32, 1, &i32, 1, host_nest, NULL);
  else if (!strcmp(name, "sleep"))
    out->of.func = ebb_func_new_host(s, &i32, 1, NULL, 0, host_sleep, NULL);
  else return EBB_ENOTFOUND;
  return out->of.func ? 0 : EBB_ENOMEM;
}

static ebb_status_t call_outer(int32_t x, int32_t *result, ebb_outcome_t *o) {
  ebb_val_t arg = {.kind = EBB_I32, .of.i32 = x};
  ebb_val_t *res = malloc(sizeof *res); /* exactly one result */
  ebb_status_t st = ebb_call(g.t, export_func("outer"), &arg, res, o);
  if (st == EBB_OK) *result = res->of.i32;
  free(res);
  return st;
}

static void reset(enum mode m) {
  g.mode = m;
  g.nest_runs = g.sleep_runs = g.propagate_runs = 0;
  atomic_store(&g.in_wait, 0);
}

static void *interrupt_when_waiting(void *arg) {
  while (!atomic_load(&g.in_wait)) sched_yield();
  struct timespec pause = {0, 2000000}; /* let it reach its wait */
  nanosleep(&pause, NULL);
  if (arg) ebb_group_end(arg, EBB_END_EXIT, 42, NULL);
  else ebb_thread_interrupt(g.t);
  return NULL;
}

/* 1 and 2: a host function the embedder calls directly. */
static void test_direct_host_call(void) {
  ebb_valkind_t i32 = EBB_I32;
  ebb_func_t *sleep = ebb_func_new_host(g.store, &i32, 1, NULL, 0, host_sleep, NULL);
  ebb_val_t arg = {.kind = EBB_I32, .of.i32 = 300};
  ebb_outcome_t o;
  reset(PLAIN);
  pthread_t req;
  pthread_create(&req, NULL, interrupt_when_waiting, NULL);
  ebb_status_t st = ebb_call(g.t, sleep, &arg, NULL, &o);
  pthread_join(req, NULL);
  CHECK_EQ_INT(st, EBB_INTERRUPTED);
  CHECK(ebb_thread_has_stopped_call(g.t));
  CHECK_EQ_INT(ebb_call_resume(g.t, NULL, &o), EBB_OK);
  CHECK_EQ_INT(g.sleep_runs, 2);
  CHECK(g.deadlines[0] == g.deadlines[1]); /* the resumed call kept its deadline */
  CHECK(!ebb_thread_has_stopped_call(g.t));

  /* The same call in a group that ends while it sleeps: EBB_EXIT. */
  ebb_group_t *grp = ebb_group_new(0);
  CHECK_EQ_INT(ebb_group_add(grp, g.t), 0);
  reset(PLAIN);
  arg.of.i32 = 10000;
  pthread_create(&req, NULL, interrupt_when_waiting, grp);
  st = ebb_call(g.t, sleep, &arg, NULL, &o);
  pthread_join(req, NULL);
  CHECK_EQ_INT(st, EBB_EXIT);
  CHECK_EQ_INT(o.exit_code, 42);
  CHECK(!ebb_thread_has_stopped_call(g.t));
  ebb_group_remove(grp, g.t);
  ebb_group_delete(grp);
}

/* 3, 4: an inner call stopped, then resumed, abandoned or passed on. */
static void test_inner_stops(void) {
  int32_t v = 0;
  ebb_outcome_t o;
  reset(PLAIN);
  CHECK_EQ_INT(call_outer(20, &v, &o), EBB_OK);
  CHECK_EQ_INT(v, 41);

  reset(RESUME);
  CHECK_EQ_INT(call_outer(20, &v, &o), EBB_OK);
  CHECK_EQ_INT(v, 41);
  CHECK(!ebb_thread_has_stopped_call(g.t));

  reset(ABANDON);
  CHECK_EQ_INT(call_outer(3, &v, &o), EBB_OK);
  CHECK_EQ_INT(v, 7);

  reset(PROPAGATE);
  CHECK_EQ_INT(call_outer(5, &v, &o), EBB_INTERRUPTED);
  CHECK(ebb_thread_has_stopped_call(g.t));
  ebb_val_t res;
  CHECK_EQ_INT(ebb_call_resume(g.t, &res, &o), EBB_OK); /* nest runs again from its start */
  CHECK_EQ_INT(res.of.i32, 11);
  CHECK_EQ_INT(g.nest_runs, 2);
  /* The thread is clean afterwards: plain calls work. */
  reset(PLAIN);
  CHECK_EQ_INT(call_outer(1, &v, &o), EBB_OK);
  CHECK_EQ_INT(v, 3);
  /* Abandoning the passed-on stop works too. */
  reset(PROPAGATE);
  CHECK_EQ_INT(call_outer(5, &v, &o), EBB_INTERRUPTED);
  CHECK_EQ_INT(ebb_call_abandon(g.t), 0);
  reset(PLAIN);
  CHECK_EQ_INT(call_outer(2, &v, &o), EBB_OK);
  CHECK_EQ_INT(v, 5);
}

/* 5: a directly called host function's arguments, after an inner call. */
static void test_direct_args(void) {
  ebb_valkind_t p[3] = {EBB_I32, EBB_I64, EBB_I32}, i64 = EBB_I64;
  ebb_func_t *f = ebb_func_new_host(g.store, p, 3, &i64, 1, host_direct3, NULL);
  ebb_val_t args[3] = {{.kind = EBB_I32, .of.i32 = 1000},
                       {.kind = EBB_I64, .of.i64 = 285},
                       {.kind = EBB_I32, .of.i32 = 0}};
  ebb_val_t res;
  ebb_outcome_t o;
  CHECK_EQ_INT(ebb_call(g.t, f, args, &res, &o), EBB_OK);
  CHECK_EQ_INT(res.of.i64, 1285);
}

/* 9: handlers nest; EBB_INTERRUPTED with no request is a trap. */
static void test_handlers_and_statuses(void) {
  int32_t v = 0;
  ebb_outcome_t o;
  reset(HANDLERS);
  pthread_t req;
  pthread_create(&req, NULL, interrupt_when_waiting, NULL);
  ebb_status_t st = call_outer(4, &v, &o);
  pthread_join(req, NULL);
  CHECK_EQ_INT(st, EBB_INTERRUPTED);
  ebb_val_t res;
  CHECK_EQ_INT(ebb_call_resume(g.t, &res, &o), EBB_OK);
  CHECK_EQ_INT(res.of.i32, 9);

  reset(NO_REQUEST);
  CHECK_EQ_INT(call_outer(1, &v, &o), EBB_TRAP);
  CHECK_EQ_INT(o.trap, EBB_TRAP_HOST);
  CHECK_STR_CONTAINS(o.message, "EBB_INTERRUPTED with no stop request");
  CHECK_EQ_INT(g.nest_runs, 1); /* not re-run */
  reset(BAD_STATUS);
  CHECK_EQ_INT(call_outer(1, &v, &o), EBB_TRAP);
  CHECK_STR_CONTAINS(o.message, "returned 17");
  reset(BAD_EXIT);
  CHECK_EQ_INT(call_outer(1, &v, &o), EBB_TRAP);
  CHECK_STR_CONTAINS(o.message, "without ebb_host_exit");
  reset(PLAIN);
  CHECK_EQ_INT(call_outer(1, &v, &o), EBB_OK);
}

/* Nesting is bounded like recursion; joining one's own group refuses. */
static void test_bounds(void) {
  ebb_outcome_t o;
  ebb_val_t arg = {.kind = EBB_I32, .of.i32 = 30}, res;
  reset(RECURSE);
  CHECK_EQ_INT(ebb_call(g.t, g.recurse, &arg, &res, &o), EBB_OK);
  arg.of.i32 = 1000;
  reset(RECURSE);
  CHECK_EQ_INT(ebb_call(g.t, g.recurse, &arg, &res, &o), EBB_TRAP);
  CHECK_STR_CONTAINS(o.message, "call stack exhausted");
  CHECK(!ebb_thread_has_stopped_call(g.t));

  g.group = ebb_group_new(0);
  CHECK_EQ_INT(ebb_group_add(g.group, g.t), 0);
  int32_t v;
  reset(JOIN);
  g.join_rc = 1;
  CHECK_EQ_INT(call_outer(1, &v, &o), EBB_OK);
  CHECK_EQ_INT(g.join_rc, EBB_EBUSY);
  ebb_group_remove(g.group, g.t);
  CHECK_EQ_INT(ebb_group_join(g.group), 0); /* from outside it waits (nothing to wait for) */
  ebb_group_delete(g.group);
}

int main(void) {
  ebb_module_t *m;
  ebb_error_t err = {0, ""};
  CHECK_EQ_INT(ebb_module_new(reentry_wasm, sizeof reentry_wasm, &m, &err), 0);
  g.store = ebb_store_new(NULL);
  CHECK_EQ_INT(ebb_instance_new(g.store, m, resolve, g.store, &g.inst, &err), 0);
  g.t = ebb_thread_new(g.store);
  g.inner = export_func("inner");
  g.spin = export_func("spin");
  g.recurse = export_func("recurse");
  g.call_sleep = export_func("call_sleep");

  test_direct_host_call();
  test_inner_stops();
  test_direct_args();
  test_handlers_and_statuses();
  test_bounds();

  ebb_thread_delete(g.t);
  ebb_store_delete(g.store);
  ebb_module_delete(m);
  return CHECK_DONE();
}
