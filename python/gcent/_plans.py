"""Plans (include/gcent/plan.h): a layer's or a mixture's shape, labels,
noise level and options prepared once, then executed on new samples at every
epoch, without allocating or starting threads, with the bits of the one-shot
call.

Owns: Plan, plan_mi_layer(), plan_entropy(), plan_sliced_mi_layer().
"""

import ctypes
import threading

import numpy as np

from . import _inputs, _library
from ._context import OPTIONS, INFO_LAST_METHOD, _Guard, _option, _text, call, method_name
from ._errors import GcentError, Status
from ._library import Estimate_c, LayerMI_c, SlicedMI_c, dbl_p, flt_p, int_p
from ._mi import _layer_mi
from ._results import Estimate, SlicedMI


class Plan:
    """A prepared computation; made by gcent.plan_mi_layer(), gcent.plan_entropy()
    or gcent.plan_sliced_mi_layer().

    The plan copies the options and the progress callable (of the call, else
    of the context) at creation: changing them afterwards does not affect it,
    and the context may be closed. execute(s) takes samples of exactly the
    plan's shape and returns what gcent.mi_layer() (LayerMI), gcent.entropy()
    (Estimate) or gcent.sliced_mi_layer() (SlicedMI) would, bit for bit. One call at a time per plan (a second thread
    waits); different plans run in parallel with the GIL released. Free it
    with close() or a with block (or let it be collected).
    """

    def __init__(self, lib, kind, shape, has_labels, tramp, ptr):
        self._lib, self.kind, self.shape = lib, kind, shape
        self._has_labels, self._tramp, self._ptr = has_labels, tramp, ptr
        self._guard, self._owner = threading.Lock(), None

    def __repr__(self):
        dims = ("m=%d, k=%d, d=%d" % self.shape if self.kind != "entropy"
                else "n=%d, d=%d" % self.shape)
        return "gcent.Plan(%s, %s%s)" % (self.kind, dims, ", labels" if self._has_labels else "")

    # ---- inputs of the plan's shape
    def _rows(self, s, fn):
        # float32 samples go to the _f32 entry points as they are (not the
        # sliced plan's, which has none)
        single = self.kind != "sliced_mi_layer"
        if self.kind != "entropy":
            m, k, d = self.shape
            arr, m2, k2, d2, lds = _inputs.layer_samples(
                s, None if getattr(s, "ndim", 0) == 3 else k, fn, single=single)
            got = (m2, k2, d2)
        else:
            arr, n2, d2, lds = _inputs.samples(s, fn, single=single)
            got = (n2, d2)
        if got != self.shape:
            raise GcentError(Status.EINVAL, "%s: the plan is for %s, s gives %s"
                             % (fn, self._dims(self.shape), self._dims(got)))
        return arr, lds

    def _dims(self, t):
        names = ("m", "k", "d") if self.kind != "entropy" else ("n", "d")
        return ", ".join("%s = %d" % nv for nv in zip(names, t))

    def _run(self, fn, body):
        with _Guard(self, "gcent.Plan"):
            with self._tramp:
                st = body(self._lib, self._ptr)
                reason = _text(self._lib.plan_errmsg(self._ptr)) if st != 0 else ""
        self._tramp.raise_pending()
        if st != 0:
            raise GcentError(st, reason or "%s: %s" % (fn, _text(self._lib.strerror(st))))

    # ---- execution
    def execute(self, s):
        """The estimate for samples s of the plan's shape (laid out as for
        gcent.mi_layer() or gcent.entropy())."""
        fn = "Plan.execute"
        arr, lds = self._rows(s, fn)
        f32 = arr.dtype == np.float32
        p = _inputs.address(arr, flt_p if f32 else dbl_p)
        if self.kind == "mi_layer":
            out = LayerMI_c()
            run = "plan_execute_mi_f32" if f32 else "plan_execute_mi"
            self._run(fn, lambda lib, h: getattr(lib, run)(h, p, lds, ctypes.byref(out)))
            return _layer_mi(out, self._has_labels)
        if self.kind == "sliced_mi_layer":
            out = SlicedMI_c()
            self._run(fn, lambda lib, h: lib.plan_execute_sliced_mi(h, p, lds,
                                                                    ctypes.byref(out)))
            return SlicedMI(Estimate(out.ixt.value, out.ixt.se),
                            Estimate(out.iyt.value, out.iyt.se) if self._has_labels else None)
        out = Estimate_c()
        run = "plan_execute_entropy_f32" if f32 else "plan_execute_entropy"
        self._run(fn, lambda lib, h: getattr(lib, run)(h, p, lds, ctypes.byref(out)))
        return Estimate(out.value, out.se)

    def execute_partial(self, s, row_begin, row_end):
        """The shard [row_begin, row_end) of execute(s): a gcent.Partial (see
        gcent.mi_layer_partial)."""
        from ._shards import Partial
        fn = "Plan.execute_partial"
        if self.kind == "sliced_mi_layer":
            raise GcentError(Status.EINVAL, "%s: a sliced plan has no shards" % fn)
        arr, lds = self._rows(s, fn)
        b, e = _inputs.size(row_begin, fn, "row_begin"), _inputs.size(row_end, fn, "row_end")
        f32 = arr.dtype == np.float32
        p = _inputs.address(arr, flt_p if f32 else dbl_p)
        part = Partial(has_labels=self._has_labels if self.kind == "mi_layer" else None)
        out = part._c
        run = ("plan_execute_mi_partial" if self.kind == "mi_layer"
               else "plan_execute_entropy_partial") + ("_f32" if f32 else "")
        body = (lambda lib, h: getattr(lib, run)(h, p, lds, b, e, ctypes.byref(out)))
        self._run(fn, body)
        return part

    # ---- options
    def _get(self, opt_id):
        v = ctypes.c_double()
        with _Guard(self, "gcent.Plan"):
            st = self._lib.plan_get(self._ptr, opt_id, ctypes.byref(v))
        if st != 0:
            raise GcentError(st, "gcent_plan_get: %s" % _text(self._lib.strerror(st)))
        return v.value

    def get(self, name):
        """An option of the plan, as copied at its creation."""
        opt = _option(name)
        return opt[2](self._get(opt[0]))

    @property
    def options(self):
        """Every option of the plan, as a dict."""
        return {name: opt[2](self._get(opt[0])) for name, opt in OPTIONS.items()}

    @property
    def last_method(self):
        """"mc" or "quadrature": the method of the last successful execution."""
        return method_name(self._get(INFO_LAST_METHOD))

    # ---- lifetime
    def close(self):
        """Free the plan and join its worker threads (idempotent)."""
        if getattr(self, "_ptr", None):
            with _Guard(self, "gcent.Plan"):
                ptr, self._ptr = self._ptr, None
            self._lib.plan_free(ptr)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        ptr = getattr(self, "_ptr", None)
        if ptr:
            self._ptr = None
            self._lib.plan_free(ptr)


