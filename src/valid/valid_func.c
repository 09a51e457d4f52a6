/*
** valid_func.c -- function bodies: the driver over a body's instructions and
** the rules for everything except control (valid_control.c).
**
** Instructions with a fixed type take it from the SIG column of opcodes.h and
** only get their index and alignment checks here; the irregular ones
** (variables, calls, select, references, tables) are typed by hand.
*/
#include "base/report.h"
#include "valid/vstack.h"

static ebb__valtype sig_type(char c) {
  switch (c) {
  case 'i': return EBB__I32;
  case 'I': return EBB__I64;
  case 'f': return EBB__F32;
  case 'V': return EBB__V128;
  default: return EBB__F64; /* 'F' */
  }
}

/* Applies "params:results" from opcodes.h: pop params right to left, push
** results. */
static int apply_sig(ebb__vfn *f, const char *sig) {
  const char *colon = sig;
  while (*colon != ':') colon++;
  for (const char *p = colon; p > sig;) {
    int rc = ebb__vpop(f, sig_type(*--p), NULL);
    if (rc) return rc;
  }
  for (const char *p = colon + 1; *p; p++) {
    int rc = ebb__vpush(f, sig_type(*p));
    if (rc) return rc;
  }
  return 0;
}

static int need_mem(ebb__vfn *f, uint32_t mem) {
  if (mem >= f->v->m->nmems) return ebb__vbad(f, EBB_EINVALID, "unknown memory %u", mem);
  return 0;
}

static int need_table(ebb__vfn *f, uint32_t t) {
  if (t >= f->v->m->ntables) return ebb__vbad(f, EBB_EINVALID, "unknown table %u", t);
  return 0;
}

static int need_elem(ebb__vfn *f, uint32_t e) {
  if (e >= f->v->m->nelems) return ebb__vbad(f, EBB_EINVALID, "unknown elem segment %u", e);
  return 0;
}

/* Data indices in bodies are checked against the data count section, which
** exists so that single-pass validators need not wait for the data section
** (spec 5.5.16): using them without it is malformed when the module has data
** segments, and merely an unknown index when it has none (the suite's
** memory_init.wast and binary.wast expect exactly that). */
static int need_data(ebb__vfn *f, uint32_t d) {
  const ebb__module *m = f->v->m;
  uint32_t n = m->has_datacount ? m->datacount : 0;
  if (!m->has_datacount && m->ndatas > 0)
    return ebb__vbad(f, EBB_EMALFORMED, "data count section required");
  if (d >= n) return ebb__vbad(f, EBB_EINVALID, "unknown data segment %u", d);
  return 0;
}

/* Memory 0 must exist; alignment may be at most natural, and for atomics
** (threads proposal) exactly natural, since they must not tear. */
static int check_memarg(ebb__vfn *f, const ebb__opinfo *oi) {
  int rc = need_mem(f, 0);
  if (rc) return rc;
  uint32_t natural = 0;
  while ((1u << natural) < oi->size) natural++;
  uint32_t align = f->in.imm.memarg.align;
  bool atomic = f->in.op >= 0x200 && f->in.op < 0x400;
  if (atomic && align != natural)
    return ebb__vbad(f, EBB_EINVALID, "alignment must be equal to natural alignment (%u)",
                     1u << natural);
  if (align > natural)
    return ebb__vbad(f, EBB_EINVALID, "alignment must not be larger than natural (%u)",
                     1u << natural);
  return 0;
}

static int local_type(ebb__vfn *f, ebb__valtype *t) {
  uint32_t x = f->in.imm.index;
  if (x >= f->nlocals) return ebb__vbad(f, EBB_EINVALID, "unknown local %u", x);
  if (f->local_types) *t = f->local_types[x];
  else *t = x < f->nparams ? f->params[x] : ebb__local_type(f->v->m, f->def, x - f->nparams);
  return 0;
}

/* Each local's type in one array, when that costs no more than reading the
** body does: a lookup per local.get/set/tee is then an index, not a search
** of the runs. A body declaring thousands of locals in a few bytes keeps
** the search (listing them would cost more than the body is worth). */
static void list_locals(ebb__vfn *f, uint32_t body_bytes) {
  ebb__vctx *v = f->v;
  f->local_types = NULL;
  if (f->nlocals > 256 + body_bytes) return;
  v->local_types.len = 0;
  if (ebb__vec_reserve(&v->local_types, f->nlocals ? f->nlocals : 1)) return;
  ebb__valtype *lt = v->local_types.data;
  for (uint32_t i = 0; i < f->nparams; i++) lt[i] = f->params[i];
  const ebb__local_run *runs = f->def->nruns ? v->m->local_runs + f->def->first_run : NULL;
  uint32_t x = f->nparams;
  for (uint32_t r = 0; r < f->def->nruns; r++)
    for (uint32_t end = f->nparams + runs[r].end; x < end; x++) lt[x] = runs[r].type;
  f->local_types = lt;
}

