/*
** valid_module.c -- module-level rules (spec 3.2 "Types", 3.4 "Modules"),
** plus the threads proposal's shared memories, and the driver that hands each
** body to valid_func.c.
**
** Order matters in one place: ref.func in a body may only name functions that
** are "declared" (spec 3.4.10, C.refs: named by an element segment, an export
** or a constant expression), so globals, exports and segments are checked, and
** mark those functions, before any body.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/escape.h"
#include "base/alloc.h"
#include "base/parallel.h"
#include "base/report.h"
#include "valid/valid.h"
#include "valid/vctx.h"

enum {
  SEC_TYPE = 1,
  SEC_IMPORT,
  SEC_FUNC,
  SEC_TABLE,
  SEC_MEM,
  SEC_GLOBAL,
  SEC_EXPORT,
  SEC_START,
  SEC_ELEM,
  SEC_CODE,
  SEC_DATA,
  SEC_DATACOUNT
};

static const char *const section_names[] = {"custom", "type",   "import",    "function", "table",
                                            "memory", "global", "export",    "start",    "element",
                                            "code",   "data",   "data count"};

/* Writes "section N (name) @0xOFF: " into buf, the prefix of every
** module-level message. */
static void where(char *buf, size_t n, const ebb__module *m, unsigned sec) {
  uint32_t off = sec < 13 ? m->section_offsets[sec] : 0;
  if (off)
    snprintf(buf, n, "section %u (%s) @0x%x", sec, section_names[sec], off);
  else
    snprintf(buf, n, "section %u (%s)", sec, section_names[sec]);
}

static int fail(ebb__vctx *v, unsigned sec, const char *fmt, ...) EBB__PRINTF(3, 4);
static int fail(ebb__vctx *v, unsigned sec, const char *fmt, ...) {
  char pre[64], detail[192];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(detail, sizeof detail, fmt, ap);
  va_end(ap);
  where(pre, sizeof pre, v->m, sec);
  return ebb__report(v->err, EBB_EINVALID, "%s: %s", pre, detail);
}

/* Memory limits are in 64 KiB pages; 65536 pages is the whole 32-bit space. */
static int check_mem(ebb__vctx *v, unsigned sec, uint32_t i, const ebb__limits *l) {
  if (l->min > 65536 || (l->has_max && l->max > 65536))
    return fail(v, sec, "memory %u: memory size must be at most 65536 pages (4GiB)", i);
  if (l->has_max && l->min > l->max)
    return fail(v, sec, "memory %u: size minimum must not be greater than maximum", i);
  /* Threads: a shared memory's size must be fixed in advance, because it is
  ** reserved once and never moves while other threads use it. */
  if (l->shared && !l->has_max)
    return fail(v, sec, "memory %u: shared memory must have maximum", i);
  return 0;
}

static int check_table(ebb__vctx *v, unsigned sec, uint32_t i, const ebb__tabletype *t) {
  const ebb__limits *l = &t->limits;
  if (!ebb__is_reftype(t->elem)) return fail(v, sec, "table %u: malformed reference type", i);
  if (l->min > UINT32_MAX || (l->has_max && l->max > UINT32_MAX))
    return fail(v, sec, "table %u: table size must be at most 2^32-1", i);
  if (l->has_max && l->min > l->max)
    return fail(v, sec, "table %u: size minimum must not be greater than maximum", i);
  if (l->shared) return fail(v, sec, "table %u: tables cannot be shared", i);
  return 0;
}

/* Types, imports, function declarations, tables, memories. */
static int check_declarations(ebb__vctx *v) {
  const ebb__module *m = v->m;
  for (uint32_t i = 0; i < m->nfuncs; i++)
    if (m->func_types[i] >= m->ntypes)
      return fail(v, i < m->nimported_funcs ? SEC_IMPORT : SEC_FUNC, "function %u: unknown type %u",
                  i, m->func_types[i]);
  for (uint32_t i = 0; i < m->ntables; i++) {
    int rc = check_table(v, i < m->nimported_tables ? SEC_IMPORT : SEC_TABLE, i, &m->tables[i]);
    if (rc) return rc;
  }
  if (m->nmems > 1)
    return fail(v, m->nimported_mems > 1 ? SEC_IMPORT : SEC_MEM, "multiple memories (%u)",
                m->nmems);
  for (uint32_t i = 0; i < m->nmems; i++) {
    int rc = check_mem(v, i < m->nimported_mems ? SEC_IMPORT : SEC_MEM, i, &m->mems[i].limits);
    if (rc) return rc;
  }
  return 0;
}

