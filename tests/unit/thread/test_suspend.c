/*
** test_suspend.c -- suspending and continuing (ebb.h, "Suspending and
** continuing"): a spinning thread parks and its memory stays still; a
** waiting one counts as parked, a notify or a timeout meanwhile is kept
** for when it continues; stop requests override a suspension; messages
** run while suspended only when allowed; a thread joining a suspended
** group parks at its entry; and a 100-thread group of spinners, waiters
** and blocked readers suspended and continued 1,000 times ends exactly as
** an uninterrupted run.
*/
#include "mailguest.h"
#include "thread/waitq.h"

static void test_errors(void) {
  ebb_thread_t *t = ebb_thread_new(G.store);
  ebb_handle_t h = ebb_thread_handle(t);
  CHECK_EQ_INT(ebb_thread_continue(h), EBB_EARG);
  CHECK_EQ_INT(ebb_thread_suspend_wait(h, INT64_MAX), EBB_EARG);
  CHECK_EQ_INT(ebb_thread_suspend(h, 0), 0);
  CHECK_EQ_INT(ebb_thread_suspend(h, 0), EBB_EBUSY);
  CHECK_EQ_INT(ebb_thread_suspend_wait(h, INT64_MAX), 0); /* idle: parked */
  CHECK_EQ_INT(ebb_thread_continue(h), 0);
  CHECK_EQ_INT(ebb_thread_continue(h), EBB_EARG);
  CHECK_EQ_INT(ebb_group_suspend(NULL, 0), EBB_EARG);
  CHECK_EQ_INT(ebb_group_continue(NULL), EBB_EARG);
  ebb_group_t *g = ebb_group_new(4);
  CHECK_EQ_INT(ebb_group_continue(g), EBB_EARG);
  CHECK_EQ_INT(ebb_group_suspend_wait(g, INT64_MAX), EBB_EARG);
  CHECK_EQ_INT(ebb_group_suspend(g, 0), 0);
  CHECK_EQ_INT(ebb_group_suspend(g, 0), EBB_EBUSY);
  CHECK_EQ_INT(ebb_group_suspend_wait(g, INT64_MAX), 0); /* no members */
  CHECK_EQ_INT(ebb_group_continue(g), 0);
  ebb_group_delete(g);
  ebb_thread_delete(t);
  CHECK_EQ_INT(ebb_thread_suspend(h, 0), EBB_ECLOSED);
}

/* A message that waits for its own thread's suspension: refused. */
static atomic_int self_wait_rc;
static void wait_for_self(ebb_thread_t *t, void *arg) {
  (void)arg;
  atomic_store(&self_wait_rc, ebb_thread_suspend_wait(ebb_thread_handle(t), INT64_MAX));
}

static void test_spinner(void) {
  set32(0, 0);
  set32(4, 0);
  runner r;
  start(&r, NULL, "spin_until", 0, 0);
  ebb_handle_t h = r.h;
  WAIT_FOR(mem32(4) > 100);
  CHECK_EQ_INT(ebb_thread_suspend(h, 0), 0);
  CHECK_EQ_INT(ebb_thread_suspend_wait(h, INT64_MAX), 0);
  uint32_t turns = mem32(4);
  pause_us(20000);
  CHECK_EQ_INT(mem32(4), turns); /* parked: memory is still */
  CHECK_EQ_INT(ebb_thread_continue(h), 0);
  WAIT_FOR(mem32(4) > turns);
  /* Waiting for its own suspension from the thread itself. */
  CHECK_EQ_INT(ebb_thread_suspend(h, EBB_SUSPEND_RUN_MAIL), 0);
  CHECK_EQ_INT(ebb_mail_call(h, wait_for_self, NULL, INT64_MAX), EBB_MAIL_RAN);
  CHECK_EQ_INT(atomic_load(&self_wait_rc), EBB_EBUSY);
  CHECK_EQ_INT(ebb_thread_continue(h), 0);
  set32(0, 3);
  finish(&r);
  CHECK_EQ_INT(r.st, EBB_OK);
  CHECK_EQ_INT(r.res.of.i32, 3);
}

