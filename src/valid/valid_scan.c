/*
** valid_scan.c -- telling malformed from invalid.
**
** The spec decodes the whole module before validating any of it, so a module
** that is both invalid and malformed is malformed. ebb validates bodies while
** decoding them, so when validation fails, this decode-only pass looks at all
** bodies for an encoding error that a full decode would have met first. It
** runs only on that error path, and is one linear pass.
*/
#include "base/report.h"
#include "decode/instr.h"
#include "valid/vctx.h"

/* Kinds of open blocks on the scan's stack: only an if may take an else. */
enum { K_BLOCK = 1, K_IF, K_ELSE };

static int scan_body(ebb__vctx *v, uint32_t funcidx) {
  const ebb__module *m = v->m;
  const ebb__funcdef *d = &m->funcdefs[funcidx - m->nimported_funcs];
  ebb__reader r;
  ebb__instr in;
  /* The operand stack is free now: reuse it as the stack of block kinds. */
  v->vals.len = 0;
  if (ebb__vec_push(&v->vals, K_BLOCK)) return ebb__report(v->err, EBB_ENOMEM, "out of memory");
  ebb__reader_init(&r, m->bytes, m->bytes + d->code_start, m->bytes + d->code_end);
  while (v->vals.len > 0) {
    uint32_t at = ebb__reader_offset(&r);
    uint8_t *top = &v->vals.data[v->vals.len - 1];
    if (ebb__reader_eof(&r))
      return ebb__report(v->err, EBB_EMALFORMED, "func %u @0x%x: END opcode expected", funcidx, at);
    if (ebb__read_instr(&r, &in))
      return ebb__report(v->err, EBB_EMALFORMED, "func %u @0x%x: %s", funcidx, at,
                         r.why ? r.why : "malformed instruction");
    switch (in.op) {
    case EBB_OP_BLOCK:
    case EBB_OP_LOOP:
    case EBB_OP_IF:
      if (ebb__vec_push(&v->vals, in.op == EBB_OP_IF ? K_IF : K_BLOCK))
        return ebb__report(v->err, EBB_ENOMEM, "out of memory");
      break;
    case EBB_OP_ELSE:
      if (*top != K_IF)
        return ebb__report(v->err, EBB_EMALFORMED, "func %u @0x%x: else without matching if",
                           funcidx, at);
      *top = K_ELSE;
      break;
    case EBB_OP_END: v->vals.len--; break;
    case EBB_OP_MEMORY_INIT:
    case EBB_OP_DATA_DROP:
      if (!m->has_datacount && m->ndatas > 0)
        return ebb__report(v->err, EBB_EMALFORMED, "func %u @0x%x: data count section required",
                           funcidx, at);
      break;
    default: break;
    }
  }
  if (!ebb__reader_eof(&r))
    return ebb__report(v->err, EBB_EMALFORMED,
                       "func %u @0x%x: section size mismatch: code after the function's end",
                       funcidx, ebb__reader_offset(&r));
  return 0;
}

int ebb__valid_scan(ebb__vctx *v) {
  for (uint32_t i = v->m->nimported_funcs; i < v->m->nfuncs; i++) {
    int rc = scan_body(v, i);
    if (rc) return rc;
  }
  return 0;
}
