/*
** call.c -- calls from the host into the guest: set up the bottom frame,
** run the interpreter, and turn how it stopped into an ebb_outcome_t.
*/
#include <stdio.h>
#include <string.h>

#include "base/report.h"
#include "exec/exec.h"
#include "rt/rt.h"
#include "thread/thread.h"

uint64_t ebb__val_to_slot(ebb_val_t v);
ebb_val_t ebb__slot_to_val(uint64_t slot, ebb__valtype type);

const char *ebb_trap_message(ebb_trap_t trap) {
  static const char *const msgs[] = {
#define EBB__MSG_(name, msg) msg,
      EBB_TRAP_LIST(EBB__MSG_)
#undef EBB__MSG_
  };
  return (unsigned)trap < EBB_TRAP_COUNT_ ? msgs[trap] : "unknown trap";
}

static void describe_trap(ebb_thread_t *t, ebb_outcome_t *o) {
  ebb_func_t *f = t->trap_func;
  o->trap = t->trap;
  o->func_index = f ? f->index : 0;
  o->func_name = NULL;
  const char *what = t->trap == EBB_TRAP_HOST && t->trap_message[0] ? t->trap_message
                                                                      : ebb_trap_message(t->trap);
  if (f && f->inst) {
    o->func_name = ebb__module_func_name(f->inst->module->desc, f->index);
    if (o->func_name)
      snprintf(o->message, sizeof o->message, "%s in func %u (%s)", what, f->index, o->func_name);
    else
      snprintf(o->message, sizeof o->message, "%s in func %u", what, f->index);
  } else {
    snprintf(o->message, sizeof o->message, "%s in a host function", what);
  }
}

/* Fill the outcome and results after the interpreter stopped. */
static ebb_status_t finish(ebb_thread_t *t, ebb_status_t st, uint64_t *base, ebb_val_t *results,
                           ebb_outcome_t *o) {
  ebb_outcome_t local;
  if (!o) o = &local;
  memset(o, 0, sizeof *o);
  o->status = st;
  ebb_func_t *f = t->call_func;
  switch (st) {
  case EBB_OK:
    if (results)
      for (uint32_t i = 0; i < f->type->nresults; i++)
        results[i] = ebb__slot_to_val(base[i], EBB__RESULTS(f->type)[i]);
    break;
  case EBB_TRAP: describe_trap(t, o); break;
  case EBB_EXIT:
    o->exit_code = t->exit_code;
    snprintf(o->message, sizeof o->message, "exit %d", t->exit_code);
    break;
  case EBB_INTERRUPTED:
    t->stopped = true;
    snprintf(o->message, sizeof o->message, "interrupted");
    break;
  }
  return st;
}

ebb_status_t ebb_call(ebb_thread_t *t, ebb_func_t *f, const ebb_val_t *args, ebb_val_t *results,
                      ebb_outcome_t *o) {
  if (t->stopped) {
    t->trap = EBB_TRAP_HOST;
    t->trap_func = NULL;
    snprintf(t->trap_message, sizeof t->trap_message,
             "the thread has a stopped call: resume or abandon it first");
    ebb_func_t *saved = t->call_func;
    t->call_func = f;
    ebb_status_t st = finish(t, EBB_TRAP, NULL, NULL, o);
    t->call_func = saved;
    return st;
  }
  /* A host function may call back into the guest on the same thread: keep
  ** the outer call's bookkeeping. */
  ebb_func_t *outer_func = t->call_func;
  ebb__frame *outer_frame = t->call_frame;
  uint64_t *base = t->base_fp;
  ebb__frame *frame = t->base_frame;
  const ebb__functype *ft = f->type;
  uint32_t need = ft->nparams > ft->nresults ? ft->nparams : ft->nresults;
  t->call_func = f;
  t->trap_message[0] = '\0';
  if (!outer_func) t->restart_pc = NULL; /* a fresh call restarts nothing */
  ebb_status_t st;
  if (f->code && need < f->code->frame_size) need = f->code->frame_size;
  if (base + need > t->stack_end || frame >= t->frames_end) {
    t->trap = EBB_TRAP_STACK_EXHAUSTED;
    t->trap_func = f;
    st = EBB_TRAP;
  } else {
    for (uint32_t i = 0; i < ft->nparams; i++) base[i] = ebb__val_to_slot(args[i]);
    if (f->host) {
      st = ebb__host_invoke(t, f, NULL, NULL, base);
      if (st == EBB_TRAP) {
        t->trap = EBB_TRAP_HOST;
        t->trap_func = f;
      }
    } else {
      frame->ret_pc = NULL;
      frame->ret_fp = NULL;
      frame->func = f;
      memset(base + ft->nparams, 0, (size_t)f->code->nlocals * 8);
      t->pc = f->code->code;
      t->fp = base;
      t->frame = frame;
      t->call_frame = frame;
      st = ebb__interp(t);
    }
  }
  st = finish(t, st, base, results, o);
  if (st != EBB_INTERRUPTED) {
    t->call_func = outer_func;
    t->call_frame = outer_frame;
  }
  return st;
}

ebb_status_t ebb_call_resume(ebb_thread_t *t, ebb_val_t *results, ebb_outcome_t *o) {
  if (!t->stopped) {
    t->trap = EBB_TRAP_HOST;
    t->trap_func = NULL;
    snprintf(t->trap_message, sizeof t->trap_message, "no stopped call to resume");
    return finish(t, EBB_TRAP, NULL, NULL, o);
  }
  t->stopped = false;
  ebb_status_t st = ebb__interp(t);
  return finish(t, st, t->base_fp, results, o);
}

void ebb_call_abandon(ebb_thread_t *t) {
  t->stopped = false;
  t->pc = NULL;
  t->restart_pc = NULL; /* the deadline of an abandoned wait means nothing now */
}

/* Run a start function (instantiation, spec 4.5.4) on the caller's thread,
** or on a scratch thread. Returns 0, EBB_ETRAP, EBB_EINTR or EBB_ENOMEM. */
int ebb__call_start(ebb_store_t *s, ebb_func_t *f, ebb_thread_t *thread, ebb_error_t *err) {
  ebb_thread_t *t = thread ? thread : ebb_thread_new(s);
  if (!t) return ebb__report(err, EBB_ENOMEM, "out of memory");
  ebb_outcome_t o;
  int rc = 0;
  switch (ebb_call(t, f, NULL, NULL, &o)) {
  case EBB_OK: break;
  case EBB_TRAP: rc = ebb__report(err, EBB_ETRAP, "start function: %s", o.message); break;
  case EBB_INTERRUPTED:
    ebb_call_abandon(t);
    rc = ebb__report(err, EBB_EINTR, "start function interrupted");
    break;
  case EBB_EXIT:
    rc = ebb__report(err, EBB_EINTR, "start function ended the program (exit %d)", o.exit_code);
    break;
  }
  if (!thread) ebb_thread_delete(t);
  return rc;
}
