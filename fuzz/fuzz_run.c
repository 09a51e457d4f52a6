/*
** fuzz_run.c -- load, instantiate and run arbitrary bytes. Imports are
** satisfied from the module's own import types; every exported function is
** called with zero arguments under a watchdog that interrupts runaway
** loops; the store's limits are small so that hostile sizes stay cheap.
** The start function runs on the same thread under the same watchdog
** (ebb_instance_new_ex).
*/
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common.h"
#include "ebb.h"

enum {
  CALL_MS = 10,    /* a call is interrupted after this long, resumed once as long */
  MAX_CALLS = 32,  /* exports called per input */
};

static const ebb_limits_t LIMITS = {
    .max_memory_pages = 256,
    .max_table_elems = 100000,
    .max_call_depth = 2000,
    .value_stack_slots = 1u << 16,
    .max_store_memory_pages = 512,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ebb_module_t *m = NULL;
  if (ebb_module_new(data, size, &m, NULL)) return 0;
  ebb_store_t *store = ebb_store_new(&LIMITS);
  if (!store) fuzz_fail("ebb_store_new failed");
  ebb_thread_t *t = ebb_thread_new(store);
  if (!t) fuzz_fail("ebb_thread_new failed");

  fuzz_resolver r = {store, m};
  ebb_instance_t *inst = NULL;
  ebb_error_t err;
  memset(&err, 0, sizeof err);
  fuzz_watchdog_arm(t, CALL_MS);
  int rc = ebb_instance_new_ex(store, m, fuzz_resolve, &r, t, &inst, &err);
  fuzz_watchdog_disarm();
  if (rc) {
    if (inst) fuzz_fail("ebb_instance_new failed (%d) but returned an instance", rc);
    if (err.code != rc || !err.message[0])
      fuzz_fail("instantiation error %d has record %d \"%s\"", rc, err.code, err.message);
    goto done;
  }
  ebb_outcome_t o;

  uint32_t n = ebb_instance_export_count(inst), calls = 0;
  for (uint32_t i = 0; i < n; i++) {
    ebb_extern_t ex;
    const char *name = ebb_instance_export_at(inst, i, &ex);
    if (!name) fuzz_fail("export %u of %u has no name", i, n);
    switch (ex.kind) {
    case EBB_EXTERN_FUNC:
      if (calls++ < MAX_CALLS) fuzz_call_guarded(t, ex.of.func, CALL_MS, &o);
      break;
    case EBB_EXTERN_MEMORY: {
      /* Touch the first and last byte: they must be mapped. */
      size_t bytes = ebb_memory_size(ex.of.memory);
      uint8_t *p = ebb_memory_data(ex.of.memory);
      if (bytes) p[0] = p[bytes - 1] = (uint8_t)(p[0] + p[bytes - 1]);
      break;
    }
    case EBB_EXTERN_TABLE: (void)ebb_table_size(ex.of.table); break;
    case EBB_EXTERN_GLOBAL: (void)ebb_global_get(ex.of.global); break;
    }
  }
done:
  ebb_thread_delete(t);
  ebb_store_delete(store);
  ebb_module_delete(m);
  return 0;
}
