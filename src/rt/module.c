/*
** module.c -- ebb_module_new: decode, validate, and get the code ready
** (rt/module_code.c). The description is immutable and can be instantiated
** any number of times; code is added to it as functions are first called.
*/
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/report.h"
#include "rt/rt.h"
#include "valid/valid.h"

static void module_free(ebb_module_t *mod) {
  if (mod->desc) ebb__module_code_free(mod);
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

/* Decode (a copy of bytes, or the owned bytes themselves), validate, and
** get the code ready (compiled now, or stubs). */
static int build(const uint8_t *bytes, uint8_t *owned, size_t size,
                 const ebb_module_options_t *opts, ebb_module_t **out, ebb_error_t *err) {
  ebb_error_t inner;
  ebb__report_clear(&inner);
  ebb_module_t *mod = ebb__calloc(1, sizeof *mod);
  if (!mod) {
    if (owned) ebb__module_bytes_free(owned, size);
    return ebb__report(err, EBB_ENOMEM, "out of memory");
  }
  atomic_init(&mod->refs, 1);
  mod->metered = opts && opts->fuel;
  int rc = owned ? ebb__decode_owned(owned, size, &mod->desc, &inner)
                 : ebb__decode(bytes, size, &mod->desc, &inner);
  if (rc == 0) rc = ebb__validate(mod->desc, &inner);
  if (rc) {
    if (!inner.code) ebb__report(&inner, rc, "%s", ebb_strerror(rc));
    prefixed(err, rc, &inner);
    module_free(mod);
    return rc;
  }
  uint32_t failed;
  rc = ebb__module_code_init(mod, opts && opts->eager, &failed);
  if (rc) {
    if (failed == UINT32_MAX) ebb__report(err, rc, "out of memory");
    else
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
static int load(const uint8_t *bytes, uint8_t *owned, size_t size,
                const ebb_module_options_t *opts, ebb_module_t **out, ebb_error_t *err) {
  *out = NULL;
  uint64_t max = opts && opts->max_bytes ? opts->max_bytes : UINT64_MAX;
  ebb__alloc_budget budget = {max < SIZE_MAX ? (size_t)max : SIZE_MAX, 0, 0};
  ebb__alloc_budget *outer = ebb__alloc_budget_swap(&budget);
  ebb_error_t inner;
  ebb__report_clear(&inner);
  int rc;
  if (owned && ebb__alloc_adopt(owned, size, ebb__module_bytes_huge(size))) {
    ebb__module_bytes_free(owned, size);
    rc = EBB_ENOMEM;
  } else {
    rc = build(bytes, owned, size, opts, out, &inner);
  }
  ebb__alloc_budget_swap(outer);
  if (rc && budget.exceeded)
    return ebb__report(err, EBB_ELIMIT,
                       "module needs more than %llu bytes of host memory to load "
                       "(ebb_module_options_t.max_bytes)",
                       (unsigned long long)max);
  if (rc) return ebb__report(err, rc, "%s", inner.message);
  /* From now on the module's own budget: functions compiled on their first
  ** call are charged to it, against the same max_bytes. */
  (*out)->budget.limit = budget.limit;
  atomic_init(&(*out)->budget.used, atomic_load(&budget.used));
  atomic_init(&(*out)->budget.exceeded, 0);
  return 0;
}

int ebb_module_new_ex(const uint8_t *bytes, size_t size, const ebb_module_options_t *opts,
                      ebb_module_t **out, ebb_error_t *err) {
  *out = NULL;
  if (!bytes && size) return ebb__report(err, EBB_EARG, "no module bytes");
  return load(bytes, NULL, size, opts, out, err);
}

uint8_t *ebb_module_bytes_alloc(size_t size) { return ebb__module_bytes_alloc(size); }

void ebb_module_bytes_free(uint8_t *bytes, size_t size) {
  if (bytes) ebb__module_bytes_free(bytes, size);
}

int ebb_module_new_owned(uint8_t *bytes, size_t size, const ebb_module_options_t *opts,
                         ebb_module_t **out, ebb_error_t *err) {
  *out = NULL;
  if (!bytes) return ebb__report(err, EBB_EARG, "no module bytes");
  return load(NULL, bytes, size, opts, out, err);
}

uint64_t ebb_module_host_bytes(const ebb_module_t *m) {
  return m ? atomic_load(&((ebb_module_t *)m)->budget.used) : 0;
}

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
