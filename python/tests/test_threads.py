"""Threads: the GIL is released during a call (another Python thread runs
while the library computes), results are the same bits for any thread count
and from concurrent Python threads, and a shared Context serialises calls."""

import ctypes
import sys
import threading

import numpy as np
import pytest

import gcent
from gcent import _library
from test_progress import long_input


def other_thread_runs_during_call(lib_loader=None):
    """A long call runs in thread A; the main thread waits until A's first
    progress report, then sets a flag, which A's next reports look for and
    then stop the call. With the GIL held by the call, the main thread cannot
    run until the call ends: the flag is never seen during the call.
    The switch interval is raised so that the interpreter does not hand the
    GIL over during the callbacks' own bytecode either."""
    s, opts = long_input()
    inside, ran, seen = threading.Event(), threading.Event(), []

    def cb(done, total):
        inside.set()
        if ran.is_set():
            seen.append(done)
            return True  # enough: stop the call
    ctx = gcent.Context(_lib=lib_loader, **opts) if lib_loader else gcent.Context(**opts)
    result = []

    def work():
        try:
            gcent.entropy(s, 0.5, ctx=ctx, progress=cb)
            result.append("finished")
        except gcent.GcentError as e:
            result.append(e.status)
    old = sys.getswitchinterval()
    sys.setswitchinterval(100.0)
    try:
        a = threading.Thread(target=work)
        a.start()
        inside.wait()
        ran.set()  # runs only when the GIL is free
        a.join()
    finally:
        sys.setswitchinterval(old)
    return bool(seen), result


def test_gil_is_released_during_a_call():
    seen, result = other_thread_runs_during_call()
    assert seen and result == [gcent.Status.ECANCELED]


@pytest.mark.skipif(not __import__("os").environ.get("GCENT_MUTATION"),
                    reason="mutation check of the test above (GCENT_MUTATION=1): a few seconds")
def test_gil_test_fails_when_the_gil_is_held():
    held = _library.Library(_library.get().path, loader=ctypes.PyDLL)
    seen, result = other_thread_runs_during_call(held)
    assert not seen and result == ["finished"]


def test_same_bits_for_any_thread_count():
    s = gcent.rng_normals(8, 0, 0, 2048 * 5).reshape(2048, 5)
    y = np.arange(512) % 3
    ref = gcent.mi_layer(s, 0.3, k=4, labels=y, threads=1, seed=6)
    for t in (2, 3, 0):
        assert gcent.mi_layer(s, 0.3, k=4, labels=y, threads=t, seed=6) == ref


def test_concurrent_python_threads_give_the_sequential_results():
    data = [gcent.rng_normals(i, 0, 0, 1024 * 3).reshape(1024, 3) for i in range(4)]
    seq = [gcent.mi_layer(s, 0.3, k=2, labels=np.arange(512) % 2, seed=i)
           for i, s in enumerate(data)]
    par = [None] * 4

    def run(i):
        par[i] = gcent.mi_layer(data[i], 0.3, k=2, labels=np.arange(512) % 2, seed=i)
    ts = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert par == seq


def test_a_shared_context_serialises_calls():
    ctx = gcent.Context(seed=3, draws=2)
    data = [gcent.rng_normals(i, 0, 0, 1024 * 3).reshape(1024, 3) for i in range(6)]
    seq = [gcent.entropy(s, 0.3, ctx=ctx, seed=i) for i, s in enumerate(data)]
    par = [None] * 6

    def run(i):
        par[i] = gcent.entropy(data[i], 0.3, ctx=ctx, seed=i)
    ts = [threading.Thread(target=run, args=(i,)) for i in range(6)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert par == seq and ctx.get("seed") == 3
