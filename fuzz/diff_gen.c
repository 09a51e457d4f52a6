/*
** diff_gen.c -- the differential fuzzer's generator and encoder (see
** diff_gen.h). Every choice reads the next input byte; when the input runs
** out every choice is 0, and choice 0 is always the smallest one (a leaf, an
** empty list), so generation always ends.
*/
#include "diff_gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
  FUNC_BUDGET = 20000, /* estimated work per call of any function */
  NODE_CAP = 3000,     /* tree nodes per program */
  EXPR_DEPTH = 5,
  STMT_DEPTH = 3,
};

typedef struct gen {
  program *p;
  const uint8_t *d, *end;
  uint32_t fi;   /* the function being generated */
  func *f;
  int nlabels;   /* labels open at this point of the body */
  int loop_exit; /* the innermost loop's exit block (label number), or -1 */
  bool loop_top; /* the innermost loop is tested at the top: it may `continue` */
  size_t nodes;
  uint32_t risk; /* 0..3: how often to pick values that trap */
} gen;

enum { CHUNK = 64 * 1024 };

static void *node(gen *g, size_t size) {
  program *p = g->p;
  size = (size + 15) & ~(size_t)15;
  if (!p->nchunks || p->chunk_used + size > CHUNK) {
    p->chunks = realloc(p->chunks, (p->nchunks + 1) * sizeof *p->chunks);
    if (!p->chunks || !(p->chunks[p->nchunks] = malloc(CHUNK))) abort();
    p->nchunks++;
    p->chunk_used = 0;
  }
  void *n = (uint8_t *)p->chunks[p->nchunks - 1] + p->chunk_used;
  p->chunk_used += size;
  memset(n, 0, size);
  p->nnodes++;
  g->nodes++;
  return n;
}

void program_free(program *p) {
  for (size_t i = 0; i < p->nchunks; i++) free(p->chunks[i]);
  free(p->chunks);
  p->chunks = NULL;
  p->nchunks = p->nnodes = 0;
}

/* ---- Choices ---------------------------------------------------------------- */

static uint32_t byte(gen *g) { return g->d < g->end ? *g->d++ : 0; }

static uint32_t pick(gen *g, uint32_t n) {
  if (n <= 1) return 0;
  if (n <= 256) return byte(g) % n;
  uint32_t v = byte(g) | byte(g) << 8 | byte(g) << 16 | byte(g) << 24;
  return v % n;
}

static uint64_t bits64(gen *g) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v |= (uint64_t)byte(g) << (8 * i);
  return v;
}

/* Programs differ in how often they pick addresses, offsets, lengths and
** divisors that trap, so that some run long and some trap everywhere. */
static bool risky(gen *g) {
  static const uint32_t in32[] = {0, 2, 8, 24};
  return pick(g, 32) < in32[g->risk];
}

static uint64_t interesting(gen *g, int ty) {
  static const uint32_t v32[] = {0, 1, 2, 0xffffffffu, 0x7fffffffu, 0x80000000u, 0xffffu,
                                 0x10000u, 0xfffcu, 0xfffffffcu, 7, 8, 31, 32, 33, 0xff, 0x80};
  static const uint64_t v64[] = {0, 1, 2, UINT64_MAX, INT64_MAX, (uint64_t)INT64_MIN, 0xffffffffu,
                                 0x100000000ull, 0x80000000u, 63, 64, 65, 0xffff, 7};
  uint32_t n32 = sizeof v32 / sizeof *v32, n64 = sizeof v64 / sizeof *v64;
  if (ty == T_I32) {
    uint32_t c = pick(g, n32 + 2);
    return c < n32 ? v32[c] : c == n32 ? (uint32_t)bits64(g) : byte(g);
  }
  uint32_t c = pick(g, n64 + 2);
  return c < n64 ? v64[c] : c == n64 ? bits64(g) : byte(g);
}

/* Addresses near the ends of pages and of the 32-bit space. */
static uint32_t interesting_addr(gen *g) {
  static const uint32_t v[] = {0, 1, 0xfff8, 0xfffc, 0xffff, 0x10000, 0x1fff8, 0x1fffc, 0x1ffff,
                               0x20000, 0x3fffc, 0x40000, 0xffffffffu, 0xfffffff8u, 0xfffffffcu,
                               0x80000000u, 0x7ffffffcu};
  uint32_t n = sizeof v / sizeof *v;
  if (!risky(g)) return byte(g) << 8 | byte(g); /* somewhere in page 0 */
  uint32_t c = pick(g, n + 2);
  if (c < n) return v[c];
  return c == n ? pick(g, 0x40004) : (uint32_t)bits64(g);
}

static uint32_t interesting_offset(gen *g) {
  static const uint32_t v[] = {0, 1, 4, 8, 0xffff, 0x10000, 0xfffc, 0x1fff8,
                               0xffffffffu, 0xfffffff0u, 0x7fffffffu, 0x80000000u};
  uint32_t n = sizeof v / sizeof *v;
  if (!risky(g)) return byte(g) & 31;
  uint32_t c = pick(g, n + 1);
  return c < n ? v[c] : (uint32_t)bits64(g);
}

static uint32_t interesting_len(gen *g) {
  static const uint32_t v[] = {0, 1, 2, 16, 0x10000, 0xffffffffu, 0x8000, 0x20000};
  uint32_t n = sizeof v / sizeof *v;
  if (!risky(g)) return byte(g) & 63;
  uint32_t c = pick(g, n + 1);
  return c < n ? v[c] : byte(g);
}

/* ---- Opcodes ------------------------------------------------------------------ */

typedef struct memop {
  uint8_t op, size, ty;
} memop;

static const memop loads[] = {
    {0x28, 4, T_I32}, {0x2c, 1, T_I32}, {0x2d, 1, T_I32}, {0x2e, 2, T_I32}, {0x2f, 2, T_I32},
    {0x29, 8, T_I64}, {0x30, 1, T_I64}, {0x31, 1, T_I64}, {0x32, 2, T_I64}, {0x33, 2, T_I64},
    {0x34, 4, T_I64}, {0x35, 4, T_I64},
};
static const memop stores[] = {
    {0x36, 4, T_I32}, {0x3a, 1, T_I32}, {0x3b, 2, T_I32},
    {0x37, 8, T_I64}, {0x3c, 1, T_I64}, {0x3d, 2, T_I64}, {0x3e, 4, T_I64},
};

static uint8_t log2u(uint32_t n) { return n >= 8 ? 3 : n >= 4 ? 2 : n >= 2 ? 1 : 0; }

/* ---- Expressions ----------------------------------------------------------------- */

static expr *gen_expr(gen *g, int ty, int depth);

static expr *mk(gen *g, int kind, int ty) {
  expr *e = node(g, sizeof *e);
  e->kind = (uint8_t)kind;
  e->ty = (uint8_t)ty;
  return e;
}

