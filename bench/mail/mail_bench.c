/*
** mail_bench.c -- what thread mailboxes and suspension cost (ebb.h,
** "Thread handles and mailboxes", "Suspending and continuing"), each beside
** the plain pthread way of doing the same where there is one:
**  (a) post throughput: a sender pthread posts N messages (ebb_mail_post),
**      each adding one to a counter, to a guest thread spinning in a loop;
**      messages per second from the first post until the counter is N.
**      Baseline: N items through a mutex + condition variable queue from a
**      producer pthread to a consumer pthread (baseline.c).
**  (b) ebb_mail_call round trips to a spinning guest thread and to one
**      blocked in memory.atomic.wait; baseline: a request and its response
**      between two pthreads through a mutex and condition variables.
**  (c) ebb_group_suspend until ebb_group_suspend_wait returns, for groups
**      of 1, 10 and 100 guest threads all spinning or all blocked
**      (suspend.c).
** Throughput is the median of three passes in the run; each baseline runs
** with no guest thread left, so it has both cores as the ebb figure has.
**
** Usage: ebb_mail [POSTS [ROUND_TRIPS [ROUNDS]]]  (default 200000 10000 200)
*/
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

#define SECOND 1000000000LL

/* ---- (a) Post throughput ------------------------------------------------- */

static _Atomic long delivered; /* written by the guest thread only */
static long target;
static int64_t done_at;

static void bump(ebb_thread_t *t, void *arg) {
  long n = atomic_load_explicit(&delivered, memory_order_relaxed) + 1;
  if (n == target) done_at = ebb_now_ns();
  atomic_store_explicit(&delivered, n, memory_order_release);
}

typedef struct sender {
  ebb_handle_t to;
  long n;
  int64_t began;
  int failed;
} sender;

static void *send_all(void *p) {
  sender *s = p;
  s->began = ebb_now_ns();
  for (long i = 0; i < s->n && !s->failed; i++) s->failed = ebb_mail_post(s->to, bump, NULL, NULL);
  return NULL;
}

/* Messages per second, or a negative value. */
static double post_throughput(ebb_handle_t to, long n) {
  sender s = {to, n, 0, 0};
  atomic_store(&delivered, 0);
  target = n;
  pthread_t th;
  pthread_create(&th, NULL, send_all, &s);
  pthread_join(th, NULL);
  if (s.failed) {
    fprintf(stderr, "ebb_mail: ebb_mail_post: %s\n", ebb_strerror(s.failed));
    return -1;
  }
  int64_t deadline = ebb_now_ns() + 20 * SECOND;
  while (atomic_load_explicit(&delivered, memory_order_acquire) < n) {
    if (ebb_now_ns() > deadline) {
      fprintf(stderr, "ebb_mail: %ld of %ld messages ran in 20 s\n", atomic_load(&delivered), n);
      return -1;
    }
    pause_us(50);
  }
  return n * 1e9 / (double)(done_at - s.began);
}

/* ---- (b) Round trips ------------------------------------------------------ */

static void nothing(ebb_thread_t *t, void *arg) { ++*(long *)arg; }

static int round_trips(ebb_handle_t to, int n, pct *out) {
  int64_t *lat = malloc(sizeof *lat * (size_t)n);
  long ran = 0;
  if (!lat) return -1;
  for (int i = -n / 10; i < n; i++) { /* the first tenth warms up */
    int64_t t0 = ebb_now_ns();
    ebb_mail_result_t r = ebb_mail_call(to, nothing, &ran, t0 + 10 * SECOND);
    if (r != EBB_MAIL_RAN) {
      fprintf(stderr, "ebb_mail: ebb_mail_call: result %d after %ld\n", r, ran);
      free(lat);
      return -1;
    }
    if (i >= 0) lat[i] = ebb_now_ns() - t0;
  }
  *out = percentiles_us(lat, n);
  free(lat);
  return 0;
}

/* ---- The run ----------------------------------------------------------------- */

typedef struct figures {
  double post, base_post; /* per second */
  pct rt_spin, rt_wait, base_rt;
  pct susp[2][3]; /* [blocked][1, 10, 100 threads] */
} figures;

/* One pass of (a): ebb, then the baseline with the guest thread gone, so
** each has both cores. Messages per second, or a negative value. */
static double post_pass(guest *g, long posts, double *base) {
  runner r;
  guest_reset(g);
  if (runner_start(&r, g, g->spin, 0)) return -1;
  double rate = -1;
  if (!wait_spinning(g, 0, 0, ebb_now_ns() + 10 * SECOND))
    rate = post_throughput(ebb_thread_handle(r.thread), posts);
  runner_stop(&r);
  *base = base_throughput(posts);
  return rate;
}

