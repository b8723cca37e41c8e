/* Philox4x32-10 (Salmon, Moraes, Dror, Shaw, SC'11) and Gaussian variates.
 * Stateless: every variate is a function of (seed, stream, index). */
#include <math.h>
#include "noise.h"

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

static inline void philox_round(uint32_t c[4], const uint32_t k[2])
{
    uint64_t p0 = (uint64_t)PHILOX_M0 * c[0];
    uint64_t p1 = (uint64_t)PHILOX_M1 * c[2];
    uint32_t hi0 = (uint32_t)(p0 >> 32), lo0 = (uint32_t)p0;
    uint32_t hi1 = (uint32_t)(p1 >> 32), lo1 = (uint32_t)p1;
    uint32_t n0 = hi1 ^ c[1] ^ k[0];
    uint32_t n2 = hi0 ^ c[3] ^ k[1];
    c[0] = n0;
    c[1] = lo1;
    c[2] = n2;
    c[3] = lo0;
}

static inline void philox10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4])
{
    uint32_t c[4] = {ctr[0], ctr[1], ctr[2], ctr[3]};
    uint32_t k[2] = {key[0], key[1]};
    for (int r = 0; r < 10; ++r) {
        if (r > 0) {
            k[0] += PHILOX_W0;
            k[1] += PHILOX_W1;
        }
        philox_round(c, k);
    }
    out[0] = c[0];
    out[1] = c[1];
    out[2] = c[2];
    out[3] = c[3];
}

void gcent_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4])
{
    if (ctr == NULL || key == NULL || out == NULL)
        return;
    philox10(ctr, key, out);
}

/* Two standard normals from block b of a stream. */
static inline void normal_pair(const uint32_t key[2], uint32_t s_lo, uint32_t s_hi,
                               uint64_t b, double *z0, double *z1)
{
    uint32_t ctr[4] = {(uint32_t)b, (uint32_t)(b >> 32), s_lo, s_hi};
    uint32_t o[4];
    philox10(ctr, key, o);
    uint64_t a = ((uint64_t)o[1] << 32) | o[0];
    uint64_t c = ((uint64_t)o[3] << 32) | o[2];
    const double two53 = 1.0 / 9007199254740992.0;
    double u1 = (double)((a >> 11) + 1) * two53; /* (0, 1] */
    double u2 = (double)(c >> 11) * two53;       /* [0, 1) */
    double r = sqrt(-2.0 * log(u1));
    double th = 2.0 * GCENT__PI * u2;
    *z0 = r * cos(th);
    *z1 = r * sin(th);
}

void gcent_rng_normals(uint64_t seed, uint64_t stream, uint64_t start, size_t count,
                       double *out)
{
    if (out == NULL || count == 0)
        return;
    const uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
    const uint32_t s_lo = (uint32_t)stream, s_hi = (uint32_t)(stream >> 32);
    size_t i = 0;
    uint64_t j = start;
    double z0, z1;
    if (j & 1u) { /* odd start: second half of a block */
        normal_pair(key, s_lo, s_hi, j >> 1, &z0, &z1);
        out[i++] = z1;
        ++j;
    }
    for (; i + 1 < count; i += 2, j += 2) {
        normal_pair(key, s_lo, s_hi, j >> 1, &z0, &z1);
        out[i] = z0;
        out[i + 1] = z1;
    }
    if (i < count) {
        normal_pair(key, s_lo, s_hi, j >> 1, &z0, &z1);
        out[i] = z0;
    }
}

void gcent__noise_vector(uint64_t seed, uint32_t tag, uint64_t row, uint32_t draw, size_t d,
                         double *z)
{
    uint64_t per_row = 2 * ((d + 1) / 2);
    gcent_rng_normals(seed, ((uint64_t)tag << 32) | draw, row * per_row, d, z);
}
