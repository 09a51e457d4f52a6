/*
** wasi_rw.c -- fd_read, fd_write, fd_pread, fd_pwrite.
**
** Regular files, directories and block devices never block: they are read
** and written directly. Everything else (pipes, FIFOs, terminals, sockets,
** character devices) may block, and a blocked guest must stay stoppable
** (DESIGN.md, "One way to block"). So those wait for readiness with
** ebb_host_poll, which also watches the thread's wake descriptor, and only
** then read or write in a way that cannot block:
**  - sockets: recvmsg/sendmsg with MSG_DONTWAIT;
**  - pipes and FIFOs: preadv2/pwritev2 with RWF_NOWAIT (Linux 5.x);
**  - where RWF_NOWAIT is refused (terminals, older kernels): a plain read
**    after POLLIN, which returns what is there, and writes of at most
**    PIPE_BUF bytes after POLLOUT, which fit.
** The host descriptor's own O_NONBLOCK is never changed: stdin may be the
** parent shell's terminal. A host descriptor that is non-blocking anyway
** just answers EAGAIN, and the wait starts again.
**
** A request to the thread (interrupt, termination, deadline) makes the wait
** return at once; fd_read then returns EBB_INTERRUPTED having read nothing,
** so the resumed call neither loses nor duplicates data. fd_write returns
** what it already wrote, or EBB_INTERRUPTED if nothing.
*/
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "wasi/wasi.h"

/* iovecs taken from one call; a longer list makes a short read or write. */
#define MAX_IOV 64

static bool guest_nonblock(const ebb__wfd *e) {
  return atomic_load(&e->flags) & EBB__WASI_FDFLAG_NONBLOCK;
}

int ebb__wasi_wait(ebb_host_call_t *call, ebb__wfd *e, short events) {
  bool nb = guest_nonblock(e);
  for (;;) {
    struct pollfd p = {e->host, events, 0};
    /* A deadline in the past only looks; INT64_MAX waits until ready. */
    int rc = ebb_host_poll(call, &p, 1, nb ? 0 : INT64_MAX);
    if (rc == EBB_EINTR) return EBB__WASI_WAIT_STOP;
    if (rc < 0) return ebb__wasi_errno(errno);
    if (rc > 0) return 0; /* ready, or hung up / failed: the read or write says */
    if (nb) return EBB__WASI_EAGAIN;
  }
}

/* RWF_NOWAIT is refused with EOPNOTSUPP by files that do not support it,
** EINVAL or ENOSYS by kernels that predate it. */
static bool nowait_refused(int e) { return e == EOPNOTSUPP || e == EINVAL || e == ENOSYS; }

/* Read once without blocking (the descriptor was just found readable). */
static ssize_t read_nowait(ebb__wfd *e, struct iovec *iov, int cnt) {
  if (ebb__wasi_is_socket(e)) {
    struct msghdr m = {.msg_iov = iov, .msg_iovlen = (size_t)cnt};
    return recvmsg(e->host, &m, MSG_DONTWAIT);
  }
  if (atomic_load(&e->nowait) >= 0) {
    ssize_t n = preadv2(e->host, iov, cnt, -1, RWF_NOWAIT);
    if (n >= 0 || !nowait_refused(errno)) return n;
    atomic_store(&e->nowait, -1);
  }
  /* The remaining gap: on borrowed stdio in blocking mode (terminals; pipes
  ** where RWF_NOWAIT is refused), if another reader (another guest thread,
  ** the embedder) took the data between the poll and here, this blocks
  ** uninterruptibly. A private O_NONBLOCK open of /proc/self/fd/N for stdio
  ** would close it. */
  return readv(e->host, iov, cnt);
}

/* Write once without blocking (the descriptor was just found writable). */
static ssize_t write_nowait(ebb__wfd *e, struct iovec *iov, int cnt) {
  if (ebb__wasi_is_socket(e)) {
    struct msghdr m = {.msg_iov = iov, .msg_iovlen = (size_t)cnt};
    return sendmsg(e->host, &m, MSG_DONTWAIT | MSG_NOSIGNAL);
  }
  if (atomic_load(&e->nowait) >= 0) {
    ssize_t n = pwritev2(e->host, iov, cnt, -1, RWF_NOWAIT);
    if (n >= 0 || !nowait_refused(errno)) return n;
    atomic_store(&e->nowait, -1);
  }
  /* At most PIPE_BUF bytes: after POLLOUT a pipe has room for them. The gap
  ** of read_nowait remains: on borrowed stdio in blocking mode, a write to a
  ** stopped terminal (^S) blocks here uninterruptibly. */
  size_t left = PIPE_BUF;
  int k = 0;
  for (; k < cnt && left; k++) {
    if (iov[k].iov_len > left) iov[k].iov_len = left;
    left -= iov[k].iov_len;
  }
  return writev(e->host, iov, k);
}

