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

/* Fault injection for tests: the nth allocation from now (1-based) and every
** one after it fails; 0 turns injection off. Not thread-safe; test-only. */
void ebb__alloc_fail_after(unsigned long n);

#endif
