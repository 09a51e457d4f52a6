/*
** example.h -- what every C API example shares: reading the module named on
** the command line, and failing loudly. Each example is one program that
** uses only wasm.h (and ebb_wasm.h for ebb's extras), prints what it sees,
** and exits 1 when something is not as the standard promises.
*/
#ifndef EBB_CAPI_EXAMPLE_H
#define EBB_CAPI_EXAMPLE_H

#include <stdio.h>
#include <stdlib.h>

#include "wasm.h"

#define CHECK(cond)                                                              \
  do {                                                                           \
    if (!(cond)) {                                                               \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
      exit(1);                                                                   \
    }                                                                            \
  } while (0)

/* The whole file as an owned byte vector. */
static inline void read_module(const char *path, wasm_byte_vec_t *out) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    exit(1);
  }
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  wasm_byte_vec_new_uninitialized(out, (size_t)size);
  CHECK(fread(out->data, 1, (size_t)size, f) == (size_t)size);
  fclose(f);
}

/* Compile the module named by argv[1] in the store. */
static inline wasm_module_t *load_module(wasm_store_t *store, int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s MODULE.wasm\n", argv[0]);
    exit(2);
  }
  wasm_byte_vec_t binary;
  read_module(argv[1], &binary);
  wasm_module_t *module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  CHECK(module != NULL);
  return module;
}

/* A trap's message, printed and the trap deleted; "none" for no trap. */
static inline void print_trap(const char *what, wasm_trap_t *trap) {
  if (!trap) {
    printf("%s: no trap\n", what);
    return;
  }
  wasm_message_t msg;
  wasm_trap_message(trap, &msg);
  printf("%s: trap \"%s\"\n", what, msg.data);
  wasm_byte_vec_delete(&msg);
  wasm_trap_delete(trap);
}

#endif