/* Notify a thread waiting at addr (from a thread of our own). */
static int notify_at(uint32_t addr) {
  ebb_thread_t *n = ebb_thread_new(G.store);
  ebb_val_t args[2] = {{.kind = EBB_I32, .of.i32 = (int32_t)addr}, {.kind = EBB_I32, .of.i32 = 1}};
  ebb_val_t res;
  ebb_outcome_t o;
  CHECK_EQ_INT(ebb_call(n, fn("notify"), args, &res, &o), EBB_OK);
  ebb_thread_delete(n);
  return res.of.i32;
}

static void test_waiter(void) {
  /* No timeout: the notify made while suspended is not lost, and the
  ** guest does not run on (addr+8 stays 0) until continued. */
  set32(64, 0);
  set32(72, 0);
  runner r;
  start(&r, NULL, "wait_at", 64, -1);
  ebb_handle_t h = r.h;
  WAIT_FOR(ebb__waitq_count(G.mem, 64) == 1); /* in its wait */
  CHECK_EQ_INT(ebb_thread_suspend(h, 0), 0);
  CHECK_EQ_INT(ebb_thread_suspend_wait(h, INT64_MAX), 0);
  CHECK_EQ_INT(notify_at(64), 1);
  pause_us(20000);
  CHECK_EQ_INT(mem32(72), 0);
  CHECK_EQ_INT(atomic_load(&r.done), 0);
  CHECK_EQ_INT(ebb_thread_continue(h), 0);
  finish(&r);
  CHECK_EQ_INT(r.res.of.i32, 0); /* "ok": woken by the notify */
  CHECK_EQ_INT(mem32(72), 1);

  /* A timeout that passes while suspended is seen after continuing. */
  set32(72, 0);
  start(&r, NULL, "wait_at", 64, 30000000); /* 30 ms */
  h = r.h;
  WAIT_FOR(ebb__waitq_count(G.mem, 64) == 1 || atomic_load(&r.done));
  CHECK_EQ_INT(ebb_thread_suspend(h, 0), 0);
  CHECK_EQ_INT(ebb_thread_suspend_wait(h, INT64_MAX), 0);
  pause_us(100000);
  CHECK_EQ_INT(mem32(72), 0);
  CHECK_EQ_INT(ebb_thread_continue(h), 0);
  finish(&r);
  CHECK_EQ_INT(r.res.of.i32, 2); /* timed out */
}

/* Stop requests override a suspension. */
static void test_stops(void) {
  ebb_group_t *g = ebb_group_new(4);
  ebb_thread_t *t = ebb_thread_new(G.store);
  CHECK_EQ_INT(ebb_group_add(g, t), 0);
  set32(0, 0);
  set32(4, 0);
  runner r;
  start(&r, t, "spin_until", 0, 0);
  WAIT_FOR(mem32(4) > 10);
  CHECK_EQ_INT(ebb_group_suspend(g, 0), 0);
  CHECK_EQ_INT(ebb_group_suspend_wait(g, INT64_MAX), 0);
  ebb_group_end(g, EBB_END_SIGNAL, 2, "stop");
  finish(&r);
  CHECK_EQ_INT(r.st, EBB_EXIT); /* ended while suspended */
  ebb_group_delete(g);

  /* An interrupt stops a suspended call; resumed while still suspended, it
  ** parks again; continued, it runs to its end. */
  set32(4, 0);
  start(&r, NULL, "spin_until", 0, 0);
  r.keep = true;
  ebb_handle_t h = r.h;
  WAIT_FOR(mem32(4) > 10);
  CHECK_EQ_INT(ebb_thread_suspend(h, 0), 0);
  CHECK_EQ_INT(ebb_thread_suspend_wait(h, INT64_MAX), 0);
  ebb_thread_interrupt(r.t);
  finish(&r);
  CHECK_EQ_INT(r.st, EBB_INTERRUPTED);
  set32(0, 9);
  atomic_store(&r.done, 0);
  pthread_create(&r.os, NULL, resume_call, &r);
  pause_us(20000);
  CHECK_EQ_INT(atomic_load(&r.done), 0); /* parked again */
  CHECK_EQ_INT(ebb_thread_continue(h), 0);
  finish(&r);
  CHECK_EQ_INT(r.st, EBB_OK);
  CHECK_EQ_INT(r.res.of.i32, 9);
  ebb_thread_delete(r.t);
}

