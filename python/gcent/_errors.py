"""Status codes of libgcent and the exception that carries them.

Owns: the Status enumeration (the values of include/gcent/status.h, which
never change) and GcentError, raised for every negative status a library
call returns, with the status, its name and the context's one-line reason.
"""

import enum


class Status(enum.IntEnum):
    """The status codes of include/gcent/status.h."""

    OK = 0
    EINVAL = -1
    ENOMEM = -2
    EDOM = -3
    ERANGE = -4
    EUNSUPPORTED = -5
    ECANCELED = -6
    ELINALG = -7


def status_name(status):
    """'GCENT_EINVAL' for -1; 'GCENT_STATUS(<n>)' for a value the package does not know."""
    try:
        return "GCENT_" + Status(status).name
    except ValueError:
        return "GCENT_STATUS(%d)" % status


class GcentError(Exception):
    """A libgcent call failed.

    Attributes:
        status: the negative status code (an int; compare with gcent.Status).
        name:   its name, e.g. "GCENT_EINVAL".
        reason: the library's one-line reason (gcent_ctx_errmsg), or the
                package's own when the failure was found before the call.
    """

    def __init__(self, status, reason):
        self.status = int(status)
        self.name = status_name(self.status)
        self.reason = reason
        super().__init__(status, reason)

    def __str__(self):
        return "%s: %s" % (self.name, self.reason)

    def __reduce__(self):
        return (type(self), (self.status, self.reason))
