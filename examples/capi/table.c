/*
** table.c -- tables: the guest's, read, written and grown by the host and
** called through; tables the host makes, of functions and of externrefs;
** indices out of bounds and growth past the maximum refused.
*/
#include "example.h"

static wasm_trap_t *ninety_nine(const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = 99;
  return NULL;
}

static wasm_func_t *call_at;

/* call_at(i): its result, or its trap's message. */
static void call_slot(int32_t i) {
  wasm_val_t in[1] = {WASM_I32_VAL(i)}, out[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(in), results = WASM_ARRAY_VEC(out);
  wasm_trap_t *trap = wasm_func_call(call_at, &args, &results);
  char what[32];
  snprintf(what, sizeof what, "call_at(%d)", i);
  if (trap) print_trap(what, trap);
  else printf("%s = %d\n", what, out[0].of.i32);
}

static void print_type(const char *name, const wasm_table_t *t) {
  wasm_tabletype_t *tt = wasm_table_type(t);
  const wasm_limits_t *l = wasm_tabletype_limits(tt);
  printf("%s: elements of kind %d, size %u, limits %u..", name,
         wasm_valtype_kind(wasm_tabletype_element(tt)), wasm_table_size(t), l->min);
  if (l->max == wasm_limits_max_default) printf("none\n");
  else printf("%u\n", l->max);
  wasm_tabletype_delete(tt);
}

/* Whether slot i holds the same function as f (NULL: a null slot). */
static const char *holds(const wasm_table_t *t, uint32_t i, const wasm_func_t *f) {
  wasm_ref_t *r = wasm_table_get(t, i);
  const char *answer = !r ? (f ? "null" : "yes") : wasm_ref_same(r, wasm_func_as_ref_const(f)) ? "yes" : "another";
  wasm_ref_delete(r);
  return answer;
}

int main(int argc, char **argv) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = load_module(store, argc, argv);
  wasm_functype_t *type = wasm_functype_new_0_1(wasm_valtype_new_i32());
  wasm_func_t *host = wasm_func_new(store, type, ninety_nine);
  wasm_functype_delete(type);

  wasm_extern_t *imports_data[] = {wasm_func_as_extern(host)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(imports_data);
  wasm_instance_t *instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_table_t *table = wasm_extern_as_table(exports.data[0]);
  wasm_func_t *seven = wasm_extern_as_func(exports.data[1]);
  call_at = wasm_extern_as_func(exports.data[2]);
  wasm_func_t *grow = wasm_extern_as_func(exports.data[3]);
  CHECK(table && seven && call_at && grow);

  print_type("guest table", table);
  printf("slot 0 null: %s, slot 1 is seven: %s\n", holds(table, 0, NULL), holds(table, 1, seven));
  call_slot(1);
  call_slot(0);
  call_slot(2);

  CHECK(wasm_table_set(table, 0, wasm_func_as_ref(host)));
  printf("host puts its function in slot 0\n");
  call_slot(0);
  printf("set at 2: %s\n", wasm_table_set(table, 2, wasm_func_as_ref(host)) ? "done" : "refused");

  printf("grow by 3 with seven: %s\n",
         wasm_table_grow(table, 3, wasm_func_as_ref(seven)) ? "done" : "refused");
  printf("slot 4 is seven: %s\n", holds(table, 4, seven));
  call_slot(4);
  printf("grow by 6: %s\n", wasm_table_grow(table, 6, NULL) ? "done" : "refused");

  wasm_val_t in[1] = {WASM_I32_VAL(1)}, out[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(in), results = WASM_ARRAY_VEC(out);
  CHECK(!wasm_func_call(grow, &args, &results));
  printf("the guest grows it by 1: old size %d\n", out[0].of.i32);
  print_type("guest table", table);
  wasm_ref_t *past = wasm_table_get(table, 6);
  printf("get past the end: %s\n", past ? "a reference" : "NULL");

  /* Tables the host makes. */
  wasm_limits_t small = {1, 2};
  wasm_tabletype_t *ft = wasm_tabletype_new(wasm_valtype_new_funcref(), &small);
  wasm_table_t *own_funcs = wasm_table_new(store, ft, wasm_func_as_ref(host));
  wasm_tabletype_delete(ft);
  CHECK(own_funcs);
  print_type("host table", own_funcs);
  printf("its slot 0 is the host function: %s\n", holds(own_funcs, 0, host));
  bool first = wasm_table_grow(own_funcs, 1, NULL);
  bool second = wasm_table_grow(own_funcs, 1, NULL);
  printf("grow by 1: %s; by 1 more: %s\n", first ? "done" : "refused", second ? "done" : "refused");

  wasm_limits_t open = {3, wasm_limits_max_default};
  wasm_tabletype_t *et = wasm_tabletype_new(wasm_valtype_new_externref(), &open);
  wasm_table_t *refs = wasm_table_new(store, et, NULL);
  wasm_tabletype_delete(et);
  CHECK(refs);
  print_type("host externref table", refs);
  wasm_foreign_t *foreign = wasm_foreign_new(store);
  CHECK(wasm_table_set(refs, 1, wasm_foreign_as_ref(foreign)));
  wasm_ref_t *back = wasm_table_get(refs, 1);
  printf("a foreign object stored and read back is the same: %s\n",
         wasm_ref_same(back, wasm_foreign_as_ref(foreign)) ? "yes" : "no");
  printf("a function into the externref table: %s\n",
         wasm_table_set(refs, 2, wasm_func_as_ref(host)) ? "taken" : "refused");
  printf("a foreign object into a funcref table: %s\n",
         wasm_table_set(own_funcs, 0, wasm_foreign_as_ref(foreign)) ? "taken" : "refused");

  wasm_ref_delete(back);
  wasm_foreign_delete(foreign);
  wasm_table_delete(refs);
  wasm_table_delete(own_funcs);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(host);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
