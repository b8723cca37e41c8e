/* consumer.c: the program of the CMake consumer project (tests/cmake). It
 * checks, through the installed libgcent it was linked with:
 *   - that the library is the one the headers describe:
 *     gcent_version_number() == GCENT_VERSION_NUMBER;
 *   - one exact value: h(S + Z) of a single point (d = 1) is the entropy of
 *     N(0, beta^2), (1/2) ln(2 pi e beta^2); with d = 1 the library
 *     integrates by quadrature, accurate to 1e-9 nats.
 * Prints one line; exit status 0 when both hold, 1 otherwise. */
#include <math.h>
#include <stdio.h>
#include <gcent.h>

int main(void)
{
    const double pi = 3.14159265358979323846, beta = 0.1, s[1] = {0.25};
    const double exact = 0.5 * log(2.0 * pi * exp(1.0) * beta * beta);
    gcent_ctx *ctx = NULL;
    gcent_estimate h;
    int st = gcent_ctx_create(&ctx);
    if (st == GCENT_OK)
        st = gcent_entropy(ctx, s, 1, 1, 1, NULL, beta, &h);
    if (st != GCENT_OK) {
        fprintf(stderr, "consumer: %s (%s)\n", gcent_strerror(st),
                ctx ? gcent_ctx_errmsg(ctx) : "no context");
        gcent_ctx_free(ctx);
        return 1;
    }
    gcent_ctx_free(ctx);
    int ok = gcent_version_number() == GCENT_VERSION_NUMBER && fabs(h.value - exact) <= 1e-9;
    printf("consumer: libgcent %s (headers %s), h = %.12f, exact %.12f: %s\n",
           gcent_version_string(), GCENT_VERSION_STRING, h.value, exact, ok ? "ok" : "WRONG");
    return ok ? 0 : 1;
}
