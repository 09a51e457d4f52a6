/*
** fuzz_diff.c -- differential fuzzing. The input bytes drive a generator
** (diff_gen.c) that builds a valid, terminating module and a sequence of
** export calls; the calls run three ways and must agree exactly -- results,
** trap kinds, and the final memory and globals:
**   1. the reference evaluator (diff_ref.c), which interprets the tree;
**   2. ebb, straight;
**   3. ebb, interrupted at every safe point and resumed each time (a resumed
**      call must continue exactly where it stopped).
** On a mismatch the module is written to $FUZZ_DIFF_DUMP (default
** fuzz_diff_mismatch.wasm) for wasm2wat, and the target aborts.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "diff_gen.h"
#include "ebb.h"

static const uint8_t *cur_wasm;
static size_t cur_size;

static void dump_module(void) {
  const char *path = getenv("FUZZ_DIFF_DUMP");
  if (!path) path = "fuzz_diff_mismatch.wasm";
  FILE *f = fopen(path, "wb");
  if (f) {
    fwrite(cur_wasm, 1, cur_size, f);
    fclose(f);
    fprintf(stderr, "fuzz_diff: module written to %s\n", path);
  }
}

#define MISMATCH(...)                                                         \
  do {                                                                        \
    dump_module();                                                            \
    fuzz_fail(__VA_ARGS__);                                                   \
  } while (0)

static const char *mode_name(bool stepwise) {
  return stepwise ? "ebb interrupted at every safe point" : "ebb";
}

static void run_ebb(const program *p, const ebb_module_t *m, const ref_state *ref, bool stepwise) {
  ebb_limits_t lim = {.max_memory_pages = MAX_PAGES,
                      .max_table_elems = 64,
                      .max_call_depth = 64,
                      .value_stack_slots = 1u << 14,
                      .max_store_memory_pages = p->store_pages};
  ebb_store_t *store = ebb_store_new(&lim);
  ebb_instance_t *inst = NULL;
  ebb_error_t err;
  memset(&err, 0, sizeof err);
  if (!store) fuzz_fail("ebb_store_new failed");
  if (ebb_instance_new(store, m, NULL, NULL, &inst, &err))
    MISMATCH("%s: instantiation failed: %s", mode_name(stepwise), err.message);
  ebb_thread_t *t = ebb_thread_new(store);
  if (!t) fuzz_fail("ebb_thread_new failed");

  for (uint32_t i = 0; i < p->ncalls; i++) {
    const call *cl = &p->calls[i];
    const functype *ft = &p->types[p->funcs[cl->func].type];
    char name[16];
    snprintf(name, sizeof name, "f%u", cl->func);
    ebb_extern_t ex;
    if (ebb_instance_export(inst, name, &ex) || ex.kind != EBB_EXTERN_FUNC)
      fuzz_fail("export %s missing", name);
    ebb_val_t args[MAX_PARAMS + 1], res[2];
    for (int k = 0; k < ft->nparams; k++) {
      args[k].kind = ft->params[k] == T_I32 ? EBB_I32 : EBB_I64;
      if (ft->params[k] == T_I32) args[k].of.i32 = (int32_t)(uint32_t)cl->args[k];
      else args[k].of.i64 = (int64_t)cl->args[k];
    }
    ebb_outcome_t o;
    ebb_status_t st;
    if (!stepwise) {
      st = ebb_call(t, ex.of.func, args, res, &o);
    } else {
      /* Every safe point stops the call; each resume must make progress. */
      uint64_t stops = 0, max_stops = 8 * p->funcs[cl->func].cost + 1000;
      ebb_thread_interrupt(t);
      st = ebb_call(t, ex.of.func, args, res, &o);
      while (st == EBB_INTERRUPTED) {
        if (++stops > max_stops)
          MISMATCH("call %u (%s): still interrupted after %llu resumes: no progress", i, name,
                   (unsigned long long)stops);
        ebb_thread_interrupt(t);
        st = ebb_call_resume(t, res, &o);
      }
    }
    const ref_outcome *want = &ref->out[i];
    if (want->trap == EBB_TRAP_NONE) {
      if (st != EBB_OK)
        MISMATCH("call %u (%s) %s: expected a result, got status %d (%s)", i, name,
                 mode_name(stepwise), st, o.message);
      uint64_t got = ft->result == T_I32 ? (uint32_t)res[0].of.i32 : (uint64_t)res[0].of.i64;
      if (got != want->value)
        MISMATCH("call %u (%s) %s: result 0x%llx, reference 0x%llx", i, name, mode_name(stepwise),
                 (unsigned long long)got, (unsigned long long)want->value);
    } else {
      if (st != EBB_TRAP || o.trap != (ebb_trap_t)want->trap)
        MISMATCH("call %u (%s) %s: expected trap \"%s\", got status %d (%s)", i, name,
                 mode_name(stepwise), ebb_trap_message((ebb_trap_t)want->trap), st,
                 st == EBB_TRAP ? o.message : "no trap");
    }
  }

  for (uint32_t g = 0; g < p->nglobals; g++) {
    char name[16];
    snprintf(name, sizeof name, "g%u", g);
    ebb_extern_t ex;
    if (ebb_instance_export(inst, name, &ex)) fuzz_fail("export %s missing", name);
    ebb_val_t v = ebb_global_get(ex.of.global);
    uint64_t got = p->global_ty[g] == T_I32 ? (uint32_t)v.of.i32 : (uint64_t)v.of.i64;
    if (got != ref->globals[g])
      MISMATCH("%s: global %u is 0x%llx, reference 0x%llx", mode_name(stepwise), g,
               (unsigned long long)got, (unsigned long long)ref->globals[g]);
  }
  ebb_extern_t mem;
  if (ebb_instance_export(inst, "mem", &mem)) fuzz_fail("export mem missing");
  size_t size = ebb_memory_size(mem.of.memory);
  if (size != (size_t)ref->mem_pages * 65536)
    MISMATCH("%s: memory has %zu bytes, reference %u pages", mode_name(stepwise), size,
             ref->mem_pages);
  const uint8_t *bytes = ebb_memory_data(mem.of.memory);
  if (memcmp(bytes, ref->mem, size)) {
    size_t at = 0;
    while (bytes[at] == ref->mem[at]) at++;
    MISMATCH("%s: memory differs at 0x%zx (0x%02x, reference 0x%02x)", mode_name(stepwise), at,
             bytes[at], ref->mem[at]);
  }
  ebb_thread_delete(t);
  ebb_store_delete(store);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  program p;
  program_generate(&p, data, size);
  uint8_t *wasm;
  size_t n;
  program_encode(&p, &wasm, &n);
  cur_wasm = wasm;
  cur_size = n;

  ebb_module_t *m = NULL;
  ebb_error_t err;
  memset(&err, 0, sizeof err);
  if (ebb_module_new(wasm, n, &m, &err)) MISMATCH("generated module rejected: %s", err.message);

  ref_state ref;
  ref_run(&p, &ref);
  run_ebb(&p, m, &ref, false);
  run_ebb(&p, m, &ref, true);

  ref_free(&ref);
  ebb_module_delete(m);
  free(wasm);
  program_free(&p);
  return 0;
}
