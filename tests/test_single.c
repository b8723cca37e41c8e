/* Single precision (GCENT_PRECISION_SINGLE): the float kernel's exponential
 * against expl; its error bound (gcent__f32_bound) against a long-double
 * reference on uniform, clustered, trained-layer-like, weighted and
 * near-coincident data, dense and pruned, with segments and groups; the same
 * bits on every instruction set and for any batching; the public results
 * within the bound of the double ones and bit-identical over thread counts;
 * the float32 entry points against the double ones. */
#include <float.h>
#include <stdlib.h>
#include <string.h>
#include "kernel_util.h"
#include "noise.h"
#include "tests.h"

/* The float exponential, through the kernel: one centre at 0, the query at
 * 0 (distance 0) and shift = -x, so the exponent is x exactly (a float) and
 * the sum is the kernel's exp(x). Against expl over the whole range the
 * kernel's exponents take ([flush, GCENT__PK_EMAXF - 1]; flush is lowered
 * to -87, below the -(37 + ln 2^64) of any pack): relative error at most
 * GCENT__F32_EXP_ERR + GCENT__F32_EXP_ERR_X |x| (kernel.h), the same bits
 * on every instruction set. */
START_TEST(test_single_exp)
{
    double s0 = 0.0, q = 0.0;
    gcent__mix m;
    ck_assert_int_eq(gt_mix_init(&m, &s0, 1, 1, 1, NULL, 1.0), GCENT_OK);
    gcent__pack P;
    ck_assert_int_eq(gt_pack_init_single(&P, &m, NULL, 0, NULL, 0.0, 0, 1), GCENT_OK);
    ck_assert_ptr_nonnull(P.uf);
    P.flush = -87.0;
    gcent__pk_work W;
    ck_assert_int_eq(gcent__pk_work_init(&W, &P), GCENT_OK);
    const int top = gcent__pack_isa();
    const int steps = GT_LIGHT(1 << 20, 1 << 14);
    double worst = 0.0, worst_x = 0.0;
    gcent__query Q[GCENT__PK_QB];
    double S[3 * GCENT__PK_QB], E[GCENT__PK_QB], S0[3 * GCENT__PK_QB], E0[GCENT__PK_QB];
    float xs[GCENT__PK_QB];
    for (int j0 = 0; j0 < steps; j0 += GCENT__PK_QB) {
        for (int i = 0; i < GCENT__PK_QB; ++i) {
            /* floats spread over [-86.9, 78.9] */
            xs[i] = (float)(-86.9 + 165.8 * (double)(j0 + i) / (double)steps);
            Q[i] = (gcent__query){.q = &q, .a = 0.5, .shift = -(double)xs[i],
                                  .skip = SIZE_MAX, .skip_lw = -INFINITY,
                                  .own_seg = SIZE_MAX, .own = -1.0};
        }
        for (int isa = 0; isa <= top; ++isa) {
            ck_assert_int_eq(
                gcent__pack_sums_batch_isa(isa, &P, Q, GCENT__PK_QB, isa ? S : S0,
                                           isa ? E : E0, &W), 0);
            for (int i = 0; i < GCENT__PK_QB; ++i)
                ck_assert_msg(W.fsel[i] == 1, "x = %.9g ran in double", (double)xs[i]);
            if (isa)
                ck_assert_msg(memcmp(S, S0, sizeof S) == 0 && memcmp(E, E0, sizeof E) == 0,
                              "isa %d differs from portable near x = %.9g", isa,
                              (double)xs[0]);
        }
        for (int i = 0; i < GCENT__PK_QB; ++i) {
            const long double x = xs[i], ref = expl(x);
            ck_assert(E0[i] == 0.0 && S0[3 * i] == 0.0 && S0[3 * i + 1] == 0.0);
            double rel = (double)(fabsl(S0[3 * i + 2] - ref) / ref);
            ck_assert_msg(rel <= GCENT__F32_EXP_ERR + GCENT__F32_EXP_ERR_X * fabs((double)x),
                          "exp(%.9g): relative error %.3g", (double)x, rel);
            if (rel > worst) {
                worst = rel;
                worst_x = (double)x;
            }
        }
    }
    /* the error is that of a float computation, not far below it */
    ck_assert_msg(worst > 0x1p-25, "largest error %.3g at %.6g: not a float exponential?",
                  worst, worst_x);
    gcent__pk_work_free(&W);
    gt_pack_free(&P);
    gcent__mix_free(&m);
}
END_TEST

/* ---- data families ---------------------------------------------------------------- */

enum { FAM_UNIFORM, FAM_CLUSTERED, FAM_TRAINED, FAM_NEAR, FAM_WEIGHTED, FAM_WIDE, NFAM };

static const char *fam_name[NFAM] = {"uniform", "clustered", "trained-layer-like",
                                     "near-coincident", "weighted", "wide clustered"};

