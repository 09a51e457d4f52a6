/*
** diff_ref.c -- the differential fuzzer's oracle: interprets the generated
** tree directly, following the spec's semantics for the subset (spec 4.3
** numerics, 4.4 instructions). Values are uint64_t; an i32 is kept
** zero-extended. Nothing here shares code with ebb.
*/
#include <stdlib.h>
#include <string.h>

#include "diff_gen.h"
#include "ebb.h"

#define PAGE 65536u

typedef struct rctx {
  const program *p;
  ref_state *st;
  uint32_t seglen[2];
  int trap; /* EBB_TRAP_NONE while running */
} rctx;

enum { R_NORMAL, R_BREAK, R_CONTINUE, R_RETURN, R_TRAP };

static uint64_t call_func(rctx *c, uint32_t fi, const uint64_t *args);

static uint64_t trap(rctx *c, int kind) {
  if (c->trap == EBB_TRAP_NONE) c->trap = kind;
  return 0;
}

static uint64_t mem_size(const rctx *c) { return (uint64_t)c->st->mem_pages * PAGE; }

static uint32_t clz32(uint32_t x) { return x ? (uint32_t)__builtin_clz(x) : 32; }
static uint32_t ctz32(uint32_t x) { return x ? (uint32_t)__builtin_ctz(x) : 32; }
static uint64_t clz64(uint64_t x) { return x ? (uint64_t)__builtin_clzll(x) : 64; }
static uint64_t ctz64(uint64_t x) { return x ? (uint64_t)__builtin_ctzll(x) : 64; }

