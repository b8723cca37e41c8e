/* Packing a mixture for the kernel: storage for a capacity, the layout in
 * segments of whole blocks in k-d order, the merge of exact duplicate
 * centres, and the pruning decision. Building allocates nothing, so a plan
 * packs every epoch's samples in the storage it made once. */
#include <string.h>
#include "alloc.h"
#include "kernel.h"
#include "pack.h"

int gcent__pack_alloc(gcent__pack *P, gcent__pack_ws *W, size_t n, size_t d, size_t nseg,
                      int groups, int prune, int single, gcent__err *e)
{
    memset(P, 0, sizeof *P);
    memset(W, 0, sizeof *W);
    const size_t B = GCENT__PK_BLK;
    if (nseg == 0)
        nseg = 1;
    const size_t dpad = (d + 7) / 8 * 8;
    if (dpad > GCENT__PK_DMAX)
        prune = 0;
    /* every segment rounded up to whole blocks: at most n + nseg (B - 1) */
    int ovf = 0;
    if (n > SIZE_MAX / 4 || nseg > SIZE_MAX / (4 * B))
        ovf = 1;
    size_t npad = ovf ? 0 : (n + nseg * (B - 1) + B - 1) / B * B;
    if (npad == 0)
        npad = B;
    const size_t nblk = npad / B, maxnode = 2 * nblk + nseg;
    const size_t nn = n ? n : 1;
    size_t ubytes = gcent__mul(gcent__mul(npad, d, &ovf), sizeof(double), &ovf);
    size_t bbytes = gcent__mul(gcent__mul(maxnode, 2 * dpad, &ovf), sizeof(double), &ovf);
    (void)gcent__mul(maxnode, sizeof(struct gcent__pk_node), &ovf);
    (void)gcent__mul(nn, sizeof(gcent__kd_key), &ovf);
    if (ovf)
        return gcent__seterr(e, GCENT_ERANGE,
                             "%zu centres in %zu dimensions are too many to pack (size_t "
                             "overflows)", n, d);
    P->d = d;
    P->dpad = dpad;
    P->cap_n = n;
    P->cap_npad = npad;
    P->cap_node = prune ? maxnode : 0;
    P->cap_seg = nseg;
    P->cap_groups = groups != 0;
    P->cap_prune = prune != 0;
    P->cap_single = single != 0;
    P->u = gcent__malloc(ubytes);
    P->lw = gcent__malloc(npad * sizeof(double));
    P->pos_a = gcent__malloc(nn * sizeof(size_t));
    P->seg = gcent__malloc((nseg + 1) * sizeof(size_t));
    if (groups)
        P->grp_buf = gcent__malloc(npad * sizeof(double));
    W->idx = gcent__malloc(nn * sizeof(size_t));
    W->keys = gcent__malloc(nn * sizeof(gcent__kd_key));
    if (single) {
        P->uf_buf = gcent__malloc(ubytes / 2);
        P->lwf_buf = gcent__malloc(npad * sizeof(float));
        if (groups)
            P->grpf_buf = gcent__malloc(npad * sizeof(int32_t));
    }
    int st = (P->u && P->lw && P->pos_a && P->seg && (!groups || P->grp_buf) && W->idx &&
              W->keys && (!single || (P->uf_buf && P->lwf_buf && (!groups || P->grpf_buf))))
                 ? GCENT_OK : GCENT_ENOMEM;
    if (st == GCENT_OK && prune) {
        P->node_buf = gcent__malloc(maxnode * sizeof *P->node_buf);
        P->box_buf = gcent__malloc(bbytes);
        P->seg_root_buf = gcent__malloc(nseg * sizeof(size_t));
        W->probe_q = gcent__malloc(GCENT__PK_QB * (d ? d : 1) * sizeof(double));
        W->probe_work = gcent__calloc(1, sizeof *W->probe_work);
        if (!P->node_buf || !P->box_buf || !P->seg_root_buf || !W->probe_q || !W->probe_work)
            st = GCENT_ENOMEM;
        if (st == GCENT_OK && gcent__pk_work_init(W->probe_work, P) != GCENT_OK)
            st = GCENT_ENOMEM;
        /* the duplicate merge (one segment, no groups) */
        if (st == GCENT_OK && nseg == 1 && !groups && n >= 2) {
            P->pos_b = gcent__malloc(nn * sizeof(size_t));
            P->self_lw_buf = gcent__malloc(nn * sizeof(double));
            W->ord = gcent__malloc(nn * sizeof(size_t));
            W->tmp = gcent__malloc(nn * sizeof(size_t));
            if (!P->pos_b || !P->self_lw_buf || !W->ord || !W->tmp)
                st = GCENT_ENOMEM;
            else if (gcent__mix_alloc(&W->um, n, d, NULL) != GCENT_OK)
                st = GCENT_ENOMEM;
        }
    }
    if (st != GCENT_OK) {
        gcent__pack_free(P, W);
        return gcent__seterr(e, st, "out of memory for packing %zu centres in %zu dimensions",
                             n, d);
    }
    return GCENT_OK;
}