static int variable(ebb__vfn *f) {
  const ebb__module *m = f->v->m;
  uint32_t x = f->in.imm.index;
  ebb__valtype t = EBB__UNKNOWN;
  int rc;
  switch (f->in.op) {
  case EBB_OP_LOCAL_GET:
    if ((rc = local_type(f, &t))) return rc;
    return ebb__vpush(f, t);
  case EBB_OP_LOCAL_SET:
    if ((rc = local_type(f, &t))) return rc;
    return ebb__vpop(f, t, NULL);
  case EBB_OP_LOCAL_TEE:
    if ((rc = local_type(f, &t))) return rc;
    if ((rc = ebb__vpop(f, t, NULL))) return rc;
    return ebb__vpush(f, t);
  case EBB_OP_GLOBAL_GET:
    if (x >= m->nglobals) return ebb__vbad(f, EBB_EINVALID, "unknown global %u", x);
    return ebb__vpush(f, m->global_types[x].type);
  default: /* EBB_OP_GLOBAL_SET */
    if (x >= m->nglobals) return ebb__vbad(f, EBB_EINVALID, "unknown global %u", x);
    if (!m->global_types[x].mutable_)
      return ebb__vbad(f, EBB_EINVALID, "global is immutable: global %u", x);
    return ebb__vpop(f, m->global_types[x].type, NULL);
  }
}

static int call(ebb__vfn *f) {
  const ebb__module *m = f->v->m;
  const ebb__functype *ft;
  int rc;
  if (f->in.op == EBB_OP_CALL) {
    uint32_t x = f->in.imm.index;
    if (x >= m->nfuncs) return ebb__vbad(f, EBB_EINVALID, "unknown function %u", x);
    ft = &m->types[m->func_types[x]];
  } else {
    uint32_t x = f->in.imm.call_indirect.type, t = f->in.imm.call_indirect.table;
    if ((rc = need_table(f, t))) return rc;
    if (m->tables[t].elem != EBB__FUNCREF)
      return ebb__vbad(f, EBB_EINVALID, "type mismatch: table %u is not a funcref table", t);
    if (x >= m->ntypes) return ebb__vbad(f, EBB_EINVALID, "unknown type %u", x);
    ft = &m->types[x];
    if ((rc = ebb__vpop(f, EBB__I32, NULL))) return rc;
  }
  if ((rc = ebb__vpop_n(f, EBB__PARAMS(ft), ft->nparams))) return rc;
  return ebb__vpush_n(f, EBB__RESULTS(ft), ft->nresults);
}

/* Untyped select only chooses between numbers (and vectors): a reference
** operand needs select_t, so that its type never has to be guessed. */
static int select_(ebb__vfn *f) {
  ebb__valtype t1 = EBB__UNKNOWN, t2 = EBB__UNKNOWN;
  int rc;
  if (f->in.op == EBB_OP_SELECT_T) {
    if (f->in.imm.select_t.count != 1)
      return ebb__vbad(f, EBB_EINVALID, "invalid result arity %u", f->in.imm.select_t.count);
    t1 = f->in.imm.select_t.type;
    if ((rc = ebb__vpop(f, EBB__I32, NULL))) return rc;
    if ((rc = ebb__vpop(f, t1, NULL))) return rc;
    if ((rc = ebb__vpop(f, t1, NULL))) return rc;
    return ebb__vpush(f, t1);
  }
  if ((rc = ebb__vpop(f, EBB__I32, NULL))) return rc;
  if ((rc = ebb__vpop(f, EBB__UNKNOWN, &t1))) return rc;
  if ((rc = ebb__vpop(f, EBB__UNKNOWN, &t2))) return rc;
  if (ebb__is_reftype(t1) || ebb__is_reftype(t2))
    return ebb__vbad(f, EBB_EINVALID, "type mismatch: select without type on %s",
                     ebb__valtype_name(ebb__is_reftype(t1) ? t1 : t2));
  if (t1 != t2 && t1 != EBB__UNKNOWN && t2 != EBB__UNKNOWN) return ebb__vmismatch(f, t1, t2);
  return ebb__vpush(f, t1 == EBB__UNKNOWN ? t2 : t1);
}

