/*
** test_thread_instances.c -- a wasi-threads program that spawns threads all
** its life must not grow by an instance per thread: a finished thread's
** instance is freed with the tables and globals it defined, unless the
** module could have handed its references out (an imported table), in
** which case instances stay until the store goes.
*/
#include <string.h>

#include "check.h"
#include "ebb.h"
#include "rt/rt.h"
#include "spawn_confined.wat.h"
#include "spawn_table.wat.h"

enum { THREADS = 300 };

typedef struct env {
  ebb_memory_t *memory;
  ebb_table_t *table;
  ebb_wasi_threads_t *threads;
} env;

static int resolve(void *data, const char *module, const char *name, ebb_externkind_t kind,
                   ebb_extern_t *out) {
  env *e = data;
  if (!strcmp(module, "wasi")) return ebb_wasi_threads_resolve(e->threads, module, name, kind, out);
  if (!strcmp(module, "env") && !strcmp(name, "memory")) {
    out->kind = EBB_EXTERN_MEMORY;
    out->of.memory = e->memory;
    return 0;
  }
  if (!strcmp(module, "env") && !strcmp(name, "table")) {
    out->kind = EBB_EXTERN_TABLE;
    out->of.table = e->table;
    return 0;
  }
  return EBB_ENOTFOUND;
}

/* Run `run(THREADS)`; check the store's instance, table and global counts
** once every thread has ended. */
static void spawn_many(const unsigned char *wasm, size_t size, bool freed) {
  ebb_store_t *store = ebb_store_new(NULL);
  ebb_module_t *m;
  CHECK_EQ_INT(ebb_module_new(wasm, size, &m, NULL), 0);
  ebb_group_t *group = ebb_group_new(0);
  env e = {ebb_memory_new(store, 1, 1, true, true), ebb_table_new(store, EBB_FUNCREF, 1, 1, true),
           NULL};
  e.threads = ebb_wasi_threads_new(store, m, group, resolve, &e);
  CHECK(e.memory && e.table && e.threads);
  ebb_thread_t *t = ebb_thread_new(store);
  CHECK_EQ_INT(ebb_group_add(group, t), 0);
  ebb_instance_t *inst;
  CHECK_EQ_INT(ebb_instance_new(store, m, resolve, &e, &inst, NULL), 0);
  ebb_extern_t run;
  CHECK_EQ_INT(ebb_instance_export(inst, "run", &run), 0);
  ebb_val_t arg = {.kind = EBB_I32, .of.i32 = THREADS}, res = {0};
  ebb_outcome_t out;
  CHECK_EQ_INT(ebb_call(t, run.of.func, &arg, &res, &out), EBB_OK);
  CHECK_EQ_INT(res.of.i32, THREADS);
  ebb_group_join(group);

  /* Main's instance, its table and global, and the two host objects. */
  size_t per_thread = freed ? 0 : THREADS;
  ebb__store_lock(store);
  CHECK_EQ_INT(store->instances.len, 1 + per_thread);
  CHECK_EQ_INT(store->tables.len, 2 + per_thread);
  CHECK_EQ_INT(store->globals.len, 1 + per_thread);
  CHECK_EQ_INT(store->memories.len, 1);
  ebb__store_unlock(store);

  ebb_group_remove(group, t);
  ebb_thread_delete(t);
  ebb_wasi_threads_delete(e.threads);
  ebb_group_delete(group);
  ebb_store_delete(store);
  ebb_module_delete(m);
}

int main(void) {
  spawn_many(spawn_confined_wasm, sizeof spawn_confined_wasm, true);
  spawn_many(spawn_table_wasm, sizeof spawn_table_wasm, false);
  return CHECK_DONE();
}
