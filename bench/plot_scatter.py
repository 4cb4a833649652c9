# bench/plot_scatter.py: matplotlib (Agg) side of bench/plot_scatter.lua.
import os, struct, time
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from common import quick, result, timer
best = timer(reps=5)

def check_png(case, path):   # as bench/plot_scatter.lua's
    with open(path, "rb") as f:
        w, h = struct.unpack(">II", f.read(24)[16:24])
    print("CHECK %s png_width %d" % (case, w))
    print("CHECK %s png_height %d" % (case, h))

n = 1_000_000
rng = np.random.default_rng(0)
x, y = rng.normal(0, 1, n), rng.normal(0, 1, n)

def scatter():
    fig, ax = plt.subplots(figsize=(8, 6), dpi=100)
    ax.scatter(x, y, s=1, alpha=0.5)
    fig.savefig("bench/out/plot_scatter_mpl.png")
    plt.close(fig)
result("scatter_1M_800x600_png", best(scatter))
check_png("scatter_1M_800x600_png", "bench/out/plot_scatter_mpl.png")

t = np.linspace(0, 100, n)
sig = np.sin(t) + rng.normal(0, 0.1, n)
def line():
    fig, ax = plt.subplots(figsize=(8, 6), dpi=100)
    ax.plot(t, sig, lw=0.5)
    fig.savefig("bench/out/plot_line_mpl.png")
    plt.close(fig)
result("line_1M_800x600_png", best(line))
check_png("line_1M_800x600_png", "bench/out/plot_line_mpl.png")
