/* The engine regression cases (tests/ref/engine_cases.c). */
#ifndef GT_ENGINE_CASES_H
#define GT_ENGINE_CASES_H
#include <stddef.h>
#include "gcent.h"

/* Receives one case: its name and its nv result values. */
typedef void (*gt_engine_emit)(void *user, const char *name, const double *v, size_t nv);
/* Runs every case; returns the number of calls that failed (0 expected). */
int gt_engine_cases(gt_engine_emit emit, void *user);

#endif
