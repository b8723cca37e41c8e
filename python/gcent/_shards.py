"""Shards (include/gcent/shard.h): the Monte Carlo work of one estimate split
into ranges of sample rows, computed anywhere (threads, processes, machines),
merged in any order and finished, with the bits of the one-shot call.

Owns: Partial (a gcent_partial: 16 KiB of plain bytes; bytes(p) and
Partial.from_bytes() carry it between processes, pickle too),
entropy_partial(), mi_layer_partial(), entropy_finish(), mi_layer_finish().
"""

import ctypes
import math

from . import _inputs, _library
from ._context import _text, call
from ._errors import GcentError, Status
from ._library import Estimate_c, LayerMI_c, Partial_c, dbl_p, int_p
from ._results import Estimate, LayerMI


class Partial:
    """The partial result of a shard. merge() adds another shard's (exactly:
    order and grouping do not matter); gcent.entropy_finish() or
    gcent.mi_layer_finish() turn the merged whole into the estimate.

    bytes(p) is the C struct's bytes, for another process running the same
    libgcent on a host of the same byte order; Partial.from_bytes() reads
    them back. has_labels: whether the layer's shards had labels (None when
    unknown, e.g. after from_bytes)."""

    SIZE = ctypes.sizeof(Partial_c)

    def __init__(self, has_labels=None):
        self._c = Partial_c()
        self.has_labels = has_labels

    def __bytes__(self):
        return ctypes.string_at(ctypes.addressof(self._c), self.SIZE)

    @classmethod
    def from_bytes(cls, data, has_labels=None):
        """A Partial from the bytes of bytes(p) (checked by merge and finish)."""
        data = bytes(data)
        if len(data) != cls.SIZE:
            raise GcentError(Status.EINVAL, "Partial.from_bytes: %d bytes; a gcent_partial "
                                            "has %d" % (len(data), cls.SIZE))
        p = cls(has_labels)
        ctypes.memmove(ctypes.addressof(p._c), data, cls.SIZE)
        return p

    def __reduce__(self):
        return (Partial.from_bytes, (bytes(self), self.has_labels))

    def copy(self):
        return Partial.from_bytes(bytes(self), self.has_labels)

    def merge(self, other):
        """self += other. Refused (GcentError EINVAL, self unchanged) for
        partials of another kind, shape, seed, options or data, or rows that
        overlap. Returns self."""
        if not isinstance(other, Partial):
            raise TypeError("Partial.merge: expected a gcent.Partial, not %s"
                            % type(other).__name__)
        lib = _library.get()
        if lib.has("gcent_partial_merge_ctx"):
            call(None, {}, None, "Partial.merge", lambda lib, c: lib.partial_merge_ctx(
                c, ctypes.byref(self._c), ctypes.byref(other._c)))
        else:
            st = lib.partial_merge(ctypes.byref(self._c), ctypes.byref(other._c))
            if st != 0:
                raise GcentError(st, "Partial.merge: %s" % _text(lib.strerror(st)))
        if self.has_labels is None or other.has_labels is None:
            self.has_labels = None
        return self

    def __iadd__(self, other):
        return self.merge(other)


def entropy_partial(s, beta, row_begin, row_end, *, weights=None, ctx=None, progress=None,
                    **options):
    """The shard [row_begin, row_end) of gcent.entropy(s, beta, weights=...):
    s holds ALL n rows (every shard reads every centre). Returns a Partial."""
    fn = "entropy_partial"
    arr, n, d, lds = _inputs.samples(s, fn)
    w = _inputs.weights(weights, n, fn)
    beta = _inputs.real(beta, fn, "beta")
    b, e = _inputs.size(row_begin, fn, "row_begin"), _inputs.size(row_end, fn, "row_end")
    part = Partial()
    call(ctx, options, progress, fn, lambda lib, c: lib.entropy_partial(
        c, _inputs.address(arr, dbl_p), n, d, lds, _inputs.address(w, dbl_p), beta, b, e,
        ctypes.byref(part._c)))
    return part


def mi_layer_partial(s, beta, row_begin, row_end, *, labels=None, k=None, ctx=None,
                     progress=None, **options):
    """The shard [row_begin, row_end) of gcent.mi_layer(s, beta, labels=...,
    k=...): s holds ALL m*k rows, numbered 0 .. m*k-1 as in s. Returns a Partial."""
    fn = "mi_layer_partial"
    arr, m, k, d, lds = _inputs.layer_samples(s, k, fn)
    y = _inputs.labels(labels, m, fn)
    beta = _inputs.real(beta, fn, "beta")
    b, e = _inputs.size(row_begin, fn, "row_begin"), _inputs.size(row_end, fn, "row_end")
    part = Partial(has_labels=y is not None)
    call(ctx, options, progress, fn, lambda lib, c: lib.mi_layer_partial(
        c, _inputs.address(arr, dbl_p), m, k, d, lds, _inputs.address(y, int_p), beta, b, e,
        ctypes.byref(part._c)))
    return part


def _check_partial(part, fn):
    if not isinstance(part, Partial):
        raise TypeError("%s: expected a gcent.Partial, not %s" % (fn, type(part).__name__))


def entropy_finish(part, *, ctx=None, **options):
    """The Estimate of a merged entropy Partial covering every row. The
    options must be those the shards were computed with (threads may differ)."""
    fn = "entropy_finish"
    _check_partial(part, fn)
    out = Estimate_c()
    call(ctx, options, None, fn, lambda lib, c: lib.entropy_finish(
        c, ctypes.byref(part._c), ctypes.byref(out)))
    return Estimate(out.value, out.se)


def mi_layer_finish(part, *, ctx=None, **options):
    """The LayerMI of a merged layer Partial covering every row (options as
    the shards'). iyt is None when the shards had no labels."""
    fn = "mi_layer_finish"
    _check_partial(part, fn)
    out = LayerMI_c()
    call(ctx, options, None, fn, lambda lib, c: lib.mi_layer_finish(
        c, ctypes.byref(part._c), ctypes.byref(out)))
    labels = part.has_labels is not False and not math.isnan(out.iyt.value)
    return LayerMI(Estimate(out.ht.value, out.ht.se), Estimate(out.ixt.value, out.ixt.se),
                   Estimate(out.iyt.value, out.iyt.se) if labels else None)
