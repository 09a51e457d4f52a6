/*
** test_spectest_value.c -- script values of the spectest runner: parsing
** wast2json's spellings, NaN patterns, references, v128 lanes, and the
** trap-text rule. Pure functions; no runtime needed.
*/
#include "../../../src/cli/json.c"
#include "../../../src/cli/spectest_value.c"

#include "check.h"

#include <math.h>
#include <string.h>

static int value_from(const char *text, bool expected, ebb__spec_value_t *out) {
  ebb__json_t *j;
  char err[200];
  if (ebb__json_parse(text, strlen(text), &j, err, sizeof err))
    return -2;
  int rc = ebb__spec_value_parse(j, expected, out, err, sizeof err);
  ebb__json_free(j);
  return rc;
}

static ebb_val_t f32_bits(uint32_t b) {
  ebb_val_t v = {.kind = EBB_F32};
  memcpy(&v.of.f32, &b, 4);
  return v;
}

static ebb_val_t f64_bits(uint64_t b) {
  ebb_val_t v = {.kind = EBB_F64};
  memcpy(&v.of.f64, &b, 8);
  return v;
}

static void test_u64(void) {
  uint64_t v;
  CHECK(ebb__spec_parse_u64("0", &v) && v == 0);
  CHECK(ebb__spec_parse_u64("18446744073709551615", &v) && v == UINT64_MAX);
  CHECK(!ebb__spec_parse_u64("18446744073709551616", &v));
  CHECK(ebb__spec_parse_u64("-1", &v) && v == UINT64_MAX);
  CHECK(ebb__spec_parse_u64("-9223372036854775808", &v) && v == (uint64_t)1 << 63);
  CHECK(!ebb__spec_parse_u64("-9223372036854775809", &v));
  CHECK(!ebb__spec_parse_u64("", &v));
  CHECK(!ebb__spec_parse_u64("-", &v));
  CHECK(!ebb__spec_parse_u64("12a", &v));
  CHECK(!ebb__spec_parse_u64(" 1", &v));
  CHECK(!ebb__spec_parse_u64(NULL, &v));
}

static void test_integers(void) {
  ebb__spec_value_t v;
  CHECK(value_from("{\"type\": \"i32\", \"value\": \"4294967295\"}", false, &v) == 0);
  CHECK(v.val.kind == EBB_I32 && v.val.of.i32 == -1);
  CHECK(value_from("{\"type\": \"i32\", \"value\": \"4294967296\"}", false, &v) == -1);
  CHECK(value_from("{\"type\": \"i32\", \"value\": \"-2147483648\"}", false, &v) == 0);
  CHECK(v.val.of.i32 == INT32_MIN);
  CHECK(value_from("{\"type\": \"i32\", \"value\": \"-2147483649\"}", false, &v) == -1);
  CHECK(value_from("{\"type\": \"i64\", \"value\": \"9223372036854775808\"}", false, &v) == 0);
  CHECK(v.val.kind == EBB_I64 && v.val.of.i64 == INT64_MIN);
  CHECK(value_from("{\"type\": \"i32\"}", false, &v) == -1);
  CHECK(value_from("{\"type\": \"i32\", \"value\": 5}", false, &v) == -1);
  CHECK(value_from("{\"value\": \"5\"}", false, &v) == -1);
  CHECK(value_from("{\"type\": \"i128\", \"value\": \"5\"}", false, &v) == -1);
  CHECK(value_from("[]", false, &v) == -1);

  ebb_val_t got = {.kind = EBB_I32, .of.i32 = -1};
  CHECK(value_from("{\"type\": \"i32\", \"value\": \"4294967295\"}", true, &v) == 0);
  CHECK(ebb__spec_value_matches(&v, &got));
  got.of.i32 = 1;
  CHECK(!ebb__spec_value_matches(&v, &got));
  got.kind = EBB_I64;
  got.of.i64 = -1;
  CHECK(!ebb__spec_value_matches(&v, &got)); /* kind matters */
}

