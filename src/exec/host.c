/*
** host.c -- calling a host function, and what a host function may ask of its
** call (its data, memory and thread; trapping, exiting; blocking through the
** thread's parker).
**
** The one non-obvious rule is what a host function's status means. EBB_OK,
** EBB_TRAP (after ebb_host_trap) and EBB_EXIT (after ebb_host_exit) end the
** call instruction. EBB_INTERRUPTED means "I stopped for a request having
** changed nothing": it is honoured only when something asked for a stop --
** a request pending on the thread, or an inner call this host function made
** that stopped (it consumed the interrupt, and the host function passes the
** stop on). Otherwise it is a host bug and becomes a trap, never a silent
** retry (which would spin). Any other value is a trap too.
*/
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/report.h"
#include "exec/context.h"
#include "exec/exec.h"
#include "rt/rt.h"
#include "thread/mail.h"
#include "thread/park.h"
#include "thread/suspend.h"
#include "thread/thread.h"

struct ebb_host_call {
  ebb_thread_t *thread;
  ebb_func_t *func;
  ebb_instance_t *caller; /* NULL when the embedder called the function */
  const uint32_t *pc;     /* identifies the calling instruction across restarts */
  uint32_t level;         /* the nesting level it runs at (thread.h) */
  bool exited;            /* ebb_host_exit was called */
  /* What ebb_host_exit and ebb_host_trap said, kept here rather than in
  ** the thread until the host function returns: a call it makes into the
  ** guest in between ends with an exit code and a message of its own. */
  int exit_code;
  char trap_message[sizeof ((ebb_thread_t *)0)->trap_message];
};

/* The host function broke its contract: the call traps, saying how. */
static ebb_status_t host_trap(ebb_thread_t *t, ebb_func_t *f, const char *why, int status) {
  if (why) snprintf(t->trap_message, sizeof t->trap_message, "%s", why);
  else snprintf(t->trap_message, sizeof t->trap_message,
                "host function returned %d, not an ebb_status_t", status);
  t->trap = EBB_TRAP_HOST;
  t->trap_func = f;
  return EBB_TRAP;
}

ebb_status_t ebb__host_invoke(ebb_thread_t *t, ebb_func_t *f, ebb_instance_t *caller,
                              const uint32_t *pc, uint64_t *args) {
  uint32_t depth = t->depth;
  ebb__level *lv = &t->levels[depth - 1];
  ebb_status_t st;
  for (;;) {
    ebb_host_call_t call;
    call.thread = t;
    call.func = f;
    call.caller = caller;
    call.pc = pc;
    call.level = depth - 1;
    call.exited = false;
    call.exit_code = 0;
    call.trap_message[0] = '\0';
    lv->inner_stopped = false;
    t->handlers[depth - 1].ran = false;
    bool raised = lv->raised;
    lv->raised = true; /* calls it makes (and messages) start above its frame */
    st = f->host(&call, args, args);
    lv->raised = raised;
    if (st == EBB_TRAP) memcpy(t->trap_message, call.trap_message, strlen(call.trap_message) + 1);
    if (st == EBB_EXIT && call.exited) t->exit_code = call.exit_code;
    ebb__handler_take_back(t, depth - 1, &call); /* one the host function left installed */
    /* Inner calls it left stopped are abandoned: the host frame that could
    ** have resumed them is gone. */
    while (t->depth > depth) ebb__level_pop(t);
    switch (st) {
    case EBB_OK: break;
    case EBB_TRAP:
      t->trap = EBB_TRAP_HOST;
      t->trap_func = f;
      break;
    case EBB_EXIT:
      if (!call.exited)
        st = host_trap(t, f, "host function returned EBB_EXIT without ebb_host_exit", 0);
      break;
    case EBB_INTERRUPTED:
      st = ebb__host_stop(t, lv);
      if (st == EBB_OK) {
        /* Mail, or requests without effect: run the messages (with the
        ** host function's frame still raised), then the host call again. */
        lv->raised = true;
        if (ebb__mail_due(t)) ebb__mail_run(t);
        lv->raised = raised;
        if (t->contexts) ebb__context_drop_switch(t); /* one the stopped run asked for */
        continue;
      }
      if (st == EBB_TRAP)
        st = host_trap(t, f, "host function returned EBB_INTERRUPTED with no stop request", 0);
      break;
    default: st = host_trap(t, f, NULL, (int)st); break;
    }
    break;
  }
  /* A deadline kept for a restart is spent once the call completes. */
  if (st != EBB_INTERRUPTED && t->restart_pc == pc) t->restart_pc = NULL;
  if (t->contexts && ebb__context_switch_pending(t)) {
    if (st != EBB_OK) {
      ebb__context_drop_switch(t);
    } else {
      ebb__context_apply_switch(t, pc);
      st = EBB__SWITCHED;
    }
  }
  return st;
}

uint32_t ebb__host_call_level(const ebb_host_call_t *call) { return call->level; }

ebb_instance_t *ebb__host_call_caller(const ebb_host_call_t *call) { return call->caller; }

