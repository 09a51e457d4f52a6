/*
** instr.c -- decoding one instruction: the opcode (with its 0xFC / 0xFE
** or 0xFD prefix) and the immediates its ebb__opinfo entry names (spec 5.4).
** Typing is the validator's job; this only checks the encoding.
*/
#include "decode/instr.h"

#include "decode/decode_int.h"

/* A reserved memory-index byte: one byte, not a LEB128, so 0x80 0x00 is
** malformed too (binary.wast tests exactly that). */
static int zero_byte(ebb__reader *r) {
  uint8_t b;
  if (ebb__read_u8(r, &b)) return -1;
  if (b != 0) {
    r->p--;
    return ebb__fail(r, "zero byte expected");
  }
  return 0;
}

/* A vector count whose items take at least one byte each: rejecting counts
** larger than the bytes left keeps hostile counts from looping for long. */
static int vec_count(ebb__reader *r, uint32_t *n) {
  const uint8_t *p0 = r->p;
  if (ebb__read_u32(r, n)) return -1;
  if (*n > (uint64_t)(r->end - r->p)) {
    r->p = p0;
    return ebb__fail(r, "length out of bounds");
  }
  return 0;
}

static int blocktype(ebb__reader *r, int64_t *out) {
  const uint8_t *p0 = r->p;
  if (ebb__read_s33(r, out)) return -1;
  /* Negative values must be the one-byte forms: empty (0x40) or a value
  ** type; only type indices (>= 0) use the general s33 encoding. */
  if (*out < 0 && (r->p - p0 != 1 || (*out != -64 && !ebb__is_valtype(*p0)))) {
    r->p = p0;
    return ebb__fail(r, "malformed block type");
  }
  return 0;
}

static int br_table(ebb__reader *r, ebb__instr *out) {
  uint32_t n, label;
  if (vec_count(r, &n)) return -1;
  out->imm.br_table.count = n;
  out->imm.br_table.labels = r->p;
  for (uint64_t i = 0; i <= n; i++) /* n labels and the default */
    if (ebb__read_u32(r, &label)) return -1;
  return 0;
}

static int select_t(ebb__reader *r, ebb__instr *out) {
  uint32_t n;
  if (vec_count(r, &n)) return -1;
  out->imm.select_t.count = n;
  out->imm.select_t.type = 0;
  /* Only count == 1 is valid; the validator says so, but every type is
  ** consumed so the instruction stream stays in step. */
  for (uint32_t i = 0; i < n; i++) {
    uint8_t t;
    if (ebb__read_u8(r, &t)) return -1;
    if (!ebb__is_valtype(t)) {
      r->p--;
      return ebb__fail(r, "malformed value type");
    }
    if (i == 0) out->imm.select_t.type = t;
  }
  return 0;
}

static int immediates(ebb__reader *r, unsigned kind, ebb__instr *out) {
  switch (kind) {
  case EBB_IMM_NONE: return 0;
  case EBB_IMM_BLOCKTYPE: return blocktype(r, &out->imm.blocktype);
  case EBB_IMM_LABEL:
  case EBB_IMM_FUNC:
  case EBB_IMM_LOCAL:
  case EBB_IMM_GLOBAL:
  case EBB_IMM_TABLE:
  case EBB_IMM_DATA:
  case EBB_IMM_ELEM: return ebb__read_u32(r, &out->imm.index);
  case EBB_IMM_BR_TABLE: return br_table(r, out);
  case EBB_IMM_CALL_INDIRECT:
    /* Reference types made the table byte a full u32 index. */
    if (ebb__read_u32(r, &out->imm.call_indirect.type)) return -1;
    return ebb__read_u32(r, &out->imm.call_indirect.table);
  case EBB_IMM_SELECT_T: return select_t(r, out);
  case EBB_IMM_MEMARG:
    if (ebb__read_u32(r, &out->imm.memarg.align)) return -1;
    return ebb__read_u32(r, &out->imm.memarg.offset);
  case EBB_IMM_MEMIDX:
  case EBB_IMM_FENCE: return zero_byte(r);
  case EBB_IMM_I32: return ebb__read_s32(r, &out->imm.i32);
  case EBB_IMM_I64: return ebb__read_s64(r, &out->imm.i64);
  case EBB_IMM_F32: return ebb__read_f32(r, &out->imm.f32);
  case EBB_IMM_F64: return ebb__read_f64(r, &out->imm.f64);
  case EBB_IMM_REFTYPE: {
    uint8_t t;
    if (ebb__read_u8(r, &t)) return -1;
    if (!ebb__is_reftype(t)) {
      r->p--;
      return ebb__fail(r, "malformed reference type");
    }
    out->imm.reftype = t;
    return 0;
  }
  case EBB_IMM_DATA_MEM:
    if (ebb__read_u32(r, &out->imm.pair.a)) return -1;
    out->imm.pair.b = 0;
    return zero_byte(r);
  case EBB_IMM_MEM_MEM:
    out->imm.pair.a = out->imm.pair.b = 0;
    if (zero_byte(r)) return -1;
    return zero_byte(r);
  case EBB_IMM_ELEM_TABLE:
  case EBB_IMM_TABLE_TABLE:
    if (ebb__read_u32(r, &out->imm.pair.a)) return -1;
    return ebb__read_u32(r, &out->imm.pair.b);
  case EBB_IMM_V128:
  case EBB_IMM_SHUFFLE: return ebb__read_bytes(r, 16, &out->imm.bytes);
  case EBB_IMM_LANE: return ebb__read_u8(r, &out->imm.memarg.lane);
  case EBB_IMM_MEMARG_LANE:
    if (ebb__read_u32(r, &out->imm.memarg.align)) return -1;
    if (ebb__read_u32(r, &out->imm.memarg.offset)) return -1;
    return ebb__read_u8(r, &out->imm.memarg.lane);
  default: return ebb__fail(r, "illegal opcode");
  }
}

int ebb__read_instr(ebb__reader *r, ebb__instr *out) {
  const uint8_t *p0 = r->p;
  uint8_t b;
  unsigned op;
  out->offset = ebb__reader_offset(r);
  if (ebb__read_u8(r, &b)) return -1;
  op = b;
  if (b == 0xFC || b == 0xFE || b == 0xFD) {
    /* The sub-opcode is a u32 LEB128 (so 0xFD 0x80 0x00 is v128.load). */
    uint32_t sub;
    if (ebb__read_u32(r, &sub)) return -1;
    if (sub >= 0x100) goto illegal;
    op = (b == 0xFC ? 0x100u : b == 0xFE ? 0x200u : 0x400u) + sub;
  }
  const ebb__opinfo *info = ebb__opinfo_get(op);
  if (!info->name) goto illegal;
  out->op = (uint16_t)op;
  return immediates(r, info->imm, out);

illegal:
  r->p = p0;
  return ebb__fail(r, "illegal opcode");
}
