"""Plans: prepared once, executed on new samples with the bits of the
one-shot call; options and progress taken at creation; shapes checked; the
plan's own error messages. Run when the loaded libgcent has plans."""

import numpy as np
import pytest

import gcent

pytestmark = pytest.mark.skipif(not gcent.has("gcent_plan_mi_layer"),
                                reason="the loaded libgcent has no plans")

M, K, D = 64, 4, 3


def epoch_samples(e):
    return np.tanh(gcent.rng_normals(e, 0, 0, M * K * D).reshape(M, K, D) * (1 + 0.3 * e))


def test_plan_equals_the_one_shot_call_at_every_epoch():
    y = np.array(["cat", "dog", "eel", "cat"] * (M // 4))
    opts = dict(seed=4, draws=3)
    with gcent.plan_mi_layer(M, K, D, 0.2, labels=y, **opts) as plan:
        for e in range(4):
            s = epoch_samples(e)
            r = plan.execute(s)
            assert r == gcent.mi_layer(s, 0.2, labels=y, **opts)
            assert plan.execute(s.reshape(M * K, D)) == r  # rows with the plan's k
        assert plan.last_method == "mc" and plan.get("seed") == 4 and plan.get("draws") == 3
    without = gcent.plan_mi_layer(M, K, D, 0.2, **opts).execute(epoch_samples(1))
    assert without.iyt is None and without == gcent.mi_layer(epoch_samples(1), 0.2, **opts)


def test_plan_entropy_and_quadrature():
    s = epoch_samples(2)[:, 0, :1]  # 64 x 1: AUTO takes quadrature
    w = np.arange(1, M + 1, dtype=float)
    w /= w.sum()
    plan = gcent.plan_entropy(M, 1, 0.1, weights=w)
    assert plan.execute(s) == gcent.entropy(s, 0.1, weights=w)
    assert plan.last_method == "quadrature"


def test_options_are_copied_at_creation():
    ctx = gcent.Context(seed=9, draws=2)
    plan = gcent.plan_mi_layer(M, K, D, 0.2, ctx=ctx)
    ctx.set(seed=1, draws=5)
    ctx.close()  # the plan outlives its context
    s = epoch_samples(3)
    assert plan.execute(s) == gcent.mi_layer(s, 0.2, seed=9, draws=2)
    assert plan.options["seed"] == 9


def test_shapes_and_bad_samples_are_refused():
    plan = gcent.plan_mi_layer(M, K, D, 0.2)
    with pytest.raises(gcent.GcentError, match="the plan is for m = 64, k = 4, d = 3, s gives "
                                               "m = 64, k = 4, d = 2"):
        plan.execute(np.zeros((M, K, 2)))
    with pytest.raises(gcent.GcentError, match="m = 32"):
        plan.execute(np.zeros((M * K // 2, D)))
    bad = epoch_samples(0)
    bad[5, 1, 2] = np.nan
    with pytest.raises(gcent.GcentError) as e:
        plan.execute(bad)
    assert e.value.status == gcent.Status.EDOM and e.value.reason  # the plan's message
    assert plan.execute(epoch_samples(0)) == gcent.mi_layer(epoch_samples(0), 0.2)
    plan.close()
    with pytest.raises(gcent.GcentError, match="closed"):
        plan.execute(epoch_samples(0))
    with pytest.raises(gcent.GcentError) as e:
        gcent.plan_mi_layer(M, 0, D, 0.2)
    assert e.value.status == gcent.Status.EINVAL and e.value.reason


def test_progress_of_a_plan():
    calls = []
    plan = gcent.plan_mi_layer(M, K, D, 0.2, progress=lambda d, t: calls.append(d))
    plan.execute(epoch_samples(0))
    assert calls and calls[-1] > 0
    stop = gcent.plan_mi_layer(M, K, D, 0.2, progress=lambda d, t: True)
    with pytest.raises(gcent.GcentError) as e:
        stop.execute(epoch_samples(0))
    assert e.value.status == gcent.Status.ECANCELED

    def boom(d, t):
        raise LookupError("stop here")
    failing = gcent.plan_mi_layer(M, K, D, 0.2, progress=boom)
    for _ in range(2):  # raised once per execution, not kept
        with pytest.raises(LookupError, match="stop here"):
            failing.execute(epoch_samples(0))


@pytest.mark.skipif(not gcent.has("gcent_plan_execute_mi_f32"),
                    reason="the loaded libgcent has no float32 entry points")
@pytest.mark.parametrize("precision", ["double", "single"])
def test_float32_samples_go_in_as_they_are(precision):
    """float32 activations (a network's, torch's default) take the _f32 entry
    points without a copy: the bits of the same values as float64, in either
    arithmetic; strided float32 views are read in place or copied as float32."""
    y = np.arange(M) % 3
    s64 = epoch_samples(3)
    s32 = s64.astype(np.float32)
    same = s32.astype(np.float64)  # the float32 values, exactly
    opts = dict(seed=7, draws=2, precision=precision)
    with gcent.plan_mi_layer(M, K, D, 0.2, labels=y, **opts) as plan:
        assert plan.get("precision") == precision
        r = plan.execute(s32)
        assert r == plan.execute(same)
        wide = np.zeros((M, K, D + 2), dtype=np.float32)
        wide[:, :, 1:D + 1] = s32
        assert plan.execute(wide[:, :, 1:D + 1]) == r  # a strided view
        part = plan.execute_partial(s32, 5, M * K - 3)
        assert bytes(part) == bytes(plan.execute_partial(same, 5, M * K - 3))
    rows = s32.reshape(M * K, D)
    with gcent.plan_entropy(M * K, D, 0.2, **opts) as plan:
        h = plan.execute(rows)
        assert h == plan.execute(rows.astype(np.float64))
        assert h == gcent.entropy(rows.astype(np.float64), 0.2, **opts)


@pytest.mark.skipif(not gcent.has("gcent_plan_execute_mi_f32"),
                    reason="the loaded libgcent has no single precision")
def test_single_precision_within_its_bound():
    """GCENT_PRECISION_SINGLE moves every summand log R by at most 2^-10 (the
    documented guarantee, include/gcent/context.h), so an MI by at most 2^-9."""
    y = np.arange(M) % 3
    s = epoch_samples(1)
    d = gcent.mi_layer(s, 0.2, labels=y, seed=3, draws=2)
    f = gcent.mi_layer(s, 0.2, labels=y, seed=3, draws=2, precision="single")
    for a, b in ((d.ixt, f.ixt), (d.iyt, f.iyt), (d.ht, f.ht)):
        assert abs(a.value - b.value) <= 2.0 ** -9
    with pytest.raises(gcent.GcentError):
        gcent.Context(precision="half")
