/**
 * @file gcent.h
 * @brief libgcent: entropy and mutual information of noisy neural networks.
 *
 * Umbrella header: include this one. It needs only <stddef.h> and <stdint.h>;
 * no BLAS header is required to use the library.
 *
 * All functions return int: ::GCENT_OK (0) or a negative ::gcent_status.
 * The library never prints, exits, aborts or reads the environment.
 */
#ifndef GCENT_H
#define GCENT_H

#include "gcent/export.h"
#include "gcent/version.h"
#include "gcent/status.h"
#include "gcent/context.h"
#include "gcent/rng.h"
#include "gcent/entropy.h"
#include "gcent/mi.h"
#include "gcent/binned.h"
#include "gcent/shard.h"
#include "gcent/plan.h"
#include "gcent/sliced.h"

#endif /* GCENT_H */
