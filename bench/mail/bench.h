/*
** bench.h -- what the parts of ebb_mail share (bench/mail/): the guest
** module, a pthread of ours driving one guest thread, percentiles, and the
** measurements each file makes.
*/
#ifndef EBB_BENCH_MAIL_H
#define EBB_BENCH_MAIL_H

#include <pthread.h>
#include <stdint.h>

#include "ebb.h"

/* mail.wat instantiated once; every guest thread calls into this instance. */
typedef struct guest {
  ebb_store_t *store;
  ebb_module_t *module;
  ebb_instance_t *inst;
  ebb_func_t *spin, *wait;
  uint8_t *mem;
} guest;

int guest_open(guest *g);
void guest_close(guest *g);
void guest_reset(guest *g);                 /* counters back to 0 */
uint32_t guest_spins(const guest *g, int slot); /* spin(slot)'s loop count */
uint32_t guest_waiting(const guest *g);     /* how many reached their wait */
/* Whether spin yields the CPU every 1024 iterations (mail.wat's pace):
** only while continued threads are to get back to running in turn. */
void guest_yield(int on);

/* A guest thread and the pthread that runs func(slot) on it until the call
** is stopped (an interrupt, or its group ending). */
typedef struct runner {
  ebb_thread_t *thread;
  ebb_func_t *func;
  int32_t slot;
  ebb_status_t status;
  pthread_t os;
} runner;

int runner_start(runner *r, guest *g, ebb_func_t *func, int32_t slot);
int runner_spawn(runner *r); /* the pthread only, for a thread set up already */
void runner_stop(runner *r); /* interrupt, join, delete the thread */

/* Wait until spin(slot)'s count differs from `since`, or until n
** threads are in their wait; 0, or -1 at the deadline. */
int wait_spinning(const guest *g, int slot, uint32_t since, int64_t deadline);
int wait_blocked(const guest *g, uint32_t n, int64_t deadline);
void pause_us(long us);

typedef struct pct {
  double p50, p99; /* microseconds */
} pct;

pct percentiles_us(int64_t *ns, int n); /* sorts ns */
double median3(double a, double b, double c);

/* baseline.c: the same exchanges between two pthreads, through a mutex and
** condition variables. */
double base_throughput(long n); /* items per second */
pct base_round_trip(int n);

/* suspend.c: ebb_group_suspend until ebb_group_suspend_wait returns, for
** nthreads guest threads all spinning (blocked = 0) or all blocked. 0 or -1. */
int suspend_bench(guest *g, int nthreads, int blocked, int rounds, pct *out);

#endif
