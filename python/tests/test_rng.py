"""The generator: Philox4x32-10 against the Random123 known answers, and
rng_normals against its documented construction from Philox blocks. Also:
every function the library exports is bound by the package."""

import math
import os

import numpy as np
import pytest

import gcent
from gcent import _library

KAT = [  # Random123 kat_vectors: counter, key, output
    ([0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]),
    ([0xffffffff] * 4, [0xffffffff] * 2, [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]),
    ([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0],
     [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]),
]


@pytest.mark.parametrize("ctr, key, out", KAT)
def test_philox_known_answers(ctr, key, out):
    assert gcent.philox4x32_10(ctr, key).tolist() == out


def test_philox_refuses_bad_words():
    with pytest.raises(gcent.GcentError, match="counter must have 4 words"):
        gcent.philox4x32_10([1, 2, 3], [0, 0])
    with pytest.raises(gcent.GcentError, match=r"\[0, 2\^32\)"):
        gcent.philox4x32_10([2**32, 0, 0, 0], [0, 0])


def test_normals_follow_their_documented_construction():
    seed, stream, start = 2**40 + 12345, 2**33 + 7, 2**32 - 3
    z = gcent.rng_normals(seed, stream, start, 8)
    for j in range(8):
        b = (start + j) // 2
        o = gcent.philox4x32_10([b % 2**32, b // 2**32, stream % 2**32, stream // 2**32],
                                [seed % 2**32, seed // 2**32]).tolist()
        a, c = o[1] * 2**32 + o[0], o[3] * 2**32 + o[2]
        u1, u2 = ((a >> 11) + 1) / 2**53, (c >> 11) / 2**53
        r = math.sqrt(-2 * math.log(u1))
        ref = r * (math.cos if (start + j) % 2 == 0 else math.sin)(2 * math.pi * u2)
        assert z[j] == pytest.approx(ref, rel=1e-14, abs=1e-15)
    assert gcent.rng_normals(1, 2, 3, 0).shape == (0,)
    assert np.array_equal(gcent.rng_normals(5, 0, 2, 3), gcent.rng_normals(5, 0, 0, 5)[2:])


def test_every_exported_function_is_bound():
    path = os.path.join(os.path.dirname(__file__), "..", "..", "src", "libgcent.symbols")
    if not os.path.exists(path):
        pytest.skip("no src/libgcent.symbols in this tree")
    exported = set(open(path).read().split())
    assert exported <= set(_library.PROTOTYPES), sorted(exported - set(_library.PROTOTYPES))
