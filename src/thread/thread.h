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
  EBB__REQ_DEADLINE = 1u << 5,
};

/* Requests that end a blocking wait: the thread must stop or unwind.
** SUSPEND and MAIL do not: a blocked thread counts as parked where it is,
** and runs its messages where it waits (thread/mail.c, suspend.c). */
#define EBB__REQ_STOP_MASK (EBB__REQ_INTERRUPT | EBB__REQ_TERMINATE | EBB__REQ_DEADLINE)

/* One activation. The frame of the function running now is the top one. */
typedef struct ebb__frame {
  const uint32_t *ret_pc; /* where the caller continues; NULL: back to the host */
  uint64_t *ret_fp;       /* the caller's frame pointer */
  ebb_func_t *func;       /* the function this frame runs */
} ebb__frame;

/* Calls from the host into one thread nest when a host function calls back
** into the guest on its own thread (a re-entrant call). Each is one level. */
#define EBB__MAX_NESTING EBB_MAX_NESTED_CALLS

/* One call from the host (ebb_call), from its start until it returns, or,
** when it stopped with EBB_INTERRUPTED, until it is resumed to the end or
** abandoned. The top level is the call running now; the levels under it are
** calls whose host function is running the one above. A level saves what
** the level under it had and gives it back when it ends, so an inner call
** never changes an outer call's state (its result types, its slots, the
** deadline its host call keeps for a restart). */
typedef struct ebb__level {
  ebb_func_t *func;  /* the function called: its result types */
  uint64_t *base;    /* its arguments, then its results */
  bool direct_host;  /* func is a host function called straight by ebb_call */
  bool stopped;      /* ended EBB_INTERRUPTED: resume or abandon it */
  /* A call nested in this level's running host function ended
  ** EBB_INTERRUPTED: the interrupt was consumed there, so the host function
  ** may pass the stop on by returning EBB_INTERRUPTED. */
  bool inner_stopped;
  /* base_fp is above this level's frames: it runs a host function, or
  ** messages at a safe point. A call made now starts at base_fp. */
  bool raised;
  /* The level under this one, as it was. */
  uint64_t *outer_base_fp;
  ebb__frame *outer_base_frame;
  const uint32_t *outer_restart_pc;
  int64_t outer_restart_deadline;
  uint64_t outer_restart_done;
  uint32_t outer_restart_size;
} ebb__level;

/* The interrupt handler of a host call (thread/handler.c), one slot per
** level so that a host function that calls back into the guest keeps its
** handler while a host function of the inner call installs its own. The
** first requester moves `state` from ARMED to RUNNING and runs it; the host
** call takes it back with ARMED -> NONE, or waits out RUNNING. */
typedef struct ebb__handler_slot {
  atomic_int state;
  ebb_interrupt_handler_fn fn;
  void *arg;
  const void *owner; /* the ebb_host_call_t that installed it */
  /* A handler of the running host call ran (seen when taken back). Its
  ** request may have been consumed before the host call began: a host
  ** function woken that way and returning EBB_INTERRUPTED runs again. */
  bool ran;
} ebb__handler_slot;

struct ebb_thread {
  ebb_store_t *store;
  uint64_t *stack;   /* value slots */
  uint64_t *stack_end;
  ebb__frame *frames;
  ebb__frame *frames_end;
  size_t stack_bytes, frames_bytes; /* as mapped (ebb__map_zeroed) */

  atomic_uint interrupt; /* EBB__REQ_* bits */
  /* A guest signal (rt/signal.c) that no wait has taken yet. Not a request
  ** bit: a safe point would clear it (and every safe point would stop for
  ** it), and a signal that comes while the guest runs, between its look at
  ** the signal address and a WASI call that blocks, would be lost. It stays
  ** set while the thread runs; the next wait that would block takes it
  ** (exec/host.c). */
  atomic_uint signal_pending;
  ebb_group_t *group;    /* NULL, or the group this thread belongs to */
  uint32_t group_slot;   /* its place in the group (thread/group.c) */
  int64_t fuel;          /* units left for metered code (ebb_thread_set_fuel) */

  /* The OS thread inside ebb_call / ebb_call_resume / ebb_call_abandon on
  ** this thread now (an address unique to it), or 0. Calls from another OS
  ** thread meanwhile are refused with EBB_EBUSY (exec/call.c). */
  atomic_uintptr_t owner;
  /* The thread whose call this OS thread was running when it entered this
  ** one (a host function calling into another thread), for ebb_group_join. */
  ebb_thread_t *os_prev;

