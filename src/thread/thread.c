/*
** thread.c -- creating threads (execution contexts) and requesting that
** they stop.
*/
#include <unistd.h>

#include "base/alloc.h"
#include "thread/park.h"
#include "rt/rt.h"
#include "thread/thread.h"

static uint64_t thread_bytes(const ebb_thread_t *t) {
  return (uint64_t)sizeof *t + t->stack_bytes + t->frames_bytes;
}

ebb_thread_t *ebb_thread_new(ebb_store_t *s) {
  ebb_thread_t *t = ebb__calloc(1, sizeof *t);
  if (!t) return NULL;
  t->store = s;
  size_t slots = s->limits.value_stack_slots;
  size_t frames = s->limits.max_call_depth;
  /* Mapped, not calloc'd: pages are touched only as deep as the guest goes. */
  if (slots > SIZE_MAX / sizeof *t->stack / 2 || frames > SIZE_MAX / sizeof *t->frames / 2) {
    ebb__free(t);
    return NULL;
  }
  t->stack_bytes = slots * sizeof *t->stack;
  t->frames_bytes = (frames + 1) * sizeof *t->frames;
  /* The stacks are charged to the store as mapped (max_store_bytes). */
  if (ebb__store_charge(s, thread_bytes(t))) {
    ebb__free(t);
    return NULL;
  }
  t->stack = ebb__map_zeroed(t->stack_bytes);
  t->frames = ebb__map_zeroed(t->frames_bytes);
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
  atomic_init(&t->handler_state, 0);
  return t;
}

void ebb_thread_delete(ebb_thread_t *t) {
  if (!t) return;
  int fd = atomic_load(&t->wake_fd);
  if (fd >= 0) close(fd);
  ebb__unmap(t->stack, t->stack_bytes);
  ebb__unmap(t->frames, t->frames_bytes);
  ebb__store_refund(t->store, thread_bytes(t));
  ebb__free(t);
}

/* A request is an atomic store and a wake, then the interrupt handler of a
** blocked host call if there is one: safe from any thread, and from a
** signal handler as far as that handler is (ebb.h). */
void ebb__thread_request(ebb_thread_t *t, unsigned bits) {
  atomic_fetch_or_explicit(&t->interrupt, bits, memory_order_seq_cst);
  ebb__thread_wake(t);
  if (bits & EBB__REQ_STOP_MASK) ebb__handler_fire(t);
}

void ebb_thread_set_fuel(ebb_thread_t *t, uint64_t fuel) {
  t->fuel = fuel > INT64_MAX ? INT64_MAX : (int64_t)fuel;
}

uint64_t ebb_thread_fuel(const ebb_thread_t *t) { return t->fuel > 0 ? (uint64_t)t->fuel : 0; }

void ebb_thread_interrupt(ebb_thread_t *t) { ebb__thread_request(t, EBB__REQ_INTERRUPT); }
