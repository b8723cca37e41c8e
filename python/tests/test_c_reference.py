"""Bit-identity with the C library called from C: c_reference.c prints its
results as hex floats; the package must give the same bits on the same data
(drawn by gcent.rng_normals) and options, here passed in other dtypes and
orders. The program is built with the C compiler (CC, else cc) against the
repository's headers and the library under test; skipped without a compiler."""

import os
import shutil
import subprocess

import numpy as np
import pytest

import gcent

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


@pytest.fixture(scope="module")
def c_results(tmp_path_factory):
    cc = os.environ.get("CC") or "cc"
    if shutil.which(cc) is None:
        pytest.skip("no C compiler (%s)" % cc)
    lib = gcent.library_path()
    exe = str(tmp_path_factory.mktemp("cref") / "c_reference")
    subprocess.run([cc, "-std=c11", "-O2", "-I", os.path.join(REPO, "include"), "-o", exe,
                    os.path.join(HERE, "c_reference.c"), lib, "-Wl,-rpath," +
                    os.path.dirname(os.path.abspath(lib))], check=True)
    out = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
    return {line.split()[0]: [float.fromhex(v) for v in line.split()[1:]]
            for line in out.splitlines()}


M, K, D = 96, 4, 3


def inputs():
    s = gcent.rng_normals(7, 0, 0, M * K * D).reshape(M * K, D)
    y = (np.arange(M) * 7) % 5 - 2
    return s, y


def test_bits_equal_the_c_program(c_results):
    s, y = inputs()
    sf = np.asfortranarray(s)  # another memory order: converted by the package
    names = np.array(["c%d" % v for v in y])  # labels as strings: remapped
    opts = dict(seed=11, draws=3, method="mc")
    e = gcent.entropy(sf, 0.3, **opts)
    assert [e.value, e.se] == c_results["entropy"]
    r = gcent.mi_layer(sf.reshape(M, K, D), 0.3, labels=names, **opts)
    assert [r.ht.value, r.ht.se, r.ixt.value, r.ixt.se, r.iyt.value, r.iyt.se] == \
        c_results["mi_layer"]
    b = gcent.entropy_bounds(s, 0.3, **opts)
    assert [b.lower, b.upper] == c_results["entropy_bounds"]
    assert [gcent.binned_entropy(sf, 0.25)] == c_results["binned_entropy"]
    bm = gcent.binned_mi(s, 0.25, k=K, labels=y.astype(float))
    assert [bm.ixt, bm.iyt] == c_results["binned_mi"]
    q = gcent.mi_layer(s[:, 1], 0.3, k=K, labels=y, method="quadrature", log_base=2)
    assert [q.ht.value, q.ht.se, q.ixt.value, q.ixt.se, q.iyt.value, q.iyt.se] == \
        c_results["mi_layer_quadrature"]
    # the same through a Context holding the options
    with gcent.Context(**opts) as ctx:
        assert gcent.entropy(s, 0.3, ctx=ctx) == e