static double f64_of(uint64_t bits) {
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

static uint64_t bits_of(double d) {
  uint64_t b;
  memcpy(&b, &d, sizeof b);
  return b;
}

/* trunc_sat (spec 4.3.3): NaN is 0, out of range clamps. */
static uint64_t trunc_sat(uint16_t op, double d) {
  if (d != d) return 0;
  switch (op) {
  case 0xfc02:
    if (d <= -2147483649.0) return (uint32_t)INT32_MIN;
    if (d >= 2147483648.0) return (uint32_t)INT32_MAX;
    return (uint32_t)(int32_t)d;
  case 0xfc03:
    if (d <= -1.0) return 0;
    if (d >= 4294967296.0) return UINT32_MAX;
    return (uint32_t)d;
  case 0xfc06:
    if (d < -9223372036854775808.0) return (uint64_t)INT64_MIN;
    if (d >= 9223372036854775808.0) return (uint64_t)INT64_MAX;
    return (uint64_t)(int64_t)d;
  default: /* 0xfc07 */
    if (d <= -1.0) return 0;
    if (d >= 18446744073709551616.0) return UINT64_MAX;
    return (uint64_t)d;
  }
}

static uint64_t unary(rctx *c, uint16_t op, uint64_t x) {
  uint32_t a = (uint32_t)x;
  switch (op) {
  case 0x45: return a == 0;
  case 0x67: return clz32(a);
  case 0x68: return ctz32(a);
  case 0x69: return (uint32_t)__builtin_popcount(a);
  case 0xc0: return (uint32_t)(int32_t)(int8_t)a;
  case 0xc1: return (uint32_t)(int32_t)(int16_t)a;
  case 0x50: return x == 0;
  case 0x79: return clz64(x);
  case 0x7a: return ctz64(x);
  case 0x7b: return (uint64_t)__builtin_popcountll(x);
  case 0xc2: return (uint64_t)(int64_t)(int8_t)x;
  case 0xc3: return (uint64_t)(int64_t)(int16_t)x;
  case 0xc4: return (uint64_t)(int64_t)(int32_t)x;
  case 0xa7: return (uint32_t)x;
  case 0xac: return (uint64_t)(int64_t)(int32_t)a;
  case 0xad: return a;
  case 0xb7: return bits_of((double)(int32_t)a);
  case 0xb8: return bits_of((double)a);
  case 0xb9: return bits_of((double)(int64_t)x);
  case 0xba: return bits_of((double)x);
  case 0xfc02:
  case 0xfc03:
  case 0xfc06:
  case 0xfc07: return trunc_sat(op, f64_of(x));
  }
  abort();
}

static uint64_t binary(rctx *c, uint16_t op, uint64_t x, uint64_t y) {
  uint32_t a = (uint32_t)x, b = (uint32_t)y;
  int32_t sa = (int32_t)a, sb = (int32_t)b;
  int64_t sx = (int64_t)x, sy = (int64_t)y;
  switch (op) {
  /* i32 comparisons */
  case 0x46: return a == b;
  case 0x47: return a != b;
  case 0x48: return sa < sb;
  case 0x49: return a < b;
  case 0x4a: return sa > sb;
  case 0x4b: return a > b;
  case 0x4c: return sa <= sb;
  case 0x4d: return a <= b;
  case 0x4e: return sa >= sb;
  case 0x4f: return a >= b;
  /* i64 comparisons */
  case 0x51: return x == y;
  case 0x52: return x != y;
  case 0x53: return sx < sy;
  case 0x54: return x < y;
  case 0x55: return sx > sy;
  case 0x56: return x > y;
  case 0x57: return sx <= sy;
  case 0x58: return x <= y;
  case 0x59: return sx >= sy;
  case 0x5a: return x >= y;
  /* f64 comparisons and arithmetic (operands are f64 bits) */
  case 0x61: return f64_of(x) == f64_of(y);
  case 0x62: return f64_of(x) != f64_of(y);
  case 0x63: return f64_of(x) < f64_of(y);
  case 0x64: return f64_of(x) > f64_of(y);
  case 0x65: return f64_of(x) <= f64_of(y);
  case 0x66: return f64_of(x) >= f64_of(y);
  case 0xa0: return bits_of(f64_of(x) + f64_of(y));
  case 0xa1: return bits_of(f64_of(x) - f64_of(y));
  case 0xa2: return bits_of(f64_of(x) * f64_of(y));
  case 0xa3: return bits_of(f64_of(x) / f64_of(y));
  /* i32 arithmetic */
  case 0x6a: return (uint32_t)(a + b);
  case 0x6b: return (uint32_t)(a - b);
  case 0x6c: return (uint32_t)(a * b);
  case 0x6d:
    if (!b) return trap(c, EBB_TRAP_INT_DIV_ZERO);
    if (sa == INT32_MIN && sb == -1) return trap(c, EBB_TRAP_INT_OVERFLOW);
    return (uint32_t)(sa / sb);
  case 0x6e:
    if (!b) return trap(c, EBB_TRAP_INT_DIV_ZERO);
    return a / b;
  case 0x6f:
    if (!b) return trap(c, EBB_TRAP_INT_DIV_ZERO);
    if (sb == -1) return 0;
    return (uint32_t)(sa % sb);
  case 0x70:
    if (!b) return trap(c, EBB_TRAP_INT_DIV_ZERO);
    return a % b;
  case 0x71: return a & b;
  case 0x72: return a | b;
  case 0x73: return a ^ b;
  case 0x74: return (uint32_t)(a << (b & 31));
  case 0x75: return (uint32_t)(sa >> (b & 31));
  case 0x76: return a >> (b & 31);
  case 0x77: return (uint32_t)((a << (b & 31)) | (a >> ((32 - (b & 31)) & 31)));
  case 0x78: return (uint32_t)((a >> (b & 31)) | (a << ((32 - (b & 31)) & 31)));
  /* i64 arithmetic */
  case 0x7c: return x + y;
  case 0x7d: return x - y;
  case 0x7e: return x * y;
  case 0x7f:
    if (!y) return trap(c, EBB_TRAP_INT_DIV_ZERO);
    if (sx == INT64_MIN && sy == -1) return trap(c, EBB_TRAP_INT_OVERFLOW);
    return (uint64_t)(sx / sy);
  case 0x80:
    if (!y) return trap(c, EBB_TRAP_INT_DIV_ZERO);
    return x / y;
  case 0x81:
    if (!y) return trap(c, EBB_TRAP_INT_DIV_ZERO);
    if (sy == -1) return 0;
    return (uint64_t)(sx % sy);
  case 0x82:
    if (!y) return trap(c, EBB_TRAP_INT_DIV_ZERO);
    return x % y;
  case 0x83: return x & y;
  case 0x84: return x | y;
  case 0x85: return x ^ y;
  case 0x86: return x << (y & 63);
  case 0x87: return (uint64_t)(sx >> (y & 63));
  case 0x88: return x >> (y & 63);
  case 0x89: return (x << (y & 63)) | (x >> ((64 - (y & 63)) & 63));
  case 0x8a: return (x >> (y & 63)) | (x << ((64 - (y & 63)) & 63));
  }
  abort();
}

/* Effective address of an access of n bytes, or a trap (spec 4.4.7). */
static bool address(rctx *c, uint32_t base, uint64_t offset, uint32_t n, uint64_t *ea) {
  *ea = (uint64_t)base + (uint32_t)offset;
  if (*ea + n > mem_size(c)) {
    trap(c, EBB_TRAP_MEMORY_OOB);
    return false;
  }
  return true;
}

static uint64_t load(rctx *c, uint16_t op, uint32_t base, uint64_t offset) {
  static const struct { uint8_t size; bool sign; } shape[] = {
      [0x28 - 0x28] = {4, false}, [0x29 - 0x28] = {8, false}, [0x2b - 0x28] = {8, false},
      [0x2c - 0x28] = {1, true},
      [0x2d - 0x28] = {1, false}, [0x2e - 0x28] = {2, true},  [0x2f - 0x28] = {2, false},
      [0x30 - 0x28] = {1, true},  [0x31 - 0x28] = {1, false}, [0x32 - 0x28] = {2, true},
      [0x33 - 0x28] = {2, false}, [0x34 - 0x28] = {4, true},  [0x35 - 0x28] = {4, false},
  };
  uint32_t n = shape[op - 0x28].size;
  uint64_t ea;
  if (!address(c, base, offset, n, &ea)) return 0;
  uint64_t v = 0;
  for (uint32_t i = 0; i < n; i++) v |= (uint64_t)c->st->mem[ea + i] << (8 * i);
  if (shape[op - 0x28].sign && n < 8) {
    uint64_t sign = 1ull << (8 * n - 1);
    v = (v ^ sign) - sign;
  }
  bool i32 = op == 0x28 || (op >= 0x2c && op <= 0x2f);
  return i32 ? (uint32_t)v : v;
}

static void store(rctx *c, uint16_t op, uint32_t base, uint64_t offset, uint64_t v) {
  uint32_t n = op == 0x36 ? 4 : op == 0x37 ? 8 : op == 0x3a || op == 0x3c ? 1
             : op == 0x3b || op == 0x3d ? 2 : 4;
  uint64_t ea;
  if (!address(c, base, offset, n, &ea)) return;
  for (uint32_t i = 0; i < n; i++) c->st->mem[ea + i] = (uint8_t)(v >> (8 * i));
}

static bool same_type(const functype *a, const functype *b) {
  return a->nparams == b->nparams && a->result == b->result &&
         memcmp(a->params, b->params, a->nparams) == 0;
}

/* ---- v128, integer lanes (spec 4.3.2 ixx ops, lane by lane) ----------------
** A vector is 16 bytes; a lane of w bytes is read as a 64-bit number,
** signed or not, computed on in 64 bits and written back truncated. */

typedef struct vec {
  uint8_t b[16];
} vec;

static uint64_t lane_u(const vec *v, int w, int i) {
  uint64_t x = 0;
  for (int k = 0; k < w; k++) x |= (uint64_t)v->b[i * w + k] << (8 * k);
  return x;
}

static int64_t lane_s(const vec *v, int w, int i) {
  uint64_t x = lane_u(v, w, i);
  if (w < 8 && (x >> (8 * w - 1)) & 1) x |= ~0ull << (8 * w);
  return (int64_t)x;
}

static void lane_set(vec *v, int w, int i, uint64_t x) {
  for (int k = 0; k < w; k++) v->b[i * w + k] = (uint8_t)(x >> (8 * k));
}

static int64_t smin_of(int w) { return w == 8 ? INT64_MIN : -(1ll << (8 * w - 1)); }
static int64_t smax_of(int w) { return w == 8 ? INT64_MAX : (1ll << (8 * w - 1)) - 1; }
static uint64_t umax_of(int w) { return w == 8 ? UINT64_MAX : (1ull << (8 * w)) - 1; }
static int64_t clamp_s(int64_t x, int w) {
  return x < smin_of(w) ? smin_of(w) : x > smax_of(w) ? smax_of(w) : x;
}
static int64_t clamp_u(int64_t x, int w) { return x < 0 ? 0 : (uint64_t)x > umax_of(w) ? (int64_t)umax_of(w) : x; }

/* Lane width in bytes of a SIMD op by its shape's sub-opcode range. */
static int op_width(uint16_t op) {
  if (op == 0x85 || op == 0x86 || op == 0x9c || op == 0x9f || op == 0x82 || op == 0x95 ||
      (op >= 0x2d && op <= 0x36) || (op >= 0x80 && op <= 0x9f) || op == 0x87 || op == 0x8a)
    return 2;
  if ((op >= 0x37 && op <= 0x40) || (op >= 0xa0 && op <= 0xbf)) return 4;
  if (op >= 0xc0 && op <= 0xdf) return 8;
  return 1;
}

static uint64_t eval(rctx *c, uint32_t fi, uint64_t *l, const expr *e);

static vec veval(rctx *c, uint32_t fi, uint64_t *l, const expr *e) {
  vec r, a, b;
  memset(&r, 0, sizeof r);
  switch (e->kind) {
  case E_VSPLAT: {
    uint64_t x = eval(c, fi, l, e->a[0]);
    int w = e->op == 0x0f ? 1 : e->op == 0x10 ? 2 : e->op == 0x11 ? 4 : 8;
    for (int i = 0; i < 16 / w; i++) lane_set(&r, w, i, x);
    return r;
  }
  case E_VLOAD: {
    uint64_t base = eval(c, fi, l, e->a[0]), ea;
    if (c->trap || !address(c, (uint32_t)base, e->imm, 16, &ea)) return r;
    memcpy(r.b, c->st->mem + ea, 16);
    return r;
  }
  case E_VUN: {
    a = veval(c, fi, l, e->a[0]);
    int w = op_width(e->op);
    switch (e->op) {
    case 0x4d: for (int i = 0; i < 16; i++) r.b[i] = (uint8_t)~a.b[i]; break;
    case 0x62:
      for (int i = 0; i < 16; i++) r.b[i] = (uint8_t)__builtin_popcount(a.b[i]);
      break;
    case 0x87: for (int i = 0; i < 8; i++) lane_set(&r, 2, i, (uint64_t)lane_s(&a, 1, i)); break;
    case 0x8a: for (int i = 0; i < 8; i++) lane_set(&r, 2, i, lane_u(&a, 1, i + 8)); break;
    case 0xa7: for (int i = 0; i < 4; i++) lane_set(&r, 4, i, (uint64_t)lane_s(&a, 2, i)); break;
    case 0xca: for (int i = 0; i < 2; i++) lane_set(&r, 8, i, lane_u(&a, 4, i + 2)); break;
    case 0x7c:
      for (int i = 0; i < 8; i++)
        lane_set(&r, 2, i, (uint64_t)(lane_s(&a, 1, 2 * i) + lane_s(&a, 1, 2 * i + 1)));
      break;
    case 0x7f:
      for (int i = 0; i < 4; i++) lane_set(&r, 4, i, lane_u(&a, 2, 2 * i) + lane_u(&a, 2, 2 * i + 1));
      break;
    default: /* abs, neg */
      for (int i = 0; i < 16 / w; i++) {
        int64_t x = lane_s(&a, w, i);
        bool neg = e->op == 0x61 || e->op == 0xa1 || e->op == 0xc1 || x < 0;
        lane_set(&r, w, i, neg ? 0 - (uint64_t)x : (uint64_t)x);
      }
    }
    return r;
  }
  case E_VSHIFT: {
    a = veval(c, fi, l, e->a[0]);
    if (c->trap) return r;
    uint32_t n = (uint32_t)eval(c, fi, l, e->a[1]);
    int w = op_width(e->op);
    int kind = e->op == 0x6b || e->op == 0x8b || e->op == 0xab || e->op == 0xcb ? 0
         : e->op == 0x6c || e->op == 0x8c || e->op == 0xac || e->op == 0xcc ? 1 : 2;
    n %= (uint32_t)(8 * w);
    for (int i = 0; i < 16 / w; i++) {
      uint64_t x = kind == 0 ? lane_u(&a, w, i) << n
                 : kind == 1 ? (uint64_t)(lane_s(&a, w, i) >> n) : lane_u(&a, w, i) >> n;
      lane_set(&r, w, i, x);
    }
    return r;
  }
  case E_VBIN: {
    a = veval(c, fi, l, e->a[0]);
    if (c->trap) return r;
    b = veval(c, fi, l, e->a[1]);
    if (c->trap) return r;
    int w = op_width(e->op);
    switch (e->op) {
    case 0x4e: for (int i = 0; i < 16; i++) r.b[i] = a.b[i] & b.b[i]; return r;
    case 0x4f: for (int i = 0; i < 16; i++) r.b[i] = (uint8_t)(a.b[i] & ~b.b[i]); return r;
    case 0x50: for (int i = 0; i < 16; i++) r.b[i] = a.b[i] | b.b[i]; return r;
    case 0x51: for (int i = 0; i < 16; i++) r.b[i] = a.b[i] ^ b.b[i]; return r;
    case 0x0e: for (int i = 0; i < 16; i++) r.b[i] = b.b[i] < 16 ? a.b[b.b[i]] : 0; return r;
    case 0x65: case 0x66: case 0x85: case 0x86: { /* narrow: signed in, saturate */
      int to = e->op <= 0x66 ? 1 : 2;
      bool u = e->op == 0x66 || e->op == 0x86;
      for (int i = 0; i < 16 / (2 * to); i++) {
        lane_set(&r, to, i, (uint64_t)(u ? clamp_u(lane_s(&a, 2 * to, i), to) : clamp_s(lane_s(&a, 2 * to, i), to)));
        lane_set(&r, to, i + 16 / (2 * to),
                 (uint64_t)(u ? clamp_u(lane_s(&b, 2 * to, i), to) : clamp_s(lane_s(&b, 2 * to, i), to)));
      }
      return r;
    }
    case 0x9c: for (int i = 0; i < 8; i++) lane_set(&r, 2, i, (uint64_t)(lane_s(&a, 1, i) * lane_s(&b, 1, i))); return r;
    case 0x9f: for (int i = 0; i < 8; i++) lane_set(&r, 2, i, lane_u(&a, 1, i + 8) * lane_u(&b, 1, i + 8)); return r;
    case 0xbf: for (int i = 0; i < 4; i++) lane_set(&r, 4, i, lane_u(&a, 2, i + 4) * lane_u(&b, 2, i + 4)); return r;
    case 0xdc: for (int i = 0; i < 2; i++) lane_set(&r, 8, i, (uint64_t)(lane_s(&a, 4, i) * lane_s(&b, 4, i))); return r;
    case 0xba:
      for (int i = 0; i < 4; i++)
        lane_set(&r, 4, i, (uint64_t)(lane_s(&a, 2, 2 * i) * lane_s(&b, 2, 2 * i) +
                                      lane_s(&a, 2, 2 * i + 1) * lane_s(&b, 2, 2 * i + 1)));
      return r;
    default: break;
    }
    for (int i = 0; i < 16 / w; i++) {
      int64_t xs = lane_s(&a, w, i), ys = lane_s(&b, w, i);
      uint64_t xu = lane_u(&a, w, i), yu = lane_u(&b, w, i), v = 0;
      switch (e->op) {
      case 0x6e: case 0x8e: case 0xae: case 0xce: v = xu + yu; break;
      case 0x71: case 0xb1: case 0xd1: v = xu - yu; break;
      case 0x95: case 0xb5: case 0xd5: v = xu * yu; break;
      case 0x6f: v = (uint64_t)clamp_s(xs + ys, w); break;
      case 0x72: v = (uint64_t)clamp_s(xs - ys, w); break;
      case 0x70: v = (uint64_t)clamp_u((int64_t)(xu + yu), w); break;
      case 0x73: v = xu > yu ? xu - yu : 0; break;
      case 0x76: case 0xb6: v = (uint64_t)(xs < ys ? xs : ys); break;
      case 0x77: v = xu < yu ? xu : yu; break;
      case 0x78: v = (uint64_t)(xs > ys ? xs : ys); break;
      case 0x79: case 0xb9: v = xu > yu ? xu : yu; break;
      case 0x7b: v = (xu + yu + 1) / 2; break;
      case 0x82: v = (uint64_t)clamp_s((xs * ys + (1 << 14)) >> 15, 2); break;
      case 0x23: case 0xd6: v = xu == yu ? ~0ull : 0; break;
      case 0x25: case 0xd8: v = xs < ys ? ~0ull : 0; break;
      case 0x28: v = xu > yu ? ~0ull : 0; break;
      case 0x31: v = xs > ys ? ~0ull : 0; break;
      case 0x34: v = xu <= yu ? ~0ull : 0; break;
      case 0x3a: v = xu < yu ? ~0ull : 0; break;
      case 0xdb: v = xs >= ys ? ~0ull : 0; break;
      }
      lane_set(&r, w, i, v);
    }
    return r;
  }
  default: return r;
  }
}

/* An i32/i64 out of a vector (E_VOUT). */
static uint64_t vout(rctx *c, uint32_t fi, uint64_t *l, const expr *e) {
  vec a = veval(c, fi, l, e->a[0]);
  if (c->trap) return 0;
  int i = (int)e->imm;
  switch (e->op) {
  case 0x15: return (uint32_t)lane_s(&a, 1, i);
  case 0x16: return lane_u(&a, 1, i);
  case 0x18: return (uint32_t)lane_s(&a, 2, i);
  case 0x19: return lane_u(&a, 2, i);
  case 0x1b: return lane_u(&a, 4, i);
  case 0x1d: return lane_u(&a, 8, i);
  case 0x53: {
    uint8_t any = 0;
    for (int k = 0; k < 16; k++) any |= a.b[k];
    return any != 0;
  }
  default: { /* all_true and bitmask of each shape */
    int w = e->op == 0x63 || e->op == 0x64 ? 1 : e->op == 0x83 || e->op == 0x84 ? 2
          : e->op == 0xa3 || e->op == 0xa4 ? 4 : 8;
    bool all = e->op == 0x63 || e->op == 0x83 || e->op == 0xa3 || e->op == 0xc3;
    uint32_t m = 0, every = 1;
    for (int k = 0; k < 16 / w; k++) {
      if (lane_s(&a, w, k) < 0) m |= 1u << k;
      if (!lane_u(&a, w, k)) every = 0;
    }
    return all ? every : m;
  }
  }
}

static uint64_t eval(rctx *c, uint32_t fi, uint64_t *l, const expr *e) {
  const program *p = c->p;
  switch (e->kind) {
  case E_CONST: return e->imm;
  case E_LOCAL: return l[e->idx];
  case E_TEE: {
    uint64_t v = eval(c, fi, l, e->a[0]);
    if (c->trap) return 0;
    return l[e->idx] = v;
  }
  case E_GLOBAL: return c->st->globals[e->idx];
  case E_UNARY: {
    uint64_t v = eval(c, fi, l, e->a[0]);
    if (c->trap) return 0;
    return unary(c, e->op, v);
  }
  case E_BINARY: {
    uint64_t a = eval(c, fi, l, e->a[0]);
    if (c->trap) return 0;
    uint64_t b = eval(c, fi, l, e->a[1]);
    if (c->trap) return 0;
    return binary(c, e->op, a, b);
  }
  case E_SELECT: {
    uint64_t a = eval(c, fi, l, e->a[0]);
    if (c->trap) return 0;
    uint64_t b = eval(c, fi, l, e->a[1]);
    if (c->trap) return 0;
    uint64_t k = eval(c, fi, l, e->a[2]);
    if (c->trap) return 0;
    return (uint32_t)k ? a : b;
  }
  case E_LOAD: {
    uint64_t a = eval(c, fi, l, e->a[0]);
    if (c->trap) return 0;
    return load(c, e->op, (uint32_t)a, e->imm);
  }
  case E_CALL:
  case E_CALL_INDIRECT: {
    uint64_t args[MAX_PARAMS];
    for (int i = 0; i < e->nargs; i++) {
      args[i] = eval(c, fi, l, e->args[i]);
      if (c->trap) return 0;
    }
    uint32_t callee = e->idx;
    if (e->kind == E_CALL_INDIRECT) {
      uint32_t k = (uint32_t)eval(c, fi, l, e->a[0]);
      if (c->trap) return 0;
      if (k >= p->table_size) return trap(c, EBB_TRAP_UNDEFINED_ELEMENT);
      if (p->table[k] < 0) return trap(c, EBB_TRAP_UNINITIALIZED_ELEMENT);
      callee = (uint32_t)p->table[k];
      if (!same_type(&p->types[p->funcs[callee].type], &p->types[e->idx]))
        return trap(c, EBB_TRAP_INDIRECT_TYPE_MISMATCH);
    }
    return call_func(c, callee, args);
  }
  case E_MEMORY_SIZE: return c->st->mem_pages;
  case E_MEMORY_GROW: {
    uint32_t d = (uint32_t)eval(c, fi, l, e->a[0]);
    if (c->trap) return 0;
    uint32_t old = c->st->mem_pages;
    if ((uint64_t)old + d > program_mem_limit(p)) return 0xffffffffu;
    c->st->mem_pages = old + d; /* the bytes beyond are still zero */
    return old;
  }
  case E_BLOCK_BR_IF: {
    uint64_t v = eval(c, fi, l, e->a[0]);
    if (c->trap) return 0;
    uint64_t k = eval(c, fi, l, e->a[1]);
    if (c->trap) return 0;
    return (uint32_t)k ? v : eval(c, fi, l, e->a[2]);
  }
  case E_BR_TABLE: {
    uint64_t v = eval(c, fi, l, e->a[0]);
    if (c->trap) return 0;
    uint64_t k = eval(c, fi, l, e->a[1]);
    if (c->trap) return 0;
    if ((uint32_t)k != 0) return v; /* the default: straight out of the outer block */
    return binary(c, e->ty == T_I32 ? 0x6a : 0x7c, v, e->imm);
  }
  case E_VOUT: return vout(c, fi, l, e);
  case E_BLOCK_PARAMS: {
    uint64_t a = eval(c, fi, l, e->a[0]);
    if (c->trap) return 0;
    uint64_t b = eval(c, fi, l, e->a[1]);
    if (c->trap) return 0;
    return binary(c, e->op, a, b);
  }
  case E_IF: {
    uint64_t k = eval(c, fi, l, e->a[0]);
    if (c->trap) return 0;
    return eval(c, fi, l, (uint32_t)k ? e->a[1] : e->a[2]);
  }
  }
  abort();
}

static int exec_list(rctx *c, uint32_t fi, uint64_t *l, const stmt *s, uint64_t *ret);

static int exec(rctx *c, uint32_t fi, uint64_t *l, const stmt *s, uint64_t *ret) {
  switch (s->kind) {
  case S_LOCAL_SET: {
    uint64_t v = eval(c, fi, l, s->e[0]);
    if (c->trap) return R_TRAP;
    l[s->idx] = v;
    return R_NORMAL;
  }
  case S_GLOBAL_SET: {
    uint64_t v = eval(c, fi, l, s->e[0]);
    if (c->trap) return R_TRAP;
    c->st->globals[s->idx] = v;
    return R_NORMAL;
  }
  case S_STORE: {
    uint64_t a = eval(c, fi, l, s->e[0]);
    if (c->trap) return R_TRAP;
    uint64_t v = eval(c, fi, l, s->e[1]);
    if (c->trap) return R_TRAP;
    store(c, s->op, (uint32_t)a, s->imm, v);
    return c->trap ? R_TRAP : R_NORMAL;
  }
  case S_IF: {
    uint64_t k = eval(c, fi, l, s->e[0]);
    if (c->trap) return R_TRAP;
    return exec_list(c, fi, l, (uint32_t)k ? s->body : s->els, ret);
  }
  case S_LOOP: {
    if (s->align) { /* tested at the top */
      l[s->idx] = (uint32_t)(s->imm + 1);
      for (;;) {
        l[s->idx] = (uint32_t)(l[s->idx] - 1);
        if (!l[s->idx]) return R_NORMAL;
        int r = exec_list(c, fi, l, s->body, ret);
        if (r == R_BREAK) return R_NORMAL;
        if (r != R_NORMAL && r != R_CONTINUE) return r;
      }
    }
    l[s->idx] = (uint32_t)s->imm;
    for (;;) {
      int r = exec_list(c, fi, l, s->body, ret);
      if (r == R_BREAK) return R_NORMAL;
      if (r != R_NORMAL) return r;
      l[s->idx] = (uint32_t)(l[s->idx] - 1);
      if (!l[s->idx]) return R_NORMAL;
    }
  }
  case S_BREAK_IF: {
    uint64_t k = eval(c, fi, l, s->e[0]);
    if (c->trap) return R_TRAP;
    return (uint32_t)k ? R_BREAK : R_NORMAL;
  }
  case S_CONTINUE_IF: {
    uint64_t k = eval(c, fi, l, s->e[0]);
    if (c->trap) return R_TRAP;
    k &= 3;
    return k == 0 ? R_NORMAL : k == 1 ? R_CONTINUE : R_BREAK;
  }
  case S_DROP:
    eval(c, fi, l, s->e[0]);
    return c->trap ? R_TRAP : R_NORMAL;
  case S_RETURN:
    *ret = eval(c, fi, l, s->e[0]);
    return c->trap ? R_TRAP : R_RETURN;
  case S_FILL:
  case S_COPY:
  case S_INIT: {
    uint64_t v[3];
    for (int i = 0; i < 3; i++) {
      v[i] = (uint32_t)eval(c, fi, l, s->e[i]);
      if (c->trap) return R_TRAP;
    }
    uint64_t d = v[0], n = v[2], size = mem_size(c);
    if (d + n > size) return trap(c, EBB_TRAP_MEMORY_OOB), R_TRAP;
    if (s->kind == S_FILL) {
      memset(c->st->mem + d, (int)(uint8_t)v[1], n);
    } else if (s->kind == S_COPY) {
      if (v[1] + n > size) return trap(c, EBB_TRAP_MEMORY_OOB), R_TRAP;
      memmove(c->st->mem + d, c->st->mem + v[1], n);
    } else {
      if (v[1] + n > c->seglen[s->idx]) return trap(c, EBB_TRAP_MEMORY_OOB), R_TRAP;
      const uint8_t *src = s->idx ? c->p->passive : c->p->active;
      memcpy(c->st->mem + d, src + v[1], n);
    }
    return R_NORMAL;
  }
  case S_DATA_DROP: c->seglen[s->idx] = 0; return R_NORMAL;
  case S_SWITCH: {
    uint32_t k = (uint32_t)eval(c, fi, l, s->e[0]);
    if (c->trap) return R_TRAP;
    if (k >= s->ncases) return R_NORMAL;
    return exec_list(c, fi, l, s->cases[k], ret);
  }
  case S_UNREACHABLE: trap(c, EBB_TRAP_UNREACHABLE); return R_TRAP;
  }
  abort();
}

static int exec_list(rctx *c, uint32_t fi, uint64_t *l, const stmt *s, uint64_t *ret) {
  for (; s; s = s->next) {
    int r = exec(c, fi, l, s, ret);
    if (r != R_NORMAL) return r;
  }
  return R_NORMAL;
}

static uint64_t call_func(rctx *c, uint32_t fi, const uint64_t *args) {
  const func *f = &c->p->funcs[fi];
  const functype *ft = &c->p->types[f->type];
  uint64_t l[MAX_LOCALS] = {0};
  for (int i = 0; i < ft->nparams; i++) l[i] = args[i];
  uint64_t ret = 0;
  int r = exec_list(c, fi, l, f->body, &ret);
  if (r == R_TRAP) return 0;
  if (r == R_RETURN) return ret;
  return eval(c, fi, l, f->result);
}

void ref_run(const program *p, ref_state *st) {
  memset(st, 0, sizeof *st);
  st->mem = calloc(MAX_PAGES, PAGE);
  if (!st->mem) abort();
  st->mem_pages = p->mem_min;
  for (uint32_t i = 0; i < p->nglobals; i++) st->globals[i] = p->global_init[i];
  memcpy(st->mem + p->active_offset, p->active, p->active_len);
  rctx c = {.p = p, .st = st, .seglen = {0, p->passive_len}}; /* the active one is dropped */
  for (uint32_t i = 0; i < p->ncalls; i++) {
    c.trap = EBB_TRAP_NONE;
    uint64_t v = call_func(&c, p->calls[i].func, p->calls[i].args);
    st->out[i].trap = c.trap;
    st->out[i].value = c.trap ? 0 : v;
  }
}

void ref_free(ref_state *st) {
  free(st->mem);
  st->mem = NULL;
}
