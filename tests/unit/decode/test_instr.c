/*
** test_instr.c -- ebb__read_instr: every opcode of the list, each
** immediate kind, prefixes, and the malformed encodings.
*/
#include <string.h>

#include "check.h"
#include "decode/instr.h"

#define BYTES(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})

static ebb__reader r;
static ebb__instr in;

/* Decodes one instruction from b[0..n) placed at file offset 100. Returns
** 0 or -1; on success the whole input must have been consumed. */
static uint8_t file[256];
static int dec(const uint8_t *b, size_t n) {
  memcpy(file + 100, b, n);
  ebb__reader_init(&r, file, file + 100, file + 100 + n);
  memset(&in, 0xaa, sizeof in);
  int rc = ebb__read_instr(&r, &in);
  if (rc == 0) {
    CHECK(ebb__reader_eof(&r));
    CHECK_EQ_INT(in.offset, 100);
  }
  return rc;
}

/* Expects failure with `why`, the cursor at file offset `at`. */
static void bad(const uint8_t *b, size_t n, const char *why, uint32_t at) {
  CHECK_EQ_INT(dec(b, n), -1);
  CHECK(r.why != NULL);
  if (r.why) CHECK_STR_CONTAINS(r.why, why);
  CHECK_EQ_INT(ebb__reader_offset(&r), at);
}

/* Encodes op with minimal valid immediates of its kind. */
static size_t encode(unsigned op, unsigned imm, uint8_t *b) {
  size_t n = 0;
  if (op >= 0x400) {
    b[n++] = 0xFD;
    b[n++] = (uint8_t)(0x80 | (op & 0x7f)); /* two LEB128 bytes, always */
    b[n++] = (uint8_t)((op - 0x400) >> 7);
  } else if (op >= 0x200) {
    b[n++] = 0xFE;
    b[n++] = (uint8_t)(op - 0x200);
  } else if (op >= 0x100) {
    b[n++] = 0xFC;
    b[n++] = (uint8_t)(op - 0x100);
  } else {
    b[n++] = (uint8_t)op;
  }
  switch (imm) {
  case EBB_IMM_NONE: break;
  case EBB_IMM_BLOCKTYPE: b[n++] = 0x40; break;
  case EBB_IMM_BR_TABLE: b[n++] = 0x01; b[n++] = 0x00; b[n++] = 0x01; break;
  case EBB_IMM_CALL_INDIRECT:
  case EBB_IMM_MEMARG:
  case EBB_IMM_ELEM_TABLE:
  case EBB_IMM_TABLE_TABLE:
  case EBB_IMM_DATA_MEM:
  case EBB_IMM_MEM_MEM: b[n++] = 0x00; b[n++] = 0x00; break;
  case EBB_IMM_SELECT_T: b[n++] = 0x01; b[n++] = 0x7f; break;
  case EBB_IMM_F32: memset(b + n, 0, 4); n += 4; break;
  case EBB_IMM_F64: memset(b + n, 0, 8); n += 8; break;
  case EBB_IMM_REFTYPE: b[n++] = 0x70; break;
  case EBB_IMM_V128:
  case EBB_IMM_SHUFFLE: memset(b + n, 0, 16); n += 16; break;
  case EBB_IMM_MEMARG_LANE: b[n++] = 0x00; b[n++] = 0x00; b[n++] = 0x00; break;
  default: b[n++] = 0x00; break; /* one u32/s32/s64 or a zero byte */
  }
  return n;
}

