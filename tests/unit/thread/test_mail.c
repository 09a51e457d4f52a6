/*
** test_mail.c -- thread handles and mailboxes (ebb.h, "Thread handles and
** mailboxes"): messages run in order on the target thread while it spins,
** waits in memory.atomic.wait, sleeps, polls a pipe, waits in a host call
** with a handler, or is idle; a message may call into the guest; every
** message has exactly one outcome when its thread exits; synchronous calls
** time out (withdrawn), refuse the caller itself, and two guest threads
** calling each other do not deadlock; stale handles answer "closed" after
** 100,000 thread lifetimes with memory flat.
*/
#include "mailguest.h"
#include "thread/handle.h"

/* Messages that record the order they ran in. */
static int order[16], norder;
static void record(ebb_thread_t *t, void *arg) {
  (void)t;
  order[norder++] = (int)(intptr_t)arg;
}
static atomic_int cancelled;
static void count_cancel(void *arg) {
  (void)arg;
  atomic_fetch_add(&cancelled, 1);
}

/* A message that stops spin_until(0): writes the flag it spins on. */
static void release_spinner(ebb_thread_t *t, void *arg) {
  (void)t;
  set32((uint32_t)(intptr_t)arg, 7);
}

static void test_handles(void) {
  ebb_thread_t *a = ebb_thread_new(G.store), *b = ebb_thread_new(G.store);
  ebb_handle_t ha = ebb_thread_handle(a), hb = ebb_thread_handle(b);
  CHECK(ha != 0 && hb != 0 && ha != hb);
  CHECK_EQ_INT(ebb_thread_handle(NULL), 0);
  ebb_thread_delete(a);
  CHECK_EQ_INT(ebb_mail_post(ha, record, NULL, NULL), EBB_ECLOSED);
  CHECK_EQ_INT(ebb_mail_call(ha, record, NULL, INT64_MAX), EBB_MAIL_CLOSED);
  CHECK_EQ_INT(ebb_thread_suspend(ha, 0), EBB_ECLOSED);
  CHECK_EQ_INT(ebb_thread_continue(ha), EBB_ECLOSED);
  CHECK_EQ_INT(ebb_thread_suspend_wait(ha, INT64_MAX), EBB_ECLOSED);
  CHECK_EQ_INT(ebb_mail_post(0, record, NULL, NULL), EBB_ECLOSED);
  CHECK_EQ_INT(ebb_mail_post(~0ull, record, NULL, NULL), EBB_ECLOSED);
  CHECK_EQ_INT(ebb_mail_post(hb, NULL, NULL, NULL), EBB_EARG);
  /* A new thread may reuse a's slot, never its handle. */
  ebb_thread_t *c = ebb_thread_new(G.store);
  CHECK(ebb_thread_handle(c) != ha);
  CHECK_EQ_INT(ebb_mail_post(ha, record, NULL, NULL), EBB_ECLOSED);
  ebb_thread_delete(b);
  ebb_thread_delete(c);
}

static long rss_kb(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  long pages = 0, res = 0;
  if (f) {
    if (fscanf(f, "%ld %ld", &pages, &res) != 2) res = 0;
    fclose(f);
  }
  return res * (sysconf(_SC_PAGESIZE) / 1024);
}

