/*
** decode.c -- the module structure (spec 5.5): header, the section sequence
** and its order, the checks that span sections, and freeing. Section
** contents are in sections.c, custom sections and names in names.c.
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/alloc.h"
#include "decode/decode_int.h"
#include "decode/instr.h"

#define TRY(x)                                                                                     \
  do {                                                                                             \
    int rc_ = (x);                                                                                 \
    if (rc_) return rc_;                                                                           \
  } while (0)

static const char *const section_names[13] = {"custom", "type",   "import",   "function", "table",
                                              "memory", "global", "export",   "start",    "element",
                                              "code",   "data",   "datacount"};

/* Position of each id in the required order; the data count section sits
** between element and code (spec 5.5.2). Custom sections (0) go anywhere. */
static const uint8_t section_rank[13] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10};

int ebb__dec_fail(ebb__dec *d, uint32_t off, const char *fmt, ...) {
  char why[160];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, sizeof why, fmt, ap);
  va_end(ap);
  if (d->sec < 0)
    return ebb__report(d->err, EBB_EMALFORMED, "%s@0x%x: %s", d->sec == -1 ? "header " : "",
                       (unsigned)off, why);
  return ebb__report(d->err, EBB_EMALFORMED, "section %u (%s) @0x%x: %s", (unsigned)d->sec,
                     section_names[d->sec], (unsigned)off, why);
}

int ebb__dec_rfail(ebb__dec *d, const ebb__reader *r) {
  const char *why = r->why ? r->why : "malformed";
  /* Running out while reading an item (of a section, a body, a custom
  ** section's name) is what the reference interpreter calls the end of a
  ** section or function; "unexpected end" stays for the header. */
  if (d->sec >= 0 && strcmp(why, "unexpected end") == 0)
    why = "unexpected end of section or function";
  return ebb__dec_fail(d, ebb__reader_offset(r), "%s", why);
}

int ebb__dec_nomem(ebb__dec *d) {
  if (d->sec >= 0)
    return ebb__report(d->err, EBB_ENOMEM, "section %u (%s): out of memory", (unsigned)d->sec,
                       section_names[d->sec]);
  return ebb__report(d->err, EBB_ENOMEM, "out of memory");
}

int ebb__dec_count(ebb__dec *d, ebb__reader *r, uint32_t max, const char *what, uint32_t *n) {
  const uint8_t *p0 = r->p;
  if (ebb__read_u32(r, n)) return ebb__dec_rfail(d, r);
  /* Like the reference interpreter, measure from the count itself, so a
  ** count one too large reads on and reports the end of the section. */
  uint32_t off = (uint32_t)(p0 - r->base);
  if (*n > (uint64_t)(r->end - p0)) return ebb__dec_fail(d, off, "length out of bounds");
  if (*n > max)
    return ebb__dec_fail(d, off, "too many %s (%u, limit %u)", what, (unsigned)*n, (unsigned)max);
  return 0;
}

int ebb__dec_len(ebb__dec *d, ebb__reader *r, uint32_t *n) {
  const uint8_t *p0 = r->p;
  if (ebb__read_u32(r, n)) return ebb__dec_rfail(d, r);
  if (*n > (uint64_t)(r->end - p0))
    return ebb__dec_fail(d, (uint32_t)(p0 - r->base), "length out of bounds");
  if (*n > (uint64_t)(r->end - r->p))
    return ebb__dec_fail(d, (uint32_t)(r->end - r->base), "unexpected end of section or function");
  return 0;
}

/* Type bytes are formally one-byte signed LEB128s (s7), hence the message
** for a continuation bit. */
int ebb__dec_typebyte(ebb__dec *d, ebb__reader *r, bool (*ok)(uint8_t), const char *what,
                      uint8_t *out) {
  if (ebb__read_u8(r, out)) return ebb__dec_rfail(d, r);
  if (ok(*out)) return 0;
  return ebb__dec_fail(d, ebb__reader_offset(r) - 1, "%s",
                       *out & 0x80 ? "integer representation too long" : what);
}

const char *ebb__valtype_name(ebb__valtype t) {
  switch (t) {
  case EBB__I32: return "i32";
  case EBB__I64: return "i64";
  case EBB__F32: return "f32";
  case EBB__F64: return "f64";
  case EBB__V128: return "v128";
  case EBB__FUNCREF: return "funcref";
  case EBB__EXTERNREF: return "externref";
  case 0: return "nothing"; /* the validator's unknown type */
  default: return "?";
  }
}

int ebb__dec_valtype(ebb__dec *d, ebb__reader *r, ebb__valtype *out) {
  return ebb__dec_typebyte(d, r, ebb__is_valtype, "malformed value type", out);
}

int ebb__dec_reftype(ebb__dec *d, ebb__reader *r, ebb__valtype *out) {
  return ebb__dec_typebyte(d, r, ebb__is_reftype, "malformed reference type", out);
}

