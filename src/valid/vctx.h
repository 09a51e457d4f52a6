/*
** vctx.h -- state shared by the validator's files for one ebb__validate call.
**
** The operand and control stacks live here so that every function body of a
** module reuses the same two allocations (they only ever grow, geometrically).
*/
#ifndef EBB_VALID_VCTX_H
#define EBB_VALID_VCTX_H

#include <stdbool.h>
#include <stdint.h>

#include "base/vec.h"
#include "decode/module.h"

/* The operand stack's type for a value whose type is not known: it appears
** only when popping below the base of an unreachable frame (spec appendix
** "Validation Algorithm": Unknown). Valid valtypes are never 0. */
#define EBB__UNKNOWN 0

/* Bodies needing a deeper operand stack than this are refused (EBB_ELIMIT):
** a call to a function with 1000 results is three bytes, so without a bound a
** small hostile body could ask for gigabytes. No real program comes close. */
#define EBB__MAX_OPERANDS (1u << 20)

/* One entry of the control stack: a block, loop, if/else or the function. */
typedef struct ebb__vframe {
  uint16_t op;      /* EBB_OP_BLOCK, _LOOP, _IF, _ELSE; BLOCK for the function */
  bool unreachable; /* the rest of this block is dead code */
  uint32_t height;  /* operand stack height when the block began */
  uint32_t nparams, nresults;
  const ebb__valtype *params, *results; /* into the module's types or a static table */
  uint32_t stamp; /* br_table that last checked this label, see valid_func.c */
} ebb__vframe;

typedef struct ebb__vctx {
  const ebb__module *m;
  ebb_error_t *err;
  uint8_t *declared; /* bitmap over functions: may be named by ref.func */
  EBB__VEC(ebb__valtype) vals;
  EBB__VEC(ebb__vframe) ctrls;
  EBB__VEC(ebb__valtype) local_types; /* the current body's, params first */
} ebb__vctx;

/* Validates the constant expression e (spec 3.3.10): it must produce exactly
** one value of type `want`; only imported immutable globals are visible.
** Functions named by ref.func are marked declared. `where` prefixes the
** message ("section 6 (global) @0x1c: global 2"). */
int ebb__valid_const(ebb__vctx *v, const ebb__constexpr *e, ebb__valtype want, const char *where);

/* Validates the body of defined function `funcidx` (spec 3.4.10 and the
** appendix's algorithm). */
int ebb__valid_func(ebb__vctx *v, uint32_t funcidx);

/* Decodes every body without validating: EBB_EMALFORMED (reported) if one
** is not well-formed, else 0. Used to prefer malformed over invalid. */
int ebb__valid_scan(ebb__vctx *v);

/* Text names for messages. */

static inline bool ebb__is_reftype(ebb__valtype t) {
  return t == EBB__FUNCREF || t == EBB__EXTERNREF;
}

static inline bool ebb__declared(const ebb__vctx *v, uint32_t f) {
  return (v->declared[f >> 3] >> (f & 7)) & 1;
}

static inline void ebb__declare(ebb__vctx *v, uint32_t f) {
  v->declared[f >> 3] |= (uint8_t)(1u << (f & 7));
}

#endif
