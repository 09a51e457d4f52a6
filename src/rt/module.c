/*
** module.c -- ebb_module_new: decode, validate, compile. The result is
** immutable and can be instantiated any number of times.
*/
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/report.h"
#include "rt/rt.h"
#include "valid/valid.h"

static void module_free(ebb_module_t *mod) {
  if (mod->code) {
    uint32_t ndefs = mod->desc->nfuncs - mod->desc->nimported_funcs;
    for (uint32_t i = 0; i < ndefs; i++) ebb__code_func_free(&mod->code[i]);
    ebb__free(mod->code);
  }
  ebb__module_free(mod->desc);
  ebb__free(mod);
}

/* Give the message its public prefix: "malformed module: ..." or
** "invalid module: ...". */
static int prefixed(ebb_error_t *err, int rc, const ebb_error_t *inner) {
  const char *what = rc == EBB_EMALFORMED ? "malformed module" :
                     rc == EBB_EINVALID ? "invalid module" : ebb_strerror(rc);
  return ebb__report(err, rc, "%s: %s", what, inner->message);
}

int ebb_module_new(const uint8_t *bytes, size_t size, ebb_module_t **out, ebb_error_t *err) {
  return ebb_module_new_ex(bytes, size, NULL, out, err);
}

/* ---- Compiling every function, on several cores for a large module ---- */

/* Functions are compiled independently (each reads only the validated
** module), so a large module is compiled by up to this many threads, the
** caller's included, taking batches of functions from a shared counter.
** Below ebb__parallel_compile_bytes of code (tests lower it) a thread is not
** worth starting. The error reported is always the lowest function's, as
** when compiling in order. */
#define MAX_COMPILERS 8
#define BATCH 64
size_t ebb__parallel_compile_bytes = (size_t)1 << 20;

typedef struct compile_job {
  ebb_module_t *mod;
  uint32_t ndefs;
  atomic_uint next;          /* the next batch's first function */
  ebb__alloc_budget *budget; /* the module's, shared by every thread */
  pthread_mutex_t lock;      /* guards the failure record */
  atomic_uint failed_at;     /* the lowest function that failed, or ndefs */
  int rc;                    /* its error */
} compile_job;

static void compile_batches(compile_job *j) {
  for (;;) {
    uint32_t first = atomic_fetch_add(&j->next, BATCH);
    if (first >= j->ndefs) return;
    uint32_t end = j->ndefs - first < BATCH ? j->ndefs : first + BATCH;
    for (uint32_t i = first; i < end; i++) {
      if (i > atomic_load(&j->failed_at)) return; /* a lower one failed: its error wins */
      int rc = ebb__compile_func(j->mod->desc, i, j->mod->metered, &j->mod->code[i]);
      if (rc == 0) continue;
      pthread_mutex_lock(&j->lock);
      if (i < atomic_load(&j->failed_at)) {
        atomic_store(&j->failed_at, i);
        j->rc = rc;
      }
      pthread_mutex_unlock(&j->lock);
      return;
    }
  }
}

static void *compiler_thread(void *p) {
  compile_job *j = p;
  ebb__alloc_budget_swap(j->budget);
  compile_batches(j);
  ebb__alloc_budget_swap(NULL);
  return NULL;
}

/* Compile every defined function: 0, or the error of the lowest function
** that failed (EBB_ENOMEM, EBB_ELIMIT...), *failed naming it. */
static int compile_all(ebb_module_t *mod, uint32_t ndefs, uint32_t *failed) {
  compile_job j = {.mod = mod, .ndefs = ndefs, .budget = ebb__alloc_budget_current()};
  atomic_init(&j.next, 0);
  atomic_init(&j.failed_at, ndefs);
  pthread_mutex_init(&j.lock, NULL);
  size_t bytes = 0;
  for (uint32_t i = 0; i < ndefs; i++)
    bytes += mod->desc->funcdefs[i].code_end - mod->desc->funcdefs[i].code_start;
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  int helpers = bytes < ebb__parallel_compile_bytes || cpus < 2 ? 0
                : cpus > MAX_COMPILERS ? MAX_COMPILERS - 1 : (int)cpus - 1;
  pthread_t th[MAX_COMPILERS];
  int started = 0;
  while (started < helpers && pthread_create(&th[started], NULL, compiler_thread, &j) == 0)
    started++;
  compile_batches(&j); /* this thread too; alone if none could start */
  for (int k = 0; k < started; k++) pthread_join(th[k], NULL);
  pthread_mutex_destroy(&j.lock);
  *failed = atomic_load(&j.failed_at);
  return *failed == ndefs ? 0 : j.rc;
}

