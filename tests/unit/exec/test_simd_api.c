/*
** test_simd_api.c -- v128 values through the embedding API: ebb_call
** arguments and results (with scalars around them), host functions (a v128
** in two cells), globals from the module and from ebb_global_new, and the
** frame layout under calls, locals, branches and select.
*/
#include <string.h>

#include "check.h"
#include "ebb.h"
#include "simd_api.wat.h"

static ebb_instance_t *inst;
static ebb_thread_t *thread;

static ebb_val_t v128_u32(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  ebb_val_t v;
  memset(&v, 0, sizeof v);
  v.kind = EBB_V128;
  uint32_t w[4] = {a, b, c, d};
  memcpy(v.of.v128, w, 16);
  return v;
}

static int v128_is(const ebb_val_t *v, uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  ebb_val_t want = v128_u32(a, b, c, d);
  return v->kind == EBB_V128 && !memcmp(v->of.v128, want.of.v128, 16);
}

static ebb_func_t *fn(const char *name) {
  ebb_extern_t x;
  CHECK_EQ_INT(ebb_instance_export(inst, name, &x), 0);
  return x.of.func;
}

/* (v128, i32) -> (i32, v128): the vector's 32-bit lanes reversed, i + 1. */
static ebb_status_t swap(ebb_host_call_t *call, const uint64_t *args, uint64_t *results) {
  (void)call;
  uint32_t lanes[4], rev[4];
  memcpy(lanes, args, 16);
  uint32_t i = (uint32_t)args[2];
  for (int k = 0; k < 4; k++) rev[k] = lanes[3 - k];
  results[0] = i + 1;
  memcpy(results + 1, rev, 16);
  return EBB_OK;
}

static ebb_func_t *host_swap;
static int resolve(void *data, const char *module, const char *name, ebb_externkind_t kind,
                   ebb_extern_t *out) {
  (void)data;
  if (strcmp(module, "host") || strcmp(name, "swap") || kind != EBB_EXTERN_FUNC)
    return EBB_ENOTFOUND;
  out->kind = EBB_EXTERN_FUNC;
  out->of.func = host_swap;
  return 0;
}

int main(void) {
  ebb_store_t *store = ebb_store_new(NULL);
  ebb_valkind_t ps[] = {EBB_V128, EBB_I32}, rs[] = {EBB_I32, EBB_V128};
  host_swap = ebb_func_new_host(store, ps, 2, rs, 2, swap, NULL);
  CHECK(host_swap != NULL);
  ebb_module_t *m;
  ebb_error_t err;
  CHECK_EQ_INT(ebb_module_new(simd_api_wasm, sizeof simd_api_wasm, &m, &err), 0);
  CHECK_EQ_INT(ebb_instance_new(store, m, resolve, NULL, &inst, &err), 0);
  thread = ebb_thread_new(store);
  ebb_outcome_t o;
  ebb_val_t r[3];

  ebb_val_t add_args[2] = {v128_u32(1, 2, 3, 0xffffffff), v128_u32(10, 20, 30, 2)};
  CHECK_EQ_INT(ebb_call(thread, fn("add"), add_args, r, &o), EBB_OK);
  CHECK(v128_is(&r[0], 11, 22, 33, 1));

  /* A host function: the v128 is two cells among the others. */
  ebb_val_t host_args[2] = {v128_u32(1, 2, 3, 4), {.kind = EBB_I32, .of.i32 = 41}};
  CHECK_EQ_INT(ebb_call(thread, fn("call_host"), host_args, r, &o), EBB_OK);
  CHECK(r[0].kind == EBB_I32 && r[0].of.i32 == 42);
  CHECK(v128_is(&r[1], 4, 3, 2, 1));
  /* Called directly by the embedder too. */
  CHECK_EQ_INT(ebb_call(thread, host_swap, host_args, r, &o), EBB_OK);
  CHECK(r[0].of.i32 == 42 && v128_is(&r[1], 4, 3, 2, 1));

  ebb_val_t mixed_args[3] = {{.kind = EBB_I32, .of.i32 = -5}, v128_u32(5, 6, 7, 8),
                             {.kind = EBB_F64, .of.f64 = 2.5}};
  for (int k = 0; k < 2; k++) {
    memset(r, 0, sizeof r);
    CHECK_EQ_INT(ebb_call(thread, fn(k ? "call_mixed" : "mixed"), mixed_args, r, &o), EBB_OK);
    CHECK(r[0].kind == EBB_F64 && r[0].of.f64 == 2.5);
    CHECK(v128_is(&r[1], 5, 6, 7, 8));
    CHECK(r[2].kind == EBB_I32 && r[2].of.i32 == -5);
  }

  ebb_val_t three = {.kind = EBB_I32, .of.i32 = 3};
  CHECK_EQ_INT(ebb_call(thread, fn("locals"), &three, r, &o), EBB_OK);
  CHECK(v128_is(&r[0], 10, 3, 10, 3));

  /* The module's global, read and written from both sides. */
  ebb_extern_t gx;
  CHECK_EQ_INT(ebb_instance_export(inst, "g", &gx), 0);
  ebb_val_t g = ebb_global_get(gx.of.global);
  CHECK(v128_is(&g, 1, 2, 3, 4));
  CHECK_EQ_INT(ebb_global_set(gx.of.global, v128_u32(9, 8, 7, 6)), 0);
  CHECK_EQ_INT(ebb_call(thread, fn("get_g"), NULL, r, &o), EBB_OK);
  CHECK(v128_is(&r[0], 9, 8, 7, 6));
  ebb_val_t nv = v128_u32(0xdeadbeef, 0, 0xcafef00d, 1);
  CHECK_EQ_INT(ebb_call(thread, fn("set_g"), &nv, r, &o), EBB_OK);
  g = ebb_global_get(gx.of.global);
  CHECK(v128_is(&g, 0xdeadbeef, 0, 0xcafef00d, 1));
  ebb_val_t wrong = {.kind = EBB_I32, .of.i32 = 1};
  CHECK_EQ_INT(ebb_global_set(gx.of.global, wrong), EBB_EARG);
  ebb_global_t *mine = ebb_global_new(store, v128_u32(1, 1, 2, 3), false);
  CHECK(mine != NULL);
  if (mine) {
    g = ebb_global_get(mine);
    CHECK(v128_is(&g, 1, 1, 2, 3));
  }

  /* Kinds are checked: an i32 where a v128 goes is refused. */
  ebb_val_t bad[2] = {wrong, add_args[1]};
  CHECK_EQ_INT(ebb_call(thread, fn("add"), bad, r, &o), EBB_ERROR);

  ebb_val_t pick[3] = {{.kind = EBB_I32, .of.i32 = 1}, v128_u32(1, 1, 1, 1), v128_u32(2, 2, 2, 2)};
  CHECK_EQ_INT(ebb_call(thread, fn("pick"), pick, r, &o), EBB_OK);
  CHECK(v128_is(&r[0], 1, 1, 1, 1));
  pick[0].of.i32 = 0;
  CHECK_EQ_INT(ebb_call(thread, fn("pick"), pick, r, &o), EBB_OK);
  CHECK(v128_is(&r[0], 2, 2, 2, 2));

  ebb_thread_delete(thread);
  ebb_module_delete(m);
  ebb_store_delete(store);
  return CHECK_DONE();
}
