/*
** suspend.c -- how long ebb_group_suspend takes to complete: from the call
** until ebb_group_suspend_wait returns, for a group of our own guest
** threads (ebb_group_add), all spinning or all blocked in
** memory.atomic.wait with no timeout (bench.h).
*/
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

#define SECOND 1000000000LL

/* Every spinning thread has looped since it was continued: all are busy,
** none still on its way out of the park. Left to the scheduler that takes
** a time slice per thread (about 0.5 s for 100 threads on 2 cores), so the
** threads yield meanwhile; they spin without yielding when suspended. */
static int all_spinning(const guest *g, const uint32_t *since, int n) {
  int64_t deadline = ebb_now_ns() + 10 * SECOND;
  int rc = 0;
  for (int i = 0;;) {
    while (i < n && guest_spins(g, i) != since[i]) i++;
    if (i == n) break;
    if (ebb_now_ns() > deadline) {
      rc = -1;
      break;
    }
    pause_us(50);
  }
  guest_yield(0);
  return rc;
}

static int rounds_of(guest *g, ebb_group_t *grp, int n, int blocked, int rounds, int64_t *lat) {
  uint32_t *since = calloc((size_t)n, sizeof *since);
  if (!since) return -1;
  int rc = 0;
  for (int k = 0; k < rounds && !rc; k++) {
    if (!blocked && all_spinning(g, since, n)) {
      fprintf(stderr, "ebb_mail: spinning threads did not run again after continue\n");
      rc = -1;
      break;
    }
    /* Let the last continue's wakeups settle: a blocked thread is woken by
    ** it and goes back to its wait. */
    pause_us(100);
    int64_t t0 = ebb_now_ns();
    int s = ebb_group_suspend(grp, 0);
    int w = s ? s : ebb_group_suspend_wait(grp, t0 + 10 * SECOND);
    lat[k] = ebb_now_ns() - t0;
    if (s || w) {
      fprintf(stderr, "ebb_mail: group of %d %s: suspend %d, wait %s\n", n,
              blocked ? "blocked" : "spinning", s, ebb_strerror(w));
      rc = -1;
    }
    for (int i = 0; i < n; i++) since[i] = guest_spins(g, i);
    guest_yield(!blocked);
    if (ebb_group_continue(grp)) rc = -1;
  }
  free(since);
  return rc;
}

int suspend_bench(guest *g, int n, int blocked, int rounds, pct *out) {
  guest_reset(g);
  ebb_group_t *grp = ebb_group_new(0);
  runner *r = calloc((size_t)n, sizeof *r);
  int64_t *lat = malloc(sizeof *lat * (size_t)rounds);
  if (!grp || !r || !lat) {
    ebb_group_delete(grp);
    free(r);
    free(lat);
    return -1;
  }
  int rc = 0, started = 0;
  guest_yield(!blocked); /* until all have started */
  for (int i = 0; i < n && !rc; i++) {
    /* Into the group before its call starts, so no call runs outside it. */
    ebb_thread_t *t = ebb_thread_new(g->store);
    r[i] = (runner){t, blocked ? g->wait : g->spin, i, EBB_OK, 0};
    if (!t || ebb_group_add(grp, t) || runner_spawn(&r[i])) {
      fprintf(stderr, "ebb_mail: cannot start guest thread %d of %d\n", i, n);
      ebb_thread_delete(t);
      rc = -1;
    } else {
      started++;
    }
  }
  int64_t deadline = ebb_now_ns() + 10 * SECOND;
  if (!rc && blocked) rc = wait_blocked(g, (uint32_t)n, deadline);
  if (!rc) rc = rounds_of(g, grp, n, blocked, rounds, lat);
  if (!rc) *out = percentiles_us(lat, rounds);

  /* Every call ends with EBB_EXIT; deleting a thread takes it out of the
  ** group, which may then go. */
  guest_yield(0);
  ebb_group_end(grp, EBB_END_EXIT, 0, NULL);
  for (int i = 0; i < started; i++) {
    pthread_join(r[i].os, NULL);
    if (r[i].status != EBB_EXIT && !rc) {
      fprintf(stderr, "ebb_mail: a member ended with status %d, not EXIT\n", r[i].status);
      rc = -1;
    }
    ebb_thread_delete(r[i].thread);
  }
  ebb_group_delete(grp);
  free(r);
  free(lat);
  return rc;
}
