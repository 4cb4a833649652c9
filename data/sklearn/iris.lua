-- iris: metadata of sklearn.datasets.load_iris (scikit-learn 1.2.1), from
-- export_sklearn.py; the arrays are in iris.npz, DESCR in iris.rst.
return {
  feature_names = {"sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"},
  target_names = {"setosa", "versicolor", "virginica"},
  filename = "iris.csv"
}