static expr *mk_const(gen *g, int ty, uint64_t v) {
  expr *e = mk(g, E_CONST, ty);
  e->imm = ty == T_I32 ? (uint32_t)v : v;
  return e;
}

static bool risky(gen *g);
static bool is_div(uint16_t op) {
  return (op >= 0x6d && op <= 0x70) || (op >= 0x7f && op <= 0x82);
}

static expr *mk_bin(gen *g, int ty, uint16_t op, expr *a, expr *b) {
  if (is_div(op) && !risky(g)) { /* a divisor that is never zero */
    expr *one = mk(g, E_CONST, ty);
    one->imm = 1;
    expr *nz = mk(g, E_BINARY, ty);
    nz->op = ty == T_I32 ? 0x72 : 0x84; /* or */
    nz->a[0] = b;
    nz->a[1] = one;
    b = nz;
  }
  expr *e = mk(g, E_BINARY, ty);
  e->op = op;
  e->a[0] = a;
  e->a[1] = b;
  return e;
}

/* A local of type ty (writable: not a loop counter), or -1. */
static int pick_local(gen *g, int ty, bool writable) {
  uint32_t cand[MAX_LOCALS], n = 0;
  const functype *ft = &g->p->types[g->f->type];
  uint32_t total = ft->nparams + g->f->nlocals;
  for (uint32_t i = 0; i < total; i++)
    if (g->f->local_ty[i] == ty && !(writable && g->f->counter[i])) cand[n++] = i;
  return n ? (int)cand[pick(g, n)] : -1;
}

static expr *gen_leaf(gen *g, int ty) {
  switch (pick(g, 3)) {
  case 1: {
    int l = pick_local(g, ty, false);
    if (l < 0) break;
    expr *e = mk(g, E_LOCAL, ty);
    e->idx = (uint32_t)l;
    return e;
  }
  case 2: {
    uint32_t cand[MAX_GLOBALS], n = 0;
    for (uint32_t i = 0; i < g->p->nglobals; i++)
      if (g->p->global_ty[i] == ty) cand[n++] = i;
    if (!n) break;
    expr *e = mk(g, E_GLOBAL, ty);
    e->idx = cand[pick(g, n)];
    return e;
  }
  }
  return mk_const(g, ty, interesting(g, ty));
}

static expr *gen_addr(gen *g, int depth) {
  if (!risky(g))
    return mk_bin(g, T_I32, 0x71, gen_expr(g, T_I32, depth + 1), mk_const(g, T_I32, 0x7ff8));
  switch (pick(g, 8)) {
  case 0: return mk_const(g, T_I32, interesting_addr(g));
  case 1: /* the shape the compiler fuses into the access */
    return mk_bin(g, T_I32, 0x6a, gen_expr(g, T_I32, depth + 1),
                  mk_const(g, T_I32, interesting_addr(g)));
  case 7: return gen_expr(g, T_I32, depth + 1);
  default: /* mostly in bounds */
    return mk_bin(g, T_I32, 0x71, gen_expr(g, T_I32, depth + 1),
                  mk_const(g, T_I32, pick(g, 4) ? 0xfff8 : 0x1ffff));
  }
}

/* Where a bulk operation starts: an address, or anything when risky. */
static expr *gen_bulk_addr(gen *g) {
  if (!risky(g) || pick(g, 2)) return mk_const(g, T_I32, interesting_addr(g));
  return gen_expr(g, T_I32, 1);
}

static void gen_args(gen *g, expr *e, const functype *ft, int depth) {
  e->nargs = ft->nparams;
  for (uint32_t i = 0; i < ft->nparams; i++) e->args[i] = gen_expr(g, ft->params[i], depth + 1);
}

/* An f64 constant; its bits in imm. */
static expr *mk_fconst(gen *g) {
  static const double values[] = {
      0.0, -0.0, 1.0, -1.5, 0.1, 3.0, 1e300, -1e-300, 4.9e-324, 2147483647.5, -2147483648.5,
      4294967296.0, 9.3e18, -9.3e18, 1.9e19, __builtin_inf(), -__builtin_inf(), __builtin_nan(""),
  };
  expr *e = mk(g, E_CONST, T_F64);
  double v = values[pick(g, sizeof values / sizeof *values)];
  memcpy(&e->imm, &v, sizeof v);
  return e;
}

/* An f64 expression: constants, loads (the right operands ebb fuses into
** arithmetic), conversions from integers, add/sub/mul/div. */
static expr *gen_fexpr(gen *g, int depth) {
  if (depth >= EXPR_DEPTH || g->nodes > NODE_CAP) return mk_fconst(g);
  switch (pick(g, 6)) {
  case 0: return mk_fconst(g);
  case 1:
  case 2: {
    expr *e = mk(g, E_LOAD, T_F64);
    e->op = 0x2b; /* f64.load */
    e->align = (uint8_t)pick(g, 4);
    e->imm = interesting_offset(g);
    e->a[0] = gen_addr(g, depth);
    return e;
  }
  case 3: {
    int from = pick(g, 2) ? T_I64 : T_I32;
    expr *e = mk(g, E_UNARY, T_F64);
    e->op = (uint16_t)((from == T_I32 ? 0xb7 : 0xb9) + pick(g, 2)); /* convert _s / _u */
    e->a[0] = gen_expr(g, from, depth + 1);
    return e;
  }
  default: {
    expr *e = mk(g, E_BINARY, T_F64);
    e->op = (uint16_t)(0xa0 + pick(g, 4)); /* add, sub, mul, div */
    e->a[0] = gen_fexpr(g, depth + 1);
    e->a[1] = gen_fexpr(g, depth + 1);
    return e;
  }
  }
}

/* SIMD (integer lanes only, so no NaN reaches a result): ops as 0xfd
** sub-opcodes. */
static const uint16_t vbin_ops[] = {
    0x6e, 0x71, 0x6f, 0x70, 0x72, 0x73, 0x76, 0x77, 0x78, 0x79, 0x7b, 0x23, 0x25, 0x28, /* i8x16 */
    0x8e, 0x95, 0x82, 0x85, 0x86, 0x9c, 0x9f, 0x31, 0x34,                         /* i16x8 */
    0xae, 0xb1, 0xb5, 0xba, 0xb6, 0xb9, 0x3a, 0xbf,                               /* i32x4 */
    0xce, 0xd1, 0xd5, 0xd6, 0xd8, 0xdb, 0xdc,                                     /* i64x2 */
    0x4e, 0x4f, 0x50, 0x51, 0x0e, 0x65, 0x66,                 /* bitwise, swizzle, narrow */
};
static const uint16_t vun_ops[] = {0x4d, 0x60, 0x61, 0x62, 0x87, 0x8a, 0x7c, 0x7f,
                                   0xa1, 0xa0, 0xc0, 0xc1, 0xa7, 0xca};
static const uint16_t vshift_ops[] = {0x6b, 0x6c, 0x6d, 0x8b, 0x8c, 0x8d,
                                      0xab, 0xac, 0xad, 0xcb, 0xcc, 0xcd};