/* 100,000 lifetimes: every old handle is closed, and the table does not
** grow with them (a handful of slots are reused). */
static void test_many_lifetimes(void) {
  enum { N = 100000 };
  ebb_handle_t first = 0, some[100];
  long before = 0;
  /* Small stacks: the handles are the point, and mapping 10 MiB per thread
  ** 100,000 times is what ThreadSanitizer is slowest at. */
  ebb_limits_t small = {.max_call_depth = 64, .value_stack_slots = 1024};
  ebb_store_t *store = ebb_store_new(&small);
  for (int i = 0; i < N; i++) {
    ebb_thread_t *t = ebb_thread_new(store);
    ebb_handle_t h = ebb_thread_handle(t);
    if (!first) first = h;
    if (i % 1000 == 0) some[i / 1000] = h;
    ebb_thread_delete(t);
    if (i == 10000) before = rss_kb();
  }
  long after = rss_kb();
  uint32_t slots = ebb__handle_slots_made();
  ebb_store_delete(store);
  CHECK_EQ_INT(ebb_mail_post(first, record, NULL, NULL), EBB_ECLOSED);
  for (int i = 0; i < 100; i++) CHECK_EQ_INT(ebb_mail_post(some[i], record, NULL, NULL), EBB_ECLOSED);
  /* Flat: the table holds as many slots as threads were ever alive at once
  ** (a chunk's worth at most here), and the process did not grow by 1 MiB
  ** over the last 90,000 (not under AddressSanitizer, whose quarantine
  ** keeps freed memory on purpose). */
  CHECK(slots <= 2048);
#if !defined(__SANITIZE_ADDRESS__)
  CHECK(after - before < 1024);
#else
  (void)after, (void)before;
#endif
}

/* Idle thread: messages queue until its owner runs them, in order. */
static void test_idle(void) {
  ebb_thread_t *t = ebb_thread_new(G.store);
  ebb_handle_t h = ebb_thread_handle(t);
  norder = 0;
  for (int i = 0; i < 5; i++) CHECK_EQ_INT(ebb_mail_post(h, record, NULL, (void *)(intptr_t)i), 0);
  CHECK_EQ_INT(norder, 0);
  CHECK_EQ_INT(ebb_thread_run_mail(t), 5);
  CHECK_EQ_INT(norder, 5);
  for (int i = 0; i < 5; i++) CHECK_EQ_INT(order[i], i);
  CHECK_EQ_INT(ebb_thread_run_mail(t), 0);
  /* A message may call into the guest on an idle thread. */
  int32_t before = counter();
  CHECK_EQ_INT(ebb_mail_post(h, add_one, NULL, NULL), 0);
  CHECK_EQ_INT(ebb_thread_run_mail(t), 1);
  CHECK_EQ_INT(counter(), before + 1);
  /* Deleting cancels what is queued, on the deleting thread. */
  atomic_store(&cancelled, 0);
  for (int i = 0; i < 3; i++) CHECK_EQ_INT(ebb_mail_post(h, record, count_cancel, NULL), 0);
  CHECK_EQ_INT(ebb_mail_post(h, record, NULL, NULL), 0); /* no cancel function: fine */
  ebb_thread_delete(t);
  CHECK_EQ_INT(atomic_load(&cancelled), 3);
  CHECK_EQ_INT(ebb_thread_run_mail(NULL), EBB_EARG);
}

/* While spinning: messages run at safe points, call into the guest, and
** the last one ends the spin. */
static void test_spinning(void) {
  set32(0, 0);
  runner r;
  start(&r, NULL, "spin_until", 0, 0);
  ebb_handle_t h = r.h;
  WAIT_FOR(mem32(4) > 100); /* spinning */
  int32_t before = counter();
  norder = 0;
  CHECK_EQ_INT(ebb_mail_post(h, record, NULL, (void *)1), 0);
  CHECK_EQ_INT(ebb_mail_post(h, add_one, NULL, NULL), 0);
  CHECK_EQ_INT(ebb_mail_call(h, record, (void *)2, INT64_MAX), EBB_MAIL_RAN);
  CHECK_EQ_INT(norder, 2);
  CHECK_EQ_INT(order[0], 1);
  CHECK_EQ_INT(order[1], 2);
  CHECK_EQ_INT(counter(), before + 1);
  CHECK_EQ_INT(ebb_mail_call(h, release_spinner, (void *)0, INT64_MAX), EBB_MAIL_RAN);
  finish(&r);
  CHECK_EQ_INT(r.st, EBB_OK);
  CHECK_EQ_INT(r.res.of.i32, 7);
  CHECK_EQ_INT(ebb_mail_post(h, record, NULL, NULL), EBB_ECLOSED);
}

