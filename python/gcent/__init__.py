"""gcent: entropy and mutual information of noisy neural networks.

Python bindings (ctypes) over the installed C library libgcent: no compiler
is needed, NumPy is the only dependency. Quick use:

    import numpy as np, gcent
    s = np.tanh(np.array([-3.0, -1.0, 1.0, 3.0]))      # S = tanh(X), X uniform
    h = gcent.entropy(s, beta=0.1)                      # h(S + Z), an Estimate
    i = h.value - gcent.noise_entropy(1, beta=0.1)      # I(X;T) = 1.10206 nats

    r = gcent.mi_layer(layer, beta=0.1, labels=y)        # layer: (m, k, d) array
    r.ixt.value, r.iyt.value                             # the information-plane point

Also: plans (gcent.plan_mi_layer, gcent.plan_entropy: prepared once, executed
every epoch), shards (gcent.mi_layer_partial, Partial.merge,
gcent.mi_layer_finish) and the sliced plane (gcent.sliced_mi_layer), where the
loaded libgcent has them (gcent.has("gcent_sliced_mi_layer")).

Every estimator takes NumPy arrays (or anything np.asarray accepts, PyTorch
tensors included) of any real dtype and memory order, the options of
gcent.Context as keyword arguments (seed, draws, threads, method, log_base,
prune, ...), progress=callable(done, total), and ctx=a gcent.Context. Results
are frozen dataclasses; failures raise gcent.GcentError(status, reason).

The library is found on first use (see gcent.load). docs/guide.md, section
"Python", describes the package.
"""

from ._binned import bin_fixed_range, binned_entropy, binned_mi
from ._context import OPTIONS, Context, opt_bounds
from ._entropy import entropy, entropy_bounds, noise_entropy
from ._errors import GcentError, Status, status_name
from ._library import load as _load
from ._mi import mi_layer
from ._plans import Plan, plan_entropy, plan_mi_layer, plan_sliced_mi_layer
from ._shards import Partial, entropy_finish, entropy_partial, mi_layer_finish, mi_layer_partial
from ._sliced import sliced_mi_layer
from ._results import BinGrid, BinnedMI, Bounds, Estimate, LayerMI, SlicedMI
from ._rng import philox4x32_10, rng_normals
from ._version import __version__
from . import _library


def load(path=None):
    """Load libgcent from `path` (a file, or a folder holding libgcent.so.*) and
    use it for every new call; without a path, look where the first call would:
    the GCENT_LIBRARY environment variable (a file or folder; when set, the only
    place tried), the libdir recorded by `make install`, PREFIX/lib next to the
    installed package, then ctypes.util.find_library("gcent"). Returns the
    library's path. Raises ImportError naming the places tried when none loads,
    or when the library's major.minor is not the package's."""
    return _load(path).path


def library_path():
    """The path of the libgcent in use (loading it if needed)."""
    return _library.get().path


def version():
    """The version of the loaded libgcent, "MAJOR.MINOR.PATCH"."""
    return _library.get().version


def strerror(status):
    """The library's short description of a status code."""
    return _library.get().strerror(int(status)).decode("utf-8", "replace")


def has(name):
    """True when the loaded libgcent has the C function `name`, e.g.
    gcent.has("gcent_sliced_mi_layer") (functions added after 0.1.0)."""
    return _library.get().has(name)


__all__ = [
    "BinGrid", "BinnedMI", "Bounds", "Context", "Estimate", "GcentError", "LayerMI",
    "OPTIONS", "Partial", "Plan", "SlicedMI", "Status", "__version__", "bin_fixed_range",
    "binned_entropy", "binned_mi", "entropy", "entropy_bounds", "entropy_finish",
    "entropy_partial", "has", "library_path", "load", "mi_layer", "mi_layer_finish",
    "mi_layer_partial", "noise_entropy", "opt_bounds", "philox4x32_10", "plan_entropy",
    "plan_mi_layer", "plan_sliced_mi_layer",
    "rng_normals", "sliced_mi_layer", "status_name", "strerror", "version",
]
