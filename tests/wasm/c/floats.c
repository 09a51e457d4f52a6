/* Floating-point edge cases, printed as exact bits and %a so any rounding
** difference shows. Values come through volatile variables so clang cannot
** fold them at compile time; each operation below lowers to one wasm
** instruction (checked with wasm2wat). NaN signs and payloads are not printed:
** they are nondeterministic in wasm, only "is it NaN" is. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t bits64(double d) {
  uint64_t u;
  memcpy(&u, &d, sizeof u);
  return u;
}
static uint32_t bits32(float f) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  return u;
}

static void show64(const char *what, double d) {
  if (isnan(d)) printf("%-22s nan\n", what);
  else printf("%-22s %016llx %a\n", what, (unsigned long long)bits64(d), d);
}
static void show32(const char *what, float f) {
  if (isnan(f)) printf("%-22s nan\n", what);
  else printf("%-22s %08x %a\n", what, bits32(f), (double)f);
}

static void saturating(double nan_, double inf);
static void compare_and_libm(void);

int main(void) {
  volatile double half = 0.5, onehalf = 1.5, twohalf = 2.5, mhalf = -0.5, pz = 0.0, nz = -0.0;
  volatile double inf = INFINITY, nan_ = NAN, big = 4503599627370497.0, tiny = 0x1p-1074;
  volatile float fhalf = 2.5f, fm = -3.5f, fnan = NAN, fbig = 16777217.0f;

  /* nearest (round half to even) */
  show64("nearest(0.5)", __builtin_rint(half));
  show64("nearest(1.5)", __builtin_rint(onehalf));
  show64("nearest(2.5)", __builtin_rint(twohalf));
  show64("nearest(-0.5)", __builtin_rint(mhalf));
  show64("nearest(2^52+1)", __builtin_rint(big));
  show32("nearestf(2.5)", __builtin_rintf(fhalf));
  show32("nearestf(-3.5)", __builtin_rintf(fm));
  show64("trunc(-0.5)", __builtin_trunc(mhalf));
  show64("ceil(-0.5)", __builtin_ceil(mhalf));
  show64("floor(-0.5)", __builtin_floor(mhalf));
  show64("floor(-0)", __builtin_floor(nz));

  /* wasm min/max: NaN propagates, -0 < +0 */
  show64("min(+0,-0)", __builtin_wasm_min_f64(pz, nz));
  show64("max(-0,+0)", __builtin_wasm_max_f64(nz, pz));
  show64("min(1,nan)", __builtin_wasm_min_f64(1.0, nan_));
  show64("max(nan,1)", __builtin_wasm_max_f64(nan_, 1.0));
  show64("min(-inf,1)", __builtin_wasm_min_f64(-inf, 1.0));
  show32("minf(+0,-0)", __builtin_wasm_min_f32(0.0f, -0.0f));
  show32("maxf(nan,1)", __builtin_wasm_max_f32(fnan, 1.0f));

  /* arithmetic */
  show64("sqrt(-0)", __builtin_sqrt(nz));
  show64("sqrt(-1)", __builtin_sqrt(-half));
  show64("sqrt(2)", __builtin_sqrt(2 * half * 2));
  show64("inf-inf", inf - inf);
  show64("0*inf", pz * inf);
  show64("1/-0", 1.0 / nz);
  show64("tiny/2", tiny / 2);
  show64("tiny*2^1074", tiny * 0x1p1000 * 0x1p74);
  show64("copysign(1,-0)", __builtin_copysign(1.0, nz));
  show64("fabs(-0)", __builtin_fabs(nz));
  show64("-(+0)", -pz);
  show32("f32 2^24+1", fbig);
  show32("f32(1/3)", (float)(half / onehalf));
  show64("promote(f32 0.1)", (double)(float)(half / 5));
  show32("demote(1+2^-24)", (float)(1.0 + 0x1p-24 * (half * 2)));
  show32("demote(1+2^-24+e)", (float)(1.0 + 0x1p-24 + 0x1p-40 * (half * 2)));
  show32("demote(1e300)", (float)(1e300 * (half * 2)));

  /* integer <-> float conversions, including the rounding cases */
  volatile int64_t i64max = INT64_MAX, i64odd = (1ll << 53) + 1;
  volatile uint64_t u64max = UINT64_MAX, u64r = 0x8000008000000001ull;
  volatile uint32_t u32max = UINT32_MAX;
  show64("f64(i64 max)", (double)i64max);
  show64("f64(2^53+1)", (double)i64odd);
  show64("f64(u64 max)", (double)u64max);
  show32("f32(u64 max)", (float)u64max);
  show32("f32(0x8000008000000001)", (float)u64r);
  show32("f32(u32 max)", (float)u32max);
  show32("f32(i64 2^53+1)", (float)i64odd);

  volatile double d1 = -1.9, d2 = 2147483647.9, d3 = 4294967295.5;
  printf("%-22s %d\n", "i32(-1.9)", (int32_t)d1);
  printf("%-22s %d\n", "i32(2147483647.9)", (int32_t)d2);
  printf("%-22s %u\n", "u32(4294967295.5)", (uint32_t)d3);
  printf("%-22s %lld\n", "i64(-1.9)", (long long)(int64_t)d1);
  saturating(nan_, inf);
  compare_and_libm();
  return 0;
}

