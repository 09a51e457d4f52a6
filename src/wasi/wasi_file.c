/*
** wasi_file.c -- positions, sizes, times and syncing of open descriptors,
** and the filestat record path_filestat_get shares. Syncing, allocating and
** setting the size can take long in the kernel, where nothing interrupts
** them: they run on a worker thread (wasi_worker.c).
*/
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "wasi/wasi.h"

uint16_t ebb__wasi_get_seekable(ebb_wasi_t *w, uint32_t fd, uint64_t rights, ebb__wfd **out) {
  ebb__wfd *e;
  uint16_t err = ebb__fd_get(w, fd, 0, &e);
  if (err) return err;
  uint64_t applies, inh;
  ebb__wasi_type_rights(e->host, e->type, &applies, &inh);
  if (e->type == EBB__WASI_FT_DIRECTORY) err = EBB__WASI_EBADF; /* as wasmtime */
  else if (!(applies & EBB__R(EBB__R_FD_SEEK))) err = EBB__WASI_ESPIPE; /* pipe, socket, tty */
  return ebb__fd_check(e, err, rights, out);
}

/* Nanoseconds since the epoch; times before it read as 0. */
static uint64_t ns_of(struct timespec t) {
  if (t.tv_sec < 0) return 0;
  if ((uint64_t)t.tv_sec > UINT64_MAX / 1000000000u - 1) return UINT64_MAX;
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

void ebb__wasi_put_filestat(uint8_t *p, int host, const struct stat *st) {
  memset(p, 0, EBB__WASI_FILESTAT_SIZE);
  ebb__put_u64(p + 0, (uint64_t)st->st_dev);
  ebb__put_u64(p + 8, (uint64_t)st->st_ino);
  p[16] = ebb__wasi_filetype(host, st);
  ebb__put_u64(p + 24, (uint64_t)st->st_nlink);
  ebb__put_u64(p + 32, (uint64_t)st->st_size);
  ebb__put_u64(p + 40, ns_of(st->st_atim));
  ebb__put_u64(p + 48, ns_of(st->st_mtim));
  ebb__put_u64(p + 56, ns_of(st->st_ctim));
}

uint16_t ebb__wasi_times(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec *ts) {
  if (fst & ~(uint32_t)15) return EBB__WASI_EINVAL;
  if ((fst & EBB__WASI_FST_ATIM) && (fst & EBB__WASI_FST_ATIM_NOW)) return EBB__WASI_EINVAL;
  if ((fst & EBB__WASI_FST_MTIM) && (fst & EBB__WASI_FST_MTIM_NOW)) return EBB__WASI_EINVAL;
  uint64_t t[2] = {atim, mtim};
  uint32_t set[2] = {EBB__WASI_FST_ATIM, EBB__WASI_FST_MTIM};
  uint32_t now[2] = {EBB__WASI_FST_ATIM_NOW, EBB__WASI_FST_MTIM_NOW};
  for (int i = 0; i < 2; i++) {
    ts[i].tv_sec = 0;
    if (fst & now[i]) {
      ts[i].tv_nsec = UTIME_NOW;
    } else if (fst & set[i]) {
      ts[i].tv_sec = (time_t)(t[i] / 1000000000u);
      ts[i].tv_nsec = (long)(t[i] % 1000000000u);
    } else {
      ts[i].tv_nsec = UTIME_OMIT;
    }
  }
  return 0;
}

/* fd_seek(fd, offset s64, whence u8) -> filesize. Telling where one is
** (CUR, 0) needs only the fd_tell right. */
ebb_status_t ebb__wasi_fd_seek(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  int64_t off = (int64_t)a[1];
  uint32_t whence = (uint32_t)a[2];
  static const int host_whence[] = {SEEK_SET, SEEK_CUR, SEEK_END};
  if (whence > EBB__WASI_WHENCE_END) return ebb__wasi_ret(r, EBB__WASI_EINVAL);
  uint64_t need = (whence == EBB__WASI_WHENCE_CUR && off == 0) ? EBB__R(EBB__R_FD_TELL)
                                                               : EBB__R(EBB__R_FD_SEEK);
  uint8_t *out = ebb__wasi_mem(call, (uint32_t)a[3], 8);
  ebb__wfd *e;
  uint16_t err = ebb__wasi_get_seekable(ebb_host_data(call), (uint32_t)a[0], need, &e);
  if (err) return ebb__wasi_ret(r, err);
  if (!out) {
    err = EBB__WASI_EFAULT;
  } else {
    off_t pos = lseek(e->host, (off_t)off, host_whence[whence]);
    if (pos < 0) err = ebb__wasi_errno(errno);
    else ebb__put_u64(out, (uint64_t)pos);
  }
  ebb__fd_put(e);
  return ebb__wasi_ret(r, err);
}

ebb_status_t ebb__wasi_fd_tell(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  uint8_t *out = ebb__wasi_mem(call, (uint32_t)a[1], 8);
  ebb__wfd *e;
  uint16_t err =
      ebb__wasi_get_seekable(ebb_host_data(call), (uint32_t)a[0], EBB__R(EBB__R_FD_TELL), &e);
  if (err) return ebb__wasi_ret(r, err);
  if (!out) {
    err = EBB__WASI_EFAULT;
  } else {
    off_t pos = lseek(e->host, 0, SEEK_CUR);
    if (pos < 0) err = ebb__wasi_errno(errno);
    else ebb__put_u64(out, (uint64_t)pos);
  }
  ebb__fd_put(e);
  return ebb__wasi_ret(r, err);
}

/* Offsets and lengths are u64 in WASI and off_t (signed) on the host. */
static bool too_big(uint64_t v) { return v > (uint64_t)INT64_MAX; }

ebb_status_t ebb__wasi_fd_advise(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  static const int advice[] = {POSIX_FADV_NORMAL,   POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                               POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED,   POSIX_FADV_NOREUSE};
  uint32_t adv = (uint32_t)a[3];
  if (adv > EBB__WASI_ADVICE_MAX || too_big(a[1]) || too_big(a[2]))
    return ebb__wasi_ret(r, EBB__WASI_EINVAL);
  ebb__wfd *e;
  uint16_t err = ebb__fd_get(ebb_host_data(call), (uint32_t)a[0], EBB__R(EBB__R_FD_ADVISE), &e);
  if (err) return ebb__wasi_ret(r, err);
  int rc = posix_fadvise(e->host, (off_t)a[1], (off_t)a[2], advice[adv]);
  ebb__fd_put(e);
  return ebb__wasi_ret(r, rc ? ebb__wasi_errno(rc) : 0);
}

/* A call made on a worker (ebb__wasi_offload) for descriptor fd with
** `right`: the result, or EBB_INTERRUPTED when a request stopped the wait. */
static ebb_status_t offload(ebb_host_call_t *call, uint32_t fd, int right, int op, uint64_t off,
                            uint64_t len, uint64_t *r) {
  ebb__wfd *e;
  uint16_t err = ebb__fd_get(ebb_host_data(call), fd, EBB__R(right), &e);
  if (err) return ebb__wasi_ret(r, err);
  int rc = ebb__wasi_offload(call, e, op, off, len);
  ebb__fd_put(e);
  if (rc == EBB__WASI_WAIT_STOP) return EBB_INTERRUPTED; /* runs again on resume */
  return ebb__wasi_ret(r, (uint16_t)rc);
}

/* fd_allocate(fd, offset, len): ENOTSUP where the file system cannot
** allocate (wasi_worker.c). */
ebb_status_t ebb__wasi_fd_allocate(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  if (too_big(a[1]) || too_big(a[2]) || a[1] + a[2] > (uint64_t)INT64_MAX)
    return ebb__wasi_ret(r, EBB__WASI_EINVAL);
  return offload(call, (uint32_t)a[0], EBB__R_FD_ALLOCATE, EBB__WASI_JOB_FALLOCATE, a[1], a[2],
                 r);
}

ebb_status_t ebb__wasi_fd_datasync(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  return offload(call, (uint32_t)a[0], EBB__R_FD_DATASYNC, EBB__WASI_JOB_FDATASYNC, 0, 0, r);
}

ebb_status_t ebb__wasi_fd_sync(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  return offload(call, (uint32_t)a[0], EBB__R_FD_SYNC, EBB__WASI_JOB_FSYNC, 0, 0, r);
}

ebb_status_t ebb__wasi_fd_filestat_get(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  ebb__wfd *e;
  uint16_t err =
      ebb__fd_get(ebb_host_data(call), (uint32_t)a[0], EBB__R(EBB__R_FD_FILESTAT_GET), &e);
  if (err) return ebb__wasi_ret(r, err);
  uint8_t *p = ebb__wasi_mem(call, (uint32_t)a[1], EBB__WASI_FILESTAT_SIZE);
  struct stat st;
  if (!p) err = EBB__WASI_EFAULT;
  else if (fstat(e->host, &st)) err = ebb__wasi_errno(errno);
  else ebb__wasi_put_filestat(p, e->host, &st);
  ebb__fd_put(e);
  return ebb__wasi_ret(r, err);
}

ebb_status_t ebb__wasi_fd_filestat_set_size(ebb_host_call_t *call, const uint64_t *a,
                                            uint64_t *r) {
  if (too_big(a[1])) return ebb__wasi_ret(r, EBB__WASI_EINVAL);
  /* Shrinking a large file frees its blocks, which takes a while. */
  return offload(call, (uint32_t)a[0], EBB__R_FD_FILESTAT_SET_SIZE, EBB__WASI_JOB_FTRUNCATE, a[1],
                 0, r);
}

ebb_status_t ebb__wasi_fd_filestat_set_times(ebb_host_call_t *call, const uint64_t *a,
                                             uint64_t *r) {
  struct timespec ts[2];
  uint16_t err = ebb__wasi_times(a[1], a[2], (uint32_t)a[3], ts);
  if (err) return ebb__wasi_ret(r, err);
  ebb__wfd *e;
  err = ebb__fd_get(ebb_host_data(call), (uint32_t)a[0], EBB__R(EBB__R_FD_FILESTAT_SET_TIMES),
                    &e);
  if (err) return ebb__wasi_ret(r, err);
  if (futimens(e->host, ts)) err = ebb__wasi_errno(errno);
  ebb__fd_put(e);
  return ebb__wasi_ret(r, err);
}
