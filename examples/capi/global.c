/*
** global.c -- globals: made by the host and imported, exported by the
** guest, read and written from both sides; their types; what may not be
** set (an immutable global, a value of another kind) is left as it was.
*/
#include <inttypes.h>

#include "example.h"

static wasm_func_t *export_func(wasm_extern_vec_t *exports, size_t i) {
  wasm_func_t *f = wasm_extern_as_func(exports->data[i]);
  CHECK(f);
  return f;
}

static wasm_val_t call0(wasm_func_t *f) {
  wasm_val_t out[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_EMPTY_VEC, results = WASM_ARRAY_VEC(out);
  CHECK(!wasm_func_call(f, &args, &results));
  return out[0];
}

static void call1(wasm_func_t *f, wasm_val_t v) {
  wasm_val_t in[1] = {v};
  wasm_val_vec_t args = WASM_ARRAY_VEC(in), results = WASM_EMPTY_VEC;
  CHECK(!wasm_func_call(f, &args, &results));
}

static void print_type(const char *name, const wasm_global_t *g) {
  wasm_globaltype_t *t = wasm_global_type(g);
  printf("%s: kind %d, %s\n", name, wasm_valtype_kind(wasm_globaltype_content(t)),
         wasm_globaltype_mutability(t) == WASM_VAR ? "var" : "const");
  wasm_globaltype_delete(t);
}

int main(int argc, char **argv) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = load_module(store, argc, argv);

  wasm_globaltype_t *ct = wasm_globaltype_new(wasm_valtype_new_f32(), WASM_CONST);
  wasm_globaltype_t *vt = wasm_globaltype_new(wasm_valtype_new_i64(), WASM_VAR);
  wasm_val_t c = WASM_F32_VAL(3.25f), v = WASM_I64_VAL(40);
  wasm_global_t *host_const = wasm_global_new(store, ct, &c);
  wasm_global_t *host_var = wasm_global_new(store, vt, &v);
  /* A value that does not match the type makes no global. */
  wasm_val_t wrong = WASM_I32_VAL(1);
  CHECK(wasm_global_new(store, ct, &wrong) == NULL);
  wasm_globaltype_delete(ct);
  wasm_globaltype_delete(vt);

  wasm_extern_t *imports_data[] = {wasm_global_as_extern(host_const),
                                   wasm_global_as_extern(host_var)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(imports_data);
  wasm_instance_t *instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  CHECK(exports.size == 8);
  wasm_global_t *guest_const = wasm_extern_as_global(exports.data[0]);
  wasm_global_t *guest_var = wasm_extern_as_global(exports.data[1]);
  wasm_global_t *reexported = wasm_extern_as_global(exports.data[2]);
  CHECK(guest_const && guest_var && reexported);
  CHECK(wasm_global_same(reexported, host_var) && !wasm_global_same(guest_var, host_var));

  print_type("host const", host_const);
  print_type("host var", host_var);
  print_type("guest const", guest_const);
  print_type("guest var", guest_var);

  wasm_func_t *get_host_const = export_func(&exports, 3);
  wasm_func_t *get_host_var = export_func(&exports, 4);
  wasm_func_t *bump_host_var = export_func(&exports, 5);
  wasm_func_t *get_var = export_func(&exports, 6);
  wasm_func_t *set_var = export_func(&exports, 7);

  printf("guest reads host const: %g\n", (double)call0(get_host_const).of.f32);
  printf("guest reads host var: %" PRId64 "\n", call0(get_host_var).of.i64);
  wasm_val_t nv = WASM_I64_VAL(-5);
  wasm_global_set(host_var, &nv);
  printf("host sets host var to -5, guest reads: %" PRId64 "\n", call0(get_host_var).of.i64);
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  CHECK(!wasm_func_call(bump_host_var, &none, &none));
  wasm_val_t got;
  wasm_global_get(host_var, &got);
  printf("guest adds 100, host reads: %" PRId64 "\n", got.of.i64);
  wasm_global_get(reexported, &got);
  printf("through the guest's export of it: %" PRId64 "\n", got.of.i64);

  wasm_global_get(guest_const, &got);
  printf("guest const: %d\n", got.of.i32);
  wasm_val_t seven = WASM_I32_VAL(8);
  wasm_global_set(guest_const, &seven); /* immutable: nothing happens */
  wasm_global_get(guest_const, &got);
  printf("guest const after a set: %d\n", got.of.i32);

  call1(set_var, (wasm_val_t)WASM_F64_VAL(6.75));
  wasm_global_get(guest_var, &got);
  printf("guest sets its var to 6.75, host reads: %g\n", got.of.f64);
  wasm_val_t quarter = WASM_F64_VAL(0.25);
  wasm_global_set(guest_var, &quarter);
  printf("host sets guest var to 0.25, guest reads: %g\n", call0(get_var).of.f64);
  wasm_global_set(guest_var, &nv); /* an i64 into an f64 global: nothing happens */
  printf("after a set of the wrong kind: %g\n", call0(get_var).of.f64);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_global_delete(host_const);
  wasm_global_delete(host_var);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
