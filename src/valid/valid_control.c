/*
** valid_control.c -- the control half of the spec's appendix "Validation
** Algorithm": frames, block types, branches; and the error helpers shared
** with valid_func.c.
**
** One pass, no backtracking: each instruction costs O(its operands), except
** br_table, which checks each distinct target frame once (see br_table()).
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/report.h"
#include "valid/vstack.h"

int ebb__vbad(ebb__vfn *f, int code, const char *fmt, ...) {
  char detail[160];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(detail, sizeof detail, fmt, ap);
  va_end(ap);
  /* The spec's phrase comes first and the instruction right after it, so
  ** "type mismatch: expected i32, got i64" becomes "type mismatch in
  ** i32.add: expected i32, got i64". */
  const char *name = ebb__opinfo_get(f->in.op)->name;
  const char *colon = strstr(detail, ": ");
  int head = colon ? (int)(colon - detail) : (int)strlen(detail);
  return ebb__report(f->v->err, code, "func %u @0x%x: %.*s in %s%s", f->funcidx, f->in.offset, head,
                     detail, name ? name : "?", detail + head);
}

int ebb__vmismatch(ebb__vfn *f, ebb__valtype want, ebb__valtype got) {
  if (want == EBB__UNKNOWN) return ebb__vbad(f, EBB_EINVALID, "type mismatch: operand missing");
  return ebb__vbad(f, EBB_EINVALID, "type mismatch: expected %s, got %s", ebb__valtype_name(want),
                   ebb__valtype_name(got));
}

int ebb__vgrow(ebb__vfn *f, uint32_t n) {
  ebb__vctx *v = f->v;
  /* Capacities are powers of two from 8, so with this check the capacity
  ** never passes the limit and the fast paths need no test of their own. */
  if (v->vals.len + n > EBB__MAX_OPERANDS)
    return ebb__vbad(f, EBB_ELIMIT, "operand stack deeper than %u values", EBB__MAX_OPERANDS);
  if (ebb__vec_reserve(&v->vals, n)) return ebb__vbad(f, EBB_ENOMEM, "out of memory");
  return 0;
}

/* Result types of the one-value block types, so frames can point at them. */
static const ebb__valtype singles[] = {EBB__I32,  EBB__I64,     EBB__F32,      EBB__F64,
                                       EBB__V128, EBB__FUNCREF, EBB__EXTERNREF};

int ebb__vpush_ctrl(ebb__vfn *f, uint16_t op, const ebb__valtype *params, uint32_t np,
                    const ebb__valtype *results, uint32_t nr) {
  ebb__vctx *v = f->v;
  ebb__vframe fr = {op, false, (uint32_t)v->vals.len, np, nr, params, results, 0};
  if (ebb__vec_push(&v->ctrls, fr)) return ebb__vbad(f, EBB_ENOMEM, "out of memory");
  return ebb__vpush_n(f, params, np);
}

static int pop_ctrl(ebb__vfn *f, ebb__vframe *out) {
  ebb__vctx *v = f->v;
  ebb__vframe *fr = ebb__vtop(f);
  int rc = ebb__vpop_n(f, fr->results, fr->nresults);
  if (rc) return rc;
  if (v->vals.len != fr->height)
    return ebb__vbad(f, EBB_EINVALID,
                     "type mismatch: %u value(s) left on the stack at end of block",
                     (unsigned)(v->vals.len - fr->height));
  *out = *fr;
  v->ctrls.len--;
  return 0;
}

/* Decodes a block type (spec 5.3.1: s33) into parameter and result lists. */
static int blocktype(ebb__vfn *f, const ebb__valtype **params, uint32_t *np,
                     const ebb__valtype **results, uint32_t *nr) {
  const ebb__module *m = f->v->m;
  int64_t bt = f->in.imm.blocktype;
  *params = *results = NULL;
  *np = *nr = 0;
  if (bt == -64) return 0; /* 0x40: [] -> [] */
  if (bt < 0) {
    /* A value type byte read as s33: 0x7f is -1, 0x70 is -16. */
    ebb__valtype t = (ebb__valtype)(bt & 0x7f);
    for (size_t i = 0; i < sizeof singles; i++)
      if (singles[i] == t) {
        *results = &singles[i];
        *nr = 1;
        return 0;
      }
    return ebb__vbad(f, EBB_EMALFORMED, "malformed value type 0x%02x", t);
  }
  if ((uint64_t)bt >= m->ntypes) return ebb__vbad(f, EBB_EINVALID, "unknown type %u", (unsigned)bt);
  const ebb__functype *ft = &m->types[bt];
  *params = EBB__PARAMS(ft);
  *np = ft->nparams;
  *results = EBB__RESULTS(ft);
  *nr = ft->nresults;
  return 0;
}

/* Checks, without popping, that the operands on top of the stack could be
** passed to a label of types ts[n]: the spec pops and pushes back, which
** leaves the stack as it was. */
static int peek_n(ebb__vfn *f, const ebb__valtype *ts, uint32_t n) {
  ebb__vctx *v = f->v;
  ebb__vframe *fr = ebb__vtop(f);
  size_t avail = v->vals.len - fr->height;
  for (uint32_t i = 0; i < n; i++) {
    ebb__valtype want = ts[n - 1 - i];
    if (i >= avail) {
      if (fr->unreachable) return 0;
      return ebb__vmismatch(f, want, EBB__UNKNOWN);
    }
    ebb__valtype t = v->vals.data[v->vals.len - 1 - i];
    if (t != want && t != EBB__UNKNOWN) return ebb__vmismatch(f, want, t);
  }
  return 0;
}

