/*
** reflect.c -- reflection: a module's import and export types, the types of
** live exports, and building the same types by hand.
*/
#include "example.h"

static void print_name(const wasm_name_t *n) { printf("%.*s", (int)n->size, n->data); }

static const char *kind_name(wasm_valkind_t k) {
  switch (k) {
  case WASM_I32: return "i32";
  case WASM_I64: return "i64";
  case WASM_F32: return "f32";
  case WASM_F64: return "f64";
  case WASM_EXTERNREF: return "externref";
  case WASM_FUNCREF: return "funcref";
  }
  return "?";
}

static void print_valtypes(const wasm_valtype_vec_t *v) {
  printf("[");
  for (size_t i = 0; i < v->size; i++)
    printf("%s%s", i ? " " : "", kind_name(wasm_valtype_kind(v->data[i])));
  printf("]");
}

static void print_limits(const wasm_limits_t *l) {
  if (l->max == wasm_limits_max_default) printf("%u..", l->min);
  else printf("%u..%u", l->min, l->max);
}

static void print_type(const wasm_externtype_t *t) {
  switch (wasm_externtype_kind(t)) {
  case WASM_EXTERN_FUNC: {
    const wasm_functype_t *ft = wasm_externtype_as_functype_const(t);
    printf("func ");
    print_valtypes(wasm_functype_params(ft));
    printf(" -> ");
    print_valtypes(wasm_functype_results(ft));
    break;
  }
  case WASM_EXTERN_GLOBAL: {
    const wasm_globaltype_t *gt = wasm_externtype_as_globaltype_const(t);
    printf("global %s %s", wasm_globaltype_mutability(gt) == WASM_VAR ? "var" : "const",
           kind_name(wasm_valtype_kind(wasm_globaltype_content(gt))));
    break;
  }
  case WASM_EXTERN_TABLE: {
    const wasm_tabletype_t *tt = wasm_externtype_as_tabletype_const(t);
    printf("table %s ", kind_name(wasm_valtype_kind(wasm_tabletype_element(tt))));
    print_limits(wasm_tabletype_limits(tt));
    break;
  }
  case WASM_EXTERN_MEMORY:
    printf("memory ");
    print_limits(wasm_memorytype_limits(wasm_externtype_as_memorytype_const(t)));
    break;
  }
  CHECK(!wasm_externtype_as_functype_const(t) == (wasm_externtype_kind(t) != WASM_EXTERN_FUNC));
}

static wasm_trap_t *log_fn(const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  results->data[0].kind = WASM_I64;
  results->data[0].of.i64 = 0;
  return NULL;
}

int main(int argc, char **argv) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = load_module(store, argc, argv);

  wasm_importtype_vec_t imports;
  wasm_module_imports(module, &imports);
  for (size_t i = 0; i < imports.size; i++) {
    printf("import ");
    print_name(wasm_importtype_module(imports.data[i]));
    printf(" ");
    print_name(wasm_importtype_name(imports.data[i]));
    printf(": ");
    print_type(wasm_importtype_type(imports.data[i]));
    printf("\n");
  }
  wasm_exporttype_vec_t exports;
  wasm_module_exports(module, &exports);
  for (size_t i = 0; i < exports.size; i++) {
    printf("export ");
    print_name(wasm_exporttype_name(exports.data[i]));
    printf(": ");
    print_type(wasm_exporttype_type(exports.data[i]));
    printf("\n");
  }

  /* Copies are deep and equal; the vectors' copies too. */
  wasm_exporttype_vec_t copy;
  wasm_exporttype_vec_copy(&copy, &exports);
  CHECK(copy.size == exports.size && copy.data[0] != exports.data[0]);
  printf("copied export 0: ");
  print_name(wasm_exporttype_name(copy.data[0]));
  printf(": ");
  print_type(wasm_exporttype_type(copy.data[0]));
  printf("\n");
  wasm_exporttype_vec_delete(&copy);

  /* Types built by hand, turned into imports, copied. */
  wasm_functype_t *ft = wasm_functype_new_2_2(wasm_valtype_new_i32(), wasm_valtype_new_f32(),
                                              wasm_valtype_new_funcref(),
                                              wasm_valtype_new_externref());
  wasm_name_t mod, name;
  wasm_name_new_from_string(&mod, "made");
  wasm_name_new_from_string(&name, "by hand");
  wasm_importtype_t *it = wasm_importtype_new(&mod, &name, wasm_functype_as_externtype(ft));
  wasm_importtype_t *it2 = wasm_importtype_copy(it);
  wasm_importtype_delete(it);
  printf("import ");
  print_name(wasm_importtype_module(it2));
  printf(" ");
  print_name(wasm_importtype_name(it2));
  printf(": ");
  print_type(wasm_importtype_type(it2));
  printf("\n");
  wasm_importtype_delete(it2);

  /* The types of live objects: what the host gives, the instance's exports
  ** (a memory or table now reports its current size as its minimum). */
  wasm_functype_t *log_type = wasm_functype_new_2_1(wasm_valtype_new_i32(), wasm_valtype_new_f64(),
                                                    wasm_valtype_new_i64());
  wasm_func_t *log = wasm_func_new(store, log_type, log_fn);
  wasm_functype_delete(log_type);
  wasm_globaltype_t *gt = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
  wasm_val_t zero = WASM_I32_VAL(0);
  wasm_global_t *base = wasm_global_new(store, gt, &zero);
  wasm_globaltype_delete(gt);
  wasm_limits_t tl = {1, wasm_limits_max_default}, ml = {1, 16};
  wasm_tabletype_t *tt = wasm_tabletype_new(wasm_valtype_new_funcref(), &tl);
  wasm_table_t *funcs = wasm_table_new(store, tt, NULL);
  wasm_tabletype_delete(tt);
  wasm_memorytype_t *mt = wasm_memorytype_new(&ml);
  wasm_memory_t *mem = wasm_memory_new(store, mt);
  wasm_memorytype_delete(mt);
  wasm_extern_t *given[] = {wasm_func_as_extern(log), wasm_global_as_extern(base),
                            wasm_table_as_extern(funcs), wasm_memory_as_extern(mem)};
  wasm_extern_vec_t given_vec = WASM_ARRAY_VEC(given);
  wasm_instance_t *instance = wasm_instance_new(store, module, &given_vec, NULL);
  CHECK(instance);
  CHECK(wasm_memory_grow(mem, 2));
  for (size_t i = 0; i < 4; i++) {
    wasm_externtype_t *t = wasm_extern_type(given[i]);
    CHECK(wasm_extern_kind(given[i]) == wasm_externtype_kind(t));
    printf("given %zu: ", i);
    print_type(t);
    printf("\n");
    wasm_externtype_delete(t);
  }
  wasm_extern_vec_t live;
  wasm_instance_exports(instance, &live);
  for (size_t i = 0; i < live.size; i++) {
    wasm_externtype_t *t = wasm_extern_type(live.data[i]);
    printf("live export %zu: ", i);
    print_type(t);
    printf("\n");
    wasm_externtype_delete(t);
  }
  wasm_extern_vec_delete(&live);
  wasm_instance_delete(instance);
  wasm_func_delete(log);
  wasm_global_delete(base);
  wasm_table_delete(funcs);
  wasm_memory_delete(mem);

  wasm_importtype_vec_delete(&imports);
  wasm_exporttype_vec_delete(&exports);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
