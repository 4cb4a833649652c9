# bench/spatial.py: scipy / scikit-learn side of bench/spatial.lua.
import time
import numpy as np
from scipy.spatial import cKDTree
from sklearn.cluster import KMeans, DBSCAN

def best(f, reps=3):
    m = float("inf")
    for _ in range(reps):
        t = time.perf_counter(); f(); m = min(m, time.perf_counter() - t)
    return m * 1000

def result(case, ms): print("RESULT %s %.3f" % (case, ms))

dunes = np.vstack([np.loadtxt("data/lidar/dunes/floor.xyz"), np.loadtxt("data/lidar/dunes/vegetation.xyz")])

def eig(radii):
    # the course's method: a loop over points, one ball query and eigvalsh each
    t = cKDTree(dunes)
    for r in radii:
        for p in dunes:
            nb = t.query_ball_point(p, r)
            if len(nb) >= 3:
                np.linalg.eigvalsh(np.cov(dunes[nb].T))

result("eigenfeatures_r0.1_44677", best(lambda: eig([0.1]), 1))
result("eigenfeatures_3scales_44677", best(lambda: eig([0.05, 0.1, 0.5]), 1))
result("dbscan_dunes_eps0.008", best(lambda: DBSCAN(eps=0.008, min_samples=8).fit(dunes)))
P = np.load("bench/out/spatial_1M.npy")   # written by bench/spatial.lua
result("kdtree_build_1M", best(lambda: cKDTree(P)))
result("kdtree_build_query10_1M", best(lambda: cKDTree(P).query(P, k=10, workers=2), 2))
init = P[:8].copy()   # the same start as bench/spatial.lua
for algo in ("lloyd", "elkan"):
    result("kmeans_k8_1M_" + algo, best(lambda: KMeans(8, init=init, n_init=1, algorithm=algo).fit(P), 2))