static int label(ebb__vfn *f, uint32_t depth, ebb__vframe **out) {
  ebb__vctx *v = f->v;
  if (depth >= v->ctrls.len) return ebb__vbad(f, EBB_EINVALID, "unknown label %u", depth);
  *out = &v->ctrls.data[v->ctrls.len - 1 - depth];
  return 0;
}

/* br_table: every target must take the same number of values, and the
** operands must fit each. A hostile table can list a million labels, so each
** distinct frame is checked once per br_table: its stamp records the last
** br_table (by offset, unique in the module) that checked it. */
static int br_table(ebb__vfn *f) {
  uint32_t count = f->in.imm.br_table.count, depth, n, arity;
  uint32_t stamp = f->in.offset + 1;
  ebb__vframe *fr = NULL;
  ebb__reader r;
  int rc = ebb__vpop(f, EBB__I32, NULL);
  if (rc) return rc;
  /* The default label (last) fixes the arity; the decoder has already
  ** checked that the whole vector reads well. */
  const uint8_t *labels = f->in.imm.br_table.labels;
  ebb__reader_init(&r, f->v->m->bytes, labels, f->v->m->bytes + f->v->m->size);
  for (uint32_t i = 0; i <= count; i++)
    if (ebb__read_u32(&r, &depth)) return ebb__vbad(f, EBB_EMALFORMED, "%s", r.why);
  if ((rc = label(f, depth, &fr))) return rc;
  const ebb__valtype *dflt = ebb__vlabel(fr, &arity);
  ebb__reader_init(&r, f->v->m->bytes, labels, f->v->m->bytes + f->v->m->size);
  for (uint32_t i = 0; i < count; i++) {
    if (ebb__read_u32(&r, &depth)) return ebb__vbad(f, EBB_EMALFORMED, "%s", r.why);
    if ((rc = label(f, depth, &fr))) return rc;
    const ebb__valtype *ts = ebb__vlabel(fr, &n);
    if (n != arity)
      return ebb__vbad(f, EBB_EINVALID, "type mismatch: label %u takes %u value(s), default %u",
                       depth, n, arity);
    if (fr->stamp == stamp) continue;
    fr->stamp = stamp;
    if ((rc = peek_n(f, ts, n))) return rc;
  }
  if ((rc = ebb__vpop_n(f, dflt, arity))) return rc;
  ebb__vunreachable(f);
  return 0;
}

/* block, loop, if, else, end, br, br_if, br_table, return. */
int ebb__vcontrol(ebb__vfn *f) {
  const ebb__valtype *params, *results, *ts;
  uint32_t np, nr, n;
  ebb__vframe *fr = NULL, done;
  int rc;
  switch (f->in.op) {
  case EBB_OP_IF:
    if ((rc = ebb__vpop(f, EBB__I32, NULL))) return rc;
    /* fall through */
  case EBB_OP_BLOCK:
  case EBB_OP_LOOP:
    if ((rc = blocktype(f, &params, &np, &results, &nr))) return rc;
    if ((rc = ebb__vpop_n(f, params, np))) return rc;
    return ebb__vpush_ctrl(f, f->in.op, params, np, results, nr);
  case EBB_OP_ELSE:
    /* In the binary grammar else only occurs inside if. */
    if (ebb__vtop(f)->op != EBB_OP_IF)
      return ebb__vbad(f, EBB_EMALFORMED, "else without matching if");
    if ((rc = pop_ctrl(f, &done))) return rc;
    return ebb__vpush_ctrl(f, EBB_OP_ELSE, done.params, done.nparams, done.results, done.nresults);
  case EBB_OP_END:
    if ((rc = pop_ctrl(f, &done))) return rc;
    /* An if without else has an implicit empty else, which passes its
    ** parameters through as its results: they must be the same. */
    if (done.op == EBB_OP_IF && (done.nparams != done.nresults ||
                                 (done.nparams && memcmp(done.params, done.results, done.nparams))))
      return ebb__vbad(f, EBB_EINVALID, "type mismatch: if without else must not change types");
    if (f->v->ctrls.len == 0) return 0; /* the function's own end */
    return ebb__vpush_n(f, done.results, done.nresults);
  case EBB_OP_BR:
    if ((rc = label(f, f->in.imm.index, &fr))) return rc;
    ts = ebb__vlabel(fr, &n);
    if ((rc = ebb__vpop_n(f, ts, n))) return rc;
    ebb__vunreachable(f);
    return 0;
  case EBB_OP_BR_IF:
    if ((rc = label(f, f->in.imm.index, &fr))) return rc;
    ts = ebb__vlabel(fr, &n);
    if ((rc = ebb__vpop(f, EBB__I32, NULL))) return rc;
    if ((rc = ebb__vpop_n(f, ts, n))) return rc;
    return ebb__vpush_n(f, ts, n);
  case EBB_OP_BR_TABLE: return br_table(f);
  default: /* EBB_OP_RETURN */
    fr = &f->v->ctrls.data[0];
    if ((rc = ebb__vpop_n(f, fr->results, fr->nresults))) return rc;
    ebb__vunreachable(f);
    return 0;
  }
}
