/*
** code.h -- ebb's internal code: what src/compile emits and src/exec runs.
**
** A function's frame is an array of 8-byte slots: parameters, then locals,
** then one slot per operand-stack position (validation fixes every stack
** height, so each operand has a fixed home slot). Instructions are
** three-address: they name slots by index relative to the frame pointer, so
** `local.get` usually emits nothing, and an operation writes its result
** straight into a local when a `local.set` follows.
**
** Code is an array of 32-bit cells. The first cell of an instruction selects
** its handler (a label offset for computed goto, or the op number for the
** switch build; see ebb__dispatch_table); operands follow. A branch
** offset (`rel`) is in cells, relative to the cell that holds it, so forward
** branches can be chained through their own cells until the target is known.
** A callee's frame begins at the caller's first argument slot, so arguments
** are never copied; results come back in the same slots.
**
** Slot contents: i32 and f32 use the low 32 bits (the high bits are
** unspecified: every 32-bit operation truncates); i64/f64 the whole slot;
** references a pointer (0 = null). A v128 takes two consecutive slots (low
** half first), as a parameter, local, operand or result alike: slot
** numbers count slots, not values, and values of a frame are laid out by
** their widths (ebb__slot_count).
*/
#ifndef EBB_COMPILE_CODE_H
#define EBB_COMPILE_CODE_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/opcodes_simd.h"

/* Numeric instructions whose internal op has the wasm name and takes
** [dst, a] (unary, U) or [dst, a, b] (binary, B). */
#define EBB__IOP_NUMERIC(X)                                                          \
  X(I32_EQZ, U) X(I32_EQ, B) X(I32_NE, B) X(I32_LT_S, B) X(I32_LT_U, B)              \
  X(I32_GT_S, B) X(I32_GT_U, B) X(I32_LE_S, B) X(I32_LE_U, B) X(I32_GE_S, B)         \
  X(I32_GE_U, B) X(I64_EQZ, U) X(I64_EQ, B) X(I64_NE, B) X(I64_LT_S, B)              \
  X(I64_LT_U, B) X(I64_GT_S, B) X(I64_GT_U, B) X(I64_LE_S, B) X(I64_LE_U, B)         \
  X(I64_GE_S, B) X(I64_GE_U, B) X(F32_EQ, B) X(F32_NE, B) X(F32_LT, B)               \
  X(F32_GT, B) X(F32_LE, B) X(F32_GE, B) X(F64_EQ, B) X(F64_NE, B) X(F64_LT, B)      \
  X(F64_GT, B) X(F64_LE, B) X(F64_GE, B) X(I32_CLZ, U) X(I32_CTZ, U)                 \
  X(I32_POPCNT, U) X(I32_ADD, B) X(I32_SUB, B) X(I32_MUL, B) X(I32_DIV_S, B)         \
  X(I32_DIV_U, B) X(I32_REM_S, B) X(I32_REM_U, B) X(I32_AND, B) X(I32_OR, B)         \
  X(I32_XOR, B) X(I32_SHL, B) X(I32_SHR_S, B) X(I32_SHR_U, B) X(I32_ROTL, B)         \
  X(I32_ROTR, B) X(I64_CLZ, U) X(I64_CTZ, U) X(I64_POPCNT, U) X(I64_ADD, B)          \
  X(I64_SUB, B) X(I64_MUL, B) X(I64_DIV_S, B) X(I64_DIV_U, B) X(I64_REM_S, B)        \
  X(I64_REM_U, B) X(I64_AND, B) X(I64_OR, B) X(I64_XOR, B) X(I64_SHL, B)             \
  X(I64_SHR_S, B) X(I64_SHR_U, B) X(I64_ROTL, B) X(I64_ROTR, B) X(F32_ABS, U)        \
  X(F32_NEG, U) X(F32_CEIL, U) X(F32_FLOOR, U) X(F32_TRUNC, U) X(F32_NEAREST, U)     \
  X(F32_SQRT, U) X(F32_ADD, B) X(F32_SUB, B) X(F32_MUL, B) X(F32_DIV, B)             \
  X(F32_MIN, B) X(F32_MAX, B) X(F32_COPYSIGN, B) X(F64_ABS, U) X(F64_NEG, U)         \
  X(F64_CEIL, U) X(F64_FLOOR, U) X(F64_TRUNC, U) X(F64_NEAREST, U) X(F64_SQRT, U)    \
  X(F64_ADD, B) X(F64_SUB, B) X(F64_MUL, B) X(F64_DIV, B) X(F64_MIN, B)              \
  X(F64_MAX, B) X(F64_COPYSIGN, B) X(I32_TRUNC_F32_S, U) X(I32_TRUNC_F32_U, U)       \
  X(I32_TRUNC_F64_S, U) X(I32_TRUNC_F64_U, U) X(I64_EXTEND_I32_S, U)                 \
  X(I64_EXTEND_I32_U, U) X(I64_TRUNC_F32_S, U) X(I64_TRUNC_F32_U, U)                 \
  X(I64_TRUNC_F64_S, U) X(I64_TRUNC_F64_U, U) X(F32_CONVERT_I32_S, U)                \
  X(F32_CONVERT_I32_U, U) X(F32_CONVERT_I64_S, U) X(F32_CONVERT_I64_U, U)            \
  X(F32_DEMOTE_F64, U) X(F64_CONVERT_I32_S, U) X(F64_CONVERT_I32_U, U)               \
  X(F64_CONVERT_I64_S, U) X(F64_CONVERT_I64_U, U) X(F64_PROMOTE_F32, U)              \
  X(I32_EXTEND8_S, U) X(I32_EXTEND16_S, U) X(I64_EXTEND8_S, U) X(I64_EXTEND16_S, U)  \
  X(I64_EXTEND32_S, U) X(I32_TRUNC_SAT_F32_S, U) X(I32_TRUNC_SAT_F32_U, U)           \
  X(I32_TRUNC_SAT_F64_S, U) X(I32_TRUNC_SAT_F64_U, U) X(I64_TRUNC_SAT_F32_S, U)      \
  X(I64_TRUNC_SAT_F32_U, U) X(I64_TRUNC_SAT_F64_S, U) X(I64_TRUNC_SAT_F64_U, U)