/* In memory.atomic.wait: a message runs (calling into the guest), and the
** wait goes on: a notify afterwards ends it with "ok", a timeout with
** "timed out" no earlier than its deadline. */
static void test_atomic_wait(void) {
  set32(64, 0);
  set32(72, 0);
  runner r;
  start(&r, NULL, "wait_at", 64, -1);
  ebb_handle_t h = r.h;
  int32_t before = counter();
  CHECK_EQ_INT(ebb_mail_call(h, add_one, NULL, INT64_MAX), EBB_MAIL_RAN);
  CHECK_EQ_INT(counter(), before + 1);
  CHECK_EQ_INT(mem32(72), 0); /* still waiting */
  ebb_thread_t *n = ebb_thread_new(G.store);
  ebb_val_t args[2] = {{.kind = EBB_I32, .of.i32 = 64}, {.kind = EBB_I32, .of.i32 = 1}}, res;
  ebb_outcome_t o;
  do { /* notify until the waiter is back in the queue */
    CHECK_EQ_INT(ebb_call(n, fn("notify"), args, &res, &o), EBB_OK);
  } while (res.of.i32 == 0 && !atomic_load(&r.done));
  finish(&r);
  CHECK_EQ_INT(r.res.of.i32, 0); /* woken by the notify */

  set32(72, 0);
  int64_t t0 = ebb_now_ns();
  start(&r, NULL, "wait_at", 64, 300000000); /* 300 ms */
  h = r.h;
  CHECK_EQ_INT(ebb_mail_call(h, add_one, NULL, INT64_MAX), EBB_MAIL_RAN);
  finish(&r);
  CHECK_EQ_INT(r.res.of.i32, 2);                  /* timed out */
  CHECK(ebb_now_ns() - t0 >= 300000000);          /* not early */
  ebb_thread_delete(n);
}

/* Sleeping, blocked on a pipe, and in a host call with a condition
** handler: each runs the message and goes back to what it was doing. */
static void test_blocked(void) {
  runner r;
  int32_t before = counter();
  int64_t t0 = ebb_now_ns();
  start(&r, NULL, "sleep", 200000000, 0); /* 200 ms */
  ebb_handle_t h = r.h;
  CHECK_EQ_INT(ebb_mail_call(h, add_one, NULL, INT64_MAX), EBB_MAIL_RAN);
  CHECK_EQ_INT(ebb_mail_call(h, add_one, NULL, INT64_MAX), EBB_MAIL_RAN);
  finish(&r);
  CHECK_EQ_INT(r.st, EBB_OK);
  CHECK(ebb_now_ns() - t0 >= 200000000);
  CHECK_EQ_INT(counter(), before + 2);

  int p[2];
  CHECK_EQ_INT(pipe(p), 0);
  start(&r, NULL, "read", p[0], 0);
  h = r.h;
  CHECK_EQ_INT(ebb_mail_call(h, add_one, NULL, INT64_MAX), EBB_MAIL_RAN);
  CHECK_EQ_INT(atomic_load(&r.done), 0);
  CHECK_EQ_INT(write(p[1], "x", 1), 1);
  finish(&r);
  CHECK_EQ_INT(r.res.of.i32, 'x');
  close(p[0]);
  close(p[1]);
  CHECK_EQ_INT(counter(), before + 3);

  G.cond_ready = 0;
  atomic_store(&G.condwait_runs, 0);
  start(&r, NULL, "condwait", 0, 0);
  h = r.h;
  WAIT_FOR(atomic_load(&G.condwait_runs) == 1);
  CHECK_EQ_INT(ebb_mail_call(h, add_one, NULL, INT64_MAX), EBB_MAIL_RAN);
  WAIT_FOR(atomic_load(&G.condwait_runs) == 2); /* ran again after the message */
  pthread_mutex_lock(&G.m);
  G.cond_ready = 1;
  pthread_cond_broadcast(&G.c);
  pthread_mutex_unlock(&G.m);
  finish(&r);
  CHECK_EQ_INT(r.st, EBB_OK);
  CHECK_EQ_INT(counter(), before + 4);
}

