/*
** test_interrupt.c -- a running call stopped at a safe point by another OS
** thread resumes exactly where it stopped: interrupting and resuming a
** computation many times gives the same result as running it straight.
** Also: unbounded recursion is a clean trap, not a host stack overflow.
*/
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "check.h"
#include "ebb.h"

/* tests/unit/exec/loop.wat, built with wat2wasm. */
static const unsigned char loop_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60,
  0x01, 0x7f, 0x01, 0x7f, 0x03, 0x04, 0x03, 0x00, 0x00, 0x00, 0x07, 0x0f,
  0x02, 0x03, 0x73, 0x75, 0x6d, 0x00, 0x01, 0x05, 0x64, 0x65, 0x70, 0x74,
  0x68, 0x00, 0x02, 0x0a, 0x45, 0x03, 0x07, 0x00, 0x20, 0x00, 0x20, 0x00,
  0x6c, 0x0b, 0x25, 0x01, 0x02, 0x7f, 0x02, 0x40, 0x03, 0x40, 0x20, 0x01,
  0x20, 0x00, 0x4f, 0x0d, 0x01, 0x20, 0x02, 0x20, 0x01, 0x10, 0x00, 0x6a,
  0x21, 0x02, 0x20, 0x01, 0x41, 0x01, 0x6a, 0x21, 0x01, 0x0c, 0x00, 0x0b,
  0x0b, 0x20, 0x02, 0x0b, 0x15, 0x00, 0x20, 0x00, 0x45, 0x04, 0x7f, 0x41,
  0x00, 0x05, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x10, 0x02, 0x41, 0x01, 0x6a,
  0x0b, 0x0b
};

static atomic_int stop_requester;

/* Interrupts the thread over and over until told to stop. */
static void *requester(void *arg) {
  ebb_thread_t *t = arg;
  struct timespec pause = {0, 20000}; /* 20 us between requests */
  while (!atomic_load(&stop_requester)) {
    ebb_thread_interrupt(t);
    nanosleep(&pause, NULL);
  }
  return NULL;
}

static uint32_t expected_sum(uint32_t n) {
  uint32_t s = 0;
  for (uint32_t i = 0; i < n; i++) s += i * i;
  return s;
}

int main(void) {
  ebb_store_t *store = ebb_store_new(NULL);
  ebb_module_t *mod;
  ebb_error_t err = {0, ""};
  CHECK_EQ_INT(ebb_module_new(loop_wasm, sizeof loop_wasm, &mod, &err), 0);
  ebb_instance_t *inst;
  CHECK_EQ_INT(ebb_instance_new(store, mod, NULL, NULL, &inst, &err), 0);
  ebb_extern_t sum, depth;
  CHECK_EQ_INT(ebb_instance_export(inst, "sum", &sum), 0);
  CHECK_EQ_INT(ebb_instance_export(inst, "depth", &depth), 0);
  ebb_thread_t *t = ebb_thread_new(store);

  /* Straight run. */
  const uint32_t n = 3000000;
  ebb_val_t arg = {.kind = EBB_I32, .of.i32 = (int32_t)n}, res;
  ebb_outcome_t out;
  CHECK_EQ_INT(ebb_call(t, sum.of.func, &arg, &res, &out), EBB_OK);
  CHECK_EQ_INT((uint32_t)res.of.i32, expected_sum(n));

  /* Interrupted from another thread, resumed each time. */
  pthread_t req;
  atomic_store(&stop_requester, 0);
  pthread_create(&req, NULL, requester, t);
  int stops = 0;
  ebb_status_t st = ebb_call(t, sum.of.func, &arg, &res, &out);
  while (st == EBB_INTERRUPTED && stops < 1000000) {
    stops++;
    st = ebb_call_resume(t, &res, &out);
  }
  atomic_store(&stop_requester, 1);
  pthread_join(req, NULL);
  CHECK_EQ_INT(st, EBB_OK);
  CHECK_EQ_INT((uint32_t)res.of.i32, expected_sum(n));
  CHECK(stops > 0);
  printf("interrupted and resumed %d times\n", stops);

  /* A request made before each resume stops the call at the very next safe
  ** point: 1,000 stops and resumes, and still the uninterrupted result. */
  ebb_thread_interrupt(t);
  st = ebb_call(t, sum.of.func, &arg, &res, &out);
  int steps = 0;
  for (; st == EBB_INTERRUPTED && steps < 1000; steps++) {
    ebb_thread_interrupt(t);
    st = ebb_call_resume(t, &res, &out);
  }
  CHECK_EQ_INT(steps, 1000);
  while (st == EBB_INTERRUPTED) st = ebb_call_resume(t, &res, &out);
  CHECK_EQ_INT(st, EBB_OK);
  CHECK_EQ_INT((uint32_t)res.of.i32, expected_sum(n));

  /* A stopped call blocks new calls until resumed or abandoned. */
  ebb_thread_interrupt(t);
  CHECK_EQ_INT(ebb_call(t, sum.of.func, &arg, &res, &out), EBB_INTERRUPTED);
  CHECK_EQ_INT(ebb_call(t, sum.of.func, &arg, &res, &out), EBB_ERROR);
  CHECK_EQ_INT(out.error, EBB_EBUSY);
  CHECK(ebb_thread_has_stopped_call(t));
  CHECK_EQ_INT(ebb_call_abandon(t), 0);
  CHECK(!ebb_thread_has_stopped_call(t));
  CHECK_EQ_INT(ebb_call_abandon(t), EBB_EARG); /* nothing left to abandon */
  CHECK_EQ_INT(ebb_call(t, sum.of.func, &arg, &res, &out), EBB_OK);
  CHECK_EQ_INT((uint32_t)res.of.i32, expected_sum(n));

  /* Deep but bounded recursion works; unbounded ends in a clean trap. */
  arg.of.i32 = 50000;
  CHECK_EQ_INT(ebb_call(t, depth.of.func, &arg, &res, &out), EBB_OK);
  CHECK_EQ_INT(res.of.i32, 50000);
  arg.of.i32 = -1;
  CHECK_EQ_INT(ebb_call(t, depth.of.func, &arg, &res, &out), EBB_TRAP);
  CHECK_EQ_INT(out.trap, EBB_TRAP_STACK_EXHAUSTED);
  CHECK_STR_CONTAINS(out.message, "call stack exhausted");
  /* The thread is usable after a trap. */
  arg.of.i32 = 10;
  CHECK_EQ_INT(ebb_call(t, depth.of.func, &arg, &res, &out), EBB_OK);
  CHECK_EQ_INT(res.of.i32, 10);

  ebb_thread_delete(t);
  ebb_store_delete(store);
  ebb_module_delete(mod);
  return CHECK_DONE();
}
