/* The k-d tree of the packed centres: the order of the centres (every split
 * on a block boundary, by selection, a pure function of the data), the tree's
 * nodes and their bounding boxes. */
#include <string.h>
#include "pack.h"

/* k-d ordering of idx[lo, hi) (centre numbers of m, a segment starting at
 * idx position a and packed block sb0): split at a multiple of `unit` from
 * lo along the coordinate of widest spread, recursively, so that every node
 * is a run of whole blocks (and, where the range is large, of whole runs of
 * 256 centres). Keys are ordered by (coordinate, centre number), a total
 * order, so each side of a split is a pure function of the data; it is found
 * by selection (expected O(len)), not by sorting. A leaf (and a node whose
 * centres are all equal) is put in the order of its parent's split key: the
 * whole order is the one a full sort at every level would give. Appends the
 * nodes to P->node (if not NULL) and returns the index of this one. */
typedef gcent__kd_key kd_key;

/* Quickselect with a median-of-three pivot (see pack.h). */
void gcent__kd_select(kd_key *v, size_t len, size_t k, size_t rounds)
{
    size_t lo = 0, hi = len;
    while (hi - lo > 16 && k > lo && k < hi) {
        if (rounds-- == 0) {
            gcent__key_sort(v + lo, hi - lo);
            return;
        }
        size_t mid = lo + (hi - lo) / 2, last = hi - 1;
        kd_key t;
        /* v[lo] <= v[mid] <= v[last], then the median goes to last - 1 */
        if (gcent__key_less(&v[mid], &v[lo]))
            t = v[mid], v[mid] = v[lo], v[lo] = t;
        if (gcent__key_less(&v[last], &v[mid]))
            t = v[last], v[last] = v[mid], v[mid] = t;
        if (gcent__key_less(&v[mid], &v[lo]))
            t = v[mid], v[mid] = v[lo], v[lo] = t;
        t = v[mid], v[mid] = v[last - 1], v[last - 1] = t;
        const kd_key piv = v[last - 1];
        size_t i = lo, j = last - 1;
        for (;;) {
            while (gcent__key_less(&v[++i], &piv)) {
            }
            while (gcent__key_less(&piv, &v[--j])) {
            }
            if (i >= j)
                break;
            t = v[i], v[i] = v[j], v[j] = t;
        }
        t = v[i], v[i] = v[last - 1], v[last - 1] = t;
        /* v[lo, i) < piv = v[i] < v[i + 1, hi) */
        if (k <= i)
            hi = i;
        else
            lo = i + 1;
    }
    if (k > lo && k < hi)
        gcent__key_sort(v + lo, hi - lo);
}

/* idx[lo, hi) in the order of (coordinate pk, centre number); pk = d: by
 * centre number alone. */
static void kd_order(const gcent__mix *m, size_t *idx, kd_key *tmp, size_t lo, size_t hi,
                     size_t pk)
{
    const size_t len = hi - lo;
    for (size_t p = lo; p < hi; ++p) {
        tmp[p - lo].key = pk < m->d ? m->ut[pk * m->n + idx[p]] : 0.0;
        tmp[p - lo].idx = idx[p];
    }
    gcent__key_sort(tmp, len);
    for (size_t p = lo; p < hi; ++p)
        idx[p] = tmp[p - lo].idx;
}