static expr *gen_vexpr(gen *g, int depth) {
  bool leaf = depth >= EXPR_DEPTH || g->nodes > NODE_CAP;
  switch (leaf ? pick(g, 2) : pick(g, 6)) {
  case 0: { /* splat of an integer */
    static const uint16_t ops[] = {0x0f, 0x10, 0x11, 0x12};
    expr *e = mk(g, E_VSPLAT, T_V128);
    e->op = ops[pick(g, 4)];
    int sty = e->op == 0x12 ? T_I64 : T_I32;
    e->a[0] = leaf ? mk_const(g, sty, interesting(g, sty)) : gen_expr(g, sty, depth + 1);
    return e;
  }
  case 1: { /* v128.load */
    expr *e = mk(g, E_VLOAD, T_V128);
    e->op = 0x00;
    e->align = (uint8_t)pick(g, 5);
    e->imm = interesting_offset(g);
    e->a[0] = leaf ? mk_const(g, T_I32, interesting_addr(g)) : gen_addr(g, depth);
    return e;
  }
  case 2: {
    expr *e = mk(g, E_VUN, T_V128);
    e->op = vun_ops[pick(g, sizeof vun_ops / sizeof *vun_ops)];
    e->a[0] = gen_vexpr(g, depth + 1);
    return e;
  }
  case 3: {
    expr *e = mk(g, E_VSHIFT, T_V128);
    e->op = vshift_ops[pick(g, sizeof vshift_ops / sizeof *vshift_ops)];
    e->a[0] = gen_vexpr(g, depth + 1);
    e->a[1] = pick(g, 2) ? mk_const(g, T_I32, interesting(g, T_I32)) : gen_expr(g, T_I32, depth + 1);
    return e;
  }
  default: {
    expr *e = mk(g, E_VBIN, T_V128);
    e->op = vbin_ops[pick(g, sizeof vbin_ops / sizeof *vbin_ops)];
    e->a[0] = gen_vexpr(g, depth + 1);
    e->a[1] = gen_vexpr(g, depth + 1);
    return e;
  }
  }
}

/* An i32 or i64 seen in a v128: a lane, a bitmask, any_true, all_true. */
static expr *gen_vout(gen *g, int ty, int depth) {
  static const struct { uint16_t op; uint8_t lanes; } i32_outs[] = {
      {0x15, 16}, {0x16, 16}, {0x18, 8}, {0x19, 8}, {0x1b, 4}, {0x53, 0}, {0x63, 0},
      {0x64, 0},  {0x83, 0},  {0x84, 0}, {0xa3, 0}, {0xa4, 0}, {0xc3, 0}, {0xc4, 0},
  };
  expr *e = mk(g, E_VOUT, ty);
  if (ty == T_I64) {
    e->op = 0x1d; /* i64x2.extract_lane */
    e->imm = pick(g, 2);
  } else {
    uint32_t k = pick(g, sizeof i32_outs / sizeof *i32_outs);
    e->op = i32_outs[k].op;
    e->imm = i32_outs[k].lanes ? pick(g, i32_outs[k].lanes) : 0;
  }
  e->a[0] = gen_vexpr(g, depth + 1);
  return e;
}

