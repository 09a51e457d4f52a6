/*
** memory.c -- linear memories. Each memory reserves the address space of its
** maximum size up front and commits pages as it grows, so its base never
** moves: the interpreter may cache the base, and threads sharing the memory
** never see it relocated (threads proposal).
*/
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/report.h"
#include "rt/rt.h"

/* memory.grow on shared memories may race between threads. */
static pthread_mutex_t grow_lock = PTHREAD_MUTEX_INITIALIZER;

/* Every page a memory holds is charged to the store that created it
** (ebb__store_charge_pages), and its descriptor too, so that all memories of
** a store stay within max_store_memory_pages and, with everything else the
** store holds, within max_store_bytes. */

/* A memory and the store its pages are charged to. */
typedef struct memory_box {
  ebb_memory_t mem; /* first: a memory pointer is a box pointer */
  ebb_store_t *store;
} memory_box;

static ebb_store_t *store_of(ebb_memory_t *m) { return ((memory_box *)m)->store; }

static int memory_init(ebb_memory_t *m, uint64_t min, uint64_t max, bool has_max, bool shared,
                       uint64_t limit_pages) {
  m->max_pages = has_max && max < limit_pages ? max : limit_pages;
  m->has_max = has_max;
  m->shared = shared;
  if (min > m->max_pages) return EBB_ELIMIT;
  /* At least one page of reservation so data is never NULL. */
  m->reserved = (size_t)(m->max_pages ? m->max_pages : 1) * EBB__PAGE_SIZE;
  void *p = mmap(NULL, m->reserved, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return EBB_ENOMEM;
  m->data = p;
  size_t bytes = (size_t)min * EBB__PAGE_SIZE;
  if (bytes && mprotect(p, bytes, PROT_READ | PROT_WRITE)) {
    munmap(p, m->reserved);
    m->data = NULL; /* so that ebb__memory_free does not unmap it again */
    return EBB_ENOMEM;
  }
  atomic_init(&m->size, bytes);
  return 0;
}

/* Below this, faulting pages in one by one costs little. */
#define PREFAULT_MIN ((size_t)256 << 10)

void ebb__memory_prefault(ebb_memory_t *m, uint64_t at, uint64_t bytes) {
#ifdef MADV_POPULATE_WRITE
  if (bytes < PREFAULT_MIN) return;
  long page = sysconf(_SC_PAGESIZE);
  if (page <= 0) return;
  uintptr_t lo = (uintptr_t)(m->data + at) & ~(uintptr_t)(page - 1);
  uintptr_t hi = (uintptr_t)(m->data + at + bytes);
  madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE); /* a hint: older kernels say EINVAL */
#else
  (void)m, (void)at, (void)bytes;
#endif
}

void ebb__memory_free(ebb_memory_t *m) {
  if (!m) return;
  ebb_store_t *s = store_of(m);
  if (m->data) {
    munmap(m->data, m->reserved);
    ebb__store_refund_pages(s, atomic_load(&m->size) / EBB__PAGE_SIZE);
  }
  ebb__store_refund(s, sizeof(memory_box));
  ebb__free((memory_box *)m);
}

static int memory_new(ebb_store_t *s, uint64_t min, uint64_t max, bool has_max, bool shared,
                      const char *what, ebb_memory_t **out, ebb_error_t *err) {
  uint64_t limit = s->limits.max_memory_pages;
  if (has_max && max < min)
    return ebb__report(err, EBB_ELIMIT, "%s: its minimum of %llu pages is above its maximum",
                       what, (unsigned long long)min);
  if (min > limit)
    return ebb__report(err, EBB_ELIMIT,
                       "%s: its minimum of %llu pages is above the limit of %llu pages per "
                       "memory (max_memory_pages)",
                       what, (unsigned long long)min, (unsigned long long)limit);
  int rc = ebb__store_charge_for(s, sizeof(memory_box), err, "%s", what);
  if (rc) return rc;
  memory_box *b = ebb__calloc(1, sizeof *b);
  if (!b) {
    ebb__store_refund(s, sizeof(memory_box));
    return ebb__report(err, EBB_ENOMEM, "%s: out of memory", what);
  }
  ebb_memory_t *m = &b->mem;
  b->store = s;
  if ((rc = ebb__store_charge_pages_for(s, min, err, what))) {
    ebb__memory_free(m); /* no data yet: refunds the descriptor only */
    return rc;
  }
  rc = memory_init(m, min, max, has_max, shared, limit);
  if (rc) ebb__store_refund_pages(s, min); /* no data: the free below refunds no pages */
  if (!rc) {
    ebb__store_lock(s);
    rc = ebb__vec_push(&s->memories, m) ? EBB_ENOMEM : 0;
    ebb__store_unlock(s);
  }
  if (rc) {
    ebb__memory_free(m);
    return ebb__report(err, rc, "%s: %s", what, ebb_strerror(rc));
  }
  *out = m;
  return 0;
}

int ebb__memory_create(ebb_store_t *s, const ebb__memtype *t, const char *what,
                       ebb_memory_t **out, ebb_error_t *err) {
  return memory_new(s, t->limits.min, t->limits.max, t->limits.has_max, t->limits.shared, what,
                    out, err);
}

ebb_memory_t *ebb_memory_new(ebb_store_t *s, uint32_t min, uint32_t max, bool has_max,
                             bool shared) {
  ebb_memory_t *m = NULL;
  memory_new(s, min, max, has_max, shared, "memory", &m, NULL);
  return m;
}

int64_t ebb__memory_grow(ebb_memory_t *m, uint64_t delta) {
  pthread_mutex_lock(&grow_lock);
  size_t old = atomic_load_explicit(&m->size, memory_order_relaxed);
  uint64_t old_pages = old / EBB__PAGE_SIZE;
  int64_t result = (int64_t)old_pages;
  if (delta > m->max_pages - old_pages) {
    result = -1;
  } else if (delta) {
    size_t add = (size_t)delta * EBB__PAGE_SIZE;
    if (ebb__store_charge_pages(store_of(m), delta)) {
      result = -1;
    } else if (mprotect(m->data + old, add, PROT_READ | PROT_WRITE)) {
      ebb__store_refund_pages(store_of(m), delta);
      result = -1;
    } else {
      atomic_store_explicit(&m->size, old + add, memory_order_release);
    }
  }
  pthread_mutex_unlock(&grow_lock);
  return result;
}

ebb_store_t *ebb__memory_store(const ebb_memory_t *m) { return ((const memory_box *)m)->store; }

uint8_t *ebb_memory_data(ebb_memory_t *m) { return m->data; }

size_t ebb_memory_size(const ebb_memory_t *m) {
  return atomic_load_explicit(&((ebb_memory_t *)m)->size, memory_order_acquire);
}

int64_t ebb_memory_grow(ebb_memory_t *m, uint32_t delta_pages) {
  return m ? ebb__memory_grow(m, delta_pages) : -1;
}
