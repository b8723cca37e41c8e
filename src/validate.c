/* Validation of the caller's samples, weights and noise level. */
#include "alloc.h"
#include "validate.h"
#include "sum.h"

/* Shape checks for rows of elem-byte values. */
static int check_shape(gcent__err *e, const void *s, size_t n, size_t d, size_t lds,
                       size_t elem)
{
    if (s == NULL)
        return gcent__seterr(e, GCENT_EINVAL, "the samples pointer is NULL");
    if (n == 0)
        return gcent__seterr(e, GCENT_EINVAL, "n = 0: at least one sample is needed");
    if (d == 0)
        return gcent__seterr(e, GCENT_EINVAL, "d = 0: the dimension must be at least 1");
    if (lds < d)
        return gcent__seterr(e, GCENT_EINVAL, "row stride lds = %zu is smaller than d = %zu",
                             lds, d);
    /* the last double read is s[(n - 1) * lds + d - 1]: its byte offset must fit */
    int ovf = 0;
    size_t span = gcent__mul(n - 1, lds, &ovf);
    if (!ovf && span > SIZE_MAX - d)
        ovf = 1;
    if (!ovf)
        (void)gcent__mul(span + d, elem, &ovf);
    if (ovf)
        return gcent__seterr(e, GCENT_ERANGE, "n = %zu rows of stride %zu overflow size_t", n,
                             lds);
    return GCENT_OK;
}

int gcent__check_shape(gcent__err *e, const double *s, size_t n, size_t d, size_t lds)
{
    return check_shape(e, s, n, d, lds, sizeof(double));
}

int gcent__check_rows_shape(gcent__err *e, const gcent__rows *s, size_t n, size_t d)
{
    if (s->f != NULL)
        return check_shape(e, s->f, n, d, s->lds, sizeof(float));
    return check_shape(e, s->d, n, d, s->lds, sizeof(double));
}

int gcent__check_rows_finite(gcent__err *e, const gcent__rows *s, size_t n, size_t d)
{
    if (s->f == NULL)
        return gcent__check_finite(e, s->d, n, d, s->lds);
    for (size_t i = 0; i < n; ++i) {
        const float *row = s->f + i * s->lds;
        for (size_t k = 0; k < d; ++k)
            if (!isfinite(row[k]))
                return gcent__seterr(e, GCENT_EDOM,
                                     "sample %zu, coordinate %zu is NaN or infinite "
                                     "(counted from 0)", i, k);
    }
    return GCENT_OK;
}

int gcent__check_finite(gcent__err *e, const double *s, size_t n, size_t d, size_t lds)
{
    for (size_t i = 0; i < n; ++i) {
        const double *row = s + i * lds;
        for (size_t k = 0; k < d; ++k)
            if (!isfinite(row[k]))
                return gcent__seterr(e, GCENT_EDOM,
                                     "sample %zu, coordinate %zu is NaN or infinite "
                                     "(counted from 0)", i, k);
    }
    return GCENT_OK;
}

int gcent__check_weights(gcent__err *e, const double *w, size_t n)
{
    if (w == NULL)
        return GCENT_OK;
    gcent__sum sum = {0.0, 0.0};
    for (size_t i = 0; i < n; ++i) {
        if (!isfinite(w[i]))
            return gcent__seterr(e, GCENT_EDOM, "weight %zu is NaN or infinite", i);
        if (w[i] < 0.0)
            return gcent__seterr(e, GCENT_EINVAL, "weight %zu = %g is negative", i, w[i]);
        gcent__sum_add(&sum, w[i]); /* compensated: no order effects */
    }
    double total = gcent__sum_get(&sum);
    if (!(fabs(total - 1.0) <= 1e-9))
        return gcent__seterr(e, GCENT_EINVAL, "weights sum to %.17g, not 1 (tolerance 1e-9)",
                             total);
    return GCENT_OK;
}

int gcent__check_beta(gcent__err *e, double beta)
{
    if (isnan(beta) || isinf(beta))
        return gcent__seterr(e, GCENT_EDOM, "beta is NaN or infinite");
    if (!(beta > 0.0))
        return gcent__seterr(e, GCENT_EINVAL, "beta = %g: the noise level must be > 0", beta);
    return GCENT_OK;
}

int gcent__check_samples(gcent__err *e, const double *s, size_t n, size_t d, size_t lds,
                         const double *w, double beta)
{
    int st = gcent__check_shape(e, s, n, d, lds);
    if (st == GCENT_OK)
        st = gcent__check_beta(e, beta);
    if (st == GCENT_OK)
        st = gcent__check_finite(e, s, n, d, lds);
    if (st == GCENT_OK)
        st = gcent__check_weights(e, w, n);
    return st;
}
