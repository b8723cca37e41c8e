"""Conversion of inputs: any real dtype and memory order gives the bits of
the C-contiguous float64 array; strided float64 rows go without a copy;
labels of every kind are remapped to dense codes; bad labels are refused."""

import numpy as np
import pytest

import gcent
from gcent import _inputs

OPTS = dict(seed=9, draws=3, method="mc", threads=1)


def data(m=40, k=3, d=3):
    return gcent.rng_normals(5, 0, 0, m * k * d).reshape(m * k, d) * 0.5


def same(a, b):
    return a == b  # dataclass equality: every float bit for bit (no NaN here)


def test_dtype_and_order_give_the_same_bits():
    s = data().astype(np.float32)  # exactly representable in float32 then
    ref = gcent.mi_layer(s.astype(np.float64), 0.2, k=3, **OPTS)
    variants = [s, np.asfortranarray(s), s.astype(np.float64)[::1], np.asfortranarray(
        s.astype(np.float64)), s.astype(np.longdouble), s.T.copy().T,
        s.astype(">f8"), s.tolist()]
    for v in variants:
        assert same(gcent.mi_layer(v, 0.2, k=3, **OPTS), ref), getattr(v, "dtype", "list")
    # float16 and integers are accepted too (converted exactly)
    small = np.array([[0, 1], [2, 3], [5, 8]], dtype=np.int16)
    assert gcent.entropy(small, 0.5, **OPTS) == gcent.entropy(small.astype(float), 0.5, **OPTS)
    assert gcent.entropy(small.astype(np.float16), 0.5, **OPTS) == \
        gcent.entropy(small.astype(float), 0.5, **OPTS)


def test_three_dimensional_layout_equals_rows_with_k():
    s = data()
    a = gcent.mi_layer(s.reshape(40, 3, 3), 0.2, labels=np.arange(40) % 2, **OPTS)
    b = gcent.mi_layer(s, 0.2, k=3, labels=np.arange(40) % 2, **OPTS)
    assert same(a, b)
    # a transposed (m, k, d) view is copied in the right order
    t = np.ascontiguousarray(s.reshape(40, 3, 3).transpose(2, 1, 0)).transpose(2, 1, 0)
    assert same(gcent.mi_layer(t, 0.2, labels=np.arange(40) % 2, **OPTS), a)
    with pytest.raises(gcent.GcentError, match="k = 2 but s has shape"):
        gcent.mi_layer(s.reshape(40, 3, 3), 0.2, k=2)
    with pytest.raises(gcent.GcentError, match="not a multiple of k = 7"):
        gcent.mi_layer(s, 0.2, k=7)


def test_strided_rows_are_passed_without_copy():
    wide = np.ascontiguousarray(data(d=5))
    view = wide[:, 1:4]  # rows 5 doubles apart, 3 used
    arr, n, d, lds = _inputs.samples(view, "t")
    assert arr is view and (n, d, lds) == (120, 3, 5)
    assert same(gcent.entropy(view, 0.3, **OPTS), gcent.entropy(view.copy(), 0.3, **OPTS))
    # every other row: still evenly spaced
    arr, n, d, lds = _inputs.samples(wide[::2, :2], "t")
    assert arr.base is wide or arr.base is not None
    assert (n, d, lds) == (60, 2, 10)
    # (m, k, d) view of a wider array
    m3 = wide.reshape(40, 3, 5)[:, :, :4]
    arr, m, k, d, lds = _inputs.layer_samples(m3, None, "t")
    assert (m, k, d, lds) == (40, 3, 4, 5) and np.shares_memory(arr, wide)
    assert same(gcent.mi_layer(m3, 0.3, **OPTS), gcent.mi_layer(m3.copy(), 0.3, **OPTS))
    # columns not unit-stride, reversed rows: copied
    arr, *_ = _inputs.samples(wide[:, ::2], "t")
    assert not np.shares_memory(arr, wide)
    arr, n, d, lds = _inputs.samples(wide[::-1], "t")
    assert lds == 5 and not np.shares_memory(arr, wide)
    assert same(gcent.entropy(wide[::-1], 0.3, **OPTS),
                gcent.entropy(np.ascontiguousarray(wide[::-1]), 0.3, **OPTS))


def test_one_dimensional_samples_are_one_column():
    x = np.linspace(-1, 1, 50)
    assert same(gcent.entropy(x, 0.1), gcent.entropy(x.reshape(50, 1), 0.1))


LABELS = {
    "int": [3, 7, 3, 7, 9, 9],
    "large ids": [2**40, 2**62, 2**40, 2**62, -5, -5],
    "int8": np.array([1, -1, 1, -1, 0, 0], dtype=np.int8),
    "uint64": np.array([2**64 - 1, 0, 2**64 - 1, 0, 5, 5], dtype=np.uint64),
    "integral float": [1.0, 2.0, 1.0, 2.0, -0.0, 0.0],
    "float32": np.array([1, 2, 1, 2, 3, 3], dtype=np.float32),
    "strings": ["cat", "dog", "cat", "dog", "eel", "eel"],
    "bytes": np.array([b"b", b"a", b"b", b"a", b"c", b"c"]),
    "objects": [(1, "x"), (2, "y"), (1, "x"), (2, "y"), None, None],
    "bool": [True, False, True, False, True, True],
}


