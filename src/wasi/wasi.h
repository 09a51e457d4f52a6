/*
** wasi.h -- WASI preview1 host functions over the embedding API. One list of
** functions (EBB__WASI_LIST in wasi_list.h) gives each name, its signature
** and its handler; the ABI constants are in wasi_types.h.
**
** Every handler follows the same rules:
**  - every guest pointer and length is checked with ebb__wasi_mem before use
**    (EFAULT, never a host fault); a handler that waits looks its buffers up
**    again after the wait rather than keeping host pointers across it;
**  - the result is a WASI errno in r[0] (ebb__wasi_ret), host errno values
**    are translated by ebb__wasi_errno;
**  - a handler that blocks waits through ebb_host_poll / ebb_host_sleep_until
**    and, when they say EBB_EINTR, returns EBB_INTERRUPTED having changed
**    nothing the guest can see, so the call can run again on resume;
**  - work proportional to a size the guest chooses is done in bounded
**    chunks with a stop check between them, or is bounded by a limit
**    checked up front, so that a request is seen within one chunk:
**      iovec arrays: at most EBB__WASI_IOV_SCAN entries looked at and
**        EBB__WASI_IOV_MAX buffers used per call (the rest is a short
**        read or write, as POSIX allows);
**      bytes read, written, sent, received or made random:
**        EBB__WASI_CHUNK per system call, with ebb_host_stop_requested
**        (or a wait, which checks it) between chunks;
**      fd_readdir: one getdents64 batch (32 KiB) between checks;
**      poll_oneoff: at most EBB__WASI_POLL_MAX subscriptions (EINVAL);
**      fsync, fdatasync, fallocate, ftruncate: on a worker thread, waited
**        for interruptibly (wasi_worker.c);
**      paths: EBB__WASI_PATH_MAX bytes, 40 symlinks; args and environ:
**        bounded by the host.
*/
#ifndef EBB_WASI_WASI_H
#define EBB_WASI_WASI_H

#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ebb.h"
#include "wasi/fdtable.h"
#include "wasi/wasi_types.h"
#include "wasi/wasix_context.h"

struct iovec;
struct stat;
struct timespec;

struct ebb_wasi {
  ebb_store_t *store;
  int argc, envc;
  char **argv, **envp;
  ebb_func_t **funcs; /* one per list entry, made on first use */
  ebb__fdtable fds;   /* the guest's descriptors (fdtable.h) */
  ebb_func_t *wasix[EBB__WASIX_NFUNCS]; /* WASIX's contexts, made on first use */
  atomic_int intr_signo; /* ebb_wasi_set_interrupt_signal; 0: none */
  atomic_bool renumber_any; /* ebb_wasi_set_renumber_to_closed */
};

/* The bounds of the list above. EBB__WASI_IOV_SCAN is Linux's IOV_MAX: a
** longer list is EINVAL there when nothing in its first part is non-empty. */
#define EBB__WASI_IOV_MAX 64
#define EBB__WASI_IOV_SCAN 1024
#define EBB__WASI_CHUNK ((size_t)1 << 20)
#define EBB__WASI_POLL_MAX 4096

/* Guest memory [ptr, ptr+len) of the calling instance, or NULL if any byte
** is out of bounds (the caller answers EFAULT). */
uint8_t *ebb__wasi_mem(ebb_host_call_t *call, uint64_t ptr, uint64_t len);

/* The WASI errno for a host errno value (errno.c). */
uint16_t ebb__wasi_errno(int host_errno);

/* Set the result and return from a handler. */
static inline ebb_status_t ebb__wasi_ret(uint64_t *r, uint16_t wasi_errno) {
  r[0] = wasi_errno;
  return EBB_OK;
}

/* Little-endian loads and stores into guest memory (wasm is little-endian
** whatever the host is). */
static inline void ebb__put_u16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}
static inline void ebb__put_u32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static inline void ebb__put_u64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static inline uint16_t ebb__get_u16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t ebb__get_u32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t ebb__get_u64(const uint8_t *p) {
  return (uint64_t)ebb__get_u32(p) | (uint64_t)ebb__get_u32(p + 4) << 32;
}

/* Copy the guest string [ptr, ptr+len) into buf (EBB__WASI_PATH_MAX + 1
** bytes) with a terminating NUL. EFAULT out of bounds, ENAMETOOLONG beyond
** EBB__WASI_PATH_MAX, EINVAL when it contains a NUL byte (a host call would
** silently cut it there). */
uint16_t ebb__wasi_string(ebb_host_call_t *call, uint32_t ptr, uint32_t len, char *buf);

/* The guest's iovec array [iovs, iovs + 8n) as host iovecs: the non-empty
** buffers among its first EBB__WASI_IOV_SCAN entries, at most
** EBB__WASI_IOV_MAX of them (out has room for that many) and at most
** UINT32_MAX bytes in all; the rest is left for a later call (a read or
** write may always be short). EFAULT when the array or a buffer looked at
** is out of bounds; EINVAL when more than EBB__WASI_IOV_SCAN entries are
** given and those looked at are all empty (0 bytes would read as the end of
** the file; Linux's readv says EINVAL beyond IOV_MAX). */
uint16_t ebb__wasi_iovs(ebb_host_call_t *call, uint32_t iovs, uint32_t n, struct iovec *out,
                        int *count);

