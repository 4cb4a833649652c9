# bench/ml.py: scikit-learn side of bench/ml.lua (same data, n_jobs=2).
import time
import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.svm import SVC
from sklearn.neighbors import KNeighborsClassifier
from sklearn.linear_model import LinearRegression

def best(f, reps=3):
    m = float("inf")
    for _ in range(reps):
        t = time.perf_counter(); f(); m = min(m, time.perf_counter() - t)
    return m * 1000

def result(case, ms): print("RESULT %s %.3f" % (case, ms), flush=True)

X, y, Xq = np.load("bench/out/ml_X.npy"), np.load("bench/out/ml_y.npy"), np.load("bench/out/ml_Xq.npy")
Xl, yl = np.load("bench/out/ml_Xl.npy"), np.load("bench/out/ml_yl.npy")

def rf():
    m = RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=2).fit(X, y)
    m.predict(X)
result("random_forest_100_fit_predict_20000x20", best(rf, 2))
Xs, ys = X[:5000], y[:5000]
result("svc_rbf_fit_predict_5000x20", best(lambda: SVC(kernel="rbf").fit(Xs, ys).predict(Xs), 2))
knn = KNeighborsClassifier(n_neighbors=10, n_jobs=2).fit(X, y)
result("knn10_predict_10000_queries_20000x20", best(lambda: knn.predict(Xq)))
result("linear_regression_1000000x10", best(lambda: LinearRegression(n_jobs=2).fit(Xl, yl)))
