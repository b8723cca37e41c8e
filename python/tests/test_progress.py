"""Progress callables: called with a non-decreasing done and a fixed total; a
true return or an exception stops the call (GcentError ECANCELED, or the
exception itself re-raised, never lost); Ctrl-C during a call stops it."""

import signal
import threading

import numpy as np
import pytest

import gcent


def long_input(n=65536, d=4):
    """A dense Monte Carlo call of a few seconds (n^2 draws pairs): the tests
    stop it early, so it only runs whole when what it tests is broken."""
    return gcent.rng_normals(3, 0, 0, n * d).reshape(n, d), dict(method="mc", draws=4,
                                                                 prune=False)


def small():
    s = gcent.rng_normals(3, 0, 0, 8192 * 3).reshape(8192, 3)
    return s, dict(method="mc", draws=1, prune=False, seed=2)


def test_progress_reports_the_whole_call():
    s, opts = small()
    seen = []
    ref = gcent.entropy(s, 0.5, **opts)
    r = gcent.entropy(s, 0.5, progress=lambda done, total: seen.append((done, total)), **opts)
    assert r == ref and len(seen) >= 2
    done = [d for d, _ in seen]
    assert done == sorted(done) and len({t for _, t in seen}) == 1
    assert seen[-1][0] == seen[-1][1]


def test_true_return_cancels():
    s, opts = small()
    calls = []

    def stop(done, total):
        calls.append(done)
        return True
    with gcent.Context(**opts) as ctx:
        with pytest.raises(gcent.GcentError) as e:
            gcent.entropy(s, 0.5, ctx=ctx, progress=stop)
        assert e.value.status == gcent.Status.ECANCELED and e.value.reason
        assert len(calls) == 1
        # the context works afterwards, without the per-call callable
        assert gcent.entropy(s, 0.5, ctx=ctx) == gcent.entropy(s, 0.5, **opts)
        assert len(calls) == 1


def test_exception_is_re_raised_after_the_call():
    s, opts = small()
    boom = ValueError("from the callback")
    calls = []

    def bad(done, total):
        calls.append(done)
        if len(calls) == 2:
            raise boom
    with pytest.raises(ValueError) as e:
        gcent.mi_layer(s, 0.5, k=4, labels=np.arange(2048) % 2, progress=bad, **opts)
    assert e.value is boom and len(calls) == 2


def test_context_progress_attribute_and_override():
    s, opts = small()
    a, b = [], []
    ctx = gcent.Context(progress=lambda d, t: a.append(d), **opts)
    gcent.binned_entropy(s, 0.1, ctx=ctx)
    gcent.entropy(s, 0.5, ctx=ctx)
    n = len(a)
    assert n >= 2
    gcent.entropy(s, 0.5, ctx=ctx, progress=lambda d, t: b.append(d))
    assert len(a) == n and len(b) >= 2
    ctx.progress = None
    gcent.entropy(s, 0.5, ctx=ctx)
    assert len(a) == n


def test_callback_may_not_call_into_its_own_context():
    s, opts = small()
    ctx = gcent.Context(**opts)
    with pytest.raises(RuntimeError, match="inside its own call"):
        gcent.entropy(s, 0.5, ctx=ctx, progress=lambda d, t: gcent.noise_entropy(1, 0.1,
                                                                                 ctx=ctx))
    # another context is fine
    other, got = gcent.Context(), []

    def cb(done, total):
        got.append(gcent.noise_entropy(1, 0.1, ctx=other))
    gcent.entropy(s, 0.5, ctx=ctx, progress=cb)
    assert got and got[0] == gcent.noise_entropy(1, 0.1)


def test_keyboard_interrupt_stops_a_long_call():
    """SIGINT sent by another thread while the main thread is inside the C call:
    Python runs its handler in the next progress callback, which stops the call."""
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals are delivered to the main thread")
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        # e.g. SIG_IGN in a job started in the background by a shell: Ctrl-C
        # cannot reach the process, and the library leaves the handler alone
        pytest.skip("SIGINT is not Python's default handler in this process")
    s, opts = long_input()
    first, sent = threading.Event(), threading.Event()
    calls = []

    def kill():
        first.wait()
        signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
        sent.set()
    t = threading.Thread(target=kill)
    t.start()

    def cb(done, total):
        calls.append(done)
        if not first.is_set():
            # hand over to the other thread and wait until it has signalled,
            # so that the signal arrives while the call runs however the
            # threads are scheduled (a loaded machine let the call end first)
            first.set()
            sent.wait(60)
    try:
        with pytest.raises(KeyboardInterrupt):
            gcent.entropy(s, 0.5, progress=cb, **opts)
    finally:
        first.set()
        t.join()
    assert calls[-1] < (65536 * 4) and len(calls) < 100  # stopped long before the end


def test_sigint_between_callbacks_is_recorded_not_raised():
    """The trampoline's part of Ctrl-C, without threads: a SIGINT that Python
    handles outside a callback (as when the C call is running) is recorded
    by the handler installed for the call, stops the call at the next
    callback and is raised as KeyboardInterrupt after it; the old handler is
    back afterwards."""
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals are delivered to the main thread")
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        # e.g. SIG_IGN in a job started in the background by a shell: Ctrl-C
        # cannot reach the process, and the library leaves the handler alone
        pytest.skip("SIGINT is not Python's default handler in this process")
    from gcent._context import _Progress
    tramp = _Progress(lambda done, total: None)
    with tramp:
        assert tramp._call(None, 1, 10) == 0
        signal.raise_signal(signal.SIGINT)  # handled here: recorded, not raised
        assert tramp.interrupted and tramp._call(None, 2, 10) == 1
    with pytest.raises(KeyboardInterrupt):
        tramp.raise_pending()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
