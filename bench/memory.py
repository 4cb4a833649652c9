# bench/memory.py: Python side of bench/memory.lua: the peak resident memory
# (VmHWM) of a fresh python3 doing one of the main cases, with the same
# CHECK values, on the files the other cases wrote to bench/out/.
import subprocess
import sys

PEAK = """
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        print("PEAK_KB", line.split()[1])
"""
CASES = [
    ("startup", "import numpy"),
    ("read_csv_numeric_1Mx4", """
import pandas as pd
df = pd.read_csv("bench/out/numeric_1M.csv")
print("CHECK rows %d" % len(df))"""),
    ("read_csv_hydrology_8_files", """
import glob
import pandas as pd
h = pd.concat([pd.read_csv(f, comment="#", na_values=[-30000, "NAN", 1e10], parse_dates=["datetime"],
                           index_col="datetime") for f in sorted(glob.glob("data/calibration/hydrology/*.csv.gz"))])
print("CHECK rows %d" % len(h))"""),
    ("kmeans_k8_1M_lloyd", """
import numpy as np
from sklearn.cluster import KMeans
P = np.load("bench/out/spatial_1M.npy")
km = KMeans(8, init=P[:8].copy(), n_init=1).fit(P)
print("CHECK inertia %.17g rtol=1e-9" % km.inertia_)"""),
    ("kdtree_build_query10_1M", """
import numpy as np
from scipy.spatial import cKDTree
P = np.load("bench/out/spatial_1M.npy")
d, i = cKDTree(P).query(P, k=10, workers=2)
print("CHECK sum_distances %.17g rtol=1e-12" % d.sum())"""),
    ("dbscan_dunes_4x", """
import numpy as np
from sklearn.cluster import DBSCAN
db = DBSCAN(eps=0.008, min_samples=8).fit(np.load("bench/out/scaling_4x.npy"))
print("CHECK clusters %d" % (db.labels_.max() + 1))"""),
    ("eigenfeatures_r0.1_44677", """
import numpy as np
from scipy.spatial import cKDTree
P = np.load("bench/out/scaling_1x.npy")
t = cKDTree(P)
l1 = 0.0
for p in P:
    nb = t.query_ball_point(p, 0.1)
    if len(nb) >= 3:
        l1 += np.linalg.eigvalsh(np.cov(P[nb].T))[-1]
print("CHECK sum_lambda1 %.17g rtol=1e-9" % l1)"""),
    ("random_forest_100_fit_predict_20000x20", """
import numpy as np
from sklearn.ensemble import RandomForestClassifier
X, y = np.load("bench/out/ml_X.npy"), np.load("bench/out/ml_y.npy")
m = RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=2).fit(X, y)
print("CHECK train_accuracy %.17g" % (m.predict(X) == y).mean())"""),
    ("linear_regression_1000000x10", """
import numpy as np
from sklearn.linear_model import LinearRegression
m = LinearRegression(n_jobs=2).fit(np.load("bench/out/ml_Xl.npy"), np.load("bench/out/ml_yl.npy"))
print("CHECK coef_10 %.17g rtol=1e-10" % m.coef_[9])"""),
]
for name, code in CASES:
    child = subprocess.run([sys.executable, "-c", code + "\n" + PEAK], capture_output=True, text=True)
    if child.returncode != 0:
        sys.stderr.write(child.stderr)
        raise SystemExit("bench/memory.py: %s: the child failed (status %d)" % (name, child.returncode))
    for line in child.stdout.splitlines():
        if line.startswith("CHECK "):
            print("CHECK %s %s" % (name, line[6:]))
        elif line.startswith("PEAK_KB "):
            print("MEM %s %.1f" % (name, int(line.split()[1]) / 1024), flush=True)
