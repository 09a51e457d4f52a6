/*
** thread.c -- creating threads (execution contexts) and requesting that
** they stop.
*/
#include <unistd.h>

#include "base/alloc.h"
#include "base/report.h"
#include "thread/handle.h"
#include "thread/mail.h"
#include "thread/park.h"
#include "rt/rt.h"
#include "thread/thread.h"

static uint64_t thread_bytes(const ebb_thread_t *t) {
  return (uint64_t)sizeof *t + t->stack_bytes + t->frames_bytes;
}

/* Free what ebb_thread_new made, and give its charge back to the store. */
static void thread_free(ebb_thread_t *t) {
  if (t->contexts) t->contexts_free(t); /* a call stopped with contexts, never ended */
  int fd = atomic_load(&t->wake_fd);
  if (fd >= 0) close(fd);
  ebb__unmap(t->stack, t->stack_bytes);
  ebb__unmap(t->frames, t->frames_bytes);
  ebb__store_refund(t->store, thread_bytes(t));
  ebb__free(t);
}

ebb_thread_t *ebb_thread_new(ebb_store_t *s) {
  if (!s) return NULL;
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
  atomic_init(&t->wake_fd, -1);
  t->stack = ebb__map_zeroed(t->stack_bytes);
  t->frames = ebb__map_zeroed(t->frames_bytes);
  if (!t->stack || !t->frames) {
    thread_free(t);
    return NULL;
  }
  t->stack_end = t->stack + slots;
  t->frames_end = t->frames + frames;
  t->base_fp = t->stack;
  t->base_frame = t->frames;
  atomic_init(&t->interrupt, 0);
  atomic_init(&t->signal_pending, 0);
  t->fuel = INT64_MAX; /* unlimited until set */
  atomic_init(&t->park_word, 0);
  atomic_init(&t->in_poll, 0);
  atomic_init(&t->in_park, 0);
  atomic_init(&t->owner, 0);
  for (int i = 0; i < EBB__MAX_NESTING; i++) atomic_init(&t->handlers[i].state, 0);
  atomic_init(&t->busy, 0);
  atomic_init(&t->suspended, 0);
  if (ebb__handle_acquire(t)) {
    thread_free(t);
    return NULL;
  }
  atomic_fetch_add(&s->nthreads, 1);
  return t;
}

void ebb_thread_delete(ebb_thread_t *t) {
  if (!t) return;
  if (atomic_load(&t->owner))
    ebb__misuse("ebb_thread_delete: a call is running on this thread (delete it once the "
                "call has returned)");
  /* Its mailbox closes first (queued messages are cancelled here), then it
  ** leaves its group, so the group never sees it freed; then its handle goes
  ** stale. */
  ebb__mail_close(t);
  if (t->group) ebb_group_remove(t->group, t);
  ebb__handle_release(t);
  atomic_fetch_sub(&t->store->nthreads, 1);
  thread_free(t);
}

/* A request is an atomic store and a wake, then the interrupt handler of a
** blocked host call if there is one: safe from any thread, and from a
** signal handler as far as that handler is (ebb.h). */
void ebb__thread_request(ebb_thread_t *t, unsigned bits) {
  atomic_fetch_or_explicit(&t->interrupt, bits, memory_order_seq_cst);
  ebb__thread_wake(t);
  if (bits & EBB__REQ_STOP_MASK) ebb__handler_fire(t, false);
}

void ebb_thread_set_fuel(ebb_thread_t *t, uint64_t fuel) {
  EBB__CHECK(!atomic_load(&t->owner), "ebb_thread_set_fuel: a call is running on the thread");
  t->fuel = fuel > INT64_MAX ? INT64_MAX : (int64_t)fuel;
}

uint64_t ebb_thread_fuel(const ebb_thread_t *t) { return t->fuel > 0 ? (uint64_t)t->fuel : 0; }

void ebb_thread_interrupt(ebb_thread_t *t) {
  if (t) ebb__thread_request(t, EBB__REQ_INTERRUPT);
}

/* The address of a thread-local object is unique among live OS threads. */
static _Thread_local char os_thread_marker;
static _Thread_local ebb_thread_t *current_thread;

uintptr_t ebb__os_thread_id(void) { return (uintptr_t)&os_thread_marker; }

bool ebb__inside(const ebb_thread_t *t) {
  for (ebb_thread_t *c = current_thread; c; c = c->os_prev)
    if (c == t) return true;
  return false;
}
ebb_thread_t *ebb__current_thread(void) { return current_thread; }
void ebb__set_current_thread(ebb_thread_t *t) { current_thread = t; }
