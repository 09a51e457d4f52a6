/*
** compile.c -- lowers one validated function body to internal code
** (compile/code.h) in a single pass, using the virtual operand stack of
** compile/emit.h. The body was validated, so this code asserts rather than
** reports; it reads instructions again with the decoder's ebb__read_instr.
*/
#include <assert.h>
#include <string.h>

#include "base/alloc.h"
#include "compile/emit.h"
#include "decode/instr.h"

typedef ebb__compiler C;

/* ---- Emission ------------------------------------------------------------- */

static void cell(C *c, uint32_t v) {
  if (ebb__vec_push(&c->code, v)) c->oom = true;
}

static uint32_t here(const C *c) { return (uint32_t)c->code.len; }

/* Start an instruction; it becomes `last` with no rewritable destination. */
static void op(C *c, int iop) {
  c->prev = c->last;
  c->last.start = here(c);
  c->last.iop = iop;
  c->last.dst_cell = 0;
  c->last.cmp = -1;
  cell(c, (uint32_t)c->dispatch[iop]);
}

static void end_instr(C *c) { c->last.end = here(c); }

/* Metered code starts each basic block with FUEL [units]; the count grows
** as the block's instructions are compiled. */
static void meter_start(C *c) {
  if (!c->meter) return;
  op(c, EBB_IOP_FUEL);
  c->fuel_cell = here(c);
  cell(c, 0);
  end_instr(c);
}

static void meter_count(C *c) {
  if (c->meter && !c->oom) c->code.data[c->fuel_cell]++;
}

/* A branch target is placed here: what came before may no longer be
** rewritten, because another path reaches this point too. A new basic
** block starts. */
static void label(C *c) {
  c->last.end = UINT32_MAX;
  meter_start(c);
}

static bool last_is_current(const C *c) { return c->last.end == here(c); }

/* ---- Branch chains -------------------------------------------------------- */

/* Emit a rel cell that jumps to a known (backward) target. */
static void rel_to(C *c, uint32_t target) { cell(c, (uint32_t)((int32_t)target - (int32_t)here(c))); }

/* Emit a rel cell to be patched later: add it to *chain. */
static void rel_chain(C *c, uint32_t *chain) {
  uint32_t at = here(c);
  cell(c, *chain);
  *chain = at + 1;
}

/* Point every cell of a chain at `target`. */
static void resolve(C *c, uint32_t chain, uint32_t target) {
  while (chain != EBB__NO_PATCH && !c->oom) {
    uint32_t at = chain - 1;
    chain = c->code.data[at];
    c->code.data[at] = (uint32_t)((int32_t)target - (int32_t)at);
  }
}

/* ---- The virtual operand stack ------------------------------------------- */

/* Homes are consecutive slots above the locals, two for a v128. */
static uint32_t next_home(const C *c) {
  if (!c->vs.len) return c->nlocals_total;
  const ebb__vs_entry *t = &c->vs.data[c->vs.len - 1];
  return t->home + ebb__slot_width(t->type);
}

static uint32_t home_at(const C *c, size_t pos) {
  return pos < c->vs.len ? c->vs.data[pos].home : next_home(c);
}

static void materialize_all(C *c);

static ebb__vs_entry *push(C *c, uint8_t kind, ebb__valtype type) {
  ebb__vs_entry e = {kind, type, next_home(c), 0, 0};
  if (kind != VS_TEMP && c->lazy_from > c->vs.len) c->lazy_from = c->vs.len;
  if (kind != VS_TEMP && c->vs.len - c->lazy_from >= EBB__MAX_LAZY) materialize_all(c);
  if (ebb__vec_push(&c->vs, e)) {
    c->oom = true;
    return &c->oom_sink;
  }
  uint32_t top = e.home + ebb__slot_width(type);
  if (top > c->max_slots) c->max_slots = top;
  return &c->vs.data[c->vs.len - 1];
}

static uint32_t push_temp(C *c, ebb__valtype type) { return push(c, VS_TEMP, type)->home; }

static ebb__vs_entry pop(C *c) {
  assert(c->vs.len > 0);
  return c->vs.data[--c->vs.len];
}

static bool is64(ebb__valtype t) { return t != EBB__I32 && t != EBB__F32; }

static void emit_const(C *c, uint32_t dst, ebb__valtype type, uint64_t v) {
  if (is64(type)) {
    op(c, EBB_IOP_CONST64);
    cell(c, dst);
    cell(c, (uint32_t)v);
    cell(c, (uint32_t)(v >> 32));
  } else {
    op(c, EBB_IOP_CONST32);
    cell(c, dst);
    cell(c, (uint32_t)v);
  }
  end_instr(c);
}

/* Copy n slots from src.. to dst.. (ranges may overlap). One instruction
** whatever n is, so that a branch carrying many values is not a large
** instruction sequence: a 2-byte br_if carrying 1,000 values was 12 KB. */
static void emit_copy_n(C *c, uint32_t dst, uint32_t src, uint32_t n) {
  if (dst == src || n == 0) return;
  op(c, EBB_IOP_COPY_N);
  cell(c, dst);
  cell(c, src);
  cell(c, n);
  end_instr(c);
}

static void emit_copy(C *c, uint32_t dst, uint32_t src) {
  if (dst == src) return;
  op(c, EBB_IOP_COPY);
  cell(c, dst);
  cell(c, src);
  end_instr(c);
}

/* Copy one value of `type`. */
static void emit_copy_val(C *c, uint32_t dst, uint32_t src, ebb__valtype type) {
  if (type != EBB__V128) {
    emit_copy(c, dst, src);
  } else if (dst != src) {
    op(c, EBB_IOP_COPY128);
    cell(c, dst);
    cell(c, src);
    end_instr(c);
  }
}

/* Copy the values from stack position `from` up to the top, whose homes
** are consecutive, to the slots from `dst` on. */
static void copy_values(C *c, uint32_t dst, size_t from) {
  uint32_t src = home_at(c, from), n = (uint32_t)(c->vs.len - from);
  uint32_t slots = next_home(c) - src;
  if (n <= 2 && slots == n) {
    for (uint32_t i = 0; i < n; i++) emit_copy(c, dst + i, src + i);
  } else {
    emit_copy_n(c, dst, src, slots);
  }
}

/* Put entry e's value into its home slot. v128 values are never CONST. */
static void materialize(C *c, ebb__vs_entry *e) {
  if (e->kind == VS_LOCAL) emit_copy_val(c, e->home, e->slot, e->type);
  else if (e->kind == VS_CONST) emit_const(c, e->home, e->type, e->value);
  e->kind = VS_TEMP;
}

static void materialize_all(C *c) {
  for (size_t i = c->lazy_from; i < c->vs.len; i++) materialize(c, &c->vs.data[i]);
  c->lazy_from = c->vs.len;
}

/* The slot an operand (already popped) is read from; constants are written
** to their home first. */
static uint32_t use(C *c, ebb__vs_entry *e) {
  if (e->kind == VS_CONST) materialize(c, e);
  return e->kind == VS_LOCAL ? e->slot : e->home;
}

/* Push the result of an instruction whose destination cell is `dst_cell`. */
static void result_written(C *c, uint32_t dst_cell) {
  end_instr(c);
  c->last.dst_cell = dst_cell;
}

/* ---- Control -------------------------------------------------------------- */

static ebb__ctl *ctl_at(C *c, uint32_t depth) { return &c->ctl.data[c->ctl.len - 1 - depth]; }

static ebb__ctl *ctl_top(C *c) { return ctl_at(c, 0); }

static bool dead(C *c) { return ctl_top(c)->unreachable || ctl_top(c)->dead; }

static void blocktype(C *c, int64_t bt, ebb__ctl *k) {
  static const ebb__valtype single[] = {EBB__I32, EBB__I64, EBB__F32, EBB__F64, EBB__V128,
                                        EBB__FUNCREF, EBB__EXTERNREF};
  k->nparams = k->nresults = 0;
  k->params = k->results = NULL;
  if (bt == -64) return;
  if (bt < 0) {
    ebb__valtype t = (ebb__valtype)(bt & 0x7f);
    for (size_t i = 0; i < sizeof single; i++)
      if (single[i] == t) k->results = &single[i];
    k->nresults = 1;
    return;
  }
  const ebb__functype *ft = &c->m->types[bt];
  k->nparams = ft->nparams;
  k->nresults = ft->nresults;
  k->params = EBB__PARAMS(ft);
  k->results = EBB__RESULTS(ft);
}

