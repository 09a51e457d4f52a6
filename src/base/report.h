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

#endif