/* Rows of a family (malloc'ed), its d and beta; weights (malloc'ed, or NULL). */
static double *family(int fam, size_t n, size_t *d, double *beta, double **w, uint64_t seed)
{
    *w = NULL;
    *beta = 0.1;
    switch (fam) {
    case FAM_UNIFORM:
        *d = seed % 2 ? 12 : 2;
        *beta = *d == 12 ? 0.35 : 0.1; /* at 0.1 nothing is near in 12 dimensions */
        return gt_kdata(n, *d, 0, 0.0, seed);
    case FAM_CLUSTERED:
        *d = 7;
        return gt_kdata(n, *d, 12, 0.05, seed);
    case FAM_TRAINED: {
        /* saturated tanh units: a few patterns, small noise, near duplicates */
        *d = 5;
        double *s = malloc(n * 5 * sizeof *s);
        ck_assert_ptr_nonnull(s);
        gcent_rng_normals(seed, 3u, 0, n * 5, s);
        for (size_t i = 0; i < n; ++i)
            for (size_t k = 0; k < 5; ++k)
                s[i * 5 + k] = tanh(2.5 * ((double)((i / 3 + 2 * k) % 6) / 2.5 - 1.0) +
                                    0.2 * s[i * 5 + k]);
        return s;
    }
    case FAM_NEAR: {
        /* three clusters 2 apart, points 1e-3 apart within: beta = 0.002
         * puts the coordinates 500 noise widths from the midrange */
        *d = 3;
        *beta = 0.002;
        double *s = gt_kdata(n, 3, 3, 0.0, seed);
        uint64_t st = seed;
        for (size_t i = 0; i < n * 3; ++i)
            s[i] += 2e-3 * (gt_lcg01(&st) - 0.5);
        return s;
    }
    case FAM_WEIGHTED: {
        *d = 3;
        double *s = gt_kdata(n, 3, 4, 0.2, seed), sum = 0.0;
        *w = malloc(n * sizeof **w);
        ck_assert_ptr_nonnull(*w);
        uint64_t st = seed;
        for (size_t i = 0; i < n; ++i)
            sum += ((*w)[i] = exp(6.0 * gt_lcg01(&st))); /* weights spanning e^6 */
        for (size_t i = 0; i < n; ++i)
            (*w)[i] /= sum;
        return s;
    }
    default: /* FAM_WIDE */
        *d = seed % 2 ? 40 : 16;
        *beta = 0.3;
        return gt_kdata(n, *d, 6, 0.1, seed);
    }
}

/* The driver's query of centre i, draw r: t = u_i + z (z the documented
 * noise vector), shift = its own term. */
static void driver_query(const gcent__mix *m, const gcent__pack *P, size_t i, uint32_t r,
                         uint64_t seed, double *z, double *q, gcent__query *Q)
{
    gcent__noise_vector(seed, GCENT__STREAM_ENTROPY_MC, m->index[i], r, m->d, z);
    const double z2 = gcent__noisy_query(m, i, z, q);
    *Q = (gcent__query){.q = q, .a = 0.5, .shift = m->logw[i] - 0.5 * z2, .skip = P->pos[i],
                        .skip_lw = P->self_lw ? P->self_lw[i] : -INFINITY,
                        .own_seg = SIZE_MAX, .own = -1.0};
}

/* log(1 + x) in long double. */
static long double l1p(long double x) { return log1pl(x); }

/* The bound (gcent__f32_bound, kernel.h): for every query that runs in float
 * and is not signalled, log(1 + S) of every slot union the driver uses --
 * slot 0, slots 0 + 1, all three -- is within the query's bound (plus the
 * pruning tolerance when pruned) of the long-double value over every
 * centre, and the driver's summands log(R^T / R^X), log(R^T / R^Y) within
 * twice that. A query the bound keeps in double gives the double kernel's
 * bits. Most queries of every family run in float. */
