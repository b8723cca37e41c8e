/* The packed kernel, written once over an 8-lane vector type and included by
 * kernel.c once per instruction set. Before inclusion kernel.c defines:
 *
 *   KATTR           function attribute (the target), may be empty
 *   KNAME(x)        x with the instruction set's suffix
 *   vd              8 doubles
 *   V_LOAD(p)       load p[0..7] (unaligned)     V_SET1(x)   broadcast
 *   V_ADD V_SUB V_MUL V_MAX V_MIN (a, b)          lane-wise, IEEE
 *   V_FMA(a, b, c)  a * b + c, one rounding       V_FNMA(a, b, c)  c - a * b
 *   V_MUL_KEEP_GE(e, t, a, b)  a * b where e >= t, else +0
 *   V_ANY_GE2(e, f, t)  nonzero when some lane has e >= t or f >= t
 *   V_SPLIT_EQ(g, o, y, yin, yout)  yin = y where g == o else 0, yout = the rest
 *   V_EXP2TAB(t)    for t = 1.5 * 2^52 + 16 k + j (k, j integers, 0 <= j < 16):
 *                   2^(j/16) (table, correctly rounded) times 2^k, exactly
 *   V_STORE(p, v)   store 8 doubles
 *
 * and for the single-precision kernel, over 16 floats:
 *
 *   vf              16 floats
 *   F_LOAD F_SET1 F_ADD F_SUB F_MUL F_MAX F_MIN F_FMA F_FNMA F_MUL_KEEP_GE
 *   F_ANY_GE2       as the V_ ones, on floats
 *   F_SPLIT_EQI(g, o, y, yin, yout)  yin = y where the int32 g[l] == o, else
 *                   0; yout = the rest
 *   F_EXP2TAB(t)    for t = 1.5 * 2^23 + 16 k + j: 2^(j/16) (float table)
 *                   times 2^k, exactly
 *   V_ADD_F(acc, y) acc (8 doubles) + (y lanes 0-7 + y lanes 8-15), each
 *                   converted to double, lane by lane
 *   F_STORE(p, v)   store 16 floats
 *
 * It #undefs them all at its end, ready for the next instruction set.
 *
 * Every lane does the same IEEE operations in the same order on every
 * instruction set, and the 8 lanes are added in a fixed order at the end, so
 * the result does not depend on the instruction set. */

/* exp(x) for x in [-708, 708]: x = (16 k + j) ln2/16 + r with |r| <= ln2/32
 * (Cody-Waite with fused steps), exp(r) by a degree-6 polynomial, times
 * 2^(j/16) 2^k from the table. The polynomial is the degree-10 Taylor
 * polynomial economised to degree 6 with Chebyshev polynomials on
 * [-ln2/32, ln2/32] (truncation below 7.6e-18 relative with its
 * coefficients rounded to double). The error comes from the polynomial's
 * roundings (its terms beyond 1 + r are below 2.4e-4), the table entry's and
 * the product's: below 3.1e-16 relative against expl (the largest found
 * is 3.04e-16, at x = -65.8, in searches over 5e7 arguments in [-70, 10]
 * and more up to 600; rms 8.2e-17; the degree-7 Taylor polynomial it
 * replaces had 2.98e-16 and 8.2e-17 over [-70, 10]). */
KATTR static inline vd KNAME(vexp_parts)(vd x, vd *scale)
{
    const vd shifter = V_SET1(6755399441055744.0); /* 1.5 * 2^52 */
    vd t = V_FMA(x, V_SET1(23.083120654223414), shifter); /* 16 / ln 2 */
    vd kj = V_SUB(t, shifter); /* 16 k + j */
    /* ln2/16 in two parts, the first with 32 significant bits: kj times it
     * is exact for |kj| < 2^21 */
    vd r = V_FNMA(kj, V_SET1(0.04332169877307024), x);
    r = V_FNMA(kj, V_SET1(1.1926343307941173e-11), r);
    vd p = V_SET1(0.0013889121624918708);
    p = V_FMA(p, r, V_SET1(0.0083334962487248282));
    p = V_FMA(p, r, V_SET1(0.041666666659841776));
    p = V_FMA(p, r, V_SET1(0.16666666662844723));
    p = V_FMA(p, r, V_SET1(0.50000000000000067));
    p = V_FMA(p, r, V_SET1(1.0000000000000022));
    p = V_FMA(p, r, V_SET1(1.0));
    *scale = V_EXP2TAB(t);
    return p;
}

/* exp(x): the product of the two parts above. */
KATTR static inline vd KNAME(vexp)(vd x)
{
    vd scale, p = KNAME(vexp_parts)(x, &scale);
    return V_MUL(p, scale);
}

/* Coordinates k and k + 1 of the 16 centres u (a block) into the chains a
 * (even coordinates) and b (odd ones). */
KATTR static inline __attribute__((always_inline)) void
KNAME(dpair)(const double *u, const double *q, size_t k, vd *a0, vd *a1, vd *b0, vd *b1)
{
    const size_t ld = GCENT__PK_BLK;
    vd qa = V_SET1(q[k]), qb = V_SET1(q[k + 1]);
    const double *ua = u + k * ld, *ub = ua + ld;
    vd ta0 = V_SUB(qa, V_LOAD(ua)), ta1 = V_SUB(qa, V_LOAD(ua + 8));
    vd tb0 = V_SUB(qb, V_LOAD(ub)), tb1 = V_SUB(qb, V_LOAD(ub + 8));
    *a0 = V_FMA(ta0, ta0, *a0);
    *a1 = V_FMA(ta1, ta1, *a1);
    *b0 = V_FMA(tb0, tb0, *b0);
    *b1 = V_FMA(tb1, tb1, *b1);
}

