/* Partial results of shards: their bytes, the fingerprint of the data, the
 * covered row ranges, merging and the checks of merge and finish.
 *
 * A partial holds exact accumulators (src/sum.h), so merging adds integers:
 * any split of the rows into shards, merged in any order and grouping, gives
 * the same bytes, and finishing gives the bits of the one-shot call. What
 * could make a merge wrong is refused with GCENT_EINVAL: another library
 * version or format, another kind, shape, seed or option set, other data
 * (fingerprint), and row ranges that overlap (a shard counted twice); finish
 * refuses a partial whose ranges leave a gap. */
#include <string.h>
#include "partial.h"

static uint64_t bits_of(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

uint64_t gcent__fingerprint(const gcent__rows *s, size_t n, size_t d, const double *w,
                            const int *labels, size_t m, double beta)
{
    uint64_t h = gcent__mix64(0x6763656e74ull ^ (uint64_t)n) ^ gcent__mix64((uint64_t)d + 0x9e37u);
    h = gcent__mix64(h ^ bits_of(beta));
    for (size_t i = 0; i < n; ++i)
        for (size_t k = 0; k < d; ++k) /* floats widened: the fingerprint of the doubles */
            h = gcent__mix64(h + bits_of(gcent__rows_at(s, i, k)));
    if (w != NULL)
        for (size_t i = 0; i < n; ++i)
            h = gcent__mix64(h ^ bits_of(w[i]));
    if (labels != NULL)
        for (size_t i = 0; i < m; ++i)
            h = gcent__mix64(h + (uint64_t)(uint32_t)labels[i] + 0x51u);
    return h;
}

void gcent__part_init(gcent__part *q, uint32_t kind, const gcent__opts *o, size_t n, size_t m,
                      size_t k, size_t d, double beta, size_t row_begin, size_t row_end)
{
    memset(q, 0, sizeof *q);
    q->magic = GCENT__PART_MAGIC;
    q->format = GCENT__PART_FORMAT;
    q->version = GCENT_VERSION_NUMBER;
    q->kind = kind;
    q->n = n;
    q->m = m;
    q->k = k;
    q->d = d;
    q->beta = beta;
    q->seed = o->seed;
    q->draws = o->draws;
    q->method_opt = o->method;
    q->prune = o->prune;
    q->precision = o->precision;
    q->prune_tol = o->prune_tol;
    q->quad_tol = o->quad_tol;
    q->log_base = o->log_base;
    if (row_end > row_begin) {
        q->nranges = 1;
        q->range[0][0] = row_begin;
        q->range[0][1] = row_end;
    }
    gcent__mc_acc_zero(&q->acc);
}

void gcent__part_store(gcent_partial *to, const gcent__part *q)
{
    /* canonical accumulators: equal sums, equal bytes */
    gcent__part c = *q;
    for (int t = 0; t < GCENT__MC_TERMS; ++t) {
        gcent__xacc_normalise(&c.acc.e[t]);
        gcent__xacc_normalise(&c.acc.s1[t]);
        gcent__xacc_normalise(&c.acc.s2[t]);
    }
    gcent__xacc_normalise(&c.acc.a0);
    memset(to, 0, sizeof *to);
    memcpy(to, &c, sizeof c);
}

int gcent__part_load(gcent__part *q, const gcent_partial *from, const char *what, gcent__err *e)
{
    memcpy(q, from, sizeof *q);
    if (q->magic != GCENT__PART_MAGIC) {
        uint64_t sw = 0;
        for (int b = 0; b < 8; ++b)
            sw |= ((q->magic >> (8 * b)) & 0xffu) << (56 - 8 * b);
        if (sw == GCENT__PART_MAGIC)
            return gcent__seterr(e, GCENT_EINVAL,
                                 "%s was written on a host of the other byte order "
                                 "(partials travel only between builds of the same platform)",
                                 what);
        return gcent__seterr(e, GCENT_EINVAL,
                             "%s is not a partial result (no gcent_*_partial wrote it)", what);
    }
    if (q->format != GCENT__PART_FORMAT || q->version != GCENT_VERSION_NUMBER)
        return gcent__seterr(e, GCENT_EINVAL,
                             "%s comes from libgcent %u.%u.%u (format %u); this is %s "
                             "(format %u): partials travel only between the same versions",
                             what, q->version / 10000u, q->version / 100u % 100u,
                             q->version % 100u, q->format, GCENT_VERSION_STRING,
                             GCENT__PART_FORMAT);
    if ((q->kind != GCENT__PART_ENTROPY && q->kind != GCENT__PART_LAYER) ||
        q->nranges > GCENT__PART_MAXRANGES)
        return gcent__seterr(e, GCENT_EINVAL, "%s is damaged (bad kind or range count)", what);
    return GCENT_OK;
}

/* The first option that differs between two option records, or NULL. */
static const char *option_diff(const gcent__part *a, const gcent__part *b)
{
    if (a->seed != b->seed)
        return "GCENT_OPT_SEED";
    if (a->draws != b->draws)
        return "GCENT_OPT_MC_DRAWS";
    if (a->method_opt != b->method_opt)
        return "GCENT_OPT_METHOD";
    if (a->prune != b->prune)
        return "GCENT_OPT_PRUNE";
    if (bits_of(a->prune_tol) != bits_of(b->prune_tol))
        return "GCENT_OPT_PRUNE_TOL";
    if (bits_of(a->quad_tol) != bits_of(b->quad_tol))
        return "GCENT_OPT_QUAD_TOL";
    if (bits_of(a->log_base) != bits_of(b->log_base))
        return "GCENT_OPT_LOG_BASE";
    if (a->precision != b->precision)
        return "GCENT_OPT_PRECISION";
    return NULL;
}

static const char *kind_name(uint32_t kind)
{
    return kind == GCENT__PART_ENTROPY ? "gcent_entropy_partial" : "gcent_mi_layer_partial";
}

int gcent__part_check_finish(const gcent__part *q, uint32_t kind, const gcent__opts *o,
                             gcent__err *e)
{
    if (q->kind != kind)
        return gcent__seterr(e, GCENT_EINVAL, "the partial was made by %s, not %s",
                             kind_name(q->kind), kind_name(kind));
    gcent__part want;
    gcent__part_init(&want, kind, o, 0, 0, 0, 0, 0.0, 0, 0);
    const char *opt = option_diff(q, &want);
    if (opt != NULL)
        return gcent__seterr(e, GCENT_EINVAL,
                             "the partial was made with another %s than this context's", opt);
    /* ranges are sorted, disjoint and never adjacent: complete means one
     * range, [0, n) */
    uint64_t at = 0, gap_end = q->n;
    for (uint32_t r = 0; r < q->nranges; ++r) {
        if (q->range[r][0] > at) {
            gap_end = q->range[r][0];
            break;
        }
        at = q->range[r][1];
    }
    if (at < q->n)
        return gcent__seterr(e, GCENT_EINVAL,
                             "rows [%llu, %llu) of [0, %llu) are missing from the partial (a "
                             "shard was not merged)",
                             (unsigned long long)at, (unsigned long long)gap_end,
                             (unsigned long long)q->n);
    return GCENT_OK;
}

static int merge_ranges(gcent__part *a, const gcent__part *b, gcent__err *e)
{
    uint64_t out[2 * GCENT__PART_MAXRANGES][2];
    uint32_t i = 0, j = 0, no = 0;
    while (i < a->nranges || j < b->nranges) {
        const uint64_t *r;
        if (j >= b->nranges || (i < a->nranges && a->range[i][0] < b->range[j][0]))
            r = a->range[i++];
        else
            r = b->range[j++];
        if (no > 0 && r[0] < out[no - 1][1])
            return gcent__seterr(e, GCENT_EINVAL,
                                 "rows [%llu, %llu) are in both partials (overlapping shards, "
                                 "or a shard merged twice)",
                                 (unsigned long long)r[0],
                                 (unsigned long long)(r[1] < out[no - 1][1] ? r[1]
                                                                            : out[no - 1][1]));
        if (no > 0 && r[0] == out[no - 1][1]) {
            out[no - 1][1] = r[1]; /* adjacent: one range */
        } else {
            out[no][0] = r[0];
            out[no][1] = r[1];
            ++no;
        }
    }
    if (no > GCENT__PART_MAXRANGES)
        return gcent__seterr(e, GCENT_ERANGE,
                             "the merged partial would cover %u separate row ranges (at most "
                             "%d): merge neighbouring shards first", no, GCENT__PART_MAXRANGES);
    a->nranges = no;
    memset(a->range, 0, sizeof a->range); /* canonical bytes: no stale ranges */
    memcpy(a->range, out, no * sizeof out[0]);
    return GCENT_OK;
}

int gcent__part_merge(gcent_partial *into, const gcent_partial *from, gcent__err *e)
{
    gcent__part a, b;
    int st = gcent__part_load(&a, into, "the partial merged into (into)", e);
    if (st == GCENT_OK)
        st = gcent__part_load(&b, from, "the partial merged (from)", e);
    if (st != GCENT_OK)
        return st;
    if (a.kind != b.kind)
        return gcent__seterr(e, GCENT_EINVAL, "a partial of %s cannot merge with one of %s",
                             kind_name(a.kind), kind_name(b.kind));
    if (a.n != b.n || a.m != b.m || a.k != b.k || a.d != b.d || a.with_y != b.with_y)
        return gcent__seterr(e, GCENT_EINVAL,
                             "the partials are of different shapes (n = %llu, m = %llu, k = "
                             "%llu, d = %llu%s and n = %llu, m = %llu, k = %llu, d = %llu%s)",
                             (unsigned long long)a.n, (unsigned long long)a.m,
                             (unsigned long long)a.k, (unsigned long long)a.d,
                             a.with_y ? ", labels" : "", (unsigned long long)b.n,
                             (unsigned long long)b.m, (unsigned long long)b.k,
                             (unsigned long long)b.d, b.with_y ? ", labels" : "");
    const char *opt = option_diff(&a, &b);
    if (opt != NULL)
        return gcent__seterr(e, GCENT_EINVAL, "the partials were made with different %s", opt);
    if (a.fingerprint != b.fingerprint || bits_of(a.beta) != bits_of(b.beta))
        return gcent__seterr(e, GCENT_EINVAL,
                             "the partials were computed from different samples, weights, "
                             "labels or beta (their fingerprints differ)");
    if (a.method != b.method || a.kept != b.kept || bits_of(a.hw) != bits_of(b.hw) ||
        bits_of(a.hy) != bits_of(b.hy))
        return gcent__seterr(e, GCENT_EINVAL, "the partials disagree on their method or "
                                              "constants (damaged partial)");
    st = merge_ranges(&a, &b, e);
    if (st != GCENT_OK)
        return st;
    gcent__mc_acc_merge(&a.acc, &b.acc);
    gcent__part_store(into, &a);
    return GCENT_OK;
}
