/*
** simd_float.h -- the f32x4 and f64x2 lane operations and the conversions
** between float and integer lanes, in portable C. Each lane follows the
** scalar rule of exec/numeric.h (NaN propagation, signed zeros, rounding,
** saturation), so the NaN a lane produces is what the scalar instruction
** would produce: canonical from canonical inputs, arithmetic otherwise.
*/
#ifndef EBB_EXEC_SIMD_FLOAT_H
#define EBB_EXEC_SIMD_FLOAT_H

#include "exec/numeric.h"
#include "exec/simd.h"

#include "exec/simd_lanes.h"

/* abs and neg touch the sign bit only, so a NaN keeps its payload. */
#define EBB__FSHAPE(s, F, U, N, SIGN, MIN, MAX, CEIL, FLOOR, TRUNC, NEAREST, SQRT)   \
  EBB__VCMP(s##_eq, F, U, N, ==)                                                     \
  EBB__VCMP(s##_ne, F, U, N, !=)                                                     \
  EBB__VCMP(s##_lt, F, U, N, <)                                                      \
  EBB__VCMP(s##_gt, F, U, N, >)                                                      \
  EBB__VCMP(s##_le, F, U, N, <=)                                                     \
  EBB__VCMP(s##_ge, F, U, N, >=)                                                     \
  EBB__VUN(s##_abs, U, N, x & ~SIGN)                                                 \
  EBB__VUN(s##_neg, U, N, x ^ SIGN)                                                  \
  EBB__VUN(s##_sqrt, F, N, SQRT(x))                                                  \
  EBB__VUN(s##_ceil, F, N, CEIL(x))                                                  \
  EBB__VUN(s##_floor, F, N, FLOOR(x))                                                \
  EBB__VUN(s##_trunc, F, N, TRUNC(x))                                                \
  EBB__VUN(s##_nearest, F, N, NEAREST(x))                                            \
  EBB__VBIN(s##_add, F, N, x + y)                                                    \
  EBB__VBIN(s##_sub, F, N, x - y)                                                    \
  EBB__VBIN(s##_mul, F, N, x * y)                                                    \
  EBB__VBIN(s##_div, F, N, x / y)                                                    \
  EBB__VBIN(s##_min, F, N, MIN(x, y))                                                \
  EBB__VBIN(s##_max, F, N, MAX(x, y))                                                \
  EBB__VBIN(s##_pmin, F, N, y < x ? y : x)                                           \
  EBB__VBIN(s##_pmax, F, N, x < y ? y : x)
EBB__FSHAPE(f32x4, f32, u32, 4, 0x80000000u, ebb__fminf, ebb__fmaxf, ebb__ceilf, ebb__floorf,
            ebb__truncf, ebb__nearestf, sqrtf)
EBB__FSHAPE(f64x2, f64, u64, 2, 0x8000000000000000ull, ebb__fmin, ebb__fmax, ebb__ceil,
            ebb__floor, ebb__trunc, ebb__nearest, sqrt)

EBB__V ebb__v_f32x4_splat(uint64_t s) {
  ebb__v128 r;
  for (int i = 0; i < 4; i++) r.u32[i] = (uint32_t)s;
  return r;
}

EBB__V ebb__v_f64x2_splat(uint64_t s) {
  ebb__v128 r;
  r.u64[0] = r.u64[1] = s;
  return r;
}

/* ---- Conversions ------------------------------------------------------------ */

#define EBB__FCONV(name, TO, FROM, N, expr)                                          \
  EBB__V ebb__v_##name(ebb__v128 a) {                                                \
    ebb__v128 r;                                                                     \
    for (int i = 0; i < N; i++) r.TO[i] = expr(a.FROM[i]);                           \
    return r;                                                                        \
  }
EBB__FCONV(i32x4_trunc_sat_f32x4_s, i32, f32, 4, ebb__sat_i32)
EBB__FCONV(i32x4_trunc_sat_f32x4_u, u32, f32, 4, ebb__sat_u32)
EBB__FCONV(f32x4_convert_i32x4_s, f32, i32, 4, (float))
EBB__FCONV(f32x4_convert_i32x4_u, f32, u32, 4, (float))

/* The _zero forms fill the upper two lanes with zeros. */
EBB__V ebb__v_i32x4_trunc_sat_f64x2_s_zero(ebb__v128 a) {
  ebb__v128 r;
  r.i32[0] = ebb__sat_i32(a.f64[0]);
  r.i32[1] = ebb__sat_i32(a.f64[1]);
  r.u64[1] = 0;
  return r;
}

EBB__V ebb__v_i32x4_trunc_sat_f64x2_u_zero(ebb__v128 a) {
  ebb__v128 r;
  r.u32[0] = ebb__sat_u32(a.f64[0]);
  r.u32[1] = ebb__sat_u32(a.f64[1]);
  r.u64[1] = 0;
  return r;
}

EBB__V ebb__v_f32x4_demote_f64x2_zero(ebb__v128 a) {
  ebb__v128 r;
  r.f32[0] = (float)a.f64[0];
  r.f32[1] = (float)a.f64[1];
  r.u64[1] = 0;
  return r;
}

EBB__V ebb__v_f64x2_promote_low_f32x4(ebb__v128 a) {
  ebb__v128 r;
  r.f64[0] = a.f32[0];
  r.f64[1] = a.f32[1];
  return r;
}

EBB__V ebb__v_f64x2_convert_low_i32x4_s(ebb__v128 a) {
  ebb__v128 r;
  r.f64[0] = a.i32[0];
  r.f64[1] = a.i32[1];
  return r;
}

EBB__V ebb__v_f64x2_convert_low_i32x4_u(ebb__v128 a) {
  ebb__v128 r;
  r.f64[0] = a.u32[0];
  r.f64[1] = a.u32[1];
  return r;
}

#undef EBB__VUN
#undef EBB__VBIN
#undef EBB__VCMP
#undef EBB__FSHAPE
#undef EBB__FCONV
#undef EBB__V

#endif
