/*
** interrupt.c -- ebb's stopping guarantees through the C API (ebb_wasm.h):
** a guest loop and a guest blocked in memory.atomic.wait stopped from
** another thread, a per-call timeout and an absolute deadline, fuel, a stop
** that reaches through a host function that swallows it, and an interrupt
** made between calls.
*/
#include <pthread.h>
#include <time.h>

#include "ebb_wasm.h"
#include "example.h"

static wasm_func_t *spin, *wait_fn, *count, *call_host;

static void sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

/* Interrupts the store after a while, from its own thread. */
static void *interrupter(void *store) {
  sleep_ms(50);
  ebb_capi_store_interrupt(store);
  return NULL;
}

static const char *cause_name(ebb_capi_trap_cause_t c) {
  switch (c) {
  case EBB_CAPI_TRAP_GUEST: return "guest";
  case EBB_CAPI_TRAP_HOST: return "host";
  case EBB_CAPI_TRAP_INTERRUPTED: return "interrupted";
  case EBB_CAPI_TRAP_DEADLINE: return "deadline";
  case EBB_CAPI_TRAP_REFUSED: return "refused";
  }
  return "?";
}

static void run(const char *what, wasm_func_t *f, int32_t arg) {
  wasm_val_t in[1] = {WASM_I32_VAL(arg)}, out[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = {wasm_func_param_arity(f), in};
  wasm_val_vec_t results = {wasm_func_result_arity(f), out};
  wasm_trap_t *trap = wasm_func_call(f, &args, &results);
  if (!trap) {
    printf("%s: returned\n", what);
    return;
  }
  ebb_trap_t kind;
  ebb_capi_trap_cause_t cause = ebb_capi_trap_cause(trap, &kind);
  printf("%s: cause %s%s, ", what, cause_name(cause),
         kind == EBB_TRAP_OUT_OF_FUEL ? " (out of fuel)" : "");
  print_trap("message", trap);
}

/* With a thread that interrupts the store meanwhile. */
static void run_interrupted(const char *what, wasm_store_t *store, wasm_func_t *f) {
  pthread_t t;
  CHECK(pthread_create(&t, NULL, interrupter, store) == 0);
  run(what, f, 0);
  pthread_join(t, NULL);
}

/* The host function the guest calls: it calls back into the guest's loop,
** which is interrupted, and then pretends nothing happened. */
static wasm_trap_t *reenter(const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  wasm_trap_t *inner = wasm_func_call(spin, &none, &none);
  print_trap("  the inner call", inner); /* deleted: swallowed */
  return NULL;
}

static wasm_instance_t *instantiate(wasm_store_t *store, wasm_module_t *module) {
  wasm_functype_t *type = wasm_functype_new_0_0();
  wasm_func_t *host = wasm_func_new(store, type, reenter);
  wasm_functype_delete(type);
  wasm_extern_t *imports_data[] = {wasm_func_as_extern(host)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(imports_data);
  wasm_instance_t *instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance);
  wasm_func_delete(host);
  return instance;
}

static void take_exports(wasm_instance_t *instance, wasm_extern_vec_t *exports) {
  wasm_instance_exports(instance, exports);
  spin = wasm_extern_as_func(exports->data[0]);
  wait_fn = wasm_extern_as_func(exports->data[1]);
  count = wasm_extern_as_func(exports->data[2]);
  call_host = wasm_extern_as_func(exports->data[3]);
  CHECK(spin && wait_fn && count && call_host);
}

int main(int argc, char **argv) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = load_module(store, argc, argv);
  wasm_instance_t *instance = instantiate(store, module);
  wasm_extern_vec_t exports;
  take_exports(instance, &exports);

  run_interrupted("spin, interrupted from another thread", store, spin);
  run_interrupted("wait, interrupted from another thread", store, wait_fn);
  run("count(1000) after that", count, 1000);
  printf("call_host, whose callback calls spin\n");
  run_interrupted("call_host", store, call_host);
  run("count(1000) after that", count, 1000);

  ebb_capi_store_interrupt(store);
  run("count(1000) after an interrupt between calls", count, 1000);
  run("count(1000) once more", count, 1000);

  ebb_capi_store_set_timeout(store, 100 * 1000000LL);
  run("spin with a timeout of 100 ms", spin, 0);
  run("wait with a timeout of 100 ms", wait_fn, 0);
  run("count(1000) with the timeout", count, 1000);
  ebb_capi_store_set_timeout(store, -1);
  ebb_capi_store_set_deadline(store, ebb_now_ns() - 1);
  run("count(1000) after the deadline", count, 1000);
  ebb_capi_store_set_deadline(store, INT64_MAX);
  run("count(1000) without it", count, 1000);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);

  /* Fuel: an engine that compiles with metering. */
  wasm_config_t *config = wasm_config_new();
  ebb_capi_config_set_fuel(config, true);
  engine = wasm_engine_new_with_config(config);
  store = wasm_store_new(engine);
  module = load_module(store, argc, argv);
  instance = instantiate(store, module);
  take_exports(instance, &exports);
  printf("fuel before it is set: %s\n", ebb_capi_store_fuel(store) == INT64_MAX ? "unlimited" : "some");
  ebb_capi_store_set_fuel(store, 100000);
  run("count(1000) with 100000 fuel", count, 1000);
  uint64_t left = ebb_capi_store_fuel(store);
  printf("fuel burnt: %s\n", left < 100000 && left > 90000 ? "some thousands" : "not as expected");
  run("spin", spin, 0);
  printf("fuel left: %llu\n", (unsigned long long)ebb_capi_store_fuel(store));

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
