/* wasi_clock.c -- clocks and randomness. */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/random.h>
#include <time.h>

#include "wasi/wasi.h"

/* WASI clock ids: realtime, monotonic, process and thread CPU time. */
static int host_clock(uint32_t id, clockid_t *out) {
  static const clockid_t ids[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
                                  CLOCK_THREAD_CPUTIME_ID};
  if (id >= 4) return -1;
  *out = ids[id];
  return 0;
}

static ebb_status_t put_time(ebb_host_call_t *call, uint32_t ptr, uint64_t ns, uint64_t *r) {
  uint8_t *p = ebb__wasi_mem(call, ptr, 8);
  if (!p) return ebb__wasi_ret(r, EBB__WASI_EFAULT);
  ebb__put_u64(p, ns);
  return ebb__wasi_ret(r, 0);
}

ebb_status_t ebb__wasi_clock_res_get(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  clockid_t id;
  struct timespec ts;
  if (host_clock((uint32_t)a[0], &id) || clock_getres(id, &ts)) {
    r[0] = EBB__WASI_EINVAL;
    return EBB_OK;
  }
  return put_time(call, (uint32_t)a[1], (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec,
                  r);
}

ebb_status_t ebb__wasi_clock_time_get(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  clockid_t id;
  struct timespec ts;
  if (host_clock((uint32_t)a[0], &id) || clock_gettime(id, &ts)) {
    r[0] = EBB__WASI_EINVAL;
    return EBB_OK;
  }
  return put_time(call, (uint32_t)a[2], (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec,
                  r);
}

ebb_status_t ebb__wasi_random_get(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  uint32_t len = (uint32_t)a[1];
  uint8_t *p = ebb__wasi_mem(call, (uint32_t)a[0], len);
  if (!p) {
    r[0] = EBB__WASI_EFAULT;
    return EBB_OK;
  }
  while (len) {
    ssize_t n = getrandom(p, len, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      r[0] = EBB__WASI_EIO;
      return EBB_OK;
    }
    p += n;
    len -= (uint32_t)n;
  }
  r[0] = EBB__WASI_ESUCCESS;
  return EBB_OK;
}
