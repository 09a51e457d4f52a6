/*
** wasi_proc.c -- the process: exit, signals, yielding.
*/
#include <sched.h>

#include "wasi/wasi.h"

ebb_status_t ebb__wasi_proc_exit(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  return ebb_host_exit(call, (int)(uint32_t)a[0]);
}

/* A guest has no signal handlers to run and raising a real signal in the
** host would hit the embedder, so, as wasmtime, this is ENOTSUP. (wasi-libc's
** abort() does not call it: it traps with `unreachable`.) */
ebb_status_t ebb__wasi_proc_raise(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  return ebb__wasi_ret(r, EBB__WASI_ENOTSUP);
}

ebb_status_t ebb__wasi_sched_yield(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  sched_yield();
  return ebb__wasi_ret(r, 0);
}
