/*
** trap.c -- traps: the guest's (with the function they happened in), a host
** function's (its own trap object comes back, message whole), traps made
** and copied by the host, and why each happened (ebb_capi_trap_cause).
*/
#include "ebb_wasm.h"
#include "example.h"

static int trap_infos_finalized;

static wasm_trap_t *fail(void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  wasm_message_t msg;
  wasm_name_new_from_string_nt(&msg, "the host says no, and says it at some length so that the "
                                     "message is longer than ebb's own trap buffers hold");
  wasm_trap_t *trap = wasm_trap_new((wasm_store_t *)env, &msg);
  wasm_byte_vec_delete(&msg);
  return trap;
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

static void count_final(void *info) { trap_infos_finalized++; }

/* Everything a trap says, then delete it. */
static void describe(const char *what, wasm_trap_t *trap) {
  CHECK(trap);
  wasm_message_t msg;
  wasm_trap_message(trap, &msg);
  CHECK(msg.size > 0 && msg.data[msg.size - 1] == '\0');
  ebb_trap_t kind;
  ebb_capi_trap_cause_t cause = ebb_capi_trap_cause(trap, &kind);
  printf("%s: \"%s\" (cause %s, kind %d)", what, msg.data, cause_name(cause), (int)kind);
  wasm_byte_vec_delete(&msg);
  wasm_frame_t *origin = wasm_trap_origin(trap);
  wasm_frame_vec_t trace;
  wasm_trap_trace(trap, &trace);
  if (origin) {
    CHECK(trace.size == 1 && wasm_frame_func_index(trace.data[0]) == wasm_frame_func_index(origin));
    printf(", in func %u", wasm_frame_func_index(origin));
    wasm_frame_t *copy = wasm_frame_copy(origin);
    CHECK(wasm_frame_func_index(copy) == wasm_frame_func_index(origin));
    CHECK(wasm_frame_instance(copy) == NULL && wasm_frame_func_offset(copy) == 0);
    wasm_frame_delete(copy);
    wasm_frame_delete(origin);
  } else {
    CHECK(trace.size == 0);
  }
  printf("\n");
  wasm_frame_vec_delete(&trace);
  wasm_trap_delete(trap);
}

static wasm_trap_t *call(wasm_func_t *f, int32_t a, int32_t b) {
  wasm_val_t in[2] = {WASM_I32_VAL(a), WASM_I32_VAL(b)}, out[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = {wasm_func_param_arity(f), in};
  wasm_val_vec_t results = {wasm_func_result_arity(f), out};
  return wasm_func_call(f, &args, &results);
}

int main(int argc, char **argv) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = load_module(store, argc, argv);
  wasm_functype_t *type = wasm_functype_new_0_0();
  wasm_func_t *host = wasm_func_new_with_env(store, type, fail, store, NULL);
  wasm_functype_delete(type);
  wasm_extern_t *imports_data[] = {wasm_func_as_extern(host)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(imports_data);
  wasm_instance_t *instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_func_t *div = wasm_extern_as_func(exports.data[0]);
  wasm_func_t *unreachable = wasm_extern_as_func(exports.data[1]);
  wasm_func_t *call_fail = wasm_extern_as_func(exports.data[2]);
  wasm_func_t *deep = wasm_extern_as_func(exports.data[3]);

  CHECK(call(div, 7, 2) == NULL);
  describe("div(1, 0)", call(div, 1, 0));
  describe("div(INT32_MIN, -1)", call(div, INT32_MIN, -1));
  describe("unreachable()", call(unreachable, 0, 0));
  describe("deep()", call(deep, 0, 0));
  describe("call_fail()", call(call_fail, 0, 0));
  describe("the host function called directly", call(host, 0, 0));
  wasm_val_t wrong[1] = {WASM_I64_VAL(1)};
  wasm_val_vec_t wrong_args = {1, wrong}, results = WASM_EMPTY_VEC;
  describe("unreachable(1)", wasm_func_call(unreachable, &wrong_args, &results));
  wasm_val_vec_t no_args = WASM_EMPTY_VEC;
  wasm_val_t out[1];
  wasm_val_vec_t one_result = {1, out};
  wasm_val_t i64_args[2] = {WASM_I64_VAL(1), WASM_I32_VAL(1)};
  wasm_val_vec_t bad_args = {2, i64_args};
  describe("div(i64 1, 1)", wasm_func_call(div, &bad_args, &one_result));
  describe("div()", wasm_func_call(div, &no_args, &one_result));

  /* Traps the host makes: copies name one trap, whose host info is
  ** finalized once, when the last handle goes. */
  wasm_message_t msg;
  wasm_name_new_from_string_nt(&msg, "made by hand");
  wasm_trap_t *made = wasm_trap_new(store, &msg);
  wasm_byte_vec_delete(&msg);
  wasm_trap_set_host_info_with_finalizer(made, &trap_infos_finalized, count_final);
  wasm_trap_t *copy = wasm_trap_copy(made);
  CHECK(wasm_trap_same(made, copy) && wasm_trap_get_host_info(copy) == &trap_infos_finalized);
  wasm_ref_t *as_ref = wasm_trap_as_ref(copy);
  CHECK(wasm_ref_as_trap(as_ref) == copy && wasm_ref_as_func(as_ref) == NULL);
  wasm_trap_delete(made);
  CHECK(trap_infos_finalized == 0);
  describe("made", copy);
  printf("its host info finalized: %d time(s)\n", trap_infos_finalized);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(host);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
