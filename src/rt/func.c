/*
** func.c -- functions made by the host, and what any function says of its
** type. Calling a host function is exec/host.c's.
*/
#include <string.h>

#include "base/alloc.h"
#include "rt/rt.h"

ebb_func_t *ebb_func_new_host(ebb_store_t *s, const ebb_valkind_t *params, uint32_t nparams,
                              const ebb_valkind_t *results, uint32_t nresults, ebb_host_fn fn,
                              void *data) {
  if (!s || nparams > EBB__MAX_PARAMS || nresults > EBB__MAX_RESULTS || !fn) return NULL;
  if ((nparams && !params) || (nresults && !results)) return NULL;
  ebb__valtype types[EBB__MAX_PARAMS + EBB__MAX_RESULTS];
  for (uint32_t i = 0; i < nparams; i++) types[i] = (ebb__valtype)params[i];
  for (uint32_t i = 0; i < nresults; i++) types[nparams + i] = (ebb__valtype)results[i];
  /* Only kinds ebb runs: a made-up kind would reach the interpreter. */
  for (uint32_t i = 0; i < nparams + nresults; i++)
    if (!ebb__valkind_runs(types[i])) return NULL;
  ebb__functype ft = {nparams, nresults, types};
  int64_t id = ebb__store_intern_type(s, &ft);
  if (id < 0) return NULL;
  /* Charged to the store as its descriptor; freed with the store. */
  if (ebb__store_charge(s, sizeof(ebb_func_t))) return NULL;
  ebb_func_t *f = ebb__calloc(1, sizeof *f);
  if (!f) {
    ebb__store_refund(s, sizeof(ebb_func_t));
    return NULL;
  }
  f->type_id = (uint32_t)id;
  f->type = ebb__store_type(s, (uint32_t)id);
  f->store = s;
  f->host = fn;
  f->host_data = data;
  ebb__store_lock(s);
  int rc = ebb__vec_push(&s->host_funcs, f);
  ebb__store_unlock(s);
  if (rc) {
    ebb__free(f);
    ebb__store_refund(s, sizeof(ebb_func_t));
    return NULL;
  }
  return f;
}

bool ebb__valkind_runs(uint8_t kind) {
  switch (kind) {
  case EBB__I32:
  case EBB__I64:
  case EBB__F32:
  case EBB__F64:
  case EBB__V128:
  case EBB__FUNCREF:
  case EBB__EXTERNREF: return true;
  default: return false;
  }
}

void ebb__func_set_finalizer(ebb_func_t *f, void (*finalizer)(void *data)) {
  f->host_finalizer = finalizer;
}

void ebb__func_free(ebb_func_t *f) {
  if (f->host_finalizer) f->host_finalizer(f->host_data);
  ebb__free(f);
}

uint32_t ebb_func_param_count(const ebb_func_t *f) { return f ? f->type->nparams : 0; }
uint32_t ebb_func_result_count(const ebb_func_t *f) { return f ? f->type->nresults : 0; }
ebb_valkind_t ebb_func_param(const ebb_func_t *f, uint32_t i) {
  if (!f || i >= f->type->nparams) return EBB_NOKIND;
  return (ebb_valkind_t)EBB__PARAMS(f->type)[i];
}
ebb_valkind_t ebb_func_result(const ebb_func_t *f, uint32_t i) {
  if (!f || i >= f->type->nresults) return EBB_NOKIND;
  return (ebb_valkind_t)EBB__RESULTS(f->type)[i];
}
