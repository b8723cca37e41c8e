/* Fixtures of the kernel tests: see kernel_util.h. */
#include <stdlib.h>
#include <string.h>
#include "kernel_util.h"
#include "tests.h"

double *gt_kdata(size_t n, size_t d, int clusters, double spread, uint64_t seed)
{
    double *s = malloc(n * d * sizeof *s);
    ck_assert_ptr_nonnull(s);
    uint64_t st = seed;
    double *centre = malloc((size_t)(clusters > 0 ? clusters : 1) * d * sizeof *centre);
    ck_assert_ptr_nonnull(centre);
    for (int c = 0; c < clusters; ++c)
        for (size_t k = 0; k < d; ++k)
            centre[c * d + k] = gt_lcg01(&st) < 0.5 ? -0.9 : 0.9;
    for (size_t i = 0; i < n; ++i) {
        int c = clusters > 0 ? (int)(gt_lcg01(&st) * clusters) : 0;
        for (size_t k = 0; k < d; ++k) {
            double u = 2.0 * gt_lcg01(&st) - 1.0;
            s[i * d + k] = clusters > 0 ? centre[c * d + k] + spread * u : u;
        }
    }
    free(centre);
    return s;
}

long double gt_ref_sums(const gcent__pack *P, const gcent__query *Q, long double out[3])
{
    long double mx = -INFINITY;
    out[0] = out[1] = out[2] = 0.0L;
    for (size_t s = 0; s < P->nseg; ++s)
        for (size_t j = P->seg[s] * GCENT__PK_BLK; j < P->seg[s + 1] * GCENT__PK_BLK; ++j) {
            double lw = j == Q->skip ? Q->skip_lw : P->lw[j];
            if (lw == -INFINITY)
                continue;
            long double d2 = 0.0L;
            for (size_t k = 0; k < P->d; ++k) {
                long double t = (long double)Q->q[k] - P->u[gcent__pk_at(P, j, k)];
                d2 += t * t;
            }
            long double e = (long double)lw - Q->a * d2 - Q->shift;
            mx = e > mx ? e : mx;
            int slot = 2;
            if (s == Q->own_seg)
                slot = P->grp[j] == Q->own ? 0 : 1;
            out[slot] += expl(e);
        }
    return mx;
}

void gt_kfix_init_data(gt_kfix *f, double *s, size_t n, size_t d, double beta, size_t nseg,
                       size_t group_size)
{
    memset(f, 0, sizeof *f);
    f->n = n;
    f->d = d;
    f->s = s;
    ck_assert_int_eq(gt_mix_init(&f->m, f->s, n, d, d, NULL, beta), GCENT_OK);
    f->nseg = nseg;
    f->segf = malloc((nseg + 1) * sizeof(size_t));
    f->grp = malloc(n * sizeof(size_t));
    ck_assert(f->segf && f->grp);
    for (size_t c = 0; c <= nseg; ++c)
        f->segf[c] = c * n / nseg;
    for (size_t i = 0; i < n; ++i)
        f->grp[i] = i / group_size;
}

void gt_kfix_init(gt_kfix *f, size_t n, size_t d, int clusters, double spread, uint64_t seed,
                  size_t nseg, size_t group_size)
{
    gt_kfix_init_data(f, gt_kdata(n, d, clusters, spread, seed), n, d, 0.1, nseg, group_size);
}

void gt_kfix_free(gt_kfix *f)
{
    gcent__mix_free(&f->m);
    free(f->s);
    free(f->segf);
    free(f->grp);
}

void gt_kquery(const gt_kfix *f, const gcent__pack *P, size_t i, uint64_t *st, double *q,
               gcent__query *Q, size_t grp_size)
{
    double z2 = 0.0;
    for (size_t k = 0; k < f->d; ++k) {
        double z = 4.0 * gt_lcg01(st) - 2.0;
        q[k] = f->m.ut[k * f->n + i] + z;
        z2 += z * z;
    }
    size_t seg = 0;
    while (f->segf[seg + 1] <= i)
        ++seg;
    *Q = (gcent__query){.q = q, .a = 0.5, .shift = f->m.logw[i] - 0.5 * z2, .skip = P->pos[i],
                        .skip_lw = -INFINITY, .own_seg = seg, .own = (double)(i / grp_size)};
}
