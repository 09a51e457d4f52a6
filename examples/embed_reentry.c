/*
** embed_reentry.c -- an embedder whose host function calls back into the
** guest on its own thread, and passes a stop on (docs/embedding.md).
**
**   embed_reentry reentry.wasm
**
** The guest's total(n) calls the host's visit_all(n), which calls the
** guest's square(i) for each i and adds them up. The first time visit_all
** runs, a stop is requested (here by the host function itself, standing in
** for a watchdog): the inner call stops, visit_all passes the stop on, and
** the embedder's call of total() returns EBB_INTERRUPTED. The embedder
** resumes it; visit_all runs again from its start and finishes.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ebb.h"

typedef struct app {
  ebb_func_t *square; /* the guest function visit_all calls back */
  int runs;           /* how often visit_all started */
} app;

/* visit_all(n) -> sum of square(i) for i < n, computed by calling back. */
static ebb_status_t visit_all(ebb_host_call_t *call, const uint64_t *args, uint64_t *results) {
  app *a = ebb_host_data(call);
  ebb_thread_t *t = ebb_host_thread(call); /* the thread this call runs on */
  int32_t n = (int32_t)args[0];
  if (a->runs++ == 0) ebb_thread_interrupt(t); /* a watchdog, in effect */
  int64_t sum = 0;
  for (int32_t i = 0; i < n; i++) {
    ebb_val_t arg = {.kind = EBB_I32, .of.i32 = i}, r;
    ebb_outcome_t o;
    switch (ebb_call(t, a->square, &arg, &r, &o)) { /* a nested call */
    case EBB_OK: sum += r.of.i64; break;
    case EBB_INTERRUPTED:
      /* The inner call took the stop. Pass it on: the embedder's call
      ** stops here, and this function runs again when it is resumed. The
      ** stopped inner call is abandoned when we return. Nothing the guest
      ** can see has changed (results are written only at the end). */
      printf("visit_all: stopped at i=%d, passing the stop on\n", i);
      return EBB_INTERRUPTED;
    case EBB_TRAP: return ebb_host_trap(call, o.message);
    case EBB_EXIT: return ebb_host_exit(call, o.exit_code);
    case EBB_ERROR: return ebb_host_trap(call, o.message);
    }
  }
  results[0] = (uint64_t)sum;
  return EBB_OK;
}

static int resolve(void *data, const char *module, const char *name, ebb_externkind_t kind,
                   ebb_extern_t *out) {
  ebb_func_t *f = data;
  if (strcmp(module, "host") || strcmp(name, "visit_all") || kind != EBB_EXTERN_FUNC)
    return EBB_ENOTFOUND;
  out->kind = EBB_EXTERN_FUNC;
  out->of.func = f;
  return 0;
}

static unsigned char *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  unsigned char *buf = malloc(1 << 16);
  *size = buf ? fread(buf, 1, 1 << 16, f) : 0;
  fclose(f);
  return buf;
}

int main(int argc, char **argv) {
  size_t size;
  unsigned char *bytes = argc == 2 ? read_file(argv[1], &size) : NULL;
  if (!bytes) {
    fprintf(stderr, "usage: embed_reentry reentry.wasm\n");
    return 2;
  }
  ebb_error_t err = {0, ""};
  ebb_module_t *module;
  if (ebb_module_new(bytes, size, &module, &err)) {
    fprintf(stderr, "%s\n", err.message);
    return 1;
  }
  ebb_store_t *store = ebb_store_new(NULL);
  app a = {NULL, 0};
  ebb_valkind_t i32 = EBB_I32, i64 = EBB_I64;
  ebb_func_t *host = ebb_func_new_host(store, &i32, 1, &i64, 1, visit_all, &a);
  ebb_instance_t *inst;
  ebb_extern_t square, total;
  if (ebb_instance_new(store, module, resolve, host, &inst, &err) ||
      ebb_instance_export(inst, "square", &square) || ebb_instance_export(inst, "total", &total)) {
    fprintf(stderr, "cannot instantiate: %s\n", err.message);
    return 1;
  }
  a.square = square.of.func;

  ebb_thread_t *t = ebb_thread_new(store);
  ebb_val_t n = {.kind = EBB_I32, .of.i32 = 1000}, result;
  ebb_outcome_t o;
  ebb_status_t st = ebb_call(t, total.of.func, &n, &result, &o);
  while (st == EBB_INTERRUPTED) {
    printf("embedder: total() stopped; resuming\n");
    st = ebb_call_resume(t, &result, &o);
  }
  if (st != EBB_OK) {
    fprintf(stderr, "total() failed: %s\n", o.message);
    return 1;
  }
  printf("total(1000) = %lld after %d runs of visit_all\n", (long long)result.of.i64, a.runs);

  ebb_thread_delete(t); /* threads first, then the store */
  ebb_store_delete(store);
  ebb_module_delete(module);
  free(bytes);
  return 0;
}
