/*
** slots.c -- where a function's parameters and declared locals live in its
** frame. A v128 takes two slots, so with v128 values the local index and
** the slot differ. Locals stay in their runs (decode/module.h): the map is
** one entry per parameter and one per run, never one per declared local,
** so a body declaring 50,000 locals in three bytes costs nothing extra to
** compile. Functions without v128 keep the identity map and no arrays.
*/
#include "base/alloc.h"
#include "compile/emit.h"

/* The second slots of the v128 declared locals of fd. */
static uint32_t v128_locals(const ebb__module *m, const ebb__funcdef *fd) {
  /* A module without declared locals has no run array at all (NULL). */
  const ebb__local_run *runs = fd->nruns ? m->local_runs + fd->first_run : NULL;
  uint32_t extra = 0;
  for (uint32_t r = 0; r < fd->nruns; r++)
    if (runs[r].type == EBB__V128) extra += runs[r].end - (r ? runs[r - 1].end : 0);
  return extra;
}

void ebb__code_stub(const ebb__module *m, uint32_t defidx, ebb__code_func *out) {
  const ebb__funcdef *fd = &m->funcdefs[defidx];
  const ebb__functype *ft = &m->types[fd->type];
  out->code = (uint32_t *)ebb__lazy_body(); /* never written through */
  out->ncode = 1;
  out->nparams = ebb__slot_count(EBB__PARAMS(ft), ft->nparams);
  out->nresults = ebb__slot_count(EBB__RESULTS(ft), ft->nresults);
  out->nlocals = fd->nlocals + v128_locals(m, fd);
  uint32_t locals_end = out->nparams + out->nlocals;
  out->frame_size = locals_end > out->nresults ? locals_end : out->nresults;
  out->type = fd->type;
}

int ebb__locals_layout(ebb__compiler *c, const ebb__functype *ft) {
  const ebb__funcdef *fd = c->def;
  const ebb__local_run *runs = fd->nruns ? c->m->local_runs + fd->first_run : NULL;
  uint32_t extra = v128_locals(c->m, fd);
  c->param_slots = ebb__slot_count(EBB__PARAMS(ft), ft->nparams);
  c->local_slots = fd->nlocals + extra;
  c->nlocals_total = c->param_slots + c->local_slots;
  if (c->param_slots == ft->nparams && extra == 0) return 0;
  c->param_slot = ebb__calloc((size_t)ft->nparams + 1, sizeof *c->param_slot);
  c->run_extra = ebb__calloc((size_t)fd->nruns + 1, sizeof *c->run_extra);
  if (!c->param_slot || !c->run_extra) return EBB_ENOMEM;
  uint32_t s = 0;
  for (uint32_t i = 0; i < ft->nparams; i++) {
    c->param_slot[i] = s;
    s += ebb__slot_width(EBB__PARAMS(ft)[i]);
  }
  extra = 0;
  for (uint32_t r = 0; r < fd->nruns; r++) {
    c->run_extra[r] = extra;
    if (runs[r].type == EBB__V128) extra += runs[r].end - (r ? runs[r - 1].end : 0);
  }
  return 0;
}

uint32_t ebb__local_slot(const ebb__compiler *c, uint32_t x) {
  if (!c->param_slot) return x;
  if (x < c->nparams) return c->param_slot[x];
  const ebb__funcdef *fd = c->def;
  const ebb__local_run *runs = c->m->local_runs + fd->first_run;
  uint32_t d = x - c->nparams; /* declared-local index */
  uint32_t lo = 0, hi = fd->nruns - 1;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (runs[mid].end > d) hi = mid;
    else lo = mid + 1;
  }
  uint32_t start = lo ? runs[lo - 1].end : 0;
  uint32_t slot = c->param_slots + d + c->run_extra[lo];
  if (runs[lo].type == EBB__V128) slot += d - start;
  return slot;
}

void ebb__locals_free(ebb__compiler *c) {
  ebb__free(c->param_slot);
  ebb__free(c->run_extra);
  c->param_slot = c->run_extra = NULL;
}
