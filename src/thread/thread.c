/*
** thread.c -- creating threads (execution contexts) and requesting that
** they stop.
*/
#include <unistd.h>

#include "base/alloc.h"
#include "thread/park.h"
#include "rt/rt.h"
#include "thread/thread.h"

ebb_thread_t *ebb_thread_new(ebb_store_t *s) {
  ebb_thread_t *t = ebb__calloc(1, sizeof *t);
  if (!t) return NULL;
  t->store = s;
  size_t slots = s->limits.value_stack_slots;
  size_t frames = s->limits.max_call_depth;
  /* calloc'd memory is only touched as deep as the guest goes. */
  t->stack = ebb__calloc(slots, sizeof *t->stack);
  t->frames = ebb__calloc(frames + 1, sizeof *t->frames);
  if (!t->stack || !t->frames) {
    ebb_thread_delete(t);
    return NULL;
  }
  t->stack_end = t->stack + slots;
  t->frames_end = t->frames + frames;
  t->base_fp = t->stack;
  t->base_frame = t->frames;
  atomic_init(&t->interrupt, 0);
  t->fuel = INT64_MAX; /* unlimited until set */
  atomic_init(&t->park_word, 0);
  atomic_init(&t->wake_fd, -1);
  atomic_init(&t->in_poll, 0);
  return t;
}

void ebb_thread_delete(ebb_thread_t *t) {
  if (!t) return;
  int fd = atomic_load(&t->wake_fd);
  if (fd >= 0) close(fd);
  ebb__free(t->stack);
  ebb__free(t->frames);
  ebb__free(t);
}

/* A request is an atomic store and a wake: safe from any thread and from a
** signal handler. */
void ebb__thread_request(ebb_thread_t *t, unsigned bits) {
  atomic_fetch_or_explicit(&t->interrupt, bits, memory_order_seq_cst);
  ebb__thread_wake(t);
}

void ebb_thread_set_fuel(ebb_thread_t *t, uint64_t fuel) {
  t->fuel = fuel > INT64_MAX ? INT64_MAX : (int64_t)fuel;
}

uint64_t ebb_thread_fuel(const ebb_thread_t *t) { return t->fuel > 0 ? (uint64_t)t->fuel : 0; }

void ebb_thread_interrupt(ebb_thread_t *t) { ebb__thread_request(t, EBB__REQ_INTERRUPT); }
