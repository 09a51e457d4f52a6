/*
** call.c -- calls from the host into a thread: check what the embedder
** passed, push a level (thread.h), set up the bottom frame, run the
** interpreter or the host function, and turn how it stopped into an
** ebb_outcome_t.
**
** Calls nest: a host function may call back into the guest on its own
** thread. Each call is a level that saves what the level under it had (its
** slots' base, its restart deadline) and gives it back when it ends,
** whether it returns, is resumed to the end, or is abandoned; so nothing an
** inner call does, or leaves stopped, changes the outer call. One OS thread
** at a time may be inside the calls of one thread: `owner` says which, and
** others get EBB_EBUSY rather than a corrupted stack.
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/escape.h"
#include "base/report.h"
#include "exec/context.h"
#include "exec/exec.h"
#include "rt/rt.h"
#include "thread/group.h"
#include "thread/suspend.h"
#include "thread/thread.h"


/* ebb_host_deadline's name for "the host function the embedder called
** directly": restart state is per level, so one marker serves every level. */
static const uint32_t direct_call_pc = 0;

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
  bool own_text = t->trap == EBB_TRAP_HOST || t->trap == EBB_TRAP_CONTEXT_RETURNED;
  const char *what = own_text && t->trap_message[0] ? t->trap_message : ebb_trap_message(t->trap);
  if (f && f->inst) {
    o->func_name = ebb__module_func_name(f->inst->module->desc, f->index);
    char name[64];
    if (o->func_name)
      snprintf(o->message, sizeof o->message, "%s in func %u (%s)", what, f->index,
               ebb__escape(name, sizeof name, o->func_name, strlen(o->func_name)));
    else
      snprintf(o->message, sizeof o->message, "%s in func %u", what, f->index);
  } else {
    snprintf(o->message, sizeof o->message, "%s in a host function", what);
  }
}

/* A call that could not start: nothing ran, the thread is as it was. */
static ebb_status_t refuse(ebb_outcome_t *o, int code, const char *fmt, ...) EBB__PRINTF(3, 4);
static ebb_status_t refuse(ebb_outcome_t *o, int code, const char *fmt, ...) {
  memset(o, 0, sizeof *o);
  o->status = EBB_ERROR;
  o->error = code;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(o->message, sizeof o->message, fmt, ap);
  va_end(ap);
  return EBB_ERROR;
}

/* ---- Who is inside the thread ------------------------------------------ */

int ebb__thread_enter(ebb_thread_t *t, ebb_thread_t **prev, bool park) {
  uintptr_t me = ebb__os_thread_id(), cur = 0;
  if (atomic_compare_exchange_strong(&t->owner, &cur, me)) {
    *prev = ebb__current_thread();
    ebb__set_current_thread(t);
    t->os_prev = *prev;
    if (park) ebb__busy_enter(t); /* a suspension parks the call at its entry */
    else atomic_fetch_add(&t->busy, 1);
    return 1;
  }
  return cur == me ? 0 : EBB_EBUSY;
}

void ebb__thread_leave(ebb_thread_t *t, int entered, ebb_thread_t *prev) {
  if (entered != 1) return;
  ebb__busy_leave(t);
  t->os_prev = NULL;
  ebb__set_current_thread(prev);
  atomic_store(&t->owner, 0);
}

/* ---- Levels -------------------------------------------------------------- */

static ebb__level *level_push(ebb_thread_t *t, ebb_func_t *f) {
  ebb__level *lv = &t->levels[t->depth++];
  lv->func = f;
  lv->base = t->base_fp;
  lv->direct_host = f->host != NULL;
  lv->stopped = false;
  lv->inner_stopped = false;
  lv->raised = false;
  lv->outer_base_fp = t->base_fp;
  lv->outer_base_frame = t->base_frame;
  lv->outer_restart_pc = t->restart_pc;
  lv->outer_restart_deadline = t->restart_deadline;
  lv->outer_restart_done = t->restart_done;
  lv->outer_restart_size = t->restart_size;
  t->restart_pc = NULL; /* a new call restarts nothing */
  return lv;
}

void ebb__level_pop(ebb_thread_t *t) {
  ebb__level *lv = &t->levels[--t->depth];
  t->base_fp = lv->outer_base_fp;
  t->base_frame = lv->outer_base_frame;
  t->restart_pc = lv->outer_restart_pc;
  t->restart_deadline = lv->outer_restart_deadline;
  t->restart_done = lv->outer_restart_done;
  t->restart_size = lv->outer_restart_size;
  ebb__contexts_level_end(t, t->depth); /* the contexts this call made */
  if (t->depth == 0) ebb__group_call_over(t);
}

