# bench/volcano_features.py: NumPy/SciPy side of bench/volcano_features.lua, on
# the traces and spans it saved: the practical's 14 features
# (data/volcano/check_sklearn.py) for each window in a Python loop, as the
# course computes them. Checks its features against geolab's: a VERIFIED line
# for bench/run.sh when they agree, an error when they differ.
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "data", "volcano"))
from check_sklearn import features  # noqa: E402

traces = np.load("bench/out/volcano_traces.npy")
spans = np.load("bench/out/volcano_spans.npy")
want = np.load("bench/out/volcano_features.npy")
nwin = len(want)

X = np.zeros((nwin, 14))
t0 = time.perf_counter()
for w in range(nwin):
    k = w % len(traces)
    X[w] = features(traces[k].astype(np.float64), spans[k, 0] - 1, spans[k, 1])
ms = (time.perf_counter() - t0) * 1000
print("RESULT features_%d_windows_8192 %.3f" % (nwin, ms))
err = (np.abs(X - want) / np.maximum(np.abs(want), 1e-300)).max()
if not err <= 1e-9:
    raise SystemExit("bench/volcano_features.py: features differ from geolab's (%.2e)" % err)
print("VERIFIED features_%d_windows_8192 features %dx%d features, max relative |geolab-numpy/scipy|=%.1e<=1e-9"
      % (nwin, nwin, X.shape[1], err))
