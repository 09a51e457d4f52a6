/*
** fuzz_run.c -- load, instantiate and run arbitrary bytes, two ways.
**
** A module that imports WASI (or wasi-threads) runs as `ebb run` runs it:
** a WASI environment (no directories), memories made for its imports,
** wasi-threads spawning into a group of at most MAX_THREADS, the start
** function and `_start` on the group's main thread. After RUN_MS the group
** is ended, as --timeout would, and the run fails if the program has not
** wholly stopped (every call returned, every spawned thread joined) within
** STOP_BOUND_MS: this is how a host call or an instruction whose work grows
** with a guest-chosen size without looking for a stop is found. Memories
** may be large enough (MAX_PAGES) for sizes that once took seconds.
**
** Any other module: imports are satisfied from their own types; every
** exported function is called with zero arguments under a watchdog that
** interrupts runaway loops; the start function runs on the same thread
** under the same watchdog (ebb_instance_new_ex).
*/
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "ebb.h"

enum {
  CALL_MS = 10,   /* a call is interrupted after this long, resumed once as long */
  MAX_CALLS = 32, /* exports called per input */
  RUN_MS = 20,    /* a WASI program runs this long before its group is ended */
  STOP_BOUND_MS = 1000, /* ...and must have stopped this soon after (sanitizers included) */
  MAX_THREADS = 8,
  MAX_PAGES = 4096, /* 256 MiB per memory, for the sizes of bulk operations and host calls */
};

static const ebb_limits_t LIMITS = {
    .max_memory_pages = 256,
    .max_table_elems = 100000,
    .max_call_depth = 2000,
    .value_stack_slots = 1u << 16,
    .max_store_memory_pages = 512,
};

static const ebb_limits_t PROGRAM_LIMITS = {
    .max_memory_pages = MAX_PAGES,
    .max_table_elems = 100000,
    .max_call_depth = 2000,
    .value_stack_slots = 1u << 16,
    .max_store_memory_pages = 2 * MAX_PAGES,
};

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- The `ebb run` path ------------------------------------------------------ */

typedef struct program {
  fuzz_resolver dummies; /* imports that are neither WASI nor memories */
  ebb_wasi_t *wasi;
  ebb_wasi_threads_t *threads;
  ebb_memory_t *mems[4];
  ebb_import_info_t mem_info[4];
  uint32_t nmems;
} program;

static int program_resolve(void *data, const char *module, const char *name,
                           ebb_externkind_t kind, ebb_extern_t *out) {
  program *p = data;
  if (ebb_wasi_resolve(p->wasi, module, name, kind, out) == 0) return 0;
  if (p->threads && ebb_wasi_threads_resolve(p->threads, module, name, kind, out) == 0) return 0;
  for (uint32_t i = 0; i < p->nmems; i++)
    if (kind == EBB_EXTERN_MEMORY && !strcmp(module, p->mem_info[i].module) &&
        !strcmp(name, p->mem_info[i].name)) {
      out->kind = EBB_EXTERN_MEMORY;
      out->of.memory = p->mems[i];
      return 0;
    }
  return fuzz_resolve(&p->dummies, module, name, kind, out);
}

/* The group's end, RUN_MS after the program started, unless it ended. */
typedef struct ender {
  ebb_group_t *group;
  pthread_mutex_t m;
  pthread_cond_t c;
  bool done;
  int64_t ended_at; /* ms, 0 if the program finished first */
} ender;

static void *end_later(void *arg) {
  ender *e = arg;
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_nsec += RUN_MS * 1000000L;
  until.tv_sec += until.tv_nsec / 1000000000L;
  until.tv_nsec %= 1000000000L;
  pthread_mutex_lock(&e->m);
  while (!e->done && pthread_cond_timedwait(&e->c, &e->m, &until) == 0) {
  }
  bool end = !e->done;
  if (end) e->ended_at = now_ms();
  pthread_mutex_unlock(&e->m);
  if (end) ebb_group_end(e->group, EBB_END_TIMEOUT, 124, NULL);
  return NULL;
}

static bool imports_wasi(const ebb_module_t *m) {
  for (uint32_t i = 0; i < ebb_module_import_count(m); i++) {
    ebb_import_info_t info;
    ebb_module_import_at(m, i, &info);
    if (!strcmp(info.module, "wasi_snapshot_preview1") || !strcmp(info.module, "wasi") ||
        !strcmp(info.module, "wasix_32v1"))
      return true;
  }
  return false;
}

