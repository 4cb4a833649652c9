#!/usr/bin/python3
"""check_sklearn.py: the practical's feature recipe and classifiers in NumPy,
SciPy and scikit-learn, on the files generate.lua wrote, to check that the
synthetic dataset gives the same accuracies in Python as in geolab.
Usage: /usr/bin/python3 data/volcano/check_sklearn.py FOLDER [N per class] [features.npy]
"""
import glob
import os
import sys

import numpy as np
from scipy import signal, stats
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import classification_report, confusion_matrix
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

CLASSES = ["VT", "LP", "TR", "AV", "IC"]
FS = 100.0
NAMES = ["snr", "minimum", "peak_freq", "centroid", "spread", "entropy", "length",
         "kurtosis", "skewness", "sorted_width", "q25", "q50", "q75", "env_duration"]


def pick(event):
    """The station with the largest peak amplitude and the event's span."""
    traces, masks = event[:8].astype(np.float64), event[9:14]
    best = np.abs(traces).max(axis=1).argmax()
    span = np.flatnonzero(masks.any(axis=0))
    return traces[best], span[0], span[-1] + 1


def features(trace, i1, i2):
    x = trace[i1:i2]
    noise = np.concatenate([trace[:i1], trace[i2:]])
    peak = np.abs(x).max()
    psd = np.abs(np.fft.rfft(x)) ** 2
    f = np.fft.rfftfreq(len(x), 1 / FS)
    total = psd.sum()
    centroid = (f * psd).sum() / total
    spread = np.sqrt(((f - centroid) ** 2 * psd).sum() / total)
    cum = np.cumsum(psd) / total
    q25, q50, q75 = (f[np.searchsorted(cum, q)] for q in (0.25, 0.5, 0.75))
    s = np.sort(x / peak)
    n = len(s)
    width = s[int(0.9 * (n - 1))] - s[int(0.1 * (n - 1))]
    env = np.abs(signal.hilbert(x))
    win = min(101, n if n % 2 == 1 else n - 1)
    smooth = signal.savgol_filter(env, win, 3) if win > 3 else env
    duration = (smooth > 0.5 * smooth.max()).sum() / FS
    return [peak / noise.std(), x.min(), f[psd.argmax()], centroid, spread,
            stats.entropy(psd), len(x) / FS, stats.kurtosis(x), stats.skew(x),
            width, q25, q50, q75, duration]


def main():
    folder = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else None
    X, y = [], []
    for c, cls in enumerate(CLASSES):
        files = sorted(glob.glob(os.path.join(folder, cls, "*.npy")))[:n]
        for path in files:
            X.append(features(*pick(np.load(path))))
            y.append(c + 1)
    X, y = np.array(X), np.array(y)
    if len(sys.argv) > 3:
        np.save(sys.argv[3], X)
    for name, acc in evaluate(X, y, 0, verbose=True):
        print(f"{name:20s} {acc:.3f}")
    # the mean over five splits is steadier than one split of a few hundred events
    runs = [evaluate(X, y, seed) for seed in range(5)]
    print("mean of 5 splits:", ", ".join(f"{r[0]} {np.mean([a[i][1] for a in runs]):.3f}"
                                         for i, r in enumerate(runs[0])))


def evaluate(X, y, seed, verbose=False):
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, stratify=y, random_state=seed)
    sc = StandardScaler().fit(Xtr)
    out = []
    models = [
        ("random forest", RandomForestClassifier(n_estimators=100, random_state=0), False),
        ("linear SVM", LinearSVC(C=1, max_iter=10000), True),
        ("logistic regression", LogisticRegression(max_iter=1000), True),
        ("10-NN", KNeighborsClassifier(n_neighbors=10), True),
    ]
    for name, m, scaled in models:
        A, B = (sc.transform(Xtr), sc.transform(Xte)) if scaled else (Xtr, Xte)
        pred = m.fit(A, ytr).predict(B)
        out.append((name, np.mean(pred == yte)))
        if verbose and name == "random forest":
            print(classification_report(yte, pred, target_names=CLASSES, digits=3))
            print(confusion_matrix(yte, pred))
            imp = sorted(zip(m.feature_importances_, NAMES), reverse=True)
            print(" ".join(f"{nm}={v:.3f}" for v, nm in imp))
    return out


if __name__ == "__main__":
    main()