static int measure_mail(guest *g, long posts, int trips, figures *f) {
  runner r;
  double ebb[3], base[3];
  for (int i = 0; i < 3; i++)
    if ((ebb[i] = post_pass(g, posts, &base[i])) < 0) return -1;
  f->post = median3(ebb[0], ebb[1], ebb[2]);
  f->base_post = median3(base[0], base[1], base[2]);

  guest_reset(g);
  if (runner_start(&r, g, g->spin, 0)) return -1;
  int rc = wait_spinning(g, 0, 0, ebb_now_ns() + 10 * SECOND);
  if (!rc) rc = round_trips(ebb_thread_handle(r.thread), trips, &f->rt_spin);
  runner_stop(&r);
  if (rc) return rc;

  guest_reset(g);
  if (runner_start(&r, g, g->wait, 0)) return -1;
  rc = wait_blocked(g, 1, ebb_now_ns() + 10 * SECOND);
  if (!rc) rc = round_trips(ebb_thread_handle(r.thread), trips, &f->rt_wait);
  runner_stop(&r);
  f->base_rt = base_round_trip(trips);
  return rc;
}

static void row(const char *what, double ebb, double base, double ratio) {
  printf("%-48s %10.2f %10.2f %9.2fx\n", what, ebb, base, ratio);
}

static void print(const figures *f, long posts, int trips, int rounds) {
  printf("ebb mailboxes and suspension: %ld posts (median of 3 passes), %d round trips,\n"
         "%d suspend rounds per group\n\n",
         posts, trips, rounds);
  printf("%-48s %10s %10s %10s\n", "mailbox", "ebb", "mutex+cv", "ebb/base");
  printf("%-48s %10s %10s %10s\n", "", "", "", "(goal <=2)");
  /* The ratio is always cost over cost: for throughput, time per message. */
  row("(a) post throughput, spinning guest (M/s)", f->post / 1e6, f->base_post / 1e6,
      f->base_post / f->post);
  row("(b) round trip, spinning guest, p50 (us)", f->rt_spin.p50, f->base_rt.p50,
      f->rt_spin.p50 / f->base_rt.p50);
  row("    round trip, spinning guest, p99 (us)", f->rt_spin.p99, f->base_rt.p99,
      f->rt_spin.p99 / f->base_rt.p99);
  row("    round trip, guest in atomic.wait, p50 (us)", f->rt_wait.p50, f->base_rt.p50,
      f->rt_wait.p50 / f->base_rt.p50);
  row("    round trip, guest in atomic.wait, p99 (us)", f->rt_wait.p99, f->base_rt.p99,
      f->rt_wait.p99 / f->base_rt.p99);
  printf("\n%-48s %10s %10s %10s\n", "(c) group suspend until parked (us)", "p50", "p99",
         "p99 goal");
  static const int sizes[3] = {1, 10, 100};
  for (int b = 0; b < 2; b++)
    for (int i = 0; i < 3; i++) {
      char what[64];
      snprintf(what, sizeof what, "    %3d threads %s", sizes[i],
               b ? "blocked in atomic.wait" : "spinning");
      printf("%-48s %10.1f %10.1f %10s\n", what, f->susp[b][i].p50, f->susp[b][i].p99,
             sizes[i] == 100 ? "< 1000" : "");
    }
}

int main(int argc, char **argv) {
  long posts = argc > 1 ? atol(argv[1]) : 200000;
  int trips = argc > 2 ? atoi(argv[2]) : 10000;
  int rounds = argc > 3 ? atoi(argv[3]) : 200;
  if (posts < 1 || trips < 10 || rounds < 10) {
    fprintf(stderr, "usage: ebb_mail [POSTS [ROUND_TRIPS >= 10 [ROUNDS >= 10]]]\n");
    return 2;
  }
  guest g;
  figures f;
  if (guest_open(&g)) return 1;
  int rc = measure_mail(&g, posts, trips, &f);
  static const int sizes[3] = {1, 10, 100};
  for (int b = 0; b < 2 && !rc; b++)
    for (int i = 0; i < 3 && !rc; i++) rc = suspend_bench(&g, sizes[i], b, rounds, &f.susp[b][i]);
  guest_close(&g);
  if (rc) return 1;
  print(&f, posts, trips, rounds);
  return 0;
}
