/* Test hook of the binned entropies (src/binned.c). */
#ifndef GCENT_BINNED_H_INTERNAL
#define GCENT_BINNED_H_INTERNAL

#include "common.h"

/* gcent_binned_entropy with the row hash masked to hash_mask: the public
 * function uses UINT64_MAX; tests use a few bits to force collisions and
 * check that the result stays exact. */
GCENT__HIDDEN int gcent__binned_entropy_masked(gcent_ctx *ctx, const double *t, size_t n,
                                               size_t d, size_t ldt, double width,
                                               uint64_t hash_mask, double *out);

#endif /* GCENT_BINNED_H_INTERNAL */
