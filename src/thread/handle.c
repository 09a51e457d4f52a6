/*
** handle.c -- the process-wide table of thread slots (handle.h).
**
** Slots come in chunks that are allocated once and never freed, so a slot
** pointer found from a handle stays valid forever; a chunk pointer is
** published with release order before any handle into it exists. Free
** slots are reused first-in first-out, which spreads generations over the
** slots instead of wearing one slot's out.
*/
#include "thread/handle.h"

#include <stdatomic.h>

#include "base/alloc.h"
#include "thread/thread.h"

#define CHUNK_BITS 10
#define CHUNK_SLOTS (1u << CHUNK_BITS)
#define MAX_CHUNKS (1u << 14)
#define INDEX_BITS 24 /* CHUNK_BITS + 14: 16M slots */
#define INDEX_MASK ((1ull << INDEX_BITS) - 1)
#define GEN_LIMIT (1ull << (64 - INDEX_BITS))

static _Atomic(ebb__slot *) chunks[MAX_CHUNKS];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t nslots;                 /* slots made so far */
static uint32_t free_head, free_tail;   /* index + 1; 0: empty */

static ebb__slot *slot_at(uint32_t i) {
  ebb__slot *c = atomic_load_explicit(&chunks[i >> CHUNK_BITS], memory_order_acquire);
  return c ? &c[i & (CHUNK_SLOTS - 1)] : NULL;
}

/* A free slot's index, or -1 (table_lock held). */
static int64_t take_slot(void) {
  if (free_head) {
    uint32_t i = free_head - 1;
    ebb__slot *s = slot_at(i);
    free_head = s->next_free;
    if (!free_head) free_tail = 0;
    return i;
  }
  if (nslots == MAX_CHUNKS * CHUNK_SLOTS) return -1;
  if (!(nslots & (CHUNK_SLOTS - 1))) {
    ebb__slot *c = ebb__calloc(CHUNK_SLOTS, sizeof *c);
    if (!c) return -2;
    for (uint32_t k = 0; k < CHUNK_SLOTS; k++) {
      pthread_mutex_init(&c[k].lock, NULL);
      c[k].gen = 1; /* a handle is never 0 */
    }
    atomic_store_explicit(&chunks[nslots >> CHUNK_BITS], c, memory_order_release);
  }
  return nslots++;
}

int ebb__handle_acquire(ebb_thread_t *t) {
  pthread_mutex_lock(&table_lock);
  int64_t i = take_slot();
  pthread_mutex_unlock(&table_lock);
  if (i < 0) return i == -1 ? EBB_ELIMIT : EBB_ENOMEM;
  ebb__slot *s = slot_at((uint32_t)i);
  pthread_mutex_lock(&s->lock);
  s->thread = t;
  s->open = true;
  s->head = s->tail = NULL;
  t->handle = s->gen << INDEX_BITS | (uint64_t)i;
  pthread_mutex_unlock(&s->lock);
  return 0;
}

void ebb__handle_release(ebb_thread_t *t) {
  uint32_t i = (uint32_t)(t->handle & INDEX_MASK);
  ebb__slot *s = slot_at(i);
  pthread_mutex_lock(&s->lock);
  s->thread = NULL;
  s->open = false;
  bool retire = ++s->gen == GEN_LIMIT; /* after 10^12 lives: never reused */
  pthread_mutex_unlock(&s->lock);
  if (retire) return;
  pthread_mutex_lock(&table_lock);
  s->next_free = 0;
  if (free_tail) slot_at(free_tail - 1)->next_free = i + 1;
  else free_head = i + 1;
  free_tail = i + 1;
  pthread_mutex_unlock(&table_lock);
}

ebb__slot *ebb__handle_lock(ebb_handle_t h) {
  uint64_t i = h & INDEX_MASK;
  if (i >= MAX_CHUNKS * CHUNK_SLOTS) return NULL;
  ebb__slot *s = slot_at((uint32_t)i);
  if (!s) return NULL;
  pthread_mutex_lock(&s->lock);
  if (s->thread && s->gen == h >> INDEX_BITS) return s;
  pthread_mutex_unlock(&s->lock);
  return NULL;
}

uint32_t ebb__handle_slots_made(void) {
  pthread_mutex_lock(&table_lock);
  uint32_t n = nslots;
  pthread_mutex_unlock(&table_lock);
  return n;
}

ebb__slot *ebb__handle_slot(const ebb_thread_t *t) {
  return slot_at((uint32_t)(t->handle & INDEX_MASK));
}

ebb_handle_t ebb_thread_handle(const ebb_thread_t *t) { return t ? t->handle : 0; }
