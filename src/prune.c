/* The pruning decision: whether the k-d boxes of a pack skip enough blocks
 * to pay for their tests, judged on a fixed sample of queries. */
#include "kernel.h"
#include "pack.h"

/* Whether pruning pays on this data: 4 batches of GCENT__PK_QB queries,
 * each at as many consecutive packed centres spread over the pack, moved by
 * a typical noise vector (every coordinate +-1, |z|^2 = d), run through the
 * batch kernel. A leaf test per query costs about d/32 of an evaluated
 * block, and a dense block that stops early (its terms are all flushed) well
 * under one: pruning is kept when the evaluated blocks plus the tests stay
 * below 45% of the dense blocks. (Calibrated with bench/ on trained tanh
 * layers of widths 2 to 10 and uniform data at d = 2 and 12: above that
 * level pruning gained at most 1.1x and lost up to 1.4x. The choice changes
 * the speed only, never the bound.) Returns 1 when it pays. Allocates nothing: the
 * queries and the batch scratch are the build workspace's. */
int gcent__prune_pays(const gcent__pack *P, gcent__pack_ws *WS)
{
    const size_t d = P->d, B = 4, QN = GCENT__PK_QB;
    gcent__pk_work *W = WS->probe_work;
    double *q = WS->probe_q;
    W->blocks = W->tests = 0;
    gcent__query Q[GCENT__PK_QB];
    double S[3 * GCENT__PK_QB], E[GCENT__PK_QB];
    size_t nq_all = 0;
    for (size_t b = 0; b < B; ++b) {
        size_t nq = 0;
        for (size_t j = b * P->npad / B; j < P->npad && nq < QN; ++j) {
            if (P->lw[j] == -INFINITY)
                continue;
            for (size_t k = 0; k < d; ++k)
                q[nq * d + k] = P->u[gcent__pk_at(P, j, k)] + (((j + k) & 1) ? 1.0 : -1.0);
            Q[nq] = (gcent__query){.q = q + nq * d, .a = 0.5,
                                   .shift = P->lw[j] - 0.5 * (double)d, .skip = j,
                                   .skip_lw = -INFINITY, .own_seg = SIZE_MAX, .own = -1.0};
            ++nq;
        }
        if (nq > 0)
            gcent__pack_sums_batch(P, Q, nq, S, E, W);
        nq_all += nq;
    }
    return (double)W->blocks + (double)W->tests * (double)d / 32.0 <
           0.45 * (double)nq_all * (double)P->nblk;
}

