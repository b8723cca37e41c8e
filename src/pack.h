/* The packed centres (src/pack.c, src/kdtree.c, src/prune.c): a mixture laid
 * out for the kernel, in segments of whole blocks, in k-d order, with the
 * k-d tree's bounding boxes when pruning pays. Storage is allocated once for
 * a capacity (a plan keeps it between epochs); building allocates nothing. */
#ifndef GCENT_PACK_H
#define GCENT_PACK_H

#include "common.h"
#include "err.h"
#include "mixture.h"
#include "sort.h"
#include "threads.h"

/* Centres per block (two 8-lane vectors): the unit of pruning. */
#define GCENT__PK_BLK 16
/* Pruning is used up to this many dimensions (the bounding-box test keeps a
 * padded copy of the query on the stack); above it the pack is dense. */
#define GCENT__PK_DMAX 256
/* The kernel clamps exponents (relative to the query's shift) at this level,
 * far below where the linear-space sums could overflow, and signals a query
 * whose sums reach e^(GCENT__PK_EMAX - 1), as one with a clamped term would:
 * callers redo that query in log space (gcent__mix_lse). */
#define GCENT__PK_EMAX 600.0
/* The same level for the single-precision kernel, whose terms are float
 * (largest e^88.7): a query whose sums reach e^(GCENT__PK_EMAXF - 1) is
 * signalled the same way (and redone in log space, in double). */
#define GCENT__PK_EMAXF 80.0

/* A copy of a mixture laid out for gcent__pack_sums: centres in segments
 * (classes; one segment without labels) starting at block boundaries, each
 * segment padded with zero-weight centres to whole blocks, in k-d order
 * (every split of the k-d tree falls on a block boundary). With pruning the
 * tree's nodes have bounding boxes. Memory O(n d). */
typedef struct gcent__pack {
    size_t n, npad, d;  /* centres, padded length (multiple of GCENT__PK_BLK) */
    double *u;          /* npad x d, by block: see gcent__pk_at */
    double *lw;         /* npad: log w (-inf for padding) */
    double *grp;        /* npad: group (input) id, -1 for padding; NULL: none */
    size_t *pos;        /* n: packed position of mixture centre i */
    /* With exact duplicates merged (entropy with pruning): the log of the
     * weight the query of centre i keeps at its packed position (its
     * duplicates' weight; -inf for none); NULL when nothing was merged. */
    double *self_lw;
    size_t nseg;
    size_t *seg;        /* nseg + 1: first block of each segment, then nblk */
    size_t nblk;
    /* With pruning: the k-d tree over the blocks of each segment (node
     * seg_root[s] is segment s's root), its nodes' bounding boxes (lower
     * corner, upper corner: 2 dpad doubles each); NULL when dense. */
    size_t nnode, dpad;    /* dpad: d rounded up to 8 (boxes and queries) */
    struct gcent__pk_node {
        size_t blo, bhi;       /* blocks [blo, bhi) */
        size_t left, right;    /* children, SIZE_MAX for a leaf */
    } *node;
    double *box;
    size_t *seg_root;
    double logtol;      /* log of the pruning tolerance */
    /* Terms below e^flush of the query's shift (the self term, 1, in every
     * use) count 0: flush = -(37 + ln n), so that together they are below
     * e^-37 = 8.5e-17, under the rounding of 1 + sum. A block whose 16
     * terms are all below it skips the exponentials. */
    double flush;
    /* A query's sums are used only below this, e^(GCENT__PK_EMAX - 1): the
     * kernel counts an exponent above GCENT__PK_EMAX as GCENT__PK_EMAX, so
     * a smaller total proves that none was (see gcent__pack_sums). */
    double sum_top;
    /* Single precision (GCENT_PRECISION_SINGLE; all NULL otherwise): the
     * coordinates rounded to float, in the layout of u (a block's
     * coordinate k is one 16-float vector); the log weights relative to
     * lw_top, rounded to float (-inf for padding); the group ids as int32
     * (-1 for padding; NULL without groups). The kernel uses them for the
     * queries whose error bound allows (see gcent__f32_bound). */
    float *uf, *lwf;
    int32_t *grpf;
    double lw_top;      /* the largest log weight */
    double lw_span;     /* lw_top minus the smallest (0 for equal weights) */
    double umax;        /* the largest |coordinate| of a packed centre */
    double lnn1;        /* log(n + 1) */
    double sum_top_f;   /* e^(GCENT__PK_EMAXF - 1): sum_top of the float kernel */
    /* Above 12 coordinates, the double kernel's generic loop of earlier
     * releases instead of its unrolled chunks (the same bits): set by the
     * benchmark only, to time them in one run (gcent__opts.wide_legacy). */
    int wide_legacy;
    /* capacity (gcent__pack_alloc) and the storage the pointers above use */
    size_t cap_n, cap_npad, cap_node, cap_seg;
    int cap_groups, cap_prune, cap_single;
    double *grp_buf, *self_lw_buf, *box_buf;
    float *uf_buf, *lwf_buf;
    int32_t *grpf_buf;
    size_t *pos_a, *pos_b, *seg_root_buf;
    struct gcent__pk_node *node_buf;
} gcent__pack;

