"""The sliced plane against exact values: q = d gives the layer's MI, the
single neuron's slices are all the same, bounds and data processing hold,
the same bits for any thread count. Run when the loaded libgcent has it."""

import math

import numpy as np
import pytest

import gcent
from test_values import SINGLE_NEURON_IXT

pytestmark = pytest.mark.skipif(not gcent.has("gcent_sliced_mi_layer"),
                                reason="the loaded libgcent has no sliced plane")

QUAD_ERR = 1e-8  # GCENT_SLICED_QUAD_ERR: each entropy of a slice within this


def test_single_neuron():
    x = np.array([-3.0, -1.0, 1.0, 3.0])
    r = gcent.sliced_mi_layer(np.tanh(x), 0.1, slices=8, labels=x > 2)
    # d = q = 1: every slice is +-1, and I(X; -T) = I(X; T)
    assert abs(r.ixt.value - SINGLE_NEURON_IXT) <= 2 * QUAD_ERR
    exact_iy = gcent.mi_layer(np.tanh(x), 0.1, labels=x > 2, method="quadrature").iyt.value
    assert abs(r.iyt.value - exact_iy) <= 2 * QUAD_ERR
    assert gcent.sliced_mi_layer(np.tanh(x), 0.1, slices=3).iyt is None


def test_q_equal_d_and_the_bounds():
    rng = np.random.default_rng(0)
    s = np.tanh(rng.normal(size=(64, 2)))
    y = np.arange(64) % 2
    full = gcent.mi_layer(s, 0.1, labels=y, method="quadrature")
    q2 = gcent.sliced_mi_layer(s, 0.1, slices=20, q=2, labels=y)
    assert abs(q2.ixt.value - full.ixt.value) <= 2 * QUAD_ERR  # rotations change nothing
    assert abs(q2.iyt.value - full.iyt.value) <= 2 * QUAD_ERR
    q1 = gcent.sliced_mi_layer(s, 0.1, slices=200, q=1, labels=y, seed=3)
    assert 0 < q1.ixt.value < full.ixt.value  # data processing, far apart here
    assert q1.ixt.value <= math.log(64) and q1.iyt.value <= math.log(2) + 1e-12
    assert q1.ixt.se > 0


def test_threads_seed_and_errors():
    s = np.tanh(gcent.rng_normals(2, 0, 0, 40 * 3 * 5).reshape(40, 3, 5))
    ref = gcent.sliced_mi_layer(s, 0.2, slices=16, threads=1, seed=1)
    assert gcent.sliced_mi_layer(s, 0.2, slices=16, threads=2, seed=1) == ref
    assert gcent.sliced_mi_layer(s, 0.2, slices=16, seed=2) != ref
    with pytest.raises(gcent.GcentError) as e:
        gcent.sliced_mi_layer(s, 0.2, slices=16, q=3)
    assert e.value.status == gcent.Status.EUNSUPPORTED and "q" in e.value.reason
    with pytest.raises(gcent.GcentError) as e:
        gcent.sliced_mi_layer(s, 0.2, slices=0)
    assert e.value.status == gcent.Status.EINVAL


@pytest.mark.skipif(not gcent.has("gcent_plan_sliced_mi_layer"),
                    reason="the loaded libgcent has no sliced plan")
def test_plan_equals_one_shot():
    rng = np.random.default_rng(4)
    y = np.arange(30) % 3
    with gcent.plan_sliced_mi_layer(30, 2, 6, 0.1, slices=12, labels=y, seed=5) as plan:
        for epoch in range(3):
            s = np.tanh(rng.normal(size=(30, 2, 6)) * (1 + epoch))
            assert plan.execute(s) == gcent.sliced_mi_layer(s, 0.1, slices=12, labels=y, seed=5)
        with pytest.raises(gcent.GcentError):
            plan.execute(np.zeros((30, 2, 5)))

