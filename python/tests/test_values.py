"""The estimators against exact values: closed forms, the README's single
neuron by quadrature, identities between the functions."""

import math

import numpy as np
import pytest

import gcent
from conftest import hz

# I(X;T) of T = tanh(X) + N(0, 0.1^2), X uniform on {-3,-1,1,3}: the value of
# the README's C example, by independent quadrature (tests/test_mi.c).
SINGLE_NEURON_IXT = 1.10205653527365


def test_readme_single_neuron():
    s = np.tanh(np.array([-3.0, -1.0, 1.0, 3.0]))
    h = gcent.entropy(s, beta=0.1)
    i = h.value - gcent.noise_entropy(1, beta=0.1)
    assert abs(i - SINGLE_NEURON_IXT) <= 1e-9
    assert 0 <= h.se <= 1e-9  # quadrature's error bound


def test_single_neuron_mi_layer_quadrature():
    x = np.array([-3.0, -1.0, 1.0, 3.0])
    r = gcent.mi_layer(np.tanh(x), 0.1, labels=x > 2, method="quadrature")
    assert abs(r.ixt.value - SINGLE_NEURON_IXT) <= 1e-9
    # I(Y;T) <= H(Y) = H(1/4, 3/4), and I(X;T) <= ln 4
    assert 0 < r.iyt.value <= -(0.25 * math.log(0.25) + 0.75 * math.log(0.75)) + 1e-12
    assert r.ixt.value <= math.log(4)


@pytest.mark.parametrize("d", [1, 3, 12])
@pytest.mark.parametrize("beta", [0.1, 0.8, 3.0])
def test_one_centre_is_the_noise(d, beta):
    s = np.linspace(-1.1, 2.0, d).reshape(1, d)
    ref = hz(d, beta)
    e = gcent.entropy(s, beta, method="mc", draws=8, seed=5)
    assert e.value == pytest.approx(ref, abs=1e-12 * max(1, abs(ref)))
    assert e.se <= 1e-12
    assert gcent.noise_entropy(d, beta) == pytest.approx(ref, abs=1e-13 * max(1, abs(ref)))


@pytest.mark.parametrize("d", [1, 2, 3, 12])
def test_two_far_centres_add_ln2(d):
    beta = 0.4
    s = np.zeros((2, d))
    s[1, :] = 120 * beta / math.sqrt(d)  # 120 beta apart: the overlap is e^-1800
    ref = hz(d, beta) + math.log(2)
    e = gcent.entropy(s, beta, method="mc", draws=4, seed=3)
    assert abs(e.value - ref) <= 1e-12 * max(1, abs(ref)) and e.se <= 1e-12
    a = gcent.entropy(s, beta)  # auto: quadrature for d <= 2
    assert abs(a.value - ref) <= 1e-9
    w = np.array([0.1, 0.9])
    ew = gcent.entropy(s, beta, weights=w, method="mc", draws=4)
    assert abs(ew.value - (hz(d, beta) - 0.1 * math.log(0.1) - 0.9 * math.log(0.9))) <= 1e-12


def test_bounds_sandwich_and_far_limit():
    beta = 0.3
    rng = np.random.default_rng(1)
    s = rng.uniform(-1, 1, size=(64, 2))
    b = gcent.entropy_bounds(s, beta)
    h = gcent.entropy(s, beta, method="quadrature")
    assert b.lower <= h.value <= b.upper <= hz(2, beta) + math.log(64) + 1e-12
    far = np.array([[0.0], [1000.0]])
    bf = gcent.entropy_bounds(far, beta)
    ref = hz(1, beta) + math.log(2)
    assert bf.lower == pytest.approx(ref, abs=1e-12) and bf.upper == pytest.approx(ref, abs=1e-12)


def test_log_base_two_gives_bits():
    s = np.tanh(np.array([-3.0, -1.0, 1.0, 3.0]))
    nats = gcent.mi_layer(s, 0.1, method="quadrature")
    bits = gcent.mi_layer(s, 0.1, method="quadrature", log_base=2)
    assert bits.ixt.value == pytest.approx(nats.ixt.value / math.log(2), rel=1e-13)
    assert gcent.noise_entropy(3, 0.5, log_base=2) == pytest.approx(hz(3, 0.5) / math.log(2))


