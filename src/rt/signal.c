/*
** signal.c -- guest signals (DESIGN.md point 6; the API is in ebb.h): the
** exported addresses where the host writes a signal number and marks the
** program terminated, and the writes themselves.
**
** The addresses are read once, at instantiation, and checked against memory
** 0 then; memory never shrinks, so they stay in bounds. A signal is a store
** the guest polls, a notify for a guest waiting on the address, and a wake
** for threads blocked in WASI calls (their waits return EBB_ESIGNAL, and the
** guest sees EINTR). A thread not blocked keeps the signal pending until
** its next wait that would block (thread.h, signal_pending).
*/
#include <string.h>

#include "rt/rt.h"
#include "thread/group.h"
#include "thread/park.h"
#include "thread/thread.h"
#include "thread/waitq.h"

#define SIGNAL_EXPORT "__signal_address"
#define TERMINATED_EXPORT "__terminated_address"

/* The i32 value of an exported global: 1 found, 0 absent, or an error. */
static int export_addr(ebb_instance_t *inst, const char *name, uint32_t *out,
                       ebb_error_t *err) {
  ebb_extern_t e;
  if (ebb_instance_export(inst, name, &e)) return 0;
  if (e.kind != EBB_EXTERN_GLOBAL)
    return ebb__report(err, EBB_EINVALID, "guest signals: export %s is not a global", name);
  ebb_val_t v = ebb_global_get(e.of.global);
  if (v.kind != EBB_I32)
    return ebb__report(err, EBB_EINVALID, "guest signals: global %s is not an i32", name);
  *out = (uint32_t)v.of.i32;
  return 1;
}

int ebb__signals_setup(ebb_instance_t *inst, ebb_error_t *err) {
  uint32_t sig = 0, term = 0;
  int has_sig = export_addr(inst, SIGNAL_EXPORT, &sig, err);
  if (has_sig < 0) return has_sig;
  int has_term = export_addr(inst, TERMINATED_EXPORT, &term, err);
  if (has_term < 0) return has_term;
  if (!has_sig && !has_term) return 0;
  if (!has_sig || !has_term)
    return ebb__report(err, EBB_EINVALID, "guest signals: the module exports %s but not %s",
                       has_sig ? SIGNAL_EXPORT : TERMINATED_EXPORT,
                       has_sig ? TERMINATED_EXPORT : SIGNAL_EXPORT);
  size_t size = inst->mem0 ? ebb_memory_size(inst->mem0) : 0;
  const char *names[2] = {SIGNAL_EXPORT, TERMINATED_EXPORT};
  uint32_t addrs[2] = {sig, term};
  for (int i = 0; i < 2; i++)
    if ((uint64_t)addrs[i] + 4 > size)
      return ebb__report(err, EBB_EINVALID,
                         "guest signals: %s = %u is not 4 bytes inside memory 0 (%zu bytes)",
                         names[i], addrs[i], size);
  if ((sig > term ? sig - term : term - sig) < 4)
    return ebb__report(err, EBB_EINVALID, "guest signals: %s = %u and %s = %u overlap",
                       SIGNAL_EXPORT, sig, TERMINATED_EXPORT, term);
  inst->has_signals = true;
  inst->signal_addr = sig;
  inst->terminated_addr = term;
  return 0;
}

/* A 32-bit little-endian store: atomic when aligned (ebb runs on
** little-endian hosts, as the interpreter's memory accesses assume). */
static void store32(ebb_memory_t *mem, uint32_t addr, uint32_t v) {
  uint8_t *p = mem->data + addr;
  if (addr % 4 == 0) {
    __atomic_store_n((uint32_t *)p, v, __ATOMIC_SEQ_CST);
    return;
  }
  for (int i = 0; i < 4; i++) __atomic_store_n(p + i, (uint8_t)(v >> (8 * i)), __ATOMIC_SEQ_CST);
}

bool ebb_instance_has_signals(const ebb_instance_t *inst) { return inst && inst->has_signals; }

/* Pending until a wait takes it (thread.h); the wake ends a wait now, and
** the interrupt handler of a host call blocked in its own way (a stdio read
** waiting in the kernel, wasi/kernel_io.c) runs as for mail, left
** installed: that call returns to a wait of ebb's, which takes the signal. */
static void wake_member(ebb_thread_t *t, void *arg) {
  (void)arg;
  atomic_store_explicit(&t->signal_pending, 1, memory_order_seq_cst);
  ebb__thread_wake(t);
  ebb__handler_fire(t, true);
}

int ebb_instance_signal(ebb_instance_t *inst, ebb_group_t *group, int32_t signo) {
  if (!inst || !inst->has_signals) return EBB_ENOTFOUND;
  pthread_mutex_lock(&inst->signal_lock);
  bool closed = inst->terminated;
  if (!closed) {
    store32(inst->mem0, inst->signal_addr, (uint32_t)signo);
    ebb__waitq_notify(inst->mem0, inst->signal_addr, UINT32_MAX);
  }
  pthread_mutex_unlock(&inst->signal_lock);
  if (closed) return EBB_ECLOSED;
  if (group) ebb__group_each(group, wake_member, NULL);
  return 0;
}

int ebb_instance_mark_terminated(ebb_instance_t *inst) {
  if (!inst || !inst->has_signals) return EBB_ENOTFOUND;
  pthread_mutex_lock(&inst->signal_lock);
  if (!inst->terminated) {
    inst->terminated = true;
    store32(inst->mem0, inst->terminated_addr, 1);
    ebb__waitq_notify(inst->mem0, inst->terminated_addr, UINT32_MAX);
  }
  pthread_mutex_unlock(&inst->signal_lock);
  return 0;
}
