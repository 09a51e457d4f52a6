/*
** test_parallel_compile.c -- a module compiled on several threads
** (rt/module_code.c, compile_all) is the module compiled on one: every function
** computes what it should; a module over its byte budget fails the same
** way; under ThreadSanitizer, no race.
** The module is made here: N functions, function k returning
** ((x + k) * 3) ^ k through a loop of k % 7 + 1 turns, so that bodies
** differ in length and batches finish out of order.
*/
#include <stdlib.h>
#include <string.h>

#include "base/parallel.h"
#include "check.h"
#include "ebb.h"
#include "rt/rt.h"
#include "wasm_buf.h"

/* Function k: (param $x i32) (result i32) (local $n i32)
**   n = k % 7 + 1; loop { x = (x + k) * 3 ^ k; n -= 1; br_if n } x */
static void body_of(buf *code, uint32_t k) {
  buf f = {0};
  uleb(&f, 1), uleb(&f, 1), put(&f, 0x7f);          /* one i32 local */
  put(&f, 0x41), sleb(&f, (int32_t)(k % 7 + 1));   /* i32.const */
  put(&f, 0x21), uleb(&f, 1);                      /* local.set n */
  put(&f, 0x03), put(&f, 0x40);                    /* loop */
  put(&f, 0x20), uleb(&f, 0);                      /* local.get x */
  put(&f, 0x41), sleb(&f, (int32_t)k), put(&f, 0x6a); /* i32.add */
  put(&f, 0x41), sleb(&f, 3), put(&f, 0x6c);       /* i32.mul */
  put(&f, 0x41), sleb(&f, (int32_t)k), put(&f, 0x73); /* i32.xor */
  put(&f, 0x21), uleb(&f, 0);                      /* local.set x */
  put(&f, 0x20), uleb(&f, 1), put(&f, 0x41), sleb(&f, 1), put(&f, 0x6b);
  put(&f, 0x22), uleb(&f, 1);                      /* local.tee n */
  put(&f, 0x0d), uleb(&f, 0);                      /* br_if 0 */
  put(&f, 0x0b);                                   /* end loop */
  put(&f, 0x20), uleb(&f, 0), put(&f, 0x0b);       /* x, end */
  code_entry(code, &f);
  free(f.p);
}

static buf make_module(uint32_t n) {
  buf m = {0}, s = {0};
  wasm_header(&m);
  uleb(&s, 1), put(&s, 0x60), uleb(&s, 1), put(&s, 0x7f), uleb(&s, 1), put(&s, 0x7f);
  section(&m, 1, &s);
  s.len = 0;
  uleb(&s, n);
  for (uint32_t k = 0; k < n; k++) uleb(&s, 0);
  section(&m, 3, &s);
  s.len = 0;
  uleb(&s, n);
  for (uint32_t k = 0; k < n; k++) {
    char name[16];
    int len = snprintf(name, sizeof name, "f%u", k);
    uleb(&s, (uint32_t)len);
    for (int i = 0; i < len; i++) put(&s, (unsigned char)name[i]);
    put(&s, 0), uleb(&s, k);
  }
  section(&m, 7, &s);
  s.len = 0;
  uleb(&s, n);
  for (uint32_t k = 0; k < n; k++) body_of(&s, k);
  section(&m, 10, &s);
  free(s.p);
  return m;
}

static uint32_t expected(uint32_t k, uint32_t x) {
  for (uint32_t n = k % 7 + 1; n; n--) x = ((x + k) * 3) ^ k;
  return x;
}

enum { NFUNCS = 3000 };

/* Call every function of mod once, checking its result. */
static void call_all(ebb_module_t *mod) {
  ebb_error_t err = {0, ""};
  ebb_store_t *store = ebb_store_new(NULL);
  ebb_instance_t *inst;
  CHECK_EQ_INT(ebb_instance_new(store, mod, NULL, NULL, &inst, &err), 0);
  ebb_thread_t *t = ebb_thread_new(store);
  for (uint32_t k = 0; k < NFUNCS; k++) {
    char name[16];
    snprintf(name, sizeof name, "f%u", k);
    ebb_extern_t f;
    CHECK_EQ_INT(ebb_instance_export(inst, name, &f), 0);
    ebb_val_t arg = {.kind = EBB_I32, .of.i32 = (int32_t)(k * 2654435761u)}, res;
    ebb_outcome_t o;
    CHECK_EQ_INT(ebb_call(t, f.of.func, &arg, &res, &o), EBB_OK);
    CHECK_EQ_INT((uint32_t)res.of.i32, expected(k, k * 2654435761u));
  }
  ebb_thread_delete(t);
  ebb_store_delete(store);
}