static void bound_family(int fam, uint64_t seed, int layer, double tol)
{
    const size_t n = GT_LIGHT(600, 160), gsz = 4;
    size_t d;
    double beta, *w;
    double *s = family(fam, n, &d, &beta, &w, seed);
    gt_kfix f;
    gt_kfix_init_data(&f, s, n, d, beta, layer ? 3 : 1, gsz);
    if (w != NULL) { /* the fixture's mixture has equal weights: redo it weighted */
        gcent__mix_free(&f.m);
        ck_assert_int_eq(gt_mix_init(&f.m, s, n, d, d, w, beta), GCENT_OK);
    }
    gcent__pack P;
    ck_assert_int_eq(gt_pack_init_single(&P, &f.m, layer ? f.segf : NULL, layer ? f.nseg : 0,
                                         layer ? f.grp : NULL, tol, tol > 0.0, 1),
                     GCENT_OK);
    gcent__pk_work Wk;
    ck_assert_int_eq(gcent__pk_work_init(&Wk, &P), GCENT_OK);
    double *qs = malloc(GCENT__PK_QB * d * sizeof *qs), *z = malloc(d * sizeof *z);
    ck_assert(qs && z);
    gcent__query Q[GCENT__PK_QB];
    double S[3 * GCENT__PK_QB], E[GCENT__PK_QB];
    size_t nf = 0, nq = 0;
    double worst = 0.0;
    for (size_t i0 = 0; i0 < f.m.n; i0 += GCENT__PK_QB / 2) {
        size_t nb = 0;
        for (size_t i = i0; i < f.m.n && i < i0 + GCENT__PK_QB / 2; ++i)
            for (uint32_t r = 0; r < 2; ++r, ++nb) {
                driver_query(&f.m, &P, i, r, seed, z, qs + nb * d, &Q[nb]);
                if (layer) { /* the fixture's segments and groups: rows are centres */
                    size_t sg = 0;
                    while (f.segf[sg + 1] <= i)
                        ++sg;
                    Q[nb].own_seg = sg;
                    Q[nb].own = (double)(i / gsz);
                    Q[nb].skip_lw = -INFINITY;
                }
            }
        gcent__pack_sums_batch(&P, Q, nb, S, E, &Wk);
        for (size_t b = 0; b < nb; ++b, ++nq) {
            const double *Sb = S + 3 * b;
            if (!Wk.fsel[b]) { /* in double: the double kernel's bits */
                double S1[3];
                double e1 = gcent__pack_sums(&P, &Q[b], S1);
                ck_assert(memcmp(S1, Sb, sizeof S1) == 0 && e1 == E[b]);
                continue;
            }
            ++nf;
            if (E[b] > GCENT__PK_EMAX) /* redone in log space by the driver */
                continue;
            long double R[3];
            gt_ref_sums(&P, &Q[b], R);
            const double bound = gcent__f32_bound(&P, &Q[b]) + tol;
            /* log(1 + x) of the computed sums, each within one rounding */
            const long double got[5] = {
                l1p((long double)Sb[0]), l1p((long double)Sb[0] + Sb[1]),
                l1p((long double)Sb[0] + Sb[1] + Sb[2]),
                l1p(((long double)Sb[1] + Sb[2]) / (1.0L + Sb[0])),
                l1p((long double)Sb[2] / (1.0L + Sb[0] + Sb[1]))};
            const long double ref[5] = {l1p(R[0]), l1p(R[0] + R[1]), l1p(R[0] + R[1] + R[2]),
                                        l1p((R[1] + R[2]) / (1.0L + R[0])),
                                        l1p(R[2] / (1.0L + R[0] + R[1]))};
            for (int t = 0; t < 5; ++t) {
                const double lim = (t < 3 ? 1.0 : 2.0) * bound +
                                   4.0 * DBL_EPSILON * (1.0 + (double)fabsl(ref[t]));
                const double diff = (double)fabsl(got[t] - ref[t]);
                ck_assert_msg(diff <= lim,
                              "%s d=%zu %s tol %g, query %zu, term %d: |%.17Lg - %.17Lg| = "
                              "%.3g > %.3g", fam_name[fam], d, layer ? "layer" : "mixture",
                              tol, nq, t, got[t], ref[t], diff, lim);
                worst = diff / lim > worst ? diff / lim : worst;
            }
        }
    }
    /* near-coincident data at beta = 0.002 still fit the cap (their bound
     * is about 1e-3 of it... see test_single_cap for a family that does not) */
    ck_assert_msg(nf * 10 >= nq * 9, "%s: %zu of %zu queries ran in float", fam_name[fam], nf,
                  nq);
    free(qs);
    free(z);
    free(w);
    gcent__pk_work_free(&Wk);
    gt_pack_free(&P);
    gt_kfix_free(&f);
}

START_TEST(test_single_bound)
{
    static const double tols[] = {0.0, 1e-12, 1e-6};
    for (int fam = 0; fam < NFAM; ++fam)
        for (int layer = 0; layer < 2; ++layer)
            for (size_t t = 0; t < sizeof tols / sizeof tols[0]; ++t)
                for (uint64_t seed = 1; seed <= 2; ++seed) /* two widths where they differ */
                    bound_family(fam, seed + 10 * t, layer, tols[t]);
}
END_TEST

/* Where the bound passes GCENT__F32_CAP the query runs in double: data 2e5
 * noise widths from their midrange (beta tiny against the spread) make
 * every query's bound too large, and every result is the double one, bit
 * for bit. */