static expr *gen_expr(gen *g, int ty, int depth) {
  if (depth >= EXPR_DEPTH || g->nodes > NODE_CAP) return gen_leaf(g, ty);
  program *p = g->p;
  uint32_t choice = pick(g, 21);
  switch (choice) {
  case 0: return gen_leaf(g, ty);
  case 1: { /* unary */
    static const uint16_t u32[] = {0x67, 0x68, 0x69, 0xc0, 0xc1, 0x45};
    static const uint16_t u64[] = {0x79, 0x7a, 0x7b, 0xc2, 0xc3, 0xc4};
    expr *e = mk(g, E_UNARY, ty);
    e->op = ty == T_I32 ? u32[pick(g, 6)] : u64[pick(g, 6)];
    e->a[0] = gen_expr(g, ty, depth + 1);
    return e;
  }
  case 2: /* binary */
  case 3: {
    uint16_t op = (uint16_t)((ty == T_I32 ? 0x6a : 0x7c) + pick(g, 15));
    expr *a = gen_expr(g, ty, depth + 1), *b = gen_expr(g, ty, depth + 1);
    return mk_bin(g, ty, op, a, b);
  }
  case 4: { /* binary with a constant operand, either side */
    uint16_t op = (uint16_t)((ty == T_I32 ? 0x6a : 0x7c) + pick(g, 15));
    expr *c = mk_const(g, ty, interesting(g, ty)), *x = gen_expr(g, ty, depth + 1);
    return pick(g, 2) ? mk_bin(g, ty, op, c, x) : mk_bin(g, ty, op, x, c);
  }
  case 5: { /* comparison or conversion: operands of the other type too */
    if (ty == T_I32) {
      int oty = pick(g, 2) ? T_I64 : T_I32;
      switch (pick(g, 4)) {
      case 0: {
        expr *e = mk(g, E_UNARY, T_I32);
        e->op = 0xa7; /* i32.wrap_i64 */
        e->a[0] = gen_expr(g, T_I64, depth + 1);
        return e;
      }
      case 1: {
        expr *e = mk(g, E_UNARY, T_I32);
        e->op = 0x50; /* i64.eqz */
        e->a[0] = gen_expr(g, T_I64, depth + 1);
        return e;
      }
      default: {
        uint16_t op = (uint16_t)((oty == T_I32 ? 0x46 : 0x51) + pick(g, 10));
        expr *a = gen_expr(g, oty, depth + 1);
        expr *b = pick(g, 2) ? mk_const(g, oty, interesting(g, oty)) : gen_expr(g, oty, depth + 1);
        return mk_bin(g, T_I32, op, a, b);
      }
      }
    }
    expr *e = mk(g, E_UNARY, T_I64);
    e->op = pick(g, 2) ? 0xac : 0xad; /* i64.extend_i32_s / _u */
    e->a[0] = gen_expr(g, T_I32, depth + 1);
    return e;
  }
  case 6: { /* select */
    expr *e = mk(g, E_SELECT, ty);
    e->align = (uint8_t)pick(g, 2); /* the typed form */
    e->a[0] = gen_expr(g, ty, depth + 1);
    e->a[1] = gen_expr(g, ty, depth + 1);
    e->a[2] = gen_expr(g, T_I32, depth + 1);
    return e;
  }
  case 7: /* loads */
  case 8: {
    const memop *cand[16];
    uint32_t n = 0;
    for (size_t i = 0; i < sizeof loads / sizeof *loads; i++)
      if (loads[i].ty == ty) cand[n++] = &loads[i];
    const memop *m = cand[pick(g, n)];
    expr *e = mk(g, E_LOAD, ty);
    e->op = m->op;
    e->align = (uint8_t)pick(g, log2u(m->size) + 1u);
    e->imm = interesting_offset(g);
    e->a[0] = gen_addr(g, depth);
    return e;
  }
  case 9: { /* direct call of a later function */
    uint32_t cand[MAX_FUNCS], n = 0;
    for (uint32_t j = g->fi + 1; j < p->nfuncs; j++)
      if (p->types[p->funcs[j].type].result == ty) cand[n++] = j;
    if (!n) return gen_leaf(g, ty);
    expr *e = mk(g, E_CALL, ty);
    e->idx = cand[pick(g, n)];
    gen_args(g, e, &p->types[p->funcs[e->idx].type], depth);
    return e;
  }
  case 10: { /* call_indirect through slot fi+1+(x&3) */
    uint32_t cand[MAX_TYPES], n = 0;
    for (uint32_t t = 0; t < p->ntypes; t++)
      if (p->types[t].result == ty) cand[n++] = t;
    if (!n) return gen_leaf(g, ty);
    expr *e = mk(g, E_CALL_INDIRECT, ty);
    e->idx = cand[pick(g, n)];
    uint32_t slots[4], ns = 0;
    for (uint32_t k = g->fi + 1; k < g->fi + 5 && k < p->table_size; k++)
      if (p->table[k] >= 0 && p->types[p->funcs[p->table[k]].type].result == ty) slots[ns++] = k;
    if (!risky(g)) { /* a slot that holds a function of the right type */
      if (!ns) return gen_leaf(g, ty);
      uint32_t k = slots[pick(g, ns)];
      e->idx = p->funcs[p->table[k]].type;
      gen_args(g, e, &p->types[e->idx], depth);
      e->a[0] = mk_const(g, T_I32, k);
      return e;
    }
    gen_args(g, e, &p->types[e->idx], depth);
    expr *sel = mk_bin(g, T_I32, 0x71, gen_expr(g, T_I32, depth + 1), mk_const(g, T_I32, 3));
    e->a[0] = mk_bin(g, T_I32, 0x6a, mk_const(g, T_I32, g->fi + 1), sel);
    return e;
  }
  case 11: { /* memory.size / memory.grow */
    expr *e;
    if (pick(g, 2)) {
      e = mk(g, E_MEMORY_SIZE, T_I32);
    } else {
      e = mk(g, E_MEMORY_GROW, T_I32);
      e->a[0] = pick(g, 2) ? mk_const(g, T_I32, pick(g, 3)) : gen_expr(g, T_I32, depth + 1);
    }
    if (ty == T_I32) return e;
    expr *x = mk(g, E_UNARY, T_I64);
    x->op = 0xad;
    x->a[0] = e;
    return x;
  }
  case 12: { /* if with a result */
    expr *e = mk(g, E_IF, ty);
    e->a[0] = gen_expr(g, T_I32, depth + 1);
    e->a[1] = gen_expr(g, ty, depth + 1);
    e->a[2] = gen_expr(g, ty, depth + 1);
    return e;
  }
  case 13: { /* local.tee: a write inside an expression */
    int l = pick_local(g, ty, true);
    if (l < 0) return gen_leaf(g, ty);
    expr *e = mk(g, E_TEE, ty);
    e->idx = (uint32_t)l;
    e->a[0] = gen_expr(g, ty, depth + 1);
    return e;
  }
  case 14: { /* operand read before a later operand writes the same local */
    int l = pick_local(g, ty, true);
    if (l < 0) return gen_leaf(g, ty);
    expr *get = mk(g, E_LOCAL, ty), *tee = mk(g, E_TEE, ty);
    get->idx = tee->idx = (uint32_t)l;
    tee->a[0] = gen_expr(g, ty, depth + 1);
    uint16_t op = (uint16_t)((ty == T_I32 ? 0x6a : 0x7c) + pick(g, 15));
    return mk_bin(g, ty, op, get, tee);
  }
  case 15: { /* a block whose result comes from a taken br_if or its end */
    expr *e = mk(g, E_BLOCK_BR_IF, ty);
    e->a[0] = gen_expr(g, ty, depth + 1);
    e->a[1] = gen_expr(g, T_I32, depth + 1);
    e->a[2] = gen_expr(g, ty, depth + 1);
    return e;
  }
  case 16: { /* a value carried by br_table to one of two blocks */
    expr *e = mk(g, E_BR_TABLE, ty);
    e->a[0] = gen_expr(g, ty, depth + 1);
    e->a[1] = pick(g, 2) ? mk_const(g, T_I32, pick(g, 3)) : gen_expr(g, T_I32, depth + 1);
    e->imm = interesting(g, ty);
    return e;
  }
  case 17: { /* a block that takes its operands as parameters */
    expr *e = mk(g, E_BLOCK_PARAMS, ty);
    e->op = (uint16_t)((ty == T_I32 ? 0x6a : 0x7c) + pick(g, 15));
    e->a[0] = gen_expr(g, ty, depth + 1);
    e->a[1] = gen_expr(g, ty, depth + 1);
    if (is_div(e->op) && !risky(g)) { /* never zero, as mk_bin does */
      e->a[1] = mk_bin(g, ty, ty == T_I32 ? 0x72 : 0x84, e->a[1], mk_const(g, ty, 1));
    }
    return e;
  }
  case 18: { /* computed in f64: a comparison, or a saturating truncation */
    if (ty == T_I32 && pick(g, 3)) {
      expr *e = mk(g, E_BINARY, T_I32);
      e->op = (uint16_t)(0x61 + pick(g, 6)); /* f64.eq .. f64.ge */
      e->a[0] = gen_fexpr(g, depth + 1);
      e->a[1] = gen_fexpr(g, depth + 1);
      return e;
    }
    expr *e = mk(g, E_UNARY, ty);
    e->op = (uint16_t)((ty == T_I32 ? 0xfc02 : 0xfc06) + pick(g, 2)); /* trunc_sat_f64 _s/_u */
    e->a[0] = gen_fexpr(g, depth + 1);
    return e;
  }
  case 20: return gen_vout(g, ty, depth); /* computed in v128 lanes */
  default: return gen_leaf(g, ty);
  }
}

/* ---- Statements ------------------------------------------------------------------- */

static uint64_t expr_cost(const program *p, uint32_t fi, const expr *e) {
  if (!e) return 0;
  uint64_t c = 1;
  for (int i = 0; i < 3; i++) c += expr_cost(p, fi, e->a[i]);
  for (int i = 0; i < e->nargs; i++) c += expr_cost(p, fi, e->args[i]);
  if (e->kind == E_CALL) c += p->funcs[e->idx].cost;
  if (e->kind == E_CALL_INDIRECT) {
    uint64_t worst = 0;
    for (uint32_t k = fi + 1; k < fi + 5 && k < p->table_size; k++)
      if (p->table[k] >= 0 && p->funcs[p->table[k]].cost > worst) worst = p->funcs[p->table[k]].cost;
    c += worst;
  }
  return c;
}

