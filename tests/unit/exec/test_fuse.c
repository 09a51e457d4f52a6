/*
** test_fuse.c -- instructions the compiler fuses (compile/code.h) give
** exactly what the separate instructions give: eqz + br_if, i32.add pairs,
** add/and/load + compare-and-branch, two-slot addresses, shl/mul + add and
** chains with immediates. Each function of fuse.wat is checked against the
** same computation in C at the edges (32-bit wrap, signed and unsigned
** comparisons, shift counts >= 32), and the fused loads trap as the loads do.
*/
#include <string.h>

#include "check.h"
#include "ebb.h"
#include "fuse.wat.h"

static ebb_instance_t *inst;
static ebb_thread_t *thread;
static uint8_t *mem;
#define MEM_SIZE 65536u

static ebb_status_t call(const char *name, const ebb_val_t *args, ebb_val_t *res,
                         ebb_outcome_t *out) {
  ebb_extern_t x;
  CHECK_EQ_INT(ebb_instance_export(inst, name, &x), 0);
  return ebb_call(thread, x.of.func, args, res, out);
}

static uint32_t call3(const char *name, uint32_t a, uint32_t b, uint32_t c, int n) {
  ebb_val_t args[3] = {{.kind = EBB_I32, .of.i32 = (int32_t)a},
                       {.kind = EBB_I32, .of.i32 = (int32_t)b},
                       {.kind = EBB_I32, .of.i32 = (int32_t)c}};
  (void)n;
  ebb_val_t r = {0};
  ebb_outcome_t out;
  CHECK_EQ_INT(call(name, args, &r, &out), EBB_OK);
  return (uint32_t)r.of.i32;
}
#define CALL1(name, a) call3(name, a, 0, 0, 1)
#define CALL2(name, a, b) call3(name, a, b, 0, 2)

static void trap_oob(const char *name, uint32_t a, uint32_t b) {
  ebb_val_t args[3] = {{.kind = EBB_I32, .of.i32 = (int32_t)a},
                       {.kind = EBB_I32, .of.i32 = (int32_t)b},
                       {.kind = EBB_I32, .of.i32 = 0}};
  ebb_val_t r = {0};
  ebb_outcome_t out;
  CHECK_EQ_INT(call(name, args, &r, &out), EBB_TRAP);
  CHECK_EQ_INT(out.trap, EBB_TRAP_MEMORY_OOB);
}

/* The loops of fuse.wat, in C: at most 100 rounds, then c * 1000003 + i. */
static uint32_t ref_add_lt_s(uint32_t i, uint32_t n) {
  uint32_t c = 0;
  for (;;) {
    if (++c >= 100) break;
    i += 3;
    if (!((int32_t)i < (int32_t)n)) break;
  }
  return c * 1000003u + i;
}
static uint32_t ref_add_gt_u(uint32_t i, uint32_t n) {
  uint32_t c = 0;
  for (;;) {
    if (++c >= 100) break;
    i += 3;
    if (!(n > i)) break;
  }
  return c * 1000003u + i;
}
static uint32_t ref_add_nonzero(uint32_t i) {
  uint32_t c = 0;
  for (;;) {
    if (++c >= 100) break;
    i -= 1;
    if (!i) break;
  }
  return c * 1000003u + i;
}
static uint32_t ref_add_ne_pair(uint32_t i) {
  uint32_t c = 0, j = 0;
  for (;;) {
    if (++c >= 100) break;
    j += 7;
    i += 1;
    if (i == 10) break;
  }
  return c * 1000003u + i + j;
}

static void put32(uint32_t at, uint32_t v) { memcpy(mem + at, &v, 4); }
static void put16(uint32_t at, uint16_t v) { memcpy(mem + at, &v, 2); }