int ebb__dec_constexpr(ebb__dec *d, ebb__reader *r, ebb__constexpr *out) {
  /* Structured instructions are not constant, but they are well-formed:
  ** follow their nesting so the validator, not the decoder, rejects them. */
  uint32_t depth = 0;
  out->start = ebb__reader_offset(r);
  for (;;) {
    ebb__instr in;
    if (ebb__read_instr(r, &in)) return ebb__dec_rfail(d, r);
    if (in.op == EBB_OP_BLOCK || in.op == EBB_OP_LOOP || in.op == EBB_OP_IF) {
      depth++;
    } else if (in.op == EBB_OP_END) {
      if (depth == 0) break;
      depth--;
    }
  }
  out->end = ebb__reader_offset(r);
  return 0;
}

/* Index spaces whose section is absent still hold the imports. */
static int finish_spaces(ebb__dec *d) {
  ebb__module *m = d->m;
  if (!m->func_types) {
    m->func_types = ebb__calloc(m->nimported_funcs, sizeof *m->func_types);
    if (!m->func_types) return ebb__dec_nomem(d);
    m->nfuncs = m->nimported_funcs;
  }
  if (!m->tables) {
    m->tables = ebb__calloc(m->nimported_tables, sizeof *m->tables);
    if (!m->tables) return ebb__dec_nomem(d);
    m->ntables = m->nimported_tables;
  }
  if (!m->mems) {
    m->mems = ebb__calloc(m->nimported_mems, sizeof *m->mems);
    if (!m->mems) return ebb__dec_nomem(d);
    m->nmems = m->nimported_mems;
  }
  if (!m->global_types) {
    m->global_types = ebb__calloc(m->nimported_globals, sizeof *m->global_types);
    if (!m->global_types) return ebb__dec_nomem(d);
    m->nglobals = m->nimported_globals;
  }
  for (uint32_t i = 0; i < m->nimports; i++) {
    const ebb__import *im = &m->imports[i];
    switch (im->kind) {
    case EBB_EXTERN_FUNC: m->func_types[im->index] = im->as.func_type; break;
    case EBB_EXTERN_TABLE: m->tables[im->index] = im->as.table; break;
    case EBB_EXTERN_MEMORY: m->mems[im->index] = im->as.mem; break;
    default: m->global_types[im->index] = im->as.global; break;
    }
  }
  return 0;
}

/* Rules that span sections, checked once all are read (spec 5.5.16). */
static int finish(ebb__dec *d) {
  ebb__module *m = d->m;
  if (d->nfuncdefs != 0 && !d->has_codesec) {
    d->sec = EBB__SEC_FUNCTION;
    return ebb__dec_fail(d, m->section_offsets[EBB__SEC_FUNCTION],
                         "function and code section have inconsistent lengths");
  }
  if (m->has_datacount && !d->has_datasec && m->datacount != 0) {
    d->sec = EBB__SEC_DATACOUNT;
    return ebb__dec_fail(d, m->section_offsets[EBB__SEC_DATACOUNT],
                         "data count and data section have inconsistent lengths");
  }
  d->sec = -2;
  TRY(finish_spaces(d));
  return ebb__dec_names(d);
}

static int decode_module(ebb__dec *d) {
  ebb__module *m = d->m;
  ebb__reader r;
  const uint8_t *b;
  uint8_t last_rank = 0;

  ebb__reader_init(&r, m->bytes, m->bytes, m->bytes + m->size);
  d->sec = -1;
  if (ebb__read_bytes(&r, 4, &b)) return ebb__dec_fail(d, 0, "unexpected end");
  if (memcmp(b, "\0asm", 4) != 0) return ebb__dec_fail(d, 0, "magic header not detected");
  if (ebb__read_bytes(&r, 4, &b)) return ebb__dec_fail(d, 4, "unexpected end");
  if (memcmp(b, "\1\0\0\0", 4) != 0) return ebb__dec_fail(d, 4, "unknown binary version");

  while (!ebb__reader_eof(&r)) {
    uint32_t start = ebb__reader_offset(&r), size;
    uint8_t id;
    d->sec = -2;
    (void)ebb__read_u8(&r, &id);
    if (id > EBB__SEC_DATACOUNT) return ebb__dec_fail(d, start, "malformed section id");
    d->sec = id;
    const uint8_t *p0 = r.p;
    if (ebb__read_u32(&r, &size)) return ebb__dec_fail(d, ebb__reader_offset(&r), "%s", r.why);
    if (size > (uint64_t)(r.end - r.p))
      return ebb__dec_fail(d, (uint32_t)(p0 - r.base), "length out of bounds");
    if (id != EBB__SEC_CUSTOM) {
      /* A repeated or misplaced section: the reference interpreter reads
      ** sections in order and trips over this one as trailing content. */
      if (section_rank[id] <= last_rank)
        return ebb__dec_fail(d, start, "unexpected content after last section");
      last_rank = section_rank[id];
    }
    if (!m->section_offsets[id]) m->section_offsets[id] = start;

    /* A custom section's reader stops at its end. The others may read on
    ** to the end of the binary, as the reference interpreter does, and the
    ** size is checked afterwards: an item cut by the section's end then
    ** gets the same message as in other runtimes ("integer representation
    ** too long", "length out of bounds"), and nothing is lost, since any
    ** mismatch is an error anyway. */
    ebb__reader sr;
    const uint8_t *end = r.p + size;
    ebb__reader_init(&sr, r.base, r.p, id == EBB__SEC_CUSTOM ? end : r.end);
    TRY(id == EBB__SEC_CUSTOM ? ebb__dec_custom(d, &sr) : ebb__dec_section(d, id, &sr));
    if (sr.p != end) return ebb__dec_fail(d, (uint32_t)(end - r.base), "section size mismatch");
    r.p = end;
  }
  return finish(d);
}

