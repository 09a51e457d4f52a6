/*
** instance.c -- instantiation. wasm.h passes imports by position, ebb asks
** for them by name through a resolver, in the module's import order: the
** resolver hands out the vector's elements one after the other, and ebb
** checks each against the import's kind and type. The start function runs
** as a call of the store (ebb_instance_create, then ebb__capi_run), so a
** store's interrupt, deadline and fuel stop it as any call.
*/
#include <stdio.h>
#include <string.h>

#include "capi/capi.h"

typedef struct imports_cursor {
  wasm_store_t *store;
  const wasm_extern_vec_t *imports;
  size_t next;
} imports_cursor;

static int resolve_next(void *data, const char *module, const char *name, ebb_externkind_t kind,
                        ebb_extern_t *out) {
  imports_cursor *c = data;
  if (c->next >= c->imports->size) return EBB_ENOTFOUND;
  const ebb__capi_handle *h = EBB__CAPI_CH(c->imports->data[c->next++]);
  if (!h || h->kind > EBB__CAPI_MEMORY || h->store != c->store) return EBB_ENOTFOUND;
  *out = ebb__capi_extern_of(h); /* ebb checks its kind and type */
  return 0;
}

static wasm_instance_t *failed(wasm_trap_t **trap_out, wasm_trap_t *trap) {
  if (trap_out) *trap_out = trap;
  else if (trap) wasm_trap_delete(trap);
  return NULL;
}

wasm_instance_t *wasm_instance_new(wasm_store_t *s, const wasm_module_t *module,
                                   const wasm_extern_vec_t *imports, wasm_trap_t **trap_out) {
  if (trap_out) *trap_out = NULL;
  if (!s || !module) return failed(trap_out, ebb__capi_trap_refused("no store or no module"));
  const ebb_module_t *m = ((const ebb__capi_modcore *)EBB__CAPI_CH(module)->target)->module;
  wasm_extern_vec_t none = WASM_EMPTY_VEC;
  imports_cursor cursor = {s, imports ? imports : &none, 0};
  uint32_t need = ebb_module_import_count(m);
  if (cursor.imports->size < need) {
    char buf[96];
    snprintf(buf, sizeof buf, "%zu imports given, the module needs %u", cursor.imports->size,
             (unsigned)need);
    return failed(trap_out, ebb__capi_trap_refused(buf));
  }
  ebb_instance_t *inst = NULL;
  ebb_error_t err;
  memset(&err, 0, sizeof err);
  int rc = ebb_instance_create(s->ebb, m, resolve_next, &cursor, &inst, &err);
  if (rc) {
    /* A segment out of bounds is a trap of instantiation; the rest are
    ** link errors and limits. */
    ebb_capi_trap_cause_t cause = rc == EBB_ETRAP ? EBB_CAPI_TRAP_GUEST : EBB_CAPI_TRAP_REFUSED;
    return failed(trap_out, ebb__capi_trap_make(cause, EBB_TRAP_NONE, err.message,
                                                strlen(err.message)));
  }
  ebb_func_t *start = ebb_instance_start_func(inst);
  if (start) {
    ebb_outcome_t o;
    ebb_capi_trap_cause_t cause;
    if (ebb__capi_run(s, start, NULL, NULL, &o, &cause) != EBB_OK)
      return failed(trap_out, ebb__capi_outcome_trap(s, &o, cause));
  }
  return (wasm_instance_t *)ebb__capi_handle_new(EBB__CAPI_INSTANCE, s, inst);
}

static uint8_t kind_from_ebb(ebb_externkind_t k) {
  switch (k) {
  case EBB_EXTERN_FUNC: return EBB__CAPI_FUNC;
  case EBB_EXTERN_TABLE: return EBB__CAPI_TABLE;
  case EBB_EXTERN_MEMORY: return EBB__CAPI_MEMORY;
  default: return EBB__CAPI_GLOBAL;
  }
}

void wasm_instance_exports(const wasm_instance_t *instance, wasm_extern_vec_t *out) {
  const ebb__capi_handle *h = EBB__CAPI_CH(instance);
  const ebb_instance_t *inst = h->target;
  wasm_extern_vec_new_uninitialized(out, ebb_instance_export_count(inst));
  for (uint32_t i = 0; i < out->size; i++) {
    ebb_extern_t ext;
    ebb_instance_export_at(inst, i, &ext);
    out->data[i] = (wasm_extern_t *)ebb__capi_handle_new(kind_from_ebb(ext.kind), h->store,
                                                         (void *)ext.of.func);
  }
}