/* Index in P->u of coordinate k of packed centre j: each block's 16 x d
 * coordinates are contiguous, coordinate-major within the block, so a block
 * is read as one sequential stream. */
static inline size_t gcent__pk_at(const gcent__pack *P, size_t j, size_t k)
{
    return ((j / GCENT__PK_BLK) * P->d + k) * GCENT__PK_BLK + j % GCENT__PK_BLK;
}

/* A k-d split key: a coordinate and the centre number, ordered by
 * (key, idx), a total order on distinct centres (src/sort.h). */
typedef gcent__key gcent__kd_key;

/* Scratch of a pack build (allocated with the pack). */
typedef struct gcent__pack_ws {
    size_t *idx;           /* n */
    gcent__kd_key *keys;   /* n */
    size_t *ord, *tmp;     /* n each: duplicate merge */
    gcent__mix um;         /* the distinct centres (duplicate merge) */
    double *probe_q;       /* GCENT__PK_QB x d: queries of the pruning probe */
    struct gcent__pk_work *probe_work;  /* batch scratch of the probe */
} gcent__pack_ws;

/* Storage for packing up to n centres in d dimensions into nseg segments,
 * with a group id per centre (groups != 0), with pruning (prune != 0;
 * ignored above GCENT__PK_DMAX) and with the float copy of the
 * single-precision kernel (single != 0). GCENT_OK, GCENT_ENOMEM or
 * GCENT_ERANGE, reason in e. */
GCENT__HIDDEN int gcent__pack_alloc(gcent__pack *P, gcent__pack_ws *W, size_t n, size_t d,
                                    size_t nseg, int groups, int prune, int single,
                                    gcent__err *e);
GCENT__HIDDEN void gcent__pack_free(gcent__pack *P, gcent__pack_ws *W);

/* Pack m. seg_first (nseg + 1 centre indices of m, increasing, from 0 to
 * m->n; NULL for one segment) splits the centres into segments; group (n
 * ids, NULL for none) labels centres for the own-group split; tol > 0 asks
 * for pruning with that absolute tolerance (nats), tol = 0 gives the dense
 * computation. Pruning is kept only where it pays: a fixed sample of
 * queries (centres with their typical noise) must skip most of the blocks
 * (see src/prune.c); otherwise the pack is dense. The choice is a function
 * of the data alone. force = 1 keeps pruning regardless (tests). With
 * pruning, one segment and no groups, exact duplicate centres are merged
 * into one of summed weight (see self_lw). P->n is the number of packed
 * (distinct) centres; pos has m->n entries. The centres of each segment are
 * in k-d order either way, so that the centres of a vector are close
 * together. Advances p by `units` (reporting along the way; p may be NULL).
 * No allocation. GCENT_OK or GCENT_ECANCELED. */
GCENT__HIDDEN int gcent__pack_build(gcent__pack *P, gcent__pack_ws *W, const gcent__mix *m,
                                    const size_t *seg_first, size_t nseg, const size_t *group,
                                    double tol, int force, gcent__progress *p, uint64_t units);

/* Rows 0 .. n-1 of a mixture in the order of their packed positions P->pos
 * (ties by row number) into ord; cnt: P->npad + 1 counters (scratch). */
GCENT__HIDDEN void gcent__packed_order(const gcent__pack *P, size_t n, size_t *ord, size_t *cnt);

/* ---- src/kdtree.c ---- */

/* Rearranges v[0, len) (distinct by idx) so that v[0, k) holds its k
 * smallest: quickselect, then a full sort (gcent__key_sort, no allocation)
 * of what is left after `rounds` partitioning rounds (the k-d build passes
 * 2 log2(len) + 8, so the worst case is O(len log len)). */
GCENT__HIDDEN void gcent__kd_select(gcent__kd_key *v, size_t len, size_t k, size_t rounds);
/* The k-d order of centres [a, b) of m (a segment whose first block is
 * sb0): idx[a, b) is permuted; with P->node the tree's nodes are appended
 * (P->nnode) and the segment's root returned (SIZE_MAX for none). tk (may
 * be NULL) counts the centres placed; once it records a cancellation the
 * build stops early (the result is then to be discarded). */
GCENT__HIDDEN size_t gcent__kd_build(gcent__pack *P, const gcent__mix *m, size_t *idx,
                                     gcent__kd_key *tmp, size_t a, size_t sb0, size_t b,
                                     gcent__ticker *tk);
/* The nodes' bounding boxes, leaves from their centres, inner nodes as the
 * union of their children's. */
GCENT__HIDDEN void gcent__kd_boxes(gcent__pack *P);

/* ---- src/prune.c ---- */

/* Whether pruning pays on this data (see src/prune.c); uses W's probe
 * scratch. */
GCENT__HIDDEN int gcent__prune_pays(const gcent__pack *P, gcent__pack_ws *W);

#endif /* GCENT_PACK_H */
