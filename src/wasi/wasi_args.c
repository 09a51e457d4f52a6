/* wasi_args.c -- args_* and environ_*: string vectors copied into the guest. */
#include <string.h>

#include "wasi/wasi.h"

/* Sizes: count and total bytes including each string's NUL. */
static ebb_status_t sizes(ebb_host_call_t *call, char **v, int n, const uint64_t *a, uint64_t *r) {
  uint64_t bytes = 0;
  for (int i = 0; i < n; i++) bytes += strlen(v[i]) + 1;
  uint8_t *pc = ebb__wasi_mem(call, (uint32_t)a[0], 4);
  uint8_t *pb = ebb__wasi_mem(call, (uint32_t)a[1], 4);
  if (!pc || !pb) return ebb__wasi_ret(r, EBB__WASI_EFAULT);
  ebb__put_u32(pc, (uint32_t)n);
  ebb__put_u32(pb, (uint32_t)bytes);
  return ebb__wasi_ret(r, 0);
}

/* Pointers to each string at a[0], the strings themselves at a[1]. Both
** regions are checked whole before anything is written, so a bad pointer
** leaves guest memory untouched. */
static ebb_status_t strings(ebb_host_call_t *call, char **v, int n, const uint64_t *a,
                            uint64_t *r) {
  uint32_t ptrs = (uint32_t)a[0], buf = (uint32_t)a[1];
  uint64_t bytes = 0;
  for (int i = 0; i < n; i++) bytes += strlen(v[i]) + 1;
  uint8_t *pp = ebb__wasi_mem(call, ptrs, (uint64_t)n * 4);
  uint8_t *dst = ebb__wasi_mem(call, buf, bytes);
  if (!pp || !dst) return ebb__wasi_ret(r, EBB__WASI_EFAULT);
  uint64_t at = buf;
  for (int i = 0; i < n; i++) {
    size_t len = strlen(v[i]) + 1;
    memcpy(dst, v[i], len);
    ebb__put_u32(pp + 4 * i, (uint32_t)at);
    dst += len;
    at += len;
  }
  return ebb__wasi_ret(r, 0);
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
