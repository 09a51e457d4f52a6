/*
** wasi.h -- WASI preview1 host functions over the embedding API. One list of
** functions (EBB__WASI_LIST in wasi_list.h) gives each name, its signature
** and its handler.
*/
#ifndef EBB_WASI_WASI_H
#define EBB_WASI_WASI_H

#include <stdint.h>

#include "ebb.h"

/* WASI errno values used here (wasi_snapshot_preview1 `errno`). */
enum {
  EBB__WASI_ESUCCESS = 0,
  EBB__WASI_EBADF = 8,
  EBB__WASI_EFAULT = 21,
  EBB__WASI_EINVAL = 28,
  EBB__WASI_EIO = 29,
  EBB__WASI_ENOSYS = 52,
  EBB__WASI_ESPIPE = 70,
};

struct ebb_wasi {
  ebb_store_t *store;
  int argc, envc;
  char **argv, **envp;
  ebb_func_t **funcs; /* one per list entry, made on first use */
};

/* Guest memory [ptr, ptr+len) of the calling instance, or NULL if any byte
** is out of bounds (the caller answers EFAULT). */
uint8_t *ebb__wasi_mem(ebb_host_call_t *call, uint64_t ptr, uint64_t len);

#endif
