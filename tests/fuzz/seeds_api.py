#!/usr/bin/python3
"""Writes the named seed inputs of tests/fuzz/fuzz_api.c into
tests/fuzz/corpus/api/ (files seed-*). Each seed is a short program in the
target's input language (see the reader functions of fuzz_api.c): one byte
picks an operation, the following bytes its arguments. Run it again when
the input language changes; the rest of the corpus is what libFuzzer found
(minimised with -merge=1).

Usage: /usr/bin/python3 tests/fuzz/seeds_api.py [OUTDIR]
"""
import os
import struct
import sys

# operation numbers (LLVMFuzzerTestOneInput: byte % 14)
SET, GET, ENTROPY, BOUNDS, NOISE, MI, BINNED_MI, BINNED, OVERFLOW, NULLS, RNG, PROGRESS, RESET = (
    0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)
# option slots of OPT_IDS
O_SEED, O_DRAWS, O_THREADS, O_LOG_BASE, O_METHOD, O_ORIGIN, O_QUAD_TOL, O_PRUNE, O_PRUNE_TOL = (
    range(9))
MC, QUAD = 1, 2
SPECIAL = {"0": 0, "-0": 1, "1": 2, "-1": 3, "0.5": 4, "DBL_MIN": 8, "SUBMIN": 10,
           "DBL_MAX": 12, "-DBL_MAX": 13, "1e300": 14, "-1e300": 15, "1e-300": 16, "1e150": 17,
           "NAN": 21, "INF": 22, "-INF": 23, "2^53": 24, "2^64": 25, "2^24+1": 27,
           "1+eps": 30, "1e16": 36, "1e-3": 20}


def raw(x):
    """any_double, tag 0: the 8 bytes of x."""
    return bytes([0]) + struct.pack("<d", x)


def special(name):
    """any_double, tag 1: a value of the SPECIAL table."""
    return bytes([1, SPECIAL[name]])


def grid(x):
    """any_double, tag 3: x on the 1/256 grid (int16 / 256)."""
    return bytes([3]) + struct.pack("<h", int(round(x * 256)))


def nice(x):
    """scale_value: (1 + b % 40) / 20 for b < 160, x in 0.05 .. 2."""
    b = int(round(x * 20)) - 1
    assert 0 <= b < 40
    return bytes([b])


def set_opt(slot, value_bytes):
    return bytes([SET, slot]) + value_bytes


def samples(n, values, mode=0, ndistinct=None, scale=None, shift=None):
    """samples_make: mode 0 = int8/32 per value, 1 = any_double per value
    (values given as encoded bytes), 2 = 0..3, 3 = tanh(int8/16)."""
    m = mode | (0x10 if scale is not None else 0) | (0x20 if shift is not None else 0)
    if ndistinct is not None:
        m |= 0x40
    out = bytes([m])
    if scale is not None:
        out += scale
    if shift is not None:
        out += shift
    out += bytes([(ndistinct if ndistinct else n) - 1])
    if mode == 1:
        out += b"".join(values)
    else:
        out += bytes([v & 0xFF for v in values])
    return out


def shape(n, d, pad=0):
    """pick_shape: d, ld = d + pad, n."""
    return bytes([d - 1, pad, n - 1])


def smooth(k, seed=1):
    """k int8 values of a fixed pseudo-random sequence (deterministic)."""
    out, x = [], seed
    for _ in range(k):
        x = (x * 1103515245 + 12345) % 2**31
        out.append((x >> 16) % 256)
    return out


NO_RERUN, RAISE, RERUN = 0, 1, 2  # the configuration byte of checked_call


def entropy(n, d, vals, weights=b"\x00", beta=b"\x05", pad=0, flags=NO_RERUN, mode=0,
            ndistinct=None, op=ENTROPY, d2_keep=False):
    out = bytes([op]) + shape(n, d, pad)
    if d == 2 and op == ENTROPY:
        out += bytes([0 if d2_keep else 1])  # cheap_dim: 0 keeps d = 2 (only read if not MC)
    return out + samples(n, vals, mode, ndistinct) + weights + beta + bytes([flags])


