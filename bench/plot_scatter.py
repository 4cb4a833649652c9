# bench/plot_scatter.py: matplotlib (Agg) side of bench/plot_scatter.lua.
import time
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

def best(f, reps=5):
    m = float("inf")
    for _ in range(reps):
        t = time.perf_counter(); f(); m = min(m, time.perf_counter() - t)
    return m * 1000

def result(case, ms): print("RESULT %s %.3f" % (case, ms))

n = 1_000_000
rng = np.random.default_rng(0)
x, y = rng.normal(0, 1, n), rng.normal(0, 1, n)

def scatter():
    fig, ax = plt.subplots(figsize=(8, 6), dpi=100)
    ax.scatter(x, y, s=1, alpha=0.5)
    fig.savefig("bench/out/plot_scatter_mpl.png")
    plt.close(fig)
result("scatter_1M_800x600_png", best(scatter))

t = np.linspace(0, 100, n)
sig = np.sin(t) + rng.normal(0, 0.1, n)
def line():
    fig, ax = plt.subplots(figsize=(8, 6), dpi=100)
    ax.plot(t, sig, lw=0.5)
    fig.savefig("bench/out/plot_line_mpl.png")
    plt.close(fig)
result("line_1M_800x600_png", best(line))
