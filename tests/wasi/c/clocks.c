/* clocks.c -- clocks (monotonic, realtime, resolution), sleeping, random. */
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static int64_t ns(clockid_t c) {
  struct timespec t;
  clock_gettime(c, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

int main(void) {
  int64_t a = ns(CLOCK_MONOTONIC), b = ns(CLOCK_MONOTONIC);
  printf("monotonic does not go back: %d\n", b >= a);
  printf("realtime after 2020: %d\n", ns(CLOCK_REALTIME) > 1577836800LL * 1000000000);
  struct timespec res;
  clock_getres(CLOCK_MONOTONIC, &res);
  printf("resolution at most 1ms: %d\n",
         res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 1000000);
  printf("time() agrees: %d\n", llabs((int64_t)time(NULL) - ns(CLOCK_REALTIME) / 1000000000) <= 1);

  a = ns(CLOCK_MONOTONIC);
  struct timespec d = {0, 20000000};
  nanosleep(&d, NULL);
  b = ns(CLOCK_MONOTONIC);
  printf("nanosleep 20ms: %d\n", b - a >= 20000000 && b - a < 2000000000);
  a = ns(CLOCK_MONOTONIC);
  usleep(5000);
  printf("usleep 5ms: %d\n", ns(CLOCK_MONOTONIC) - a >= 5000000);

  unsigned char r1[32], r2[32];
  int ok = getentropy(r1, sizeof r1) == 0 && getentropy(r2, sizeof r2) == 0;
  int nonzero = 0;
  for (int i = 0; i < 32; i++) nonzero |= r1[i];
  printf("getentropy: %d, differ: %d, nonzero: %d\n", ok, memcmp(r1, r2, 32) != 0, nonzero != 0);
  static unsigned char big[65536];
  printf("getentropy 256 too much: %s\n", getentropy(big, 257) ? ename(errno) : "ok");
  printf("done\n");
  return 0;
}
