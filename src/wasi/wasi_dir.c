/*
** wasi_dir.c -- fd_readdir: directory entries as WASI dirent records.
**
** A cookie is the kernel's own position in the directory (getdents64's
** d_off, which lseek accepts back), 0 being the start, so a read needs no
** state kept between calls: seek to the cookie, read entries, and pack as
** many as fit. Like the spec (and wasmtime) the last entry is cut short when
** the buffer ends inside it; a bufused equal to the buffer size tells the
** guest (wasi-libc) to call again with a larger buffer from that entry's
** cookie. "." and ".." are listed, as by wasmtime (node leaves them out).
**
** A huge buffer on a huge directory is much work: between batches of
** entries (HOST_BUF bytes of them) the call looks for a stop request and
** returns EBB_INTERRUPTED, to run again on resume from the same cookie
** (what it already put in the buffer is written again).
*/
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/alloc.h"
#include "wasi/wasi.h"

#define HOST_BUF 32768

/* The layout getdents64 fills. */
struct linux_dirent64 {
  uint64_t d_ino;
  int64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

static uint8_t dtype(int dir, const char *name, unsigned char t) {
  switch (t) {
  case DT_REG: return EBB__WASI_FT_REGULAR_FILE;
  case DT_DIR: return EBB__WASI_FT_DIRECTORY;
  case DT_LNK: return EBB__WASI_FT_SYMBOLIC_LINK;
  case DT_CHR: return EBB__WASI_FT_CHARACTER_DEVICE;
  case DT_BLK: return EBB__WASI_FT_BLOCK_DEVICE;
  case DT_SOCK: return EBB__WASI_FT_SOCKET_STREAM;
  case DT_UNKNOWN: { /* some file systems do not say: ask */
    struct stat st;
    if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0) return ebb__wasi_filetype(-1, &st);
    return EBB__WASI_FT_UNKNOWN;
  }
  default: return EBB__WASI_FT_UNKNOWN;
  }
}

/* Copy as much of src as fits at dst + *pos (buffer of len bytes). */
static void put(uint8_t *dst, uint32_t len, uint32_t *pos, const void *src, uint32_t n) {
  uint32_t room = len - *pos;
  if (n > room) n = room;
  memcpy(dst + *pos, src, n);
  *pos += n;
}

/* fd_readdir(fd, buf, buf_len, cookie u64) -> bufused */
ebb_status_t ebb__wasi_fd_readdir(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  uint32_t len = (uint32_t)a[2];
  uint64_t cookie = a[3];
  uint8_t *buf = ebb__wasi_mem(call, (uint32_t)a[1], len);
  uint8_t *used = ebb__wasi_mem(call, (uint32_t)a[4], 4);
  ebb__wfd *e;
  uint16_t err = ebb__fd_get(ebb_host_data(call), (uint32_t)a[0], 0, &e);
  if (err) return ebb__wasi_ret(r, err);
  if (!buf || !used) err = EBB__WASI_EFAULT;
  else if (e->type != EBB__WASI_FT_DIRECTORY) err = EBB__WASI_ENOTDIR;
  if ((err = ebb__fd_check(e, err, EBB__R(EBB__R_FD_READDIR), &e))) return ebb__wasi_ret(r, err);
  if (cookie > (uint64_t)INT64_MAX) err = EBB__WASI_EINVAL;
  char *host = err ? NULL : ebb__malloc(HOST_BUF);
  if (!err && !host) err = EBB__WASI_ENOMEM;
  if (err) {
    ebb__fd_put(e);
    return ebb__wasi_ret(r, err);
  }
  uint32_t pos = 0;
  /* The seek and the reads must not interleave with another thread's. */
  pthread_mutex_lock(&e->lock);
  if (lseek(e->host, (off_t)cookie, SEEK_SET) < 0) err = ebb__wasi_errno(errno);
  bool stopped = false;
  while (!err && pos < len) {
    if (pos > 0 && ebb_host_stop_requested(call)) {
      stopped = true;
      break;
    }
    long n = syscall(SYS_getdents64, e->host, host, HOST_BUF);
    if (n < 0) {
      err = ebb__wasi_errno(errno);
      break;
    }
    if (n == 0) break; /* the end */
    for (long off = 0; off < n && pos < len;) {
      struct linux_dirent64 *d = (struct linux_dirent64 *)(host + off);
      off += d->d_reclen;
      uint32_t namlen = (uint32_t)strlen(d->d_name);
      uint8_t head[EBB__WASI_DIRENT_SIZE];
      memset(head, 0, sizeof head);
      ebb__put_u64(head + 0, (uint64_t)d->d_off);
      ebb__put_u64(head + 8, d->d_ino);
      ebb__put_u32(head + 16, namlen);
      head[20] = dtype(e->host, d->d_name, d->d_type);
      put(buf, len, &pos, head, sizeof head);
      put(buf, len, &pos, d->d_name, namlen);
    }
  }
  pthread_mutex_unlock(&e->lock);
  ebb__free(host);
  ebb__fd_put(e);
  if (stopped) return EBB_INTERRUPTED;
  if (!err) ebb__put_u32(used, pos);
  return ebb__wasi_ret(r, err);
}
