/*
** test_contexts.c -- green-thread contexts through the embedding API
** (ebb_context_*): a program whose contexts take turns gives the same
** result interrupted and resumed over a thousand times as run straight;
** a stopped call resumes in the context that was running; the contexts of
** a call are released when it ends (returned, trapped, abandoned), with the
** store's byte account back where it was; an entry function that returns
** is the trap EBB_TRAP_CONTEXT_RETURNED; calls that may not have contexts
** (a host function called directly, a call nested in a host function) get
** EBB_EARG.
*/
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "check.h"
#include "contexts.wat.h"
#include "ebb.h"
#include "rt/rt.h"

static ebb_status_t h_create(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  uint64_t id = 0;
  int rc = ebb_context_create(call, (ebb_func_t *)(uintptr_t)a[0], &id);
  r[0] = rc ? (uint64_t)(int64_t)rc : id;
  return EBB_OK;
}

static ebb_status_t h_switch(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  r[0] = (uint32_t)ebb_context_switch(call, a[0]);
  return EBB_OK;
}

static ebb_status_t h_destroy(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  r[0] = (uint32_t)ebb_context_destroy(call, a[0]);
  return EBB_OK;
}

static ebb_status_t h_current(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  (void)a;
  r[0] = ebb_context_current(call);
  return EBB_OK;
}

static ebb_func_t *callback_fn;

static ebb_status_t h_nested(ebb_host_call_t *call, const uint64_t *a, uint64_t *r) {
  (void)a, (void)r;
  ebb_outcome_t o;
  ebb_status_t st = ebb_call(ebb_host_thread(call), callback_fn, NULL, NULL, &o);
  return st == EBB_OK ? EBB_OK : ebb_host_trap(call, o.message);
}

static ebb_func_t *hosts[5];

static int resolve(void *data, const char *module, const char *name, ebb_externkind_t kind,
                   ebb_extern_t *out) {
  (void)data, (void)module, (void)kind;
  static const char *const names[] = {"create", "switch", "destroy", "current", "nested"};
  for (int i = 0; i < 5; i++) {
    if (strcmp(name, names[i])) continue;
    out->kind = EBB_EXTERN_FUNC;
    out->of.func = hosts[i];
    return 0;
  }
  return EBB_ENOTFOUND;
}

static atomic_int stop_interrupting;

static void *interrupter(void *arg) {
  struct timespec pause = {0, 20000};
  while (!atomic_load(&stop_interrupting)) {
    ebb_thread_interrupt(arg);
    nanosleep(&pause, NULL);
  }
  return NULL;
}

static ebb_func_t *export_func(ebb_instance_t *inst, const char *name) {
  ebb_extern_t e;
  CHECK_EQ_INT(ebb_instance_export(inst, name, &e), 0);
  return e.of.func;
}