static int check_globals(ebb__vctx *v) {
  const ebb__module *m = v->m;
  char pre[96];
  for (uint32_t i = m->nimported_globals; i < m->nglobals; i++) {
    const ebb__global *g = &m->globaldefs[i - m->nimported_globals];
    where(pre, sizeof pre, m, SEC_GLOBAL);
    snprintf(pre + strlen(pre), sizeof pre - strlen(pre), ": global %u", i);
    int rc = ebb__valid_const(v, &g->init, g->type.type, pre);
    if (rc) return rc;
  }
  return 0;
}

static int cmp_export(const void *a, const void *b) {
  const ebb__export *x = *(const ebb__export *const *)a, *y = *(const ebb__export *const *)b;
  uint32_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
  int c = memcmp(x->name, y->name, n);
  if (c) return c;
  return (x->name_len > y->name_len) - (x->name_len < y->name_len);
}

static int check_exports(ebb__vctx *v) {
  const ebb__module *m = v->m;
  static const char *const kinds[] = {"function", "table", "memory", "global"};
  for (uint32_t i = 0; i < m->nexports; i++) {
    const ebb__export *e = &m->exports[i];
    uint32_t limit = e->kind == EBB_EXTERN_FUNC     ? m->nfuncs
                     : e->kind == EBB_EXTERN_TABLE  ? m->ntables
                     : e->kind == EBB_EXTERN_MEMORY ? m->nmems
                     : e->kind == EBB_EXTERN_GLOBAL ? m->nglobals
                                                    : 0;
    if (e->kind > EBB_EXTERN_GLOBAL)
      return fail(v, SEC_EXPORT, "export %u: malformed export kind", i);
    char name[64];
    if (e->index >= limit)
      return fail(v, SEC_EXPORT, "export \"%s\": unknown %s %u",
                  ebb__escape(name, sizeof name, e->name, e->name_len), kinds[e->kind], e->index);
    if (e->kind == EBB_EXTERN_FUNC) ebb__declare(v, e->index);
  }
  if (m->nexports < 2) return 0;
  /* Sorting finds duplicates in O(n log n) with one allocation. */
  const ebb__export **sorted = ebb__malloc(m->nexports * sizeof *sorted);
  if (!sorted) return ebb__report(v->err, EBB_ENOMEM, "out of memory validating exports");
  for (uint32_t i = 0; i < m->nexports; i++) sorted[i] = &m->exports[i];
  qsort(sorted, m->nexports, sizeof *sorted, cmp_export);
  int rc = 0;
  char name[64];
  for (uint32_t i = 1; i < m->nexports && !rc; i++)
    if (cmp_export(&sorted[i - 1], &sorted[i]) == 0)
      rc = fail(v, SEC_EXPORT, "duplicate export name \"%s\"",
                ebb__escape(name, sizeof name, sorted[i]->name, sorted[i]->name_len));
  ebb__free(sorted);
  return rc;
}

static int check_start(ebb__vctx *v) {
  const ebb__module *m = v->m;
  if (!m->has_start) return 0;
  if (m->start >= m->nfuncs) return fail(v, SEC_START, "unknown function %u", m->start);
  const ebb__functype *ft = &m->types[m->func_types[m->start]];
  if (ft->nparams || ft->nresults)
    return fail(v, SEC_START, "start function %u must have type [] -> []", m->start);
  return 0;
}

static int check_elems(ebb__vctx *v) {
  const ebb__module *m = v->m;
  char pre[96];
  for (uint32_t i = 0; i < m->nelems; i++) {
    const ebb__elem *e = &m->elems[i];
    where(pre, sizeof pre, m, SEC_ELEM);
    snprintf(pre + strlen(pre), sizeof pre - strlen(pre), ": segment %u", i);
    if (!ebb__is_reftype(e->type))
      return ebb__report(v->err, EBB_EMALFORMED, "%s: malformed reference type", pre);
    if (e->mode == EBB__SEG_ACTIVE) {
      if (e->table >= m->ntables)
        return ebb__report(v->err, EBB_EINVALID, "%s: unknown table %u", pre, e->table);
      if (m->tables[e->table].elem != e->type)
        return ebb__report(v->err, EBB_EINVALID, "%s: type mismatch: %s segment for %s table %u",
                           pre, ebb__valtype_name(e->type),
                           ebb__valtype_name(m->tables[e->table].elem), e->table);
      int rc = ebb__valid_const(v, &e->offset, EBB__I32, pre);
      if (rc) return rc;
    }
    if (e->funcs) {
      if (e->type != EBB__FUNCREF)
        return ebb__report(v->err, EBB_EINVALID,
                           "%s: type mismatch: function indices in a %s segment", pre,
                           ebb__valtype_name(e->type));
      for (uint32_t j = 0; j < e->count; j++) {
        if (e->funcs[j] >= m->nfuncs)
          return ebb__report(v->err, EBB_EINVALID, "%s: unknown function %u", pre, e->funcs[j]);
        ebb__declare(v, e->funcs[j]);
      }
    } else {
      for (uint32_t j = 0; j < e->count; j++) {
        int rc = ebb__valid_const(v, &e->exprs[j], e->type, pre);
        if (rc) return rc;
      }
    }
  }
  return 0;
}

