#include "base/report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void ebb__report_clear(ebb_error_t *err) {
  if (!err) return;
  err->code = 0;
  err->message[0] = '\0';
}

int ebb__report(ebb_error_t *err, int code, const char *fmt, ...) {
  if (err && err->code == 0) {
    va_list ap;
    va_start(ap, fmt);
    err->code = code;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
  }
  return code;
}

void ebb__misuse(const char *fmt, ...) {
  char what[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  fprintf(stderr, "ebb: API misuse: %s\n", what);
  fflush(stderr);
  abort();
}

const char *ebb_strerror(int code) {
  switch (code) {
  case 0: return "success";
  case EBB_ENOMEM: return "out of memory";
  case EBB_EMALFORMED: return "malformed module";
  case EBB_EINVALID: return "invalid module";
  case EBB_EUNLINKABLE: return "unlinkable module";
  case EBB_ETRAP: return "trap during instantiation";
  case EBB_ELIMIT: return "limit exceeded";
  case EBB_EIO: return "i/o error";
  case EBB_EARG: return "invalid argument";
  case EBB_ENOTFOUND: return "not found";
  case EBB_EBUSY: return "busy";
  case EBB_EINTR: return "interrupted";
  case EBB_ECLOSED: return "closed";
  case EBB_ETIMEDOUT: return "timed out";
  default: return "unknown error";
  }
}
