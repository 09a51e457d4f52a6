/*
** wasix_context.h -- WASIX's context functions (module "wasix_32v1"):
** context_create, context_switch, context_destroy (wasix_context.c).
*/
#ifndef EBB_WASI_WASIX_CONTEXT_H
#define EBB_WASI_WASIX_CONTEXT_H

#include "ebb.h"

#define EBB__WASIX_NFUNCS 3

/* Resolve `name` of module "wasix_32v1" to one of them, made in `store` on
** first use and kept in cache[EBB__WASIX_NFUNCS]. 0, EBB_ENOTFOUND,
** EBB_ENOMEM. */
int ebb__wasix_resolve(ebb_store_t *store, ebb_func_t **cache, const char *name,
                       ebb_externkind_t kind, ebb_extern_t *out);

#endif
