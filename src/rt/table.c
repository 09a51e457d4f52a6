/*
** table.c -- tables of references (funcref: ebb_func_t*, externref: the
** embedder's pointers). Growing reallocates the element array; the
** interpreter reloads it on every access, so that is safe.
**
** A table is charged to its store's byte account (max_store_bytes) as its
** descriptor plus 8 bytes per element of its array, at least one:
** table_bytes(charged), charged when it is made, topped up when its array
** grows (a grow stopped half-way has its room already), refunded when it
** goes.
*/
#include "base/alloc.h"
#include "rt/rt.h"

static uint64_t table_bytes(uint64_t size) {
  return sizeof(ebb_table_t) + (size ? size : 1) * sizeof(void *);
}

void ebb__table_free(ebb_table_t *t) {
  if (!t) return;
  ebb__store_refund(t->store, table_bytes(t->charged));
  ebb__free(t->elems);
  ebb__free(t);
}

static int table_new(ebb_store_t *s, ebb__valtype elem, uint64_t min, uint64_t max,
                     bool has_max, const char *what, ebb_table_t **out, ebb_error_t *err) {
  uint32_t limit = s->limits.max_table_elems;
  /* A host table whose maximum is below its size would let table.grow's
  ** unsigned headroom (max - size) wrap around. */
  if (has_max && max < min)
    return ebb__report(err, EBB_EARG, "%s: its minimum is above its maximum", what);
  if (min > limit)
    return ebb__report(err, EBB_ELIMIT,
                       "%s: its minimum of %llu elements is above the limit of %u elements per "
                       "table (max_table_elems)",
                       what, (unsigned long long)min, (unsigned)limit);
  int rc = ebb__store_charge_for(s, table_bytes(min), err, "%s of %llu elements", what,
                                 (unsigned long long)min);
  if (rc) return rc;
  ebb_table_t *t = ebb__calloc(1, sizeof *t);
  if (!t) {
    ebb__store_refund(s, table_bytes(min));
    return ebb__report(err, EBB_ENOMEM, "%s: out of memory", what);
  }
  t->store = s;
  t->elem = elem;
  t->size = (uint32_t)min;
  t->charged = (uint32_t)min;
  t->has_max = has_max;
  t->max = has_max && max < limit ? (uint32_t)max : limit;
  t->elems = ebb__calloc(min ? min : 1, sizeof *t->elems);
  rc = !t->elems;
  if (!rc) {
    ebb__store_lock(s);
    rc = ebb__vec_push(&s->tables, t);
    ebb__store_unlock(s);
  }
  if (rc) {
    ebb__table_free(t);
    return ebb__report(err, EBB_ENOMEM, "%s: out of memory", what);
  }
  *out = t;
  return 0;
}

int ebb__table_create(ebb_store_t *s, const ebb__tabletype *tt, const char *what,
                      ebb_table_t **out, ebb_error_t *err) {
  return table_new(s, tt->elem, tt->limits.min, tt->limits.max, tt->limits.has_max, what, out,
                   err);
}

ebb_table_t *ebb_table_new(ebb_store_t *s, ebb_valkind_t elem, uint32_t min, uint32_t max,
                           bool has_max) {
  ebb_table_t *t = NULL;
  table_new(s, (ebb__valtype)elem, min, max, has_max, "table", &t, NULL);
  return t;
}

int ebb__table_reserve(ebb_table_t *t, uint32_t delta) {
  if (delta > t->max - t->size) return -1;
  uint64_t cap = (uint64_t)t->size + delta;
  /* The room is charged as it is made, whether or not the grow that asked
  ** for it completes: the element array never shrinks. */
  if (cap > t->charged) {
    if (ebb__store_charge(t->store, table_bytes(cap) - table_bytes(t->charged))) return -1;
    t->charged = (uint32_t)cap;
  }
  void **n = ebb__realloc(t->elems, (size_t)cap * sizeof *n);
  if (!n) return -1; /* the charge stays with t->charged, refunded when it goes */
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

/* A value may go into the table: its kind, and a function of its store. */
static bool table_accepts(const ebb_table_t *t, ebb_val_t v) {
  if ((uint8_t)v.kind != t->elem) return false;
  return v.kind != EBB_FUNCREF || !v.of.func || v.of.func->store == t->store;
}

int ebb_table_get(const ebb_table_t *t, uint32_t i, ebb_val_t *out) {
  if (!t || !out || i >= t->size) return EBB_EARG;
  out->kind = (ebb_valkind_t)t->elem;
  out->of.ref = t->elems[i];
  return 0;
}

int ebb_table_set(ebb_table_t *t, uint32_t i, ebb_val_t v) {
  if (!t || i >= t->size || !table_accepts(t, v)) return EBB_EARG;
  t->elems[i] = v.of.ref;
  return 0;
}

int64_t ebb_table_grow(ebb_table_t *t, uint32_t delta, ebb_val_t init) {
  if (!t || !table_accepts(t, init)) return -1;
  return ebb__table_grow(t, delta, init.of.ref);
}
