#include "base/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#define block_size(p) malloc_usable_size(p)
#define FREES_COUNT 1
#else
#define block_size(p) ((void)(p), (size_t)0)
#define FREES_COUNT 0
#endif

/* Countdown to the injected failure; 0 means no injection. */
static unsigned long fail_countdown;

void ebb__alloc_fail_after(unsigned long n) { fail_countdown = n; }

static int injected_failure(void) {
  if (fail_countdown == 0) return 0;
  if (fail_countdown == 1) return 1; /* stays failing until reset */
  fail_countdown--;
  return 0;
}

/* The budget of this thread's allocations, if one is installed. */
static _Thread_local ebb__alloc_budget *budget;

ebb__alloc_budget *ebb__alloc_budget_swap(ebb__alloc_budget *b) {
  ebb__alloc_budget *old = budget;
  budget = b;
  return old;
}

/* May `size` more bytes be taken, with `giving_back` returned at once? */
static int budget_allows(size_t size, size_t giving_back) {
  size_t used = budget->used - (giving_back < budget->used ? giving_back : budget->used);
  if (size > budget->limit || used > budget->limit - size) {
    budget->exceeded = 1;
    return 0;
  }
  return 1;
}

/* Account for block p (of `asked` bytes) having been handed out. */
static void budget_took(void *p, size_t asked) {
  size_t n = FREES_COUNT ? block_size(p) : asked;
  budget->used += n;
}

static void budget_gave(void *p) {
  size_t n = FREES_COUNT ? block_size(p) : 0;
  budget->used -= n < budget->used ? n : budget->used;
}

void *ebb__malloc(size_t size) {
  if (injected_failure()) return NULL;
  if (size == 0) size = 1;
  if (budget && !budget_allows(size, 0)) return NULL;
  void *p = malloc(size);
  if (p && budget) budget_took(p, size);
  return p;
}

void *ebb__calloc(size_t count, size_t size) {
  if (size && count > SIZE_MAX / size) return NULL;
  if (injected_failure()) return NULL;
  if (count == 0) count = 1;
  if (size == 0) size = 1;
  if (budget && !budget_allows(count * size, 0)) return NULL;
  void *p = calloc(count, size);
  if (p && budget) budget_took(p, count * size);
  return p;
}

void *ebb__realloc(void *ptr, size_t size) {
  if (injected_failure()) return NULL;
  if (size == 0) size = 1;
  if (!budget) return realloc(ptr, size);
  size_t old = ptr && FREES_COUNT ? block_size(ptr) : 0;
  if (!budget_allows(size, old)) return NULL;
  void *p = realloc(ptr, size);
  if (!p) return NULL;
  budget->used -= old < budget->used ? old : budget->used;
  budget_took(p, size);
  return p;
}

void ebb__free(void *ptr) {
  if (ptr && budget) budget_gave(ptr);
  free(ptr);
}

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
