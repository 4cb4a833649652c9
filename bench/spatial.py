# bench/spatial.py: scipy / scikit-learn side of bench/spatial.lua (same
# CHECK lines).
import os, time
import numpy as np
from scipy.spatial import cKDTree
from sklearn.cluster import KMeans, DBSCAN

from common import quick, result, check, timer
best = timer(reps=3)

dunes = np.vstack([np.loadtxt("data/lidar/dunes/floor.xyz"), np.loadtxt("data/lidar/dunes/vegetation.xyz")])
out = {}

def eig(radii):
    # the course's method: a loop over points, one ball query and eigvalsh each
    # (plus three sums, for the checks)
    t = cKDTree(dunes)
    stats = []
    for r in radii:
        valid, nbs, l1 = 0, 0, 0.0
        for p in dunes:
            nb = t.query_ball_point(p, r)
            nbs += len(nb)
            if len(nb) >= 3:
                valid += 1
                l1 += np.linalg.eigvalsh(np.cov(dunes[nb].T))[-1]
        stats.append((r, valid, nbs, l1))
    out["eig"] = stats

def check_eig(case):
    for r, valid, nbs, l1 in out["eig"]:
        check(case, "valid_%g" % r, valid)
        check(case, "neighbours_%g" % r, nbs)
        check(case, "sum_lambda1_%g" % r, l1, "rtol=1e-9")

result("eigenfeatures_r0.1_44677", best(lambda: eig([0.1]), 1))
check_eig("eigenfeatures_r0.1_44677")
if not quick:
    result("eigenfeatures_3scales_44677", best(lambda: eig([0.05, 0.1, 0.5]), 1))
    check_eig("eigenfeatures_3scales_44677")
result("dbscan_dunes_eps0.008", best(lambda: out.__setitem__("db", DBSCAN(eps=0.008, min_samples=8).fit(dunes))))
lab = out["db"].labels_
member = lab >= 0
check("dbscan_dunes_eps0.008", "clusters", lab.max() + 1)
check("dbscan_dunes_eps0.008", "noise", (lab == -1).sum())
check("dbscan_dunes_eps0.008", "label_checksum", ((lab + 1) * np.arange(1, len(lab) + 1))[member].sum())

P = np.load("bench/out/spatial_1M.npy")   # written by bench/spatial.lua
result("kdtree_build_1M", best(lambda: out.__setitem__("t", cKDTree(P))))
d2, _ = out["t"].query(P[:1000], k=2)
check("kdtree_build_1M", "sum_d2_first1000", d2[:, 1].sum(), "rtol=1e-12")
result("kdtree_build_query10_1M", best(lambda: out.__setitem__("q", cKDTree(P).query(P, k=10, workers=2)), 2))
d, i = out["q"]
check("kdtree_build_query10_1M", "sum_distances", d.sum(), "rtol=1e-12")
check("kdtree_build_query10_1M", "index_checksum", i.sum())
init = P[:8].copy()   # the same start as bench/spatial.lua
for algo in ("lloyd", "elkan"):
    result("kmeans_k8_1M_" + algo, best(lambda: out.__setitem__("km", KMeans(8, init=init, n_init=1, algorithm=algo).fit(P)), 2))
    check("kmeans_k8_1M_" + algo, "n_iter", out["km"].n_iter_)
    check("kmeans_k8_1M_" + algo, "inertia", out["km"].inertia_, "rtol=1e-9")