/* Binary i32/i64 operations that also have a form with an immediate right
** operand: [dst, a, imm] (imm is one cell for i32, two for i64). */
#define EBB__IOP_IMM(X)                                                              \
  X(I32_ADD) X(I32_SUB) X(I32_MUL) X(I32_AND) X(I32_OR) X(I32_XOR) X(I32_SHL)        \
  X(I32_SHR_S) X(I32_SHR_U) X(I32_EQ) X(I32_NE) X(I32_LT_S) X(I32_LT_U) X(I32_GT_S)  \
  X(I32_GT_U) X(I32_LE_S) X(I32_LE_U) X(I32_GE_S) X(I32_GE_U) X(I64_ADD) X(I64_SUB)  \
  X(I64_MUL) X(I64_AND) X(I64_OR) X(I64_XOR) X(I64_SHL) X(I64_SHR_S) X(I64_SHR_U)    \
  X(I64_EQ) X(I64_NE) X(I64_LT_S) X(I64_LT_U) X(I64_GT_S) X(I64_GT_U) X(I64_LE_S)    \
  X(I64_LE_U) X(I64_GE_S) X(I64_GE_U)

/* i32 comparisons fused with a following br_if: [a, b, rel] and [a, imm, rel]. */
#define EBB__IOP_CMP32(X)                                                            \
  X(I32_EQ) X(I32_NE) X(I32_LT_S) X(I32_LT_U) X(I32_GT_S) X(I32_GT_U) X(I32_LE_S)    \
  X(I32_LE_U) X(I32_GE_S) X(I32_GE_U)

/* An instruction whose i32 result a compare-and-branch then tests, fused:
** <pre>_BR_<cmp> [d, x, y, b, rel] and <pre>_BR_<cmp>_IMM [d, x, y, bimm, rel]
** set fp[d] as the first instruction did, then branch if fp[d] <cmp> b. A
** branch on the value itself is <pre>_BR_I32_NE_IMM with 0, on its i32.eqz
** <pre>_BR_I32_EQ_IMM with 0. The first instructions (x, y as in their own
** forms): ADD: i32.add of an immediate (`i = i + k; if (i != n) continue`);
** AND: i32.and of an immediate (bit tests, character classes); L8U, L16U,
** L32: the loads LOAD8_U, LOAD16_U, LOAD32_U of [addr, offset] (`while
** (p = p->next)`, string scans). */

