/*
** bulk.h -- instructions whose work grows with a size the guest chooses:
** memory.copy, memory.fill, memory.init, table.copy, table.fill, table.init
** and table.grow. Above one chunk they run here, in chunks, and look at the
** thread's interrupt word between two chunks.
*/
#ifndef EBB_EXEC_BULK_H
#define EBB_EXEC_BULK_H

#include <stdbool.h>
#include <stdint.h>

#include "ebb.h"

/* The most one chunk does, in bytes, and so the longest a request waits for
** a bulk instruction: on our 2-vCPU VMs, where a first-touch page fault
** costs 5-10 us, 0.4-0.8 ms to fill 128 KiB of fresh pages and 1.2-1.7 ms
** to copy into them from fresh ones, 10-15 us when the pages were touched
** before (bench/README.md). Copying in chunks of 64 KiB or more is as fast
** as in one memmove, so the chunk is chosen for latency alone. Work of this
** size or less is one memmove/memset in the interpreter and never stops. A
** multiple of the size of a table element, so a table element is never
** split between two chunks. */
#define EBB__BULK_CHUNK ((uint64_t)128 << 10)

/* Each returns false when the work is done, or true when it stopped between
** two chunks because the interrupt word was non-zero: it kept its progress
** (t->restart_pc = pc, and t->restart_done: bytes for ebb__bulk_move and
** ebb__bulk_fill, elements for the other two), the interpreter stops at pc as
** at a safe point, and the instruction re-executed at pc continues from
** where it stopped. Progress is kept rather than the work redone because
** redoing an overlapping copy from its start would copy bytes it has already
** overwritten. The callers check bounds first: a trap writes nothing. */

/* memmove(dst, src, bytes): from the start, or from the end when
** `backwards`. A copy within one memory or table must go backwards when the
** destination is above the source, so that no chunk overwrites bytes a later
** chunk still reads; the caller decides from the offsets, which stay the same
** while the call is stopped (a table's elements may move meanwhile). */
bool ebb__bulk_move(ebb_thread_t *t, const uint32_t *pc, void *dst, const void *src,
                    uint64_t bytes, bool backwards);

/* memset(dst, byte, bytes). */
bool ebb__bulk_fill(ebb_thread_t *t, const uint32_t *pc, uint8_t *dst, int byte, uint64_t bytes);

/* Store `ref` in `count` table elements from dst. */
bool ebb__bulk_fill_refs(ebb_thread_t *t, const uint32_t *pc, void **dst, void *ref,
                         uint64_t count);

/* table.grow by `delta` elements set to `init`; *old is the old size or -1.
** The new elements are set before the new size is published, so a grow
** stopped half-way cannot be seen: the table keeps its old size until the
** instruction completes. */
bool ebb__bulk_table_grow(ebb_thread_t *t, const uint32_t *pc, ebb_table_t *tab, uint32_t delta,
                          void *init, int64_t *old);

#endif
