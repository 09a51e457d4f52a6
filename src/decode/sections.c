/*
** sections.c -- the contents of the non-custom sections (spec 5.5.4-5.5.15).
** Readers may run past the section's end (to the binary's end); decode.c
** then checks that the section's size matches what was read.
** Arrays are zero-allocated and their counts set at once, so a failure
** part-way leaves a module ebb__module_free can release.
*/
#include <string.h>

#include "base/alloc.h"
#include "base/vec.h"
#include "decode/decode_int.h"

#define TRY(x)                                                                                     \
  do {                                                                                             \
    int rc_ = (x);                                                                                 \
    if (rc_) return rc_;                                                                           \
  } while (0)

#define OFF(r) ebb__reader_offset(r)

static int u32(ebb__dec *d, ebb__reader *r, uint32_t *out) {
  return ebb__read_u32(r, out) ? ebb__dec_rfail(d, r) : 0;
}

static int u8(ebb__dec *d, ebb__reader *r, uint8_t *out) {
  return ebb__read_u8(r, out) ? ebb__dec_rfail(d, r) : 0;
}

/* ---- Types (5.3) ---- */

/* Value types are one byte each, so a result type is a run of bytes: check
** them and return where they start. */
static int valtypes(ebb__dec *d, ebb__reader *r, uint32_t max, const char *what, uint32_t *n,
                    const uint8_t **at) {
  ebb__valtype t;
  TRY(ebb__dec_count(d, r, max, what, n));
  *at = r->p;
  for (uint32_t i = 0; i < *n; i++) TRY(ebb__dec_valtype(d, r, &t));
  return 0;
}

/* Limits, with the threads proposal's flags: bit 0 has a maximum, bit 1
** shared (memories only). Shared without a maximum is well-formed but
** invalid; the validator rejects it. */
static int limits(ebb__dec *d, ebb__reader *r, bool memory, ebb__limits *l) {
  uint8_t flags = 0;
  uint32_t v;
  TRY(u8(d, r, &flags));
  if (flags > (memory ? 3 : 1))
    return ebb__dec_fail(d, OFF(r) - 1, "%s",
                         flags & 0x80 ? "integer representation too long" : "integer too large");
  l->has_max = flags & 1;
  l->shared = (flags & 2) != 0;
  TRY(u32(d, r, &v));
  l->min = v;
  l->max = 0;
  if (l->has_max) {
    TRY(u32(d, r, &v));
    l->max = v;
  }
  return 0;
}

static int tabletype(ebb__dec *d, ebb__reader *r, ebb__tabletype *t) {
  TRY(ebb__dec_reftype(d, r, &t->elem));
  return limits(d, r, false, &t->limits);
}

static int globaltype(ebb__dec *d, ebb__reader *r, ebb__globaltype *t) {
  uint8_t mut = 0;
  TRY(ebb__dec_valtype(d, r, &t->type));
  TRY(u8(d, r, &mut));
  if (mut > 1) return ebb__dec_fail(d, OFF(r) - 1, "malformed mutability");
  t->mutable_ = mut;
  return 0;
}

static bool is_func_form(uint8_t b) { return b == 0x60; }

static int type_section(ebb__dec *d, ebb__reader *r) {
  ebb__module *m = d->m;
  uint32_t n;
  TRY(ebb__dec_count(d, r, EBB__MAX_TYPES, "types", &n));
  if (!(m->types = ebb__calloc(n, sizeof *m->types))) return ebb__dec_nomem(d);
  m->ntypes = n;
  for (uint32_t i = 0; i < n; i++) {
    ebb__functype *ft = &m->types[i];
    const uint8_t *params, *results;
    uint8_t form = 0;
    TRY(ebb__dec_typebyte(d, r, is_func_form, "malformed function type", &form));
    TRY(valtypes(d, r, EBB__MAX_PARAMS, "parameters", &ft->nparams, &params));
    TRY(valtypes(d, r, EBB__MAX_RESULTS, "results", &ft->nresults, &results));
    if (!(ft->types = ebb__malloc((size_t)ft->nparams + ft->nresults))) return ebb__dec_nomem(d);
    memcpy(ft->types, params, ft->nparams);
    memcpy(ft->types + ft->nparams, results, ft->nresults);
  }
  return 0;
}

/* ---- Imports and exports (5.5.5, 5.5.10) ---- */