static void push_ctl(C *c, uint8_t kind, int64_t bt) {
  ebb__ctl k;
  memset(&k, 0, sizeof k);
  k.kind = kind;
  k.dead = dead(c);
  blocktype(c, bt, &k);
  k.height = (uint32_t)c->vs.len - (k.dead ? 0 : k.nparams);
  if (ebb__vec_push(&c->ctl, k)) c->oom = true;
}

/* Reset the operand stack to a block's base plus `n` values of `types`, all
** in their homes: the state after an `else`, an `end` or a branch. */
static void reset_stack(C *c, uint32_t height, uint32_t n, const ebb__valtype *types) {
  c->vs.len = height;
  for (uint32_t i = 0; i < n; i++) push_temp(c, types[i]);
}

static void mark_unreachable(C *c) {
  ebb__ctl *k = ctl_top(c);
  k->unreachable = true;
  c->vs.len = k->height;
}

/* Arity and values a branch to `k` carries. */
static uint32_t branch_arity(const ebb__ctl *k) {
  return k->kind == CTL_LOOP ? k->nparams : k->nresults;
}

/* True if a branch to k needs values copied into k's homes. */
static bool branch_needs_copies(C *c, const ebb__ctl *k) {
  uint32_t n = branch_arity(k);
  return n && c->vs.data[c->vs.len - n].home != home_at(c, k->height);
}

/* After materialize_all the values are in their homes, which are
** consecutive slots. */
static void branch_copies(C *c, const ebb__ctl *k) {
  copy_values(c, home_at(c, k->height), c->vs.len - branch_arity(k));
}

/* The rel cell of a branch to k. */
static void branch_rel(C *c, ebb__ctl *k) {
  if (k->kind == CTL_LOOP) rel_to(c, k->loop_start);
  else rel_chain(c, &k->end_chain);
}

static void emit_br(C *c, ebb__ctl *k) {
  bool loop = k->kind == CTL_LOOP;
  /* A COPY or CONST32 just before takes the branch over (code.h). */
  if (last_is_current(c) && !c->oom &&
      (c->last.iop == EBB_IOP_COPY || c->last.iop == EBB_IOP_CONST32)) {
    int iop = c->last.iop == EBB_IOP_COPY ? (loop ? EBB_IOP_COPY_BR_LOOP : EBB_IOP_COPY_BR)
                                          : (loop ? EBB_IOP_CONST_BR_LOOP : EBB_IOP_CONST_BR);
    c->code.data[c->last.start] = (uint32_t)c->dispatch[iop];
    c->last.iop = iop;
    c->last.dst_cell = 0;
    c->last.cmp = -1;
    branch_rel(c, k);
    end_instr(c);
    return;
  }
  op(c, loop ? EBB_IOP_BR_LOOP : EBB_IOP_BR);
  branch_rel(c, k);
  end_instr(c);
}

/* A condition for a conditional branch: a slot, or an i32 comparison taken
** over from the instruction that computed it. */
typedef struct cond {
  int cmp; /* -1: `slot` is the condition */
  bool imm;
  uint32_t slot, a, b;
  /* The instruction just before the condition, which the branch may take
  ** over if nothing is emitted in between (code.h, the _BR_ forms): its
  ** first cell and its end (pre_end 0: none). */
  uint32_t pre_at, pre_end;
  int pre_iop;
  /* A COPY just before the comparison, which a compare-and-branch may take
  ** over likewise (copy_end 0: none). */
  uint32_t copy_at, copy_end;
} cond;

static int swapped_op(int wop);

static int negate_cmp(int cmp) {
  switch (cmp) {
  case EBB_OP_I32_EQ: return EBB_OP_I32_NE;
  case EBB_OP_I32_NE: return EBB_OP_I32_EQ;
  case EBB_OP_I32_LT_S: return EBB_OP_I32_GE_S;
  case EBB_OP_I32_LT_U: return EBB_OP_I32_GE_U;
  case EBB_OP_I32_GT_S: return EBB_OP_I32_LE_S;
  case EBB_OP_I32_GT_U: return EBB_OP_I32_LE_U;
  case EBB_OP_I32_LE_S: return EBB_OP_I32_GT_S;
  case EBB_OP_I32_LE_U: return EBB_OP_I32_GT_U;
  case EBB_OP_I32_GE_S: return EBB_OP_I32_LT_S;
  case EBB_OP_I32_GE_U: return EBB_OP_I32_LT_U;
  default: return -1;
  }
}

static int fused_iop(int cmp, bool imm) {
  switch (cmp) {
#define EBB__F_(name)                                                                \
  case EBB_OP_##name: return imm ? EBB_IOP_BR_IF_##name##_IMM : EBB_IOP_BR_IF_##name;
    EBB__IOP_CMP32(EBB__F_)
#undef EBB__F_
  default: return -1;
  }
}

/* Pop an i32 condition. If the instruction just emitted computed it with a
** comparison, remove that instruction and branch on the comparison itself. */
/* The fused-branch family of an instruction (code.h, the _BR_ forms), or -1. */
enum { PRE_ADD, PRE_AND, PRE_L8U, PRE_L16U, PRE_L32 };

static int pre_family(int iop) {
  switch (iop) {
  case EBB_IOP_I32_ADD_IMM:
  case EBB_IOP_I32_ADD_IMM2: return PRE_ADD;
  case EBB_IOP_I32_AND_IMM: return PRE_AND;
  case EBB_IOP_LOAD8_U: return PRE_L8U;
  case EBB_IOP_LOAD16_U: return PRE_L16U;
  case EBB_IOP_LOAD32_U: return PRE_L32;
  default: return -1;
  }
}

static cond pop_cond(C *c) {
  cond k = {-1, false, 0, 0, 0, 0, 0, -1, 0, 0};
  ebb__vs_entry e = pop(c);
  if (e.kind == VS_TEMP && last_is_current(c) && c->last.cmp >= 0 && c->last.dst_cell &&
      c->code.data[c->last.dst_cell] == e.home) {
    k.cmp = c->last.cmp;
    k.imm = c->last.cmp_imm;
    k.a = c->last.a;
    k.b = c->last.b;
    if (c->prev.end == c->last.start && pre_family(c->prev.iop) >= 0) {
      k.pre_at = c->prev.start;
      k.pre_end = c->prev.end;
      k.pre_iop = c->prev.iop;
    }
    if (c->prev.end == c->last.start && c->prev.iop == EBB_IOP_COPY) {
      k.copy_at = c->prev.start;
      k.copy_end = c->prev.end;
    }
    c->code.len = c->last.start;
    c->last.end = UINT32_MAX;
    return k;
  }
  k.slot = use(c, &e);
  if (last_is_current(c) && c->last.iop == EBB_IOP_COPY) {
    k.copy_at = c->last.start;
    k.copy_end = c->last.end;
  }
  if (last_is_current(c) && pre_family(c->last.iop) >= 0) {
    k.pre_at = c->last.start;
    k.pre_end = c->last.end;
    k.pre_iop = c->last.iop;
  }
  return k;
}