static uint64_t list_cost(const program *p, uint32_t fi, const stmt *s);

static uint64_t stmt_cost(const program *p, uint32_t fi, const stmt *s) {
  uint64_t c = 1;
  for (int i = 0; i < 3; i++) c += expr_cost(p, fi, s->e[i]);
  c += list_cost(p, fi, s->body) + list_cost(p, fi, s->els);
  for (int i = 0; i < s->ncases; i++) c += list_cost(p, fi, s->cases[i]);
  if (s->kind == S_LOOP) c = 2 + s->imm * (list_cost(p, fi, s->body) + 5);
  return c;
}

static uint64_t list_cost(const program *p, uint32_t fi, const stmt *s) {
  uint64_t c = 0;
  for (; s; s = s->next) c += stmt_cost(p, fi, s);
  return c;
}

static stmt *gen_list(gen *g, int depth, uint64_t budget);

static stmt *mk_stmt(gen *g, int kind) {
  stmt *s = node(g, sizeof *s);
  s->kind = (uint8_t)kind;
  return s;
}

static expr *gen_cond(gen *g) {
  if (pick(g, 2)) return gen_expr(g, T_I32, 1);
  int ty = pick(g, 2) ? T_I64 : T_I32;
  uint16_t op = (uint16_t)((ty == T_I32 ? 0x46 : 0x51) + pick(g, 10));
  expr *a = gen_expr(g, ty, 2);
  expr *b = pick(g, 2) ? mk_const(g, ty, interesting(g, ty)) : gen_expr(g, ty, 2);
  return mk_bin(g, T_I32, op, a, b);
}

static stmt *gen_stmt(gen *g, int depth, uint64_t budget) {
  program *p = g->p;
  func *f = g->f;
  const functype *ft = &p->types[f->type];
  stmt *s;
  switch (pick(g, 18)) {
  case 1:
  case 2: {
    int ty = pick(g, 2) ? T_I64 : T_I32;
    int l = pick_local(g, ty, true);
    if (l < 0) goto drop;
    s = mk_stmt(g, S_LOCAL_SET);
    s->idx = (uint32_t)l;
    s->e[0] = gen_expr(g, ty, 0);
    return s;
  }
  case 3: {
    s = mk_stmt(g, S_GLOBAL_SET);
    s->idx = pick(g, p->nglobals);
    s->e[0] = gen_expr(g, p->global_ty[s->idx], 0);
    return s;
  }
  case 4:
  case 5: {
    const memop *m = &stores[pick(g, sizeof stores / sizeof *stores)];
    s = mk_stmt(g, S_STORE);
    s->op = m->op;
    s->align = (uint8_t)pick(g, log2u(m->size) + 1u);
    s->imm = interesting_offset(g);
    s->e[0] = gen_addr(g, 0);
    s->e[1] = gen_expr(g, m->ty, 1);
    return s;
  }
  case 6: {
    if (depth >= STMT_DEPTH) goto drop;
    s = mk_stmt(g, S_IF);
    s->e[0] = gen_cond(g);
    g->nlabels++;
    s->body = gen_list(g, depth + 1, budget);
    if (pick(g, 2)) s->els = gen_list(g, depth + 1, budget);
    g->nlabels--;
    return s;
  }
  case 7:
  case 8: {
    uint32_t total = ft->nparams + f->nlocals;
    if (depth >= STMT_DEPTH || total >= MAX_LOCALS) goto drop;
    s = mk_stmt(g, S_LOOP);
    s->idx = total;
    f->local_ty[total] = T_I32;
    f->counter[total] = true;
    f->nlocals++;
    s->imm = 1 + pick(g, 8);
    s->align = (uint8_t)pick(g, 2);
    int saved_exit = g->loop_exit;
    bool saved_top = g->loop_top;
    g->loop_exit = g->nlabels;
    g->loop_top = s->align;
    g->nlabels += 2;
    s->body = gen_list(g, depth + 1, budget / s->imm);
    g->nlabels -= 2;
    g->loop_exit = saved_exit;
    g->loop_top = saved_top;
    return s;
  }
  case 9: {
    if (g->loop_exit < 0) goto drop;
    s = mk_stmt(g, S_BREAK_IF);
    s->idx = (uint32_t)(g->nlabels - 1 - g->loop_exit);
    s->e[0] = gen_cond(g);
    return s;
  }
  case 10: {
    if (pick(g, 8)) goto drop;
    s = mk_stmt(g, S_RETURN);
    s->e[0] = gen_expr(g, ft->result, 0);
    return s;
  }
  case 11:
  case 12:
  case 13: {
    static const int kinds[] = {S_FILL, S_COPY, S_INIT};
    s = mk_stmt(g, kinds[pick(g, 3)]);
    s->e[0] = gen_bulk_addr(g);
    s->e[1] = s->kind == S_FILL   ? gen_expr(g, T_I32, 1)
              : s->kind == S_COPY ? gen_bulk_addr(g)
                                  : mk_const(g, T_I32, pick(g, MAX_SEG + 2));
    if (risky(g)) {
      s->e[2] = pick(g, 2) ? mk_const(g, T_I32, interesting_len(g)) : gen_expr(g, T_I32, 2);
      s->idx = pick(g, 2); /* S_INIT: segment 0 was dropped when instantiated */
    } else if (s->kind == S_INIT) {
      s->e[1]->imm = pick(g, 4);
      s->e[2] = mk_const(g, T_I32, pick(g, 8));
      s->idx = 1;
    } else {
      s->e[2] = pick(g, 2) ? mk_const(g, T_I32, byte(g) & 63)
                           : mk_bin(g, T_I32, 0x71, gen_expr(g, T_I32, 2), mk_const(g, T_I32, 63));
    }
    return s;
  }
  case 14: {
    if (!risky(g)) goto drop;
    s = mk_stmt(g, S_DATA_DROP);
    s->idx = pick(g, 2);
    return s;
  }
  case 15: {
    if (depth >= STMT_DEPTH) goto drop;
    s = mk_stmt(g, S_SWITCH);
    s->ncases = (uint8_t)(1 + pick(g, 3));
    s->e[0] = pick(g, 2) ? gen_expr(g, T_I32, 1) : mk_const(g, T_I32, pick(g, 5));
    int k = s->ncases;
    for (int j = 0; j < k; j++) {
      int labels = 1 + (k - 1 - j);
      g->nlabels += labels;
      s->cases[j] = gen_list(g, depth + 1, budget);
      g->nlabels -= labels;
    }
    return s;
  }
  case 16: {
    if (pick(g, 16)) goto drop;
    return mk_stmt(g, S_UNREACHABLE);
  }
  case 17: {
    if (g->loop_exit < 0 || !g->loop_top) goto drop;
    s = mk_stmt(g, S_CONTINUE_IF);
    s->idx = (uint32_t)(g->nlabels - 1 - g->loop_exit);
    s->e[0] = pick(g, 2) ? gen_expr(g, T_I32, 1) : mk_const(g, T_I32, pick(g, 5));
    return s;
  }
  default:
  drop: {
    s = mk_stmt(g, S_DROP);
    s->e[0] = gen_expr(g, pick(g, 2) ? T_I64 : T_I32, 0);
    return s;
  }
  }
}

