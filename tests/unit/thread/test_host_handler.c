/*
** test_host_handler.c -- interrupt handlers of host functions that block
** where ebb cannot see (ebb_host_set_interrupt_handler): a condition
** variable, a poll() of the host function's own, a read() ended by a
** signal. An interrupt runs the handler, the call stops with
** EBB_INTERRUPTED and resumes into the host function again; a request
** already pending installs nothing; and a handler never runs after its
** host function took it back (the stress part, under ASan and TSan).
*/
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "ebb.h"

/* (module (import "host" "block" (func $block (result i32)))
**         (func (export "run") (result i32) call $block)) */
static const unsigned char run_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60,
  0x00, 0x01, 0x7f, 0x02, 0x0e, 0x01, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x05,
  0x62, 0x6c, 0x6f, 0x63, 0x6b, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x07,
  0x07, 0x01, 0x03, 0x72, 0x75, 0x6e, 0x00, 0x01, 0x0a, 0x06, 0x01, 0x04,
  0x00, 0x10, 0x00, 0x0b
};

enum mode { COND, SELF_INTERRUPT, POLL_FD, READ_SIGNAL, STRESS };

typedef struct ctx {
  enum mode mode;
  atomic_int entered;      /* host function entries */
  atomic_int handler_runs; /* counted by the wrapping handlers */
  atomic_bool waiting;     /* the host function is about to block */
  atomic_int tid;          /* its OS thread, for READ_SIGNAL */
  bool ready;              /* COND: the wait is over (under m) */
  pthread_mutex_t m;
  pthread_cond_t cv;
  int data[2], wake[2];    /* POLL_FD, READ_SIGNAL: pipes */
} ctx;

static ctx *the_ctx; /* for the counting handlers */

static void counting_cond(void *arg) {
  atomic_fetch_add(&the_ctx->handler_runs, 1);
  ebb_interrupt_cond(arg);
}

static void counting_write_fd(void *arg) {
  atomic_fetch_add(&the_ctx->handler_runs, 1);
  ebb_interrupt_write_fd(arg);
}

static void counting_kill(void *arg) {
  atomic_fetch_add(&the_ctx->handler_runs, 1);
  ebb_interrupt_kill(arg);
}

/* STRESS: the argument is heap memory freed as soon as the handler is taken
** back; a late run would touch freed memory (ASan) or race (TSan). */
static void touch_arg(void *arg) {
  atomic_fetch_add((atomic_int *)arg, 1);
  atomic_fetch_add(&the_ctx->handler_runs, 1);
}

static ebb_status_t block(ebb_host_call_t *call, const uint64_t *args, uint64_t *results) {
  (void)args;
  ctx *c = ebb_host_data(call);
  atomic_fetch_add(&c->entered, 1);
  results[0] = 42;
  switch (c->mode) {
  case COND: {
    ebb_interrupt_cond_t w = {&c->m, &c->cv};
    if (ebb_host_set_interrupt_handler(call, counting_cond, &w)) return EBB_INTERRUPTED;
    pthread_mutex_lock(&c->m);
    atomic_store(&c->waiting, true);
    while (!c->ready && !ebb_host_stop_requested(call)) pthread_cond_wait(&c->cv, &c->m);
    pthread_mutex_unlock(&c->m);
    atomic_store(&c->waiting, false);
    return ebb_host_clear_interrupt_handler(call) ? EBB_INTERRUPTED : EBB_OK;
  }
  case SELF_INTERRUPT: {
    /* A request already pending: nothing is installed, nothing runs. */
    ebb_thread_interrupt(ebb_host_thread(call));
    ebb_interrupt_cond_t w = {&c->m, &c->cv};
    CHECK_EQ_INT(ebb_host_set_interrupt_handler(call, counting_cond, &w), EBB_EINTR);
    c->mode = COND; /* the resumed call waits normally */
    return EBB_INTERRUPTED;
  }
  case POLL_FD: {
    if (ebb_host_set_interrupt_handler(call, counting_write_fd, (void *)(intptr_t)c->wake[1]))
      return EBB_INTERRUPTED;
    /* A second handler on the same thread is refused. */
    CHECK_EQ_INT(ebb_host_set_interrupt_handler(call, counting_write_fd, NULL), EBB_EARG);
    struct pollfd fds[2] = {{c->data[0], POLLIN, 0}, {c->wake[0], POLLIN, 0}};
    atomic_store(&c->waiting, true);
    while (!ebb_host_stop_requested(call) && poll(fds, 2, -1) >= 0 && !fds[0].revents &&
           !fds[1].revents) {
    }
    atomic_store(&c->waiting, false);
    if (ebb_host_clear_interrupt_handler(call)) {
      uint64_t v;
      CHECK_EQ_INT(read(c->wake[0], &v, sizeof v), (int)sizeof v); /* drain the wake */
      return EBB_INTERRUPTED;
    }
    char ch;
    CHECK_EQ_INT(read(c->data[0], &ch, 1), 1);
    results[0] = (uint64_t)ch;
    return EBB_OK;
  }
  case READ_SIGNAL: {
    ebb_interrupt_kill_t k = {pthread_self(), SIGUSR1};
    if (ebb_host_set_interrupt_handler(call, counting_kill, &k)) return EBB_INTERRUPTED;
    atomic_store(&c->tid, gettid());
    atomic_store(&c->waiting, true);
    char ch;
    ssize_t n = read(c->data[0], &ch, 1);
    int e = errno;
    atomic_store(&c->waiting, false);
    if (ebb_host_clear_interrupt_handler(call)) return EBB_INTERRUPTED;
    CHECK(n == 1 || e != EINTR);
    results[0] = n == 1 ? (uint64_t)ch : 0;
    return EBB_OK;
  }
  case STRESS: {
    atomic_int *arg = malloc(sizeof *arg);
    atomic_init(arg, 0);
    int rc = ebb_host_set_interrupt_handler(call, touch_arg, arg);
    if (!rc) {
      for (int i = 0; i < 50; i++) atomic_fetch_add(&c->entered, 0); /* a short "wait" */
      rc = ebb_host_clear_interrupt_handler(call);
    }
    free(arg);
    return rc ? EBB_INTERRUPTED : EBB_OK;
  }
  }
  return EBB_OK;
}

