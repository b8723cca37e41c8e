#!/usr/bin/python3
"""The NumPy/SciPy peer of libgcent's Monte Carlo estimators, for bench/bench.c.

Usage: peer.py WORKLOAD.bin THREADS REPEATS [clamp]

bench.c writes one workload to WORKLOAD.bin (format below): the samples, and
the very noise vectors the library draws for them (gcent_rng_normals with the
stream layout documented in gcent/entropy.h), so that both sides compute the
same estimator on the same draws. This script computes the estimate REPEATS
times, times each computation (time.perf_counter, computation only: the file
is read once before), and prints one line of key=value pairs on stdout:

    ht= ht_se= ixt= ixt_se= iyt= iyt_se= median= min= reps= threads= secs=t1,t2,...

(ixt/iyt are 0 for an entropy workload.) bench.c compares the estimate with
the library's and divides the timings.

With the optional 4th argument `clamp` (bench --peer-clamp) the peer is the
strongest we could write: the entropy's log-sum-exp is done in place instead
of by scipy.special.logsumexp (whose temporaries and checks cost up to 6x on
1 MiB blocks), and every exponent is raised to at least -700 below its row's
maximum before the exponential. That changes no result (the terms raised
are below e^-700 of the largest), but NumPy's exp is about 8x slower on
arguments below -745 (result 0) and 40x slower on -745 .. -708 (subnormal
results) than on normal ones, and on clustered data most arguments are
there. Without it (the default) the peer uses scipy.special.logsumexp and
no clamping, as published NumPy code does.

The implementation is what a careful NumPy user writes (written for this
project from the formulas of gcent/entropy.h and gcent/mi.h):
- coordinates centred on the per-coordinate midrange and divided by beta, so
  every component is N(u_j, I);
- blocked: B queries at a time against all n centres, the exponents
  -|q - u_j|^2 / 2 = q.u_j - |q|^2/2 - |u_j|^2/2 from one matrix product
  (BLAS), never a queries x centres matrix;
- entropy: scipy.special.logsumexp over each block's rows;
- layer MI: one exp per pair, exp(E - rowmax), then the sums over all
  centres, the centres of each class (one product with the n x classes
  indicator matrix) and the k centres of the query's own input (a gather):
  R^T, R^Y, R^X of gcent/mi.h from the same exponentials;
- THREADS Python threads run the blocks (NumPy releases the GIL in BLAS and
  in its ufuncs, so they run in parallel); BLAS itself single-threaded
  (OPENBLAS_NUM_THREADS=1 etc., set below before NumPy is imported) so the
  two levels do not oversubscribe the cores. Results are assembled in block
  order: deterministic for any thread count.

The estimator, exactly as the library's Monte Carlo path (uniform weights
1/n; query (row i, draw r) is t = u_i + z_ir in scaled coordinates):

    L_ir = log sum_j exp(-|t - u_j|^2 / 2) + |z_ir|^2 / 2      (= log R_i(z_ir))
    h    = (d/2) log(2 pi e) + d log(beta) + log n - mean_{i,r} L_ir

i.e. the self term's |z|^2/2 is replaced by its mean d/2 (integrated exactly),
not the plain -mean log g(t). The standard error follows gcent__mc_reduce:
sqrt(sum_i w_i^2 v_i / k) with v_i the sample variance of row i's k values;
with k = 1 the leave-one-out rule sqrt(sum_i w_i^2 (L_i - e_{-i})^2).
For the layer MI (m inputs, k rows each, rows i*k .. i*k+k-1 of input i):

    h(T)   = (d/2) log(2 pi e) + d log(beta) + log(m k) - mean log R^T
    I(X;T) = log m - mean log(R^T / R^X),   I(Y;T) = H(Y) - mean log(R^T / R^Y)

Input file (little-endian): 8 int64 -- magic 0x3148434e45424347 (the bytes
"GCBENCH1"), kind (0 entropy, 1 layer MI), n rows, d, draws,
m inputs, k rows per input (n = m k; m = n, k = 1 for entropy), reserved 0 --
then float64 beta, n*d float64 samples (row-major), draws*n*d float64 noise
(draw-major: z[r][i][:]), and for kind 1 m int32 labels.
"""
import os
import sys

if __name__ == "__main__":
    # before NumPy is imported: the BLAS pool would otherwise fight our threads
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                "BLIS_NUM_THREADS"):
        os.environ[var] = "1"

import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy.special import logsumexp

MAGIC = 0x3148434E45424347
LN2PI = np.log(2.0 * np.pi)
BLOCK_ELEMS = 1 << 17  # doubles per block of exponents (1 MiB: stays in L2)
CLAMP = -700.0         # lowest exponent (relative to the row maximum) with `clamp`


def read_workload(path):
    with open(path, "rb") as f:
        hdr = np.fromfile(f, dtype="<i8", count=8)
        if hdr.size != 8 or int(hdr[0]) != MAGIC:
            raise ValueError(f"{path}: not a bench workload file")
        kind, n, d, draws, m, k = (int(v) for v in hdr[1:7])
        beta = float(np.fromfile(f, dtype="<f8", count=1)[0])
        s = np.fromfile(f, dtype="<f8", count=n * d).reshape(n, d)
        z = np.fromfile(f, dtype="<f8", count=draws * n * d).reshape(draws, n, d)
        labels = np.fromfile(f, dtype="<i4", count=m) if kind == 1 else None
    if s.shape != (n, d) or z.shape != (draws, n, d) or n != m * k or \
            (kind == 1 and labels.size != m):
        raise ValueError(f"{path}: truncated")
    return kind, beta, s, z, m, k, labels


