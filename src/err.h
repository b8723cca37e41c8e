/* The error sink: where a failure is detected, its one-line reason is written
 * into a gcent__err, prefixed with the public function being served. A
 * context and a plan each own one; lower layers receive a pointer to it (never
 * the context itself) and may be given NULL (no message wanted). Implemented
 * in src/status.c. */
#ifndef GCENT_ERR_H
#define GCENT_ERR_H

#include "common.h"

#define GCENT__ERRMSG_LEN 256

typedef struct gcent__err {
    const char *where;            /* the public function, e.g. "gcent_entropy" */
    char msg[GCENT__ERRMSG_LEN];  /* "where: reason", or "" */
} gcent__err;

/* Start serving public function `where`: clear the message. */
static inline void gcent__err_begin(gcent__err *e, const char *where)
{
    e->where = where;
    e->msg[0] = '\0';
}

/* Write "where: <reason>" (one line, newlines replaced) into e unless e is
 * NULL; returns status. */
GCENT__HIDDEN int gcent__seterr(gcent__err *e, int status, const char *fmt, ...)
    GCENT__PRINTF(3, 4);

#endif /* GCENT_ERR_H */