/* If the condition tests the result of the instruction just before it (a
** _BR_ family's), and nothing was emitted since, remove that instruction
** (the second add of a pair: split it off) and give its cells [d, x, y]
** and its family. The condition then compares d first: a plain slot is
** d != 0. */
static int take_cond_pre(C *c, cond *k, uint32_t pre[3]) {
  if (!k->pre_end || here(c) != k->pre_end || c->oom) return -1;
  uint32_t *ins = &c->code.data[k->pre_at];
  int fam = pre_family(k->pre_iop);
  bool pair = k->pre_iop == EBB_IOP_I32_ADD_IMM2;
  uint32_t *d = pair ? ins + 4 : ins + 1;
  if (k->cmp < 0) {
    if (d[0] != k->slot) return -1;
    k->cmp = EBB_OP_I32_NE;
    k->imm = true;
    k->a = k->slot;
    k->b = 0;
  } else if (d[0] != k->a) {
    if (k->imm || d[0] != k->b) return -1;
    k->cmp = swapped_op(k->cmp);
    k->b = k->a;
    k->a = d[0];
  }
  memcpy(pre, d, 3 * sizeof *pre);
  if (pair) {
    ins[0] = (uint32_t)c->dispatch[EBB_IOP_I32_ADD_IMM];
    c->code.len = k->pre_at + 4;
  } else {
    c->code.len = k->pre_at;
  }
  c->last.end = UINT32_MAX;
  return fam;
}

static int pre_fused_iop(int fam, int cmp, bool imm) {
  switch (cmp) {
#define EBB__F_(name)                                                                \
  case EBB_OP_##name:                                                                \
    switch (fam) {                                                                   \
    case PRE_ADD: return imm ? EBB_IOP_ADD_BR_##name##_IMM : EBB_IOP_ADD_BR_##name;  \
    case PRE_AND: return imm ? EBB_IOP_AND_BR_##name##_IMM : EBB_IOP_AND_BR_##name;  \
    case PRE_L8U: return imm ? EBB_IOP_L8U_BR_##name##_IMM : EBB_IOP_L8U_BR_##name;  \
    case PRE_L16U: return imm ? EBB_IOP_L16U_BR_##name##_IMM : EBB_IOP_L16U_BR_##name; \
    default: return imm ? EBB_IOP_L32_BR_##name##_IMM : EBB_IOP_L32_BR_##name;       \
    }
    EBB__IOP_CMP32(EBB__F_)
#undef EBB__F_
  default: return -1;
  }
}

static int copy_fused_iop(int cmp, bool imm) {
  switch (cmp) {
#define EBB__F_(name)                                                                \
  case EBB_OP_##name: return imm ? EBB_IOP_COPY_BR_##name##_IMM : EBB_IOP_COPY_BR_##name;
    EBB__IOP_CMP32(EBB__F_)
#undef EBB__F_
  default: return -1;
  }
}

/* If a COPY just before the condition is still the last thing emitted,
** remove it and give its [dst, src]. */
static bool take_cond_copy(C *c, const cond *k, uint32_t cp[2]) {
  if (!k->copy_end || here(c) != k->copy_end || c->oom) return false;
  cp[0] = c->code.data[k->copy_at + 1];
  cp[1] = c->code.data[k->copy_at + 2];
  c->code.len = k->copy_at;
  c->last.end = UINT32_MAX;
  return true;
}

/* Emit "if (cond) == when goto <rel>" and leave the rel cell to the caller. */
static void branch_on(C *c, cond k, bool when, int iop_if, int iop_unless) {
  uint32_t pre[3], cp[2];
  int fam = take_cond_pre(c, &k, pre);
  if (fam >= 0) {
    op(c, pre_fused_iop(fam, when ? k.cmp : negate_cmp(k.cmp), k.imm));
    for (int i = 0; i < 3; i++) cell(c, pre[i]);
    cell(c, k.b);
  } else if (take_cond_copy(c, &k, cp)) {
    /* COPY, then the branch: the COPY_BR_ forms copy first. */
    if (k.cmp >= 0) {
      op(c, copy_fused_iop(when ? k.cmp : negate_cmp(k.cmp), k.imm));
      cell(c, cp[0]);
      cell(c, cp[1]);
      cell(c, k.a);
      cell(c, k.b);
    } else {
      op(c, when ? EBB_IOP_COPY_BR_IF : EBB_IOP_COPY_BR_UNLESS);
      cell(c, cp[0]);
      cell(c, cp[1]);
      cell(c, k.slot);
    }
  } else if (k.cmp >= 0) {
    int cmp = when ? k.cmp : negate_cmp(k.cmp);
    op(c, fused_iop(cmp, k.imm));
    cell(c, k.a);
    cell(c, k.b);
  } else {
    op(c, when ? iop_if : iop_unless);
    cell(c, k.slot);
  }
}

static void do_br_if(C *c, uint32_t depth) {
  cond k = pop_cond(c);
  materialize_all(c);
  ebb__ctl *t = ctl_at(c, depth);
  if (!branch_needs_copies(c, t)) {
    uint32_t cp[2];
    if (t->kind == CTL_LOOP && k.cmp < 0 && !(k.pre_end && here(c) == k.pre_end)) {
      if (take_cond_copy(c, &k, cp)) {
        op(c, EBB_IOP_COPY_BR_IF_LOOP);
        cell(c, cp[0]);
        cell(c, cp[1]);
      } else {
        op(c, EBB_IOP_BR_IF_LOOP);
      }
      cell(c, k.slot);
      rel_to(c, t->loop_start);
    } else {
      /* Fused compare-branches are safe points when taken (interp.c). */
      branch_on(c, k, true, EBB_IOP_BR_IF, EBB_IOP_BR_UNLESS);
      branch_rel(c, t);
    }
    end_instr(c);
    meter_start(c); /* the fall-through is a basic block of its own */
    return;
  }
  uint32_t skip = EBB__NO_PATCH;
  branch_on(c, k, false, EBB_IOP_BR_IF, EBB_IOP_BR_UNLESS);
  rel_chain(c, &skip);
  end_instr(c);
  branch_copies(c, t);
  emit_br(c, t);
  resolve(c, skip, here(c));
  label(c);
}

static void do_br(C *c, uint32_t depth) {
  materialize_all(c);
  ebb__ctl *t = ctl_at(c, depth);
  branch_copies(c, t);
  emit_br(c, t);
  mark_unreachable(c);
}

static void emit_return(C *c) {
  materialize_all(c);
  uint32_t n = c->nresults;
  if (n == 1 && c->results[0] != EBB__V128) {
    op(c, EBB_IOP_RET1);
    cell(c, c->vs.data[c->vs.len - 1].home);
  } else {
    copy_values(c, 0, c->vs.len - n);
    op(c, EBB_IOP_RET);
  }
  end_instr(c);
}

static void do_br_table(C *c, ebb__reader *r, uint32_t count) {
  ebb__vs_entry idx = pop(c);
  uint32_t idx_slot = use(c, &idx);
  materialize_all(c);
  uint32_t *depths = ebb__calloc(count + 1, sizeof *depths);
  if (!depths) {
    c->oom = true;
    return;
  }
  for (uint32_t i = 0; i <= count; i++) ebb__read_u32(r, &depths[i]);
  op(c, EBB_IOP_BR_TABLE);
  cell(c, idx_slot);
  cell(c, count);
  uint32_t table = here(c);
  for (uint32_t i = 0; i <= count; i++) cell(c, 0);
  end_instr(c);
  /* Targets that need values moved get a stub after the table, one per
  ** target however many labels name it (stamped with this table's cell). */
  for (uint32_t i = 0; i <= count && !c->oom; i++) {
    ebb__ctl *t = ctl_at(c, depths[i]);
    uint32_t at = table + i;
    if (branch_needs_copies(c, t)) {
      if (t->stub_stamp != table) {
        t->stub_stamp = table;
        t->stub_at = here(c);
        branch_copies(c, t);
        emit_br(c, t);
      }
      c->code.data[at] = t->stub_at - at;
    } else if (t->kind == CTL_LOOP) {
      c->code.data[at] = (uint32_t)((int32_t)t->loop_start - (int32_t)at);
    } else {
      c->code.data[at] = t->end_chain;
      t->end_chain = at + 1;
    }
  }
  ebb__free(depths);
  mark_unreachable(c);
}

static void do_block(C *c, uint8_t kind, int64_t bt) {
  if (!dead(c)) materialize_all(c);
  push_ctl(c, kind, bt);
  if (kind == CTL_LOOP) {
    ctl_top(c)->loop_start = here(c);
    label(c);
  }
}