void gcent__pack_free(gcent__pack *P, gcent__pack_ws *W)
{
    if (P != NULL) {
        gcent__free(P->u);
        gcent__free(P->lw);
        gcent__free(P->grp_buf);
        gcent__free(P->pos_a);
        gcent__free(P->pos_b);
        gcent__free(P->seg);
        gcent__free(P->node_buf);
        gcent__free(P->box_buf);
        gcent__free(P->seg_root_buf);
        gcent__free(P->self_lw_buf);
        gcent__free(P->uf_buf);
        gcent__free(P->lwf_buf);
        gcent__free(P->grpf_buf);
        memset(P, 0, sizeof *P);
    }
    if (W != NULL) {
        gcent__free(W->idx);
        gcent__free(W->keys);
        gcent__free(W->ord);
        gcent__free(W->tmp);
        gcent__mix_free(&W->um);
        gcent__free(W->probe_q);
        if (W->probe_work) {
            gcent__pk_work_free(W->probe_work);
            gcent__free(W->probe_work);
        }
        memset(W, 0, sizeof *W);
    }
}

/* The float copy of a laid-out pack for the single-precision kernel (when
 * its storage exists): coordinates and log weights (relative to the largest)
 * rounded to float, group ids as int32, and the magnitudes the kernel's
 * error bound needs. Group ids above INT32_MAX (2^31 inputs) leave the copy
 * out: every query then runs in double. */
static void single_copy(gcent__pack *P, int groups)
{
    P->uf = NULL;
    P->lwf = NULL;
    P->grpf = NULL;
    if (!P->cap_single)
        return;
    const size_t npad = P->npad, d = P->d;
    double top = -INFINITY, bottom = INFINITY, umax = 0.0;
    for (size_t j = 0; j < npad; ++j) {
        const double lw = P->lw[j];
        if (lw == -INFINITY)
            continue;
        top = lw > top ? lw : top;
        bottom = lw < bottom ? lw : bottom;
        if (groups && !(P->grp[j] <= (double)INT32_MAX))
            return;
    }
    for (size_t i = 0; i < npad * d; ++i) {
        double a = fabs(P->u[i]); /* padding is 0 */
        umax = a > umax ? a : umax;
    }
    if (top == -INFINITY) /* no centre */
        top = bottom = 0.0;
    P->lw_top = top;
    P->lw_span = top - bottom;
    P->umax = umax;
    P->lnn1 = log((double)P->n + 1.0);
    P->sum_top_f = exp(GCENT__PK_EMAXF - 1.0);
    for (size_t i = 0; i < npad * d; ++i)
        P->uf_buf[i] = (float)P->u[i];
    for (size_t j = 0; j < npad; ++j)
        P->lwf_buf[j] = P->lw[j] == -INFINITY ? -INFINITY : (float)(P->lw[j] - top);
    if (groups)
        for (size_t j = 0; j < npad; ++j)
            P->grpf_buf[j] = (int32_t)P->grp[j];
    P->uf = P->uf_buf;
    P->lwf = P->lwf_buf;
    P->grpf = groups ? P->grpf_buf : NULL;
}

/* The layout of m in P (the storage's capacity suffices): segments, k-d
 * order, boxes; then the pruning decision. pos goes to P->pos_a. */
