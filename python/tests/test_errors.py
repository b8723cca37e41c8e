"""Errors: GcentError carries the status, its name and the library's reason;
options are checked; nothing is returned and nothing changes on failure."""

import ctypes
import pickle

import numpy as np
import pytest

import gcent
from gcent import _library


def test_status_values_and_names():
    assert [int(s) for s in gcent.Status] == [0, -1, -2, -3, -4, -5, -6, -7]
    assert gcent.status_name(-4) == "GCENT_ERANGE" and gcent.status_name(-99) == \
        "GCENT_STATUS(-99)"
    texts = {gcent.strerror(s) for s in gcent.Status}
    assert len(texts) == len(gcent.Status) and all(texts)


@pytest.mark.parametrize("call, status, words", [
    (lambda: gcent.entropy(np.ones((3, 2)), 0.0), gcent.Status.EINVAL, "beta"),
    (lambda: gcent.entropy(np.ones((0, 2)), 0.1), gcent.Status.EINVAL, "n"),
    (lambda: gcent.entropy(np.array([[1.0], [np.nan]]), 0.1), gcent.Status.EDOM, "NaN"),
    (lambda: gcent.entropy(np.ones((3, 2)), 0.1, weights=[0.5, 0.5, 0.5]),
     gcent.Status.EINVAL, "sum"),
    (lambda: gcent.entropy(np.ones((3, 3)), 0.1, method="quadrature"),
     gcent.Status.EUNSUPPORTED, "d"),
    (lambda: gcent.mi_layer(np.ones((4, 2)), float("inf")), gcent.Status.EDOM, "beta"),
    (lambda: gcent.binned_entropy(np.ones(4), -1.0), gcent.Status.EINVAL, "width"),
    (lambda: gcent.binned_entropy(np.array([1e300]), 1e-300), gcent.Status.ERANGE, "bin"),
    (lambda: gcent.noise_entropy(0, 0.1), gcent.Status.EINVAL, "d"),
    (lambda: gcent.entropy(np.ones(3), 0.1, draws=0.5), gcent.Status.ERANGE, "draws=0.5"),
    (lambda: gcent.entropy(np.ones(3), 0.1, threads=5000), gcent.Status.ERANGE, "1024"),
    (lambda: gcent.entropy(np.ones(3), 0.1, log_base=0.5), gcent.Status.ERANGE, "LOG_BASE"),
    (lambda: gcent.entropy(np.ones(3), 0.1, seed=2**53 + 1), gcent.Status.ERANGE, "2^53"),
    (lambda: gcent.entropy(np.ones(3), 0.1, method="fast"), gcent.Status.EUNSUPPORTED,
     "'auto', 'mc', 'quadrature'"),
    (lambda: gcent.entropy(np.ones(3), 0.1, prune="maybe"), gcent.Status.EUNSUPPORTED, "True"),
    (lambda: gcent.bin_fixed_range(0.0, float("nan"), 3), gcent.Status.EDOM, "finite"),
])
def test_errors_carry_status_name_and_reason(call, status, words):
    with pytest.raises(gcent.GcentError) as e:
        call()
    err = e.value
    assert err.status == status and err.name == "GCENT_" + status.name
    assert words in err.reason, err.reason
    assert "\n" not in err.reason and str(err).startswith(err.name + ": ")
    back = pickle.loads(pickle.dumps(err))
    assert (back.status, back.reason) == (err.status, err.reason)


def test_the_library_writes_no_output_on_error():
    # through the package's own bindings: the out structs keep their NaN
    lib = _library.get()
    with gcent.Context() as ctx:
        out = _library.LayerMI_c()
        ctypes.memset(ctypes.byref(out), 0xff, ctypes.sizeof(out))  # NaN pattern
        s = np.ones((4, 2))
        st = lib.mi_layer(ctx._ptr, s.ctypes.data_as(_library.dbl_p), 4, 1, 2, 1, None, 0.1,
                          ctypes.byref(out))
        assert st == gcent.Status.EINVAL and "lds" in ctx.errmsg
        assert all(np.isnan([out.ht.value, out.ht.se, out.ixt.value, out.iyt.value]))


def test_options_restored_after_a_call_and_after_a_failure():
    ctx = gcent.Context(seed=4, draws=7)
    before = ctx.options
    s = gcent.rng_normals(1, 0, 0, 60).reshape(30, 2)
    a = gcent.entropy(s, 0.2, ctx=ctx, method="mc", seed=11, draws=3)
    assert ctx.options == before
    with pytest.raises(gcent.GcentError):
        gcent.entropy(s, -0.2, ctx=ctx, method="mc", seed=11, draws=3)
    assert ctx.options == before
    with pytest.raises(gcent.GcentError):  # the second option fails: the first is undone
        gcent.entropy(s, 0.2, ctx=ctx, seed=11, draws=-3)
    assert ctx.options == before
    # the per-call options were the ones used
    assert gcent.entropy(s, 0.2, method="mc", seed=11, draws=3) == a
    assert gcent.entropy(s, 0.2, ctx=ctx, method="mc") != a  # seed 4, 7 draws


def test_context_options():
    with gcent.Context(seed=2**53, method="quadrature", prune=False, log_base=2,
                       threads=1) as ctx:
        assert ctx.get("seed") == 2**53 and ctx.get("method") == "quadrature"
        assert ctx.get("prune") is False and ctx.get("log_base") == 2.0
        ctx.set(seed=0, method="MC", prune="on")
        o = ctx.options
        assert o["seed"] == 0 and o["method"] == "mc" and o["prune"] is True
        ctx.reset()
        assert ctx.options == gcent.Context().options
        assert ctx.get("draws") == gcent.opt_bounds("draws")[2] == 16
        with pytest.raises(TypeError, match="unknown option 'draw'"):
            ctx.set(draw=3)
        with pytest.raises(gcent.GcentError) as e:
            ctx.set(seed=-1)
        assert e.value.status == gcent.Status.ERANGE and "GCENT_OPT_SEED" in e.value.reason
    with pytest.raises(gcent.GcentError, match="closed"):
        gcent.entropy(np.ones(3), 0.1, ctx=ctx)
    ctx.close()  # twice is fine
    with pytest.raises(TypeError, match="gcent.Context"):
        gcent.entropy(np.ones(3), 0.1, ctx="ctx")


def test_missing_function_is_reported(monkeypatch):
    lib = _library.get()
    missing = _library._Missing(lib, "gcent_future")
    with pytest.raises(gcent.GcentError) as e:
        missing(1, 2)
    assert e.value.status == gcent.Status.EUNSUPPORTED and "gcent_future" in e.value.reason
    assert lib.version in e.value.reason and gcent.has("gcent_entropy")
    assert not gcent.has("gcent_future")
