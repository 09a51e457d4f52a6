/*
** common.h -- pieces the fuzz targets share: a watchdog that stops runaway
** guest calls, a resolver that satisfies any import from the module's own
** import types, and a guarded call.
*/
#ifndef EBB_FUZZ_COMMON_H
#define EBB_FUZZ_COMMON_H

#include <stdint.h>

#include "ebb.h"

/* Die with a message: a finding. libFuzzer saves the input. */
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Build what each import asks for, in `store`, from the import's own type:
** host functions returning zeros, memories and tables of the declared
** size, zero globals. `module` is the module being instantiated. */
typedef struct fuzz_resolver {
  ebb_store_t *store;
  const ebb_module_t *module;
} fuzz_resolver;
int fuzz_resolve(void *data, const char *module, const char *name, ebb_externkind_t kind,
                 ebb_extern_t *out);

/* The watchdog alone: interrupt t in `ms` milliseconds unless disarmed. */
void fuzz_watchdog_arm(ebb_thread_t *t, unsigned ms);
void fuzz_watchdog_disarm(void);

/* Call f on t with zero-valued arguments of its parameter types. A helper
** thread interrupts the call after `ms` milliseconds; an interrupted call
** is resumed once (the resume path matters too) and then abandoned. The
** outcome is checked for consistency. Returns the final status. */
ebb_status_t fuzz_call_guarded(ebb_thread_t *t, ebb_func_t *f, unsigned ms, ebb_outcome_t *out);

#endif
