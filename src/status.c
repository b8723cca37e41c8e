/* Status texts. */
#include "internal.h"

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
