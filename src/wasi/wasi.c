/*
** wasi.c -- the WASI environment: creation (standard descriptors and
** preopens), import resolution, and the bounds-checked views of guest memory
** every handler uses.
*/
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/report.h"
#include "wasi/wasi.h"
#include "wasi/wasi_list.h"

#define EBB__WASI_DECL_(name, params, results)                                       \
  ebb_status_t ebb__wasi_##name(ebb_host_call_t *call, const uint64_t *a, uint64_t *r);
EBB__WASI_LIST(EBB__WASI_DECL_)
#undef EBB__WASI_DECL_

static const struct {
  const char *name, *params, *results;
  ebb_host_fn fn;
} wasi_funcs[] = {
#define EBB__WASI_ROW_(name, params, results) {#name, params, results, ebb__wasi_##name},
    EBB__WASI_LIST(EBB__WASI_ROW_)
#undef EBB__WASI_ROW_
};

#define NFUNCS (sizeof wasi_funcs / sizeof wasi_funcs[0])

static void free_strings(char **v, int n) {
  if (!v) return;
  for (int i = 0; i < n; i++) ebb__free(v[i]);
  ebb__free(v);
}

static char **copy_strings(int n, const char *const *src) {
  char **v = ebb__calloc((size_t)n + 1, sizeof *v);
  if (!v) return NULL;
  for (int i = 0; i < n; i++) {
    v[i] = ebb__strndup(src[i], strlen(src[i]));
    if (!v[i]) {
      free_strings(v, i);
      return NULL;
    }
  }
  return v;
}

/* Descriptors 0-2: the host's, borrowed (fdtable.h). */
static int add_stdio(ebb_wasi_t *w) {
  for (int fd = 0; fd < 3; fd++) {
    ebb__wfd *e = ebb__wfd_new_stdio(fd);
    uint32_t got;
    if (!e || ebb__fd_insert(w, e, &got)) return -1;
  }
  return 0;
}

ebb_wasi_t *ebb_wasi_new(ebb_store_t *store, const ebb_wasi_options_t *opts) {
  ebb_wasi_t *w = ebb__calloc(1, sizeof *w);
  if (!w) return NULL;
  if (ebb__fdtable_init(&w->fds)) {
    ebb__free(w);
    return NULL;
  }
  w->store = store;
  atomic_init(&w->intr_signo, 0);
  atomic_init(&w->renumber_any, false);
  w->argc = opts ? opts->argc : 0;
  w->envc = opts ? opts->envc : 0;
  w->argv = copy_strings(w->argc, opts ? opts->argv : NULL);
  w->envp = copy_strings(w->envc, opts ? opts->envp : NULL);
  w->funcs = ebb__calloc(NFUNCS, sizeof *w->funcs);
  if (!w->argv || !w->envp || !w->funcs || add_stdio(w)) {
    ebb_wasi_delete(w);
    errno = ENOMEM;
    return NULL;
  }
  for (int i = 0; opts && i < opts->ndirs; i++) {
    if (ebb_wasi_preopen_dir(w, opts->dir_host[i], opts->dir_guest[i], NULL)) {
      int e = errno;
      ebb_wasi_delete(w);
      errno = e;
      return NULL;
    }
  }
  return w;
}

void ebb_wasi_delete(ebb_wasi_t *w) {
  if (!w) return;
  free_strings(w->argv, w->argc);
  free_strings(w->envp, w->envc);
  ebb__free(w->funcs); /* the functions themselves belong to the store */
  ebb__fdtable_close(&w->fds);
  ebb__free(w);
}

int ebb_wasi_preopen_dir(ebb_wasi_t *w, const char *host_path, const char *guest_name,
                         ebb_error_t *err) {
  int fd = open(host_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    ebb__report(err, EBB_EIO, "cannot open directory %s: %s", host_path, strerror(e));
    errno = e;
    return EBB_EIO;
  }
  ebb__wfd *e = ebb__wfd_new(fd, true);
  if (!e) {
    close(fd);
    errno = ENOMEM;
    return ebb__report(err, EBB_ENOMEM, "out of memory");
  }
  e->preopen = ebb__strndup(guest_name, strlen(guest_name));
  uint32_t got;
  if (!e->preopen || ebb__fd_insert(w, e, &got)) {
    if (!e->preopen) ebb__fd_put(e);
    errno = ENOMEM;
    return ebb__report(err, EBB_ENOMEM, "out of memory");
  }
  return 0;
}

int ebb_wasi_preopen_socket(ebb_wasi_t *w, int fd, ebb_error_t *err) {
  struct stat st;
  if (fstat(fd, &st) || !S_ISSOCK(st.st_mode)) {
    close(fd);
    return ebb__report(err, EBB_EARG, "descriptor %d is not a socket", fd);
  }
  /* Non-blocking, so that accept after a readiness poll never blocks
  ** (another thread may take the connection first): waits are ebb's. */
  int fl = fcntl(fd, F_GETFL);
  if (fl >= 0) fcntl(fd, F_SETFL, fl | O_NONBLOCK);
  ebb__wfd *e = ebb__wfd_new(fd, true);
  uint32_t got;
  if (!e) close(fd);
  if (!e || ebb__fd_insert(w, e, &got)) return ebb__report(err, EBB_ENOMEM, "out of memory");
  return 0;
}

