/*
** fuzz_api_race.c -- fuzz_api's racing episodes (EPISODE in fuzz_api.c).
*/
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fuzz_api.h"

pthread_mutex_t cond_m = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t cond_c = PTHREAD_COND_INITIALIZER;
ebb_interrupt_cond_t cond_wake = {&cond_m, &cond_c};

/* ---- Real races ---------------------------------------------------------------- */

/* EPISODE: `work` calls on one thread, driven to their end by resuming,
** while a racer OS thread interrupts it, ends its group, or competes for
** it. The host functions then run robust_host, which uses no input and
** does only what is right whatever the timing. Checked: each call ends with
** exactly the guest's result, or EBB_EXIT with the group's code when the
** group was ended; a call stops no more often than it was asked to; a
** refusal is EBB_EBUSY (or EBB_EARG for "nothing stopped"); nothing traps. */
enum { RACE_HAMMER, RACE_END, RACE_CONTEND };
enum { RH_NEST = 1, RH_PASS = 2, RH_COND = 4, RH_SLEEP = 8 };

static struct {
  int kind, host_mode, nest;
  ebb_thread_t *t;
  ebb_group_t *g;
  int n;               /* interrupts the hammer sends */
  unsigned gap_ns, end_after_ns;
  int code;
  bool may_exit;       /* the thread is terminated, or its group is ended meanwhile */
  atomic_int done;     /* the main OS thread has finished its calls */
  atomic_int sent;     /* interrupts sent so far */
} race;

static uint32_t work_result(uint32_t pre, uint32_t a, uint32_t post) {
  return (a * 3u + 1u) * 7u + hash_loop(hash_loop(1, pre, 31), post, 37);
}

static void spin_ns(unsigned ns) {
  int64_t until = ebb_now_ns() + ns;
  while (ebb_now_ns() < until) sched_yield();
}

/* Run work(pre, a, post) on t to its end: resume (or abandon and call again)
** after each stop. Returns EBB_OK with *r, or EBB_EXIT with *r the code. */
static ebb_status_t race_call(ebb_thread_t *t, uint32_t pre, uint32_t a, uint32_t post,
                              bool abandon, bool nested, int32_t *r) {
  ebb_val_t args[3] = {{.kind = EBB_I32, .of.i32 = (int32_t)pre},
                       {.kind = EBB_I32, .of.i32 = (int32_t)a},
                       {.kind = EBB_I32, .of.i32 = (int32_t)post}};
  ebb_val_t res;
  ebb_outcome_t o;
  int stops = 0;
  int64_t give_up = ebb_now_ns() + (int64_t)WAIT_MS * 1000000;
  ebb_status_t st = ebb_call(t, w.f[F_WORK], args, &res, &o);
  for (;;) {
    if (st == EBB_ERROR) {
      /* Only a racer inside the thread refuses us, for a moment. */
      if (nested || race.kind != RACE_CONTEND || o.error != EBB_EBUSY)
        FAIL("race: a call was refused: %s (%s)", o.message, ebb_strerror(o.error));
      if (ebb_now_ns() > give_up) FAIL("race: the thread stayed busy for %d ms", WAIT_MS);
      sched_yield();
      st = stops ? ebb_call_resume(t, &res, &o) : ebb_call(t, w.f[F_WORK], args, &res, &o);
      continue;
    }
    if (st != EBB_INTERRUPTED) break;
    if (++stops > race.n + 8)
      FAIL("race: %d stops for at most %d interrupts", stops, race.n + 1);
    if (nested && (race.host_mode & RH_PASS)) return EBB_INTERRUPTED;
    if (abandon && !nested) {
      int rc = ebb_call_abandon(t);
      if (rc) FAIL("race: ebb_call_abandon returned %d", rc);
      stops = 0;
      st = ebb_call(t, w.f[F_WORK], args, &res, &o);
    } else {
      st = ebb_call_resume(t, &res, &o);
    }
  }
  if (st == EBB_OK) {
    if ((uint32_t)res.of.i32 != work_result(pre, a, post))
      FAIL("race: work(%u, %u, %u) = %u after %d stops, not %u", pre, a, post,
           (uint32_t)res.of.i32, stops, work_result(pre, a, post));
    *r = res.of.i32;
    return st;
  }
  if (st == EBB_EXIT && race.may_exit) {
    if (o.exit_code != race.code)
      FAIL("race: exit code %d, the group's is %d", o.exit_code, race.code);
    *r = o.exit_code;
    return st;
  }
  FAIL("race: work(%u, %u, %u) ended %s: %s", pre, a, post, status_name(st), o.message);
}

ebb_status_t robust_host(ebb_host_call_t *call, const uint64_t *args, uint64_t *results) {
  ebb_thread_t *t = ebb_host_thread(call);
  uint32_t a = (uint32_t)args[0];
  if (ebb_host_data(call) != &host_tags[0]) FAIL("race: a direct host function ran");
  if ((race.host_mode & RH_NEST) && race.nest < 2) {
    race.nest++;
    int32_t v;
    ebb_status_t st = race_call(t, 20, a + 1, 7, false, true, &v);
    race.nest--;
    if (st == EBB_INTERRUPTED) return EBB_INTERRUPTED; /* pass it on */
    if (st == EBB_EXIT) {
      if (!ebb_host_stop_requested(call)) FAIL("race: an inner call exited, no stop pending");
      return EBB_INTERRUPTED;
    }
  }
  if (race.host_mode & RH_COND) {
    if (ebb_host_set_interrupt_handler(call, ebb_interrupt_cond, &cond_wake))
      return EBB_INTERRUPTED;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += 100000;
    if (until.tv_nsec >= 1000000000L) until.tv_sec++, until.tv_nsec -= 1000000000L;
    pthread_mutex_lock(&cond_m);
    while (!ebb_host_stop_requested(call))
      if (pthread_cond_timedwait(&cond_c, &cond_m, &until) == ETIMEDOUT) break;
    pthread_mutex_unlock(&cond_m);
    if (ebb_host_clear_interrupt_handler(call)) return EBB_INTERRUPTED;
  }
  if (race.host_mode & RH_SLEEP) {
    if (ebb_host_sleep_until(call, ebb_host_deadline(call, 50000)) == EBB_EINTR)
      return EBB_INTERRUPTED;
  }
  results[0] = a * 3u + 1u;
  return EBB_OK;
}

