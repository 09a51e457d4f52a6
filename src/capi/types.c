/*
** types.c -- value, function, global, table, memory and extern types: plain
** heap values, deep-copied by *_copy. The four extern types start with a
** wasm_externtype_t, so viewing one as another is a cast after a kind check.
*/
#include <stdlib.h>
#include <string.h>

#include "capi/capi.h"

/* ---- Value types ---------------------------------------------------------- */

wasm_valtype_t *wasm_valtype_new(wasm_valkind_t kind) {
  wasm_valtype_t *t = malloc(sizeof *t);
  if (t) t->kind = kind;
  return t;
}

void wasm_valtype_delete(wasm_valtype_t *t) { free(t); }

wasm_valtype_t *wasm_valtype_copy(const wasm_valtype_t *t) {
  return t ? wasm_valtype_new(t->kind) : NULL;
}

wasm_valkind_t wasm_valtype_kind(const wasm_valtype_t *t) { return t->kind; }

/* ---- Function types ------------------------------------------------------- */

wasm_functype_t *wasm_functype_new(wasm_valtype_vec_t *params, wasm_valtype_vec_t *results) {
  wasm_functype_t *t = malloc(sizeof *t);
  if (!t) {
    wasm_valtype_vec_delete(params);
    wasm_valtype_vec_delete(results);
    return NULL;
  }
  t->ext.kind = WASM_EXTERN_FUNC;
  t->params = *params;
  t->results = *results;
  return t;
}

void wasm_functype_delete(wasm_functype_t *t) {
  if (!t) return;
  wasm_valtype_vec_delete(&t->params);
  wasm_valtype_vec_delete(&t->results);
  free(t);
}

wasm_functype_t *wasm_functype_copy(const wasm_functype_t *t) {
  if (!t) return NULL;
  wasm_valtype_vec_t p, r;
  wasm_valtype_vec_copy(&p, &t->params);
  wasm_valtype_vec_copy(&r, &t->results);
  return wasm_functype_new(&p, &r);
}

const wasm_valtype_vec_t *wasm_functype_params(const wasm_functype_t *t) { return &t->params; }
const wasm_valtype_vec_t *wasm_functype_results(const wasm_functype_t *t) { return &t->results; }

/* From ebb's kinds (params then results); NULL for v128 or out of memory. */
wasm_functype_t *ebb__capi_functype_of(uint32_t np, uint32_t nr, const uint8_t *types) {
  wasm_valtype_vec_t p, r;
  wasm_valtype_vec_new_uninitialized(&p, np);
  wasm_valtype_vec_new_uninitialized(&r, nr);
  bool ok = p.size == np && r.size == nr;
  for (uint32_t i = 0; ok && i < np + nr; i++) {
    wasm_valkind_t k = ebb__capi_kind_from_ebb((ebb_valkind_t)types[i]);
    wasm_valtype_t *vt = k != 0xff ? wasm_valtype_new(k) : NULL;
    if (i < np) p.data[i] = vt;
    else r.data[i - np] = vt;
    ok = vt != NULL;
  }
  if (!ok) {
    wasm_valtype_vec_delete(&p);
    wasm_valtype_vec_delete(&r);
    return NULL;
  }
  return wasm_functype_new(&p, &r);
}

/* ---- Global, table and memory types -------------------------------------- */

wasm_globaltype_t *wasm_globaltype_new(wasm_valtype_t *content, wasm_mutability_t mutability) {
  wasm_globaltype_t *t = content ? malloc(sizeof *t) : NULL;
  if (!t) {
    wasm_valtype_delete(content);
    return NULL;
  }
  t->ext.kind = WASM_EXTERN_GLOBAL;
  t->content = content;
  t->mutability = mutability;
  return t;
}

void wasm_globaltype_delete(wasm_globaltype_t *t) {
  if (!t) return;
  wasm_valtype_delete(t->content);
  free(t);
}

wasm_globaltype_t *wasm_globaltype_copy(const wasm_globaltype_t *t) {
  return t ? wasm_globaltype_new(wasm_valtype_copy(t->content), t->mutability) : NULL;
}

const wasm_valtype_t *wasm_globaltype_content(const wasm_globaltype_t *t) { return t->content; }
wasm_mutability_t wasm_globaltype_mutability(const wasm_globaltype_t *t) { return t->mutability; }

wasm_tabletype_t *wasm_tabletype_new(wasm_valtype_t *element, const wasm_limits_t *limits) {
  wasm_tabletype_t *t = element && limits ? malloc(sizeof *t) : NULL;
  if (!t) {
    wasm_valtype_delete(element);
    return NULL;
  }
  t->ext.kind = WASM_EXTERN_TABLE;
  t->element = element;
  t->limits = *limits;
  return t;
}

void wasm_tabletype_delete(wasm_tabletype_t *t) {
  if (!t) return;
  wasm_valtype_delete(t->element);
  free(t);
}

wasm_tabletype_t *wasm_tabletype_copy(const wasm_tabletype_t *t) {
  return t ? wasm_tabletype_new(wasm_valtype_copy(t->element), &t->limits) : NULL;
}

const wasm_valtype_t *wasm_tabletype_element(const wasm_tabletype_t *t) { return t->element; }
const wasm_limits_t *wasm_tabletype_limits(const wasm_tabletype_t *t) { return &t->limits; }

