/*
** spectest_value.c -- values as wast2json writes them, and how results are
** compared against them. Integers are unsigned decimal strings; floats are
** their bit patterns as unsigned decimals, or the patterns "nan:canonical"
** and "nan:arithmetic" (the spec interpreter's script format: a canonical
** NaN has only the quiet bit in its payload, an arithmetic NaN at least it);
** references are "null" or a number; a v128 is a "lane_type" and an array of
** lanes, each written like the scalar of that type.
*/
#include "spectest.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

bool ebb__spec_parse_u64(const char *s, uint64_t *out) {
  if (!s)
    return false;
  bool neg = false;
  if (*s == '-') {
    neg = true;
    s++;
  }
  if (*s < '0' || *s > '9')
    return false;
  uint64_t v = 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9')
      return false;
    unsigned d = (unsigned)(*s - '0');
    if (v > (UINT64_MAX - d) / 10)
      return false;
    v = v * 10 + d;
  }
  if (neg) {
    if (v > (uint64_t)1 << 63)
      return false;
    v = (uint64_t)0 - v;
  }
  *out = v;
  return true;
}

/* Whether a parsed integer fits `bits` bits, as unsigned or as signed. */
static bool fits(uint64_t v, const char *text, unsigned bits) {
  if (bits == 64)
    return true;
  if (text[0] == '-') {
    int64_t s = (int64_t)v;
    return s >= -((int64_t)1 << (bits - 1));
  }
  return v <= (((uint64_t)1 << bits) - 1);
}

static void set_err(char *err, size_t size, const char *msg, const char *detail) {
  if (err && size)
    snprintf(err, size, "%s%s%s", msg, detail ? ": " : "", detail ? detail : "");
}

/* Parses one scalar lane or value of `bits` bits, integer or float. */
static int parse_scalar(const char *text, unsigned bits, bool is_float, bool expected,
                        uint64_t *bits_out, ebb__spec_match_t *match, char *err,
                        size_t err_size) {
  *match = EBB__SPEC_EXACT;
  *bits_out = 0;
  if (!text) {
    set_err(err, err_size, "value is missing or not a string", NULL);
    return -1;
  }
  if (is_float && (!strcmp(text, "nan:canonical") || !strcmp(text, "nan:arithmetic"))) {
    if (!expected) {
      set_err(err, err_size, "NaN pattern as an argument", text);
      return -1;
    }
    *match = text[4] == 'c' ? EBB__SPEC_NAN_CANONICAL : EBB__SPEC_NAN_ARITHMETIC;
    return 0;
  }
  uint64_t v;
  if (!ebb__spec_parse_u64(text, &v) || !fits(v, text, bits)) {
    set_err(err, err_size, "bad number", text);
    return -1;
  }
  if (bits < 64)
    v &= ((uint64_t)1 << bits) - 1;
  *bits_out = v;
  return 0;
}

static int parse_v128(const ebb__json_t *j, bool expected, ebb__spec_value_t *out, char *err,
                      size_t err_size) {
  const char *lane = ebb__json_get_string(j, "lane_type", NULL);
  unsigned bits;
  bool is_float = false;
  if (!lane) {
    set_err(err, err_size, "v128 value without lane_type", NULL);
    return -1;
  } else if (!strcmp(lane, "i8")) {
    bits = 8;
  } else if (!strcmp(lane, "i16")) {
    bits = 16;
  } else if (!strcmp(lane, "i32")) {
    bits = 32;
  } else if (!strcmp(lane, "i64")) {
    bits = 64;
  } else if (!strcmp(lane, "f32")) {
    bits = 32;
    is_float = true;
  } else if (!strcmp(lane, "f64")) {
    bits = 64;
    is_float = true;
  } else {
    set_err(err, err_size, "unknown lane_type", lane);
    return -1;
  }
  const ebb__json_t *lanes = ebb__json_get(j, "value");
  size_t n = 128 / bits;
  if (!lanes || lanes->type != EBB__JSON_ARRAY || ebb__json_array_len(lanes) != n) {
    set_err(err, err_size, "v128 value needs an array of lanes", lane);
    return -1;
  }
  out->lane_bits = (uint8_t)bits;
  out->lane_float = is_float;
  for (size_t i = 0; i < n; i++) {
    const ebb__json_t *l = ebb__json_array_at(lanes, i);
    const char *text = l && l->type == EBB__JSON_STRING ? l->u.string.data : NULL;
    uint64_t v;
    if (parse_scalar(text, bits, is_float, expected, &v, &out->match[i], err, err_size))
      return -1;
    for (unsigned b = 0; b < bits / 8; b++) /* little-endian lanes */
      out->val.of.v128[i * (bits / 8) + b] = (uint8_t)(v >> (8 * b));
  }
  return 0;
}