static void test_every_opcode(void) {
  int count = 0;
  for (unsigned op = 0; op < EBB_OP_LIMIT_; op++) {
    const ebb__opinfo *info = ebb__opinfo_get(op);
    if (!info->name) continue;
    uint8_t b[32];
    size_t n = encode(op, info->imm, b);
    CHECK_EQ_INT(dec(b, n), 0);
    CHECK_EQ_INT(in.op, op);
    /* Every proper prefix is cut short. */
    for (size_t k = 0; k < n; k++) {
      ebb__reader_init(&r, b, b, b + k);
      CHECK_EQ_INT(ebb__read_instr(&r, &in), -1);
    }
    count++;
  }
  CHECK(count > 250 + 236); /* MVP, 2.0, threads and the 236 of SIMD */
  /* Numbers the list does not hold are illegal, whatever follows. */
  for (unsigned b0 = 0; b0 < 0x100; b0++) {
    if (b0 == 0xFC || b0 == 0xFD || b0 == 0xFE) continue;
    if (ebb__opinfo_get(b0)->name) continue;
    bad((const uint8_t[]){(uint8_t)b0, 0, 0, 0}, 4, "illegal opcode", 100);
  }
}

static void test_immediates(void) {
  /* Block types: empty, value types, type indices, and the malformed. */
  CHECK_EQ_INT(dec(BYTES(0x02, 0x40)), 0);
  CHECK_EQ_INT(in.imm.blocktype, -64);
  CHECK_EQ_INT(dec(BYTES(0x03, 0x7f)), 0);
  CHECK_EQ_INT(in.imm.blocktype, -1);
  CHECK_EQ_INT(dec(BYTES(0x04, 0x6f)), 0);
  CHECK_EQ_INT(in.imm.blocktype, -17);
  CHECK_EQ_INT(dec(BYTES(0x02, 0x7b)), 0); /* v128: the validator decides */
  CHECK_EQ_INT(dec(BYTES(0x02, 0x05)), 0);
  CHECK_EQ_INT(in.imm.blocktype, 5);
  CHECK_EQ_INT(dec(BYTES(0x02, 0xff, 0xff, 0xff, 0xff, 0x0f)), 0);
  CHECK_EQ_INT(in.imm.blocktype, 0xffffffffLL);
  bad(BYTES(0x02, 0x60), "malformed block type", 101);
  bad(BYTES(0x02, 0xff, 0x7f), "malformed block type", 101); /* -1 in two bytes */
  bad(BYTES(0x02, 0x80, 0x80, 0x80, 0x80, 0x10), "integer too large", 101);

  /* br_table: count, labels, default; absurd counts refused at once. */
  CHECK_EQ_INT(dec(BYTES(0x0e, 0x02, 0x01, 0x80, 0x01, 0x07)), 0);
  CHECK_EQ_INT(in.imm.br_table.count, 2);
  CHECK(in.imm.br_table.labels == file + 102);
  {
    ebb__reader lr;
    uint32_t l;
    ebb__reader_init(&lr, file, in.imm.br_table.labels, file + 106);
    CHECK(ebb__read_u32(&lr, &l) == 0 && l == 1);
    CHECK(ebb__read_u32(&lr, &l) == 0 && l == 128);
    CHECK(ebb__read_u32(&lr, &l) == 0 && l == 7);
  }
  bad(BYTES(0x0e, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00), "length out of bounds", 101);
  bad(BYTES(0x0e, 0x02, 0x00, 0x00), "unexpected end", 104);
  bad(BYTES(0x0e, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00), "integer representation too long", 102);

  /* call_indirect: a full u32 table index since reference types. */
  CHECK_EQ_INT(dec(BYTES(0x11, 0x03, 0x85, 0x01)), 0);
  CHECK_EQ_INT(in.imm.call_indirect.type, 3);
  CHECK_EQ_INT(in.imm.call_indirect.table, 133);

  /* select with types: the count is recorded, all types consumed. */
  CHECK_EQ_INT(dec(BYTES(0x1c, 0x01, 0x7e)), 0);
  CHECK_EQ_INT(in.imm.select_t.count, 1);
  CHECK_EQ_INT(in.imm.select_t.type, 0x7e);
  CHECK_EQ_INT(dec(BYTES(0x1c, 0x02, 0x7f, 0x7f)), 0);
  CHECK_EQ_INT(in.imm.select_t.count, 2);
  CHECK_EQ_INT(dec(BYTES(0x1c, 0x00)), 0);
  CHECK_EQ_INT(in.imm.select_t.count, 0);
  bad(BYTES(0x1c, 0x01, 0x40), "malformed value type", 102);

  /* memarg and the reserved memory bytes (one byte, not a LEB128). */
  CHECK_EQ_INT(dec(BYTES(0x28, 0x02, 0x80, 0x80, 0x04)), 0);
  CHECK_EQ_INT(in.imm.memarg.align, 2);
  CHECK_EQ_INT(in.imm.memarg.offset, 65536);
  bad(BYTES(0x28, 0x02, 0xff, 0xff, 0xff, 0xff, 0x1f), "integer too large", 102);
  CHECK_EQ_INT(dec(BYTES(0x3f, 0x00)), 0);
  bad(BYTES(0x3f, 0x01), "zero byte expected", 101);
  bad(BYTES(0x40, 0x80, 0x00), "zero byte expected", 101);
  bad(BYTES(0xfc, 0x08, 0x01, 0x01), "zero byte expected", 103);
  CHECK_EQ_INT(dec(BYTES(0xfc, 0x08, 0x05, 0x00)), 0);
  CHECK_EQ_INT(in.op, EBB_OP_MEMORY_INIT);
  CHECK_EQ_INT(in.imm.pair.a, 5);
  bad(BYTES(0xfc, 0x0a, 0x00, 0x01), "zero byte expected", 103);
  bad(BYTES(0xfc, 0x0b, 0x02), "zero byte expected", 102);
  bad(BYTES(0xfe, 0x03, 0x01), "zero byte expected", 102);

  /* Constants. */
  CHECK_EQ_INT(dec(BYTES(0x41, 0x80, 0x80, 0x80, 0x80, 0x78)), 0);
  CHECK_EQ_INT(in.imm.i32, -2147483647 - 1);
  CHECK_EQ_INT(dec(BYTES(0x42, 0x7f)), 0);
  CHECK_EQ_INT(in.imm.i64, -1);
  CHECK_EQ_INT(dec(BYTES(0x43, 0x00, 0x00, 0xc0, 0x7f)), 0);
  CHECK_EQ_INT(in.imm.f32, 0x7fc00000);
  CHECK_EQ_INT(dec(BYTES(0x44, 1, 2, 3, 4, 5, 6, 7, 8)), 0);
  CHECK(in.imm.f64 == 0x0807060504030201ULL);
  bad(BYTES(0x44, 1, 2, 3, 4, 5, 6, 7), "unexpected end", 101);
  bad(BYTES(0x41, 0xff, 0xff, 0xff, 0xff, 0x4f), "integer too large", 101);

  /* References. */
  CHECK_EQ_INT(dec(BYTES(0xd0, 0x6f)), 0);
  CHECK_EQ_INT(in.imm.reftype, 0x6f);
  bad(BYTES(0xd0, 0x7f), "malformed reference type", 101);
  CHECK_EQ_INT(dec(BYTES(0xd2, 0x09)), 0);
  CHECK_EQ_INT(in.imm.index, 9);

  /* Two-index forms keep their order. */
  CHECK_EQ_INT(dec(BYTES(0xfc, 0x0c, 0x03, 0x04)), 0);
  CHECK(in.op == EBB_OP_TABLE_INIT && in.imm.pair.a == 3 && in.imm.pair.b == 4);
  CHECK_EQ_INT(dec(BYTES(0xfc, 0x0e, 0x01, 0x02)), 0);
  CHECK(in.op == EBB_OP_TABLE_COPY && in.imm.pair.a == 1 && in.imm.pair.b == 2);
}