static void run_program(ebb_module_t *m) {
  ebb_store_t *store = ebb_store_new(&PROGRAM_LIMITS);
  ebb_group_t *group = ebb_group_new(MAX_THREADS);
  const char *argv[] = {"fuzz.wasm"};
  ebb_wasi_options_t opts = {.argc = 1, .argv = argv};
  program p = {.dummies = {store, m}};
  p.wasi = store ? ebb_wasi_new(store, &opts) : NULL;
  ebb_thread_t *t = store ? ebb_thread_new(store) : NULL;
  if (!store || !group || !p.wasi || !t) fuzz_fail("cannot set up a program");
  bool threaded = false;
  for (uint32_t i = 0; i < ebb_module_import_count(m); i++) {
    ebb_import_info_t info;
    ebb_module_import_at(m, i, &info);
    if (!strcmp(info.module, "wasi") && !strcmp(info.name, "thread-spawn")) threaded = true;
    if (info.kind != EBB_EXTERN_MEMORY || p.nmems == 4 || info.mem_min > MAX_PAGES) continue;
    ebb_memory_t *mem = ebb_memory_new(store, info.mem_min, info.mem_max, info.mem_has_max,
                                       info.mem_shared);
    if (!mem) continue;
    p.mem_info[p.nmems] = info;
    p.mems[p.nmems++] = mem;
  }
  if (threaded) p.threads = ebb_wasi_threads_new(store, m, group, program_resolve, &p);
  if (ebb_group_add(group, t)) fuzz_fail("cannot add the main thread");

  ender e = {.group = group};
  pthread_mutex_init(&e.m, NULL);
  pthread_cond_init(&e.c, NULL);
  pthread_t th;
  if (pthread_create(&th, NULL, end_later, &e)) fuzz_fail("cannot start the ender");

  ebb_instance_t *inst = NULL;
  ebb_outcome_t o;
  ebb_status_t st = EBB_OK;
  if (ebb_instance_create(store, m, program_resolve, &p, &inst, NULL) == 0) {
    ebb_func_t *init = ebb_instance_start_func(inst);
    if (init) st = ebb_call(t, init, NULL, NULL, &o);
    ebb_extern_t start;
    if (st == EBB_OK && ebb_instance_export(inst, "_start", &start) == 0 &&
        start.kind == EBB_EXTERN_FUNC && !ebb_func_param_count(start.of.func))
      st = ebb_call(t, start.of.func, NULL, NULL, &o);
    if (st == EBB_ERROR) fuzz_fail("a call the harness checked was refused: %s", o.message);
  }
  /* As ebb run: the main thread's end ends the group; every thread stops. */
  ebb_group_end(group, EBB_END_EXIT, 0, NULL);
  if (ebb_thread_has_stopped_call(t)) ebb_call_abandon(t);
  ebb_group_remove(group, t);
  ebb_group_join(group);
  int64_t stopped_at = now_ms();

  pthread_mutex_lock(&e.m);
  e.done = true;
  pthread_cond_signal(&e.c);
  int64_t ended_at = e.ended_at;
  pthread_mutex_unlock(&e.m);
  pthread_join(th, NULL);
  if (ended_at && stopped_at - ended_at > STOP_BOUND_MS)
    fuzz_fail("the program took %lld ms to stop after its group was ended (bound %d ms)",
              (long long)(stopped_at - ended_at), STOP_BOUND_MS);

  pthread_mutex_destroy(&e.m);
  pthread_cond_destroy(&e.c);
  ebb_thread_delete(t);
  ebb_group_delete(group);
  ebb_wasi_threads_delete(p.threads);
  ebb_wasi_delete(p.wasi);
  ebb_store_delete(store);
}

/* ---- Any module: every export, one by one ------------------------------------ */

static void run_exports(ebb_module_t *m) {
  ebb_store_t *store = ebb_store_new(&LIMITS);
  if (!store) fuzz_fail("ebb_store_new failed");
  ebb_thread_t *t = ebb_thread_new(store);
  if (!t) fuzz_fail("ebb_thread_new failed");

  fuzz_resolver r = {store, m};
  ebb_instance_t *inst = NULL;
  ebb_error_t err;
  memset(&err, 0, sizeof err);
  fuzz_watchdog_arm(t, CALL_MS);
  int rc = ebb_instance_new_ex(store, m, fuzz_resolve, &r, t, &inst, &err);
  fuzz_watchdog_disarm();
  if (rc) {
    if (inst) fuzz_fail("ebb_instance_new failed (%d) but returned an instance", rc);
    if (err.code != rc || !err.message[0])
      fuzz_fail("instantiation error %d has record %d \"%s\"", rc, err.code, err.message);
    goto done;
  }
  ebb_outcome_t o;

  uint32_t n = ebb_instance_export_count(inst), calls = 0;
  for (uint32_t i = 0; i < n; i++) {
    ebb_extern_t ex;
    const char *name = ebb_instance_export_at(inst, i, &ex);
    if (!name) fuzz_fail("export %u of %u has no name", i, n);
    switch (ex.kind) {
    case EBB_EXTERN_FUNC:
      if (calls++ < MAX_CALLS) fuzz_call_guarded(t, ex.of.func, CALL_MS, &o);
      break;
    case EBB_EXTERN_MEMORY: {
      /* Touch the first and last byte: they must be mapped. */
      size_t bytes = ebb_memory_size(ex.of.memory);
      uint8_t *p = ebb_memory_data(ex.of.memory);
      if (bytes) p[0] = p[bytes - 1] = (uint8_t)(p[0] + p[bytes - 1]);
      break;
    }
    case EBB_EXTERN_TABLE: (void)ebb_table_size(ex.of.table); break;
    case EBB_EXTERN_GLOBAL: (void)ebb_global_get(ex.of.global); break;
    }
  }
done:
  ebb_thread_delete(t);
  ebb_store_delete(store);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ebb_module_t *m = NULL;
  if (ebb_module_new(data, size, &m, NULL)) return 0;
  if (imports_wasi(m)) run_program(m);
  else run_exports(m);
  ebb_module_delete(m);
  return 0;
}
