#include "base/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Countdown to the injected failure; 0 means no injection. */
static unsigned long fail_countdown;

void ebb__alloc_fail_after(unsigned long n) { fail_countdown = n; }

static int injected_failure(void) {
  if (fail_countdown == 0) return 0;
  if (fail_countdown == 1) return 1; /* stays failing until reset */
  fail_countdown--;
  return 0;
}

void *ebb__malloc(size_t size) {
  if (injected_failure()) return NULL;
  return malloc(size ? size : 1);
}

void *ebb__calloc(size_t count, size_t size) {
  if (size && count > SIZE_MAX / size) return NULL;
  if (injected_failure()) return NULL;
  return calloc(count ? count : 1, size ? size : 1);
}

void *ebb__realloc(void *ptr, size_t size) {
  if (injected_failure()) return NULL;
  return realloc(ptr, size ? size : 1);
}

void ebb__free(void *ptr) { free(ptr); }

void *ebb__map_zeroed(size_t bytes) {
  if (injected_failure()) return NULL;
  void *p = mmap(NULL, bytes ? bytes : 1, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

void ebb__unmap(void *p, size_t bytes) {
  if (p) munmap(p, bytes ? bytes : 1);
}

char *ebb__strndup(const char *s, size_t n) {
  char *d = ebb__malloc(n + 1);
  if (!d) return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}