def test_mi_layer_far_clusters_exact():
    # m = 6 inputs in 3 classes, k = 4 draws each, every input's draws within
    # 1e-3 beta of each other and inputs 200 beta apart: I(X;T) = ln 6 and
    # I(Y;T) = H(Y) = ln 3 up to the draws' spread (far below 1e-6).
    beta, m, k, d = 0.1, 6, 4, 3
    base = np.arange(m)[:, None, None] * 200 * beta * np.ones((1, 1, d))
    jitter = 1e-4 * beta * gcent.rng_normals(1, 0, 0, m * k * d).reshape(m, k, d)
    r = gcent.mi_layer(base + jitter, beta, labels=[0, 1, 2, 0, 1, 2], draws=4)
    assert r.ixt.value == pytest.approx(math.log(6), abs=1e-6)
    assert r.iyt.value == pytest.approx(math.log(3), abs=1e-6)
    # h(T) = h(Z) + ln m to O((1e-4)^2); the Monte Carlo error is se (fixed seed)
    assert abs(r.ht.value - (hz(d, beta) + math.log(m))) <= 4 * r.ht.se + 1e-9


def test_mi_layer_without_labels_has_no_iyt():
    s = np.tanh(np.array([-3.0, -1.0, 1.0, 3.0]))
    r = gcent.mi_layer(s, 0.1)
    assert r.iyt is None


def test_binned_exact_counts():
    # 8 rows in bins {0: 4 rows, 1: 2, 2: 1, 5: 1} of width 0.5
    t = np.array([0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 1.2, 2.9])
    p = np.array([4, 2, 1, 1]) / 8
    assert gcent.binned_entropy(t, 0.5) == pytest.approx(-(p * np.log(p)).sum(), abs=1e-15)
    # origin 0.05 moves 0.1 .. 0.4 still into bin 0 and 0.6, 0.7 into bin 1
    assert gcent.binned_entropy(t, 0.5, bin_origin=0.05) == pytest.approx(
        -(p * np.log(p)).sum(), abs=1e-15)
    # k = 2 draws per input: input 0 has both draws in one bin, the others split
    r = gcent.binned_mi(t, 0.5, k=2, labels=["a", "a", "b", "b"])
    h = -(p * np.log(p)).sum()
    # inputs (0.1, 0.2), (0.3, 0.4), (0.6, 0.7) keep one bin; (1.2, 2.9) splits in two
    hcond = math.log(2) / 4
    assert r.ixt == pytest.approx(h - hcond, abs=1e-15)
    # class a: 0.1 0.2 0.3 0.4 in one bin (H 0); b: 0.6 0.7 | 1.2 | 2.9 -> (1/2,1/4,1/4)
    hb = 1.5 * math.log(2)
    assert r.iyt == pytest.approx(h - 0.5 * 0 - 0.5 * hb, abs=1e-15)
    assert gcent.binned_mi(t, 0.5, k=2).iyt is None


def test_bin_fixed_range():
    g = gcent.bin_fixed_range(-1.0, 1.0, 30)
    assert g.width == 2.0 / 30 and g.origin == -1.0


def test_readme_python_example(capsys):
    """The README's Python block, run as it is: the single neuron to 1e-9 and
    a layer whose estimates respect the exact bounds."""
    import os
    import re
    readme = open(os.path.join(os.path.dirname(__file__), "..", "..", "README.md")).read()
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert len(blocks) == 1
    ns = {}
    exec(compile(blocks[0], "README.md", "exec"), ns)
    assert abs(ns["i"] - SINGLE_NEURON_IXT) <= 1e-9
    r = ns["r"]
    assert 0 < r.ixt.value <= math.log(512) and r.iyt.value <= math.log(2)
    assert capsys.readouterr().out.split() == [repr(r.ixt.value), repr(r.ixt.se),
                                               repr(r.iyt.value)]


def test_last_method_says_what_se_is():
    ctx = gcent.Context()
    try:
        first = ctx.last_method
    except gcent.GcentError as e:
        assert e.status == gcent.Status.EUNSUPPORTED
        pytest.skip("the loaded libgcent does not report the method it used")
    assert first is None
    gcent.entropy(np.tanh([-3.0, -1.0, 1.0, 3.0]), 0.1, ctx=ctx)  # d = 1: quadrature
    assert ctx.last_method == "quadrature"
    gcent.mi_layer(np.ones((8, 3)), 0.1, ctx=ctx)  # d = 3: Monte Carlo
    assert ctx.last_method == "mc"
