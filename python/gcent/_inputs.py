"""Conversion of Python inputs to what the C functions take.

Owns: sample arrays (any real dtype and memory order -> C-contiguous rows of
float64 and the row stride lds, counted in doubles; a float64 array whose rows
are already evenly spaced, such as a column slice, is passed without a copy),
layer samples ((m, k, d) arrays or m*k rows), weights, labels (any integer
dtype, integral floats, strings or hashable objects -> dense np.intc codes),
and sizes. Failures found here raise GcentError(EINVAL) (or TypeError for an
argument of the wrong kind) whose reason names the function and the argument.
"""

import operator

import numpy as np

from ._errors import GcentError, Status

_DOUBLE = np.dtype(np.float64)
_SINGLE = np.dtype(np.float32)


def _fail(fn, msg):
    raise GcentError(Status.EINVAL, "%s: %s" % (fn, msg))


def _numpy(a):
    """np.asarray, also for tensors that carry gradients or live on a GPU."""
    if hasattr(a, "detach") and hasattr(a, "cpu") and not isinstance(a, np.ndarray):
        a = a.detach().cpu().numpy()
    return np.asarray(a)


def _real(a, fn, name):
    arr = _numpy(a)
    if arr.dtype.kind not in "fiub":
        raise TypeError("%s: %s has dtype %s; expected real numbers (a float or integer "
                        "array)" % (fn, name, arr.dtype))
    return arr


def _rows(arr, nrows, d, single=False):
    """(array, lds): arr (viewed as nrows rows of d) if its rows are float64
    (or float32, with single=True) with unit column stride and a row stride
    that is a whole number of elements, else a C-contiguous copy (float32 if
    arr is float32 and single=True, float64 otherwise)."""
    want = _SINGLE if single and arr.dtype == _SINGLE else _DOUBLE
    size = want.itemsize
    if (arr.dtype == want and arr.dtype.isnative and arr.flags.aligned and nrows > 0
            and d > 0):
        st = arr.strides
        col_ok = d == 1 or st[-1] == size
        if arr.ndim == 2:
            row = st[0] if nrows > 1 else size * d
            rows_ok = True
        else:  # (m, k, d): rows i*k + j at (i*k + j) * lds
            m, k = arr.shape[0], arr.shape[1]
            row = st[1] if k > 1 else (st[0] if m > 1 else size * d)
            rows_ok = m == 1 or st[0] == k * row
        if col_ok and rows_ok and row % size == 0 and row >= size * d:
            return arr, row // size
    out = np.ascontiguousarray(arr, dtype=want)
    return out, max(d, 1)


def samples(a, fn, name="s", single=False):
    """n rows of d values: shape (n,) (d = 1) or (n, d). -> (array, n, d, lds).
    With single=True a float32 array stays float32 (see _rows)."""
    arr = _real(a, fn, name)
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2:
        _fail(fn, "%s has shape %s; expected (n,) or (n, d)" % (name, arr.shape))
    n, d = arr.shape
    arr, lds = _rows(arr, n, d, single)
    return arr, n, d, lds


def layer_samples(a, k, fn, name="s", single=False):
    """A layer's samples: shape (m, k, d), or m*k rows (shape (n,) or (n, d))
    with k given (default 1). -> (array, m, k, d, lds). With single=True a
    float32 array stays float32 (see _rows)."""
    arr = _real(a, fn, name)
    if arr.ndim == 3:
        m, kk, d = arr.shape
        if k is not None and size(k, fn, "k") != kk:
            _fail(fn, "k = %d but %s has shape %s, i.e. k = %d" % (k, name, arr.shape, kk))
        arr, lds = _rows(arr, m * kk, d, single)
        return arr, m, kk, d, lds
    arr, n, d, lds = samples(arr, fn, name, single)
    kk = 1 if k is None else size(k, fn, "k")
    if kk == 0:
        _fail(fn, "k = 0; k, the draws per input, must be >= 1")
    if n % kk != 0:
        _fail(fn, "%s has %d rows, not a multiple of k = %d (rows i*k .. i*k+k-1 are the k "
                  "draws of input i)" % (name, n, kk))
    return arr, n // kk, kk, d, lds


def weights(w, n, fn):
    """Mixture weights (n of them) as float64, or None."""
    if w is None:
        return None
    arr = _real(w, fn, "weights")
    if arr.ndim != 1 or arr.shape[0] != n:
        _fail(fn, "weights has shape %s; expected (%d,), one weight per row" % (arr.shape, n))
    return np.ascontiguousarray(arr, dtype=_DOUBLE)


def labels(y, m, fn):
    """Class labels of the m inputs -> dense np.intc codes 0..C-1, or None.

    The codes number the distinct labels in sorted order (numbers by value,
    strings lexicographically); labels of objects that cannot be sorted are
    numbered in order of first appearance. The results do not depend on the
    numbering, only on which inputs share a label.
    """
    if y is None:
        return None
    try:
        arr = _numpy(y)
    except ValueError:  # e.g. a list of tuples of different lengths
        arr = None
    if (arr is None or arr.ndim != 1) and isinstance(y, (list, tuple)):
        arr = np.empty(len(y), dtype=object)  # a list of tuples: one label each
        for i, v in enumerate(y):
            arr[i] = v
    if arr.ndim != 1:
        _fail(fn, "labels has shape %s; expected (%d,), one label per input" % (arr.shape, m))
    if arr.shape[0] != m:
        _fail(fn, "labels has %d entries for %d inputs" % (arr.shape[0], m))
    kind = arr.dtype.kind
    if kind == "f":
        bad = ~np.isfinite(arr)
        if bad.any():
            i = int(np.argmax(bad))
            _fail(fn, "labels[%d] is %r; labels must be class ids" % (i, float(arr[i])))
        frac = arr != np.floor(arr)
        if frac.any():
            i = int(np.argmax(frac))
            _fail(fn, "labels[%d] = %r is not an integer; labels must be class ids (integers, "
                      "integral floats such as 1.0, or strings)" % (i, float(arr[i])))
    elif kind not in "iubUSO":
        raise TypeError("%s: labels have dtype %s; expected integers, integral floats, "
                        "strings or objects" % (fn, arr.dtype))
    if m == 0:
        return np.zeros(0, dtype=np.intc)
    try:
        _, codes = np.unique(arr, return_inverse=True)
    except TypeError:  # objects that cannot be ordered: first appearance
        index = {}
        try:
            codes = [index.setdefault(v, len(index)) for v in arr.tolist()]
        except TypeError as e:
            raise TypeError("%s: labels: %s (labels must be hashable)" % (fn, e)) from None
    return np.ascontiguousarray(np.asarray(codes).reshape(-1), dtype=np.intc)


def size(v, fn, name):
    """A size argument: a non-negative integer."""
    try:
        i = operator.index(v)
    except TypeError:
        raise TypeError("%s: %s must be an integer, not %s" % (fn, name, type(v).__name__)) \
            from None
    if i < 0:
        _fail(fn, "%s = %d is negative" % (name, i))
    if i >= 1 << 64:
        raise GcentError(Status.ERANGE, "%s: %s = %d does not fit in size_t" % (fn, name, i))
    return i


def real(v, fn, name):
    """A scalar argument such as beta or width, as a float."""
    try:
        return float(v)
    except (TypeError, ValueError):
        raise TypeError("%s: %s must be a real number, not %r" % (fn, name, v)) from None


def address(arr, ctype):
    """The address of arr's data as a ctypes pointer (None for None)."""
    if arr is None:
        return None
    return arr.ctypes.data_as(ctype)
