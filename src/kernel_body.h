/* The packed kernel, written once over an 8-lane vector type and included by
 * kernel.c once per instruction set. Before inclusion kernel.c defines:
 *
 *   KATTR           function attribute (the target), may be empty
 *   KNAME(x)        x with the instruction set's suffix
 *   vd              8 doubles
 *   V_LOAD(p)       load p[0..7] (unaligned)     V_SET1(x)   broadcast
 *   V_ADD V_SUB V_MUL V_MAX V_MIN (a, b)          lane-wise, IEEE
 *   V_FMA(a, b, c)  a * b + c, one rounding       V_FNMA(a, b, c)  c - a * b
 *   V_KEEP_GE(e, t, y)  y where e >= t, else +0
 *   V_ANY_GE(e, t)  nonzero when some lane has e >= t
 *   V_SPLIT_EQ(g, o, y, yin, yout)  yin = y where g == o else 0, yout = the rest
 *   V_POW2K(t)      the double with bits (bits(t) + 1023) << 52
 *   V_STORE(p, v)   store 8 doubles
 *
 * Every lane does the same IEEE operations in the same order on every
 * instruction set, and the 8 lanes are added in a fixed order at the end, so
 * the result does not depend on the instruction set. */

/* exp(x) for x in [-708, 708]: x = k ln2 + r (|r| <= ln2/2, Cody-Waite with
 * fused steps), exp(r) by its degree-12 Taylor polynomial (truncation below
 * 2e-16 relative), times 2^k made in the exponent bits. */
KATTR static inline vd KNAME(vexp)(vd x)
{
    const vd shifter = V_SET1(6755399441055744.0); /* 1.5 * 2^52 */
    vd t = V_FMA(x, V_SET1(1.4426950408889634074), shifter);
    vd k = V_SUB(t, shifter);
    vd r = V_FNMA(k, V_SET1(6.93147180369123816490e-01), x);
    r = V_FNMA(k, V_SET1(1.90821492927058770002e-10), r);
    vd p = V_SET1(1.0 / 479001600.0);
    p = V_FMA(p, r, V_SET1(1.0 / 39916800.0));
    p = V_FMA(p, r, V_SET1(1.0 / 3628800.0));
    p = V_FMA(p, r, V_SET1(1.0 / 362880.0));
    p = V_FMA(p, r, V_SET1(1.0 / 40320.0));
    p = V_FMA(p, r, V_SET1(1.0 / 5040.0));
    p = V_FMA(p, r, V_SET1(1.0 / 720.0));
    p = V_FMA(p, r, V_SET1(1.0 / 120.0));
    p = V_FMA(p, r, V_SET1(1.0 / 24.0));
    p = V_FMA(p, r, V_SET1(1.0 / 6.0));
    p = V_FMA(p, r, V_SET1(0.5));
    p = V_FMA(p, r, V_SET1(1.0));
    p = V_FMA(p, r, V_SET1(1.0));
    return V_MUL(p, V_POW2K(t));
}

/* The terms of the 16 centres of the block at packed position j (lw: their
 * log weights): y0, y1 = exp(lw - a |q - u|^2 - shift), 0 below e^flush; raises
 * *emax. Two vectors, each distance summed in two chains (even and odd
 * coordinates, added at the end), so that four independent chains hide the
 * latency of the fused multiply-adds. */
