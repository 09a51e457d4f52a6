/* clock.h -- the monotonic clock every deadline in ebb is measured on. */
#ifndef EBB_BASE_CLOCK_H
#define EBB_BASE_CLOCK_H

#include <stdint.h>

/* Nanoseconds on CLOCK_MONOTONIC. */
int64_t ebb__now_ns(void);

/* now + timeout, saturating; a negative timeout means forever (INT64_MAX). */
int64_t ebb__deadline_after(int64_t timeout_ns);

#endif
