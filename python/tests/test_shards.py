"""Shards: any split of the rows into partials, merged in any order and
grouping (also after travelling as bytes or by pickle), finishes to the bits
of the one-shot call; overlaps and gaps are refused with a reason. Run when
the loaded libgcent has shards."""

import os
import pickle
import random
import re

import numpy as np
import pytest

import gcent
from gcent import _library

pytestmark = pytest.mark.skipif(not gcent.has("gcent_mi_layer_partial"),
                                reason="the loaded libgcent has no shards")

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_partial_size_is_the_headers():
    path = os.path.join(REPO, "include", "gcent", "shard.h")
    if not os.path.exists(path):
        pytest.skip("no include/gcent/shard.h in this tree")
    words = int(re.search(r"#define GCENT_PARTIAL_WORDS (\d+)", open(path).read()).group(1))
    assert _library.PARTIAL_WORDS == words and gcent.Partial.SIZE == 8 * words


def random_split(n, rng):
    cuts = sorted(rng.sample(range(1, n), rng.randint(0, min(9, n - 1))))
    edges = [0] + cuts + [n]
    return list(zip(edges[:-1], edges[1:]))


def merge_randomly(parts, rng):
    parts = list(parts)
    while len(parts) > 1:
        i, j = rng.sample(range(len(parts)), 2)
        a, b = parts[i], parts[j]
        a.merge(b)
        parts.pop(j)
    return parts[0]


@pytest.mark.parametrize("trial", range(4))
def test_random_splits_finish_to_the_one_shot_bits(trial):
    rng = random.Random(trial)
    s = gcent.rng_normals(trial, 0, 0, 48 * 3 * 2).reshape(48, 3, 2) * 0.4
    y = np.arange(48) % 3
    opts = dict(seed=trial, draws=2, method="mc", threads=1 + trial % 2)
    ref = gcent.mi_layer(s, 0.3, labels=y, **opts)
    shards = [gcent.mi_layer_partial(s, 0.3, b, e, labels=y, **opts)
              for b, e in random_split(48 * 3, rng)]
    shards = [pickle.loads(pickle.dumps(p)) if i % 2 else p for i, p in enumerate(shards)]
    whole = merge_randomly(shards, rng)
    assert gcent.mi_layer_finish(whole, **opts) == ref
    # entropy shards, passed as bytes
    rows = s.reshape(-1, 2)
    eref = gcent.entropy(rows, 0.3, **opts)
    eparts = [gcent.Partial.from_bytes(bytes(gcent.entropy_partial(rows, 0.3, b, e, **opts)))
              for b, e in random_split(len(rows), rng)]
    assert gcent.entropy_finish(merge_randomly(eparts, rng), **opts) == eref


def test_plan_shards_and_no_labels():
    s = gcent.rng_normals(7, 0, 0, 32 * 2 * 3).reshape(32, 2, 3)
    opts = dict(seed=2, draws=2)
    ref = gcent.mi_layer(s, 0.3, **opts)
    plan = gcent.plan_mi_layer(32, 2, 3, 0.3, **opts)
    a, b = plan.execute_partial(s, 0, 40), plan.execute_partial(s, 40, 64)
    r = gcent.mi_layer_finish(b.merge(a), **opts)
    assert r == ref and r.iyt is None
    # has_labels unknown after bytes: iyt from the library's value
    c = gcent.Partial.from_bytes(bytes(b))
    assert c.has_labels is None


def test_overlaps_gaps_and_junk_are_refused():
    s = gcent.rng_normals(1, 0, 0, 40 * 2).reshape(40, 2)
    a = gcent.entropy_partial(s, 0.3, 0, 20)
    b = gcent.entropy_partial(s, 0.3, 10, 40)
    keep = bytes(a)
    with pytest.raises(gcent.GcentError) as e:
        a.merge(b)
    assert e.value.status == gcent.Status.EINVAL and "both" in e.value.reason
    assert bytes(a) == keep  # unchanged on failure
    with pytest.raises(gcent.GcentError) as e:
        gcent.entropy_finish(a)
    assert e.value.status == gcent.Status.EINVAL and "missing" in e.value.reason
    other = gcent.entropy_partial(s * 2, 0.3, 20, 40)  # other data
    with pytest.raises(gcent.GcentError):
        a.merge(other)
    with pytest.raises(gcent.GcentError):
        gcent.entropy_finish(gcent.Partial.from_bytes(bytes(gcent.Partial.SIZE)))
    with pytest.raises(gcent.GcentError, match="a gcent_partial has"):
        gcent.Partial.from_bytes(b"short")
    with pytest.raises(gcent.GcentError):  # a layer partial is not an entropy partial
        gcent.entropy_finish(gcent.mi_layer_partial(s, 0.3, 0, 40))
