/*
** wasi_poll.c -- poll_oneoff: wait for clocks and descriptors.
**
** The wait is the thread's (DESIGN.md, "One way to block"): clocks alone
** sleep with ebb_host_sleep_until, descriptors with ebb_host_poll, both
** woken at once by a request to the thread. Then the call returns
** EBB_INTERRUPTED having written nothing. Relative clock timeouts count from
** a start time kept by ebb_host_deadline, so a call re-run on resume waits
** only for what was left; absolute ones need no such care.
**
** Regular files (and directories, block devices) are always ready, as the
** spec says. Subscriptions that cannot be waited on become events carrying
** their error (EBADF, ENOTCAPABLE, EINVAL; ENOTSUP for the CPU-time clocks,
** which no host wait can measure, as in wasmtime), and such an event makes
** the call return without waiting.
**
** At most EBB__WASI_POLL_MAX subscriptions per call, checked before
** anything else: more is EINVAL, as poll(2) answers for more descriptors
** than RLIMIT_NOFILE (a short list is no answer here: a clock left out
** could make the call wait forever). So the per-subscription work (a
** descriptor lookup, an fstat and lseek for a regular file) and the host
** memory of one call (sizeof(sub) each) are bounded whatever n the guest
** passes. Only MAX_POLL_FDS descriptors can be waited on anyway.
*/
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "thread/park.h"
#include "wasi/wasi.h"

/* At most this many descriptors per call (the parker's limit); more are
** ENOTSUP events. */
#define MAX_POLL_FDS EBB__PARK_MAX_FDS

typedef struct sub {
  uint64_t userdata;
  uint8_t type;
  uint16_t error;   /* an event reporting this error, without waiting */
  bool ready;       /* always ready (regular file): an event without waiting */
  uint64_t nbytes;  /* for ready ones */
  int64_t deadline; /* clocks: monotonic ns */
  ebb__wfd *e;      /* descriptors: a reference */
  int pfd;          /* index into the pollfd array, or -1 */
} sub;

static int64_t add_sat(int64_t a, uint64_t b) {
  return b > (uint64_t)(INT64_MAX - a) ? INT64_MAX : a + (int64_t)b;
}

/* A clock subscription's deadline on the monotonic clock, or an error. */
static uint16_t clock_deadline(ebb_host_call_t *call, const uint8_t *p, int64_t *start,
                               int64_t *out) {
  uint32_t id = ebb__get_u32(p + 16);
  uint64_t timeout = ebb__get_u64(p + 24);
  uint16_t flags = ebb__get_u16(p + 40);
  if (flags & ~EBB__WASI_SUBCLOCK_ABSTIME) return EBB__WASI_EINVAL;
  if (id == EBB__WASI_CLOCK_PROCESS_CPUTIME || id == EBB__WASI_CLOCK_THREAD_CPUTIME)
    return EBB__WASI_ENOTSUP;
  if (id != EBB__WASI_CLOCK_REALTIME && id != EBB__WASI_CLOCK_MONOTONIC) return EBB__WASI_EINVAL;
  if (!(flags & EBB__WASI_SUBCLOCK_ABSTIME)) {
    /* ebb_host_deadline(call, 0) is "now" the first time this call runs and
    ** the same instant when it runs again after an interruption. */
    if (*start < 0) *start = ebb_host_deadline(call, 0);
    *out = add_sat(*start, timeout);
  } else if (id == EBB__WASI_CLOCK_MONOTONIC) {
    /* clock_time_get's monotonic clock is CLOCK_MONOTONIC, as ebb_now_ns. */
    *out = timeout > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)timeout;
  } else {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t real = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    *out = timeout <= real ? 0 : add_sat(ebb_now_ns(), timeout - real);
  }
  return 0;
}

/* A descriptor subscription: a pollfd to wait on, or ready or failed now. */
static void fd_sub(ebb_wasi_t *w, const uint8_t *p, sub *s, struct pollfd *pfds, int *np) {
  bool rd = s->type == EBB__WASI_EVENT_FD_READ;
  uint64_t rights =
      EBB__R(EBB__R_POLL_FD_READWRITE) | EBB__R(rd ? EBB__R_FD_READ : EBB__R_FD_WRITE);
  if ((s->error = ebb__fd_get(w, ebb__get_u32(p + 16), rights, &s->e))) {
    s->e = NULL;
    return;
  }
  if (!ebb__wasi_may_block(s->e)) {
    s->ready = true;
    struct stat st;
    if (rd && s->e->type == EBB__WASI_FT_REGULAR_FILE && fstat(s->e->host, &st) == 0) {
      off_t pos = lseek(s->e->host, 0, SEEK_CUR);
      if (pos >= 0 && st.st_size > pos) s->nbytes = (uint64_t)(st.st_size - pos);
    }
    return;
  }
  if (*np == MAX_POLL_FDS) {
    s->error = EBB__WASI_ENOTSUP;
    return;
  }
  pfds[*np] = (struct pollfd){s->e->host, rd ? POLLIN : POLLOUT, 0};
  s->pfd = (*np)++;
}

