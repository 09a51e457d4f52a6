/*
** opcodes.h -- the one list of WebAssembly instructions ebb knows.
**
** X(ID, CODE, NAME, IMM, SIG, SIZE):
**   ID    C identifier; EBB_OP_<ID> is the instruction's number.
**   CODE  its number: the opcode byte for one-byte opcodes; 0x100 + n for the
**         0xFC prefix; 0x200 + n for the 0xFE (threads) prefix; 0x400 + n for
**         0xFD (SIMD, listed in opcodes_simd.h).
**   NAME  the text-format name, used in messages and disassembly.
**   IMM   the immediate kind (enum ebb__imm below).
**   SIG   for instructions with a fixed type: "params:results", one letter
**         per value (i=i32, I=i64, f=f32, F=f64, V=v128); NULL for those the validator
**         types by hand (control, variables, calls, references, tables).
**   SIZE  bytes accessed by a memory instruction (its natural alignment); 0.
** The decoder, validator, compiler, interpreter and messages all expand it.
*/
#ifndef EBB_DECODE_OPCODES_H
#define EBB_DECODE_OPCODES_H

#include <stdint.h>

#include "decode/opcodes_simd.h"

/* Immediate kinds. */
enum ebb__imm {
  EBB_IMM_NONE,
  EBB_IMM_BLOCKTYPE,     /* s33: -64 empty, negative valtype, or type index */
  EBB_IMM_LABEL,         /* u32 label depth */
  EBB_IMM_BR_TABLE,      /* vec(u32) labels, then u32 default */
  EBB_IMM_FUNC,          /* u32 function index */
  EBB_IMM_CALL_INDIRECT, /* u32 type index, u32 table index */
  EBB_IMM_SELECT_T,      /* vec(valtype), length 1 */
  EBB_IMM_LOCAL,         /* u32 local index */
  EBB_IMM_GLOBAL,        /* u32 global index */
  EBB_IMM_TABLE,         /* u32 table index */
  EBB_IMM_MEMARG,        /* u32 align (log2), u32 offset */
  EBB_IMM_MEMIDX,        /* one 0x00 byte (memory index) */
  EBB_IMM_I32,           /* s32 */
  EBB_IMM_I64,           /* s64 */
  EBB_IMM_F32,           /* 4 bytes little-endian */
  EBB_IMM_F64,           /* 8 bytes little-endian */
  EBB_IMM_REFTYPE,       /* one reftype byte */
  EBB_IMM_DATA_MEM,      /* u32 data index, 0x00 byte */
  EBB_IMM_DATA,          /* u32 data index */
  EBB_IMM_MEM_MEM,       /* 0x00 byte, 0x00 byte */
  EBB_IMM_ELEM_TABLE,    /* u32 elem index, u32 table index */
  EBB_IMM_ELEM,          /* u32 elem index */
  EBB_IMM_TABLE_TABLE,   /* u32 destination table, u32 source table */
  EBB_IMM_FENCE,         /* one 0x00 byte */
  EBB_IMM_V128,          /* 16 bytes: a v128 constant */
  EBB_IMM_SHUFFLE,       /* 16 lane index bytes, each < 32 */
  EBB_IMM_LANE,          /* one lane index byte */
  EBB_IMM_MEMARG_LANE,   /* memarg, then one lane index byte */
};

