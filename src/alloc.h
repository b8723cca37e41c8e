/* Allocation: the single hook point for failure injection, and the
 * overflow-checked product of sizes (src/alloc.c). */
#ifndef GCENT_ALLOC_H
#define GCENT_ALLOC_H

#include "common.h"

GCENT__HIDDEN void *gcent__malloc(size_t size);
GCENT__HIDDEN void *gcent__calloc(size_t count, size_t size);
GCENT__HIDDEN void gcent__free(void *p);
#ifdef GCENT_TEST_ALLOC_HOOK
/* Test build only: fail allocation number fail_at (1-based; 0 = never) from
 * now on, and count the allocations attempted. */
void gcent__test_alloc_reset(unsigned long long fail_at);
unsigned long long gcent__test_alloc_count(void);
#endif
/* count * size, or 0 with *ovf = 1 on overflow (*ovf is never cleared). */
GCENT__HIDDEN size_t gcent__mul(size_t count, size_t size, int *ovf);

#endif /* GCENT_ALLOC_H */
