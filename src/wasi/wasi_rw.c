/*
** wasi_rw.c -- fd_read, fd_write, fd_pread, fd_pwrite.
**
** Regular files, directories and block devices never block: they are read
** and written directly, in chunks of EBB__WASI_CHUNK bytes with a stop
** check between them (a 4 GiB read must not delay a stop by seconds; a stop
** after the first chunk makes a short read or write, which POSIX allows).
** Everything else (pipes, FIFOs, terminals, sockets, character devices) may
** block, and a blocked guest must stay stoppable (DESIGN.md, "One way to
** block"). So those wait for readiness with ebb_host_poll, which also
** watches the thread's wake descriptor, and only then read or write at most
** one chunk in a way that cannot block:
**  - descriptors of our own that are O_NONBLOCK: what path_open and
**    sock_accept make, and the private open file description borrowed
**    stdio gets when it is a terminal or a pipe (fdtable.h);
**  - other sockets: recvmsg/sendmsg with MSG_DONTWAIT;
**  - other pipes and FIFOs: preadv2/pwritev2 with RWF_NOWAIT (Linux 5.x);
**  - where RWF_NOWAIT is refused too (a pty master, a terminal or pipe
**    whose private description could not be opened, other character
**    devices): a read or write that may still wait in the kernel, if
**    another reader takes the data first or a terminal has no room, made
**    interruptible by kernel_io.c (a private duplicate that a request
**    kills, and the embedder's signal for a call already waiting).
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
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "wasi/wasi.h"

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
    if (rc == EBB_ESIGNAL) return EBB__WASI_EINTR; /* the guest looks at its signal */
    if (rc < 0) return ebb__wasi_errno(errno);
    if (rc > 0) return 0; /* ready, or hung up / failed: the read or write says */
    if (nb) return EBB__WASI_EAGAIN;
  }
}

/* RWF_NOWAIT is refused with EOPNOTSUPP by files that do not support it,
** EINVAL or ENOSYS by kernels that predate it. */
static bool nowait_refused(int e) { return e == EOPNOTSUPP || e == EINVAL || e == ENOSYS; }

/* False when e can only be read or written inside the kernel (kernel_io.c):
** not ours, not a socket, and RWF_NOWAIT refused. */
static bool can_nowait(ebb__wfd *e) {
  return e->host_nb || ebb__wasi_is_socket(e) || atomic_load(&e->nowait) >= 0;
}

/* Read once without blocking (the descriptor was just found readable). When
** RWF_NOWAIT turns out to be refused: EAGAIN, and can_nowait says false
** from now on. */
static ssize_t read_nowait(ebb__wfd *e, struct iovec *iov, int cnt) {
  if (e->host_nb) return readv(e->host, iov, cnt);
  if (ebb__wasi_is_socket(e)) {
    struct msghdr m = {.msg_iov = iov, .msg_iovlen = (size_t)cnt};
    return recvmsg(e->host, &m, MSG_DONTWAIT);
  }
  ssize_t n = preadv2(e->host, iov, cnt, -1, RWF_NOWAIT);
  if (n >= 0 || !nowait_refused(errno)) return n;
  atomic_store(&e->nowait, -1);
  errno = EAGAIN;
  return -1;
}

/* Write once without blocking (the descriptor was just found writable), as
** read_nowait. */
static ssize_t write_nowait(ebb__wfd *e, struct iovec *iov, int cnt) {
  if (e->host_nb) return writev(e->host, iov, cnt);
  if (ebb__wasi_is_socket(e)) {
    struct msghdr m = {.msg_iov = iov, .msg_iovlen = (size_t)cnt};
    return sendmsg(e->host, &m, MSG_DONTWAIT | MSG_NOSIGNAL);
  }
  ssize_t n = pwritev2(e->host, iov, cnt, -1, RWF_NOWAIT);
  if (n >= 0 || !nowait_refused(errno)) return n;
  atomic_store(&e->nowait, -1);
  errno = EAGAIN;
  return -1;
}

/* The most a kernel-path read or write moves per call: a pipe's default
** capacity. Without an interrupt signal a write moves at most PIPE_BUF
** bytes, which fit after POLLOUT on a pipe: a write waiting in the kernel
** could not be ended then (kernel_io.c). */
#define KERNEL_BUF ((size_t)65536)

