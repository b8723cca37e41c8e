/* Writes the results of the engine regression cases (engine_cases.c) of the
 * library it is linked with, one line per case: the name, '|', the values
 * printed with %.17g.
 * Usage: gen_engine_ref > tests/data/engine_ref.txt   (make engine-ref builds it)
 * The committed file holds the values of the library before the one-engine
 * redesign; tests/test_engine.c compares the current library with it. */
#include <stdio.h>
#include "engine_cases.h"

static void emit(void *user, const char *name, const double *v, size_t nv)
{
    FILE *f = user;
    fprintf(f, "%s|", name);
    for (size_t i = 0; i < nv; ++i)
        fprintf(f, " %.17g", v[i]);
    fputc('\n', f);
}

int main(void)
{
    int fails = gt_engine_cases(emit, stdout);
    if (fails != 0) {
        fprintf(stderr, "gen_engine_ref: %d cases failed\n", fails);
        return 1;
    }
    return 0;
}
