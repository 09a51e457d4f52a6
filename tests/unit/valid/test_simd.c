/*
** test_simd.c -- bad SIMD bodies are refused with the usual "func N @0xOFF:
** <phrase> in <instruction>" message: lane indexes out of range (invalid),
** shuffle bytes of 32 and more (invalid), alignment above natural
** (invalid), unknown 0xFD sub-opcodes and overlong or oversized LEB128
** sub-opcodes (malformed), operand types (invalid).
*/
#include <stdlib.h>
#include <string.h>

#include "base/report.h"
#include "check.h"
#include "decode/module.h"
#include "valid/valid.h"

/* A module with one memory page and one function [] -> [] whose body
** (without its final end) is b[0..n). */
static int check_body(const unsigned char *b, size_t n, ebb_error_t *err) {
  static const unsigned char head[] = {0, 'a', 's', 'm', 1, 0, 0, 0,
                                       1, 4, 1, 0x60, 0, 0, /* type [] -> [] */
                                       3, 2, 1, 0,          /* func 0: type 0 */
                                       5, 3, 1, 0, 1};      /* memory 1 */
  unsigned char mod[256];
  size_t k = sizeof head;
  memcpy(mod, head, k);
  mod[k++] = 10;
  mod[k++] = (unsigned char)(n + 4); /* section: count, size, no locals, body, end */
  mod[k++] = 1;
  mod[k++] = (unsigned char)(n + 2);
  mod[k++] = 0;
  memcpy(mod + k, b, n);
  k += n;
  mod[k++] = 0x0b;
  ebb__module *m = NULL;
  ebb__report_clear(err);
  int rc = ebb__decode(mod, k, &m, err);
  if (!rc) rc = ebb__validate(m, err);
  ebb__module_free(m);
  return rc;
}

#define BODY(...) (const unsigned char[]){__VA_ARGS__}, sizeof((const unsigned char[]){__VA_ARGS__})
#define V0 0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 /* v128.const 0 */
#define DROP 0x1a

static void expect(const unsigned char *b, size_t n, int code, const char *want) {
  ebb_error_t err;
  int rc = check_body(b, n, &err);
  if (rc != code) fprintf(stderr, "got %d (%s), want %d (%s)\n", rc, err.message, code, want);
  CHECK_EQ_INT(rc, code);
  if (want) CHECK_STR_CONTAINS(err.message, want);
  if (code) CHECK_STR_CONTAINS(err.message, "func 0 @0x");
}