int ebb__spec_value_parse(const ebb__json_t *j, bool expected, ebb__spec_value_t *out,
                          char *err, size_t err_size) {
  memset(out, 0, sizeof *out);
  const char *type = ebb__json_get_string(j, "type", NULL);
  const char *text = ebb__json_get_string(j, "value", NULL);
  uint64_t v;
  if (!type) {
    set_err(err, err_size, "value without a type", NULL);
    return -1;
  }
  if (!strcmp(type, "i32") || !strcmp(type, "i64")) {
    bool is32 = type[1] == '3';
    out->val.kind = is32 ? EBB_I32 : EBB_I64;
    if (parse_scalar(text, is32 ? 32 : 64, false, expected, &v, &out->match[0], err, err_size))
      return -1;
    if (is32)
      out->val.of.i32 = (int32_t)(uint32_t)v;
    else
      out->val.of.i64 = (int64_t)v;
    return 0;
  }
  if (!strcmp(type, "f32") || !strcmp(type, "f64")) {
    bool is32 = type[1] == '3';
    out->val.kind = is32 ? EBB_F32 : EBB_F64;
    if (parse_scalar(text, is32 ? 32 : 64, true, expected, &v, &out->match[0], err, err_size))
      return -1;
    if (is32) {
      uint32_t b = (uint32_t)v;
      memcpy(&out->val.of.f32, &b, sizeof b);
    } else {
      memcpy(&out->val.of.f64, &v, sizeof v);
    }
    return 0;
  }
  if (!strcmp(type, "funcref") || !strcmp(type, "externref")) {
    bool func = type[0] == 'f';
    out->val.kind = func ? EBB_FUNCREF : EBB_EXTERNREF;
    if (text && !strcmp(text, "null"))
      return 0; /* the null reference: all bits zero */
    if (func) {
      /* A script cannot name a function; it only expects "some function". */
      if (!expected) {
        set_err(err, err_size, "a non-null funcref argument cannot be expressed", NULL);
        return -1;
      }
      out->match[0] = EBB__SPEC_NONNULL;
      return 0;
    }
    if (!text || !ebb__spec_parse_u64(text, &v) || text[0] == '-' || v >= UINTPTR_MAX) {
      set_err(err, err_size, "bad externref", text ? text : "(missing)");
      return -1;
    }
    out->val.of.ref = ebb__spec_externref(v);
    return 0;
  }
  if (!strcmp(type, "v128")) {
    out->val.kind = EBB_V128;
    return parse_v128(j, expected, out, err, err_size);
  }
  set_err(err, err_size, "unknown value type", type);
  return -1;
}

static bool float_matches(uint64_t bits, unsigned width, ebb__spec_match_t m, uint64_t want) {
  uint64_t sign = (uint64_t)1 << (width - 1);
  uint64_t quiet = width == 32 ? 0x00400000u : (uint64_t)1 << 51;
  uint64_t exp = width == 32 ? 0x7f800000u : (uint64_t)0x7ff << 52;
  switch (m) {
  case EBB__SPEC_NAN_CANONICAL:
    return (bits & ~sign) == (exp | quiet);
  case EBB__SPEC_NAN_ARITHMETIC:
    return (bits & (exp | quiet)) == (exp | quiet);
  default:
    return bits == want;
  }
}

static uint64_t lane_bits_at(const uint8_t *v, unsigned bits, size_t i) {
  uint64_t x = 0;
  for (unsigned b = 0; b < bits / 8; b++)
    x |= (uint64_t)v[i * (bits / 8) + b] << (8 * b);
  return x;
}

bool ebb__spec_value_matches(const ebb__spec_value_t *e, const ebb_val_t *got) {
  if (got->kind != e->val.kind)
    return false;
  switch (e->val.kind) {
  case EBB_I32:
    return got->of.i32 == e->val.of.i32;
  case EBB_I64:
    return got->of.i64 == e->val.of.i64;
  case EBB_F32: {
    uint32_t g, w;
    memcpy(&g, &got->of.f32, 4);
    memcpy(&w, &e->val.of.f32, 4);
    return float_matches(g, 32, e->match[0], w);
  }
  case EBB_F64: {
    uint64_t g, w;
    memcpy(&g, &got->of.f64, 8);
    memcpy(&w, &e->val.of.f64, 8);
    return float_matches(g, 64, e->match[0], w);
  }
  case EBB_FUNCREF:
    return e->match[0] == EBB__SPEC_NONNULL ? got->of.func != NULL : got->of.func == NULL;
  case EBB_EXTERNREF:
    return e->match[0] == EBB__SPEC_NONNULL ? got->of.ref != NULL : got->of.ref == e->val.of.ref;
  case EBB_V128: {
    unsigned bits = e->lane_bits ? e->lane_bits : 8;
    for (size_t i = 0; i < 128 / bits; i++) {
      uint64_t g = lane_bits_at(got->of.v128, bits, i);
      uint64_t w = lane_bits_at(e->val.of.v128, bits, i);
      if (e->lane_float ? !float_matches(g, bits, e->match[i], w) : g != w)
        return false;
    }
    return true;
  }
  }
  return false;
}

