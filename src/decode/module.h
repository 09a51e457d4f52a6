/*
** module.h -- the description of a decoded module.
**
** The decoder fills it from the binary; the validator checks it; the compiler
** reads function bodies from it; the runtime instantiates it. Byte ranges
** (function bodies, constant expressions, data) point into `bytes`, the
** module's own copy of the binary, so offsets in messages are file offsets.
*/
#ifndef EBB_DECODE_MODULE_H
#define EBB_DECODE_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ebb.h"

/* Value types use their binary encoding (0x7f i32 ... 0x6f externref). */
typedef uint8_t ebb__valtype;

enum {
  EBB__I32 = 0x7f,
  EBB__I64 = 0x7e,
  EBB__F32 = 0x7d,
  EBB__F64 = 0x7c,
  EBB__V128 = 0x7b,
  EBB__FUNCREF = 0x70,
  EBB__EXTERNREF = 0x6f,
};

/* A function type: params then results in one array. */
typedef struct ebb__functype {
  uint32_t nparams, nresults;
  ebb__valtype *types; /* nparams + nresults entries */
} ebb__functype;

#define EBB__PARAMS(ft) ((ft)->types)
#define EBB__RESULTS(ft) ((ft)->types + (ft)->nparams)

typedef struct ebb__limits {
  uint64_t min, max; /* max valid only if has_max */
  bool has_max;
  bool shared; /* memories only (threads proposal) */
} ebb__limits;

typedef struct ebb__tabletype {
  ebb__valtype elem; /* funcref or externref */
  ebb__limits limits;
} ebb__tabletype;

typedef struct ebb__memtype {
  ebb__limits limits; /* in 64 KiB pages */
} ebb__memtype;

typedef struct ebb__globaltype {
  ebb__valtype type;
  bool mutable_;
} ebb__globaltype;

/* A constant expression: the byte range of its instructions, from the first
** instruction up to and including the final `end` (0x0B). */
typedef struct ebb__constexpr {
  uint32_t start, end; /* offsets into bytes; end is one past the 0x0B */
} ebb__constexpr;

typedef struct ebb__import {
  char *module, *name; /* NUL-terminated copies (validated UTF-8) */
  uint32_t module_len, name_len;
  uint8_t kind;   /* ebb_externkind_t */
  uint32_t index; /* index within its kind's index space */
  union {
    uint32_t func_type; /* type index */
    ebb__tabletype table;
    ebb__memtype mem;
    ebb__globaltype global;
  } as;
} ebb__import;

typedef struct ebb__export {
  char *name; /* NUL-terminated copy */
  uint32_t name_len;
  uint8_t kind; /* ebb_externkind_t */
  uint32_t index;
} ebb__export;

/* A run of declared locals of one type. Locals stay in runs, as the binary
** declares them (spec 5.5.13), and are never expanded to one byte each: a
** body may declare 50,000 locals in three bytes, and a module may have a
** million bodies. So their cost to the host is bounded by the module's
** size, not by the counts it declares. */
typedef struct ebb__local_run {
  uint32_t end;       /* declared-local index one past the run (params not counted) */
  ebb__valtype type;
} ebb__local_run;

/* A function defined in this module (imports are not here). */
typedef struct ebb__funcdef {
  uint32_t type;        /* type index */
  uint32_t nlocals;     /* declared locals, not counting params */
  uint32_t first_run;   /* its runs: local_runs[first_run .. first_run + nruns) */
  uint32_t nruns;       /* adjacent runs of one type are merged; empty ones dropped */
  uint32_t body_start;  /* offset of the code entry's size field */
  uint32_t code_start;  /* offset of the first instruction */
  uint32_t code_end;    /* one past the final `end` */
} ebb__funcdef;

typedef struct ebb__global {
  ebb__globaltype type;
  ebb__constexpr init;
} ebb__global;

enum ebb__segmode {
  EBB__SEG_ACTIVE = 0,
  EBB__SEG_PASSIVE = 1,
  EBB__SEG_DECLARATIVE = 2, /* element segments only */
};

typedef struct ebb__elem {
  uint8_t mode;
  ebb__valtype type;   /* funcref or externref */
  uint32_t table;      /* active only */
  ebb__constexpr offset; /* active only */
  uint32_t count;
  /* Exactly one of these is set: function indices (the funcidx forms), or
  ** one constant expression per element (the expression forms). */
  uint32_t *funcs;
  ebb__constexpr *exprs;
} ebb__elem;

typedef struct ebb__data {
  uint8_t mode;
  uint32_t mem;          /* active only */
  ebb__constexpr offset; /* active only */
  uint32_t start, size;  /* the bytes: offsets into bytes */
} ebb__data;

