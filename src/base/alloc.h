/*
** alloc.h -- every allocation of the runtime goes through these, so tests can
** inject allocation failures (fail the Nth allocation) and limits can count.
*/
#ifndef EBB_BASE_ALLOC_H
#define EBB_BASE_ALLOC_H

#include <stdatomic.h>
#include <stddef.h>

void *ebb__malloc(size_t size);
void *ebb__calloc(size_t count, size_t size); /* checks count*size overflow */
void *ebb__realloc(void *ptr, size_t size);
void ebb__free(void *ptr);
char *ebb__strndup(const char *s, size_t n);

/* Zeroed memory straight from the kernel (mmap), for big regions touched
** only as deep as they are used: a thread's value and frame stacks. Not
** calloc: after a big free glibc raises its mmap threshold, and then serves
** the next big calloc from its heap, zeroing every byte (half the cost of a
** wasi-threads spawn, measured). Counts as an allocation for injection. */
void *ebb__map_zeroed(size_t bytes);
void ebb__unmap(void *p, size_t bytes); /* p from ebb__map_zeroed, or NULL */

/* A large block written once and then kept and read (a module's copy of its
** bytes): mapped on 2 MiB boundaries and advised as transparent huge pages.
** Where page faults are dear (a VM's: copying 30 MB into malloc'd memory
** took 140 ms here, into huge pages 5 ms), this is most of loading a big
** module. Counted against the budget like ebb__malloc; freed only with
** ebb__free_huge and the same size. */
void *ebb__malloc_huge(size_t bytes);
void ebb__free_huge(void *p, size_t bytes);

/* Count block p (`bytes` asked for; from ebb__malloc_huge if huge, else
** ebb__malloc), allocated while no budget was installed, against the one
** installed now, as if allocated under it: 0, or -1 when that passes its
** limit (counted nothing). No budget: 0. */
int ebb__alloc_adopt(void *p, size_t bytes, int huge);

/* A budget for the allocations of one thread, while it is installed: each
** ebb__malloc/calloc/realloc that would take `used` past `limit` fails (and
** sets `exceeded`); frees give back. Counts what the allocator really hands
** out (malloc_usable_size) where the platform says, else the sizes asked
** for, and then frees give back nothing (an over-count, never an under-count).
** ebb_module_new_ex installs one for the module it builds (max_bytes), so
** that whatever a module declares, decoding, validating and compiling it
** stops at the budget instead of exhausting the host. Only blocks allocated
** while the budget is installed may be freed while it is. Several threads
** may install the same budget at once (a module compiled in parallel): its
** account is atomic, and an allocation takes its size before it is made,
** so together they never pass the limit by more than the allocator's
** rounding. */
typedef struct ebb__alloc_budget {
  size_t limit;         /* SIZE_MAX: count only */
  atomic_size_t used;   /* bytes held now by blocks allocated under this budget */
  atomic_int exceeded;  /* an allocation failed for the budget */
} ebb__alloc_budget;

/* Install b (NULL: none) for the calling thread; returns the one it replaces. */
ebb__alloc_budget *ebb__alloc_budget_swap(ebb__alloc_budget *b);

/* The budget installed for the calling thread, or NULL. */
ebb__alloc_budget *ebb__alloc_budget_current(void);

/* Fault injection for tests: the nth allocation from now (1-based) and every
** one after it fails; 0 turns injection off. Not thread-safe; test-only. */
void ebb__alloc_fail_after(unsigned long n);

#endif
