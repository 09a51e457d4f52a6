/*
** ebb_wasm.h -- ebb's additions to the standard C API (wasm.h): the
** stopping guarantees of ebb.h for a program written against wasm.h.
**
** Every wasm_func_call (and the start function run by wasm_instance_new) of
** a store runs on that store's ebb thread (ebb.h, "Threads and calls"). So
** the thread's interrupt word, a deadline and fuel stop it: at its next safe
** point when it computes, at once when it waits (memory.atomic.wait). A call
** stopped so is abandoned and returns a trap, which names the cause both in
** its message and through ebb_capi_trap_cause:
**   "interrupted"        ebb_capi_store_interrupt
**   "deadline exceeded"  ebb_capi_store_set_deadline / _set_timeout
**   "out of fuel"        ebb_capi_store_set_fuel, with fuel metering on
** A stop reaches through nested calls: when a host function calls back into
** the guest and that inner call is stopped, the host function's own return
** is replaced by the same trap, so the outermost call ends too, whatever the
** host function does with the inner trap. A host function itself is not
** interrupted while it runs (use ebb.h's host API for that).
*/
#ifndef EBB_WASM_H
#define EBB_WASM_H

#include "ebb.h"
#include "wasm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Engine settings ---------------------------------------------------- */

/* Compile modules with fuel metering (ebb_module_options_t.fuel), so that
** ebb_capi_store_set_fuel bounds what a call may execute. Off by default:
** metered code is a little slower. */
EBB_API void ebb_capi_config_set_fuel(wasm_config_t *config, bool enable);

/* The limits every store of the engine applies (ebb_limits_t: memory pages,
** table elements, call depth, stack, max_store_bytes). Copied. */
EBB_API void ebb_capi_config_set_limits(wasm_config_t *config, const ebb_limits_t *limits);

/* ---- Stopping a store's calls ------------------------------------------- */

/* Stop the store's running call with the trap "interrupted". Any OS thread,
** any time, a signal handler included (an atomic store and a wake). Made
** while no call runs, it stops the next call at its first safe point. */
EBB_API void ebb_capi_store_interrupt(wasm_store_t *store);

/* An absolute deadline for every call of the store, on the clock of
** ebb_now_ns (monotonic nanoseconds); INT64_MAX removes it. A call running
** at the deadline traps with "deadline exceeded"; one begun after it traps
** at its first safe point. The store's thread only. */
EBB_API void ebb_capi_store_set_deadline(wasm_store_t *store, int64_t deadline_ns);

/* A time limit for each outermost call (its nested calls share it): the
** call traps with "deadline exceeded" timeout_ns after it began. Negative
** removes it. With both, the earlier wins. The store's thread only. */
EBB_API void ebb_capi_store_set_timeout(wasm_store_t *store, int64_t timeout_ns);

/* The fuel the store's calls may still burn, one unit per instruction of
** metered code (ebb_capi_config_set_fuel). Unlimited until set, which
** ebb_capi_store_fuel reports as INT64_MAX. Not while a call runs. */
EBB_API void ebb_capi_store_set_fuel(wasm_store_t *store, uint64_t fuel);
EBB_API uint64_t ebb_capi_store_fuel(const wasm_store_t *store);

/* ---- Why a trap happened ------------------------------------------------ */

typedef enum ebb_capi_trap_cause {
  EBB_CAPI_TRAP_GUEST = 0,       /* the guest trapped; *kind says how */
  EBB_CAPI_TRAP_HOST = 1,        /* made by wasm_trap_new (a host function's) */
  EBB_CAPI_TRAP_INTERRUPTED = 2, /* ebb_capi_store_interrupt */
  EBB_CAPI_TRAP_DEADLINE = 3,    /* ebb_capi_store_set_deadline / _timeout */
  EBB_CAPI_TRAP_REFUSED = 4,     /* the call could not start: arguments that
                                    do not fit, a result vector too small, a
                                    store busy on another thread */
} ebb_capi_trap_cause_t;

/* The cause of a trap; for EBB_CAPI_TRAP_GUEST, *kind (may be NULL) is the
** ebb_trap_t (EBB_TRAP_OUT_OF_FUEL when fuel ran out), else EBB_TRAP_NONE. */
EBB_API ebb_capi_trap_cause_t ebb_capi_trap_cause(const wasm_trap_t *trap, ebb_trap_t *kind);

#ifdef __cplusplus
}
#endif
#endif /* EBB_WASM_H */