/* The non-trapping conversions need a target feature; enable it for this
** function only, so the casts in main stay the trapping kind. */
__attribute__((target("nontrapping-fptoint"), noinline)) static void saturating(double nan_,
                                                                              double inf) {
  volatile double half = 0.5;
  printf("%-22s %d\n", "sat i32(nan)", __builtin_wasm_trunc_saturate_s_i32_f64(nan_));
  printf("%-22s %d\n", "sat i32(-inf)", __builtin_wasm_trunc_saturate_s_i32_f64(-inf));
  printf("%-22s %d\n", "sat i32(1e10)", __builtin_wasm_trunc_saturate_s_i32_f64(1e10 * half * 2));
  printf("%-22s %u\n", "sat u32(-5)", __builtin_wasm_trunc_saturate_u_i32_f64(-5 * half));
  printf("%-22s %u\n", "sat u32(inf)", __builtin_wasm_trunc_saturate_u_i32_f32(inf));
  printf("%-22s %lld\n", "sat i64(1e19)",
         (long long)__builtin_wasm_trunc_saturate_s_i64_f64(1e19 * half * 2));
  printf("%-22s %llu\n", "sat u64(1e20)",
         (unsigned long long)__builtin_wasm_trunc_saturate_u_i64_f64(1e20 * half * 2));
  printf("%-22s %llu\n", "sat u64(-0.9)",
         (unsigned long long)__builtin_wasm_trunc_saturate_u_i64_f64(-0.9 * half * 2));
}

static void compare_and_libm(void) {
  volatile double half = 0.5, onehalf = 1.5, nan_ = NAN, nz = -0.0, pz = 0.0;
  /* comparisons with NaN and signed zero */
  printf("nan==nan %d nan!=nan %d nan<1 %d -0==+0 %d\n", nan_ == nan_, nan_ != nan_, nan_ < 1.0,
         nz == pz);
  /* libm through wasi-libc (pure guest code; the result only checks the
  ** interpreter's arithmetic) and printf's own rounding */
  printf("exp(1)=%.17g log(10)=%.17g sin(1e6)=%.17g pow(2,0.5)=%.17g\n", exp(half * 2),
         log(10 * half * 2), sin(1e6 * half * 2), pow(2.0, half));
  printf("printf %.3f %.0f %.0f %e %g %g\n", 2.0005 * half * 2, half, onehalf, 1e-310 * half * 2,
         1e21 * half * 2, 100000.0 * half * 2);
}