static stmt *gen_list(gen *g, int depth, uint64_t budget) {
  stmt *head = NULL, **tail = &head;
  uint32_t n = pick(g, depth ? 4 : 8);
  uint64_t used = 0;
  for (uint32_t i = 0; i < n && g->nodes < NODE_CAP; i++) {
    stmt *s = gen_stmt(g, depth, budget - used);
    uint64_t c = stmt_cost(g->p, g->fi, s);
    if (c > budget - used) continue; /* too much work: leave it out */
    used += c;
    *tail = s;
    tail = &s->next;
  }
  return head;
}

/* ---- The program -------------------------------------------------------------------- */

void program_generate(program *p, const uint8_t *data, size_t size) {
  memset(p, 0, sizeof *p);
  gen g = {.p = p, .d = data, .end = data + size, .loop_exit = -1};
  g.risk = p->risk = pick(&g, 4);

  p->ntypes = 1 + pick(&g, MAX_TYPES);
  for (uint32_t t = 0; t < p->ntypes; t++) {
    functype *ft = &p->types[t];
    if (t && !pick(&g, 4)) { /* an equal type under another index */
      *ft = p->types[pick(&g, t)];
      continue;
    }
    ft->nparams = (uint8_t)pick(&g, MAX_PARAMS + 1);
    for (int i = 0; i < ft->nparams; i++) ft->params[i] = (uint8_t)pick(&g, 2);
    ft->result = (uint8_t)pick(&g, 2);
  }
  p->nglobals = 1 + pick(&g, MAX_GLOBALS);
  for (uint32_t i = 0; i < p->nglobals; i++) {
    p->global_ty[i] = (uint8_t)pick(&g, 2);
    p->global_init[i] = interesting(&g, p->global_ty[i]);
  }
  p->mem_min = 1 + pick(&g, 2);
  p->mem_has_max = pick(&g, 2);
  p->mem_max = p->mem_min + pick(&g, MAX_PAGES - p->mem_min + 1);
  static const uint32_t caps[] = {0, 2, 3, 4};
  p->store_pages = caps[pick(&g, 4)];
  if (p->store_pages && p->store_pages < p->mem_min) p->store_pages = p->mem_min;
  p->active_len = pick(&g, MAX_SEG + 1);
  uint32_t room = p->mem_min * 65536 - p->active_len;
  p->active_offset = pick(&g, 2) ? room : pick(&g, room + 1);
  for (uint32_t i = 0; i < p->active_len; i++) p->active[i] = (uint8_t)byte(&g);
  p->passive_len = pick(&g, MAX_SEG + 1);
  for (uint32_t i = 0; i < p->passive_len; i++) p->passive[i] = (uint8_t)byte(&g);

  p->nfuncs = 1 + pick(&g, MAX_FUNCS);
  for (uint32_t i = 0; i < p->nfuncs; i++) {
    func *f = &p->funcs[i];
    f->type = pick(&g, p->ntypes);
    const functype *ft = &p->types[f->type];
    for (int k = 0; k < ft->nparams; k++) f->local_ty[k] = ft->params[k];
    f->nlocals = pick(&g, 4);
    for (uint32_t k = 0; k < f->nlocals; k++) f->local_ty[ft->nparams + k] = (uint8_t)pick(&g, 2);
  }
  p->table_size = p->nfuncs + pick(&g, MAX_TABLE - p->nfuncs + 1);
  for (uint32_t k = 0; k < p->table_size; k++)
    p->table[k] = k < p->nfuncs && pick(&g, 4) ? (int32_t)k : -1;

  /* Bodies last to first: a body's cost includes its callees'. */
  for (uint32_t i = p->nfuncs; i-- > 0;) {
    func *f = &p->funcs[i];
    g.fi = i;
    g.f = f;
    g.nlabels = 1; /* the function body's own label */
    g.loop_exit = -1;
    g.loop_top = false;
    f->body = gen_list(&g, 0, FUNC_BUDGET);
    f->result = gen_expr(&g, p->types[f->type].result, 0);
    f->cost = list_cost(p, i, f->body) + expr_cost(p, i, f->result) + 1;
    if (f->cost > FUNC_BUDGET) { /* the result expression's calls overshot */
      f->result = mk_const(&g, p->types[f->type].result, 0);
      f->cost = list_cost(p, i, f->body) + 2;
    }
  }

  p->ncalls = 1 + pick(&g, MAX_CALLS);
  for (uint32_t c = 0; c < p->ncalls; c++) {
    call *cl = &p->calls[c];
    cl->func = pick(&g, p->nfuncs);
    const functype *ft = &p->types[p->funcs[cl->func].type];
    for (int k = 0; k < ft->nparams; k++) cl->args[k] = interesting(&g, ft->params[k]);
  }
}

uint32_t program_mem_limit(const program *p) {
  uint32_t lim = MAX_PAGES;
  if (p->mem_has_max && p->mem_max < lim) lim = p->mem_max;
  if (p->store_pages && p->store_pages < lim) lim = p->store_pages;
  return lim;
}

/* ---- Encoding ------------------------------------------------------------------------ */

typedef struct buf {
  uint8_t *b;
  size_t n, cap;
} buf;

static void put(buf *b, uint8_t v) {
  if (b->n == b->cap) {
    b->cap = b->cap ? b->cap * 2 : 1024;
    b->b = realloc(b->b, b->cap);
    if (!b->b) abort();
  }
  b->b[b->n++] = v;
}

static void put_bytes(buf *b, const void *p, size_t n) {
  for (size_t i = 0; i < n; i++) put(b, ((const uint8_t *)p)[i]);
}

static void uleb(buf *b, uint64_t v) {
  do {
    uint8_t c = v & 0x7f;
    v >>= 7;
    put(b, v ? c | 0x80 : c);
  } while (v);
}

static void sleb(buf *b, int64_t v) {
  for (;;) {
    uint8_t c = v & 0x7f;
    v >>= 7; /* arithmetic */
    if ((v == 0 && !(c & 0x40)) || (v == -1 && (c & 0x40))) {
      put(b, c);
      return;
    }
    put(b, c | 0x80);
  }
}

static void section(buf *out, uint8_t id, buf *content) {
  put(out, id);
  uleb(out, content->n);
  put_bytes(out, content->b, content->n);
  content->n = 0;
}

static uint8_t valtype(int ty) { return ty == T_I32 ? 0x7f : 0x7e; }

/* The two block types [t t] -> [t] follow the program's own types. */
static uint32_t enc_ntypes;
static uint32_t block_type_index(int ty) { return enc_ntypes + (ty == T_I32 ? 0 : 1); }

