/*
** common.h -- helpers for the WASI test guests: errno names (so expected
** output does not depend on strerror wording) and one-line checks.
*/
#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *ename(int e) {
  switch (e) {
#define E(x)                                                                             \
  case x: return #x;
    E(ENOENT) E(EEXIST) E(ENOTDIR) E(EISDIR) E(ENOTEMPTY) E(EBADF) E(EINVAL) E(EACCES)
    E(EPERM) E(ELOOP) E(ENOTCAPABLE) E(EFAULT) E(ESPIPE) E(ENAMETOOLONG) E(EXDEV) E(EAGAIN)
    E(ENOTSUP) E(ENOSYS) E(EMFILE) E(ENOTSOCK) E(EPIPE) E(EIO) E(EROFS) E(EBUSY) E(ENXIO)
    E(EILSEQ) E(ERANGE) E(EOVERFLOW) E(EFBIG) E(ENOTTY)
#undef E
  case 0: return "ok";
  default: return "E?";
  }
}

/* Run expr (a libc call returning < 0 on failure) and print "label: ok" or
** "label: ENAME". A call returning a pointer must be turned into that form
** ((long)p - 1); NULL itself would print "ok". */
#define TRY(label, expr)                                                                 \
  do {                                                                                   \
    errno = 0;                                                                           \
    long try_r_ = (long)(expr);                                                          \
    printf("%s: %s\n", label, try_r_ < 0 ? ename(errno) : "ok");                           \
  } while (0)

/* The same for the raw __wasi_* calls, which return the errno. */
#define WTRY(label, expr)                                                                \
  do {                                                                                   \
    int try_e_ = (int)(expr);                                                            \
    printf("%s: %s\n", label, ename(try_e_));                                            \
  } while (0)