/* A COPY [dst, src] just before a compare-and-branch, fused:
** COPY_BR_<cmp> [dst, src, a, b, rel] and COPY_BR_<cmp>_IMM [dst, src, a,
** imm, rel] copy first, then compare (a or b may be dst and see the copy);
** a taken branch is a safe point, as for BR_IF_<cmp>. */

/* f32/f64 arithmetic with an immediate: [dst, a, imm] (one cell for f32,
** two for f64) computes a op imm; the _RIMM forms compute imm op a. */
#define EBB__IOP_FIMM(X)                                                             \
  X(F32_ADD) X(F32_SUB) X(F32_MUL) X(F32_DIV) X(F64_ADD) X(F64_SUB) X(F64_MUL)       \
  X(F64_DIV)
#define EBB__IOP_FRIMM(X) X(F32_SUB) X(F32_DIV) X(F64_SUB) X(F64_DIV)

/* Loads and stores whose address is an i32.add of an immediate, fused:
** [dst, addr, add, offset] / [addr, val, add, offset]. The effective address
** is (uint32)(addr + add) + offset, exactly as the two instructions compute
** it (the add wraps in 32 bits, the offset does not). */
#define EBB__IOP_MEM(X)                                                              \
  X(LOAD8_S) X(LOAD8_U) X(LOAD16_S) X(LOAD16_U) X(LOAD32_S) X(LOAD32_U) X(LOAD64)    \
  X(STORE8) X(STORE16) X(STORE32) X(STORE64)

/* The same whose address is an i32.add of two slots, the second maybe
** shifted left first (`base + (i << 2)`, from an I32_ADD_SHL):
** [dst, a, b, shift, offset] / [a, val, b, shift, offset], effective address
** (uint32)(a + (b << shift)) + offset. */

/* f64 arithmetic whose right operand comes straight from an f64.load (the
** instruction just before), fused: [dst, a, addr, add, offset], with the
** address computed as by the _AI forms (add is 0 without an i32.add). Long
** f64 chains over arrays (nbody, matmul) load most right operands. */
#define EBB__IOP_FLD(X) X(F64_ADD) X(F64_SUB) X(F64_MUL) X(F64_DIV)

