/*
** start.c -- instantiation and start functions: the start function runs
** during wasm_instance_new; a trap there, a missing import or one of the
** wrong kind or type gives no instance and a trap saying why.
*/
#include "example.h"

static wasm_trap_t *log_fn(const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  printf("start function running, run %d\n", args->data[0].of.i32);
  return NULL;
}

static wasm_instance_t *instantiate(wasm_store_t *store, wasm_module_t *module,
                                    wasm_extern_t **imports_data, size_t n, const char *what) {
  wasm_extern_vec_t imports = {n, imports_data};
  wasm_trap_t *trap = NULL;
  wasm_instance_t *instance = wasm_instance_new(store, module, &imports, &trap);
  CHECK(!instance == !!trap);
  printf("%s: %s\n", what, instance ? "instantiated" : "failed");
  if (trap) print_trap("  why", trap);
  return instance;
}

int main(int argc, char **argv) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = load_module(store, argc, argv);

  wasm_functype_t *type = wasm_functype_new_1_0(wasm_valtype_new_i32());
  wasm_func_t *log = wasm_func_new(store, type, log_fn);
  wasm_functype_delete(type);
  wasm_globaltype_t *gt = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
  wasm_val_t zero = WASM_I32_VAL(0), one = WASM_I32_VAL(1);
  wasm_global_t *ok = wasm_global_new(store, gt, &zero);
  wasm_global_t *fail = wasm_global_new(store, gt, &one);
  wasm_globaltype_delete(gt);
  wasm_globaltype_t *i64t = wasm_globaltype_new(wasm_valtype_new_i64(), WASM_CONST);
  wasm_val_t big = WASM_I64_VAL(1);
  wasm_global_t *wrong_type = wasm_global_new(store, i64t, &big);
  wasm_globaltype_delete(i64t);

  wasm_extern_t *good[] = {wasm_func_as_extern(log), wasm_global_as_extern(ok)};
  wasm_instance_t *instance = instantiate(store, module, good, 2, "with fail = 0");
  CHECK(instance);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_val_t runs;
  wasm_global_get(wasm_extern_as_global(exports.data[0]), &runs);
  printf("  its runs global: %d\n", runs.of.i32);
  wasm_extern_vec_delete(&exports);

  wasm_extern_t *bad[] = {wasm_func_as_extern(log), wasm_global_as_extern(fail)};
  CHECK(!instantiate(store, module, bad, 2, "with fail = 1"));
  /* Without a place for the trap, it is deleted for the caller. */
  wasm_extern_vec_t bad_imports = {2, bad};
  CHECK(!wasm_instance_new(store, module, &bad_imports, NULL));

  CHECK(!instantiate(store, module, good, 1, "with one import missing"));
  wasm_extern_t *swapped[] = {wasm_global_as_extern(ok), wasm_func_as_extern(log)};
  CHECK(!instantiate(store, module, swapped, 2, "with the imports swapped"));
  wasm_extern_t *mistyped[] = {wasm_func_as_extern(log), wasm_global_as_extern(wrong_type)};
  CHECK(!instantiate(store, module, mistyped, 2, "with an i64 global for an i32"));

  wasm_instance_delete(instance);
  wasm_global_delete(ok);
  wasm_global_delete(fail);
  wasm_global_delete(wrong_type);
  wasm_func_delete(log);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
