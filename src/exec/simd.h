/*
** simd.h -- the lane operations of fixed-width SIMD (spec 4.4.3, "Vector
** Instructions") on ebb__v128, in portable C: integer, bitwise, lane
** movement and loads. Float lanes are in simd_float.h.
**
** A v128 lives in two consecutive 8-byte frame slots, low half first, so
** its bytes are wasm's little-endian lane order on a little-endian host
** (the only kind ebb supports). Every function is a small loop over the
** lanes of a union in registers: GCC and Clang turn most of them into one
** or two SSE2/NEON instructions at -O2, and the switch-dispatch build and
** non-x86 hosts run the very same C.
*/
#ifndef EBB_EXEC_SIMD_H
#define EBB_EXEC_SIMD_H

#include <stdint.h>
#include <string.h>

typedef union ebb__v128 {
  uint8_t u8[16];
  int8_t i8[16];
  uint16_t u16[8];
  int16_t i16[8];
  uint32_t u32[4];
  int32_t i32[4];
  uint64_t u64[2];
  int64_t i64[2];
  float f32[4];
  double f64[2];
} ebb__v128;

/* Slots to and from a value. A vector is always written with one 16-byte
** store: compilers like to store a union computed in general registers as
** two 8-byte halves, and the next instruction's 16-byte read of it would
** then miss store forwarding and stall for a dozen cycles. GCC and Clang's
** vector extension gives the single store; other compilers get memcpy. */
static inline ebb__v128 ebb__vget(const uint64_t *slot) {
  ebb__v128 v;
  memcpy(&v, slot, 16);
  return v;
}

#if defined(__GNUC__)
typedef uint64_t ebb__u64x2 __attribute__((vector_size(16), aligned(8), may_alias));
static inline void ebb__vput(uint64_t *slot, ebb__v128 v) {
  ebb__u64x2 x = {v.u64[0], v.u64[1]};
  *(ebb__u64x2 *)slot = x;
}
#else
static inline void ebb__vput(uint64_t *slot, ebb__v128 v) { memcpy(slot, &v, 16); }
#endif

/* A vector is built from two 64-bit halves in registers and stored as one
** 16-byte write: writing it in pieces and reading it back whole would
** defeat the processor's store forwarding (a stall of a dozen cycles). */
static inline ebb__v128 ebb__v_make(uint64_t lo, uint64_t hi) {
  ebb__v128 r;
  r.u64[0] = lo;
  r.u64[1] = hi;
  return r;
}

/* v with the n bytes at byte offset `off` (a multiple of n) replaced by x. */
static inline ebb__v128 ebb__v_insert(ebb__v128 v, unsigned off, unsigned n, uint64_t x) {
  uint64_t lo = v.u64[0], hi = v.u64[1];
  unsigned sh = (off & 7) * 8;
  uint64_t m = n == 8 ? ~(uint64_t)0 : (((uint64_t)1 << (8 * n)) - 1) << sh;
  if (off < 8) lo = (lo & ~m) | ((x << sh) & m);
  else hi = (hi & ~m) | ((x << sh) & m);
  return ebb__v_make(lo, hi);
}

