"""Finding, loading and checking libgcent, and the table of its C prototypes.

Owns: where the shared library is looked for (in order: the path given to
gcent.load(), the GCENT_LIBRARY environment variable, the libdir recorded by
`make install`, the lib/ folder next to the installed prefix, then
ctypes.util.find_library("gcent")), the version check against the package,
and PROTOTYPES, the declarative list of every C function the package calls.
A new C function is one line in PROTOTYPES plus its Python front end.

The library is opened with ctypes.CDLL, which releases the GIL for the
duration of every foreign call (ctypes.PyDLL would hold it).
"""

import ctypes
import ctypes.util
import os
import threading

from ._version import __version__

# ---- C types ---------------------------------------------------------------

c_int, c_double, c_size_t = ctypes.c_int, ctypes.c_double, ctypes.c_size_t
c_char_p = ctypes.c_char_p
c_uint64, c_void_p, c_unsigned = ctypes.c_uint64, ctypes.c_void_p, ctypes.c_uint
P = ctypes.POINTER


class Estimate_c(ctypes.Structure):
    """gcent_estimate."""
    _fields_ = [("value", c_double), ("se", c_double)]


class LayerMI_c(ctypes.Structure):
    """gcent_layer_mi."""
    _fields_ = [("ht", Estimate_c), ("ixt", Estimate_c), ("iyt", Estimate_c)]


class SlicedMI_c(ctypes.Structure):
    """gcent_sliced_mi."""
    _fields_ = [("ixt", Estimate_c), ("iyt", Estimate_c)]


# gcent_partial (gcent/shard.h): GCENT_PARTIAL_WORDS uint64 words of plain
# bytes. Its size is ABI (it changes only with the SONAME, which the version
# check covers); test_shards.py compares it with the header.
PARTIAL_WORDS = 2048


class Partial_c(ctypes.Structure):
    """gcent_partial."""
    _fields_ = [("opaque", c_uint64 * PARTIAL_WORDS)]


ctx_p = c_void_p       # gcent_ctx *
plan_p = c_void_p      # gcent_plan *
dbl_p = P(c_double)    # const double * (arrays are passed as raw addresses)
flt_p = P(ctypes.c_float)  # const float *
int_p = P(c_int)
PROGRESS_FN = ctypes.CFUNCTYPE(c_int, c_void_p, c_uint64, c_uint64)