static int check_datas(ebb__vctx *v) {
  const ebb__module *m = v->m;
  char pre[96];
  /* The decoder should have caught this; memory.init and data.drop trust
  ** datacount, so make sure. */
  if (m->has_datacount && m->datacount != m->ndatas)
    return ebb__report(v->err, EBB_EMALFORMED,
                       "data count and data section have inconsistent lengths (%u, %u)",
                       m->datacount, m->ndatas);
  for (uint32_t i = 0; i < m->ndatas; i++) {
    const ebb__data *d = &m->datas[i];
    if (d->mode != EBB__SEG_ACTIVE) continue;
    where(pre, sizeof pre, m, SEC_DATA);
    snprintf(pre + strlen(pre), sizeof pre - strlen(pre), ": segment %u", i);
    if (d->mem >= m->nmems)
      return ebb__report(v->err, EBB_EINVALID, "%s: unknown memory %u", pre, d->mem);
    int rc = ebb__valid_const(v, &d->offset, EBB__I32, pre);
    if (rc) return rc;
  }
  return 0;
}

/* ---- Function bodies, on several cores for a large module ---------------- */

/* Bodies are validated independently (each reads only the module and the
** set of declared functions), each worker with stacks and a report of its
** own; the error is the lowest failing body's, as in order. */
typedef struct bodies {
  ebb__vctx v[EBB__MAX_WORKERS];
  ebb_error_t err[EBB__MAX_WORKERS];
} bodies;

static int validate_body(void *ctx, unsigned worker, uint32_t i) {
  ebb__vctx *v = &((bodies *)ctx)->v[worker];
  return ebb__valid_func(v, v->m->nimported_funcs + i);
}

static int check_bodies(const ebb__vctx *module_v, ebb_error_t *err) {
  const ebb__module *m = module_v->m;
  uint32_t n = m->nfuncs - m->nimported_funcs;
  size_t bytes = 0;
  for (uint32_t i = 0; i < n; i++) bytes += m->funcdefs[i].code_end - m->funcdefs[i].code_start;
  bodies *b = ebb__calloc(1, sizeof *b);
  if (!b) return ebb__report(err, EBB_ENOMEM, "out of memory validating module");
  for (unsigned w = 0; w < EBB__MAX_WORKERS; w++) {
    b->v[w].m = m;
    b->v[w].declared = module_v->declared;
    b->v[w].err = &b->err[w];
  }
  uint32_t failed;
  unsigned worker;
  int rc = ebb__par_run(n, ebb__par_workers(bytes), validate_body, b, &failed, &worker);
  if (rc) *err = b->err[worker];
  for (unsigned w = 0; w < EBB__MAX_WORKERS; w++) {
    ebb__vec_free(&b->v[w].vals);
    ebb__vec_free(&b->v[w].ctrls);
    ebb__vec_free(&b->v[w].local_types);
  }
  ebb__free(b);
  return rc;
}

int ebb__validate(const ebb__module *m, ebb_error_t *err) {
  ebb__vctx v;
  /* Errors go to a private record first, so that a malformed body found by
  ** the scan below can replace an invalid one found earlier. */
  ebb_error_t mine;
  ebb__report_clear(&mine);
  memset(&v, 0, sizeof v);
  v.m = m;
  v.err = &mine;
  v.declared = ebb__calloc((size_t)m->nfuncs / 8 + 1, 1);
  if (!v.declared) return ebb__report(err, EBB_ENOMEM, "out of memory validating module");
  int rc = check_declarations(&v);
  if (!rc) rc = check_globals(&v);
  if (!rc) rc = check_exports(&v);
  if (!rc) rc = check_start(&v);
  if (!rc) rc = check_elems(&v);
  if (!rc) rc = check_datas(&v);
  if (!rc) rc = check_bodies(&v, &mine);
  if (rc == EBB_EINVALID) {
    ebb_error_t first = mine;
    ebb__report_clear(&mine);
    int scan = ebb__valid_scan(&v);
    if (scan == 0)
      mine = first;
    else
      rc = scan;
  }
  ebb__vec_free(&v.vals);
  ebb__vec_free(&v.local_types);
  ebb__vec_free(&v.ctrls);
  ebb__free(v.declared);
  if (rc) ebb__report(err, rc, "%s", mine.message);
  return rc;
}