int main(void) {
  /* Lanes: the last one of each shape is fine, one more is not. */
  expect(BODY(V0, 0xfd, 0x15, 15, DROP), 0, NULL);
  expect(BODY(V0, 0xfd, 0x15, 16, DROP), EBB_EINVALID, "invalid lane index in i8x16.extract_lane_s");
  expect(BODY(V0, 0xfd, 0x19, 8, DROP), EBB_EINVALID, "invalid lane index in i16x8.extract_lane_u");
  expect(BODY(V0, 0xfd, 0x1b, 3, DROP), 0, NULL);
  expect(BODY(V0, 0xfd, 0x1b, 4, DROP), EBB_EINVALID, "invalid lane index");
  expect(BODY(V0, 0xfd, 0x1d, 2, DROP), EBB_EINVALID, "invalid lane index in i64x2.extract_lane");
  expect(BODY(V0, 0x43, 0, 0, 0, 0, 0xfd, 0x20, 4, DROP), EBB_EINVALID,
         "invalid lane index in f32x4.replace_lane");
  expect(BODY(V0, 0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0xfd, 0x22, 1, DROP), 0, NULL);
  expect(BODY(V0, 0xfd, 0x21, 255, DROP), EBB_EINVALID, "invalid lane index");
  /* Shuffle bytes index two vectors: 31 is the last lane. */
  expect(BODY(V0, V0, 0xfd, 0x0d, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 31, DROP), 0,
         NULL);
  expect(BODY(V0, V0, 0xfd, 0x0d, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 32, DROP),
         EBB_EINVALID, "invalid lane index in i8x16.shuffle");
  expect(BODY(V0, V0, 0xfd, 0x0d, 255, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, DROP),
         EBB_EINVALID, "invalid lane index");
  /* Alignment: at most the bytes accessed (16, 8 for load8x8, n for splats,
  ** zero-loads and lanes). */
  expect(BODY(0x41, 0, 0xfd, 0x00, 4, 0, DROP), 0, NULL);
  expect(BODY(0x41, 0, 0xfd, 0x00, 5, 0, DROP), EBB_EINVALID,
         "alignment must not be larger than natural (16) in v128.load");
  expect(BODY(0x41, 0, 0xfd, 0x01, 3, 0, DROP), 0, NULL);
  expect(BODY(0x41, 0, 0xfd, 0x01, 4, 0, DROP), EBB_EINVALID, "alignment");
  expect(BODY(0x41, 0, 0xfd, 0x07, 1, 0, DROP), EBB_EINVALID, "in v128.load8_splat");
  expect(BODY(0x41, 0, 0xfd, 0x5d, 3, 0, DROP), 0, NULL);
  expect(BODY(0x41, 0, 0xfd, 0x5c, 3, 0, DROP), EBB_EINVALID, "in v128.load32_zero");
  expect(BODY(0x41, 0, V0, 0xfd, 0x0b, 5, 0), EBB_EINVALID, "in v128.store");
  /* load/store_lane: alignment and lane both checked. */
  expect(BODY(0x41, 0, V0, 0xfd, 0x54, 0, 0, 15, DROP), 0, NULL);
  expect(BODY(0x41, 0, V0, 0xfd, 0x54, 1, 0, 0, DROP), EBB_EINVALID, "in v128.load8_lane");
  expect(BODY(0x41, 0, V0, 0xfd, 0x54, 0, 0, 16, DROP), EBB_EINVALID,
         "invalid lane index in v128.load8_lane");
  expect(BODY(0x41, 0, V0, 0xfd, 0x5b, 3, 0, 1), 0, NULL);
  expect(BODY(0x41, 0, V0, 0xfd, 0x5b, 3, 0, 2), EBB_EINVALID,
         "invalid lane index in v128.store64_lane");
  expect(BODY(0x41, 0, V0, 0xfd, 0x5b, 4, 0, 0), EBB_EINVALID, "alignment");
  /* Encodings: unknown sub-opcodes, overlong and oversized LEB128. */
  expect(BODY(0xfd, 0xa2, 0x01), EBB_EMALFORMED, "illegal opcode");
  expect(BODY(0xfd, 0x9a, 0x01), EBB_EMALFORMED, "illegal opcode");
  expect(BODY(0xfd, 0x80, 0x02), EBB_EMALFORMED, "illegal opcode");
  expect(BODY(0xfd, 0x8c, 0x80, 0x80, 0x80, 0x80, 0x00), EBB_EMALFORMED,
         "integer representation too long");
  expect(BODY(0xfd, 0x8c, 0x80, 0x80, 0x80, 0x10), EBB_EMALFORMED, "integer too large");
  expect(BODY(0xfd, 0x8c, 0x80, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, DROP), 0,
         NULL); /* v128.const with a redundant 3-byte sub-opcode */
  expect(BODY(0xfd, 0x0c, 1, 2, 3), EBB_EMALFORMED, NULL); /* v128.const cut short */
  /* Types. */
  expect(BODY(0x41, 0, 0x41, 0, 0xfd, 0xae, 0x01, DROP), EBB_EINVALID,
         "type mismatch in i32x4.add: expected v128, got i32");
  expect(BODY(V0, V0, 0xfd, 0x6b, DROP), EBB_EINVALID, "type mismatch in i8x16.shl");
  expect(BODY(V0, 0xfd, 0x53, 0x45, DROP), 0, NULL); /* any_true gives an i32 */
  return CHECK_DONE();
}
