/*
** memory.c -- linear memories: ebb_memory_* behind handles. ebb reserves a
** memory's whole address range up front, so its base never moves.
*/
#include "capi/capi.h"

wasm_memory_t *wasm_memory_new(wasm_store_t *s, const wasm_memorytype_t *type) {
  if (!s || !type) return NULL;
  const wasm_limits_t *l = &type->limits;
  bool has_max = l->max != wasm_limits_max_default;
  ebb_memory_t *m = ebb_memory_new(s->ebb, l->min, has_max ? l->max : 0, has_max, false);
  return m ? (wasm_memory_t *)ebb__capi_handle_new(EBB__CAPI_MEMORY, s, m) : NULL;
}

wasm_memorytype_t *wasm_memory_type(const wasm_memory_t *m) {
  ebb_extern_t ext = ebb__capi_extern_of(EBB__CAPI_CH(m));
  ebb_extern_desc_t d;
  if (ebb_extern_describe(&ext, &d)) return NULL;
  return wasm_externtype_as_memorytype(ebb__capi_externtype_of(&d));
}

byte_t *wasm_memory_data(wasm_memory_t *m) {
  return (byte_t *)ebb_memory_data(EBB__CAPI_H(m)->target);
}

size_t wasm_memory_data_size(const wasm_memory_t *m) {
  return ebb_memory_size(EBB__CAPI_CH(m)->target);
}

wasm_memory_pages_t wasm_memory_size(const wasm_memory_t *m) {
  return (wasm_memory_pages_t)(wasm_memory_data_size(m) / MEMORY_PAGE_SIZE);
}

bool wasm_memory_grow(wasm_memory_t *m, wasm_memory_pages_t delta) {
  return ebb_memory_grow(EBB__CAPI_H(m)->target, delta) >= 0;
}
