/*
** func.c -- host functions and what a host function may ask of its call.
*/
#include <string.h>

#include "base/alloc.h"
#include "base/clock.h"
#include "thread/park.h"
#include "exec/exec.h"
#include "rt/rt.h"
#include "thread/thread.h"

struct ebb_host_call {
  ebb_thread_t *thread;
  ebb_func_t *func;
  ebb_instance_t *caller; /* NULL when the embedder called the function */
  const uint32_t *pc;     /* the calling instruction; NULL from the embedder */
};

ebb_func_t *ebb_func_new_host(ebb_store_t *s, const ebb_valkind_t *params, uint32_t nparams,
                              const ebb_valkind_t *results, uint32_t nresults, ebb_host_fn fn,
                              void *data) {
  if (nparams > EBB__MAX_PARAMS || nresults > EBB__MAX_RESULTS || !fn) return NULL;
  ebb__valtype types[EBB__MAX_PARAMS + EBB__MAX_RESULTS];
  for (uint32_t i = 0; i < nparams; i++) types[i] = (ebb__valtype)params[i];
  for (uint32_t i = 0; i < nresults; i++) types[nparams + i] = (ebb__valtype)results[i];
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

uint32_t ebb_func_param_count(const ebb_func_t *f) { return f->type->nparams; }
uint32_t ebb_func_result_count(const ebb_func_t *f) { return f->type->nresults; }
ebb_valkind_t ebb_func_param(const ebb_func_t *f, uint32_t i) {
  return (ebb_valkind_t)EBB__PARAMS(f->type)[i];
}
ebb_valkind_t ebb_func_result(const ebb_func_t *f, uint32_t i) {
  return (ebb_valkind_t)EBB__RESULTS(f->type)[i];
}

ebb_status_t ebb__host_invoke(ebb_thread_t *t, ebb_func_t *f, ebb_instance_t *caller,
                              const uint32_t *pc, uint64_t *args) {
  ebb_host_call_t call = {t, f, caller, pc};
  ebb_status_t st = f->host(&call, args, args);
  ebb__handler_take_back(t, &call); /* one the host function left installed */
  /* A deadline kept for a restart is spent once the call completes. */
  if (st != EBB_INTERRUPTED && t->restart_pc == pc) t->restart_pc = NULL;
  return st;
}

int64_t ebb_host_deadline(ebb_host_call_t *call, int64_t timeout_ns) {
  ebb_thread_t *t = call->thread;
  if (call->pc && t->restart_pc == call->pc) return t->restart_deadline;
  int64_t d = ebb__deadline_after(timeout_ns);
  if (call->pc) {
    t->restart_pc = call->pc;
    t->restart_deadline = d;
  }
  return d;
}

int ebb_host_sleep_until(ebb_host_call_t *call, int64_t deadline) {
  ebb_thread_t *t = call->thread;
  for (;;) {
    uint32_t seen = ebb__park_seen(t);
    if (ebb__thread_stop_requested(t)) return EBB_EINTR;
    if (ebb__now_ns() >= deadline) return 0;
    if (ebb__park(t, seen, deadline) == EBB__PARK_TIMEOUT) return 0;
  }
}

int ebb_host_poll(ebb_host_call_t *call, struct pollfd *fds, unsigned nfds, int64_t deadline) {
  ebb_thread_t *t = call->thread;
  for (;;) {
    if (ebb__thread_stop_requested(t)) return EBB_EINTR;
    int rc = ebb__park_poll(t, fds, nfds, deadline);
    if (rc >= 0) return rc;
    if (rc == -2) return EBB_EIO;
  }
}

void *ebb_host_data(ebb_host_call_t *call) { return call->func->host_data; }

ebb_memory_t *ebb_host_memory(ebb_host_call_t *call) {
  return call->caller ? call->caller->mem0 : NULL;
}

ebb_thread_t *ebb_host_thread(ebb_host_call_t *call) { return call->thread; }

ebb_status_t ebb_host_trap(ebb_host_call_t *call, const char *message) {
  ebb_thread_t *t = call->thread;
  size_t n = strlen(message);
  if (n >= sizeof t->trap_message) n = sizeof t->trap_message - 1;
  memcpy(t->trap_message, message, n);
  t->trap_message[n] = '\0';
  return EBB_TRAP;
}

ebb_status_t ebb_host_exit(ebb_host_call_t *call, int code) {
  call->thread->exit_code = code;
  return EBB_EXIT;
}
