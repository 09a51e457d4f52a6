/*
** table.c -- tables of references (funcref: ebb_func_t*, externref: the
** embedder's pointers). Growing reallocates the element array; the
** interpreter reloads it on every access, so that is safe.
*/
#include "base/alloc.h"
#include "rt/rt.h"

void ebb__table_free(ebb_table_t *t) {
  if (!t) return;
  ebb__free(t->elems);
  ebb__free(t);
}

static int table_new(ebb_store_t *s, ebb__valtype elem, uint64_t min, uint64_t max,
                     bool has_max, ebb_table_t **out) {
  uint32_t limit = s->limits.max_table_elems;
  /* A host table whose maximum is below its size would let table.grow's
  ** unsigned headroom (max - size) wrap around. */
  if (has_max && max < min) return EBB_EARG;
  if (min > limit) return EBB_ELIMIT;
  ebb_table_t *t = ebb__calloc(1, sizeof *t);
  if (!t) return EBB_ENOMEM;
  t->elem = elem;
  t->size = (uint32_t)min;
  t->has_max = has_max;
  t->max = has_max && max < limit ? (uint32_t)max : limit;
  t->elems = ebb__calloc(min ? min : 1, sizeof *t->elems);
  int rc = !t->elems;
  if (!rc) {
    ebb__store_lock(s);
    rc = ebb__vec_push(&s->tables, t);
    ebb__store_unlock(s);
  }
  if (rc) {
    ebb__table_free(t);
    return EBB_ENOMEM;
  }
  *out = t;
  return 0;
}

int ebb__table_create(ebb_store_t *s, const ebb__tabletype *tt, ebb_table_t **out) {
  return table_new(s, tt->elem, tt->limits.min, tt->limits.max, tt->limits.has_max, out);
}

ebb_table_t *ebb_table_new(ebb_store_t *s, ebb_valkind_t elem, uint32_t min, uint32_t max,
                           bool has_max) {
  ebb_table_t *t = NULL;
  table_new(s, (ebb__valtype)elem, min, max, has_max, &t);
  return t;
}

int ebb__table_reserve(ebb_table_t *t, uint32_t delta) {
  if (delta > t->max - t->size) return -1;
  void **n = ebb__realloc(t->elems, ((size_t)t->size + delta) * sizeof *n);
  if (!n) return -1;
  t->elems = n;
  return 0;
}

int64_t ebb__table_grow(ebb_table_t *t, uint32_t delta, void *init) {
  uint32_t old = t->size;
  if (delta == 0) return old;
  if (ebb__table_reserve(t, delta)) return -1;
  for (uint32_t i = old; i < old + delta; i++) t->elems[i] = init;
  t->size = old + delta;
  return old;
}

uint32_t ebb_table_size(const ebb_table_t *t) { return t->size; }
