/*
** finalize.c -- finalizers run exactly once: host functions' environments
** and the host info of every kind of object, set through one handle and
** seen through others, replaced, and finalized when the store goes (or, for
** modules and traps, with their last handle).
*/
#include <string.h>

#include "example.h"

#define FOREIGNS 100

typedef struct tally {
  const char *name;
  int runs;
} tally;

static tally tallies[16];
static int ntallies;

static tally *tally_new(const char *name) {
  tally *t = &tallies[ntallies++];
  t->name = name;
  return t;
}

static void finalize(void *info) { ((tally *)info)->runs++; }

static int foreign_runs;
static void finalize_foreign(void *info) {
  CHECK(info != NULL);
  foreign_runs++;
}

static wasm_trap_t *noop(void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  return NULL;
}

static void report(const char *when) {
  printf("%s:", when);
  for (int i = 0; i < ntallies; i++) printf(" %s=%d", tallies[i].name, tallies[i].runs);
  printf(" foreign=%d\n", foreign_runs);
}

int main(int argc, char **argv) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = load_module(store, argc, argv);

  wasm_functype_t *type = wasm_functype_new_0_0();
  wasm_func_t *f = wasm_func_new_with_env(store, type, noop, tally_new("env"), finalize);
  wasm_func_t *unused = wasm_func_new_with_env(store, type, noop, tally_new("env2"), finalize);
  wasm_functype_delete(type);
  wasm_extern_t *imports_data[] = {wasm_func_as_extern(f)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(imports_data);
  wasm_instance_t *instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance);
  wasm_instance_set_host_info_with_finalizer(instance, tally_new("instance"), finalize);
  wasm_module_set_host_info_with_finalizer(module, tally_new("module"), finalize);

  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_func_set_host_info_with_finalizer(wasm_extern_as_func(exports.data[0]), tally_new("func"),
                                         finalize);
  wasm_global_set_host_info_with_finalizer(wasm_extern_as_global(exports.data[1]),
                                           tally_new("global"), finalize);
  wasm_table_set_host_info_with_finalizer(wasm_extern_as_table(exports.data[2]),
                                          tally_new("table"), finalize);
  wasm_memory_set_host_info_with_finalizer(wasm_extern_as_memory(exports.data[3]),
                                           tally_new("memory"), finalize);
  /* Replaced: the first finalizer runs at once. */
  wasm_extern_set_host_info_with_finalizer(exports.data[3], tally_new("replaced"), finalize);
  wasm_memory_set_host_info_with_finalizer(wasm_extern_as_memory(exports.data[3]),
                                           tally_new("memory2"), finalize);

  /* Another handle to the same object sees the same host info. */
  wasm_extern_vec_t again;
  wasm_instance_exports(instance, &again);
  tally *seen = wasm_func_get_host_info(wasm_extern_as_func(again.data[0]));
  printf("host info seen through a second handle: %s\n", seen ? seen->name : "none");
  wasm_ref_t *as_ref = wasm_ref_copy(wasm_global_as_ref(wasm_extern_as_global(again.data[1])));
  seen = wasm_ref_get_host_info(as_ref);
  printf("through a wasm_ref_t copy: %s\n", seen ? seen->name : "none");
  printf("on an object never given any: %s\n", wasm_func_get_host_info(unused) ? "some" : "none");
  wasm_ref_delete(as_ref);
  wasm_extern_vec_delete(&again);

  for (int i = 0; i < FOREIGNS; i++) {
    wasm_foreign_t *fo = wasm_foreign_new(store);
    wasm_foreign_set_host_info_with_finalizer(fo, &foreign_runs, finalize_foreign);
    if (i % 2) wasm_foreign_delete(fo); /* the object stays with the store */
    else {
      wasm_foreign_t *copy = wasm_foreign_copy(fo);
      wasm_foreign_delete(fo);
      CHECK(wasm_foreign_get_host_info(copy) == &foreign_runs);
      wasm_foreign_delete(copy);
    }
  }

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(f);
  wasm_func_delete(unused);
  report("handles deleted, module and store live");
  wasm_module_delete(module);
  report("module deleted");
  wasm_store_delete(store);
  report("store deleted");
  wasm_engine_delete(engine);
  for (int i = 0; i < ntallies; i++) CHECK(tallies[i].runs == 1);
  CHECK(foreign_runs == FOREIGNS);
  return 0;
}
