"""The estimation context, its options, and how one call runs.

Owns: Context (a gcent_ctx with its options as keyword arguments, its
progress callable and a guard against use by two threads at once), the table
OPTIONS of option names, ids and value conversions, and call(), which every
estimator goes through: it applies per-call options on a context (restoring
the previous values afterwards) or makes a temporary context, installs the
progress trampoline, and turns a negative status into GcentError with the
context's reason (or re-raises what the progress callable raised; Ctrl-C
during a call from the main thread stops the call and raises
KeyboardInterrupt).
"""

import ctypes
import operator
import signal
import threading

from . import _library
from ._errors import GcentError, Status

_METHODS = {"auto": 0, "mc": 1, "quadrature": 2}
_PRECISIONS = {"double": 1, "single": 2}


def _integer(name, v):
    """Integer options: an exact int (refused above 2^53, where a double
    would round it), or a float that the library checks itself."""
    if isinstance(v, float):
        return v
    try:
        i = operator.index(v)
    except TypeError:
        return float(v)
    if abs(i) > 1 << 53:
        raise GcentError(Status.ERANGE, "%s=%d: not exactly representable as a double (above "
                                        "2^53), outside the option's range" % (name, i))
    return float(i)


def _choice(table):
    def to_c(name, v):
        if isinstance(v, str) and v.lower() in table:
            return float(table[v.lower()])
        raise GcentError(Status.EUNSUPPORTED, "%s=%r: expected one of %s"
                         % (name, v, ", ".join(repr(k) for k in table)))

    def from_c(v):
        for k, c in table.items():
            if c == v:
                return k
        return v
    return to_c, from_c


def _prune_to(name, v):
    if isinstance(v, str):
        v = {"on": True, "off": False}.get(v.lower(), v)
    if v is True or v is False or type(v).__name__ == "bool_":
        return 1.0 if v else 2.0
    raise GcentError(Status.EUNSUPPORTED, "%s=%r: expected True (skip negligible centres) or "
                                          "False (dense)" % (name, v))


def _real(name, v):
    try:
        return float(v)
    except (TypeError, ValueError):
        raise TypeError("%s must be a number, not %r" % (name, v)) from None


# name -> (option id of gcent_opt, Python value -> double, double -> Python value)
OPTIONS = {
    "seed": (1, _integer, int),
    "draws": (2, _integer, int),
    "threads": (3, _integer, int),
    "log_base": (4, _real, float),
    "method": (5,) + _choice(_METHODS),
    "bin_origin": (6, _real, float),
    "prune": (7, _prune_to, lambda v: v == 1.0),
    "precision": (8,) + _choice(_PRECISIONS),
    "quad_tol": (100, _real, float),
    "prune_tol": (101, _real, float),
}


# Read-only information (gcent_ctx_get / gcent_plan_get), where the library has it.
INFO_LAST_METHOD = 200


def method_name(v):
    """"mc" or "quadrature" for a GCENT_INFO_LAST_METHOD value; None for 0 (no call yet)."""
    return None if v == 0 else OPTIONS["method"][2](v)


def _text(b):
    return b.decode("utf-8", "replace") if b else ""


