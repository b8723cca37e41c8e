/**
 * @file gcent/rng.h
 * @brief The library's counter-based generator, for reproducible noise.
 *
 * libgcent draws all its Gaussian noise from Philox4x32-10 (Salmon et al.,
 * SC'11) keyed by the 64-bit seed. Normal number j of stream s is a pure
 * function of (seed, s, j): no state, no order dependence, so the same noise
 * is obtained with any number of threads. Programs that simulate a noisy
 * network can use the same generator to make their runs reproducible.
 */
#ifndef GCENT_RNG_H
#define GCENT_RNG_H

#include <stddef.h>
#include <stdint.h>
#include "export.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief One Philox4x32-10 block: out = Philox(counter, key).
 * @param ctr      Counter, 4 words.
 * @param key      Key, 2 words.
 * @param[out] out 4 output words (may not alias ctr or key).
 *
 * Matches the Random123 known-answer vectors.
 * Thread-safety: MT-Safe.
 */
GCENT_API void gcent_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2],
                                   uint32_t out[4]);

/**
 * @brief Standard normal variates number start .. start+count-1 of a stream.
 * @param seed   Key of the generator (as ::GCENT_OPT_SEED).
 * @param stream Stream number; different streams are independent.
 * @param start  Index of the first variate.
 * @param count  How many to write.
 * @param[out] out count doubles.
 *
 * Variates 2b and 2b+1 come from one Philox block with counter
 * (b mod 2^32, b / 2^32, stream mod 2^32, stream / 2^32) and key
 * (seed mod 2^32, seed / 2^32). With the output words o0..o3,
 * a = o1 * 2^32 + o0 and c = o3 * 2^32 + o2 give the uniforms
 * u1 = ((a >> 11) + 1) / 2^53 in (0, 1] and u2 = (c >> 11) / 2^53 in [0, 1),
 * and Box-Muller gives variate 2b = sqrt(-2 ln u1) cos(2 pi u2) and
 * variate 2b+1 = sqrt(-2 ln u1) sin(2 pi u2).
 * Thread-safety: MT-Safe. Does nothing when count is 0 or out is NULL.
 */
GCENT_API void gcent_rng_normals(uint64_t seed, uint64_t stream, uint64_t start,
                                 size_t count, double *out);

#ifdef __cplusplus
}
#endif
#endif /* GCENT_RNG_H */
