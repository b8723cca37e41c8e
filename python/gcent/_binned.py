"""Part 3: binned entropy and binned MI (include/gcent/binned.h).

Owns: binned_entropy(), binned_mi(), bin_fixed_range(). Bins are
floor((t - bin_origin) / width) per coordinate on an unbounded grid.
"""

import ctypes

from . import _inputs, _library
from ._context import call
from ._errors import GcentError, Status
from ._library import dbl_p, int_p
from ._results import BinGrid, BinnedMI


def binned_entropy(t, width, *, ctx=None, progress=None, **options):
    """H(Bin(T)) of the rows of t (shape (n, d) or (n,)), T uniform over them;
    exact. Options: bin_origin, log_base, threads. Returns a float."""
    fn = "binned_entropy"
    arr, n, d, ldt = _inputs.samples(t, fn, "t")
    width = _inputs.real(width, fn, "width")
    out = ctypes.c_double()
    call(ctx, options, progress, fn, lambda lib, c: lib.binned_entropy(
        c, _inputs.address(arr, dbl_p), n, d, ldt, width, ctypes.byref(out)))
    return out.value


def binned_mi(t, width, *, labels=None, k=None, ctx=None, progress=None, **options):
    """I(X;Bin(T)) and I(Y;Bin(T)) from m inputs x k draws (t laid out as s of
    gcent.mi_layer); exact. Returns BinnedMI(ixt, iyt), iyt None without labels."""
    fn = "binned_mi"
    arr, m, k, d, ldt = _inputs.layer_samples(t, k, fn, "t")
    y = _inputs.labels(labels, m, fn)
    width = _inputs.real(width, fn, "width")
    ixt, iyt = ctypes.c_double(), ctypes.c_double()
    call(ctx, options, progress, fn, lambda lib, c: lib.binned_mi(
        c, _inputs.address(arr, dbl_p), m, k, d, ldt, _inputs.address(y, int_p), width,
        ctypes.byref(ixt), ctypes.byref(iyt) if y is not None else None))
    return BinnedMI(ixt.value, iyt.value if y is not None else None)


# The documented causes of each status of gcent_bin_fixed_range, for a
# libgcent without gcent_bin_fixed_range_ctx (whose message says it).
_FIXED_RANGE_REASONS = {
    Status.EINVAL: "nbins must be >= 1 and lo < hi",
    Status.EDOM: "lo and hi must be finite",
    Status.ERANGE: "the width (hi - lo) / nbins overflows or underflows to 0",
}


def bin_fixed_range(lo, hi, nbins):
    """Width and origin that reproduce nbins equal bins over [lo, hi] (values
    outside keep bins of their own). Returns BinGrid(width, origin)."""
    fn = "bin_fixed_range"
    lo, hi = _inputs.real(lo, fn, "lo"), _inputs.real(hi, fn, "hi")
    nbins = _inputs.size(nbins, fn, "nbins")
    width, origin = ctypes.c_double(), ctypes.c_double()
    lib = _library.get()
    if lib.has("gcent_bin_fixed_range_ctx"):  # the library's own reason
        call(None, {}, None, fn, lambda lib, c: lib.bin_fixed_range_ctx(
            c, lo, hi, nbins, ctypes.byref(width), ctypes.byref(origin)))
        return BinGrid(width.value, origin.value)
    st = lib.bin_fixed_range(lo, hi, nbins, ctypes.byref(width), ctypes.byref(origin))
    if st != 0:
        raise GcentError(st, "%s(lo=%r, hi=%r, nbins=%d): %s" % (
            fn, lo, hi, nbins, _FIXED_RANGE_REASONS.get(st, lib.strerror(st).decode())))
    return BinGrid(width.value, origin.value)
