/*
** emit.h -- the compiler's state while lowering one function body: the code
** being emitted, the virtual operand stack and the control stack.
**
** The virtual operand stack is what makes the code three-address. An entry
** is either TEMP (its value is in its home slot), LOCAL (it is still the
** value of a local, read from the local's slot: `local.get` emits nothing),
** or CONST (an immediate not yet written anywhere). Entries are made TEMP
** ("materialized") when a value must sit in its home: at every control-flow
** boundary and call, and before a `local.set` overwrites a local that an
** entry still aliases -- and whenever more than EBB__MAX_LAZY entries are
** not TEMP, so that no walk over the stack costs more than that: a body
** that piles up a million operands is compiled in linear time.
*/
#ifndef EBB_COMPILE_EMIT_H
#define EBB_COMPILE_EMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/vec.h"
#include "compile/code.h"
#include "decode/module.h"

enum { VS_TEMP, VS_LOCAL, VS_CONST };

#define EBB__MAX_LAZY 64 /* LOCAL and CONST entries at most (see above) */

typedef struct ebb__vs_entry {
  uint8_t kind;
  ebb__valtype type;
  uint32_t home; /* this stack position's slot */
  uint32_t slot; /* VS_LOCAL: the local's slot */
  uint64_t value; /* VS_CONST */
} ebb__vs_entry;

enum { CTL_FUNC, CTL_BLOCK, CTL_LOOP, CTL_IF, CTL_ELSE };

#define EBB__NO_PATCH 0u /* chains store cell index + 1; 0 ends a chain */

typedef struct ebb__ctl {
  uint8_t kind;
  bool unreachable; /* the rest of this block is dead code */
  bool dead;        /* the whole block is inside dead code: emit nothing */
  uint32_t height;  /* operand stack entries below the block's params */
  uint32_t nparams, nresults;
  const ebb__valtype *params, *results;
  uint32_t loop_start;  /* CTL_LOOP: the cell branches go back to */
  uint32_t stub_stamp;  /* the br_table that last made a stub for this target ... */
  uint32_t stub_at;     /* ... and that stub's first cell */
  uint32_t end_chain;   /* forward branches to the end, chained */
  uint32_t else_chain;  /* CTL_IF: the branch to the else arm */
} ebb__ctl;

/* How the last emitted instruction may be rewritten by what follows it. */
typedef struct ebb__last {
  uint32_t start, end; /* its cells; end == code.len while it is the last */
  int iop;             /* its internal op */
  uint32_t dst_cell;   /* cell holding its destination slot, or 0 */
  int cmp;             /* for an i32 comparison: its wasm op, else -1 */
  bool cmp_imm;
  uint32_t a, b;       /* comparison operands (b is the immediate if cmp_imm) */
} ebb__last;

typedef struct ebb__compiler {
  /* Where push() writes when out of memory (the compile is abandoned): one
  ** per compile, as functions are compiled on several threads at once. */
  ebb__vs_entry oom_sink;
  const ebb__module *m;
  const int32_t *dispatch;
  uint32_t nparams, nlocals_total, nresults; /* nlocals_total: slots of params and locals */
  uint32_t param_slots, local_slots;         /* slots of the params, of the declared locals */
  uint32_t *param_slot; /* with v128 params or locals (else NULL): slot of each param ... */
  uint32_t *run_extra;  /* ... and per run of locals, the v128 locals of the runs before it */
  const ebb__valtype *results;
  const ebb__funcdef *def;     /* the body: its locals' types (ebb__local_type) */
  const ebb__valtype *params;
  EBB__VEC(uint32_t) code;
  EBB__VEC(ebb__vs_entry) vs;
  size_t lazy_from;    /* every vs entry below this index is TEMP */
  EBB__VEC(ebb__ctl) ctl;
  uint32_t max_slots;
  ebb__last last;
  ebb__last prev;      /* the instruction before last (if prev.end == last.start) */
  bool meter;          /* emit FUEL ops (compile/code.h) */
  uint32_t fuel_cell;  /* the count cell of the current block's FUEL op */
  bool oom;
} ebb__compiler;

/* Where parameters and locals live (compile/slots.c). Without v128 local
** x is slot x; with v128 each takes two slots. */
struct ebb__instr;
int ebb__locals_layout(ebb__compiler *c, const ebb__functype *ft);
uint32_t ebb__local_slot(const ebb__compiler *c, uint32_t x);
void ebb__locals_free(ebb__compiler *c);

/* SIMD instructions (compile/compile_simd.c): the internal op of wasm op
** `op`, and the immediate cells that follow the operand slots (`add`: the
** fused address add of a memory instruction). */
int ebb__simd_iop(unsigned op);
uint32_t ebb__simd_imm_cells(const struct ebb__instr *in, uint32_t add, uint32_t cells[4]);

#endif
