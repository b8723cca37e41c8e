"""Helpers of torch_infoplane.py: the noisy network as a PyTorch module, the
forward hooks that collect each hidden layer's S_l over k noisy passes, the
information-plane measurement with gcent, and the CSV and gnuplot output.

Copy this file next to your training script; measure() is the one call a
training loop needs (see torch_infoplane.py).
"""

import contextlib
import math
import shutil
import subprocess

import numpy as np
import torch
from torch import nn

import gcent


class GaussianNoise(nn.Module):
    """T = S + beta Z, Z ~ N(0, I) fresh for every unit, input and pass, in
    training and in evaluation alike (the noise is part of the network)."""

    def __init__(self, beta):
        super().__init__()
        self.beta, self.enabled = beta, True

    def forward(self, s):
        return s + self.beta * torch.randn_like(s) if self.enabled else s


def noisy_mlp(sizes, beta):
    """sizes = [d_0, .., d_L]: Linear + tanh + noise for every hidden layer,
    a Linear output (the softmax is in the loss). Glorot-normal weights, zero
    biases, as support/mlp.h."""
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        lin = nn.Linear(a, b)
        nn.init.xavier_normal_(lin.weight)
        nn.init.zeros_(lin.bias)
        layers.append(lin)
        if i < len(sizes) - 2:
            layers += [nn.Tanh(), GaussianNoise(beta)]
    return nn.Sequential(*layers)


@contextlib.contextmanager
def noise_off(model):
    """The deterministic counterpart of the network (noise removed)."""
    noises = [m for m in model.modules() if isinstance(m, GaussianNoise)]
    for m in noises:
        m.enabled = False
    try:
        yield model
    finally:
        for m in noises:
            m.enabled = True


def layer_samples(model, x, k):
    """S_l = tanh(W_l T_{l-1} + b_l), the hidden layers' values BEFORE their own
    noise, over k noisy passes of all m inputs, collected by forward hooks on
    the tanh modules: one (m, k, d_l) float32 array per hidden layer (the
    network's own values, no float64 copy), the layout gcent.mi_layer
    takes."""
    acts = [m for m in model.modules() if isinstance(m, nn.Tanh)]
    got = [[] for _ in acts]
    hooks = [m.register_forward_hook(lambda mod, inp, out, l=l: got[l].append(out.detach()))
             for l, m in enumerate(acts)]
    try:
        with torch.no_grad():
            for _ in range(k):
                model(x)
    finally:
        for h in hooks:
            h.remove()
    return [torch.stack(g, dim=1).numpy() for g in got]


def measure(model, x, y, beta, k, ctx, draws=1, width=None, plans=None):
    """The information-plane point of every hidden layer: a list of
    (gcent.LayerMI, H(Bin(T_l)) of the noise-free pass or None).

    Layer 1 is a function of x (S_1 = tanh(W_1 x + b_1)), so it is measured
    with k = 1 (h(T_1 | X) is then exact) and k times the draws; deeper layers
    with all k passes per input (fresh noise in the layers below).

    plans: a dict kept between calls (start with {}); each layer's plan is
    made at the first call and executed on the float32 activations at every
    later one (the same bits as gcent.mi_layer, without its per-call setup)."""
    samples = layer_samples(model, x, k)
    if width is not None:
        with noise_off(model):
            clean = layer_samples(model, x, 1)
    out = []
    plans = {} if plans is None else plans
    for l, s in enumerate(samples):
        if l == 0:
            s = s[:, :1]
        if l not in plans:
            plans[l] = gcent.plan_mi_layer(*s.shape, beta, labels=y, ctx=ctx,
                                           draws=k * draws if l == 0 else draws)
        r = plans[l].execute(s)
        hb = gcent.binned_entropy(clean[l][:, 0], width, ctx=ctx) if width else None
        out.append((r, hb))
    return out


def log_epochs(epochs, points):
    """round(E^(j/(P-1))), j = 0..P-1, without repeats (as noisy_mlp)."""
    if points <= 1:
        return [epochs]
    return sorted({min(epochs, max(1, int(math.floor(epochs ** (j / (points - 1)) + 0.5))))
                   for j in range(points)})


def entropy_of_labels(y):
    """H(Y) in nats of the empirical label distribution."""
    _, counts = np.unique(np.asarray(y), return_counts=True)
    p = counts / counts.sum()
    return float(-(p * np.log(p)).sum())


CSV_HEADER = ("epoch,layer,units,ixt,ixt_se,iyt,iyt_se,ht,ht_se,hbin,train_loss,train_acc,"
              "test_loss,test_acc\n")


