/*
** test_budget.c -- the store's byte budget (ebb_limits_t.max_store_bytes)
** and the module's (ebb_module_options_t.max_bytes), issue 13 items 10-12.
** Memories, tables, instances and threads that would pass the store's
** budget are refused with EBB_ELIMIT or NULL, and memory.grow / table.grow
** return -1; what is freed is refunded, so create/delete cycles do not
** drift; several threads growing and creating at once keep the account
** exact; the stack limits an embedder sets are clamped; a module that needs
** more than max_bytes to load is refused and leaves nothing behind.
**
** The modules are budget_*.wat here and the wasi-threads ones of
** tests/unit/thread/, included as generated headers. The tests read the account
** through the internal ebb__store_bytes, to see it exactly.
*/
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "check.h"
#include "ebb.h"
#include "rt/rt.h"
#include "thread/thread.h"

#include "budget_memory.wat.h"
#include "budget_recurse.wat.h"
#include "budget_shared.wat.h"
#include "budget_table.wat.h"
#include "spawn_confined.wat.h"
#include "spawn_table.wat.h"

#define PAGE 65536

/* Threads with small stacks, so that the budgets below are about the rest. */
static const ebb_limits_t small_stacks = {.value_stack_slots = 1024, .max_call_depth = 100};

static ebb_store_t *store_with(uint64_t max_store_bytes) {
  ebb_limits_t lim = small_stacks;
  lim.max_store_bytes = max_store_bytes;
  return ebb_store_new(&lim);
}

/* ---- Helpers --------------------------------------------------------------- */

static ebb_instance_t *instantiate(ebb_store_t *s, const uint8_t *b, size_t n,
                                   ebb_resolver_fn resolve, void *data, int *rc,
                                   ebb_error_t *err) {
  ebb_module_t *mod = NULL;
  ebb_instance_t *inst = NULL;
  memset(err, 0, sizeof *err);
  *rc = ebb_module_new(b, n, &mod, err);
  if (*rc == 0) *rc = ebb_instance_new(s, mod, resolve, data, &inst, err);
  ebb_module_delete(mod); /* the instance holds its own reference */
  return inst;
}

