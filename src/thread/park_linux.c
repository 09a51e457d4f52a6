/*
** park_linux.c -- the parker on Linux: a futex on the thread's wake counter,
** and an eventfd made on first use for waits that poll descriptors. Both
** wake operations (FUTEX_WAKE, write) are async-signal-safe, so a signal
** handler may interrupt a thread.
*/
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <limits.h>
#include <stdatomic.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "thread/park.h"
#include "thread/thread.h"

uint32_t ebb__park_seen(ebb_thread_t *t) {
  return atomic_load_explicit(&t->park_word, memory_order_acquire);
}

bool ebb__thread_stop_requested(ebb_thread_t *t) {
  return atomic_load_explicit(&t->interrupt, memory_order_acquire) & EBB__REQ_STOP_MASK;
}

static struct timespec abs_time(int64_t deadline) {
  struct timespec ts = {(time_t)(deadline / 1000000000), (long)(deadline % 1000000000)};
  return ts;
}

int ebb__park(ebb_thread_t *t, uint32_t seen, int64_t deadline) {
  struct timespec ts, *tp = NULL;
  if (deadline != INT64_MAX) {
    ts = abs_time(deadline);
    tp = &ts;
  }
  /* Announced, so that a waker bumping the counter makes the system call
  ** only when someone may sleep in it: it bumps and then reads in_park, we
  ** set in_park and then the kernel compares the counter with `seen`. */
  atomic_store_explicit(&t->in_park, 1, memory_order_seq_cst);
  /* FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC deadline. */
  long rc = syscall(SYS_futex, &t->park_word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, seen, tp,
                    NULL, FUTEX_BITSET_MATCH_ANY);
  atomic_store_explicit(&t->in_park, 0, memory_order_relaxed);
  if (rc == -1 && errno == ETIMEDOUT) return EBB__PARK_TIMEOUT;
  return EBB__PARK_WOKEN;
}

void ebb__thread_wake(ebb_thread_t *t) {
  atomic_fetch_add_explicit(&t->park_word, 1, memory_order_seq_cst);
  /* A running thread sees the counter move; only a parked one needs the
  ** kernel (a mailbox post to a busy thread is then a few atomics). */
  if (atomic_load_explicit(&t->in_park, memory_order_seq_cst))
    syscall(SYS_futex, &t->park_word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX, NULL, NULL, 0);
  /* Only a thread inside ebb__park_poll needs its descriptor written. */
  if (atomic_load_explicit(&t->in_poll, memory_order_seq_cst)) {
    int fd = atomic_load_explicit(&t->wake_fd, memory_order_acquire);
    if (fd >= 0) {
      uint64_t one = 1;
      ssize_t n = write(fd, &one, sizeof one);
      (void)n; /* a full counter still wakes the poll */
    }
  }
}

int ebb__park_poll(ebb_thread_t *t, uint32_t seen, struct pollfd *fds, unsigned nfds,
                   int64_t deadline) {
  int fd = atomic_load_explicit(&t->wake_fd, memory_order_acquire);
  if (fd < 0) {
    fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (fd < 0) return -2;
    atomic_store_explicit(&t->wake_fd, fd, memory_order_release);
  }
  struct pollfd all[EBB__PARK_MAX_FDS + 1];
  if (nfds > EBB__PARK_MAX_FDS) {
    errno = EINVAL;
    return -2;
  }
  for (unsigned i = 0; i < nfds; i++) all[i] = fds[i];
  all[nfds].fd = fd;
  all[nfds].events = POLLIN;
  all[nfds].revents = 0;
  /* Announce the poll, then look for a wake since `seen`: a waker bumps the
  ** counter and then reads in_poll, so one of the two always sees the other. */
  atomic_store_explicit(&t->in_poll, 1, memory_order_seq_cst);
  int rc;
  if (atomic_load_explicit(&t->park_word, memory_order_seq_cst) != seen) {
    rc = -1;
  } else {
    struct timespec rel, *tp = NULL;
    if (deadline != INT64_MAX) {
      struct timespec now;
      clock_gettime(CLOCK_MONOTONIC, &now);
      int64_t left = deadline - ((int64_t)now.tv_sec * 1000000000 + now.tv_nsec);
      if (left < 0) left = 0;
      rel.tv_sec = (time_t)(left / 1000000000);
      rel.tv_nsec = (long)(left % 1000000000);
      tp = &rel;
    }
    rc = ppoll(all, nfds + 1, tp, NULL);
    if (rc > 0 && all[nfds].revents) {
      uint64_t v;
      ssize_t n = read(fd, &v, sizeof v); /* drain */
      (void)n;
      /* Woken: by a request, or by a stale wake. Either way the caller looks
      ** at its requests and conditions again. */
      rc = -1;
    } else if (rc < 0) {
      rc = errno == EINTR ? -1 : -2;
    }
  }
  atomic_store_explicit(&t->in_poll, 0, memory_order_seq_cst);
  for (unsigned i = 0; i < nfds; i++) fds[i].revents = all[i].revents;
  return rc;
}

void ebb__sleeper_init(ebb__sleeper *s, ebb_thread_t *thread) {
  s->thread = thread;
  atomic_init(&s->word, 0);
  s->next = NULL;
}

uint32_t ebb__sleeper_seen(ebb__sleeper *s) {
  return s->thread ? ebb__park_seen(s->thread)
                   : atomic_load_explicit(&s->word, memory_order_acquire);
}

int ebb__sleeper_park(ebb__sleeper *s, uint32_t seen, int64_t deadline) {
  if (s->thread) return ebb__park(s->thread, seen, deadline);
  struct timespec ts, *tp = NULL;
  if (deadline != INT64_MAX) {
    ts = abs_time(deadline);
    tp = &ts;
  }
  long rc = syscall(SYS_futex, &s->word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, seen, tp,
                    NULL, FUTEX_BITSET_MATCH_ANY);
  return rc == -1 && errno == ETIMEDOUT ? EBB__PARK_TIMEOUT : EBB__PARK_WOKEN;
}

void ebb__sleeper_wake(ebb__sleeper *s) {
  if (s->thread) {
    ebb__thread_wake(s->thread);
    return;
  }
  atomic_fetch_add_explicit(&s->word, 1, memory_order_release);
  syscall(SYS_futex, &s->word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX, NULL, NULL, 0);
}