static void do_if(C *c, int64_t bt) {
  if (dead(c)) {
    push_ctl(c, CTL_IF, bt);
    return;
  }
  cond k = pop_cond(c);
  materialize_all(c);
  push_ctl(c, CTL_IF, bt);
  branch_on(c, k, false, EBB_IOP_BR_IF, EBB_IOP_BR_UNLESS);
  rel_chain(c, &ctl_top(c)->else_chain);
  end_instr(c);
  meter_start(c); /* the then-arm */
}

static void do_else(C *c) {
  ebb__ctl *k = ctl_top(c);
  if (!k->dead) {
    if (!k->unreachable) {
      materialize_all(c);
      op(c, EBB_IOP_BR);
      rel_chain(c, &k->end_chain);
      end_instr(c);
    }
    resolve(c, k->else_chain, here(c));
    k->else_chain = EBB__NO_PATCH;
    label(c);
  }
  k->kind = CTL_ELSE;
  k->unreachable = false;
  if (!k->dead) reset_stack(c, k->height, k->nparams, k->params);
}

/* Returns true at the function's final end. */
static bool do_end(C *c) {
  ebb__ctl *k = ctl_top(c);
  if (k->kind == CTL_FUNC) {
    if (!k->unreachable) emit_return(c);
    resolve(c, k->end_chain, here(c));
    if (k->end_chain != EBB__NO_PATCH) {
      label(c);
      reset_stack(c, k->height, c->nresults, c->results);
      emit_return(c);
    }
    c->ctl.len--;
    return true;
  }
  if (!k->dead) {
    if (!k->unreachable) materialize_all(c);
    resolve(c, k->end_chain, here(c));
    resolve(c, k->else_chain, here(c)); /* an if without else */
    label(c);
    reset_stack(c, k->height, k->nresults, k->results);
  }
  c->ctl.len--;
  return false;
}

/* ---- Calls ---------------------------------------------------------------- */

static void do_call(C *c, int iop, const ebb__functype *ft, uint32_t a, uint32_t b,
                    bool indirect) {
  uint32_t idx_slot = 0;
  if (indirect) {
    ebb__vs_entry idx = pop(c);
    idx_slot = use(c, &idx);
  }
  materialize_all(c);
  uint32_t argslot = home_at(c, c->vs.len - ft->nparams);
  op(c, iop);
  cell(c, a);
  if (indirect) cell(c, b);
  cell(c, argslot);
  if (indirect) cell(c, idx_slot);
  end_instr(c);
  c->vs.len -= ft->nparams;
  for (uint32_t i = 0; i < ft->nresults; i++) push_temp(c, EBB__RESULTS(ft)[i]);
  /* The callee's frame starts at argslot; results may exceed the params. */
  uint32_t nslots = ebb__slot_count(EBB__PARAMS(ft), ft->nparams);
  if (argslot + nslots > c->max_slots) c->max_slots = argslot + nslots;
}

/* ---- Variables ------------------------------------------------------------ */

/* `local.set`/`local.tee`: store the top value into local `idx`. */
static void do_local_set(C *c, uint32_t x, bool tee) {
  uint32_t idx = ebb__local_slot(c, x);
  ebb__vs_entry v = pop(c);
  bool aliased = false;
  for (size_t i = c->lazy_from; i < c->vs.len; i++)
    if (c->vs.data[i].kind == VS_LOCAL && c->vs.data[i].slot == idx) aliased = true;
  if (!aliased && v.kind == VS_TEMP && last_is_current(c) && c->last.dst_cell &&
      c->code.data[c->last.dst_cell] == v.home) {
    /* The instruction that made the value writes the local directly. */
    c->code.data[c->last.dst_cell] = idx;
    c->last.dst_cell = 0;
    c->last.cmp = -1;
  } else {
    if (aliased)
      for (size_t i = c->lazy_from; i < c->vs.len; i++)
        if (c->vs.data[i].kind == VS_LOCAL && c->vs.data[i].slot == idx)
          materialize(c, &c->vs.data[i]);
    if (v.kind == VS_CONST) emit_const(c, idx, v.type, v.value);
    else emit_copy_val(c, idx, v.kind == VS_LOCAL ? v.slot : v.home, v.type);
    c->last.dst_cell = 0;
  }
  if (tee) {
    ebb__vs_entry *e = push(c, VS_LOCAL, v.type);
    e->slot = idx;
  }
}

/* ---- Numeric -------------------------------------------------------------- */

/* wasm op -> internal op + 1 for the 1:1 numeric instructions and their
** immediate forms; 0 where there is none. */
static const int16_t numeric_iop[EBB_OP_LIMIT_] = {
#define EBB__M_(name, kind) [EBB_OP_##name] = EBB_IOP_##name + 1,
    EBB__IOP_NUMERIC(EBB__M_)
#undef EBB__M_
};

static const int16_t imm_iop[EBB_OP_LIMIT_] = {
#define EBB__M_(name) [EBB_OP_##name] = EBB_IOP_##name##_IMM + 1,
    EBB__IOP_IMM(EBB__M_) EBB__IOP_FIMM(EBB__M_)
#undef EBB__M_
};

/* Forms with the immediate on the left (imm - a, imm / a). */
static const int16_t rimm_iop[EBB_OP_LIMIT_] = {
#define EBB__M_(name) [EBB_OP_##name] = EBB_IOP_##name##_RIMM + 1,
    EBB__IOP_FRIMM(EBB__M_)
#undef EBB__M_
};

/* For a constant left operand: the op that gives the same result with the
** operands swapped (commutative ops, and mirrored comparisons). Float add and
** mul commute too: only which NaN comes out may differ, and the spec leaves
** that open. */
static int swapped_op(int wop) {
  switch (wop) {
  case EBB_OP_I32_ADD: case EBB_OP_I32_MUL: case EBB_OP_I32_AND: case EBB_OP_I32_OR:
  case EBB_OP_I32_XOR: case EBB_OP_I32_EQ: case EBB_OP_I32_NE:
  case EBB_OP_I64_ADD: case EBB_OP_I64_MUL: case EBB_OP_I64_AND: case EBB_OP_I64_OR:
  case EBB_OP_I64_XOR: case EBB_OP_I64_EQ: case EBB_OP_I64_NE:
  case EBB_OP_F32_ADD: case EBB_OP_F32_MUL: case EBB_OP_F64_ADD: case EBB_OP_F64_MUL:
    return wop;
  case EBB_OP_I32_LT_S: return EBB_OP_I32_GT_S;
  case EBB_OP_I32_LT_U: return EBB_OP_I32_GT_U;
  case EBB_OP_I32_GT_S: return EBB_OP_I32_LT_S;
  case EBB_OP_I32_GT_U: return EBB_OP_I32_LT_U;
  case EBB_OP_I32_LE_S: return EBB_OP_I32_GE_S;
  case EBB_OP_I32_LE_U: return EBB_OP_I32_GE_U;
  case EBB_OP_I32_GE_S: return EBB_OP_I32_LE_S;
  case EBB_OP_I32_GE_U: return EBB_OP_I32_LE_U;
  case EBB_OP_I64_LT_S: return EBB_OP_I64_GT_S;
  case EBB_OP_I64_LT_U: return EBB_OP_I64_GT_U;
  case EBB_OP_I64_GT_S: return EBB_OP_I64_LT_S;
  case EBB_OP_I64_GT_U: return EBB_OP_I64_LT_U;
  case EBB_OP_I64_LE_S: return EBB_OP_I64_GE_S;
  case EBB_OP_I64_LE_U: return EBB_OP_I64_GE_U;
  case EBB_OP_I64_GE_S: return EBB_OP_I64_LE_S;
  case EBB_OP_I64_GE_U: return EBB_OP_I64_LE_U;
  default: return -1;
  }
}

static bool is_cmp32(int wop) { return wop >= EBB_OP_I32_EQ && wop <= EBB_OP_I32_GE_U; }

/* The _LD form of an f64 op + 1, or 0 (code.h, EBB__IOP_FLD). */
static int load_form(int wop) {
  switch (wop) {
  case EBB_OP_F64_ADD: return EBB_IOP_F64_ADD_LD + 1;
  case EBB_OP_F64_SUB: return EBB_IOP_F64_SUB_LD + 1;
  case EBB_OP_F64_MUL: return EBB_IOP_F64_MUL_LD + 1;
  case EBB_OP_F64_DIV: return EBB_IOP_F64_DIV_LD + 1;
  default: return 0;
  }
}

