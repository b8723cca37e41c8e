"""Part 4: the sliced information plane (include/gcent/sliced.h).

Owns: sliced_mi_layer().
"""

import ctypes

from . import _inputs
from ._context import call
from ._library import SlicedMI_c, dbl_p, int_p
from ._results import Estimate, SlicedMI


def sliced_mi_layer(s, beta, *, slices, q=1, labels=None, k=None, ctx=None, progress=None,
                    **options):
    """SI_q(X;T_l) and SI_q(Y;T_l): the mean over `slices` random q-dimensional
    projections A (orthonormal d x q, uniform; q = 1 or 2) of I(X; A^T T) and
    I(Y; A^T T), each by deterministic quadrature. For layers too wide for
    mi_layer (which saturates at ln m). s, labels and k as for mi_layer; the
    seed chooses the slices. Returns SlicedMI(ixt, iyt), se = the standard
    error over slices; iyt is None without labels."""
    fn = "sliced_mi_layer"
    arr, m, k, d, lds = _inputs.layer_samples(s, k, fn)
    y = _inputs.labels(labels, m, fn)
    beta = _inputs.real(beta, fn, "beta")
    q, slices = _inputs.size(q, fn, "q"), _inputs.size(slices, fn, "slices")
    out = SlicedMI_c()
    call(ctx, options, progress, fn, lambda lib, c: lib.sliced_mi_layer(
        c, _inputs.address(arr, dbl_p), m, k, d, lds, _inputs.address(y, int_p), beta, q,
        slices, ctypes.byref(out)))
    return SlicedMI(Estimate(out.ixt.value, out.ixt.se),
                    Estimate(out.iyt.value, out.iyt.se) if y is not None else None)
