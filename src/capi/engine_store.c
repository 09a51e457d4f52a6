/*
** engine_store.c -- configs, engines and stores, and ebb's store extras
** (ebb_wasm.h). A wasm_store_t is an ebb store plus the one ebb thread every
** call of the store runs on: that thread's interrupt word is what
** ebb_capi_store_interrupt, deadlines and fuel act on.
*/
#include <stdlib.h>
#include <string.h>

#include "capi/capi.h"

wasm_config_t *wasm_config_new(void) { return calloc(1, sizeof(wasm_config_t)); }
void wasm_config_delete(wasm_config_t *c) { free(c); }

void ebb_capi_config_set_fuel(wasm_config_t *c, bool enable) {
  if (c) c->fuel = enable;
}

void ebb_capi_config_set_limits(wasm_config_t *c, const ebb_limits_t *limits) {
  if (c && limits) c->limits = *limits;
}

wasm_engine_t *wasm_engine_new_with_config(wasm_config_t *config) {
  wasm_engine_t *e = calloc(1, sizeof *e);
  if (e && config) e->config = *config;
  wasm_config_delete(config);
  return e;
}

wasm_engine_t *wasm_engine_new(void) { return wasm_engine_new_with_config(NULL); }
void wasm_engine_delete(wasm_engine_t *e) { free(e); }

/* The drain: a host function that does nothing, called only to take a stop
** request left on the idle thread by a deadline that fired as a call ended
** (call.c). Interrupted, it returns EBB_INTERRUPTED: ebb honours that while
** a request is pending, and the stop is consumed when the call is abandoned. */
static ebb_status_t drain_fn(ebb_host_call_t *call, const uint64_t *args, uint64_t *results) {
  return ebb_host_stop_requested(call) ? EBB_INTERRUPTED : EBB_OK;
}

wasm_store_t *wasm_store_new(wasm_engine_t *engine) {
  if (!engine) return NULL;
  wasm_store_t *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->engine = engine;
  s->ebb = ebb_store_new(&engine->config.limits);
  s->thread = s->ebb ? ebb_thread_new(s->ebb) : NULL;
  s->drain = s->thread ? ebb_func_new_host(s->ebb, NULL, 0, NULL, 0, drain_fn, NULL) : NULL;
  if (!s->drain) {
    wasm_store_delete(s);
    return NULL;
  }
  return s;
}

/* The ebb store goes first, so that nothing can run a host function whose
** environment is finalized; then the finalizers, each once. */
void wasm_store_delete(wasm_store_t *s) {
  if (!s) return;
  ebb__capi_deadline_free(s);
  if (s->pending_trap) wasm_trap_delete(s->pending_trap);
  ebb_thread_delete(s->thread);
  ebb_store_delete(s->ebb);
  for (ebb__capi_hostfn *h = s->hostfns, *next; h; h = next) {
    next = h->next;
    if (h->finalizer) h->finalizer(h->env);
    free(h);
  }
  ebb__capi_entities_free(s);
  free(s);
}

/* ---- Extras: stopping --------------------------------------------------- */

void ebb_capi_store_interrupt(wasm_store_t *s) {
  if (s) ebb_thread_interrupt(s->thread);
}

void ebb_capi_store_set_fuel(wasm_store_t *s, uint64_t fuel) {
  if (s) ebb_thread_set_fuel(s->thread, fuel);
}

uint64_t ebb_capi_store_fuel(const wasm_store_t *s) {
  return s ? ebb_thread_fuel(s->thread) : 0;
}