def _make(fn, kind, shape, has_labels, ctx, options, progress, create):
    ptr, used = _library.plan_p(), []

    def body(lib, c):
        used.append(lib)
        return create(lib, c, ctypes.byref(ptr))
    tramp = call(ctx, options, progress, fn, body)
    return Plan(used[0], kind, shape, has_labels, tramp, ptr)


def plan_mi_layer(m, k, d, beta, *, labels=None, ctx=None, progress=None, **options):
    """Prepare gcent.mi_layer() for layers of m inputs x k draws x d units.

    labels: m labels (remapped as for mi_layer), or None. Options and the
    progress callable are taken now (see Plan). Returns a Plan whose
    execute(s) gives the LayerMI of s, shape (m, k, d) or (m*k, d).
    """
    fn = "plan_mi_layer"
    m, k, d = (_inputs.size(v, fn, n) for v, n in ((m, "m"), (k, "k"), (d, "d")))
    y = _inputs.labels(labels, m, fn)
    beta = _inputs.real(beta, fn, "beta")
    yp = _inputs.address(y, int_p)
    plan = _make(fn, "mi_layer", (m, k, d), y is not None, ctx, options, progress,
                 lambda lib, c, out: lib.plan_mi_layer(c, m, k, d, yp, beta, out))
    return plan


def plan_entropy(n, d, beta, *, weights=None, ctx=None, progress=None, **options):
    """Prepare gcent.entropy() for mixtures of n rows in d dimensions (weights:
    n weights summing to 1, or None). Returns a Plan whose execute(s) gives
    the Estimate of s, shape (n, d)."""
    fn = "plan_entropy"
    n, d = _inputs.size(n, fn, "n"), _inputs.size(d, fn, "d")
    w = _inputs.weights(weights, n, fn)
    beta = _inputs.real(beta, fn, "beta")
    wp = _inputs.address(w, dbl_p)
    return _make(fn, "entropy", (n, d), False, ctx, options, progress,
                 lambda lib, c, out: lib.plan_entropy(c, n, d, wp, beta, out))


def plan_sliced_mi_layer(m, k, d, beta, *, slices, q=1, labels=None, ctx=None, progress=None,
                         **options):
    """Prepare gcent.sliced_mi_layer() for layers of m inputs x k draws x d
    units: the slices' directions are drawn once (from the seed). Returns a
    Plan whose execute(s) gives the SlicedMI of s, shape (m, k, d) or
    (m*k, d), bit for bit what sliced_mi_layer gives."""
    fn = "plan_sliced_mi_layer"
    m, k, d = (_inputs.size(v, fn, n) for v, n in ((m, "m"), (k, "k"), (d, "d")))
    q, slices = _inputs.size(q, fn, "q"), _inputs.size(slices, fn, "slices")
    y = _inputs.labels(labels, m, fn)
    beta = _inputs.real(beta, fn, "beta")
    yp = _inputs.address(y, int_p)
    return _make(fn, "sliced_mi_layer", (m, k, d), y is not None, ctx, options, progress,
                 lambda lib, c, out: lib.plan_sliced_mi_layer(c, m, k, d, yp, beta, q, slices,
                                                              out))

