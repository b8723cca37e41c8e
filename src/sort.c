/* Sorting of keyed pairs in place, without allocation (see sort.h). */
#include "sort.h"

/* Short runs: insertion sort. */
#define SORT_SHORT 32

static void insertion(gcent__key *v, size_t n)
{
    for (size_t i = 1; i < n; ++i) {
        gcent__key x = v[i];
        size_t j = i;
        for (; j > 0 && gcent__key_less(&x, &v[j - 1]); --j)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* Restore the max-heap below node i of v[0 .. n). */
static void sift_down(gcent__key *v, size_t i, size_t n)
{
    gcent__key x = v[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && gcent__key_less(&v[c], &v[c + 1]))
            ++c;
        if (!gcent__key_less(&x, &v[c]))
            break;
        v[i] = v[c];
        i = c;
    }
    v[i] = x;
}

void gcent__key_sort(gcent__key *v, size_t n)
{
    if (n <= SORT_SHORT) {
        insertion(v, n);
        return;
    }
    for (size_t i = n / 2; i-- > 0;)
        sift_down(v, i, n);
    for (size_t end = n - 1; end > 0; --end) {
        gcent__key t = v[0];
        v[0] = v[end];
        v[end] = t;
        sift_down(v, 0, end);
    }
}