/* The byte count of an iovec list, and its window [skip, skip + max) as a
** new list in out (room for cnt), returning its length (wasi_rw.c). */
size_t ebb__wasi_iov_total(const struct iovec *iov, int cnt);
int ebb__wasi_iov_slice(const struct iovec *iov, int cnt, size_t skip, size_t max,
                        struct iovec *out);

/* Host errno values after which a call that must not block tries again
** (after waiting): not ready yet, or interrupted by a signal. */
static inline bool ebb__wasi_again(int host_errno) {
  return host_errno == EAGAIN || host_errno == EWOULDBLOCK || host_errno == EINTR;
}

/* Look up a descriptor for seek, tell, pread or pwrite: EBADF for a
** directory (as wasmtime), ESPIPE for one that cannot seek at all (pipe,
** socket, terminal), then ENOTCAPABLE without `rights` (wasi_file.c). */
uint16_t ebb__wasi_get_seekable(ebb_wasi_t *w, uint32_t fd, uint64_t rights, ebb__wfd **out);

/* pwritev at `off` on e, a regular file or block device, even when its
** description has O_APPEND (wasi_rw.c): -1 with errno, as pwritev. */
ssize_t ebb__wasi_pwrite(ebb__wfd *e, const struct iovec *iov, int cnt, off_t off);

/* Whether ebb__wasi_pwrite uses RWF_NOAPPEND (Linux 6.9): 0 yes, -1 no (set
** when the kernel refuses it; tests set it to take the fallback). */
extern atomic_int ebb__wasi_noappend;

/* Write a 64-byte filestat record for st (wasi_file.c). */
void ebb__wasi_put_filestat(uint8_t *p, int host, const struct stat *st);

/* The two timespecs of futimens/utimensat for fd_filestat_set_times and
** path_filestat_set_times; EINVAL for contradictory or unknown flags. */
uint16_t ebb__wasi_times(uint64_t atim, uint64_t mtim, uint32_t fstflags, struct timespec *ts);

/* Wait until e's host descriptor is ready for `events` (POLLIN, POLLOUT),
** interruptibly (wasi_rw.c). When the guest made e non-blocking, only look.
** Returns 0 when ready, EBB__WASI_EAGAIN when non-blocking and not ready,
** another WASI errno on failure, or EBB__WASI_WAIT_STOP when a request to
** the thread is pending: the handler must then return EBB_INTERRUPTED. */
#define EBB__WASI_WAIT_STOP 0x10000
int ebb__wasi_wait(ebb_host_call_t *call, ebb__wfd *e, short events);

/* Read into or write from buf (a host buffer, never guest memory) on e's
** host descriptor where it can only wait inside the kernel, interruptibly
** (kernel_io.c). The bytes moved; -1 with errno (EAGAIN: wait and try
** again); or EBB__WASI_KERNEL_STOP when a request is pending and nothing
** moved: the handler returns EBB_INTERRUPTED. */
#define EBB__WASI_KERNEL_STOP (-2)
ssize_t ebb__wasi_kernel_io(ebb_host_call_t *call, ebb__wfd *e, bool write, void *buf,
                            size_t len);

/* For tests: called on the thread just before the system call of
** ebb__wasi_kernel_io, its interrupt handler installed (another reader
** takes the data there). */
typedef void (*ebb__wasi_kernel_hook_fn)(bool write);
extern _Atomic(ebb__wasi_kernel_hook_fn) ebb__wasi_kernel_hook;

/* For tests: nonzero when ebb_wasi_new runs, borrowed stdio gets no private
** description and RWF_NOWAIT is not tried on it, as where /proc is missing
** (fdtable.c): its pipes then take the kernel path above. */
extern atomic_int ebb__wasi_stdio_fallback;

/* System calls made on a worker thread (wasi_worker.c). */
enum {
  EBB__WASI_JOB_FSYNC,
  EBB__WASI_JOB_FDATASYNC,
  EBB__WASI_JOB_FALLOCATE, /* off, len */
  EBB__WASI_JOB_FTRUNCATE, /* off is the size */
};

/* Make system call `op` on e's host descriptor on a worker thread and wait
** for it interruptibly: 0, a WASI errno, or EBB__WASI_WAIT_STOP (the
** handler returns EBB_INTERRUPTED; run again, it waits for the same job). */
int ebb__wasi_offload(ebb_host_call_t *call, ebb__wfd *e, int op, uint64_t off, uint64_t len);

/* Drop a reference to a job (NULL: nothing). */
void ebb__wasi_job_put(ebb__wjob *j);

/* For tests: called by each worker before its system call (a slow disk). */
typedef void (*ebb__wasi_worker_hook_fn)(int op);
extern _Atomic(ebb__wasi_worker_hook_fn) ebb__wasi_worker_hook;

#endif
