/*
** compile_simd.c -- what the SIMD instructions lower to. Every one has a
** fixed type (the SIG column of decode/opcodes_simd.h) and an internal op of
** its own, so compile.c lowers them all by one generic rule: pop the
** operands, push the result, emit [op, dst?, operand slots..., immediates]
** (compile/code.h). This file gives the op and the immediate cells; it
** emits nothing itself, so the compiler's state stays private to compile.c.
**
** Memory instructions carry the i32.add of an immediate that computed
** their address, as the scalar _AI forms do: [..., add, offset], add 0 when
** there was none. Vectorised loops address arrays as `base + i`.
*/
#include "compile/emit.h"
#include "decode/instr.h"

/* wasm SIMD op - 0x400 -> internal op + 1. */
static const int16_t simd_iop[256] = {
#define EBB__S_(id, code, name, imm, sig, size) [(code) - 0x400] = EBB_IOP_##id + 1,
    EBB_SIMD_OPCODE_LIST(EBB__S_)
#undef EBB__S_
};

int ebb__simd_iop(unsigned op) { return simd_iop[(op - 0x400) & 0xff] - 1; }

uint32_t ebb__simd_imm_cells(const ebb__instr *in, uint32_t add, uint32_t cells[4]) {
  switch (ebb__opinfo_get(in->op)->imm) {
  case EBB_IMM_MEMARG:
    cells[0] = add;
    cells[1] = in->imm.memarg.offset;
    return 2;
  case EBB_IMM_MEMARG_LANE:
    cells[0] = add;
    cells[1] = in->imm.memarg.offset;
    cells[2] = in->imm.memarg.lane;
    return 3;
  case EBB_IMM_LANE: cells[0] = in->imm.memarg.lane; return 1;
  case EBB_IMM_V128:
  case EBB_IMM_SHUFFLE: {
    /* Sixteen immediate bytes as four little-endian cells. */
    const uint8_t *b = in->imm.bytes;
    for (int i = 0; i < 4; i++)
      cells[i] = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 | (uint32_t)b[4 * i + 2] << 16 |
                 (uint32_t)b[4 * i + 3] << 24;
    return 4;
  }
  default: return 0;
  }
}
