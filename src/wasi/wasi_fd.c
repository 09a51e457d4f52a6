/*
** wasi_fd.c -- the standard descriptors: write, stat, seek, close. The full
** descriptor table (files, directories, sockets) belongs to the WASI issue;
** here descriptors 0-2 map to the host's.
*/
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi/wasi.h"

static bool is_stdio(uint64_t fd) { return fd <= 2; }

ebb_status_t ebb__wasi_fd_write(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  uint32_t fd = (uint32_t)a[0], iovs = (uint32_t)a[1], n = (uint32_t)a[2];
  if (fd != 1 && fd != 2) {
    r[0] = EBB__WASI_EBADF;
    return EBB_OK;
  }
  uint8_t *vec = ebb__wasi_mem(call, iovs, (uint64_t)n * 8);
  uint8_t *out = ebb__wasi_mem(call, (uint32_t)a[3], 4);
  if (!vec || !out) {
    r[0] = EBB__WASI_EFAULT;
    return EBB_OK;
  }
  uint32_t total = 0;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t ptr, len;
    memcpy(&ptr, vec + 8 * i, 4);
    memcpy(&len, vec + 8 * i + 4, 4);
    uint8_t *buf = ebb__wasi_mem(call, ptr, len);
    if (!buf) {
      r[0] = EBB__WASI_EFAULT;
      return EBB_OK;
    }
    while (len) {
      ssize_t w = write((int)fd, buf, len);
      if (w < 0) {
        if (errno == EINTR) continue;
        r[0] = EBB__WASI_EIO;
        return EBB_OK;
      }
      buf += w;
      len -= (uint32_t)w;
      total += (uint32_t)w;
    }
  }
  memcpy(out, &total, 4);
  r[0] = EBB__WASI_ESUCCESS;
  return EBB_OK;
}

/* fdstat: filetype u8 @0, flags u16 @2, rights_base u64 @8, inheriting @16. */
ebb_status_t ebb__wasi_fd_fdstat_get(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  if (!is_stdio(a[0])) {
    r[0] = EBB__WASI_EBADF;
    return EBB_OK;
  }
  uint8_t *p = ebb__wasi_mem(call, (uint32_t)a[1], 24);
  if (!p) {
    r[0] = EBB__WASI_EFAULT;
    return EBB_OK;
  }
  struct stat st;
  uint8_t type = 0; /* unknown */
  if (fstat((int)a[0], &st) == 0) {
    if (S_ISCHR(st.st_mode)) type = 2;
    else if (S_ISREG(st.st_mode)) type = 4;
    else if (S_ISDIR(st.st_mode)) type = 3;
    else if (S_ISBLK(st.st_mode)) type = 1;
    else if (S_ISSOCK(st.st_mode)) type = 6;
  }
  memset(p, 0, 24);
  p[0] = type;
  uint64_t rights = ~(uint64_t)0 >> 35; /* every right preview1 defines (29 bits) */
  memcpy(p + 8, &rights, 8);
  r[0] = EBB__WASI_ESUCCESS;
  return EBB_OK;
}

ebb_status_t ebb__wasi_fd_seek(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  r[0] = is_stdio(a[0]) ? EBB__WASI_ESPIPE : EBB__WASI_EBADF;
  return EBB_OK;
}

ebb_status_t ebb__wasi_fd_close(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  /* The host's standard descriptors stay open; the guest just loses them. */
  r[0] = is_stdio(a[0]) ? EBB__WASI_ESUCCESS : EBB__WASI_EBADF;
  return EBB_OK;
}

ebb_status_t ebb__wasi_proc_exit(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  return ebb_host_exit(call, (int)(uint32_t)a[0]);
}