int ebb__wasi_iov_advance(struct iovec *iov, int cnt, size_t done) {
  int i = 0;
  while (i < cnt && done >= iov[i].iov_len) done -= iov[i++].iov_len;
  if (i < cnt) {
    iov[i].iov_base = (char *)iov[i].iov_base + done;
    iov[i].iov_len -= done;
  }
  memmove(iov, iov + i, (size_t)(cnt - i) * sizeof *iov);
  return cnt - i;
}

size_t ebb__wasi_iov_total(const struct iovec *iov, int cnt) {
  size_t t = 0;
  for (int i = 0; i < cnt; i++) t += iov[i].iov_len;
  return t;
}

/* A write to a pipe whose reader has gone raises SIGPIPE, which would kill
** the embedding process; the guest should get EPIPE instead. Block the
** signal around the write and take back one it caused. */
typedef struct sigpipe_guard {
  sigset_t old;
  bool pending_before;
} sigpipe_guard;

static void sigpipe_block(sigpipe_guard *g) {
  sigset_t set, pending;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &set, &g->old);
  sigpending(&pending);
  g->pending_before = sigismember(&pending, SIGPIPE);
}

static void sigpipe_restore(sigpipe_guard *g, bool got_epipe) {
  if (got_epipe && !g->pending_before) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    struct timespec zero = {0, 0};
    while (sigtimedwait(&set, NULL, &zero) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &g->old, NULL);
}

ebb_status_t ebb__wasi_fd_read(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  uint32_t iovs = (uint32_t)a[1], n = (uint32_t)a[2], outp = (uint32_t)a[3];
  ebb__wfd *e;
  uint16_t err = ebb__fd_get(ebb_host_data(call), (uint32_t)a[0], EBB__R(EBB__R_FD_READ), &e);
  if (err) return ebb__wasi_ret(r, err);
  struct iovec iov[MAX_IOV];
  int cnt;
  ssize_t got = 0;
  err = ebb__wasi_iovs(call, iovs, n, iov, MAX_IOV, &cnt);
  if (!err && !ebb__wasi_mem(call, outp, 4)) err = EBB__WASI_EFAULT;
  if (err) goto done;
  if (cnt == 0) goto done; /* nothing asked: no wait either */
  if (!ebb__wasi_may_block(e)) {
    do got = readv(e->host, iov, cnt);
    while (got < 0 && errno == EINTR);
    if (got < 0) err = ebb__wasi_errno(errno);
    goto done;
  }
  for (;;) {
    int w = ebb__wasi_wait(call, e, POLLIN);
    if (w == EBB__WASI_WAIT_STOP) {
      ebb__fd_put(e);
      return EBB_INTERRUPTED; /* nothing read: the call runs again on resume */
    }
    if (w) {
      err = (uint16_t)w;
      break;
    }
    /* Look the buffers up again after the wait (see wasi.h). */
    if ((err = ebb__wasi_iovs(call, iovs, n, iov, MAX_IOV, &cnt))) break;
    got = read_nowait(e, iov, cnt);
    if (got >= 0) break;
    if (ebb__wasi_again(errno)) {
      got = 0;
      continue; /* someone else took the data: wait again */
    }
    err = ebb__wasi_errno(errno);
    break;
  }
done:
  ebb__fd_put(e);
  if (!err) ebb__put_u32(ebb__wasi_mem(call, outp, 4), (uint32_t)got);
  return ebb__wasi_ret(r, err);
}