void *ebb__spec_externref(uint64_t n) { return (void *)(uintptr_t)(n + 1); }

bool ebb__spec_externref_number(const void *ref, uint64_t *n) {
  if (!ref)
    return false;
  *n = (uint64_t)((uintptr_t)ref - 1);
  return true;
}

static const char *kind_name(ebb_valkind_t k) {
  switch (k) {
  case EBB_I32: return "i32";
  case EBB_I64: return "i64";
  case EBB_F32: return "f32";
  case EBB_F64: return "f64";
  case EBB_V128: return "v128";
  case EBB_FUNCREF: return "funcref";
  case EBB_EXTERNREF: return "externref";
  }
  return "?";
}

static const char *match_name(ebb__spec_match_t m) {
  return m == EBB__SPEC_NAN_CANONICAL ? "nan:canonical" : "nan:arithmetic";
}

/* Formats one value; `e` (may be NULL) supplies the v128 lane shape, and
** its patterns when `patterns` is set. */
static void format(const ebb_val_t *v, const ebb__spec_value_t *e, bool patterns, char *buf,
                   size_t size) {
  if (!size)
    return;
  buf[0] = '\0';
  ebb__spec_match_t m = e && patterns ? e->match[0] : EBB__SPEC_EXACT;
  switch (v->kind) {
  case EBB_I32:
    snprintf(buf, size, "i32:%" PRId32, v->of.i32);
    return;
  case EBB_I64:
    snprintf(buf, size, "i64:%" PRId64, v->of.i64);
    return;
  case EBB_F32: {
    uint32_t b;
    memcpy(&b, &v->of.f32, 4);
    if (m == EBB__SPEC_NAN_CANONICAL || m == EBB__SPEC_NAN_ARITHMETIC)
      snprintf(buf, size, "f32:%s", match_name(m));
    else
      snprintf(buf, size, "f32:%.9g(0x%08" PRIx32 ")", (double)v->of.f32, b);
    return;
  }
  case EBB_F64: {
    uint64_t b;
    memcpy(&b, &v->of.f64, 8);
    if (m == EBB__SPEC_NAN_CANONICAL || m == EBB__SPEC_NAN_ARITHMETIC)
      snprintf(buf, size, "f64:%s", match_name(m));
    else
      snprintf(buf, size, "f64:%.17g(0x%016" PRIx64 ")", v->of.f64, b);
    return;
  }
  case EBB_FUNCREF:
    if (m == EBB__SPEC_NONNULL)
      snprintf(buf, size, "funcref:non-null");
    else if (!v->of.func)
      snprintf(buf, size, "funcref:null");
    else
      snprintf(buf, size, "funcref:%p", (void *)v->of.func);
    return;
  case EBB_EXTERNREF: {
    uint64_t n;
    if (m == EBB__SPEC_NONNULL)
      snprintf(buf, size, "externref:non-null");
    else if (!ebb__spec_externref_number(v->of.ref, &n))
      snprintf(buf, size, "externref:null");
    else
      snprintf(buf, size, "externref:%" PRIu64, n);
    return;
  }
  case EBB_V128: {
    unsigned bits = e && e->lane_bits ? e->lane_bits : 32;
    bool fl = e ? e->lane_float : false;
    size_t used = (size_t)snprintf(buf, size, "v128:%c%ux%u[", fl ? 'f' : 'i', bits, 128 / bits);
    for (size_t i = 0; i < 128 / bits && used < size; i++) {
      uint64_t x = lane_bits_at(v->of.v128, bits, i);
      const char *sep = i ? " " : "";
      int n;
      if (fl && e && patterns && e->match[i] != EBB__SPEC_EXACT)
        n = snprintf(buf + used, size - used, "%s%s", sep, match_name(e->match[i]));
      else if (fl && bits == 32)
        n = snprintf(buf + used, size - used, "%s0x%08" PRIx64, sep, x);
      else if (fl)
        n = snprintf(buf + used, size - used, "%s0x%016" PRIx64, sep, x);
      else
        n = snprintf(buf + used, size - used, "%s%" PRIu64, sep, x);
      if (n < 0)
        return;
      used += (size_t)n;
    }
    if (used < size)
      snprintf(buf + used, size - used, "]");
    return;
  }
  }
  snprintf(buf, size, "%s?(kind %d)", kind_name(v->kind), (int)v->kind);
}

void ebb__spec_value_format(const ebb_val_t *v, const ebb__spec_value_t *shape, char *buf,
                            size_t size) {
  format(v, shape, false, buf, size);
}

void ebb__spec_expected_format(const ebb__spec_value_t *e, char *buf, size_t size) {
  format(&e->val, e, true, buf, size);
}

bool ebb__spec_trap_text_matches(const char *expected, const char *actual) {
  if (!expected || !actual)
    return false;
  if (!*actual || !*expected)
    return !*actual && !*expected;
  return strstr(expected, actual) != NULL || strstr(actual, expected) != NULL;
}
