/*
** instance.c -- instantiation (spec 4.5.4): resolve and check imports,
** allocate functions, tables, memories and globals, evaluate element
** segments, apply active segments in order. The start function is a call
** like any other, made by the embedder or by ebb_instance_new (exec/call.c),
** so that it can be stopped and its outcome seen.
**
** A failed instantiation may already have written into imported tables and
** memories (those writes stay, as the spec says), and those tables may now
** hold this instance's functions: so the instance stays alive in the store
** even when instantiation fails, and is freed with the store.
*/
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/escape.h"
#include "base/report.h"
#include "rt/constexpr.h"
#include "rt/rt.h"

void ebb__instance_free(ebb_instance_t *inst) {
  if (!inst) return;
  ebb__store_refund(inst->store, inst->charged);
  if (inst->elems) {
    for (uint32_t i = 0; i < inst->module->desc->nelems; i++) ebb__free(inst->elems[i].refs);
  }
  ebb__free(inst->elems);
  ebb__free(inst->datas);
  ebb__free(inst->funcs);
  ebb__free(inst->tables);
  ebb__free(inst->mems);
  ebb__free(inst->globals);
  ebb__free(inst->type_ids);
  ebb__free(inst->own_funcs);
  ebb__module_release(inst->module);
  pthread_mutex_destroy(&inst->signal_lock);
  ebb__free(inst);
}

/* Take p out of a store vector; the newest objects are at the end. */
#define STORE_VEC_REMOVE(v, p)                                                       \
  do {                                                                               \
    for (size_t k_ = (v).len; k_-- > 0;)                                             \
      if ((v).data[k_] == (p)) {                                                     \
        (v).data[k_] = (v).data[--(v).len];                                          \
        break;                                                                       \
      }                                                                              \
  } while (0)

void ebb__instance_delete(ebb_instance_t *inst) {
  if (!inst) return;
  ebb_store_t *s = inst->store;
  const ebb__module *m = inst->module->desc;
  ebb__store_lock(s);
  STORE_VEC_REMOVE(s->instances, inst);
  for (uint32_t i = m->nimported_tables; inst->tables && i < m->ntables; i++) {
    STORE_VEC_REMOVE(s->tables, inst->tables[i]);
    ebb__table_free(inst->tables[i]);
  }
  for (uint32_t i = m->nimported_mems; inst->mems && i < m->nmems; i++) {
    STORE_VEC_REMOVE(s->memories, inst->mems[i]);
    ebb__memory_free(inst->mems[i]);
  }
  for (uint32_t i = m->nimported_globals; inst->globals && i < m->nglobals; i++) {
    STORE_VEC_REMOVE(s->globals, inst->globals[i]);
    ebb__global_free(s, inst->globals[i]);
  }
  ebb__store_unlock(s);
  ebb__instance_free(inst);
}

static bool is_ref(ebb__valtype t) { return t == EBB__FUNCREF || t == EBB__EXTERNREF; }

bool ebb__module_refs_confined(const ebb_module_t *module) {
  const ebb__module *m = module->desc;
  for (uint32_t i = 0; i < m->nimports; i++) {
    const ebb__import *im = &m->imports[i];
    if (im->kind == EBB_EXTERN_TABLE) return false;
    if (im->kind == EBB_EXTERN_GLOBAL && is_ref(im->as.global.type)) return false;
    if (im->kind == EBB_EXTERN_FUNC) {
      const ebb__functype *t = &m->types[im->as.func_type];
      for (uint32_t k = 0; k < t->nparams; k++)
        if (is_ref(t->types[k])) return false;
    }
  }
  return true;
}

static const char *kind_name(uint8_t kind) {
  static const char *names[] = {"function", "table", "memory", "global"};
  return kind < 4 ? names[kind] : "extern";
}

/* Limits subtyping (spec 4.5.2.x, "Limits"): the provided object's current
** size and maximum must fit inside the import's. */
static bool limits_match(uint64_t size, bool has_max, uint64_t max, const ebb__limits *want) {
  if (size < want->min) return false;
  if (!want->has_max) return true;
  return has_max && max <= want->max;
}