ebb_status_t ebb__wasi_fd_write(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  uint32_t iovs = (uint32_t)a[1], n = (uint32_t)a[2], outp = (uint32_t)a[3];
  ebb__wfd *e;
  uint16_t err = ebb__fd_get(ebb_host_data(call), (uint32_t)a[0], EBB__R(EBB__R_FD_WRITE), &e);
  if (err) return ebb__wasi_ret(r, err);
  struct iovec iov[MAX_IOV];
  int cnt;
  size_t done = 0;
  err = ebb__wasi_iovs(call, iovs, n, iov, MAX_IOV, &cnt);
  if (!err && !ebb__wasi_mem(call, outp, 4)) err = EBB__WASI_EFAULT;
  if (err || cnt == 0) goto out;
  if (!ebb__wasi_may_block(e)) {
    ssize_t w;
    do w = writev(e->host, iov, cnt);
    while (w < 0 && errno == EINTR);
    if (w < 0) err = ebb__wasi_errno(errno);
    else done = (size_t)w;
    goto out;
  }
  sigpipe_guard g;
  memset(&g, 0, sizeof g);
  bool epipe = false;
  if (!ebb__wasi_is_socket(e)) sigpipe_block(&g); /* sockets use MSG_NOSIGNAL */
  bool stopped = false;
  size_t want = ebb__wasi_iov_total(iov, cnt);
  while (done < want) {
    int rc = ebb__wasi_wait(call, e, POLLOUT);
    if (rc) { /* stopped or failed: report what was written, if anything */
      stopped = rc == EBB__WASI_WAIT_STOP;
      if (done == 0 && !stopped) err = (uint16_t)rc;
      break;
    }
    if ((err = ebb__wasi_iovs(call, iovs, n, iov, MAX_IOV, &cnt))) break;
    /* Another thread shrank the buffers: 0 bytes written, not a stop. */
    if ((cnt = ebb__wasi_iov_advance(iov, cnt, done)) == 0) break;
    ssize_t w = write_nowait(e, iov, cnt);
    if (w >= 0) {
      done += (size_t)w;
      continue;
    }
    if (ebb__wasi_again(errno)) continue;
    epipe = errno == EPIPE;
    if (done == 0) err = ebb__wasi_errno(errno);
    break;
  }
  if (!ebb__wasi_is_socket(e)) sigpipe_restore(&g, epipe);
  if (stopped && done == 0) {
    ebb__fd_put(e);
    return EBB_INTERRUPTED; /* stopped before writing: the call runs again on resume */
  }
out:
  ebb__fd_put(e);
  if (!err) ebb__put_u32(ebb__wasi_mem(call, outp, 4), (uint32_t)done);
  return ebb__wasi_ret(r, err);
}

/* fd_pread / fd_pwrite: positioned, on descriptors that can seek. Those
** may still block when they are character devices (/dev/kmsg): they wait
** first, interruptibly, as fd_read does. The offset is u64; beyond
** INT64_MAX it is EINVAL. */
static ebb_status_t positioned(ebb_host_call_t *call, const uint64_t *a, uint64_t *r,
                               bool write) {
  uint32_t outp = (uint32_t)a[4];
  uint64_t off = a[3];
  ebb__wfd *e;
  uint64_t need = EBB__R(write ? EBB__R_FD_WRITE : EBB__R_FD_READ) | EBB__R(EBB__R_FD_SEEK);
  uint16_t err = ebb__wasi_get_seekable(ebb_host_data(call), (uint32_t)a[0], need, &e);
  if (err) return ebb__wasi_ret(r, err);
  struct iovec iov[MAX_IOV];
  int cnt;
  ssize_t n = 0;
  err = ebb__wasi_iovs(call, (uint32_t)a[1], (uint32_t)a[2], iov, MAX_IOV, &cnt);
  if (!err && !ebb__wasi_mem(call, outp, 4)) err = EBB__WASI_EFAULT;
  if (!err && off > (uint64_t)INT64_MAX) err = EBB__WASI_EINVAL;
  bool may_block = ebb__wasi_may_block(e);
  while (!err && cnt > 0) {
    if (may_block) {
      int w = ebb__wasi_wait(call, e, write ? POLLOUT : POLLIN);
      if (w == EBB__WASI_WAIT_STOP) {
        ebb__fd_put(e);
        return EBB_INTERRUPTED; /* nothing done: the call runs again on resume */
      }
      if (w) {
        err = (uint16_t)w;
        break;
      }
      /* Look the buffers up again after the wait (see wasi.h). */
      if ((err = ebb__wasi_iovs(call, (uint32_t)a[1], (uint32_t)a[2], iov, MAX_IOV, &cnt)))
        break;
    }
    n = write ? pwritev(e->host, iov, cnt, (off_t)off) : preadv(e->host, iov, cnt, (off_t)off);
    if (n >= 0) break;
    if (errno == EINTR || (may_block && ebb__wasi_again(errno))) continue;
    err = ebb__wasi_errno(errno);
  }
  ebb__fd_put(e);
  if (!err) ebb__put_u32(ebb__wasi_mem(call, outp, 4), (uint32_t)n);
  return ebb__wasi_ret(r, err);
}

ebb_status_t ebb__wasi_fd_pread(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  return positioned(call, a, r, false);
}

ebb_status_t ebb__wasi_fd_pwrite(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  return positioned(call, a, r, true);
}
