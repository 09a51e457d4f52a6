/* table.c -- tables of references: ebb_table_* behind handles. */
#include "capi/capi.h"

static ebb_valkind_t elem_kind(const ebb__capi_handle *h) {
  ebb_extern_t ext = ebb__capi_extern_of(h);
  ebb_extern_desc_t d;
  return ebb_extern_describe(&ext, &d) ? EBB_NOKIND : d.valkind;
}

wasm_table_t *wasm_table_new(wasm_store_t *s, const wasm_tabletype_t *type, wasm_ref_t *init) {
  if (!s || !type) return NULL;
  ebb_val_t v = {.kind = ebb__capi_kind_to_ebb(type->element->kind)};
  if (v.kind != EBB_FUNCREF && v.kind != EBB_EXTERNREF) return NULL;
  if (ebb__capi_ref_in(s, init, v.kind, &v.of.ref)) return NULL;
  const wasm_limits_t *l = &type->limits;
  bool has_max = l->max != wasm_limits_max_default;
  ebb_table_t *t = ebb_table_new(s->ebb, v.kind, l->min, has_max ? l->max : 0, has_max);
  if (!t) return NULL;
  for (uint32_t i = 0; v.of.ref && i < l->min; i++) ebb_table_set(t, i, v);
  return (wasm_table_t *)ebb__capi_handle_new(EBB__CAPI_TABLE, s, t);
}

wasm_tabletype_t *wasm_table_type(const wasm_table_t *t) {
  ebb_extern_t ext = ebb__capi_extern_of(EBB__CAPI_CH(t));
  ebb_extern_desc_t d;
  if (ebb_extern_describe(&ext, &d)) return NULL;
  return wasm_externtype_as_tabletype(ebb__capi_externtype_of(&d));
}

wasm_ref_t *wasm_table_get(const wasm_table_t *t, wasm_table_size_t index) {
  const ebb__capi_handle *h = EBB__CAPI_CH(t);
  ebb_val_t v;
  wasm_ref_t *r = NULL;
  if (ebb_table_get(h->target, index, &v) == 0) ebb__capi_ref_out(h->store, v.kind, v.of.ref, &r);
  return r;
}

bool wasm_table_set(wasm_table_t *t, wasm_table_size_t index, wasm_ref_t *ref) {
  ebb__capi_handle *h = EBB__CAPI_H(t);
  ebb_val_t v = {.kind = elem_kind(h)};
  if (ebb__capi_ref_in(h->store, ref, v.kind, &v.of.ref)) return false;
  return ebb_table_set(h->target, index, v) == 0;
}

wasm_table_size_t wasm_table_size(const wasm_table_t *t) {
  return ebb_table_size(EBB__CAPI_CH(t)->target);
}

bool wasm_table_grow(wasm_table_t *t, wasm_table_size_t delta, wasm_ref_t *init) {
  ebb__capi_handle *h = EBB__CAPI_H(t);
  ebb_val_t v = {.kind = elem_kind(h)};
  if (ebb__capi_ref_in(h->store, init, v.kind, &v.of.ref)) return false;
  return ebb_table_grow(h->target, delta, v) >= 0;
}