/* If entry e holds the result of the last instruction and that was `iop`
** (its first operand cell the destination), remove the instruction and give
** its cells, to be fused into the instruction using e. The cells stay
** readable until the next emission; NULL if there is nothing to take. */
static const uint32_t *take_last(C *c, const ebb__vs_entry *e, int iop) {
  if (e->kind != VS_TEMP || !last_is_current(c)) return NULL;
  if (iop == EBB_IOP_I32_ADD_IMM && c->last.iop == EBB_IOP_I32_ADD_IMM2) {
    /* The second add of a pair: split it off; the first stays, alone. */
    uint32_t *ins = &c->code.data[c->last.start];
    if (ins[4] != e->home) return NULL;
    ins[0] = (uint32_t)c->dispatch[EBB_IOP_I32_ADD_IMM];
    c->code.len = c->last.start + 4;
    c->last.end = UINT32_MAX;
    return ins + 3;
  }
  if (c->last.iop != iop) return NULL;
  const uint32_t *ins = &c->code.data[c->last.start];
  if (ins[1] != e->home) return NULL;
  c->code.len = c->last.start;
  c->last.end = UINT32_MAX;
  return ins;
}

/* An i32.add of an immediate right after another: one I32_ADD_IMM2 (code.h).
** Loops step two or three induction variables in a row. */
static bool pair_add_imm(C *c, uint32_t dst, uint32_t a, uint32_t imm) {
  if (!last_is_current(c) || c->last.iop != EBB_IOP_I32_ADD_IMM) return false;
  c->code.data[c->last.start] = (uint32_t)c->dispatch[EBB_IOP_I32_ADD_IMM2];
  c->last.iop = EBB_IOP_I32_ADD_IMM2;
  c->last.dst_cell = here(c);
  c->last.cmp = -1;
  cell(c, dst);
  cell(c, a);
  cell(c, imm);
  end_instr(c);
  return true;
}

/* A 64-bit load that made e, taken: its address cells [addr, add, offset]
** (add 0 for a plain load). */
static bool take_load64(C *c, const ebb__vs_entry *e, uint32_t cells[3]) {
  const uint32_t *ins = take_last(c, e, EBB_IOP_LOAD64);
  bool ai = !ins && (ins = take_last(c, e, EBB_IOP_LOAD64_AI)) != NULL;
  if (!ins) return false;
  cells[0] = ins[2];
  cells[1] = ai ? ins[3] : 0;
  cells[2] = ai ? ins[4] : ins[3];
  return true;
}

static void do_numeric(C *c, int wop, const char *sig) {
  int iop = numeric_iop[wop] - 1;
  ebb__valtype rt = 0;
  const char *colon = strchr(sig, ':');
  switch (colon[1]) {
  case 'i': rt = EBB__I32; break;
  case 'I': rt = EBB__I64; break;
  case 'f': rt = EBB__F32; break;
  case 'F': rt = EBB__F64; break;
  }
  if (colon - sig == 1) {
    ebb__vs_entry a = pop(c);
    uint32_t sa = use(c, &a);
    uint32_t dst = push_temp(c, rt);
    op(c, iop);
    uint32_t dcell = here(c);
    cell(c, dst);
    cell(c, sa);
    result_written(c, dcell);
    if (wop == EBB_OP_I32_EQZ) { /* a branch on it branches on a == 0 */
      c->last.cmp = EBB_OP_I32_EQ;
      c->last.cmp_imm = true;
      c->last.a = sa;
      c->last.b = 0;
    }
    return;
  }
  ebb__vs_entry b = pop(c), a = pop(c);
  if (wop == EBB_OP_I32_SUB && b.kind == VS_CONST && a.kind != VS_CONST) {
    /* x - k is x + (-k) (mod 2^32), which the add fusions take. */
    wop = EBB_OP_I32_ADD;
    b.value = (uint32_t)-(uint32_t)b.value;
  }
  int imm_form = 0; /* internal op + 1 of a form taking b as an immediate */
  if (b.kind == VS_CONST && a.kind != VS_CONST) {
    imm_form = imm_iop[wop];
  } else if (a.kind == VS_CONST && b.kind != VS_CONST) {
    int sw = swapped_op(wop);
    if (sw >= 0 && imm_iop[sw]) {
      wop = sw;
      imm_form = imm_iop[sw];
    } else {
      imm_form = rimm_iop[wop];
    }
    ebb__vs_entry t = a;
    a = b;
    b = t;
    if (!imm_form) { /* no form fits: undo the swap */
      b = a;
      a = t;
    }
  }
  if (imm_form) {
    /* An i32 operation with an immediate whose left operand the instruction
    ** just before computed: one chained op (code.h). */
    static const struct { int16_t first, second, fused; } chains[] = {
        {EBB_IOP_I32_SHR_U_IMM, EBB_IOP_I32_AND_IMM, EBB_IOP_I32_SHR_U_AND},
        {EBB_IOP_I32_ADD_IMM, EBB_IOP_I32_AND_IMM, EBB_IOP_I32_ADD_AND},
        {EBB_IOP_I32_XOR, EBB_IOP_I32_AND_IMM, EBB_IOP_I32_XOR_AND},
        {EBB_IOP_I32_AND_IMM, EBB_IOP_I32_XOR_IMM, EBB_IOP_I32_AND_XOR},
    };
    for (size_t i = 0; i < sizeof chains / sizeof chains[0]; i++) {
      if (chains[i].second != imm_form - 1) continue;
      const uint32_t *ins = take_last(c, &a, chains[i].first);
      if (!ins) continue;
      uint32_t x = ins[2], y = ins[3];
      uint32_t dst = push_temp(c, rt);
      op(c, chains[i].fused);
      uint32_t dcell = here(c);
      cell(c, dst);
      cell(c, x);
      cell(c, y);
      cell(c, (uint32_t)b.value);
      result_written(c, dcell);
      return;
    }
    uint32_t sa = use(c, &a);
    uint32_t dst = push_temp(c, rt);
    if (imm_form - 1 == EBB_IOP_I32_ADD_IMM && pair_add_imm(c, dst, sa, (uint32_t)b.value)) return;
    op(c, imm_form - 1);
    uint32_t dcell = here(c);
    cell(c, dst);
    cell(c, sa);
    cell(c, (uint32_t)b.value);
    if (is64(b.type)) cell(c, (uint32_t)(b.value >> 32));
    result_written(c, dcell);
    if (is_cmp32(wop)) {
      c->last.cmp = wop;
      c->last.cmp_imm = true;
      c->last.a = sa;
      c->last.b = (uint32_t)b.value;
    }
    return;
  }
  uint32_t ld[3];
  if (load_form(wop) && a.kind != VS_CONST && take_load64(c, &b, ld)) {
    uint32_t sa = use(c, &a);
    uint32_t dst = push_temp(c, rt);
    op(c, load_form(wop) - 1);
    uint32_t dcell = here(c);
    cell(c, dst);
    cell(c, sa);
    for (int i = 0; i < 3; i++) cell(c, ld[i]);
    result_written(c, dcell);
    return;
  }
  if (wop == EBB_OP_I32_ADD && a.kind != VS_CONST && b.kind != VS_CONST) {
    /* a + (b << k) or (a << k) + b: the shift is the last instruction. */
    const uint32_t *sh = take_last(c, &b, EBB_IOP_I32_SHL_IMM);
    if (!sh && (sh = take_last(c, &a, EBB_IOP_I32_SHL_IMM)) != NULL) a = b;
    const uint32_t *mul = NULL;
    ebb__vs_entry other = a;
    if (!sh && (mul = take_last(c, &b, EBB_IOP_I32_MUL)) == NULL &&
        (mul = take_last(c, &a, EBB_IOP_I32_MUL)) != NULL)
      other = b;
    if (mul) {
      uint32_t x = mul[2], y = mul[3], sc = use(c, &other);
      uint32_t dst = push_temp(c, rt);
      op(c, EBB_IOP_I32_MUL_ADD);
      uint32_t dcell = here(c);
      cell(c, dst);
      cell(c, x);
      cell(c, y);
      cell(c, sc);
      result_written(c, dcell);
      return;
    }
    if (sh) {
      uint32_t x = sh[2], k = sh[3] & 31, sa = use(c, &a);
      uint32_t dst = push_temp(c, rt);
      op(c, EBB_IOP_I32_ADD_SHL);
      uint32_t dcell = here(c);
      cell(c, dst);
      cell(c, sa);
      cell(c, x);
      cell(c, k);
      result_written(c, dcell);
      return;
    }
  }
  uint32_t sa = use(c, &a), sb = use(c, &b);
  uint32_t dst = push_temp(c, rt);
  op(c, iop);
  uint32_t dcell = here(c);
  cell(c, dst);
  cell(c, sa);
  cell(c, sb);
  result_written(c, dcell);
  if (is_cmp32(wop)) {
    c->last.cmp = wop;
    c->last.cmp_imm = false;
    c->last.a = sa;
    c->last.b = sb;
  }
}