static int reference(ebb__vfn *f) {
  const ebb__module *m = f->v->m;
  ebb__valtype t = EBB__UNKNOWN;
  int rc;
  switch (f->in.op) {
  case EBB_OP_REF_NULL:
    if (!ebb__is_reftype(f->in.imm.reftype))
      return ebb__vbad(f, EBB_EMALFORMED, "malformed reference type");
    return ebb__vpush(f, f->in.imm.reftype);
  case EBB_OP_REF_IS_NULL:
    if ((rc = ebb__vpop(f, EBB__UNKNOWN, &t))) return rc;
    if (t != EBB__UNKNOWN && !ebb__is_reftype(t))
      return ebb__vbad(f, EBB_EINVALID, "type mismatch: expected a reference, got %s",
                       ebb__valtype_name(t));
    return ebb__vpush(f, EBB__I32);
  default: { /* EBB_OP_REF_FUNC */
    uint32_t x = f->in.imm.index;
    if (x >= m->nfuncs) return ebb__vbad(f, EBB_EINVALID, "unknown function %u", x);
    /* Only functions the module names outside bodies may become references,
    ** so an engine knows them all before compiling (spec 3.4.10, C.refs). */
    if (!ebb__declared(f->v, x))
      return ebb__vbad(f, EBB_EINVALID, "undeclared function reference %u", x);
    return ebb__vpush(f, EBB__FUNCREF);
  }
  }
}

/* table.get/set/grow/fill: typed by the table's element type. */
static int table(ebb__vfn *f) {
  uint32_t x = f->in.imm.index;
  int rc = need_table(f, x);
  if (rc) return rc;
  ebb__valtype t = f->v->m->tables[x].elem;
  switch (f->in.op) {
  case EBB_OP_TABLE_GET:
    if ((rc = ebb__vpop(f, EBB__I32, NULL))) return rc;
    return ebb__vpush(f, t);
  case EBB_OP_TABLE_SET:
    if ((rc = ebb__vpop(f, t, NULL))) return rc;
    return ebb__vpop(f, EBB__I32, NULL);
  case EBB_OP_TABLE_GROW:
    if ((rc = ebb__vpop(f, EBB__I32, NULL))) return rc;
    if ((rc = ebb__vpop(f, t, NULL))) return rc;
    return ebb__vpush(f, EBB__I32);
  default: /* EBB_OP_TABLE_FILL */
    if ((rc = ebb__vpop(f, EBB__I32, NULL))) return rc;
    if ((rc = ebb__vpop(f, t, NULL))) return rc;
    return ebb__vpop(f, EBB__I32, NULL);
  }
}

/* Index and alignment checks of the instructions that have a SIG. */
static int immediates(ebb__vfn *f, const ebb__opinfo *oi) {
  const ebb__module *m = f->v->m;
  uint32_t a = f->in.imm.pair.a, b = f->in.imm.pair.b;
  int rc;
  switch (oi->imm) {
  case EBB_IMM_MEMARG: return check_memarg(f, oi);
  case EBB_IMM_MEMARG_LANE:
    if ((rc = check_memarg(f, oi))) return rc;
    return ebb__valid_lanes(f, oi);
  case EBB_IMM_LANE:
  case EBB_IMM_SHUFFLE: return ebb__valid_lanes(f, oi);
  case EBB_IMM_MEMIDX: return need_mem(f, 0);
  case EBB_IMM_MEM_MEM:
    if ((rc = need_mem(f, a))) return rc;
    return need_mem(f, b);
  case EBB_IMM_DATA_MEM:
    if ((rc = need_mem(f, b))) return rc;
    return need_data(f, a);
  case EBB_IMM_DATA: return need_data(f, f->in.imm.index);
  case EBB_IMM_ELEM: return need_elem(f, f->in.imm.index);
  case EBB_IMM_TABLE: return need_table(f, f->in.imm.index); /* table.size */
  case EBB_IMM_ELEM_TABLE:                                   /* table.init elem table */
    if ((rc = need_table(f, b)) || (rc = need_elem(f, a))) return rc;
    if (m->elems[a].type != m->tables[b].elem)
      return ebb__vbad(f, EBB_EINVALID, "type mismatch: %s segment %u, %s table %u",
                       ebb__valtype_name(m->elems[a].type), a, ebb__valtype_name(m->tables[b].elem),
                       b);
    return 0;
  case EBB_IMM_TABLE_TABLE: /* table.copy dst src */
    if ((rc = need_table(f, a)) || (rc = need_table(f, b))) return rc;
    if (m->tables[a].elem != m->tables[b].elem)
      return ebb__vbad(f, EBB_EINVALID, "type mismatch: copying %s table %u into %s table %u",
                       ebb__valtype_name(m->tables[b].elem), b,
                       ebb__valtype_name(m->tables[a].elem), a);
    return 0;
  default: return 0;
  }
}