static void enc_expr(buf *b, const expr *e) {
  switch (e->kind) {
  case E_CONST:
    if (e->ty == T_F64) {
      put(b, 0x44);
      for (int i = 0; i < 8; i++) put(b, (uint8_t)(e->imm >> (8 * i)));
    } else if (e->ty == T_I32) {
      put(b, 0x41);
      sleb(b, (int32_t)(uint32_t)e->imm);
    } else {
      put(b, 0x42);
      sleb(b, (int64_t)e->imm);
    }
    break;
  case E_LOCAL: put(b, 0x20); uleb(b, e->idx); break;
  case E_TEE: enc_expr(b, e->a[0]); put(b, 0x22); uleb(b, e->idx); break;
  case E_GLOBAL: put(b, 0x23); uleb(b, e->idx); break;
  case E_UNARY:
    enc_expr(b, e->a[0]);
    if (e->op > 0xff) { /* a 0xfc-prefixed op */
      put(b, 0xfc);
      uleb(b, e->op & 0xff);
    } else {
      put(b, (uint8_t)e->op);
    }
    break;
  case E_BINARY:
    enc_expr(b, e->a[0]);
    enc_expr(b, e->a[1]);
    put(b, (uint8_t)e->op);
    break;
  case E_SELECT:
    enc_expr(b, e->a[0]);
    enc_expr(b, e->a[1]);
    enc_expr(b, e->a[2]);
    if (e->align) {
      put(b, 0x1c);
      put(b, 1);
      put(b, valtype(e->ty));
    } else {
      put(b, 0x1b);
    }
    break;
  case E_LOAD:
    enc_expr(b, e->a[0]);
    put(b, (uint8_t)e->op);
    uleb(b, e->align);
    uleb(b, (uint32_t)e->imm);
    break;
  case E_CALL:
    for (int i = 0; i < e->nargs; i++) enc_expr(b, e->args[i]);
    put(b, 0x10);
    uleb(b, e->idx);
    break;
  case E_CALL_INDIRECT:
    for (int i = 0; i < e->nargs; i++) enc_expr(b, e->args[i]);
    enc_expr(b, e->a[0]);
    put(b, 0x11);
    uleb(b, e->idx);
    put(b, 0);
    break;
  case E_MEMORY_SIZE: put(b, 0x3f); put(b, 0); break;
  case E_MEMORY_GROW: enc_expr(b, e->a[0]); put(b, 0x40); put(b, 0); break;
  case E_BLOCK_BR_IF:
    put(b, 0x02);
    put(b, valtype(e->ty));
    enc_expr(b, e->a[0]);
    enc_expr(b, e->a[1]);
    put(b, 0x0d);
    put(b, 0);
    put(b, 0x1a);
    enc_expr(b, e->a[2]);
    put(b, 0x0b);
    break;
  case E_BR_TABLE: {
    put(b, 0x02);
    put(b, valtype(e->ty));
    put(b, 0x02);
    put(b, valtype(e->ty));
    enc_expr(b, e->a[0]);
    enc_expr(b, e->a[1]);
    put(b, 0x0e);
    put(b, 1);
    put(b, 0);
    put(b, 1);
    put(b, 0x0b);
    expr k = {.kind = E_CONST, .ty = e->ty, .imm = e->imm};
    enc_expr(b, &k);
    put(b, e->ty == T_I32 ? 0x6a : 0x7c);
    put(b, 0x0b);
    break;
  }
  case E_BLOCK_PARAMS:
    enc_expr(b, e->a[0]);
    enc_expr(b, e->a[1]);
    put(b, 0x02);
    uleb(b, block_type_index(e->ty));
    put(b, (uint8_t)e->op);
    put(b, 0x0b);
    break;
  case E_IF:
    enc_expr(b, e->a[0]);
    put(b, 0x04);
    put(b, valtype(e->ty));
    enc_expr(b, e->a[1]);
    put(b, 0x05);
    enc_expr(b, e->a[2]);
    put(b, 0x0b);
    break;
  case E_VOUT:
  case E_VSPLAT:
  case E_VLOAD:
  case E_VUN:
  case E_VBIN:
  case E_VSHIFT:
    for (int i = 0; i < 2 && e->a[i]; i++) enc_expr(b, e->a[i]);
    put(b, 0xfd);
    uleb(b, e->op);
    if (e->kind == E_VLOAD) {
      uleb(b, e->align);
      uleb(b, (uint32_t)e->imm);
    } else if (e->kind == E_VOUT && ((e->op >= 0x15 && e->op <= 0x1b) || e->op == 0x1d)) {
      put(b, (uint8_t)e->imm); /* the lane */
    }
    break;
  }
}

static void enc_list(buf *b, const stmt *s);