#include "exec/simd_lanes.h"
#define EBB__VCMPS(shape, S, U, N)                                                   \
  EBB__VCMP(shape##_eq, U, U, N, ==)                                                 \
  EBB__VCMP(shape##_ne, U, U, N, !=)                                                 \
  EBB__VCMP(shape##_lt_s, S, U, N, <)                                                \
  EBB__VCMP(shape##_lt_u, U, U, N, <)                                                \
  EBB__VCMP(shape##_gt_s, S, U, N, >)                                                \
  EBB__VCMP(shape##_gt_u, U, U, N, >)                                                \
  EBB__VCMP(shape##_le_s, S, U, N, <=)                                               \
  EBB__VCMP(shape##_le_u, U, U, N, <=)                                               \
  EBB__VCMP(shape##_ge_s, S, U, N, >=)                                               \
  EBB__VCMP(shape##_ge_u, U, U, N, >=)
EBB__VCMPS(i8x16, i8, u8, 16)
EBB__VCMPS(i16x8, i16, u16, 8)
EBB__VCMPS(i32x4, i32, u32, 4)
EBB__VCMP(i64x2_eq, u64, u64, 2, ==)
EBB__VCMP(i64x2_ne, u64, u64, 2, !=)
EBB__VCMP(i64x2_lt_s, i64, u64, 2, <)
EBB__VCMP(i64x2_gt_s, i64, u64, 2, >)
EBB__VCMP(i64x2_le_s, i64, u64, 2, <=)
EBB__VCMP(i64x2_ge_s, i64, u64, 2, >=)

/* ---- Bitwise --------------------------------------------------------------- */

EBB__VUN(v128_not, u64, 2, ~x)
EBB__VBIN(v128_and, u64, 2, x & y)
EBB__VBIN(v128_andnot, u64, 2, x & ~y)
EBB__VBIN(v128_or, u64, 2, x | y)
EBB__VBIN(v128_xor, u64, 2, x ^ y)

EBB__V ebb__v_v128_bitselect(ebb__v128 a, ebb__v128 b, ebb__v128 c) {
  ebb__v128 r;
  for (int i = 0; i < 2; i++) r.u64[i] = (a.u64[i] & c.u64[i]) | (b.u64[i] & ~c.u64[i]);
  return r;
}

static inline uint32_t ebb__v_v128_any_true(ebb__v128 a) { return (a.u64[0] | a.u64[1]) != 0; }

/* ---- Integer arithmetic ---------------------------------------------------- */

/* Wrapping operations work on the unsigned fields, where C defines overflow. */
#define EBB__VINT(shape, S, U, N, W)                                                 \
  EBB__VBIN(shape##_add, U, N, x + y)                                                \
  EBB__VBIN(shape##_sub, U, N, x - y)                                                \
  EBB__VUN(shape##_neg, U, N, 0u - x)                                                \
  EBB__VUN(shape##_abs, S, N, x < 0 ? (__typeof__(x))(0 - (uint64_t)x) : x)            \
  static inline uint32_t ebb__v_##shape##_all_true(ebb__v128 a) {                     \
    for (int i = 0; i < N; i++)                                                      \
      if (!a.U[i]) return 0;                                                         \
    return 1;                                                                        \
  }                                                                                  \
  static inline uint32_t ebb__v_##shape##_bitmask(ebb__v128 a) {                      \
    uint32_t m = 0;                                                                  \
    for (int i = 0; i < N; i++) m |= (uint32_t)(a.U[i] >> (W - 1)) << i;             \
    return m;                                                                        \
  }                                                                                  \
  EBB__V ebb__v_##shape##_shl(ebb__v128 a, uint32_t n) {                             \
    ebb__v128 r;                                                                     \
    n &= W - 1;                                                                      \
    for (int i = 0; i < N; i++) r.U[i] = (__typeof__(a.U[0]))(a.U[i] << n);                       \
    return r;                                                                        \
  }                                                                                  \
  EBB__V ebb__v_##shape##_shr_s(ebb__v128 a, uint32_t n) {                           \
    ebb__v128 r;                                                                     \
    n &= W - 1;                                                                      \
    for (int i = 0; i < N; i++) r.S[i] = (__typeof__(a.S[0]))(a.S[i] >> n);                       \
    return r;                                                                        \
  }                                                                                  \
  EBB__V ebb__v_##shape##_shr_u(ebb__v128 a, uint32_t n) {                           \
    ebb__v128 r;                                                                     \
    n &= W - 1;                                                                      \
    for (int i = 0; i < N; i++) r.U[i] = (__typeof__(a.U[0]))(a.U[i] >> n);                       \
    return r;                                                                        \
  }
EBB__VINT(i8x16, i8, u8, 16, 8)
EBB__VINT(i16x8, i16, u16, 8, 16)
EBB__VINT(i32x4, i32, u32, 4, 32)
EBB__VINT(i64x2, i64, u64, 2, 64)

EBB__VBIN(i16x8_mul, u16, 8, (uint16_t)((uint32_t)x * y))
EBB__VBIN(i32x4_mul, u32, 4, x * y)
EBB__VBIN(i64x2_mul, u64, 2, x * y)

/* Min, max, rounding average and saturating add/sub of the narrow shapes. */
#define EBB__CLAMP(v, lo, hi) ((v) < (lo) ? (lo) : (v) > (hi) ? (hi) : (v))
#define EBB__VMINMAX(shape, S, U, N)                                                 \
  EBB__VBIN(shape##_min_s, S, N, x < y ? x : y)                                      \
  EBB__VBIN(shape##_min_u, U, N, x < y ? x : y)                                      \
  EBB__VBIN(shape##_max_s, S, N, x > y ? x : y)                                      \
  EBB__VBIN(shape##_max_u, U, N, x > y ? x : y)
EBB__VMINMAX(i8x16, i8, u8, 16)
EBB__VMINMAX(i16x8, i16, u16, 8)
EBB__VMINMAX(i32x4, i32, u32, 4)

#define EBB__VSAT(shape, S, U, N, SMIN, SMAX, UMAX)                                  \
  EBB__VBIN(shape##_add_sat_s, S, N, EBB__CLAMP((int32_t)x + y, SMIN, SMAX))         \
  EBB__VBIN(shape##_sub_sat_s, S, N, EBB__CLAMP((int32_t)x - y, SMIN, SMAX))         \
  EBB__VBIN(shape##_add_sat_u, U, N, (int32_t)x + y > UMAX ? UMAX : x + y)           \
  EBB__VBIN(shape##_sub_sat_u, U, N, x > y ? x - y : 0)                              \
  EBB__VBIN(shape##_avgr_u, U, N, ((uint32_t)x + y + 1) >> 1)
EBB__VSAT(i8x16, i8, u8, 16, INT8_MIN, INT8_MAX, UINT8_MAX)
EBB__VSAT(i16x8, i16, u16, 8, INT16_MIN, INT16_MAX, UINT16_MAX)

EBB__VUN(i8x16_popcnt, u8, 16, (uint8_t)__builtin_popcount(x))

/* (a * b + 2^14) >> 15, saturated: only -32768 * -32768 overflows. */
EBB__VBIN(i16x8_q15mulr_sat_s, i16, 8, EBB__CLAMP(((int32_t)x * y + 0x4000) >> 15, INT16_MIN, INT16_MAX))

/* Sums of products of adjacent lanes; only 2 x (-32768)^2 wraps. */
EBB__V ebb__v_i32x4_dot_i16x8_s(ebb__v128 a, ebb__v128 b) {
  ebb__v128 r;
  for (int i = 0; i < 4; i++)
    r.u32[i] = (uint32_t)((int32_t)a.i16[2 * i] * b.i16[2 * i]) +
               (uint32_t)((int32_t)a.i16[2 * i + 1] * b.i16[2 * i + 1]);
  return r;
}

/* ---- Widening and narrowing ------------------------------------------------ */

/* extend_low/high, extmul_low/high, extadd_pairwise: from field F (N/2
** lanes taken) to the wider field W. */
#define EBB__VWIDEN(to, from, W, F, N)                                               \
  EBB__V ebb__v_##to##_extend_low_##from(ebb__v128 a) {                              \
    ebb__v128 r;                                                                     \
    for (int i = 0; i < N; i++) r.W[i] = a.F[i];                                     \
    return r;                                                                        \
  }                                                                                  \
  EBB__V ebb__v_##to##_extend_high_##from(ebb__v128 a) {                             \
    ebb__v128 r;                                                                     \
    for (int i = 0; i < N; i++) r.W[i] = a.F[i + N];                                 \
    return r;                                                                        \
  }                                                                                  \
  EBB__V ebb__v_##to##_extmul_low_##from(ebb__v128 a, ebb__v128 b) {                 \
    ebb__v128 r;                                                                     \
    for (int i = 0; i < N; i++) r.W[i] = (__typeof__(r.W[0]))a.F[i] * b.F[i];        \
    return r;                                                                        \
  }                                                                                  \
  EBB__V ebb__v_##to##_extmul_high_##from(ebb__v128 a, ebb__v128 b) {                \
    ebb__v128 r;                                                                     \
    for (int i = 0; i < N; i++) r.W[i] = (__typeof__(r.W[0]))a.F[i + N] * b.F[i + N]; \
    return r;                                                                        \
  }
EBB__VWIDEN(i16x8, i8x16_s, i16, i8, 8)
EBB__VWIDEN(i16x8, i8x16_u, u16, u8, 8)
EBB__VWIDEN(i32x4, i16x8_s, i32, i16, 4)
EBB__VWIDEN(i32x4, i16x8_u, u32, u16, 4)
EBB__VWIDEN(i64x2, i32x4_s, i64, i32, 2)
EBB__VWIDEN(i64x2, i32x4_u, u64, u32, 2)

#define EBB__VPAIR(to, from, W, F, N)                                                \
  EBB__V ebb__v_##to##_extadd_pairwise_##from(ebb__v128 a) {                         \
    ebb__v128 r;                                                                     \
    for (int i = 0; i < N; i++) r.W[i] = (__typeof__(r.W[0]))(a.F[2 * i] + a.F[2 * i + 1]); \
    return r;                                                                        \
  }
EBB__VPAIR(i16x8, i8x16_s, i16, i8, 8)
EBB__VPAIR(i16x8, i8x16_u, u16, u8, 8)
EBB__VPAIR(i32x4, i16x8_s, i32, i16, 4)
EBB__VPAIR(i32x4, i16x8_u, u32, u16, 4)

/* Narrowing reads the inputs as signed and saturates to the result's range. */
#define EBB__VNARROW(name, W, F, N, LO, HI)                                          \
  EBB__V ebb__v_##name(ebb__v128 a, ebb__v128 b) {                                   \
    ebb__v128 r;                                                                     \
    for (int i = 0; i < N; i++) {                                                    \
      r.W[i] = (__typeof__(r.W[0]))EBB__CLAMP(a.F[i], LO, HI);                       \
      r.W[i + N] = (__typeof__(r.W[0]))EBB__CLAMP(b.F[i], LO, HI);                   \
    }                                                                                \
    return r;                                                                        \
  }
EBB__VNARROW(i8x16_narrow_i16x8_s, i8, i16, 8, INT8_MIN, INT8_MAX)
EBB__VNARROW(i8x16_narrow_i16x8_u, u8, i16, 8, 0, UINT8_MAX)
EBB__VNARROW(i16x8_narrow_i32x4_s, i16, i32, 4, INT16_MIN, INT16_MAX)
EBB__VNARROW(i16x8_narrow_i32x4_u, u16, i32, 4, 0, UINT16_MAX)

/* ---- Lanes ------------------------------------------------------------------ */

/* i8x16.shuffle: r = bytes idx[0..15] (validated < 32) of a:b, and
** i8x16.swizzle: r = bytes s[i] of a, 0 for s[i] >= 16. Both read and
** write frame slots through pointers (r may be a or b): passing a vector
** by value to a function that is not inlined moves it through general
** registers and the stack, which costs more than the shuffle.
**
** A table lookup where the host has one: NEON's tbl on aarch64; SSSE3's
** pshufb on x86-64, inline when the build targets it, else in a function
** chosen at run time (the x86-64 baseline, SSE2, has no variable byte
** shuffle). The portable version, which EBB_SIMD_PORTABLE forces, shifts
** each byte out of one of the four 64-bit words and builds the result in
** two registers: writing 16 single bytes and reading them back as one
** vector would stall store forwarding. */
static inline void ebb__v_shuffle_portable(uint64_t *r, const uint64_t *a, const uint64_t *b,
                                           const uint8_t *idx, int zero_high) {
  const uint64_t w[4] = {a[0], a[1], zero_high ? 0 : b[0], zero_high ? 0 : b[1]};
  uint64_t out[2];
  for (int h = 0; h < 2; h++) {
    uint64_t x = 0;
    for (int i = 0; i < 8; i++) {
      unsigned k = idx[8 * h + i];
      k = zero_high ? (k < 16 ? k : 16) : k & 31;
      x |= ((w[k >> 3] >> (8 * (k & 7))) & 0xff) << (8 * i);
    }
    out[h] = x;
  }
  ebb__vput(r, ebb__v_make(out[0], out[1]));
}

#if defined(EBB_SIMD_PORTABLE)
#define EBB__SHUFFLE_PORTABLE 1
#elif defined(__aarch64__) && defined(__ARM_NEON)
#include <arm_neon.h>
static inline void ebb__v_i8x16_shuffle(uint64_t *r, const uint64_t *a, const uint64_t *b,
                                        const uint8_t *idx) {
  uint8x16x2_t t = {{vld1q_u8((const uint8_t *)a), vld1q_u8((const uint8_t *)b)}};
  vst1q_u8((uint8_t *)r, vqtbl2q_u8(t, vld1q_u8(idx)));
}
static inline void ebb__v_i8x16_swizzle(uint64_t *r, const uint64_t *a, const uint64_t *s) {
  /* tbl gives 0 for indexes past the table, as swizzle wants. */
  vst1q_u8((uint8_t *)r, vqtbl1q_u8(vld1q_u8((const uint8_t *)a), vld1q_u8((const uint8_t *)s)));
}
#elif defined(__x86_64__) && defined(__GNUC__)
#include <tmmintrin.h>
#ifdef __SSSE3__
#define EBB__SSSE3_FN static inline
#else
#define EBB__SSSE3_FN __attribute__((target("ssse3"), noinline)) static
#endif
EBB__SSSE3_FN void ebb__v_shuffle_ssse3(uint64_t *r, const uint64_t *a, const uint64_t *b,
                                        const uint8_t *idx) {
  __m128i i = _mm_loadu_si128((const __m128i *)idx);
  __m128i from_b = _mm_cmpgt_epi8(i, _mm_set1_epi8(15));
  __m128i ra = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)a), i);
  __m128i rb = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)b), i);
  _mm_storeu_si128((__m128i *)r, _mm_or_si128(_mm_andnot_si128(from_b, ra), _mm_and_si128(from_b, rb)));
}
/* pshufb zeroes a lane whose index has bit 7 set: saturating 0x70 + s
** sets it for every s >= 16 and keeps the low four bits of the others. */
EBB__SSSE3_FN void ebb__v_swizzle_ssse3(uint64_t *r, const uint64_t *a, const uint64_t *s) {
  __m128i i = _mm_adds_epu8(_mm_loadu_si128((const __m128i *)s), _mm_set1_epi8(0x70));
  _mm_storeu_si128((__m128i *)r, _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)a), i));
}
static inline void ebb__v_i8x16_shuffle(uint64_t *r, const uint64_t *a, const uint64_t *b,
                                        const uint8_t *idx) {
#ifndef __SSSE3__
  if (!__builtin_cpu_supports("ssse3")) {
    ebb__v_shuffle_portable(r, a, b, idx, 0);
    return;
  }
#endif
  ebb__v_shuffle_ssse3(r, a, b, idx);
}
static inline void ebb__v_i8x16_swizzle(uint64_t *r, const uint64_t *a, const uint64_t *s) {
#ifndef __SSSE3__
  if (!__builtin_cpu_supports("ssse3")) {
    uint8_t idx[16];
    memcpy(idx, s, 16);
    ebb__v_shuffle_portable(r, a, a, idx, 1);
    return;
  }
#endif
  ebb__v_swizzle_ssse3(r, a, s);
}
#undef EBB__SSSE3_FN
#else
#define EBB__SHUFFLE_PORTABLE 1
#endif

#ifdef EBB__SHUFFLE_PORTABLE
static inline void ebb__v_i8x16_shuffle(uint64_t *r, const uint64_t *a, const uint64_t *b,
                                        const uint8_t *idx) {
  ebb__v_shuffle_portable(r, a, b, idx, 0);
}
static inline void ebb__v_i8x16_swizzle(uint64_t *r, const uint64_t *a, const uint64_t *s) {
  uint8_t idx[16];
  memcpy(idx, s, 16);
  ebb__v_shuffle_portable(r, a, a, idx, 1);
}
#undef EBB__SHUFFLE_PORTABLE
#endif

#define EBB__VSPLAT(name, F, N, T)                                                   \
  EBB__V ebb__v_##name(uint64_t s) {                                                 \
    ebb__v128 r;                                                                     \
    for (int i = 0; i < N; i++) r.F[i] = (T)s;                                       \
    return r;                                                                        \
  }
EBB__VSPLAT(i8x16_splat, u8, 16, uint8_t)
EBB__VSPLAT(i16x8_splat, u16, 8, uint16_t)
EBB__VSPLAT(i32x4_splat, u32, 4, uint32_t)
EBB__VSPLAT(i64x2_splat, u64, 2, uint64_t)

#undef EBB__VUN
#undef EBB__VBIN
#undef EBB__VCMP
#undef EBB__VCMPS
#undef EBB__VINT
#undef EBB__VMINMAX
#undef EBB__VSAT
#undef EBB__VWIDEN
#undef EBB__VPAIR
#undef EBB__VNARROW
#undef EBB__VSPLAT
#undef EBB__V

#endif