static void *racer_main(void *arg) {
  (void)arg;
  me = OS_RACER;
  switch (race.kind) {
  case RACE_HAMMER:
    for (int i = 0; i < race.n && !atomic_load(&race.done); i++) {
      ebb_thread_interrupt(race.t);
      atomic_fetch_add(&race.sent, 1);
      spin_ns(race.gap_ns);
    }
    break;
  case RACE_END:
    spin_ns(race.end_after_ns);
    for (int i = 0; i < 3; i++) ebb_group_end(race.g, EBB_END_SIGNAL, race.code, "race");
    break;
  case RACE_CONTEND: {
    ebb_val_t arg3 = {.kind = EBB_I32, .of.i32 = 3}, r;
    ebb_outcome_t o;
    while (!atomic_load(&race.done)) {
      ebb_status_t st = ebb_call(race.t, w.f[F_SPIN], &arg3, &r, &o);
      if (st == EBB_OK && (uint32_t)r.of.i32 != hash_loop(1, 3, 31))
        FAIL("race: spin(3) = %d on the racer", r.of.i32);
      if (st != EBB_OK && !(st == EBB_ERROR && o.error == EBB_EBUSY))
        FAIL("race: the racer's call ended %s: %s", status_name(st), o.message);
      st = ebb_call_resume(race.t, &r, &o);
      if (st != EBB_ERROR || (o.error != EBB_EBUSY && o.error != EBB_EARG))
        FAIL("race: the racer's resume ended %s: %s", status_name(st), o.message);
      int rc = ebb_call_abandon(race.t);
      if (rc != EBB_EBUSY && rc != EBB_EARG) FAIL("race: the racer's abandon returned %d", rc);
      spin_ns(race.gap_ns);
    }
    break;
  }
  }
  return NULL;
}

void episode(int j, uint8_t b) {
  mthread *mt = &th[j];
  if (!mt->t || mt->depth || mt->owner >= 0 || in.episodes >= MAX_EPISODES) return;
  static const uint32_t loops[8] = {0, 1, 3, 20, 50, 300, 1000, 2000};
  int kind = b % 3;
  if (kind == RACE_END && mt->group < 0) kind = RACE_HAMMER;
  if (kind == RACE_CONTEND && (mt->I || mt->T)) kind = RACE_HAMMER;
  memset(&race, 0, sizeof race);
  race.kind = kind;
  race.t = mt->t;
  race.host_mode = byte() % 16;
  race.n = 1 + byte() % 64;
  race.gap_ns = (byte() % 16) * 1000u;
  race.end_after_ns = byte() * 4000u;
  race.code = 1 + byte() % 100;
  if (kind == RACE_END) race.g = gr[mt->group].g;
  race.may_exit = kind == RACE_END || mt->T;
  if (mt->T || (mt->group >= 0 && gr[mt->group].ended)) race.code = term_code(j);
  if (kind != RACE_HAMMER) race.n = mt->I ? 1 : 0; /* the only interrupt there may be */
  int calls = 1 + byte() % 3;
  uint8_t shape[3][4];
  for (int i = 0; i < calls; i++)
    for (int k = 0; k < 4; k++) shape[i][k] = byte();
  say(0, "episode %d on thread %d host mode %x n %d", kind, j, race.host_mode, race.n);
  in.episodes++;
  racing = true;
  pthread_t racer;
  if (pthread_create(&racer, NULL, racer_main, NULL)) FAIL("cannot start the racer");
  bool exited = false;
  for (int i = 0; i < calls && !exited; i++) {
    int32_t v;
    ebb_status_t st = race_call(mt->t, loops[shape[i][0] % 8], shape[i][1],
                                loops[shape[i][2] % 8], shape[i][3] & 1, false, &v);
    exited = st == EBB_EXIT;
  }
  atomic_store(&race.done, 1);
  pthread_join(racer, NULL);
  racing = false;
  if (ebb_thread_has_stopped_call(mt->t)) FAIL("race: a call is left stopped");
  /* Back to a state the model knows: the group has ended (if it was to),
  ** and an interrupt is pending (whether the last one was consumed or not). */
  if (kind == RACE_END) {
    mgroup *g = &gr[mt->group];
    if (!g->ended) {
      g->ended = true;
      g->reason = EBB_END_SIGNAL;
      g->code = race.code;
      snprintf(g->msg, sizeof g->msg, "race");
      for (int k = 0; k < NTHREADS; k++)
        if (th[k].t && th[k].group == mt->group) th[k].T = true;
    }
  }
  if (kind != RACE_CONTEND) {
    ebb_thread_interrupt(mt->t);
    mt->I = true;
  }
}