/* Synchronous calls: a deadline withdraws a message that has not begun (it
** never runs); the target itself is refused; two guest threads calling
** each other both get their answer. */
static void test_call(void) {
  runner r;
  start(&r, NULL, "block", 300, 0); /* 300 ms where ebb cannot reach it */
  ebb_handle_t h = r.h;
  WAIT_FOR(atomic_load(&r.started));
  pause_us(20000);
  norder = 0;
  CHECK_EQ_INT(ebb_mail_call(h, record, (void *)9, ebb_now_ns() + 20000000), EBB_MAIL_TIMEDOUT);
  finish(&r);
  CHECK_EQ_INT(norder, 0); /* withdrawn: never ran */

  /* callto(0) from a thread to itself. */
  ebb_thread_t *t = ebb_thread_new(G.store);
  G.callto[0] = ebb_thread_handle(t);
  ebb_val_t arg = {.kind = EBB_I32, .of.i32 = 0}, res;
  ebb_outcome_t o;
  CHECK_EQ_INT(ebb_call(t, fn("callto"), &arg, &res, &o), EBB_OK);
  CHECK_EQ_INT(res.of.i32, EBB_MAIL_SELF);
  ebb_thread_delete(t);

  /* Two threads call each other at once (both are in ebb_mail_call before
  ** either message can run), 200 times: neither waits forever. Each runs
  ** the other's message while it waits, unless its own answer came first
  ** and it exited: then the other's message is cancelled. */
  int both = 0;
  atomic_store(&G.callto_barrier, 2);
  for (int round = 0; round < 200; round++) {
    atomic_store(&G.callto_arrived, 0);
    runner a, b;
    ebb_thread_t *ta = ebb_thread_new(G.store), *tb = ebb_thread_new(G.store);
    G.callto[1] = ebb_thread_handle(tb);
    G.callto[2] = ebb_thread_handle(ta);
    start(&a, ta, "callto", 1, 0);
    start(&b, tb, "callto", 2, 0);
    finish(&a);
    finish(&b);
    CHECK(a.res.of.i32 == EBB_MAIL_RAN || a.res.of.i32 == EBB_MAIL_CANCELLED);
    CHECK(b.res.of.i32 == EBB_MAIL_RAN || b.res.of.i32 == EBB_MAIL_CANCELLED);
    CHECK(a.res.of.i32 == EBB_MAIL_RAN || b.res.of.i32 == EBB_MAIL_RAN);
    both += a.res.of.i32 == EBB_MAIL_RAN && b.res.of.i32 == EBB_MAIL_RAN;
  }
  atomic_store(&G.callto_barrier, 0);
  printf("mutual calls: both ran in %d of 200 rounds\n", both);
}

/* A message whose call traps, and one whose call is interrupted and left
** stopped: the interrupt passes on to the call the message interrupted,
** which resumes to its normal end. */
static atomic_int inner_status = -1; /* checked on the test's thread */
static void interrupted_inner(ebb_thread_t *t, void *arg) {
  (void)arg;
  ebb_val_t a = {.kind = EBB_I32, .of.i32 = 2000000000}, res;
  ebb_outcome_t o;
  ebb_thread_interrupt(t);
  atomic_store(&inner_status, ebb_call(t, fn("work"), &a, &res, &o));
}
static void trapping(ebb_thread_t *t, void *arg) {
  (void)arg;
  ebb_outcome_t o;
  CHECK_EQ_INT(ebb_call(t, fn("trap"), NULL, NULL, &o), EBB_TRAP);
  CHECK_EQ_INT(o.trap, EBB_TRAP_UNREACHABLE);
}