int main(void) {
  buf m = make_module(NFUNCS);
  ebb__parallel_bytes = 0; /* every module on several threads */

  ebb_module_t *mod;
  ebb_error_t err = {0, ""};
  ebb_module_options_t eager = {.eager = true};
  CHECK_EQ_INT(ebb_module_new_ex(m.p, m.len, &eager, &mod, &err), 0);
  call_all(mod);
  uint64_t parallel_bytes = ebb_module_host_bytes(mod);
  ebb_module_delete(mod);

  /* Compiled on first calls instead: nothing until then, and then as much. */
  CHECK_EQ_INT(ebb_module_new(m.p, m.len, &mod, &err), 0);
  uint64_t lazy_before = ebb_module_host_bytes(mod);
  call_all(mod);
  uint64_t lazy_after = ebb_module_host_bytes(mod);
  /* The stubs cost a little more than nothing. */
  CHECK(lazy_before < parallel_bytes - (lazy_after - lazy_before) / 2);
  CHECK(lazy_after > parallel_bytes - parallel_bytes / 100);
  CHECK(lazy_after < parallel_bytes + parallel_bytes / 5);
  printf("module %llu bytes, its code %llu more when every function ran; all compiled at once %llu\n",
         (unsigned long long)lazy_before, (unsigned long long)(lazy_after - lazy_before),
         (unsigned long long)parallel_bytes);
  ebb_module_delete(mod);

  /* One thread makes what several do. */
  ebb__parallel_bytes = SIZE_MAX;
  CHECK_EQ_INT(ebb_module_new_ex(m.p, m.len, &eager, &mod, &err), 0);
  /* As much, but for the allocator's rounding in other threads' arenas. */
  uint64_t one_bytes = ebb_module_host_bytes(mod);
  uint64_t diff = one_bytes > parallel_bytes ? one_bytes - parallel_bytes : parallel_bytes - one_bytes;
  CHECK(diff <= one_bytes / 100);
  ebb_module_delete(mod);

  /* Over budget (decoding and validation fit, the code does not): the
  ** same error either way. */
  ebb_module_options_t opts = {.eager = true};
  opts.max_bytes = parallel_bytes - parallel_bytes / 3;
  ebb_error_t one = {0, ""}, many = {0, ""};
  int rc1 = ebb_module_new_ex(m.p, m.len, &opts, &mod, &one);
  ebb__parallel_bytes = 0;
  int rcn = ebb_module_new_ex(m.p, m.len, &opts, &mod, &many);
  CHECK_EQ_INT(rc1, EBB_ELIMIT);
  CHECK_EQ_INT(rcn, EBB_ELIMIT);
  CHECK(strcmp(one.message, many.message) == 0);
  /* Lazily, the same budget loads the module, and the first call past it
  ** traps; the functions compiled before it still run. */
  opts.eager = false;
  opts.max_bytes = lazy_before + (lazy_after - lazy_before) / 2;
  CHECK_EQ_INT(ebb_module_new_ex(m.p, m.len, &opts, &mod, &err), 0);
  ebb_store_t *store = ebb_store_new(NULL);
  ebb_instance_t *inst;
  CHECK_EQ_INT(ebb_instance_new(store, mod, NULL, NULL, &inst, &err), 0);
  ebb_thread_t *t = ebb_thread_new(store);
  uint32_t k, ran = 0;
  ebb_outcome_t o;
  for (k = 0; k < NFUNCS; k++) {
    char name[16];
    snprintf(name, sizeof name, "f%u", k);
    ebb_extern_t f;
    CHECK_EQ_INT(ebb_instance_export(inst, name, &f), 0);
    ebb_val_t arg = {.kind = EBB_I32, .of.i32 = 5}, res;
    if (ebb_call(t, f.of.func, &arg, &res, &o) != EBB_OK) break;
    ran++;
  }
  CHECK(ran > 0 && ran < NFUNCS);
  CHECK_EQ_INT(o.status, EBB_TRAP);
  CHECK_EQ_INT(o.trap, EBB_TRAP_COMPILE_FAILED);
  CHECK(ebb_module_host_bytes(mod) <= opts.max_bytes);
  CHECK(strstr(o.message, ebb_trap_message(EBB_TRAP_COMPILE_FAILED)) != NULL);
  printf("lazily: %u functions ran before one could not be compiled: %s\n", ran, o.message);
  ebb_extern_t f0;
  CHECK_EQ_INT(ebb_instance_export(inst, "f0", &f0), 0);
  ebb_val_t arg = {.kind = EBB_I32, .of.i32 = 5}, res;
  CHECK_EQ_INT(ebb_call(t, f0.of.func, &arg, &res, &o), EBB_OK);
  CHECK_EQ_INT((uint32_t)res.of.i32, expected(0, 5));
  ebb_thread_delete(t);
  ebb_store_delete(store);
  ebb_module_delete(mod);
  printf("ok: %u functions compiled on several threads; over budget: %s\n", NFUNCS, many.message);
  free(m.p);
  return 0;
}