static int import_section(ebb__dec *d, ebb__reader *r) {
  ebb__module *m = d->m;
  uint32_t n;
  TRY(ebb__dec_count(d, r, EBB__MAX_IMPORTS, "imports", &n));
  if (!(m->imports = ebb__calloc(n, sizeof *m->imports))) return ebb__dec_nomem(d);
  m->nimports = n;
  for (uint32_t i = 0; i < n; i++) {
    ebb__import *im = &m->imports[i];
    TRY(ebb__dec_name(d, r, &im->module, &im->module_len));
    TRY(ebb__dec_name(d, r, &im->name, &im->name_len));
    TRY(u8(d, r, &im->kind));
    switch (im->kind) {
    case EBB_EXTERN_FUNC:
      im->index = m->nimported_funcs++;
      TRY(u32(d, r, &im->as.func_type));
      break;
    case EBB_EXTERN_TABLE:
      im->index = m->nimported_tables++;
      TRY(tabletype(d, r, &im->as.table));
      break;
    case EBB_EXTERN_MEMORY:
      im->index = m->nimported_mems++;
      TRY(limits(d, r, true, &im->as.mem.limits));
      break;
    case EBB_EXTERN_GLOBAL:
      im->index = m->nimported_globals++;
      TRY(globaltype(d, r, &im->as.global));
      break;
    default: return ebb__dec_fail(d, OFF(r) - 1, "malformed import kind");
    }
  }
  return 0;
}

static int export_section(ebb__dec *d, ebb__reader *r) {
  ebb__module *m = d->m;
  uint32_t n;
  TRY(ebb__dec_count(d, r, EBB__MAX_EXPORTS, "exports", &n));
  if (!(m->exports = ebb__calloc(n, sizeof *m->exports))) return ebb__dec_nomem(d);
  m->nexports = n;
  for (uint32_t i = 0; i < n; i++) {
    ebb__export *ex = &m->exports[i];
    TRY(ebb__dec_name(d, r, &ex->name, &ex->name_len));
    TRY(u8(d, r, &ex->kind));
    if (ex->kind > EBB_EXTERN_GLOBAL) return ebb__dec_fail(d, OFF(r) - 1, "malformed export kind");
    TRY(u32(d, r, &ex->index));
  }
  return 0;
}

/* ---- Index spaces defined here (5.5.6-5.5.9) ---- */

/* Count of definitions such that the whole index space (imports first)
** stays within `max`. */
static int space_count(ebb__dec *d, ebb__reader *r, uint32_t nimported, uint32_t max,
                       const char *what, uint32_t *n) {
  TRY(ebb__dec_count(d, r, max, what, n));
  if ((uint64_t)nimported + *n > max)
    return ebb__dec_fail(d, OFF(r), "too many %s (%u imported + %u, limit %u)", what,
                         (unsigned)nimported, (unsigned)*n, (unsigned)max);
  return 0;
}

static int function_section(ebb__dec *d, ebb__reader *r) {
  ebb__module *m = d->m;
  uint32_t n;
  TRY(space_count(d, r, m->nimported_funcs, EBB__MAX_FUNCS, "functions", &n));
  m->funcdefs = ebb__calloc(n, sizeof *m->funcdefs);
  m->func_types = ebb__calloc((size_t)m->nimported_funcs + n, sizeof *m->func_types);
  if (!m->funcdefs || !m->func_types) return ebb__dec_nomem(d);
  m->nfuncs = m->nimported_funcs + n;
  d->has_funcsec = true;
  d->nfuncdefs = n;
  for (uint32_t i = 0; i < n; i++) {
    TRY(u32(d, r, &m->funcdefs[i].type));
    m->func_types[m->nimported_funcs + i] = m->funcdefs[i].type;
  }
  return 0;
}

static int table_section(ebb__dec *d, ebb__reader *r) {
  ebb__module *m = d->m;
  uint32_t n;
  TRY(space_count(d, r, m->nimported_tables, EBB__MAX_TABLES, "tables", &n));
  if (!(m->tables = ebb__calloc((size_t)m->nimported_tables + n, sizeof *m->tables)))
    return ebb__dec_nomem(d);
  m->ntables = m->nimported_tables + n;
  for (uint32_t i = 0; i < n; i++) TRY(tabletype(d, r, &m->tables[m->nimported_tables + i]));
  return 0;
}

static int memory_section(ebb__dec *d, ebb__reader *r) {
  ebb__module *m = d->m;
  uint32_t n;
  TRY(space_count(d, r, m->nimported_mems, EBB__MAX_MEMS, "memories", &n));
  if (!(m->mems = ebb__calloc((size_t)m->nimported_mems + n, sizeof *m->mems)))
    return ebb__dec_nomem(d);
  m->nmems = m->nimported_mems + n;
  for (uint32_t i = 0; i < n; i++) TRY(limits(d, r, true, &m->mems[m->nimported_mems + i].limits));
  return 0;
}

