/*
** multi.c -- multiple results: from the guest, and from a host function
** with an environment (a call counter) whose finalizer runs once.
*/
#include <inttypes.h>

#include "example.h"

static int finalized;

static void counter_done(void *env) {
  printf("finalizer: the host function was called %d times\n", *(int *)env);
  finalized++;
}

static wasm_trap_t *swap(void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  ++*(int *)env;
  CHECK(args->size == 4 && results->size == 4);
  for (size_t i = 0; i < 4; i++) results->data[i] = args->data[3 - i];
  return NULL;
}

int main(int argc, char **argv) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = load_module(store, argc, argv);

  wasm_valtype_t *ps[4] = {wasm_valtype_new_i32(), wasm_valtype_new_i64(), wasm_valtype_new_f32(),
                           wasm_valtype_new_f64()};
  wasm_valtype_t *rs[4] = {wasm_valtype_new_f64(), wasm_valtype_new_f32(), wasm_valtype_new_i64(),
                           wasm_valtype_new_i32()};
  wasm_valtype_vec_t params, results_types;
  wasm_valtype_vec_new(&params, 4, ps);
  wasm_valtype_vec_new(&results_types, 4, rs);
  wasm_functype_t *type = wasm_functype_new(&params, &results_types);
  int *calls = calloc(1, sizeof *calls);
  wasm_func_t *host = wasm_func_new_with_env(store, type, swap, calls, counter_done);
  wasm_functype_delete(type);
  CHECK(host);
  CHECK(wasm_func_param_arity(host) == 4 && wasm_func_result_arity(host) == 4);

  wasm_extern_t *imports_data[] = {wasm_func_as_extern(host)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(imports_data);
  wasm_instance_t *instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_func_t *roundtrip = wasm_extern_as_func(exports.data[0]);
  wasm_func_t *divmod = wasm_extern_as_func(exports.data[1]);

  wasm_val_t in[4] = {WASM_I32_VAL(-7), WASM_I64_VAL(INT64_C(1) << 40), WASM_F32_VAL(2.5f),
                      WASM_F64_VAL(-0.125)};
  wasm_val_t out[4] = {WASM_INIT_VAL, WASM_INIT_VAL, WASM_INIT_VAL, WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(in), results = WASM_ARRAY_VEC(out);
  for (int i = 0; i < 3; i++) CHECK(!wasm_func_call(roundtrip, &args, &results));
  CHECK(out[0].kind == WASM_F64 && out[1].kind == WASM_F32 && out[2].kind == WASM_I64 &&
        out[3].kind == WASM_I32);
  printf("roundtrip = %g %g %" PRId64 " %d\n", out[0].of.f64, (double)out[1].of.f32,
         out[2].of.i64, out[3].of.i32);

  wasm_val_t dm_in[2] = {WASM_I32_VAL(47), WASM_I32_VAL(5)};
  wasm_val_t dm_out[2] = {WASM_INIT_VAL, WASM_INIT_VAL};
  wasm_val_vec_t dm_args = WASM_ARRAY_VEC(dm_in), dm_results = WASM_ARRAY_VEC(dm_out);
  CHECK(!wasm_func_call(divmod, &dm_args, &dm_results));
  printf("divmod(47, 5) = %d %d\n", dm_out[0].of.i32, dm_out[1].of.i32);

  /* A results vector too small is refused before anything runs. */
  wasm_val_vec_t short_results = {1, dm_out};
  print_trap("divmod with room for 1 result", wasm_func_call(divmod, &dm_args, &short_results));

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(host);
  wasm_module_delete(module);
  CHECK(finalized == 0);
  wasm_store_delete(store);
  CHECK(finalized == 1);
  free(calls);
  wasm_engine_delete(engine);
  return 0;
}
