/*
** test_lazy_compile.c -- functions compiled on their first call
** (rt/module_code.c, the LAZY stub of compile/code.h):
**  - several OS threads making the first calls of the same functions at
**    once, in one instance and in instances of their own, all get the right
**    results and each body is compiled once, into the one place every
**    instance enters (a second compile would leak the first, which
**    LeakSanitizer reports); under ThreadSanitizer, no race;
**  - a call stopped at the entry of a function not compiled yet has compiled
**    nothing, and resumes;
**  - a first call whose compiled frame does not fit the stack traps exactly
**    where the same call of eagerly compiled code does, never writing past
**    the stack.
** The module is made here (an operand stack 3,000 deep is not written by
** hand): chain(x) calls f1 ... f15 in turn, deep(n) recurses n times with
** 100 locals a frame and then calls big, whose frame is 3,000 slots.
*/
#include <pthread.h>
#include <string.h>

#include "check.h"
#include "ebb.h"
#include "rt/rt.h"
#include "wasm_buf.h"

enum { CHAIN = 16, BIG_DEPTH = 3000, DEEP_LOCALS = 100, NTHREADS = 4, ROUNDS = 60 };
enum { F_CHAIN = 0, F_DEEP = CHAIN, F_BIG = CHAIN + 1, NFUNCS = CHAIN + 2 };

static void export_func(buf *s, const char *name, uint32_t idx) {
  uleb(s, (uint32_t)strlen(name));
  for (const char *c = name; *c; c++) put(s, (unsigned char)*c);
  put(s, 0), uleb(s, idx);
}

static buf make_module(void) {
  buf m = {0}, s = {0}, f = {0};
  wasm_header(&m);
  uleb(&s, 1), put(&s, 0x60), uleb(&s, 1), put(&s, 0x7f), uleb(&s, 1), put(&s, 0x7f);
  section(&m, 1, &s);
  s.len = 0;
  uleb(&s, NFUNCS);
  for (int k = 0; k < NFUNCS; k++) uleb(&s, 0);
  section(&m, 3, &s);
  s.len = 0;
  uleb(&s, 3);
  export_func(&s, "chain", F_CHAIN);
  export_func(&s, "deep", F_DEEP);
  export_func(&s, "big", F_BIG);
  section(&m, 7, &s);
  s.len = 0;
  uleb(&s, NFUNCS);
  for (int k = 0; k < CHAIN; k++) { /* f_k(x) = f_{k+1}(x * 3 + k); the last: x ^ 0x5a */
    f.len = 0;
    uleb(&f, 0);
    put(&f, 0x20), uleb(&f, 0);
    if (k < CHAIN - 1) {
      put(&f, 0x41), sleb(&f, 3), put(&f, 0x6c);
      put(&f, 0x41), sleb(&f, k), put(&f, 0x6a);
      put(&f, 0x10), uleb(&f, (uint32_t)k + 1);
    } else {
      put(&f, 0x41), sleb(&f, 0x5a), put(&f, 0x73);
    }
    put(&f, 0x0b);
    code_entry(&s, &f);
  }
  /* deep(n): 100 i64 locals; n == 0 ? big(0) : deep(n - 1) */
  f.len = 0;
  uleb(&f, 1), uleb(&f, DEEP_LOCALS), put(&f, 0x7e);
  put(&f, 0x20), uleb(&f, 0), put(&f, 0x45);      /* local.get 0, i32.eqz */
  put(&f, 0x04), put(&f, 0x7f);                   /* if (result i32) */
  put(&f, 0x41), sleb(&f, 0), put(&f, 0x10), uleb(&f, F_BIG);
  put(&f, 0x05);                                  /* else */
  put(&f, 0x20), uleb(&f, 0), put(&f, 0x41), sleb(&f, 1), put(&f, 0x6b);
  put(&f, 0x10), uleb(&f, F_DEEP);
  put(&f, 0x0b), put(&f, 0x0b);
  code_entry(&s, &f);
  /* big(x): 3,000 ones on the operand stack, added up, plus x */
  f.len = 0;
  uleb(&f, 0);
  for (int i = 0; i < BIG_DEPTH; i++) put(&f, 0x41), sleb(&f, 1);
  for (int i = 1; i < BIG_DEPTH; i++) put(&f, 0x6a);
  put(&f, 0x20), uleb(&f, 0), put(&f, 0x6a), put(&f, 0x0b);
  code_entry(&s, &f);
  section(&m, 10, &s);
  free(s.p);
  free(f.p);
  return m;
}