/* Messages run at a safe point or in a wait of the interpreter (registers
** saved in t) may call into the guest: such a call starts above the top
** frame, as one a host function makes does. */
void ebb__base_raise(ebb_thread_t *t, ebb__base_saved *saved) {
  ebb__level *lv = ebb__top_level(t);
  /* The registers too: a call started at a safe point (ebb_call's entry)
  ** runs from them when the messages are done. */
  saved->pc = t->pc;
  saved->regs_fp = t->fp;
  saved->regs_frame = t->frame;
  saved->level = lv && !lv->raised ? lv : NULL;
  if (!saved->level) return; /* no call, or base_fp is above it already */
  saved->fp = t->base_fp;
  saved->frame = t->base_frame;
  t->base_fp = t->fp + ebb__func_code(t->frame->func)->frame_size;
  t->base_frame = t->frame + 1;
  lv->raised = true;
}

void ebb__base_restore(ebb_thread_t *t, const ebb__base_saved *saved) {
  t->pc = saved->pc;
  t->fp = saved->regs_fp;
  t->frame = saved->regs_frame;
  if (!saved->level) return;
  t->base_fp = saved->fp;
  t->base_frame = saved->frame;
  saved->level->raised = false;
}

/* ---- Running and finishing a level -------------------------------------- */

/* Slots a level needs at its base: arguments or results, the wasm frame, and
** for a host function a saved copy of its arguments to re-run it with. */
static uint32_t level_slots(const ebb_func_t *f) {
  const ebb__functype *ft = f->type;
  uint32_t np = ebb__slot_count(EBB__PARAMS(ft), ft->nparams);
  uint32_t nr = ebb__slot_count(EBB__RESULTS(ft), ft->nresults);
  uint32_t need = np > nr ? np : nr;
  const ebb__code_func *cf = f->host ? NULL : ebb__func_code(f);
  if (cf && need < cf->frame_size) need = cf->frame_size;
  return f->host ? need + np : need;
}

/* Arguments into consecutive slots, each as wide as its type. */
static void args_to_slots(const ebb__functype *ft, const ebb_val_t *args, uint64_t *slots) {
  for (uint32_t i = 0; i < ft->nparams; i++) slots += ebb__val_to_slots(args[i], slots, slots + 1);
}

/* Run a host function the embedder called directly. Its arguments are put
** back from the saved copy first, so a run after a stop sees them as the
** first did; calls it makes start above both. */
static ebb_status_t run_host(ebb_thread_t *t, ebb__level *lv) {
  const ebb__functype *ft = lv->func->type;
  uint32_t n = ebb__slot_count(EBB__PARAMS(ft), ft->nparams), need = level_slots(lv->func) - n;
  memcpy(lv->base, lv->base + need, (size_t)n * 8);
  t->base_fp = lv->base + need + n;
  ebb_status_t st = ebb__host_invoke(t, lv->func, NULL, &direct_call_pc, lv->base);
  t->base_fp = lv->outer_base_fp;
  return st;
}

/* Fill the outcome and results, then end the level unless it stopped. */
static ebb_status_t complete(ebb_thread_t *t, ebb_status_t st, ebb_val_t *results,
                             ebb_outcome_t *o) {
  ebb__level *lv = ebb__top_level(t);
  memset(o, 0, sizeof *o);
  o->status = st;
  switch (st) {
  case EBB_OK:
    if (results) {
      const uint64_t *s = lv->base;
      for (uint32_t i = 0; i < lv->func->type->nresults; i++) {
        ebb__valtype rt = EBB__RESULTS(lv->func->type)[i];
        results[i] = ebb__slots_to_val(s, rt);
        s += ebb__slot_width(rt);
      }
    }
    break;
  case EBB_TRAP: describe_trap(t, o); break;
  case EBB_EXIT:
    o->exit_code = t->exit_code;
    snprintf(o->message, sizeof o->message, "exit %d", t->exit_code);
    break;
  case EBB_INTERRUPTED: snprintf(o->message, sizeof o->message, "interrupted"); break;
  default: break;
  }
  if (st == EBB_INTERRUPTED) {
    lv->stopped = true;
    /* The host function that made this call may pass the stop on. */
    if (t->depth > 1) t->levels[t->depth - 2].inner_stopped = true;
  } else {
    ebb__level_pop(t);
  }
  return st;
}