/* A read in the kernel into a buffer of ours, then copied into the guest's
** buffers [iovs, n), looked up again (wasi.h). As ebb__wasi_kernel_io;
** *err is set when the copy finds the buffers gone (EFAULT). */
static ssize_t read_kernel(ebb_host_call_t *call, ebb__wfd *e, uint32_t iovs, uint32_t n,
                           size_t want, uint16_t *err) {
  size_t len = want < KERNEL_BUF ? want : KERNEL_BUF;
  char *buf = ebb__malloc(len);
  if (!buf) {
    errno = ENOMEM;
    return -1;
  }
  ssize_t got = ebb__wasi_kernel_io(call, e, false, buf, len);
  if (got > 0) {
    struct iovec iov[EBB__WASI_IOV_MAX];
    int cnt;
    *err = ebb__wasi_iovs(call, iovs, n, iov, &cnt);
    size_t at = 0;
    for (int i = 0; !*err && i < cnt && at < (size_t)got; i++) {
      size_t m = (size_t)got - at < iov[i].iov_len ? (size_t)got - at : iov[i].iov_len;
      memcpy(iov[i].iov_base, buf + at, m);
      at += m;
    }
    got = (ssize_t)at; /* buffers another thread shrank meanwhile: what fitted */
  }
  ebb__free(buf);
  return got;
}

/* A write in the kernel of the start of win, copied to a buffer of ours
** first. As ebb__wasi_kernel_io. */
static ssize_t write_kernel(ebb_host_call_t *call, ebb__wfd *e, const struct iovec *win,
                            int k) {
  ebb_wasi_t *w = ebb_host_data(call);
  size_t cap = atomic_load(&w->intr_signo) ? KERNEL_BUF : PIPE_BUF;
  size_t len = ebb__wasi_iov_total(win, k);
  if (len > cap) len = cap;
  char *buf = ebb__malloc(len);
  if (!buf) {
    errno = ENOMEM;
    return -1;
  }
  size_t at = 0;
  for (int i = 0; i < k && at < len; i++) {
    size_t m = len - at < win[i].iov_len ? len - at : win[i].iov_len;
    memcpy(buf + at, win[i].iov_base, m);
    at += m;
  }
  ssize_t n = ebb__wasi_kernel_io(call, e, true, buf, len);
  ebb__free(buf);
  return n;
}