# ---- the prototypes: name -> (return type, argument types, required) ---------
# required=False: added after 0.1.0; bound when the loaded library has it, and
# a call raises GcentError(EUNSUPPORTED) naming the library when it does not.
PROTOTYPES = {
    # status, version
    "gcent_strerror": (c_char_p, [c_int], True),
    "gcent_version_string": (c_char_p, [], True),
    "gcent_version_number": (c_unsigned, [], True),
    # context
    "gcent_ctx_create": (c_int, [P(ctx_p)], True),
    "gcent_ctx_free": (None, [ctx_p], True),
    "gcent_ctx_set": (c_int, [ctx_p, c_int, c_double], True),
    "gcent_ctx_get": (c_int, [ctx_p, c_int, P(c_double)], True),
    "gcent_ctx_reset": (c_int, [ctx_p], True),
    "gcent_ctx_errmsg": (c_char_p, [ctx_p], True),
    "gcent_ctx_set_progress": (c_int, [ctx_p, PROGRESS_FN, c_void_p], True),
    "gcent_opt_bounds": (c_int, [c_int, P(c_double), P(c_double), P(c_double)], True),
    # generator
    "gcent_philox4x32_10": (None, [P(ctypes.c_uint32), P(ctypes.c_uint32), P(ctypes.c_uint32)],
                            True),
    "gcent_rng_normals": (None, [c_uint64, c_uint64, c_uint64, c_size_t, dbl_p], True),
    # part 1
    "gcent_entropy": (c_int, [ctx_p, dbl_p, c_size_t, c_size_t, c_size_t, dbl_p, c_double,
                              P(Estimate_c)], True),
    "gcent_entropy_bounds": (c_int, [ctx_p, dbl_p, c_size_t, c_size_t, c_size_t, dbl_p,
                                     c_double, P(c_double), P(c_double)], True),
    "gcent_noise_entropy": (c_int, [ctx_p, c_size_t, c_double, P(c_double)], True),
    # part 2
    "gcent_mi_layer": (c_int, [ctx_p, dbl_p, c_size_t, c_size_t, c_size_t, c_size_t, int_p,
                               c_double, P(LayerMI_c)], True),
    # part 3
    "gcent_binned_entropy": (c_int, [ctx_p, dbl_p, c_size_t, c_size_t, c_size_t, c_double,
                                     P(c_double)], True),
    "gcent_binned_mi": (c_int, [ctx_p, dbl_p, c_size_t, c_size_t, c_size_t, c_size_t, int_p,
                                c_double, P(c_double), P(c_double)], True),
    "gcent_bin_fixed_range": (c_int, [c_double, c_double, c_size_t, P(c_double), P(c_double)],
                              True),
    "gcent_bin_fixed_range_ctx": (c_int, [ctx_p, c_double, c_double, c_size_t, P(c_double),
                                          P(c_double)], False),
    # plans (second release)
    "gcent_plan_mi_layer": (c_int, [ctx_p, c_size_t, c_size_t, c_size_t, int_p, c_double,
                                    P(plan_p)], False),
    "gcent_plan_execute_mi": (c_int, [plan_p, dbl_p, c_size_t, P(LayerMI_c)], False),
    "gcent_plan_execute_mi_partial": (c_int, [plan_p, dbl_p, c_size_t, c_size_t, c_size_t,
                                              P(Partial_c)], False),
    "gcent_plan_entropy": (c_int, [ctx_p, c_size_t, c_size_t, dbl_p, c_double, P(plan_p)],
                           False),
    "gcent_plan_execute_entropy": (c_int, [plan_p, dbl_p, c_size_t, P(Estimate_c)], False),
    "gcent_plan_execute_entropy_partial": (c_int, [plan_p, dbl_p, c_size_t, c_size_t,
                                                   c_size_t, P(Partial_c)], False),
    "gcent_plan_execute_mi_f32": (c_int, [plan_p, flt_p, c_size_t, P(LayerMI_c)], False),
    "gcent_plan_execute_mi_partial_f32": (c_int, [plan_p, flt_p, c_size_t, c_size_t, c_size_t,
                                                  P(Partial_c)], False),
    "gcent_plan_execute_entropy_f32": (c_int, [plan_p, flt_p, c_size_t, P(Estimate_c)], False),
    "gcent_plan_execute_entropy_partial_f32": (c_int, [plan_p, flt_p, c_size_t, c_size_t,
                                                       c_size_t, P(Partial_c)], False),
    "gcent_plan_get": (c_int, [plan_p, c_int, P(c_double)], False),
    "gcent_plan_errmsg": (c_char_p, [plan_p], False),
    "gcent_plan_free": (None, [plan_p], False),
    # shards (second release)
    "gcent_entropy_partial": (c_int, [ctx_p, dbl_p, c_size_t, c_size_t, c_size_t, dbl_p,
                                      c_double, c_size_t, c_size_t, P(Partial_c)], False),
    "gcent_mi_layer_partial": (c_int, [ctx_p, dbl_p, c_size_t, c_size_t, c_size_t, c_size_t,
                                       int_p, c_double, c_size_t, c_size_t, P(Partial_c)],
                               False),
    "gcent_partial_merge": (c_int, [P(Partial_c), P(Partial_c)], False),
    "gcent_partial_merge_ctx": (c_int, [ctx_p, P(Partial_c), P(Partial_c)], False),
    "gcent_entropy_finish": (c_int, [ctx_p, P(Partial_c), P(Estimate_c)], False),
    "gcent_mi_layer_finish": (c_int, [ctx_p, P(Partial_c), P(LayerMI_c)], False),
    # part 4, the sliced plane (second release)
    "gcent_sliced_mi_layer": (c_int, [ctx_p, dbl_p, c_size_t, c_size_t, c_size_t, c_size_t,
                                      int_p, c_double, c_size_t, c_size_t, P(SlicedMI_c)],
                              False),
    "gcent_plan_sliced_mi_layer": (c_int, [ctx_p, c_size_t, c_size_t, c_size_t, int_p, c_double,
                                           c_size_t, c_size_t, P(plan_p)], False),
    "gcent_plan_execute_sliced_mi": (c_int, [plan_p, dbl_p, c_size_t, P(SlicedMI_c)], False),
}

# ---- the loaded library -----------------------------------------------------


class Library:
    """One loaded libgcent: its path, version and bound functions (attributes
    named as in C without the gcent_ prefix)."""

    def __init__(self, path, loader=ctypes.CDLL):
        self.path = path
        self.dll = loader(path)
        self.missing = []
        for name, (restype, argtypes, required) in PROTOTYPES.items():
            try:
                fn = getattr(self.dll, name)
            except AttributeError:
                if required:
                    raise ImportError(
                        "gcent: %s has no %s: it is not libgcent, or a release older than "
                        "0.1.0" % (path, name)) from None
                self.missing.append(name)
                setattr(self, name[len("gcent_"):], _Missing(self, name))
                continue
            fn.restype = restype
            fn.argtypes = argtypes
            setattr(self, name[len("gcent_"):], fn)
        self.version = self.dll.gcent_version_string().decode("ascii", "replace")

    def has(self, name):
        """True when the library exports the C function `name` (e.g. "gcent_plan_mi_layer")."""
        return name in PROTOTYPES and name not in self.missing


