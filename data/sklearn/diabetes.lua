-- diabetes: metadata of sklearn.datasets.load_diabetes (scikit-learn 1.2.1), from
-- export_sklearn.py; the arrays are in diabetes.npz, DESCR in diabetes.rst.
return {
  feature_names = {"age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"}
}