/* Messages while suspended: queued until continued, unless allowed. */
static void test_mail_while_suspended(void) {
  set32(0, 0);
  runner r;
  start(&r, NULL, "spin_until", 0, 0);
  ebb_handle_t h = r.h;
  WAIT_FOR(mem32(4) > 10);
  CHECK_EQ_INT(ebb_thread_suspend(h, 0), 0);
  CHECK_EQ_INT(ebb_thread_suspend_wait(h, INT64_MAX), 0);
  int runs = atomic_load(&add_one_runs);
  CHECK_EQ_INT(ebb_mail_post(h, add_one, NULL, NULL), 0);
  CHECK_EQ_INT(ebb_mail_call(h, add_one, NULL, ebb_now_ns() + 20000000), EBB_MAIL_TIMEDOUT);
  CHECK_EQ_INT(atomic_load(&add_one_runs), runs);
  CHECK_EQ_INT(ebb_thread_continue(h), 0);
  WAIT_FOR(atomic_load(&add_one_runs) == runs + 1); /* the post; the call was withdrawn */
  CHECK_EQ_INT(ebb_thread_suspend(h, EBB_SUSPEND_RUN_MAIL), 0);
  CHECK_EQ_INT(ebb_thread_suspend_wait(h, INT64_MAX), 0);
  CHECK_EQ_INT(ebb_mail_call(h, add_one, NULL, INT64_MAX), EBB_MAIL_RAN);
  CHECK_EQ_INT(ebb_thread_suspend_wait(h, INT64_MAX), 0); /* parked again after it */
  CHECK_EQ_INT(ebb_thread_continue(h), 0);
  set32(0, 1);
  finish(&r);
  CHECK_EQ_INT(r.st, EBB_OK);
}

/* A thread that joins a suspended group is suspended with it: its call
** waits at its entry. Leaving the group continues it. */
static void test_join_suspended(void) {
  ebb_group_t *g = ebb_group_new(4);
  CHECK_EQ_INT(ebb_group_suspend(g, 0), 0);
  ebb_thread_t *t = ebb_thread_new(G.store);
  CHECK_EQ_INT(ebb_group_add(g, t), 0);
  set32(0, 1); /* spin_until returns at once, once it runs */
  set32(4, 0);
  runner r;
  start(&r, t, "spin_until", 0, 0);
  r.keep = true;
  pause_us(20000);
  CHECK_EQ_INT(mem32(4), 0);
  CHECK_EQ_INT(ebb_group_suspend_wait(g, INT64_MAX), 0);
  ebb_group_handles(g, NULL, 0);
  ebb_handle_t hs[4];
  CHECK_EQ_INT(ebb_group_handles(g, hs, 4), 1);
  CHECK(hs[0] == ebb_thread_handle(t));
  CHECK_EQ_INT(ebb_group_continue(g), 0);
  finish(&r);
  CHECK_EQ_INT(r.st, EBB_OK);
  CHECK_EQ_INT(mem32(4), 1);
  ebb_group_remove(g, t);
  ebb_thread_delete(t);
  ebb_group_delete(g);
}