static void put_event(uint8_t *ev, const sub *s, uint16_t error, uint64_t nbytes,
                      uint16_t flags) {
  memset(ev, 0, EBB__WASI_EVENT_SIZE);
  ebb__put_u64(ev, s->userdata);
  ebb__put_u16(ev + 8, error);
  ev[10] = s->type;
  ebb__put_u64(ev + 16, nbytes);
  ebb__put_u16(ev + 24, flags);
}

/* poll_oneoff(in, out, nsubscriptions) -> nevents */
ebb_status_t ebb__wasi_poll_oneoff(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  ebb_wasi_t *w = ebb_host_data(call);
  uint32_t in = (uint32_t)a[0], out = (uint32_t)a[1], n = (uint32_t)a[2], nevp = (uint32_t)a[3];
  /* n == 0 would wait forever (EINVAL as wasmtime); above the limit, see the top. */
  if (n == 0 || n > EBB__WASI_POLL_MAX) return ebb__wasi_ret(r, EBB__WASI_EINVAL);
  const uint8_t *subs = ebb__wasi_mem(call, in, (uint64_t)n * EBB__WASI_SUBSCRIPTION_SIZE);
  if (!subs || !ebb__wasi_mem(call, out, (uint64_t)n * EBB__WASI_EVENT_SIZE) ||
      !ebb__wasi_mem(call, nevp, 4))
    return ebb__wasi_ret(r, EBB__WASI_EFAULT);
  sub *s = ebb__calloc(n, sizeof *s);
  struct pollfd pfds[MAX_POLL_FDS];
  if (!s) return ebb__wasi_ret(r, EBB__WASI_ENOMEM);
  int np = 0;
  int64_t start = -1, deadline = INT64_MAX;
  bool now_events = false;
  for (uint32_t i = 0; i < n; i++) {
    const uint8_t *p = subs + (size_t)i * EBB__WASI_SUBSCRIPTION_SIZE;
    s[i].userdata = ebb__get_u64(p);
    s[i].type = p[8];
    s[i].pfd = -1;
    s[i].deadline = INT64_MAX;
    if (s[i].type == EBB__WASI_EVENT_CLOCK) {
      s[i].error = clock_deadline(call, p, &start, &s[i].deadline);
      if (!s[i].error && s[i].deadline < deadline) deadline = s[i].deadline;
    } else if (s[i].type == EBB__WASI_EVENT_FD_READ || s[i].type == EBB__WASI_EVENT_FD_WRITE) {
      fd_sub(w, p, &s[i], pfds, &np);
    } else {
      s[i].error = EBB__WASI_EINVAL;
    }
    if (s[i].error || s[i].ready) now_events = true;
  }

  /* Wait (or, with events already, only look at the descriptors). */
  int rc = 0;
  if (np > 0) rc = ebb_host_poll(call, pfds, (unsigned)np, now_events ? 0 : deadline);
  else if (!now_events) rc = ebb_host_sleep_until(call, deadline);
  uint16_t err = 0;
  if (rc == EBB_ESIGNAL) { /* a guest signal: EINTR, unless there are events to report */
    rc = 0;
    if (!now_events) err = EBB__WASI_EINTR;
  }
  if (rc == EBB_EINTR && !now_events) {
    for (uint32_t i = 0; i < n; i++) ebb__fd_put(s[i].e);
    ebb__free(s);
    return EBB_INTERRUPTED; /* nothing written: the call runs again on resume */
  }
  if (rc == EBB_EINTR) {
    for (int i = 0; i < np; i++) pfds[i].revents = 0; /* report the events we have */
  } else if (rc < 0) {
    err = ebb__wasi_errno(errno);
  }
  bool timed_out = !err && rc == 0 && !now_events;
  int64_t now = ebb_now_ns();

  uint8_t *evs = ebb__wasi_mem(call, out, (uint64_t)n * EBB__WASI_EVENT_SIZE);
  uint32_t k = 0;
  for (uint32_t i = 0; i < n && !err; i++) {
    uint8_t *ev = evs + (size_t)k * EBB__WASI_EVENT_SIZE;
    if (s[i].error) {
      put_event(ev, &s[i], s[i].error, 0, 0);
    } else if (s[i].type == EBB__WASI_EVENT_CLOCK) {
      /* On a timeout the earliest clock fires even if the wake came a hair
      ** early by this clock's reading. */
      if (!(now >= s[i].deadline || (timed_out && s[i].deadline == deadline))) continue;
      put_event(ev, &s[i], 0, 0, 0);
    } else if (s[i].ready) {
      put_event(ev, &s[i], 0, s[i].nbytes, 0);
    } else {
      short re = pfds[s[i].pfd].revents;
      if (!re) continue;
      if (re & POLLNVAL) {
        put_event(ev, &s[i], EBB__WASI_EBADF, 0, 0);
      } else {
        int avail = 0;
        if (s[i].type == EBB__WASI_EVENT_FD_READ && ioctl(s[i].e->host, FIONREAD, &avail) < 0)
          avail = 0;
        put_event(ev, &s[i], 0, avail > 0 ? (uint64_t)avail : 0,
                  (re & POLLHUP) ? EBB__WASI_EVENT_HANGUP : 0);
      }
    }
    k++;
  }
  for (uint32_t i = 0; i < n; i++) ebb__fd_put(s[i].e);
  ebb__free(s);
  if (!err) ebb__put_u32(ebb__wasi_mem(call, nevp, 4), k);
  return ebb__wasi_ret(r, err);
}
