/* hostile.c -- WASI calls whose arguments ask the host for a lot of work,
** each repeated forever, for the stop tests (hostile.sh, test_bounded.c).
** Like block.c it writes "blocking at NS" (CLOCK_REALTIME) to stderr just
** before the first call, so a test times the end from there. Most modes
** first grow memory to the full 4 GiB, so that huge arguments are in bounds.
**   iov-write, iov-read, iov-pread, iov-pwrite
**                 fd_write(1) / fd_read(0) / fd_pread(0) / fd_pwrite(1) with
**                 an array of ~0x1fffffff empty iovecs
**   iov-recv, iov-send
**                 the same with sock_recv / sock_send on a connection
**                 accepted from descriptor 3 (--tcplisten)
**   random        random_get of ~4 GiB
**   read-big      fd_read(0) into one ~4 GiB buffer
**   write-big     fd_write(1) of one ~4 GiB buffer
**   pread-big     fd_pread(0) into one ~4 GiB buffer, at offset 0
**   poll N        poll_oneoff with N subscriptions, each fd_read on stdin
**   readdir       fd_readdir of /sandbox (descriptor 3) with a ~4 GiB buffer
**   sync, datasync, allocate, truncate
**                 fd_sync / fd_datasync / fd_allocate (1 MiB) /
**                 fd_filestat_set_size (0) of /sandbox/file, which it first
**                 creates and writes 64 KiB into
**   once MODE ... run MODE's call once and print its result and count
**                 instead of looping (for the embedder tests) */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

#include "common.h"

static void blocking(void) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  fprintf(stderr, "blocking at %lld%09ld\n", (long long)t.tv_sec, t.tv_nsec);
}

/* Grow memory to 4 GiB; returns the start of the new (zeroed) part. */
static uint32_t grow_all(void) {
  size_t old = __builtin_wasm_memory_size(0);
  if (__builtin_wasm_memory_grow(0, 65536 - old) == (size_t)-1) {
    printf("memory.grow to 4 GiB failed\n");
    exit(3);
  }
  return (uint32_t)(old * 65536);
}

static int once;

/* One result: printed when running once, else ignored. */
static void result(const char *what, int err, uint64_t n) {
  if (once) {
    printf("%s: %s %llu\n", what, ename(err), (unsigned long long)n);
    fflush(stdout);
    exit(0);
  }
}

int main(int argc, char **argv) {
  int a = 1;
  if (argc > a && !strcmp(argv[a], "once")) {
    once = 1;
    a++;
  }
  const char *mode = argc > a ? argv[a] : "";
  const char *arg = argc > a + 1 ? argv[a + 1] : "0";
  __wasi_size_t n = 0;

  if (!strncmp(mode, "iov-", 4)) {
    uint32_t base = grow_all();
    /* Every entry of the array is {0, 0}: in bounds and empty. */
    __wasi_size_t cnt = (__wasi_size_t)((0x100000000ull - base) / 8);
    __wasi_iovec_t *v = (__wasi_iovec_t *)(uintptr_t)base;
    __wasi_fd_t c = 0;
    if (!strcmp(mode, "iov-recv") || !strcmp(mode, "iov-send")) {
      __wasi_errno_t e = __wasi_sock_accept(3, 0, &c);
      if (e) {
        printf("accept: %s\n", ename(e));
        return 100;
      }
    }
    blocking();
    for (;;) {
      int e;
      if (!strcmp(mode, "iov-write")) e = __wasi_fd_write(1, (__wasi_ciovec_t *)v, cnt, &n);
      else if (!strcmp(mode, "iov-read")) e = __wasi_fd_read(0, v, cnt, &n);
      else if (!strcmp(mode, "iov-pread")) e = __wasi_fd_pread(0, v, cnt, 0, &n);
      else if (!strcmp(mode, "iov-pwrite")) e = __wasi_fd_pwrite(1, (__wasi_ciovec_t *)v, cnt, 0, &n);
      else if (!strcmp(mode, "iov-recv")) {
        __wasi_roflags_t ro;
        e = __wasi_sock_recv(c, v, cnt, 0, &n, &ro);
      } else if (!strcmp(mode, "iov-send")) e = __wasi_sock_send(c, (__wasi_ciovec_t *)v, cnt, 0, &n);
      else break;
      result(mode, e, n);
    }
  } else if (!strcmp(mode, "random") || !strcmp(mode, "read-big") ||
             !strcmp(mode, "write-big") || !strcmp(mode, "pread-big") ||
             !strcmp(mode, "readdir")) {
    uint32_t base = grow_all();
    uint32_t len = (uint32_t)(0x100000000ull - base);
    uint8_t *p = (uint8_t *)(uintptr_t)base;
    __wasi_iovec_t iov = {p, len};
    blocking();
    for (;;) {
      int e;
      if (!strcmp(mode, "random")) e = __wasi_random_get(p, len);
      else if (!strcmp(mode, "read-big")) e = __wasi_fd_read(0, &iov, 1, &n);
      else if (!strcmp(mode, "write-big")) e = __wasi_fd_write(1, (__wasi_ciovec_t *)&iov, 1, &n);
      else if (!strcmp(mode, "pread-big")) e = __wasi_fd_pread(0, &iov, 1, 0, &n);
      else e = __wasi_fd_readdir(3, p, len, 0, &n);
      result(mode, e, n);
    }
  } else if (!strcmp(mode, "poll")) {
    uint32_t base = grow_all();
    __wasi_size_t cnt = (__wasi_size_t)atol(arg);
    if ((uint64_t)cnt * (sizeof(__wasi_subscription_t) + sizeof(__wasi_event_t)) >
        0x100000000ull - base) {
      printf("too many subscriptions for memory\n");
      return 2;
    }
    __wasi_subscription_t *s = (__wasi_subscription_t *)(uintptr_t)base;
    __wasi_event_t *ev = (__wasi_event_t *)(s + cnt);
    for (__wasi_size_t i = 0; i < cnt; i++) {
      s[i].userdata = i;
      s[i].u.tag = __WASI_EVENTTYPE_FD_READ;
      s[i].u.u.fd_read.file_descriptor = 0;
    }
    blocking();
    for (;;) {
      int e = __wasi_poll_oneoff(s, ev, cnt, &n);
      result(mode, e, n);
    }
  } else if (!strcmp(mode, "sync") || !strcmp(mode, "datasync") ||
             !strcmp(mode, "allocate") || !strcmp(mode, "truncate")) {
    int fd = open("/sandbox/file", O_RDWR | O_CREAT | O_TRUNC, 0644);
    static char data[65536];
    memset(data, 'x', sizeof data);
    if (fd < 0 || write(fd, data, sizeof data) != (ssize_t)sizeof data) {
      printf("cannot make /sandbox/file: %s\n", ename(errno));
      return 2;
    }
    blocking();
    for (;;) {
      int e;
      if (!strcmp(mode, "sync")) e = __wasi_fd_sync(fd);
      else if (!strcmp(mode, "datasync")) e = __wasi_fd_datasync(fd);
      else if (!strcmp(mode, "allocate")) e = __wasi_fd_allocate(fd, 0, 1 << 20);
      else e = __wasi_fd_filestat_set_size(fd, 0);
      result(mode, e, 0);
    }
  } else {
    printf("unknown mode %s\n", mode);
    return 1;
  }
  return 0;
}
