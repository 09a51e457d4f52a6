/*
** signal_bench.c -- how long from ebb_instance_signal() on one OS thread to
** the guest having seen the signal number, on another (ebb.h, "Guest
** signals"; guest in signal.wat). When the guest sees a new number it calls
** the host function `seen`, which notes the time (ebb_now_ns) and stores
** the number as an acknowledgement; the host spins on that (yielding after
** 20 us so as not to hold up the guest) and then reads the time. Latency
** is from just before the call to that time: on the guest's side, so that
** what the call itself costs the caller -- measured too -- does not hide
** it. The guest thread is in a group of 1,024 slots, as under `ebb run`,
** and the group is passed to every call, except in (a'). The guest is:
**  (a)  spinning: a wasm loop polling the signal word with an atomic load;
**  (a') the same, the call given no group (the store and notify alone);
**  (b)  blocked in memory.atomic.wait32 on the signal word (shared memory),
**       woken by the call's notify;
**  (c)  blocked in a host call, ebb_host_poll on a pipe nothing writes to
**       (what WASI's fd_read does), which returns EBB_ESIGNAL; the guest
**       then looks at the word.
** Between two rounds the host waits until a blocked guest is back at its
** wait, writes 0 to the signal word (no notify), waits 200 us (20 us for a
** spinning guest) so that the guest is well into its futex or poll, and
** signals a new number (the round's, from 1).
** Also printed: how long the call itself took to return (p50); a futex or
** eventfd wake of a thread whose CPU has gone idle is most of it.
**
** Usage: ebb_signal [ROUNDS]   (default 2000 per state, after 200 to warm up)
** Prints p50, p99 and max in microseconds per state.
*/
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ebb.h"
#include "signal.wat.h"

#define SIGNAL_AT 64 /* signal.wat's memory layout */
#define ACK_AT 72
#define WAITS_AT 76
#define SECOND 1000000000LL

static int pipe_fds[2];

/* Blocks on a pipe nothing writes to until a request or a guest signal. */
static ebb_status_t host_block(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  struct pollfd p = {pipe_fds[0], POLLIN, 0};
  int rc = ebb_host_poll(call, &p, 1, INT64_MAX);
  return rc == EBB_EINTR ? EBB_INTERRUPTED : EBB_OK; /* EBB_ESIGNAL: the guest looks */
}

static uint8_t *mem;
static _Atomic int64_t seen_at;

static void store32(uint32_t at, uint32_t v) {
  __atomic_store_n((uint32_t *)(mem + at), v, __ATOMIC_SEQ_CST);
}

/* The guest saw a new number: note when, then acknowledge it. */
static ebb_status_t host_seen(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  atomic_store_explicit(&seen_at, ebb_now_ns(), memory_order_relaxed);
  store32(ACK_AT, (uint32_t)a[0]); /* sequentially consistent: after seen_at */
  return EBB_OK;
}

typedef struct imports {
  ebb_func_t *block, *seen;
} imports;

static int resolve(void *data, const char *module, const char *name, ebb_externkind_t kind,
                   ebb_extern_t *out) {
  imports *im = data;
  if (strcmp(module, "bench")) return EBB_ENOTFOUND;
  out->kind = EBB_EXTERN_FUNC;
  if (!strcmp(name, "block")) out->of.func = im->block;
  else if (!strcmp(name, "seen")) out->of.func = im->seen;
  else return EBB_ENOTFOUND;
  return 0;
}

static uint32_t load32(uint32_t at) {
  return __atomic_load_n((uint32_t *)(mem + at), __ATOMIC_ACQUIRE);
}

static void pause_us(long us) {
  struct timespec ts = {us / 1000000, us % 1000000 * 1000};
  nanosleep(&ts, NULL);
}

/* A pthread running one guest function until it is interrupted. */
typedef struct runner {
  ebb_thread_t *thread;
  ebb_func_t *func;
  ebb_status_t status;
  pthread_t os;
} runner;

static void *run(void *p) {
  runner *r = p;
  r->status = ebb_call(r->thread, r->func, NULL, NULL, NULL);
  if (r->status == EBB_INTERRUPTED) ebb_call_abandon(r->thread);
  return NULL;
}