static int32_t chain_expected(int32_t x) {
  uint32_t v = (uint32_t)x;
  for (int k = 0; k < CHAIN - 1; k++) v = v * 3 + (uint32_t)k;
  return (int32_t)(v ^ 0x5a);
}

static ebb_func_t *export_of(ebb_instance_t *inst, const char *name) {
  ebb_extern_t e;
  CHECK_EQ_INT(ebb_instance_export(inst, name, &e), 0);
  return e.of.func;
}

static ebb_status_t call1(ebb_thread_t *t, ebb_func_t *f, int32_t x, int32_t *res,
                          ebb_outcome_t *o) {
  ebb_val_t arg = {.kind = EBB_I32, .of.i32 = x}, r = {0};
  ebb_status_t s = ebb_call(t, f, &arg, &r, o);
  *res = r.of.i32;
  return s;
}

/* ---- First calls from several threads at once --------------------------- */

typedef struct racer {
  ebb_module_t *mod;
  ebb_store_t *store;     /* shared, or NULL: a store and instance of its own */
  ebb_instance_t *inst;   /* the shared instance */
  pthread_barrier_t *go;
  int32_t x, got;
  ebb_status_t status;
} racer;

static void *race(void *p) {
  racer *r = p;
  ebb_store_t *own_store = r->store ? NULL : ebb_store_new(NULL);
  ebb_instance_t *inst = r->inst;
  ebb_error_t err = {0, ""};
  if (own_store && ebb_instance_new(own_store, r->mod, NULL, NULL, &inst, &err)) inst = NULL;
  ebb_thread_t *t = ebb_thread_new(r->store ? r->store : own_store);
  ebb_extern_t chain; /* no CHECK here: its counters are the main thread's */
  if (inst && ebb_instance_export(inst, "chain", &chain)) inst = NULL;
  pthread_barrier_wait(r->go);
  ebb_outcome_t o;
  r->status = inst && t ? call1(t, chain.of.func, r->x, &r->got, &o) : EBB_TRAP;
  ebb_thread_delete(t);
  ebb_store_delete(own_store);
  return NULL;
}

static void first_calls_race(const buf *m) {
  int wrong = 0;
  for (int round = 0; round < ROUNDS; round++) {
    ebb_module_t *mod;
    ebb_error_t err = {0, ""};
    CHECK_EQ_INT(ebb_module_new(m->p, m->len, &mod, &err), 0);
    bool shared = round % 2 == 0;
    ebb_store_t *store = shared ? ebb_store_new(NULL) : NULL;
    ebb_instance_t *inst = NULL;
    if (shared) CHECK_EQ_INT(ebb_instance_new(store, mod, NULL, NULL, &inst, &err), 0);
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, NTHREADS);
    racer r[NTHREADS];
    pthread_t th[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) {
      r[i] = (racer){.mod = mod, .store = store, .inst = inst, .go = &go, .x = round * 7 + i};
      pthread_create(&th[i], NULL, race, &r[i]);
    }
    for (int i = 0; i < NTHREADS; i++) {
      pthread_join(th[i], NULL);
      if (r[i].status != EBB_OK || r[i].got != chain_expected(r[i].x)) wrong++;
    }
    pthread_barrier_destroy(&go);
    /* Each body was compiled once, into the module's one place for it, and
    ** every function of the shared instance now enters that code. */
    for (uint32_t k = 0; k < CHAIN; k++) {
      if (!atomic_load(&mod->compiled[k])) wrong++;
      if (shared && ebb__func_code(inst->funcs[k]) != &mod->code[k]) wrong++;
    }
    ebb_store_delete(store);
    ebb_module_delete(mod);
  }
  CHECK_EQ_INT(wrong, 0);
  printf("ok: %d rounds of %d threads making the first calls of %d functions at once\n",
         ROUNDS, NTHREADS, CHAIN);
}