static int global_section(ebb__dec *d, ebb__reader *r) {
  ebb__module *m = d->m;
  uint32_t n;
  TRY(space_count(d, r, m->nimported_globals, EBB__MAX_GLOBALS, "globals", &n));
  m->globaldefs = ebb__calloc(n, sizeof *m->globaldefs);
  m->global_types = ebb__calloc((size_t)m->nimported_globals + n, sizeof *m->global_types);
  if (!m->globaldefs || !m->global_types) return ebb__dec_nomem(d);
  m->nglobals = m->nimported_globals + n;
  for (uint32_t i = 0; i < n; i++) {
    ebb__global *g = &m->globaldefs[i];
    TRY(globaltype(d, r, &g->type));
    TRY(ebb__dec_constexpr(d, r, &g->init));
    m->global_types[m->nimported_globals + i] = g->type;
  }
  return 0;
}

/* ---- Segments (5.5.12, 5.5.14, 5.5.15) ---- */

/* Element segment flags: bit 0 passive or declarative, bit 1 an explicit
** table index (active) or declarative (otherwise), bit 2 expressions
** rather than function indices. */
static int elem(ebb__dec *d, ebb__reader *r, ebb__elem *e) {
  uint32_t flags, n;
  TRY(u32(d, r, &flags));
  if (flags > 7) return ebb__dec_fail(d, OFF(r) - 1, "malformed elements segment kind");
  bool exprs = flags & 4;
  if (flags & 1) {
    e->mode = (flags & 2) ? EBB__SEG_DECLARATIVE : EBB__SEG_PASSIVE;
  } else {
    e->mode = EBB__SEG_ACTIVE;
    if (flags & 2) TRY(u32(d, r, &e->table));
    TRY(ebb__dec_constexpr(d, r, &e->offset));
  }
  e->type = EBB__FUNCREF;
  if (flags & 3) {
    if (exprs) {
      TRY(ebb__dec_reftype(d, r, &e->type));
    } else {
      uint8_t kind = 0;
      TRY(u8(d, r, &kind));
      if (kind != 0x00) return ebb__dec_fail(d, OFF(r) - 1, "malformed element kind");
    }
  }
  /* No limit beyond the bytes left: each element takes at least one. */
  TRY(ebb__dec_count(d, r, UINT32_MAX, "elements", &n));
  if (exprs) {
    if (!(e->exprs = ebb__calloc(n, sizeof *e->exprs))) return ebb__dec_nomem(d);
    e->count = n;
    for (uint32_t i = 0; i < n; i++) TRY(ebb__dec_constexpr(d, r, &e->exprs[i]));
  } else {
    if (!(e->funcs = ebb__calloc(n, sizeof *e->funcs))) return ebb__dec_nomem(d);
    e->count = n;
    for (uint32_t i = 0; i < n; i++) TRY(u32(d, r, &e->funcs[i]));
  }
  return 0;
}

static int element_section(ebb__dec *d, ebb__reader *r) {
  ebb__module *m = d->m;
  uint32_t n;
  TRY(ebb__dec_count(d, r, EBB__MAX_SEGMENTS, "element segments", &n));
  if (!(m->elems = ebb__calloc(n, sizeof *m->elems))) return ebb__dec_nomem(d);
  m->nelems = n;
  for (uint32_t i = 0; i < n; i++) TRY(elem(d, r, &m->elems[i]));
  return 0;
}

static int data_section(ebb__dec *d, ebb__reader *r) {
  ebb__module *m = d->m;
  uint32_t n, flags;
  uint32_t at = OFF(r);
  TRY(ebb__dec_count(d, r, EBB__MAX_SEGMENTS, "data segments", &n));
  if (m->has_datacount && n != m->datacount)
    return ebb__dec_fail(d, at, "data count and data section have inconsistent lengths");
  if (!(m->datas = ebb__calloc(n, sizeof *m->datas))) return ebb__dec_nomem(d);
  m->ndatas = n;
  d->has_datasec = true;
  for (uint32_t i = 0; i < n; i++) {
    ebb__data *ds = &m->datas[i];
    TRY(u32(d, r, &flags));
    if (flags > 2) return ebb__dec_fail(d, OFF(r) - 1, "malformed data segment kind");
    ds->mode = flags == 1 ? EBB__SEG_PASSIVE : EBB__SEG_ACTIVE;
    if (flags == 2) TRY(u32(d, r, &ds->mem));
    if (flags != 1) TRY(ebb__dec_constexpr(d, r, &ds->offset));
    TRY(ebb__dec_len(d, r, &ds->size));
    ds->start = OFF(r);
    r->p += ds->size;
  }
  return 0;
}