  /* The parker (thread/park.h): a futex word bumped by every wake, and a
  ** wake descriptor made on first use by a wait that polls descriptors. */
  atomic_uint park_word;
  atomic_int wake_fd; /* -1 until needed */
  atomic_int in_poll;
  atomic_int in_park; /* in the futex wait: a wake needs the system call */

  ebb__handler_slot handlers[EBB__MAX_NESTING];

  /* Its handle (thread/handle.c): the slot that names it, and mailbox. */
  uint64_t handle;
  /* How many of its activities may be running code or touching guest
  ** memory now: 1 while a call runs, back to 0 while it blocks, parks or
  ** is idle. A suspension is complete when it is 0 (thread/suspend.c). */
  atomic_int busy;
  /* Who suspended it (EBB__SUSP_* bits, under its handle slot's lock). */
  atomic_uint suspended;
  /* Messages running now, nested (a message waiting for another thread
  ** runs the messages that arrive meanwhile); bounded (thread/mail.c). */
  uint32_t mail_depth;

  /* A blocking wait or host call that was interrupted keeps its absolute
  ** deadline here, so re-executing it on resume waits only what is left.
  ** It belongs to the top level; a nested call saves and restores it. */
  const uint32_t *restart_pc;
  int64_t restart_deadline;
  /* A bulk instruction at restart_pc stopped between chunks (exec/bulk.c)
  ** keeps its progress instead: the units done, and for table.grow the
  ** table's size when it began. Re-executed on resume, it continues. */
  uint64_t restart_done;
  uint32_t restart_size;

  /* Where the next call from the host starts: the bottom of the stacks, or
  ** above the frames (and slots) of a host function calling back in. */
  uint64_t *base_fp;
  ebb__frame *base_frame;

  /* The interpreter's registers while a call is stopped (INTERRUPTED) or
  ** after it ended; `frame` is the top frame. */
  const uint32_t *pc;
  uint64_t *fp;
  ebb__frame *frame;

  /* The calls from the host, innermost last (exec/call.c). */
  uint32_t depth;
  ebb__level levels[EBB__MAX_NESTING];

  /* Green-thread contexts made by one of its calls, or NULL. They are
  ** exec/context.c's, which releases them when that call ends and leaves
  ** here how to release them should the thread be deleted with the call
  ** stopped. */
  struct ebb__contexts *contexts;
  void (*contexts_free)(ebb_thread_t *t);

  /* How the last call ended (filled by the interpreter). */
  ebb_trap_t trap;
  int exit_code;
  ebb_func_t *trap_func;
  char trap_message[96]; /* host trap text */
};

/* Set request bits in the interrupt word, then wake the thread. */
void ebb__thread_request(ebb_thread_t *t, unsigned bits);

/* Run the thread's installed interrupt handlers, innermost first (after a
** request was set and the thread woken). A stop request uses them up; mail
** (`rearm`) leaves them installed. */
void ebb__handler_fire(ebb_thread_t *t, bool rearm);

/* Remove the handler `owner` installed at `level`, if it is still there,
** waiting for a run in progress. True if it ran. */
bool ebb__handler_take_back(ebb_thread_t *t, uint32_t level, const void *owner);

/* The top level (the call running or stopped now), or NULL. */
static inline ebb__level *ebb__top_level(ebb_thread_t *t) {
  return t->depth ? &t->levels[t->depth - 1] : NULL;
}

/* A host function returned EBB_INTERRUPTED at `level`: what the call does.
** EBB_EXIT when the group is ending, EBB_INTERRUPTED when an interrupt is
** pending (consumed here) or an inner call of this host function stopped,
** EBB_OK when only requests without effect were pending (cleared: run the
** host call again), EBB_TRAP when nothing asked it to stop (a host bug). */
ebb_status_t ebb__host_stop(ebb_thread_t *t, ebb__level *level);

/* An address unique to the calling OS thread while it lives. */
uintptr_t ebb__os_thread_id(void);

/* The calling OS thread is inside a call of t (through the chain of threads
** whose host functions called into others): t cannot run anything until it
** returns, so waiting for t from here would wait for itself. */
bool ebb__inside(const ebb_thread_t *t);

/* The guest thread whose outermost call runs on this OS thread, or NULL. */
ebb_thread_t *ebb__current_thread(void);
void ebb__set_current_thread(ebb_thread_t *t);

/* The nesting level a host call runs at (rt/func.c). */
uint32_t ebb__host_call_level(const ebb_host_call_t *call);

#endif