#define EBB_OPCODE_LIST(X) \
  X(UNREACHABLE, 0x000, "unreachable", NONE, NULL, 0) \
  X(NOP, 0x001, "nop", NONE, ":", 0) \
  X(BLOCK, 0x002, "block", BLOCKTYPE, NULL, 0) \
  X(LOOP, 0x003, "loop", BLOCKTYPE, NULL, 0) \
  X(IF, 0x004, "if", BLOCKTYPE, NULL, 0) \
  X(ELSE, 0x005, "else", NONE, NULL, 0) \
  X(END, 0x00B, "end", NONE, NULL, 0) \
  X(BR, 0x00C, "br", LABEL, NULL, 0) \
  X(BR_IF, 0x00D, "br_if", LABEL, NULL, 0) \
  X(BR_TABLE, 0x00E, "br_table", BR_TABLE, NULL, 0) \
  X(RETURN, 0x00F, "return", NONE, NULL, 0) \
  X(CALL, 0x010, "call", FUNC, NULL, 0) \
  X(CALL_INDIRECT, 0x011, "call_indirect", CALL_INDIRECT, NULL, 0) \
  X(DROP, 0x01A, "drop", NONE, NULL, 0) \
  X(SELECT, 0x01B, "select", NONE, NULL, 0) \
  X(SELECT_T, 0x01C, "select_t", SELECT_T, NULL, 0) \
  X(LOCAL_GET, 0x020, "local.get", LOCAL, NULL, 0) \
  X(LOCAL_SET, 0x021, "local.set", LOCAL, NULL, 0) \
  X(LOCAL_TEE, 0x022, "local.tee", LOCAL, NULL, 0) \
  X(GLOBAL_GET, 0x023, "global.get", GLOBAL, NULL, 0) \
  X(GLOBAL_SET, 0x024, "global.set", GLOBAL, NULL, 0) \
  X(TABLE_GET, 0x025, "table.get", TABLE, NULL, 0) \
  X(TABLE_SET, 0x026, "table.set", TABLE, NULL, 0) \
  X(I32_LOAD, 0x028, "i32.load", MEMARG, "i:i", 4) \
  X(I64_LOAD, 0x029, "i64.load", MEMARG, "i:I", 8) \
  X(F32_LOAD, 0x02A, "f32.load", MEMARG, "i:f", 4) \
  X(F64_LOAD, 0x02B, "f64.load", MEMARG, "i:F", 8) \
  X(I32_LOAD8_S, 0x02C, "i32.load8_s", MEMARG, "i:i", 1) \
  X(I32_LOAD8_U, 0x02D, "i32.load8_u", MEMARG, "i:i", 1) \
  X(I32_LOAD16_S, 0x02E, "i32.load16_s", MEMARG, "i:i", 2) \
  X(I32_LOAD16_U, 0x02F, "i32.load16_u", MEMARG, "i:i", 2) \
  X(I64_LOAD8_S, 0x030, "i64.load8_s", MEMARG, "i:I", 1) \
  X(I64_LOAD8_U, 0x031, "i64.load8_u", MEMARG, "i:I", 1) \
  X(I64_LOAD16_S, 0x032, "i64.load16_s", MEMARG, "i:I", 2) \
  X(I64_LOAD16_U, 0x033, "i64.load16_u", MEMARG, "i:I", 2) \
  X(I64_LOAD32_S, 0x034, "i64.load32_s", MEMARG, "i:I", 4) \
  X(I64_LOAD32_U, 0x035, "i64.load32_u", MEMARG, "i:I", 4) \
  X(I32_STORE, 0x036, "i32.store", MEMARG, "ii:", 4) \
  X(I64_STORE, 0x037, "i64.store", MEMARG, "iI:", 8) \
  X(F32_STORE, 0x038, "f32.store", MEMARG, "if:", 4) \
  X(F64_STORE, 0x039, "f64.store", MEMARG, "iF:", 8) \
  X(I32_STORE8, 0x03A, "i32.store8", MEMARG, "ii:", 1) \
  X(I32_STORE16, 0x03B, "i32.store16", MEMARG, "ii:", 2) \
  X(I64_STORE8, 0x03C, "i64.store8", MEMARG, "iI:", 1) \
  X(I64_STORE16, 0x03D, "i64.store16", MEMARG, "iI:", 2) \
  X(I64_STORE32, 0x03E, "i64.store32", MEMARG, "iI:", 4) \
  X(MEMORY_SIZE, 0x03F, "memory.size", MEMIDX, ":i", 0) \
  X(MEMORY_GROW, 0x040, "memory.grow", MEMIDX, "i:i", 0) \
  X(I32_CONST, 0x041, "i32.const", I32, ":i", 0) \
  X(I64_CONST, 0x042, "i64.const", I64, ":I", 0) \
  X(F32_CONST, 0x043, "f32.const", F32, ":f", 0) \
  X(F64_CONST, 0x044, "f64.const", F64, ":F", 0) \
  X(I32_EQZ, 0x045, "i32.eqz", NONE, "i:i", 0) \
  X(I32_EQ, 0x046, "i32.eq", NONE, "ii:i", 0) \
  X(I32_NE, 0x047, "i32.ne", NONE, "ii:i", 0) \
  X(I32_LT_S, 0x048, "i32.lt_s", NONE, "ii:i", 0) \
  X(I32_LT_U, 0x049, "i32.lt_u", NONE, "ii:i", 0) \
  X(I32_GT_S, 0x04A, "i32.gt_s", NONE, "ii:i", 0) \
  X(I32_GT_U, 0x04B, "i32.gt_u", NONE, "ii:i", 0) \
  X(I32_LE_S, 0x04C, "i32.le_s", NONE, "ii:i", 0) \
  X(I32_LE_U, 0x04D, "i32.le_u", NONE, "ii:i", 0) \
  X(I32_GE_S, 0x04E, "i32.ge_s", NONE, "ii:i", 0) \
  X(I32_GE_U, 0x04F, "i32.ge_u", NONE, "ii:i", 0) \
  X(I64_EQZ, 0x050, "i64.eqz", NONE, "I:i", 0) \
  X(I64_EQ, 0x051, "i64.eq", NONE, "II:i", 0) \
  X(I64_NE, 0x052, "i64.ne", NONE, "II:i", 0) \
  X(I64_LT_S, 0x053, "i64.lt_s", NONE, "II:i", 0) \
  X(I64_LT_U, 0x054, "i64.lt_u", NONE, "II:i", 0) \
  X(I64_GT_S, 0x055, "i64.gt_s", NONE, "II:i", 0) \
  X(I64_GT_U, 0x056, "i64.gt_u", NONE, "II:i", 0) \
  X(I64_LE_S, 0x057, "i64.le_s", NONE, "II:i", 0) \
  X(I64_LE_U, 0x058, "i64.le_u", NONE, "II:i", 0) \
  X(I64_GE_S, 0x059, "i64.ge_s", NONE, "II:i", 0) \
  X(I64_GE_U, 0x05A, "i64.ge_u", NONE, "II:i", 0) \
  X(F32_EQ, 0x05B, "f32.eq", NONE, "ff:i", 0) \
  X(F32_NE, 0x05C, "f32.ne", NONE, "ff:i", 0) \
  X(F32_LT, 0x05D, "f32.lt", NONE, "ff:i", 0) \
  X(F32_GT, 0x05E, "f32.gt", NONE, "ff:i", 0) \
  X(F32_LE, 0x05F, "f32.le", NONE, "ff:i", 0) \
  X(F32_GE, 0x060, "f32.ge", NONE, "ff:i", 0) \
  X(F64_EQ, 0x061, "f64.eq", NONE, "FF:i", 0) \
  X(F64_NE, 0x062, "f64.ne", NONE, "FF:i", 0) \
  X(F64_LT, 0x063, "f64.lt", NONE, "FF:i", 0) \
  X(F64_GT, 0x064, "f64.gt", NONE, "FF:i", 0) \
  X(F64_LE, 0x065, "f64.le", NONE, "FF:i", 0) \
  X(F64_GE, 0x066, "f64.ge", NONE, "FF:i", 0) \
  X(I32_CLZ, 0x067, "i32.clz", NONE, "i:i", 0) \
  X(I32_CTZ, 0x068, "i32.ctz", NONE, "i:i", 0) \
  X(I32_POPCNT, 0x069, "i32.popcnt", NONE, "i:i", 0) \
  X(I32_ADD, 0x06A, "i32.add", NONE, "ii:i", 0) \
  X(I32_SUB, 0x06B, "i32.sub", NONE, "ii:i", 0) \
  X(I32_MUL, 0x06C, "i32.mul", NONE, "ii:i", 0) \
  X(I32_DIV_S, 0x06D, "i32.div_s", NONE, "ii:i", 0) \
  X(I32_DIV_U, 0x06E, "i32.div_u", NONE, "ii:i", 0) \
  X(I32_REM_S, 0x06F, "i32.rem_s", NONE, "ii:i", 0) \
  X(I32_REM_U, 0x070, "i32.rem_u", NONE, "ii:i", 0) \
  X(I32_AND, 0x071, "i32.and", NONE, "ii:i", 0) \
  X(I32_OR, 0x072, "i32.or", NONE, "ii:i", 0) \
  X(I32_XOR, 0x073, "i32.xor", NONE, "ii:i", 0) \
  X(I32_SHL, 0x074, "i32.shl", NONE, "ii:i", 0) \
  X(I32_SHR_S, 0x075, "i32.shr_s", NONE, "ii:i", 0) \
  X(I32_SHR_U, 0x076, "i32.shr_u", NONE, "ii:i", 0) \
  X(I32_ROTL, 0x077, "i32.rotl", NONE, "ii:i", 0) \
  X(I32_ROTR, 0x078, "i32.rotr", NONE, "ii:i", 0) \
  X(I64_CLZ, 0x079, "i64.clz", NONE, "I:I", 0) \
  X(I64_CTZ, 0x07A, "i64.ctz", NONE, "I:I", 0) \
  X(I64_POPCNT, 0x07B, "i64.popcnt", NONE, "I:I", 0) \
  X(I64_ADD, 0x07C, "i64.add", NONE, "II:I", 0) \
  X(I64_SUB, 0x07D, "i64.sub", NONE, "II:I", 0) \
  X(I64_MUL, 0x07E, "i64.mul", NONE, "II:I", 0) \
  X(I64_DIV_S, 0x07F, "i64.div_s", NONE, "II:I", 0) \
  X(I64_DIV_U, 0x080, "i64.div_u", NONE, "II:I", 0) \
  X(I64_REM_S, 0x081, "i64.rem_s", NONE, "II:I", 0) \
  X(I64_REM_U, 0x082, "i64.rem_u", NONE, "II:I", 0) \
  X(I64_AND, 0x083, "i64.and", NONE, "II:I", 0) \
  X(I64_OR, 0x084, "i64.or", NONE, "II:I", 0) \
  X(I64_XOR, 0x085, "i64.xor", NONE, "II:I", 0) \
  X(I64_SHL, 0x086, "i64.shl", NONE, "II:I", 0) \
  X(I64_SHR_S, 0x087, "i64.shr_s", NONE, "II:I", 0) \
  X(I64_SHR_U, 0x088, "i64.shr_u", NONE, "II:I", 0) \
  X(I64_ROTL, 0x089, "i64.rotl", NONE, "II:I", 0) \
  X(I64_ROTR, 0x08A, "i64.rotr", NONE, "II:I", 0) \
  X(F32_ABS, 0x08B, "f32.abs", NONE, "f:f", 0) \
  X(F32_NEG, 0x08C, "f32.neg", NONE, "f:f", 0) \
  X(F32_CEIL, 0x08D, "f32.ceil", NONE, "f:f", 0) \
  X(F32_FLOOR, 0x08E, "f32.floor", NONE, "f:f", 0) \
  X(F32_TRUNC, 0x08F, "f32.trunc", NONE, "f:f", 0) \
  X(F32_NEAREST, 0x090, "f32.nearest", NONE, "f:f", 0) \
  X(F32_SQRT, 0x091, "f32.sqrt", NONE, "f:f", 0) \
  X(F32_ADD, 0x092, "f32.add", NONE, "ff:f", 0) \
  X(F32_SUB, 0x093, "f32.sub", NONE, "ff:f", 0) \
  X(F32_MUL, 0x094, "f32.mul", NONE, "ff:f", 0) \
  X(F32_DIV, 0x095, "f32.div", NONE, "ff:f", 0) \
  X(F32_MIN, 0x096, "f32.min", NONE, "ff:f", 0) \
  X(F32_MAX, 0x097, "f32.max", NONE, "ff:f", 0) \
  X(F32_COPYSIGN, 0x098, "f32.copysign", NONE, "ff:f", 0) \
  X(F64_ABS, 0x099, "f64.abs", NONE, "F:F", 0) \
  X(F64_NEG, 0x09A, "f64.neg", NONE, "F:F", 0) \
  X(F64_CEIL, 0x09B, "f64.ceil", NONE, "F:F", 0) \
  X(F64_FLOOR, 0x09C, "f64.floor", NONE, "F:F", 0) \
  X(F64_TRUNC, 0x09D, "f64.trunc", NONE, "F:F", 0) \
  X(F64_NEAREST, 0x09E, "f64.nearest", NONE, "F:F", 0) \
  X(F64_SQRT, 0x09F, "f64.sqrt", NONE, "F:F", 0) \
  X(F64_ADD, 0x0A0, "f64.add", NONE, "FF:F", 0) \
  X(F64_SUB, 0x0A1, "f64.sub", NONE, "FF:F", 0) \
  X(F64_MUL, 0x0A2, "f64.mul", NONE, "FF:F", 0) \
  X(F64_DIV, 0x0A3, "f64.div", NONE, "FF:F", 0) \
  X(F64_MIN, 0x0A4, "f64.min", NONE, "FF:F", 0) \
  X(F64_MAX, 0x0A5, "f64.max", NONE, "FF:F", 0) \
  X(F64_COPYSIGN, 0x0A6, "f64.copysign", NONE, "FF:F", 0) \
  X(I32_WRAP_I64, 0x0A7, "i32.wrap_i64", NONE, "I:i", 0) \
  X(I32_TRUNC_F32_S, 0x0A8, "i32.trunc_f32_s", NONE, "f:i", 0) \
  X(I32_TRUNC_F32_U, 0x0A9, "i32.trunc_f32_u", NONE, "f:i", 0) \
  X(I32_TRUNC_F64_S, 0x0AA, "i32.trunc_f64_s", NONE, "F:i", 0) \
  X(I32_TRUNC_F64_U, 0x0AB, "i32.trunc_f64_u", NONE, "F:i", 0) \
  X(I64_EXTEND_I32_S, 0x0AC, "i64.extend_i32_s", NONE, "i:I", 0) \
  X(I64_EXTEND_I32_U, 0x0AD, "i64.extend_i32_u", NONE, "i:I", 0) \
  X(I64_TRUNC_F32_S, 0x0AE, "i64.trunc_f32_s", NONE, "f:I", 0) \
  X(I64_TRUNC_F32_U, 0x0AF, "i64.trunc_f32_u", NONE, "f:I", 0) \
  X(I64_TRUNC_F64_S, 0x0B0, "i64.trunc_f64_s", NONE, "F:I", 0) \
  X(I64_TRUNC_F64_U, 0x0B1, "i64.trunc_f64_u", NONE, "F:I", 0) \
  X(F32_CONVERT_I32_S, 0x0B2, "f32.convert_i32_s", NONE, "i:f", 0) \
  X(F32_CONVERT_I32_U, 0x0B3, "f32.convert_i32_u", NONE, "i:f", 0) \
  X(F32_CONVERT_I64_S, 0x0B4, "f32.convert_i64_s", NONE, "I:f", 0) \
  X(F32_CONVERT_I64_U, 0x0B5, "f32.convert_i64_u", NONE, "I:f", 0) \
  X(F32_DEMOTE_F64, 0x0B6, "f32.demote_f64", NONE, "F:f", 0) \
  X(F64_CONVERT_I32_S, 0x0B7, "f64.convert_i32_s", NONE, "i:F", 0) \
  X(F64_CONVERT_I32_U, 0x0B8, "f64.convert_i32_u", NONE, "i:F", 0) \
  X(F64_CONVERT_I64_S, 0x0B9, "f64.convert_i64_s", NONE, "I:F", 0) \
  X(F64_CONVERT_I64_U, 0x0BA, "f64.convert_i64_u", NONE, "I:F", 0) \
  X(F64_PROMOTE_F32, 0x0BB, "f64.promote_f32", NONE, "f:F", 0) \
  X(I32_REINTERPRET_F32, 0x0BC, "i32.reinterpret_f32", NONE, "f:i", 0) \
  X(I64_REINTERPRET_F64, 0x0BD, "i64.reinterpret_f64", NONE, "F:I", 0) \
  X(F32_REINTERPRET_I32, 0x0BE, "f32.reinterpret_i32", NONE, "i:f", 0) \
  X(F64_REINTERPRET_I64, 0x0BF, "f64.reinterpret_i64", NONE, "I:F", 0) \
  X(I32_EXTEND8_S, 0x0C0, "i32.extend8_s", NONE, "i:i", 0) \
  X(I32_EXTEND16_S, 0x0C1, "i32.extend16_s", NONE, "i:i", 0) \
  X(I64_EXTEND8_S, 0x0C2, "i64.extend8_s", NONE, "I:I", 0) \
  X(I64_EXTEND16_S, 0x0C3, "i64.extend16_s", NONE, "I:I", 0) \
  X(I64_EXTEND32_S, 0x0C4, "i64.extend32_s", NONE, "I:I", 0) \
  X(REF_NULL, 0x0D0, "ref.null", REFTYPE, NULL, 0) \
  X(REF_IS_NULL, 0x0D1, "ref.is_null", NONE, NULL, 0) \
  X(REF_FUNC, 0x0D2, "ref.func", FUNC, NULL, 0) \
  X(I32_TRUNC_SAT_F32_S, 0x100, "i32.trunc_sat_f32_s", NONE, "f:i", 0) \
  X(I32_TRUNC_SAT_F32_U, 0x101, "i32.trunc_sat_f32_u", NONE, "f:i", 0) \
  X(I32_TRUNC_SAT_F64_S, 0x102, "i32.trunc_sat_f64_s", NONE, "F:i", 0) \
  X(I32_TRUNC_SAT_F64_U, 0x103, "i32.trunc_sat_f64_u", NONE, "F:i", 0) \
  X(I64_TRUNC_SAT_F32_S, 0x104, "i64.trunc_sat_f32_s", NONE, "f:I", 0) \
  X(I64_TRUNC_SAT_F32_U, 0x105, "i64.trunc_sat_f32_u", NONE, "f:I", 0) \
  X(I64_TRUNC_SAT_F64_S, 0x106, "i64.trunc_sat_f64_s", NONE, "F:I", 0) \
  X(I64_TRUNC_SAT_F64_U, 0x107, "i64.trunc_sat_f64_u", NONE, "F:I", 0) \
  X(MEMORY_INIT, 0x108, "memory.init", DATA_MEM, "iii:", 0) \
  X(DATA_DROP, 0x109, "data.drop", DATA, ":", 0) \
  X(MEMORY_COPY, 0x10A, "memory.copy", MEM_MEM, "iii:", 0) \
  X(MEMORY_FILL, 0x10B, "memory.fill", MEMIDX, "iii:", 0) \
  X(TABLE_INIT, 0x10C, "table.init", ELEM_TABLE, "iii:", 0) \
  X(ELEM_DROP, 0x10D, "elem.drop", ELEM, ":", 0) \
  X(TABLE_COPY, 0x10E, "table.copy", TABLE_TABLE, "iii:", 0) \
  X(TABLE_GROW, 0x10F, "table.grow", TABLE, NULL, 0) \
  X(TABLE_SIZE, 0x110, "table.size", TABLE, ":i", 0) \
  X(TABLE_FILL, 0x111, "table.fill", TABLE, NULL, 0) \
  X(MEMORY_ATOMIC_NOTIFY, 0x200, "memory.atomic.notify", MEMARG, "ii:i", 4) \
  X(MEMORY_ATOMIC_WAIT32, 0x201, "memory.atomic.wait32", MEMARG, "iiI:i", 4) \
  X(MEMORY_ATOMIC_WAIT64, 0x202, "memory.atomic.wait64", MEMARG, "iII:i", 8) \
  X(ATOMIC_FENCE, 0x203, "atomic.fence", FENCE, ":", 0) \
  X(I32_ATOMIC_LOAD, 0x210, "i32.atomic.load", MEMARG, "i:i", 4) \
  X(I64_ATOMIC_LOAD, 0x211, "i64.atomic.load", MEMARG, "i:I", 8) \
  X(I32_ATOMIC_LOAD8_U, 0x212, "i32.atomic.load8_u", MEMARG, "i:i", 1) \
  X(I32_ATOMIC_LOAD16_U, 0x213, "i32.atomic.load16_u", MEMARG, "i:i", 2) \
  X(I64_ATOMIC_LOAD8_U, 0x214, "i64.atomic.load8_u", MEMARG, "i:I", 1) \
  X(I64_ATOMIC_LOAD16_U, 0x215, "i64.atomic.load16_u", MEMARG, "i:I", 2) \
  X(I64_ATOMIC_LOAD32_U, 0x216, "i64.atomic.load32_u", MEMARG, "i:I", 4) \
  X(I32_ATOMIC_STORE, 0x217, "i32.atomic.store", MEMARG, "ii:", 4) \
  X(I64_ATOMIC_STORE, 0x218, "i64.atomic.store", MEMARG, "iI:", 8) \
  X(I32_ATOMIC_STORE8, 0x219, "i32.atomic.store8", MEMARG, "ii:", 1) \
  X(I32_ATOMIC_STORE16, 0x21A, "i32.atomic.store16", MEMARG, "ii:", 2) \
  X(I64_ATOMIC_STORE8, 0x21B, "i64.atomic.store8", MEMARG, "iI:", 1) \
  X(I64_ATOMIC_STORE16, 0x21C, "i64.atomic.store16", MEMARG, "iI:", 2) \
  X(I64_ATOMIC_STORE32, 0x21D, "i64.atomic.store32", MEMARG, "iI:", 4) \
  X(I32_ATOMIC_RMW_ADD, 0x21E, "i32.atomic.rmw.add", MEMARG, "ii:i", 4) \
  X(I64_ATOMIC_RMW_ADD, 0x21F, "i64.atomic.rmw.add", MEMARG, "iI:I", 8) \
  X(I32_ATOMIC_RMW8_ADD_U, 0x220, "i32.atomic.rmw8.add_u", MEMARG, "ii:i", 1) \
  X(I32_ATOMIC_RMW16_ADD_U, 0x221, "i32.atomic.rmw16.add_u", MEMARG, "ii:i", 2) \
  X(I64_ATOMIC_RMW8_ADD_U, 0x222, "i64.atomic.rmw8.add_u", MEMARG, "iI:I", 1) \
  X(I64_ATOMIC_RMW16_ADD_U, 0x223, "i64.atomic.rmw16.add_u", MEMARG, "iI:I", 2) \
  X(I64_ATOMIC_RMW32_ADD_U, 0x224, "i64.atomic.rmw32.add_u", MEMARG, "iI:I", 4) \
  X(I32_ATOMIC_RMW_SUB, 0x225, "i32.atomic.rmw.sub", MEMARG, "ii:i", 4) \
  X(I64_ATOMIC_RMW_SUB, 0x226, "i64.atomic.rmw.sub", MEMARG, "iI:I", 8) \
  X(I32_ATOMIC_RMW8_SUB_U, 0x227, "i32.atomic.rmw8.sub_u", MEMARG, "ii:i", 1) \
  X(I32_ATOMIC_RMW16_SUB_U, 0x228, "i32.atomic.rmw16.sub_u", MEMARG, "ii:i", 2) \
  X(I64_ATOMIC_RMW8_SUB_U, 0x229, "i64.atomic.rmw8.sub_u", MEMARG, "iI:I", 1) \
  X(I64_ATOMIC_RMW16_SUB_U, 0x22A, "i64.atomic.rmw16.sub_u", MEMARG, "iI:I", 2) \
  X(I64_ATOMIC_RMW32_SUB_U, 0x22B, "i64.atomic.rmw32.sub_u", MEMARG, "iI:I", 4) \
  X(I32_ATOMIC_RMW_AND, 0x22C, "i32.atomic.rmw.and", MEMARG, "ii:i", 4) \
  X(I64_ATOMIC_RMW_AND, 0x22D, "i64.atomic.rmw.and", MEMARG, "iI:I", 8) \
  X(I32_ATOMIC_RMW8_AND_U, 0x22E, "i32.atomic.rmw8.and_u", MEMARG, "ii:i", 1) \
  X(I32_ATOMIC_RMW16_AND_U, 0x22F, "i32.atomic.rmw16.and_u", MEMARG, "ii:i", 2) \
  X(I64_ATOMIC_RMW8_AND_U, 0x230, "i64.atomic.rmw8.and_u", MEMARG, "iI:I", 1) \
  X(I64_ATOMIC_RMW16_AND_U, 0x231, "i64.atomic.rmw16.and_u", MEMARG, "iI:I", 2) \
  X(I64_ATOMIC_RMW32_AND_U, 0x232, "i64.atomic.rmw32.and_u", MEMARG, "iI:I", 4) \
  X(I32_ATOMIC_RMW_OR, 0x233, "i32.atomic.rmw.or", MEMARG, "ii:i", 4) \
  X(I64_ATOMIC_RMW_OR, 0x234, "i64.atomic.rmw.or", MEMARG, "iI:I", 8) \
  X(I32_ATOMIC_RMW8_OR_U, 0x235, "i32.atomic.rmw8.or_u", MEMARG, "ii:i", 1) \
  X(I32_ATOMIC_RMW16_OR_U, 0x236, "i32.atomic.rmw16.or_u", MEMARG, "ii:i", 2) \
  X(I64_ATOMIC_RMW8_OR_U, 0x237, "i64.atomic.rmw8.or_u", MEMARG, "iI:I", 1) \
  X(I64_ATOMIC_RMW16_OR_U, 0x238, "i64.atomic.rmw16.or_u", MEMARG, "iI:I", 2) \
  X(I64_ATOMIC_RMW32_OR_U, 0x239, "i64.atomic.rmw32.or_u", MEMARG, "iI:I", 4) \
  X(I32_ATOMIC_RMW_XOR, 0x23A, "i32.atomic.rmw.xor", MEMARG, "ii:i", 4) \
  X(I64_ATOMIC_RMW_XOR, 0x23B, "i64.atomic.rmw.xor", MEMARG, "iI:I", 8) \
  X(I32_ATOMIC_RMW8_XOR_U, 0x23C, "i32.atomic.rmw8.xor_u", MEMARG, "ii:i", 1) \
  X(I32_ATOMIC_RMW16_XOR_U, 0x23D, "i32.atomic.rmw16.xor_u", MEMARG, "ii:i", 2) \
  X(I64_ATOMIC_RMW8_XOR_U, 0x23E, "i64.atomic.rmw8.xor_u", MEMARG, "iI:I", 1) \
  X(I64_ATOMIC_RMW16_XOR_U, 0x23F, "i64.atomic.rmw16.xor_u", MEMARG, "iI:I", 2) \
  X(I64_ATOMIC_RMW32_XOR_U, 0x240, "i64.atomic.rmw32.xor_u", MEMARG, "iI:I", 4) \
  X(I32_ATOMIC_RMW_XCHG, 0x241, "i32.atomic.rmw.xchg", MEMARG, "ii:i", 4) \
  X(I64_ATOMIC_RMW_XCHG, 0x242, "i64.atomic.rmw.xchg", MEMARG, "iI:I", 8) \
  X(I32_ATOMIC_RMW8_XCHG_U, 0x243, "i32.atomic.rmw8.xchg_u", MEMARG, "ii:i", 1) \
  X(I32_ATOMIC_RMW16_XCHG_U, 0x244, "i32.atomic.rmw16.xchg_u", MEMARG, "ii:i", 2) \
  X(I64_ATOMIC_RMW8_XCHG_U, 0x245, "i64.atomic.rmw8.xchg_u", MEMARG, "iI:I", 1) \
  X(I64_ATOMIC_RMW16_XCHG_U, 0x246, "i64.atomic.rmw16.xchg_u", MEMARG, "iI:I", 2) \
  X(I64_ATOMIC_RMW32_XCHG_U, 0x247, "i64.atomic.rmw32.xchg_u", MEMARG, "iI:I", 4) \
  X(I32_ATOMIC_RMW_CMPXCHG, 0x248, "i32.atomic.rmw.cmpxchg", MEMARG, "iii:i", 4) \
  X(I64_ATOMIC_RMW_CMPXCHG, 0x249, "i64.atomic.rmw.cmpxchg", MEMARG, "iII:I", 8) \
  X(I32_ATOMIC_RMW8_CMPXCHG_U, 0x24A, "i32.atomic.rmw8.cmpxchg_u", MEMARG, "iii:i", 1) \
  X(I32_ATOMIC_RMW16_CMPXCHG_U, 0x24B, "i32.atomic.rmw16.cmpxchg_u", MEMARG, "iii:i", 2) \
  X(I64_ATOMIC_RMW8_CMPXCHG_U, 0x24C, "i64.atomic.rmw8.cmpxchg_u", MEMARG, "iII:I", 1) \
  X(I64_ATOMIC_RMW16_CMPXCHG_U, 0x24D, "i64.atomic.rmw16.cmpxchg_u", MEMARG, "iII:I", 2) \
  X(I64_ATOMIC_RMW32_CMPXCHG_U, 0x24E, "i64.atomic.rmw32.cmpxchg_u", MEMARG, "iII:I", 4) \
  EBB_SIMD_OPCODE_LIST(X)


enum ebb__op {
#define EBB__OP_ENUM_(id, code, name, imm, sig, size) EBB_OP_##id = code,
  EBB_OPCODE_LIST(EBB__OP_ENUM_)
#undef EBB__OP_ENUM_
  EBB_OP_LIMIT_ = 0x600
};

/* Static facts about one instruction, indexed by its number. */
typedef struct ebb__opinfo {
  const char *name; /* NULL for numbers that are no instruction */
  const char *sig;
  uint8_t imm;
  uint8_t size;
} ebb__opinfo;

/* Facts for op; name NULL when op is not an instruction. Inline: the
** validator and the compiler ask for every instruction of every body. */
extern const ebb__opinfo ebb__opinfo_table[EBB_OP_LIMIT_ + 1];
static inline const ebb__opinfo *ebb__opinfo_get(unsigned op) {
  return &ebb__opinfo_table[op < EBB_OP_LIMIT_ ? op : EBB_OP_LIMIT_];
}

#endif
