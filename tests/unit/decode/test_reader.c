/*
** test_reader.c -- the LEB128 rules of spec 5.2.2 as reader.h implements
** them: size limits, unused bits, sign extension, truncation.
*/
#include "check.h"
#include "decode/reader.h"

#define R(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})

static ebb__reader rd(const uint8_t *b, size_t n) {
  ebb__reader r;
  ebb__reader_init(&r, b, b, b + n);
  return r;
}

/* Reads an unsigned of `bits`; returns the value or -1 with *why set. */
static long long uleb(unsigned bits, const uint8_t *b, size_t n, const char **why, size_t *used) {
  ebb__reader r = rd(b, n);
  uint64_t v;
  *why = NULL;
  if (ebb__read_uleb(&r, bits, &v)) {
    *why = r.why;
    CHECK(r.p == b); /* the cursor stays at the bad item */
    return -1;
  }
  *used = (size_t)(r.p - b);
  return (long long)v;
}

static long long sleb(unsigned bits, const uint8_t *b, size_t n, const char **why) {
  ebb__reader r = rd(b, n);
  int64_t v;
  *why = NULL;
  if (ebb__read_sleb(&r, bits, &v)) {
    *why = r.why;
    return -1;
  }
  CHECK(r.p == b + n); /* all test inputs are exactly one number */
  return v;
}

static void test_unsigned(void) {
  const char *why;
  size_t used;
  CHECK_EQ_INT(uleb(32, R(0x00), &why, &used), 0);
  CHECK_EQ_INT(uleb(32, R(0x7f), &why, &used), 127);
  CHECK_EQ_INT(uleb(32, R(0x80, 0x01), &why, &used), 128);
  CHECK_EQ_INT(used, 2);
  /* Non-minimal encodings are allowed within the size bound. */
  CHECK_EQ_INT(uleb(32, R(0x80, 0x80, 0x80, 0x80, 0x00), &why, &used), 0);
  CHECK_EQ_INT(uleb(32, R(0xff, 0xff, 0xff, 0xff, 0x0f), &why, &used), 0xffffffffLL);
  /* Five bytes max for u32; a sixth is "too long". */
  CHECK_EQ_INT(uleb(32, R(0x80, 0x80, 0x80, 0x80, 0x80, 0x00), &why, &used), -1);
  CHECK_STR_CONTAINS(why, "integer representation too long");
  /* Unused bits of the last byte must be zero. */
  CHECK_EQ_INT(uleb(32, R(0xff, 0xff, 0xff, 0xff, 0x1f), &why, &used), -1);
  CHECK_STR_CONTAINS(why, "integer too large");
  CHECK_EQ_INT(uleb(32, R(0x80, 0x80, 0x80, 0x80, 0x70), &why, &used), -1);
  CHECK_STR_CONTAINS(why, "integer too large");
  /* Both faults in the last byte: "too large" wins, as in the reference. */
  CHECK_EQ_INT(uleb(32, R(0x80, 0x80, 0x80, 0x80, 0x90, 0x00), &why, &used), -1);
  CHECK_STR_CONTAINS(why, "integer too large");
  CHECK_EQ_INT(uleb(32, R(0x80, 0x80, 0x80, 0x80, 0x8f, 0x00), &why, &used), -1);
  CHECK_STR_CONTAINS(why, "integer representation too long");
  /* Truncated. */
  CHECK_EQ_INT(uleb(32, R(0x80, 0x80), &why, &used), -1);
  CHECK_STR_CONTAINS(why, "unexpected end");
  CHECK_EQ_INT(uleb(32, (const uint8_t *)"", 0, &why, &used), -1);
  CHECK_STR_CONTAINS(why, "unexpected end");

  /* u64: ten bytes, the last carrying one bit. */
  CHECK_EQ_INT(uleb(64, R(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), &why, &used),
               -1LL); /* 0xffff...ff as long long; no error */
  CHECK(why == NULL);
  CHECK_EQ_INT(uleb(64, R(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02), &why, &used), -1);
  CHECK_STR_CONTAINS(why, "integer too large");
  CHECK_EQ_INT(uleb(64, R(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00), &why, &used), -1);
  CHECK_STR_CONTAINS(why, "integer representation too long");

  /* u32 wrappers. */
  ebb__reader r = rd(R(0xe5, 0x8e, 0x26));
  uint32_t v32 = 0;
  CHECK_EQ_INT(ebb__read_u32(&r, &v32), 0);
  CHECK_EQ_INT(v32, 624485);
}