START_TEST(test_single_cap)
{
    const size_t n = 200, d = 2;
    double *s = gt_kdata(n, d, 2, 1e-5, 3);
    gcent__mix m;
    ck_assert_int_eq(gt_mix_init(&m, s, n, d, d, NULL, 5e-6), GCENT_OK);
    gcent__pack P;
    ck_assert_int_eq(gt_pack_init_single(&P, &m, NULL, 0, NULL, 0.0, 0, 1), GCENT_OK);
    gcent__pk_work W;
    ck_assert_int_eq(gcent__pk_work_init(&W, &P), GCENT_OK);
    double q[2], z[2], S[3], E;
    for (size_t i = 0; i < n; ++i) {
        gcent__query Q;
        driver_query(&m, &P, i, 0, 7, z, q, &Q);
        ck_assert_msg(gcent__f32_bound(&P, &Q) > GCENT__F32_CAP, "row %zu: bound %.3g", i,
                      gcent__f32_bound(&P, &Q));
        gcent__pack_sums_batch(&P, &Q, 1, S, &E, &W);
        ck_assert_int_eq(W.fsel[0], 0);
    }
    /* the public result: the double one */
    gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 2, 7);
    gcent_estimate a, b;
    ck_assert_int_eq(gcent_entropy(ctx, s, n, d, d, NULL, 5e-6, &a), GCENT_OK);
    ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_PRECISION, GCENT_PRECISION_SINGLE), GCENT_OK);
    ck_assert_int_eq(gcent_entropy(ctx, s, n, d, d, NULL, 5e-6, &b), GCENT_OK);
    ck_assert(memcmp(&a, &b, sizeof a) == 0);
    gcent_ctx_free(ctx);
    gcent__pk_work_free(&W);
    gt_pack_free(&P);
    gcent__mix_free(&m);
    free(s);
}
END_TEST

/* The float kernel's bits depend on neither the instruction set nor the
 * batching: random batch sizes on every instruction set give, query by
 * query, the bits (and the float / double choice) of batches of one on the
 * portable kernel; dense, pruned and merged packs, segments and groups,
 * queries far away, a = 1/8 (a float: the float kernel) and a = 0.3 (not
 * one: double), exponents above GCENT__PK_EMAXF, several widths (the
 * specialised 1..12 and the generic). The overflow signal fires for every
 * float query with an exponent above GCENT__PK_EMAXF, and for none far
 * below. */
