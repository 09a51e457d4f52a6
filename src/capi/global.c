/* global.c -- globals: ebb_global_new / get / set behind handles. */
#include "capi/capi.h"

wasm_global_t *wasm_global_new(wasm_store_t *s, const wasm_globaltype_t *type,
                               const wasm_val_t *val) {
  if (!s || !type || !val) return NULL;
  ebb_val_t v;
  if (ebb__capi_val_in(s, val, ebb__capi_kind_to_ebb(type->content->kind), &v)) return NULL;
  ebb_global_t *g = ebb_global_new(s->ebb, v, type->mutability == WASM_VAR);
  return g ? (wasm_global_t *)ebb__capi_handle_new(EBB__CAPI_GLOBAL, s, g) : NULL;
}

wasm_globaltype_t *wasm_global_type(const wasm_global_t *g) {
  ebb_extern_t ext = ebb__capi_extern_of(EBB__CAPI_CH(g));
  ebb_extern_desc_t d;
  if (ebb_extern_describe(&ext, &d)) return NULL;
  return wasm_externtype_as_globaltype(ebb__capi_externtype_of(&d));
}

/* A reference that cannot get a handle (out of memory) reads as null. */
void wasm_global_get(const wasm_global_t *g, wasm_val_t *out) {
  const ebb__capi_handle *h = EBB__CAPI_CH(g);
  ebb__capi_val_out(h->store, ebb_global_get(h->target), out);
}

void wasm_global_set(wasm_global_t *g, const wasm_val_t *val) {
  ebb__capi_handle *h = EBB__CAPI_H(g);
  ebb_val_t v;
  ebb_val_t now = ebb_global_get(h->target);
  if (val && !ebb__capi_val_in(h->store, val, now.kind, &v)) ebb_global_set(h->target, v);
}