/* 100 threads: 30 spinners computing work(n), 10 spinning and counting
** turns in memory, 30 waiters in memory.atomic.wait and 30 readers blocked
** on pipes (few spin for good: on two cores, each round would otherwise
** wait for the scheduler to come back to the test's own thread).
** Suspended, checked still, and continued ROUNDS times; then released.
** Every result equals the uninterrupted one. */
enum { NT = 100 };
static int kind_of(int i) {
  static const int kinds[10] = {1, 0, 0, 0, 2, 2, 2, 3, 3, 3};
  return kinds[i % 10]; /* 0 work, 1 spin_until, 2 wait_at, 3 read */
}
static void test_group_stress(void) {
  int rounds = stress_rounds(1000);
  const int32_t work_n = 3000000;
  ebb_thread_t *w = ebb_thread_new(G.store);
  ebb_val_t a = {.kind = EBB_I32, .of.i32 = work_n}, expect;
  ebb_outcome_t o;
  CHECK_EQ_INT(ebb_call(w, fn("work"), &a, &expect, &o), EBB_OK);
  ebb_thread_delete(w);

  ebb_group_t *g = ebb_group_new(NT);
  static runner r[NT];
  int pipes[NT][2];
  for (int i = 0; i < NT; i++) {
    uint32_t base = 1024 + 16 * (uint32_t)i;
    set32(base, 0);
    set32(base + 4, 0);
    set32(base + 8, 0);
    ebb_thread_t *t = ebb_thread_new(G.store);
    CHECK_EQ_INT(ebb_group_add(g, t), 0);
    switch (kind_of(i)) {
    case 0: start(&r[i], t, "work", work_n, 0); break;
    case 1: start(&r[i], t, "spin_until", base, 0); break;
    case 2: start(&r[i], t, "wait_at", base, -1); break;
    case 3:
      CHECK_EQ_INT(pipe(pipes[i]), 0);
      start(&r[i], t, "read", pipes[i][0], 0);
      break;
    }
  }
  int64_t worst = 0;
  for (int round = 0; round < rounds; round++) {
    int64_t t0 = ebb_now_ns();
    CHECK_EQ_INT(ebb_group_suspend(g, 0), 0);
    CHECK_EQ_INT(ebb_group_suspend_wait(g, INT64_MAX), 0);
    int64_t took = ebb_now_ns() - t0;
    if (took > worst) worst = took;
    if (round % 100 == 0) { /* still while suspended */
      uint32_t turns[NT];
      for (int i = 0; i < NT; i += 10) turns[i] = mem32(1024 + 16 * (uint32_t)i + 4);
      pause_us(1000);
      for (int i = 0; i < NT; i += 10) CHECK_EQ_INT(mem32(1024 + 16 * (uint32_t)i + 4), turns[i]);
    }
    CHECK_EQ_INT(ebb_group_continue(g), 0);
  }
  /* Release everyone: spinners by their flag, waiters by a notify each,
  ** readers by a byte each. */
  for (int i = 0; i < NT; i++) {
    uint32_t base = 1024 + 16 * (uint32_t)i;
    if (kind_of(i) == 1) set32(base, 100 + (uint32_t)i);
    if (kind_of(i) == 2)
      while (!atomic_load(&r[i].done) && notify_at(base) == 0) pause_us(100);
    if (kind_of(i) == 3) CHECK_EQ_INT(write(pipes[i][1], &(unsigned char){(unsigned char)i}, 1), 1);
  }
  for (int i = 0; i < NT; i++) {
    finish(&r[i]);
    CHECK_EQ_INT(r[i].st, EBB_OK);
    switch (kind_of(i)) {
    case 0: CHECK_EQ_INT(r[i].res.of.i32, expect.of.i32); break;
    case 1: CHECK_EQ_INT(r[i].res.of.i32, 100 + i); break;
    case 2: CHECK_EQ_INT(r[i].res.of.i32, 0); break;
    case 3:
      CHECK_EQ_INT(r[i].res.of.i32, i);
      close(pipes[i][0]);
      close(pipes[i][1]);
      break;
    }
  }
  ebb_group_delete(g);
  printf("group of %d: %d rounds, slowest suspension %.3f ms\n", NT, rounds, worst / 1e6);
}

int main(void) {
  guest_setup();
  test_errors();
  test_spinner();
  test_waiter();
  test_stops();
  test_mail_while_suspended();
  test_join_suspended();
  test_group_stress();
  add_one_ok();
  return CHECK_DONE();
}