static ebb__valtype sig_type(char ch) {
  switch (ch) {
  case 'i': return EBB__I32;
  case 'I': return EBB__I64;
  case 'f': return EBB__F32;
  default: return EBB__F64;
  }
}

/* An i32.add of an immediate that made e, taken: its operand slot and
** immediate, to be fused into a memory access. */
static bool take_add_imm(C *c, const ebb__vs_entry *e, uint32_t *slot, uint32_t *imm) {
  const uint32_t *ins = take_last(c, e, EBB_IOP_I32_ADD_IMM);
  if (!ins) return false;
  *slot = ins[2];
  *imm = ins[3];
  return true;
}

/* An i32.add of two slots that made e, taken (code.h, the _RR forms):
** [a, b, shift], from an I32_ADD or an I32_ADD_SHL. */
static bool take_add_rr(C *c, const ebb__vs_entry *e, uint32_t rr[3]) {
  const uint32_t *ins = take_last(c, e, EBB_IOP_I32_ADD);
  bool shl = !ins && (ins = take_last(c, e, EBB_IOP_I32_ADD_SHL)) != NULL;
  if (!ins) return false;
  rr[0] = ins[2];
  rr[1] = ins[3];
  rr[2] = shl ? ins[4] : 0;
  return true;
}

/* Loads and stores: [dst, addr, offset] / [addr, val, offset]. */
static void do_memory(C *c, const ebb__instr *in, const char *sig) {
  static const struct { uint16_t wop; uint16_t iop; } map[] = {
      {EBB_OP_I32_LOAD, EBB_IOP_LOAD32_U},     {EBB_OP_I64_LOAD, EBB_IOP_LOAD64},
      {EBB_OP_F32_LOAD, EBB_IOP_LOAD32_U},     {EBB_OP_F64_LOAD, EBB_IOP_LOAD64},
      {EBB_OP_I32_LOAD8_S, EBB_IOP_LOAD8_S},   {EBB_OP_I32_LOAD8_U, EBB_IOP_LOAD8_U},
      {EBB_OP_I32_LOAD16_S, EBB_IOP_LOAD16_S}, {EBB_OP_I32_LOAD16_U, EBB_IOP_LOAD16_U},
      {EBB_OP_I64_LOAD8_S, EBB_IOP_LOAD8_S},   {EBB_OP_I64_LOAD8_U, EBB_IOP_LOAD8_U},
      {EBB_OP_I64_LOAD16_S, EBB_IOP_LOAD16_S}, {EBB_OP_I64_LOAD16_U, EBB_IOP_LOAD16_U},
      {EBB_OP_I64_LOAD32_S, EBB_IOP_LOAD32_S}, {EBB_OP_I64_LOAD32_U, EBB_IOP_LOAD32_U},
      {EBB_OP_I32_STORE, EBB_IOP_STORE32},     {EBB_OP_I64_STORE, EBB_IOP_STORE64},
      {EBB_OP_F32_STORE, EBB_IOP_STORE32},     {EBB_OP_F64_STORE, EBB_IOP_STORE64},
      {EBB_OP_I32_STORE8, EBB_IOP_STORE8},     {EBB_OP_I32_STORE16, EBB_IOP_STORE16},
      {EBB_OP_I64_STORE8, EBB_IOP_STORE8},     {EBB_OP_I64_STORE16, EBB_IOP_STORE16},
      {EBB_OP_I64_STORE32, EBB_IOP_STORE32},
  };
  int iop = -1;
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (map[i].wop == in->op) iop = map[i].iop;
  assert(iop >= 0);
  /* The _AI forms follow the plain ones in the same order (code.h). */
  int ai = EBB_IOP_LOAD8_S_AI + (iop - EBB_IOP_LOAD8_S);
  int rr_iop = EBB_IOP_LOAD8_S_RR + (iop - EBB_IOP_LOAD8_S);
  uint32_t add_slot, add, rr[3];
  if (sig[1] == ':') { /* load */
    ebb__vs_entry a = pop(c);
    if (take_add_rr(c, &a, rr)) {
      uint32_t dst = push_temp(c, sig_type(sig[2]));
      op(c, rr_iop);
      uint32_t dcell = here(c);
      cell(c, dst);
      cell(c, rr[0]);
      cell(c, rr[1]);
      cell(c, rr[2]);
      cell(c, in->imm.memarg.offset);
      result_written(c, dcell);
      return;
    }
    bool fused = take_add_imm(c, &a, &add_slot, &add);
    uint32_t sa = fused ? add_slot : use(c, &a);
    uint32_t dst = push_temp(c, sig_type(sig[2]));
    if (!fused && iop == EBB_IOP_LOAD32_U && last_is_current(c) &&
        c->last.iop == EBB_IOP_COPY && !c->oom) {
      /* A COPY just before (`q = p; x = q->f`): one op, copy first. */
      c->code.data[c->last.start] = (uint32_t)c->dispatch[EBB_IOP_COPY_LOAD32];
      c->last.iop = EBB_IOP_COPY_LOAD32;
      uint32_t dcell = here(c);
      cell(c, dst);
      cell(c, sa);
      cell(c, in->imm.memarg.offset);
      result_written(c, dcell);
      return;
    }
    op(c, fused ? ai : iop);
    uint32_t dcell = here(c);
    cell(c, dst);
    cell(c, sa);
    if (fused) cell(c, add);
    cell(c, in->imm.memarg.offset);
    result_written(c, dcell);
  } else {
    ebb__vs_entry v = pop(c), a = pop(c);
    /* A TEMP value was computed after the address, so the add is not last. */
    /* A constant value is written to its home, the slot above the
    ** address's: not when the add read that slot. */
    bool clash = false;
    if (v.kind == VS_CONST && last_is_current(c) &&
        (c->last.iop == EBB_IOP_I32_ADD || c->last.iop == EBB_IOP_I32_ADD_SHL)) {
      const uint32_t *ins = &c->code.data[c->last.start];
      clash = ins[2] == v.home || ins[3] == v.home;
    }
    if (v.kind != VS_TEMP && !clash && take_add_rr(c, &a, rr)) {
      uint32_t sv = use(c, &v);
      op(c, rr_iop);
      cell(c, rr[0]);
      cell(c, sv);
      cell(c, rr[1]);
      cell(c, rr[2]);
      cell(c, in->imm.memarg.offset);
      end_instr(c);
      return;
    }
    bool fused = v.kind != VS_TEMP && take_add_imm(c, &a, &add_slot, &add);
    uint32_t sa = fused ? add_slot : use(c, &a), sv = use(c, &v);
    op(c, fused ? ai : iop);
    cell(c, sa);
    cell(c, sv);
    if (fused) cell(c, add);
    cell(c, in->imm.memarg.offset);
    end_instr(c);
  }
}

