/*
** fuzz_decode.c -- decode and validate arbitrary bytes (ebb_module_new).
** Whatever the bytes, ebb_module_new must return a module or one of the
** documented errors with a message, without crashing, leaking, reading out
** of bounds or allocating absurd amounts (libFuzzer's -malloc_limit_mb).
*/
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common.h"
#include "ebb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ebb_module_t *m = NULL;
  ebb_error_t err;
  memset(&err, 0, sizeof err);
  int rc = ebb_module_new(data, size, &m, &err);
  if (rc == 0) {
    if (!m) fuzz_fail("ebb_module_new returned 0 without a module");
    ebb_module_delete(m);
    return 0;
  }
  if (m) fuzz_fail("ebb_module_new failed (%d) but returned a module", rc);
  if (rc != EBB_EMALFORMED && rc != EBB_EINVALID && rc != EBB_ELIMIT && rc != EBB_ENOMEM)
    fuzz_fail("unexpected error %d (%s): %s", rc, ebb_strerror(rc), err.message);
  if (err.code != rc || !err.message[0])
    fuzz_fail("error %d has record code %d and message \"%s\"", rc, err.code, err.message);
  if (memchr(err.message, 0, sizeof err.message) == NULL)
    fuzz_fail("error message is not terminated");
  return 0;
}
