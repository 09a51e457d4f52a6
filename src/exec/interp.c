/*
** interp.c -- the interpreter loop over ebb's internal code (compile/code.h).
**
** Stackless: a guest call pushes an ebb__frame and moves the frame pointer;
** it never recurses on the C stack, so deep guest recursion ends in the
** "call stack exhausted" trap and a stopped call can be resumed from the
** registers saved in the thread.
**
** Dispatch is by computed goto (GNU C labels as values) when available, else
** by a switch; handlers are written once with OP()/NEXT().
**
** Safe points are function entry and loop back-edges (BR_LOOP, BR_IF_LOOP,
** BR_TABLE): one relaxed load of the interrupt word each. A bulk instruction
** larger than one chunk also stops between two chunks (exec/bulk.c).
*/
#include <stdatomic.h>
#include <string.h>

#include "decode/opcodes.h"
#include "exec/bulk.h"
#include "exec/context.h"
#include "exec/exec.h"
#include "exec/numeric.h"
#include "exec/simd.h"
#include "exec/simd_float.h"
#include "rt/rt.h"
#include "thread/thread.h"

#if defined(__GNUC__) && !defined(EBB_NO_COMPUTED_GOTO)
#define EBB__GOTO 1
#endif

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

/* The compiler emits the cells of this interpreter's handlers: publish them
** (compile/dispatch.c) when the library is loaded, before any module is
** compiled. */
__attribute__((constructor)) static void publish_dispatch(void) { ebb__interp(NULL); }

#ifdef EBB_NO_SAFEPOINTS
#define SAFEPOINT(resume_pc) ((void)0)
#else
/* On a request, stop with the registers saved so the call resumes at
** `resume_pc` in the current frame. */
#define SAFEPOINT(resume_pc)                                                         \
  do {                                                                               \
    if (UNLIKELY(atomic_load_explicit(&t->interrupt, memory_order_relaxed))) {       \
      pc = (resume_pc);                                                              \
      goto safepoint;                                                                \
    }                                                                                \
  } while (0)
#endif

#define I32(i) ((uint32_t)fp[i])
#define S32(i) ((int32_t)(uint32_t)fp[i])
#define I64(i) (fp[i])
#define S64(i) ((int64_t)fp[i])
#define F32(i) ebb__f32(fp[i])
#define F64(i) ebb__f64(fp[i])

#define TRAP(kind)                                                                   \
  do {                                                                               \
    trap = EBB_TRAP_##kind;                                                          \
    goto trapped;                                                                    \
  } while (0)

#define RELOAD_MEMORY()                                                              \
  do {                                                                               \
    ebb_memory_t *m_ = inst->mem0;                                                   \
    mem_base = m_ ? m_->data : NULL;                                                 \
    mem_size = m_ ? atomic_load_explicit(&m_->size, memory_order_relaxed) : 0;       \
  } while (0)

/* Locals start at zero. An inline loop, not memset: most functions have a
** few locals, and a library call would make the compiler spill the
** interpreter's registers on the hottest path (see CMakeLists.txt). */
#define ZERO_LOCALS(nfp, cf)                                                         \
  do {                                                                               \
    uint64_t *l_ = (nfp) + (cf)->nparams;                                            \
    for (uint32_t i_ = (cf)->nlocals; i_; i_--) *l_++ = 0;                           \
  } while (0)

/* Effective address of a memory access of n bytes, or a trap. */
#define EA(addr_slot, offset, n)                                                     \
  ({                                                                                 \
    uint64_t ea_ = (uint64_t)I32(addr_slot) + (uint32_t)(offset);                    \
    if (UNLIKELY(ea_ + (n) > mem_size)) TRAP(MEMORY_OOB);                            \
    ea_;                                                                             \
  })

/* The same after a fused i32.add of `add`, which wraps in 32 bits. */
#define EA_AI(addr_slot, add, offset, n)                                             \
  ({                                                                                 \
    uint64_t ea_ = (uint64_t)(uint32_t)(I32(addr_slot) + (uint32_t)(add)) + (uint32_t)(offset); \
    if (UNLIKELY(ea_ + (n) > mem_size)) TRAP(MEMORY_OOB);                            \
    ea_;                                                                             \
  })

/* The same for an address a + (b << shift) of two slots (the _RR forms). */
#define EA_RR(a_slot, b_slot, shift, offset, n)                                      \
  ({                                                                                 \
    uint64_t ea_ = (uint64_t)(uint32_t)(I32(a_slot) + (I32(b_slot) << (shift))) + (uint32_t)(offset); \
    if (UNLIKELY(ea_ + (n) > mem_size)) TRAP(MEMORY_OOB);                            \
    ea_;                                                                             \
  })