/* A trap before anything ran (no room for the call). */
static ebb_status_t trap_now(ebb_thread_t *t, ebb_func_t *f, ebb_trap_t trap) {
  t->trap = trap;
  t->trap_func = f;
  t->trap_message[0] = '\0';
  return EBB_TRAP;
}

/* ---- Checking what the embedder passed ---------------------------------- */

static bool kind_matches(const ebb_val_t *v, ebb__valtype want, const ebb_store_t *s) {
  if ((uint8_t)v->kind != want) return false;
  /* A funcref is an ebb_func_t of this store (or null): the interpreter
  ** calls through it. */
  if (want != EBB__FUNCREF || !v->of.func) return true;
  /* A pointer that is no function at all: looked for in the store first,
  ** before it is read. */
  EBB__CHECK(ebb__func_is_live(v->of.func), "ebb_call: a funcref argument is not a function");
  return v->of.func->store == s;
}

static ebb_status_t check_call(ebb_thread_t *t, ebb_func_t *f, const ebb_val_t *args,
                               ebb_outcome_t *o) {
  if (!t || !f) return refuse(o, EBB_EARG, "ebb_call: no thread or no function");
  if (f->store != t->store)
    return refuse(o, EBB_EARG, "ebb_call: the function belongs to another store");
  const ebb__functype *ft = f->type;
  if (ft->nparams && !args)
    return refuse(o, EBB_EARG, "ebb_call: the function takes %u arguments and args is NULL",
                  ft->nparams);
  for (uint32_t i = 0; i < ft->nparams; i++)
    if (!kind_matches(&args[i], EBB__PARAMS(ft)[i], t->store))
      return refuse(o, EBB_EARG,
                    "ebb_call: argument %u is not a %s of this store (kind 0x%02x given)", i,
                    ebb__valtype_name(EBB__PARAMS(ft)[i]), (unsigned)args[i].kind & 0xff);
  return EBB_OK;
}

/* ---- The API ------------------------------------------------------------- */

ebb_status_t ebb_call(ebb_thread_t *t, ebb_func_t *f, const ebb_val_t *args, ebb_val_t *results,
                      ebb_outcome_t *o) {
  ebb_outcome_t local;
  if (!o) o = &local;
  if (check_call(t, f, args, o) != EBB_OK) return EBB_ERROR;
  ebb_thread_t *prev = NULL;
  int entered = ebb__thread_enter(t, &prev, true);
  if (entered < 0)
    return refuse(o, EBB_EBUSY, "ebb_call: a call is running on this thread in another OS thread");
  ebb__level *top = ebb__top_level(t);
  if (top && top->stopped) {
    ebb__thread_leave(t, entered, prev);
    return refuse(o, EBB_EBUSY, "ebb_call: the thread has a stopped call: resume or abandon it");
  }
  if (entered == 0 && !top && !t->mail_depth) {
    /* Inside the API on this thread with no call, and not in a message
    ** (ebb_thread_run_mail): an interrupt handler or a finalizer calling in. */
    return refuse(o, EBB_EBUSY, "ebb_call: the thread is busy on this OS thread");
  }
  ebb_status_t st;
  if (t->depth == EBB__MAX_NESTING) {
    /* A host function calling back in, over and over: the host's own stack
    ** is what runs out, so stop it like guest recursion. */
    st = trap_now(t, f, EBB_TRAP_STACK_EXHAUSTED);
    memset(o, 0, sizeof *o);
    o->status = st;
    describe_trap(t, o);
    ebb__thread_leave(t, entered, prev);
    return st;
  }
  ebb__level *lv = level_push(t, f);
  uint64_t *base = lv->base;
  ebb__frame *frame = t->base_frame;
  const ebb__functype *ft = f->type;
  if (base + level_slots(f) > t->stack_end || (!f->host && frame >= t->frames_end)) {
    st = trap_now(t, f, EBB_TRAP_STACK_EXHAUSTED);
  } else if (f->host) {
    uint32_t save = level_slots(f) - ebb__slot_count(EBB__PARAMS(ft), ft->nparams);
    args_to_slots(ft, args, base + save);
    st = run_host(t, lv);
  } else {
    args_to_slots(ft, args, base);
    frame->ret_pc = NULL;
    frame->ret_fp = NULL;
    frame->func = f;
    const ebb__code_func *cf = ebb__func_code(f);
    memset(base + cf->nparams, 0, (size_t)cf->nlocals * 8);
    t->pc = cf->code;
    t->fp = base;
    t->frame = frame;
    t->trap_message[0] = '\0';
    /* Function entry is a safe point: a request made before the call (or
    ** left by one that ended before reaching a safe point) stops it here,
    ** resumable at its first instruction. */
    st = atomic_load_explicit(&t->interrupt, memory_order_relaxed) ? ebb__safepoint(t) : EBB_OK;
    if (st == EBB_OK) st = ebb__interp(t);
  }
  st = complete(t, st, results, o);
  ebb__thread_leave(t, entered, prev);
  return st;
}