static void test_prefixes(void) {
  /* The sub-opcode is a u32 LEB128, so redundant encodings are fine. */
  CHECK_EQ_INT(dec(BYTES(0xfc, 0x80, 0x00)), 0);
  CHECK_EQ_INT(in.op, EBB_OP_I32_TRUNC_SAT_F32_S);
  CHECK_EQ_INT(dec(BYTES(0xfe, 0x90, 0x00, 0x02, 0x00)), 0);
  CHECK_EQ_INT(in.op, EBB_OP_I32_ATOMIC_LOAD);
  bad(BYTES(0xfc, 0x12), "illegal opcode", 100);
  bad(BYTES(0xfc, 0x80, 0x02), "illegal opcode", 100); /* 0x100 must not alias 0x200 */
  bad(BYTES(0xfc, 0xff, 0xff, 0xff, 0xff, 0x0f), "illegal opcode", 100);
  bad(BYTES(0xfc, 0xff, 0xff, 0xff, 0xff, 0x1f), "integer too large", 101);
  bad(BYTES(0xfe, 0x04), "illegal opcode", 100);
  bad(BYTES(0xfe, 0x4f), "illegal opcode", 100);
  bad(BYTES(0xfd, 0x0c), "unexpected end", 102); /* v128.const without its bytes */
  bad(BYTES(0xfc), "unexpected end", 101);
  bad((const uint8_t *)"", 0, "unexpected end", 100);
}

