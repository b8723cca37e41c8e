/* Grouping of inputs by label, shared by the binned and the noisy MI. */
#include <stdlib.h>
#include <string.h>
#include "alloc.h"
#include "labels.h"

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

void gcent__labels_free(gcent__labels *g)
{
    gcent__free(g->order);
    gcent__free(g->start);
    gcent__free(g->cls);
    memset(g, 0, sizeof *g);
}

int gcent__labels_group(const int *labels, size_t m, gcent__labels *g)
{
    memset(g, 0, sizeof *g);
    int *sorted = gcent__malloc(m * sizeof(int));
    g->order = gcent__malloc(m * sizeof(size_t));
    g->cls = gcent__malloc(m * sizeof(size_t));
    if (sorted == NULL || g->order == NULL || g->cls == NULL) {
        gcent__free(sorted);
        gcent__labels_free(g);
        return GCENT_ENOMEM;
    }
    memcpy(sorted, labels, m * sizeof(int));
    qsort(sorted, m, sizeof(int), cmp_int);
    size_t ncls = 0;
    for (size_t i = 0; i < m; ++i)
        if (i == 0 || sorted[i] != sorted[i - 1])
            sorted[ncls++] = sorted[i];
    g->start = gcent__calloc(ncls + 1, sizeof(size_t));
    if (g->start == NULL) {
        gcent__free(sorted);
        gcent__labels_free(g);
        return GCENT_ENOMEM;
    }
    g->ncls = ncls;
    for (size_t i = 0; i < m; ++i) { /* class of input i: binary search */
        size_t lo = 0, hi = ncls;
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (sorted[mid] <= labels[i])
                lo = mid;
            else
                hi = mid;
        }
        g->cls[i] = lo;
        g->start[lo + 1]++;
    }
    gcent__free(sorted);
    for (size_t c = 0; c < ncls; ++c)
        g->start[c + 1] += g->start[c];
    /* stable counting sort of the inputs by class; start[] is restored */
    for (size_t i = 0; i < m; ++i)
        g->order[g->start[g->cls[i]]++] = i;
    for (size_t c = ncls; c > 0; --c)
        g->start[c] = g->start[c - 1];
    g->start[0] = 0;
    return GCENT_OK;
}