START_TEST(test_single_isa_batch)
{
    const int top = gcent__pack_isa();
    static const struct { size_t n, d; int clusters; double spread; size_t nseg; } sets[] = {
        {300, 1, 0, 0.0, 1},    {500, 2, 6, 0.05, 2},  {640, 5, 0, 0.0, 3},
        {800, 10, 12, 0.02, 2}, {700, 12, 0, 0.0, 1},  {600, 4, 5, 0.0, 1},
        {400, 13, 4, 0.05, 2},  {300, 33, 3, 0.05, 1},
    };
    for (size_t t = 0; t < sizeof sets / sizeof sets[0]; ++t)
        for (int mode = 0; mode < 3; ++mode) { /* dense, pruned, pruned without groups */
            const size_t n = GT_LIGHT(sets[t].n, sets[t].n / 4), d = sets[t].d;
            gt_kfix f;
            gt_kfix_init(&f, n, d, sets[t].clusters, sets[t].spread, 300 + t, sets[t].nseg, 3);
            gcent__pack P;
            ck_assert_int_eq(gt_pack_init_single(&P, &f.m, mode == 2 ? NULL : f.segf,
                                                 mode == 2 ? 0 : f.nseg,
                                                 mode == 2 ? NULL : f.grp, mode ? 1e-12 : 0.0,
                                                 1, 1),
                             GCENT_OK);
            gcent__pk_work W;
            ck_assert_int_eq(gcent__pk_work_init(&W, &P), GCENT_OK);
            const size_t nq = n / 2;
            double *qs = malloc(nq * d * sizeof *qs);
            gcent__query *Q = malloc(nq * sizeof *Q);
            double *S = malloc(3 * nq * sizeof *S), *E = malloc(nq * sizeof *E);
            unsigned char *sel = malloc(nq);
            ck_assert(qs && Q && S && E && sel);
            uint64_t st = 41 + t;
            for (size_t j = 0; j < nq; ++j) {
                size_t i = (size_t)(gt_lcg01(&st) * n);
                gt_kquery(&f, &P, i, &st, qs + j * d, &Q[j], 3);
                if (mode == 2) {
                    Q[j].own_seg = SIZE_MAX;
                    Q[j].skip_lw = P.self_lw ? P.self_lw[i] : -INFINITY;
                }
                if (j % 17 == 5) /* far from everything */
                    qs[j * d] += 40.0;
                if (j % 11 == 3) /* another a, a float */
                    Q[j].a = 0.125;
                if (j % 13 == 4) /* an a that is no float: double */
                    Q[j].a = 0.3;
                if (j % 23 == 7) /* exponents above GCENT__PK_EMAXF */
                    Q[j].shift -= 100.0;
            }
            /* the reference: batches of one, portable */
            for (size_t j = 0; j < nq; ++j) {
                ck_assert_int_eq(
                    gcent__pack_sums_batch_isa(0, &P, &Q[j], 1, S + 3 * j, E + j, &W), 0);
                sel[j] = W.fsel[0];
                ck_assert(sel[j] == (Q[j].a != 0.3)); /* every other query fits the bound */
            }
            for (int isa = 0; isa <= top; ++isa) {
                uint64_t bs = 5 + (uint64_t)isa;
                for (size_t j0 = 0; j0 < nq;) {
                    size_t len = 1 + (size_t)(gt_lcg01(&bs) * GCENT__PK_QB);
                    len = len < nq - j0 ? len : nq - j0;
                    double Sb[3 * GCENT__PK_QB], Eb[GCENT__PK_QB];
                    ck_assert_int_eq(
                        gcent__pack_sums_batch_isa(isa, &P, Q + j0, len, Sb, Eb, &W), 0);
                    for (size_t j = 0; j < len; ++j)
                        ck_assert_msg(memcmp(Sb + 3 * j, S + 3 * (j0 + j), 3 * sizeof *S) ==
                                              0 &&
                                          Eb[j] == E[j0 + j] && W.fsel[j] == sel[j0 + j],
                                      "set %zu mode %d isa %d query %zu: differs", t, mode,
                                      isa, j0 + j);
                    j0 += len;
                }
            }
            size_t over = 0;
            for (size_t j = 0; j < nq; ++j) {
                if (!sel[j])
                    continue;
                long double R[3], mx = gt_ref_sums(&P, &Q[j], R);
                const double b = gcent__f32_bound(&P, &Q[j]); /* its exponents' error: below 1e-3 */
                ck_assert(b <= GCENT__F32_CAP);
                over += mx > GCENT__PK_EMAXF;
                if (mx > GCENT__PK_EMAXF)
                    ck_assert_msg(E[j] > GCENT__PK_EMAX, "set %zu query %zu: exponent %.3Lf, "
                                  "no overflow signal", t, j, mx);
                else if (mx < GCENT__PK_EMAXF - 1.0 - log((double)P.npad) - 1e-3)
                    ck_assert_msg(!(E[j] > GCENT__PK_EMAX), "set %zu query %zu: exponent "
                                  "%.3Lf, overflow signal", t, j, mx);
            }
            /* at the light sizes (Valgrind) a set may have no centre near
             * enough for the shifted queries to pass the top; the full sizes
             * (make check) must exercise the overflow signal in every set */
            ck_assert_msg(over > 0 || gt_light(), "set %zu mode %d: no exponent above the top",
                          t, mode);
            free(qs);
            free(Q);
            free(S);
            free(E);
            free(sel);
            gcent__pk_work_free(&W);
            gt_pack_free(&P);
            gt_kfix_free(&f);
        }
}
END_TEST

/* ---- the public functions ------------------------------------------------------- */

/* The largest bound over the Monte Carlo queries of gcent_entropy (layer: of
 * gcent_mi_layer) with draws draws and this seed: the driver's queries,
 * rebuilt here (the bound does not depend on the packing order). */
static double calls_bound(const double *s, size_t n, size_t d, const double *w, double beta,
                          uint32_t draws, uint64_t seed)
{
    gcent__mix m;
    ck_assert_int_eq(gt_mix_init(&m, s, n, d, d, w, beta), GCENT_OK);
    gcent__pack P;
    ck_assert_int_eq(gt_pack_init_single(&P, &m, NULL, 0, NULL, 0.0, 0, 1), GCENT_OK);
    double *q = malloc(2 * d * sizeof *q), *z = q + d, worst = 0.0;
    ck_assert_ptr_nonnull(q);
    for (size_t i = 0; i < m.n; ++i)
        for (uint32_t r = 0; r < draws; ++r) {
            gcent__query Q;
            driver_query(&m, &P, i, r, seed, z, q, &Q);
            double b = gcent__f32_bound(&P, &Q);
            ck_assert(b <= GCENT__F32_CAP);
            worst = b > worst ? b : worst;
        }
    free(q);
    gt_pack_free(&P);
    gcent__mix_free(&m);
    return worst;
}

/* gcent_entropy and gcent_mi_layer in single precision against double, the
 * same seed (the same draws): values within the largest bound of their
 * queries (the MIs within twice it), standard errors within 3 (6) times it
 * (gcent/context.h); pruned too, with the tolerance added; and bit-identical
 * for 1, 2 and 4 threads. */