/* Atomic memory instructions go through one generic op: [wasm op, dst,
** addr, val, val2, offset]. */
static void do_atomic(C *c, const ebb__instr *in, const char *sig) {
  uint32_t s[3] = {0, 0, 0};
  int n = (int)(strchr(sig, ':') - sig);
  ebb__vs_entry e[3];
  for (int i = n - 1; i >= 0; i--) e[i] = pop(c);
  for (int i = 0; i < n; i++) s[i] = use(c, &e[i]);
  uint32_t dst = 0;
  const char *res = strchr(sig, ':') + 1;
  if (*res) dst = push_temp(c, sig_type(*res));
  op(c, EBB_IOP_ATOMIC_OP);
  cell(c, in->op);
  cell(c, dst);
  cell(c, s[0]);
  cell(c, s[1]);
  cell(c, s[2]);
  cell(c, in->imm.memarg.offset);
  end_instr(c);
}

/* Pops n operands (in order) and returns their slots in s. */
static void pop_n(C *c, int n, uint32_t *s) {
  ebb__vs_entry e[5];
  for (int i = n - 1; i >= 0; i--) e[i] = pop(c);
  for (int i = 0; i < n; i++) s[i] = use(c, &e[i]);
}

/* ---- SIMD ----------------------------------------------------------------- */

/* Every SIMD instruction by one rule (compile_simd.c): [op, dst if it has a
** result, operand slots..., immediates]. A memory instruction takes over
** the i32.add of an immediate that made its address, when that add is the
** last instruction: only if no later operand was computed after it. */
static void do_simd(C *c, const ebb__instr *in, const char *sig) {
  const char *colon = strchr(sig, ':');
  int n = (int)(colon - sig);
  int imm = ebb__opinfo_get(in->op)->imm;
  ebb__vs_entry e[3];
  uint32_t s[3], add = 0, imms[4];
  for (int i = n - 1; i >= 0; i--) e[i] = pop(c);
  bool mem = imm == EBB_IMM_MEMARG || imm == EBB_IMM_MEMARG_LANE;
  bool fused = mem && (n == 1 || e[1].kind != VS_TEMP) && take_add_imm(c, &e[0], &s[0], &add);
  for (int i = fused ? 1 : 0; i < n; i++) s[i] = use(c, &e[i]);
  uint32_t dst = colon[1] ? push_temp(c, colon[1] == 'V' ? EBB__V128 : sig_type(colon[1])) : 0;
  op(c, ebb__simd_iop(in->op));
  uint32_t dcell = here(c);
  if (colon[1]) cell(c, dst);
  for (int i = 0; i < n; i++) cell(c, s[i]);
  uint32_t k = ebb__simd_imm_cells(in, add, imms);
  for (uint32_t i = 0; i < k; i++) cell(c, imms[i]);
  if (colon[1]) result_written(c, dcell);
  else end_instr(c);
}

/* ---- The body ------------------------------------------------------------- */

static void compile_instr(C *c, ebb__reader *r, const ebb__instr *in) {
  const ebb__module *m = c->m;
  const ebb__opinfo *info = ebb__opinfo_get(in->op);
  uint32_t s[5];

  switch (in->op) {
  case EBB_OP_NOP: return;
  case EBB_OP_UNREACHABLE:
    op(c, EBB_IOP_UNREACHABLE);
    end_instr(c);
    mark_unreachable(c);
    return;
  case EBB_OP_BR: do_br(c, in->imm.index); return;
  case EBB_OP_BR_IF: do_br_if(c, in->imm.index); return;
  case EBB_OP_BR_TABLE: {
    ebb__reader lr = *r;
    lr.p = in->imm.br_table.labels;
    do_br_table(c, &lr, in->imm.br_table.count);
    return;
  }
  case EBB_OP_RETURN:
    emit_return(c);
    mark_unreachable(c);
    return;
  case EBB_OP_CALL: {
    uint32_t f = in->imm.index;
    const ebb__functype *ft = &m->types[m->func_types[f]];
    do_call(c, f < m->nimported_funcs ? EBB_IOP_CALL_IMPORT : EBB_IOP_CALL, ft, f, 0, false);
    return;
  }
  case EBB_OP_CALL_INDIRECT: {
    const ebb__functype *ft = &m->types[in->imm.call_indirect.type];
    do_call(c, EBB_IOP_CALL_INDIRECT, ft, in->imm.call_indirect.type,
            in->imm.call_indirect.table, true);
    return;
  }
  case EBB_OP_DROP: pop(c); return;
  case EBB_OP_SELECT:
  case EBB_OP_SELECT_T: {
    pop_n(c, 3, s);
    ebb__valtype t = c->vs.data[c->vs.len].type; /* the first operand's type */
    uint32_t dst = push_temp(c, t);
    op(c, t == EBB__V128 ? EBB_IOP_SELECT128 : EBB_IOP_SELECT);
    uint32_t dcell = here(c);
    cell(c, dst);
    cell(c, s[0]);
    cell(c, s[1]);
    cell(c, s[2]);
    result_written(c, dcell);
    return;
  }
  case EBB_OP_LOCAL_GET: {
    uint32_t x = in->imm.index; /* an index, not yet a slot */
    ebb__valtype t = x < c->nparams ? c->params[x] : ebb__local_type(m, c->def, x - c->nparams);
    ebb__vs_entry *e = push(c, VS_LOCAL, t);
    e->slot = ebb__local_slot(c, x);
    return;
  }
  case EBB_OP_LOCAL_SET: do_local_set(c, in->imm.index, false); return;
  case EBB_OP_LOCAL_TEE: do_local_set(c, in->imm.index, true); return;
  case EBB_OP_GLOBAL_GET: {
    ebb__valtype t = m->global_types[in->imm.index].type;
    uint32_t dst = push_temp(c, t);
    op(c, t == EBB__V128 ? EBB_IOP_GLOBAL_GET128 : EBB_IOP_GLOBAL_GET);
    uint32_t dcell = here(c);
    cell(c, dst);
    cell(c, in->imm.index);
    result_written(c, dcell);
    return;
  }
  case EBB_OP_GLOBAL_SET:
    pop_n(c, 1, s);
    op(c, m->global_types[in->imm.index].type == EBB__V128 ? EBB_IOP_GLOBAL_SET128
                                                            : EBB_IOP_GLOBAL_SET);
    cell(c, in->imm.index);
    cell(c, s[0]);
    end_instr(c);
    return;
  case EBB_OP_TABLE_GET: {
    pop_n(c, 1, s);
    uint32_t dst = push_temp(c, m->tables[in->imm.index].elem);
    op(c, EBB_IOP_TABLE_GET);
    uint32_t dcell = here(c);
    cell(c, dst);
    cell(c, in->imm.index);
    cell(c, s[0]);
    result_written(c, dcell);
    return;
  }
  case EBB_OP_TABLE_SET:
    pop_n(c, 2, s);
    op(c, EBB_IOP_TABLE_SET);
    cell(c, in->imm.index);
    cell(c, s[0]);
    cell(c, s[1]);
    end_instr(c);
    return;
  case EBB_OP_MEMORY_SIZE: {
    uint32_t dst = push_temp(c, EBB__I32);
    op(c, EBB_IOP_MEMORY_SIZE);
    uint32_t dcell = here(c);
    cell(c, dst);
    result_written(c, dcell);
    return;
  }
  case EBB_OP_MEMORY_GROW: {
    pop_n(c, 1, s);
    uint32_t dst = push_temp(c, EBB__I32);
    op(c, EBB_IOP_MEMORY_GROW);
    uint32_t dcell = here(c);
    cell(c, dst);
    cell(c, s[0]);
    result_written(c, dcell);
    return;
  }
  case EBB_OP_I32_CONST: push(c, VS_CONST, EBB__I32)->value = (uint32_t)in->imm.i32; return;
  case EBB_OP_I64_CONST: push(c, VS_CONST, EBB__I64)->value = (uint64_t)in->imm.i64; return;
  case EBB_OP_F32_CONST: push(c, VS_CONST, EBB__F32)->value = in->imm.f32; return;
  case EBB_OP_F64_CONST: push(c, VS_CONST, EBB__F64)->value = in->imm.f64; return;
  case EBB_OP_REF_NULL: push(c, VS_CONST, in->imm.reftype)->value = 0; return;
  case EBB_OP_REF_IS_NULL: {
    pop_n(c, 1, s);
    uint32_t dst = push_temp(c, EBB__I32);
    op(c, EBB_IOP_I64_EQZ);
    uint32_t dcell = here(c);
    cell(c, dst);
    cell(c, s[0]);
    result_written(c, dcell);
    return;
  }
  case EBB_OP_REF_FUNC: {
    uint32_t dst = push_temp(c, EBB__FUNCREF);
    op(c, EBB_IOP_REF_FUNC);
    uint32_t dcell = here(c);
    cell(c, dst);
    cell(c, in->imm.index);
    result_written(c, dcell);
    return;
  }
  /* Same bits in the slot: only the type changes. */
  case EBB_OP_I32_WRAP_I64:
  case EBB_OP_I32_REINTERPRET_F32:
  case EBB_OP_I64_REINTERPRET_F64:
  case EBB_OP_F32_REINTERPRET_I32:
  case EBB_OP_F64_REINTERPRET_I64: {
    ebb__vs_entry *e = &c->vs.data[c->vs.len - 1];
    e->type = sig_type(strchr(info->sig, ':')[1]);
    if (e->kind == VS_CONST && in->op == EBB_OP_I32_WRAP_I64) e->value = (uint32_t)e->value;
    return;
  }
  case EBB_OP_MEMORY_INIT:
    pop_n(c, 3, s);
    op(c, EBB_IOP_MEMORY_INIT);
    cell(c, in->imm.pair.a);
    cell(c, s[0]);
    cell(c, s[1]);
    cell(c, s[2]);
    end_instr(c);
    return;
  case EBB_OP_DATA_DROP:
    op(c, EBB_IOP_DATA_DROP);
    cell(c, in->imm.index);
    end_instr(c);
    return;
  case EBB_OP_MEMORY_COPY:
  case EBB_OP_MEMORY_FILL:
    pop_n(c, 3, s);
    op(c, in->op == EBB_OP_MEMORY_COPY ? EBB_IOP_MEMORY_COPY : EBB_IOP_MEMORY_FILL);
    cell(c, s[0]);
    cell(c, s[1]);
    cell(c, s[2]);
    end_instr(c);
    return;
  case EBB_OP_TABLE_INIT:
  case EBB_OP_TABLE_COPY:
    pop_n(c, 3, s);
    op(c, in->op == EBB_OP_TABLE_INIT ? EBB_IOP_TABLE_INIT : EBB_IOP_TABLE_COPY);
    cell(c, in->imm.pair.a);
    cell(c, in->imm.pair.b);
    cell(c, s[0]);
    cell(c, s[1]);
    cell(c, s[2]);
    end_instr(c);
    return;
  case EBB_OP_ELEM_DROP:
    op(c, EBB_IOP_ELEM_DROP);
    cell(c, in->imm.index);
    end_instr(c);
    return;
  case EBB_OP_TABLE_GROW: {
    pop_n(c, 2, s);
    uint32_t dst = push_temp(c, EBB__I32);
    op(c, EBB_IOP_TABLE_GROW);
    uint32_t dcell = here(c);
    cell(c, dst);
    cell(c, in->imm.index);
    cell(c, s[0]);
    cell(c, s[1]);
    result_written(c, dcell);
    return;
  }
  case EBB_OP_TABLE_SIZE: {
    uint32_t dst = push_temp(c, EBB__I32);
    op(c, EBB_IOP_TABLE_SIZE);
    uint32_t dcell = here(c);
    cell(c, dst);
    cell(c, in->imm.index);
    result_written(c, dcell);
    return;
  }
  case EBB_OP_TABLE_FILL:
    pop_n(c, 3, s);
    op(c, EBB_IOP_TABLE_FILL);
    cell(c, in->imm.index);
    cell(c, s[0]);
    cell(c, s[1]);
    cell(c, s[2]);
    end_instr(c);
    return;
  case EBB_OP_ATOMIC_FENCE:
    op(c, EBB_IOP_ATOMIC_FENCE);
    end_instr(c);
    return;
  default: break;
  }
  if (in->op >= 0x400) {
    do_simd(c, in, info->sig);
    return;
  }
  if (in->op >= 0x200) {
    do_atomic(c, in, info->sig);
    return;
  }
  if (info->imm == EBB_IMM_MEMARG) {
    do_memory(c, in, info->sig);
    return;
  }
  assert(numeric_iop[in->op]);
  do_numeric(c, in->op, info->sig);
}

