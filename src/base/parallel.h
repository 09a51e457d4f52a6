/*
** parallel.h -- the work of a large module spread over the machine's
** cores: items 0..n-1 (function bodies to validate or compile) taken in
** batches from a shared counter by up to EBB__MAX_WORKERS threads, the
** caller's included. The outcome is what doing them in order gives: 0, or
** the error of the lowest item that failed (an item above a known failure
** is skipped, one below it still runs).
*/
#ifndef EBB_BASE_PARALLEL_H
#define EBB_BASE_PARALLEL_H

#include <stddef.h>
#include <stdint.h>

#define EBB__MAX_WORKERS 8

/* Does item i as worker `worker` (0 is the caller; each worker runs on one
** thread, so per-worker state needs no lock): 0, or an error code. */
typedef int (*ebb__par_item_fn)(void *ctx, unsigned worker, uint32_t i);

/* How many workers `bytes` of work is worth: 1 below ebb__parallel_bytes
** (1 MiB; tests lower it), else one per online CPU, at most
** EBB__MAX_WORKERS. */
extern size_t ebb__parallel_bytes;
unsigned ebb__par_workers(size_t bytes);

/* Run items 0..n-1 on up to `workers` threads (fewer if threads cannot be
** started; the caller's alone at worst). Workers allocate under the
** caller's allocation budget (base/alloc.h). Returns 0, or the error of the
** lowest failing item, with *failed = that item and *failed_worker = the
** worker that ran it (whose state holds what it reported). */
int ebb__par_run(uint32_t n, unsigned workers, ebb__par_item_fn fn, void *ctx, uint32_t *failed,
                 unsigned *failed_worker);

#endif
