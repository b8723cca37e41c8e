#!/usr/bin/python3
"""The PyTorch peer of libgcent's Monte Carlo estimators, for bench/bench.c.

Usage: peer_torch.py WORKLOAD.bin THREADS REPEATS DTYPE      (DTYPE: 32 or 64)

The same estimator on the same draws as bench/peer.py (whose workload reader
and reduction it uses: the file format and the formulas are documented
there), written as a careful PyTorch user on the CPU writes it, in float32
or float64: blocks of queries against all centres, the exponents
q.u - |u|^2/2 - |q|^2/2 from one matrix product per block (torch.addmm with
the broadcast norms was 6-9x slower than the product and two in-place
subtractions here), torch.logsumexp for the entropy, one exp per pair and
the sums over all centres, the query's class (a product with the class
indicator matrix) and its input (a gather) for the layer MI. As peer.py,
THREADS Python threads run the blocks, each torch operation on one thread
(torch releases the GIL inside its operations): torch's own OpenMP threads
(torch.set_num_threads(2)) ran 10-20 times slower on this shared 2-core
machine, spinning while the other core was busy. The per-query values are
reduced in float64 by peer.py's rule. It prints, like peer.py, one line:

    ht= ht_se= ixt= ixt_se= iyt= iyt_se= median= min= reps= threads= dtype= secs=...

bench.c reports its times and its difference from the library; it judges
nothing (float32 differs from the library's double by far more than 1e-9).
"""
import os
import sys

if __name__ == "__main__":
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"

import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer import LN2PI, mc_reduce, read_workload, scaled  # noqa: E402

BLOCK_ELEMS = 1 << 18  # exponents per block (1 or 2 MiB); 2^16 .. 2^20 measured alike here


def blocks(nq, n):
    b = max(1, min(nq, BLOCK_ELEMS // n))
    return [(a, min(nq, a + b)) for a in range(0, nq, b)]


def exponents(q, u, hu):
    """-|q_a - u_j|^2 / 2 for a block of queries, as q.u - |u|^2/2 - |q|^2/2."""
    e = q @ u.T
    e -= hu
    e -= 0.5 * (q * q).sum(dim=1, keepdim=True)
    return e


def entropy_run(u, z, dtype, pool):
    draws, n, d = z.shape
    U = torch.from_numpy(u).to(dtype)
    Q = torch.from_numpy((u[None, :, :] + z).reshape(draws * n, d)).to(dtype)
    hu = 0.5 * (U * U).sum(dim=1)
    lse = torch.empty(draws * n, dtype=dtype)

    def one(ab):
        a, b = ab
        lse[a:b] = torch.logsumexp(exponents(Q[a:b], U, hu), dim=1)

    list(pool.map(one, blocks(draws * n, n)))
    vals = lse.double().numpy().reshape(draws, n) + 0.5 * np.einsum("rij,rij->ri", z, z)
    return mc_reduce(vals)


def mi_run(u, z, m, k, labels, dtype, pool):
    draws, n, d = z.shape
    classes, cls_of_input = np.unique(labels, return_inverse=True)
    cls_of_row = torch.from_numpy(np.repeat(cls_of_input, k))
    onehot = torch.zeros((n, classes.size), dtype=dtype)
    onehot[torch.arange(n), cls_of_row] = 1.0
    own = (torch.arange(n) // k * k)[:, None] + torch.arange(k)[None, :]
    U = torch.from_numpy(u).to(dtype)
    Q = torch.from_numpy((u[None, :, :] + z).reshape(draws * n, d)).to(dtype)
    hu = 0.5 * (U * U).sum(dim=1)
    lt = torch.empty(draws * n, dtype=dtype)
    lx = torch.empty_like(lt)
    ly = torch.empty_like(lt)

    def one(ab):
        a, b = ab
        e = exponents(Q[a:b], U, hu)
        mx = e.max(dim=1).values
        e = torch.exp(e - mx[:, None])
        rows = torch.arange(a, b) % n
        sy_all = e @ onehot
        st = sy_all.sum(dim=1)
        sy = sy_all[torch.arange(b - a), cls_of_row[rows]]
        sx = torch.gather(e, 1, own[rows]).sum(dim=1)
        lt[a:b] = torch.log(st) + mx
        lx[a:b] = torch.log(st / sx)
        ly[a:b] = torch.log(st / sy)

    list(pool.map(one, blocks(draws * n, n)))
    z2 = 0.5 * np.einsum("rij,rij->ri", z, z)
    counts = np.bincount(cls_of_input).astype(float) / m
    hy = float(-(counts * np.log(counts)).sum())
    return (mc_reduce(lt.double().numpy().reshape(draws, n) + z2),
            mc_reduce(lx.double().numpy().reshape(draws, n)),
            mc_reduce(ly.double().numpy().reshape(draws, n)), hy)


def main(argv):
    if len(argv) != 5 or argv[4] not in ("32", "64"):
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    path, threads, reps = argv[1], int(argv[2]), int(argv[3])
    dtype = torch.float32 if argv[4] == "32" else torch.float64
    torch.set_num_threads(1)
    kind, beta, s, z, m, k, labels = read_workload(path)
    draws, n, d = z.shape
    hz = 0.5 * d * (LN2PI + 1.0) + d * np.log(beta)
    times = []
    with torch.no_grad(), ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        for _ in range(reps):
            t0 = time.perf_counter()
            u = scaled(s, beta)
            if kind == 0:
                e, se = entropy_run(u, z, dtype, pool)
                res = (hz + np.log(n) - e, se, 0.0, 0.0, 0.0, 0.0)
            else:
                (et, st), (ex, sx), (ey, sy), hy = mi_run(u, z, m, k, labels, dtype, pool)
                res = (hz + np.log(n) - et, st, np.log(m) - ex, sx, hy - ey, sy)
            times.append(time.perf_counter() - t0)
    print("ht=%.17g ht_se=%.17g ixt=%.17g ixt_se=%.17g iyt=%.17g iyt_se=%.17g "
          "median=%.9g min=%.9g reps=%d threads=%d dtype=%s secs=%s"
          % (res + (float(np.median(times)), min(times), reps, threads, argv[4],
                    ",".join("%.6f" % t for t in times))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