ebb_status_t ebb__interp(ebb_thread_t *t) {
#ifdef EBB__GOTO
#define OP(name) L_##name:
#define NEXT() goto *(void *)((char *)&&L_BASE + (int32_t)*pc)
  static const int32_t table[EBB_IOP_COUNT_] = {
#define EBB__IOP_X(name) [EBB_IOP_##name] = (int32_t)((char *)&&L_##name - (char *)&&L_BASE),
      EBB__IOP_EACH
#undef EBB__IOP_X
  };
#else
#define OP(name) case EBB_IOP_##name:
#define NEXT() goto dispatch
  static const int32_t table[EBB_IOP_COUNT_] = {
#define EBB__IOP_X(name) [EBB_IOP_##name] = EBB_IOP_##name,
      EBB__IOP_EACH
#undef EBB__IOP_X
  };
#endif
  if (!t) {
    ebb__dispatch_publish(table);
    return EBB_OK;
  }

  const uint32_t *pc = t->pc;
  uint64_t *fp = t->fp;
  ebb__frame *frame = t->frame;
  ebb__frame *const frames_end = t->frames_end;
  uint64_t *const stack_end = t->stack_end;
  ebb_instance_t *inst = frame->func->inst;
  uint8_t *mem_base;
  uint64_t mem_size;
  ebb_trap_t trap = EBB_TRAP_NONE;
  /* Operands of the shared call path. */
  ebb_func_t *callee;
  uint32_t argslot;
  const uint32_t *next_pc, *call_pc = NULL;

  RELOAD_MEMORY();

#ifdef EBB__GOTO
  NEXT();
L_BASE:
#else
dispatch:
  switch (*pc) {
#endif

  /* ---- Control ---------------------------------------------------------- */

  OP(UNREACHABLE) { TRAP(UNREACHABLE); }

  OP(BR) {
    pc += 1 + (int32_t)pc[1];
    NEXT();
  }

  OP(BR_LOOP) {
    pc += 1 + (int32_t)pc[1];
    SAFEPOINT(pc);
    NEXT();
  }

  OP(COPY_BR) {
    fp[pc[1]] = fp[pc[2]];
    pc += 3 + (int32_t)pc[3];
    NEXT();
  }

  OP(COPY_BR_LOOP) {
    fp[pc[1]] = fp[pc[2]];
    pc += 3 + (int32_t)pc[3];
    SAFEPOINT(pc);
    NEXT();
  }

  OP(CONST_BR) {
    fp[pc[1]] = pc[2];
    pc += 3 + (int32_t)pc[3];
    NEXT();
  }

  OP(CONST_BR_LOOP) {
    fp[pc[1]] = pc[2];
    pc += 3 + (int32_t)pc[3];
    SAFEPOINT(pc);
    NEXT();
  }

  OP(COPY_BR_IF) {
    fp[pc[1]] = fp[pc[2]];
    pc = I32(pc[3]) ? pc + 4 + (int32_t)pc[4] : pc + 5;
    NEXT();
  }

  OP(COPY_BR_UNLESS) {
    fp[pc[1]] = fp[pc[2]];
    pc = I32(pc[3]) ? pc + 5 : pc + 4 + (int32_t)pc[4];
    NEXT();
  }

  OP(COPY_BR_IF_LOOP) {
    fp[pc[1]] = fp[pc[2]];
    if (I32(pc[3])) {
      pc += 4 + (int32_t)pc[4];
      SAFEPOINT(pc);
    } else {
      pc += 5;
    }
    NEXT();
  }

  OP(BR_IF) {
    pc = I32(pc[1]) ? pc + 2 + (int32_t)pc[2] : pc + 3;
    NEXT();
  }

  OP(BR_UNLESS) {
    pc = I32(pc[1]) ? pc + 3 : pc + 2 + (int32_t)pc[2];
    NEXT();
  }

  OP(BR_IF_LOOP) {
    if (I32(pc[1])) {
      pc += 2 + (int32_t)pc[2];
      SAFEPOINT(pc);
    } else {
      pc += 3;
    }
    NEXT();
  }

  OP(BR_TABLE) {
    uint32_t i = I32(pc[1]), n = pc[2];
    if (i > n) i = n;
    /* Widen the unsigned index first: a loop target's rel is negative. */
    pc += 3 + (ptrdiff_t)i + (int32_t)pc[3 + i];
    SAFEPOINT(pc);
    NEXT();
  }

/* The i32 comparisons of the fused compare-and-branch families (code.h,
** EBB__IOP_CMP32): X(name, operand type, C operator). */
#define I32_COMPARES(X)                                                              \
  X(I32_EQ, uint32_t, ==) X(I32_NE, uint32_t, !=) X(I32_LT_S, int32_t, <)            \
  X(I32_LT_U, uint32_t, <) X(I32_GT_S, int32_t, >) X(I32_GT_U, uint32_t, >)          \
  X(I32_LE_S, int32_t, <=) X(I32_LE_U, uint32_t, <=) X(I32_GE_S, int32_t, >=)        \
  X(I32_GE_U, uint32_t, >=)

/* Compare-and-branch, fused by the compiler from a comparison and br_if. It
** usually closes a loop, so a taken branch is a safe point. */
#define CMP_BRANCH(name, type, cmp)                                                  \
  OP(BR_IF_##name) {                                                                 \
    if ((type)I32(pc[1]) cmp (type)I32(pc[2])) {                                     \
      pc += 3 + (int32_t)pc[3];                                                      \
      SAFEPOINT(pc);                                                                 \
    } else {                                                                         \
      pc += 4;                                                                       \
    }                                                                                \
    NEXT();                                                                          \
  }                                                                                  \
  OP(BR_IF_##name##_IMM) {                                                           \
    if ((type)I32(pc[1]) cmp (type)pc[2]) {                                          \
      pc += 3 + (int32_t)pc[3];                                                      \
      SAFEPOINT(pc);                                                                 \
    } else {                                                                         \
      pc += 4;                                                                       \
    }                                                                                \
    NEXT();                                                                          \
  }
  I32_COMPARES(CMP_BRANCH)
#undef CMP_BRANCH

/* A COPY, then a compare-and-branch (code.h): the copy first, so a or b may
** be its destination. */
#define COPY_CMP_BRANCH(name, type, cmp)                                             \
  OP(COPY_BR_##name) {                                                               \
    fp[pc[1]] = fp[pc[2]];                                                           \
    if ((type)I32(pc[3]) cmp (type)I32(pc[4])) {                                     \
      pc += 5 + (int32_t)pc[5];                                                      \
      SAFEPOINT(pc);                                                                 \
    } else {                                                                         \
      pc += 6;                                                                       \
    }                                                                                \
    NEXT();                                                                          \
  }                                                                                  \
  OP(COPY_BR_##name##_IMM) {                                                         \
    fp[pc[1]] = fp[pc[2]];                                                           \
    if ((type)I32(pc[3]) cmp (type)pc[4]) {                                          \
      pc += 5 + (int32_t)pc[5];                                                      \
      SAFEPOINT(pc);                                                                 \
    } else {                                                                         \
      pc += 6;                                                                       \
    }                                                                                \
    NEXT();                                                                          \
  }
  I32_COMPARES(COPY_CMP_BRANCH)
#undef COPY_CMP_BRANCH

/* An instruction computing an i32, then a compare-and-branch on it (code.h,
** the _BR_ forms): the value is written first, so b may be the same slot. */
#define PRE_BRANCH(pre, name, type, cmp, value)                                      \
  OP(pre##_BR_##name) {                                                              \
    uint32_t v_ = (value);                                                           \
    fp[pc[1]] = v_;                                                                  \
    if ((type)v_ cmp (type)I32(pc[4])) {                                             \
      pc += 5 + (int32_t)pc[5];                                                      \
      SAFEPOINT(pc);                                                                 \
    } else {                                                                         \
      pc += 6;                                                                       \
    }                                                                                \
    NEXT();                                                                          \
  }                                                                                  \
  OP(pre##_BR_##name##_IMM) {                                                        \
    uint32_t v_ = (value);                                                           \
    fp[pc[1]] = v_;                                                                  \
    if ((type)v_ cmp (type)pc[4]) {                                                  \
      pc += 5 + (int32_t)pc[5];                                                      \
      SAFEPOINT(pc);                                                                 \
    } else {                                                                         \
      pc += 6;                                                                       \
    }                                                                                \
    NEXT();                                                                          \
  }
#define LOADED(ctype, n)                                                             \
  ({                                                                                 \
    uint64_t ea_l_ = EA(pc[2], pc[3], n);                                            \
    ctype l_;                                                                        \
    memcpy(&l_, mem_base + ea_l_, n);                                                \
    (uint32_t)l_;                                                                    \
  })
#define PRE_BRANCHES(name, type, cmp)                                                \
  PRE_BRANCH(ADD, name, type, cmp, I32(pc[2]) + pc[3])                               \
  PRE_BRANCH(AND, name, type, cmp, I32(pc[2]) & pc[3])                               \
  PRE_BRANCH(L8U, name, type, cmp, LOADED(uint8_t, 1))                               \
  PRE_BRANCH(L16U, name, type, cmp, LOADED(uint16_t, 2))                             \
  PRE_BRANCH(L32, name, type, cmp, LOADED(uint32_t, 4))
  I32_COMPARES(PRE_BRANCHES)
#undef PRE_BRANCHES
#undef I32_COMPARES
#undef LOADED
#undef PRE_BRANCH

  OP(RET1) {
    fp[0] = fp[pc[1]];
    goto do_return;
  }

  OP(RET) {
  do_return:
    if (UNLIKELY(!frame->ret_pc)) {
      if (UNLIKELY(frame->ret_fp == EBB__CONTEXT_ENTRY_MARK)) {
        /* A context's entry function has nowhere to return to. */
        t->pc = pc;
        t->fp = fp;
        t->frame = frame;
        ebb__context_returned(t, frame->func);
        return EBB_TRAP;
      }
      /* Back to the host: the results are in the bottom frame's slots. */
      t->pc = NULL;
      t->fp = fp;
      t->frame = frame - 1;
      return EBB_OK;
    }
    pc = frame->ret_pc;
    fp = frame->ret_fp;
    frame--;
    inst = frame->func->inst;
    RELOAD_MEMORY(); /* the callee may have grown memory */
    NEXT();
  }

  OP(CALL) {
    callee = inst->funcs[pc[1]];
    argslot = pc[2];
    next_pc = pc + 3;
    goto call_wasm;
  }

  OP(CALL_IMPORT) {
    call_pc = pc;
    callee = inst->funcs[pc[1]];
    argslot = pc[2];
    next_pc = pc + 3;
    goto call_any;
  }

  OP(CALL_INDIRECT) {
    ebb_table_t *tab = inst->tables[pc[2]];
    uint32_t i = I32(pc[4]);
    if (UNLIKELY(i >= tab->size)) TRAP(UNDEFINED_ELEMENT);
    callee = tab->elems[i];
    if (UNLIKELY(!callee)) TRAP(UNINITIALIZED_ELEMENT);
    if (UNLIKELY(callee->type_id != inst->type_ids[pc[1]])) TRAP(INDIRECT_TYPE_MISMATCH);
    call_pc = pc;
    argslot = pc[3];
    next_pc = pc + 5;
    goto call_any;
  }

  /* ---- Numeric ---------------------------------------------------------- */

#define UN(name, expr)                                                               \
  OP(name) {                                                                         \
    uint32_t a_ = pc[2];                                                             \
    fp[pc[1]] = (expr);                                                              \
    pc += 3;                                                                         \
    NEXT();                                                                          \
  }
#define BIN(name, expr)                                                              \
  OP(name) {                                                                         \
    uint32_t a_ = pc[2], b_ = pc[3];                                                 \
    fp[pc[1]] = (expr);                                                              \
    pc += 4;                                                                         \
    NEXT();                                                                          \
  }
/* A binary op with a 32-bit immediate right operand. */
#define BIN_I32(name, expr)                                                          \
  OP(name##_IMM) {                                                                   \
    uint32_t a_ = pc[2];                                                             \
    uint32_t b = pc[3];                                                              \
    fp[pc[1]] = (expr);                                                              \
    pc += 4;                                                                         \
    NEXT();                                                                          \
  }
#define BIN_I64(name, expr)                                                          \
  OP(name##_IMM) {                                                                   \
    uint32_t a_ = pc[2];                                                             \
    uint64_t b = (uint64_t)pc[3] | (uint64_t)pc[4] << 32;                            \
    fp[pc[1]] = (expr);                                                              \
    pc += 5;                                                                         \
    NEXT();                                                                          \
  }
#define A32 I32(a_)
#define B32 I32(b_)
#define A64 I64(a_)
#define B64 I64(b_)

  UN(I32_EQZ, A32 == 0)
  BIN(I32_EQ, A32 == B32)
  BIN(I32_NE, A32 != B32)
  BIN(I32_LT_S, (int32_t)A32 < (int32_t)B32)
  BIN(I32_LT_U, A32 < B32)
  BIN(I32_GT_S, (int32_t)A32 > (int32_t)B32)
  BIN(I32_GT_U, A32 > B32)
  BIN(I32_LE_S, (int32_t)A32 <= (int32_t)B32)
  BIN(I32_LE_U, A32 <= B32)
  BIN(I32_GE_S, (int32_t)A32 >= (int32_t)B32)
  BIN(I32_GE_U, A32 >= B32)
  UN(I64_EQZ, A64 == 0)
  BIN(I64_EQ, A64 == B64)
  BIN(I64_NE, A64 != B64)
  BIN(I64_LT_S, (int64_t)A64 < (int64_t)B64)
  BIN(I64_LT_U, A64 < B64)
  BIN(I64_GT_S, (int64_t)A64 > (int64_t)B64)
  BIN(I64_GT_U, A64 > B64)
  BIN(I64_LE_S, (int64_t)A64 <= (int64_t)B64)
  BIN(I64_LE_U, A64 <= B64)
  BIN(I64_GE_S, (int64_t)A64 >= (int64_t)B64)
  BIN(I64_GE_U, A64 >= B64)
  BIN(F32_EQ, F32(a_) == F32(b_))
  BIN(F32_NE, F32(a_) != F32(b_))
  BIN(F32_LT, F32(a_) < F32(b_))
  BIN(F32_GT, F32(a_) > F32(b_))
  BIN(F32_LE, F32(a_) <= F32(b_))
  BIN(F32_GE, F32(a_) >= F32(b_))
  BIN(F64_EQ, F64(a_) == F64(b_))
  BIN(F64_NE, F64(a_) != F64(b_))
  BIN(F64_LT, F64(a_) < F64(b_))
  BIN(F64_GT, F64(a_) > F64(b_))
  BIN(F64_LE, F64(a_) <= F64(b_))
  BIN(F64_GE, F64(a_) >= F64(b_))

  UN(I32_CLZ, A32 ? (uint32_t)__builtin_clz(A32) : 32u)
  UN(I32_CTZ, A32 ? (uint32_t)__builtin_ctz(A32) : 32u)
  UN(I32_POPCNT, (uint32_t)__builtin_popcount(A32))
  BIN(I32_ADD, A32 + B32)
  BIN(I32_SUB, A32 - B32)
  BIN(I32_MUL, A32 * B32)
  OP(I32_DIV_S) {
    int32_t a = S32(pc[2]), b = S32(pc[3]);
    if (UNLIKELY(b == 0)) TRAP(INT_DIV_ZERO);
    if (UNLIKELY(a == INT32_MIN && b == -1)) TRAP(INT_OVERFLOW);
    fp[pc[1]] = (uint32_t)(a / b);
    pc += 4;
    NEXT();
  }
  OP(I32_DIV_U) {
    uint32_t a = I32(pc[2]), b = I32(pc[3]);
    if (UNLIKELY(b == 0)) TRAP(INT_DIV_ZERO);
    fp[pc[1]] = a / b;
    pc += 4;
    NEXT();
  }
  OP(I32_REM_S) {
    int32_t a = S32(pc[2]), b = S32(pc[3]);
    if (UNLIKELY(b == 0)) TRAP(INT_DIV_ZERO);
    fp[pc[1]] = (uint32_t)(b == -1 ? 0 : a % b);
    pc += 4;
    NEXT();
  }
  OP(I32_REM_U) {
    uint32_t a = I32(pc[2]), b = I32(pc[3]);
    if (UNLIKELY(b == 0)) TRAP(INT_DIV_ZERO);
    fp[pc[1]] = a % b;
    pc += 4;
    NEXT();
  }
  BIN(I32_AND, A32 & B32)
  BIN(I32_OR, A32 | B32)
  BIN(I32_XOR, A32 ^ B32)
  BIN(I32_SHL, A32 << (B32 & 31))
  BIN(I32_SHR_S, (uint32_t)((int32_t)A32 >> (B32 & 31)))
  BIN(I32_SHR_U, A32 >> (B32 & 31))
  BIN(I32_ROTL, ebb__rotl32(A32, B32))
  BIN(I32_ROTR, ebb__rotr32(A32, B32))

  UN(I64_CLZ, A64 ? (uint64_t)__builtin_clzll(A64) : 64u)
  UN(I64_CTZ, A64 ? (uint64_t)__builtin_ctzll(A64) : 64u)
  UN(I64_POPCNT, (uint64_t)__builtin_popcountll(A64))
  BIN(I64_ADD, A64 + B64)
  BIN(I64_SUB, A64 - B64)
  BIN(I64_MUL, A64 * B64)
  OP(I64_DIV_S) {
    int64_t a = S64(pc[2]), b = S64(pc[3]);
    if (UNLIKELY(b == 0)) TRAP(INT_DIV_ZERO);
    if (UNLIKELY(a == INT64_MIN && b == -1)) TRAP(INT_OVERFLOW);
    fp[pc[1]] = (uint64_t)(a / b);
    pc += 4;
    NEXT();
  }
  OP(I64_DIV_U) {
    uint64_t a = I64(pc[2]), b = I64(pc[3]);
    if (UNLIKELY(b == 0)) TRAP(INT_DIV_ZERO);
    fp[pc[1]] = a / b;
    pc += 4;
    NEXT();
  }
  OP(I64_REM_S) {
    int64_t a = S64(pc[2]), b = S64(pc[3]);
    if (UNLIKELY(b == 0)) TRAP(INT_DIV_ZERO);
    fp[pc[1]] = (uint64_t)(b == -1 ? 0 : a % b);
    pc += 4;
    NEXT();
  }
  OP(I64_REM_U) {
    uint64_t a = I64(pc[2]), b = I64(pc[3]);
    if (UNLIKELY(b == 0)) TRAP(INT_DIV_ZERO);
    fp[pc[1]] = a % b;
    pc += 4;
    NEXT();
  }
  BIN(I64_AND, A64 & B64)
  BIN(I64_OR, A64 | B64)
  BIN(I64_XOR, A64 ^ B64)
  BIN(I64_SHL, A64 << (B64 & 63))
  BIN(I64_SHR_S, (uint64_t)((int64_t)A64 >> (B64 & 63)))
  BIN(I64_SHR_U, A64 >> (B64 & 63))
  BIN(I64_ROTL, ebb__rotl64(A64, B64))
  BIN(I64_ROTR, ebb__rotr64(A64, B64))

  /* abs, neg and copysign act on the sign bit only (spec: no NaN change). */
  UN(F32_ABS, I32(a_) & 0x7fffffffu)
  UN(F32_NEG, I32(a_) ^ 0x80000000u)
  UN(F32_CEIL, ebb__bits32(ebb__ceilf(F32(a_))))
  UN(F32_FLOOR, ebb__bits32(ebb__floorf(F32(a_))))
  UN(F32_TRUNC, ebb__bits32(ebb__truncf(F32(a_))))
  UN(F32_NEAREST, ebb__bits32(ebb__nearestf(F32(a_))))
  UN(F32_SQRT, ebb__bits32(sqrtf(F32(a_))))
  BIN(F32_ADD, ebb__bits32(F32(a_) + F32(b_)))
  BIN(F32_SUB, ebb__bits32(F32(a_) - F32(b_)))
  BIN(F32_MUL, ebb__bits32(F32(a_) * F32(b_)))
  BIN(F32_DIV, ebb__bits32(F32(a_) / F32(b_)))
  BIN(F32_MIN, ebb__bits32(ebb__fminf(F32(a_), F32(b_))))
  BIN(F32_MAX, ebb__bits32(ebb__fmaxf(F32(a_), F32(b_))))
  BIN(F32_COPYSIGN, (I32(a_) & 0x7fffffffu) | (I32(b_) & 0x80000000u))
  UN(F64_ABS, I64(a_) & 0x7fffffffffffffffull)
  UN(F64_NEG, I64(a_) ^ 0x8000000000000000ull)
  UN(F64_CEIL, ebb__bits64(ebb__ceil(F64(a_))))
  UN(F64_FLOOR, ebb__bits64(ebb__floor(F64(a_))))
  UN(F64_TRUNC, ebb__bits64(ebb__trunc(F64(a_))))
  UN(F64_NEAREST, ebb__bits64(ebb__nearest(F64(a_))))
  UN(F64_SQRT, ebb__bits64(sqrt(F64(a_))))
  BIN(F64_ADD, ebb__bits64(F64(a_) + F64(b_)))
  BIN(F64_SUB, ebb__bits64(F64(a_) - F64(b_)))
  BIN(F64_MUL, ebb__bits64(F64(a_) * F64(b_)))
  BIN(F64_DIV, ebb__bits64(F64(a_) / F64(b_)))
  BIN(F64_MIN, ebb__bits64(ebb__fmin(F64(a_), F64(b_))))
  BIN(F64_MAX, ebb__bits64(ebb__fmax(F64(a_), F64(b_))))
  BIN(F64_COPYSIGN,
      (I64(a_) & 0x7fffffffffffffffull) | (I64(b_) & 0x8000000000000000ull))

  /* Trapping conversions: NaN is an invalid conversion, out of range an
  ** integer overflow (spec 4.3.3, trunc). */
#define TRUNC(name, from, check, to_type)                                            \
  OP(name) {                                                                         \
    double x_ = from(pc[2]);                                                         \
    if (UNLIKELY(x_ != x_)) TRAP(INVALID_CONVERSION);                                \
    if (UNLIKELY(!check(x_))) TRAP(INT_OVERFLOW);                                    \
    fp[pc[1]] = (uint64_t)(to_type)x_;                                               \
    pc += 3;                                                                         \
    NEXT();                                                                          \
  }
  TRUNC(I32_TRUNC_F32_S, F32, ebb__fits_i32, int32_t)
  TRUNC(I32_TRUNC_F32_U, F32, ebb__fits_u32, uint32_t)
  TRUNC(I32_TRUNC_F64_S, F64, ebb__fits_i32, int32_t)
  TRUNC(I32_TRUNC_F64_U, F64, ebb__fits_u32, uint32_t)
  TRUNC(I64_TRUNC_F32_S, F32, ebb__fits_i64, int64_t)
  TRUNC(I64_TRUNC_F32_U, F32, ebb__fits_u64, uint64_t)
  TRUNC(I64_TRUNC_F64_S, F64, ebb__fits_i64, int64_t)
  TRUNC(I64_TRUNC_F64_U, F64, ebb__fits_u64, uint64_t)
#undef TRUNC
  UN(I64_EXTEND_I32_S, (uint64_t)(int64_t)(int32_t)A32)
  UN(I64_EXTEND_I32_U, (uint64_t)A32)
  UN(F32_CONVERT_I32_S, ebb__bits32((float)(int32_t)A32))
  UN(F32_CONVERT_I32_U, ebb__bits32((float)A32))
  UN(F32_CONVERT_I64_S, ebb__bits32((float)(int64_t)A64))
  UN(F32_CONVERT_I64_U, ebb__bits32((float)A64))
  UN(F32_DEMOTE_F64, ebb__bits32((float)F64(a_)))
  UN(F64_CONVERT_I32_S, ebb__bits64((double)(int32_t)A32))
  UN(F64_CONVERT_I32_U, ebb__bits64((double)A32))
  UN(F64_CONVERT_I64_S, ebb__bits64((double)(int64_t)A64))
  UN(F64_CONVERT_I64_U, ebb__bits64((double)A64))
  UN(F64_PROMOTE_F32, ebb__bits64((double)F32(a_)))
  UN(I32_EXTEND8_S, (uint32_t)(int32_t)(int8_t)A32)
  UN(I32_EXTEND16_S, (uint32_t)(int32_t)(int16_t)A32)
  UN(I64_EXTEND8_S, (uint64_t)(int64_t)(int8_t)A64)
  UN(I64_EXTEND16_S, (uint64_t)(int64_t)(int16_t)A64)
  UN(I64_EXTEND32_S, (uint64_t)(int64_t)(int32_t)A64)
  UN(I32_TRUNC_SAT_F32_S, (uint32_t)ebb__sat_i32(F32(a_)))
  UN(I32_TRUNC_SAT_F32_U, ebb__sat_u32(F32(a_)))
  UN(I32_TRUNC_SAT_F64_S, (uint32_t)ebb__sat_i32(F64(a_)))
  UN(I32_TRUNC_SAT_F64_U, ebb__sat_u32(F64(a_)))
  UN(I64_TRUNC_SAT_F32_S, (uint64_t)ebb__sat_i64(F32(a_)))
  UN(I64_TRUNC_SAT_F32_U, ebb__sat_u64(F32(a_)))
  UN(I64_TRUNC_SAT_F64_S, (uint64_t)ebb__sat_i64(F64(a_)))
  UN(I64_TRUNC_SAT_F64_U, ebb__sat_u64(F64(a_)))

  BIN_I32(I32_ADD, A32 + b)
  OP(I32_ADD_SHL) {
    fp[pc[1]] = (uint32_t)(I32(pc[2]) + (I32(pc[3]) << pc[4]));
    pc += 5;
    NEXT();
  }
  OP(I32_MUL_ADD) {
    fp[pc[1]] = (uint32_t)(I32(pc[2]) * I32(pc[3]) + I32(pc[4]));
    pc += 5;
    NEXT();
  }
  OP(I32_SHR_U_AND) {
    fp[pc[1]] = (I32(pc[2]) >> (pc[3] & 31)) & pc[4];
    pc += 5;
    NEXT();
  }
  OP(I32_ADD_AND) {
    fp[pc[1]] = (uint32_t)(I32(pc[2]) + pc[3]) & pc[4];
    pc += 5;
    NEXT();
  }
  OP(I32_AND_XOR) {
    fp[pc[1]] = (I32(pc[2]) & pc[3]) ^ pc[4];
    pc += 5;
    NEXT();
  }
  OP(I32_XOR_AND) {
    fp[pc[1]] = (I32(pc[2]) ^ I32(pc[3])) & pc[4];
    pc += 5;
    NEXT();
  }
  OP(I32_ADD_IMM2) {
    fp[pc[1]] = (uint32_t)(I32(pc[2]) + pc[3]);
    fp[pc[4]] = (uint32_t)(I32(pc[5]) + pc[6]);
    pc += 7;
    NEXT();
  }
  BIN_I32(I32_SUB, A32 - b)
  BIN_I32(I32_MUL, A32 * b)
  BIN_I32(I32_AND, A32 & b)
  BIN_I32(I32_OR, A32 | b)
  BIN_I32(I32_XOR, A32 ^ b)
  BIN_I32(I32_SHL, A32 << (b & 31))
  BIN_I32(I32_SHR_S, (uint32_t)((int32_t)A32 >> (b & 31)))
  BIN_I32(I32_SHR_U, A32 >> (b & 31))
  BIN_I32(I32_EQ, A32 == b)
  BIN_I32(I32_NE, A32 != b)
  BIN_I32(I32_LT_S, (int32_t)A32 < (int32_t)b)
  BIN_I32(I32_LT_U, A32 < b)
  BIN_I32(I32_GT_S, (int32_t)A32 > (int32_t)b)
  BIN_I32(I32_GT_U, A32 > b)
  BIN_I32(I32_LE_S, (int32_t)A32 <= (int32_t)b)
  BIN_I32(I32_LE_U, A32 <= b)
  BIN_I32(I32_GE_S, (int32_t)A32 >= (int32_t)b)
  BIN_I32(I32_GE_U, A32 >= b)
  BIN_I64(I64_ADD, A64 + b)
  BIN_I64(I64_SUB, A64 - b)
  BIN_I64(I64_MUL, A64 * b)
  BIN_I64(I64_AND, A64 & b)
  BIN_I64(I64_OR, A64 | b)
  BIN_I64(I64_XOR, A64 ^ b)
  BIN_I64(I64_SHL, A64 << (b & 63))
  BIN_I64(I64_SHR_S, (uint64_t)((int64_t)A64 >> (b & 63)))
  BIN_I64(I64_SHR_U, A64 >> (b & 63))
  BIN_I64(I64_EQ, A64 == b)
  BIN_I64(I64_NE, A64 != b)
  BIN_I64(I64_LT_S, (int64_t)A64 < (int64_t)b)
  BIN_I64(I64_LT_U, A64 < b)
  BIN_I64(I64_GT_S, (int64_t)A64 > (int64_t)b)
  BIN_I64(I64_GT_U, A64 > b)
  BIN_I64(I64_LE_S, (int64_t)A64 <= (int64_t)b)
  BIN_I64(I64_LE_U, A64 <= b)
  BIN_I64(I64_GE_S, (int64_t)A64 >= (int64_t)b)
  BIN_I64(I64_GE_U, A64 >= b)

#define FIMM32(name, op)                                                             \
  OP(name##_IMM) {                                                                   \
    fp[pc[1]] = ebb__bits32(F32(pc[2]) op ebb__f32(pc[3]));                          \
    pc += 4;                                                                         \
    NEXT();                                                                          \
  }
#define FIMM64(name, op)                                                             \
  OP(name##_IMM) {                                                                   \
    fp[pc[1]] = ebb__bits64(F64(pc[2]) op ebb__f64((uint64_t)pc[3] | (uint64_t)pc[4] << 32)); \
    pc += 5;                                                                         \
    NEXT();                                                                          \
  }
  FIMM32(F32_ADD, +)
  FIMM32(F32_SUB, -)
  FIMM32(F32_MUL, *)
  FIMM32(F32_DIV, /)
  FIMM64(F64_ADD, +)
  FIMM64(F64_SUB, -)
  FIMM64(F64_MUL, *)
  FIMM64(F64_DIV, /)
  /* f64 op with a loaded right operand (code.h, EBB__IOP_FLD). */
#define FLD64(name, op)                                                              \
  OP(name##_LD) {                                                                    \
    uint64_t ea = EA_AI(pc[3], pc[4], pc[5], 8);                                     \
    uint64_t b_;                                                                     \
    memcpy(&b_, mem_base + ea, 8);                                                   \
    fp[pc[1]] = ebb__bits64(F64(pc[2]) op ebb__f64(b_));                             \
    pc += 6;                                                                         \
    NEXT();                                                                          \
  }
  FLD64(F64_ADD, +)
  FLD64(F64_SUB, -)
  FLD64(F64_MUL, *)
  FLD64(F64_DIV, /)
#undef FLD64
  OP(F32_SUB_RIMM) {
    fp[pc[1]] = ebb__bits32(ebb__f32(pc[3]) - F32(pc[2]));
    pc += 4;
    NEXT();
  }
  OP(F32_DIV_RIMM) {
    fp[pc[1]] = ebb__bits32(ebb__f32(pc[3]) / F32(pc[2]));
    pc += 4;
    NEXT();
  }
  OP(F64_SUB_RIMM) {
    fp[pc[1]] = ebb__bits64(ebb__f64((uint64_t)pc[3] | (uint64_t)pc[4] << 32) - F64(pc[2]));
    pc += 5;
    NEXT();
  }
  OP(F64_DIV_RIMM) {
    fp[pc[1]] = ebb__bits64(ebb__f64((uint64_t)pc[3] | (uint64_t)pc[4] << 32) / F64(pc[2]));
    pc += 5;
    NEXT();
  }
#undef FIMM32
#undef FIMM64

  /* ---- Variables -------------------------------------------------------- */

  OP(COPY) {
    fp[pc[1]] = fp[pc[2]];
    pc += 3;
    NEXT();
  }

  OP(COPY_N) {
    memmove(fp + pc[1], fp + pc[2], (size_t)pc[3] * sizeof *fp);
    pc += 4;
    NEXT();
  }

  OP(COPY_LOAD32) {
    fp[pc[1]] = fp[pc[2]];
    uint64_t ea = EA(pc[4], pc[5], 4);
    uint32_t v;
    memcpy(&v, mem_base + ea, 4);
    fp[pc[3]] = v;
    pc += 6;
    NEXT();
  }

  OP(CONST32) {
    fp[pc[1]] = pc[2];
    pc += 3;
    NEXT();
  }

  OP(CONST64) {
    fp[pc[1]] = (uint64_t)pc[2] | (uint64_t)pc[3] << 32;
    pc += 4;
    NEXT();
  }

  OP(SELECT) {
    fp[pc[1]] = I32(pc[4]) ? fp[pc[2]] : fp[pc[3]];
    pc += 5;
    NEXT();
  }

  OP(GLOBAL_GET) {
    fp[pc[1]] = inst->globals[pc[2]]->value;
    pc += 3;
    NEXT();
  }

  OP(GLOBAL_SET) {
    inst->globals[pc[1]]->value = fp[pc[2]];
    pc += 3;
    NEXT();
  }

  /* ---- Memory ----------------------------------------------------------- */

  /* Host memory is little-endian on every target ebb supports, as wasm's. */
#define LOAD(name, ctype, n, widen)                                                  \
  OP(name) {                                                                         \
    uint64_t ea = EA(pc[2], pc[3], n);                                               \
    ctype v_;                                                                        \
    memcpy(&v_, mem_base + ea, n);                                                   \
    fp[pc[1]] = (widen)v_;                                                           \
    pc += 4;                                                                         \
    NEXT();                                                                          \
  }                                                                                  \
  OP(name##_AI) {                                                                    \
    uint64_t ea = EA_AI(pc[2], pc[3], pc[4], n);                                     \
    ctype v_;                                                                        \
    memcpy(&v_, mem_base + ea, n);                                                   \
    fp[pc[1]] = (widen)v_;                                                           \
    pc += 5;                                                                         \
    NEXT();                                                                          \
  }                                                                                  \
  OP(name##_RR) {                                                                    \
    uint64_t ea = EA_RR(pc[2], pc[3], pc[4], pc[5], n);                              \
    ctype v_;                                                                        \
    memcpy(&v_, mem_base + ea, n);                                                   \
    fp[pc[1]] = (widen)v_;                                                           \
    pc += 6;                                                                         \
    NEXT();                                                                          \
  }
  LOAD(LOAD8_S, int8_t, 1, int64_t)
  LOAD(LOAD8_U, uint8_t, 1, uint64_t)
  LOAD(LOAD16_S, int16_t, 2, int64_t)
  LOAD(LOAD16_U, uint16_t, 2, uint64_t)
  LOAD(LOAD32_S, int32_t, 4, int64_t)
  LOAD(LOAD32_U, uint32_t, 4, uint64_t)
  LOAD(LOAD64, uint64_t, 8, uint64_t)
#undef LOAD

#define STORE(name, ctype, n)                                                        \
  OP(name) {                                                                         \
    uint64_t ea = EA(pc[1], pc[3], n);                                               \
    ctype v_ = (ctype)fp[pc[2]];                                                     \
    memcpy(mem_base + ea, &v_, n);                                                   \
    pc += 4;                                                                         \
    NEXT();                                                                          \
  }                                                                                  \
  OP(name##_AI) {                                                                    \
    uint64_t ea = EA_AI(pc[1], pc[3], pc[4], n);                                     \
    ctype v_ = (ctype)fp[pc[2]];                                                     \
    memcpy(mem_base + ea, &v_, n);                                                   \
    pc += 5;                                                                         \
    NEXT();                                                                          \
  }                                                                                  \
  OP(name##_RR) {                                                                    \
    uint64_t ea = EA_RR(pc[1], pc[3], pc[4], pc[5], n);                              \
    ctype v_ = (ctype)fp[pc[2]];                                                     \
    memcpy(mem_base + ea, &v_, n);                                                   \
    pc += 6;                                                                         \
    NEXT();                                                                          \
  }
  STORE(STORE8, uint8_t, 1)
  STORE(STORE16, uint16_t, 2)
  STORE(STORE32, uint32_t, 4)
  STORE(STORE64, uint64_t, 8)
#undef STORE

  OP(MEMORY_SIZE) {
    fp[pc[1]] = mem_size / EBB__PAGE_SIZE;
    pc += 2;
    NEXT();
  }

  OP(MEMORY_GROW) {
    int64_t old = ebb__memory_grow(inst->mem0, I32(pc[2]));
    fp[pc[1]] = (uint32_t)(int32_t)old;
    RELOAD_MEMORY();
    pc += 3;
    NEXT();
  }

  /* Bulk instructions: up to one chunk (EBB__BULK_CHUNK) in one call of
  ** memmove or memset; beyond that in chunks by exec/bulk.c, which may stop
  ** between two for a request and is continued when the instruction runs
  ** again. Bounds are checked first, so a trap writes nothing. */
  OP(MEMORY_INIT) {
    ebb__data_inst *seg = &inst->datas[pc[1]];
    uint64_t d = I32(pc[2]), s = I32(pc[3]), n = I32(pc[4]);
    if (UNLIKELY(s + n > seg->size || d + n > mem_size)) TRAP(MEMORY_OOB);
    if (LIKELY(n <= EBB__BULK_CHUNK)) {
      if (n) memcpy(mem_base + d, seg->bytes + s, n);
    } else if (ebb__bulk_move(t, pc, mem_base + d, seg->bytes + s, n, false)) {
      goto bulk_stopped;
    }
    pc += 5;
    NEXT();
  }

  OP(DATA_DROP) {
    inst->datas[pc[1]].size = 0;
    pc += 2;
    NEXT();
  }

  OP(MEMORY_COPY) {
    uint64_t d = I32(pc[1]), s = I32(pc[2]), n = I32(pc[3]);
    if (UNLIKELY(s + n > mem_size || d + n > mem_size)) TRAP(MEMORY_OOB);
    if (LIKELY(n <= EBB__BULK_CHUNK)) {
      if (n) memmove(mem_base + d, mem_base + s, n);
    } else if (ebb__bulk_move(t, pc, mem_base + d, mem_base + s, n, d > s)) {
      goto bulk_stopped;
    }
    pc += 4;
    NEXT();
  }

  OP(MEMORY_FILL) {
    uint64_t d = I32(pc[1]), n = I32(pc[3]);
    if (UNLIKELY(d + n > mem_size)) TRAP(MEMORY_OOB);
    if (LIKELY(n <= EBB__BULK_CHUNK)) {
      if (n) memset(mem_base + d, (int)(uint8_t)fp[pc[2]], n);
    } else if (ebb__bulk_fill(t, pc, mem_base + d, (int)(uint8_t)fp[pc[2]], n)) {
      goto bulk_stopped;
    }
    pc += 4;
    NEXT();
  }

  /* A bulk instruction stopped between two chunks for a request, with its
  ** progress kept (t->restart_pc == pc): stop here as at a safe point. */
bulk_stopped : {
  t->pc = pc;
  t->fp = fp;
  t->frame = frame;
  ebb_status_t st = ebb__safepoint(t);
  if (st == EBB_OK) { /* a request that does not stop: next chunk */
    RELOAD_MEMORY();  /* a message may have grown memory */
    NEXT();
  }
  /* Only INTERRUPTED resumes here; any other end forgets the progress. */
  if (st != EBB_INTERRUPTED) t->restart_pc = NULL;
  return st;
}

  OP(ATOMIC_OP) {
    trap = ebb__atomic_op(t, inst->mem0, pc, fp, frame);
    if (UNLIKELY(trap != EBB_TRAP_NONE)) {
      if ((unsigned)trap == EBB__ATOMIC_STOPPED) goto safepoint; /* re-run on resume */
      goto trapped;
    }
    /* A wait runs the thread's messages, which may grow memory. */
    if (UNLIKELY(pc[1] == EBB_OP_MEMORY_ATOMIC_WAIT32 || pc[1] == EBB_OP_MEMORY_ATOMIC_WAIT64))
      RELOAD_MEMORY();
    pc += 7;
    NEXT();
  }

  /* Metered code only (code.h): charge a basic block's instructions. */
  OP(FUEL) {
    t->fuel -= pc[1];
    if (UNLIKELY(t->fuel < 0) && ebb__fuel_refill(t)) TRAP(OUT_OF_FUEL);
    pc += 2;
    NEXT();
  }

  OP(LAZY) {
    /* The first call of a function not compiled yet (rt/module_code.c): its
    ** frame is pushed and its locals zeroed as its stub says. Compile it (or
    ** take what another thread compiled), check the whole frame, enter. */
    const ebb__code_func *cf = ebb__func_compile(frame->func);
    if (UNLIKELY(!cf)) TRAP(COMPILE_FAILED);
    if (UNLIKELY(fp + cf->frame_size > stack_end)) TRAP(STACK_EXHAUSTED);
    pc = cf->code;
    SAFEPOINT(pc); /* a request made while it compiled */
    NEXT();
  }

  OP(ATOMIC_FENCE) {
    atomic_thread_fence(memory_order_seq_cst);
    pc += 1;
    NEXT();
  }

  /* ---- References and tables -------------------------------------------- */

  OP(REF_FUNC) {
    fp[pc[1]] = (uint64_t)(uintptr_t)inst->funcs[pc[2]];
    pc += 3;
    NEXT();
  }

  OP(TABLE_GET) {
    ebb_table_t *tab = inst->tables[pc[2]];
    uint32_t i = I32(pc[3]);
    if (UNLIKELY(i >= tab->size)) TRAP(TABLE_OOB);
    fp[pc[1]] = (uint64_t)(uintptr_t)tab->elems[i];
    pc += 4;
    NEXT();
  }

  OP(TABLE_SET) {
    ebb_table_t *tab = inst->tables[pc[1]];
    uint32_t i = I32(pc[2]);
    if (UNLIKELY(i >= tab->size)) TRAP(TABLE_OOB);
    tab->elems[i] = (void *)(uintptr_t)fp[pc[3]];
    pc += 4;
    NEXT();
  }

  OP(TABLE_SIZE) {
    fp[pc[1]] = inst->tables[pc[2]]->size;
    pc += 3;
    NEXT();
  }

  /* Bulk table instructions: as the memory ones above, in elements. */
  OP(TABLE_GROW) {
    ebb_table_t *tab = inst->tables[pc[2]];
    uint32_t n = I32(pc[4]);
    void *v = (void *)(uintptr_t)fp[pc[3]];
    int64_t old;
    if (LIKELY(n <= EBB__BULK_CHUNK / sizeof(void *)))
      old = ebb__table_grow(tab, n, v);
    else if (ebb__bulk_table_grow(t, pc, tab, n, v, &old))
      goto bulk_stopped;
    fp[pc[1]] = (uint32_t)(int32_t)old;
    pc += 5;
    NEXT();
  }

  OP(TABLE_FILL) {
    ebb_table_t *tab = inst->tables[pc[1]];
    uint64_t i = I32(pc[2]), n = I32(pc[4]);
    void *v = (void *)(uintptr_t)fp[pc[3]];
    if (UNLIKELY(i + n > tab->size)) TRAP(TABLE_OOB);
    if (LIKELY(n <= EBB__BULK_CHUNK / sizeof(void *))) {
      for (uint64_t k = 0; k < n; k++) tab->elems[i + k] = v;
    } else if (ebb__bulk_fill_refs(t, pc, tab->elems + i, v, n)) {
      goto bulk_stopped;
    }
    pc += 5;
    NEXT();
  }

  OP(TABLE_COPY) {
    ebb_table_t *dt = inst->tables[pc[1]], *st = inst->tables[pc[2]];
    uint64_t d = I32(pc[3]), s = I32(pc[4]), n = I32(pc[5]);
    if (UNLIKELY(s + n > st->size || d + n > dt->size)) TRAP(TABLE_OOB);
    if (LIKELY(n <= EBB__BULK_CHUNK / sizeof(void *))) {
      if (n) memmove(dt->elems + d, st->elems + s, n * sizeof(void *));
    } else if (ebb__bulk_move(t, pc, dt->elems + d, st->elems + s, n * sizeof(void *), d > s)) {
      goto bulk_stopped;
    }
    pc += 6;
    NEXT();
  }

  OP(TABLE_INIT) {
    ebb__elem_inst *seg = &inst->elems[pc[1]];
    ebb_table_t *tab = inst->tables[pc[2]];
    uint64_t d = I32(pc[3]), s = I32(pc[4]), n = I32(pc[5]);
    if (UNLIKELY(s + n > seg->count || d + n > tab->size)) TRAP(TABLE_OOB);
    if (LIKELY(n <= EBB__BULK_CHUNK / sizeof(void *))) {
      if (n) memcpy(tab->elems + d, seg->refs + s, n * sizeof(void *));
    } else if (ebb__bulk_move(t, pc, tab->elems + d, seg->refs + s, n * sizeof(void *), false)) {
      goto bulk_stopped;
    }
    pc += 6;
    NEXT();
  }

  OP(ELEM_DROP) {
    inst->elems[pc[1]].count = 0;
    pc += 2;
    NEXT();
  }

  /* ---- SIMD ---------------------------------------------------------------- */

#include "exec/interp_simd.inc"

#ifndef EBB__GOTO
  default:
    TRAP(UNREACHABLE);
  }
#endif

  /* ---- Calls -------------------------------------------------------------- */

call_any:
  if (callee->host) {
    /* A host function runs on this C stack; a guest call it makes starts
    ** above this frame. */
    uint64_t *args = fp + argslot;
    ebb__frame *saved_frame = t->base_frame;
    uint64_t *saved_fp = t->base_fp;
    t->pc = next_pc;
    t->fp = fp;
    t->frame = frame;
    t->base_fp = fp + ebb__func_code(frame->func)->frame_size;
    t->base_frame = frame + 1;
    ebb_status_t st = ebb__host_invoke(t, callee, inst, next_pc, args);
    t->base_fp = saved_fp;
    t->base_frame = saved_frame;
    if (UNLIKELY(st == EBB__SWITCHED)) {
      /* Another context of this call is active now (exec/context.c). */
      pc = t->pc;
      fp = t->fp;
      frame = t->frame;
      inst = frame->func->inst;
      RELOAD_MEMORY();
      SAFEPOINT(pc);
      NEXT();
    }
    if (UNLIKELY(st != EBB_OK)) {
      /* EBB_INTERRUPTED: the host call stopped for a request having done
      ** nothing; stop here, and run the call again when resumed. EBB_TRAP
      ** and EBB_EXIT: host_invoke has set the trap or the exit code. */
      t->pc = st == EBB_INTERRUPTED ? call_pc : next_pc;
      t->fp = fp;
      t->frame = frame;
      return st;
    }
    RELOAD_MEMORY();
    pc = next_pc;
    NEXT();
  }
  if (callee->inst != inst) {
    /* Frame push as below, then switch instance. */
    const ebb__code_func *cf = ebb__func_code(callee);
    uint64_t *nfp = fp + argslot;
    if (UNLIKELY(nfp + cf->frame_size > stack_end || frame + 1 >= frames_end))
      TRAP(STACK_EXHAUSTED);
    frame++;
    frame->ret_pc = next_pc;
    frame->ret_fp = fp;
    frame->func = callee;
    ZERO_LOCALS(nfp, cf);
    fp = nfp;
    pc = cf->code;
    inst = callee->inst;
    RELOAD_MEMORY();
    SAFEPOINT(pc);
    NEXT();
  }
call_wasm : {
  const ebb__code_func *cf = ebb__func_code(callee);
  uint64_t *nfp = fp + argslot;
  if (UNLIKELY(nfp + cf->frame_size > stack_end || frame + 1 >= frames_end))
    TRAP(STACK_EXHAUSTED);
  frame++;
  frame->ret_pc = next_pc;
  frame->ret_fp = fp;
  frame->func = callee;
  ZERO_LOCALS(nfp, cf);
  fp = nfp;
  pc = cf->code;
  SAFEPOINT(pc);
  NEXT();
}

  /* ---- Leaving the loop --------------------------------------------------- */

safepoint : {
  /* Registers are saved; the thread decides what the request means. */
  t->pc = pc;
  t->fp = fp;
  t->frame = frame;
  ebb_status_t st = ebb__safepoint(t);
  if (st == EBB_OK) {
    RELOAD_MEMORY(); /* a message may have grown memory */
    NEXT();
  }
  return st;
}

trapped:
  t->pc = pc;
  t->fp = fp;
  t->frame = frame;
  t->trap = trap;
  t->trap_func = frame->func;
  return EBB_TRAP;
}
