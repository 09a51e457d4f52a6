/*
** test_fload.c -- f64 arithmetic fused with the f64.load of its right
** operand gives exactly what the two instructions give: the same address
** (offset, 32-bit wrap of a folded i32.add), the same bounds trap, the same
** IEEE result; loads on the left, or used elsewhere, stay separate.
*/
#include <string.h>

#include "check.h"
#include "ebb.h"

/* tests/unit/exec/fload.wat, built with wat2wasm. */
static const unsigned char fload_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0c, 0x02, 0x60,
  0x02, 0x7c, 0x7f, 0x01, 0x7c, 0x60, 0x01, 0x7f, 0x01, 0x7c, 0x03, 0x07,
  0x06, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01,
  0x07, 0x4b, 0x07, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00,
  0x03, 0x73, 0x75, 0x62, 0x00, 0x00, 0x06, 0x64, 0x69, 0x76, 0x5f, 0x61,
  0x69, 0x00, 0x01, 0x0a, 0x61, 0x64, 0x64, 0x5f, 0x61, 0x69, 0x5f, 0x6f,
  0x66, 0x66, 0x00, 0x02, 0x09, 0x6d, 0x75, 0x6c, 0x5f, 0x63, 0x68, 0x61,
  0x69, 0x6e, 0x00, 0x03, 0x09, 0x6c, 0x65, 0x66, 0x74, 0x5f, 0x6c, 0x6f,
  0x61, 0x64, 0x00, 0x04, 0x0a, 0x69, 0x6e, 0x74, 0x6f, 0x5f, 0x6c, 0x6f,
  0x63, 0x61, 0x6c, 0x00, 0x05, 0x0a, 0x62, 0x06, 0x0a, 0x00, 0x20, 0x00,
  0x20, 0x01, 0x2b, 0x03, 0x08, 0xa1, 0x0b, 0x0d, 0x00, 0x20, 0x00, 0x20,
  0x01, 0x41, 0x10, 0x6a, 0x2b, 0x03, 0x00, 0xa3, 0x0b, 0x0d, 0x00, 0x20,
  0x00, 0x20, 0x01, 0x41, 0x78, 0x6a, 0x2b, 0x03, 0x18, 0xa0, 0x0b, 0x1c,
  0x00, 0x20, 0x00, 0x2b, 0x03, 0x00, 0x20, 0x00, 0x2b, 0x03, 0x08, 0xa2,
  0x20, 0x00, 0x2b, 0x03, 0x10, 0xa2, 0x20, 0x00, 0x41, 0x18, 0x6a, 0x2b,
  0x03, 0x00, 0xa1, 0x0b, 0x0a, 0x00, 0x20, 0x01, 0x2b, 0x03, 0x00, 0x20,
  0x00, 0xa1, 0x0b, 0x11, 0x01, 0x01, 0x7c, 0x20, 0x00, 0x20, 0x01, 0x2b,
  0x03, 0x00, 0xa2, 0x22, 0x02, 0x20, 0x02, 0xa0, 0x0b
};

static ebb_instance_t *inst;
static ebb_thread_t *thread;

static ebb_status_t call(const char *name, const ebb_val_t *args, double *res,
                         ebb_outcome_t *out) {
  ebb_extern_t x;
  CHECK_EQ_INT(ebb_instance_export(inst, name, &x), 0);
  ebb_val_t r = {0};
  ebb_status_t st = ebb_call(thread, x.of.func, args, &r, out);
  if (st == EBB_OK) *res = r.of.f64;
  return st;
}

static double call_xp(const char *name, double x, uint32_t p) {
  ebb_val_t args[2] = {{.kind = EBB_F64, .of.f64 = x}, {.kind = EBB_I32, .of.i32 = (int32_t)p}};
  ebb_outcome_t out;
  double r = 0;
  CHECK_EQ_INT(call(name, args, &r, &out), EBB_OK);
  return r;
}

