/*
** valid_simd.c -- the one SIMD rule the SIG column of opcodes.h cannot
** state: lane index immediates must name a lane of the shape (spec 3.3.3,
** "Vector Instructions"): below 16 / SIZE for extract/replace and the
** load/store_lane family, below 32 for each byte of i8x16.shuffle (which
** picks from two vectors). Out of range is invalid, not malformed.
*/
#include "valid/vstack.h"

int ebb__valid_lanes(ebb__vfn *f, const ebb__opinfo *oi) {
  if (oi->imm == EBB_IMM_SHUFFLE) {
    for (int i = 0; i < 16; i++)
      if (f->in.imm.bytes[i] >= 32)
        return ebb__vbad(f, EBB_EINVALID, "invalid lane index: %u", f->in.imm.bytes[i]);
    return 0;
  }
  unsigned lanes = 16u / oi->size;
  if (f->in.imm.memarg.lane >= lanes)
    return ebb__vbad(f, EBB_EINVALID, "invalid lane index: %u (of %u lanes)",
                     f->in.imm.memarg.lane, lanes);
  return 0;
}
