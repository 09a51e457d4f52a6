/*
** hello.c -- the smallest embedder: compile a module, give it a host
** function, call its export, delete everything in the standard's order.
*/
#include "example.h"

static wasm_trap_t *hello(const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  printf("hello from the host, the guest says %d\n", args->data[0].of.i32);
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = args->data[0].of.i32 * 10;
  return NULL;
}

int main(int argc, char **argv) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = load_module(store, argc, argv);

  wasm_functype_t *type = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t *host = wasm_func_new(store, type, hello);
  wasm_functype_delete(type);

  wasm_extern_t *imports_data[] = {wasm_func_as_extern(host)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(imports_data);
  wasm_trap_t *trap = NULL;
  wasm_instance_t *instance = wasm_instance_new(store, module, &imports, &trap);
  CHECK(instance && !trap);

  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  CHECK(exports.size == 1);
  wasm_func_t *run = wasm_extern_as_func(exports.data[0]);
  CHECK(run != NULL);

  wasm_val_t args_data[] = {WASM_I32_VAL(4)};
  wasm_val_t results_data[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(args_data);
  wasm_val_vec_t results = WASM_ARRAY_VEC(results_data);
  trap = wasm_func_call(run, &args, &results);
  CHECK(!trap);
  CHECK(results_data[0].kind == WASM_I32);
  printf("run(4) = %d\n", results_data[0].of.i32);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(host);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
