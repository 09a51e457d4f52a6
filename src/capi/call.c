/*
** call.c -- wasm_func_call: values in, ebb_call on the store's thread, values
** or a trap out. The C API has no resumable calls, so a call stopped by an
** interrupt or a deadline is abandoned and reported as a trap naming the
** cause; the stop is recorded in the store until the outermost call ends,
** so that every host callback on the way out turns its result into that
** trap (func.c) and the whole call ends, not just the innermost part.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capi/capi.h"

#define SMALL 8

/* A deadline that fired as the call ended, after its last safe point, left
** a stop request on the idle thread; a call of the drain takes it, so the
** next call does not stop for a deadline that was not its own. */
static void drain(wasm_store_t *s) {
  if (ebb_call(s->thread, s->drain, NULL, NULL, NULL) == EBB_INTERRUPTED)
    ebb_call_abandon(s->thread);
}

ebb_status_t ebb__capi_run(wasm_store_t *s, ebb_func_t *f, const ebb_val_t *args,
                           ebb_val_t *results, ebb_outcome_t *o, ebb_capi_trap_cause_t *cause) {
  bool outer = s->depth == 0;
  if (outer) {
    if (s->pending_trap) wasm_trap_delete(s->pending_trap);
    s->pending_trap = NULL;
    s->stop = EBB_CAPI_TRAP_GUEST;
    ebb__capi_deadline_arm(s);
  }
  s->depth++;
  ebb_status_t st = ebb_call(s->thread, f, args, results, o);
  *cause = EBB_CAPI_TRAP_GUEST;
  if (st == EBB_INTERRUPTED) {
    *cause = ebb__capi_deadline_fired(s) ? EBB_CAPI_TRAP_DEADLINE : EBB_CAPI_TRAP_INTERRUPTED;
    ebb_call_abandon(s->thread);
    s->stop = *cause;
  }
  s->depth--;
  if (outer) {
    if (ebb__capi_deadline_disarm(s) && st != EBB_INTERRUPTED) drain(s);
    s->stop = EBB_CAPI_TRAP_GUEST;
  }
  return st;
}

wasm_trap_t *ebb__capi_outcome_trap(wasm_store_t *s, const ebb_outcome_t *o,
                                    ebb_capi_trap_cause_t cause) {
  const char *text;
  switch (o->status) {
  case EBB_INTERRUPTED:
    text = cause == EBB_CAPI_TRAP_DEADLINE ? "deadline exceeded" : "interrupted";
    return ebb__capi_trap_make(cause, EBB_TRAP_NONE, text, strlen(text));
  case EBB_TRAP:
    if (o->trap == EBB_TRAP_HOST && s->pending_trap) {
      wasm_trap_t *t = s->pending_trap; /* the host callback's own trap */
      s->pending_trap = NULL;
      return t;
    }
    break;
  case EBB_ERROR: return ebb__capi_trap_refused(o->message);
  default: { /* EBB_EXIT: only a group's end can cause it here */
    char buf[32];
    snprintf(buf, sizeof buf, "exit %d", o->exit_code);
    return ebb__capi_trap_make(EBB_CAPI_TRAP_GUEST, EBB_TRAP_NONE, buf, strlen(buf));
  }
  }
  /* A guest trap: the spec's message; the function it happened in. */
  text = o->trap == EBB_TRAP_HOST ? o->message : ebb_trap_message(o->trap);
  wasm_trap_t *t = ebb__capi_trap_make(EBB_CAPI_TRAP_GUEST, o->trap, text, strlen(text));
  if (t && o->trap != EBB_TRAP_HOST) {
    ebb__capi_trapcore *c = EBB__CAPI_H(t)->target;
    c->has_origin = true;
    c->func_index = o->func_index;
  }
  return t;
}

static wasm_trap_t *refused(const char *fmt, unsigned a, unsigned b) {
  char buf[160];
  snprintf(buf, sizeof buf, fmt, a, b);
  return ebb__capi_trap_refused(buf);
}

wasm_trap_t *wasm_func_call(const wasm_func_t *func, const wasm_val_vec_t *args,
                            wasm_val_vec_t *results) {
  const ebb__capi_handle *h = EBB__CAPI_CH(func);
  if (!h) return ebb__capi_trap_refused("wasm_func_call: no function");
  wasm_store_t *s = h->store;
  ebb_func_t *f = h->target;
  uint32_t np = ebb_func_param_count(f), nr = ebb_func_result_count(f);
  size_t nargs = args ? args->size : 0, room = results ? results->size : 0;
  if (nargs != np)
    return refused("wasm_func_call: %u arguments given, the function takes %u", (unsigned)nargs,
                   np);
  if (room < nr)
    return refused("wasm_func_call: room for %u results, the function returns %u",
                   (unsigned)room, nr);
  ebb_val_t small[2 * SMALL];
  ebb_val_t *in = np + nr <= 2 * SMALL ? small : calloc(np + nr, sizeof *in);
  if (!in) return ebb__capi_trap_refused("out of memory");
  ebb_val_t *out = in + np;
  wasm_trap_t *trap = NULL;
  for (uint32_t i = 0; !trap && i < np; i++)
    if (ebb__capi_val_in(s, &args->data[i], ebb_func_param(f, i), &in[i]))
      trap = refused("wasm_func_call: argument %u does not fit parameter %u's type", i, i);
  if (!trap) {
    ebb_outcome_t o;
    ebb_capi_trap_cause_t cause;
    if (ebb__capi_run(s, f, in, out, &o, &cause) != EBB_OK) trap = ebb__capi_outcome_trap(s, &o, cause);
  }
  for (uint32_t i = 0; !trap && i < nr; i++) {
    if (ebb__capi_val_out(s, out[i], &results->data[i])) {
      for (uint32_t j = 0; j < i; j++) wasm_val_delete(&results->data[j]);
      trap = ebb__capi_trap_refused("out of memory");
    }
  }
  if (in != small) free(in);
  return trap;
}
