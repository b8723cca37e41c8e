"""The library's counter-based normal generator (include/gcent/rng.h).

Owns: rng_normals(), the same variates libgcent draws its noise from, for
programs that want reproducible noise of their own, and philox4x32_10(), one
block of the underlying generator.
"""

import operator

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


def philox4x32_10(counter, key):
    """One Philox4x32-10 block (Salmon et al., SC'11): 4 uint32 output words
    from a counter of 4 and a key of 2 uint32 words, as a uint32 array."""
    fn = "philox4x32_10"
    ctr, k = _words(counter, 4, fn, "counter"), _words(key, 2, fn, "key")
    out = np.empty(4, dtype=np.uint32)
    u32 = _library.P(_library.ctypes.c_uint32)
    _library.get().philox4x32_10(ctr.ctypes.data_as(u32), k.ctypes.data_as(u32),
                                 out.ctypes.data_as(u32))
    return out


def _words(v, n, fn, name):
    try:
        words = [operator.index(x) for x in v]
    except TypeError:
        raise TypeError("%s: %s must be %d integers" % (fn, name, n)) from None
    if len(words) != n:
        _inputs._fail(fn, "%s must have %d words, not %d" % (name, n, len(words)))
    if any(w < 0 or w >= 1 << 32 for w in words):
        _inputs._fail(fn, "the words of %s must be integers in [0, 2^32)" % name)
    return np.array(words, dtype=np.uint32)
