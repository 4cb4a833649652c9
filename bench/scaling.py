# bench/scaling.py: scipy / scikit-learn side of bench/scaling.lua, on the
# tiled clouds it saved (1, 4 and 16 copies of the dune cloud). The
# eigenfeatures are the course's per-point loop (cKDTree.query_ball_point and
# eigvalsh(cov) per point): it runs at 1x and 4x only, as 16x would take
# several minutes per round.
import os, time
import numpy as np
from scipy.spatial import cKDTree
from sklearn.cluster import DBSCAN

from common import quick, result, check, timer
best = timer(reps=3)
out = {}

def eig(P, r):
    t = cKDTree(P)
    l1 = 0.0
    for p in P:
        nb = t.query_ball_point(p, r)
        if len(nb) >= 3:
            l1 += np.linalg.eigvalsh(np.cov(P[nb].T))[-1]
    out["l1"] = l1

for g in ((1, 2) if quick else (1, 2, 4)):
    k = g * g
    P = np.load("bench/out/scaling_%dx.npy" % k)
    sfx = "_%dx" % k
    result("kdtree_build" + sfx, best(lambda: out.__setitem__("t", cKDTree(P))))
    t = out["t"]
    check("kdtree_build" + sfx, "sum_d2", t.query(P, k=2, workers=2)[0][:, 1].sum(), "rtol=1e-9")
    result("radius_count_r0.05" + sfx, best(lambda: out.__setitem__("c", t.query_ball_point(P, 0.05, workers=2, return_length=True))))
    check("radius_count_r0.05" + sfx, "neighbours", out["c"].sum())
    if k <= 4:
        result("eigenfeatures_r0.1" + sfx, best(lambda: eig(P, 0.1), 1))
        check("eigenfeatures_r0.1" + sfx, "sum_lambda1", out["l1"], "rtol=1e-9")
    result("dbscan_eps0.008" + sfx, best(lambda: out.__setitem__("db", DBSCAN(eps=0.008, min_samples=8).fit(P))))
    lab = out["db"].labels_
    check("dbscan_eps0.008" + sfx, "clusters", lab.max() + 1)
    check("dbscan_eps0.008" + sfx, "noise", (lab == -1).sum())
