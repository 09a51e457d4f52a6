/*
** constexpr.c -- evaluating constant expressions at instantiation (global
** initializers, segment offsets, element expressions). The validator has
** checked them; a small value stack also covers the extended-const
** proposal's add/sub/mul.
*/
#include <string.h>

#include "decode/instr.h"
#include "rt/constexpr.h"

/* Values are pairs of words: the second is a v128's high half. */
int ebb__eval_const2(const ebb_instance_t *inst, ebb__constexpr e, uint64_t *out,
                     uint64_t *out_hi) {
  const ebb__module *m = inst->module->desc;
  ebb__reader r;
  ebb__reader_init(&r, m->bytes, m->bytes + e.start, m->bytes + e.end);
  uint64_t stack[16], hi[16];
  int sp = 0;
  while (!ebb__reader_eof(&r)) {
    ebb__instr in;
    if (ebb__read_instr(&r, &in)) return -1;
    if (in.op == EBB_OP_END) break;
    if (sp == 16) return -1;
    hi[sp] = 0;
    switch (in.op) {
    case EBB_OP_I32_CONST: stack[sp++] = (uint32_t)in.imm.i32; break;
    case EBB_OP_I64_CONST: stack[sp++] = (uint64_t)in.imm.i64; break;
    case EBB_OP_F32_CONST: stack[sp++] = in.imm.f32; break;
    case EBB_OP_F64_CONST: stack[sp++] = in.imm.f64; break;
    case EBB_OP_REF_NULL: stack[sp++] = 0; break;
    case EBB_OP_REF_FUNC: stack[sp++] = (uint64_t)(uintptr_t)inst->funcs[in.imm.index]; break;
    case EBB_OP_GLOBAL_GET:
      hi[sp] = inst->globals[in.imm.index]->value_hi;
      stack[sp++] = inst->globals[in.imm.index]->value;
      break;
    case EBB_OP_V128_CONST:
      memcpy(&stack[sp], in.imm.bytes, 8);
      memcpy(&hi[sp++], in.imm.bytes + 8, 8);
      break;
    case EBB_OP_I32_ADD:
    case EBB_OP_I32_SUB:
    case EBB_OP_I32_MUL:
    case EBB_OP_I64_ADD:
    case EBB_OP_I64_SUB:
    case EBB_OP_I64_MUL: {
      if (sp < 2) return -1;
      uint64_t b = stack[--sp], a = stack[sp - 1], v;
      if (in.op == EBB_OP_I32_ADD || in.op == EBB_OP_I64_ADD) v = a + b;
      else if (in.op == EBB_OP_I32_SUB || in.op == EBB_OP_I64_SUB) v = a - b;
      else v = a * b;
      if (in.op <= EBB_OP_I32_MUL) v = (uint32_t)v;
      stack[sp - 1] = v;
      break;
    }
    default: return -1;
    }
  }
  if (sp != 1) return -1;
  *out = stack[0];
  if (out_hi) *out_hi = hi[0];
  return 0;
}

int ebb__eval_const(const ebb_instance_t *inst, ebb__constexpr e, uint64_t *out) {
  return ebb__eval_const2(inst, e, out, NULL);
}
