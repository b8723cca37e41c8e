/* Shared by every file of src/: the public header, the attributes for hidden
 * internals and printf-like formats, and the few mathematical constants that
 * strict C11 lacks. Nothing here depends on another module. */
#ifndef GCENT_COMMON_H
#define GCENT_COMMON_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include "gcent.h"

#if defined(__GNUC__)
#  define GCENT__PRINTF(a, b) __attribute__((format(printf, a, b)))
#  define GCENT__HIDDEN __attribute__((visibility("hidden")))
#else
#  define GCENT__PRINTF(a, b)
#  define GCENT__HIDDEN
#endif

#define GCENT__E 2.718281828459045235360287471352662498
#define GCENT__PI 3.141592653589793238462643383279502884
#define GCENT__LN2PI 1.837877066409345483560659472811235279 /* ln(2 pi) */

/* The caller's samples: rows of values with row stride lds, either doubles
 * (d) or floats (f; the other pointer NULL), read as doubles: a float is
 * widened exactly, so float samples give the bits of the same values
 * passed as doubles. */
typedef struct gcent__rows {
    const double *d;
    const float *f;
    size_t lds;
} gcent__rows;

static inline gcent__rows gcent__rows_of(const double *s, size_t lds)
{
    gcent__rows r = {s, NULL, lds};
    return r;
}

static inline gcent__rows gcent__rows_of_f32(const float *s, size_t lds)
{
    gcent__rows r = {NULL, s, lds};
    return r;
}

/* Value k of row i. */
static inline double gcent__rows_at(const gcent__rows *r, size_t i, size_t k)
{
    return r->f ? (double)r->f[i * r->lds + k] : r->d[i * r->lds + k];
}

/* h(N(0, I_d)) in nats: (d/2) ln(2 pi e), the entropy of one unit-noise
 * component (every mixture is handled in units of the noise). */
static inline double gcent__unit_noise_entropy(size_t d)
{
    return 0.5 * (double)d * (GCENT__LN2PI + 1.0);
}

/* A 64-bit finaliser (the splitmix64 mixing constants): every input bit
 * affects every output bit. For hashes of bin tuples and fingerprints. */
static inline uint64_t gcent__mix64(uint64_t h)
{
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    h ^= h >> 31;
    return h;
}

#endif /* GCENT_COMMON_H */