def csv_rows(epoch, points, sizes, losses):
    """Lines of the CSV (the columns of noisy_mlp.csv) for one measured epoch."""
    lines = []
    for l, (r, hb) in enumerate(points, start=1):
        lines.append("%d,%d,%d,%.8f,%.3g,%.8f,%.3g,%.8f,%.3g,%s,%.6f,%.6f,%.6f,%.6f\n" % (
            epoch, l, sizes[l], r.ixt.value, r.ixt.se, r.iyt.value, r.iyt.se, r.ht.value,
            r.ht.se, "%.8f" % hb if hb is not None else "nan", *losses))
    return lines


def plot_infoplane(outdir, history, sizes, m, hy, subtitle):
    """infoplane.dat (one block per layer: epoch, I(X;T), se, I(Y;T), se), the
    gnuplot script infoplane.gp and, when gnuplot is installed, infoplane.png:
    the picture of examples/noisy_mlp (layers as lines, points coloured by
    epoch, the first epoch circled, ln m and H(Y) marked). history is a list
    of (epoch, points) with points as measure() returns them."""
    nh = len(sizes) - 2
    with open("%s/infoplane.dat" % outdir, "w") as f:
        for l in range(nh):
            f.write("# layer %d (%d units): epoch ixt se iyt se\n" % (l + 1, sizes[l + 1]))
            for epoch, points in history:
                r = points[l][0]
                f.write("%d %.6f %.3g %.6f %.3g\n" % (epoch, r.ixt.value, r.ixt.se,
                                                      r.iyt.value, r.iyt.se))
            f.write("\n\n")
    emax = max(e for e, _ in history)
    script = GNUPLOT % dict(nh=nh, sizes=" ".join(str(d) for d in sizes[1:-1]), lnm=math.log(m),
                            hy=hy, emax=max(emax, 2), subtitle=subtitle)
    with open("%s/infoplane.gp" % outdir, "w") as f:
        f.write(script)
    if shutil.which("gnuplot") is None:
        return False
    return subprocess.run(["gnuplot", "infoplane.gp"], cwd=outdir).returncode == 0


GNUPLOT = r"""# gnuplot script written by torch_infoplane.py; run it in this folder: gnuplot infoplane.gp
cairo = strstrt(GPVAL_TERMINALS, 'pngcairo') > 0
term(w, h) = cairo ? sprintf("set terminal pngcairo size %%d,%%d font ',11' enhanced", w, h) : sprintf("set terminal png size %%d,%%d enhanced", w, h)
NH = %(nh)d
sizes = '%(sizes)s'
lnm = %(lnm).10f
HY = %(hy).10f
EMAX = %(emax)d
subtitle = '%(subtitle)s'
set linetype 1 lc rgb '#0072b2' lw 2 pt 7
set linetype 2 lc rgb '#e69f00' lw 2 pt 5
set linetype 3 lc rgb '#009e73' lw 2 pt 9
set linetype 4 lc rgb '#cc79a7' lw 2 pt 11
set linetype 5 lc rgb '#d55e00' lw 2 pt 13
set linetype 6 lc rgb '#56b4e9' lw 2 pt 15
set linetype 7 lc rgb '#000000' lw 2 pt 3
set linetype cycle 7
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set grid lc rgb '#dddddd'
D = 'infoplane.dat'
eval term(1000, 720)
set output 'infoplane.png'
set title "Information plane of the noisy network (colour: epoch)\n" . subtitle
set xlabel 'I(X;T_l)  [nats]'
set ylabel 'I(Y;T_l)  [nats]'
set logscale cb
set cbrange [1:EMAX]
set cblabel 'epoch'
set xrange [0:lnm * 1.08]
set yrange [0:HY * 1.12]
set key outside bottom center horizontal maxrows 2 box
set arrow 1 from lnm, graph 0 to lnm, graph 1 nohead dt 2 lw 1.5 lc rgb 'gray40'
plot for [l=1:NH] D index (l-1) using 2:4 with lines lt l lw 1.5 notitle, \
     for [l=1:NH] D index (l-1) using 2:4:1 with points pt 7 ps 1.1 lc palette notitle, \
     for [l=1:NH] D index (l-1) using 2:4 every ::0::0 with points pt 6 ps 1.8 lc rgb 'black' notitle, \
     for [l=1:NH] 1/0 with linespoints lt l pt 7 title sprintf('layer %%d (%%s units)', l, word(sizes, l)), \
     1/0 with points pt 6 ps 1.8 lc rgb 'black' title 'first epoch', \
     1/0 dt 2 lw 1.5 lc rgb 'gray40' title sprintf('ln m = %%.3f', lnm), \
     HY dt 3 lw 1.5 lc rgb 'gray40' title sprintf('H(Y) = %%.3f', HY)
"""