def mi(m, k, d, vals, labels=b"\x02\x02", beta=b"\x05", binned=False, flags=NO_RERUN, mode=0,
       iyt_null=False):
    assert binned or d != 2  # (d = 2 would read a cheap_dim byte unless the method is MC)
    out = bytes([BINNED_MI if binned else MI, d - 1, 0, m - 1, k - 1])
    out += samples(m * k, vals, mode) + labels + beta
    if binned:
        out += bytes([1 if iyt_null else 0])
    return out + bytes([flags])


SEEDS = {
    # dense Monte Carlo (no pruning), then pruning with a loose tolerance (1e-3)
    "entropy-prune-off-and-loose": set_opt(O_METHOD, grid(MC)) + set_opt(O_PRUNE, grid(2))
                                   + entropy(32, 4, smooth(128, 15), flags=RERUN)
                                   + set_opt(O_PRUNE, grid(1)) + set_opt(O_PRUNE_TOL, special("1e-3"))
                                   + entropy(32, 4, smooth(128, 15), flags=RERUN),
    # Monte Carlo entropy, d = 3, 20 rows, uniform weights, beta 0.3, rerun with other threads
    "entropy-mc-d3": set_opt(O_METHOD, grid(MC)) + entropy(20, 3, smooth(60), beta=nice(0.3),
                                                          flags=RERUN),
    # quadrature, d = 1, skewed weights with zeros (normalised), row stride 2
    "entropy-quad-d1-weights": set_opt(O_METHOD, grid(QUAD)) + entropy(
        8, 1, smooth(8, 2), weights=bytes([1]) + bytes([0, 200, 40, 255, 10, 90, 0, 120]),
        pad=1, flags=RERUN),
    # AUTO with d = 2 (the one-in-32 case that keeps 2-D quadrature), 3 rows
    "entropy-auto-d2": entropy(3, 2, smooth(6, 3), d2_keep=True),
    # bounds on clustered rows (4 distinct among 24), d = 5
    "bounds-clustered": entropy(24, 5, smooth(20, 4), ndistinct=4, op=BOUNDS, flags=RERUN),
    # special values among the samples: NaN, infinities, subnormals, DBL_MAX
    "entropy-special-values": entropy(3, 2, [special("NAN"), grid(0.5), special("SUBMIN"),
                                             special("DBL_MAX"), special("-0"), special("1e300")],
                                      mode=1, d2_keep=True),
    # huge spread against beta: GCENT_ERANGE
    "entropy-spread-too-large": entropy(2, 1, [special("1e300"), special("-1e300")], mode=1,
                                        beta=bytes([200, 1, SPECIAL["1e-300"]])),
    # subnormal beta with identical rows: finite, h(Z) about -744 per coordinate
    "entropy-subnormal-beta": entropy(4, 1, [0x10] * 4, beta=bytes([200, 1, SPECIAL["SUBMIN"]])),
    # weights summing to 1 + 1.27e-9 (refused) and raw weights (refused)
    "entropy-weights-off": entropy(4, 1, smooth(4, 5), weights=bytes([2, 50, 50, 50, 50, 127]))
                           + entropy(3, 1, smooth(3, 6), weights=bytes([3]) + special("-1")
                                     + grid(1) + grid(1)),
    # mutual information, Monte Carlo, labels i % 3, m = 8, k = 3, d = 4
    "mi-mc-labels": set_opt(O_METHOD, grid(MC)) + mi(8, 3, 4, smooth(96, 7),
                                                     labels=bytes([2, 2]), flags=RERUN),
    # mutual information, quadrature, d = 1, extreme labels INT_MIN / INT_MAX
    "mi-quad-d1-extreme-labels": set_opt(O_METHOD, grid(QUAD)) + mi(
        5, 2, 1, smooth(10, 8), labels=bytes([4, 0, 1, 0, 1, 1, 0])),
    # binned MI with k = 4 draws and labels, iyt NULL in the second call
    "binned-mi": mi(6, 4, 2, smooth(48, 9), binned=True, flags=RERUN)
                 + mi(6, 4, 2, smooth(48, 9), binned=True, iyt_null=True),
    # binned entropy of tanh-like values with a far bin origin (GCENT_ERANGE)
    "binned-far-origin": set_opt(O_ORIGIN, special("-DBL_MAX"))
                         + bytes([BINNED]) + shape(10, 3) + samples(10, smooth(30, 10), mode=3)
                         + nice(0.1) + bytes([0]),
    # every option: out of range, not an integer, NaN, infinite, unknown ids
    "options-out-of-range": b"".join([
        set_opt(O_SEED, special("2^64")), set_opt(O_DRAWS, special("2^24+1")),
        set_opt(O_THREADS, grid(-1)), set_opt(O_LOG_BASE, special("1+eps")),
        set_opt(O_LOG_BASE, grid(1)), set_opt(O_METHOD, grid(3)), set_opt(O_METHOD, grid(1.5)),
        set_opt(O_ORIGIN, special("INF")), set_opt(O_QUAD_TOL, special("1e-300")),
        set_opt(O_SEED, special("NAN")), bytes([SET, 230]) + struct.pack("<i", 99) + grid(1),
        bytes([GET]) + struct.pack("<i", -5)]),
    "options-prune-out-of-range": b"".join([
        set_opt(O_PRUNE, grid(3)), set_opt(O_PRUNE, grid(1.5)), set_opt(O_PRUNE, grid(-1)),
        set_opt(O_PRUNE_TOL, special("1e-300")), set_opt(O_PRUNE_TOL, grid(0.5)),
        set_opt(O_PRUNE_TOL, special("SUBMIN")), set_opt(O_PRUNE_TOL, special("-0"))]),
    # sizes whose products overflow size_t, every function
    "overflow-sizes": b"".join(bytes([OVERFLOW, 0, 0, 0, v, 5, w]) for v, w in
                               [(0, 0), (1, 1), (2, 2), (0, 3), (1, 4), (2, 5)]),
    # NULL pointers and zero sizes, with and without a context
    "null-arguments-1": b"".join(bytes([NULLS, i, i % 4]) for i in range(8)),
    "null-arguments-2": b"".join(bytes([NULLS, i, i % 4]) for i in range(8, 16)),
    # progress callback that cancels at its first report, then Monte Carlo work
    "progress-cancel": set_opt(O_METHOD, grid(MC)) + bytes([PROGRESS, 2, 0])
                       + entropy(32, 8, smooth(256, 11)) + mi(8, 4, 3, smooth(96, 12)),
    # generator windows and the fixed-range helper
    "rng-fixed-range": bytes([RNG]) + grid(-1) + grid(1) + bytes([0, 30])
                       + bytes(range(16)) + bytes([1]) + bytes(range(100, 108)) + bytes([20])
                       + bytes(range(16)) + struct.pack("<i", -7),
    # log base 2, then a reset after errors, then work on the reset context
    "log-base-reset": set_opt(O_LOG_BASE, grid(2)) + entropy(5, 1, smooth(5, 13), flags=RAISE)
                      + bytes([NOISE, 0, 3]) + nice(0.5) + bytes([RESET])
                      + entropy(0 + 1, 1, [0]) + mi(3, 2, 2, smooth(12, 14), binned=True),
}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "corpus", "api")
    os.makedirs(outdir, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(outdir, "seed-" + name), "wb") as f:
            f.write(data)
    print(f"{len(SEEDS)} seeds written to {outdir}")


if __name__ == "__main__":
    main()
