/*
** escape.h -- names taken from a module (imports, exports, the name
** section) are the guest's bytes: escape them before they reach a message,
** so that a module cannot write terminal control sequences to the user.
*/
#ifndef EBB_BASE_ESCAPE_H
#define EBB_BASE_ESCAPE_H

#include <stddef.h>

/* Write s[0..len) into buf (size > 0), NUL-terminated: printable ASCII and
** well-formed UTF-8 stay as they are, except C0/C1 controls, DEL and the
** bidirectional overrides; those bytes, malformed UTF-8, '\' and '"' are
** written as \xNN, \\ and \". Cut short with "..." when buf is too small.
** Returns buf. */
const char *ebb__escape(char *buf, size_t size, const char *s, size_t len);

/* The same for a NUL-terminated string (NULL gives ""). */
const char *ebb__escape_str(char *buf, size_t size, const char *s);

#endif
