/*
** compile_simd.c -- lowering the SIMD instructions. Every one has a fixed
** type (the SIG column of decode/opcodes_simd.h) and an internal op of its
** own, so one generic rule covers them all: pop the operands, push the
** result, emit [op, dst?, operand slots..., immediates] (compile/code.h).
** A v128 result is a TEMP like any other, so a following local.set
** rewrites the destination and `local.get`s cost nothing here either.
**
** Memory instructions carry the i32.add of an immediate that computed
** their address, as the scalar _AI forms do: [..., add, offset], add 0 when
** there was none. Vectorised loops address arrays as `base + i`.
*/
#include <string.h>

#include "compile/emit.h"
#include "decode/instr.h"

typedef ebb__compiler C;

/* wasm SIMD op - 0x400 -> internal op + 1. */
static const int16_t simd_iop[256] = {
#define EBB__S_(id, code, name, imm, sig, size) [(code) - 0x400] = EBB_IOP_##id + 1,
    EBB_SIMD_OPCODE_LIST(EBB__S_)
#undef EBB__S_
};

static ebb__valtype sig_type(char ch) {
  switch (ch) {
  case 'i': return EBB__I32;
  case 'I': return EBB__I64;
  case 'f': return EBB__F32;
  case 'F': return EBB__F64;
  default: return EBB__V128;
  }
}

/* Sixteen immediate bytes as four little-endian cells. */
static void bytes16(C *c, const uint8_t *b) {
  for (int i = 0; i < 4; i++) {
    uint32_t w = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 |
                 (uint32_t)b[4 * i + 2] << 16 | (uint32_t)b[4 * i + 3] << 24;
    ebb__emit_cell(c, w);
  }
}

void ebb__compile_simd(C *c, const ebb__instr *in) {
  const ebb__opinfo *info = ebb__opinfo_get(in->op);
  const char *sig = info->sig, *colon = strchr(sig, ':');
  int n = (int)(colon - sig);
  ebb__vs_entry e[3];
  uint32_t s[3];
  for (int i = n - 1; i >= 0; i--) e[i] = ebb__emit_pop(c);
  bool mem = info->imm == EBB_IMM_MEMARG || info->imm == EBB_IMM_MEMARG_LANE;
  uint32_t add = 0;
  /* The add is the last instruction only if no later operand was computed. */
  bool fused = mem && (n == 1 || e[1].kind != VS_TEMP) &&
               ebb__emit_take_add_imm(c, &e[0], &s[0], &add);
  for (int i = fused ? 1 : 0; i < n; i++) s[i] = ebb__emit_use(c, &e[i]);
  uint32_t dst = colon[1] ? ebb__emit_push_temp(c, sig_type(colon[1])) : 0;
  ebb__emit_op(c, simd_iop[in->op - 0x400] - 1);
  uint32_t dcell = ebb__emit_here(c);
  if (colon[1]) ebb__emit_cell(c, dst);
  for (int i = 0; i < n; i++) ebb__emit_cell(c, s[i]);
  switch (info->imm) {
  case EBB_IMM_MEMARG:
    ebb__emit_cell(c, add);
    ebb__emit_cell(c, in->imm.memarg.offset);
    break;
  case EBB_IMM_MEMARG_LANE:
    ebb__emit_cell(c, add);
    ebb__emit_cell(c, in->imm.memarg.offset);
    ebb__emit_cell(c, in->imm.memarg.lane);
    break;
  case EBB_IMM_LANE: ebb__emit_cell(c, in->imm.memarg.lane); break;
  case EBB_IMM_V128:
  case EBB_IMM_SHUFFLE: bytes16(c, in->imm.bytes); break;
  default: break;
  }
  if (colon[1]) ebb__emit_result(c, dcell);
  else ebb__emit_end(c);
}