static int layout(gcent__pack *P, gcent__pack_ws *W, const gcent__mix *m,
                  const size_t *seg_first, size_t nseg, const size_t *group, double tol,
                  int force, gcent__ticker *tk)
{
    const size_t n = m->n, d = m->d, B = GCENT__PK_BLK;
    size_t one[2] = {0, n};
    if (seg_first == NULL) {
        seg_first = one;
        nseg = 1;
    }
    size_t npad = 0;
    for (size_t s = 0; s < nseg; ++s)
        npad += (seg_first[s + 1] - seg_first[s] + B - 1) / B * B;
    if (npad == 0)
        npad = B;
    const int prune = tol > 0.0 && P->cap_prune;
    P->n = n;
    P->npad = npad;
    P->nseg = nseg;
    P->nblk = npad / B;
    P->pos = P->pos_a;
    P->grp = group ? P->grp_buf : NULL;
    P->self_lw = NULL;
    P->node = prune ? P->node_buf : NULL;
    P->box = prune ? P->box_buf : NULL;
    P->seg_root = prune ? P->seg_root_buf : NULL;
    P->nnode = 0;
    P->logtol = prune ? log(tol) : -INFINITY;
    P->flush = -(37.0 + log((double)(n > 1 ? n : 1)));
    P->sum_top = exp(GCENT__PK_EMAX - 1.0);

    size_t *idx = W->idx;
    for (size_t i = 0; i < n; ++i)
        idx[i] = i;
    for (size_t j = 0; j < npad; ++j) {
        P->lw[j] = -INFINITY;
        if (P->grp)
            P->grp[j] = -1.0;
        for (size_t k = 0; k < d; ++k)
            P->u[gcent__pk_at(P, j, k)] = 0.0;
        if ((j + 1) % 65536 == 0 && gcent__ticker_add(tk, 65536.0) != GCENT_OK)
            return tk->st;
    }
    size_t at = 0;
    for (size_t s = 0; s < nseg; ++s) {
        size_t a = seg_first[s], b = seg_first[s + 1];
        P->seg[s] = at / B;
        size_t root = gcent__kd_build(P, m, idx, W->keys, a, at / B, b, tk);
        if (tk->st != GCENT_OK)
            return tk->st;
        if (P->seg_root)
            P->seg_root[s] = a < b ? root : SIZE_MAX;
        for (size_t p = a; p < b; ++p, ++at) {
            size_t i = idx[p];
            P->pos[i] = at;
            P->lw[at] = m->logw[i];
            if (P->grp)
                P->grp[at] = (double)group[i];
            for (size_t k = 0; k < d; ++k)
                P->u[gcent__pk_at(P, at, k)] = m->ut[k * n + i];
            if ((p + 1) % 65536 == 0 && gcent__ticker_add(tk, 65536.0) != GCENT_OK)
                return tk->st;
        }
        at = (at + B - 1) / B * B;
    }
    P->seg[nseg] = P->nblk;
    single_copy(P, group != NULL);
    if (P->node) {
        gcent__kd_boxes(P);
        if (gcent__ticker_add(tk, (double)n) != GCENT_OK)
            return tk->st;
        if (!force && !gcent__prune_pays(P, W)) {
            P->node = NULL;
            P->box = NULL;
            P->seg_root = NULL;
            P->nnode = 0;
        }
    }
    return GCENT_OK;
}

/* Rows of m in lexicographic order of their coordinates (ties by index). */
static int lex_cmp(const gcent__mix *m, size_t a, size_t b)
{
    for (size_t k = 0; k < m->d; ++k) {
        double x = m->ut[k * m->n + a], y = m->ut[k * m->n + b];
        if (x < y)
            return -1;
        if (x > y)
            return 1;
    }
    return a < b ? -1 : a > b;
}

/* A merge sort (qsort has no context argument in C11); tk counts the
 * elements merged (n ceil(log2 n) in all) and stops the sort early on a
 * cancellation. */
static void lex_sort(size_t *v, size_t *tmp, size_t n, const gcent__mix *m, gcent__ticker *tk)
{
    if (n < 2 || tk->st != GCENT_OK)
        return;
    size_t h = n / 2;
    lex_sort(v, tmp, h, m, tk);
    lex_sort(v + h, tmp, n - h, m, tk);
    if (n >= 1024)
        gcent__ticker_add(tk, (double)n);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = lex_cmp(m, v[j], v[i]) < 0 ? v[j++] : v[i++];
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof *v);
}

