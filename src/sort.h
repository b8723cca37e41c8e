/* Sorting without allocation (src/sort.c): keyed pairs (a double and an
 * index) in place. The C library's qsort may allocate a buffer (glibc's
 * mallocs above 1 KiB), which an execution of a plan must not do. */
#ifndef GCENT_SORT_H
#define GCENT_SORT_H

#include "common.h"

/* A key and the number of what it belongs to; ordered by (key, idx), a
 * total order on pairs with distinct idx, so that any correct sort gives the
 * same permutation. Keys are never NaN. */
typedef struct gcent__key {
    double key;
    size_t idx;
} gcent__key;

static inline int gcent__key_less(const gcent__key *a, const gcent__key *b)
{
    return a->key < b->key || (a->key == b->key && a->idx < b->idx);
}

/* v[0 .. n) in increasing (key, idx) order: insertion sort for short runs,
 * heap sort otherwise (O(n log n) in the worst case). In place; allocates
 * nothing. */
GCENT__HIDDEN void gcent__key_sort(gcent__key *v, size_t n);

#endif /* GCENT_SORT_H */