ebb_status_t ebb_call_resume(ebb_thread_t *t, ebb_val_t *results, ebb_outcome_t *o) {
  ebb_outcome_t local;
  if (!o) o = &local;
  if (!t) return refuse(o, EBB_EARG, "ebb_call_resume: no thread");
  ebb_thread_t *prev = NULL;
  int entered = ebb__thread_enter(t, &prev, true);
  if (entered < 0)
    return refuse(o, EBB_EBUSY,
                  "ebb_call_resume: a call is running on this thread in another OS thread");
  ebb__level *lv = ebb__top_level(t);
  if (!lv || !lv->stopped) {
    ebb__thread_leave(t, entered, prev);
    return refuse(o, EBB_EARG, "ebb_call_resume: the thread has no stopped call");
  }
  lv->stopped = false;
  if (t->depth > 1) t->levels[t->depth - 2].inner_stopped = false; /* taken care of */
  ebb_status_t st = lv->direct_host ? run_host(t, lv) : ebb__interp(t);
  st = complete(t, st, results, o);
  ebb__thread_leave(t, entered, prev);
  return st;
}

int ebb_call_abandon(ebb_thread_t *t) {
  if (!t) return EBB_EARG;
  ebb_thread_t *prev = NULL;
  int entered = ebb__thread_enter(t, &prev, false); /* runs nothing */
  if (entered < 0) return EBB_EBUSY;
  ebb__level *lv = ebb__top_level(t);
  int rc = EBB_EARG;
  if (lv && lv->stopped) {
    ebb__level_pop(t); /* gives back the outer level's deadline and slots */
    rc = 0;
  }
  ebb__thread_leave(t, entered, prev);
  return rc;
}

bool ebb_thread_has_stopped_call(const ebb_thread_t *t) {
  const ebb__level *lv = t && t->depth ? &t->levels[t->depth - 1] : NULL;
  return lv && lv->stopped;
}

/* ---- Instantiation with its start function ------------------------------ */

/* Run a start function (instantiation, spec 4.5.4) on the caller's thread,
** or on a scratch thread. Returns 0, EBB_ETRAP, EBB_EINTR or EBB_ENOMEM. */
static int call_start(ebb_store_t *s, ebb_func_t *f, ebb_thread_t *thread, ebb_error_t *err) {
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
  case EBB_ERROR: rc = ebb__report(err, o.error, "start function: %s", o.message); break;
  }
  if (!thread) ebb_thread_delete(t);
  return rc;
}

int ebb_instance_new_ex(ebb_store_t *s, const ebb_module_t *module, ebb_resolver_fn resolve,
                        void *resolve_data, ebb_thread_t *thread, ebb_instance_t **out,
                        ebb_error_t *err) {
  ebb_instance_t *inst = NULL;
  if (out) *out = NULL;
  if (thread && thread->store != s)
    return ebb__report(err, EBB_EARG, "the thread belongs to another store");
  int rc = ebb_instance_create(s, module, resolve, resolve_data, &inst, err);
  if (rc) return rc;
  ebb_func_t *start = ebb_instance_start_func(inst);
  if (start && (rc = call_start(s, start, thread, err))) return rc;
  *out = inst;
  return 0;
}

int ebb_instance_new(ebb_store_t *s, const ebb_module_t *module, ebb_resolver_fn resolve,
                     void *resolve_data, ebb_instance_t **out, ebb_error_t *err) {
  return ebb_instance_new_ex(s, module, resolve, resolve_data, NULL, out, err);
}
