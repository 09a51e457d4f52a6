/*
** extern.c -- externs: a function, global, table or memory handle seen as
** wasm_extern_t (the same handle), its kind and type. ebb numbers the four
** kinds differently from wasm.h; handles use wasm.h's numbers.
*/
#include "capi/capi.h"

ebb_extern_t ebb__capi_extern_of(const ebb__capi_handle *h) {
  ebb_extern_t ext;
  switch (h->kind) {
  case EBB__CAPI_FUNC: ext.kind = EBB_EXTERN_FUNC; ext.of.func = h->target; break;
  case EBB__CAPI_GLOBAL: ext.kind = EBB_EXTERN_GLOBAL; ext.of.global = h->target; break;
  case EBB__CAPI_TABLE: ext.kind = EBB_EXTERN_TABLE; ext.of.table = h->target; break;
  default: ext.kind = EBB_EXTERN_MEMORY; ext.of.memory = h->target; break;
  }
  return ext;
}

wasm_externkind_t wasm_extern_kind(const wasm_extern_t *e) { return EBB__CAPI_CH(e)->kind; }

wasm_externtype_t *wasm_extern_type(const wasm_extern_t *e) {
  ebb_extern_t ext = ebb__capi_extern_of(EBB__CAPI_CH(e));
  ebb_extern_desc_t d;
  return ebb_extern_describe(&ext, &d) ? NULL : ebb__capi_externtype_of(&d);
}

#define EBB__CAPI_EXTERN_VIEWS(NAME, KIND)                                       \
  wasm_extern_t *wasm_##NAME##_as_extern(wasm_##NAME##_t *x) { return (wasm_extern_t *)x; } \
  const wasm_extern_t *wasm_##NAME##_as_extern_const(const wasm_##NAME##_t *x) { \
    return (const wasm_extern_t *)x;                                             \
  }                                                                              \
  wasm_##NAME##_t *wasm_extern_as_##NAME(wasm_extern_t *e) {                     \
    return e && EBB__CAPI_CH(e)->kind == KIND ? (wasm_##NAME##_t *)e : NULL;     \
  }                                                                              \
  const wasm_##NAME##_t *wasm_extern_as_##NAME##_const(const wasm_extern_t *e) { \
    return e && EBB__CAPI_CH(e)->kind == KIND ? (const wasm_##NAME##_t *)e : NULL; \
  }

EBB__CAPI_EXTERN_VIEWS(func, EBB__CAPI_FUNC)
EBB__CAPI_EXTERN_VIEWS(global, EBB__CAPI_GLOBAL)
EBB__CAPI_EXTERN_VIEWS(table, EBB__CAPI_TABLE)
EBB__CAPI_EXTERN_VIEWS(memory, EBB__CAPI_MEMORY)