/* The store an external belongs to, or NULL for a NULL one. */
static ebb_store_t *extern_store(const ebb_extern_t *ext) {
  switch (ext->kind) {
  case EBB_EXTERN_FUNC: return ext->of.func ? ext->of.func->store : NULL;
  case EBB_EXTERN_TABLE: return ext->of.table ? ext->of.table->store : NULL;
  case EBB_EXTERN_MEMORY: return ext->of.memory ? ebb__memory_store(ext->of.memory) : NULL;
  case EBB_EXTERN_GLOBAL: return ext->of.global ? ext->of.global->store : NULL;
  }
  return NULL;
}

/* "import memory "env" "mem"", the names escaped (base/escape.h). */
static int import_error(ebb_error_t *err, const ebb__import *im, const char *fmt) {
  char mod[64], name[64];
  return ebb__report(err, EBB_EUNLINKABLE, fmt, kind_name(im->kind),
                     ebb__escape(mod, sizeof mod, im->module, im->module_len),
                     ebb__escape(name, sizeof name, im->name, im->name_len));
}

static int link_import(ebb_instance_t *inst, const ebb__import *im, const ebb_extern_t *ext,
                       ebb_error_t *err) {
  /* Objects of another store have another type set (ids mean nothing here),
  ** another memory account, and may be freed before this one. */
  if (ext->kind == (ebb_externkind_t)im->kind && extern_store(ext) &&
      extern_store(ext) != inst->store)
    return import_error(err, im, "import %s \"%s\" \"%s\" comes from another store");
  bool ok = ext->kind == (ebb_externkind_t)im->kind;
  if (ok) switch (im->kind) {
    case EBB_EXTERN_FUNC:
      ok = ext->of.func && ext->of.func->type_id == inst->type_ids[im->as.func_type];
      if (ok) inst->funcs[im->index] = ext->of.func;
      break;
    case EBB_EXTERN_TABLE: {
      const ebb_table_t *t = ext->of.table;
      ok = t && t->elem == im->as.table.elem &&
           limits_match(t->size, t->has_max, t->max, &im->as.table.limits);
      if (ok) inst->tables[im->index] = ext->of.table;
      break;
    }
    case EBB_EXTERN_MEMORY: {
      const ebb_memory_t *mem = ext->of.memory;
      ok = mem && mem->shared == im->as.mem.limits.shared &&
           limits_match(ebb_memory_size(mem) / EBB__PAGE_SIZE, mem->has_max, mem->max_pages,
                        &im->as.mem.limits);
      if (ok) inst->mems[im->index] = ext->of.memory;
      break;
    }
    case EBB_EXTERN_GLOBAL: {
      const ebb_global_t *g = ext->of.global;
      ok = g && g->type == im->as.global.type && g->mutable_ == im->as.global.mutable_;
      if (ok) inst->globals[im->index] = ext->of.global;
      break;
    }
    }
  if (!ok)
    return import_error(err, im, "incompatible import type for %s \"%s\" \"%s\"");
  return 0;
}

/* The bytes of an instance's own arrays (alloc_arrays), as charged to the
** store before they are allocated. */
static uint64_t arrays_bytes(const ebb__module *m) {
  uint64_t ndefs = m->nfuncs - m->nimported_funcs;
  return sizeof(ebb_instance_t) + ((uint64_t)m->nfuncs + 1) * sizeof(ebb_func_t *) +
         ((uint64_t)m->ntables + 1) * sizeof(ebb_table_t *) +
         ((uint64_t)m->nmems + 1) * sizeof(ebb_memory_t *) +
         ((uint64_t)m->nglobals + 1) * sizeof(ebb_global_t *) +
         ((uint64_t)m->ntypes + 1) * sizeof(uint32_t) + (ndefs + 1) * sizeof(ebb_func_t) +
         ((uint64_t)m->nelems + 1) * sizeof(ebb__elem_inst) +
         ((uint64_t)m->ndatas + 1) * sizeof(ebb__data_inst);
}

/* Charge the store for the instance's own memory, counted in inst->charged
** so that freeing the instance refunds exactly that. */
static int charge(ebb_instance_t *inst, uint64_t bytes, ebb_error_t *err, const char *what) {
  int rc = ebb__store_charge_for(inst->store, bytes, err, "%s", what);
  if (!rc) inst->charged += bytes;
  return rc;
}

