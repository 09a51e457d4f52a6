/* poll.c -- poll_oneoff: relative and absolute clocks on both clocks, the
** earliest of several, descriptors (a regular file is always ready), error
** events. Uses the raw WASI call. */
#include <fcntl.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

#include "common.h"

static uint64_t now(__wasi_clockid_t c) {
  __wasi_timestamp_t t;
  __wasi_clock_time_get(c, 1, &t);
  return t;
}

static __wasi_subscription_t clock_sub(uint64_t userdata, __wasi_clockid_t id, uint64_t timeout,
                                       int abs) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = userdata;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = id;
  s.u.u.clock.timeout = timeout;
  s.u.u.clock.flags = abs ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0;
  return s;
}

static __wasi_subscription_t fd_sub(uint64_t userdata, int type, int fd) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = userdata;
  s.u.tag = (uint8_t)type;
  s.u.u.fd_read.file_descriptor = (uint32_t)fd;
  return s;
}

static void run(const char *label, __wasi_subscription_t *subs, int n, uint64_t min_ms) {
  __wasi_event_t ev[8];
  __wasi_size_t got = 0;
  uint64_t t0 = now(__WASI_CLOCKID_MONOTONIC);
  __wasi_errno_t e = __wasi_poll_oneoff(subs, ev, (__wasi_size_t)n, &got);
  uint64_t ms = (now(__WASI_CLOCKID_MONOTONIC) - t0) / 1000000;
  printf("%s: %s, %u event(s)", label, ename(e), (unsigned)got);
  for (unsigned i = 0; i < got; i++)
    printf(" [userdata %llu type %u error %s nbytes %llu]", (unsigned long long)ev[i].userdata,
           ev[i].type, ename(ev[i].error), (unsigned long long)ev[i].fd_readwrite.nbytes);
  printf(", waited enough: %d\n", ms >= min_ms);
}

int main(void) {
  __wasi_subscription_t s[4];
  s[0] = clock_sub(42, __WASI_CLOCKID_MONOTONIC, 10000000, 0);
  run("relative monotonic 10ms", s, 1, 10);
  s[0] = clock_sub(43, __WASI_CLOCKID_REALTIME, 10000000, 0);
  run("relative realtime 10ms", s, 1, 10);
  s[0] = clock_sub(44, __WASI_CLOCKID_MONOTONIC, now(__WASI_CLOCKID_MONOTONIC) + 15000000, 1);
  run("absolute monotonic +15ms", s, 1, 15);
  s[0] = clock_sub(45, __WASI_CLOCKID_REALTIME, now(__WASI_CLOCKID_REALTIME) + 15000000, 1);
  run("absolute realtime +15ms", s, 1, 15);
  s[0] = clock_sub(46, __WASI_CLOCKID_REALTIME, 1000, 1);
  run("absolute realtime in the past", s, 1, 0);
  s[0] = clock_sub(1, __WASI_CLOCKID_MONOTONIC, 300000000, 0);
  s[1] = clock_sub(2, __WASI_CLOCKID_MONOTONIC, 10000000, 0);
  run("earliest of two", s, 2, 10);

  if (chdir("/sandbox")) return 1;
  int fd = open("five", O_CREAT | O_RDWR, 0644);
  write(fd, "12345", 5);
  lseek(fd, 0, SEEK_SET);
  s[0] = fd_sub(7, __WASI_EVENTTYPE_FD_READ, fd);
  s[1] = clock_sub(8, __WASI_CLOCKID_MONOTONIC, 5000000000ull, 0);
  run("regular file readable", s, 2, 0);
  s[0] = fd_sub(9, __WASI_EVENTTYPE_FD_WRITE, fd);
  run("regular file writable", s, 2, 0);
  close(fd);
  unlink("five");
  printf("done\n");
  return 0;
}
