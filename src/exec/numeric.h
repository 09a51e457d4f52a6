/*
** numeric.h -- the numeric rules of WebAssembly (spec 4.3.2-4.3.3) that C
** does not give directly: bit casts, min/max with NaN and signed zeros,
** round-half-to-even, and the range checks of the trapping conversions.
*/
#ifndef EBB_EXEC_NUMERIC_H
#define EBB_EXEC_NUMERIC_H

#include <math.h>
#include <stdint.h>
#include <string.h>

static inline float ebb__f32(uint64_t slot) {
  uint32_t b = (uint32_t)slot;
  float f;
  memcpy(&f, &b, 4);
  return f;
}

static inline double ebb__f64(uint64_t slot) {
  double d;
  memcpy(&d, &slot, 8);
  return d;
}

static inline uint64_t ebb__bits32(float f) {
  uint32_t b;
  memcpy(&b, &f, 4);
  return b;
}

static inline uint64_t ebb__bits64(double d) {
  uint64_t b;
  memcpy(&b, &d, 8);
  return b;
}

/* A NaN operand makes the result NaN: returning a+b propagates it as an
** arithmetic NaN, as the spec allows. Zeros of different sign are ordered
** -0 < +0. */
static inline float ebb__fminf(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) return signbit(a) ? a : b;
  return a < b ? a : b;
}

static inline float ebb__fmaxf(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) return signbit(a) ? b : a;
  return a > b ? a : b;
}

static inline double ebb__fmin(double a, double b) {
  if (a != a || b != b) return a + b;
  if (a == b) return signbit(a) ? a : b;
  return a < b ? a : b;
}

static inline double ebb__fmax(double a, double b) {
  if (a != a || b != b) return a + b;
  if (a == b) return signbit(a) ? b : a;
  return a > b ? a : b;
}

/* Rounding to an integral value. libm may return a signalling NaN operand
** unchanged; wasm requires a quiet (arithmetic) NaN, which a + a gives.
** nearest rounds ties to even in the default rounding mode. */
#define EBB__ROUND(name, type, fn)                                                   \
  static inline type name(type a) { return a != a ? a + a : fn(a); }
EBB__ROUND(ebb__ceilf, float, ceilf)
EBB__ROUND(ebb__floorf, float, floorf)
EBB__ROUND(ebb__truncf, float, truncf)
EBB__ROUND(ebb__nearestf, float, nearbyintf)
EBB__ROUND(ebb__ceil, double, ceil)
EBB__ROUND(ebb__floor, double, floor)
EBB__ROUND(ebb__trunc, double, trunc)
EBB__ROUND(ebb__nearest, double, nearbyint)
#undef EBB__ROUND

/* Range checks for trapping float-to-int conversions: true if x truncates
** to a representable integer. NaN fails every comparison. */
static inline int ebb__fits_i32(double x) { return x > -2147483649.0 && x < 2147483648.0; }
static inline int ebb__fits_u32(double x) { return x > -1.0 && x < 4294967296.0; }
static inline int ebb__fits_i64(double x) {
  return x >= -9223372036854775808.0 && x < 9223372036854775808.0;
}
static inline int ebb__fits_u64(double x) { return x > -1.0 && x < 18446744073709551616.0; }

/* Saturating conversions (non-trapping float-to-int proposal). */
static inline int32_t ebb__sat_i32(double x) {
  if (x != x) return 0;
  if (x <= -2147483648.0) return INT32_MIN;
  if (x >= 2147483647.0) return INT32_MAX;
  return (int32_t)x;
}

static inline uint32_t ebb__sat_u32(double x) {
  if (x != x || x <= 0.0) return 0;
  if (x >= 4294967295.0) return UINT32_MAX;
  return (uint32_t)x;
}

static inline int64_t ebb__sat_i64(double x) {
  if (x != x) return 0;
  if (x <= -9223372036854775808.0) return INT64_MIN;
  if (x >= 9223372036854775808.0) return INT64_MAX;
  return (int64_t)x;
}

static inline uint64_t ebb__sat_u64(double x) {
  if (x != x || x <= 0.0) return 0;
  if (x >= 18446744073709551616.0) return UINT64_MAX;
  return (uint64_t)x;
}

static inline uint32_t ebb__rotl32(uint32_t x, uint32_t n) {
  n &= 31;
  return (x << n) | (x >> ((32 - n) & 31));
}

static inline uint32_t ebb__rotr32(uint32_t x, uint32_t n) {
  n &= 31;
  return (x >> n) | (x << ((32 - n) & 31));
}

static inline uint64_t ebb__rotl64(uint64_t x, uint64_t n) {
  n &= 63;
  return (x << n) | (x >> ((64 - n) & 63));
}

static inline uint64_t ebb__rotr64(uint64_t x, uint64_t n) {
  n &= 63;
  return (x >> n) | (x << ((64 - n) & 63));
}

#endif
