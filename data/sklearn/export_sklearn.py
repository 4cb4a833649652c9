#!/usr/bin/python3
# export_sklearn.py: the toy datasets of ml.datasets.load_*, exported from
# scikit-learn 1.2.1's own bundled copies (sklearn/datasets/data, descr), so
# that geolab needs no download. Run from the project root:
#   /usr/bin/python3 data/sklearn/export_sklearn.py
# Writes data/sklearn/NAME.npz (compressed: data, target, and for digits the
# pixels as uint8, for diabetes the unscaled data too) and NAME.lua
# (feature_names, target_names, DESCR, as sklearn returns them).
import sys
import numpy as np
import sklearn
from sklearn import datasets as ds

sys.path.insert(0, "tests/fixtures/ml")
from luafmt import lua

assert sklearn.__version__ == "1.2.1", sklearn.__version__
OUT = "data/sklearn/"


def meta(name, b, extra=None):
    t = {"feature_names": list(b.feature_names),
         "target_names": [str(x) if not isinstance(x, (int, np.integer)) else int(x) for x in b.target_names]
         if getattr(b, "target_names", None) is not None else None,
         "filename": getattr(b, "filename", None)}
    t = {k: v for k, v in t.items() if v is not None}
    t.update(extra or {})
    with open(OUT + name + ".lua", "w") as f:
        f.write("-- %s: metadata of sklearn.datasets.load_%s (scikit-learn %s), from\n"
                "-- export_sklearn.py; the arrays are in %s.npz, DESCR in %s.rst.\nreturn %s\n"
                % (name, name, sklearn.__version__, name, name, lua(t)))
    with open(OUT + name + ".rst", "w") as f:
        f.write(b.DESCR)


b = ds.load_iris()
np.savez_compressed(OUT + "iris.npz", data=b.data, target=b.target.astype(np.int64))
meta("iris", b)

b = ds.load_wine()
np.savez_compressed(OUT + "wine.npz", data=b.data, target=b.target.astype(np.int64))
meta("wine", b)

b = ds.load_breast_cancer()
np.savez_compressed(OUT + "breast_cancer.npz", data=b.data, target=b.target.astype(np.int64))
meta("breast_cancer", b)

b = ds.load_digits()
assert np.array_equal(b.data, b.data.astype(np.uint8))
np.savez_compressed(OUT + "digits.npz", data=b.data.astype(np.uint8), target=b.target.astype(np.int64))
meta("digits", b)

b = ds.load_diabetes()
raw = ds.load_diabetes(scaled=False)
np.savez_compressed(OUT + "diabetes.npz", data=b.data, data_raw=raw.data, target=b.target)
meta("diabetes", b)
