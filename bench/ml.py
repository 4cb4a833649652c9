# bench/ml.py: scikit-learn side of bench/ml.lua (same data, n_jobs=2).
import os, time
import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.svm import SVC
from sklearn.neighbors import KNeighborsClassifier
from sklearn.linear_model import LinearRegression

from common import quick, result, check, timer
best = timer(reps=3)
out = {}

X, y, Xq = np.load("bench/out/ml_X.npy"), np.load("bench/out/ml_y.npy"), np.load("bench/out/ml_Xq.npy")
Xl, yl = np.load("bench/out/ml_Xl.npy"), np.load("bench/out/ml_yl.npy")

def rf():
    m = RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=2).fit(X, y)
    out["acc"], out["rf"] = (m.predict(X) == y).mean(), m
result("random_forest_100_fit_predict_20000x20", best(rf, 2))
check("random_forest_100_fit_predict_20000x20", "train_accuracy", out["acc"])
check("random_forest_100_fit_predict_20000x20", "query_ones", out["rf"].predict(Xq).sum())
Xs, ys = X[:5000], y[:5000]
def svc():
    m = SVC(kernel="rbf").fit(Xs, ys)
    out["acc"], out["nsv"] = (m.predict(Xs) == ys).mean(), m.n_support_.sum()
result("svc_rbf_fit_predict_5000x20", best(svc, 2))
check("svc_rbf_fit_predict_5000x20", "train_accuracy", out["acc"], "atol=0.001")
check("svc_rbf_fit_predict_5000x20", "n_support", out["nsv"], "rtol=0.01")
knn = KNeighborsClassifier(n_neighbors=10, n_jobs=2).fit(X, y)
result("knn10_predict_10000_queries_20000x20", best(lambda: out.__setitem__("p", knn.predict(Xq))))
check("knn10_predict_10000_queries_20000x20", "predicted_ones", out["p"].sum())
result("linear_regression_1000000x10", best(lambda: out.__setitem__("lr", LinearRegression(n_jobs=2).fit(Xl, yl))))
for j in range(10):
    check("linear_regression_1000000x10", "coef_%d" % (j + 1), out["lr"].coef_[j], "rtol=1e-10")
check("linear_regression_1000000x10", "intercept", out["lr"].intercept_, "atol=1e-10")
