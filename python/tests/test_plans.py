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
