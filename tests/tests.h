/* libgcent test suite: one Check suite per concern, one runner (tests/main.c). */
#ifndef GCENT_TESTS_H
#define GCENT_TESTS_H

#include <check.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
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
Suite *suite_fpenv(void);      /* tests/test_fpenv.c: caller FP environment, extreme inputs */
Suite *suite_prune(void);       /* tests/test_prune.c: packed kernel, pruning bound */
Suite *suite_npy(void);         /* tests/test_npy.c: the .npy reader of the examples */
Suite *suite_engine(void);      /* tests/test_engine.c: values kept through the redesign */
Suite *suite_single(void);      /* tests/test_single.c: GCENT_PRECISION_SINGLE */
Suite *suite_plan(void);        /* tests/test_plan.c: plans == one-shot calls, options, threads */
Suite *suite_shard(void);       /* tests/test_shard.c: any split merged == one-shot, refusals */
Suite *suite_sliced(void);      /* tests/test_sliced.c: the sliced information plane */
Suite *suite_sum(void);         /* tests/test_sum.c: the exact accumulator */

/* Shared helpers (tests/util.c). */

/* A context with the given method, MC draws and seed (asserts success). */
gcent_ctx *gt_ctx(int method, double draws, double seed);
/* 1 if gcent_ctx_errmsg(ctx) is one non-empty line. */
int gt_one_line(const gcent_ctx *ctx);

/* h(Z) = (d/2) ln(2 pi e beta^2), nats. */
double gt_hz(size_t d, double beta);
/* Shannon entropy (nats) of weights w[0..n-1]; w NULL means uniform. */
double gt_shannon(const double *w, size_t n);

/* The independent 1-D reference h(g) of g = sum_j w_j N(c_j, beta^2) (w NULL:
 * uniform): log g by log-sum-exp; the trapezoid rule with step beta/div over
 * [min c - 20 beta, max c + 20 beta]; gt_ref_h1 takes div = 32 and asserts it
 * agrees with div = 16 to 1e-12. */
double gt_ref_logg(double x, const double *c, const double *w, size_t n, double beta);
double gt_ref_h1_step(const double *c, const double *w, size_t n, double beta, int div);
double gt_ref_h1(const double *c, const double *w, size_t n, double beta);

/* Compensated (Kahan-Babuska / Neumaier) sum: the value is s + c. */
typedef struct gt_ksum { double s, c; } gt_ksum;
void gt_kadd(gt_ksum *k, double x);

/* Deterministic uniforms in [0, 1) (MMIX 64-bit LCG, top 53 bits; tests must
 * not use rand). */
double gt_lcg01(uint64_t *st);

/* Progress recorder for gcent_ctx_set_progress (user = gt_prog *). */
typedef struct gt_prog {
    int calls;
    uint64_t first_total, last_done, last_total;
    int monotone, fixed_total; /* done never decreased, total never changed */
    int right_thread;          /* every report from the thread of gt_prog_init */
    int finals;                /* reports with done == total */
    int last_is_final;         /* the last report had done == total */
    int mode;                  /* 0: never cancel, 1: cancel at the first report,
                                  2: at the first report with 0 < done < total */
    int canceled;              /* the report at which we returned non-zero, 0 if none */
    int after_cancel;          /* reports after we asked to stop */
    pthread_t caller;
} gt_prog;
void gt_prog_init(gt_prog *p, int mode);
int gt_on_progress(void *user, uint64_t done, uint64_t total);

/* stdout and stderr redirected to a temporary file (mkstemp template tmpl);
 * gt_capture_end restores them, removes the file and returns its size. */
typedef struct gt_capture {
    char path[64];
    int fd, save1, save2;
} gt_capture;
void gt_capture_begin(gt_capture *c, const char *tmpl);
long long gt_capture_end(gt_capture *c);

/* A test case named name added to s, with the given timeout in seconds
 * (<= 0: Check's default). */
TCase *gt_tcase(Suite *s, const char *name, double timeout);

/* 1 when GCENT_TEST_LIGHT is set to a non-empty value other than "0" (make
 * check-valgrind sets it): tests whose cost is problem size rather than the
 * code they reach use smaller sizes, with the same assertions (tolerances
 * that follow from the size follow it). Memcheck looks for memory errors,
 * not for statistics.
 *
 * Check tags used by make check-valgrind (CK_EXCLUDE_TAGS):
 *   long       cases that are long by design, whatever GCENT_TEST_LIGHT says:
 *              sizes set by the library's work chunks (progress and
 *              cancellation midway, bitwise equality over 1-4 threads need
 *              several chunks of ~2^21 pair evaluations each) or one code
 *              path repeated over many geometries for accuracy (2-D
 *              quadrature; the many Monte Carlo calls of the MI
 *              identities). Seconds natively; under Valgrind, whose
 *              emulation of FMA makes the kernel ~500 times slower, tens of
 *              minutes. They run in make check and make check-asan.
 *   native-fp  cases that need the real FP environment (sticky exception
 *              flags, FTZ/DAZ), which Valgrind does not emulate. */
int gt_light(void);
/* light ? small : full, for sizes and repetition counts. */
#define GT_LIGHT(full, small) (gt_light() ? (small) : (full))

#endif
