/*
** store.c -- the store: owner of everything instances create, and the set of
** interned function types that makes call_indirect's check one comparison.
*/
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/report.h"
#include "rt/rt.h"

#define DEFAULT_MAX_PAGES 65536u
#define DEFAULT_MAX_TABLE 10000000u
#define DEFAULT_CALL_DEPTH 100000u
#define DEFAULT_STACK_SLOTS (1u << 20)

/* The store with its accounts: the bytes all its objects hold now
** (ebb_limits_t.max_store_bytes), and the pages its memories hold
** (max_store_memory_pages). Charged when an object is made or grows,
** refunded when it goes. Atomic, because threads of one store create
** objects and grow memories concurrently (wasi-threads). */
typedef struct store_box {
  ebb_store_t store; /* first: a store pointer is a box pointer */
  _Atomic uint64_t bytes;
  _Atomic uint64_t memory_pages;
  struct store_box *next; /* EBB_ENABLE_CHECKS: every live store */
} store_box;

/* EBB_ENABLE_CHECKS: the live stores, so that a pointer can be asked
** whether it is a function at all. */
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static store_box *live_stores;

/* Add n to *account unless that passes limit: 0, or EBB_ELIMIT (then
** nothing is taken). One compare-and-swap loop, so concurrent charges can
** never together pass the limit. */
static int take(_Atomic uint64_t *account, uint64_t n, uint64_t limit) {
  uint64_t used = atomic_load_explicit(account, memory_order_relaxed);
  do {
    if (n > limit || used > limit - n) return EBB_ELIMIT;
  } while (!atomic_compare_exchange_weak_explicit(account, &used, used + n, memory_order_relaxed,
                                                  memory_order_relaxed));
  return 0;
}

int ebb__store_charge(ebb_store_t *s, uint64_t bytes) {
  return take(&((store_box *)s)->bytes, bytes, s->limits.max_store_bytes);
}

void ebb__store_refund(ebb_store_t *s, uint64_t bytes) {
  atomic_fetch_sub_explicit(&((store_box *)s)->bytes, bytes, memory_order_relaxed);
}

uint64_t ebb__store_bytes(const ebb_store_t *s) {
  return atomic_load_explicit(&((store_box *)s)->bytes, memory_order_relaxed);
}

int ebb__store_charge_for(ebb_store_t *s, uint64_t bytes, ebb_error_t *err, const char *fmt,
                          ...) {
  if (ebb__store_charge(s, bytes) == 0) return 0;
  char what[128];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  uint64_t used = ebb__store_bytes(s), limit = s->limits.max_store_bytes;
  return ebb__report(err, EBB_ELIMIT,
                     "%s needs %llu bytes, more than the %llu left of the store's limit of %llu "
                     "bytes (max_store_bytes)",
                     what, (unsigned long long)bytes,
                     (unsigned long long)(used < limit ? limit - used : 0),
                     (unsigned long long)limit);
}

int ebb__store_charge_pages_for(ebb_store_t *s, uint64_t pages, ebb_error_t *err,
                                const char *what) {
  store_box *b = (store_box *)s;
  uint64_t limit = s->limits.max_store_memory_pages;
  if (take(&b->memory_pages, pages, limit))
    return ebb__report(err, EBB_ELIMIT,
                       "%s: %llu more pages would pass the store's limit of %llu pages "
                       "(max_store_memory_pages)",
                       what, (unsigned long long)pages, (unsigned long long)limit);
  if (pages > UINT64_MAX / EBB__PAGE_SIZE ||
      ebb__store_charge_for(s, pages * EBB__PAGE_SIZE, err, "%s", what)) {
    atomic_fetch_sub_explicit(&b->memory_pages, pages, memory_order_relaxed);
    return ebb__report(err, EBB_ELIMIT, "%s: too big", what);
  }
  return 0;
}

int ebb__store_charge_pages(ebb_store_t *s, uint64_t pages) {
  return ebb__store_charge_pages_for(s, pages, NULL, "memory");
}

void ebb__store_refund_pages(ebb_store_t *s, uint64_t pages) {
  atomic_fetch_sub_explicit(&((store_box *)s)->memory_pages, pages, memory_order_relaxed);
  ebb__store_refund(s, pages * EBB__PAGE_SIZE);
}