/* Decode, validate and compile into a new module. */
static int build(const uint8_t *bytes, size_t size, const ebb_module_options_t *opts,
                 ebb_module_t **out, ebb_error_t *err) {
  ebb_error_t inner;
  ebb__report_clear(&inner);
  ebb_module_t *mod = ebb__calloc(1, sizeof *mod);
  if (!mod) return ebb__report(err, EBB_ENOMEM, "out of memory");
  atomic_init(&mod->refs, 1);
  mod->metered = opts && opts->fuel;
  int rc = ebb__decode(bytes, size, &mod->desc, &inner);
  if (rc == 0) rc = ebb__validate(mod->desc, &inner);
  if (rc) {
    if (!inner.code) ebb__report(&inner, rc, "%s", ebb_strerror(rc));
    prefixed(err, rc, &inner);
    module_free(mod);
    return rc;
  }
  uint32_t ndefs = mod->desc->nfuncs - mod->desc->nimported_funcs;
  mod->code = ebb__calloc(ndefs ? ndefs : 1, sizeof *mod->code);
  if (!mod->code) {
    module_free(mod);
    return ebb__report(err, EBB_ENOMEM, "out of memory");
  }
  uint32_t failed;
  rc = compile_all(mod, ndefs, &failed);
  if (rc) {
    ebb__report(err, rc, "cannot compile func %u: %s", mod->desc->nimported_funcs + failed,
                ebb_strerror(rc));
    module_free(mod);
    return rc;
  }
  *out = mod;
  return 0;
}

/* Everything the module allocates, from its first byte to its compiled code,
** is counted against max_bytes (base/alloc.h): the host memory a module costs
** is bounded however its declarations multiply, and the count that remains
** is what the module holds (ebb_module_host_bytes). */
int ebb_module_new_ex(const uint8_t *bytes, size_t size, const ebb_module_options_t *opts,
                      ebb_module_t **out, ebb_error_t *err) {
  *out = NULL;
  if (!bytes && size) return ebb__report(err, EBB_EARG, "no module bytes");
  uint64_t max = opts && opts->max_bytes ? opts->max_bytes : UINT64_MAX;
  ebb__alloc_budget budget = {max < SIZE_MAX ? (size_t)max : SIZE_MAX, 0, 0};
  ebb__alloc_budget *outer = ebb__alloc_budget_swap(&budget);
  ebb_error_t inner;
  ebb__report_clear(&inner);
  int rc = build(bytes, size, opts, out, &inner);
  ebb__alloc_budget_swap(outer);
  if (rc && budget.exceeded)
    return ebb__report(err, EBB_ELIMIT,
                       "module needs more than %llu bytes of host memory to load "
                       "(ebb_module_options_t.max_bytes)",
                       (unsigned long long)max);
  if (rc) return ebb__report(err, rc, "%s", inner.message);
  (*out)->host_bytes = budget.used;
  return 0;
}

uint64_t ebb_module_host_bytes(const ebb_module_t *m) { return m ? m->host_bytes : 0; }

void ebb__module_retain(ebb_module_t *m) { atomic_fetch_add(&m->refs, 1); }

void ebb__module_release(ebb_module_t *m) {
  if (m && atomic_fetch_sub(&m->refs, 1) == 1) module_free(m);
}

void ebb_module_delete(ebb_module_t *m) { ebb__module_release(m); }

uint32_t ebb_module_import_count(const ebb_module_t *m) { return m->desc->nimports; }

int ebb_module_import_at(const ebb_module_t *m, uint32_t i, ebb_import_info_t *out) {
  if (i >= m->desc->nimports) return EBB_ENOTFOUND;
  const ebb__import *im = &m->desc->imports[i];
  memset(out, 0, sizeof *out);
  out->module = im->module;
  out->name = im->name;
  out->kind = im->kind;
  if (im->kind == EBB_EXTERN_MEMORY) {
    const ebb__limits *l = &im->as.mem.limits;
    out->mem_min = (uint32_t)l->min;
    out->mem_max = (uint32_t)l->max;
    out->mem_has_max = l->has_max;
    out->mem_shared = l->shared;
  }
  return 0;
}
