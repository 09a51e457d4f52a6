/* wasi_args.c -- args_* and environ_*: string vectors copied into the guest. */
#include <string.h>

#include "wasi/wasi.h"

static void put_u32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

/* Sizes: count and total bytes including each string's NUL. */
static ebb_status_t sizes(ebb_host_call_t *call, char **v, int n, const uint64_t *a, uint64_t *r) {
  uint64_t bytes = 0;
  for (int i = 0; i < n; i++) bytes += strlen(v[i]) + 1;
  uint8_t *pc = ebb__wasi_mem(call, (uint32_t)a[0], 4);
  uint8_t *pb = ebb__wasi_mem(call, (uint32_t)a[1], 4);
  if (!pc || !pb) {
    r[0] = EBB__WASI_EFAULT;
    return EBB_OK;
  }
  put_u32(pc, (uint32_t)n);
  put_u32(pb, (uint32_t)bytes);
  r[0] = EBB__WASI_ESUCCESS;
  return EBB_OK;
}

/* Pointers to each string at a[0], the strings themselves at a[1]. */
static ebb_status_t strings(ebb_host_call_t *call, char **v, int n, const uint64_t *a,
                            uint64_t *r) {
  uint32_t ptrs = (uint32_t)a[0], buf = (uint32_t)a[1];
  uint8_t *pp = ebb__wasi_mem(call, ptrs, (uint64_t)n * 4);
  if (!pp) {
    r[0] = EBB__WASI_EFAULT;
    return EBB_OK;
  }
  for (int i = 0; i < n; i++) {
    size_t len = strlen(v[i]) + 1;
    uint8_t *dst = ebb__wasi_mem(call, buf, len);
    if (!dst) {
      r[0] = EBB__WASI_EFAULT;
      return EBB_OK;
    }
    memcpy(dst, v[i], len);
    put_u32(pp + 4 * i, buf);
    buf += (uint32_t)len;
  }
  r[0] = EBB__WASI_ESUCCESS;
  return EBB_OK;
}

ebb_status_t ebb__wasi_args_sizes_get(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  ebb_wasi_t *w = ebb_host_data(call);
  return sizes(call, w->argv, w->argc, a, r);
}

ebb_status_t ebb__wasi_args_get(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  ebb_wasi_t *w = ebb_host_data(call);
  return strings(call, w->argv, w->argc, a, r);
}

ebb_status_t ebb__wasi_environ_sizes_get(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  ebb_wasi_t *w = ebb_host_data(call);
  return sizes(call, w->envp, w->envc, a, r);
}

ebb_status_t ebb__wasi_environ_get(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  ebb_wasi_t *w = ebb_host_data(call);
  return strings(call, w->envp, w->envc, a, r);
}
