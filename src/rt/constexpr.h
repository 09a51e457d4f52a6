#ifndef EBB_RT_CONSTEXPR_H
#define EBB_RT_CONSTEXPR_H

#include "rt/rt.h"

/* Evaluate a validated constant expression in an instance whose imported
** globals (and earlier globals) and functions are set. Returns 0 or -1. */
int ebb__eval_const(const ebb_instance_t *inst, ebb__constexpr e, uint64_t *out);
/* The same, with a v128's high half in *out_hi (0 for other types). */
int ebb__eval_const2(const ebb_instance_t *inst, ebb__constexpr e, uint64_t *out,
                     uint64_t *out_hi);

#endif
