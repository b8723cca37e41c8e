/* Deterministic quadrature of the mixture entropy, d = 1 and d = 2.
 *
 * In scaled coordinates every component is N(u_j, I_d) and
 *
 *     h_u = -int g(v) log g(v) dv,   g(v) = sum_j w_j phi_d(v - u_j).
 *
 * Domain. The integrand is negligible outside the union of the boxes of
 * half-width L = 12 around the centres: a unit normal puts mass 2 Phi(-12) <
 * 4e-33 per axis outside, and -g log g integrates to < 1e-31 there. For d = 2
 * the windows of the inner axis are the chords of the discs of radius L (mass
 * outside a disc: e^-72 < 6e-32).
 *
 * Panels. Each merged interval of the domain is cut into panels of width <= 1
 * (one noise standard deviation). A panel is accepted when the N-point
 * (N = 8) Gauss-Legendre rule on it and the sum of the rules on its two halves agree
 * within tol * width / (total width), or within 1e-13 of the panel's
 * integral of |f| (rounding level), or at depth 50; otherwise both halves are
 * refined. The accepted value is the two-halves sum and the reported error is
 * the sum of the accepted differences (an overestimate: the halves are
 * typically 2^(2N) times more accurate than the difference).
 *
 * d = 2 is nested: the outer integral runs over v1 on the union of the windows
 * of the first coordinates; at an outer node v1 the inner integrand is the
 * 1-D mixture in v2 with weights w_j exp(-(v1 - u_j1)^2 / 2) (exactly the
 * 2-D density up to the constant 1 / (2 pi)). The outer rule gets half of the
 * budget, the inner integrals a quarter (tol / (4 W1) each, W1 the outer
 * width); the reported error adds the outer differences and the weighted
 * inner error estimates.
 *
 * Log-sum-exp window. At a node v the centres with |v - u_j| > R = 40 (in
 * any coordinate) are left out of log g. Each such term is below w_j e^-800,
 * while a node of the domain is within L of some centre (d = 1: that term is
 * above w_j e^-72; d = 2: within L in both coordinates, above w_j e^-144),
 * so the relative change of g is below (w_max / w_min) e^-656, and the
 * absolute change of -g log g below 1e-340: nothing in double precision.
 * Centres are kept sorted by the coordinate of the line being integrated and
 * the window is found by binary search. For d = 2 an inner line also drops
 * centres whose effective log-weight log w_j - (v1 - u_j1)^2 / 2 is below
 * -700 (their whole contribution to g is below e^-700).
 *
 * Precision. Positions are handled as (anchor, offset): every merged
 * interval is anchored at one of its centres and the nodes and the centres
 * near a panel are expressed relative to that anchor, so the accuracy does
 * not depend on how far the centres are from the origin.
 *
 * Rule. The 8-point Gauss-Legendre rule on [-1, 1] is a static table: its
 * nodes and weights correctly rounded from 60-digit values (Newton's method
 * on P_8 in decimal arithmetic); tests/test_quadrature.c checks that the
 * nodes are roots of P_8 and that the rule integrates x^j exactly for
 * j < 16.
 *
 * Threads and shards. A prepared mixture's outer panels are numbered
 * 0 .. npan-1 (a function of the mixture only). Any range of them can be
 * integrated on its own (gcent__quad_panels), cut into chunks run by a pool:
 * a panel's value depends only on the panel, and the values are added into
 * exact accumulators (src/sum.h), so the sum is the same bits whatever the
 * chunks, the threads, or the split of the panels between shards (the
 * Monte Carlo shards of a call map their rows to panels proportionally).
 *
 * Cost. Without refinement every panel costs 3N evaluations (N on the panel,
 * N on each half), i.e. 3N nodes per unit length of domain (per axis), each
 * pairing with the centres in its log-sum-exp window; gcent__quad_cost
 * predicts exactly that count.
 */
#include <float.h>
#include <math.h>
#include <string.h>
#include "alloc.h"
#include "quadrature.h"
#include "sort.h"

#define QUAD_NPTS 8           /* Gauss-Legendre points per panel rule */
#define QUAD_HALF 12.0        /* L: domain half-width around a centre */
#define QUAD_REACH 40.0       /* R: log-sum-exp window half-width */
#define QUAD_PANEL 1.0        /* width of the initial panels */
#define QUAD_MAXDEPTH 50      /* bisection depth limit */
#define QUAD_ROUNDOFF 1e-13   /* accept differences at rounding level */
#define QUAD_LOGW_MIN (-700.0) /* inner lines (d = 2) drop smaller terms */
#define QUAD_COST_SAMPLES 32  /* outer positions sampled by the cost model */