static void test_stops_in_messages(void) {
  set32(128, 0);
  runner r;
  start(&r, NULL, "spin_until", 128, 0);
  r.resume = false;
  ebb_handle_t h = r.h;
  r.keep = true;
  WAIT_FOR(mem32(132) > 10);
  CHECK_EQ_INT(ebb_mail_call(h, trapping, NULL, INT64_MAX), EBB_MAIL_RAN);
  CHECK_EQ_INT(ebb_mail_post(h, interrupted_inner, NULL, NULL), 0);
  finish(&r);
  CHECK_EQ_INT(atomic_load(&inner_status), EBB_INTERRUPTED);
  CHECK_EQ_INT(r.st, EBB_INTERRUPTED); /* passed on */
  set32(128, 5);
  ebb_outcome_t o;
  CHECK_EQ_INT(ebb_call_resume(r.t, &r.res, &o), EBB_OK);
  CHECK_EQ_INT(r.res.of.i32, 5);
  ebb_thread_delete(r.t);
}

/* A host call with a handler inside a message: mail posted meanwhile runs
** its handler but cannot run there (messages run one at a time), so the
** handler stays installed and a stop request later still wakes it. */
static atomic_int inner_cond_status = -1;
static void cond_in_message(ebb_thread_t *t, void *arg) {
  (void)arg;
  ebb_outcome_t o;
  atomic_store(&inner_cond_status, ebb_call(t, fn("condwait"), NULL, NULL, &o));
}
static void *run_mail_thread(void *p) {
  ((runner *)p)->res.of.i32 = ebb_thread_run_mail(((runner *)p)->t); /* joined: seen after */
  return NULL;
}

static void test_handler_in_message(void) {
  runner r;
  memset(&r, 0, sizeof r);
  r.t = ebb_thread_new(G.store);
  r.h = ebb_thread_handle(r.t);
  ebb_handle_t h = r.h;
  G.cond_ready = 0;
  atomic_store(&G.condwait_runs, 0);
  CHECK_EQ_INT(ebb_mail_post(h, cond_in_message, NULL, NULL), 0);
  pthread_create(&r.os, NULL, run_mail_thread, &r);
  WAIT_FOR(atomic_load(&G.condwait_runs) == 1);
  norder = 0;
  CHECK_EQ_INT(ebb_mail_post(h, record, NULL, (void *)5), 0); /* runs the handler */
  pause_us(20000);
  CHECK_EQ_INT(norder, 0);                         /* not inside the first message */
  CHECK_EQ_INT(atomic_load(&inner_cond_status), -1); /* still waiting */
  ebb_thread_interrupt(r.t);
  pthread_join(r.os, NULL);
  CHECK_EQ_INT(atomic_load(&inner_cond_status), EBB_INTERRUPTED);
  CHECK_EQ_INT(r.res.of.i32, 2); /* then the second message ran */
  CHECK_EQ_INT(norder, 1);
  ebb_thread_delete(r.t);
}

/* A message that ends its thread's group (as proc_exit does in a WASI
** guest): the call it interrupted ends with EBB_EXIT and the group's code. */
static void end_group(ebb_thread_t *t, void *arg) {
  (void)t;
  ebb_group_end(arg, EBB_END_EXIT, 42, "message exits");
}

static void test_exit_in_message(void) {
  ebb_group_t *g = ebb_group_new(2);
  ebb_thread_t *t = ebb_thread_new(G.store);
  CHECK_EQ_INT(ebb_group_add(g, t), 0);
  set32(192, 0);
  set32(196, 0);
  runner r;
  start(&r, t, "spin_until", 192, 0);
  WAIT_FOR(mem32(196) > 10);
  CHECK_EQ_INT(ebb_mail_post(ebb_thread_handle(t), end_group, NULL, g), 0);
  finish(&r);
  CHECK_EQ_INT(r.st, EBB_EXIT);
  int code = 0;
  CHECK_EQ_INT(ebb_group_outcome(g, &code, NULL, 0), EBB_END_EXIT);
  CHECK_EQ_INT(code, 42);
  ebb_group_delete(g);
}

