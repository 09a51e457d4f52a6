/*
** wasix_context.c -- WASIX's context switching (module "wasix_32v1"):
** context_create, context_switch, context_destroy over ebb's contexts
** (include/ebb.h, "Green-thread contexts"; exec/context.c).
**
** The guest names an entry point by its index in table 0 of its instance,
** the indirect-call table clang makes and does not export. Ids are u64;
** the main context is 0 (wasix-libc's wasix_context_main is that constant).
** Errors are WASI errnos: EINVAL for a bad entry, an unknown or running
** target; ENOMEM when the limit of live contexts (ebb_limits_t.max_contexts)
** or the store's memory is reached; EFAULT for a bad pointer.
*/
#include <string.h>

#include "decode/module.h"
#include "exec/exec.h"
#include "rt/rt.h"
#include "wasi/wasi_types.h"
#include "wasi/wasix_context.h"

/* The [] -> [] function at `index` in table 0 of the calling instance. */
static ebb_func_t *wasix_entry_at(ebb_host_call_t *call, uint32_t index) {
  ebb_instance_t *inst = ebb__host_call_caller(call);
  if (!inst || inst->module->desc->ntables == 0) return NULL;
  ebb_table_t *tab = inst->tables[0];
  if (tab->elem != EBB__FUNCREF || index >= tab->size) return NULL;
  ebb_func_t *f = tab->elems[index];
  return f && f->type->nparams == 0 && f->type->nresults == 0 ? f : NULL;
}

/* The guest's 8 bytes at ptr, or NULL (out of bounds). */
static uint8_t *wasix_u64_at(ebb_host_call_t *call, uint32_t ptr) {
  ebb_memory_t *m = ebb_host_memory(call);
  size_t size = m ? ebb_memory_size(m) : 0;
  return size >= 8 && ptr <= size - 8 ? ebb_memory_data(m) + ptr : NULL;
}

static ebb_status_t wasix_ret(uint64_t *r, uint16_t wasi_errno) {
  r[0] = wasi_errno;
  return EBB_OK;
}

static uint16_t wasix_errno_of(int rc) {
  switch (rc) {
  case 0: return 0;
  case EBB_ELIMIT:
  case EBB_ENOMEM: return EBB__WASI_ENOMEM;
  default: return EBB__WASI_EINVAL;
  }
}

static ebb_status_t context_create(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  uint8_t *out = wasix_u64_at(call, (uint32_t)a[0]);
  if (!out) return wasix_ret(r, EBB__WASI_EFAULT); /* nothing made */
  ebb_func_t *entry = wasix_entry_at(call, (uint32_t)a[1]);
  if (!entry || entry->host) return wasix_ret(r, EBB__WASI_EINVAL);
  uint64_t id;
  int rc = ebb_context_create(call, entry, &id);
  if (rc) return wasix_ret(r, wasix_errno_of(rc));
  for (int i = 0; i < 8; i++) out[i] = (uint8_t)(id >> (8 * i)); /* little-endian */
  return wasix_ret(r, 0);
}

static ebb_status_t context_switch(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  /* The result is written before the switch takes effect: the caller sees
  ** it when it runs again. */
  return wasix_ret(r, wasix_errno_of(ebb_context_switch(call, a[0])));
}

static ebb_status_t context_destroy(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  return wasix_ret(r, wasix_errno_of(ebb_context_destroy(call, a[0])));
}

static const struct {
  const char *name;
  ebb_valkind_t param[2];
  uint32_t nparams;
  ebb_host_fn fn;
} wasix_funcs[EBB__WASIX_NFUNCS] = {
    {"context_create", {EBB_I32, EBB_I32}, 2, context_create},
    {"context_switch", {EBB_I64}, 1, context_switch},
    {"context_destroy", {EBB_I64}, 1, context_destroy},
};

int ebb__wasix_resolve(ebb_store_t *store, ebb_func_t **cache, const char *name,
                       ebb_externkind_t kind, ebb_extern_t *out) {
  if (kind != EBB_EXTERN_FUNC) return EBB_ENOTFOUND;
  for (int i = 0; i < EBB__WASIX_NFUNCS; i++) {
    if (strcmp(wasix_funcs[i].name, name)) continue;
    if (!cache[i]) {
      ebb_valkind_t res = EBB_I32;
      cache[i] = ebb_func_new_host(store, wasix_funcs[i].param, wasix_funcs[i].nparams, &res, 1,
                                   wasix_funcs[i].fn, NULL);
      if (!cache[i]) return EBB_ENOMEM;
    }
    out->kind = EBB_EXTERN_FUNC;
    out->of.func = cache[i];
    return 0;
  }
  return EBB_ENOTFOUND;
}
