/* global.c -- globals created by the embedder. */
#include <string.h>

#include "base/alloc.h"
#include "rt/rt.h"


/* A global is charged to its store as its descriptor (instance.c does the
** same for the globals an instance defines). */
static ebb_global_t *global_create(ebb_store_t *s) {
  if (ebb__store_charge(s, sizeof(ebb_global_t))) return NULL;
  ebb_global_t *g = ebb__calloc(1, sizeof *g);
  if (!g) ebb__store_refund(s, sizeof(ebb_global_t));
  return g;
}

void ebb__global_free(ebb_store_t *s, ebb_global_t *g) {
  if (!g) return;
  ebb__store_refund(s, sizeof(ebb_global_t));
  ebb__free(g);
}

ebb_global_t *ebb_global_new(ebb_store_t *s, ebb_val_t value, bool mutable_) {
  if (!s || !ebb__valkind_runs((uint8_t)value.kind)) return NULL;
  if (value.kind == EBB_FUNCREF && value.of.func && value.of.func->store != s) return NULL;
  ebb_global_t *g = global_create(s);
  if (!g) return NULL;
  g->store = s;
  g->type = (ebb__valtype)value.kind;
  g->mutable_ = mutable_;
  ebb__val_to_slots(value, &g->value, &g->value_hi);
  ebb__store_lock(s);
  int rc = ebb__vec_push(&s->globals, g);
  ebb__store_unlock(s);
  if (rc) {
    ebb__global_free(s, g);
    return NULL;
  }
  return g;
}

ebb_val_t ebb_global_get(const ebb_global_t *g) {
  uint64_t s[2] = {g->value, g->value_hi};
  return ebb__slots_to_val(s, g->type);
}

int ebb_global_set(ebb_global_t *g, ebb_val_t v) {
  if (!g || !g->mutable_ || (uint8_t)v.kind != g->type) return EBB_EARG;
  if (v.kind == EBB_FUNCREF && v.of.func && v.of.func->store != g->store) return EBB_EARG;
  ebb__val_to_slots(v, &g->value, &g->value_hi);
  return 0;
}

/* Values cross the API as ebb_val_t and live in slots as bits; a v128 in
** two (low half first), each other value in one. */
uint32_t ebb__val_to_slots(ebb_val_t v, uint64_t *slot, uint64_t *slot_hi) {
  uint64_t s = 0;
  switch (v.kind) {
  case EBB_V128:
    memcpy(slot, v.of.v128, 8);
    memcpy(slot_hi, v.of.v128 + 8, 8);
    return 2;
  case EBB_I32: s = (uint32_t)v.of.i32; break;
  case EBB_I64: s = (uint64_t)v.of.i64; break;
  case EBB_F32: {
    uint32_t b;
    memcpy(&b, &v.of.f32, 4);
    s = b;
    break;
  }
  case EBB_F64: memcpy(&s, &v.of.f64, 8); break;
  case EBB_FUNCREF:
  case EBB_EXTERNREF: s = (uint64_t)(uintptr_t)v.of.ref; break;
  default: break;
  }
  *slot = s;
  return 1;
}

ebb_val_t ebb__slots_to_val(const uint64_t *slots, ebb__valtype type) {
  uint64_t s = slots[0];
  ebb_val_t v;
  memset(&v, 0, sizeof v);
  v.kind = (ebb_valkind_t)type;
  switch (type) {
  case EBB__V128: memcpy(v.of.v128, slots, 16); break;
  case EBB__I32: v.of.i32 = (int32_t)(uint32_t)s; break;
  case EBB__I64: v.of.i64 = (int64_t)s; break;
  case EBB__F32: {
    uint32_t b = (uint32_t)s;
    memcpy(&v.of.f32, &b, 4);
    break;
  }
  case EBB__F64: memcpy(&v.of.f64, &s, 8); break;
  default: v.of.ref = (void *)(uintptr_t)s; break;
  }
  return v;
}