class Context:
    """A libgcent context: options, progress callable, last error.

    Options (keyword arguments here, in set(), and on every estimator call;
    None leaves an option as it is, 0 restores its default):
        seed       integer in [0, 2^53] keying every Monte Carlo draw (default 0)
        draws      Monte Carlo draws per centre (default 16)
        threads    worker threads, 0 = all cores (default 0); the bits of every
                   result are the same for any value
        method     "auto" (default), "mc" or "quadrature" (d <= 2)
        log_base   base of the logarithm of every result: math.e (default), 2 for bits
        prune      True (default): skip centres provably negligible within
                   prune_tol; False: dense
        prune_tol  bound on the change pruning may make to each term (default 1e-12)
        quad_tol   absolute error target of quadrature (default 1e-11)
        bin_origin origin of the bin grid of the binned functions (default 0)
    progress: None or a callable progress(done, total) called from the calling
        thread every few milliseconds of work; a true return value, or an
        exception, stops the call (the exception is re-raised after it).

    One context serves one call at a time: a second thread that calls with it
    waits until the first call ends (use a context per thread to run calls in
    parallel; the GIL is released during every call). Close it with close(),
    a with block, or let it be collected.
    """

    def __init__(self, *, progress=None, _lib=None, **options):
        self._lib = _lib if _lib is not None else _library.get()
        ptr = _library.ctx_p()
        st = self._lib.ctx_create(ctypes.byref(ptr))
        if st != 0:
            raise GcentError(st, "gcent_ctx_create: %s" % _text(self._lib.strerror(st)))
        self._ptr = ptr
        self._guard = threading.Lock()
        self._owner = None
        self.progress = progress
        self.set(**options)

    # ---- options
    def set(self, **options):
        """Set options (see the class description); None leaves one as it is.
        Raises GcentError with the library's reason for a value out of range."""
        with self._using():
            self._apply(options)

    def _apply(self, options):
        """Set options, returning the previous values (to restore)."""
        old = {}
        try:
            for name, value in options.items():
                if value is None:
                    continue
                opt = _option(name)
                old[name] = self._get(opt)
                st = self._lib.ctx_set(self._ptr, opt[0], opt[1](name, value))
                if st != 0:
                    raise GcentError(st, "%s=%r: %s" % (name, value, self.errmsg))
        except BaseException:
            self._restore(old)
            raise
        return old

    def _restore(self, old):
        for name, raw in old.items():
            self._lib.ctx_set(self._ptr, OPTIONS[name][0], raw)

    def _get(self, opt):
        v = ctypes.c_double()
        st = self._lib.ctx_get(self._ptr, opt[0], ctypes.byref(v))
        if st != 0:
            raise GcentError(st, "gcent_ctx_get: %s" % _text(self._lib.strerror(st)))
        return v.value

    def get(self, name):
        """The current value of an option (defaults applied)."""
        opt = _option(name)
        with self._using():
            return opt[2](self._get(opt))

    @property
    def options(self):
        """Every option's current value, as a dict."""
        with self._using():
            return {name: opt[2](self._get(opt)) for name, opt in OPTIONS.items()}

    def reset(self):
        """Every option back to its default; the progress callable is kept."""
        with self._using():
            self._lib.ctx_reset(self._ptr)

    @property
    def last_method(self):
        """"mc" or "quadrature": the method of the last successful estimate of
        this context, which says what its se fields are (a Monte Carlo
        standard error, or a bound on the quadrature error); None before any.
        Raises GcentError(EUNSUPPORTED) with a libgcent that does not report it."""
        with self._using():
            return method_name(self._get((INFO_LAST_METHOD,)))

    @property
    def errmsg(self):
        """The library's reason for the last failure of a call with this context."""
        return _text(self._lib.ctx_errmsg(self._ptr))

    @property
    def library(self):
        """The path of the libgcent this context belongs to."""
        return self._lib.path

    # ---- lifetime
    def close(self):
        """Free the C context (idempotent); waits for a call running on it."""
        if getattr(self, "_ptr", None):
            with self._using():
                ptr, self._ptr = self._ptr, None
            self._lib.ctx_free(ptr)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):  # nothing else refers to the context: no call can be running
        ptr = getattr(self, "_ptr", None)
        if ptr:
            self._ptr = None
            self._lib.ctx_free(ptr)

    def __repr__(self):
        return "gcent.Context(%s)" % ", ".join("%s=%r" % kv for kv in self.options.items())

    # ---- use by one call at a time
    def _using(self):
        return _Guard(self)


class _Guard:
    """One call at a time on an object with _guard (a Lock), _owner and _ptr
    (a Context or a Plan): another thread waits; the same thread (a progress
    callable calling back into it) is refused."""

    def __init__(self, obj, what="gcent.Context"):
        self.obj, self.what = obj, what

    def __enter__(self):
        obj, me = self.obj, threading.get_ident()
        if obj._owner == me:
            raise RuntimeError("%s used from inside its own call (a progress callable must "
                               "not call into the %s it reports on)" % (self.what, self.what))
        obj._guard.acquire()
        if not obj._ptr:
            obj._guard.release()
            raise GcentError(Status.EINVAL, "the %s is closed" % self.what)
        obj._owner = me
        return obj

    def __exit__(self, *exc):
        self.obj._owner = None
        self.obj._guard.release()