START_TEST(test_single_public)
{
    const size_t m = GT_LIGHT(300, 80), k = 4, n = m * k;
    int *labels = malloc(m * sizeof *labels);
    ck_assert_ptr_nonnull(labels);
    for (size_t i = 0; i < m; ++i)
        labels[i] = (int)(i % 3);
    for (int fam = 0; fam < NFAM; ++fam)
        for (int prune = 0; prune < 2; ++prune) {
            size_t d;
            double beta, *w;
            double *s = family(fam, n, &d, &beta, &w, 5 + (uint64_t)fam);
            const double tol = prune ? 1e-9 : 0.0;
            const double bd = calls_bound(s, n, d, w, beta, 3, 9) + tol;
            gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 3, 9);
            ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_PRUNE,
                                           prune ? GCENT_PRUNE_ON : GCENT_PRUNE_OFF), GCENT_OK);
            ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_PRUNE_TOL, 1e-9), GCENT_OK);
            gcent_estimate hd, hs;
            gcent_layer_mi md, ms;
            ck_assert_int_eq(gcent_entropy(ctx, s, n, d, d, w, beta, &hd), GCENT_OK);
            ck_assert_int_eq(gcent_mi_layer(ctx, s, m, k, d, d, labels, beta, &md), GCENT_OK);
            ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_PRECISION, GCENT_PRECISION_SINGLE),
                             GCENT_OK);
            ck_assert_int_eq(gcent_entropy(ctx, s, n, d, d, w, beta, &hs), GCENT_OK);
            ck_assert_int_eq(gcent_mi_layer(ctx, s, m, k, d, d, labels, beta, &ms), GCENT_OK);
            const double sl = 1e-13; /* the double path's own rounding */
            ck_assert_msg(fabs(hs.value - hd.value) <= bd + sl, "%s h: %.3g > %.3g",
                          fam_name[fam], fabs(hs.value - hd.value), bd);
            ck_assert(fabs(hs.se - hd.se) <= 3 * bd + sl);
            ck_assert_msg(fabs(ms.ht.value - md.ht.value) <= bd + sl, "%s h(T)", fam_name[fam]);
            ck_assert_msg(fabs(ms.ixt.value - md.ixt.value) <= 2 * bd + sl, "%s I(X;T)",
                          fam_name[fam]);
            ck_assert_msg(fabs(ms.iyt.value - md.iyt.value) <= 2 * bd + sl, "%s I(Y;T)",
                          fam_name[fam]);
            ck_assert(fabs(ms.ht.se - md.ht.se) <= 3 * bd + sl);
            ck_assert(fabs(ms.ixt.se - md.ixt.se) <= 6 * bd + sl);
            ck_assert(fabs(ms.iyt.se - md.iyt.se) <= 6 * bd + sl);
            /* single precision is not double precision: something moved */
            ck_assert_msg(memcmp(&ms, &md, sizeof ms) != 0, "%s: single == double",
                              fam_name[fam]);
            for (double th = 1; th <= 4; th *= 2) {
                gcent_estimate ht;
                gcent_layer_mi mt;
                ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_THREADS, th), GCENT_OK);
                ck_assert_int_eq(gcent_entropy(ctx, s, n, d, d, w, beta, &ht), GCENT_OK);
                ck_assert_int_eq(gcent_mi_layer(ctx, s, m, k, d, d, labels, beta, &mt),
                                 GCENT_OK);
                ck_assert(memcmp(&ht, &hs, sizeof ht) == 0 && memcmp(&mt, &ms, sizeof mt) == 0);
            }
            gcent_ctx_free(ctx);
            free(s);
            free(w);
        }
    free(labels);
}
END_TEST

/* ---- float32 entry points --------------------------------------------------------- */

/* The _f32 executions give the bits of the double ones on the same values
 * (widened), in both precisions; their partials are the same bytes and
 * merge with the double ones. */