static void refund(ebb_instance_t *inst, uint64_t bytes) {
  ebb__store_refund(inst->store, bytes);
  inst->charged -= bytes;
}

static int alloc_arrays(ebb_instance_t *inst, ebb_error_t *err) {
  const ebb__module *m = inst->module->desc;
  uint32_t ndefs = m->nfuncs - m->nimported_funcs;
  int rc = charge(inst, arrays_bytes(m), err, "an instance");
  if (rc) return rc;
  inst->funcs = ebb__calloc(m->nfuncs + 1, sizeof *inst->funcs);
  inst->tables = ebb__calloc(m->ntables + 1, sizeof *inst->tables);
  inst->mems = ebb__calloc(m->nmems + 1, sizeof *inst->mems);
  inst->globals = ebb__calloc(m->nglobals + 1, sizeof *inst->globals);
  inst->type_ids = ebb__calloc(m->ntypes + 1, sizeof *inst->type_ids);
  inst->own_funcs = ebb__calloc(ndefs + 1, sizeof *inst->own_funcs);
  inst->elems = ebb__calloc(m->nelems + 1, sizeof *inst->elems);
  inst->datas = ebb__calloc(m->ndatas + 1, sizeof *inst->datas);
  if (!inst->funcs || !inst->tables || !inst->mems || !inst->globals || !inst->type_ids ||
      !inst->own_funcs || !inst->elems || !inst->datas)
    return ebb__report(err, EBB_ENOMEM, "out of memory");
  return 0;
}

static int create_defined(ebb_instance_t *inst, ebb_error_t *err) {
  const ebb__module *m = inst->module->desc;
  ebb_store_t *s = inst->store;
  char what[32];
  for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++) {
    ebb_func_t *f = &inst->own_funcs[i - m->nimported_funcs];
    uint32_t type = m->func_types[i];
    f->type_id = inst->type_ids[type];
    f->type = ebb__store_type(s, f->type_id);
    f->store = s;
    f->inst = inst;
    atomic_init(&f->code, ebb__module_entry_code(inst->module, i - m->nimported_funcs));
    f->index = i;
    inst->funcs[i] = f;
  }
  for (uint32_t i = m->nimported_tables; i < m->ntables; i++) {
    snprintf(what, sizeof what, "table %u", i);
    int rc = ebb__table_create(s, &m->tables[i], what, &inst->tables[i], err);
    if (rc) return rc;
  }
  for (uint32_t i = m->nimported_mems; i < m->nmems; i++) {
    snprintf(what, sizeof what, "memory %u", i);
    int rc = ebb__memory_create(s, &m->mems[i], what, &inst->mems[i], err);
    if (rc) return rc;
  }
  inst->mem0 = m->nmems ? inst->mems[0] : NULL;
  for (uint32_t i = m->nimported_globals; i < m->nglobals; i++) {
    const ebb__global *gd = &m->globaldefs[i - m->nimported_globals];
    /* Charged as its descriptor; ebb__global_free refunds it. */
    int rc = ebb__store_charge_for(s, sizeof(ebb_global_t), err, "global %u", i);
    if (rc) return rc;
    ebb_global_t *g = ebb__calloc(1, sizeof *g);
    if (!g || ebb__vec_push(&s->globals, g)) {
      ebb__free(g);
      ebb__store_refund(s, sizeof(ebb_global_t));
      return ebb__report(err, EBB_ENOMEM, "out of memory");
    }
    g->store = s;
    g->type = gd->type.type;
    g->mutable_ = gd->type.mutable_;
    inst->globals[i] = g;
    if (ebb__eval_const2(inst, gd->init, &g->value, &g->value_hi))
      return ebb__report(err, EBB_EINVALID, "bad initializer for global %u", i);
  }
  return 0;
}

/* An element segment's references, charged while the instance holds them:
** until it is freed for a passive segment, until instantiation has applied
** them for the others (which are dropped then, spec 4.5.4). */
static uint64_t refs_bytes(uint32_t count) { return (uint64_t)(count ? count : 1) * sizeof(void *); }

