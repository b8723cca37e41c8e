/* Validation of the caller's samples and weights (src/validate.c): every
 * failure is written to the error sink where it is found. */
#ifndef GCENT_VALIDATE_H
#define GCENT_VALIDATE_H

#include "common.h"
#include "err.h"

/* Pointer, n >= 1, d >= 1, lds >= d, and (n - 1) * lds + d doubles addressable. */
GCENT__HIDDEN int gcent__check_shape(gcent__err *e, const double *s, size_t n, size_t d,
                                     size_t lds);
/* Every one of the n x d values finite (padding not read). */
GCENT__HIDDEN int gcent__check_finite(gcent__err *e, const double *s, size_t n, size_t d,
                                      size_t lds);
/* The same two for samples of either type (float rows: (n - 1) * lds + d
 * floats addressable). */
GCENT__HIDDEN int gcent__check_rows_shape(gcent__err *e, const gcent__rows *s, size_t n,
                                          size_t d);
GCENT__HIDDEN int gcent__check_rows_finite(gcent__err *e, const gcent__rows *s, size_t n,
                                           size_t d);
/* n weights finite, non-negative, summing to 1 within 1e-9 (w may be NULL). */
GCENT__HIDDEN int gcent__check_weights(gcent__err *e, const double *w, size_t n);
/* beta finite and > 0. */
GCENT__HIDDEN int gcent__check_beta(gcent__err *e, double beta);
/* Shape, beta, finite values, weights: everything documented in
 * gcent/entropy.h, in that order. */
GCENT__HIDDEN int gcent__check_samples(gcent__err *e, const double *s, size_t n, size_t d,
                                       size_t lds, const double *w, double beta);

#endif /* GCENT_VALIDATE_H */