/* Every other internal op, with its operand cells. */
#define EBB__IOP_OTHER(X)                                                            \
  X(UNREACHABLE)     /* [] */                                                        \
  X(BR)              /* [rel] */                                                     \
  X(BR_LOOP)         /* [rel] a loop back-edge: a safe point */                      \
  X(BR_IF)           /* [cond, rel] */                                               \
  X(BR_UNLESS)       /* [cond, rel] */                                               \
  X(BR_IF_LOOP)      /* [cond, rel] back-edge */                                     \
  X(BR_TABLE)        /* [idx, n, rel x (n + 1)] a safe point */                      \
  X(RET)             /* [] results already in slots 0.. */                           \
  X(RET1)            /* [src] copy one result to slot 0, return */                   \
  X(CALL)            /* [func, argslot] a function defined in this module */         \
  X(CALL_IMPORT)     /* [func, argslot] any function: host or another instance's */  \
  X(CALL_INDIRECT)   /* [type, table, argslot, idxslot] */                           \
  X(COPY)            /* [dst, src] */                                                \
  X(COPY_N)          /* [dst, src, n] n slots (a branch's or return's values) */     \
  X(CONST32)         /* [dst, imm] */                                                \
  X(CONST64)         /* [dst, lo, hi] */                                             \
  X(SELECT)          /* [dst, a, b, cond] */                                         \
  X(GLOBAL_GET)      /* [dst, global] */                                             \
  X(GLOBAL_SET)      /* [global, src] */                                             \
  X(LOAD8_S)         /* [dst, addr, offset] sign-extends to 64 bits */               \
  X(LOAD8_U)         /* zero-extends to 64 bits; likewise below */                   \
  X(LOAD16_S)                                                                        \
  X(LOAD16_U)                                                                        \
  X(LOAD32_S)                                                                        \
  X(LOAD32_U)        /* also i32.load and f32.load */                                \
  X(LOAD64)          /* also f64.load */                                             \
  X(STORE8)          /* [addr, val, offset] */                                       \
  X(STORE16)                                                                         \
  X(STORE32)                                                                         \
  X(STORE64)                                                                         \
  X(MEMORY_SIZE)     /* [dst] */                                                     \
  X(MEMORY_GROW)     /* [dst, delta] */                                              \
  X(MEMORY_INIT)     /* [data, d, s, n] */                                           \
  X(DATA_DROP)       /* [data] */                                                    \
  X(MEMORY_COPY)     /* [d, s, n] */                                                 \
  X(MEMORY_FILL)     /* [d, val, n] */                                               \
  X(REF_FUNC)        /* [dst, func] */                                               \
  X(TABLE_GET)       /* [dst, table, idx] */                                         \
  X(TABLE_SET)       /* [table, idx, val] */                                         \
  X(TABLE_SIZE)      /* [dst, table] */                                              \
  X(TABLE_GROW)      /* [dst, table, init, n] */                                     \
  X(TABLE_FILL)      /* [table, i, val, n] */                                        \
  X(TABLE_COPY)      /* [dst_table, src_table, d, s, n] */                           \
  X(TABLE_INIT)      /* [elem, table, d, s, n] */                                    \
  X(ELEM_DROP)       /* [elem] */                                                    \
  X(ATOMIC_OP)       /* [wasm op, dst, addr, val, val2, offset] threads */           \
  X(ATOMIC_FENCE)    /* [] */                                                        \
  X(FUEL)            /* [units] charge fuel; only in metered code */           \
  X(LAZY)            /* [] a stub's body: compile the function, enter it */    \
  X(COPY128)         /* [dst, src] a v128: two slots */                        \
  X(SELECT128)       /* [dst, a, b, cond] */                                    \
  X(GLOBAL_GET128)   /* [dst, global] */                                        \
  X(GLOBAL_SET128)   /* [global, src] */                                        \
  X(I32_ADD_IMM2)    /* [d1, a1, i1, d2, a2, i2] two i32.add of an immediate in a */ \
                     /* row, done in order (the second sees the first's result) */ \
  X(I32_ADD_SHL)     /* [dst, a, b, k] a + (b << k): an i32.shl by k, then i32.add */ \
  X(I32_MUL_ADD)     /* [dst, a, b, c] a * b + c: i32.mul, then i32.add */            \
  /* Two i32 operations in a chain, the second with an immediate: */                \
  X(I32_SHR_U_AND)   /* [dst, a, s, m] (a >> s) & m (a bit field) */                  \
  X(I32_ADD_AND)     /* [dst, a, k, m] (a + k) & m */                                 \
  X(I32_AND_XOR)     /* [dst, a, m, k] (a & m) ^ k */                                 \
  X(I32_XOR_AND)     /* [dst, a, b, m] (a ^ b) & m */                                 \
  /* A copy or a constant, then a branch (loop-carried values moved before a */     \
  /* back-edge; a state machine's `state = k; br`): the write is done first. */       \
  X(COPY_BR)         /* [dst, src, rel] */                                           \
  X(COPY_BR_LOOP)    /* [dst, src, rel] a back-edge: a safe point after the copy */ \
  X(CONST_BR)        /* [dst, imm, rel] */                                           \
  X(CONST_BR_LOOP)   /* [dst, imm, rel] back-edge */                                 \
  X(COPY_LOAD32)     /* [cd, cs, dst, addr, offset] a COPY, then a LOAD32_U */       \
  X(COPY_BR_IF)      /* [dst, src, cond, rel] a COPY, then BR_IF */                   \
  X(COPY_BR_UNLESS)  /* [dst, src, cond, rel] a COPY, then BR_UNLESS */               \
  X(COPY_BR_IF_LOOP) /* [dst, src, cond, rel] a COPY, then BR_IF_LOOP (a safe point) */

/* EBB__IOP_EACH expands EBB__IOP_X(name) once for every internal op; define
** EBB__IOP_X first. The enum and the interpreter's dispatch tables use it. */
#define EBB__IOP_EACH_N_(name, kind) EBB__IOP_X(name)
#define EBB__IOP_EACH_I_(name) EBB__IOP_X(name##_IMM)
#define EBB__IOP_EACH_C_(name) EBB__IOP_X(BR_IF_##name) EBB__IOP_X(BR_IF_##name##_IMM)
#define EBB__IOP_EACH_P_(pre, name) EBB__IOP_X(pre##_BR_##name) EBB__IOP_X(pre##_BR_##name##_IMM)
#define EBB__IOP_EACH_D_(name)                                                       \
  EBB__IOP_EACH_P_(ADD, name) EBB__IOP_EACH_P_(AND, name) EBB__IOP_EACH_P_(L8U, name)  \
  EBB__IOP_EACH_P_(L16U, name) EBB__IOP_EACH_P_(L32, name)