#define INSTANTIATE(s, name, rc, err) \
  instantiate((s), name##_wasm, sizeof name##_wasm, NULL, NULL, (rc), (err))

/* Call export `name` (i32 -> i32, or -> i32) on thread t; returns the result. */
static int32_t call_i32(ebb_thread_t *t, ebb_instance_t *inst, const char *name, int nargs,
                        int32_t arg) {
  ebb_extern_t ex;
  ebb_outcome_t out;
  if (ebb_instance_export(inst, name, &ex) || ex.kind != EBB_EXTERN_FUNC) return INT32_MIN;
  ebb_val_t a = {.kind = EBB_I32, .of.i32 = arg}, r = {.kind = EBB_I32};
  if (ebb_call(t, ex.of.func, nargs ? &a : NULL, &r, &out) != EBB_OK) return INT32_MIN;
  return r.of.i32;
}

/* A module of n functions of type [] -> [] with empty bodies: an instance
** of it holds n ebb_func_t and n function pointers. */
static uint8_t *many_funcs(uint32_t n, size_t *size) {
  size_t cap = 64 + 4 * (size_t)n;
  uint8_t *b = malloc(cap), *p = b;
  if (!b) abort();
  memcpy(p, "\0asm\1\0\0\0\1\4\1\x60\0\0", 14);
  p += 14;
  /* A section of 1 + count bytes, or 2 + 3 x count, with a 5-byte size. */
  uint32_t sizes[2] = {5 + n, 5 + 3 * n};
  for (int sec = 0; sec < 2; sec++) {
    *p++ = sec ? 10 : 3;
    for (int k = 0; k < 5; k++) *p++ = (uint8_t)(((sizes[sec] >> (7 * k)) & 0x7f) | (k < 4 ? 0x80 : 0));
    for (int k = 0; k < 5; k++) *p++ = (uint8_t)(((n >> (7 * k)) & 0x7f) | (k < 4 ? 0x80 : 0));
    for (uint32_t i = 0; i < n; i++) {
      if (sec) {
        memcpy(p, "\2\0\x0b", 3);
        p += 3;
      } else {
        *p++ = 0;
      }
    }
  }
  *size = (size_t)(p - b);
  return b;
}

/* ---- Memories ------------------------------------------------------------- */

static void test_memories(void) {
  ebb_store_t *s = store_with(4 << 20);
  ebb_thread_t *t = ebb_thread_new(s);
  CHECK(t != NULL);
  int rc;
  ebb_error_t err;
  ebb_instance_t *inst = INSTANTIATE(s, budget_memory, &rc, &err);
  CHECK_EQ_INT(rc, 0);
  if (rc) return;

  /* Grow a page at a time until the budget says no: the pages then fill
  ** it to within a page, and never pass it. */
  int grown = 0;
  while (call_i32(t, inst, "grow", 1, 1) >= 0) grown++;
  uint64_t used = ebb__store_bytes(s);
  CHECK(used <= 4 << 20);
  CHECK(used + PAGE > 4 << 20);
  CHECK(grown > 50 && grown < 64);
  CHECK_EQ_INT(call_i32(t, inst, "size", 0, 0), 1 + grown);
  CHECK_EQ_INT(call_i32(t, inst, "grow", 1, 0), 1 + grown); /* grow 0: fine */

  /* Creating a memory is refused too, by the guest or by the host. */
  CHECK(INSTANTIATE(s, budget_memory, &rc, &err) == NULL);
  CHECK_EQ_INT(rc, EBB_ELIMIT);
  CHECK_STR_CONTAINS(err.message, "memory 0");
  CHECK_STR_CONTAINS(err.message, "max_store_bytes");
  CHECK(ebb_memory_new(s, 1, 0, false, false) == NULL);
  CHECK_EQ_INT(ebb__store_bytes(s), used); /* failures took nothing */

  ebb_thread_delete(t);
  ebb_store_delete(s);

  /* Freed memories are refunded: 2,000 instances of a 1-page memory, each
  ** freed before the next, in a budget that holds a few. */
  s = ebb_store_new(&(ebb_limits_t){.max_store_bytes = 4 * PAGE});
  inst = INSTANTIATE(s, budget_memory, &rc, &err);
  CHECK_EQ_INT(rc, 0);
  ebb__instance_delete(inst);
  uint64_t base = ebb__store_bytes(s); /* the interned types stay */
  int ok = 0;
  for (int i = 0; i < 2000; i++) {
    inst = INSTANTIATE(s, budget_memory, &rc, &err);
    ok += rc == 0;
    ebb__instance_delete(inst);
  }
  CHECK_EQ_INT(ok, 2000);
  CHECK_EQ_INT(ebb__store_bytes(s), base);
  ebb_store_delete(s);
}

/* ---- Tables ---------------------------------------------------------------- */

static void test_tables(void) {
  int rc;
  ebb_error_t err;
  /* Fifty tables of ten million elements were 4 GB (issue 13, item 10): one
  ** is already more than this store allows. */
  static const uint8_t big_table[] = {0, 'a', 's', 'm', 1, 0, 0, 0,
                                      4, 7, 1, 0x70, 0, 0x80, 0xad, 0xe2, 0x04}; /* 10,000,000 */
  ebb_store_t *s = ebb_store_new(&(ebb_limits_t){.max_store_bytes = 16 << 20});
  CHECK(instantiate(s, big_table, sizeof big_table, NULL, NULL, &rc, &err) == NULL);
  CHECK_EQ_INT(rc, EBB_ELIMIT);
  CHECK_STR_CONTAINS(err.message, "table 0 of 10000000 elements needs 80000");
  CHECK_STR_CONTAINS(err.message, "max_store_bytes");
  CHECK(ebb_table_new(s, EBB_FUNCREF, 10000000, 0, false) == NULL);
  ebb_store_delete(s);

  /* table.grow: 8 bytes an element, until the budget is reached. */
  s = store_with(1 << 20);
  ebb_thread_t *t = ebb_thread_new(s);
  ebb_instance_t *inst = INSTANTIATE(s, budget_table, &rc, &err);
  CHECK_EQ_INT(rc, 0);
  if (!t || rc) return;
  int64_t grown = 0;
  while (call_i32(t, inst, "tgrow", 1, 1000) >= 0) grown += 1000;
  while (call_i32(t, inst, "tgrow", 1, 1) >= 0) grown++;
  CHECK(ebb__store_bytes(s) <= 1 << 20);
  CHECK(ebb__store_bytes(s) + 8 > 1 << 20);
  CHECK_EQ_INT(call_i32(t, inst, "tsize", 0, 0), 16 + grown);
  CHECK(ebb_table_new(s, EBB_FUNCREF, 1, 0, false) == NULL);
  CHECK(ebb_global_new(s, (ebb_val_t){.kind = EBB_I32}, false) == NULL);
  ebb_thread_delete(t);
  ebb_store_delete(s);

  /* Instances with their tables and element references come and go
  ** without drift; each costs the same. */
  s = ebb_store_new(&(ebb_limits_t){.max_store_bytes = 64 << 10});
  inst = INSTANTIATE(s, budget_table, &rc, &err);
  CHECK_EQ_INT(rc, 0);
  ebb__instance_delete(inst);
  uint64_t base = ebb__store_bytes(s), one = 0;
  for (int i = 0; i < 2000; i++) {
    inst = INSTANTIATE(s, budget_table, &rc, &err);
    CHECK_EQ_INT(rc, 0);
    if (rc) break;
    if (i == 0) one = ebb__store_bytes(s) - base;
    CHECK_EQ_INT(ebb__store_bytes(s) - base, one);
    ebb__instance_delete(inst);
    CHECK_EQ_INT(ebb__store_bytes(s), base);
  }
  /* The passive segment's 50 references are held; the active one's 4 are
  ** dropped (and refunded) once applied. */
  CHECK(one > 16 * 8 + 50 * 8);
  ebb_store_delete(s);
}

/* ---- Instances ------------------------------------------------------------- */

static void test_instances(void) {
  size_t n;
  uint8_t *b = many_funcs(20000, &n);
  ebb_module_t *mod = NULL;
  CHECK_EQ_INT(ebb_module_new(b, n, &mod, NULL), 0);
  free(b);
  if (!mod) return;
  /* Each instance holds 20,000 ebb_func_t and pointers to them: a 4 MiB
  ** budget takes a few. */
  ebb_store_t *s = ebb_store_new(&(ebb_limits_t){.max_store_bytes = 4 << 20});
  ebb_instance_t *inst = NULL;
  ebb_error_t err = {0, ""};
  int made = 0, rc;
  while ((rc = ebb_instance_new(s, mod, NULL, NULL, &inst, &err)) == 0) made++;
  uint64_t per = 20000 * (sizeof(ebb_func_t) + sizeof(ebb_func_t *));
  CHECK_EQ_INT(made, (4 << 20) / per);
  CHECK_EQ_INT(rc, EBB_ELIMIT);
  CHECK_STR_CONTAINS(err.message, "an instance needs");
  CHECK_STR_CONTAINS(err.message, "max_store_bytes");
  /* The refused instance is gone at once, not kept until the store goes:
  ** refusing 1,000 more takes neither budget nor store slots. */
  uint64_t used = ebb__store_bytes(s);
  size_t ninst = s->instances.len;
  for (int i = 0; i < 1000; i++) CHECK_EQ_INT(ebb_instance_new(s, mod, NULL, NULL, &inst, NULL), EBB_ELIMIT);
  CHECK_EQ_INT(ebb__store_bytes(s), used);
  CHECK_EQ_INT(s->instances.len, ninst);
  ebb_store_delete(s);
  ebb_module_delete(mod);
}

/* ---- Threads --------------------------------------------------------------- */

static uint64_t thread_cost(void) {
  return sizeof(ebb_thread_t) + 1024 * 8 + 101 * sizeof(ebb__frame);
}

static void test_threads(void) {
  ebb_limits_t lim = small_stacks;
  lim.max_store_bytes = 10 * thread_cost() + 100;
  ebb_store_t *s = ebb_store_new(&lim);
  ebb_thread_t *t[11];
  for (int i = 0; i < 10; i++) CHECK((t[i] = ebb_thread_new(s)) != NULL);
  CHECK_EQ_INT(ebb__store_bytes(s), 10 * thread_cost());
  CHECK(ebb_thread_new(s) == NULL);
  ebb_thread_delete(t[3]);
  CHECK((t[3] = ebb_thread_new(s)) != NULL);
  CHECK(ebb_thread_new(s) == NULL);
  for (int i = 0; i < 10; i++) ebb_thread_delete(t[i]);
  CHECK_EQ_INT(ebb__store_bytes(s), 0);
  /* 10,000 cycles, no drift. */
  for (int i = 0; i < 10000; i++) {
    ebb_thread_t *x = ebb_thread_new(s), *y = ebb_thread_new(s);
    CHECK(x && y);
    ebb_thread_delete(x);
    ebb_thread_delete(y);
  }
  CHECK_EQ_INT(ebb__store_bytes(s), 0);
  ebb_store_delete(s);

  /* The default stacks: 1 Mi slots and 100,001 frames, charged as mapped. */
  s = ebb_store_new(&(ebb_limits_t){.max_store_bytes = 24 << 20});
  ebb_thread_t *a = ebb_thread_new(s), *b = ebb_thread_new(s), *c = ebb_thread_new(s);
  CHECK(a && b && !c);
  CHECK_EQ_INT(ebb__store_bytes(s), 2 * (sizeof(ebb_thread_t) + (8 << 20) +
                                         100001 * sizeof(ebb__frame)));
  ebb_thread_delete(a);
  ebb_thread_delete(b);
  ebb_store_delete(s);
}

/* ---- Several threads at once --------------------------------------------------- */

typedef struct racer {
  pthread_t id;
  ebb_store_t *store;
  ebb_instance_t *inst;
  ebb_thread_t *thread;
  int grown;          /* pages this racer grew */
  int made, refused;  /* ebb_thread_new cycles */
  bool churn;         /* create and delete threads while growing */
} racer;

static atomic_int start_line;

static void *race(void *p) {
  racer *r = p;
  while (!atomic_load(&start_line)) {
  }
  for (;;) {
    int32_t old = call_i32(r->thread, r->inst, "grow", 1, 1);
    if (old >= 0) r->grown++;
    if (r->churn) {
      ebb_thread_t *x = ebb_thread_new(r->store);
      if (x) r->made++;
      else r->refused++;
      ebb_thread_delete(x);
      if (r->made + r->refused >= 3000) break;
    } else if (old < 0) {
      break;
    }
  }
  return NULL;
}

static ebb_memory_t *shared_mem;

static int resolve_shared(void *data, const char *module, const char *name, ebb_externkind_t kind,
                          ebb_extern_t *out) {
  (void)data, (void)module, (void)name, (void)kind;
  out->kind = EBB_EXTERN_MEMORY;
  out->of.memory = shared_mem;
  return 0;
}

enum { RACERS = 6 };

/* Racers grow one shared memory page by page until the budget is spent.
** With churn, they also create and delete threads, whose charges race with
** the pages'. Either way the account ends exact. */
static void race_round(bool churn) {
  ebb_limits_t lim = small_stacks;
  lim.max_store_bytes = 24 << 20;
  ebb_store_t *s = ebb_store_new(&lim);
  shared_mem = ebb_memory_new(s, 1, 4096, true, true);
  CHECK(shared_mem != NULL);
  racer r[RACERS];
  memset(r, 0, sizeof r);
  int rc;
  ebb_error_t err;
  for (int i = 0; i < RACERS; i++) {
    r[i].store = s;
    r[i].churn = churn;
    r[i].thread = ebb_thread_new(s);
    r[i].inst = instantiate(s, budget_shared_wasm, sizeof budget_shared_wasm, resolve_shared, NULL, &rc, &err);
    CHECK(r[i].thread && r[i].inst);
    if (!r[i].thread || !r[i].inst) return;
  }
  uint64_t before = ebb__store_bytes(s);
  atomic_store(&start_line, 0);
  for (int i = 0; i < RACERS; i++) pthread_create(&r[i].id, NULL, race, &r[i]);
  atomic_store(&start_line, 1);
  int grown = 0, made = 0;
  for (int i = 0; i < RACERS; i++) {
    pthread_join(r[i].id, NULL);
    grown += r[i].grown;
    made += r[i].made;
  }
  CHECK_EQ_INT(ebb_memory_size(shared_mem), (uint64_t)(1 + grown) * PAGE);
  CHECK_EQ_INT(ebb__store_bytes(s), before + (uint64_t)grown * PAGE);
  if (!churn) {
    /* Nothing else was charged: the pages fill the budget to within one. */
    CHECK(ebb__store_bytes(s) <= lim.max_store_bytes);
    CHECK(ebb__store_bytes(s) + PAGE > lim.max_store_bytes);
  } else {
    CHECK(made > 0);
  }
  for (int i = 0; i < RACERS; i++) ebb_thread_delete(r[i].thread);
  ebb_store_delete(s);
}

static void test_concurrent(void) {
  race_round(false);
  race_round(true);
}

/* ---- wasi-threads ------------------------------------------------------------ */

typedef struct spawn_env {
  ebb_memory_t *memory;
  ebb_table_t *table;
  ebb_wasi_threads_t *threads;
} spawn_env;

static int resolve_spawn(void *data, const char *module, const char *name, ebb_externkind_t kind,
                         ebb_extern_t *out) {
  spawn_env *e = data;
  if (!strcmp(module, "wasi")) return ebb_wasi_threads_resolve(e->threads, module, name, kind, out);
  out->kind = kind;
  if (!strcmp(name, "memory")) out->of.memory = e->memory;
  else out->of.table = e->table;
  return 0;
}

/* Call run(n) of a spawning module in a store of `budget` bytes: returns
** what it returned (the threads spawned, or -1 once a spawn failed). */
static int32_t spawn_run(const unsigned char *wasm, size_t size, uint64_t budget, int32_t n,
                         uint64_t *used_after) {
  ebb_store_t *store = store_with(budget);
  ebb_module_t *m;
  CHECK_EQ_INT(ebb_module_new(wasm, size, &m, NULL), 0);
  ebb_group_t *group = ebb_group_new(0);
  spawn_env e = {ebb_memory_new(store, 1, 1, true, true),
                 ebb_table_new(store, EBB_FUNCREF, 1, 1, true), NULL};
  e.threads = ebb_wasi_threads_new(store, m, group, resolve_spawn, &e);
  ebb_thread_t *t = ebb_thread_new(store);
  CHECK(e.memory && e.table && e.threads && t);
  CHECK_EQ_INT(ebb_group_add(group, t), 0);
  ebb_instance_t *inst;
  CHECK_EQ_INT(ebb_instance_new(store, m, resolve_spawn, &e, &inst, NULL), 0);
  ebb_extern_t run;
  CHECK_EQ_INT(ebb_instance_export(inst, "run", &run), 0);
  ebb_val_t arg = {.kind = EBB_I32, .of.i32 = n}, res = {0};
  ebb_outcome_t out;
  CHECK_EQ_INT(ebb_call(t, run.of.func, &arg, &res, &out), EBB_OK);
  ebb_group_join(group);
  *used_after = ebb__store_bytes(store);
  CHECK(*used_after <= budget);
  ebb_group_remove(group, t);
  ebb_thread_delete(t);
  ebb_wasi_threads_delete(e.threads);
  ebb_group_delete(group);
  ebb_store_delete(store);
  ebb_module_delete(m);
  return res.of.i32;
}

/* Issue 13, item 11: instances of finished threads that cannot be freed
** (the module imports a table) stay in the store, but they are charged: a
** program that spawns threads all its life meets a failing thread-spawn,
** not the host's limits. Those that can be freed are refunded, so the same
** budget runs any number of them. */
static void test_spawned_instances(void) {
  uint64_t used;
  CHECK_EQ_INT(spawn_run(spawn_table_wasm, sizeof spawn_table_wasm, 256 << 10, 100000, &used), -1);
  /* The instances filled it, to within two spawns' worth: a thread that has
  ** finished may still hold its stacks when the next spawn is refused. */
  CHECK(used > (256 << 10) - 65536);
  CHECK_EQ_INT(spawn_run(spawn_confined_wasm, sizeof spawn_confined_wasm, 256 << 10, 2000, &used),
               2000);
}

/* ---- The limits an embedder may set ---------------------------------------- */

static void test_clamps(void) {
  ebb_store_t *s =
      ebb_store_new(&(ebb_limits_t){.max_call_depth = UINT32_MAX, .value_stack_slots = UINT32_MAX});
  CHECK_EQ_INT(s->limits.max_call_depth, EBB_MAX_CALL_DEPTH);
  CHECK_EQ_INT(s->limits.value_stack_slots, EBB_MAX_STACK_SLOTS);
  ebb_thread_t *t = ebb_thread_new(s);
  CHECK(t != NULL);
  if (!t || s->limits.max_call_depth != EBB_MAX_CALL_DEPTH) return; /* would not end */
  CHECK_EQ_INT(t->frames_end - t->frames, EBB_MAX_CALL_DEPTH);
  CHECK_EQ_INT(t->stack_end - t->stack, EBB_MAX_STACK_SLOTS);
  /* Frames of a slot or two: the call depth stops them, at the clamp. */
  int rc;
  ebb_error_t err;
  ebb_instance_t *inst = INSTANTIATE(s, budget_recurse, &rc, &err);
  CHECK_EQ_INT(rc, 0);
  ebb_extern_t down, depth;
  ebb_outcome_t out;
  CHECK_EQ_INT(ebb_instance_export(inst, "down", &down), 0);
  CHECK_EQ_INT(ebb_instance_export(inst, "depth", &depth), 0);
  CHECK_EQ_INT(ebb_call(t, down.of.func, NULL, NULL, &out), EBB_TRAP);
  CHECK_EQ_INT(out.trap, EBB_TRAP_STACK_EXHAUSTED);
  int32_t d = ebb_global_get(depth.of.global).of.i32;
  CHECK(d > (int64_t)EBB_MAX_CALL_DEPTH - 10 && d <= (int64_t)EBB_MAX_CALL_DEPTH);
  ebb_thread_delete(t);
  ebb_store_delete(s);
}

/* ---- The module's budget --------------------------------------------------- */

static void test_module_budget(void) {
  ebb_module_t *m = NULL;
  ebb_error_t err = {0, ""};
  CHECK_EQ_INT(ebb_module_new(budget_table_wasm, sizeof budget_table_wasm, &m, &err), 0);
  uint64_t held = ebb_module_host_bytes(m);
  CHECK(held > sizeof budget_table_wasm); /* the copy of the bytes, at least */
  ebb_module_delete(m);

  /* Too small: refused, with the number, and nothing leaks (ASan). */
  ebb_module_options_t o = {.max_bytes = held / 2};
  m = NULL;
  CHECK_EQ_INT(ebb_module_new_ex(budget_table_wasm, sizeof budget_table_wasm, &o, &m, &err), EBB_ELIMIT);
  CHECK(m == NULL);
  char want[64];
  snprintf(want, sizeof want, "module needs more than %llu bytes", (unsigned long long)held / 2);
  CHECK_STR_CONTAINS(err.message, want);
  o.max_bytes = 10;
  CHECK_EQ_INT(ebb_module_new_ex(budget_table_wasm, sizeof budget_table_wasm, &o, &m, NULL), EBB_ELIMIT);

  /* Enough: loads, holding about the same (malloc_usable_size may differ by
  ** a few bytes with the heap's state). */
  o.max_bytes = held + 4096;
  CHECK_EQ_INT(ebb_module_new_ex(budget_table_wasm, sizeof budget_table_wasm, &o, &m, NULL), 0);
  CHECK(ebb_module_host_bytes(m) <= held + 256 && ebb_module_host_bytes(m) + 256 >= held);
  ebb_module_delete(m);

  /* The budget ends with the load: later allocations are not limited. */
  void *big = ebb__malloc(1 << 20);
  CHECK(big != NULL);
  ebb__free(big);

  /* An allocation that fails for want of memory is still EBB_ENOMEM. */
  o.max_bytes = 1 << 30;
  ebb__alloc_fail_after(3);
  CHECK_EQ_INT(ebb_module_new_ex(budget_table_wasm, sizeof budget_table_wasm, &o, &m, NULL), EBB_ENOMEM);
  ebb__alloc_fail_after(0);

  /* A big module: 20,000 functions need some hundreds of kilobytes. */
  size_t n;
  uint8_t *b = many_funcs(20000, &n);
  o.max_bytes = 64 << 10;
  CHECK_EQ_INT(ebb_module_new_ex(b, n, &o, &m, &err), EBB_ELIMIT);
  o.max_bytes = 64 << 20;
  CHECK_EQ_INT(ebb_module_new_ex(b, n, &o, &m, NULL), 0);
  ebb_module_delete(m);
  free(b);
}

int main(void) {
  test_memories();
  test_tables();
  test_instances();
  test_threads();
  test_concurrent();
  test_spawned_instances();
  test_clamps();
  test_module_budget();
  return CHECK_DONE();
}
