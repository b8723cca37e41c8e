"""Part 1: entropy under Gaussian convolution (include/gcent/entropy.h).

Owns: entropy(), entropy_bounds(), noise_entropy().
"""

import ctypes

from . import _inputs
from ._context import call
from ._library import Estimate_c, dbl_p
from ._results import Bounds, Estimate


def entropy(s, beta, *, weights=None, ctx=None, progress=None, **options):
    """h(S + Z), Z ~ N(0, beta^2 I_d), from samples (or atoms) of S.

    s: array of shape (n, d), or (n,) for d = 1: the n centres s_i of the
        mixture g = sum_i w_i N(s_i, beta^2 I); any real dtype and memory order.
    beta: noise standard deviation, > 0.
    weights: n weights summing to 1, or None for 1/n each.
    ctx, progress, options: see gcent.Context (seed, draws, threads, method,
        log_base, prune, prune_tol, quad_tol).
    Returns Estimate(value, se): Monte Carlo (any d) with its standard error,
    or quadrature (d <= 2) with its error bound. Raises GcentError.
    """
    fn = "entropy"
    arr, n, d, lds = _inputs.samples(s, fn)
    w = _inputs.weights(weights, n, fn)
    beta = _inputs.real(beta, fn, "beta")
    out = Estimate_c()
    call(ctx, options, progress, fn, lambda lib, c: lib.entropy(
        c, _inputs.address(arr, dbl_p), n, d, lds, _inputs.address(w, dbl_p), beta,
        ctypes.byref(out)))
    return Estimate(out.value, out.se)


def entropy_bounds(s, beta, *, weights=None, ctx=None, progress=None, **options):
    """Kolchinsky-Tracey bounds lower <= h(S + Z) <= upper of the mixture of
    entropy() (same arguments); deterministic. Returns Bounds(lower, upper)."""
    fn = "entropy_bounds"
    arr, n, d, lds = _inputs.samples(s, fn)
    w = _inputs.weights(weights, n, fn)
    beta = _inputs.real(beta, fn, "beta")
    lo, hi = ctypes.c_double(), ctypes.c_double()
    call(ctx, options, progress, fn, lambda lib, c: lib.entropy_bounds(
        c, _inputs.address(arr, dbl_p), n, d, lds, _inputs.address(w, dbl_p), beta,
        ctypes.byref(lo), ctypes.byref(hi)))
    return Bounds(lo.value, hi.value)


def noise_entropy(d, beta, *, ctx=None, **options):
    """h(Z) = (d/2) log(2 pi e beta^2), Z ~ N(0, beta^2 I_d) (in log_base units)."""
    fn = "noise_entropy"
    d = _inputs.size(d, fn, "d")
    beta = _inputs.real(beta, fn, "beta")
    out = ctypes.c_double()
    call(ctx, options, None, fn, lambda lib, c: lib.noise_entropy(c, d, beta, ctypes.byref(out)))
    return out.value