static void test_signed(void) {
  const char *why;
  CHECK_EQ_INT(sleb(32, R(0x00), &why), 0);
  CHECK_EQ_INT(sleb(32, R(0x7f), &why), -1);
  CHECK_EQ_INT(sleb(32, R(0x40), &why), -64);
  CHECK_EQ_INT(sleb(32, R(0x3f), &why), 63);
  CHECK_EQ_INT(sleb(32, R(0xc0, 0x00), &why), 64);
  CHECK_EQ_INT(sleb(32, R(0xc0, 0xbb, 0x78), &why), -123456);
  /* Extremes of s32. */
  CHECK_EQ_INT(sleb(32, R(0xff, 0xff, 0xff, 0xff, 0x07), &why), 2147483647LL);
  CHECK_EQ_INT(sleb(32, R(0x80, 0x80, 0x80, 0x80, 0x78), &why), -2147483648LL);
  /* Unused bits must be the sign extension. */
  CHECK_EQ_INT(sleb(32, R(0xff, 0xff, 0xff, 0xff, 0x0f), &why), -1);
  CHECK_STR_CONTAINS(why, "integer too large");
  CHECK_EQ_INT(sleb(32, R(0x80, 0x80, 0x80, 0x80, 0x70), &why), -1);
  CHECK_STR_CONTAINS(why, "integer too large");
  CHECK_EQ_INT(sleb(32, R(0xff, 0xff, 0xff, 0xff, 0x7f), &why), -1); /* -1 over 5 bytes: fine */
  CHECK(why == NULL);
  CHECK_EQ_INT(sleb(32, R(0x80, 0x80, 0x80, 0x80, 0x80, 0x00), &why), -1);
  CHECK_STR_CONTAINS(why, "integer representation too long");
  CHECK_EQ_INT(sleb(32, R(0x80, 0x80, 0x80, 0x80, 0xf0, 0x7f), &why), -1);
  CHECK_STR_CONTAINS(why, "integer too large");
  CHECK_EQ_INT(sleb(32, R(0x80, 0x80, 0x80, 0x80, 0xf8, 0x7f), &why), -1);
  CHECK_STR_CONTAINS(why, "integer representation too long");
  CHECK_EQ_INT(sleb(32, R(0x80), &why), -1);
  CHECK_STR_CONTAINS(why, "unexpected end");

  /* s33 (block types): 5 bytes, 5 payload bits in the last. */
  CHECK_EQ_INT(sleb(33, R(0xff, 0xff, 0xff, 0xff, 0x0f), &why), 0xffffffffLL);
  CHECK_EQ_INT(sleb(33, R(0x80, 0x80, 0x80, 0x80, 0x70), &why), -4294967296LL);
  CHECK_EQ_INT(sleb(33, R(0xff, 0xff, 0xff, 0xff, 0x1f), &why), -1);
  CHECK_STR_CONTAINS(why, "integer too large");
  CHECK_EQ_INT(sleb(33, R(0x80, 0x80, 0x80, 0x80, 0x60), &why), -1);
  CHECK_STR_CONTAINS(why, "integer too large");

  /* s64 extremes and the one-bit last byte. */
  CHECK_EQ_INT(sleb(64, R(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00), &why),
               9223372036854775807LL);
  CHECK_EQ_INT(sleb(64, R(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f), &why),
               (long long)(-9223372036854775807LL - 1));
  CHECK_EQ_INT(sleb(64, R(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), &why), -1);
  CHECK_STR_CONTAINS(why, "integer too large");
  CHECK_EQ_INT(sleb(64, R(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00), &why), -1);
  CHECK_STR_CONTAINS(why, "integer representation too long");
}

static void test_fixed(void) {
  ebb__reader r = rd(R(0x00, 0x00, 0x80, 0x3f, 1, 2, 3, 4, 5, 6, 7));
  uint32_t f;
  uint64_t g;
  CHECK_EQ_INT(ebb__read_f32(&r, &f), 0);
  CHECK_EQ_INT(f, 0x3f800000);
  CHECK_EQ_INT(ebb__read_f64(&r, &g), -1); /* 7 bytes left */
  CHECK_STR_CONTAINS(r.why, "unexpected end");
  const uint8_t *b;
  CHECK_EQ_INT(ebb__read_bytes(&r, 7, &b), 0);
  CHECK(ebb__reader_eof(&r));
  CHECK_EQ_INT(ebb__reader_offset(&r), 11);
}

int main(void) {
  test_unsigned();
  test_signed();
  test_fixed();
  return CHECK_DONE();
}
