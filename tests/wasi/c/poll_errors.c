/* poll_errors.c -- poll_oneoff's error cases (ebb; node differs). */
#include <stdint.h>
#include <wasi/api.h>

#include "common.h"

int main(void) {
  __wasi_subscription_t s[2];
  __wasi_event_t ev[2];
  __wasi_size_t got = 99;
  memset(s, 0, sizeof s);
  WTRY("no subscriptions", __wasi_poll_oneoff(s, ev, 0, &got));
  s[0].userdata = 1;
  s[0].u.tag = __WASI_EVENTTYPE_FD_READ;
  s[0].u.u.fd_read.file_descriptor = 77;
  s[1].userdata = 2;
  s[1].u.tag = __WASI_EVENTTYPE_CLOCK;
  s[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  s[1].u.u.clock.timeout = 5000000000ull;
  WTRY("bad descriptor", __wasi_poll_oneoff(s, ev, 2, &got));
  printf("  %u event: userdata %llu error %s\n", (unsigned)got,
         (unsigned long long)ev[0].userdata, ename(ev[0].error));
  s[0].u.tag = 9;
  WTRY("bad event type", __wasi_poll_oneoff(s, ev, 2, &got));
  printf("  %u event: userdata %llu error %s\n", (unsigned)got,
         (unsigned long long)ev[0].userdata, ename(ev[0].error));
  s[0].u.tag = __WASI_EVENTTYPE_CLOCK;
  s[0].u.u.clock.id = 17;
  WTRY("bad clock", __wasi_poll_oneoff(s, ev, 2, &got));
  printf("  %u event: userdata %llu error %s\n", (unsigned)got,
         (unsigned long long)ev[0].userdata, ename(ev[0].error));
  s[0].u.u.clock.id = __WASI_CLOCKID_PROCESS_CPUTIME_ID;
  WTRY("cpu-time clock", __wasi_poll_oneoff(s, ev, 2, &got));
  printf("  %u event: userdata %llu error %s\n", (unsigned)got,
         (unsigned long long)ev[0].userdata, ename(ev[0].error));
  WTRY("subscriptions out of bounds",
       __wasi_poll_oneoff((void *)0xfffffff0u, ev, 1, &got));
  WTRY("events out of bounds", __wasi_poll_oneoff(s, (void *)0xffffffe0u, 2, &got));
  WTRY("count out of bounds", __wasi_poll_oneoff(s, ev, 1, (void *)0xfffffffeu));
  printf("done\n");
  return 0;
}
