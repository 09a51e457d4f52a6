/*
** waitq.h -- the waiters of memory.atomic.wait, keyed by (memory, address)
** and woken in FIFO order by memory.atomic.notify (threads proposal). A
** waiter also wakes for its timeout and for a request to its thread --
** nothing else.
*/
#ifndef EBB_THREAD_WAITQ_H
#define EBB_THREAD_WAITQ_H

#include <stdint.h>

#include "ebb.h"

/* Results of a wait, as the instruction returns them, and one more. */
enum {
  EBB__WAIT_OK = 0,        /* woken by notify */
  EBB__WAIT_NOT_EQUAL = 1, /* the value differed */
  EBB__WAIT_TIMED_OUT = 2,
  EBB__WAIT_STOPPED = -1,  /* a request is pending; nothing was consumed */
};

/* Wait while the `size`-byte (4 or 8) value at addr equals `expected`,
** until notified, the deadline (monotonic ns; INT64_MAX forever), or a
** request to t. The address is in bounds and aligned. */
int ebb__waitq_wait(ebb_thread_t *t, ebb_memory_t *mem, uint64_t addr, uint64_t expected,
                    unsigned size, int64_t deadline);

/* Wake up to `count` waiters at (mem, addr), oldest first; returns how many. */
uint32_t ebb__waitq_notify(ebb_memory_t *mem, uint64_t addr, uint32_t count);

/* How many threads wait at (mem, addr) now; for tests. */
uint32_t ebb__waitq_count(ebb_memory_t *mem, uint64_t addr);

#endif