#define EBB__IOP_EACH_Y_(name) EBB__IOP_X(COPY_BR_##name) EBB__IOP_X(COPY_BR_##name##_IMM)
#define EBB__IOP_EACH_R_(name) EBB__IOP_X(name##_RIMM)
#define EBB__IOP_EACH_A_(name) EBB__IOP_X(name##_AI)
#define EBB__IOP_EACH_RR_(name) EBB__IOP_X(name##_RR)
#define EBB__IOP_EACH_L_(name) EBB__IOP_X(name##_LD)
#define EBB__IOP_EACH_O_(name) EBB__IOP_X(name)
/* Every SIMD instruction is an internal op of the same name, with operand
** cells [dst if it has a result, operand slots..., immediates] (the
** immediates: offset; offset, lane; lane; or 4 cells of bytes). */
#define EBB__IOP_EACH_S_(id, code, name, imm, sig, size) EBB__IOP_X(id)
#define EBB__IOP_EACH                                                                \
  EBB__IOP_NUMERIC(EBB__IOP_EACH_N_) EBB__IOP_IMM(EBB__IOP_EACH_I_)                  \
  EBB__IOP_CMP32(EBB__IOP_EACH_C_) EBB__IOP_CMP32(EBB__IOP_EACH_D_)                  \
  EBB__IOP_CMP32(EBB__IOP_EACH_Y_)                                                   \
  EBB__IOP_FIMM(EBB__IOP_EACH_I_)                                                    \
  EBB__IOP_FRIMM(EBB__IOP_EACH_R_) EBB__IOP_MEM(EBB__IOP_EACH_A_)                    \
  EBB__IOP_MEM(EBB__IOP_EACH_RR_)                                                    \
  EBB__IOP_FLD(EBB__IOP_EACH_L_) EBB__IOP_OTHER(EBB__IOP_EACH_O_)                    \
  EBB_SIMD_OPCODE_LIST(EBB__IOP_EACH_S_)

enum ebb__iop {
#define EBB__IOP_X(name) EBB_IOP_##name,
  EBB__IOP_EACH
#undef EBB__IOP_X
  EBB_IOP_COUNT_
};

/* A compiled function. Counts are in slots (a v128 counts two). */
typedef struct ebb__code_func {
  uint32_t *code;
  uint32_t ncode;
  uint32_t nparams, nresults; /* slots of the parameters and of the results */
  uint32_t nlocals;    /* slots of the declared locals after the params (zeroed on entry) */
  uint32_t frame_size; /* slots: params + locals + deepest operand stack */
  uint32_t type;       /* type index in the module */
} ebb__code_func;

struct ebb__module;

/* Slots a value of a type takes (0x7b is v128), and n values of types. */
static inline uint32_t ebb__slot_width(uint8_t type) { return type == 0x7b ? 2u : 1u; }

static inline uint32_t ebb__slot_count(const uint8_t *types, uint32_t n) {
  uint32_t s = n;
  for (uint32_t i = 0; i < n; i++) s += types[i] == 0x7b;
  return s;
}

/* Compile defined function `defidx` of a validated module. With `meter`,
** each basic block starts with a FUEL op charging one unit per wasm
** instruction in it. 0 or EBB_ENOMEM. */
int ebb__compile_func(const struct ebb__module *m, uint32_t defidx, bool meter,
                      ebb__code_func *out);
void ebb__code_func_free(ebb__code_func *f);

/* The first cell of each op as the interpreter wants it (compile/dispatch.c):
** exec/interp.c publishes its table when the library is loaded. */
void ebb__dispatch_publish(const int32_t *table);
const int32_t *ebb__dispatch_table(void);

/* Lazy compilation: a function not yet compiled runs a stub whose code is
** the one cell of EBB_IOP_LAZY, and whose counts are what a caller needs
** before entering it: its parameter, result and local slots, with
** frame_size covering only those (the compiled function's deeper frame is
** checked when the body is compiled and entered). */
const uint32_t *ebb__lazy_body(void);
void ebb__code_stub(const struct ebb__module *m, uint32_t defidx, ebb__code_func *out);

#endif
