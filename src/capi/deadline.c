/*
** deadline.c -- deadlines for a store's calls (ebb_wasm.h). ebb.h has no
** per-call deadline of its own: ebb run keeps its --timeout on a watcher
** thread, and so does this. Each store that is given a deadline gets one
** watcher, which sleeps on a condition variable until the running outermost
** call's deadline, then interrupts the store's thread -- no polling. It is
** told of each call's start (arm) and end (disarm); a deadline that fires
** between a call's last safe point and its disarm leaves a stop request on
** the idle thread, which call.c takes before the next call (the drain).
*/
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "capi/capi.h"

struct ebb__capi_deadline {
  wasm_store_t *store;
  pthread_mutex_t lock;
  pthread_cond_t cond; /* on CLOCK_MONOTONIC, ebb_now_ns's clock */
  pthread_t watcher;
  bool quit;
  int64_t deadline; /* absolute, for every call; INT64_MAX none */
  int64_t timeout;  /* per outermost call; negative none */
  int64_t armed;    /* the running call's deadline; INT64_MAX none */
  bool fired;       /* the watcher stopped the running call */
};

static void *watch(void *arg) {
  ebb__capi_deadline *d = arg;
  pthread_mutex_lock(&d->lock);
  while (!d->quit) {
    if (d->armed == INT64_MAX) {
      pthread_cond_wait(&d->cond, &d->lock);
      continue;
    }
    int64_t now = ebb_now_ns();
    if (now >= d->armed) {
      d->fired = true;
      d->armed = INT64_MAX;
      ebb_thread_interrupt(d->store->thread);
      continue;
    }
    struct timespec ts = {(time_t)(d->armed / 1000000000), (long)(d->armed % 1000000000)};
    pthread_cond_timedwait(&d->cond, &d->lock, &ts);
  }
  pthread_mutex_unlock(&d->lock);
  return NULL;
}

/* The store's watcher, started the first time it is needed. */
static ebb__capi_deadline *watcher_of(wasm_store_t *s) {
  if (s->deadline) return s->deadline;
  ebb__capi_deadline *d = calloc(1, sizeof *d);
  if (!d) return NULL;
  d->store = s;
  d->deadline = INT64_MAX;
  d->timeout = -1;
  d->armed = INT64_MAX;
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&d->cond, &ca);
  pthread_condattr_destroy(&ca);
  pthread_mutex_init(&d->lock, NULL);
  if (pthread_create(&d->watcher, NULL, watch, d)) {
    pthread_cond_destroy(&d->cond);
    pthread_mutex_destroy(&d->lock);
    free(d);
    return NULL;
  }
  s->deadline = d;
  return d;
}

void ebb_capi_store_set_deadline(wasm_store_t *s, int64_t deadline_ns) {
  ebb__capi_deadline *d = s ? watcher_of(s) : NULL;
  if (!d) return;
  pthread_mutex_lock(&d->lock);
  d->deadline = deadline_ns;
  pthread_mutex_unlock(&d->lock);
}

void ebb_capi_store_set_timeout(wasm_store_t *s, int64_t timeout_ns) {
  ebb__capi_deadline *d = s ? watcher_of(s) : NULL;
  if (!d) return;
  pthread_mutex_lock(&d->lock);
  d->timeout = timeout_ns;
  pthread_mutex_unlock(&d->lock);
}

void ebb__capi_deadline_arm(wasm_store_t *s) {
  ebb__capi_deadline *d = s->deadline;
  if (!d) return;
  pthread_mutex_lock(&d->lock);
  int64_t at = d->deadline, now = ebb_now_ns();
  if (d->timeout >= 0) {
    int64_t by = d->timeout > INT64_MAX - now ? INT64_MAX : now + d->timeout;
    if (by < at) at = by;
  }
  d->fired = at <= now;
  if (d->fired) {
    /* Passed already: the call stops at its first safe point, however
    ** soon it would end -- not when the watcher gets round to it. */
    d->armed = INT64_MAX;
    ebb_thread_interrupt(s->thread);
  } else {
    d->armed = at;
    pthread_cond_signal(&d->cond);
  }
  pthread_mutex_unlock(&d->lock);
}

bool ebb__capi_deadline_disarm(wasm_store_t *s) {
  ebb__capi_deadline *d = s->deadline;
  if (!d) return false;
  pthread_mutex_lock(&d->lock);
  d->armed = INT64_MAX;
  bool fired = d->fired;
  d->fired = false;
  pthread_mutex_unlock(&d->lock);
  return fired;
}

bool ebb__capi_deadline_fired(wasm_store_t *s) {
  ebb__capi_deadline *d = s->deadline;
  if (!d) return false;
  pthread_mutex_lock(&d->lock);
  bool fired = d->fired;
  pthread_mutex_unlock(&d->lock);
  return fired;
}

void ebb__capi_deadline_free(wasm_store_t *s) {
  ebb__capi_deadline *d = s->deadline;
  if (!d) return;
  pthread_mutex_lock(&d->lock);
  d->quit = true;
  pthread_cond_signal(&d->cond);
  pthread_mutex_unlock(&d->lock);
  pthread_join(d->watcher, NULL);
  pthread_cond_destroy(&d->cond);
  pthread_mutex_destroy(&d->lock);
  free(d);
  s->deadline = NULL;
}
