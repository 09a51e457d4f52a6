/*
** contexts_bench.c -- what WASIX contexts cost (include/ebb.h, "Green-thread
** contexts"; guest in contexts.wat), beside what a plain guest call and a
** plain host call cost in the same run:
**  - a switch round trip, main -> context -> main (two switches);
**  - create + destroy of a context that never ran, and of one that ran
**    and was suspended;
**  - the memory of an idle context: k contexts, each suspended d calls
**    deep, charged to the store (the saved frames and slots, the record,
**    the slot array) per context.
** Each time is the median of 7 runs of one ebb_call doing n operations.
**
** Usage: ebb_contexts [N]   (default 1,000,000 operations per run)
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "contexts.wat.h"
#include "ebb.h"
#include "rt/rt.h"

static ebb_store_t *store;
static ebb_wasi_t *wasi;
static uint64_t idle_bytes; /* store bytes while the idle contexts live */

static ebb_status_t report(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  (void)call, (void)a, (void)r;
  idle_bytes = ebb__store_bytes(store);
  return EBB_OK;
}

static ebb_func_t *report_fn;

static int resolve(void *data, const char *module, const char *name, ebb_externkind_t kind,
                   ebb_extern_t *out) {
  if (!strcmp(module, "bench") && !strcmp(name, "report")) {
    out->kind = EBB_EXTERN_FUNC;
    out->of.func = report_fn;
    return 0;
  }
  return ebb_wasi_resolve(data, module, name, kind, out);
}

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Median ns per operation of `name`(n). */
static double per_op(ebb_thread_t *t, ebb_instance_t *inst, const char *name, int32_t n) {
  ebb_extern_t e;
  if (ebb_instance_export(inst, name, &e)) {
    fprintf(stderr, "no export %s\n", name);
    exit(1);
  }
  double runs[7];
  for (int i = 0; i < 7; i++) {
    ebb_val_t arg = {.kind = EBB_I32, .of.i32 = n};
    ebb_outcome_t o;
    double t0 = now_ns();
    if (ebb_call(t, e.of.func, &arg, NULL, &o) != EBB_OK) {
      fprintf(stderr, "%s: %s\n", name, o.message);
      exit(1);
    }
    runs[i] = (now_ns() - t0) / n;
  }
  qsort(runs, 7, sizeof runs[0], cmp_double);
  return runs[3];
}

int main(int argc, char **argv) {
  int32_t n = argc > 1 ? atoi(argv[1]) : 1000000;
  store = ebb_store_new(NULL);
  ebb_wasi_options_t wo = {0};
  wasi = ebb_wasi_new(store, &wo);
  report_fn = ebb_func_new_host(store, NULL, 0, NULL, 0, report, NULL);
  ebb_module_t *mod;
  ebb_instance_t *inst;
  ebb_error_t err = {0, ""};
  if (ebb_module_new(contexts_wasm, sizeof contexts_wasm, &mod, &err) ||
      ebb_instance_new(store, mod, resolve, wasi, &inst, &err)) {
    fprintf(stderr, "%s\n", err.message);
    return 1;
  }
  ebb_thread_t *t = ebb_thread_new(store);

  double call = per_op(t, inst, "calls", n);
  double host = per_op(t, inst, "host_calls", n);
  double trip = per_op(t, inst, "pingpong", n);
  double cd = per_op(t, inst, "create_destroy", n);
  double crd = per_op(t, inst, "create_run_destroy", n / 4);
  printf("plain guest call             %7.1f ns\n", call);
  printf("plain host call              %7.1f ns\n", host);
  printf("switch round trip            %7.1f ns  (%.1f guest calls, %.1f host calls)\n", trip,
         trip / call, trip / host);
  printf("create + destroy, never ran  %7.1f ns\n", cd);
  printf("create + run + destroy       %7.1f ns\n", crd);

  ebb_extern_t e;
  ebb_instance_export(inst, "idle", &e);
  static const int32_t depths[] = {0, 10, 100};
  for (int i = 0; i < 3; i++) {
    const int32_t k = 10000;
    uint64_t before = ebb__store_bytes(store);
    ebb_val_t args[2] = {{.kind = EBB_I32, .of.i32 = k}, {.kind = EBB_I32, .of.i32 = depths[i]}};
    ebb_outcome_t o;
    if (ebb_call(t, e.of.func, args, NULL, &o) != EBB_OK) {
      fprintf(stderr, "idle: %s\n", o.message);
      return 1;
    }
    printf("idle context, %3d calls deep  %7.0f bytes\n", depths[i] + 2,
           (double)(idle_bytes - before) / k);
  }
  ebb_thread_delete(t);
  ebb_wasi_delete(wasi);
  ebb_store_delete(store);
  ebb_module_delete(mod);
  return 0;
}