/* The contract under stress: senders post and call while the target exits
** at a random moment; each message runs or is cancelled, exactly once, and
** no sender waits forever. */
enum { SENDERS = 3, PER_SENDER = 8 };
typedef struct stress_msg {
  atomic_int ran, cancelled;
} stress_msg;
static void stress_run(ebb_thread_t *t, void *arg) {
  (void)t;
  atomic_fetch_add(&((stress_msg *)arg)->ran, 1);
}
static void stress_cancel(void *arg) { atomic_fetch_add(&((stress_msg *)arg)->cancelled, 1); }

typedef struct sender {
  pthread_t os;
  ebb_handle_t to;
  stress_msg msgs[PER_SENDER];
  int results[PER_SENDER]; /* post: 0 / ECLOSED; call: ebb_mail_result_t + 100 */
} sender;

static void *send_all(void *p) {
  sender *s = p;
  for (int i = 0; i < PER_SENDER; i++) {
    if (i & 1) s->results[i] = 100 + ebb_mail_call(s->to, stress_run, &s->msgs[i], INT64_MAX);
    else s->results[i] = ebb_mail_post(s->to, stress_run, stress_cancel, &s->msgs[i]);
  }
  return NULL;
}

static void test_stress(void) {
  int rounds = stress_rounds(10000);
  unsigned seed = 12345;
  long ran = 0, ncancelled = 0, closed = 0;
  for (int round = 0; round < rounds; round++) {
    runner r;
    ebb_thread_t *t = ebb_thread_new(G.store);
    /* The target runs work(n) for a random n, then exits. */
    seed = seed * 1103515245 + 12345;
    start(&r, t, "work", (seed >> 8) % 20000, 0);
    sender s[SENDERS];
    for (int i = 0; i < SENDERS; i++) {
      memset(&s[i], 0, sizeof s[i]);
      s[i].to = r.h;
      pthread_create(&s[i].os, NULL, send_all, &s[i]);
    }
    for (int i = 0; i < SENDERS; i++) pthread_join(s[i].os, NULL);
    finish(&r);
    for (int i = 0; i < SENDERS; i++)
      for (int k = 0; k < PER_SENDER; k++) {
        stress_msg *m = &s[i].msgs[k];
        int res = s[i].results[k];
        int outcomes = atomic_load(&m->ran) + atomic_load(&m->cancelled) +
                       (res == 100 + EBB_MAIL_CANCELLED); /* a call's cancel is its result */
        if (res == EBB_ECLOSED || res == 100 + EBB_MAIL_CLOSED) {
          CHECK_EQ_INT(outcomes, 0); /* never queued */
          closed++;
          continue;
        }
        CHECK_EQ_INT(outcomes, 1); /* exactly one outcome */
        if (k & 1) /* the call saw what happened */
          CHECK_EQ_INT(res, 100 + (atomic_load(&m->ran) ? EBB_MAIL_RAN : EBB_MAIL_CANCELLED));
        ran += atomic_load(&m->ran);
        ncancelled += atomic_load(&m->cancelled) + (res == 100 + EBB_MAIL_CANCELLED);
      }
  }
  printf("stress: %d rounds, %ld ran, %ld cancelled, %ld refused as closed\n", rounds, ran,
         ncancelled, closed);
}

int main(void) {
  guest_setup();
  test_handles();
  test_idle();
  test_spinning();
  test_atomic_wait();
  test_blocked();
  test_call();
  test_stops_in_messages();
  test_exit_in_message();
  test_handler_in_message();
  test_stress();
  test_many_lifetimes();
  add_one_ok();
  return CHECK_DONE();
}
