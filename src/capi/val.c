/*
** val.c -- values across the boundary: wasm_val_t (whose references are
** handles) and ebb_val_t (whose funcrefs are ebb_func_t* and externrefs the
** embedder's pointers -- here, entity boxes of the store, so that any
** reference may go into the guest and come back as what it was).
*/
#include <string.h>

#include "capi/capi.h"

void wasm_val_delete(wasm_val_t *v) {
  if (v && wasm_valkind_is_ref(v->kind) && v->of.ref) {
    wasm_ref_delete(v->of.ref);
    v->of.ref = NULL;
  }
}

void wasm_val_copy(wasm_val_t *out, const wasm_val_t *v) {
  *out = *v;
  if (wasm_valkind_is_ref(v->kind) && v->of.ref) out->of.ref = wasm_ref_copy(v->of.ref);
}

ebb_valkind_t ebb__capi_kind_to_ebb(wasm_valkind_t k) {
  switch (k) {
  case WASM_I32: return EBB_I32;
  case WASM_I64: return EBB_I64;
  case WASM_F32: return EBB_F32;
  case WASM_F64: return EBB_F64;
  case WASM_EXTERNREF: return EBB_EXTERNREF;
  case WASM_FUNCREF: return EBB_FUNCREF;
  default: return EBB_NOKIND;
  }
}

wasm_valkind_t ebb__capi_kind_from_ebb(ebb_valkind_t k) {
  switch (k) {
  case EBB_I32: return WASM_I32;
  case EBB_I64: return WASM_I64;
  case EBB_F32: return WASM_F32;
  case EBB_F64: return WASM_F64;
  case EBB_EXTERNREF: return WASM_EXTERNREF;
  case EBB_FUNCREF: return WASM_FUNCREF;
  default: return 0xff; /* v128: the C API has no kind for it */
  }
}

int ebb__capi_ref_in(wasm_store_t *s, const wasm_ref_t *r, ebb_valkind_t want, void **out) {
  const ebb__capi_handle *h = EBB__CAPI_CH(r);
  *out = NULL;
  if (!h) return 0;
  bool unbound = h->kind == EBB__CAPI_TRAP || h->kind == EBB__CAPI_MODULE;
  if (!unbound && h->store != s) return -1; /* another store's object */
  if (want == EBB_FUNCREF) {
    if (h->kind != EBB__CAPI_FUNC) return -1;
    *out = h->target;
    return 0;
  }
  if (want != EBB_EXTERNREF) return -1;
  ebb__capi_entity *e = h->kind == EBB__CAPI_FOREIGN ? h->target
                                                     : ebb__capi_entity_get(s, h->kind, h->target);
  if (!e) return -1;
  *out = e;
  return 0;
}

int ebb__capi_ref_out(wasm_store_t *s, ebb_valkind_t kind, void *p, wasm_ref_t **out) {
  *out = NULL;
  if (!p) return 0;
  ebb__capi_handle *h;
  if (kind == EBB_FUNCREF) {
    h = ebb__capi_handle_new(EBB__CAPI_FUNC, s, p);
  } else {
    const ebb__capi_entity *e = p;
    bool unbound = e->kind == EBB__CAPI_TRAP || e->kind == EBB__CAPI_MODULE;
    h = ebb__capi_handle_new(e->kind, unbound ? NULL : s, e->target);
  }
  *out = (wasm_ref_t *)h;
  return h ? 0 : -1;
}

int ebb__capi_val_in(wasm_store_t *s, const wasm_val_t *v, ebb_valkind_t want, ebb_val_t *out) {
  memset(out, 0, sizeof *out);
  if (ebb__capi_kind_to_ebb(v->kind) != want) return -1;
  out->kind = want;
  switch (want) {
  case EBB_I32: out->of.i32 = v->of.i32; return 0;
  case EBB_I64: out->of.i64 = v->of.i64; return 0;
  case EBB_F32: out->of.f32 = v->of.f32; return 0;
  case EBB_F64: out->of.f64 = v->of.f64; return 0;
  default: return ebb__capi_ref_in(s, v->of.ref, want, &out->of.ref);
  }
}

int ebb__capi_val_out(wasm_store_t *s, ebb_val_t v, wasm_val_t *out) {
  memset(out, 0, sizeof *out);
  out->kind = ebb__capi_kind_from_ebb(v.kind);
  switch (v.kind) {
  case EBB_I32: out->of.i32 = v.of.i32; return 0;
  case EBB_I64: out->of.i64 = v.of.i64; return 0;
  case EBB_F32: out->of.f32 = v.of.f32; return 0;
  case EBB_F64: out->of.f64 = v.of.f64; return 0;
  case EBB_FUNCREF:
  case EBB_EXTERNREF: return ebb__capi_ref_out(s, v.kind, v.of.ref, &out->of.ref);
  default: return -1;
  }
}

/* Host functions see their arguments as ebb's 8-byte cells: i32 in the low
** half, floats as their bits, references as pointers. */
ebb_val_t ebb__capi_cell_to_val(uint64_t cell, ebb_valkind_t kind) {
  ebb_val_t v;
  memset(&v, 0, sizeof v);
  v.kind = kind;
  switch (kind) {
  case EBB_I32: v.of.i32 = (int32_t)(uint32_t)cell; break;
  case EBB_I64: v.of.i64 = (int64_t)cell; break;
  case EBB_F32: {
    uint32_t bits = (uint32_t)cell;
    memcpy(&v.of.f32, &bits, 4);
    break;
  }
  case EBB_F64: memcpy(&v.of.f64, &cell, 8); break;
  default: v.of.ref = (void *)(uintptr_t)cell; break;
  }
  return v;
}

uint64_t ebb__capi_val_to_cell(ebb_val_t v) {
  uint64_t cell = 0;
  switch (v.kind) {
  case EBB_I32: cell = (uint32_t)v.of.i32; break;
  case EBB_I64: cell = (uint64_t)v.of.i64; break;
  case EBB_F32: {
    uint32_t bits;
    memcpy(&bits, &v.of.f32, 4);
    cell = bits;
    break;
  }
  case EBB_F64: memcpy(&cell, &v.of.f64, 8); break;
  default: cell = (uint64_t)(uintptr_t)v.of.ref; break;
  }
  return cell;
}
