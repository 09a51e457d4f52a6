/*
** diff_gen.h -- the differential fuzzer's program model: a generator that
** turns arbitrary bytes into a small, valid, terminating module (i32/i64
** arithmetic with traps, f64 arithmetic on loaded and converted values seen
** through comparisons and saturating truncation, bounded loops, br_if and br_table, memory loads and
** stores with awkward addresses and offsets, bulk memory, calls, a table
** with call_indirect, globals), an encoder to the binary format, and a
** reference evaluator that interprets the same tree directly.
**
** Termination is by construction: a function calls only functions of a
** higher index (directly, or through the table, whose slot k holds nothing
** or function k, and call_indirect's index is at least the caller's index
** plus one, below fi+5), loops run a fixed number of times on a counter no other code
** writes (a loop tested at the top decrements it there, so `continue`, a
** br_table back to the loop, is bounded too), and the generator keeps an estimate of the work a call may do
** under a fixed budget.
*/
#ifndef EBB_FUZZ_DIFF_GEN_H
#define EBB_FUZZ_DIFF_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* f64 (T_F64) values exist only inside expressions: no f64 local, global,
** parameter, result or store. They come back as i32 through comparisons
** and as i32/i64 through saturating truncation, so NaN payloads, which wasm
** leaves open (and ebb's operand swaps may change), never reach a result. */
enum { T_I32, T_I64, T_F64, T_V128 };
/* v128 (T_V128) values, like f64 ones, exist only inside expressions, and
** only integer lanes: they come back through E_VOUT (extract_lane, bitmask,
** any_true, all_true). */

enum {
  MAX_FUNCS = 5,
  MAX_PARAMS = 3,
  MAX_LOCALS = 24, /* params, plain locals and loop counters */
  MAX_TYPES = 8,
  MAX_GLOBALS = 4,
  MAX_TABLE = MAX_FUNCS + 3,
  MAX_SEG = 32,    /* bytes per data segment */
  MAX_CALLS = 8,   /* export calls per program */
  MAX_PAGES = 4,   /* the memory never exceeds this (store limit) */
};

typedef struct expr expr;
typedef struct stmt stmt;

enum ekind {
  E_CONST, E_LOCAL, E_TEE, E_GLOBAL, E_UNARY, E_BINARY, E_SELECT, E_LOAD, E_CALL,
  E_CALL_INDIRECT, E_MEMORY_SIZE, E_MEMORY_GROW, E_IF,
  E_BLOCK_BR_IF,   /* block (result t): a[0] a[1] br_if 0, drop, a[2] */
  E_BR_TABLE,      /* block (block a[0] a[1] br_table 0 1) + imm: a value through br_table */
  E_BLOCK_PARAMS,  /* a[0] a[1] block [t t] -> [t] op end: a block with parameters */
  E_VOUT,          /* an i32/i64 out of a v128 a[0]: op (0xfd sub-opcode), lane in imm */
  E_VSPLAT,        /* v128: op splats scalar a[0] */
  E_VLOAD,         /* v128.load a[0], offset imm */
  E_VUN,           /* v128: op of v128 a[0] */
  E_VBIN,          /* v128: op of v128 a[0], a[1] */
  E_VSHIFT,        /* v128: op of v128 a[0] by i32 a[1] */
};

struct expr {
  uint8_t kind, ty; /* ty: T_I32 / T_I64, the value this expression pushes */
  uint16_t op;      /* the opcode for unary, binary and load */
  uint32_t idx;     /* local, global, function or type index */
  uint64_t imm;     /* constant, or memarg offset */
  uint8_t align;    /* memarg alignment (log2); E_SELECT: 1 for the typed form */
  uint8_t nargs;
  expr *a[3];       /* operands (E_IF: cond, then, else; E_CALL_INDIRECT: a[0] = index) */
  expr *args[MAX_PARAMS];
};

enum skind {
  S_LOCAL_SET, S_GLOBAL_SET, S_STORE, S_IF, S_LOOP, S_BREAK_IF, S_DROP, S_RETURN,
  S_FILL, S_COPY, S_INIT, S_DATA_DROP, S_SWITCH, S_UNREACHABLE,
  S_CONTINUE_IF, /* br_table (e & 3) [on, loop, exit... ]: only in top-tested loops */
};

struct stmt {
  uint8_t kind;
  uint16_t op;    /* store opcode */
  uint32_t idx;   /* local/global index, segment, break depth, loop counter */
  uint64_t imm;   /* store offset; loop trip count */
  uint8_t align;  /* store alignment; S_LOOP: 1 = tested at the top */
  expr *e[3];
  stmt *body;     /* S_IF then, S_LOOP body; S_SWITCH: cases[] instead */
  stmt *els;
  stmt *next;     /* the next statement of the same list */
  uint8_t ncases; /* S_SWITCH */
  stmt *cases[3];
};

typedef struct func {
  uint32_t type;  /* type index */
  uint32_t nlocals; /* beyond the params */
  uint8_t local_ty[MAX_LOCALS]; /* params first */
  bool counter[MAX_LOCALS];     /* loop counters: only loops write them */
  stmt *body;
  expr *result;
  uint64_t cost;  /* estimated work of one call, callees included */
} func;

typedef struct functype {
  uint8_t nparams, result;
  uint8_t params[MAX_PARAMS];
} functype;

typedef struct call {
  uint32_t func;
  uint64_t args[MAX_PARAMS];
} call;

typedef struct program {
  uint32_t ntypes, nfuncs, nglobals, table_size;
  functype types[MAX_TYPES];
  func funcs[MAX_FUNCS];
  uint8_t global_ty[MAX_GLOBALS];
  uint64_t global_init[MAX_GLOBALS];
  int32_t table[MAX_TABLE]; /* slot -> function index, or -1 */
  uint32_t mem_min, mem_max; bool mem_has_max;
  uint32_t store_pages;     /* the store's memory cap; 0 = unlimited */
  uint32_t active_offset, active_len, passive_len;
  uint8_t active[MAX_SEG], passive[MAX_SEG];
  uint32_t risk;            /* 0..3: how often values are picked that trap */
  uint32_t ncalls;
  call calls[MAX_CALLS];
  /* The tree's nodes live in chunks, so that the sanitizers' record of
  ** allocation stacks does not grow with every new shape of recursion. */
  void **chunks;
  size_t nchunks, chunk_used;
  size_t nnodes;
} program;

/* Build a program from the bytes; never fails (missing bytes read as 0).
** Free with program_free. */
void program_generate(program *p, const uint8_t *data, size_t size);
void program_free(program *p);

/* Encode to the binary format; *out is malloc'd. */
void program_encode(const program *p, uint8_t **out, size_t *size);

/* The reference evaluator: run the program's calls in order and record
** their outcomes and the final memory and globals. */
typedef struct ref_outcome {
  int trap;       /* an ebb_trap_t; EBB_TRAP_NONE: returned */
  uint64_t value; /* result bits (i32 zero-extended) */
} ref_outcome;

typedef struct ref_state {
  ref_outcome out[MAX_CALLS];
  uint8_t *mem;   /* MAX_PAGES pages */
  uint32_t mem_pages;
  uint64_t globals[MAX_GLOBALS];
} ref_state;

void ref_run(const program *p, ref_state *st);
void ref_free(ref_state *st);

/* The maximum memory the program's memory may reach (pages). */
uint32_t program_mem_limit(const program *p);

#endif