int ebb__compile_func(const ebb__module *m, uint32_t defidx, bool meter, ebb__code_func *out) {
  const ebb__funcdef *fd = &m->funcdefs[defidx];
  const ebb__functype *ft = &m->types[fd->type];
  C c;
  memset(&c, 0, sizeof c);
  memset(out, 0, sizeof *out);
  c.m = m;
  c.dispatch = ebb__dispatch_table();
  c.nparams = ft->nparams;
  c.nresults = ft->nresults;
  c.results = EBB__RESULTS(ft);
  c.def = fd;
  if (ebb__locals_layout(&c, ft)) c.oom = true;
  uint32_t result_slots = ebb__slot_count(EBB__RESULTS(ft), ft->nresults);
  c.max_slots = c.nlocals_total > result_slots ? c.nlocals_total : result_slots;
  c.last.end = UINT32_MAX;
  c.last.cmp = -1;
  c.meter = meter;
  meter_start(&c);
  c.params = EBB__PARAMS(ft);

  /* The function body is a block whose results are the function's. */
  ebb__ctl fk;
  memset(&fk, 0, sizeof fk);
  fk.kind = CTL_FUNC;
  fk.nresults = ft->nresults;
  fk.results = EBB__RESULTS(ft);
  if (ebb__vec_push(&c.ctl, fk)) c.oom = true;

  /* Room for what the body will need, so that the code rarely grows by
  ** copying: Yosys compiles to 0.72 cells per byte of body, CRuby 1.01
  ** (half its functions above 1), Flite 0.76; none of the three has a
  ** function above 1.5. Trimmed to its length at the end. */
  if (ebb__vec_reserve(&c.code, (size_t)(fd->code_end - fd->code_start) * 3 / 2 + 16)) c.oom = true;

  ebb__reader r;
  ebb__reader_init(&r, m->bytes, m->bytes + fd->code_start, m->bytes + fd->code_end);
  bool done = false;
  while (!done && !c.oom && !ebb__reader_eof(&r)) {
    ebb__instr in;
    if (ebb__read_instr(&r, &in)) break; /* cannot happen after validation */
    if (!dead(&c)) meter_count(&c);
    switch (in.op) {
    case EBB_OP_BLOCK: do_block(&c, CTL_BLOCK, in.imm.blocktype); continue;
    case EBB_OP_LOOP: do_block(&c, CTL_LOOP, in.imm.blocktype); continue;
    case EBB_OP_IF: do_if(&c, in.imm.blocktype); continue;
    case EBB_OP_ELSE: do_else(&c); continue;
    case EBB_OP_END: done = do_end(&c); continue;
    default: break;
    }
    if (dead(&c)) continue;
    compile_instr(&c, &r, &in);
  }

  ebb__vec_free(&c.vs);
  ebb__vec_free(&c.ctl);
  ebb__locals_free(&c);
  if (c.oom || !done) {
    ebb__vec_free(&c.code);
    return c.oom ? EBB_ENOMEM : EBB_EINVALID;
  }
  /* Exactly its length: the growth's slack would be a third of a large
  ** module's compiled code, kept for its whole life. Shrinking in place
  ** cannot fail; if it moves and fails, the larger block serves. */
  uint32_t *exact = ebb__realloc(c.code.data, (c.code.len ? c.code.len : 1) * sizeof *c.code.data);
  out->code = exact ? exact : c.code.data;
  out->ncode = (uint32_t)c.code.len;
  out->nparams = c.param_slots;
  out->nresults = result_slots;
  out->nlocals = c.local_slots;
  out->frame_size = c.max_slots;
  out->type = fd->type;
  return 0;
}

void ebb__code_func_free(ebb__code_func *f) {
  if (!f) return;
  ebb__free(f->code);
  f->code = NULL;
}