/* ---- Code (5.5.13) ---- */

/* Locals are kept as the runs the binary declares (module.h). The total,
** params included, is bounded per function in 64 bits, so that four billion
** declared locals are refused at once; each run costs the host 8 bytes and
** the binary at least 2, and adjacent runs of one type become one. */
static int locals(ebb__dec *d, ebb__reader *r, ebb__funcdef *f) {
  ebb__module *m = d->m;
  uint32_t n, count, at = OFF(r);
  ebb__valtype t;
  uint64_t nparams = f->type < m->ntypes ? m->types[f->type].nparams : 0;
  uint64_t total = nparams;
  TRY(ebb__dec_count(d, r, UINT32_MAX, "local entries", &n));
  f->first_run = m->nlocal_runs;
  for (uint32_t i = 0; i < n; i++) {
    TRY(u32(d, r, &count));
    total += count;
    if (total > EBB__MAX_LOCALS) return ebb__dec_fail(d, at, "too many locals");
    TRY(ebb__dec_valtype(d, r, &t));
    if (count == 0) continue;
    ebb__local_run *last = f->nruns ? &m->local_runs[m->nlocal_runs - 1] : NULL;
    if (last && last->type == t) {
      last->end = (uint32_t)(total - nparams);
      continue;
    }
    if (m->nlocal_runs == d->runs_cap &&
        ebb__vec_grow((void **)&m->local_runs, &d->runs_cap, m->nlocal_runs, 1,
                      sizeof *m->local_runs))
      return ebb__dec_nomem(d);
    m->local_runs[m->nlocal_runs++] = (ebb__local_run){(uint32_t)(total - nparams), t};
    f->nruns++;
  }
  f->nlocals = (uint32_t)(total - nparams);
  return 0;
}

static int code_section(ebb__dec *d, ebb__reader *r) {
  ebb__module *m = d->m;
  uint32_t n, size;
  uint32_t at = OFF(r);
  TRY(ebb__dec_count(d, r, EBB__MAX_FUNCS, "function bodies", &n));
  if (n != d->nfuncdefs)
    return ebb__dec_fail(d, at, "function and code section have inconsistent lengths");
  d->has_codesec = true;
  for (uint32_t i = 0; i < n; i++) {
    ebb__funcdef *f = &m->funcdefs[i];
    f->body_start = OFF(r);
    TRY(ebb__dec_len(d, r, &size));
    ebb__reader br;
    ebb__reader_init(&br, r->base, r->p, r->p + size);
    r->p += size;
    TRY(locals(d, &br, f));
    f->code_start = OFF(&br);
    f->code_end = f->code_start + (uint32_t)(br.end - br.p);
    /* Instructions are the validator's; only the final `end` is checked
    ** here, so that code_end means what it says. */
    if (f->code_start == f->code_end)
      return ebb__dec_fail(d, f->code_end, "unexpected end of section or function");
    if (br.end[-1] != 0x0B) return ebb__dec_fail(d, f->code_end - 1, "END opcode expected");
  }
  return 0;
}

int ebb__dec_section(ebb__dec *d, uint8_t id, ebb__reader *r) {
  ebb__module *m = d->m;
  switch (id) {
  case EBB__SEC_TYPE: return type_section(d, r);
  case EBB__SEC_IMPORT: return import_section(d, r);
  case EBB__SEC_FUNCTION: return function_section(d, r);
  case EBB__SEC_TABLE: return table_section(d, r);
  case EBB__SEC_MEMORY: return memory_section(d, r);
  case EBB__SEC_GLOBAL: return global_section(d, r);
  case EBB__SEC_EXPORT: return export_section(d, r);
  case EBB__SEC_START: m->has_start = true; return u32(d, r, &m->start);
  case EBB__SEC_ELEMENT: return element_section(d, r);
  case EBB__SEC_CODE: return code_section(d, r);
  case EBB__SEC_DATA: return data_section(d, r);
  case EBB__SEC_DATACOUNT: m->has_datacount = true; return u32(d, r, &m->datacount);
  default: return ebb__dec_fail(d, OFF(r), "malformed section id");
  }
}