/* The terms of the 16 centres of the block at packed position j (lw: their
 * log weights): y0, y1 = exp(lw - a |q - u|^2 - shift), 0 below e^flush, the
 * exponent clamped at GCENT__PK_EMAX (see below). Two vectors; from 4
 * coordinates on each distance is summed in two chains (even and odd
 * coordinates, added at the end), so that four independent chains hide the
 * latency of the fused multiply-adds; below 4 coordinates in one. Above 12
 * coordinates (unless the pack asks for the generic loop of earlier
 * releases, wide_legacy: the benchmark's reference) the same chains, so the
 * same bits, in chunks of 8 coordinates unrolled, the partial distance
 * checked after 4, 8 and each further chunk. */
KATTR static inline void KNAME(terms16)(const gcent__pack *P, const double *q, size_t j,
                                        const double *lw, vd va, vd vshift, vd *y0, vd *y1,
                                        size_t d)
{
    const size_t ld = GCENT__PK_BLK;
    const double *u = P->u + j * d; /* the block's coordinates, contiguous */
    const vd lo = V_SET1(P->flush);
    const vd c0 = V_SUB(V_LOAD(lw), vshift), c1 = V_SUB(V_LOAD(lw + 8), vshift);
    vd z = V_SET1(0.0);
    vd a0, a1, e0, e1;
    {
        /* the first coordinate: its square starts the chain (the same bits
         * as a fused multiply-add onto +0) */
        vd qa = V_SET1(q[0]);
        vd ta0 = V_SUB(qa, V_LOAD(u)), ta1 = V_SUB(qa, V_LOAD(u + 8));
        a0 = V_MUL(ta0, ta0);
        a1 = V_MUL(ta1, ta1);
    }
    if (d < 4) {
        for (size_t k = 1; k < d; ++k) {
            vd qa = V_SET1(q[k]);
            const double *ua = u + k * ld;
            vd ta0 = V_SUB(qa, V_LOAD(ua)), ta1 = V_SUB(qa, V_LOAD(ua + 8));
            a0 = V_FMA(ta0, ta0, a0);
            a1 = V_FMA(ta1, ta1, a1);
        }
        e0 = V_FNMA(va, a0, c0);
        e1 = V_FNMA(va, a1, c1);
    } else if (d > 12 && !P->wide_legacy) {
        vd b0, b1;
        {
            vd qb = V_SET1(q[1]);
            const double *ub = u + ld;
            vd tb0 = V_SUB(qb, V_LOAD(ub)), tb1 = V_SUB(qb, V_LOAD(ub + 8));
            b0 = V_MUL(tb0, tb0);
            b1 = V_MUL(tb1, tb1);
        }
        size_t k = 2;
        for (; k < 8; k += 2) {
            if (k == 4) { /* as below: the partial distance only grows */
                vd p0 = V_FNMA(va, V_ADD(a0, b0), c0), p1 = V_FNMA(va, V_ADD(a1, b1), c1);
                if (!V_ANY_GE2(p0, p1, lo)) {
                    *y0 = *y1 = z;
                    return;
                }
            }
            KNAME(dpair)(u, q, k, &a0, &a1, &b0, &b1);
        }
        for (; k + 8 <= d; k += 8) {
            vd p0 = V_FNMA(va, V_ADD(a0, b0), c0), p1 = V_FNMA(va, V_ADD(a1, b1), c1);
            if (!V_ANY_GE2(p0, p1, lo)) { /* as below: the partial distance only grows */
                *y0 = *y1 = z;
                return;
            }
            for (size_t kk = 0; kk < 8; kk += 2)
                KNAME(dpair)(u, q, k + kk, &a0, &a1, &b0, &b1);
        }
        for (; k + 2 <= d; k += 2)
            KNAME(dpair)(u, q, k, &a0, &a1, &b0, &b1);
        if (k < d) {
            vd qa = V_SET1(q[k]);
            const double *ua = u + k * ld;
            vd ta0 = V_SUB(qa, V_LOAD(ua)), ta1 = V_SUB(qa, V_LOAD(ua + 8));
            a0 = V_FMA(ta0, ta0, a0);
            a1 = V_FMA(ta1, ta1, a1);
        }
        e0 = V_FNMA(va, V_ADD(a0, b0), c0);
        e1 = V_FNMA(va, V_ADD(a1, b1), c1);
    } else {
        vd b0, b1;
        {
            vd qb = V_SET1(q[1]);
            const double *ub = u + ld;
            vd tb0 = V_SUB(qb, V_LOAD(ub)), tb1 = V_SUB(qb, V_LOAD(ub + 8));
            b0 = V_MUL(tb0, tb0);
            b1 = V_MUL(tb1, tb1);
        }
        size_t k = 2;
        for (; k + 2 <= d; k += 2) {
            if (k % 4 == 0) { /* the first coordinates are done */
                /* the partial distance only grows: once every term is below
                 * the flush threshold the block's terms are all 0 (exactly
                 * as if the distances were finished) */
                vd p0 = V_FNMA(va, V_ADD(a0, b0), c0), p1 = V_FNMA(va, V_ADD(a1, b1), c1);
                if (!V_ANY_GE2(p0, p1, lo)) {
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
        e0 = V_FNMA(va, V_ADD(a0, b0), c0);
        e1 = V_FNMA(va, V_ADD(a1, b1), c1);
    }
    if (!V_ANY_GE2(e0, e1, lo)) { /* every term is flushed: skip the exponentials */
        *y0 = *y1 = z;
        return;
    }
    /* The exponents are clamped into [flush, GCENT__PK_EMAX] before the
     * exponential: lanes below are discarded (masked to +0), and a term
     * above the top is counted as e^GCENT__PK_EMAX, which puts its query's
     * sum over the level where the callers redo it in log space (see
     * pack_sums). -inf (padding) or huge arguments would raise FE_INVALID
     * / FE_OVERFLOW on valid input, which a caller trapping floating-point
     * exceptions must never see. */
    const vd top = V_SET1(GCENT__PK_EMAX);
    vd x0 = V_MIN(V_MAX(e0, lo), top), x1 = V_MIN(V_MAX(e1, lo), top);
    vd s0, s1, p0 = KNAME(vexp_parts)(x0, &s0), p1 = KNAME(vexp_parts)(x1, &s1);
    *y0 = V_MUL_KEEP_GE(e0, lo, p0, s0);
    *y1 = V_MUL_KEEP_GE(e1, lo, p1, s1);
}

/* Squared distance from q to a box (lower corner b[0 .. d), upper corner
 * b[dp .. dp + d)): with t_k = max(max(lo_k - q_k, q_k - hi_k), 0), the
 * fused sum fma(t_k, t_k, .) over k = 0 .. d-1 in order. Every step is
 * monotone, so a box inside another is never nearer. The batch kernel
 * computes the same numbers 8 boxes at a time. */
KATTR static inline double KNAME(box_dist2)(const double *b, const double *q, size_t d, size_t dp)
{
    double s = 0.0;
    for (size_t k = 0; k < d; ++k) {
        double x = b[k] - q[k], y = q[k] - b[dp + k];
        double t = x > y ? x : y;
        t = t > 0.0 ? t : 0.0;
        s = fma(t, t, s);
    }
    return s;
}

/* The same from the box qb of a batch of queries (lower corner qb[0 .. d),
 * upper corner qb[d .. 2d)): t_k = max(max(lo_k - qhi_k, qlo_k - hi_k), 0).
 * For a query inside qb every t_k, and so the sum, is at most its
 * box_dist2: the batch never skips a node one of its queries would keep. */
KATTR static inline double KNAME(boxbox_dist2)(const double *b, const double *qb, size_t d,
                                         size_t dp)
{
    double s = 0.0;
    for (size_t k = 0; k < d; ++k) {
        double x = b[k] - qb[d + k], y = qb[k] - b[dp + k];
        double t = x > y ? x : y;
        t = t > 0.0 ? t : 0.0;
        s = fma(t, t, s);
    }
    return s;
}

/* The terms of block b into the accumulators. */
KATTR static inline void KNAME(block)(const gcent__pack *P, const gcent__query *Q, size_t b,
                                      int split, vd va, vd vshift, vd vown, vd acc[3],
                                      double *lwtmp, size_t d)
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
    KNAME(terms16)(P, Q->q, j, lw, va, vshift, &y[0], &y[1], d);
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
    vd acc[3] = {V_SET1(0.0), V_SET1(0.0), V_SET1(0.0)};
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
                KNAME(block)(P, Q, b, split, va, vshift, vown, acc, lwtmp, P->d);
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
            if (Q->a * (KNAME(box_dist2)(P->box + v * 2 * dp, Q->q, P->d, dp) * (1.0 - 1e-12)) >=
                lim)
                continue;
            if (nd->left == SIZE_MAX) {
                for (size_t b = nd->blo; b < nd->bhi; ++b, ++evaluated)
                    KNAME(block)(P, Q, b, split, va, vshift, vown, acc, lwtmp, P->d);
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
    return out[0] + out[1] + out[2] < P->sum_top ? 0.0 : INFINITY;
}

/* One query of a batch against the kept leaves (or runs) U[u0, u1) into its
 * accumulators a[0 .. 24). Inlined with d a constant for the common widths
 * (see pack_batch), so that the query's coordinates stay in registers.
 * The float copies per width are made for the vector instruction sets only
 * (KFLOAT_WIDTHS: in the portable kernel, whose 16-lane float emulation
 * took gcc about 3 minutes for the 12 copies, the generic width serves);
 * -DGCENT_KERNEL_ONE_WIDTH (the sanitizer, coverage and fuzz builds) keeps
 * the generic-width copy only everywhere. The same operations, the same
 * bits. */
KATTR static inline __attribute__((always_inline)) void
KNAME(query_run)(const gcent__pack *P, const gcent__query *q, const struct gcent__pk_unit *U,
                 size_t u0, size_t u1, const unsigned char *keep, double *a, size_t *blocks,
                 double *lwtmp, size_t d)
{
    const vd va = V_SET1(q->a), vshift = V_SET1(q->shift), vown = V_SET1(q->own);
    vd acc[3] = {V_LOAD(a), V_LOAD(a + 8), V_LOAD(a + 16)};
    size_t nb = 0;
    for (size_t u = u0; u < u1; ++u) {
        if (keep && !keep[u])
            continue;
        const int split = U[u].s == q->own_seg;
        nb += U[u].b1 - U[u].b0;
        for (size_t b = U[u].b0; b < U[u].b1; ++b)
            KNAME(block)(P, q, b, split, va, vshift, vown, acc, lwtmp, d);
    }
    *blocks += nb;
    V_STORE(a, acc[0]);
    V_STORE(a + 8, acc[1]);
    V_STORE(a + 16, acc[2]);
}

/* ---- single precision ------------------------------------------------------------------ */

/* exp(x) in float for x in [-88, 80] (the kernel's clamped exponents):
 * x = (16 k + j) ln2/16 + r, r = fl(x - kj C) with C = ln2/16 rounded to
 * float (one fused step: the reduction's error is kj (ln2/16 - C), at most
 * 2.8e-9 |x| + 6e-11, which the error bound counts with the exponent's own
 * rounding), exp(r) by a degree-3 polynomial (near-minimax on
 * [-ln2/32, ln2/32]: 1 + r + c2 r^2 + c3 r^3, truncation 1.6e-9), times
 * 2^(j/16) 2^k from the float table. The roundings of the polynomial's last
 * step, the table entry and the product (2^-24 relative each) and the
 * polynomial's inner roundings and truncation: below GCENT__F32_EXP_ERR =
 * 2e-7 relative for |x| <= 1 (kernel.h; the tests measure it against expl
 * over the whole range, with the reduction's term). */
KATTR static inline vf KNAME(fexp_parts)(vf x, vf *scale)
{
    const vf shifter = F_SET1(12582912.0f); /* 1.5 * 2^23 */
    vf t = F_FMA(x, F_SET1(23.083120346069336f), shifter); /* 16 / ln 2 */
    vf kj = F_SUB(t, shifter);
    vf r = F_FNMA(kj, F_SET1(0.043321698904037476f), x);
    vf p = F_SET1(0.16666075587272644f);
    p = F_FMA(p, r, F_SET1(0.5000162124633789f));
    p = F_FMA(p, r, F_SET1(1.0f));
    p = F_FMA(p, r, F_SET1(1.0f));
    *scale = F_EXP2TAB(t);
    return p;
}

/* Coordinates k and k + 1 of one block (two: and of the next) into the
 * float chains a (even) and b (odd). */
KATTR static inline __attribute__((always_inline)) void
KNAME(fpair)(const float *u0, const float *u1, const float *q, size_t k, vf *a0, vf *a1,
             vf *b0, vf *b1, int two)
{
    const size_t ld = GCENT__PK_BLK;
    vf qa = F_SET1(q[k]), qb = F_SET1(q[k + 1]);
    vf ta0 = F_SUB(qa, F_LOAD(u0 + k * ld)), tb0 = F_SUB(qb, F_LOAD(u0 + (k + 1) * ld));
    *a0 = F_FMA(ta0, ta0, *a0);
    *b0 = F_FMA(tb0, tb0, *b0);
    if (two) {
        vf ta1 = F_SUB(qa, F_LOAD(u1 + k * ld)), tb1 = F_SUB(qb, F_LOAD(u1 + (k + 1) * ld));
        *a1 = F_FMA(ta1, ta1, *a1);
        *b1 = F_FMA(tb1, tb1, *b1);
    }
}

/* The squared distances of a block (two: of two) to q above 12 coordinates,
 * in float: coordinates 0-7 in two chains (even and odd coordinates; first
 * term a product, then fused multiply-adds), the running sums A, B; then
 * chunks of 16 coordinates, each in two such chains, added to A and B;
 * D = A + B. A term goes through at most 10 + ceil((d - 8) / 16) roundings
 * (the bound's L, kernel.c) -- 26 at d = 256, where one chain each would
 * give 129. The partial distance is checked after 4 and 8 coordinates and
 * after each chunk: when every exponent is already below lo the block's
 * terms are all 0 (returns 0); otherwise e0, e1 are the exponents c - a D. */
KATTR static inline __attribute__((always_inline)) int
KNAME(fdist_wide)(const float *u0, const float *u1, const float *q, vf c0, vf c1, vf va,
                  vf lo, vf *e0, vf *e1, size_t d, int two)
{
    const size_t ld = GCENT__PK_BLK;
    const vf z = F_SET1(0.0f);
    vf A0 = z, A1 = z, B0 = z, B1 = z;
    for (size_t k0 = 0; k0 < d; k0 += k0 == 0 ? 8 : 16) {
        const size_t len = k0 == 0 ? 8 : 16, k1 = k0 + len < d ? k0 + len : d;
        vf a0, a1 = z, b0 = z, b1 = z;
        {
            vf qa = F_SET1(q[k0]), ta0 = F_SUB(qa, F_LOAD(u0 + k0 * ld));
            a0 = F_MUL(ta0, ta0);
            if (two) {
                vf ta1 = F_SUB(qa, F_LOAD(u1 + k0 * ld));
                a1 = F_MUL(ta1, ta1);
            }
        }
        if (k0 + 1 < k1) {
            vf qb = F_SET1(q[k0 + 1]), tb0 = F_SUB(qb, F_LOAD(u0 + (k0 + 1) * ld));
            b0 = F_MUL(tb0, tb0);
            if (two) {
                vf tb1 = F_SUB(qb, F_LOAD(u1 + (k0 + 1) * ld));
                b1 = F_MUL(tb1, tb1);
            }
        }
        size_t k = k0 + 2;
        if (k0 == 0) { /* d > 12: coordinates 0-7 are all there; a check at 4 */
            KNAME(fpair)(u0, u1, q, 2, &a0, &a1, &b0, &b1, two);
            vf p0 = F_FNMA(va, F_ADD(a0, b0), c0);
            vf p1 = two ? F_FNMA(va, F_ADD(a1, b1), c1) : p0;
            if (!F_ANY_GE2(p0, p1, lo))
                return 0;
            KNAME(fpair)(u0, u1, q, 4, &a0, &a1, &b0, &b1, two);
            KNAME(fpair)(u0, u1, q, 6, &a0, &a1, &b0, &b1, two);
            k = 8;
        } else if (k1 - k0 == 16) {
            for (size_t kk = 2; kk < 16; kk += 2)
                KNAME(fpair)(u0, u1, q, k0 + kk, &a0, &a1, &b0, &b1, two);
            k = k1;
        } else {
            for (; k + 2 <= k1; k += 2)
                KNAME(fpair)(u0, u1, q, k, &a0, &a1, &b0, &b1, two);
        }
        if (k < k1) {
            vf qa = F_SET1(q[k]), ta0 = F_SUB(qa, F_LOAD(u0 + k * ld));
            a0 = F_FMA(ta0, ta0, a0);
            if (two) {
                vf ta1 = F_SUB(qa, F_LOAD(u1 + k * ld));
                a1 = F_FMA(ta1, ta1, a1);
            }
        }
        if (k0 == 0) {
            A0 = a0, A1 = a1, B0 = b0, B1 = b1;
        } else {
            A0 = F_ADD(A0, a0), B0 = F_ADD(B0, b0);
            if (two)
                A1 = F_ADD(A1, a1), B1 = F_ADD(B1, b1);
        }
        if (k1 < d) {
            vf p0 = F_FNMA(va, F_ADD(A0, B0), c0);
            vf p1 = two ? F_FNMA(va, F_ADD(A1, B1), c1) : p0;
            if (!F_ANY_GE2(p0, p1, lo))
                return 0;
        }
    }
    *e0 = F_FNMA(va, F_ADD(A0, B0), c0);
    *e1 = two ? F_FNMA(va, F_ADD(A1, B1), c1) : z;
    return 1;
}

/* The float terms of one block (y0; two != 0: and of the next block, y1):
 * u0, u1 the blocks' coordinates, c0, c1 their lwf + c (the exponent's
 * constant part), q the query in float. The same structure as terms16 --
 * the distance summed in one chain below 4 coordinates, in two (even and
 * odd coordinates) from 4 on, the early stop every 4 coordinates, the
 * flush, the clamp -- in float; above 12 coordinates fdist_wide; the
 * exponent is clamped at GCENT__PK_EMAXF. */
KATTR static inline __attribute__((always_inline)) void
KNAME(fterms)(const float *u0, const float *u1, const float *q, vf c0, vf c1, vf va, vf lo,
              vf *y0, vf *y1, size_t d, int two)
{
    const size_t ld = GCENT__PK_BLK;
    const vf z = F_SET1(0.0f);
    vf a0, a1 = z, e0, e1 = z;
    if (d > 12) {
        if (!KNAME(fdist_wide)(u0, u1, q, c0, c1, va, lo, &e0, &e1, d, two)) {
            *y0 = *y1 = z;
            return;
        }
        goto exponentials;
    }
    {
        vf qa = F_SET1(q[0]);
        vf ta0 = F_SUB(qa, F_LOAD(u0));
        a0 = F_MUL(ta0, ta0);
        if (two) {
            vf ta1 = F_SUB(qa, F_LOAD(u1));
            a1 = F_MUL(ta1, ta1);
        }
    }
    if (d < 4) {
        for (size_t k = 1; k < d; ++k) {
            vf qa = F_SET1(q[k]);
            vf ta0 = F_SUB(qa, F_LOAD(u0 + k * ld));
            a0 = F_FMA(ta0, ta0, a0);
            if (two) {
                vf ta1 = F_SUB(qa, F_LOAD(u1 + k * ld));
                a1 = F_FMA(ta1, ta1, a1);
            }
        }
        e0 = F_FNMA(va, a0, c0);
        if (two)
            e1 = F_FNMA(va, a1, c1);
    } else {
        vf b0, b1 = z;
        {
            vf qb = F_SET1(q[1]);
            vf tb0 = F_SUB(qb, F_LOAD(u0 + ld));
            b0 = F_MUL(tb0, tb0);
            if (two) {
                vf tb1 = F_SUB(qb, F_LOAD(u1 + ld));
                b1 = F_MUL(tb1, tb1);
            }
        }
        size_t k = 2;
        for (; k + 2 <= d; k += 2) {
            if (k % 4 == 0) { /* the partial distance only grows (see terms16) */
                vf p0 = F_FNMA(va, F_ADD(a0, b0), c0);
                vf p1 = two ? F_FNMA(va, F_ADD(a1, b1), c1) : p0;
                if (!F_ANY_GE2(p0, p1, lo)) {
                    *y0 = *y1 = z;
                    return;
                }
            }
            vf qa = F_SET1(q[k]), qb = F_SET1(q[k + 1]);
            vf ta0 = F_SUB(qa, F_LOAD(u0 + k * ld));
            vf tb0 = F_SUB(qb, F_LOAD(u0 + (k + 1) * ld));
            a0 = F_FMA(ta0, ta0, a0);
            b0 = F_FMA(tb0, tb0, b0);
            if (two) {
                vf ta1 = F_SUB(qa, F_LOAD(u1 + k * ld));
                vf tb1 = F_SUB(qb, F_LOAD(u1 + (k + 1) * ld));
                a1 = F_FMA(ta1, ta1, a1);
                b1 = F_FMA(tb1, tb1, b1);
            }
        }
        if (k < d) {
            vf qa = F_SET1(q[k]);
            vf ta0 = F_SUB(qa, F_LOAD(u0 + k * ld));
            a0 = F_FMA(ta0, ta0, a0);
            if (two) {
                vf ta1 = F_SUB(qa, F_LOAD(u1 + k * ld));
                a1 = F_FMA(ta1, ta1, a1);
            }
        }
        e0 = F_FNMA(va, F_ADD(a0, b0), c0);
        if (two)
            e1 = F_FNMA(va, F_ADD(a1, b1), c1);
    }
exponentials:
    if (!F_ANY_GE2(e0, two ? e1 : e0, lo)) {
        *y0 = *y1 = z;
        return;
    }
    const vf top = F_SET1((float)GCENT__PK_EMAXF);
    vf s0, p0 = KNAME(fexp_parts)(F_MIN(F_MAX(e0, lo), top), &s0);
    *y0 = F_MUL_KEEP_GE(e0, lo, p0, s0);
    if (two) {
        vf s1, p1 = KNAME(fexp_parts)(F_MIN(F_MAX(e1, lo), top), &s1);
        *y1 = F_MUL_KEEP_GE(e1, lo, p1, s1);
    } else {
        *y1 = z;
    }
}

/* The float terms of block b (two: and b + 1) into the float accumulators
 * facc (the same slots as acc). */
KATTR static inline __attribute__((always_inline)) void
KNAME(fblocks)(const gcent__pack *P, const gcent__query *Q, const gcent__pk_fq *F, size_t b,
               int two, int split, vf va, vf vc, vf lo, vf facc[3], float *lwtmp, size_t d)
{
    const size_t B = GCENT__PK_BLK;
    const float *lw0 = P->lwf + b * B, *lw1 = lw0 + B;
    if (Q->skip != SIZE_MAX) {
        const size_t sb = Q->skip / B;
        if (sb == b || (two && sb == b + 1)) {
            const float *src = sb == b ? lw0 : lw1;
            for (size_t l = 0; l < B; ++l)
                lwtmp[l] = src[l];
            lwtmp[Q->skip - sb * B] = F->skip_lw;
            if (sb == b)
                lw0 = lwtmp;
            else
                lw1 = lwtmp;
        }
    }
    const float *u0 = P->uf + b * B * d;
    vf y[2];
    KNAME(fterms)(u0, u0 + B * d, F->q, F_ADD(F_LOAD(lw0), vc),
                  two ? F_ADD(F_LOAD(lw1), vc) : vc, va, lo, &y[0], &y[1], d, two);
    for (int h = 0; h < 1 + (two != 0); ++h) {
        if (split) {
            vf yin, yout;
            F_SPLIT_EQI(P->grpf + (b + (size_t)h) * B, F->own, y[h], yin, yout);
            facc[0] = F_ADD(facc[0], yin);
            facc[1] = F_ADD(facc[1], yout);
        } else {
            facc[2] = F_ADD(facc[2], y[h]);
        }
    }
}

/* The float partial sums fa (3 slots x 16 lanes) into the double
 * accumulators a (3 x 8 lanes: lanes l and l + 8 into lane l), fa zeroed. */
KATTR static inline void KNAME(fflush)(double *a, float *fa)
{
    const vf z = F_SET1(0.0f);
    for (int c = 0; c < 3; ++c) {
        V_STORE(a + 8 * c, V_ADD_F(V_LOAD(a + 8 * c), F_LOAD(fa + 16 * c)));
        F_STORE(fa + 16 * c, z);
    }
}

/* query_run in float. The query's terms are added lane by lane in float
 * over the blocks of an aligned group of GCENT__F32_SUM_BLOCKS blocks (block
 * b is in group b / GCENT__F32_SUM_BLOCKS), then converted to double and
 * added to the double accumulators when the query reaches another group
 * (or the batch ends): fa and *fg keep the float sums and their group
 * between runs. The blocks go two at a time where an even block and the
 * next are both evaluated with the same slots -- within a unit, or across
 * adjacent k-d leaves --, else one at a time; that changes no bit (each
 * lane's terms are its own and are added in block order). So the sums
 * depend neither on the batch, nor on the runs, nor on the pruning units. */
KATTR static inline __attribute__((always_inline)) void
KNAME(fquery_run)(const gcent__pack *P, const gcent__query *q, const gcent__pk_fq *F,
                  const struct gcent__pk_unit *U, size_t u0, size_t u1,
                  const unsigned char *keep, double *a, float *fa, size_t *fg, size_t *blocks,
                  float *lwtmp, size_t d)
{
    const size_t G = GCENT__F32_SUM_BLOCKS;
    const vf va = F_SET1((float)q->a), vc = F_SET1(F->c), lo = F_SET1((float)P->flush);
    const vf z = F_SET1(0.0f);
    vd acc[3] = {V_LOAD(a), V_LOAD(a + 8), V_LOAD(a + 16)};
    vf facc[3] = {F_LOAD(fa), F_LOAD(fa + 16), F_LOAD(fa + 32)};
    size_t cur = *fg, nb = 0, pend = SIZE_MAX;
    int psplit = 0;
#define FGROUP(b)                                                                            \
    do {                                                                                     \
        if ((b) / G != cur) {                                                                \
            for (int c_ = 0; c_ < 3; ++c_) {                                                 \
                acc[c_] = V_ADD_F(acc[c_], facc[c_]);                                        \
                facc[c_] = z;                                                                \
            }                                                                                \
            cur = (b) / G;                                                                   \
        }                                                                                    \
    } while (0)
    for (size_t u = u0; u < u1; ++u) {
        if (keep && !keep[u])
            continue;
        const int split = U[u].s == q->own_seg;
        const size_t b1 = U[u].b1;
        size_t b = U[u].b0;
        nb += b1 - b;
        if (pend != SIZE_MAX) { /* an even block waiting for its partner */
            if (b == pend + 1 && split == psplit) {
                KNAME(fblocks)(P, q, F, pend, 1, split, va, vc, lo, facc, lwtmp, d);
                ++b;
            } else {
                KNAME(fblocks)(P, q, F, pend, 0, psplit, va, vc, lo, facc, lwtmp, d);
            }
            pend = SIZE_MAX;
        }
        if (b < b1 && b % 2 != 0) {
            FGROUP(b);
            KNAME(fblocks)(P, q, F, b, 0, split, va, vc, lo, facc, lwtmp, d);
            ++b;
        }
        for (; b + 2 <= b1; b += 2) {
            FGROUP(b);
            KNAME(fblocks)(P, q, F, b, 1, split, va, vc, lo, facc, lwtmp, d);
        }
        if (b < b1) { /* even: its partner may start the next unit */
            FGROUP(b);
            pend = b;
            psplit = split;
        }
    }
    if (pend != SIZE_MAX)
        KNAME(fblocks)(P, q, F, pend, 0, psplit, va, vc, lo, facc, lwtmp, d);
#undef FGROUP
    *fg = cur;
    *blocks += nb;
    V_STORE(a, acc[0]);
    V_STORE(a + 8, acc[1]);
    V_STORE(a + 16, acc[2]);
    F_STORE(fa, facc[0]);
    F_STORE(fa + 16, facc[1]);
    F_STORE(fa + 32, facc[2]);
}

/* A batch of queries: the results of pack_sums for each, bit for bit.
 *
 * Pruning: the tree is walked once for the batch, with the queries'
 * bounding box and the most permissive limit; a node the batch skips is
 * skipped by each of its queries (see boxbox_dist2). Each leaf the batch
 * keeps is then tested per query with pack_sums' own test (box_dist2,
 * computed for 8 leaves at a time). Since a child's box lies in its
 * parent's, pack_sums keeps a leaf exactly when the leaf's own test keeps
 * it, so every query evaluates the blocks pack_sums would, in the same
 * increasing order.
 *
 * Cache blocking: the kept blocks are taken in runs of about 16 KiB, each
 * run against every query of the batch while it is in the L1 cache; a
 * query's accumulators wait in W->acc between runs. Each query still adds
 * its blocks in increasing order, so its sums depend neither on the run
 * length nor on the batch. */
KATTR static void KNAME(pack_batch)(const gcent__pack *P, const gcent__query *Q, size_t nq,
                                    double *out, double *over_out, gcent__pk_work *W)
{
    const size_t dp = P->dpad, d = P->d;
    const size_t run = W->run;
    size_t nu = 0;
    struct gcent__pk_unit *U = W->unit;
    double amin = INFINITY, limmax = -INFINITY;
    for (size_t i = 0; i < nq; ++i) {
        double lim = -(P->logtol + Q[i].shift);
        amin = Q[i].a < amin ? Q[i].a : amin;
        limmax = lim > limmax ? lim : limmax;
        W->lim[i] = lim;
    }
    size_t nu8 = 0;
    if (P->node) {
        double *qb = W->qbox;
        for (size_t k = 0; k < d; ++k) {
            double lo = INFINITY, hi = -INFINITY;
            for (size_t i = 0; i < nq; ++i) {
                double x = Q[i].q[k];
                lo = x < lo ? x : lo;
                hi = x > hi ? x : hi;
            }
            qb[k] = lo;
            qb[d + k] = hi;
        }
        for (size_t s = 0; s < P->nseg; ++s) {
            if (P->seg_root[s] == SIZE_MAX)
                continue;
            size_t stack[2 * (sizeof(size_t) * 8) + 2], top = 0;
            stack[top++] = P->seg_root[s];
            while (top > 0) {
                const size_t v = stack[--top];
                const struct gcent__pk_node *nd = &P->node[v];
                if (amin * (KNAME(boxbox_dist2)(P->box + v * 2 * dp, qb, d, dp) *
                            (1.0 - 1e-12)) >= limmax)
                    continue;
                if (nd->left == SIZE_MAX) {
                    U[nu].v = v;
                    U[nu].b0 = nd->blo;
                    U[nu].b1 = nd->bhi;
                    U[nu].s = s;
                    ++nu;
                } else {
                    stack[top++] = nd->right;
                    stack[top++] = nd->left;
                }
            }
        }
        /* the kept leaves' boxes by coordinate, 8 leaves to a vector */
        nu8 = (nu + 7) / 8 * 8;
        double *lb = W->lbox;
        for (size_t u = 0; u < nu8; ++u) {
            const double *b = u < nu ? P->box + U[u].v * 2 * dp : NULL;
            for (size_t k = 0; k < d; ++k) {
                lb[2 * k * nu8 + u] = b ? b[k] : 0.0;
                lb[(2 * k + 1) * nu8 + u] = b ? b[dp + k] : 0.0;
            }
        }
        /* each query's verdict on each kept leaf: pack_sums' test */
        const vd zero = V_SET1(0.0), shrink = V_SET1(1.0 - 1e-12);
        double lane[8];
        for (size_t i = 0; i < nq; ++i) {
            const vd va = V_SET1(Q[i].a);
            unsigned char *keep = W->keep + i * nu8;
            for (size_t g = 0; g < nu8; g += 8) {
                vd acc = zero;
                for (size_t k = 0; k < d; ++k) {
                    vd qk = V_SET1(Q[i].q[k]);
                    vd x = V_SUB(V_LOAD(lb + 2 * k * nu8 + g), qk);
                    vd y = V_SUB(qk, V_LOAD(lb + (2 * k + 1) * nu8 + g));
                    vd t = V_MAX(V_MAX(x, y), zero);
                    acc = V_FMA(t, t, acc);
                }
                V_STORE(lane, V_MUL(va, V_MUL(acc, shrink)));
                for (int l = 0; l < 8; ++l)
                    keep[g + l] = !(lane[l] >= W->lim[i]);
            }
        }
    } else {
        for (size_t s = 0; s < P->nseg; ++s)
            for (size_t b = P->seg[s]; b < P->seg[s + 1]; b += run) {
                U[nu].v = SIZE_MAX;
                U[nu].b0 = b;
                U[nu].b1 = b + run < P->seg[s + 1] ? b + run : P->seg[s + 1];
                U[nu].s = s;
                ++nu;
            }
    }
    const vd zero = V_SET1(0.0);
    for (size_t i = 0; i < nq; ++i) {
        double *a = W->acc + 24 * i;
        V_STORE(a, zero);
        V_STORE(a + 8, zero);
        V_STORE(a + 16, zero);
        if (W->fsel && W->fsel[i]) {
            const vf fz = F_SET1(0.0f);
            for (int c = 0; c < 3; ++c)
                F_STORE(W->facc + 48 * i + 16 * c, fz);
            W->fgroup[i] = SIZE_MAX;
        }
    }
    double lwtmp[GCENT__PK_BLK];
    float lwtmpf[GCENT__PK_BLK];
    if (P->node)
        W->tests += nq * nu;
    for (size_t u0 = 0, u1; u0 < nu; u0 = u1) {
        size_t nb = U[u0].b1 - U[u0].b0;
        for (u1 = u0 + 1; u1 < nu && nb + (U[u1].b1 - U[u1].b0) <= run; ++u1)
            nb += U[u1].b1 - U[u1].b0;
        for (size_t i = 0; i < nq; ++i) {
            const unsigned char *keep = P->node ? W->keep + i * nu8 : NULL;
            double *a = W->acc + 24 * i;
            if (W->fsel && W->fsel[i]) {
                const gcent__pk_fq *F = &W->fq[i];
                float *fa = W->facc + 48 * i;
                size_t *fg = &W->fgroup[i];
#if defined(GCENT_KERNEL_ONE_WIDTH) || !KFLOAT_WIDTHS
#define FCASE(D)
#else
#define FCASE(D)                                                                             \
    case D:                                                                                  \
        KNAME(fquery_run)(P, &Q[i], F, U, u0, u1, keep, a, fa, fg, &W->blocks, lwtmpf, D);   \
        break;
#endif
                switch (d) {
                    FCASE(1)
                    FCASE(2)
                    FCASE(3)
                    FCASE(4)
                    FCASE(5)
                    FCASE(6)
                    FCASE(7)
                    FCASE(8)
                    FCASE(9)
                    FCASE(10)
                    FCASE(11)
                    FCASE(12)
                default:
                    KNAME(fquery_run)(P, &Q[i], F, U, u0, u1, keep, a, fa, fg, &W->blocks,
                                      lwtmpf, d);
                }
#undef FCASE
                continue;
            }
#if defined(GCENT_KERNEL_ONE_WIDTH)
#define KCASE(D)
#else
#define KCASE(D)                                                                             \
    case D:                                                                                  \
        KNAME(query_run)(P, &Q[i], U, u0, u1, keep, a, &W->blocks, lwtmp, D);                \
        break;
#endif
            switch (d) {
                KCASE(1)
                KCASE(2)
                KCASE(3)
                KCASE(4)
                KCASE(5)
                KCASE(6)
                KCASE(7)
                KCASE(8)
                KCASE(9)
                KCASE(10)
                KCASE(11)
                KCASE(12)
            default:
                KNAME(query_run)(P, &Q[i], U, u0, u1, keep, a, &W->blocks, lwtmp, d);
            }
#undef KCASE
        }
    }
    for (size_t i = 0; i < nq; ++i) {
        if (W->fsel && W->fsel[i]) /* the last group's float sums */
            KNAME(fflush)(W->acc + 24 * i, W->facc + 48 * i);
        const double *lane = W->acc + 24 * i;
        for (int c = 0; c < 3; ++c, lane += 8)
            out[3 * i + c] = ((lane[0] + lane[4]) + (lane[2] + lane[6])) +
                             ((lane[1] + lane[5]) + (lane[3] + lane[7]));
        const double top = W->fsel && W->fsel[i] ? P->sum_top_f : P->sum_top;
        over_out[i] = out[3 * i] + out[3 * i + 1] + out[3 * i + 2] < top ? 0.0 : INFINITY;
    }
}

/* gcent__mix_lse (mixture.h) on this instruction set: squared distances and
 * exponents in plain loops over a block of GCENT__MIX_BLOCK centres (the
 * compiler vectorises them for the target; no contraction into fused
 * operations), a running maximum, and the exponentials of the block with
 * the kernel's own exponential, 8 at a time; the block's terms are added in
 * 8 lanes (lane l takes j = l mod 8), combined pairwise at the end. Terms
 * below e^-708 of the running maximum count as e^-708 (flushed). */
KATTR static double KNAME(mix_lse)(const gcent__mix *m, const double *q, double a,
                                   double shift, size_t lo, size_t hi, size_t skip,
                                   double *buf)
{
    const double flo = -708.0;
    const size_t n = m->n, d = m->d;
    double M = -INFINITY, S = 0.0;
    for (size_t j0 = lo; j0 < hi; j0 += GCENT__MIX_BLOCK) {
        const size_t len = hi - j0 < GCENT__MIX_BLOCK ? hi - j0 : GCENT__MIX_BLOCK;
        const double *restrict u0 = m->ut + j0;
        const double q0 = q[0];
        for (size_t j = 0; j < len; ++j) {
            double t = q0 - u0[j];
            buf[j] = t * t;
        }
        for (size_t k = 1; k < d; ++k) {
            const double *restrict uk = m->ut + k * n + j0;
            const double qk = q[k];
            for (size_t j = 0; j < len; ++j) {
                double t = qk - uk[j];
                buf[j] += t * t;
            }
        }
        const double *restrict lw = m->logw + j0;
        double bmax = -INFINITY;
        for (size_t j = 0; j < len; ++j) {
            double e = lw[j] - a * buf[j] - shift;
            buf[j] = e;
            bmax = e > bmax ? e : bmax;
        }
        if (skip >= j0 && skip < j0 + len) {
            buf[skip - j0] = -INFINITY;
            bmax = -INFINITY;
            for (size_t j = 0; j < len; ++j)
                bmax = buf[j] > bmax ? buf[j] : bmax;
        }
        if (bmax == -INFINITY)
            continue;
        if (bmax > M) {
            S = M == -INFINITY ? 0.0 : S * exp(M - bmax);
            M = bmax;
        }
        if (!(bmax - M > flo))
            continue;
        const size_t len8 = (len + 7) / 8 * 8;
        for (size_t j = 0; j < len; ++j) {
            double x = buf[j] - M;
            buf[j] = x > flo ? x : flo;
        }
        for (size_t j = len; j < len8; ++j)
            buf[j] = flo;
        for (size_t j = 0; j < len8; j += 8)
            V_STORE(buf + j, KNAME(vexp)(V_LOAD(buf + j)));
        double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        size_t j = 0;
        for (; j + 8 <= len; j += 8)
            for (size_t l = 0; l < 8; ++l)
                acc[l] += buf[j + l];
        for (size_t l = 0; j < len; ++j, ++l)
            acc[l] += buf[j];
        S += ((acc[0] + acc[4]) + (acc[2] + acc[6])) + ((acc[1] + acc[5]) + (acc[3] + acc[7]));
    }
    return M == -INFINITY ? -INFINITY : M + log(S);
}

#undef KATTR
#undef KNAME
#undef KFLOAT_WIDTHS
#undef vd
#undef V_LOAD
#undef V_SET1
#undef V_ADD
#undef V_SUB
#undef V_MUL
#undef V_MAX
#undef V_MIN
#undef V_FMA
#undef V_FNMA
#undef V_MUL_KEEP_GE
#undef V_ANY_GE2
#undef V_SPLIT_EQ
#undef V_EXP2TAB
#undef V_STORE
#undef vf
#undef F_LOAD
#undef F_SET1
#undef F_ADD
#undef F_SUB
#undef F_MUL
#undef F_MAX
#undef F_MIN
#undef F_FMA
#undef F_FNMA
#undef F_MUL_KEEP_GE
#undef F_ANY_GE2
#undef F_SPLIT_EQI
#undef F_EXP2TAB
#undef V_ADD_F
#undef F_STORE
