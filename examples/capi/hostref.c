/*
** hostref.c -- host references: foreign objects (and other references) go
** into the guest as externrefs, are kept in its table and global, passed to
** a host function and returned, and come back as the same objects with
** their host info; funcrefs likewise; null stays null.
*/
#include "example.h"

static wasm_func_t *keep_fn, *fetch_fn, *pass_fn, *is_null_fn, *pick_fn;

static wasm_trap_t *see(const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  const wasm_ref_t *r = args->data[0].of.ref;
  const char *info = r ? wasm_ref_get_host_info(r) : NULL;
  printf("  host sees: %s\n", !r ? "null" : info ? info : "a reference without host info");
  results->data[0].kind = WASM_EXTERNREF;
  results->data[0].of.ref = r ? wasm_ref_copy(r) : NULL; /* results are taken: a copy */
  return NULL;
}

/* f(args): the one result, owned by the caller. */
static wasm_val_t call(wasm_func_t *f, wasm_val_t *in, size_t n) {
  wasm_val_t out[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = {n, in};
  wasm_val_vec_t results = {wasm_func_result_arity(f), out};
  wasm_trap_t *trap = wasm_func_call(f, &args, &results);
  if (trap) print_trap("unexpected", trap);
  CHECK(!trap);
  return out[0];
}

static const char *name_of(const wasm_ref_t *r) {
  const char *info = r ? wasm_ref_get_host_info(r) : NULL;
  return !r ? "null" : info ? info : "(no host info)";
}

int main(int argc, char **argv) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = load_module(store, argc, argv);
  wasm_functype_t *type = wasm_functype_new_1_1(wasm_valtype_new_externref(),
                                                wasm_valtype_new_externref());
  wasm_func_t *see_fn = wasm_func_new(store, type, see);
  wasm_functype_delete(type);
  wasm_extern_t *imports_data[] = {wasm_func_as_extern(see_fn)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(imports_data);
  wasm_instance_t *instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_table_t *refs = wasm_extern_as_table(exports.data[0]);
  wasm_global_t *last = wasm_extern_as_global(exports.data[1]);
  keep_fn = wasm_extern_as_func(exports.data[2]);
  fetch_fn = wasm_extern_as_func(exports.data[3]);
  pass_fn = wasm_extern_as_func(exports.data[4]);
  is_null_fn = wasm_extern_as_func(exports.data[5]);
  pick_fn = wasm_extern_as_func(exports.data[6]);

  wasm_foreign_t *apple = wasm_foreign_new(store), *pear = wasm_foreign_new(store);
  wasm_foreign_set_host_info(apple, "apple");
  wasm_foreign_set_host_info(pear, "pear");

  printf("keep apple at 0, pear at 1, the function see at 2\n");
  wasm_val_t k0[2] = {WASM_I32_VAL(0), WASM_REF_VAL(wasm_foreign_as_ref(apple))};
  wasm_val_t k1[2] = {WASM_I32_VAL(1), WASM_REF_VAL(wasm_foreign_as_ref(pear))};
  wasm_val_t k2[2] = {WASM_I32_VAL(2), WASM_REF_VAL(wasm_func_as_ref(see_fn))};
  call(keep_fn, k0, 2);
  call(keep_fn, k2, 2);
  call(keep_fn, k1, 2);

  for (int i = 0; i < 4; i++) {
    wasm_val_t at[1] = {WASM_I32_VAL(i)};
    wasm_val_t got = call(fetch_fn, at, 1);
    printf("fetch(%d): %s", i, name_of(got.of.ref));
    if (i == 2) printf(", the function see: %s",
                       wasm_ref_as_func(got.of.ref) &&
                               wasm_func_same(wasm_ref_as_func(got.of.ref), see_fn) ? "yes" : "no");
    printf("\n");
    wasm_val_delete(&got);
  }
  wasm_val_t g;
  wasm_global_get(last, &g);
  printf("the global holds: %s, the same object as pear: %s\n", name_of(g.of.ref),
         wasm_ref_same(g.of.ref, wasm_foreign_as_ref(pear)) ? "yes" : "no");
  wasm_val_delete(&g);
  wasm_ref_t *slot = wasm_table_get(refs, 0);
  printf("the table's slot 0 read by the host: %s\n", name_of(slot));
  wasm_ref_delete(slot);

  printf("pass apple to the host through the guest\n");
  wasm_val_t pa[1] = {WASM_REF_VAL(wasm_foreign_as_ref(apple))};
  wasm_val_t back = call(pass_fn, pa, 1);
  printf("  and back: %s\n", name_of(back.of.ref));
  wasm_val_delete(&back);
  printf("pass null\n");
  wasm_val_t pn[1] = {WASM_REF_VAL(NULL)};
  back = call(pass_fn, pn, 1);
  printf("  and back: %s\n", name_of(back.of.ref));
  printf("is_null(null) = %d, is_null(apple) = %d\n", call(is_null_fn, pn, 1).of.i32,
         call(is_null_fn, pa, 1).of.i32);

  /* funcrefs: a function of the store in and out. */
  wasm_val_t pk[3] = {WASM_I32_VAL(0), {.kind = WASM_FUNCREF, .of = {.ref = wasm_func_as_ref(see_fn)}},
                      {.kind = WASM_FUNCREF, .of = {.ref = wasm_func_as_ref(keep_fn)}}};
  wasm_val_t picked = call(pick_fn, pk, 3);
  CHECK(picked.kind == WASM_FUNCREF);
  printf("pick(0, see, keep) is keep: %s\n",
         wasm_func_same(wasm_ref_as_func(picked.of.ref), keep_fn) ? "yes" : "no");
  wasm_val_delete(&picked);
  /* A foreign object is no function: the call is refused. */
  pk[1].of.ref = wasm_foreign_as_ref(apple);
  wasm_val_t out[1];
  wasm_val_vec_t args = {3, pk}, results = {1, out};
  print_trap("pick with a foreign object as a funcref", wasm_func_call(pick_fn, &args, &results));

  wasm_foreign_delete(apple);
  wasm_foreign_delete(pear);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(see_fn);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
