/*
** trap.c -- traps and their frames. A trap is a reference-counted core (its
** message, its cause, where it happened if ebb knows) behind handles. ebb
** reports the function a guest trap happened in, not a call stack nor byte
** offsets: the origin is that function, the trace the origin alone.
*/
#include <stdlib.h>
#include <string.h>

#include "capi/capi.h"

static void trap_free(ebb__capi_core *c) { free(c); }

wasm_trap_t *ebb__capi_trap_make(ebb_capi_trap_cause_t cause, ebb_trap_t kind, const char *text,
                                 size_t len) {
  ebb__capi_trapcore *c = calloc(1, sizeof *c + len + 1);
  if (!c) return NULL;
  ebb__capi_core_init(&c->base, trap_free);
  c->cause = cause;
  c->kind = kind;
  c->len = len;
  if (len) memcpy(c->message, text, len);
  c->message[len] = '\0';
  ebb__capi_handle *h = ebb__capi_handle_new(EBB__CAPI_TRAP, NULL, c);
  if (!h) free(c);
  return (wasm_trap_t *)h;
}

wasm_trap_t *ebb__capi_trap_refused(const char *text) {
  return ebb__capi_trap_make(EBB_CAPI_TRAP_REFUSED, EBB_TRAP_NONE, text, strlen(text));
}

/* The message is NUL-terminated; a message without a NUL is taken whole. */
wasm_trap_t *wasm_trap_new(wasm_store_t *store, const wasm_message_t *message) {
  const char *text = message && message->data ? message->data : "";
  size_t size = message && message->data ? message->size : 0;
  const char *nul = memchr(text, '\0', size);
  return ebb__capi_trap_make(EBB_CAPI_TRAP_HOST, EBB_TRAP_NONE, text,
                             nul ? (size_t)(nul - text) : size);
}

static const ebb__capi_trapcore *core_of(const wasm_trap_t *t) {
  return EBB__CAPI_CH(t)->target;
}

void wasm_trap_message(const wasm_trap_t *t, wasm_message_t *out) {
  const ebb__capi_trapcore *c = core_of(t);
  wasm_byte_vec_new(out, c->len + 1, c->message);
}

static wasm_frame_t *frame_new(uint32_t func_index) {
  wasm_frame_t *f = malloc(sizeof *f);
  if (f) f->func_index = func_index;
  return f;
}

wasm_frame_t *wasm_trap_origin(const wasm_trap_t *t) {
  const ebb__capi_trapcore *c = core_of(t);
  return c->has_origin ? frame_new(c->func_index) : NULL;
}

void wasm_trap_trace(const wasm_trap_t *t, wasm_frame_vec_t *out) {
  wasm_frame_t *origin = wasm_trap_origin(t);
  if (!origin) {
    wasm_frame_vec_new_empty(out);
    return;
  }
  wasm_frame_vec_new(out, 1, &origin);
  if (!out->size) free(origin);
}

ebb_capi_trap_cause_t ebb_capi_trap_cause(const wasm_trap_t *t, ebb_trap_t *kind) {
  const ebb__capi_trapcore *c = core_of(t);
  if (kind) *kind = c->kind;
  return c->cause;
}

/* ---- Frames ---------------------------------------------------------------- */

void wasm_frame_delete(wasm_frame_t *f) { free(f); }
wasm_frame_t *wasm_frame_copy(const wasm_frame_t *f) { return f ? frame_new(f->func_index) : NULL; }
struct wasm_instance_t *wasm_frame_instance(const wasm_frame_t *f) { return NULL; }
uint32_t wasm_frame_func_index(const wasm_frame_t *f) { return f->func_index; }
size_t wasm_frame_func_offset(const wasm_frame_t *f) { return 0; }
size_t wasm_frame_module_offset(const wasm_frame_t *f) { return 0; }
