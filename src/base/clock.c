#include "base/clock.h"

#include <time.h>

#include "ebb.h"

int64_t ebb__now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t ebb__deadline_after(int64_t timeout_ns) {
  if (timeout_ns < 0) return INT64_MAX;
  int64_t now = ebb__now_ns();
  return timeout_ns > INT64_MAX - now ? INT64_MAX : now + timeout_ns;
}

int64_t ebb_now_ns(void) { return ebb__now_ns(); }
