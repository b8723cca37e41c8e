"""The library's counter-based normal generator (include/gcent/rng.h).

Owns: rng_normals(), the same variates libgcent draws its noise from, for
programs that want reproducible noise of their own.
"""

import numpy as np

from . import _inputs, _library


def rng_normals(seed, stream, start, count):
    """Standard normal variates start .. start+count-1 of stream `stream` of
    the Philox4x32-10 generator keyed by seed (all integers in [0, 2^64)), as
    a float64 array: a pure function of its arguments."""
    fn = "rng_normals"
    seed, stream, start = (_inputs.size(v, fn, n) for v, n in
                           ((seed, "seed"), (stream, "stream"), (start, "start")))
    count = _inputs.size(count, fn, "count")
    out = np.empty(count, dtype=np.float64)
    if count:
        _library.get().rng_normals(seed, stream, start, count,
                                   _inputs.address(out, _library.dbl_p))
    return out