int ebb__wasi_iov_slice(const struct iovec *iov, int cnt, size_t skip, size_t max,
                        struct iovec *out) {
  int i = 0, k = 0;
  while (i < cnt && skip >= iov[i].iov_len) skip -= iov[i++].iov_len;
  for (; i < cnt && max > 0; i++, skip = 0) {
    size_t len = iov[i].iov_len - skip;
    if (len > max) len = max;
    out[k].iov_base = (char *)iov[i].iov_base + skip;
    out[k].iov_len = len;
    max -= len;
    k++;
  }
  return k;
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

/* Read or write a descriptor that never blocks (regular file, directory,
** block device) chunk by chunk, at offset `off` (or the current position
** when off < 0), until done, the end of the file, a short transfer, or a
** stop request after the first chunk. *done is what was transferred; the
** result is a WASI errno only when nothing was. */
static uint16_t chunked(ebb_host_call_t *call, ebb__wfd *e, const struct iovec *iov, int cnt,
                        bool write, int64_t off, size_t *done) {
  int fd = e->host;
  struct iovec win[EBB__WASI_IOV_MAX];
  size_t want = ebb__wasi_iov_total(iov, cnt), d = 0;
  while (d < want) {
    if (d > 0 && ebb_host_stop_requested(call)) break; /* a short transfer */
    if (off >= 0 && d > (uint64_t)(INT64_MAX - off)) break;
    int k = ebb__wasi_iov_slice(iov, cnt, d, EBB__WASI_CHUNK, win);
    size_t len = ebb__wasi_iov_total(win, k);
    ssize_t n;
    do {
      if (off < 0) n = write ? writev(fd, win, k) : readv(fd, win, k);
      else if (write) n = ebb__wasi_pwrite(e, win, k, (off_t)(off + (int64_t)d));
      else n = preadv(fd, win, k, (off_t)(off + (int64_t)d));
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
      if (d == 0) return ebb__wasi_errno(errno);
      break; /* report what was done; the next call sees the error */
    }
    d += (size_t)n;
    if ((size_t)n < len) break; /* the end of the file, a full disk */
  }
  *done = d;
  return 0;
}

ebb_status_t ebb__wasi_fd_read(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  uint32_t iovs = (uint32_t)a[1], n = (uint32_t)a[2], outp = (uint32_t)a[3];
  ebb__wfd *e;
  uint16_t err = ebb__fd_get(ebb_host_data(call), (uint32_t)a[0], EBB__R(EBB__R_FD_READ), &e);
  if (err) return ebb__wasi_ret(r, err);
  struct iovec iov[EBB__WASI_IOV_MAX], win[EBB__WASI_IOV_MAX];
  int cnt;
  size_t got = 0;
  err = ebb__wasi_iovs(call, iovs, n, iov, &cnt);
  if (!err && !ebb__wasi_mem(call, outp, 4)) err = EBB__WASI_EFAULT;
  if (err) goto done;
  if (cnt == 0) goto done; /* nothing asked: no wait either */
  if (!ebb__wasi_may_block(e)) {
    err = chunked(call, e, iov, cnt, false, -1, &got);
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
    if ((err = ebb__wasi_iovs(call, iovs, n, iov, &cnt))) break;
    int k = ebb__wasi_iov_slice(iov, cnt, 0, EBB__WASI_CHUNK, win);
    ssize_t rd;
    if (can_nowait(e)) {
      rd = read_nowait(e, win, k);
    } else {
      rd = read_kernel(call, e, iovs, n, ebb__wasi_iov_total(win, k), &err);
      if (rd == EBB__WASI_KERNEL_STOP) {
        ebb__fd_put(e);
        return EBB_INTERRUPTED; /* nothing read: the call runs again on resume */
      }
      if (err) break;
    }
    if (rd >= 0) {
      got = (size_t)rd;
      break;
    }
    if (ebb__wasi_again(errno)) continue; /* someone else took the data: wait again */
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
  struct iovec iov[EBB__WASI_IOV_MAX], win[EBB__WASI_IOV_MAX];
  int cnt;
  size_t done = 0;
  err = ebb__wasi_iovs(call, iovs, n, iov, &cnt);
  if (!err && !ebb__wasi_mem(call, outp, 4)) err = EBB__WASI_EFAULT;
  if (err || cnt == 0) goto out;
  if (!ebb__wasi_may_block(e)) {
    err = chunked(call, e, iov, cnt, true, -1, &done);
    goto out;
  }
  sigpipe_guard g;
  memset(&g, 0, sizeof g);
  bool epipe = false;
  if (!ebb__wasi_is_socket(e)) sigpipe_block(&g); /* sockets use MSG_NOSIGNAL */
  bool stopped = false;
  size_t want = ebb__wasi_iov_total(iov, cnt);
  /* One chunk per turn; each wait also looks for a stop request. */
  while (done < want) {
    int rc = ebb__wasi_wait(call, e, POLLOUT);
    if (rc) { /* stopped or failed: report what was written, if anything */
      stopped = rc == EBB__WASI_WAIT_STOP;
      if (done == 0 && !stopped) err = (uint16_t)rc;
      break;
    }
    if ((err = ebb__wasi_iovs(call, iovs, n, iov, &cnt))) break;
    /* Another thread shrank the buffers: 0 bytes written, not a stop. */
    int k = ebb__wasi_iov_slice(iov, cnt, done, EBB__WASI_CHUNK, win);
    if (k == 0) break;
    ssize_t w = can_nowait(e) ? write_nowait(e, win, k) : write_kernel(call, e, win, k);
    if (w == EBB__WASI_KERNEL_STOP) {
      stopped = true;
      break;
    }
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
** first, interruptibly, as fd_read does, and then move one chunk. The
** offset is u64; beyond INT64_MAX it is EINVAL. */
static ebb_status_t positioned(ebb_host_call_t *call, const uint64_t *a, uint64_t *r,
                               bool write) {
  uint32_t iovs = (uint32_t)a[1], n = (uint32_t)a[2], outp = (uint32_t)a[4];
  uint64_t off = a[3];
  ebb__wfd *e;
  uint64_t need = EBB__R(write ? EBB__R_FD_WRITE : EBB__R_FD_READ) | EBB__R(EBB__R_FD_SEEK);
  uint16_t err = ebb__wasi_get_seekable(ebb_host_data(call), (uint32_t)a[0], need, &e);
  if (err) return ebb__wasi_ret(r, err);
  struct iovec iov[EBB__WASI_IOV_MAX], win[EBB__WASI_IOV_MAX];
  int cnt;
  size_t done = 0;
  err = ebb__wasi_iovs(call, iovs, n, iov, &cnt);
  if (!err && !ebb__wasi_mem(call, outp, 4)) err = EBB__WASI_EFAULT;
  if (!err && off > (uint64_t)INT64_MAX) err = EBB__WASI_EINVAL;
  if (!err && cnt > 0 && !ebb__wasi_may_block(e))
    err = chunked(call, e, iov, cnt, write, (int64_t)off, &done);
  else if (!err && cnt > 0) {
    for (;;) {
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
      if ((err = ebb__wasi_iovs(call, iovs, n, iov, &cnt))) break;
      int k = ebb__wasi_iov_slice(iov, cnt, 0, EBB__WASI_CHUNK, win);
      ssize_t m = write ? pwritev(e->host, win, k, (off_t)off) : preadv(e->host, win, k, (off_t)off);
      if (m >= 0) {
        done = (size_t)m;
        break;
      }
      if (ebb__wasi_again(errno)) continue;
      err = ebb__wasi_errno(errno);
      break;
    }
  }
  ebb__fd_put(e);
  if (!err) ebb__put_u32(ebb__wasi_mem(call, outp, 4), (uint32_t)done);
  return ebb__wasi_ret(r, err);
}

ebb_status_t ebb__wasi_fd_pread(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  return positioned(call, a, r, false);
}

ebb_status_t ebb__wasi_fd_pwrite(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  return positioned(call, a, r, true);
}

/* ---- fd_pwrite on an APPEND descriptor ----------------------------------
**
** WASI's fd_pwrite writes at its offset whatever the descriptor's flags;
** Linux's pwritev on an O_APPEND description appends instead. Linux 6.9 and
** later take RWF_NOAPPEND, which drops O_APPEND for the one call: exact,
** and seen by nothing else (an append-only inode still says EPERM). Older
** kernels write through a second open file description of the same file
** without O_APPEND (e->nonappend, reopened from /proc/self/fd), while the
** shared one has O_APPEND; e->lock orders that check and the write with
** fd_fdstat_set_flags, so a pwrite never meets an APPEND set after it
** looked. Where no such description can be had, ENOTSUP: never a write at
** the wrong place. Clearing O_APPEND around the write instead would be
** racy: another guest thread's fd_write in between would land mid-file, and
** borrowed stdio's description is the parent's (changed for everyone, and
** left so if ebb died in between). */

#ifndef RWF_NOAPPEND
#define RWF_NOAPPEND 0x00000020
#endif

atomic_int ebb__wasi_noappend;

/* e's file without O_APPEND for writing (e->lock held), made once; -1 when
** it cannot be opened. The access mode is the shared description's, so
** nothing is reachable through it that was not before. */
static int nonappend_fd(ebb__wfd *e, int fl) {
  struct stat st;
  if (e->nonappend < 0 && fstat(e->host, &st) == 0)
    e->nonappend = ebb__wfd_reopen(e->host, fl & (O_ACCMODE | O_SYNC | O_DSYNC), &st);
  return e->nonappend;
}

static ssize_t pwrite_fallback(ebb__wfd *e, const struct iovec *iov, int cnt, off_t off) {
  pthread_mutex_lock(&e->lock);
  int fd = e->host;
  int fl = fcntl(e->host, F_GETFL);
  if (fl >= 0 && (fl & O_APPEND) && (fl & O_ACCMODE) != O_RDONLY) fd = nonappend_fd(e, fl);
  ssize_t n;
  if (fd < 0) {
    errno = ENOTSUP;
    n = -1;
  } else {
    n = pwritev(fd, iov, cnt, off);
  }
  pthread_mutex_unlock(&e->lock);
  return n;
}

ssize_t ebb__wasi_pwrite(ebb__wfd *e, const struct iovec *iov, int cnt, off_t off) {
  if (atomic_load(&ebb__wasi_noappend) >= 0) {
    ssize_t n = pwritev2(e->host, iov, cnt, off, RWF_NOAPPEND);
    /* An unknown flag is EOPNOTSUPP (glibc says so too where pwritev2 is
    ** missing). Only regular files and block devices come here, and the
    ** kernel checks the flag for all of them alike. */
    if (n >= 0 || (errno != EOPNOTSUPP && errno != ENOSYS)) return n;
    atomic_store(&ebb__wasi_noappend, -1);
  }
  return pwrite_fallback(e, iov, cnt, off);
}
