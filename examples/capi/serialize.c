/*
** serialize.c -- a module serialized, deleted, deserialized and run; what
** is not a serialized module (truncated, damaged, another format) refused
** with NULL; validation without compiling.
*/
#include <string.h>

#include "example.h"

static void try_deserialize(wasm_store_t *store, const char *what, const char *data, size_t size) {
  wasm_byte_vec_t v;
  wasm_byte_vec_new(&v, size, data);
  wasm_module_t *m = wasm_module_deserialize(store, &v);
  printf("deserialize %s: %s\n", what, m ? "a module" : "NULL");
  wasm_module_delete(m);
  wasm_byte_vec_delete(&v);
}

int main(int argc, char **argv) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_byte_vec_t binary;
  read_module(argv[1], &binary);
  printf("validate the binary: %s\n", wasm_module_validate(store, &binary) ? "valid" : "invalid");
  wasm_module_t *module = wasm_module_new(store, &binary);
  CHECK(module);

  wasm_byte_vec_t serialized;
  wasm_module_serialize(module, &serialized);
  printf("serialized: %zu bytes for a binary of %zu\n", serialized.size, binary.size);
  wasm_module_delete(module);

  wasm_module_t *again = wasm_module_deserialize(store, &serialized);
  CHECK(again);
  wasm_exporttype_vec_t exports;
  wasm_module_exports(again, &exports);
  printf("deserialized module exports %zu function(s)\n", exports.size);
  wasm_exporttype_vec_delete(&exports);
  wasm_instance_t *instance = wasm_instance_new(store, again, NULL, NULL);
  CHECK(instance);
  wasm_extern_vec_t funcs;
  wasm_instance_exports(instance, &funcs);
  wasm_val_t out[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_EMPTY_VEC, results = WASM_ARRAY_VEC(out);
  CHECK(!wasm_func_call(wasm_extern_as_func(funcs.data[0]), &args, &results));
  printf("answer() = %d\n", out[0].of.i32);
  wasm_extern_vec_delete(&funcs);

  /* Serialized twice, the same bytes. */
  wasm_byte_vec_t twice;
  wasm_module_serialize(again, &twice);
  CHECK(twice.size == serialized.size && !memcmp(twice.data, serialized.data, twice.size));
  wasm_byte_vec_delete(&twice);

  try_deserialize(store, "the serialized bytes", serialized.data, serialized.size);
  try_deserialize(store, "them less one byte", serialized.data, serialized.size - 1);
  try_deserialize(store, "the header alone", serialized.data, 16);
  try_deserialize(store, "nothing", serialized.data, 0);
  try_deserialize(store, "the plain binary", binary.data, binary.size);
  serialized.data[serialized.size - 2] ^= 1;
  try_deserialize(store, "them with one bit flipped in the code", serialized.data, serialized.size);
  serialized.data[serialized.size - 2] ^= 1;
  serialized.data[1] = 'X';
  try_deserialize(store, "them with another magic", serialized.data, serialized.size);
  printf("validate 4 bytes of garbage: %s\n",
         wasm_module_validate(store, &(wasm_byte_vec_t){4, "\0asm"}) ? "valid" : "invalid");
  wasm_byte_vec_t garbage = {4, "\1\2\3\4"};
  printf("compile them: %s\n", wasm_module_new(store, &garbage) ? "a module" : "NULL");

  wasm_byte_vec_delete(&serialized);
  wasm_byte_vec_delete(&binary);
  wasm_instance_delete(instance);
  wasm_module_delete(again);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
