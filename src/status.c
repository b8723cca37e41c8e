/* Status texts (gcent_strerror) and the error sink (err.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "err.h"

const char *gcent_strerror(int status)
{
    switch (status) {
    case GCENT_OK:           return "success";
    case GCENT_EINVAL:       return "invalid argument";
    case GCENT_ENOMEM:       return "out of memory";
    case GCENT_EDOM:         return "NaN or infinite input";
    case GCENT_ERANGE:       return "size overflow or value out of range";
    case GCENT_EUNSUPPORTED: return "unsupported option or method";
    case GCENT_ECANCELED:    return "canceled by the progress callback";
    case GCENT_ELINALG:      return "linear algebra routine failed";
    default:                 return "unknown status code";
    }
}

int gcent__seterr(gcent__err *e, int status, const char *fmt, ...)
{
    if (e == NULL)
        return status;
    size_t len = 0;
    if (e->where != NULL) {
        int w = snprintf(e->msg, sizeof e->msg, "%s: ", e->where);
        len = w > 0 && (size_t)w < sizeof e->msg ? (size_t)w : 0;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg + len, sizeof e->msg - len, fmt, ap);
    va_end(ap);
    for (char *c = e->msg; *c; ++c) /* one line */
        if (*c == '\n' || *c == '\r')
            *c = ' ';
    return status;
}
