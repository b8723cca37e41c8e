/* The Monte Carlo noise vectors (src/rng.c): the documented streams of the
 * counter-based generator that every estimator draws its noise from. */
#ifndef GCENT_NOISE_H
#define GCENT_NOISE_H

#include "common.h"

/* Stream tags (high 32 bits of the stream number). */
#define GCENT__STREAM_ENTROPY_MC 1u

/* The d normals of noise vector (row, draw): variates row * 2*ceil(d/2) ..
 * of stream (tag << 32) + draw. */
GCENT__HIDDEN void gcent__noise_vector(uint64_t seed, uint32_t tag, uint64_t row,
                                       uint32_t draw, size_t d, double *z);

#endif /* GCENT_NOISE_H */