static size_t kd_node(gcent__pack *P, const gcent__mix *m, size_t *idx, kd_key *tmp,
                      size_t a, size_t sb0, size_t lo, size_t hi, size_t pk, gcent__ticker *tk)
{
    if (tk != NULL && tk->st != GCENT_OK)
        return SIZE_MAX; /* canceled: the caller discards the tree */
    const size_t B = GCENT__PK_BLK;
    size_t v = SIZE_MAX;
    if (P->node) {
        v = P->nnode++;
        P->node[v].blo = sb0 + (lo - a) / B;
        P->node[v].bhi = sb0 + (hi - a + B - 1) / B;
        P->node[v].left = P->node[v].right = SIZE_MAX;
    }
    if (hi - lo <= B) {
        kd_order(m, idx, tmp, lo, hi, pk);
        if (tk != NULL)
            gcent__ticker_add(tk, (double)(hi - lo));
        return v;
    }
    const size_t n = m->n, len = hi - lo;
    size_t best = 0;
    double wbest = -1.0;
    for (size_t k = 0; k < m->d; ++k) {
        double x0 = INFINITY, x1 = -INFINITY;
        for (size_t p = lo; p < hi; ++p) {
            double x = m->ut[k * n + idx[p]];
            x0 = x < x0 ? x : x0;
            x1 = x > x1 ? x : x1;
        }
        if (x1 - x0 > wbest) {
            wbest = x1 - x0;
            best = k;
        }
    }
    if (!(wbest > 0.0)) { /* all equal: one leaf of several blocks */
        kd_order(m, idx, tmp, lo, hi, pk);
        if (tk != NULL)
            gcent__ticker_add(tk, (double)(hi - lo));
        return v;
    }
    size_t unit = len > 512 ? 256 : B;
    size_t half = (len / 2 + unit - 1) / unit * unit;
    if (half >= len)
        half = (len / 2 + B - 1) / B * B;
    for (size_t p = lo; p < hi; ++p) {
        tmp[p - lo].key = m->ut[best * n + idx[p]];
        tmp[p - lo].idx = idx[p];
    }
    size_t rounds = 8;
    for (size_t t = len; t > 1; t >>= 1)
        rounds += 2;
    gcent__kd_select(tmp, len, half, rounds);
    if (tk != NULL && gcent__ticker_add(tk, (double)len) != GCENT_OK)
        return SIZE_MAX;
    for (size_t p = lo; p < hi; ++p)
        idx[p] = tmp[p - lo].idx;
    size_t l = kd_node(P, m, idx, tmp, a, sb0, lo, lo + half, best, tk);
    size_t r = kd_node(P, m, idx, tmp, a, sb0, lo + half, hi, best, tk);
    if (P->node) {
        P->node[v].left = l;
        P->node[v].right = r;
    }
    return v;
}

/* Bounding box of the real centres among packed positions [j0, j1):
 * lower corner box[0 .. dpad), upper corner box[dpad .. 2 dpad), padding
 * coordinates -inf and +inf. */
static void box_of(const gcent__pack *P, size_t j0, size_t j1, double *box)
{
    const size_t d = P->d, dp = P->dpad;
    for (size_t k = 0; k < dp; ++k) {
        double a = INFINITY, b = -INFINITY;
        for (size_t j = j0; k < d && j < j1; ++j) {
            if (P->lw[j] == -INFINITY)
                continue;
            double x = P->u[gcent__pk_at(P, j, k)];
            a = x < a ? x : a;
            b = x > b ? x : b;
        }
        if (k >= d) {
            a = -INFINITY;
            b = INFINITY;
        }
        box[k] = a;
        box[dp + k] = b;
    }
}

size_t gcent__kd_build(gcent__pack *P, const gcent__mix *m, size_t *idx, gcent__kd_key *tmp,
                       size_t a, size_t sb0, size_t b, gcent__ticker *tk)
{
    return kd_node(P, m, idx, tmp, a, sb0, a, b, m->d, tk);
}

void gcent__kd_boxes(gcent__pack *P)
{
    const size_t B = GCENT__PK_BLK, dpad = P->dpad;
    /* Nodes are in pre-order (children after their parent): a leaf's box
     * from its centres, an inner node's the union of its children's (min and
     * max are exact: the same box either way). */
    for (size_t v = P->nnode; v-- > 0;) {
        const struct gcent__pk_node *nd = &P->node[v];
        double *bx = P->box + v * 2 * dpad;
        if (nd->left == SIZE_MAX) {
            box_of(P, nd->blo * B, nd->bhi * B, bx);
            continue;
        }
        const double *l = P->box + nd->left * 2 * dpad, *r = P->box + nd->right * 2 * dpad;
        for (size_t k = 0; k < dpad; ++k) {
            bx[k] = l[k] < r[k] ? l[k] : r[k];
            bx[dpad + k] = l[dpad + k] > r[dpad + k] ? l[dpad + k] : r[dpad + k];
        }
    }
}
