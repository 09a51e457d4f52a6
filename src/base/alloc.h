/*
** alloc.h -- every allocation of the runtime goes through these, so tests can
** inject allocation failures (fail the Nth allocation) and limits can count.
*/
#ifndef EBB_BASE_ALLOC_H
#define EBB_BASE_ALLOC_H

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

/* Fault injection for tests: the nth allocation from now (1-based) and every
** one after it fails; 0 turns injection off. Not thread-safe; test-only. */
void ebb__alloc_fail_after(unsigned long n);

#endif
