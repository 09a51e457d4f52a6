/*
** thread.h -- a guest thread's execution state: its value stack, its frame
** stack, its interrupt word, and the registers saved when a call stops so it
** can be resumed exactly where it stopped.
*/
#ifndef EBB_THREAD_THREAD_H
#define EBB_THREAD_THREAD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "ebb.h"

/* Request bits of the interrupt word (DESIGN.md, "The interruption model").
** A requester sets bits and then wakes the thread; the thread looks at the
** word with one relaxed load at each safe point. */
enum {
  EBB__REQ_INTERRUPT = 1u << 0, /* stop at the next safe point, restartable */
  EBB__REQ_TERMINATE = 1u << 1, /* unwind and end; not restartable */
  EBB__REQ_SUSPEND = 1u << 2,
  EBB__REQ_MAIL = 1u << 3,
  EBB__REQ_SIGNAL = 1u << 4,
  EBB__REQ_DEADLINE = 1u << 5,
};

/* Requests that end a blocking wait: the thread must stop or unwind. */
#define EBB__REQ_STOP_MASK                                                           \
  (EBB__REQ_INTERRUPT | EBB__REQ_TERMINATE | EBB__REQ_SUSPEND | EBB__REQ_DEADLINE)

/* One activation. The frame of the function running now is the top one. */
typedef struct ebb__frame {
  const uint32_t *ret_pc; /* where the caller continues; NULL: back to the host */
  uint64_t *ret_fp;       /* the caller's frame pointer */
  ebb_func_t *func;       /* the function this frame runs */
} ebb__frame;

struct ebb_thread {
  ebb_store_t *store;
  uint64_t *stack;   /* value slots */
  uint64_t *stack_end;
  ebb__frame *frames;
  ebb__frame *frames_end;
  size_t stack_bytes, frames_bytes; /* as mapped (ebb__map_zeroed) */

  atomic_uint interrupt; /* EBB__REQ_* bits */
  ebb_group_t *group;    /* NULL, or the group this thread belongs to */
  int64_t fuel;          /* units left for metered code (ebb_thread_set_fuel) */

  /* The parker (thread/park.h): a futex word bumped by every wake, and a
  ** wake descriptor made on first use by a wait that polls descriptors. */
  atomic_uint park_word;
  atomic_int wake_fd; /* -1 until needed */
  atomic_int in_poll;

  /* The interrupt handler of the host call running now (thread/handler.c):
  ** the first requester moves handler_state from ARMED to RUNNING and runs
  ** it; the host call takes it back with ARMED -> NONE, or waits out RUNNING. */
  atomic_int handler_state;
  ebb_interrupt_handler_fn handler_fn;
  void *handler_arg;
  const void *handler_owner; /* the ebb_host_call_t that installed it */

  /* A blocking wait or host call that was interrupted keeps its absolute
  ** deadline here, so re-executing it on resume waits only what is left. */
  const uint32_t *restart_pc;
  int64_t restart_deadline;
  /* A bulk instruction at restart_pc stopped between chunks (exec/bulk.c)
  ** keeps its progress instead: the units done, and for table.grow the
  ** table's size when it began. Re-executed on resume, it continues. */
  uint64_t restart_done;
  uint32_t restart_size;

  /* Where the next call from the host starts: the bottom of the stacks, or
  ** above the frames of a guest that is calling out to the host. */
  uint64_t *base_fp;
  ebb__frame *base_frame;

  /* The interpreter's registers while a call is stopped (INTERRUPTED) or
  ** after it ended; `frame` is the top frame. */
  const uint32_t *pc;
  uint64_t *fp;
  ebb__frame *frame;
  bool stopped; /* a call is INTERRUPTED and may be resumed */

  /* The call being run: its function (for result types) and first frame. */
  ebb_func_t *call_func;
  ebb__frame *call_frame;

  /* How the last call ended (filled by the interpreter). */
  ebb_trap_t trap;
  int exit_code;
  ebb_func_t *trap_func;
  char trap_message[96]; /* host trap text */
};

/* Set request bits in the interrupt word, then wake the thread. */
void ebb__thread_request(ebb_thread_t *t, unsigned bits);

/* Run the thread's interrupt handler if one is installed (after a stop
** request was set and the thread woken). */
void ebb__handler_fire(ebb_thread_t *t);

/* Remove the handler `owner` installed, if it is still there, waiting for a
** run in progress. True if it ran. */
bool ebb__handler_take_back(ebb_thread_t *t, const void *owner);

#endif