wasm_memorytype_t *wasm_memorytype_new(const wasm_limits_t *limits) {
  wasm_memorytype_t *t = limits ? malloc(sizeof *t) : NULL;
  if (!t) return NULL;
  t->ext.kind = WASM_EXTERN_MEMORY;
  t->limits = *limits;
  return t;
}

void wasm_memorytype_delete(wasm_memorytype_t *t) { free(t); }

wasm_memorytype_t *wasm_memorytype_copy(const wasm_memorytype_t *t) {
  return t ? wasm_memorytype_new(&t->limits) : NULL;
}

const wasm_limits_t *wasm_memorytype_limits(const wasm_memorytype_t *t) { return &t->limits; }

/* ---- Extern types --------------------------------------------------------- */

wasm_externkind_t wasm_externtype_kind(const wasm_externtype_t *t) { return t->kind; }

void wasm_externtype_delete(wasm_externtype_t *t) {
  if (!t) return;
  switch (t->kind) {
  case WASM_EXTERN_FUNC: wasm_functype_delete((wasm_functype_t *)t); break;
  case WASM_EXTERN_GLOBAL: wasm_globaltype_delete((wasm_globaltype_t *)t); break;
  case WASM_EXTERN_TABLE: wasm_tabletype_delete((wasm_tabletype_t *)t); break;
  default: wasm_memorytype_delete((wasm_memorytype_t *)t); break;
  }
}

wasm_externtype_t *wasm_externtype_copy(const wasm_externtype_t *t) {
  if (!t) return NULL;
  switch (t->kind) {
  case WASM_EXTERN_FUNC:
    return (wasm_externtype_t *)wasm_functype_copy((const wasm_functype_t *)t);
  case WASM_EXTERN_GLOBAL:
    return (wasm_externtype_t *)wasm_globaltype_copy((const wasm_globaltype_t *)t);
  case WASM_EXTERN_TABLE:
    return (wasm_externtype_t *)wasm_tabletype_copy((const wasm_tabletype_t *)t);
  default: return (wasm_externtype_t *)wasm_memorytype_copy((const wasm_memorytype_t *)t);
  }
}

/* The views: up is always possible, down only to the type's own kind. */
#define EBB__CAPI_EXTERNTYPE_VIEWS(NAME, KIND)                                   \
  wasm_externtype_t *wasm_##NAME##_as_externtype(wasm_##NAME##_t *t) {           \
    return t ? &t->ext : NULL;                                                   \
  }                                                                              \
  const wasm_externtype_t *wasm_##NAME##_as_externtype_const(const wasm_##NAME##_t *t) { \
    return t ? &t->ext : NULL;                                                   \
  }                                                                              \
  wasm_##NAME##_t *wasm_externtype_as_##NAME(wasm_externtype_t *t) {             \
    return t && t->kind == KIND ? (wasm_##NAME##_t *)t : NULL;                   \
  }                                                                              \
  const wasm_##NAME##_t *wasm_externtype_as_##NAME##_const(const wasm_externtype_t *t) { \
    return t && t->kind == KIND ? (const wasm_##NAME##_t *)t : NULL;             \
  }

EBB__CAPI_EXTERNTYPE_VIEWS(functype, WASM_EXTERN_FUNC)
EBB__CAPI_EXTERNTYPE_VIEWS(globaltype, WASM_EXTERN_GLOBAL)
EBB__CAPI_EXTERNTYPE_VIEWS(tabletype, WASM_EXTERN_TABLE)
EBB__CAPI_EXTERNTYPE_VIEWS(memorytype, WASM_EXTERN_MEMORY)

/* A limit as the C API counts: 32 bits, no maximum as all ones. */
static wasm_limits_t limits_of(const ebb_extern_desc_t *d) {
  wasm_limits_t l;
  l.min = d->min > UINT32_MAX ? UINT32_MAX : (uint32_t)d->min;
  l.max = !d->has_max || d->max > UINT32_MAX ? wasm_limits_max_default : (uint32_t)d->max;
  return l;
}

wasm_externtype_t *ebb__capi_externtype_of(const ebb_extern_desc_t *d) {
  wasm_limits_t l = limits_of(d);
  switch (d->kind) {
  case EBB_EXTERN_FUNC:
    return (wasm_externtype_t *)ebb__capi_functype_of(d->nparams, d->nresults, d->types);
  case EBB_EXTERN_GLOBAL: {
    wasm_valkind_t k = ebb__capi_kind_from_ebb(d->valkind);
    if (k == 0xff) return NULL;
    return (wasm_externtype_t *)wasm_globaltype_new(wasm_valtype_new(k),
                                                    d->mutable_ ? WASM_VAR : WASM_CONST);
  }
  case EBB_EXTERN_TABLE: {
    wasm_valkind_t k = ebb__capi_kind_from_ebb(d->valkind);
    if (k == 0xff) return NULL;
    return (wasm_externtype_t *)wasm_tabletype_new(wasm_valtype_new(k), &l);
  }
  case EBB_EXTERN_MEMORY: return (wasm_externtype_t *)wasm_memorytype_new(&l);
  }
  return NULL;
}