int gcent__pack_build(gcent__pack *P, gcent__pack_ws *W, const gcent__mix *m,
                      const size_t *seg_first, size_t nseg, const size_t *group, double tol,
                      int force, gcent__progress *p, uint64_t units)
{
    const size_t n = m->n, d = m->d;
    /* Exact duplicates are merged only with pruning on, one segment and no
     * groups (gcent_entropy, gcent_entropy_bounds): the merged centre has
     * the summed weight, and a query from one of its rows leaves out its own
     * weight only (self_lw). */
    const int merge = tol > 0.0 && P->cap_prune && group == NULL &&
                      (seg_first == NULL || nseg == 1) && n >= 2 && W->ord != NULL;
    /* progress: the sort of the merge (if any) and the k-d build share the
     * units in proportion to their work */
    double lg = 1.0;
    for (size_t t = n; t > 1; t >>= 1)
        lg += 1.0;
        /* the layout ticks n to clear the storage, len per k-d split (n per level,
     * about lg - 4 levels), n at the leaves, n to place the centres, n for
     * the boxes */
    const double sort_work = merge ? (double)n * lg : 0.0, kd_work = (double)n * (lg + 3.0);
    const uint64_t su = (uint64_t)((double)units * sort_work / (sort_work + kd_work));
    gcent__ticker tk;
    if (!merge) {
        gcent__ticker_init(&tk, p, units, kd_work);
        int st = layout(P, W, m, seg_first, nseg, group, tol, force, &tk);
        return st == GCENT_OK ? gcent__ticker_end(&tk) : st;
    }
    size_t *ord = W->ord, *uid = W->tmp;
    for (size_t i = 0; i < n; ++i)
        ord[i] = i;
    gcent__ticker_init(&tk, p, su, sort_work);
    lex_sort(ord, uid, n, m, &tk);
    int st = gcent__ticker_end(&tk);
    if (st != GCENT_OK)
        return st;
    gcent__ticker_init(&tk, p, units - su, kd_work);
    /* uid[i] = number of the distinct centre of row i */
    size_t nu = 0;
    for (size_t r = 0; r < n; ++r) {
        if (r > 0) {
            size_t a = ord[r - 1], b = ord[r];
            int same = 1;
            for (size_t k = 0; k < d && same; ++k)
                same = m->ut[k * n + a] == m->ut[k * n + b];
            nu += !same;
        }
        uid[ord[r]] = nu;
    }
    ++nu;
    if (nu == n) { /* no duplicates */
        st = layout(P, W, m, NULL, 0, NULL, tol, force, &tk);
        return st == GCENT_OK ? gcent__ticker_end(&tk) : st;
    }
    gcent__mix *um = &W->um;
    um->n = nu;
    um->d = d;
    for (size_t g = 0; g < nu; ++g)
        um->w[g] = 0.0;
    /* summed weights in row order (a fixed order) */
    for (size_t i = 0; i < n; ++i) {
        size_t g = uid[i];
        um->w[g] += m->w[i];
        for (size_t k = 0; k < d; ++k)
            um->ut[k * nu + g] = m->ut[k * n + i];
    }
    for (size_t g = 0; g < nu; ++g)
        um->logw[g] = log(um->w[g]);
    double *self_lw = P->self_lw_buf;
    for (size_t i = 0; i < n; ++i) {
        double rest = um->w[uid[i]] - m->w[i];
        self_lw[i] = rest > 0.0 ? log(rest) : -INFINITY;
    }
    st = layout(P, W, um, NULL, 0, NULL, tol, force, &tk);
    if (st != GCENT_OK)
        return st;
    /* positions of the caller's rows: their merged centre */
    for (size_t i = 0; i < n; ++i)
        P->pos_b[i] = P->pos_a[uid[i]];
    P->pos = P->pos_b;
    P->self_lw = self_lw;
    return gcent__ticker_end(&tk);
}

void gcent__packed_order(const gcent__pack *P, size_t n, size_t *ord, size_t *cnt)
{
    memset(cnt, 0, (P->npad + 1) * sizeof *cnt);
    for (size_t i = 0; i < n; ++i)
        ++cnt[P->pos[i] + 1];
    for (size_t j = 0; j < P->npad; ++j)
        cnt[j + 1] += cnt[j];
    for (size_t i = 0; i < n; ++i)
        ord[cnt[P->pos[i]]++] = i;
}
