/*
** wasi_sock.c -- sockets: accept on a preopened listening socket
** (ebb_wasi_preopen_socket), receive, send, shut down. Preview1 has no way
** to create, bind or connect a socket; those come from the embedder.
**
** Every wait goes through ebb__wasi_wait (interruptible, see wasi_rw.c);
** the calls themselves never block: the listening socket is non-blocking,
** accepted sockets are made non-blocking, and receives and sends use
** MSG_DONTWAIT. A call stopped by a request before it took or sent anything
** returns EBB_INTERRUPTED and runs again on resume. Each receive or send
** moves at most EBB__WASI_CHUNK bytes, and RECV_WAITALL looks for a stop
** between them (wasi.h).
*/
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "wasi/wasi.h"

/* A socket descriptor with `rights`: ENOTSOCK for any other kind. */
static uint16_t get_socket(ebb_host_call_t *call, uint32_t fd, uint64_t rights, ebb__wfd **out) {
  ebb__wfd *e;
  uint16_t err = ebb__fd_get(ebb_host_data(call), fd, 0, &e);
  if (err) return err;
  return ebb__fd_check(e, ebb__wasi_is_socket(e) ? 0 : EBB__WASI_ENOTSOCK, rights, out);
}

/* sock_accept(fd, fdflags) -> fd. Only NONBLOCK may be asked for. */
ebb_status_t ebb__wasi_sock_accept(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  uint32_t flags = (uint32_t)a[1], outp = (uint32_t)a[2];
  if (flags & ~(uint32_t)EBB__WASI_FDFLAG_NONBLOCK) return ebb__wasi_ret(r, EBB__WASI_EINVAL);
  if (!ebb__wasi_mem(call, outp, 4)) return ebb__wasi_ret(r, EBB__WASI_EFAULT);
  ebb__wfd *e;
  uint16_t err = get_socket(call, (uint32_t)a[0], EBB__R(EBB__R_SOCK_ACCEPT), &e);
  if (err) return ebb__wasi_ret(r, err);
  int s = -1;
  /* A socket of ours is non-blocking: try, then wait. A borrowed one (a
  ** listening socket given as stdin) may block: wait first, then accept
  ** what is there (only another acceptor taking it in between could make
  ** accept4 block, the gap of wasi_rw.c). */
  bool look = e->host_nb;
  for (;;) {
    if (look) {
      s = accept4(e->host, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
      if (s >= 0) break;
      if (!ebb__wasi_again(errno)) {
        err = ebb__wasi_errno(errno);
        break;
      }
    }
    look = true;
    int w = ebb__wasi_wait(call, e, POLLIN);
    if (w == EBB__WASI_WAIT_STOP) {
      ebb__fd_put(e);
      return EBB_INTERRUPTED; /* nothing accepted: the call runs again on resume */
    }
    if (w) {
      err = (uint16_t)w;
      break;
    }
  }
  ebb__fd_put(e);
  if (err) return ebb__wasi_ret(r, err);
  /* A socket's rights less accept; a socket passes nothing on. */
  uint64_t rights = EBB__RIGHTS_SOCKET & ~EBB__R(EBB__R_SOCK_ACCEPT);
  uint32_t fd;
  if ((err = ebb__fd_add(ebb_host_data(call), s, rights, 0, (uint16_t)flags, &fd)))
    return ebb__wasi_ret(r, err);
  ebb__put_u32(ebb__wasi_mem(call, outp, 4), fd);
  return ebb__wasi_ret(r, 0);
}

/* sock_recv(fd, ri_data, ri_data_len, riflags) -> (datalen, roflags).
** RECV_WAITALL is done here, chunk by chunk and wait by wait, so it stays
** interruptible; once some data has arrived, a stop returns what there is. */
ebb_status_t ebb__wasi_sock_recv(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  uint32_t iovs = (uint32_t)a[1], n = (uint32_t)a[2], riflags = (uint32_t)a[3];
  uint32_t lenp = (uint32_t)a[4], flagsp = (uint32_t)a[5];
  if (riflags & ~(uint32_t)(EBB__WASI_RECV_PEEK | EBB__WASI_RECV_WAITALL))
    return ebb__wasi_ret(r, EBB__WASI_EINVAL);
  if (!ebb__wasi_mem(call, lenp, 4) || !ebb__wasi_mem(call, flagsp, 2))
    return ebb__wasi_ret(r, EBB__WASI_EFAULT);
  ebb__wfd *e;
  uint16_t err = get_socket(call, (uint32_t)a[0], EBB__R(EBB__R_FD_READ), &e);
  if (err) return ebb__wasi_ret(r, err);
  struct iovec iov[EBB__WASI_IOV_MAX], win[EBB__WASI_IOV_MAX];
  int cnt;
  size_t got = 0, want = 0;
  uint16_t roflags = 0;
  if (!(err = ebb__wasi_iovs(call, iovs, n, iov, &cnt))) want = ebb__wasi_iov_total(iov, cnt);
  int peek = (riflags & EBB__WASI_RECV_PEEK) ? MSG_PEEK : 0;
  while (!err && got < want) {
    if (got > 0 && ebb_host_stop_requested(call)) break; /* return what there is */
    if ((err = ebb__wasi_iovs(call, iovs, n, iov, &cnt))) break;
    /* Skip what arrived already (only WAITALL comes round again). */
    int nw = ebb__wasi_iov_slice(iov, cnt, got, EBB__WASI_CHUNK, win);
    if (nw == 0) break; /* the guest shrank them */
    struct msghdr m = {.msg_iov = win, .msg_iovlen = (size_t)nw};
    ssize_t k = recvmsg(e->host, &m, MSG_DONTWAIT | peek);
    if (k > 0) {
      got += (size_t)k;
      if (m.msg_flags & MSG_TRUNC) roflags |= EBB__WASI_RECV_DATA_TRUNCATED;
      if (!(riflags & EBB__WASI_RECV_WAITALL) || peek) break;
      continue;
    }
    if (k == 0) break; /* the peer shut down */
    if (!ebb__wasi_again(errno)) {
      if (got == 0) err = ebb__wasi_errno(errno);
      break;
    }
    int w = ebb__wasi_wait(call, e, POLLIN);
    if (w == EBB__WASI_WAIT_STOP && got == 0) {
      ebb__fd_put(e);
      return EBB_INTERRUPTED; /* nothing taken: the call runs again on resume */
    }
    if (w) {
      if (got == 0 && w != EBB__WASI_WAIT_STOP) err = (uint16_t)w;
      break;
    }
  }
  ebb__fd_put(e);
  if (err) return ebb__wasi_ret(r, err);
  ebb__put_u32(ebb__wasi_mem(call, lenp, 4), (uint32_t)got);
  ebb__put_u16(ebb__wasi_mem(call, flagsp, 2), roflags);
  return ebb__wasi_ret(r, 0);
}

/* sock_send(fd, si_data, si_data_len, siflags) -> datalen. No siflags are
** defined: anything else is EINVAL. */
ebb_status_t ebb__wasi_sock_send(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  uint32_t iovs = (uint32_t)a[1], n = (uint32_t)a[2], lenp = (uint32_t)a[4];
  if ((uint32_t)a[3] != 0) return ebb__wasi_ret(r, EBB__WASI_EINVAL);
  if (!ebb__wasi_mem(call, lenp, 4)) return ebb__wasi_ret(r, EBB__WASI_EFAULT);
  ebb__wfd *e;
  uint16_t err = get_socket(call, (uint32_t)a[0], EBB__R(EBB__R_FD_WRITE), &e);
  if (err) return ebb__wasi_ret(r, err);
  struct iovec iov[EBB__WASI_IOV_MAX], win[EBB__WASI_IOV_MAX];
  int cnt;
  ssize_t k = 0;
  while (!(err = ebb__wasi_iovs(call, iovs, n, iov, &cnt)) && cnt > 0) {
    int nw = ebb__wasi_iov_slice(iov, cnt, 0, EBB__WASI_CHUNK, win);
    struct msghdr m = {.msg_iov = win, .msg_iovlen = (size_t)nw};
    k = sendmsg(e->host, &m, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (k >= 0) break;
    if (!ebb__wasi_again(errno)) {
      err = ebb__wasi_errno(errno);
      break;
    }
    k = 0;
    int w = ebb__wasi_wait(call, e, POLLOUT);
    if (w == EBB__WASI_WAIT_STOP) {
      ebb__fd_put(e);
      return EBB_INTERRUPTED; /* nothing sent: the call runs again on resume */
    }
    if (w) {
      err = (uint16_t)w;
      break;
    }
  }
  ebb__fd_put(e);
  if (err) return ebb__wasi_ret(r, err);
  ebb__put_u32(ebb__wasi_mem(call, lenp, 4), (uint32_t)k);
  return ebb__wasi_ret(r, 0);
}

/* sock_shutdown(fd, sdflags): RD = 1, WR = 2, both = 3. */
ebb_status_t ebb__wasi_sock_shutdown(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  static const int how[] = {-1, SHUT_RD, SHUT_WR, SHUT_RDWR};
  uint32_t sd = (uint32_t)a[1];
  if (sd == 0 || sd > 3) return ebb__wasi_ret(r, EBB__WASI_EINVAL);
  ebb__wfd *e;
  uint16_t err = get_socket(call, (uint32_t)a[0], EBB__R(EBB__R_SOCK_SHUTDOWN), &e);
  if (err) return ebb__wasi_ret(r, err);
  if (shutdown(e->host, how[sd])) err = ebb__wasi_errno(errno);
  ebb__fd_put(e);
  return ebb__wasi_ret(r, err);
}