/* ---- Stopped at the entry of a function not compiled yet ------------------ */

static void stopped_before_compiling(const buf *m) {
  ebb_module_t *mod;
  ebb_instance_t *inst;
  ebb_error_t err = {0, ""};
  CHECK_EQ_INT(ebb_module_new(m->p, m->len, &mod, &err), 0);
  ebb_store_t *store = ebb_store_new(NULL);
  CHECK_EQ_INT(ebb_instance_new(store, mod, NULL, NULL, &inst, &err), 0);
  ebb_thread_t *t = ebb_thread_new(store);
  uint64_t loaded = ebb_module_host_bytes(mod);
  ebb_thread_interrupt(t); /* seen at the entry safe point, before the body */
  int32_t got = 0;
  ebb_outcome_t o;
  CHECK_EQ_INT(call1(t, export_of(inst, "chain"), 5, &got, &o), EBB_INTERRUPTED);
  CHECK_EQ_INT(ebb_module_host_bytes(mod), loaded);
  ebb_val_t r;
  CHECK_EQ_INT(ebb_call_resume(t, &r, &o), EBB_OK);
  CHECK_EQ_INT(r.of.i32, chain_expected(5));
  CHECK(ebb_module_host_bytes(mod) > loaded);
  ebb_thread_delete(t);
  ebb_store_delete(store);
  ebb_module_delete(mod);
}

/* ---- The stack check of a first call ------------------------------------- */

/* deep(n) in a fresh module (so that big's call is its first), compiled
** lazily or eagerly: EBB_OK or the trap. */
static int deep_outcome(const buf *m, bool eager, int32_t n) {
  ebb_module_options_t opts = {.eager = eager};
  ebb_module_t *mod;
  ebb_instance_t *inst;
  ebb_error_t err = {0, ""};
  CHECK_EQ_INT(ebb_module_new_ex(m->p, m->len, &opts, &mod, &err), 0);
  ebb_store_t *store = ebb_store_new(NULL);
  CHECK_EQ_INT(ebb_instance_new(store, mod, NULL, NULL, &inst, &err), 0);
  ebb_thread_t *t = ebb_thread_new(store);
  int32_t got = 0;
  ebb_outcome_t o;
  ebb_status_t s = call1(t, export_of(inst, "deep"), n, &got, &o);
  int outcome = s == EBB_OK ? (got == BIG_DEPTH ? 0 : -1) : s == EBB_TRAP ? (int)o.trap : -2;
  ebb_thread_delete(t);
  ebb_store_delete(store);
  ebb_module_delete(mod);
  return outcome;
}

static void first_call_stack_check(const buf *m) {
  /* The smallest depth at which the eagerly compiled call traps. */
  int32_t lo = 0, hi = 200000;
  CHECK_EQ_INT(deep_outcome(m, true, lo), 0);
  CHECK_EQ_INT(deep_outcome(m, true, hi), EBB_TRAP_STACK_EXHAUSTED);
  while (hi - lo > 1) {
    int32_t mid = lo + (hi - lo) / 2;
    if (deep_outcome(m, true, mid) == 0) lo = mid;
    else hi = mid;
  }
  for (int32_t n = hi - 3; n <= hi + 3; n++) {
    int eager = deep_outcome(m, true, n), lazy = deep_outcome(m, false, n);
    CHECK_EQ_INT(lazy, eager);
    CHECK_EQ_INT(eager, n < hi ? 0 : EBB_TRAP_STACK_EXHAUSTED);
  }
  printf("ok: a first call %d frames deep traps as compiled code does\n", hi);
}

int main(void) {
  buf m = make_module();
  first_calls_race(&m);
  stopped_before_compiling(&m);
  first_call_stack_check(&m);
  free(m.p);
  return CHECK_DONE();
}
