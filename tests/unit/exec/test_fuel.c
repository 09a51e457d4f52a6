/*
** test_fuel.c -- fuel metering: exact charges for straight-line code, a
** clean "out of fuel" trap, and no metering at all without the option.
*/
#include "check.h"
#include "ebb.h"

/* tests/unit/exec/fuel.wat, built with wat2wasm. */
static const unsigned char fuel_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x02, 0x60,
  0x00, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x03, 0x03, 0x02, 0x00,
  0x01, 0x07, 0x11, 0x02, 0x05, 0x74, 0x68, 0x72, 0x65, 0x65, 0x00, 0x00,
  0x05, 0x63, 0x6f, 0x75, 0x6e, 0x74, 0x00, 0x01, 0x0a, 0x26, 0x02, 0x07,
  0x00, 0x41, 0x01, 0x41, 0x02, 0x6a, 0x0b, 0x1c, 0x01, 0x01, 0x7f, 0x02,
  0x40, 0x03, 0x40, 0x20, 0x01, 0x20, 0x00, 0x4f, 0x0d, 0x01, 0x20, 0x01,
  0x41, 0x01, 0x6a, 0x21, 0x01, 0x0c, 0x00, 0x0b, 0x0b, 0x20, 0x01, 0x0b
};

static ebb_func_t *export_func(ebb_instance_t *inst, const char *name) {
  ebb_extern_t x;
  CHECK_EQ_INT(ebb_instance_export(inst, name, &x), 0);
  return x.of.func;
}

int main(void) {
  ebb_store_t *store = ebb_store_new(NULL);
  ebb_module_t *metered, *plain;
  ebb_module_options_t opts = {.fuel = true};
  CHECK_EQ_INT(ebb_module_new_ex(fuel_wasm, sizeof fuel_wasm, &opts, &metered, NULL), 0);
  CHECK_EQ_INT(ebb_module_new(fuel_wasm, sizeof fuel_wasm, &plain, NULL), 0);
  ebb_instance_t *mi, *pi;
  CHECK_EQ_INT(ebb_instance_new(store, metered, NULL, NULL, &mi, NULL), 0);
  CHECK_EQ_INT(ebb_instance_new(store, plain, NULL, NULL, &pi, NULL), 0);
  ebb_thread_t *t = ebb_thread_new(store);
  ebb_val_t res, arg = {.kind = EBB_I32, .of.i32 = 1000};
  ebb_outcome_t out;

  /* Straight-line code: exactly its instruction count, end included. */
  ebb_thread_set_fuel(t, 100);
  CHECK_EQ_INT(ebb_call(t, export_func(mi, "three"), NULL, &res, &out), EBB_OK);
  CHECK_EQ_INT(res.of.i32, 3);
  CHECK_EQ_INT(ebb_thread_fuel(t), 96);

  /* The same run twice costs the same: metering is deterministic. */
  ebb_thread_set_fuel(t, 1000000);
  CHECK_EQ_INT(ebb_call(t, export_func(mi, "count"), &arg, &res, &out), EBB_OK);
  uint64_t used = 1000000 - ebb_thread_fuel(t);
  ebb_thread_set_fuel(t, 1000000);
  CHECK_EQ_INT(ebb_call(t, export_func(mi, "count"), &arg, &res, &out), EBB_OK);
  CHECK_EQ_INT(1000000 - ebb_thread_fuel(t), used);
  CHECK(used >= 1000 * 8); /* at least the loop body's 8+ instructions per turn */

  /* Too little fuel: a clean trap naming the kind. */
  ebb_thread_set_fuel(t, used / 2);
  CHECK_EQ_INT(ebb_call(t, export_func(mi, "count"), &arg, &res, &out), EBB_TRAP);
  CHECK_EQ_INT(out.trap, EBB_TRAP_OUT_OF_FUEL);
  CHECK_STR_CONTAINS(out.message, "out of fuel");

  /* Code compiled without metering never consumes fuel. */
  ebb_thread_set_fuel(t, 5);
  CHECK_EQ_INT(ebb_call(t, export_func(pi, "count"), &arg, &res, &out), EBB_OK);
  CHECK_EQ_INT(res.of.i32, 1000);
  CHECK_EQ_INT(ebb_thread_fuel(t), 5);

  ebb_thread_delete(t);
  ebb_store_delete(store);
  ebb_module_delete(metered);
  ebb_module_delete(plain);
  return CHECK_DONE();
}
