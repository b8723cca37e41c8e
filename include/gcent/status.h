/**
 * @file gcent/status.h
 * @brief Status codes returned by every libgcent function.
 *
 * Success is ::GCENT_OK (0); failures are negative. The values are part of
 * the ABI: they never change and new codes are only appended.
 */
#ifndef GCENT_STATUS_H
#define GCENT_STATUS_H

#include "export.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Status codes. */
typedef enum gcent_status {
    GCENT_OK = 0,            /**< success */
    GCENT_EINVAL = -1,       /**< invalid argument: NULL pointer, zero size, stride < d,
                                  beta <= 0, weights negative or not summing to 1 */
    GCENT_ENOMEM = -2,       /**< memory allocation (or thread creation) failed */
    GCENT_EDOM = -3,         /**< NaN or infinite value among the inputs */
    GCENT_ERANGE = -4,       /**< a size overflows, or an option value is out of range */
    GCENT_EUNSUPPORTED = -5, /**< unknown option or unsupported method for the input */
    GCENT_ECANCELED = -6,    /**< the progress callback asked to stop */
    GCENT_ELINALG = -7       /**< an internal linear-algebra routine failed */
} gcent_status;

/**
 * @brief Short English description of a status code.
 * @param status Any integer; unknown values get a generic text.
 * @return A static string; never NULL, never to be freed.
 *
 * Thread-safety: MT-Safe.
 */
GCENT_API const char *gcent_strerror(int status);

#ifdef __cplusplus
}
#endif
#endif /* GCENT_STATUS_H */