@pytest.mark.parametrize("kind", sorted(LABELS))
def test_labels_are_remapped(kind):
    y = LABELS[kind]
    codes = _inputs.labels(y, 6, "t")
    assert codes.dtype == np.intc and codes.flags.c_contiguous
    assert set(codes.tolist()) == set(range(len(set(codes.tolist()))))  # dense 0..C-1
    # the same partition as the labels: i ~ j iff y_i == y_j
    ys = list(np.asarray(y, dtype=object)) if not isinstance(y, list) else y
    for i in range(6):
        for j in range(6):
            assert (codes[i] == codes[j]) == (ys[i] == ys[j])
    # and the results are those of the plain codes
    s = data(m=6, k=2, d=2)
    ref = gcent.mi_layer(s, 0.3, k=2, labels=codes.astype(int), **OPTS)
    assert same(gcent.mi_layer(s, 0.3, k=2, labels=y, **OPTS), ref)
    assert gcent.binned_mi(s, 0.3, k=2, labels=y) == gcent.binned_mi(s, 0.3, k=2, labels=codes)


def test_label_codes_are_in_sorted_order():
    assert _inputs.labels(["b", "a", "c", "a"], 4, "t").tolist() == [1, 0, 2, 0]
    assert _inputs.labels([10, -3, 10, 7], 4, "t").tolist() == [2, 0, 2, 1]
    # objects that cannot be ordered: first appearance
    assert _inputs.labels(np.array([1, "a", 1, None], dtype=object), 4, "t").tolist() == \
        [0, 1, 0, 2]


def test_bad_labels_are_refused_with_a_reason():
    s = data(m=4, k=1, d=2)
    with pytest.raises(gcent.GcentError) as e:
        gcent.mi_layer(s, 0.3, labels=[0.0, 1.0, 0.5, 1.0])
    assert e.value.status == gcent.Status.EINVAL
    assert "labels[2] = 0.5 is not an integer" in e.value.reason
    with pytest.raises(gcent.GcentError, match=r"labels\[1\] is nan"):
        gcent.mi_layer(s, 0.3, labels=[0.0, np.nan, 1.0, 1.0])
    with pytest.raises(gcent.GcentError, match="labels has 3 entries for 4 inputs"):
        gcent.mi_layer(s, 0.3, labels=[0, 1, 1])
    with pytest.raises(gcent.GcentError, match="one label per input"):
        gcent.mi_layer(s, 0.3, labels=np.zeros((4, 1)))
    with pytest.raises(TypeError, match="dtype complex"):
        gcent.mi_layer(s, 0.3, labels=np.array([1j, 0, 0, 1]))
    with pytest.raises(TypeError, match="hashable"):
        gcent.binned_mi(s, 0.3, labels=np.array([[1], 2, [1], 3], dtype=object))


def test_bad_samples_are_refused():
    with pytest.raises(TypeError, match="dtype complex128"):
        gcent.entropy(np.ones((3, 2), dtype=complex), 0.1)
    with pytest.raises(TypeError, match="dtype <U1"):
        gcent.entropy(np.array(["a", "b"]), 0.1)
    with pytest.raises(gcent.GcentError, match=r"shape \(2, 2, 2, 2\)"):
        gcent.entropy(np.ones((2, 2, 2, 2)), 0.1)
    with pytest.raises(gcent.GcentError, match="weights has shape"):
        gcent.entropy(np.ones((3, 2)), 0.1, weights=[0.5, 0.5])
    with pytest.raises(gcent.GcentError, match="d = -1 is negative"):
        gcent.noise_entropy(-1, 0.1)
    with pytest.raises(TypeError, match="beta must be a real number"):
        gcent.entropy(np.ones((3, 2)), "big")


def test_inputs_are_never_modified():
    s = np.asfortranarray(data(m=8, k=2, d=3))
    y = np.array([0, 1] * 4, dtype=np.float64)
    s0, y0 = s.copy(order="A"), y.copy()
    gcent.mi_layer(s, 0.2, k=2, labels=y)
    with pytest.raises(gcent.GcentError):
        gcent.mi_layer(s, -0.2, k=2, labels=y)
    assert np.array_equal(s, s0) and s.flags.f_contiguous and np.array_equal(y, y0)


def test_torch_tensors():
    torch = pytest.importorskip("torch")
    s = data(m=10, k=1, d=2)
    y = np.arange(10) % 2
    ref = gcent.mi_layer(s, 0.3, labels=y, **OPTS)
    ts = torch.tensor(s, dtype=torch.float64, requires_grad=True)
    ty = torch.tensor(y, dtype=torch.float32)  # integral floats, as torch often has them
    assert same(gcent.mi_layer(ts, 0.3, labels=ty, **OPTS), ref)