def scaled(s, beta):
    """(s - midrange) / beta, as the library centres its mixture."""
    c = 0.5 * s.min(axis=0) + 0.5 * s.max(axis=0)
    return (s - c) / beta


def mc_reduce(vals):
    """vals: draws x n values of one summand (uniform weights 1/n). Returns
    (E, se) with E = mean, se by the library's rule."""
    draws, n = vals.shape
    w = 1.0 / n
    mean = vals.mean(axis=0)
    e = w * mean.sum()
    if draws > 1:
        var = (w * w / draws) * vals.var(axis=0, ddof=1).sum()
    elif n > 1:
        dev = mean - (e - w * mean) / (1.0 - w)
        var = (w * w) * (dev * dev).sum()
    else:
        var = 0.0
    return e, np.sqrt(max(var, 0.0))


def blocks(nq, n):
    b = max(1, min(nq, BLOCK_ELEMS // n))
    return [(a, min(nq, a + b)) for a in range(0, nq, b)]


def exponents(q, u, hu):
    """E[a, j] = -|q_a - u_j|^2 / 2 for a block of queries."""
    e = q @ u.T
    e -= hu
    e -= 0.5 * np.einsum("ij,ij->i", q, q)[:, None]
    return e


def clamped_exp_sum(e):
    """Row maxima and sums of exp(max(e - max, -700)), in place in e."""
    mx = e.max(axis=1)
    e -= mx[:, None]
    np.maximum(e, CLAMP, out=e)
    np.exp(e, out=e)
    return mx


def entropy_run(u, z, pool, clamp):
    draws, n, d = z.shape
    q = (u[None, :, :] + z).reshape(draws * n, d)
    hu = 0.5 * np.einsum("ij,ij->i", u, u)

    def one(ab):
        a, b = ab
        e = exponents(q[a:b], u, hu)
        if not clamp:
            return logsumexp(e, axis=1)
        mx = clamped_exp_sum(e)
        return np.log(e.sum(axis=1)) + mx

    lse = np.concatenate(list(pool.map(one, blocks(draws * n, n))))
    vals = lse.reshape(draws, n) + 0.5 * np.einsum("rij,rij->ri", z, z)
    return mc_reduce(vals)


def mi_run(u, z, m, k, labels, pool, clamp):
    draws, n, d = z.shape
    classes, cls_of_input = np.unique(labels, return_inverse=True)
    cls_of_row = np.repeat(cls_of_input, k)
    onehot = np.zeros((n, classes.size))
    onehot[np.arange(n), cls_of_row] = 1.0
    # the k centres of each row's own input
    own = (np.arange(n) // k * k)[:, None] + np.arange(k)[None, :]
    q = (u[None, :, :] + z).reshape(draws * n, d)
    hu = 0.5 * np.einsum("ij,ij->i", u, u)

    def one(ab):
        a, b = ab
        e = exponents(q[a:b], u, hu)
        if clamp:
            mx = clamped_exp_sum(e)
        else:
            mx = e.max(axis=1)
            e -= mx[:, None]
            np.exp(e, out=e)
        rows = np.arange(a, b) % n
        sy_all = e @ onehot
        st = sy_all.sum(axis=1)
        sy = sy_all[np.arange(b - a), cls_of_row[rows]]
        sx = np.take_along_axis(e, own[rows], axis=1).sum(axis=1)
        return np.log(st) + mx, np.log(st / sx), np.log(st / sy)

    parts = list(pool.map(one, blocks(draws * n, n)))
    z2 = 0.5 * np.einsum("rij,rij->ri", z, z)
    lt = np.concatenate([p[0] for p in parts]).reshape(draws, n) + z2
    lx = np.concatenate([p[1] for p in parts]).reshape(draws, n)
    ly = np.concatenate([p[2] for p in parts]).reshape(draws, n)
    counts = np.bincount(cls_of_input).astype(float) / m
    hy = float(-(counts * np.log(counts)).sum())
    return mc_reduce(lt), mc_reduce(lx), mc_reduce(ly), hy


def main(argv):
    if len(argv) not in (4, 5) or (len(argv) == 5 and argv[4] != "clamp"):
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    path, threads, reps = argv[1], int(argv[2]), int(argv[3])
    clamp = len(argv) == 5
    kind, beta, s, z, m, k, labels = read_workload(path)
    draws, n, d = z.shape
    hz = 0.5 * d * (LN2PI + 1.0) + d * np.log(beta)
    times = []
    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        for _ in range(reps):
            t0 = time.perf_counter()
            u = scaled(s, beta)
            if kind == 0:
                e, se = entropy_run(u, z, pool, clamp)
                res = (hz + np.log(n) - e, se, 0.0, 0.0, 0.0, 0.0)
            else:
                (et, st), (ex, sx), (ey, sy), hy = mi_run(u, z, m, k, labels, pool, clamp)
                res = (hz + np.log(n) - et, st, np.log(m) - ex, sx, hy - ey, sy)
            times.append(time.perf_counter() - t0)
    med = float(np.median(times))
    print("ht=%.17g ht_se=%.17g ixt=%.17g ixt_se=%.17g iyt=%.17g iyt_se=%.17g "
          "median=%.9g min=%.9g reps=%d threads=%d clamp=%d secs=%s"
          % (res + (med, min(times), reps, threads, int(clamp),
                    ",".join("%.6f" % t for t in times))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