static void put(uint8_t *mem, uint32_t at, double v) { memcpy(mem + at, &v, 8); }

int main(void) {
  ebb_store_t *store = ebb_store_new(NULL);
  ebb_module_t *m;
  CHECK_EQ_INT(ebb_module_new(fload_wasm, sizeof fload_wasm, &m, NULL), 0);
  CHECK_EQ_INT(ebb_instance_new(store, m, NULL, NULL, &inst, NULL), 0);
  thread = ebb_thread_new(store);
  ebb_extern_t mx;
  CHECK_EQ_INT(ebb_instance_export(inst, "memory", &mx), 0);
  uint8_t *mem = ebb_memory_data(mx.of.memory);
  uint32_t last = 65536 - 8; /* the last f64 in memory */

  put(mem, 0, 1.5);
  put(mem, 8, 0.25);
  put(mem, 16, 3.0);
  put(mem, 24, -2.0);
  put(mem, 32, 7.0);
  put(mem, last, 1e300);
  CHECK(call_xp("sub", 10.0, 0) == 10.0 - 0.25);
  CHECK(call_xp("sub", 10.0, last - 8) == 10.0 - 1e300);
  CHECK(call_xp("div_ai", 1.0, 0) == 1.0 / 3.0);
  CHECK(call_xp("div_ai", 1.0, 16) == 1.0 / 7.0);
  /* p - 16 + 16 wraps to 0 in 32 bits: it reads m[0], not past 4 GiB. */
  CHECK(call_xp("div_ai", 3.0, 0xfffffff0u) == 3.0 / 1.5);
  /* p + (-8), then the offset 24. */
  CHECK(call_xp("add_ai_off", 1.0, 8) == 1.0 + -2.0);
  CHECK(call_xp("add_ai_off", 1.0, 16) == 1.0 + 7.0);
  CHECK(call_xp("left_load", 1.0, 24) == -2.0 - 1.0);
  CHECK(call_xp("into_local", 2.0, 16) == 2.0 * 3.0 + 2.0 * 3.0);
  ebb_val_t p0 = {.kind = EBB_I32, .of.i32 = 0};
  double r = 0;
  ebb_outcome_t out;
  CHECK_EQ_INT(call("mul_chain", &p0, &r, &out), EBB_OK);
  CHECK(r == 1.5 * 0.25 * 3.0 - -2.0);
  /* IEEE: 1e300 * 1e300 overflows to inf; 0/0 is NaN. */
  put(mem, 40, 0.0);
  CHECK(call_xp("into_local", 1e300, last) == __builtin_inf());
  double nan = call_xp("div_ai", 0.0, 24);
  CHECK(nan != nan);

  /* Out of bounds: one byte past the end traps, as the load alone would. */
  ebb_val_t oob[2] = {{.kind = EBB_F64, .of.f64 = 1.0},
                      {.kind = EBB_I32, .of.i32 = (int32_t)(last - 7)}};
  CHECK_EQ_INT(call("sub", oob, &r, &out), EBB_TRAP);
  CHECK_EQ_INT(out.trap, EBB_TRAP_MEMORY_OOB);
  oob[1].of.i32 = (int32_t)(last - 15);
  CHECK_EQ_INT(call("div_ai", oob, &r, &out), EBB_TRAP);
  CHECK_EQ_INT(out.trap, EBB_TRAP_MEMORY_OOB);
  oob[1].of.i32 = 0; /* 0 - 8 wraps to 0xfffffff8; the offset 24 then leads past 4 GiB */
  CHECK_EQ_INT(call("add_ai_off", oob, &r, &out), EBB_TRAP);
  CHECK_EQ_INT(out.trap, EBB_TRAP_MEMORY_OOB);

  ebb_thread_delete(thread);
  ebb_store_delete(store);
  ebb_module_delete(m);
  return CHECK_DONE();
}
