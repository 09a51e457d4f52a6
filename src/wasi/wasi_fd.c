/*
** wasi_fd.c -- operations on the descriptor table itself: close, renumber,
** descriptor status and flags, rights, and the preopen queries wasi-libc
** makes at startup to learn its directories.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <string.h>

#include "wasi/wasi.h"

ebb_status_t ebb__wasi_fd_close(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  /* Closing 0-2 removes them from the guest; the host's stay open. */
  return ebb__wasi_ret(r, ebb__fd_close(ebb_host_data(call), (uint32_t)a[0]));
}

/* `to` must be open unless the embedder allowed otherwise (fdtable.h). */
ebb_status_t ebb__wasi_fd_renumber(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  ebb_wasi_t *w = ebb_host_data(call);
  bool any = atomic_load(&w->renumber_any);
  return ebb__wasi_ret(r, ebb__fd_renumber(w, (uint32_t)a[0], (uint32_t)a[1], any));
}

/* fdstat: filetype u8 @0, flags u16 @2, rights_base u64 @8, inheriting @16. */
ebb_status_t ebb__wasi_fd_fdstat_get(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  ebb__wfd *e;
  uint16_t err = ebb__fd_get(ebb_host_data(call), (uint32_t)a[0], 0, &e);
  if (err) return ebb__wasi_ret(r, err);
  uint8_t *p = ebb__wasi_mem(call, (uint32_t)a[1], EBB__WASI_FDSTAT_SIZE);
  if (p) {
    memset(p, 0, EBB__WASI_FDSTAT_SIZE);
    p[0] = e->type;
    ebb__put_u16(p + 2, atomic_load(&e->flags));
    ebb__put_u64(p + 8, atomic_load(&e->base));
    ebb__put_u64(p + 16, atomic_load(&e->inheriting));
  }
  ebb__fd_put(e);
  return ebb__wasi_ret(r, p ? 0 : EBB__WASI_EFAULT);
}

/* O_APPEND set or cleared on e's host descriptor, under e->lock, so that it
** never changes between a fallback pwrite's look at it and its write
** (wasi_rw.c). */
static uint16_t set_append(ebb__wfd *e, bool on) {
  uint16_t err = 0;
  pthread_mutex_lock(&e->lock);
  int fl = fcntl(e->host, F_GETFL);
  if (fl < 0 || fcntl(e->host, F_SETFL, on ? fl | O_APPEND : fl & ~O_APPEND))
    err = ebb__wasi_errno(errno);
  pthread_mutex_unlock(&e->lock);
  return err;
}

/* APPEND is the host descriptor's own flag. NONBLOCK is kept here only: the
** host descriptor may be shared (the parent's terminal), and waits are
** emulated anyway (wasi_rw.c). Linux cannot change O_SYNC/O_DSYNC on an
** open descriptor, so asking for a different synchronization is ENOTSUP.
** So is changing APPEND on borrowed stdio: its open file description is
** the parent's, and the flag would stay set after the guest (fdtable.h). */
ebb_status_t ebb__wasi_fd_fdstat_set_flags(ebb_host_call_t *call, const uint64_t *a,
                                           uint64_t *r) {
  uint32_t flags = (uint32_t)a[1];
  if (flags & ~(uint32_t)EBB__WASI_FDFLAGS_ALL) return ebb__wasi_ret(r, EBB__WASI_EINVAL);
  ebb__wfd *e;
  uint16_t err = ebb__fd_get(ebb_host_data(call), (uint32_t)a[0],
                             EBB__R(EBB__R_FD_FDSTAT_SET_FLAGS), &e);
  if (err) return ebb__wasi_ret(r, err);
  const uint16_t sync = EBB__WASI_FDFLAG_DSYNC | EBB__WASI_FDFLAG_RSYNC | EBB__WASI_FDFLAG_SYNC;
  uint16_t old = atomic_load(&e->flags);
  if ((flags & sync) != (old & sync)) {
    err = EBB__WASI_ENOTSUP;
  } else if (e->stdio && ((flags ^ old) & EBB__WASI_FDFLAG_APPEND)) {
    err = EBB__WASI_ENOTSUP;
  } else if ((flags ^ old) & EBB__WASI_FDFLAG_APPEND) {
    err = set_append(e, flags & EBB__WASI_FDFLAG_APPEND);
  }
  if (!err) atomic_store(&e->flags, (uint16_t)flags);
  ebb__fd_put(e);
  return ebb__wasi_ret(r, err);
}

ebb_status_t ebb__wasi_fd_fdstat_set_rights(ebb_host_call_t *call, const uint64_t *a,
                                            uint64_t *r) {
  return ebb__wasi_ret(r, ebb__fd_set_rights(ebb_host_data(call), (uint32_t)a[0], a[1], a[2]));
}

/* prestat: tag u8 @0 (0 = dir), pr_name_len u32 @4. wasi-libc asks for
** descriptors 3, 4, ... until EBADF, so every other descriptor is EBADF. */
ebb_status_t ebb__wasi_fd_prestat_get(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  ebb__wfd *e;
  uint16_t err = ebb__fd_get(ebb_host_data(call), (uint32_t)a[0], 0, &e);
  if (err) return ebb__wasi_ret(r, err);
  if (!e->preopen) {
    err = EBB__WASI_EBADF;
  } else {
    uint8_t *p = ebb__wasi_mem(call, (uint32_t)a[1], EBB__WASI_PRESTAT_SIZE);
    if (!p) {
      err = EBB__WASI_EFAULT;
    } else {
      memset(p, 0, EBB__WASI_PRESTAT_SIZE);
      ebb__put_u32(p + 4, (uint32_t)strlen(e->preopen));
    }
  }
  ebb__fd_put(e);
  return ebb__wasi_ret(r, err);
}

/* The name without a NUL; ENAMETOOLONG when the buffer is short (as
** wasmtime). */
ebb_status_t ebb__wasi_fd_prestat_dir_name(ebb_host_call_t *call, const uint64_t *a,
                                           uint64_t *r) {
  ebb__wfd *e;
  uint16_t err = ebb__fd_get(ebb_host_data(call), (uint32_t)a[0], 0, &e);
  if (err) return ebb__wasi_ret(r, err);
  uint32_t len = (uint32_t)a[2];
  if (!e->preopen) {
    err = EBB__WASI_EBADF;
  } else {
    size_t n = strlen(e->preopen);
    uint8_t *p = ebb__wasi_mem(call, (uint32_t)a[1], len);
    if (!p) err = EBB__WASI_EFAULT;
    else if (n > len) err = EBB__WASI_ENAMETOOLONG;
    else memcpy(p, e->preopen, n);
  }
  ebb__fd_put(e);
  return ebb__wasi_ret(r, err);
}
