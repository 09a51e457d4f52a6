/*
** atomic.c -- the threads proposal's atomic memory instructions. They are
** rare enough to share one out-of-line handler. Accesses must be naturally
** aligned ("unaligned atomic" trap) and in bounds; all are sequentially
** consistent, as the proposal requires. memory.atomic.wait blocks through
** the thread's parker (thread/waitq.c), so a request stops it at once; it
** is then re-executed on resume with the deadline it had.
*/
#include <stdatomic.h>

#include "decode/opcodes.h"
#include "exec/exec.h"
#include "base/clock.h"
#include "rt/rt.h"
#include "thread/thread.h"
#include "thread/waitq.h"

#define SC __ATOMIC_SEQ_CST

static uint64_t rmw(unsigned group, unsigned size, void *p, uint64_t v) {
  /* group: 0 add, 1 sub, 2 and, 3 or, 4 xor, 5 xchg */
#define RMW_CASE(T)                                                                  \
  {                                                                                  \
    T *q = p, x = (T)v;                                                              \
    switch (group) {                                                                 \
    case 0: return __atomic_fetch_add(q, x, SC);                                     \
    case 1: return __atomic_fetch_sub(q, x, SC);                                     \
    case 2: return __atomic_fetch_and(q, x, SC);                                     \
    case 3: return __atomic_fetch_or(q, x, SC);                                      \
    case 4: return __atomic_fetch_xor(q, x, SC);                                     \
    default: return __atomic_exchange_n(q, x, SC);                                   \
    }                                                                                \
  }
  switch (size) {
  case 1: RMW_CASE(uint8_t)
  case 2: RMW_CASE(uint16_t)
  case 4: RMW_CASE(uint32_t)
  default: RMW_CASE(uint64_t)
  }
#undef RMW_CASE
}

static uint64_t cmpxchg(unsigned size, void *p, uint64_t expect, uint64_t repl) {
#define CX_CASE(T)                                                                   \
  {                                                                                  \
    T e = (T)expect;                                                                 \
    __atomic_compare_exchange_n((T *)p, &e, (T)repl, false, SC, SC);                 \
    return e;                                                                        \
  }
  switch (size) {
  case 1: CX_CASE(uint8_t)
  case 2: CX_CASE(uint16_t)
  case 4: CX_CASE(uint32_t)
  default: CX_CASE(uint64_t)
  }
#undef CX_CASE
}

static uint64_t load(unsigned size, void *p) {
  switch (size) {
  case 1: return __atomic_load_n((uint8_t *)p, SC);
  case 2: return __atomic_load_n((uint16_t *)p, SC);
  case 4: return __atomic_load_n((uint32_t *)p, SC);
  default: return __atomic_load_n((uint64_t *)p, SC);
  }
}

static void store(unsigned size, void *p, uint64_t v) {
  switch (size) {
  case 1: __atomic_store_n((uint8_t *)p, (uint8_t)v, SC); break;
  case 2: __atomic_store_n((uint16_t *)p, (uint16_t)v, SC); break;
  case 4: __atomic_store_n((uint32_t *)p, (uint32_t)v, SC); break;
  default: __atomic_store_n((uint64_t *)p, v, SC); break;
  }
}

static ebb_trap_t wait(ebb_thread_t *t, ebb_memory_t *mem, const uint32_t *pc, uint64_t *fp,
                       ebb__frame *frame, uint64_t ea, unsigned size) {
  if (!mem->shared) return EBB_TRAP_EXPECTED_SHARED_MEMORY;
  /* The wait runs the thread's messages, which may call into the guest
  ** above this frame: the registers say where it is. */
  t->pc = pc;
  t->fp = fp;
  t->frame = frame;
  uint64_t expected = size == 4 ? (uint32_t)fp[pc[4]] : fp[pc[4]];
  int64_t deadline = t->restart_pc == pc ? t->restart_deadline
                                         : ebb__deadline_after((int64_t)fp[pc[5]]);
  int r = ebb__waitq_wait(t, mem, ea, expected, size, deadline);
  if (r == EBB__WAIT_STOPPED) {
    t->restart_pc = pc;
    t->restart_deadline = deadline;
    return (ebb_trap_t)EBB__ATOMIC_STOPPED;
  }
  if (t->restart_pc == pc) t->restart_pc = NULL;
  fp[pc[2]] = (uint32_t)r;
  return EBB_TRAP_NONE;
}

ebb_trap_t ebb__atomic_op(ebb_thread_t *t, ebb_memory_t *mem, const uint32_t *pc, uint64_t *fp,
                          ebb__frame *frame) {
  unsigned op = pc[1];
  const ebb__opinfo *info = ebb__opinfo_get(op);
  unsigned size = info->size;
  uint64_t ea = (uint64_t)(uint32_t)fp[pc[3]] + pc[6];
  uint64_t msize = mem ? atomic_load_explicit(&mem->size, memory_order_acquire) : 0;
  if (ea + size > msize) return EBB_TRAP_MEMORY_OOB;
  if (ea & (size - 1)) return EBB_TRAP_UNALIGNED_ATOMIC;
  void *p = mem->data + ea;
  uint64_t v = fp[pc[4]], v2 = fp[pc[5]];
  uint64_t r = 0;
  if (op == EBB_OP_MEMORY_ATOMIC_NOTIFY) {
    /* Unshared memory can have no waiters: notify returns 0 (proposal). */
    r = mem->shared ? ebb__waitq_notify(mem, ea, (uint32_t)v) : 0;
  } else if (op == EBB_OP_MEMORY_ATOMIC_WAIT32 || op == EBB_OP_MEMORY_ATOMIC_WAIT64) {
    return wait(t, mem, pc, fp, frame, ea, size);
  } else if (op >= EBB_OP_I32_ATOMIC_LOAD && op <= EBB_OP_I64_ATOMIC_LOAD32_U) {
    r = load(size, p);
  } else if (op >= EBB_OP_I32_ATOMIC_STORE && op <= EBB_OP_I64_ATOMIC_STORE32) {
    store(size, p, v);
    return EBB_TRAP_NONE;
  } else if (op >= EBB_OP_I32_ATOMIC_RMW_CMPXCHG) {
    r = cmpxchg(size, p, v, v2);
  } else {
    r = rmw((op - EBB_OP_I32_ATOMIC_RMW_ADD) / 7, size, p, v);
  }
  fp[pc[2]] = r;
  return EBB_TRAP_NONE;
}
