/*
** test_fuse.c -- instructions the compiler fuses (compile/code.h) give
** exactly what the separate instructions give: eqz + br_if, i32.add pairs,
** add/and/load + compare-and-branch, two-slot addresses, shl/mul + add and
** chains with immediates; a COPY or constant fused into the branch or
** load after it, also stopped and resumed at the fused back-edges. Each function of fuse.wat is checked against the
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

  /* A COPY or a constant fused into the branch after it. */
  {
    uint32_t a = 0, b = 1;
    for (uint32_t n = 0; n < 60; n++) {
      CHECK_EQ_INT(CALL1("copy_br_loop", n), a);
      uint32_t t2 = a + b;
      a = b;
      b = t2;
    }
  }
  for (size_t k = 0; k < nedge; k++)
  {
    CHECK_EQ_INT(CALL1("const_br", edge[k]), (int32_t)edge[k] < 5 ? 11u : 22u);
    CHECK_EQ_INT(CALL2("copy_br", edge[k], ~edge[k]), (int32_t)edge[k] < 5 ? ~edge[k] : 22u);
  }
  for (uint32_t n = 0; n < 40; n++) CHECK_EQ_INT(CALL1("const_br_loop", n), n < 2 ? 1u : 7u + n);
  for (size_t x = 0; x < nedge; x++) {
    for (size_t y = 0; y < nedge; y++) {
      CHECK_EQ_INT(CALL2("copy_lt_s", edge[x], edge[y]), ref_add_lt_s(edge[x], edge[y]));
      CHECK_EQ_INT(CALL2("copy_gt_s_mirror", edge[x], edge[y]), ref_add_lt_s(edge[x], edge[y]));
    }
    CHECK_EQ_INT(CALL1("copy_ne_imm", edge[x]), ref_add_nonzero(edge[x]));
    CHECK_EQ_INT(CALL2("copy_if", edge[x], 77), (edge[x] ? 3u : 4u) + edge[x]);
  }
  for (uint32_t n = 1; n < 50; n++) CHECK_EQ_INT(CALL1("copy_br_if", n), n);
  put32(604, 0x01020304u);
  CHECK_EQ_INT(CALL2("copy_load", 600, 0), 0x01020304u + 600);
  put32(MEM_SIZE - 4, 9);
  CHECK_EQ_INT(CALL2("copy_load", MEM_SIZE - 8, 0), 9u + MEM_SIZE - 8);
  trap_oob("copy_load", MEM_SIZE - 7, 0);
  trap_oob("copy_load", 0xfffffffcu, 0); /* the offset does not wrap */
  /* a list of 5 nodes at 1000, 1008, ...: reversed, then reversed back */
  for (uint32_t i = 0; i < 5; i++) put32(1000 + 8 * i, i < 4 ? 1008 + 8 * i : 0);
  CHECK_EQ_INT(CALL1("reverse", 1000), 1032);
  for (uint32_t i = 0; i < 5; i++) {
    uint32_t v;
    memcpy(&v, mem + 1000 + 8 * i, 4);
    CHECK_EQ_INT(v, i ? 1000 + 8 * (i - 1) : 0);
  }
  CHECK_EQ_INT(CALL1("reverse", 1032), 1000);
  CHECK_EQ_INT(CALL1("reverse", 0), 0);

  /* Stopped at a fused back-edge before every resume: the copy was done,
  ** and the loop continues exactly (copy_br_loop: COPY_BR_LOOP; copy_br_if:
  ** COPY_BR_IF; copy_lt_s: COPY_BR_I32_LT_S; const_br_loop: CONST_BR_LOOP). */
  {
    static const struct { const char *name; uint32_t a, b, want; } runs[] = {
        {"copy_br_loop", 40, 0, 102334155u},
        {"copy_br_if", 40, 0, 40},
        {"copy_lt_s", 0, 90, 30 * 1000003u + 90},
        {"const_br_loop", 30, 0, 37},
    };
    for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
      ebb_val_t args[2] = {{.kind = EBB_I32, .of.i32 = (int32_t)runs[r].a},
                           {.kind = EBB_I32, .of.i32 = (int32_t)runs[r].b}};
      ebb_val_t res = {0};
      ebb_outcome_t out;
      ebb_thread_interrupt(thread);
      ebb_status_t st = call(runs[r].name, args, &res, &out);
      int stops = 0;
      while (st == EBB_INTERRUPTED && stops < 1000) {
        stops++;
        ebb_thread_interrupt(thread);
        st = ebb_call_resume(thread, &res, &out);
      }
      CHECK_EQ_INT(st, EBB_OK);
      CHECK(stops >= 20);
      CHECK_EQ_INT((uint32_t)res.of.i32, runs[r].want);
    }
  }

  ebb_thread_delete(thread);
  ebb_store_delete(store);
  ebb_module_delete(m);
  return CHECK_DONE();
}
