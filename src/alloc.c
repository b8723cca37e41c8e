/* Every allocation of the library goes through these functions, so that a
 * test build can fail the k-th one (allocation-failure injection).
 *
 * In the normal build they are plain malloc/calloc/free. Only when compiled
 * with -DGCENT_TEST_ALLOC_HOOK (the `make check-alloc` test binary, never the
 * installed library) is there a counter: a process-wide test hook, which is
 * why it exists only in that build. */
#include <stdlib.h>
#include "alloc.h"

#ifdef GCENT_TEST_ALLOC_HOOK
#include <stdatomic.h>
static atomic_ullong alloc_count;   /* allocations attempted since the reset */
static atomic_ullong alloc_fail_at; /* fail the allocation with this number (1-based); 0 = never */

void gcent__test_alloc_reset(unsigned long long fail_at)
{
    atomic_store(&alloc_count, 0);
    atomic_store(&alloc_fail_at, fail_at);
}

unsigned long long gcent__test_alloc_count(void) { return atomic_load(&alloc_count); }

static int should_fail(void)
{
    unsigned long long k = atomic_fetch_add(&alloc_count, 1) + 1;
    unsigned long long f = atomic_load(&alloc_fail_at);
    return f != 0 && k == f;
}
#else
static int should_fail(void) { return 0; }
#endif

void *gcent__malloc(size_t size)
{
    if (should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *gcent__calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    if (count == 0 || size == 0)
        return calloc(1, 1);
    return calloc(count, size);
}

void gcent__free(void *p) { free(p); }

size_t gcent__mul(size_t count, size_t size, int *ovf)
{
    if (size != 0 && count > SIZE_MAX / size) {
        *ovf = 1;
        return 0;
    }
    return count * size;
}
