"""Part 2: mutual information of a noisy layer (include/gcent/mi.h).

Owns: mi_layer().
"""

import ctypes

from . import _inputs
from ._context import call
from ._library import LayerMI_c, dbl_p, int_p
from ._results import Estimate, LayerMI


def _layer_mi(out, has_labels):
    return LayerMI(Estimate(out.ht.value, out.ht.se), Estimate(out.ixt.value, out.ixt.se),
                   Estimate(out.iyt.value, out.iyt.se) if has_labels else None)


def mi_layer(s, beta, *, labels=None, k=None, ctx=None, progress=None, **options):
    """h(T_l), I(X;T_l) and I(Y;T_l) of a noisy layer T_l = S_l + N(0, beta^2 I).

    s: the layer's values S_l BEFORE its own noise, for m inputs and k noisy
        passes each: an array of shape (m, k, d), or m*k rows (shape (m*k, d),
        or (m*k,) for d = 1) with k given, rows i*k .. i*k+k-1 being input i.
        k = 1 (the default) for a layer that is deterministic given the input.
    beta: the layer's noise standard deviation, > 0.
    labels: m class labels (integers, integral floats, strings...), or None.
    Returns LayerMI(ht, ixt, iyt) of Estimates; iyt is None without labels.
    """
    fn = "mi_layer"
    arr, m, k, d, lds = _inputs.layer_samples(s, k, fn)
    y = _inputs.labels(labels, m, fn)
    beta = _inputs.real(beta, fn, "beta")
    out = LayerMI_c()
    call(ctx, options, progress, fn, lambda lib, c: lib.mi_layer(
        c, _inputs.address(arr, dbl_p), m, k, d, lds, _inputs.address(y, int_p), beta,
        ctypes.byref(out)))
    return _layer_mi(out, y is not None)