int main(void) {
  ebb_store_t *store = ebb_store_new(NULL);
  const ebb_valkind_t ref[] = {EBB_FUNCREF}, i64[] = {EBB_I64}, i32[] = {EBB_I32};
  hosts[0] = ebb_func_new_host(store, ref, 1, i64, 1, h_create, NULL);
  hosts[1] = ebb_func_new_host(store, i64, 1, i32, 1, h_switch, NULL);
  hosts[2] = ebb_func_new_host(store, i64, 1, i32, 1, h_destroy, NULL);
  hosts[3] = ebb_func_new_host(store, NULL, 0, i64, 1, h_current, NULL);
  hosts[4] = ebb_func_new_host(store, NULL, 0, NULL, 0, h_nested, NULL);
  ebb_module_t *mod;
  ebb_error_t err = {0, ""};
  CHECK_EQ_INT(ebb_module_new(contexts_wasm, sizeof contexts_wasm, &mod, &err), 0);
  ebb_instance_t *inst;
  CHECK_EQ_INT(ebb_instance_new(store, mod, resolve, NULL, &inst, &err), 0);
  ebb_thread_t *t = ebb_thread_new(store);
  ebb_func_t *run = export_func(inst, "run");
  uint64_t bytes_before = ebb__store_bytes(store);

  /* Straight. */
  ebb_val_t n = {.kind = EBB_I32, .of.i32 = 20000}, straight, res;
  ebb_outcome_t out;
  CHECK_EQ_INT(ebb_call(t, run, &n, &straight, &out), EBB_OK);
  CHECK(ebb__store_bytes(store) == bytes_before); /* released with the call */

  /* Interrupted every 20 us and resumed: the same result. */
  pthread_t req;
  pthread_create(&req, NULL, interrupter, t);
  int stops = 0;
  ebb_status_t st = ebb_call(t, run, &n, &res, &out);
  while (st == EBB_INTERRUPTED) {
    stops++;
    st = ebb_call_resume(t, &res, &out);
  }
  while (stops < 1000 && st == EBB_OK) { /* a fast machine: run again until 1,000 stops */
    st = ebb_call(t, run, &n, &res, &out);
    while (st == EBB_INTERRUPTED) {
      stops++;
      st = ebb_call_resume(t, &res, &out);
    }
    CHECK(res.of.i64 == straight.of.i64);
  }
  atomic_store(&stop_interrupting, 1);
  pthread_join(req, NULL);
  CHECK_EQ_INT(st, EBB_OK);
  CHECK(res.of.i64 == straight.of.i64);
  CHECK(stops >= 1000);
  CHECK(ebb__store_bytes(store) == bytes_before);

  /* Stopped while a context spins: the context is still the one running
  ** after the stop, and an abandoned call releases its contexts. */
  ebb_func_t *spin = export_func(inst, "spin_in_context");
  atomic_store(&stop_interrupting, 0);
  pthread_create(&req, NULL, interrupter, t);
  st = ebb_call(t, spin, NULL, &res, &out);
  for (int i = 0; i < 50 && st == EBB_INTERRUPTED; i++) st = ebb_call_resume(t, &res, &out);
  atomic_store(&stop_interrupting, 1);
  pthread_join(req, NULL);
  CHECK_EQ_INT(st, EBB_INTERRUPTED);
  ebb_val_t seen;
  /* The stopped call must be ended before another starts. */
  CHECK_EQ_INT(ebb_call(t, export_func(inst, "seen"), NULL, &seen, &out), EBB_ERROR);
  CHECK(ebb__store_bytes(store) > bytes_before);
  CHECK_EQ_INT(ebb_call_abandon(t), 0);
  CHECK(ebb__store_bytes(store) == bytes_before);
  CHECK_EQ_INT(ebb_call(t, export_func(inst, "seen"), NULL, &seen, &out), EBB_OK);
  CHECK(seen.of.i64 != 0 && seen.of.i64 != -1); /* the context's own id */

  /* An entry function that returns. */
  st = ebb_call(t, export_func(inst, "entry_returns"), NULL, NULL, &out);
  CHECK_EQ_INT(st, EBB_TRAP);
  CHECK_EQ_INT(out.trap, EBB_TRAP_CONTEXT_RETURNED);
  CHECK(strstr(out.message, "the entry function of context ") != NULL);
  CHECK(strstr(out.message, " returned in func ") != NULL);
  CHECK(ebb__store_bytes(store) == bytes_before);

  /* Not from a call nested in a host function. */
  ebb_val_t cb;
  CHECK_EQ_INT(ebb_call(t, export_func(inst, "callback_create"), NULL, &cb, &out), EBB_OK);
  callback_fn = cb.of.func;
  ebb_val_t rc;
  CHECK_EQ_INT(ebb_call(t, export_func(inst, "nested_create"), NULL, &rc, &out), EBB_OK);
  CHECK_EQ_INT((int)rc.of.i64, EBB_EARG);
  /* Nor from a host function the embedder calls directly. */
  ebb_val_t arg = {.kind = EBB_FUNCREF, .of.func = callback_fn};
  CHECK_EQ_INT(ebb_call(t, hosts[0], &arg, &rc, &out), EBB_OK);
  CHECK_EQ_INT((int)rc.of.i64, EBB_EARG);
  ebb_val_t zero = {.kind = EBB_I64, .of.i64 = 0};
  CHECK_EQ_INT(ebb_call(t, hosts[1], &zero, &rc, &out), EBB_OK);
  CHECK_EQ_INT(rc.of.i32, EBB_EARG);
  CHECK(ebb__store_bytes(store) == bytes_before);

  ebb_thread_delete(t);
  ebb_store_delete(store);
  ebb_module_delete(mod);
  printf("ok: %d stops\n", stops);
  return 0;
}
