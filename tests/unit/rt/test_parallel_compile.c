/*
** test_parallel_compile.c -- a module compiled on several threads
** (rt/module.c, compile_all) is the module compiled on one: every function
** computes what it should; a module over its byte budget fails the same
** way; under ThreadSanitizer, no race.
** The module is made here: N functions, function k returning
** ((x + k) * 3) ^ k through a loop of k % 7 + 1 turns, so that bodies
** differ in length and batches finish out of order.
*/
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ebb.h"
#include "rt/rt.h"

typedef struct buf {
  unsigned char *p;
  size_t len, cap;
} buf;

static void put(buf *b, unsigned char c) {
  if (b->len == b->cap) {
    b->cap = b->cap ? b->cap * 2 : 256;
    b->p = realloc(b->p, b->cap);
    if (!b->p) abort();
  }
  b->p[b->len++] = c;
}

static void uleb(buf *b, uint32_t v) {
  do {
    unsigned char c = v & 0x7f;
    v >>= 7;
    put(b, (unsigned char)(c | (v ? 0x80 : 0)));
  } while (v);
}

static void sleb(buf *b, int32_t v) {
  for (;;) {
    unsigned char c = v & 0x7f;
    v >>= 7;
    if ((v == 0 && !(c & 0x40)) || (v == -1 && (c & 0x40))) {
      put(b, c);
      return;
    }
    put(b, c | 0x80);
  }
}

static void section(buf *out, unsigned char id, const buf *body) {
  put(out, id);
  uleb(out, (uint32_t)body->len);
  for (size_t i = 0; i < body->len; i++) put(out, body->p[i]);
}

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
  uleb(code, (uint32_t)f.len);
  for (size_t i = 0; i < f.len; i++) put(code, f.p[i]);
  free(f.p);
}

static buf make_module(uint32_t n) {
  buf m = {0}, s = {0};
  static const unsigned char head[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  for (size_t i = 0; i < sizeof head; i++) put(&m, head[i]);
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

int main(void) {
  buf m = make_module(NFUNCS);
  ebb__parallel_compile_bytes = 0; /* every module on several threads */

  ebb_module_t *mod;
  ebb_error_t err = {0, ""};
  CHECK_EQ_INT(ebb_module_new(m.p, m.len, &mod, &err), 0);
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
  uint64_t parallel_bytes = ebb_module_host_bytes(mod);
  ebb_thread_delete(t);
  ebb_store_delete(store);
  ebb_module_delete(mod);

  /* One thread makes what several do. */
  ebb__parallel_compile_bytes = SIZE_MAX;
  CHECK_EQ_INT(ebb_module_new(m.p, m.len, &mod, &err), 0);
  /* As much, but for the allocator's rounding in other threads' arenas. */
  uint64_t one_bytes = ebb_module_host_bytes(mod);
  uint64_t diff = one_bytes > parallel_bytes ? one_bytes - parallel_bytes : parallel_bytes - one_bytes;
  CHECK(diff <= one_bytes / 100);
  ebb_module_delete(mod);

  /* Over budget (decoding and validation fit, the code does not): the
  ** same error either way. */
  ebb_module_options_t opts = {0};
  opts.max_bytes = parallel_bytes - parallel_bytes / 3;
  ebb_error_t one = {0, ""}, many = {0, ""};
  int rc1 = ebb_module_new_ex(m.p, m.len, &opts, &mod, &one);
  ebb__parallel_compile_bytes = 0;
  int rcn = ebb_module_new_ex(m.p, m.len, &opts, &mod, &many);
  CHECK_EQ_INT(rc1, EBB_ELIMIT);
  CHECK_EQ_INT(rcn, EBB_ELIMIT);
  CHECK(strcmp(one.message, many.message) == 0);
  printf("ok: %u functions compiled on several threads; over budget: %s\n", NFUNCS, many.message);
  free(m.p);
  return 0;
}