static void test_floats(void) {
  ebb__spec_value_t v;
  /* 1.5f is 0x3fc00000 = 1069547520. */
  CHECK(value_from("{\"type\": \"f32\", \"value\": \"1069547520\"}", false, &v) == 0);
  CHECK(v.val.kind == EBB_F32 && v.val.of.f32 == 1.5f);
  ebb_val_t got = f32_bits(0x3fc00000);
  CHECK(ebb__spec_value_matches(&v, &got));
  got = f32_bits(0xbfc00000);
  CHECK(!ebb__spec_value_matches(&v, &got));

  /* -0.0 and +0.0 differ by bits. */
  CHECK(value_from("{\"type\": \"f64\", \"value\": \"9223372036854775808\"}", true, &v) == 0);
  got = f64_bits(0);
  CHECK(!ebb__spec_value_matches(&v, &got));
  got = f64_bits((uint64_t)1 << 63);
  CHECK(ebb__spec_value_matches(&v, &got));

  /* A specific NaN payload must match exactly. */
  CHECK(value_from("{\"type\": \"f32\", \"value\": \"2141192192\"}", true, &v) == 0); /* 0x7fa00000 */
  got = f32_bits(0x7fa00000);
  CHECK(ebb__spec_value_matches(&v, &got));
  got = f32_bits(0x7fc00000);
  CHECK(!ebb__spec_value_matches(&v, &got));

  CHECK(value_from("{\"type\": \"f32\", \"value\": \"nan:canonical\"}", false, &v) == -1);
  CHECK(value_from("{\"type\": \"f32\", \"value\": \"nan:canonical\"}", true, &v) == 0);
  got = f32_bits(0x7fc00000);
  CHECK(ebb__spec_value_matches(&v, &got));
  got = f32_bits(0xffc00000);
  CHECK(ebb__spec_value_matches(&v, &got));
  got = f32_bits(0x7fc00001);
  CHECK(!ebb__spec_value_matches(&v, &got));
  got = f32_bits(0x7f800000); /* infinity */
  CHECK(!ebb__spec_value_matches(&v, &got));

  CHECK(value_from("{\"type\": \"f32\", \"value\": \"nan:arithmetic\"}", true, &v) == 0);
  got = f32_bits(0x7fc00001);
  CHECK(ebb__spec_value_matches(&v, &got));
  got = f32_bits(0xffffffff);
  CHECK(ebb__spec_value_matches(&v, &got));
  got = f32_bits(0x7fa00000); /* signalling */
  CHECK(!ebb__spec_value_matches(&v, &got));

  CHECK(value_from("{\"type\": \"f64\", \"value\": \"nan:canonical\"}", true, &v) == 0);
  got = f64_bits(0x7ff8000000000000);
  CHECK(ebb__spec_value_matches(&v, &got));
  got = f64_bits(0xfff8000000000000);
  CHECK(ebb__spec_value_matches(&v, &got));
  got = f64_bits(0x7ff8000000000001);
  CHECK(!ebb__spec_value_matches(&v, &got));
  CHECK(value_from("{\"type\": \"f64\", \"value\": \"nan:arithmetic\"}", true, &v) == 0);
  CHECK(ebb__spec_value_matches(&v, &got));
  got = f64_bits(0x7ff4000000000000);
  CHECK(!ebb__spec_value_matches(&v, &got));
  got = f32_bits(0x7fc00000);
  CHECK(!ebb__spec_value_matches(&v, &got)); /* f32 is not f64 */
}

static void test_refs(void) {
  ebb__spec_value_t v;
  CHECK(value_from("{\"type\": \"externref\", \"value\": \"0\"}", false, &v) == 0);
  CHECK(v.val.kind == EBB_EXTERNREF && v.val.of.ref == ebb__spec_externref(0));
  CHECK(v.val.of.ref != NULL);
  uint64_t n = 99;
  CHECK(ebb__spec_externref_number(v.val.of.ref, &n) && n == 0);
  CHECK(!ebb__spec_externref_number(NULL, &n));
  ebb_val_t got = {.kind = EBB_EXTERNREF, .of.ref = ebb__spec_externref(0)};
  CHECK(ebb__spec_value_matches(&v, &got));
  got.of.ref = ebb__spec_externref(1);
  CHECK(!ebb__spec_value_matches(&v, &got));
  got.of.ref = NULL;
  CHECK(!ebb__spec_value_matches(&v, &got));
  CHECK(value_from("{\"type\": \"externref\", \"value\": \"null\"}", true, &v) == 0);
  CHECK(ebb__spec_value_matches(&v, &got));
  CHECK(value_from("{\"type\": \"externref\", \"value\": \"-1\"}", true, &v) == -1);
  CHECK(value_from("{\"type\": \"externref\"}", true, &v) == -1);

  CHECK(value_from("{\"type\": \"funcref\", \"value\": \"null\"}", false, &v) == 0);
  got.kind = EBB_FUNCREF;
  got.of.func = NULL;
  CHECK(ebb__spec_value_matches(&v, &got));
  got.of.func = (ebb_func_t *)&v;
  CHECK(!ebb__spec_value_matches(&v, &got));
  CHECK(value_from("{\"type\": \"funcref\", \"value\": \"3\"}", false, &v) == -1);
  CHECK(value_from("{\"type\": \"funcref\", \"value\": \"3\"}", true, &v) == 0);
  CHECK(ebb__spec_value_matches(&v, &got));
  got.of.func = NULL;
  CHECK(!ebb__spec_value_matches(&v, &got));
  got.kind = EBB_EXTERNREF;
  got.of.ref = ebb__spec_externref(3);
  CHECK(!ebb__spec_value_matches(&v, &got));
}