KATTR static inline void KNAME(terms16)(const gcent__pack *P, const double *q, size_t j,
                                        const double *lw, vd va, vd vshift, vd *emax,
                                        vd *y0, vd *y1)
{
    const size_t ld = GCENT__PK_BLK, d = P->d;
    const double *u = P->u + j * d; /* the block's coordinates, contiguous */
    const vd lo = V_SET1(P->flush);
    const vd c0 = V_SUB(V_LOAD(lw), vshift), c1 = V_SUB(V_LOAD(lw + 8), vshift);
    vd z = V_SET1(0.0);
    vd a0 = z, a1 = z, b0 = z, b1 = z;
    size_t k = 0;
    for (; k + 2 <= d; k += 2) {
        if (k % 4 == 0 && k > 0) {
            /* the partial distance only grows: once every term is below
             * the flush threshold the block's terms are all 0 (exactly as
             * if the distances were finished) */
            vd p0 = V_FNMA(va, V_ADD(a0, b0), c0), p1 = V_FNMA(va, V_ADD(a1, b1), c1);
            if (!V_ANY_GE(V_MAX(p0, p1), lo)) {
                *y0 = *y1 = z;
                return;
            }
        }
        vd qa = V_SET1(q[k]), qb = V_SET1(q[k + 1]);
        const double *ua = u + k * ld, *ub = ua + ld;
        vd ta0 = V_SUB(qa, V_LOAD(ua)), ta1 = V_SUB(qa, V_LOAD(ua + 8));
        vd tb0 = V_SUB(qb, V_LOAD(ub)), tb1 = V_SUB(qb, V_LOAD(ub + 8));
        a0 = V_FMA(ta0, ta0, a0);
        a1 = V_FMA(ta1, ta1, a1);
        b0 = V_FMA(tb0, tb0, b0);
        b1 = V_FMA(tb1, tb1, b1);
    }
    if (k < d) {
        vd qa = V_SET1(q[k]);
        const double *ua = u + k * ld;
        vd ta0 = V_SUB(qa, V_LOAD(ua)), ta1 = V_SUB(qa, V_LOAD(ua + 8));
        a0 = V_FMA(ta0, ta0, a0);
        a1 = V_FMA(ta1, ta1, a1);
    }
    vd e0 = V_FNMA(va, V_ADD(a0, b0), c0);
    vd e1 = V_FNMA(va, V_ADD(a1, b1), c1);
    vd em = V_MAX(e0, e1);
    *emax = V_MAX(*emax, em);
    if (!V_ANY_GE(em, lo)) { /* every term is flushed: skip the exponentials */
        *y0 = *y1 = V_SET1(0.0);
        return;
    }
    /* The exponents are clamped into [flush, GCENT__PK_EMAX] before the
     * exponential, although lanes outside are discarded (masked to +0 below
     * the flush level, redone in log space above): -inf (padding) or huge
     * arguments would raise FE_INVALID / FE_OVERFLOW on valid input, which
     * a caller trapping floating-point exceptions must never see. */
    const vd top = V_SET1(GCENT__PK_EMAX);
    vd x0 = V_MIN(V_MAX(e0, lo), top), x1 = V_MIN(V_MAX(e1, lo), top);
    *y0 = V_KEEP_GE(e0, lo, KNAME(vexp)(x0));
    *y1 = V_KEEP_GE(e1, lo, KNAME(vexp)(x1));
}

/* Squared distance from q (padded with zeros to dp = a multiple of 8
 * coordinates) to a box (lower corner b, upper corner b + dp; padding lanes
 * -inf and +inf): per lane max(lo - q, q - hi, 0)^2, each 8-lane chunk added
 * in the fixed pairwise order, the chunks in sequence. */
KATTR static inline double KNAME(box_dist2)(const double *b, const double *q, size_t dp)
{
    double s = 0.0, lane[8];
    for (size_t k = 0; k < dp; k += 8) {
        vd qv = V_LOAD(q + k);
        vd t = V_MAX(V_MAX(V_SUB(V_LOAD(b + k), qv), V_SUB(qv, V_LOAD(b + dp + k))),
                     V_SET1(0.0));
        V_STORE(lane, V_MUL(t, t));
        s += ((lane[0] + lane[4]) + (lane[2] + lane[6])) +
             ((lane[1] + lane[5]) + (lane[3] + lane[7]));
    }
    return s;
}

