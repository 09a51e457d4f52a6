/*
** dispatch.c -- the first cell of each internal op, as the interpreter wants
** it: an offset from its base label (computed goto) or the op number (its
** switch build). Only the interpreter knows the offsets, so exec/interp.c
** publishes its table here when the library is loaded, and the compiler
** reads it: the dependency points down, from exec to compile. A program
** that never links the interpreter cannot run code, so the op numbers it
** gets before any table is published are never executed.
*/
#include <stdatomic.h>

#include "compile/code.h"

static const int32_t op_numbers[EBB_IOP_COUNT_] = {
#define EBB__IOP_X(name) [EBB_IOP_##name] = EBB_IOP_##name,
    EBB__IOP_EACH
#undef EBB__IOP_X
};

static const int32_t *_Atomic published;

/* The one-cell body every function not yet compiled runs (EBB_IOP_LAZY).
** Written once, by the publication at load time, before any thread runs. */
static uint32_t lazy_body[1] = {EBB_IOP_LAZY};

void ebb__dispatch_publish(const int32_t *table) {
  lazy_body[0] = (uint32_t)table[EBB_IOP_LAZY];
  atomic_store_explicit(&published, table, memory_order_release);
}

const int32_t *ebb__dispatch_table(void) {
  const int32_t *t = atomic_load_explicit(&published, memory_order_acquire);
  return t ? t : op_numbers;
}

const uint32_t *ebb__lazy_body(void) { return lazy_body; }
