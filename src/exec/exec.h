/*
** exec.h -- running compiled code: the interpreter loop and the pieces it
** calls out of line (host calls, atomics, the safe-point slow path).
*/
#ifndef EBB_EXEC_EXEC_H
#define EBB_EXEC_EXEC_H

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

/* End the top level: give the level under it back what it had (call.c). */
void ebb__level_pop(ebb_thread_t *t);

/* An atomic memory instruction (the threads proposal), cells at pc:
** [ATOMIC_OP, wasm op, dst, addr, val, val2, offset]. Returns a trap kind or
** EBB_TRAP_NONE. */
ebb_trap_t ebb__atomic_op(ebb_thread_t *t, ebb_memory_t *mem, const uint32_t *pc, uint64_t *fp);

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