ebb_store_t *ebb_store_new(const ebb_limits_t *limits) {
  store_box *b = ebb__calloc(1, sizeof *b);
  if (!b) return NULL;
  ebb_store_t *s = &b->store;
  atomic_init(&b->bytes, 0);
  atomic_init(&b->memory_pages, 0);
  atomic_init(&s->nthreads, 0);
#ifdef EBB_CHECKS
  pthread_mutex_lock(&live_lock);
  b->next = live_stores;
  live_stores = b;
  pthread_mutex_unlock(&live_lock);
#endif
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&s->lock, &attr);
  pthread_mutexattr_destroy(&attr);
  if (limits) s->limits = *limits;
  ebb_limits_t *l = &s->limits;
  if (!l->max_memory_pages || l->max_memory_pages > DEFAULT_MAX_PAGES)
    l->max_memory_pages = DEFAULT_MAX_PAGES;
  if (!l->max_table_elems) l->max_table_elems = DEFAULT_MAX_TABLE;
  if (!l->max_call_depth) l->max_call_depth = DEFAULT_CALL_DEPTH;
  if (l->max_call_depth > EBB_MAX_CALL_DEPTH) l->max_call_depth = EBB_MAX_CALL_DEPTH;
  if (!l->max_contexts) l->max_contexts = 100000;
  if (l->max_contexts > EBB_MAX_CONTEXTS) l->max_contexts = EBB_MAX_CONTEXTS;
  if (!l->value_stack_slots) l->value_stack_slots = DEFAULT_STACK_SLOTS;
  if (l->value_stack_slots > EBB_MAX_STACK_SLOTS) l->value_stack_slots = EBB_MAX_STACK_SLOTS;
  if (!l->max_store_memory_pages) l->max_store_memory_pages = UINT64_MAX;
  if (!l->max_store_bytes) l->max_store_bytes = UINT64_MAX;
  return s;
}

void ebb_store_delete(ebb_store_t *s) {
  if (!s) return;
  unsigned live = atomic_load(&s->nthreads);
  if (live)
    ebb__misuse("ebb_store_delete: %u threads of this store still exist (end and join their "
                "groups, delete the threads, then the store)", live);
#ifdef EBB_CHECKS
  pthread_mutex_lock(&live_lock);
  for (store_box **p = &live_stores; *p; p = &(*p)->next)
    if (*p == (store_box *)s) {
      *p = (*p)->next;
      break;
    }
  pthread_mutex_unlock(&live_lock);
#endif
  for (size_t i = 0; i < s->instances.len; i++) ebb__instance_free(s->instances.data[i]);
  for (size_t i = 0; i < s->host_funcs.len; i++) ebb__func_free(s->host_funcs.data[i]);
  for (size_t i = 0; i < s->memories.len; i++) ebb__memory_free(s->memories.data[i]);
  for (size_t i = 0; i < s->tables.len; i++) ebb__table_free(s->tables.data[i]);
  for (size_t i = 0; i < s->globals.len; i++) ebb__global_free(s, s->globals.data[i]);
  ebb__vec_free(&s->instances);
  ebb__vec_free(&s->host_funcs);
  ebb__vec_free(&s->memories);
  ebb__vec_free(&s->tables);
  ebb__vec_free(&s->globals);
  for (uint32_t i = 0; i < s->types.count; i++) ebb__free(s->types.types[i]);
  ebb__free(s->types.types);
  ebb__free(s->types.buckets);
  pthread_mutex_destroy(&s->lock);
  ebb__free((store_box *)s);
}

/* ---- Interned function types ---------------------------------------------- */

static uint32_t type_hash(const ebb__functype *t) {
  uint32_t h = 2166136261u ^ t->nparams * 31u ^ t->nresults;
  for (uint32_t i = 0; i < t->nparams + t->nresults; i++) h = (h ^ t->types[i]) * 16777619u;
  return h;
}

static bool type_equal(const ebb__functype *a, const ebb__functype *b) {
  return a->nparams == b->nparams && a->nresults == b->nresults &&
         memcmp(a->types, b->types, a->nparams + a->nresults) == 0;
}