START_TEST(test_single_f32_inputs)
{
    enum { M = 50, K = 4, D = 6, N = M * K, LDS = D + 3 };
    static float sf[N * LDS];
    static double sd[N * LDS];
    int y[M];
    for (int i = 0; i < M; ++i)
        y[i] = i % 2;
    /* float activations of a saturated tanh layer; padding NaN, never read */
    gcent_rng_normals(3, 3u, 0, N * LDS, sd);
    for (size_t i = 0; i < N; ++i)
        for (size_t c = 0; c < LDS; ++c)
            sf[i * LDS + c] = c < D ? (float)tanh(2.0 * (double)((i / 5 + c) % 4) - 3.0 +
                                                  0.3 * sd[i * LDS + c])
                                    : NAN;
    for (size_t i = 0; i < N * LDS; ++i)
        sd[i] = (double)sf[i];
    for (int prec = GCENT_PRECISION_DOUBLE; prec <= GCENT_PRECISION_SINGLE; ++prec) {
        gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 2, 4);
        ck_assert_int_eq(gcent_ctx_set(ctx, GCENT_OPT_PRECISION, prec), GCENT_OK);
        gcent_plan *pl = NULL, *pe = NULL;
        ck_assert_int_eq(gcent_plan_mi_layer(ctx, M, K, D, y, 0.1, &pl), GCENT_OK);
        ck_assert_int_eq(gcent_plan_entropy(ctx, N, D, NULL, 0.1, &pe), GCENT_OK);
        gcent_layer_mi a, b;
        gcent_estimate ea, eb;
        ck_assert_int_eq(gcent_plan_execute_mi(pl, sd, LDS, &a), GCENT_OK);
        ck_assert_int_eq(gcent_plan_execute_mi_f32(pl, sf, LDS, &b), GCENT_OK);
        ck_assert(memcmp(&a, &b, sizeof a) == 0);
        ck_assert_int_eq(gcent_plan_execute_entropy(pe, sd, LDS, &ea), GCENT_OK);
        ck_assert_int_eq(gcent_plan_execute_entropy_f32(pe, sf, LDS, &eb), GCENT_OK);
        ck_assert(memcmp(&ea, &eb, sizeof ea) == 0);
        /* shards: float and double halves, the same bytes, merged */
        gcent_partial *p = malloc(4 * sizeof *p);
        ck_assert_ptr_nonnull(p);
        ck_assert_int_eq(gcent_plan_execute_mi_partial(pl, sd, LDS, 0, 77, &p[0]), GCENT_OK);
        ck_assert_int_eq(gcent_plan_execute_mi_partial_f32(pl, sf, LDS, 0, 77, &p[1]),
                         GCENT_OK);
        ck_assert(memcmp(&p[0], &p[1], sizeof p[0]) == 0);
        ck_assert_int_eq(gcent_plan_execute_mi_partial_f32(pl, sf, LDS, 77, N, &p[2]),
                         GCENT_OK);
        ck_assert_int_eq(gcent_partial_merge(&p[0], &p[2]), GCENT_OK);
        ck_assert_int_eq(gcent_mi_layer_finish(ctx, &p[0], &b), GCENT_OK);
        ck_assert(memcmp(&a, &b, sizeof a) == 0);
        ck_assert_int_eq(gcent_plan_execute_entropy_partial_f32(pe, sf, LDS, 10, N, &p[1]),
                         GCENT_OK);
        ck_assert_int_eq(gcent_plan_execute_entropy_partial(pe, sd, LDS, 0, 10, &p[3]),
                         GCENT_OK);
        ck_assert_int_eq(gcent_partial_merge(&p[1], &p[3]), GCENT_OK);
        ck_assert_int_eq(gcent_entropy_finish(ctx, &p[1], &eb), GCENT_OK);
        ck_assert(memcmp(&ea, &eb, sizeof ea) == 0);
        /* the same from the one-shot double call */
        ck_assert_int_eq(gcent_mi_layer(ctx, sd, M, K, D, LDS, y, 0.1, &b), GCENT_OK);
        ck_assert(memcmp(&a, &b, sizeof a) == 0);
        free(p);
        gcent_plan_free(pl);
        gcent_plan_free(pe);
        gcent_ctx_free(ctx);
    }
}
END_TEST

/* Bad float input: refused with the documented status, a one-line reason
 * naming the function, outputs untouched. */
