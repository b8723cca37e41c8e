/* libgcent test suite: one Check suite per concern, one runner (tests/main.c). */
#ifndef GCENT_TESTS_H
#define GCENT_TESTS_H

#include <check.h>
#include <math.h>
#include <stddef.h>
#include "gcent.h"

#define GCENT_TEST_LN2PIE 2.8378770664093454836  /* ln(2 pi e) */

/* Suites (one file each). */
Suite *suite_status(void);      /* tests/test_status.c: strerror, version, ctx, options */
Suite *suite_rng(void);         /* tests/test_rng.c: Philox KAT, normals */
Suite *suite_entropy(void);     /* tests/test_entropy.c: closed forms, identities, MC */
Suite *suite_quadrature(void);  /* tests/test_quadrature.c: deterministic d <= 2 */
Suite *suite_bounds(void);      /* tests/test_bounds.c: pairwise-distance bounds */
Suite *suite_errors(void);      /* tests/test_errors.c: every bad input, progress, cancel */
Suite *suite_threads(void);     /* tests/test_threads.c: bitwise equality over threads */
Suite *suite_binned(void);      /* tests/test_binned.c: binned entropy and MI */
Suite *suite_mi(void);          /* tests/test_mi.c: mutual information of noisy layers */

#endif