int main(void) {
  ebb_store_t *store = ebb_store_new(NULL);
  ebb_module_t *m;
  CHECK_EQ_INT(ebb_module_new(fuse_wasm, sizeof fuse_wasm, &m, NULL), 0);
  CHECK_EQ_INT(ebb_instance_new(store, m, NULL, NULL, &inst, NULL), 0);
  thread = ebb_thread_new(store);
  ebb_extern_t mx;
  CHECK_EQ_INT(ebb_instance_export(inst, "memory", &mx), 0);
  mem = ebb_memory_data(mx.of.memory);

  static const uint32_t edge[] = {0,          1,          2,          3,          7,
                                  9,          10,         44,         0x12c,      0x7ffffff0u,
                                  0x7ffffffeu, 0x7fffffffu, 0x80000000u, 0x80000001u, 0xfffffff0u,
                                  0xfffffffdu, 0xfffffffeu, 0xffffffffu, 0xff00002cu, 0x0800u};
  const size_t nedge = sizeof edge / sizeof edge[0];

  /* eqz + br_if, eqz + if */
  for (uint32_t n = 0; n < 50; n++) CHECK_EQ_INT(CALL1("eqz_count", n), 2 * n);
  for (size_t k = 0; k < nedge; k++) CHECK_EQ_INT(CALL1("eqz_if", edge[k]), edge[k] ? 9 : 7);

  /* Two adds in a row: the second sees the first's result. */
  for (size_t k = 0; k < nedge; k++) {
    uint32_t a = edge[k] + 5, b = a - 3;
    CHECK_EQ_INT(CALL1("add2", edge[k]), a * 1000u + b);
  }
  put32(104, 0xdeadbeefu);
  CHECK_EQ_INT(CALL2("add2_load", 100, 41), 0xdeadbeefu + 42);
  /* p + 4 wraps: 0xfffffffc + 4 = 0 */
  put32(0, 123);
  CHECK_EQ_INT(CALL2("add2_load", 0xfffffffcu, 0xffffffffu), 123u);

  /* add + compare-and-branch, signed and unsigned, around the wraps */
  for (size_t x = 0; x < nedge; x++)
    for (size_t y = 0; y < nedge; y++) {
      CHECK_EQ_INT(CALL2("add_lt_s", edge[x], edge[y]), ref_add_lt_s(edge[x], edge[y]));
      CHECK_EQ_INT(CALL2("add_gt_u_mirror", edge[x], edge[y]), ref_add_gt_u(edge[x], edge[y]));
    }
  for (size_t x = 0; x < nedge; x++) {
    CHECK_EQ_INT(CALL1("add_nonzero", edge[x]), ref_add_nonzero(edge[x]));
    CHECK_EQ_INT(CALL1("add_ne_imm_pair", edge[x]), ref_add_ne_pair(edge[x]));
    uint32_t v = edge[x];
    CHECK_EQ_INT(CALL1("and_eq", v), (v & 255) == 44 ? 2u : 1u);
    CHECK_EQ_INT(CALL1("and_if", v), (v & 8) ? 3u : 4u);
    CHECK_EQ_INT(CALL1("and_le_s", v), (int32_t)(v & 0xff000000u) <= -1 ? 6u : 5u);
  }

  /* loads + branches: strlen, a pointer walk, a u16 search */
  memcpy(mem + 200, "hello, world\0", 13);
  CHECK_EQ_INT(CALL1("strlen", 200), 12);
  CHECK_EQ_INT(CALL1("strlen", 212), 0);
  mem[MEM_SIZE - 1] = 'x'; /* the scan runs off the end of memory: a trap */
  trap_oob("strlen", MEM_SIZE - 1, 0);
  mem[MEM_SIZE - 1] = 0;
  CHECK_EQ_INT(CALL1("strlen", MEM_SIZE - 1), 0);
  put32(300, 400);
  put32(400, 500);
  put32(500, 0);
  CHECK_EQ_INT(CALL1("walk", 300), 3);
  put32(500, 500); /* a cycle: stopped by the count */
  CHECK_EQ_INT(CALL1("walk", 300), 100);
  put32(500, MEM_SIZE - 2); /* the next load is out of bounds */
  trap_oob("walk", 300, 0);
  for (uint32_t i = 0; i < 100; i++) put16(1000 + 2 * i, (uint16_t)(0xff00u + i));
  CHECK_EQ_INT(CALL2("find16", 1000, 0xff00u + 37), 37);
  CHECK_EQ_INT(CALL2("find16", 1000, 0xffff0000u + 0xff00u + 37), 100); /* u16 vs i32 */
  CHECK_EQ_INT(CALL2("find16", 1000, 5), 100);
  put16(2002, 0xffff); /* 65535 as a u16 is > -5 signed */
  CHECK_EQ_INT(CALL1("load_gt_s", 2000), 11);
  trap_oob("load_gt_s", MEM_SIZE - 3, 0);

  /* two-slot addresses */
  put32(604, 0x11223344u);
  CHECK_EQ_INT(CALL2("ld_rr", 600, 0), 0x11223344u);
  CHECK_EQ_INT(CALL2("ld_rr", 0xfffffe00u, 0x200u + 600), 0x11223344u); /* the add wraps */
  trap_oob("ld_rr", MEM_SIZE - 8, 1);
  trap_oob("ld_rr", 0xfffffff0u, 0x0c); /* 0xfffffffc + 4: past 4 GiB, not wrapped */
  put16(700 + 4 * 5, 0x8001);
  CHECK_EQ_INT(CALL2("ld_idx", 700, 5), 0xffff8001u);
  CHECK_EQ_INT(CALL2("ld_idx", 700 - 4 * 0x40000000u, 5 + 0x40000000u), 0xffff8001u); /* wraps */
  mem[800 + 4 * 6 + 1] = 0x80;
  CHECK_EQ_INT(CALL2("ld_idx_left", 800, 6), 0xffffff80u);
  trap_oob("ld_idx", MEM_SIZE - 1, 0);
  {
    put32(900, 0x80000000u);
    ebb_val_t args[2] = {{.kind = EBB_I32, .of.i32 = 890}, {.kind = EBB_I32, .of.i32 = 10}};
    ebb_val_t r = {0};
    ebb_outcome_t out;
    CHECK_EQ_INT(call("ld_rr64", args, &r, &out), EBB_OK);
    CHECK(r.of.i64 == (int64_t)(int32_t)0x80000000u);
  }
  memset(mem + 1100, 0, 16);
  CHECK_EQ_INT(call3("st_rr", 1100, 5, 0x1234, 3), 0);
  CHECK_EQ_INT(mem[1106], 0x34);
  CHECK_EQ_INT(mem[1107], 0);
  trap_oob("st_rr", MEM_SIZE - 1, 0);
  {
    ebb_val_t args[3] = {{.kind = EBB_I32, .of.i32 = 1200},
                         {.kind = EBB_I32, .of.i32 = 3},
                         {.kind = EBB_I64, .of.i64 = 0x0102030405060708ll}};
    ebb_val_t r = {0};
    ebb_outcome_t out;
    CHECK_EQ_INT(call("st_idx", args, &r, &out), EBB_OK);
    uint64_t got;
    memcpy(&got, mem + 1224, 8);
    CHECK(got == 0x0102030405060708ull);
    args[0].of.i32 = (int32_t)(MEM_SIZE - 8);
    args[1].of.i32 = 1;
    CHECK_EQ_INT(call("st_idx", args, &r, &out), EBB_TRAP);
    CHECK_EQ_INT(out.trap, EBB_TRAP_MEMORY_OOB);
  }
  memset(mem + 1300, 0, 16);
  call3("st_const", 1300, 4, 0, 2);
  CHECK_EQ_INT(mem[1305], 77);
  CHECK_EQ_INT(mem[1300] + mem[1301] + mem[1302] + mem[1303] + mem[1304] + mem[1306], 0);
  for (size_t x = 0; x < nedge; x++)
    for (size_t y = 0; y < nedge; y++)
      CHECK_EQ_INT(CALL2("add_shl", edge[x], edge[y]), edge[x] + (edge[y] << 3));

  /* chains */
  for (size_t x = 0; x < nedge; x++) {
    uint32_t v = edge[x];
    CHECK_EQ_INT(CALL1("shr_and", v), (v >> 3) & 0x1ff);
    CHECK_EQ_INT(CALL1("add_and", v), (v - 58) & 255);
    CHECK_EQ_INT(CALL1("and_xor", v), (v & 0xff00ff00u) ^ 0x12345678u);
    for (size_t y = 0; y < nedge; y++) {
      uint32_t w = edge[y], z = edge[(x + y) % nedge];
      CHECK_EQ_INT(CALL2("xor_and", v, w), (v ^ w) & 0x80000001u);
      CHECK_EQ_INT(call3("mul_add", v, w, z, 3), v * w + z);
      CHECK_EQ_INT(call3("add_mul", v, w, z, 3), z + v * w);
    }
  }

  ebb_thread_delete(thread);
  ebb_store_delete(store);
  ebb_module_delete(m);
  return CHECK_DONE();
}
