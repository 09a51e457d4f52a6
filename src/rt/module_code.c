/*
** module_code.c -- a module's compiled code. By default each function's
** body is compiled on its first call: a 30 MB module whose program touches a
** few thousand of its 50,000 functions loads in the time it takes to decode
** and validate, and holds code only for what ran. Until then an instance's
** function points at a stub (compile/code.h: the one-cell body LAZY), which
** compiles the body, publishes it for every instance and thread, and enters
** it. With ebb_module_options_t.eager every body is compiled while the
** module is built, on several threads for a large module.
*/
#include <pthread.h>
#include <stdatomic.h>

#include "base/parallel.h"
#include "rt/rt.h"

/* ---- Eager: every function, on several cores for a large module ---------- */

/* Functions are compiled independently (each reads only the validated
** module), so a large module's are spread over the cores (base/parallel.h). */
static int compile_one(void *ctx, unsigned worker, uint32_t i) {
  ebb_module_t *mod = ctx;
  (void)worker;
  return ebb__compile_func(mod->desc, i, mod->metered, &mod->code[i]);
}

static int compile_all(ebb_module_t *mod, uint32_t ndefs, uint32_t *failed) {
  size_t bytes = 0;
  for (uint32_t i = 0; i < ndefs; i++)
    bytes += mod->desc->funcdefs[i].code_end - mod->desc->funcdefs[i].code_start;
  unsigned worker;
  return ebb__par_run(ndefs, ebb__par_workers(bytes), compile_one, mod, failed, &worker);
}

/* ---- Building and freeing ------------------------------------------------ */

static uint32_t ndefs_of(const ebb_module_t *mod) {
  return mod->desc->nfuncs - mod->desc->nimported_funcs;
}

int ebb__module_code_init(ebb_module_t *mod, bool eager, uint32_t *failed) {
  uint32_t ndefs = ndefs_of(mod);
  *failed = UINT32_MAX; /* no function: the arrays */
  pthread_mutex_init(&mod->compile_lock, NULL);
  mod->code = ebb__calloc(ndefs ? ndefs : 1, sizeof *mod->code);
  mod->compiled = ebb__calloc(ndefs ? ndefs : 1, sizeof *mod->compiled);
  if (!mod->code || !mod->compiled) return EBB_ENOMEM;
  if (eager) {
    int rc = compile_all(mod, ndefs, failed);
    if (rc) return rc;
    for (uint32_t i = 0; i < ndefs; i++) atomic_init(&mod->compiled[i], 1);
    return 0;
  }
  mod->stubs = ebb__calloc(ndefs ? ndefs : 1, sizeof *mod->stubs);
  if (!mod->stubs) return EBB_ENOMEM;
  for (uint32_t i = 0; i < ndefs; i++) ebb__code_stub(mod->desc, i, &mod->stubs[i]);
  return 0;
}

void ebb__module_code_free(ebb_module_t *mod) {
  if (mod->code) {
    for (uint32_t i = 0; i < ndefs_of(mod); i++) ebb__code_func_free(&mod->code[i]);
    pthread_mutex_destroy(&mod->compile_lock);
  }
  ebb__free(mod->code);
  ebb__free(mod->stubs);
  ebb__free((void *)mod->compiled);
}

/* ---- On first call ------------------------------------------------------- */

const ebb__code_func *ebb__module_entry_code(ebb_module_t *mod, uint32_t defidx) {
  if (atomic_load_explicit(&mod->compiled[defidx], memory_order_acquire))
    return &mod->code[defidx];
  return &mod->stubs[defidx];
}

const ebb__code_func *ebb__func_compile(ebb_func_t *f) {
  ebb_module_t *mod = f->inst->module;
  uint32_t def = f->index - mod->desc->nimported_funcs;
  const ebb__code_func *cf = &mod->code[def];
  if (!atomic_load_explicit(&mod->compiled[def], memory_order_acquire)) {
    pthread_mutex_lock(&mod->compile_lock);
    if (!atomic_load_explicit(&mod->compiled[def], memory_order_relaxed)) {
      /* The module's budget, whichever thread compiles: what its code
      ** holds is the module's (ebb_module_host_bytes), bounded by max_bytes. */
      ebb__alloc_budget *outer = ebb__alloc_budget_swap(&mod->budget);
      int rc = ebb__compile_func(mod->desc, def, mod->metered, &mod->code[def]);
      ebb__alloc_budget_swap(outer);
      if (rc) cf = NULL;
      else atomic_store_explicit(&mod->compiled[def], 1, memory_order_release);
    }
    pthread_mutex_unlock(&mod->compile_lock);
    if (!cf) return NULL;
  }
  atomic_store_explicit(&f->code, cf, memory_order_release);
  return cf;
}