static int cmp(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

typedef struct result {
  double p50, p99, max, call_p50; /* microseconds */
} result;

/* Spin until the word at `at` is `v`; false after 10 s. After 20 us it
** yields every 64 looks: a woken guest thread may be queued on this CPU
** (the waker's), and a plain spin kept it waiting for the next tick (maxima
** of 3-4 ms in every blocked state before it yielded). */
static int spin_until(uint32_t at, uint32_t v) {
  int64_t start = ebb_now_ns(), deadline = start + 10 * SECOND;
  for (long i = 0; load32(at) != v; i++) {
    if ((i & 63) != 0) continue;
    int64_t now = ebb_now_ns();
    if (now > deadline) return 0;
    if (now - start > 20000) sched_yield();
  }
  return 1;
}

/* Wait (sleeping) until the wait counter passes `since`; false after 10 s. */
static int back_at_wait(uint32_t since) {
  int64_t deadline = ebb_now_ns() + 10 * SECOND;
  while (load32(WAITS_AT) == since) {
    if (ebb_now_ns() > deadline) return 0;
    pause_us(20);
  }
  return 1;
}

static int measure(ebb_store_t *store, ebb_group_t *group, ebb_instance_t *inst,
                   ebb_func_t *func, int blocked, int pass_group, int rounds, result *out) {
  int warm = rounds / 10;
  int64_t *lat = malloc(sizeof *lat * (size_t)rounds), *call = malloc(sizeof *call * (size_t)rounds);
  memset(mem, 0, 128);
  runner r = {ebb_thread_new(store), func, EBB_OK, 0};
  if (!lat || !call || !r.thread || ebb_group_add(group, r.thread) ||
      pthread_create(&r.os, NULL, run, &r)) {
    fprintf(stderr, "ebb_signal: cannot start the guest thread\n");
    return -1;
  }
  int rc = 0;
  if (blocked && !back_at_wait(0)) rc = -1;
  for (int i = -warm; i < rounds && !rc; i++) {
    uint32_t signo = (uint32_t)(i + warm + 1), waits = load32(WAITS_AT);
    /* Reset without a notify: a waiting guest sleeps on (it waits for the
    ** word to change from the number it saw), a spinning one sees 0. */
    store32(SIGNAL_AT, 0);
    pause_us(blocked ? 200 : 20); /* blocked: well into the futex or poll */
    int64_t t0 = ebb_now_ns();
    int s = ebb_instance_signal(inst, pass_group ? group : NULL, (int32_t)signo);
    int64_t t1 = ebb_now_ns();
    if (s) {
      fprintf(stderr, "ebb_signal: ebb_instance_signal: %s\n", ebb_strerror(s));
      rc = -1;
      break;
    }
    if (!spin_until(ACK_AT, signo)) {
      fprintf(stderr, "ebb_signal: signal %u not acknowledged in 10 s\n", signo);
      rc = -1;
      break;
    }
    if (i >= 0) {
      lat[i] = atomic_load_explicit(&seen_at, memory_order_relaxed) - t0;
      call[i] = t1 - t0;
    }
    if (blocked && !back_at_wait(waits)) {
      fprintf(stderr, "ebb_signal: the guest did not wait again in 10 s\n");
      rc = -1;
    }
  }
  ebb_thread_interrupt(r.thread);
  pthread_join(r.os, NULL);
  ebb_thread_delete(r.thread); /* leaves the group */
  if (!rc) {
    qsort(lat, (size_t)rounds, sizeof *lat, cmp);
    qsort(call, (size_t)rounds, sizeof *call, cmp);
    out->p50 = lat[rounds / 2] / 1e3;
    out->p99 = lat[(int)(rounds * 0.99)] / 1e3;
    out->max = lat[rounds - 1] / 1e3;
    out->call_p50 = call[rounds / 2] / 1e3;
  }
  free(lat);
  free(call);
  return rc;
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 2000;
  if (rounds < 10) {
    fprintf(stderr, "usage: ebb_signal [ROUNDS >= 10]\n");
    return 2;
  }
  if (pipe(pipe_fds)) return 1;
  ebb_error_t err = {0, ""};
  ebb_store_t *store = ebb_store_new(NULL);
  static const ebb_valkind_t i32[1] = {EBB_I32};
  imports im = {store ? ebb_func_new_host(store, NULL, 0, NULL, 0, host_block, NULL) : NULL,
                store ? ebb_func_new_host(store, i32, 1, NULL, 0, host_seen, NULL) : NULL};
  ebb_group_t *group = ebb_group_new(0);
  ebb_module_t *mod = NULL;
  ebb_instance_t *inst;
  ebb_extern_t memx;
  if (!im.block || !im.seen || !group ||
      ebb_module_new(signal_wasm, sizeof signal_wasm, &mod, &err) ||
      ebb_instance_new(store, mod, resolve, &im, &inst, &err) ||
      ebb_instance_export(inst, "memory", &memx) || !ebb_instance_has_signals(inst)) {
    fprintf(stderr, "ebb_signal: cannot load the guest: %s\n", err.message);
    return 1;
  }
  mem = ebb_memory_data(memx.of.memory);
  static const struct {
    const char *func, *label;
    int blocked, pass_group;
  } states[] = {
      {"spin", "(a)  spinning on an atomic load", 0, 1},
      {"spin", "(a') spinning, no group given", 0, 0},
      {"wait", "(b)  in memory.atomic.wait32", 1, 1},
      {"block", "(c)  in ebb_host_poll (as fd_read)", 1, 1},
  };
  printf("guest signal latency, %d rounds each (microseconds): from ebb_instance_signal\n"
         "to the guest having seen the number; the call's own time at p50\n",
         rounds);
  printf("%-38s %8s %8s %8s %8s\n", "guest state", "p50", "p99", "max", "call");
  int rc = 0;
  for (size_t i = 0; i < sizeof states / sizeof states[0] && !rc; i++) {
    ebb_extern_t f;
    result res;
    if (ebb_instance_export(inst, states[i].func, &f)) return 1;
    rc = measure(store, group, inst, f.of.func, states[i].blocked, states[i].pass_group, rounds,
                 &res);
    if (!rc)
      printf("%-38s %8.1f %8.1f %8.1f %8.2f\n", states[i].label, res.p50, res.p99, res.max,
             res.call_p50);
  }
  ebb_group_delete(group);
  ebb_store_delete(store);
  ebb_module_delete(mod);
  close(pipe_fds[0]);
  close(pipe_fds[1]);
  return rc ? 1 : 0;
}