class _Missing:
    """Stands for a C function that the loaded library lacks."""

    def __init__(self, lib, name):
        self.lib, self.name = lib, name

    def __call__(self, *args):
        from ._errors import GcentError, Status
        raise GcentError(Status.EUNSUPPORTED,
                         "%s is not in libgcent %s (%s); it needs a newer libgcent"
                         % (self.name, self.lib.version, self.lib.path))


def _expected_sonames():
    major, minor = (int(x) for x in __version__.split(".")[:2])
    sover = "0.%d" % minor if major == 0 else "%d" % major
    return ["libgcent.so." + sover, "libgcent.so"]


def compatible(lib_version, pkg_version=__version__):
    """True when a library of lib_version serves this package: the same
    major.minor while at 0.y (the ABI may change between 0.y minors), from 1.0
    on the same major and a minor at least the package's."""
    try:
        lmaj, lmin = (int(x) for x in lib_version.split(".")[:2])
        pmaj, pmin = (int(x) for x in pkg_version.split(".")[:2])
    except ValueError:
        return False
    if pmaj == 0:
        return (lmaj, lmin) == (pmaj, pmin)
    return lmaj == pmaj and lmin >= pmin


def _in_dir(folder):
    for name in _expected_sonames():
        p = os.path.join(folder, name)
        if os.path.exists(p):
            return p
    return None


def _resolve(path):
    """A file as it is; a folder: the libgcent.so.* inside it."""
    if os.path.isdir(path):
        return _in_dir(path) or os.path.join(path, _expected_sonames()[0])
    return path


def candidates():
    """(source, path) pairs in the order they are tried, without gcent.load().

    When GCENT_LIBRARY is set, it is the only candidate: a wrong setting is an
    error, never silently passed over for another copy."""
    env = os.environ.get("GCENT_LIBRARY")
    if env:  # set: the only place tried
        return [("GCENT_LIBRARY=%s" % env, _resolve(env))]
    out = []
    try:
        from . import _installed  # written by `make install`
        p = _in_dir(_installed.LIBDIR)
        if p:
            out.append(("the libdir of `make install` (%s)" % _installed.LIBDIR, p))
    except ImportError:
        pass
    # PREFIX/lib/python3/dist-packages/gcent -> PREFIX/lib
    here = os.path.dirname(os.path.abspath(__file__))
    prefix_lib = os.path.normpath(os.path.join(here, "..", "..", ".."))
    p = _in_dir(prefix_lib)
    if p:
        out.append(("next to the package (%s)" % prefix_lib, p))
    found = ctypes.util.find_library("gcent")
    if found:
        out.append(("ctypes.util.find_library", found))
    return out


_lock = threading.Lock()
_current = None


def load(path=None, loader=ctypes.CDLL):
    """Load libgcent and make it the one new calls use; returns the Library.

    path: the shared library file (or a folder holding libgcent.so.*). Without
    it, the places listed in the module description are tried in order and
    the first that loads is used. Raises ImportError, naming every place tried,
    when none loads or the version differs from the package's major.minor.
    Contexts and plans made before keep the library they were made with.
    """
    global _current
    with _lock:
        if path is not None:
            path = os.fspath(path)
            tried = [("gcent.load(%r)" % path, _resolve(path))]
        else:
            tried = candidates()
        errors = []
        for source, p in tried:
            try:
                lib = Library(p, loader)
            except OSError as e:
                errors.append("%s: %s" % (source, e))
                continue
            if not compatible(lib.version):
                errors.append("%s: %s is libgcent %s, this package needs %s.x"
                              % (source, p, lib.version, ".".join(__version__.split(".")[:2])))
                continue
            _current = lib
            return lib
        where = "; ".join(errors) if errors else "no candidate found"
        raise ImportError(
            "gcent: cannot load libgcent %s (%s). Install it (make install), or set "
            "GCENT_LIBRARY to the path of libgcent.so, or call gcent.load(path)."
            % (".".join(__version__.split(".")[:2]), where))


def get():
    """The current Library, loaded on first use."""
    lib = _current
    return lib if lib is not None else load()
