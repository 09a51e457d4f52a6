/*
** ref.c -- handles, and what every reference kind of wasm.h shares: delete,
** copy, same, host info, and the views as wasm_ref_t. Foreign objects too,
** which are nothing but an identity with host info.
*/
#include <stdlib.h>

#include "capi/capi.h"

ebb__capi_handle *ebb__capi_handle_new(uint8_t kind, wasm_store_t *store, void *target) {
  ebb__capi_handle *h = malloc(sizeof *h);
  if (!h) return NULL;
  h->kind = kind;
  h->store = store;
  h->target = target;
  ebb__capi_core_retain(ebb__capi_core_of(kind, target));
  return h;
}

void ebb__capi_handle_delete(ebb__capi_handle *h) {
  if (!h) return;
  ebb__capi_core_release(ebb__capi_core_of(h->kind, h->target));
  free(h);
}

/* Where a target's host info lives: in its core (traps, modules), in itself
** (foreign objects), else in the store's entity for it, made when `make`. */
static bool info_slot(const ebb__capi_handle *h, bool make, void ***info,
                      void (***fin)(void *)) {
  ebb__capi_core *c = ebb__capi_core_of(h->kind, h->target);
  if (c) {
    *info = &c->info;
    *fin = &c->finalizer;
    return true;
  }
  ebb__capi_entity *e;
  if (h->kind == EBB__CAPI_FOREIGN) e = h->target;
  else if (make) e = ebb__capi_entity_get(h->store, h->kind, h->target);
  else e = ebb__capi_entity_find(h->store, h->target);
  if (!e) return false;
  *info = &e->info;
  *fin = &e->finalizer;
  return true;
}

static void *info_get(const ebb__capi_handle *h) {
  void **info;
  void (**fin)(void *);
  return h && info_slot(h, false, &info, &fin) ? *info : NULL;
}

/* Out of memory for the entity: the finalizer runs at once, so it still
** runs exactly once. */
static void info_set(ebb__capi_handle *h, void *info, void (*finalizer)(void *)) {
  void **slot;
  void (**fin)(void *);
  if (h && info_slot(h, true, &slot, &fin)) ebb__capi_info_set(slot, fin, info, finalizer);
  else if (finalizer) finalizer(info);
}

/* The functions of wasm.h's REF_BASE for one kind. */
#define EBB__CAPI_REF_BASE(NAME)                                                 \
  void wasm_##NAME##_delete(wasm_##NAME##_t *r) { ebb__capi_handle_delete(EBB__CAPI_H(r)); } \
  wasm_##NAME##_t *wasm_##NAME##_copy(const wasm_##NAME##_t *r) {                \
    const ebb__capi_handle *h = EBB__CAPI_CH(r);                                 \
    return h ? (wasm_##NAME##_t *)ebb__capi_handle_new(h->kind, h->store, h->target) : NULL; \
  }                                                                              \
  bool wasm_##NAME##_same(const wasm_##NAME##_t *a, const wasm_##NAME##_t *b) {  \
    if (!a || !b) return a == b;                                                 \
    return EBB__CAPI_CH(a)->target == EBB__CAPI_CH(b)->target;                   \
  }                                                                              \
  void *wasm_##NAME##_get_host_info(const wasm_##NAME##_t *r) {                  \
    return info_get(EBB__CAPI_CH(r));                                            \
  }                                                                              \
  void wasm_##NAME##_set_host_info(wasm_##NAME##_t *r, void *info) {             \
    info_set(EBB__CAPI_H(r), info, NULL);                                        \
  }                                                                              \
  void wasm_##NAME##_set_host_info_with_finalizer(wasm_##NAME##_t *r, void *info, \
                                                  void (*finalizer)(void *)) {   \
    info_set(EBB__CAPI_H(r), info, finalizer);                                   \
  }

/* ...and the views as wasm_ref_t, for the kinds that pass `ok`. */
#define EBB__CAPI_REF(NAME, OK)                                                  \
  EBB__CAPI_REF_BASE(NAME)                                                       \
  wasm_ref_t *wasm_##NAME##_as_ref(wasm_##NAME##_t *r) { return (wasm_ref_t *)r; } \
  const wasm_ref_t *wasm_##NAME##_as_ref_const(const wasm_##NAME##_t *r) {       \
    return (const wasm_ref_t *)r;                                                \
  }                                                                              \
  wasm_##NAME##_t *wasm_ref_as_##NAME(wasm_ref_t *r) {                           \
    return r && OK(EBB__CAPI_CH(r)->kind) ? (wasm_##NAME##_t *)r : NULL;         \
  }                                                                              \
  const wasm_##NAME##_t *wasm_ref_as_##NAME##_const(const wasm_ref_t *r) {       \
    return r && OK(EBB__CAPI_CH(r)->kind) ? (const wasm_##NAME##_t *)r : NULL;   \
  }

#define EBB__CAPI_IS_FUNC(k) ((k) == EBB__CAPI_FUNC)
#define EBB__CAPI_IS_GLOBAL(k) ((k) == EBB__CAPI_GLOBAL)
#define EBB__CAPI_IS_TABLE(k) ((k) == EBB__CAPI_TABLE)
#define EBB__CAPI_IS_MEMORY(k) ((k) == EBB__CAPI_MEMORY)
#define EBB__CAPI_IS_EXTERN(k) ((k) <= EBB__CAPI_MEMORY)
#define EBB__CAPI_IS_INSTANCE(k) ((k) == EBB__CAPI_INSTANCE)
#define EBB__CAPI_IS_FOREIGN(k) ((k) == EBB__CAPI_FOREIGN)
#define EBB__CAPI_IS_TRAP(k) ((k) == EBB__CAPI_TRAP)
#define EBB__CAPI_IS_MODULE(k) ((k) == EBB__CAPI_MODULE)

EBB__CAPI_REF_BASE(ref)
EBB__CAPI_REF(func, EBB__CAPI_IS_FUNC)
EBB__CAPI_REF(global, EBB__CAPI_IS_GLOBAL)
EBB__CAPI_REF(table, EBB__CAPI_IS_TABLE)
EBB__CAPI_REF(memory, EBB__CAPI_IS_MEMORY)
EBB__CAPI_REF(extern, EBB__CAPI_IS_EXTERN)
EBB__CAPI_REF(instance, EBB__CAPI_IS_INSTANCE)
EBB__CAPI_REF(foreign, EBB__CAPI_IS_FOREIGN)
EBB__CAPI_REF(trap, EBB__CAPI_IS_TRAP)
EBB__CAPI_REF(module, EBB__CAPI_IS_MODULE)

wasm_foreign_t *wasm_foreign_new(wasm_store_t *s) {
  ebb__capi_entity *e = s ? ebb__capi_foreign_make(s) : NULL;
  return e ? (wasm_foreign_t *)ebb__capi_handle_new(EBB__CAPI_FOREIGN, s, e) : NULL;
}