/* The handler must exist (the default action of most signals ends the
** process) and must not restart the call the signal is meant to end. */
int ebb_wasi_set_interrupt_signal(ebb_wasi_t *w, int signo) {
  if (!w) return EBB_EARG;
  if (signo != 0) {
    struct sigaction sa;
    if (signo == SIGKILL || signo == SIGSTOP || sigaction(signo, NULL, &sa)) return EBB_EARG;
    bool caught = (sa.sa_flags & SA_SIGINFO) ? sa.sa_sigaction != NULL
                                             : sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN;
    if (!caught || (sa.sa_flags & SA_RESTART)) return EBB_EARG;
  }
  atomic_store(&w->intr_signo, signo);
  return 0;
}

void ebb_wasi_set_renumber_to_closed(ebb_wasi_t *w, bool allow) {
  if (w) atomic_store(&w->renumber_any, allow);
}

static ebb_valkind_t kind_of(char c) { return c == 'I' ? EBB_I64 : EBB_I32; }

int ebb_wasi_resolve(void *data, const char *module, const char *name, ebb_externkind_t kind,
                     ebb_extern_t *out) {
  ebb_wasi_t *w = data;
  if (!strcmp(module, "wasix_32v1")) return ebb__wasix_resolve(w->store, w->wasix, name, kind, out);
  if (strcmp(module, "wasi_snapshot_preview1") || kind != EBB_EXTERN_FUNC) return EBB_ENOTFOUND;
  for (size_t i = 0; i < NFUNCS; i++) {
    if (strcmp(wasi_funcs[i].name, name)) continue;
    if (!w->funcs[i]) {
      ebb_valkind_t p[16], r[2];
      uint32_t np = (uint32_t)strlen(wasi_funcs[i].params);
      uint32_t nr = (uint32_t)strlen(wasi_funcs[i].results);
      for (uint32_t k = 0; k < np; k++) p[k] = kind_of(wasi_funcs[i].params[k]);
      for (uint32_t k = 0; k < nr; k++) r[k] = kind_of(wasi_funcs[i].results[k]);
      w->funcs[i] = ebb_func_new_host(w->store, p, np, r, nr, wasi_funcs[i].fn, w);
      if (!w->funcs[i]) return EBB_ENOMEM;
    }
    out->kind = EBB_EXTERN_FUNC;
    out->of.func = w->funcs[i];
    return 0;
  }
  return EBB_ENOTFOUND;
}

uint8_t *ebb__wasi_mem(ebb_host_call_t *call, uint64_t ptr, uint64_t len) {
  ebb_memory_t *m = ebb_host_memory(call);
  if (!m) return NULL;
  size_t size = ebb_memory_size(m);
  if (ptr > size || len > size - ptr) return NULL;
  return ebb_memory_data(m) + ptr;
}

uint16_t ebb__wasi_string(ebb_host_call_t *call, uint32_t ptr, uint32_t len, char *buf) {
  const uint8_t *p = ebb__wasi_mem(call, ptr, len);
  if (!p) return EBB__WASI_EFAULT;
  if (len > EBB__WASI_PATH_MAX) return EBB__WASI_ENAMETOOLONG;
  if (memchr(p, 0, len)) return EBB__WASI_EINVAL;
  memcpy(buf, p, len);
  buf[len] = '\0';
  return 0;
}

uint16_t ebb__wasi_iovs(ebb_host_call_t *call, uint32_t iovs, uint32_t n, struct iovec *out,
                        int *count) {
  const uint8_t *v = ebb__wasi_mem(call, iovs, (uint64_t)n * EBB__WASI_IOVEC_SIZE);
  if (!v) return EBB__WASI_EFAULT;
  /* Only the entries a call can use are looked at: the work is bounded
  ** whatever n is (a guest may pass 0x1fffffff of them). */
  uint32_t scan = n < EBB__WASI_IOV_SCAN ? n : EBB__WASI_IOV_SCAN;
  uint64_t total = 0;
  int k = 0;
  for (uint32_t i = 0; i < scan && k < EBB__WASI_IOV_MAX && total < UINT32_MAX; i++) {
    uint32_t ptr = ebb__get_u32(v + 8 * i), len = ebb__get_u32(v + 8 * i + 4);
    uint8_t *buf = ebb__wasi_mem(call, ptr, len);
    if (!buf) return EBB__WASI_EFAULT;
    if (len == 0) continue;
    if (len > UINT32_MAX - total) len = (uint32_t)(UINT32_MAX - total);
    out[k].iov_base = buf;
    out[k].iov_len = len;
    total += len;
    k++;
  }
  if (k == 0 && n > scan) return EBB__WASI_EINVAL;
  *count = k;
  return 0;
}
