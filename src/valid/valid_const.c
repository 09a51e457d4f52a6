/*
** valid_const.c -- constant expressions (spec 3.3.10 "Constant Expressions").
**
** WebAssembly 2.0 allows exactly: t.const (v128.const too), ref.null, ref.func and global.get
** of an immutable global; and every constant expression (global initialisers
** as well as element and data offsets) sees only the imported globals
** (spec 3.4.10: the context C'), so a module-defined global is "unknown".
** Since none of those instructions pops, the stack is just a count and the
** type on top: no allocation.
*/
#include "base/report.h"
#include "decode/instr.h"
#include "valid/vctx.h"

int ebb__valid_const(ebb__vctx *v, const ebb__constexpr *e, ebb__valtype want, const char *where) {
  const ebb__module *m = v->m;
  ebb__reader r;
  ebb__reader_init(&r, m->bytes, m->bytes + e->start, m->bytes + e->end);
  uint32_t n = 0;
  ebb__valtype top = EBB__UNKNOWN;
  ebb__instr in;
  for (;;) {
    if (ebb__read_instr(&r, &in))
      return ebb__report(v->err, EBB_EMALFORMED, "%s @0x%x: %s", where, ebb__reader_offset(&r),
                         r.why ? r.why : "malformed instruction");
    const char *name = ebb__opinfo_get(in.op)->name;
    ebb__valtype t = EBB__UNKNOWN;
    switch (in.op) {
    case EBB_OP_END: goto done;
    case EBB_OP_I32_CONST: t = EBB__I32; break;
    case EBB_OP_I64_CONST: t = EBB__I64; break;
    case EBB_OP_F32_CONST: t = EBB__F32; break;
    case EBB_OP_F64_CONST: t = EBB__F64; break;
    case EBB_OP_V128_CONST: t = EBB__V128; break;
    case EBB_OP_REF_NULL:
      t = in.imm.reftype;
      if (!ebb__is_reftype(t))
        return ebb__report(v->err, EBB_EMALFORMED, "%s @0x%x: malformed reference type", where,
                           in.offset);
      break;
    case EBB_OP_REF_FUNC:
      if (in.imm.index >= m->nfuncs)
        return ebb__report(v->err, EBB_EINVALID, "%s @0x%x: unknown function %u in ref.func", where,
                           in.offset, in.imm.index);
      /* Naming a function here is what lets bodies use ref.func on it. */
      ebb__declare(v, in.imm.index);
      t = EBB__FUNCREF;
      break;
    case EBB_OP_GLOBAL_GET:
      if (in.imm.index >= m->nimported_globals)
        return ebb__report(v->err, EBB_EINVALID, "%s @0x%x: unknown global %u in global.get", where,
                           in.offset, in.imm.index);
      /* A mutable global could change between instantiations' reads. */
      if (m->global_types[in.imm.index].mutable_)
        return ebb__report(v->err, EBB_EINVALID,
                           "%s @0x%x: constant expression required (global %u is mutable)", where,
                           in.offset, in.imm.index);
      t = m->global_types[in.imm.index].type;
      break;
    default:
      return ebb__report(v->err, EBB_EINVALID, "%s @0x%x: constant expression required, not %s",
                         where, in.offset, name ? name : "this instruction");
    }
    n++;
    top = t;
  }
done:
  if (r.p != r.end)
    return ebb__report(v->err, EBB_EMALFORMED, "%s @0x%x: section size mismatch after end", where,
                       ebb__reader_offset(&r));
  if (n != 1 || top != want) {
    if (n == 1)
      return ebb__report(v->err, EBB_EINVALID, "%s @0x%x: type mismatch: expected %s, got %s",
                         where, in.offset, ebb__valtype_name(want), ebb__valtype_name(top));
    return ebb__report(v->err, EBB_EINVALID,
                       "%s @0x%x: type mismatch: expected one %s, got %u values", where, in.offset,
                       ebb__valtype_name(want), n);
  }
  return 0;
}
