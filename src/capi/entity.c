/*
** entity.c -- what a store keeps per target: host info and finalizers of
** its functions, globals, tables, memories and instances, its foreign
** objects, and the boxes externrefs point to. A hash map by target address
** (open addressing, linear probing); entries are never removed before the
** store goes, since the guest may hold a box anywhere and a target lives as
** long as its store.
*/
#include <stdlib.h>

#include "capi/capi.h"

static size_t slot_of(const void *target, size_t nslots) {
  uintptr_t h = (uintptr_t)target;
  h ^= h >> 17;
  h *= (uintptr_t)0x9e3779b97f4a7c15ull;
  return (size_t)(h ^ (h >> 29)) & (nslots - 1);
}

ebb__capi_entity *ebb__capi_entity_find(wasm_store_t *s, const void *target) {
  if (!s->nslots) return NULL;
  for (size_t i = slot_of(target, s->nslots);; i = (i + 1) & (s->nslots - 1)) {
    ebb__capi_entity *e = s->entities[i];
    if (!e || e->target == target) return e;
  }
}

static int insert(wasm_store_t *s, ebb__capi_entity *e) {
  /* Keep the map at most half full: probes stay short, a free slot exists. */
  if ((s->nentities + 1) * 2 > s->nslots) {
    size_t n = s->nslots ? s->nslots * 2 : 16;
    ebb__capi_entity **slots = calloc(n, sizeof *slots);
    if (!slots) return -1;
    for (size_t i = 0; i < s->nslots; i++) {
      ebb__capi_entity *old = s->entities[i];
      if (!old) continue;
      size_t j = slot_of(old->target, n);
      while (slots[j]) j = (j + 1) & (n - 1);
      slots[j] = old;
    }
    free(s->entities);
    s->entities = slots;
    s->nslots = n;
  }
  size_t i = slot_of(e->target, s->nslots);
  while (s->entities[i]) i = (i + 1) & (s->nslots - 1);
  s->entities[i] = e;
  s->nentities++;
  return 0;
}

ebb__capi_entity *ebb__capi_entity_get(wasm_store_t *s, uint8_t kind, void *target) {
  ebb__capi_entity *e = ebb__capi_entity_find(s, target);
  if (e) return e;
  e = calloc(1, sizeof *e);
  if (!e) return NULL;
  e->kind = kind;
  e->target = target;
  if (insert(s, e)) {
    free(e);
    return NULL;
  }
  ebb__capi_core_retain(ebb__capi_core_of(kind, target));
  return e;
}

ebb__capi_entity *ebb__capi_foreign_make(wasm_store_t *s) {
  ebb__capi_entity *e = calloc(1, sizeof *e);
  if (!e) return NULL;
  e->kind = EBB__CAPI_FOREIGN;
  e->target = e;
  if (insert(s, e)) {
    free(e);
    return NULL;
  }
  return e;
}

void ebb__capi_entities_free(wasm_store_t *s) {
  for (size_t i = 0; i < s->nslots; i++) {
    ebb__capi_entity *e = s->entities[i];
    if (!e) continue;
    if (e->finalizer) e->finalizer(e->info);
    ebb__capi_core_release(ebb__capi_core_of(e->kind, e->target));
    free(e);
  }
  free(s->entities);
  s->entities = NULL;
  s->nslots = s->nentities = 0;
}

void ebb__capi_info_set(void **info, void (**fin)(void *), void *new_info,
                        void (*new_fin)(void *)) {
  void *old = *info;
  void (*old_fin)(void *) = *fin;
  *info = new_info;
  *fin = new_fin;
  if (old_fin && (old_fin != new_fin || old != new_info)) old_fin(old);
}
