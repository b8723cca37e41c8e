#!/usr/bin/env python3
"""torch_infoplane: the information plane of a noisy tanh network trained in
PyTorch, measured with gcent (Goldfeld et al., ICML 2019), on the 12-bit data
set of Shwartz-Ziv & Tishby (2017).

The network is 12-10-7-5-4-3-2: tanh hidden layers whose every output gets
N(0, beta^2) noise, in training and in measurement, and a softmax output,
trained by Adam on a random 80% of the 4096 patterns. At log-spaced epochs
forward hooks collect every hidden layer's S_l (its value before its own
noise) over k noisy passes of all inputs, and gcent.mi_layer gives the layer's
I(X;T_l) and I(Y;T_l). Writes torch_infoplane.csv (the columns of
examples/noisy_mlp's CSV) and infoplane.png, the picture noisy_mlp draws.

    python3 torch_infoplane.py --out DIR [--epochs 3000 --points 50 --k 8]

Needs python3-torch, python3-numpy, the gcent package (make install) and
gnuplot for the picture. The helpers are in infoplane_helpers.py; the
training loop below is all a study needs to copy.
"""

import argparse
import os
import sys
import time

import torch
from torch import nn

import gcent
import infoplane_helpers as helpers
import szt12


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--arch", default="12-10-7-5-4-3-2", help="layer sizes, inputs first")
    p.add_argument("--beta", type=float, default=0.1, help="noise standard deviation")
    p.add_argument("--epochs", type=int, default=3000)
    p.add_argument("--points", type=int, default=50, help="log-spaced measurement epochs")
    p.add_argument("--k", type=int, default=8, help="noisy passes per input (layers > 1)")
    p.add_argument("--draws", type=int, default=1, help="Monte Carlo draws per sample")
    p.add_argument("--lr", type=float, default=0.001, help="Adam learning rate")
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--width", type=float, default=None,
                   help="bin width of H(Bin(T_l)) of the noise-free pass (default: beta)")
    p.add_argument("--seed", type=int, default=1, help="seed of torch and of gcent")
    p.add_argument("--threads", type=int, default=0, help="gcent threads, 0 = all cores")
    p.add_argument("--data", help="CSV with the header x1,...,x12,y (default: generated set)")
    p.add_argument("--out", default="torch_infoplane_out", help="output folder")
    a = p.parse_args()
    try:
        a.sizes = [int(v) for v in a.arch.split("-")]
    except ValueError:
        p.error("--arch: sizes separated by '-', such as 12-10-7-5-4-3-2")
    if len(a.sizes) < 3 or a.sizes[0] != 12 or min(a.sizes) < 1 or a.sizes[-1] < 2:
        p.error("--arch: 12 inputs first, at least one hidden layer, >= 2 classes last")
    if a.epochs < 1 or a.points < 1 or a.k < 1 or a.draws < 1 or a.batch < 1:
        p.error("--epochs, --points, --k, --draws and --batch must be >= 1")
    if not a.beta > 0 or not a.lr > 0:
        p.error("--beta and --lr must be > 0")
    a.width = a.beta if a.width is None else a.width
    return a


def evaluate(model, loss_fn, x, y):
    """Loss and accuracy of one noisy pass."""
    with torch.no_grad():
        logits = model(x)
        return loss_fn(logits, y).item(), (logits.argmax(1) == y).double().mean().item()


def main():
    a = parse_args()
    torch.manual_seed(a.seed)
    xs, ys = szt12.read_csv(a.data) if a.data else szt12.generate()
    if ys.max() >= a.sizes[-1]:
        sys.exit("torch_infoplane: label %d needs more output units" % ys.max())
    x, y = torch.tensor(xs, dtype=torch.float32), torch.tensor(ys)
    order = torch.randperm(len(y))
    test, train = order[: len(y) // 5], order[len(y) // 5:]

    model = helpers.noisy_mlp(a.sizes, a.beta)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    loss_fn = nn.CrossEntropyLoss()
    ctx = gcent.Context(seed=a.seed, threads=a.threads)
    hy = helpers.entropy_of_labels(ys)
    when = set(helpers.log_epochs(a.epochs, a.points))

    os.makedirs(a.out, exist_ok=True)
    csv = open(os.path.join(a.out, "torch_infoplane.csv"), "w")
    csv.write(helpers.CSV_HEADER)
    history, t0 = [], time.time()
    print("torch_infoplane: %s network, beta %g, %d epochs, %d points, k = %d, H(Y) = %.4f"
          % (a.arch, a.beta, a.epochs, len(when), a.k, hy))
    plans = {}  # one gcent plan per layer, made at the first measurement
    for epoch in range(1, a.epochs + 1):
        model.train()
        for batch in train[torch.randperm(len(train))].split(a.batch):
            opt.zero_grad()
            loss_fn(model(x[batch]), y[batch]).backward()
            opt.step()
        if epoch not in when:
            continue
        # ---- the information plane: k noisy passes of ALL inputs, every hidden layer
        points = helpers.measure(model, x, ys, a.beta, a.k, ctx, a.draws, a.width, plans)
        losses = evaluate(model, loss_fn, x[train], y[train]) + \
            evaluate(model, loss_fn, x[test], y[test])
        csv.writelines(helpers.csv_rows(epoch, points, a.sizes, losses))
        csv.flush()
        history.append((epoch, points))
        print("epoch %5d  loss %.4f  acc %.3f/%.3f  I(X;T_l) %s  (%.0f s)" % (
            epoch, losses[0], losses[1], losses[3],
            " ".join("%.2f" % r.ixt.value for r, _ in points), time.time() - t0), flush=True)
    csv.close()

    subtitle = "%s network, {/Symbol b} = %g, Adam lr %g, batch %d, k = %d, seed %d, %s data, " \
        "PyTorch" % (a.arch, a.beta, a.lr, a.batch, a.k, a.seed,
                     "CSV" if a.data else "generated 12-bit")
    plotted = helpers.plot_infoplane(a.out, history, a.sizes, len(ys), hy, subtitle)
    print("wrote %s/torch_infoplane.csv%s" % (a.out, ", infoplane.png" if plotted else
                                              " (install gnuplot for infoplane.png)"))


if __name__ == "__main__":
    main()
