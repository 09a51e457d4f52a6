/*
** func.c -- host functions (wasm_func_new[_with_env]) and function types.
** A host function is an ebb host function whose data is a record of the
** callback, its environment and the type; the trampoline turns ebb's cells
** into value vectors and back, and a returned trap into ebb_host_trap, the
** trap itself waiting in the store for the wasm_func_call it ends.
*/
#include <stdlib.h>
#include <string.h>

#include "capi/capi.h"

/* Values kept on the stack up to this many; more are allocated. */
#define SMALL 8

static wasm_trap_t *stop_trap(ebb_capi_trap_cause_t stop) {
  const char *text = stop == EBB_CAPI_TRAP_DEADLINE ? "deadline exceeded" : "interrupted";
  return ebb__capi_trap_make(stop, EBB_TRAP_NONE, text, strlen(text));
}

/* End the host call with a trap; the trap waits in the store. */
static ebb_status_t host_trap(ebb_host_call_t *call, wasm_store_t *s, wasm_trap_t *trap) {
  if (!trap) return ebb_host_trap(call, "out of memory");
  if (s->pending_trap) wasm_trap_delete(s->pending_trap);
  s->pending_trap = trap;
  return ebb_host_trap(call, ((const ebb__capi_trapcore *)EBB__CAPI_H(trap)->target)->message);
}

static void vals_delete(wasm_val_t *v, size_t n) {
  for (size_t i = 0; i < n; i++) wasm_val_delete(&v[i]);
}

static ebb_status_t trampoline(ebb_host_call_t *call, const uint64_t *args, uint64_t *results) {
  ebb__capi_hostfn *h = ebb_host_data(call);
  wasm_store_t *s = h->store;
  uint32_t np = h->nparams, nr = h->nresults;
  wasm_val_t small[2 * SMALL];
  wasm_val_t *a = np + nr <= 2 * SMALL ? small : calloc(np + nr, sizeof *a);
  if (!a) return host_trap(call, s, ebb__capi_trap_refused("out of memory"));
  wasm_val_t *r = a + np;
  /* Arguments first: results may alias args. */
  uint32_t made = 0;
  for (; made < np; made++)
    if (ebb__capi_val_out(s, ebb__capi_cell_to_val(args[made], h->types[made]), &a[made])) break;
  for (uint32_t i = 0; i < nr; i++) {
    memset(&r[i], 0, sizeof r[i]);
    r[i].kind = ebb__capi_kind_from_ebb((ebb_valkind_t)h->types[np + i]);
  }
  wasm_trap_t *trap = NULL;
  if (made < np) {
    trap = ebb__capi_trap_refused("out of memory");
  } else {
    wasm_val_vec_t av = {np, a}, rv = {nr, r};
    trap = h->callback_env ? h->callback_env(h->env, &av, &rv) : h->callback(&av, &rv);
  }
  vals_delete(a, made);
  /* A call this callback made was stopped: the stop goes on outwards,
  ** whatever the callback returned. */
  if (s->stop && (!trap || ebb_capi_trap_cause(trap, NULL) != s->stop)) {
    if (trap) wasm_trap_delete(trap);
    trap = stop_trap(s->stop);
  }
  for (uint32_t i = 0; !trap && i < nr; i++) {
    ebb_val_t v;
    if (ebb__capi_val_in(s, &r[i], (ebb_valkind_t)h->types[np + i], &v))
      trap = ebb__capi_trap_refused("host function returned a result of the wrong type");
    else
      results[i] = ebb__capi_val_to_cell(v);
  }
  vals_delete(r, nr);
  if (a != small) free(a);
  return trap ? host_trap(call, s, trap) : EBB_OK;
}

static wasm_func_t *host_new(wasm_store_t *s, const wasm_functype_t *type,
                             wasm_func_callback_t cb, wasm_func_callback_with_env_t cbe,
                             void *env, void (*finalizer)(void *)) {
  size_t np = type ? type->params.size : 0, nr = type ? type->results.size : 0;
  ebb__capi_hostfn *h = s && type && np + nr <= 2000 ? calloc(1, sizeof *h + np + nr) : NULL;
  ebb_valkind_t kinds[2000];
  bool ok = h != NULL;
  for (size_t i = 0; ok && i < np + nr; i++) {
    const wasm_valtype_t *vt = i < np ? type->params.data[i] : type->results.data[i - np];
    kinds[i] = vt ? ebb__capi_kind_to_ebb(vt->kind) : EBB_NOKIND;
    h->types[i] = (uint8_t)kinds[i];
    ok = kinds[i] != EBB_NOKIND;
  }
  ebb_func_t *f = ok ? ebb_func_new_host(s->ebb, kinds, (uint32_t)np, kinds + np, (uint32_t)nr,
                                         trampoline, h)
                     : NULL;
  wasm_func_t *out = f ? (wasm_func_t *)ebb__capi_handle_new(EBB__CAPI_FUNC, s, f) : NULL;
  if (!f) {
    free(h);
    if (finalizer) finalizer(env); /* nothing else will run it */
    return NULL;
  }
  /* From here the store owns the record: the finalizer runs with it. */
  h->store = s;
  h->callback = cb;
  h->callback_env = cbe;
  h->env = env;
  h->finalizer = finalizer;
  h->nparams = (uint32_t)np;
  h->nresults = (uint32_t)nr;
  h->next = s->hostfns;
  s->hostfns = h;
  return out;
}

wasm_func_t *wasm_func_new(wasm_store_t *s, const wasm_functype_t *type, wasm_func_callback_t cb) {
  return cb ? host_new(s, type, cb, NULL, NULL, NULL) : NULL;
}

wasm_func_t *wasm_func_new_with_env(wasm_store_t *s, const wasm_functype_t *type,
                                    wasm_func_callback_with_env_t cb, void *env,
                                    void (*finalizer)(void *)) {
  if (!cb) {
    if (finalizer) finalizer(env);
    return NULL;
  }
  return host_new(s, type, NULL, cb, env, finalizer);
}

wasm_functype_t *wasm_func_type(const wasm_func_t *func) {
  ebb_extern_t ext = ebb__capi_extern_of(EBB__CAPI_CH(func));
  ebb_extern_desc_t d;
  if (ebb_extern_describe(&ext, &d)) return NULL;
  return ebb__capi_functype_of(d.nparams, d.nresults, d.types);
}

size_t wasm_func_param_arity(const wasm_func_t *func) {
  return ebb_func_param_count(EBB__CAPI_CH(func)->target);
}

size_t wasm_func_result_arity(const wasm_func_t *func) {
  return ebb_func_result_count(EBB__CAPI_CH(func)->target);
}
