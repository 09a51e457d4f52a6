/*
** vstack.h -- the operand and control stacks of the spec's appendix
** "Validation Algorithm", as inline functions for valid_func.c.
**
** Every function returns 0 or a negative EBB_E* code after reporting. The
** operand stack holds value types, EBB__UNKNOWN for the values that popping
** below the base of an unreachable frame conjures up.
*/
#ifndef EBB_VALID_VSTACK_H
#define EBB_VALID_VSTACK_H

#include <string.h>

#include "base/report.h"
#include "decode/instr.h"
#include "valid/vctx.h"

/* The state of one body's validation. */
typedef struct ebb__vfn {
  ebb__vctx *v;
  uint32_t funcidx;
  uint32_t nlocals;           /* params included */
  const ebb__valtype *params; /* locals below nparams come from here ... */
  uint32_t nparams;
  const ebb__funcdef *def;    /* ... the rest from its runs (ebb__local_type) */
  const ebb__valtype *local_types; /* or all of them, when listed (valid_func.c) */
  ebb__instr in;              /* the instruction being checked, for messages */
} ebb__vfn;

/* Reports "func N @0xOFF: <phrase> in <instruction>[: <more>]" with the
** given code; fmt makes "<phrase>[: <more>]", the phrase being the spec's. */
int ebb__vbad(ebb__vfn *f, int code, const char *fmt, ...) EBB__PRINTF(3, 4);
/* Reports a type mismatch: wanted `want`, found `got` (UNKNOWN: nothing). */
int ebb__vmismatch(ebb__vfn *f, ebb__valtype want, ebb__valtype got);
/* Makes room for n more operands, or fails (ENOMEM, or ELIMIT past
** EBB__MAX_OPERANDS). */
int ebb__vgrow(ebb__vfn *f, uint32_t n);

/* Lane index immediates of SIMD instructions (valid_simd.c). */
int ebb__valid_lanes(ebb__vfn *f, const ebb__opinfo *oi);

/* Pushes the function's frame; block types and branches (valid_control.c). */
int ebb__vpush_ctrl(ebb__vfn *f, uint16_t op, const ebb__valtype *params, uint32_t np,
                    const ebb__valtype *results, uint32_t nr);
int ebb__vcontrol(ebb__vfn *f);

static inline ebb__vframe *ebb__vtop(ebb__vfn *f) { return &f->v->ctrls.data[f->v->ctrls.len - 1]; }

static inline int ebb__vpush(ebb__vfn *f, ebb__valtype t) {
  ebb__vctx *v = f->v;
  if (v->vals.len == v->vals.cap) {
    int rc = ebb__vgrow(f, 1);
    if (rc) return rc;
  }
  v->vals.data[v->vals.len++] = t;
  return 0;
}

static inline int ebb__vpush_n(ebb__vfn *f, const ebb__valtype *ts, uint32_t n) {
  ebb__vctx *v = f->v;
  if (v->vals.len + n > v->vals.cap) {
    int rc = ebb__vgrow(f, n);
    if (rc) return rc;
  }
  if (n) memcpy(v->vals.data + v->vals.len, ts, n);
  v->vals.len += n;
  return 0;
}

/* Pops one operand that must have type `want` (EBB__UNKNOWN: any type); its
** actual type (maybe UNKNOWN) goes to *got when got is not NULL. */
static inline int ebb__vpop(ebb__vfn *f, ebb__valtype want, ebb__valtype *got) {
  ebb__vctx *v = f->v;
  ebb__vframe *fr = ebb__vtop(f);
  ebb__valtype t = EBB__UNKNOWN;
  if (v->vals.len == fr->height) {
    /* Below the base of a dead block any type will do (spec: Unknown). */
    if (!fr->unreachable) return ebb__vmismatch(f, want, EBB__UNKNOWN);
    t = EBB__UNKNOWN;
  } else {
    t = v->vals.data[--v->vals.len];
    if (t != want && t != EBB__UNKNOWN && want != EBB__UNKNOWN) return ebb__vmismatch(f, want, t);
  }
  if (got) *got = t;
  return 0;
}

static inline int ebb__vpop_n(ebb__vfn *f, const ebb__valtype *ts, uint32_t n) {
  while (n > 0) {
    int rc = ebb__vpop(f, ts[--n], NULL);
    if (rc) return rc;
  }
  return 0;
}

/* Types a branch to this frame carries: a loop's label is its start. */
static inline const ebb__valtype *ebb__vlabel(const ebb__vframe *fr, uint32_t *n) {
  if (fr->op == EBB_OP_LOOP) {
    *n = fr->nparams;
    return fr->params;
  }
  *n = fr->nresults;
  return fr->results;
}

/* The rest of the current block is dead: drop its operands, and let pops
** below its base produce Unknown. */
static inline void ebb__vunreachable(ebb__vfn *f) {
  ebb__vframe *fr = ebb__vtop(f);
  f->v->vals.len = fr->height;
  fr->unreachable = true;
}

#endif