uint8_t *ebb__module_bytes_alloc(size_t size) {
  return ebb__module_bytes_huge(size) ? ebb__malloc_huge(size) : ebb__malloc(size ? size : 1);
}

void ebb__module_bytes_free(uint8_t *bytes, size_t size) {
  if (ebb__module_bytes_huge(size)) ebb__free_huge(bytes, size);
  else ebb__free(bytes);
}

/* Nothing reads a custom section's payload after decoding (the name section
** is decoded into func_names), and a big module's debug sections can be
** megabytes: give their whole pages back. Only huge-page blocks are
** ebb's own mappings; a malloc'd block's pages are the allocator's. */
static void release_customs(ebb__module *m) {
  if (!ebb__module_bytes_huge(m->size)) return;
  long page = sysconf(_SC_PAGESIZE);
  if (page <= 0) return;
  for (uint32_t i = 0; i < m->ncustoms; i++) {
    uintptr_t lo = (uintptr_t)m->bytes + m->customs[i].start;
    uintptr_t hi = lo + m->customs[i].size;
    lo = (lo + (uintptr_t)page - 1) & ~(uintptr_t)(page - 1);
    hi &= ~(uintptr_t)(page - 1);
    if (hi > lo) madvise((void *)lo, hi - lo, MADV_DONTNEED);
  }
}

int ebb__decode_owned(uint8_t *bytes, size_t size, ebb__module **out, ebb_error_t *err) {
  *out = NULL;
  /* Offsets are 32-bit throughout the module description. */
  if (size > UINT32_MAX) {
    ebb__module_bytes_free(bytes, size);
    return ebb__report(err, EBB_EMALFORMED, "module too large (%zu bytes)", size);
  }
  ebb__module *m = ebb__calloc(1, sizeof *m);
  if (!m) {
    ebb__module_bytes_free(bytes, size);
    return ebb__report(err, EBB_ENOMEM, "out of memory");
  }
  m->bytes = bytes;
  m->size = size;

  ebb__dec d;
  memset(&d, 0, sizeof d);
  d.m = m;
  d.err = err;
  int rc = decode_module(&d);
  if (rc) {
    ebb__module_free(m);
    return rc;
  }
  release_customs(m);
  *out = m;
  return 0;
}

int ebb__decode(const uint8_t *bytes, size_t size, ebb__module **out, ebb_error_t *err) {
  *out = NULL;
  if (size > UINT32_MAX)
    return ebb__report(err, EBB_EMALFORMED, "module too large (%zu bytes)", size);
  uint8_t *copy = ebb__module_bytes_alloc(size);
  if (!copy) return ebb__report(err, EBB_ENOMEM, "out of memory");
  if (size) memcpy(copy, bytes, size);
  return ebb__decode_owned(copy, size, out, err);
}

void ebb__module_free(ebb__module *m) {
  if (!m) return;
  for (uint32_t i = 0; i < m->ntypes; i++) ebb__free(m->types[i].types);
  ebb__free(m->types);
  for (uint32_t i = 0; i < m->nimports; i++) {
    ebb__free(m->imports[i].module);
    ebb__free(m->imports[i].name);
  }
  ebb__free(m->imports);
  ebb__free(m->funcdefs);
  ebb__free(m->local_runs);
  ebb__free(m->func_types);
  ebb__free(m->tables);
  ebb__free(m->mems);
  ebb__free(m->global_types);
  ebb__free(m->globaldefs);
  for (uint32_t i = 0; i < m->nexports; i++) ebb__free(m->exports[i].name);
  ebb__free(m->exports);
  for (uint32_t i = 0; i < m->nelems; i++) {
    ebb__free(m->elems[i].funcs);
    ebb__free(m->elems[i].exprs);
  }
  ebb__free(m->elems);
  ebb__free(m->datas);
  for (uint32_t i = 0; i < m->ncustoms; i++) ebb__free(m->customs[i].name);
  ebb__free(m->customs);
  ebb__free(m->name);
  if (m->func_names)
    for (uint32_t i = 0; i < m->nfuncs; i++) ebb__free(m->func_names[i]);
  ebb__free(m->func_names);
  ebb__module_bytes_free(m->bytes, m->size);
  ebb__free(m);
}

const char *ebb__module_func_name(const ebb__module *m, uint32_t funcidx) {
  if (!m || !m->func_names || funcidx >= m->nfuncs) return NULL;
  return m->func_names[funcidx];
}
