/*
** poke.h -- for the WASI tests that drive the library (test_blocking.c,
** test_bounded.c, test_kernel_io.c): interrupt a guest thread after a
** delay, noting when, from a pthread of the test's.
*/
#ifndef EBB_TESTS_WASI_POKE_H
#define EBB_TESTS_WASI_POKE_H

#include <pthread.h>
#include <unistd.h>

#include "ebb.h"

typedef struct poke {
  pthread_t th;
  ebb_thread_t *thread;
  int delay_ms;
  int64_t at; /* ebb_now_ns() of the interrupt */
} poke;

static void *poke_run(void *p) {
  poke *k = p;
  usleep((useconds_t)k->delay_ms * 1000);
  k->at = ebb_now_ns();
  ebb_thread_interrupt(k->thread);
  return NULL;
}

#endif