static int eval_elems(ebb_instance_t *inst, ebb_error_t *err) {
  const ebb__module *m = inst->module->desc;
  for (uint32_t i = 0; i < m->nelems; i++) {
    const ebb__elem *e = &m->elems[i];
    ebb__elem_inst *ei = &inst->elems[i];
    int rc = ebb__store_charge_for(inst->store, refs_bytes(e->count), err, "element segment %u", i);
    if (rc) return rc;
    inst->charged += refs_bytes(e->count);
    ei->refs = ebb__calloc(e->count ? e->count : 1, sizeof *ei->refs);
    if (!ei->refs) return ebb__report(err, EBB_ENOMEM, "out of memory");
    ei->count = e->count;
    for (uint32_t k = 0; k < e->count; k++) {
      if (e->funcs) {
        ei->refs[k] = inst->funcs[e->funcs[k]];
      } else {
        uint64_t v;
        if (ebb__eval_const(inst, e->exprs[k], &v))
          return ebb__report(err, EBB_EINVALID, "bad expression in element segment %u", i);
        ei->refs[k] = (void *)(uintptr_t)v;
      }
    }
  }
  for (uint32_t i = 0; i < m->ndatas; i++) {
    inst->datas[i].bytes = m->bytes + m->datas[i].start;
    inst->datas[i].size = m->datas[i].size;
  }
  return 0;
}

/* Active segments behave as table.init / memory.init followed by a drop;
** declarative element segments are dropped at once (spec 4.5.4 steps 14-15). */
static int apply_segments(ebb_instance_t *inst, ebb_error_t *err) {
  const ebb__module *m = inst->module->desc;
  for (uint32_t i = 0; i < m->nelems; i++) {
    const ebb__elem *e = &m->elems[i];
    ebb__elem_inst *ei = &inst->elems[i];
    if (e->mode == EBB__SEG_ACTIVE) {
      uint64_t off;
      if (ebb__eval_const(inst, e->offset, &off))
        return ebb__report(err, EBB_EINVALID, "bad offset of element segment %u", i);
      ebb_table_t *t = inst->tables[e->table];
      uint64_t d = (uint32_t)off;
      if (d + ei->count > t->size)
        return ebb__report(err, EBB_ETRAP, "out of bounds table access (element segment %u)", i);
      if (ei->count) memcpy(t->elems + d, ei->refs, ei->count * sizeof(void *));
    }
    if (e->mode != EBB__SEG_PASSIVE) {
      /* Dropped: nothing can read the references again. */
      ebb__free(ei->refs);
      ei->refs = NULL;
      ei->count = 0;
      refund(inst, refs_bytes(e->count));
    }
  }
  for (uint32_t i = 0; i < m->ndatas; i++) {
    const ebb__data *d = &m->datas[i];
    if (d->mode != EBB__SEG_ACTIVE) continue;
    uint64_t off;
    if (ebb__eval_const(inst, d->offset, &off))
      return ebb__report(err, EBB_EINVALID, "bad offset of data segment %u", i);
    ebb_memory_t *mem = inst->mems[d->mem];
    uint64_t a = (uint32_t)off;
    if (a + d->size > ebb_memory_size(mem))
      return ebb__report(err, EBB_ETRAP, "out of bounds memory access (data segment %u)", i);
    if (d->size) {
      ebb__memory_prefault(mem, a, d->size);
      memcpy(mem->data + a, m->bytes + d->start, d->size);
    }
    inst->datas[i].size = 0;
  }
  return 0;
}

/* Resolve imports, make the instance's own objects, evaluate its element
** segments: nothing outside the instance can refer to it yet. */
static int prepare(ebb_instance_t *inst, ebb_resolver_fn resolve, void *resolve_data,
                   ebb_error_t *err) {
  ebb_store_t *s = inst->store;
  const ebb__module *m = inst->module->desc;
  int rc = alloc_arrays(inst, err);
  if (rc) return rc;
  for (uint32_t i = 0; i < m->ntypes; i++) {
    int64_t id = ebb__store_intern_type(s, &m->types[i]);
    if (id == EBB_ELIMIT)
      return ebb__report(err, EBB_ELIMIT,
                         "type %u: the store's limit of %llu bytes is reached (max_store_bytes)",
                         i, (unsigned long long)s->limits.max_store_bytes);
    if (id < 0) return ebb__report(err, EBB_ENOMEM, "out of memory");
    inst->type_ids[i] = (uint32_t)id;
  }
  for (uint32_t i = 0; i < m->nimports; i++) {
    const ebb__import *im = &m->imports[i];
    ebb_extern_t ext;
    memset(&ext, 0, sizeof ext);
    if (!resolve || resolve(resolve_data, im->module, im->name, (ebb_externkind_t)im->kind, &ext))
      return import_error(err, im, "unknown import: %s \"%s\" \"%s\"");
    if ((rc = link_import(inst, im, &ext, err))) return rc;
  }
  rc = create_defined(inst, err);
  if (!rc) rc = eval_elems(inst, err);
  return rc;
}

