/*
** guest.c -- the guest module, the pthreads that drive guest threads, and
** small helpers for the mailbox benchmark (bench.h).
*/
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "mail.wat.h"

#define SPIN_BASE 64 /* mail.wat's memory layout */

static atomic_int yielding;

void guest_yield(int on) { atomic_store_explicit(&yielding, on, memory_order_relaxed); }

static ebb_status_t pace(ebb_host_call_t *call, const uint64_t *args, uint64_t *results) {
  if (atomic_load_explicit(&yielding, memory_order_relaxed)) sched_yield();
  return EBB_OK;
}

static int resolve(void *data, const char *module, const char *name, ebb_externkind_t kind,
                   ebb_extern_t *out) {
  if (strcmp(module, "bench") || strcmp(name, "pace")) return EBB_ENOTFOUND;
  out->kind = EBB_EXTERN_FUNC;
  out->of.func = data;
  return 0;
}

int guest_open(guest *g) {
  ebb_error_t err = {0, ""};
  ebb_extern_t spin, wait, mem;
  memset(g, 0, sizeof *g);
  g->store = ebb_store_new(NULL);
  ebb_func_t *pace_fn = g->store ? ebb_func_new_host(g->store, NULL, 0, NULL, 0, pace, NULL) : NULL;
  if (!pace_fn || ebb_module_new(mail_wasm, sizeof mail_wasm, &g->module, &err) ||
      ebb_instance_new(g->store, g->module, resolve, pace_fn, &g->inst, &err) ||
      ebb_instance_export(g->inst, "spin", &spin) || ebb_instance_export(g->inst, "wait", &wait) ||
      ebb_instance_export(g->inst, "memory", &mem)) {
    fprintf(stderr, "ebb_mail: cannot load the guest: %s\n", err.message);
    return -1;
  }
  g->spin = spin.of.func;
  g->wait = wait.of.func;
  g->mem = ebb_memory_data(mem.of.memory);
  return 0;
}

void guest_close(guest *g) {
  ebb_store_delete(g->store);
  ebb_module_delete(g->module);
}

void guest_reset(guest *g) { memset(g->mem, 0, 4096); }

uint32_t guest_spins(const guest *g, int slot) {
  return __atomic_load_n((uint32_t *)(g->mem + SPIN_BASE + 4 * slot), __ATOMIC_RELAXED);
}

uint32_t guest_waiting(const guest *g) {
  return __atomic_load_n((uint32_t *)g->mem, __ATOMIC_ACQUIRE);
}

static void *run(void *p) {
  runner *r = p;
  ebb_val_t arg = {.kind = EBB_I32, .of.i32 = r->slot};
  r->status = ebb_call(r->thread, r->func, &arg, NULL, NULL);
  if (r->status == EBB_INTERRUPTED) ebb_call_abandon(r->thread);
  return NULL;
}

int runner_spawn(runner *r) { return pthread_create(&r->os, NULL, run, r) ? -1 : 0; }

int runner_start(runner *r, guest *g, ebb_func_t *func, int32_t slot) {
  *r = (runner){ebb_thread_new(g->store), func, slot, EBB_OK, 0};
  if (!r->thread || runner_spawn(r)) {
    fprintf(stderr, "ebb_mail: cannot start a guest thread\n");
    ebb_thread_delete(r->thread);
    return -1;
  }
  return 0;
}

void runner_stop(runner *r) {
  ebb_thread_interrupt(r->thread);
  pthread_join(r->os, NULL);
  ebb_thread_delete(r->thread);
}

void pause_us(long us) {
  struct timespec ts = {us / 1000000, us % 1000000 * 1000};
  nanosleep(&ts, NULL);
}

/* Polls with short sleeps: the guests need both cores more than we do. */
int wait_spinning(const guest *g, int slot, uint32_t since, int64_t deadline) {
  while (guest_spins(g, slot) == since) {
    if (ebb_now_ns() > deadline) return -1;
    pause_us(20);
  }
  return 0;
}

int wait_blocked(const guest *g, uint32_t n, int64_t deadline) {
  while (guest_waiting(g) < n) {
    if (ebb_now_ns() > deadline) return -1;
    pause_us(20);
  }
  pause_us(1000); /* from the counter to the futex */
  return 0;
}

static int cmp(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

pct percentiles_us(int64_t *ns, int n) {
  qsort(ns, (size_t)n, sizeof *ns, cmp);
  return (pct){ns[n / 2] / 1e3, ns[(int)(n * 0.99)] / 1e3};
}

double median3(double a, double b, double c) {
  if (a > b) { double t = a; a = b; b = t; }
  if (b > c) b = c;
  return a > b ? a : b;
}