typedef struct interrupter {
  ctx *c;
  ebb_thread_t *t;
  bool wait_blocked; /* wait until the host thread sleeps in read(2) */
  int count;         /* STRESS: interrupts to send */
} interrupter;

/* True once the thread sleeps inside read(2): its /proc syscall file names
** the call it is blocked in ("running" while it runs), so a signal sent now
** cannot land before the read blocks (sanitizers' own locks included). */
static bool blocked_in_read(int tid) {
  char path[64], buf[128];
  snprintf(path, sizeof path, "/proc/self/task/%d/syscall", tid);
  FILE *f = fopen(path, "r");
  if (!f) return false;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  char *end;
  long nr = strtol(buf, &end, 10);
  return end != buf && nr == SYS_read;
}

static void pause_us(long us) {
  struct timespec d = {0, us * 1000};
  nanosleep(&d, NULL);
}

static void *interrupt_when_waiting(void *p) {
  interrupter *in = p;
  if (in->count) {
    for (int i = 0; i < in->count; i++) {
      ebb_thread_interrupt(in->t);
      if (i % 8 == 0) pause_us(1);
    }
    return NULL;
  }
  while (!atomic_load(&in->c->waiting)) pause_us(100);
  if (in->wait_blocked)
    while (!blocked_in_read(atomic_load(&in->c->tid))) pause_us(100);
  ebb_thread_interrupt(in->t);
  return NULL;
}

/* Run `run` in `mode` until the interrupter stops it (the handler having run
** `runs` times in all), then feed one byte and resume: the host function
** runs again and returns that byte. */
static void interrupt_then_feed(ctx *c, ebb_thread_t *t, ebb_func_t *run, enum mode mode,
                                bool wait_blocked, int runs, char byte) {
  ebb_val_t res = {0};
  ebb_outcome_t out;
  pthread_t th;
  c->mode = mode;
  interrupter in = {c, t, wait_blocked, 0};
  pthread_create(&th, NULL, interrupt_when_waiting, &in);
  CHECK_EQ_INT(ebb_call(t, run, NULL, &res, &out), EBB_INTERRUPTED);
  pthread_join(th, NULL);
  CHECK_EQ_INT(atomic_load(&c->handler_runs), runs);
  CHECK_EQ_INT(write(c->data[1], &byte, 1), 1);
  CHECK_EQ_INT(ebb_call_resume(t, &res, &out), EBB_OK);
  CHECK_EQ_INT(res.of.i32, byte);
}

static void on_usr1(int sig) { (void)sig; }

