/*
** exec.h -- running compiled code: the interpreter loop and the pieces it
** calls out of line (host calls, atomics, the safe-point slow path).
*/
#ifndef EBB_EXEC_EXEC_H
#define EBB_EXEC_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "ebb.h"

/* Run the thread from its saved registers (t->pc, t->fp, t->frame) until the
** bottom frame of the current call returns (EBB_OK), a trap, an exit, or a
** safe point stops it. ebb__interp(NULL) only sets up the dispatch table. */
ebb_status_t ebb__interp(ebb_thread_t *t);

/* Call host function f with its arguments (and room for results) at args,
** at the thread's top level (exec/host.c). `pc` names the calling
** instruction for ebb_host_deadline. Returns EBB_OK; EBB_TRAP or EBB_EXIT
** (the thread's trap fields or exit code set); or EBB_INTERRUPTED: stop the
** call restartably, so that the host call runs again on resume. */
ebb_status_t ebb__host_invoke(ebb_thread_t *t, ebb_func_t *f, ebb_instance_t *caller,
                              const uint32_t *pc, uint64_t *args);

/* ebb__host_invoke's answer when the host function switched contexts
** (exec/context.h): the call is done, and the interpreter continues from
** the thread's registers, in another context. */
#define EBB__SWITCHED ((ebb_status_t)16)

/* The instance whose code made a host call, or NULL (the embedder called
** the host function directly). */
ebb_instance_t *ebb__host_call_caller(const ebb_host_call_t *call);

/* Enter the thread's calls from this OS thread: 1 if this is the outermost
** entry (ebb__thread_leave gives the thread up), 0 if this OS thread is
** inside already (a host function calling back in), EBB_EBUSY if another OS
** thread is. An outermost entry marks the thread busy, parking it first if
** it is suspended and `park` is set. */
int ebb__thread_enter(ebb_thread_t *t, ebb_thread_t **prev, bool park);
void ebb__thread_leave(ebb_thread_t *t, int entered, ebb_thread_t *prev);

/* End the top level: give the level under it back what it had (call.c). */
void ebb__level_pop(ebb_thread_t *t);

/* Let calls start above the top frame of a call stopped at a safe point or
** waiting in the interpreter (its registers saved in t), while messages run
** there; then put the base and the registers back. A host function's level
** is raised already. */
typedef struct ebb__base_saved {
  struct ebb__level *level; /* the level raised here, or NULL */
  uint64_t *fp;             /* its base as it was */
  struct ebb__frame *frame;
  const uint32_t *pc; /* the registers as they were */
  uint64_t *regs_fp;
  struct ebb__frame *regs_frame;
} ebb__base_saved;
void ebb__base_raise(ebb_thread_t *t, ebb__base_saved *saved);
void ebb__base_restore(ebb_thread_t *t, const ebb__base_saved *saved);

/* An atomic memory instruction (the threads proposal), cells at pc:
** [ATOMIC_OP, wasm op, dst, addr, val, val2, offset]. Returns a trap kind or
** EBB_TRAP_NONE. */
ebb_trap_t ebb__atomic_op(ebb_thread_t *t, ebb_memory_t *mem, const uint32_t *pc, uint64_t *fp,
                          struct ebb__frame *frame);

/* ebb__atomic_op's answer when a wait must stop for a request: the
** instruction runs again when the call resumes. */
#define EBB__ATOMIC_STOPPED EBB_TRAP_COUNT_

/* Fuel ran out (t->fuel < 0): draw more from the thread's group, if it has
** a fuel pool. 0 when t->fuel is no longer negative, -1 when none is left. */
int ebb__fuel_refill(ebb_thread_t *t);

/* The slow path of a safe point: the interrupt word is non-zero and the
** registers are saved in t. Returns the status the call stops with. */
ebb_status_t ebb__safepoint(ebb_thread_t *t);

#endif