/* The terms of block b into the accumulators. */
KATTR static inline void KNAME(block)(const gcent__pack *P, const gcent__query *Q, size_t b,
                                      int split, vd va, vd vshift, vd vown, vd *emax,
                                      vd acc[3], double *lwtmp)
{
    const size_t j = b * GCENT__PK_BLK;
    const double *lw = P->lw + j;
    if (Q->skip != SIZE_MAX && Q->skip / GCENT__PK_BLK == b) {
        for (size_t l = 0; l < GCENT__PK_BLK; ++l)
            lwtmp[l] = lw[l];
        lwtmp[Q->skip - j] = Q->skip_lw;
        lw = lwtmp;
    }
    vd y[2];
    KNAME(terms16)(P, Q->q, j, lw, va, vshift, emax, &y[0], &y[1]);
    for (int h = 0; h < 2; ++h) {
        if (split) {
            vd yin, yout;
            V_SPLIT_EQ(V_LOAD(P->grp + j + 8 * h), vown, y[h], yin, yout);
            acc[0] = V_ADD(acc[0], yin);
            acc[1] = V_ADD(acc[1], yout);
        } else {
            acc[2] = V_ADD(acc[2], y[h]);
        }
    }
}

KATTR static double KNAME(pack_sums)(const gcent__pack *P, const gcent__query *Q,
                                     double out[3])
{
    const vd va = V_SET1(Q->a), vshift = V_SET1(Q->shift), vown = V_SET1(Q->own);
    const size_t dp = P->dpad;
    double qp[GCENT__PK_DMAX];
    if (P->node) {
        for (size_t k = 0; k < dp; ++k)
            qp[k] = k < P->d ? Q->q[k] : 0.0;
    }
    vd acc[3] = {V_SET1(0.0), V_SET1(0.0), V_SET1(0.0)};
    vd emax = V_SET1(-INFINITY);
    double lwtmp[GCENT__PK_BLK];
    size_t evaluated = 0, tested = 0;
    /* A node is skipped when its whole weight times exp(-a dmin^2 - shift)
     * is at most tol times that weight: the skipped terms then sum to at
     * most tol (the weights sum to 1). The distance is shrunk by a relative
     * 1e-12 against its rounding. */
    const double lim = -(P->logtol + Q->shift);
    for (size_t s = 0; s < P->nseg; ++s) {
        const int split = s == Q->own_seg;
        if (P->node == NULL) {
            for (size_t b = P->seg[s]; b < P->seg[s + 1]; ++b, ++evaluated)
                KNAME(block)(P, Q, b, split, va, vshift, vown, &emax, acc, lwtmp);
            continue;
        }
        if (P->seg_root[s] == SIZE_MAX)
            continue;
        /* depth-first, left child first: blocks in increasing order, as
         * in the dense loop */
        size_t stack[2 * (sizeof(size_t) * 8) + 2], top = 0;
        stack[top++] = P->seg_root[s];
        while (top > 0) {
            const size_t v = stack[--top];
            const struct gcent__pk_node *nd = &P->node[v];
            ++tested;
            if (Q->a * (KNAME(box_dist2)(P->box + v * 2 * dp, qp, dp) * (1.0 - 1e-12)) >= lim)
                continue;
            if (nd->left == SIZE_MAX) {
                for (size_t b = nd->blo; b < nd->bhi; ++b, ++evaluated)
                    KNAME(block)(P, Q, b, split, va, vshift, vown, &emax, acc, lwtmp);
            } else {
                stack[top++] = nd->right;
                stack[top++] = nd->left;
            }
        }
    }
    if (Q->blocks)
        *Q->blocks += evaluated;
    if (Q->nodes)
        *Q->nodes += tested;
    double lane[8];
    for (int c = 0; c < 3; ++c) {
        V_STORE(lane, acc[c]);
        out[c] = ((lane[0] + lane[4]) + (lane[2] + lane[6])) +
                 ((lane[1] + lane[5]) + (lane[3] + lane[7]));
    }
    V_STORE(lane, emax);
    double m = lane[0];
    for (int l = 1; l < 8; ++l)
        m = lane[l] > m ? lane[l] : m;
    return m;
}