static int step(ebb__vfn *f) {
  const ebb__opinfo *oi = ebb__opinfo_get(f->in.op);
  int rc;
  if (oi->sig) {
    if (oi->imm != EBB_IMM_NONE && (rc = immediates(f, oi))) return rc;
    return apply_sig(f, oi->sig);
  }
  switch (f->in.op) {
  case EBB_OP_UNREACHABLE: ebb__vunreachable(f); return 0;
  case EBB_OP_BLOCK:
  case EBB_OP_LOOP:
  case EBB_OP_IF:
  case EBB_OP_ELSE:
  case EBB_OP_END:
  case EBB_OP_BR:
  case EBB_OP_BR_IF:
  case EBB_OP_BR_TABLE:
  case EBB_OP_RETURN: return ebb__vcontrol(f);
  case EBB_OP_CALL:
  case EBB_OP_CALL_INDIRECT: return call(f);
  case EBB_OP_DROP: return ebb__vpop(f, EBB__UNKNOWN, NULL);
  case EBB_OP_SELECT:
  case EBB_OP_SELECT_T: return select_(f);
  case EBB_OP_LOCAL_GET:
  case EBB_OP_LOCAL_SET:
  case EBB_OP_LOCAL_TEE:
  case EBB_OP_GLOBAL_GET:
  case EBB_OP_GLOBAL_SET: return variable(f);
  case EBB_OP_REF_NULL:
  case EBB_OP_REF_IS_NULL:
  case EBB_OP_REF_FUNC: return reference(f);
  case EBB_OP_TABLE_GET:
  case EBB_OP_TABLE_SET:
  case EBB_OP_TABLE_GROW:
  case EBB_OP_TABLE_FILL: return table(f);
  default:
    /* Listed in opcodes.h but not typed here (e.g. SIMD before its rules). */
    return ebb__vbad(f, EBB_EMALFORMED, "illegal opcode");
  }
}

int ebb__valid_func(ebb__vctx *v, uint32_t funcidx) {
  const ebb__module *m = v->m;
  const ebb__funcdef *d = &m->funcdefs[funcidx - m->nimported_funcs];
  const ebb__functype *ft = &m->types[d->type];
  ebb__vfn f = {.v = v,
                .funcidx = funcidx,
                .params = EBB__PARAMS(ft),
                .nparams = ft->nparams,
                .def = d};
  ebb__reader r;
  int rc;
  f.nlocals = ft->nparams + d->nlocals; /* both bounded by the decoder */
  list_locals(&f, d->code_end - d->code_start);
  f.in.op = EBB_OP_BLOCK;
  f.in.offset = d->code_start;
  v->vals.len = v->ctrls.len = 0;
  if ((rc = ebb__vpush_ctrl(&f, EBB_OP_BLOCK, NULL, 0, EBB__RESULTS(ft), ft->nresults))) return rc;
  ebb__reader_init(&r, m->bytes, m->bytes + d->code_start, m->bytes + d->code_end);
  while (v->ctrls.len > 0) {
    if (ebb__reader_eof(&r)) {
      f.in.offset = ebb__reader_offset(&r);
      return ebb__report(v->err, EBB_EMALFORMED, "func %u @0x%x: END opcode expected", funcidx,
                         f.in.offset);
    }
    uint32_t at = ebb__reader_offset(&r);
    if (ebb__read_instr(&r, &f.in))
      return ebb__report(v->err, EBB_EMALFORMED, "func %u @0x%x: %s", funcidx, at,
                         r.why ? r.why : "malformed instruction");
    if ((rc = step(&f))) return rc;
  }
  if (!ebb__reader_eof(&r))
    return ebb__report(v->err, EBB_EMALFORMED,
                       "func %u @0x%x: section size mismatch: code after the function's end",
                       funcidx, ebb__reader_offset(&r));
  return 0;
}
