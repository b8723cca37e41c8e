/* Every allocation of the library goes through these functions, so that a
 * test build can fail the k-th one (allocation-failure injection). */
#include <stdlib.h>
#include "internal.h"

void *gcent__malloc(size_t size) { return malloc(size ? size : 1); }

void *gcent__calloc(size_t count, size_t size)
{
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