def _option(name):
    try:
        return OPTIONS[name]
    except KeyError:
        raise TypeError("unknown option %r (known: %s)" % (name, ", ".join(OPTIONS))) from None


class _Progress:
    """The C trampoline of a Python progress callable (or of none, to watch for
    Ctrl-C); keeps what the callable raised.

    Ctrl-C: Python runs its SIGINT handler when the main thread next executes
    bytecode, which during a call is at the entry of this trampoline, before
    any try block could catch the KeyboardInterrupt (ctypes would then print
    and drop it). So for a call made from the main thread while SIGINT has
    Python's default handler, a handler that only records the signal is
    installed for the duration of the call; the trampoline then stops the
    call and KeyboardInterrupt is raised after it."""

    def __init__(self, fn):
        self.fn, self.exc, self.interrupted = fn, None, False
        self.cfn = _library.PROGRESS_FN(self._call)
        self.old_handler = None

    def _call(self, _user, done, total):
        if self.interrupted:
            return 1
        if self.fn is None:
            return 0
        try:
            return 1 if self.fn(done, total) else 0
        except BaseException as e:  # KeyboardInterrupt included: stop, re-raise later
            if self.exc is None:
                self.exc = e
            return 1

    def _on_sigint(self, _signum, _frame):
        self.interrupted = True

    def raise_pending(self):
        """Re-raise what the callable raised (or KeyboardInterrupt), once."""
        exc, self.exc, self.interrupted = self.exc, None, False
        if exc is not None:
            raise exc

    def __enter__(self):
        if (threading.current_thread() is threading.main_thread()
                and signal.getsignal(signal.SIGINT) is signal.default_int_handler):
            self.old_handler = signal.signal(signal.SIGINT, self._on_sigint)
        return self

    def __exit__(self, *exc):
        if self.old_handler is not None:
            signal.signal(signal.SIGINT, self.old_handler)
        if self.interrupted and self.exc is None:
            self.exc = KeyboardInterrupt()


def call(ctx, options, progress, fn, body):
    """Run body(lib, ctx_pointer) -> status on ctx (or a temporary context made
    with the options), with the options applied for this call only and the
    progress callable installed. Raises GcentError "fn: reason" on a negative
    status; re-raises an exception of the progress callable. Returns the
    progress trampoline (a plan keeps the one it was created with)."""
    if ctx is None:
        with Context(**options) as tmp:
            return _run(tmp, {}, progress, fn, body)
    if not isinstance(ctx, Context):
        raise TypeError("%s: ctx must be a gcent.Context, not %s" % (fn, type(ctx).__name__))
    return _run(ctx, options, progress, fn, body)


def _run(ctx, options, progress, fn, body):
    lib = ctx._lib
    with ctx._using():
        old = ctx._apply(options)
        tramp = _Progress(progress if progress is not None else ctx.progress)
        try:
            with tramp:
                lib.ctx_set_progress(ctx._ptr, tramp.cfn, None)
                st = body(lib, ctx._ptr)
                reason = ctx.errmsg if st != 0 else ""
        finally:
            lib.ctx_set_progress(ctx._ptr, _library.PROGRESS_FN(), None)
            ctx._restore(old)
    tramp.raise_pending()
    if st != 0:
        raise GcentError(st, reason or "%s: %s" % (fn, _text(lib.strerror(st))))
    return tramp


def opt_bounds(name):
    """(min, max, default) of an option, from the library."""
    opt = _option(name)
    lo, hi, de = ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    lib = _library.get()
    st = lib.opt_bounds(opt[0], ctypes.byref(lo), ctypes.byref(hi), ctypes.byref(de))
    if st != 0:
        raise GcentError(st, "gcent_opt_bounds: %s" % _text(lib.strerror(st)))
    return opt[2](lo.value), opt[2](hi.value), opt[2](de.value)