/* EBB_ENABLE_CHECKS: a host call record is used only during its call, on
** the OS thread running it (a record kept after the host function returned
** is stack memory reused by anything). */
#ifdef EBB_CHECKS
static void check_live(const ebb_host_call_t *call, const char *fn) {
  const ebb_thread_t *t = call ? call->thread : NULL;
  EBB__CHECK(t && atomic_load(&((ebb_thread_t *)t)->owner) == ebb__os_thread_id() &&
                 call->level < t->depth && !t->levels[call->level].stopped,
             "%s: the ebb_host_call_t is not that of a host function running on this OS "
             "thread (kept after its function returned, or passed to another thread)",
             fn);
}
#define CHECK_LIVE(call) check_live(call, __func__)
#else
#define CHECK_LIVE(call) ((void)0)
#endif

int64_t ebb_host_deadline(ebb_host_call_t *call, int64_t timeout_ns) {
  CHECK_LIVE(call);
  ebb_thread_t *t = call->thread;
  /* The restart state of the call's own level: the thread's while that
  ** level is the top one, else kept by the level above it (an inner call
  ** this host function made that is stopped), which gives it back when it
  ** ends. The thread's is then that inner call's, for its own restart. */
  const uint32_t **pc = &t->restart_pc;
  int64_t *deadline = &t->restart_deadline;
  if (call->level + 1 < t->depth) {
    ebb__level *above = &t->levels[call->level + 1];
    pc = &above->outer_restart_pc;
    deadline = &above->outer_restart_deadline;
  }
  if (*pc == call->pc) return *deadline;
  int64_t d = ebb__deadline_after(timeout_ns);
  *pc = call->pc;
  *deadline = d;
  return d;
}

/* A guest signal came (rt/signal.c) and no wait has taken it: the next wait
** that would block ends once for it. One that need not block (a deadline
** passed, a descriptor ready) does not, and leaves it pending: a write to a
** pipe with room must not fail with EINTR and lose the guest's output. */
static bool signal_pending(ebb_thread_t *t) {
  return atomic_load_explicit(&t->signal_pending, memory_order_acquire) != 0;
}

static bool take_signal(ebb_thread_t *t) {
  return signal_pending(t) && atomic_exchange(&t->signal_pending, 0) != 0;
}

int ebb_host_sleep_until(ebb_host_call_t *call, int64_t deadline) {
  CHECK_LIVE(call);
  ebb_thread_t *t = call->thread;
  ebb__busy_leave(t); /* blocked: counts as parked */
  int rc;
  for (;;) {
    uint32_t seen = ebb__park_seen(t);
    if (ebb__wait_check(t, false)) {
      rc = EBB_EINTR;
      break;
    }
    if (ebb__now_ns() >= deadline) {
      rc = 0;
      break;
    }
    if (take_signal(t)) {
      rc = EBB_ESIGNAL;
      break;
    }
    if (ebb__park(t, seen, deadline) == EBB__PARK_TIMEOUT) {
      rc = 0;
      break;
    }
  }
  ebb__busy_enter(t); /* suspended meanwhile: park before going on */
  return rc;
}

int ebb_host_poll(ebb_host_call_t *call, struct pollfd *fds, unsigned nfds, int64_t deadline) {
  CHECK_LIVE(call);
  ebb_thread_t *t = call->thread;
  if (nfds > EBB__PARK_MAX_FDS || (nfds && !fds)) return EBB_EARG;
  ebb__busy_leave(t);
  int rc;
  for (;;) {
    uint32_t seen = ebb__park_seen(t);
    if (ebb__wait_check(t, false)) {
      rc = EBB_EINTR;
      break;
    }
    if (signal_pending(t)) {
      /* Look first: only a wait that would block ends for the signal. */
      rc = ebb__park_poll(t, seen, fds, nfds, 0);
      if (rc == -1) continue; /* woken meanwhile: look at the requests again */
      if (rc == -2) {
        rc = EBB_EIO;
        break;
      }
      if (rc > 0 || ebb__now_ns() >= deadline) break;
      if (take_signal(t)) {
        rc = EBB_ESIGNAL;
        break;
      }
      continue;
    }
    rc = ebb__park_poll(t, seen, fds, nfds, deadline);
    if (rc >= 0) break;
    if (rc == -2) {
      rc = EBB_EIO;
      break;
    }
  }
  ebb__busy_enter(t);
  return rc;
}

void *ebb_host_data(ebb_host_call_t *call) {
  CHECK_LIVE(call);
  return call->func->host_data;
}

ebb_memory_t *ebb_host_memory(ebb_host_call_t *call) {
  CHECK_LIVE(call);
  return call->caller ? call->caller->mem0 : NULL;
}

ebb_thread_t *ebb_host_thread(ebb_host_call_t *call) {
  CHECK_LIVE(call);
  return call->thread;
}

ebb_status_t ebb_host_trap(ebb_host_call_t *call, const char *message) {
  CHECK_LIVE(call);
  if (!message) message = "";
  size_t n = strlen(message);
  if (n >= sizeof call->trap_message) n = sizeof call->trap_message - 1;
  memcpy(call->trap_message, message, n);
  call->trap_message[n] = '\0';
  return EBB_TRAP;
}

ebb_status_t ebb_host_exit(ebb_host_call_t *call, int code) {
  CHECK_LIVE(call);
  call->exit_code = code;
  call->exited = true;
  return EBB_EXIT;
}
