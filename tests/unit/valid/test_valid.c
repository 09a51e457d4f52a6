/*
** test_valid.c -- the validator on small modules: valid ones (wat_cases.h,
** made with wat2wasm) must pass, invalid ones fail with the spec's phrase;
** hand-built bodies probe hostile input, malformed-versus-invalid, limits and
** allocation failures.
*/
#define _POSIX_C_SOURCE 200809L /* clock_gettime under -std=c11 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/report.h"
#include "check.h"
#include "decode/module.h"
#include "valid/valid.h"
#include "wat_cases.h"

static int run(const unsigned char *bytes, size_t size, ebb_error_t *err) {
  ebb__module *m = NULL;
  ebb__report_clear(err);
  int rc = ebb__decode(bytes, size, &m, err);
  if (!rc) rc = ebb__validate(m, err);
  ebb__module_free(m);
  return rc;
}

static void test_wat_cases(void) {
  for (size_t i = 0; i < sizeof wcases / sizeof wcases[0]; i++) {
    const wcase *c = &wcases[i];
    ebb_error_t err;
    int rc = run(c->bytes, c->size, &err);
    if (rc != c->code) fprintf(stderr, "case %s: %d %s\n", c->name, rc, err.message);
    CHECK_EQ_INT(rc, c->code);
    if (c->want) CHECK_STR_CONTAINS(err.message, c->want);
  }
  /* Body messages name the function and the instruction's file offset. */
  ebb_error_t err;
  run(m_add_mismatch, sizeof m_add_mismatch, &err);
  CHECK_STR_CONTAINS(err.message, "func 0 @0x");
  run(m_mem_big, sizeof m_mem_big, &err);
  CHECK_STR_CONTAINS(err.message, "section 5 (memory)");
}

/* ---- A tiny module builder for hand-made bodies ------------------------ */

typedef struct buf {
  unsigned char *p;
  size_t n, cap;
} buf;

static void put(buf *b, unsigned char x) {
  if (b->n == b->cap) {
    b->cap = b->cap ? 2 * b->cap : 256;
    b->p = realloc(b->p, b->cap);
  }
  b->p[b->n++] = x;
}

static void putn(buf *b, const unsigned char *x, size_t n) {
  for (size_t i = 0; i < n; i++) put(b, x[i]);
}

static void leb(buf *b, uint32_t v) {
  do {
    unsigned char x = v & 0x7f;
    v >>= 7;
    put(b, (unsigned char)(x | (v ? 0x80 : 0)));
  } while (v);
}

static void section(buf *out, unsigned char id, const buf *content) {
  put(out, id);
  leb(out, (uint32_t)content->n);
  putn(out, content->p, content->n);
}

/* A module: types (raw section contents), then one function per body, each
** of type types[i]; `extra` (may be NULL) goes after the code section. */
static buf module(const buf *types, uint32_t nbodies, const buf *bodies, const uint32_t *ftypes,
                  const buf *extra) {
  buf out = {0}, funcs = {0}, code = {0};
  putn(&out, (const unsigned char *)"\0asm\1\0\0\0", 8);
  section(&out, 1, types);
  leb(&funcs, nbodies);
  for (uint32_t i = 0; i < nbodies; i++) leb(&funcs, ftypes[i]);
  section(&out, 3, &funcs);
  leb(&code, nbodies);
  for (uint32_t i = 0; i < nbodies; i++) {
    leb(&code, (uint32_t)bodies[i].n + 1);
    put(&code, 0); /* no locals */
    putn(&code, bodies[i].p, bodies[i].n);
  }
  section(&out, 10, &code);
  if (extra) putn(&out, extra->p, extra->n);
  free(funcs.p);
  free(code.p);
  return out;
}

/* Types section content: [] -> [] */
static buf void_type(void) {
  buf t = {0};
  putn(&t, (const unsigned char *)"\x01\x60\x00\x00", 4);
  return t;
}

