/* block.c -- block in one WASI call, for the interruption tests. Just before
** blocking it writes "blocking at NS" (CLOCK_REALTIME) to stderr, so a test
** can time the end from there rather than from the process start.
**   sleep       sleep(100) (poll_oneoff on a relative clock)
**   sleep-ms N  sleep N ms, then print "slept"
**   read        read stdin; print what was read, then exit with its length
**   poll-read   poll_oneoff on stdin with no clock
**   write N     write N bytes of a pattern to stdout
**   accept      accept on descriptor 3 (a preopened listening socket),
**               read from the connection, print it, exit with its length */
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

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "sleep";
  if (strcmp(mode, "sleep-ms")) blocking();
  if (!strcmp(mode, "sleep")) {
    sleep(100);
    printf("woke up\n");
    return 0;
  }
  if (!strcmp(mode, "sleep-ms")) {
    long ms = argc > 2 ? atol(argv[2]) : 100;
    struct timespec d = {ms / 1000, (ms % 1000) * 1000000};
    nanosleep(&d, NULL);
    printf("slept\n");
    return 0;
  }
  if (!strcmp(mode, "read")) {
    char buf[256];
    ssize_t n = read(0, buf, sizeof buf);
    if (n < 0) {
      printf("read: %s\n", ename(errno));
      return 100;
    }
    printf("read %ld: %.*s\n", (long)n, (int)n, buf);
    return (int)n;
  }
  if (!strcmp(mode, "poll-read")) {
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.u.tag = __WASI_EVENTTYPE_FD_READ;
    s.u.u.fd_read.file_descriptor = 0;
    __wasi_event_t ev;
    __wasi_size_t n;
    __wasi_errno_t e = __wasi_poll_oneoff(&s, &ev, 1, &n);
    printf("poll: %s %u\n", ename(e), (unsigned)n);
    return 0;
  }
  if (!strcmp(mode, "write")) {
    long n = argc > 2 ? atol(argv[2]) : 1 << 20;
    char *buf = malloc((size_t)n);
    for (long i = 0; i < n; i++) buf[i] = (char)('a' + i % 26);
    for (long off = 0; off < n;) {
      ssize_t w = write(1, buf + off, (size_t)(n - off));
      if (w <= 0) return 2;
      off += w;
    }
    return 0;
  }
  if (!strcmp(mode, "accept")) {
    __wasi_fd_t c;
    __wasi_errno_t e = __wasi_sock_accept(3, 0, &c);
    if (e) {
      printf("accept: %s\n", ename(e));
      return 100;
    }
    char buf[256];
    __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
    __wasi_size_t n = 0;
    __wasi_roflags_t ro;
    e = __wasi_sock_recv(c, &iov, 1, 0, &n, &ro);
    if (e) {
      printf("recv: %s\n", ename(e));
      return 101;
    }
    __wasi_ciovec_t out = {(const uint8_t *)"pong", 4};
    __wasi_size_t sent;
    e = __wasi_sock_send(c, &out, 1, 0, &sent);
    __wasi_sock_shutdown(c, __WASI_SDFLAGS_WR);
    printf("got %u: %.*s, sent %u (%s)\n", (unsigned)n, (int)n, buf, (unsigned)sent, ename(e));
    return (int)n;
  }
  printf("unknown mode %s\n", mode);
  return 1;
}