/* The module's one import is `imp`. */
static int resolve_one(void *data, const char *module, const char *name, ebb_externkind_t kind,
                ebb_extern_t *out) {
  (void)module;
  (void)name;
  (void)kind;
  *out = *(ebb_extern_t *)data;
  return 0;
}

int main(void) {
  ctx c;
  memset(&c, 0, sizeof c);
  the_ctx = &c;
  pthread_mutex_init(&c.m, NULL);
  pthread_cond_init(&c.cv, NULL);
  CHECK_EQ_INT(pipe(c.data), 0);
  CHECK_EQ_INT(pipe(c.wake), 0);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1; /* no SA_RESTART: a blocked read fails with EINTR */
  sigaction(SIGUSR1, &sa, NULL);

  ebb_store_t *store = ebb_store_new(NULL);
  ebb_module_t *m;
  CHECK_EQ_INT(ebb_module_new(run_wasm, sizeof run_wasm, &m, NULL), 0);
  ebb_valkind_t i32 = EBB_I32;
  ebb_func_t *host = ebb_func_new_host(store, NULL, 0, &i32, 1, block, &c);
  ebb_instance_t *inst;
  ebb_extern_t imp = {.kind = EBB_EXTERN_FUNC, .of.func = host};
  CHECK_EQ_INT(ebb_instance_new(store, m, resolve_one, &imp, &inst, NULL), 0);
  ebb_thread_t *t = ebb_thread_new(store);
  ebb_extern_t run;
  CHECK_EQ_INT(ebb_instance_export(inst, "run", &run), 0);
  ebb_val_t res = {0};
  ebb_outcome_t out;
  pthread_t th;

  /* A condition variable: interrupted while waiting, then resumed. */
  c.mode = COND;
  interrupter in = {&c, t, false, 0};
  pthread_create(&th, NULL, interrupt_when_waiting, &in);
  CHECK_EQ_INT(ebb_call(t, run.of.func, NULL, &res, &out), EBB_INTERRUPTED);
  pthread_join(th, NULL);
  CHECK_EQ_INT(atomic_load(&c.handler_runs), 1);
  pthread_mutex_lock(&c.m);
  c.ready = true;
  pthread_mutex_unlock(&c.m);
  CHECK_EQ_INT(ebb_call_resume(t, &res, &out), EBB_OK);
  CHECK_EQ_INT(res.of.i32, 42);
  CHECK_EQ_INT(atomic_load(&c.entered), 2); /* the host call ran again */
  CHECK_EQ_INT(atomic_load(&c.handler_runs), 1);

  /* A request pending before the handler is installed. */
  c.mode = SELF_INTERRUPT;
  atomic_store(&c.entered, 0);
  CHECK_EQ_INT(ebb_call(t, run.of.func, NULL, &res, &out), EBB_INTERRUPTED);
  CHECK_EQ_INT(ebb_call_resume(t, &res, &out), EBB_OK); /* c.ready is still set */
  CHECK_EQ_INT(res.of.i32, 42);
  CHECK_EQ_INT(atomic_load(&c.handler_runs), 1);

  /* The host function's own poll(), woken through a descriptor; a plain
  ** read() ended by a signal, sent once the thread sleeps in it. */
  interrupt_then_feed(&c, t, run.of.func, POLL_FD, false, 2, 'x');
  interrupt_then_feed(&c, t, run.of.func, READ_SIGNAL, true, 3, 'y');

  /* Install and take back 20,000 times while another thread interrupts at
  ** random: every call ends OK in the end, and no handler outlives its
  ** host function (its argument is freed at once). */
  c.mode = STRESS;
  atomic_store(&c.handler_runs, 0);
  in = (interrupter){&c, t, false, 20000};
  pthread_create(&th, NULL, interrupt_when_waiting, &in);
  int stops = 0;
  for (int i = 0; i < 20000; i++) {
    ebb_status_t st = ebb_call(t, run.of.func, NULL, &res, &out);
    while (st == EBB_INTERRUPTED) {
      stops++;
      st = ebb_call_resume(t, &res, &out);
    }
    CHECK_EQ_INT(st, EBB_OK);
  }
  pthread_join(th, NULL);
  CHECK(atomic_load(&c.handler_runs) <= stops); /* each run stops its call */
  printf("stress: %d stops, %d handler runs\n", stops, atomic_load(&c.handler_runs));

  ebb_thread_delete(t);
  ebb_store_delete(store);
  ebb_module_delete(m);
  return CHECK_DONE();
}
