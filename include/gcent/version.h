/**
 * @file gcent/version.h
 * @brief Release version: compile-time macros and run-time queries.
 *
 * This header is the single source of the version; the Makefile reads it.
 * Compare GCENT_VERSION_NUMBER with gcent_version_number() to detect a
 * header/library mismatch.
 */
#ifndef GCENT_VERSION_H
#define GCENT_VERSION_H

#include "export.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GCENT_VERSION_MAJOR 0 /**< major version: incompatible API changes */
#define GCENT_VERSION_MINOR 1 /**< minor version: added functionality */
#define GCENT_VERSION_PATCH 0 /**< patch version: fixes */
/** MAJOR*10000 + MINOR*100 + PATCH. */
#define GCENT_VERSION_NUMBER \
    (GCENT_VERSION_MAJOR * 10000 + GCENT_VERSION_MINOR * 100 + GCENT_VERSION_PATCH)
/** "MAJOR.MINOR.PATCH" of the header. */
#define GCENT_VERSION_STRING "0.1.0"

/**
 * @brief Version of the library actually linked, as "MAJOR.MINOR.PATCH".
 * @return A static string; never NULL.
 *
 * Thread-safety: MT-Safe.
 */
GCENT_API const char *gcent_version_string(void);

/**
 * @brief Version of the library actually linked, as GCENT_VERSION_NUMBER.
 * @return MAJOR*10000 + MINOR*100 + PATCH of the linked library.
 *
 * Thread-safety: MT-Safe.
 */
GCENT_API unsigned gcent_version_number(void);

#ifdef __cplusplus
}
#endif
#endif /* GCENT_VERSION_H */
