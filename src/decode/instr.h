/*
** instr.h -- decoding one instruction (opcode and immediates) from a body.
** The validator uses it to check bodies; the compiler uses it again on bodies
** already validated. Neither re-implements immediate decoding.
*/
#ifndef EBB_DECODE_INSTR_H
#define EBB_DECODE_INSTR_H

#include <stdint.h>

#include "decode/opcodes.h"
#include "decode/reader.h"

typedef struct ebb__instr {
  uint16_t op;     /* enum ebb__op */
  uint32_t offset; /* file offset of the opcode, for messages */
  union {
    int64_t blocktype; /* BLOCKTYPE, the s33 value: -64 (0x40) empty; negative
                          for a value type, whose byte is blocktype & 0x7f
                          (0x7f i32 is -1); >= 0 a type index */
    uint32_t index;    /* LABEL, FUNC, LOCAL, GLOBAL, TABLE, DATA, ELEM */
    struct { uint32_t type, table; } call_indirect;
    struct { uint32_t count; const uint8_t *labels; } br_table; /* count labels +
                          default follow at `labels`, each a u32 LEB128 (already
                          checked well-formed); read them with ebb__read_u32 */
    struct { uint32_t align, offset; uint8_t lane; } memarg; /* align is log2;
                          lane for MEMARG_LANE, and the lane index of LANE */
    const uint8_t *bytes; /* V128, SHUFFLE: 16 bytes inside the module */
    struct { uint32_t count; uint8_t type; } select_t; /* count==1 when valid */
    uint8_t reftype;                           /* REFTYPE */
    struct { uint32_t a, b; } pair; /* DATA_MEM (data, mem), ELEM_TABLE (elem,
                          table), TABLE_TABLE (dst, src), MEM_MEM (dst, src) */
    int32_t i32;
    int64_t i64;
    uint32_t f32; /* bits */
    uint64_t f64; /* bits */
  } imm;
} ebb__instr;

/* Decode the next instruction at r. Returns 0, or -1 with r->why set
** ("illegal opcode", "unexpected end", "integer too large", "zero byte
** expected", ...). For BR_TABLE the whole label vector is checked and
** skipped. */
int ebb__read_instr(ebb__reader *r, ebb__instr *out);

#endif