static int run_body(const buf *body, ebb_error_t *err) {
  buf t = void_type();
  uint32_t ft = 0;
  buf m = module(&t, 1, body, &ft, NULL);
  int rc = run(m.p, m.n, err);
  free(t.p);
  free(m.p);
  return rc;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_deep_nesting(void) {
  buf b = {0};
  const int depth = 200000;
  for (int i = 0; i < depth; i++) putn(&b, (const unsigned char *)"\x02\x40", 2);
  for (int i = 0; i <= depth; i++) put(&b, 0x0b);
  ebb_error_t err;
  CHECK_EQ_INT(run_body(&b, &err), 0);
  /* One end short: the body runs out first. */
  b.n--;
  b.p[b.n - 1] = 0x0b;
  CHECK_EQ_INT(run_body(&b, &err), EBB_EMALFORMED);
  free(b.p);
}

static void test_huge_br_table(void) {
  /* 200 nested blocks, then br_table with 1M labels cycling through them. */
  buf b = {0};
  const uint32_t labels = 1000000, depth = 200;
  for (uint32_t i = 0; i < depth; i++) putn(&b, (const unsigned char *)"\x02\x40", 2);
  putn(&b, (const unsigned char *)"\x41\x00\x0e", 3);
  leb(&b, labels);
  for (uint32_t i = 0; i < labels; i++) leb(&b, i % depth);
  leb(&b, 0);
  for (uint32_t i = 0; i <= depth; i++) put(&b, 0x0b);
  ebb_error_t err;
  double t0 = now();
  CHECK_EQ_INT(run_body(&b, &err), 0);
  CHECK(now() - t0 < 5.0);
  free(b.p);
}

/* A call to a function of 1000 results, 1100 times: over a million operands
** from a few kilobytes of code. */
static void test_operand_limit(void) {
  buf t = {0}, bodies[2] = {{0}, {0}};
  putn(&t, (const unsigned char *)"\x02\x60\x00", 3);
  leb(&t, 1000);
  for (int i = 0; i < 1000; i++) put(&t, 0x7f);
  putn(&t, (const unsigned char *)"\x60\x00\x00", 3);
  putn(&bodies[0], (const unsigned char *)"\x00\x0b", 2); /* unreachable end */
  for (int i = 0; i < 1100; i++) putn(&bodies[1], (const unsigned char *)"\x10\x00", 2);
  put(&bodies[1], 0x0b);
  uint32_t ft[2] = {0, 1};
  buf m = module(&t, 2, bodies, ft, NULL);
  ebb_error_t err;
  CHECK_EQ_INT(run(m.p, m.n, &err), EBB_ELIMIT);
  free(m.p);
  free(t.p);
  free(bodies[0].p);
  free(bodies[1].p);
}

static void test_hand_made(void) {
  ebb_error_t err;
  buf b = {0};
  /* block with type index 5 (no such type) */
  putn(&b, (const unsigned char *)"\x02\x05\x0b\x0b", 4);
  CHECK_EQ_INT(run_body(&b, &err), EBB_EINVALID);
  CHECK_STR_CONTAINS(err.message, "unknown type 5 in block");
  /* an illegal opcode */
  b.n = 0;
  putn(&b, (const unsigned char *)"\xff\x0b", 2);
  CHECK_EQ_INT(run_body(&b, &err), EBB_EMALFORMED);
  CHECK_STR_CONTAINS(err.message, "illegal opcode");
  /* code after the function's end */
  b.n = 0;
  putn(&b, (const unsigned char *)"\x0b\x01\x0b", 3);
  CHECK_EQ_INT(run_body(&b, &err), EBB_EMALFORMED);
  /* else outside if */
  b.n = 0;
  putn(&b, (const unsigned char *)"\x05\x0b", 2);
  CHECK_EQ_INT(run_body(&b, &err), EBB_EMALFORMED);
  free(b.p);
}

/* Invalid in function 0 but malformed in function 1: the spec decodes
** everything first, so the module is malformed. */
static void test_malformed_wins(void) {
  buf t = void_type(), bodies[2] = {{0}, {0}};
  putn(&bodies[0], (const unsigned char *)"\x6a\x0b", 2);     /* i32.add on nothing */
  putn(&bodies[1], (const unsigned char *)"\xfd\xa2\x01\x0b", 4); /* no such SIMD op */
  uint32_t ft[2] = {0, 0};
  buf m = module(&t, 2, bodies, ft, NULL);
  ebb_error_t err;
  CHECK_EQ_INT(run(m.p, m.n, &err), EBB_EMALFORMED);
  CHECK_STR_CONTAINS(err.message, "func 1");
  free(m.p);
  /* A stray else is malformed too (the binary grammar has else only in if). */
  bodies[1].n = 0;
  putn(&bodies[1], (const unsigned char *)"\x02\x40\x05\x0b\x0b", 5);
  m = module(&t, 2, bodies, ft, NULL);
  CHECK_EQ_INT(run(m.p, m.n, &err), EBB_EMALFORMED);
  CHECK_STR_CONTAINS(err.message, "else without matching if");
  free(m.p);
  /* Without the malformed body, the type mismatch is reported. */
  m = module(&t, 1, bodies, ft, NULL);
  CHECK_EQ_INT(run(m.p, m.n, &err), EBB_EINVALID);
  CHECK_STR_CONTAINS(err.message, "type mismatch in i32.add");
  free(m.p);
  free(t.p);
  free(bodies[0].p);
  free(bodies[1].p);
}

/* data.drop with a data section but no data count section is malformed;
** with neither section it is an unknown data segment. */
static void test_datacount(void) {
  buf t = void_type(), body = {0}, extra = {0};
  putn(&body, (const unsigned char *)"\xfc\x09\x00\x0b", 4);
  putn(&extra, (const unsigned char *)"\x0b\x04\x01\x01\x01\x00", 6); /* passive "\0" */
  uint32_t ft = 0;
  buf m = module(&t, 1, &body, &ft, &extra);
  ebb_error_t err;
  CHECK_EQ_INT(run(m.p, m.n, &err), EBB_EMALFORMED);
  CHECK_STR_CONTAINS(err.message, "data count section required");
  free(m.p);
  m = module(&t, 1, &body, &ft, NULL);
  CHECK_EQ_INT(run(m.p, m.n, &err), EBB_EINVALID);
  CHECK_STR_CONTAINS(err.message, "unknown data segment 0");
  free(m.p);
  free(t.p);
  free(body.p);
  free(extra.p);
}

/* Failing each allocation in turn gives EBB_ENOMEM, never a crash or a leak
** (ASan builds check the latter). */
static void test_alloc_failures(void) {
  const wcase *c = &wcases[0];
  ebb__module *m = NULL;
  ebb_error_t err;
  CHECK_EQ_INT(ebb__decode(c->bytes, c->size, &m, &err), 0);
  int ok = 0;
  for (unsigned long n = 1; n < 50 && !ok; n++) {
    ebb__report_clear(&err);
    ebb__alloc_fail_after(n);
    int rc = ebb__validate(m, &err);
    ebb__alloc_fail_after(0);
    CHECK(rc == 0 || rc == EBB_ENOMEM);
    ok = rc == 0;
  }
  CHECK(ok);
  ebb__module_free(m);
}

int main(void) {
  test_wat_cases();
  test_deep_nesting();
  test_huge_br_table();
  test_operand_limit();
  test_hand_made();
  test_malformed_wins();
  test_datacount();
  test_alloc_failures();
  return CHECK_DONE();
}