/* A custom section. Its payload is not kept: a large module's pages of it
** are given back after decoding (decode.c), so read it while decoding. */
typedef struct ebb__custom {
  char *name;
  uint32_t start, size; /* payload after the name */
} ebb__custom;

typedef struct ebb__module {
  uint8_t *bytes; /* owned copy of the binary */
  size_t size;

  uint32_t ntypes;
  ebb__functype *types;

  uint32_t nimports;
  ebb__import *imports;

  /* Index spaces, imports first. nfuncs = nimported_funcs + nfuncdefs. */
  uint32_t nfuncs, nimported_funcs;
  uint32_t *func_types; /* type index for every function in the space */
  ebb__funcdef *funcdefs; /* nfuncs - nimported_funcs entries */
  ebb__local_run *local_runs; /* every body's declared locals, in order */
  uint32_t nlocal_runs;

  uint32_t ntables, nimported_tables;
  ebb__tabletype *tables; /* every table in the space */

  uint32_t nmems, nimported_mems;
  ebb__memtype *mems;

  uint32_t nglobals, nimported_globals;
  ebb__globaltype *global_types; /* every global in the space */
  ebb__global *globaldefs;       /* nglobals - nimported_globals entries */

  uint32_t nexports;
  ebb__export *exports;

  bool has_start;
  uint32_t start;

  uint32_t nelems;
  ebb__elem *elems;

  bool has_datacount;
  uint32_t datacount;
  uint32_t ndatas;
  ebb__data *datas;

  uint32_t ncustoms;
  ebb__custom *customs;

  /* From the "name" custom section, when present and well-formed. */
  char *name;        /* module name or NULL */
  char **func_names; /* nfuncs entries (each may be NULL), or NULL */

  /* Offsets of the sections for messages: section id -> start, 0 if absent. */
  uint32_t section_offsets[13];
} ebb__module;

/* Limits the decoder enforces before allocating (hostile counts). */
#define EBB__MAX_TYPES 1000000u
#define EBB__MAX_FUNCS 1000000u
#define EBB__MAX_IMPORTS 100000u
#define EBB__MAX_EXPORTS 100000u
#define EBB__MAX_GLOBALS 1000000u
#define EBB__MAX_TABLES 100000u
#define EBB__MAX_MEMS 100000u /* more than one is invalid (validator), not malformed */
#define EBB__MAX_SEGMENTS 100000u
#define EBB__MAX_LOCALS 50000u /* per function, params included */
#define EBB__MAX_PARAMS 1000u
#define EBB__MAX_RESULTS 1000u

/* The type of declared local `x` (0-based after the params; x < f->nlocals). */
static inline ebb__valtype ebb__local_type(const ebb__module *m, const ebb__funcdef *f,
                                           uint32_t x) {
  const ebb__local_run *r = m->local_runs + f->first_run;
  uint32_t lo = 0, hi = f->nruns - 1; /* the run holding x is in [lo, hi] */
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (r[mid].end > x) hi = mid;
    else lo = mid + 1;
  }
  return r[lo].type;
}

/* Decode `size` bytes (copied) into *out. Errors are EBB_EMALFORMED (or
** EBB_ENOMEM) with a message naming the section and byte offset, e.g.
** "malformed module: section 10 (code) @0x4a1: unexpected end". The module
** is not yet validated. */
int ebb__decode(const uint8_t *bytes, size_t size, ebb__module **out, ebb_error_t *err);

/* The same without a copy: the module takes `bytes`, which came from
** ebb__module_bytes_alloc(size), and frees them (at once, on failure). */
int ebb__decode_owned(uint8_t *bytes, size_t size, ebb__module **out, ebb_error_t *err);

/* Memory for a module's bytes: huge pages from 1 MiB on (base/alloc.h). */
uint8_t *ebb__module_bytes_alloc(size_t size);
void ebb__module_bytes_free(uint8_t *bytes, size_t size);
/* Whether bytes of this size are in huge pages (their own mapping). */
static inline int ebb__module_bytes_huge(size_t size) { return size >= ((size_t)1 << 20); }

/* Free a module description and everything it owns. NULL is fine. */
void ebb__module_free(ebb__module *m);

/* "i32", "funcref", ...: a value type's name for messages ("nothing" for
** 0, "?" for what is no value type). */
const char *ebb__valtype_name(ebb__valtype t);

/* The function's name from the name section, or NULL. */
const char *ebb__module_func_name(const ebb__module *m, uint32_t funcidx);

#endif