static int rehash(ebb__typeset *ts, uint32_t nbuckets) {
  uint32_t *b = ebb__calloc(nbuckets, sizeof *b);
  if (!b) return -1;
  for (uint32_t id = 0; id < ts->count; id++) {
    uint32_t i = type_hash(ts->types[id]) & (nbuckets - 1);
    while (b[i]) i = (i + 1) & (nbuckets - 1);
    b[i] = id + 1;
  }
  ebb__free(ts->buckets);
  ts->buckets = b;
  ts->nbuckets = nbuckets;
  return 0;
}

void ebb__store_lock(ebb_store_t *s) { pthread_mutex_lock(&s->lock); }
void ebb__store_unlock(ebb_store_t *s) { pthread_mutex_unlock(&s->lock); }

static int64_t intern_type(ebb_store_t *s, const ebb__functype *t);

int64_t ebb__store_intern_type(ebb_store_t *s, const ebb__functype *t) {
  ebb__store_lock(s);
  int64_t id = intern_type(s, t);
  ebb__store_unlock(s);
  return id;
}

/* An interned type is charged to the store as its copy plus its share of
** the id array and the hash table; types live as long as the store. */
static uint64_t type_bytes(const ebb__functype *t) {
  return sizeof(ebb__functype) + t->nparams + t->nresults + sizeof(ebb__functype *) +
         2 * sizeof(uint32_t);
}

static int64_t intern_type(ebb_store_t *s, const ebb__functype *t) {
  ebb__typeset *ts = &s->types;
  if (ts->nbuckets) {
    uint32_t i = type_hash(t) & (ts->nbuckets - 1);
    for (; ts->buckets[i]; i = (i + 1) & (ts->nbuckets - 1))
      if (type_equal(ts->types[ts->buckets[i] - 1], t)) return ts->buckets[i] - 1;
  }
  if (ebb__store_charge(s, type_bytes(t))) return EBB_ELIMIT;
  if ((ts->count + 1) * 2 > ts->nbuckets && rehash(ts, ts->nbuckets ? ts->nbuckets * 2 : 64))
    goto nomem;
  if (ts->count == ts->cap) {
    uint32_t ncap = ts->cap ? ts->cap * 2 : 32;
    ebb__functype **n = ebb__realloc(ts->types, ncap * sizeof *n);
    if (!n) goto nomem;
    ts->types = n;
    ts->cap = ncap;
  }
  size_t ntypes = (size_t)t->nparams + t->nresults;
  ebb__functype *copy = ebb__malloc(sizeof *copy + ntypes);
  if (!copy) goto nomem;
  copy->nparams = t->nparams;
  copy->nresults = t->nresults;
  copy->types = (ebb__valtype *)(copy + 1);
  if (ntypes) memcpy(copy->types, t->types, ntypes);
  uint32_t id = ts->count++;
  ts->types[id] = copy;
  uint32_t i = type_hash(t) & (ts->nbuckets - 1);
  while (ts->buckets[i]) i = (i + 1) & (ts->nbuckets - 1);
  ts->buckets[i] = id + 1;
  return id;
nomem:
  ebb__store_refund(s, type_bytes(t));
  return EBB_ENOMEM;
}

const ebb__functype *ebb__store_type(const ebb_store_t *s, uint32_t id) {
  ebb__store_lock((ebb_store_t *)s);
  const ebb__functype *t = s->types.types[id];
  ebb__store_unlock((ebb_store_t *)s);
  return t;
}

static bool store_has_func(ebb_store_t *s, const ebb_func_t *f) {
  bool found = false;
  ebb__store_lock(s);
  for (size_t i = 0; i < s->host_funcs.len && !found; i++) found = s->host_funcs.data[i] == f;
  for (size_t i = 0; i < s->instances.len && !found; i++) {
    const ebb_instance_t *inst = s->instances.data[i];
    const ebb__module *m = inst->module->desc;
    size_t n = m->nfuncs - m->nimported_funcs;
    found = inst->own_funcs && f >= inst->own_funcs && f < inst->own_funcs + n;
  }
  ebb__store_unlock(s);
  return found;
}

bool ebb__func_is_live(const ebb_func_t *f) {
  bool found = false;
  pthread_mutex_lock(&live_lock);
  for (store_box *b = live_stores; b && !found; b = b->next) found = store_has_func(&b->store, f);
  pthread_mutex_unlock(&live_lock);
  return found;
}
