#include "base/alloc.h"

#include <stdbool.h>
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

/* Countdown to the injected failure; 0 means no injection. Atomic only so
** that threads allocating meanwhile (a parallel compile) are not a race:
** injection itself counts one thread's allocations. */
static atomic_ulong fail_countdown;

void ebb__alloc_fail_after(unsigned long n) { atomic_store(&fail_countdown, n); }

static int injected_failure(void) {
  unsigned long n = atomic_load_explicit(&fail_countdown, memory_order_relaxed);
  if (n == 0) return 0;
  if (n == 1) return 1; /* stays failing until reset */
  atomic_store_explicit(&fail_countdown, n - 1, memory_order_relaxed);
  return 0;
}

/* The budget of this thread's allocations, if one is installed. */
static _Thread_local ebb__alloc_budget *budget;

ebb__alloc_budget *ebb__alloc_budget_swap(ebb__alloc_budget *b) {
  ebb__alloc_budget *old = budget;
  budget = b;
  return old;
}

ebb__alloc_budget *ebb__alloc_budget_current(void) { return budget; }

/* Take `size` bytes from the budget before allocating them; false (the
** budget marked exceeded) when that would pass its limit. */
static bool budget_take(size_t size) {
  size_t used = atomic_load_explicit(&budget->used, memory_order_relaxed);
  do {
    if (size > budget->limit || used > budget->limit - size) {
      atomic_store(&budget->exceeded, 1);
      return false;
    }
  } while (!atomic_compare_exchange_weak_explicit(&budget->used, &used, used + size,
                                                  memory_order_relaxed, memory_order_relaxed));
  return true;
}

/* Give n bytes back (never below zero). */
static void budget_give(size_t n) {
  size_t used = atomic_load_explicit(&budget->used, memory_order_relaxed);
  while (!atomic_compare_exchange_weak_explicit(&budget->used, &used, n < used ? used - n : 0,
                                                memory_order_relaxed, memory_order_relaxed)) {
  }
}

/* Block p was handed out for `taken` bytes: count what it really holds. */
static void budget_settle(void *p, size_t taken) {
  size_t n = FREES_COUNT ? block_size(p) : taken;
  if (n > taken) atomic_fetch_add_explicit(&budget->used, n - taken, memory_order_relaxed);
  else budget_give(taken - n);
}

void *ebb__malloc(size_t size) {
  if (injected_failure()) return NULL;
  if (size == 0) size = 1;
  if (budget && !budget_take(size)) return NULL;
  void *p = malloc(size);
  if (budget && p) budget_settle(p, size);
  else if (budget) budget_give(size);
  return p;
}

void *ebb__calloc(size_t count, size_t size) {
  if (size && count > SIZE_MAX / size) return NULL;
  if (injected_failure()) return NULL;
  if (count == 0) count = 1;
  if (size == 0) size = 1;
  if (budget && !budget_take(count * size)) return NULL;
  void *p = calloc(count, size);
  if (budget && p) budget_settle(p, count * size);
  else if (budget) budget_give(count * size);
  return p;
}

void *ebb__realloc(void *ptr, size_t size) {
  if (injected_failure()) return NULL;
  if (size == 0) size = 1;
  if (!budget) return realloc(ptr, size);
  /* Take what the block grows by first; the old block is given back once
  ** the new one is there. */
  size_t old = ptr && FREES_COUNT ? block_size(ptr) : 0;
  size_t more = size > old ? size - old : 0;
  if (!budget_take(more)) return NULL;
  void *p = realloc(ptr, size);
  if (!p) {
    budget_give(more);
    return NULL;
  }
  /* Held now: what was taken plus old; it should be block_size(p). */
  budget_settle(p, old + more);
  return p;
}

void ebb__free(void *ptr) {
  if (ptr && budget && FREES_COUNT) budget_give(block_size(ptr));
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

#define HUGE_PAGE ((size_t)2 << 20)

static size_t huge_length(size_t bytes) {
  return bytes > SIZE_MAX - HUGE_PAGE ? 0 : (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
}

void *ebb__malloc_huge(size_t bytes) {
  size_t len = huge_length(bytes ? bytes : 1);
  if (!len || len > SIZE_MAX - HUGE_PAGE || injected_failure()) return NULL;
  if (budget && !budget_take(len)) return NULL;
  /* Map one huge page more than needed, keep the aligned part. */
  uint8_t *raw = mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (raw == MAP_FAILED) {
    if (budget) budget_give(len);
    return NULL;
  }
  uint8_t *p = (uint8_t *)(((uintptr_t)raw + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
  if (p > raw) munmap(raw, (size_t)(p - raw));
  munmap(p + len, (size_t)(raw + HUGE_PAGE - p)); /* never empty: p < raw + HUGE_PAGE */
#ifdef MADV_HUGEPAGE
  madvise(p, len, MADV_HUGEPAGE); /* a hint: without it, ordinary pages */
#endif
  return p;
}

void ebb__free_huge(void *p, size_t bytes) {
  if (!p) return;
  size_t len = huge_length(bytes ? bytes : 1);
  if (budget && FREES_COUNT) budget_give(len);
  munmap(p, len);
}

int ebb__alloc_adopt(void *p, size_t bytes, int huge) {
  if (!budget || !p) return 0;
  size_t held = huge ? huge_length(bytes ? bytes : 1) : FREES_COUNT ? block_size(p) : bytes;
  return budget_take(held) ? 0 : -1;
}

char *ebb__strndup(const char *s, size_t n) {
  char *d = ebb__malloc(n + 1);
  if (!d) return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}
