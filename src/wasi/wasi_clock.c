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

/* random_get(buf, len): filled EBB__WASI_CHUNK bytes at a time with a stop
** check between chunks; a stop returns EBB_INTERRUPTED and the call runs
** again on resume, filling the buffer from the start (bytes made random
** twice are as random). getrandom itself never blocks once the kernel's
** pool is ready, which it is long before a guest runs. */
ebb_status_t ebb__wasi_random_get(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  uint32_t len = (uint32_t)a[1];
  uint8_t *p = ebb__wasi_mem(call, (uint32_t)a[0], len);
  if (!p) return ebb__wasi_ret(r, EBB__WASI_EFAULT);
  for (size_t done = 0; done < len;) {
    if (done > 0 && ebb_host_stop_requested(call)) return EBB_INTERRUPTED;
    size_t want = len - done < EBB__WASI_CHUNK ? len - done : EBB__WASI_CHUNK;
    ssize_t n = getrandom(p + done, want, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ebb__wasi_ret(r, EBB__WASI_EIO);
    }
    done += (size_t)n;
  }
  return ebb__wasi_ret(r, 0);
}