/* Malformed SIMD encodings: the decoder's part (lane indexes, shuffle
** bytes and alignment are the validator's, test_valid.c). */
static void test_simd(void) {
  /* Every sub-opcode the list lacks is illegal, with any immediate bytes. */
  int holes = 0;
  for (unsigned sub = 0; sub < 0x100; sub++) {
    if (ebb__opinfo_get(0x400 + sub)->name) continue;
    uint8_t b[4] = {0xfd, (uint8_t)(0x80 | (sub & 0x7f)), (uint8_t)(sub >> 7), 0};
    bad(b, 4, "illegal opcode", 100);
    holes++;
  }
  CHECK_EQ_INT(holes, 256 - 236);
  bad(BYTES(0xfd, 0x80, 0x02), "illegal opcode", 100); /* 0x100 */
  bad(BYTES(0xfd, 0xff, 0xff, 0xff, 0xff, 0x0f), "illegal opcode", 100);
  bad(BYTES(0xfd, 0x80, 0x80, 0x80, 0x80, 0x10), "integer too large", 101);
  bad(BYTES(0xfd, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00), "integer representation too long", 101);
  bad(BYTES(0xfd), "unexpected end", 101);
  /* Redundant LEB128 sub-opcodes are fine: 0xfd 0x80 0x80 0x00 is v128.load. */
  CHECK_EQ_INT(dec(BYTES(0xfd, 0x80, 0x80, 0x00, 0x04, 0x10)), 0);
  CHECK(in.op == EBB_OP_V128_LOAD && in.imm.memarg.align == 4 && in.imm.memarg.offset == 16);
  /* Immediates: a lane byte, 16 bytes, memarg and lane. */
  CHECK_EQ_INT(dec(BYTES(0xfd, 0x15, 0x0f)), 0);
  CHECK(in.op == EBB_OP_I8X16_EXTRACT_LANE_S && in.imm.memarg.lane == 15);
  CHECK_EQ_INT(dec(BYTES(0xfd, 0x54, 0x00, 0x03, 0x07)), 0);
  CHECK(in.op == EBB_OP_V128_LOAD8_LANE && in.imm.memarg.offset == 3 && in.imm.memarg.lane == 7);
  CHECK_EQ_INT(dec(BYTES(0xfd, 0x0d, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 31)), 0);
  CHECK(in.op == EBB_OP_I8X16_SHUFFLE && in.imm.bytes[15] == 31);
  bad(BYTES(0xfd, 0x0d, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14), "unexpected end", 102);
  bad(BYTES(0xfd, 0x0c, 1, 2, 3), "unexpected end", 102);
  bad(BYTES(0xfd, 0x15), "unexpected end", 102);
  bad(BYTES(0xfd, 0x5b, 0x03, 0x00), "unexpected end", 104); /* store64_lane: no lane */
  bad(BYTES(0xfd, 0x00, 0x80), "unexpected end", 102); /* memarg cut */
}

int main(void) {
  test_every_opcode();
  test_immediates();
  test_prefixes();
  test_simd();
  return CHECK_DONE();
}
