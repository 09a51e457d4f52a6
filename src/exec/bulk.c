/*
** bulk.c -- memory.copy, memory.fill, memory.init, table.copy, table.fill,
** table.init and table.grow when their work is larger than one chunk
** (EBB__BULK_CHUNK): done in chunks, with a look at the interrupt word
** between two, so one instruction never delays a request by more than one
** chunk, however large the size the guest asked for.
**
** The non-obvious decision: a stop keeps the progress in the thread
** (restart_pc, restart_done) and the re-executed instruction continues from
** it, exactly as an uninterrupted run would have gone on. Starting again is
** not an option: an overlapping copy has overwritten part of its source.
**
** The look between chunks is made whether or not safe points are compiled
** in (EBB_NO_SAFEPOINTS only measures their cost on the hot path): it is the
** bound on one instruction, and one relaxed load per chunk costs nothing.
*/
#include <assert.h>
#include <stdatomic.h>
#include <string.h>

#include "exec/bulk.h"
#include "rt/rt.h"
#include "thread/thread.h"

/* Units the instruction at pc has done already: its progress if it stopped
** there, else none. */
static uint64_t resume_point(ebb_thread_t *t, const uint32_t *pc) {
  return t->restart_pc == pc ? t->restart_done : 0;
}

/* Between two chunks: on a request, keep the progress and say stop. */
static bool stop_here(ebb_thread_t *t, const uint32_t *pc, uint64_t done) {
  if (!atomic_load_explicit(&t->interrupt, memory_order_relaxed)) return false;
  t->restart_pc = pc;
  t->restart_done = done;
  return true;
}

/* The instruction completed: its progress means nothing any more. */
static void finished(ebb_thread_t *t, const uint32_t *pc) {
  if (t->restart_pc == pc) t->restart_pc = NULL;
}

static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

bool ebb__bulk_move(ebb_thread_t *t, const uint32_t *pc, void *dst, const void *src,
                    uint64_t bytes, bool backwards) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  /* Bytes done, counted from the end the copy started at. */
  uint64_t done = resume_point(t, pc);
  assert(done < bytes);
  for (;;) {
    uint64_t n = min_u64(bytes - done, EBB__BULK_CHUNK);
    uint64_t at = backwards ? bytes - done - n : done;
    memmove(d + at, s + at, n);
    done += n;
    if (done == bytes) break;
    if (stop_here(t, pc, done)) return true;
  }
  finished(t, pc);
  return false;
}

bool ebb__bulk_fill(ebb_thread_t *t, const uint32_t *pc, uint8_t *dst, int byte, uint64_t bytes) {
  uint64_t done = resume_point(t, pc);
  assert(done < bytes);
  for (;;) {
    uint64_t n = min_u64(bytes - done, EBB__BULK_CHUNK);
    memset(dst + done, byte, n);
    done += n;
    if (done == bytes) break;
    if (stop_here(t, pc, done)) return true;
  }
  finished(t, pc);
  return false;
}

/* Elements of a table in one chunk. */
#define CHUNK_REFS (EBB__BULK_CHUNK / sizeof(void *))

static void set_refs(void **dst, void *ref, uint64_t n) {
  for (uint64_t i = 0; i < n; i++) dst[i] = ref;
}

bool ebb__bulk_fill_refs(ebb_thread_t *t, const uint32_t *pc, void **dst, void *ref,
                         uint64_t count) {
  uint64_t done = resume_point(t, pc);
  assert(done < count);
  for (;;) {
    uint64_t n = min_u64(count - done, CHUNK_REFS);
    set_refs(dst + done, ref, n);
    done += n;
    if (done == count) break;
    if (stop_here(t, pc, done)) return true;
  }
  finished(t, pc);
  return false;
}

bool ebb__bulk_table_grow(ebb_thread_t *t, const uint32_t *pc, ebb_table_t *tab, uint32_t delta,
                          void *init, int64_t *old) {
  uint32_t size = tab->size;
  uint64_t done = 0;
  if (t->restart_pc == pc && t->restart_size == size) {
    /* Stopped half-way, and nothing grew the table since (its size would
    ** show it): the room made then is still there, partly filled. */
    done = t->restart_done;
    assert(done < delta);
  } else if (ebb__table_reserve(tab, delta)) {
    finished(t, pc);
    *old = -1;
    return false;
  }
  /* Fill the room past the size; the size changes last. */
  for (;;) {
    uint64_t n = min_u64(delta - done, CHUNK_REFS);
    set_refs(tab->elems + size + done, init, n);
    done += n;
    if (done == delta) break;
    if (stop_here(t, pc, done)) {
      t->restart_size = size;
      return true;
    }
  }
  tab->size = size + delta;
  finished(t, pc);
  *old = size;
  return false;
}
