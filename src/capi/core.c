/*
** core.c -- the reference count that traps and modules share. Handles and
** entities hold cores through this alone, so the generic layer never names a
** kind: each core carries the function that frees what is its kind's own.
*/
#include "capi/capi.h"

void ebb__capi_core_init(ebb__capi_core *c, void (*destroy)(ebb__capi_core *)) {
  atomic_init(&c->refs, 0);
  c->info = NULL;
  c->finalizer = NULL;
  c->destroy = destroy;
}

void ebb__capi_core_retain(ebb__capi_core *c) {
  if (c) atomic_fetch_add(&c->refs, 1);
}

/* The host finalizer runs first, while the object is still whole. */
void ebb__capi_core_release(ebb__capi_core *c) {
  if (!c || atomic_fetch_sub(&c->refs, 1) != 1) return;
  if (c->finalizer) c->finalizer(c->info);
  c->destroy(c);
}
