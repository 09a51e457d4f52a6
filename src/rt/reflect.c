/*
** reflect.c -- the types of a module's imports and exports and of live
** objects, as ebb_extern_desc_t (ebb.h, "Reflection and host access"). The
** standard C API's *_type_t reflection is built on these.
*/
#include <string.h>

#include "rt/rt.h"

static void describe_func(const ebb__functype *ft, ebb_extern_desc_t *out) {
  out->nparams = ft->nparams;
  out->nresults = ft->nresults;
  out->types = ft->types;
}

static void describe_limits(const ebb__limits *l, ebb_extern_desc_t *out) {
  out->min = l->min;
  out->max = l->max;
  out->has_max = l->has_max;
  out->shared = l->shared;
}

/* Entry `index` of the module's `kind` index space. */
static void describe_space(const ebb__module *m, uint8_t kind, uint32_t index,
                           ebb_extern_desc_t *out) {
  out->kind = (ebb_externkind_t)kind;
  switch (kind) {
  case EBB_EXTERN_FUNC: describe_func(&m->types[m->func_types[index]], out); break;
  case EBB_EXTERN_TABLE:
    out->valkind = (ebb_valkind_t)m->tables[index].elem;
    describe_limits(&m->tables[index].limits, out);
    break;
  case EBB_EXTERN_MEMORY: describe_limits(&m->mems[index].limits, out); break;
  default:
    out->valkind = (ebb_valkind_t)m->global_types[index].type;
    out->mutable_ = m->global_types[index].mutable_;
    break;
  }
}

uint32_t ebb_module_export_count(const ebb_module_t *m) { return m->desc->nexports; }

int ebb_module_import_desc(const ebb_module_t *m, uint32_t i, ebb_extern_desc_t *out) {
  if (i >= m->desc->nimports) return EBB_ENOTFOUND;
  const ebb__import *im = &m->desc->imports[i];
  memset(out, 0, sizeof *out);
  describe_space(m->desc, im->kind, im->index, out);
  out->module = im->module;
  out->module_len = im->module_len;
  out->name = im->name;
  out->name_len = im->name_len;
  return 0;
}

int ebb_module_export_desc(const ebb_module_t *m, uint32_t i, ebb_extern_desc_t *out) {
  if (i >= m->desc->nexports) return EBB_ENOTFOUND;
  const ebb__export *ex = &m->desc->exports[i];
  memset(out, 0, sizeof *out);
  describe_space(m->desc, ex->kind, ex->index, out);
  out->name = ex->name;
  out->name_len = ex->name_len;
  return 0;
}

int ebb_extern_describe(const ebb_extern_t *ext, ebb_extern_desc_t *out) {
  if (!ext || !out || !ext->of.func) return EBB_EARG;
  memset(out, 0, sizeof *out);
  out->kind = ext->kind;
  switch (ext->kind) {
  case EBB_EXTERN_FUNC: describe_func(ext->of.func->type, out); return 0;
  case EBB_EXTERN_TABLE: {
    const ebb_table_t *t = ext->of.table;
    out->valkind = (ebb_valkind_t)t->elem;
    out->min = t->size;
    out->max = t->has_max ? t->max : 0;
    out->has_max = t->has_max;
    return 0;
  }
  case EBB_EXTERN_MEMORY: {
    const ebb_memory_t *mem = ext->of.memory;
    out->min = ebb_memory_size(mem) / EBB__PAGE_SIZE;
    out->max = mem->has_max ? mem->max_pages : 0;
    out->has_max = mem->has_max;
    out->shared = mem->shared;
    return 0;
  }
  case EBB_EXTERN_GLOBAL:
    out->valkind = (ebb_valkind_t)ext->of.global->type;
    out->mutable_ = ext->of.global->mutable_;
    return 0;
  }
  return EBB_EARG;
}
