/*
** park.h -- the one way a guest thread blocks (DESIGN.md, "One way to
** block"). Every wait in ebb -- memory.atomic.wait, sleeping, a WASI read,
** joining -- loops on ebb__park or ebb__park_poll, and every request to the
** thread (interrupt, terminate, ...) is an atomic store to its interrupt word
** followed by ebb__thread_wake, so a blocked thread wakes at once: no
** sleep-and-recheck loops.
**
** The pattern, which cannot lose a wake-up:
**
**   for (;;) {
**     uint32_t seen = ebb__park_seen(t);
**     if (ebb__thread_stop_requested(t)) return <stopped>;
**     if (<condition>) return <done>;
**     if (ebb__park(t, seen, deadline) == EBB__PARK_TIMEOUT) return <timed out>;
**   }
**
** ebb__park returns at once if anything woke the thread after `seen` was read.
*/
#ifndef EBB_THREAD_PARK_H
#define EBB_THREAD_PARK_H

#include <poll.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "ebb.h"

enum { EBB__PARK_WOKEN = 0, EBB__PARK_TIMEOUT = 1 };

/* The wake counter, read before checking the condition. */
uint32_t ebb__park_seen(ebb_thread_t *t);

/* Block until woken after `seen`, or until deadline (monotonic ns;
** INT64_MAX = forever). Spurious returns are allowed. */
int ebb__park(ebb_thread_t *t, uint32_t seen, int64_t deadline);

/* poll() on fds together with the thread's wake descriptor. Returns the
** number of ready fds (> 0), 0 at the deadline, -1 when woken after `seen`
** (the caller checks its requests and condition, then polls again), or -2
** on a poll error (errno). At most EBB__PARK_MAX_FDS descriptors. */
#define EBB__PARK_MAX_FDS 64
int ebb__park_poll(ebb_thread_t *t, uint32_t seen, struct pollfd *fds, unsigned nfds,
                   int64_t deadline);

/* Someone who waits for another thread (a mailbox call, a suspension):
** a guest thread, through its own parker so its requests wake it too, or
** any other OS thread, on a futex word of its own. */
typedef struct ebb__sleeper {
  ebb_thread_t *thread; /* NULL: not a guest thread */
  atomic_uint word;
  struct ebb__sleeper *next; /* for lists of waiters */
} ebb__sleeper;

void ebb__sleeper_init(ebb__sleeper *s, ebb_thread_t *thread);
uint32_t ebb__sleeper_seen(ebb__sleeper *s);
int ebb__sleeper_park(ebb__sleeper *s, uint32_t seen, int64_t deadline);
void ebb__sleeper_wake(ebb__sleeper *s);

/* Wake the thread from ebb__park / ebb__park_poll. Async-signal-safe. */
void ebb__thread_wake(ebb_thread_t *t);

/* True when a request that must end a blocking wait is pending. */
bool ebb__thread_stop_requested(ebb_thread_t *t);

#endif