static void enc_stmt(buf *b, const stmt *s) {
  switch (s->kind) {
  case S_LOCAL_SET: enc_expr(b, s->e[0]); put(b, 0x21); uleb(b, s->idx); break;
  case S_GLOBAL_SET: enc_expr(b, s->e[0]); put(b, 0x24); uleb(b, s->idx); break;
  case S_STORE:
    enc_expr(b, s->e[0]);
    enc_expr(b, s->e[1]);
    put(b, (uint8_t)s->op);
    uleb(b, s->align);
    uleb(b, (uint32_t)s->imm);
    break;
  case S_IF:
    enc_expr(b, s->e[0]);
    put(b, 0x04);
    put(b, 0x40);
    enc_list(b, s->body);
    if (s->els) {
      put(b, 0x05);
      enc_list(b, s->els);
    }
    put(b, 0x0b);
    break;
  case S_LOOP: {
    /* c = n (+1 if tested at the top); block loop
    **   top-tested:    br_if 1 (i32.eqz (c -= 1)); body; br 0
    **   bottom-tested: body; br_if 0 (c -= 1)
    ** end end */
    bool top = s->align;
    put(b, 0x41);
    sleb(b, (int64_t)s->imm + top);
    put(b, 0x21);
    uleb(b, s->idx);
    put(b, 0x02);
    put(b, 0x40);
    put(b, 0x03);
    put(b, 0x40);
    if (!top) enc_list(b, s->body);
    put(b, 0x20);
    uleb(b, s->idx);
    put(b, 0x41);
    put(b, 1);
    put(b, 0x6b); /* i32.sub */
    put(b, 0x22);
    uleb(b, s->idx);
    if (top) {
      put(b, 0x45); /* i32.eqz */
      put(b, 0x0d);
      put(b, 1);
      enc_list(b, s->body);
      put(b, 0x0c);
    } else {
      put(b, 0x0d);
    }
    put(b, 0);
    put(b, 0x0b);
    put(b, 0x0b);
    break;
  }
  case S_BREAK_IF: enc_expr(b, s->e[0]); put(b, 0x0d); uleb(b, s->idx); break;
  case S_DROP: enc_expr(b, s->e[0]); put(b, 0x1a); break;
  case S_RETURN: enc_expr(b, s->e[0]); put(b, 0x0f); break;
  case S_FILL:
  case S_COPY:
  case S_INIT:
    enc_expr(b, s->e[0]);
    enc_expr(b, s->e[1]);
    enc_expr(b, s->e[2]);
    put(b, 0xfc);
    if (s->kind == S_FILL) {
      put(b, 0x0b);
      put(b, 0);
    } else if (s->kind == S_COPY) {
      put(b, 0x0a);
      put(b, 0);
      put(b, 0);
    } else {
      put(b, 0x08);
      uleb(b, s->idx);
      put(b, 0);
    }
    break;
  case S_DATA_DROP: put(b, 0xfc); put(b, 0x09); uleb(b, s->idx); break;
  case S_SWITCH: {
    int k = s->ncases;
    for (int j = 0; j <= k; j++) { /* $exit, then $c(k-1) .. $c0 */
      put(b, 0x02);
      put(b, 0x40);
    }
    enc_expr(b, s->e[0]);
    put(b, 0x0e);
    uleb(b, (uint32_t)k);
    for (int j = 0; j < k; j++) uleb(b, (uint32_t)j);
    uleb(b, (uint32_t)k);
    for (int j = 0; j < k; j++) {
      put(b, 0x0b); /* end of $cj */
      enc_list(b, s->cases[j]);
      if (j < k - 1) {
        put(b, 0x0c);
        uleb(b, (uint32_t)(k - 1 - j));
      }
    }
    put(b, 0x0b); /* end of $exit */
    break;
  }
  case S_UNREACHABLE: put(b, 0x00); break;
  case S_CONTINUE_IF: /* block (br_table (e & 3) [0, loop, exit], exit) end */
    put(b, 0x02);
    put(b, 0x40);
    enc_expr(b, s->e[0]);
    put(b, 0x41);
    put(b, 3);
    put(b, 0x71); /* i32.and */
    put(b, 0x0e);
    uleb(b, 2);
    uleb(b, 0);
    uleb(b, s->idx);     /* the loop: one inside the exit, one more for this block */
    uleb(b, s->idx + 1); /* default: the exit */
    put(b, 0x0b);
    break;
  }
}

static void enc_list(buf *b, const stmt *s) {
  for (; s; s = s->next) enc_stmt(b, s);
}

void program_encode(const program *p, uint8_t **out, size_t *size) {
  buf m = {0}, c = {0}, body = {0};
  put_bytes(&m, "\0asm\1\0\0\0", 8);

  enc_ntypes = p->ntypes;
  uleb(&c, p->ntypes + 2);
  for (uint32_t t = 0; t < p->ntypes; t++) {
    put(&c, 0x60);
    uleb(&c, p->types[t].nparams);
    for (int i = 0; i < p->types[t].nparams; i++) put(&c, valtype(p->types[t].params[i]));
    put(&c, 1);
    put(&c, valtype(p->types[t].result));
  }
  for (int ty = T_I32; ty <= T_I64; ty++) { /* block types [t t] -> [t] */
    put(&c, 0x60);
    put(&c, 2);
    put(&c, valtype(ty));
    put(&c, valtype(ty));
    put(&c, 1);
    put(&c, valtype(ty));
  }
  section(&m, 1, &c);

  uleb(&c, p->nfuncs);
  for (uint32_t i = 0; i < p->nfuncs; i++) uleb(&c, p->funcs[i].type);
  section(&m, 3, &c);

  put(&c, 1); /* one funcref table, min = max = size */
  put(&c, 0x70);
  put(&c, 1);
  uleb(&c, p->table_size);
  uleb(&c, p->table_size);
  section(&m, 4, &c);

  put(&c, 1);
  put(&c, p->mem_has_max ? 1 : 0);
  uleb(&c, p->mem_min);
  if (p->mem_has_max) uleb(&c, p->mem_max);
  section(&m, 5, &c);

  uleb(&c, p->nglobals);
  for (uint32_t i = 0; i < p->nglobals; i++) {
    put(&c, valtype(p->global_ty[i]));
    put(&c, 1);
    expr k = {.kind = E_CONST, .ty = p->global_ty[i], .imm = p->global_init[i]};
    enc_expr(&c, &k);
    put(&c, 0x0b);
  }
  section(&m, 6, &c);

  uleb(&c, p->nfuncs + p->nglobals + 1);
  char name[16];
  for (uint32_t i = 0; i < p->nfuncs; i++) {
    int n = snprintf(name, sizeof name, "f%u", i);
    uleb(&c, (uint64_t)n);
    put_bytes(&c, name, (size_t)n);
    put(&c, 0);
    uleb(&c, i);
  }
  for (uint32_t i = 0; i < p->nglobals; i++) {
    int n = snprintf(name, sizeof name, "g%u", i);
    uleb(&c, (uint64_t)n);
    put_bytes(&c, name, (size_t)n);
    put(&c, 3);
    uleb(&c, i);
  }
  uleb(&c, 3);
  put_bytes(&c, "mem", 3);
  put(&c, 2);
  put(&c, 0);
  section(&m, 7, &c);

  uint32_t nelem = 0;
  for (uint32_t k = 0; k < p->table_size; k++) nelem += p->table[k] >= 0;
  uleb(&c, nelem);
  for (uint32_t k = 0; k < p->table_size; k++) {
    if (p->table[k] < 0) continue;
    put(&c, 0);
    put(&c, 0x41);
    sleb(&c, k);
    put(&c, 0x0b);
    put(&c, 1);
    uleb(&c, (uint32_t)p->table[k]);
  }
  section(&m, 9, &c);

  put(&c, 2);
  section(&m, 12, &c);

  uleb(&c, p->nfuncs);
  for (uint32_t i = 0; i < p->nfuncs; i++) {
    const func *f = &p->funcs[i];
    uleb(&body, f->nlocals);
    uint32_t np = p->types[f->type].nparams;
    for (uint32_t k = 0; k < f->nlocals; k++) {
      put(&body, 1);
      put(&body, valtype(f->local_ty[np + k]));
    }
    enc_list(&body, f->body);
    enc_expr(&body, f->result);
    put(&body, 0x0b);
    uleb(&c, body.n);
    put_bytes(&c, body.b, body.n);
    body.n = 0;
  }
  section(&m, 10, &c);

  put(&c, 2);
  put(&c, 0);
  put(&c, 0x41);
  sleb(&c, (int32_t)p->active_offset);
  put(&c, 0x0b);
  uleb(&c, p->active_len);
  put_bytes(&c, p->active, p->active_len);
  put(&c, 1);
  uleb(&c, p->passive_len);
  put_bytes(&c, p->passive, p->passive_len);
  section(&m, 11, &c);

  free(c.b);
  free(body.b);
  *out = m.b;
  *size = m.n;
}
