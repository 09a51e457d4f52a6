/*
** threads.c -- one module compiled once and shared: each thread obtains it
** from the shared token into a store of its own, instantiates and runs it,
** all at once. The module's host info is finalized once, after the last
** handle and token are gone.
*/
#include <pthread.h>

#include "example.h"

#define THREADS 4
#define ROUNDS 50

typedef struct worker {
  wasm_engine_t *engine;
  const wasm_shared_module_t *shared;
  int id;
  int32_t result;
} worker;

static int module_finalized;
static void module_done(void *info) { module_finalized++; }

static wasm_trap_t *host_id(void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = ((worker *)env)->id * 1000;
  return NULL;
}

static void *work(void *arg) {
  worker *w = arg;
  for (int round = 0; round < ROUNDS; round++) {
    wasm_store_t *store = wasm_store_new(w->engine);
    wasm_module_t *module = wasm_module_obtain(store, w->shared);
    CHECK(module);
    wasm_functype_t *type = wasm_functype_new_0_1(wasm_valtype_new_i32());
    wasm_func_t *id = wasm_func_new_with_env(store, type, host_id, w, NULL);
    wasm_functype_delete(type);
    wasm_extern_t *imports_data[] = {wasm_func_as_extern(id)};
    wasm_extern_vec_t imports = WASM_ARRAY_VEC(imports_data);
    wasm_instance_t *instance = wasm_instance_new(store, module, &imports, NULL);
    CHECK(instance);
    wasm_extern_vec_t exports;
    wasm_instance_exports(instance, &exports);
    wasm_val_t in[1] = {WASM_I32_VAL(100 + w->id)}, out[1] = {WASM_INIT_VAL};
    wasm_val_vec_t args = WASM_ARRAY_VEC(in), results = WASM_ARRAY_VEC(out);
    CHECK(!wasm_func_call(wasm_extern_as_func(exports.data[0]), &args, &results));
    CHECK(round == 0 || out[0].of.i32 == w->result);
    w->result = out[0].of.i32;
    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(instance);
    wasm_func_delete(id);
    wasm_module_delete(module);
    wasm_store_delete(store);
  }
  return NULL;
}

int main(int argc, char **argv) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = load_module(store, argc, argv);
  wasm_module_set_host_info_with_finalizer(module, &module_finalized, module_done);
  wasm_shared_module_t *shared = wasm_module_share(module);
  CHECK(shared);
  wasm_module_delete(module); /* the token keeps the module */
  wasm_store_delete(store);

  worker workers[THREADS];
  pthread_t threads[THREADS];
  for (int i = 0; i < THREADS; i++) {
    workers[i] = (worker){engine, shared, i + 1, 0};
    CHECK(pthread_create(&threads[i], NULL, work, &workers[i]) == 0);
  }
  for (int i = 0; i < THREADS; i++) pthread_join(threads[i], NULL);
  for (int i = 0; i < THREADS; i++)
    printf("thread %d: run(%d) = %d, %d times\n", workers[i].id, 100 + workers[i].id,
           workers[i].result, ROUNDS);

  printf("module finalized before the token goes: %d\n", module_finalized);
  wasm_shared_module_delete(shared);
  printf("module finalized after: %d\n", module_finalized);
  wasm_engine_delete(engine);
  return 0;
}
