/*
** memory.c -- linear memory: the guest's, read and written through its data
** pointer and by the guest, grown by both up to its maximum, with accesses
** out of bounds trapping; and one the host makes.
*/
#include "example.h"

static wasm_func_t *size_fn, *load_fn, *store_fn, *grow_fn;

static void call(wasm_func_t *f, int32_t a, int32_t b, const char *what) {
  wasm_val_t in[2] = {WASM_I32_VAL(a), WASM_I32_VAL(b)}, out[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = {wasm_func_param_arity(f), in};
  wasm_val_vec_t results = {wasm_func_result_arity(f), out};
  wasm_trap_t *trap = wasm_func_call(f, &args, &results);
  if (trap) print_trap(what, trap);
  else if (results.size) printf("%s = %d\n", what, out[0].of.i32);
  else printf("%s: done\n", what);
}

static void print_type(const char *name, const wasm_memory_t *m) {
  wasm_memorytype_t *t = wasm_memory_type(m);
  const wasm_limits_t *l = wasm_memorytype_limits(t);
  printf("%s: %u pages (%zu bytes), limits %u..", name, wasm_memory_size(m),
         wasm_memory_data_size(m), l->min);
  if (l->max == wasm_limits_max_default) printf("none\n");
  else printf("%u\n", l->max);
  wasm_memorytype_delete(t);
}

int main(int argc, char **argv) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = load_module(store, argc, argv);
  wasm_instance_t *instance = wasm_instance_new(store, module, NULL, NULL);
  CHECK(instance);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_memory_t *memory = wasm_extern_as_memory(exports.data[0]);
  size_fn = wasm_extern_as_func(exports.data[1]);
  load_fn = wasm_extern_as_func(exports.data[2]);
  store_fn = wasm_extern_as_func(exports.data[3]);
  grow_fn = wasm_extern_as_func(exports.data[4]);
  CHECK(memory && size_fn && load_fn && store_fn && grow_fn);

  print_type("guest memory", memory);
  byte_t *data = wasm_memory_data(memory);
  printf("bytes at 0x1000 seen by the host: %d %d %d %d\n", data[0x1000], data[0x1001],
         data[0x1002], data[0x1003]);
  call(load_fn, 0x1002, 0, "load(0x1002)");
  data[0x1002] = 42;
  call(load_fn, 0x1002, 0, "load(0x1002) after the host wrote 42");
  call(store_fn, 0x1003, 77, "store(0x1003, 77)");
  printf("the host reads 0x1003: %d\n", data[0x1003]);

  call(load_fn, 0x1ffff, 0, "load(0x1ffff)");
  call(load_fn, 0x20000, 0, "load(0x20000)");
  call(store_fn, 0x20000, 1, "store(0x20000, 1)");

  printf("host grows by 1: %s\n", wasm_memory_grow(memory, 1) ? "done" : "refused");
  print_type("guest memory", memory);
  call(size_fn, 0, 0, "size()");
  call(load_fn, 0x20000, 0, "load(0x20000)");
  CHECK(wasm_memory_data(memory) == data); /* the base never moves */
  printf("host grows by 1 more: %s\n", wasm_memory_grow(memory, 1) ? "done" : "refused");
  call(grow_fn, 1, 0, "grow(1)");
  call(grow_fn, 0, 0, "grow(0)");

  wasm_limits_t limits = {1, wasm_limits_max_default};
  wasm_memorytype_t *mt = wasm_memorytype_new(&limits);
  wasm_memory_t *own_memory = wasm_memory_new(store, mt);
  wasm_memorytype_delete(mt);
  CHECK(own_memory);
  print_type("host memory", own_memory);
  printf("host grows it by 4: %s\n", wasm_memory_grow(own_memory, 4) ? "done" : "refused");
  print_type("host memory", own_memory);
  wasm_limits_t bad = {3, 2};
  mt = wasm_memorytype_new(&bad);
  printf("a memory of at least 3 and at most 2 pages: %s\n",
         wasm_memory_new(store, mt) ? "made" : "refused");
  wasm_memorytype_delete(mt);

  wasm_memory_delete(own_memory);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