START_TEST(test_single_f32_errors)
{
    enum { N = 8, D = 2 };
    float s[N * D];
    for (int i = 0; i < N * D; ++i)
        s[i] = 0.1f * (float)i;
    gcent_ctx *ctx = gt_ctx(GCENT_METHOD_MC, 1, 0);
    gcent_plan *pl = NULL, *pe = NULL;
    ck_assert_int_eq(gcent_plan_mi_layer(ctx, N, 1, D, NULL, 0.1, &pl), GCENT_OK);
    ck_assert_int_eq(gcent_plan_entropy(ctx, N, D, NULL, 0.1, &pe), GCENT_OK);
    gcent_layer_mi r, sentinel;
    memset(&sentinel, 0x5a, sizeof sentinel);
    gcent_estimate e;
    gcent_partial *part = malloc(sizeof *part);
    ck_assert_ptr_nonnull(part);
#define REFUSED(call, status, plan, name)                                                     \
    do {                                                                                     \
        r = sentinel;                                                                        \
        ck_assert_int_eq((call), (status));                                                  \
        ck_assert_msg(strncmp(gcent_plan_errmsg(plan), name ": ", strlen(name) + 2) == 0,    \
                      "message \"%s\"", gcent_plan_errmsg(plan));                           \
        ck_assert(strchr(gcent_plan_errmsg(plan), '\n') == NULL);                            \
        ck_assert(memcmp(&r, &sentinel, sizeof r) == 0);                                     \
    } while (0)
    REFUSED(gcent_plan_execute_mi_f32(pl, NULL, D, &r), GCENT_EINVAL, pl,
            "gcent_plan_execute_mi_f32");
    REFUSED(gcent_plan_execute_mi_f32(pl, s, D - 1, &r), GCENT_EINVAL, pl,
            "gcent_plan_execute_mi_f32");
    REFUSED(gcent_plan_execute_mi_f32(pe, s, D, &r), GCENT_EINVAL, pe,
            "gcent_plan_execute_mi_f32");
    s[5] = NAN;
    REFUSED(gcent_plan_execute_mi_f32(pl, s, D, &r), GCENT_EDOM, pl,
            "gcent_plan_execute_mi_f32");
    ck_assert_ptr_nonnull(strstr(gcent_plan_errmsg(pl), "sample 2, coordinate 1"));
    REFUSED(gcent_plan_execute_mi_partial_f32(pl, s, D, 0, 3, part), GCENT_EDOM, pl,
            "gcent_plan_execute_mi_partial_f32");
    REFUSED(gcent_plan_execute_entropy_f32(pe, s, D, &e), GCENT_EDOM, pe,
            "gcent_plan_execute_entropy_f32");
    s[5] = INFINITY;
    REFUSED(gcent_plan_execute_entropy_partial_f32(pe, s, D, 0, 3, part), GCENT_EDOM, pe,
            "gcent_plan_execute_entropy_partial_f32");
    s[5] = 0.5f;
    REFUSED(gcent_plan_execute_entropy_partial_f32(pe, s, D, 4, 3, part), GCENT_EINVAL, pe,
            "gcent_plan_execute_entropy_partial_f32");
    REFUSED(gcent_plan_execute_entropy_f32(pe, s, D, NULL), GCENT_EINVAL, pe,
            "gcent_plan_execute_entropy_f32");
#undef REFUSED
    ck_assert_int_eq(gcent_plan_execute_mi_f32(NULL, s, D, &r), GCENT_EINVAL);
    ck_assert_int_eq(gcent_plan_execute_entropy_f32(pe, s, D, &e), GCENT_OK);
    free(part);
    gcent_plan_free(pl);
    gcent_plan_free(pe);
    gcent_ctx_free(ctx);
}
END_TEST

/* Partials record the precision: merge and finish refuse the other one. */
START_TEST(test_single_partial_precision)
{
    enum { N = 40, D = 2 };
    double s[N * D];
    gcent_rng_normals(2, 2, 0, N * D, s);
    gcent_ctx *a = gt_ctx(GCENT_METHOD_MC, 1, 3), *b = gt_ctx(GCENT_METHOD_MC, 1, 3);
    ck_assert_int_eq(gcent_ctx_set(b, GCENT_OPT_PRECISION, GCENT_PRECISION_SINGLE), GCENT_OK);
    gcent_partial *p = malloc(2 * sizeof *p);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(gcent_entropy_partial(a, s, N, D, D, NULL, 0.2, 0, 20, &p[0]), GCENT_OK);
    ck_assert_int_eq(gcent_entropy_partial(b, s, N, D, D, NULL, 0.2, 20, N, &p[1]), GCENT_OK);
    ck_assert_int_eq(gcent_partial_merge_ctx(a, &p[0], &p[1]), GCENT_EINVAL);
    ck_assert_ptr_nonnull(strstr(gcent_ctx_errmsg(a), "GCENT_OPT_PRECISION"));
    ck_assert_int_eq(gcent_entropy_partial(b, s, N, D, D, NULL, 0.2, 0, 20, &p[0]), GCENT_OK);
    ck_assert_int_eq(gcent_partial_merge(&p[0], &p[1]), GCENT_OK);
    gcent_estimate e, f;
    ck_assert_int_eq(gcent_entropy_finish(a, &p[0], &e), GCENT_EINVAL);
    ck_assert_ptr_nonnull(strstr(gcent_ctx_errmsg(a), "GCENT_OPT_PRECISION"));
    ck_assert_int_eq(gcent_entropy_finish(b, &p[0], &e), GCENT_OK);
    ck_assert_int_eq(gcent_entropy(b, s, N, D, D, NULL, 0.2, &f), GCENT_OK);
    ck_assert(memcmp(&e, &f, sizeof e) == 0);
    free(p);
    gcent_ctx_free(a);
    gcent_ctx_free(b);
}
END_TEST

Suite *suite_single(void)
{
    Suite *s = suite_create("single");
    TCase *tc = gt_tcase(s, "kernel", 120);
    tcase_add_test(tc, test_single_exp);
    tcase_add_test(tc, test_single_bound);
    tcase_add_test(tc, test_single_cap);
    tcase_add_test(tc, test_single_isa_batch);
    tc = gt_tcase(s, "public", 120);
    tcase_add_test(tc, test_single_public);
    tcase_add_test(tc, test_single_f32_inputs);
    tcase_add_test(tc, test_single_f32_errors);
    tcase_add_test(tc, test_single_partial_precision);
    return s;
}
