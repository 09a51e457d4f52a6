/*
** report.h -- filling an ebb_error_t. The first error reported wins, so a
** deep failure is not overwritten by the generic one its callers add.
*/
#ifndef EBB_BASE_REPORT_H
#define EBB_BASE_REPORT_H

#include "ebb.h"

#if defined(__GNUC__)
#define EBB__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define EBB__PRINTF(a, b)
#endif

/* Records code and message into err (if non-NULL and still empty) and
** returns code, so callers can write `return ebb__report(err, ...)`. */
int ebb__report(ebb_error_t *err, int code, const char *fmt, ...) EBB__PRINTF(3, 4);

/* Clears a record before reuse. */
void ebb__report_clear(ebb_error_t *err);

/* A use of the API that ebb.h forbids and that would corrupt memory if it
** went on (deleting a thread while a call runs on it, say) and that has no
** error to return: print "ebb: API misuse: <what>" and abort. Every build:
** these checks are cheap and off the hot path. */
_Noreturn void ebb__misuse(const char *fmt, ...) EBB__PRINTF(1, 2);

/* Debug checks (EBB_ENABLE_CHECKS, on in the ASan build): rules whose check
** would cost a hot path; a broken one aborts through ebb__misuse. */
#ifdef EBB_CHECKS
#define EBB__CHECK(cond, ...)                                                        \
  do {                                                                               \
    if (!(cond)) ebb__misuse(__VA_ARGS__);                                           \
  } while (0)
#else
#define EBB__CHECK(cond, ...) ((void)0)
#endif

#endif
