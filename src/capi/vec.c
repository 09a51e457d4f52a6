/*
** vec.c -- the wasm_*_vec_t functions of every vector in wasm.h. A vector
** owns its array and, when own, its elements: delete deletes them, copy
** copies them (a new handle for each reference, a deep copy of each type).
** Out of memory leaves an empty vector: the header has no way to say more.
*/
#include <stdlib.h>
#include <string.h>

#include "capi/capi.h"

/* The parts every vector shares; ELEM_COPY(dst, src) and ELEM_DELETE(p)
** say what an element is. */
#define EBB__CAPI_VEC(NAME, T, ELEM_COPY, ELEM_DELETE)                          \
  void wasm_##NAME##_vec_new_empty(wasm_##NAME##_vec_t *out) {                   \
    out->size = 0;                                                               \
    out->data = NULL;                                                            \
  }                                                                              \
  void wasm_##NAME##_vec_new_uninitialized(wasm_##NAME##_vec_t *out, size_t n) { \
    out->data = n ? calloc(n, sizeof(T)) : NULL;                                 \
    out->size = out->data ? n : 0;                                               \
  }                                                                              \
  void wasm_##NAME##_vec_new(wasm_##NAME##_vec_t *out, size_t n, T const xs[]) { \
    wasm_##NAME##_vec_new_uninitialized(out, n);                                 \
    if (out->size) memcpy(out->data, xs, n * sizeof(T));                         \
  }                                                                              \
  void wasm_##NAME##_vec_copy(wasm_##NAME##_vec_t *out,                          \
                              const wasm_##NAME##_vec_t *src) {                  \
    wasm_##NAME##_vec_new_uninitialized(out, src ? src->size : 0);               \
    for (size_t i = 0; i < out->size; i++) ELEM_COPY(&out->data[i], &src->data[i]); \
  }                                                                              \
  void wasm_##NAME##_vec_delete(wasm_##NAME##_vec_t *v) {                        \
    if (!v) return;                                                              \
    if (v->data)                                                                 \
      for (size_t i = 0; i < v->size; i++) ELEM_DELETE(&v->data[i]);             \
    free(v->data);                                                               \
    v->size = 0;                                                                 \
    v->data = NULL;                                                              \
  }

#define EBB__CAPI_PLAIN_COPY(dst, src) (*(dst) = *(src))
#define EBB__CAPI_PLAIN_DELETE(p) ((void)(p))
EBB__CAPI_VEC(byte, wasm_byte_t, EBB__CAPI_PLAIN_COPY, EBB__CAPI_PLAIN_DELETE)

EBB__CAPI_VEC(val, wasm_val_t, wasm_val_copy, wasm_val_delete)

/* Vectors of pointers: each element is copied with NAME_copy and deleted
** with NAME_delete (both take NULL). */
#define EBB__CAPI_PTR_VEC(NAME)                                                  \
  static void NAME##_elem_copy(wasm_##NAME##_t **dst, wasm_##NAME##_t *const *src) { \
    *dst = *src ? wasm_##NAME##_copy(*src) : NULL;                               \
  }                                                                              \
  static void NAME##_elem_delete(wasm_##NAME##_t **p) {                          \
    if (*p) wasm_##NAME##_delete(*p);                                            \
  }                                                                              \
  EBB__CAPI_VEC(NAME, wasm_##NAME##_t *, NAME##_elem_copy, NAME##_elem_delete)

EBB__CAPI_PTR_VEC(valtype)
EBB__CAPI_PTR_VEC(functype)
EBB__CAPI_PTR_VEC(globaltype)
EBB__CAPI_PTR_VEC(tabletype)
EBB__CAPI_PTR_VEC(memorytype)
EBB__CAPI_PTR_VEC(externtype)
EBB__CAPI_PTR_VEC(importtype)
EBB__CAPI_PTR_VEC(exporttype)
EBB__CAPI_PTR_VEC(frame)
EBB__CAPI_PTR_VEC(extern)