/* ---- small helpers ---------------------------------------------------------- */

typedef gcent__sum qsum; /* Neumaier compensated sums, see internal.h */

/* First index i in [0, n) with a[i] >= x (a ascending), n if none. */
static size_t lower_bound(const double *a, size_t n, double x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* First index i in [0, n) with a[i] > x, n if none. */
static size_t upper_bound(const double *a, size_t n, double x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

typedef gcent__key qkey;

/* Sort the centres of m by coordinate k; keys receives the permutation (no
 * allocation: not qsort). */
static void sort_by(const gcent__mix *m, size_t k, qkey *keys)
{
    for (size_t j = 0; j < m->n; j++) {
        keys[j].key = m->ut[k * m->n + j];
        keys[j].idx = j;
    }
    gcent__key_sort(keys, m->n);
}

/* Merge the windows [u_j - h_j, u_j + h_j] (u ascending; h = NULL means the
 * constant hc; windows with h_j <= 0 are skipped) into disjoint intervals
 * kept as anchor ivA (a centre) and offsets ivlo < ivhi. Returns the count
 * (<= n). Windows are processed in centre order; a window can start before
 * earlier ones when half-widths differ, so the intervals form a stack that a
 * new window may swallow from the top. */
static size_t merge_windows(const double *u, const double *h, double hc, size_t n,
                            double *ivA, double *ivlo, double *ivhi)
{
    size_t k = 0;
    for (size_t j = 0; j < n; j++) {
        double hj = h ? h[j] : hc;
        if (!(hj > 0.0))
            continue;
        double A = u[j], lo = -hj, hi = hj;
        while (k > 0) {
            double off = A - ivA[k - 1];           /* >= 0 */
            if (off + lo > ivhi[k - 1])
                break;                             /* disjoint from the top */
            lo = fmin(ivlo[k - 1], off + lo);
            hi = fmax(ivhi[k - 1], off + hi);
            A = ivA[k - 1];
            k--;
        }
        ivA[k] = A;
        ivlo[k] = lo;
        ivhi[k] = hi;
        k++;
    }
    return k;
}

/* Number of panels of width <= QUAD_PANEL covering [lo, hi]. */
static size_t npanels(double lo, double hi)
{
    double c = ceil((hi - lo) / QUAD_PANEL);
    return c >= 1.0 ? (size_t)c : 1;
}

/* ---- panel rules and adaptive bisection ---------------------------------------- */

typedef struct { double x[QUAD_NPTS], w[QUAD_NPTS]; } qrule;

/* The 8-point Gauss-Legendre rule on [-1, 1], nodes ascending (see the
 * opening comment). */
static const qrule GL8 = {
    {-0.9602898564975363, -0.7966664774136267, -0.525532409916329, -0.1834346424956498,
     0.1834346424956498, 0.525532409916329, 0.7966664774136267, 0.9602898564975363},
    {0.10122853629037626, 0.22238103445337448, 0.31370664587788727, 0.362683783378362,
     0.362683783378362, 0.31370664587788727, 0.22238103445337448, 0.10122853629037626}};

void gcent__quad_rule(const double **x, const double **w, size_t *npts)
{
    *x = GL8.x;
    *w = GL8.w;
    *npts = QUAD_NPTS;
}

/* Integrand at (local) coordinate t; *err receives its own error (inner
 * integrals), 0 for a plain function. */
typedef double (*qfn)(void *arg, double t, double *err);

/* out[0] = rule value, out[1] = rule of |f|, out[2] = rule of the errors. */
static void quad_rule(const qrule *r, qfn fn, void *arg, double a, double b,
                      double out[3])
{
    double h = 0.5 * (b - a), c = 0.5 * (a + b);
    double s = 0.0, sa = 0.0, se = 0.0;
    for (int i = 0; i < QUAD_NPTS; i++) {
        double e = 0.0;
        double f = fn(arg, c + h * r->x[i], &e);
        s += r->w[i] * f;
        sa += r->w[i] * fabs(f);
        se += r->w[i] * e;
    }
    out[0] = h * s;
    out[1] = h * sa;
    out[2] = h * se;
}

typedef struct { double a, b, v[3]; int depth; } qpanel;

/* Adaptive integral of fn over [a, b]; budget rate * width per panel. */
static void quad_adapt(const qrule *r, qfn fn, void *arg, double a, double b,
                       double rate, double *val, double *err)
{
    qpanel stack[QUAD_MAXDEPTH + 2];
    size_t sp = 0;
    qsum sum = {0.0, 0.0}, er = {0.0, 0.0};

    stack[sp].a = a;
    stack[sp].b = b;
    stack[sp].depth = 0;
    quad_rule(r, fn, arg, a, b, stack[sp].v);
    sp++;
    while (sp > 0) {
        qpanel P = stack[--sp];
        double mid = 0.5 * (P.a + P.b), L[3], R[3];
        quad_rule(r, fn, arg, P.a, mid, L);
        quad_rule(r, fn, arg, mid, P.b, R);
        double halves = L[0] + R[0];
        double diff = fabs(halves - P.v[0]);
        int accept = !(diff > rate * (P.b - P.a))           /* also NaN */
                     || diff <= QUAD_ROUNDOFF * (L[1] + R[1])
                     || P.depth >= QUAD_MAXDEPTH
                     || !(P.a < mid && mid < P.b);
        if (accept) {
            gcent__sum_add(&sum, L[0]);
            gcent__sum_add(&sum, R[0]);
            gcent__sum_add(&er, diff + L[2] + R[2]);
        } else {
            /* right half below the left one: the left is done first */
            stack[sp].a = mid;
            stack[sp].b = P.b;
            stack[sp].depth = P.depth + 1;
            memcpy(stack[sp].v, R, sizeof R);
            sp++;
            stack[sp].a = P.a;
            stack[sp].b = mid;
            stack[sp].depth = P.depth + 1;
            memcpy(stack[sp].v, L, sizeof L);
            sp++;
        }
    }
    *val = gcent__sum_get(&sum);
    *err = gcent__sum_get(&er);
}

/* ---- the 1-D integrand -g log g near one panel ------------------------------------ */

typedef gcent__quad_line qline; /* a 1-D mixture sorted by coordinate */

/* The centres of a line that can matter on one panel, in coordinates
 * relative to the panel's anchor, as a d = 1 mixture for gcent__mix_logdens. */
typedef struct {
    gcent__mix loc;
    double lognorm;           /* (d/2) log(2 pi) */
    double *buf;              /* GCENT__MIX_BLOCK doubles */
} qdens;

/* Set up dn for the panel [a, b] (offsets from anchor A) of line ln; tloc
 * (ln->n doubles) receives the local coordinates. */
static void dens_setup(qdens *dn, const qline *ln, double A, double a, double b,
                       double *tloc)
{
    /* generous bounds: rounding of A + offset is covered by the margin, and
     * the exact window is applied per node on the local coordinates */
    double margin = 1.0 + 4.0 * DBL_EPSILON * fabs(A);
    size_t lo = lower_bound(ln->u, ln->n, A + (a - QUAD_REACH) - margin);
    size_t hi = upper_bound(ln->u, ln->n, A + (b + QUAD_REACH) + margin);
    if (hi < lo)
        hi = lo;
    for (size_t j = lo; j < hi; j++)
        tloc[j - lo] = ln->u[j] - A;     /* monotone in u: stays sorted */
    dn->loc.n = hi - lo;
    dn->loc.d = 1;
    dn->loc.ut = tloc;
    dn->loc.logw = (double *)(ln->logw + lo);
    dn->loc.w = (double *)(ln->w + lo);
    dn->loc.index = NULL;
    dn->loc.hw = 0.0;
}

/* -g log g at local coordinate t, g = exp(logdens - lognorm). */
static double dens_fn(void *arg, double t, double *err)
{
    qdens *dn = arg;
    const double *tl = dn->loc.ut;
    size_t n = dn->loc.n;
    size_t lo = lower_bound(tl, n, t - QUAD_REACH);
    size_t hi = upper_bound(tl, n, t + QUAD_REACH);
    *err = 0.0;
    if (lo >= hi)
        return 0.0;
    double lg = gcent__mix_logdens(&dn->loc, &t, lo, hi, dn->buf) - dn->lognorm;
    if (!(lg > -740.0))          /* g underflows (or every term did): f = 0 */
        return 0.0;
    return -exp(lg) * lg;
}

/* ---- jobs ----------------------------------------------------------------------- */

/* Per-worker scratch: see quadrature.h (gcent__quad_scr). */
typedef gcent__quad_scr qscratch;
typedef gcent__quad_ws qjob;

/* Panel r of the np equal panels of [lo, hi]. */
static void panel_bounds(double lo, double hi, size_t np, size_t r, double *a, double *b)
{
    *a = r == 0 ? lo : lo + (hi - lo) * (double)r / (double)np;
    *b = r + 1 == np ? hi : lo + (hi - lo) * (double)(r + 1) / (double)np;
}

/* Outer-node closure for d = 2. */
typedef struct {
    const qjob *job;
    qscratch *s;
    double A1;
} qouter;

/* d = 2: inner integral over v2 at v1 = A1 + t1. */
static double inner_fn(void *arg, double t1, double *err)
{
    qouter *o = arg;
    const qjob *job = o->job;
    qscratch *s = o->s;
    size_t n = job->m->n, k = 0;

    /* The inner line, sorted by u2 (scan in u2 order). */
    for (size_t j = 0; j < n; j++) {
        double d1 = (job->u1b[j] - o->A1) - t1;
        double ad = fabs(d1);
        if (!(ad <= QUAD_REACH))
            continue;
        double lw = job->lwb[j] - 0.5 * d1 * d1;
        if (!(lw >= QUAD_LOGW_MIN))
            continue;
        s->lu[k] = job->u2b[j];
        s->llw[k] = lw;
        s->lw[k] = exp(lw);
        s->lhw[k] = ad < QUAD_HALF ? sqrt((QUAD_HALF - ad) * (QUAD_HALF + ad)) : 0.0;
        k++;
    }
    *err = 0.0;
    if (k == 0)
        return 0.0;
    size_t niv = merge_windows(s->lu, s->lhw, 0.0, k, s->ivA, s->ivlo, s->ivhi);
    if (niv == 0)
        return 0.0;
    double width = 0.0;
    for (size_t i = 0; i < niv; i++)
        width += s->ivhi[i] - s->ivlo[i];
    double rate = job->tau_in / width;

    qline ln = {k, s->lu, s->llw, s->lw};
    qdens dn;
    dn.lognorm = GCENT__LN2PI;
    dn.buf = s->buf;
    qsum sum = {0.0, 0.0}, er = {0.0, 0.0};
    for (size_t i = 0; i < niv; i++) {
        double A = s->ivA[i], lo = s->ivlo[i], hi = s->ivhi[i];
        size_t np = npanels(lo, hi);
        for (size_t r = 0; r < np; r++) {
            double a, b, v, e;
            panel_bounds(lo, hi, np, r, &a, &b);
            dens_setup(&dn, &ln, A, a, b, s->tloc);
            quad_adapt(&GL8, dens_fn, &dn, a, b, rate, &v, &e);
            gcent__sum_add(&sum, v);
            gcent__sum_add(&er, e);
        }
    }
    *err = gcent__sum_get(&er);
    return gcent__sum_get(&sum);
}

/* Outer panel number p (in [0, npan)) into its value and error. Depends
 * only on the panel, never on the worker (whose slot only selects scratch). */
static void panel(const qjob *job, qscratch *s, size_t p, double *v, double *e)
{
    /* interval holding panel p: last i with ivp[i] <= p */
    size_t lo = 0, hi = job->niv;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (job->ivp[mid] <= p)
            lo = mid;
        else
            hi = mid;
    }
    const size_t i = lo;
    double A = job->ivA[i], a, b;
    panel_bounds(job->ivlo[i], job->ivhi[i], job->ivp[i + 1] - job->ivp[i], p - job->ivp[i],
                 &a, &b);
    if (job->m->d == 1) {
        qdens dn;
        dn.lognorm = 0.5 * GCENT__LN2PI;
        dn.buf = s->buf;
        dens_setup(&dn, &job->line, A, a, b, s->tloc);
        quad_adapt(&GL8, dens_fn, &dn, a, b, job->rate, v, e);
    } else {
        qouter o = {job, s, A};
        quad_adapt(&GL8, inner_fn, &o, a, b, job->rate, v, e);
    }
}

/* A run of panels: chunk c of `units` equal shares of [p0, p1). */
typedef struct {
    const qjob *job;
    size_t p0, p1, units;
    double coef;
} qrun;

static int chunk_fn(void *arg, size_t chunk, size_t worker)
{
    const qrun *r = arg;
    qscratch *s = &r->job->scr[worker];
    const size_t len = r->p1 - r->p0;
    const size_t first = r->p0 + (size_t)((uint64_t)chunk * len / r->units);
    const size_t last = r->p0 + (size_t)((uint64_t)(chunk + 1) * len / r->units);
    for (size_t p = first; p < last; ++p) {
        double v, e;
        panel(r->job, s, p, &v, &e);
        gcent__xacc_add(&s->val, r->coef * v);
        gcent__xacc_add(&s->err, r->coef * e);
    }
    return GCENT_OK;
}

/* ---- entry points --------------------------------------------------------------------- */

int gcent__quad_alloc(gcent__quad_ws *ws, size_t cap, size_t d, size_t nworkers, gcent__err *e)
{
    memset(ws, 0, sizeof *ws);
    if (nworkers < 1)
        nworkers = 1;
    const size_t n = cap ? cap : 1;
    /* keys: n; dbl: intervals (3n), first coordinates sorted (n), then
     * d = 1: log-weights and weights in that order (2n), d = 2: u1, u2 and
     * log-weights in order of u2 (3n); the cost model needs 11 n + 1. */
    int ovf = 0;
    size_t ndbl = gcent__mul(n, 11, &ovf);
    if (!ovf)
        ndbl += 1;
    size_t kbytes = gcent__mul(n, sizeof(qkey), &ovf);
    size_t dbytes = gcent__mul(ndbl, sizeof(double), &ovf);
    size_t pbytes = gcent__mul(n + 1, sizeof(size_t), &ovf);
    size_t per = gcent__mul(d == 1 ? 1 : 8, n, &ovf) + GCENT__MIX_BLOCK;
    size_t sbytes = gcent__mul(gcent__mul(nworkers, per, &ovf), sizeof(double), &ovf);
    if (ovf)
        return gcent__seterr(e, GCENT_ERANGE, "quadrature of %zu centres: sizes overflow", cap);
    ws->keys = gcent__malloc(kbytes);
    ws->dbl = gcent__malloc(dbytes);
    ws->ivps = gcent__malloc(pbytes);
    ws->scr = gcent__calloc(nworkers, sizeof *ws->scr);
    ws->sbuf = gcent__malloc(sbytes);
    if (!ws->keys || !ws->dbl || !ws->ivps || !ws->scr || !ws->sbuf) {
        gcent__quad_free(ws);
        return gcent__seterr(e, GCENT_ENOMEM, "out of memory for the quadrature of %zu centres",
                             cap);
    }
    ws->cap = cap;
    ws->nworkers = nworkers;
    for (size_t k = 0; k < nworkers; k++) {
        double *b = ws->sbuf + k * per;
        qscratch *s = &ws->scr[k];
        s->buf = b;
        s->tloc = b + GCENT__MIX_BLOCK;
        if (d == 2) {
            double *x = s->tloc + n;
            s->lu = x;
            s->llw = x + n;
            s->lw = x + 2 * n;
            s->lhw = x + 3 * n;
            s->ivA = x + 4 * n;
            s->ivlo = x + 5 * n;
            s->ivhi = x + 6 * n;
        }
    }
    return GCENT_OK;
}

void gcent__quad_free(gcent__quad_ws *ws)
{
    if (ws == NULL)
        return;
    gcent__free(ws->keys);
    gcent__free(ws->dbl);
    gcent__free(ws->ivps);
    gcent__free(ws->scr);
    gcent__free(ws->sbuf);
    memset(ws, 0, sizeof *ws);
}

size_t gcent__quad_prepare(gcent__quad_ws *job, const gcent__mix *m, double tol)
{
    const size_t n = m->n, d = m->d;
    qkey *keys = job->keys;
    double *dbl = job->dbl;
    size_t *ivp = job->ivps;
    job->m = m;
    double *ivA = dbl, *ivlo = dbl + n, *ivhi = dbl + 2 * n, *su = dbl + 3 * n;
    double *rest = dbl + 4 * n;

    /* The first coordinate sorted: the outer domain and, for d = 1, the line. */
    sort_by(m, 0, keys);
    for (size_t j = 0; j < n; j++)
        su[j] = keys[j].key;
    if (d == 1) {
        double *slw = rest, *sw = rest + n;
        for (size_t j = 0; j < n; j++) {
            slw[j] = m->logw[keys[j].idx];
            sw[j] = m->w[keys[j].idx];
        }
        job->line.n = n;
        job->line.u = su;
        job->line.logw = slw;
        job->line.w = sw;
    }
    size_t niv = merge_windows(su, NULL, QUAD_HALF, n, ivA, ivlo, ivhi);
    if (d == 2) {
        double *u1b = rest, *u2b = rest + n, *lwb = rest + 2 * n;
        sort_by(m, 1, keys);
        for (size_t j = 0; j < n; j++) {
            u1b[j] = m->ut[keys[j].idx];
            u2b[j] = keys[j].key;
            lwb[j] = m->logw[keys[j].idx];
        }
        job->u1b = u1b;
        job->u2b = u2b;
        job->lwb = lwb;
    }

    /* Outer panels: at most 25 n in all (the union is at most 24 n wide). */
    double width = 0.0;
    ivp[0] = 0;
    for (size_t i = 0; i < niv; i++) {
        ivp[i + 1] = ivp[i] + npanels(ivlo[i], ivhi[i]);
        width += ivhi[i] - ivlo[i];
    }
    job->niv = niv;
    job->ivA = ivA;
    job->ivlo = ivlo;
    job->ivhi = ivhi;
    job->ivp = ivp;
    job->npan = ivp[niv];
    if (d == 1) {
        job->rate = tol / width;
    } else {
        job->rate = 0.5 * tol / width;
        job->tau_in = 0.25 * tol / width;
    }
    return job->npan;
}

int gcent__quad_panels(gcent__quad_ws *ws, gcent__pool *pool, gcent__progress *p, size_t p0,
                       size_t p1, size_t units, double coef, gcent__xacc *val,
                       gcent__xacc *err)
{
    if (units == 0)
        return GCENT_OK;
    for (size_t w = 0; w < ws->nworkers; ++w) {
        gcent__xacc_zero(&ws->scr[w].val);
        gcent__xacc_zero(&ws->scr[w].err);
    }
    qrun r = {ws, p0, p1, units, coef};
    int st = gcent__pool_run(pool, p, units, chunk_fn, &r);
    if (st != GCENT_OK)
        return st;
    for (size_t w = 0; w < ws->nworkers; ++w) {
        gcent__xacc_merge(val, &ws->scr[w].val);
        gcent__xacc_merge(err, &ws->scr[w].err);
    }
    return GCENT_OK;
}

void gcent__quad_whole(gcent__quad_ws *ws, const gcent__mix *m, double tol, double *h,
                       double *err)
{
    size_t np = gcent__quad_prepare(ws, m, tol);
    qscratch *s = &ws->scr[0];
    gcent__xacc_zero(&s->val);
    gcent__xacc_zero(&s->err);
    for (size_t q = 0; q < np; ++q) {
        double v, e;
        panel(ws, s, q, &v, &e);
        gcent__xacc_add(&s->val, v);
        gcent__xacc_add(&s->err, e);
    }
    *h = gcent__xacc_get(&s->val);
    *err = gcent__xacc_get(&s->err);
}

/* ---- cost prediction ------------------------------------------------------------------ */

/* Measure of the union of the disjoint sorted intervals [s_i, e_i] (prefix
 * lengths cum, cum[0] = 0) inside [x0, x1]. */
static double union_measure(const double *s, const double *e, const double *cum,
                            size_t k, double x0, double x1)
{
    size_t i0 = upper_bound(e, k, x0);         /* first interval ending after x0 */
    size_t i1 = lower_bound(s, k, x1);         /* intervals i < i1 start before x1 */
    if (i0 >= i1)
        return 0.0;
    double len = cum[i1] - cum[i0];
    if (s[i0] < x0)
        len -= x0 - s[i0];
    if (e[i1 - 1] > x1)
        len -= e[i1 - 1] - x1;
    return len > 0.0 ? len : 0.0;
}

/* Convert anchored intervals to absolute starts/ends and prefix lengths;
 * returns the panel count. */
static double absolute_intervals(size_t k, const double *A, const double *lo,
                                 const double *hi, double *s, double *e, double *cum)
{
    double np = 0.0;
    cum[0] = 0.0;
    for (size_t i = 0; i < k; i++) {
        s[i] = A[i] + lo[i];
        e[i] = A[i] + hi[i];
        cum[i + 1] = cum[i] + (hi[i] - lo[i]);
        np += (double)npanels(lo[i], hi[i]);
    }
    return np;
}

double gcent__quad_cost(gcent__quad_ws *ws, const gcent__mix *m)
{
    if (m == NULL || m->n == 0)
        return 0.0;
    if (m->d != 1 && m->d != 2)
        return HUGE_VAL;
    double n = (double)m->n, nodes = 3.0 * QUAD_NPTS;   /* evaluations per panel */
    size_t nn = m->n;
    qkey *keys = ws->keys;
    double *dbl = ws->dbl;
    double *su = dbl, *ivA = dbl + nn, *ivlo = dbl + 2 * nn, *ivhi = dbl + 3 * nn;
    double *s = dbl + 4 * nn, *e = dbl + 5 * nn, *cum = dbl + 6 * nn;  /* n + 1 */
    double *u1b = dbl + 7 * nn + 1, *u2b = dbl + 8 * nn + 1;
    double *ku = dbl + 9 * nn + 1, *khw = dbl + 10 * nn + 1;
    double cost;

    sort_by(m, 0, keys);
    for (size_t j = 0; j < nn; j++)
        su[j] = keys[j].key;
    size_t niv = merge_windows(su, NULL, QUAD_HALF, nn, ivA, ivlo, ivhi);
    double np1 = absolute_intervals(niv, ivA, ivlo, ivhi, s, e, cum);
    double dens1 = nodes * np1 / cum[niv];               /* nodes per unit length */

    if (m->d == 1) {
        double pairs = 0.0;
        for (size_t j = 0; j < nn; j++)
            pairs += union_measure(s, e, cum, niv, su[j] - QUAD_REACH, su[j] + QUAD_REACH);
        cost = dens1 * pairs;
    } else {
        /* Sample up to QUAD_COST_SAMPLES outer panels evenly; each stands for
         * its share of the outer panels, 3N outer nodes per panel. */
        double v1s[QUAD_COST_SAMPLES];
        size_t np1i = (size_t)np1;
        size_t nsamp = np1i < QUAD_COST_SAMPLES ? np1i : QUAD_COST_SAMPLES;
        for (size_t q = 0, i = 0, acc = 0; q < nsamp; q++) {
            size_t target = (size_t)(((double)q + 0.5) * np1 / (double)nsamp);
            while (i + 1 < niv && target >= acc + npanels(ivlo[i], ivhi[i])) {
                acc += npanels(ivlo[i], ivhi[i]);
                i++;
            }
            size_t pi = npanels(ivlo[i], ivhi[i]);
            size_t r = target >= acc ? target - acc : 0;
            if (r >= pi)
                r = pi - 1;
            double w = (ivhi[i] - ivlo[i]) / (double)pi;
            v1s[q] = ivA[i] + ivlo[i] + w * ((double)r + 0.5);
        }
        sort_by(m, 1, keys);
        for (size_t j = 0; j < nn; j++) {
            u1b[j] = m->ut[keys[j].idx];
            u2b[j] = keys[j].key;
        }
        double per_node = 0.0;
        for (size_t q = 0; q < nsamp; q++) {
            size_t kk = 0;
            for (size_t j = 0; j < nn; j++) {
                double ad = fabs(u1b[j] - v1s[q]);
                if (!(ad <= QUAD_REACH))
                    continue;
                ku[kk] = u2b[j];
                khw[kk] = ad < QUAD_HALF ? sqrt((QUAD_HALF - ad) * (QUAD_HALF + ad)) : 0.0;
                kk++;
            }
            double node = n;                  /* building the inner line */
            size_t niv2 = merge_windows(ku, khw, 0.0, kk, ivA, ivlo, ivhi);
            if (niv2 > 0) {
                double np2 = absolute_intervals(niv2, ivA, ivlo, ivhi, s, e, cum);
                double dens2 = nodes * np2 / cum[niv2], pairs = 0.0;
                for (size_t j = 0; j < kk; j++)
                    pairs += union_measure(s, e, cum, niv2, ku[j] - QUAD_REACH,
                                           ku[j] + QUAD_REACH);
                node += dens2 * pairs;
            }
            per_node += node;
        }
        cost = nsamp > 0 ? nodes * np1 * per_node / (double)nsamp : 0.0;
    }
    return cost;
}