static void test_v128(void) {
  ebb__spec_value_t v;
  CHECK(value_from("{\"type\": \"v128\", \"lane_type\": \"i16\", \"value\": [\"0\", \"1\", "
                    "\"65535\", \"3\", \"4\", \"5\", \"6\", \"-1\"]}",
                    false, &v) == 0);
  CHECK(v.val.kind == EBB_V128 && v.lane_bits == 16);
  CHECK(v.val.of.v128[2] == 1 && v.val.of.v128[3] == 0);
  CHECK(v.val.of.v128[4] == 0xff && v.val.of.v128[5] == 0xff);
  CHECK(v.val.of.v128[14] == 0xff && v.val.of.v128[15] == 0xff);
  CHECK(value_from("{\"type\": \"v128\", \"lane_type\": \"i16\", \"value\": [\"0\"]}", false,
                    &v) == -1);
  CHECK(value_from("{\"type\": \"v128\", \"lane_type\": \"i8\", \"value\": [\"256\", \"0\", "
                    "\"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", "
                    "\"0\", \"0\", \"0\", \"0\"]}",
                    false, &v) == -1);
  CHECK(value_from("{\"type\": \"v128\", \"value\": [\"0\", \"0\", \"0\", \"0\"]}", false, &v) ==
        -1);
  CHECK(value_from("{\"type\": \"v128\", \"lane_type\": \"i32\", \"value\": \"0\"}", false,
                    &v) == -1);

  CHECK(value_from("{\"type\": \"v128\", \"lane_type\": \"f32\", \"value\": "
                    "[\"nan:canonical\", \"nan:arithmetic\", \"1069547520\", \"0\"]}",
                    true, &v) == 0);
  ebb_val_t got = {.kind = EBB_V128};
  uint32_t lanes[4] = {0xffc00000, 0x7fc00005, 0x3fc00000, 0};
  memcpy(got.of.v128, lanes, 16); /* the test hosts are little-endian */
  CHECK(ebb__spec_value_matches(&v, &got));
  lanes[3] = 0x80000000;
  memcpy(got.of.v128, lanes, 16);
  CHECK(!ebb__spec_value_matches(&v, &got));
  lanes[3] = 0;
  lanes[1] = 0x7f800001;
  memcpy(got.of.v128, lanes, 16);
  CHECK(!ebb__spec_value_matches(&v, &got));

  char buf[200];
  ebb__spec_expected_format(&v, buf, sizeof buf);
  CHECK_STR_CONTAINS(buf, "v128:f32x4[nan:canonical nan:arithmetic 0x3fc00000 0x00000000]");
  ebb__spec_value_format(&got, &v, buf, sizeof buf);
  CHECK_STR_CONTAINS(buf, "v128:f32x4[0xffc00000 0x7f800001");
  char tiny[10];
  ebb__spec_value_format(&got, &v, tiny, sizeof tiny);
  CHECK(strlen(tiny) < sizeof tiny);
}

static void test_format(void) {
  char buf[100];
  ebb_val_t v = {.kind = EBB_I32, .of.i32 = -7};
  ebb__spec_value_format(&v, NULL, buf, sizeof buf);
  CHECK(!strcmp(buf, "i32:-7"));
  v = f32_bits(0x3fc00000);
  ebb__spec_value_format(&v, NULL, buf, sizeof buf);
  CHECK(!strcmp(buf, "f32:1.5(0x3fc00000)"));
  v.kind = EBB_EXTERNREF;
  v.of.ref = ebb__spec_externref(7);
  ebb__spec_value_format(&v, NULL, buf, sizeof buf);
  CHECK(!strcmp(buf, "externref:7"));
  v.of.ref = NULL;
  ebb__spec_value_format(&v, NULL, buf, sizeof buf);
  CHECK(!strcmp(buf, "externref:null"));
  ebb__spec_value_t e;
  CHECK(value_from("{\"type\": \"f64\", \"value\": \"nan:arithmetic\"}", true, &e) == 0);
  ebb__spec_expected_format(&e, buf, sizeof buf);
  CHECK(!strcmp(buf, "f64:nan:arithmetic"));
}

static void test_trap_text(void) {
  CHECK(ebb__spec_trap_text_matches("integer divide by zero", "integer divide by zero"));
  CHECK(ebb__spec_trap_text_matches("uninitialized element 2", "uninitialized element"));
  CHECK(ebb__spec_trap_text_matches("unreachable", "unreachable executed"));
  CHECK(!ebb__spec_trap_text_matches("integer overflow", "integer divide by zero"));
  CHECK(!ebb__spec_trap_text_matches("undefined element", "uninitialized element"));
  CHECK(!ebb__spec_trap_text_matches("unreachable", ""));
  CHECK(!ebb__spec_trap_text_matches(NULL, "x"));
}

int main(void) {
  test_u64();
  test_integers();
  test_floats();
  test_refs();
  test_v128();
  test_format();
  test_trap_text();
  return CHECK_DONE();
}
