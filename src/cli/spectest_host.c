/*
** spectest_host.c -- the `spectest` module that the spec's test harness
** provides (WebAssembly/spec interpreter/host/spectest.ml): print functions,
** four globals of value 666 / 666.6, a funcref table (10, max 20), a memory
** (1, max 2), and for the threads proposal a shared memory (1, max 2).
** Everything is made through the public API and belongs to the store.
*/
#include "spectest.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Prints "spectest.NAME(args)" when verbose. Host arguments arrive as 8-byte
** cells: i32 in the low half, floats as their bits. */
static ebb_status_t print_args(ebb_host_call_t *call, const char *name, const char *sig,
                               const uint64_t *args) {
  const ebb__spec_host_t *host = ebb_host_data(call);
  if (!host || !host->verbose)
    return EBB_OK;
  printf("spectest.%s(", name);
  for (size_t i = 0; sig[i]; i++) {
    if (i)
      printf(", ");
    switch (sig[i]) {
    case 'i':
      printf("%" PRId32, (int32_t)(uint32_t)args[i]);
      break;
    case 'I':
      printf("%" PRId64, (int64_t)args[i]);
      break;
    case 'f': {
      uint32_t b = (uint32_t)args[i];
      float f;
      memcpy(&f, &b, sizeof f);
      printf("%.9g", (double)f);
      break;
    }
    case 'F': {
      double d;
      memcpy(&d, &args[i], sizeof d);
      printf("%.17g", d);
      break;
    }
    }
  }
  printf(")\n");
  return EBB_OK;
}

#define PRINT_FN(fname, sig)                                                                  \
  static ebb_status_t host_##fname(ebb_host_call_t *call, const uint64_t *args,               \
                                   uint64_t *results) {                                       \
    (void)results;                                                                            \
    return print_args(call, #fname, sig, args);                                               \
  }
PRINT_FN(print, "")
PRINT_FN(print_i32, "i")
PRINT_FN(print_i64, "I")
PRINT_FN(print_f32, "f")
PRINT_FN(print_f64, "F")
PRINT_FN(print_i32_f32, "if")
PRINT_FN(print_f64_f64, "FF")
#undef PRINT_FN

void ebb__spec_host_init(ebb__spec_host_t *h, ebb_store_t *store, bool verbose) {
  static const ebb_valkind_t i32[] = {EBB_I32}, i64[] = {EBB_I64}, f32[] = {EBB_F32},
                             f64[] = {EBB_F64}, i32_f32[] = {EBB_I32, EBB_F32},
                             f64_f64[] = {EBB_F64, EBB_F64};
  memset(h, 0, sizeof *h);
  h->verbose = verbose;
  h->print = ebb_func_new_host(store, NULL, 0, NULL, 0, host_print, h);
  h->print_i32 = ebb_func_new_host(store, i32, 1, NULL, 0, host_print_i32, h);
  h->print_i64 = ebb_func_new_host(store, i64, 1, NULL, 0, host_print_i64, h);
  h->print_f32 = ebb_func_new_host(store, f32, 1, NULL, 0, host_print_f32, h);
  h->print_f64 = ebb_func_new_host(store, f64, 1, NULL, 0, host_print_f64, h);
  h->print_i32_f32 = ebb_func_new_host(store, i32_f32, 2, NULL, 0, host_print_i32_f32, h);
  h->print_f64_f64 = ebb_func_new_host(store, f64_f64, 2, NULL, 0, host_print_f64_f64, h);

  ebb_val_t v;
  v.kind = EBB_I32;
  v.of.i32 = 666;
  h->global_i32 = ebb_global_new(store, v, false);
  v.kind = EBB_I64;
  v.of.i64 = 666;
  h->global_i64 = ebb_global_new(store, v, false);
  v.kind = EBB_F32;
  v.of.f32 = 666.6f;
  h->global_f32 = ebb_global_new(store, v, false);
  v.kind = EBB_F64;
  v.of.f64 = 666.6;
  h->global_f64 = ebb_global_new(store, v, false);

  h->table = ebb_table_new(store, EBB_FUNCREF, 10, 20, true);
  h->memory = ebb_memory_new(store, 1, 2, true, false);
  h->shared_memory = ebb_memory_new(store, 1, 2, true, true);
}

int ebb__spec_host_lookup(const ebb__spec_host_t *h, const char *name, ebb_externkind_t kind,
                          ebb_extern_t *out) {
  const struct {
    const char *name;
    ebb_extern_t x;
    const void *obj; /* NULL if the runtime could not make it */
  } exports[] = {
#define FUNC(n) {#n, {EBB_EXTERN_FUNC, {.func = h->n}}, h->n}
#define GLOBAL(n) {#n, {EBB_EXTERN_GLOBAL, {.global = h->n}}, h->n}
#define MEMORY(n) {#n, {EBB_EXTERN_MEMORY, {.memory = h->n}}, h->n}
      FUNC(print),       FUNC(print_i32),     FUNC(print_i64),     FUNC(print_f32),
      FUNC(print_f64),   FUNC(print_i32_f32), FUNC(print_f64_f64), GLOBAL(global_i32),
      GLOBAL(global_i64), GLOBAL(global_f32), GLOBAL(global_f64),  MEMORY(memory),
      MEMORY(shared_memory), {"table", {EBB_EXTERN_TABLE, {.table = h->table}}, h->table},
#undef FUNC
#undef GLOBAL
#undef MEMORY
  };
  for (size_t i = 0; i < sizeof exports / sizeof exports[0]; i++) {
    if (strcmp(exports[i].name, name) != 0)
      continue;
    /* Another kind than the import's is "not found" here; the runtime
    ** reports the module unlinkable either way. */
    if (exports[i].x.kind != kind || !exports[i].obj)
      return EBB_ENOTFOUND;
    *out = exports[i].x;
    return 0;
  }
  return EBB_ENOTFOUND;
}