/* Everything but the start function, under the store lock: threads of one
** program instantiate concurrently (wasi-threads). An instance that fails
** before its segments are applied is freed at once, since nothing can refer
** to it: instantiations refused again and again (a guest's thread-spawn
** beyond the store's budget) do not pile up in the store. */
static int instantiate(ebb_store_t *s, const ebb_module_t *module, ebb_resolver_fn resolve,
                       void *resolve_data, ebb_instance_t **out, ebb_error_t *err) {
  ebb_instance_t *inst = ebb__calloc(1, sizeof *inst);
  if (!inst) return ebb__report(err, EBB_ENOMEM, "out of memory");
  pthread_mutex_init(&inst->signal_lock, NULL);
  inst->store = s;
  inst->module = (ebb_module_t *)module;
  ebb__module_retain(inst->module);
  if (ebb__vec_push(&s->instances, inst)) {
    ebb__instance_free(inst);
    return ebb__report(err, EBB_ENOMEM, "out of memory");
  }
  int rc = prepare(inst, resolve, resolve_data, err);
  if (!rc) rc = ebb__signals_setup(inst, err);
  if (rc) {
    ebb__instance_delete(inst);
    return rc;
  }
  rc = apply_segments(inst, err);
  if (!rc) *out = inst;
  return rc;
}

int ebb_instance_create(ebb_store_t *s, const ebb_module_t *module, ebb_resolver_fn resolve,
                        void *resolve_data, ebb_instance_t **out, ebb_error_t *err) {
  if (!out) return ebb__report(err, EBB_EARG, "no place for the instance");
  *out = NULL;
  if (!s || !module) return ebb__report(err, EBB_EARG, "no store or module");
  ebb__store_lock(s);
  int rc = instantiate(s, module, resolve, resolve_data, out, err);
  ebb__store_unlock(s);
  return rc;
}

ebb_func_t *ebb_instance_start_func(const ebb_instance_t *inst) {
  const ebb__module *m = inst ? inst->module->desc : NULL;
  return m && m->has_start ? inst->funcs[m->start] : NULL;
}

int ebb_instance_export(const ebb_instance_t *inst, const char *name, ebb_extern_t *out) {
  return ebb_instance_export_n(inst, name, strlen(name), out);
}

int ebb_instance_export_n(const ebb_instance_t *inst, const char *name, size_t len,
                          ebb_extern_t *out) {
  const ebb__module *m = inst->module->desc;
  for (uint32_t i = 0; i < m->nexports; i++)
    if (m->exports[i].name_len == len && memcmp(m->exports[i].name, name, len) == 0) {
      ebb_instance_export_at(inst, i, out);
      return 0;
    }
  return EBB_ENOTFOUND;
}

uint32_t ebb_instance_export_count(const ebb_instance_t *inst) {
  return inst->module->desc->nexports;
}

const char *ebb_instance_export_at(const ebb_instance_t *inst, uint32_t i, ebb_extern_t *out) {
  const ebb__module *m = inst->module->desc;
  if (i >= m->nexports) return NULL;
  const ebb__export *e = &m->exports[i];
  out->kind = (ebb_externkind_t)e->kind;
  switch (e->kind) {
  case EBB_EXTERN_FUNC: out->of.func = inst->funcs[e->index]; break;
  case EBB_EXTERN_TABLE: out->of.table = inst->tables[e->index]; break;
  case EBB_EXTERN_MEMORY: out->of.memory = inst->mems[e->index]; break;
  default: out->of.global = inst->globals[e->index]; break;
  }
  return e->name;
}
