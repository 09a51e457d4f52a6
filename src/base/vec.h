/*
** vec.h -- a growable array. `EBB__VEC(T)` declares {data, len, cap};
** ebb__vec_reserve grows it geometrically. Growth failure returns -1 and
** leaves the vector as it was.
*/
#ifndef EBB_BASE_VEC_H
#define EBB_BASE_VEC_H

#include <stddef.h>
#include <stdint.h>

#define EBB__VEC(T)                                                        \
  struct {                                                                 \
    T *data;                                                               \
    size_t len, cap;                                                       \
  }

/* Ensures room for `extra` more elements of size `elem`. */
int ebb__vec_grow(void **data, size_t *cap, size_t len, size_t extra, size_t elem);

#define ebb__vec_reserve(v, extra)                                         \
  (((v)->len + (extra) <= (v)->cap)                                        \
       ? 0                                                                 \
       : ebb__vec_grow((void **)&(v)->data, &(v)->cap, (v)->len, (extra),  \
                       sizeof *(v)->data))

/* Appends x; evaluates to 0 or -1 (out of memory). */
#define ebb__vec_push(v, x)                                                \
  (ebb__vec_reserve((v), 1) ? -1 : ((v)->data[(v)->len++] = (x), 0))

#define ebb__vec_free(v)                                                   \
  do {                                                                     \
    ebb__free((v)->data);                                                  \
    (v)->data = NULL;                                                      \
    (v)->len = (v)->cap = 0;                                               \
  } while (0)

#endif
